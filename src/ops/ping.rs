//! Ping: a one-table ListTables; any failure means false.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::Error;

pub struct Prepared {
    shared: Arc<ClientShared>,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>) -> PyResult<Prepared> {
    Ok(Prepared { shared: client.shared.clone() })
}

pub async fn execute(p: Prepared) -> Result<bool, Error> {
    let sdk = p.shared.sdk_here().await?;
    Ok(sdk.list_tables().limit(1).send().await.is_ok())
}

pub fn convert(py: Python<'_>, ok: bool) -> PyResult<Py<PyAny>> {
    ok.into_py_any(py)
}
