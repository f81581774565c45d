//! DeleteTable.

use pyo3::prelude::*;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call};

pub struct Prepared {
    call: Call,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    let call = Call::new(&client.shared, "delete_table", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, table_name } = p;
    let deleted = call.send_sdk("DeleteTable", |sdk| async move { sdk.delete_table().table_name(table_name).send().await }).await;
    // A table made again under this name may have other keys (exact resume keys).
    call.forget_key_schema();
    deleted.map(|_| ())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
