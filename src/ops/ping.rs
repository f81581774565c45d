//! Ping: a one-table ListTables; any failure means false.

use aws_sdk_dynamodb::Client;
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::DynamoDBClient;
use crate::errors::Error;

pub struct Prepared {
    sdk: Client,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>) -> PyResult<Prepared> {
    Ok(Prepared { sdk: client.shared.sdk()? })
}

pub async fn execute(p: Prepared) -> Result<bool, Error> {
    Ok(p.sdk.list_tables().limit(1).send().await.is_ok())
}

pub fn convert(py: Python<'_>, ok: bool) -> PyResult<Py<PyAny>> {
    ok.into_py_any(py)
}
