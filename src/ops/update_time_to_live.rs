//! UpdateTimeToLive.

use std::sync::Arc;

use aws_sdk_dynamodb::types::TimeToLiveSpecification;
use pyo3::prelude::*;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{on_table, Error};

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
    spec: TimeToLiveSpecification,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String, attribute_name: String, enabled: bool) -> PyResult<Prepared> {
    let spec = TimeToLiveSpecification::builder()
        .attribute_name(attribute_name)
        .enabled(enabled)
        .build()
        .map_err(|e| crate::errors::invalid(e.to_string()))?;
    Ok(Prepared { shared: client.shared.clone(), table_name, spec })
}

async fn run(p: Prepared) -> Result<(), Error> {
    let sdk = p.shared.sdk_here().await?;
    sdk.update_time_to_live().table_name(p.table_name).time_to_live_specification(p.spec).send().await?;
    Ok(())
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<(), Error> {
    let shared = p.shared.clone();
    let what = p.table_name.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("update_time_to_live", &what, None)))
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
