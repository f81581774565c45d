//! The exception classes written in Python (`pydynox.exceptions`), imported once, and
//! the error for an argument rejected before anything was sent. A leaf: the wire encoder
//! raises `invalid` while walking values.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// One of the exception classes written in Python (`pydynox.exceptions`), imported once.
fn python_class<'py>(py: Python<'py>, cell: &'static PyOnceLock<Py<PyType>>, name: &str) -> Option<&'py Bound<'py, PyType>> {
    cell.import(py, "pydynox.exceptions", name).ok()
}

/// The exception for an argument rejected before anything was sent:
/// `ParamValidationException`, both a `ValidationException` (what 0.21.0 raised) and a
/// `ValueError`. Call with the GIL held (it is, wherever arguments are checked).
pub fn invalid(message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| invalid_in(py, message))
}

pub(super) fn invalid_in(py: Python<'_>, message: String) -> PyErr {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    match python_class(py, &CLASS, "ParamValidationException") {
        Some(class) => PyErr::from_type(class.clone(), message),
        // Only if the pure-Python half of the package is broken; still a ValueError.
        None => PyValueError::new_err(message),
    }
}

pub(super) fn request_timeout(py: Python<'_>, message: String) -> PyErr {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    match python_class(py, &CLASS, "RequestTimeoutException") {
        Some(class) => PyErr::from_type(class.clone(), message),
        None => crate::bindings::ConnectionException::new_err(message),
    }
}
