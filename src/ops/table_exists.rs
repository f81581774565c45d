//! Whether a table exists: DescribeTable, with "not found" meaning false.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{Error, ErrorKind};

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: client.shared.clone(), table_name })
}

pub async fn execute(p: Prepared) -> Result<bool, Error> {
    let sdk = p.shared.sdk_here().await?;
    match sdk.describe_table().table_name(&p.table_name).send().await {
        Ok(_) => Ok(true),
        Err(e) => match Error::from(e) {
            err if err.kind == ErrorKind::ResourceNotFound => Ok(false),
            err => Err(err),
        },
    }
}

pub fn convert(py: Python<'_>, exists: bool) -> PyResult<Py<PyAny>> {
    exists.into_py_any(py)
}
