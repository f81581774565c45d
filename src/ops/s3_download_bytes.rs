//! S3Operations.download_bytes (src/s3/transfer.rs).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use pyo3::IntoPyObjectExt;

use crate::bindings::S3Metrics;
use crate::errors::{Error, ErrorKind};
use crate::s3::{transfer, S3Operations, S3Shared};

pub struct Prepared {
    shared: Arc<S3Shared>,
    bucket: String,
    key: String,
}

pub fn prepare(ops: &S3Operations, _py: Python<'_>, bucket: String, key: String) -> PyResult<Prepared> {
    crate::s3::check_location(&bucket, &key)?;
    Ok(Prepared { shared: ops.shared.clone(), bucket, key })
}

pub async fn execute(p: Prepared) -> Result<(Vec<u8>, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::download(p.shared, p.bucket, p.key)).await
}

pub fn convert(py: Python<'_>, (data, metrics): (Vec<u8>, S3Metrics)) -> PyResult<Py<PyAny>> {
    (PyBytes::new(py, &data), metrics).into_py_any(py)
}
