//! KmsEncryptor.encrypt: GenerateDataKey, then AES-256-GCM locally (src/kms).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::errors::{Error, ErrorKind};
use crate::kms::{KmsEncryptor, KmsShared};

pub struct Prepared {
    shared: Arc<KmsShared>,
    plaintext: String,
}

pub fn prepare(encryptor: &KmsEncryptor, _py: Python<'_>, plaintext: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: encryptor.shared.clone(), plaintext })
}

pub async fn execute(p: Prepared) -> Result<String, Error> {
    crate::services::on_shared(ErrorKind::Encryption, crate::kms::encrypt(p.shared, p.plaintext)).await
}

pub fn convert(py: Python<'_>, stored: String) -> PyResult<Py<PyAny>> {
    stored.into_py_any(py)
}
