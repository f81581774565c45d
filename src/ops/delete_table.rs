//! DeleteTable.

use std::sync::Arc;

use pyo3::prelude::*;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{on_table, Error};

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: client.shared.clone(), table_name })
}

async fn run(p: Prepared) -> Result<(), Error> {
    let sdk = p.shared.sdk_here().await?;
    sdk.delete_table().table_name(p.table_name).send().await?;
    Ok(())
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<(), Error> {
    let shared = p.shared.clone();
    let what = p.table_name.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("delete_table", &what, None)))
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
