//! S3Operations.head_object (src/s3/transfer.rs).

use std::sync::Arc;

use pyo3::prelude::*;

use crate::bindings::{S3Metadata, S3Metrics};
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

pub async fn execute(p: Prepared) -> Result<(S3Metadata, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::head(p.shared, p.bucket, p.key)).await
}

pub fn convert(py: Python<'_>, out: (S3Metadata, S3Metrics)) -> PyResult<Py<PyAny>> {
    crate::s3::pair(py, out)
}
