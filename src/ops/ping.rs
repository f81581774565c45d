//! Ping: a one-table ListTables; any failure means false.

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call};

pub struct Prepared {
    call: Call,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>) -> PyResult<Prepared> {
    Ok(Prepared { call: Call::new(&client.shared, "ping", OpKind::Other, About::Nothing) })
}

pub async fn execute(p: Prepared) -> Result<bool, Error> {
    let sent = p.call.send_sdk("ListTables", |sdk| async move { sdk.list_tables().limit(1).send().await }).await;
    Ok(sent.is_ok())
}

pub fn convert(py: Python<'_>, ok: bool) -> PyResult<Py<PyAny>> {
    ok.into_py_any(py)
}
