//! GetItem answering `(item or None, metrics)`: this call's own metrics, for callers that
//! run calls concurrently on one client (the model layer), where `get_last_metrics()` is
//! whichever call finished last. The request and its sending are GetItem's.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

use crate::client::DynamoDBClient;
use crate::errors::Error;
use crate::ops::get_item::{self, Output, Prepared};

pub fn prepare(
    client: &DynamoDBClient,
    py: Python<'_>,
    table: String,
    key: Bound<'_, PyDict>,
    consistent_read: bool,
    projection: Option<crate::ops::args::Seq<String>>,
) -> PyResult<Prepared> {
    get_item::prepare(client, py, table, key, consistent_read, projection)
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    get_item::execute(p).await
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    get_item::convert_with_metrics(py, out)?.into_py_any(py)
}
