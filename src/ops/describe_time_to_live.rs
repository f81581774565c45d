//! DescribeTimeToLive.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::TimeToLiveDescription;
use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{on_table, Error};

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: client.shared.clone(), table_name })
}

async fn run(p: Prepared) -> Result<TimeToLiveDescription, Error> {
    let sdk = p.shared.sdk_here().await?;
    let out = sdk.describe_time_to_live().table_name(p.table_name).send().await?;
    let d = out.time_to_live_description();
    Ok(TimeToLiveDescription {
        status: d.and_then(|d| d.time_to_live_status()).map(|s| s.as_str().to_owned()).unwrap_or_else(|| "DISABLED".into()),
        attribute_name: d.and_then(|d| d.attribute_name()).map(str::to_owned),
    })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<TimeToLiveDescription, Error> {
    let shared = p.shared.clone();
    let what = p.table_name.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("describe_time_to_live", &what, None)))
}

pub fn convert(py: Python<'_>, d: TimeToLiveDescription) -> PyResult<Py<PyAny>> {
    d.into_py_any(py)
}
