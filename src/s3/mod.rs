//! `S3Operations`: the S3 side of S3Attribute. Its Python methods are generated
//! (spec/services.yaml); the operations' cores (src/ops/s3_*.rs) call `transfer` here.

pub mod transfer;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::{S3Metadata, S3Metrics};
use crate::client::{redact_endpoint, ClientOptions};
use crate::errors::ErrorKind;
use crate::repr::PyRepr;
use crate::services::{self, PerProcess};

/// User-defined object metadata (x-amz-meta-*), ordered so reprs and comparisons are stable.
pub type UserMetadata = BTreeMap<String, String>;

impl PyRepr for UserMetadata {
    fn py_repr(&self) -> String {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{}: {}", k.py_repr(), v.py_repr())).collect();
        format!("{{{}}}", parts.join(", "))
    }
}

pub struct S3Shared {
    options: ClientOptions,
    sdk: PerProcess<aws_sdk_s3::Client>,
}

#[pyclass(module = "pydynox.pydynox_core", frozen, subclass)]
pub struct S3Operations {
    pub shared: Arc<S3Shared>,
}

impl S3Shared {
    pub async fn sdk(&self) -> aws_sdk_s3::Client {
        self.sdk
            .get(|| async {
                let loaded = services::load(&self.options).await;
                let mut conf = aws_sdk_s3::config::Builder::from(&loaded.sdk)
                    .region(loaded.region)
                    // Checksums only where S3 requires them: a streamed body is then sent
                    // as is, with its length known, and local servers accept it.
                    .request_checksum_calculation(aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired)
                    // A custom endpoint (a local server, a proxy) rarely resolves
                    // `<bucket>.<host>`: address buckets by path there.
                    .force_path_style(loaded.custom_endpoint);
                if let Some(provider) = loaded.credentials {
                    conf = conf.credentials_provider(provider);
                }
                aws_sdk_s3::Client::from_conf(conf.build())
            })
            .await
    }
}

pub fn build(options: ClientOptions) -> S3Operations {
    S3Operations { shared: Arc::new(S3Shared { options, sdk: PerProcess::new() }) }
}

/// The generated `__new__`.
pub fn new(_py: Python<'_>, settings: services::Connection) -> PyResult<S3Operations> {
    Ok(build(settings.options()?))
}

/// `S3Operations(region='...')`, never credentials.
pub fn repr(ops: &S3Operations) -> String {
    let o = &ops.shared.options;
    let region = o.region.as_deref().unwrap_or("<from the environment>");
    match &o.endpoint_url {
        Some(url) => format!("S3Operations(region={region:?}, endpoint_url={:?})", redact_endpoint(url)),
        None => format!("S3Operations(region={region:?})"),
    }
}

/// User metadata from Python: str -> str only.
pub fn user_metadata(metadata: Option<Bound<'_, PyDict>>) -> PyResult<Option<UserMetadata>> {
    let Some(d) = metadata else { return Ok(None) };
    let mut out = UserMetadata::new();
    for (k, v) in d.iter() {
        let (Ok(k), Ok(v)) = (k.extract::<String>(), v.extract::<String>()) else {
            return Err(crate::errors::invalid("metadata must map str to str"));
        };
        out.insert(k, v);
    }
    Ok(Some(out))
}

/// Checks a bucket and key before anything is sent.
pub fn check_location(bucket: &str, key: &str) -> PyResult<()> {
    if bucket.is_empty() || key.is_empty() {
        return Err(crate::errors::invalid(format!(
            "bucket and key must be non-empty (got bucket={bucket:?}, key={key:?})"
        )));
    }
    Ok(())
}

/// Counts what one operation sent and received, for its `S3Metrics`.
pub struct Meter {
    started: Instant,
    pub calls: i64,
    pub uploaded: i64,
    pub downloaded: i64,
}

impl Meter {
    pub fn start() -> Self {
        Self { started: Instant::now(), calls: 0, uploaded: 0, downloaded: 0 }
    }

    pub fn finish(&self) -> S3Metrics {
        S3Metrics {
            duration_ms: self.started.elapsed().as_secs_f64() * 1000.0,
            calls: self.calls,
            bytes_uploaded: self.uploaded,
            bytes_downloaded: self.downloaded,
        }
    }
}

/// `s3://bucket/key`, for messages.
pub fn location(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

pub const KIND: ErrorKind = ErrorKind::S3;

/// An S3Metadata with what every operation knows.
pub fn metadata(bucket: &str, key: &str, size: i64, etag: Option<&str>) -> S3Metadata {
    S3Metadata {
        bucket: bucket.to_string(),
        key: key.to_string(),
        size,
        etag: etag.unwrap_or_default().trim_matches('"').to_string(),
        ..S3Metadata::default()
    }
}

/// `(S3Metadata, S3Metrics)` as a Python tuple.
pub fn pair(py: Python<'_>, out: (S3Metadata, S3Metrics)) -> PyResult<Py<PyAny>> {
    use pyo3::IntoPyObjectExt;
    out.into_py_any(py)
}
