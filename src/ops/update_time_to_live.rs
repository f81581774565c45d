//! UpdateTimeToLive.

use aws_sdk_dynamodb::types::TimeToLiveSpecification;
use pyo3::prelude::*;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call};

pub struct Prepared {
    call: Call,
    table_name: String,
    spec: TimeToLiveSpecification,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String, attribute_name: String, enabled: bool) -> PyResult<Prepared> {
    let spec = TimeToLiveSpecification::builder()
        .attribute_name(attribute_name)
        .enabled(enabled)
        .build()
        .map_err(|e| crate::errors::invalid(e.to_string()))?;
    let call = Call::new(&client.shared, "update_time_to_live", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name, spec })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, table_name, spec } = p;
    let send = |sdk: aws_sdk_dynamodb::Client| async move { sdk.update_time_to_live().table_name(table_name).time_to_live_specification(spec).send().await };
    call.send_sdk("UpdateTimeToLive", send).await?;
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
