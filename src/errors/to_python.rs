//! An [`Error`] as the Python exception it becomes (generated from spec/errors.yaml), with
//! the attributes some classes carry (a failed condition's item, a transaction's reasons).

use aws_sdk_dynamodb::types::CancellationReason;
use pyo3::exceptions::PyTimeoutError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use super::classes::{invalid_in, request_timeout};
use super::{Error, ErrorKind};
use crate::bindings as exc;
use crate::wire::{item_to_py, ReadOptions};

impl Error {
    /// The Python exception for this error.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let msg = self.render();
        let err = match self.kind {
            ErrorKind::Validation => exc::ValidationException::new_err(msg),
            ErrorKind::ConditionalCheckFailed => exc::ConditionalCheckFailedException::new_err(msg),
            ErrorKind::TransactionCanceled => exc::TransactionCanceledException::new_err(msg),
            ErrorKind::ResourceNotFound => exc::ResourceNotFoundException::new_err(msg),
            ErrorKind::ResourceInUse => exc::ResourceInUseException::new_err(msg),
            ErrorKind::Throughput => exc::ProvisionedThroughputExceededException::new_err(msg),
            ErrorKind::AccessDenied => exc::AccessDeniedException::new_err(msg),
            ErrorKind::Credentials => exc::CredentialsException::new_err(msg),
            ErrorKind::Connection => exc::ConnectionException::new_err(msg),
            ErrorKind::RequestTimeout => request_timeout(py, msg),
            ErrorKind::Serialization => exc::SerializationException::new_err(msg),
            ErrorKind::Service => exc::PydynoxException::new_err(msg),
            ErrorKind::Timeout => PyTimeoutError::new_err(msg),
            ErrorKind::Value => invalid_in(py, msg),
            ErrorKind::Encryption => exc::EncryptionException::new_err(msg),
            ErrorKind::S3 => exc::S3AttributeException::new_err(msg),
        };
        // Attributes the spec declares for these classes are always present (None or []).
        let read = self.read;
        let attach = || -> PyResult<()> {
            let value = err.value(py);
            // Declared on PydynoxException (None there): a failed batch write's leftovers.
            if let Some(u) = &self.unprocessed {
                value.setattr("unprocessed_items", items_to_py(py, &u.items, read)?)?;
                value.setattr("unprocessed_keys", items_to_py(py, &u.keys, read)?)?;
            }
            match self.kind {
                ErrorKind::ConditionalCheckFailed => {
                    let item = match &self.item {
                        Some(item) => item_to_py(py, item, read)?.into_any(),
                        None => py.None().into_bound(py),
                    };
                    value.setattr("item", item)
                }
                ErrorKind::TransactionCanceled => value.setattr("reasons", reasons_to_py(py, &self.reasons, read)?),
                _ => Ok(()),
            }
        };
        match attach() {
            Ok(()) => err,
            Err(decode_error) => decode_error,
        }
    }
}

fn items_to_py<'py>(py: Python<'py>, items: &[crate::wire::Item], read: ReadOptions) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for item in items {
        list.append(item_to_py(py, item, read)?)?;
    }
    Ok(list)
}

fn reasons_to_py<'py>(py: Python<'py>, reasons: &[CancellationReason], read: ReadOptions) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for r in reasons {
        let d = PyDict::new(py);
        d.set_item("code", r.code())?;
        d.set_item("message", r.message())?;
        match r.item() {
            Some(item) => d.set_item("item", item_to_py(py, item, read)?)?,
            None => d.set_item("item", py.None())?,
        }
        list.append(d)?;
    }
    Ok(list)
}
