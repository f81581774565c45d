//! UpdateTimeToLive.

use std::sync::Arc;

use aws_sdk_dynamodb::types::TimeToLiveSpecification;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::Error;

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
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Prepared { shared: client.shared.clone(), table_name, spec })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let sdk = p.shared.sdk_here().await?;
    sdk.update_time_to_live().table_name(p.table_name).time_to_live_specification(p.spec).send().await?;
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
