//! DeleteTable.

use aws_sdk_dynamodb::Client;
use pyo3::prelude::*;

use crate::client::DynamoDBClient;
use crate::errors::Error;

pub struct Prepared {
    sdk: Client,
    table_name: String,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String) -> PyResult<Prepared> {
    Ok(Prepared { sdk: client.shared.sdk()?, table_name })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    p.sdk.delete_table().table_name(p.table_name).send().await?;
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
