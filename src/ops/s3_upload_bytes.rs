//! S3Operations.upload_bytes (src/s3/transfer.rs).

use std::sync::Arc;

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::{S3Metadata, S3Metrics};
use crate::errors::{Error, ErrorKind};
use crate::s3::transfer::{self, Source, Upload};
use crate::s3::{S3Operations, S3Shared};

pub struct Prepared {
    shared: Arc<S3Shared>,
    upload: Upload,
}

pub fn prepare(
    ops: &S3Operations,
    _py: Python<'_>,
    bucket: String,
    key: String,
    data: Bound<'_, pyo3::types::PyBytes>,
    content_type: Option<String>,
    metadata: Option<Bound<'_, PyDict>>,
) -> PyResult<Prepared> {
    crate::s3::check_location(&bucket, &key)?;
    // One copy, made with the GIL held: the request owns its data from here on.
    let source = Source::Bytes(Bytes::copy_from_slice(data.as_bytes()));
    let metadata = crate::s3::user_metadata(metadata)?;
    Ok(Prepared { shared: ops.shared.clone(), upload: Upload { bucket, key, source, content_type, metadata } })
}

pub async fn execute(p: Prepared) -> Result<(S3Metadata, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::upload(p.shared, p.upload)).await
}

pub fn convert(py: Python<'_>, out: (S3Metadata, S3Metrics)) -> PyResult<Py<PyAny>> {
    crate::s3::pair(py, out)
}
