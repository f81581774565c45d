//! Walking a dict's entries without trusting that it stays put.
//!
//! Converting a value can run Python code (a `Decimal` subclass's `__str__`, a memoryview's
//! exporter), and that code can add or remove entries of a dict being walked. PyO3's dict
//! iterator panics then; this one reports it as a `RuntimeError` naming the path, the way
//! Python's own `dict` iteration does.

use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::path::Path;

/// The dict changed size while it was being walked.
pub(crate) struct DictChanged;

impl DictChanged {
    #[cold]
    pub(crate) fn at(self, path: &Path<'_>) -> PyErr {
        PyRuntimeError::new_err(format!("{path}: dictionary changed size while it was being converted"))
    }
}

pub(crate) struct Entries<'a, 'py> {
    dict: &'a Bound<'py, PyDict>,
    pos: ffi::Py_ssize_t,
    len: ffi::Py_ssize_t,
    done: bool,
}

/// The entries of `dict` (its storage: a subclass's `__iter__` or `items` is not called).
pub(crate) fn entries<'a, 'py>(dict: &'a Bound<'py, PyDict>) -> Entries<'a, 'py> {
    // SAFETY: `dict` is a live dict object.
    let len = unsafe { ffi::PyDict_Size(dict.as_ptr()) };
    Entries { dict, pos: 0, len, done: false }
}

impl<'py> Iterator for Entries<'_, 'py> {
    type Item = Result<(Bound<'py, PyAny>, Bound<'py, PyAny>), DictChanged>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // SAFETY: `dict` is a live dict object.
        if unsafe { ffi::PyDict_Size(self.dict.as_ptr()) } != self.len {
            self.done = true;
            return Some(Err(DictChanged));
        }
        let mut key: *mut ffi::PyObject = std::ptr::null_mut();
        let mut value: *mut ffi::PyObject = std::ptr::null_mut();
        // SAFETY: PyDict_Next bounds-checks `pos` against the dict's current storage, so it
        // stays memory-safe even if the dict changed; on success both pointers are borrowed
        // references, which `from_borrowed_ptr` turns into owned ones before any other
        // Python code can run and drop them.
        if unsafe { ffi::PyDict_Next(self.dict.as_ptr(), &mut self.pos, &mut key, &mut value) } == 0 {
            self.done = true;
            return None;
        }
        let py = self.dict.py();
        // SAFETY: non-null borrowed references, see above.
        unsafe { Some(Ok((Bound::from_borrowed_ptr(py, key), Bound::from_borrowed_ptr(py, value)))) }
    }
}
