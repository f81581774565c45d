//! Whether a table exists: DescribeTable, with "not found" meaning false.

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind};
use crate::ops::send::{About, Call};

pub struct Prepared {
    call: Call,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    let call = Call::new(&client.shared, "table_exists", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name })
}

pub async fn execute(p: Prepared) -> Result<bool, Error> {
    let Prepared { call, table_name } = p;
    match call.send_sdk("DescribeTable", |sdk| async move { sdk.describe_table().table_name(table_name).send().await }).await {
        Ok(_) => Ok(true),
        Err(err) if err.kind == ErrorKind::ResourceNotFound => Ok(false),
        Err(err) => Err(err),
    }
}

pub fn convert(py: Python<'_>, exists: bool) -> PyResult<Py<PyAny>> {
    exists.into_py_any(py)
}
