//! Whether a table exists: DescribeTable, with "not found" meaning false.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{on_table, Error, ErrorKind};

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: client.shared.clone(), table_name })
}

async fn run(p: Prepared) -> Result<bool, Error> {
    let sdk = p.shared.sdk_here().await?;
    match sdk.describe_table().table_name(&p.table_name).send().await {
        Ok(_) => Ok(true),
        Err(e) => match Error::from(e) {
            err if err.kind == ErrorKind::ResourceNotFound => Ok(false),
            err => Err(err),
        },
    }
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<bool, Error> {
    let shared = p.shared.clone();
    let what = p.table_name.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("table_exists", &what, None)))
}

pub fn convert(py: Python<'_>, exists: bool) -> PyResult<Py<PyAny>> {
    exists.into_py_any(py)
}
