//! S3Operations.upload_file: streamed from disk (src/s3/transfer.rs).

use std::path::PathBuf;
use std::sync::Arc;

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
    path: String,
    content_type: Option<String>,
    metadata: Option<Bound<'_, PyDict>>,
) -> PyResult<Prepared> {
    crate::s3::check_location(&bucket, &key)?;
    let metadata = crate::s3::user_metadata(metadata)?;
    let source = Source::File(PathBuf::from(path));
    Ok(Prepared { shared: ops.shared.clone(), upload: Upload { bucket, key, source, content_type, metadata } })
}

pub async fn execute(p: Prepared) -> Result<(S3Metadata, S3Metrics), Error> {
    crate::services::on_shared(ErrorKind::S3, transfer::upload(p.shared, p.upload)).await
}

pub fn convert(py: Python<'_>, out: (S3Metadata, S3Metrics)) -> PyResult<Py<PyAny>> {
    crate::s3::pair(py, out)
}
