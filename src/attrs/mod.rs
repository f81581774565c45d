//! The Rust side of the attributes that transform values before they are stored
//! (`CompressedAttribute`; the KMS and S3 attributes use `crate::kms` and `crate::s3`).
//! These functions do no I/O, so they have no twins and are private helpers of the
//! Python attribute classes (`pydynox._attrs`), not public API.

pub mod compression;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use compression::{Algorithm, Policy};

/// Values at least this long are (de)compressed with the GIL released: below it, the
/// release and re-acquire cost more than the work.
const DETACH_AT: usize = 16 * 1024;

fn run_detached<T: Send>(py: Python<'_>, len: usize, work: impl FnOnce() -> T + Send) -> T {
    if len >= DETACH_AT {
        py.detach(work)
    } else {
        work()
    }
}

/// `CompressedAttribute.serialize`: the stored form of `value` (plain when too small or
/// incompressible). Raises ValueError for an unknown algorithm or a level out of range.
#[pyfunction]
#[pyo3(signature = (value, algorithm, level, min_size, threshold))]
pub fn compress_value(
    py: Python<'_>,
    value: &str,
    algorithm: &str,
    level: Option<i64>,
    min_size: usize,
    threshold: f64,
) -> PyResult<String> {
    let algorithm = Algorithm::from_name(algorithm)
        .ok_or_else(|| PyValueError::new_err(format!("unknown compression algorithm {algorithm:?}")))?;
    let level = compression::check_level(algorithm, level).map_err(PyValueError::new_err)?;
    let policy = Policy { algorithm, level, min_size, threshold };
    Ok(run_detached(py, value.len(), || compression::encode(value, policy)))
}

/// `CompressedAttribute.deserialize`: the text a stored form holds. Raises ValueError for
/// data that is not what its prefix says.
#[pyfunction]
pub fn decompress_value(py: Python<'_>, stored: &str) -> PyResult<String> {
    run_detached(py, stored.len(), || compression::decode(stored)).map_err(PyValueError::new_err)
}

/// The S3 client of an S3Attribute on a model using `client`: the client's credentials
/// chain, profile, role and endpoint, in `region` when given (else the client's).
#[pyfunction]
#[pyo3(signature = (client, region=None))]
pub fn s3_for_client(client: &crate::client::DynamoDBClient, region: Option<String>) -> crate::s3::S3Operations {
    crate::s3::build(crate::services::options_of(client, region))
}

/// The KMS encryptor of an EncryptedAttribute on a model using `client` (as above).
#[pyfunction]
#[pyo3(signature = (client, key_id, region=None, context=None))]
pub fn kms_for_client(
    client: &crate::client::DynamoDBClient,
    key_id: String,
    region: Option<String>,
    context: Option<Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<crate::kms::KmsEncryptor> {
    crate::kms::build(key_id, context, crate::services::options_of(client, region))
}

/// Adds the private helpers to the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Set, not added: private, kept out of `__all__` and the stubs.
    m.setattr("_compress_value", wrap_pyfunction!(compress_value, m)?)?;
    m.setattr("_decompress_value", wrap_pyfunction!(decompress_value, m)?)?;
    m.setattr("_s3_for_client", wrap_pyfunction!(s3_for_client, m)?)?;
    m.setattr("_kms_for_client", wrap_pyfunction!(kms_for_client, m)?)?;
    Ok(())
}
