//! S3Operations.presigned_url: signed locally, nothing sent (src/s3/transfer.rs).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::bindings::S3Metrics;
use crate::errors::{Error, ErrorKind};
use crate::s3::transfer::{self, MAX_PRESIGN_SECONDS};
use crate::s3::{S3Operations, S3Shared};

pub struct Prepared {
    shared: Arc<S3Shared>,
    bucket: String,
    key: String,
    expires_secs: i64,
}

pub fn prepare(ops: &S3Operations, _py: Python<'_>, bucket: String, key: String, expires_secs: i64) -> PyResult<Prepared> {
    crate::s3::check_location(&bucket, &key)?;
    if !(1..=MAX_PRESIGN_SECONDS).contains(&expires_secs) {
        return Err(crate::errors::invalid(format!(
            "expires_secs must be between 1 and {MAX_PRESIGN_SECONDS} (7 days), got {expires_secs}"
        )));
    }
    Ok(Prepared { shared: ops.shared.clone(), bucket, key, expires_secs })
}

pub async fn execute(p: Prepared) -> Result<(String, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::presign(p.shared, p.bucket, p.key, p.expires_secs)).await
}

pub fn convert(py: Python<'_>, out: (String, S3Metrics)) -> PyResult<Py<PyAny>> {
    out.into_py_any(py)
}
