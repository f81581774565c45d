//! DescribeTimeToLive.

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::TimeToLiveDescription;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call};

pub struct Prepared {
    call: Call,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    let call = Call::new(&client.shared, "describe_time_to_live", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name })
}

pub async fn execute(p: Prepared) -> Result<TimeToLiveDescription, Error> {
    let Prepared { call, table_name } = p;
    let (out, _) = call.send_sdk("DescribeTimeToLive", |sdk| async move { sdk.describe_time_to_live().table_name(table_name).send().await }).await?;
    let d = out.time_to_live_description();
    Ok(TimeToLiveDescription {
        status: d.and_then(|d| d.time_to_live_status()).map(|s| s.as_str().to_owned()).unwrap_or_else(|| "DISABLED".into()),
        attribute_name: d.and_then(|d| d.attribute_name()).map(str::to_owned),
    })
}

pub fn convert(py: Python<'_>, d: TimeToLiveDescription) -> PyResult<Py<PyAny>> {
    d.into_py_any(py)
}
