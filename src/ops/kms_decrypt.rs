//! KmsEncryptor.decrypt: KMS Decrypt of the value's data key, then AES-256-GCM locally (src/kms).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

use crate::errors::{Error, ErrorKind};
use crate::kms::{KmsEncryptor, KmsShared};

pub struct Prepared {
    shared: Arc<KmsShared>,
    ciphertext: String,
}

pub fn prepare(encryptor: &KmsEncryptor, _py: Python<'_>, ciphertext: String) -> PyResult<Prepared> {
    Ok(Prepared { shared: encryptor.shared.clone(), ciphertext })
}

pub async fn execute(p: Prepared) -> Result<String, Error> {
    crate::services::on_shared(ErrorKind::Encryption, crate::kms::decrypt(p.shared, p.ciphertext)).await
}

pub fn convert(py: Python<'_>, plaintext: String) -> PyResult<Py<PyAny>> {
    plaintext.into_py_any(py)
}
