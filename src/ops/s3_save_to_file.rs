//! S3Operations.save_to_file: streamed to disk (src/s3/transfer.rs).

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::S3Metrics;
use crate::errors::{Error, ErrorKind};
use crate::s3::{transfer, S3Operations, S3Shared};

pub struct Prepared {
    shared: Arc<S3Shared>,
    bucket: String,
    key: String,
    path: PathBuf,
}

pub fn prepare(ops: &S3Operations, _py: Python<'_>, bucket: String, key: String, path: String) -> PyResult<Prepared> {
    crate::s3::check_location(&bucket, &key)?;
    Ok(Prepared { shared: ops.shared.clone(), bucket, key, path: PathBuf::from(path) })
}

pub async fn execute(p: Prepared) -> Result<(i64, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::save_to_file(p.shared, p.bucket, p.key, p.path)).await
}

pub fn convert(py: Python<'_>, out: (i64, S3Metrics)) -> PyResult<Py<PyAny>> {
    out.into_py_any(py)
}
