//! An awaitable that is already done: what `__anext__` returns for an item that is already
//! decoded, so `async for` pays no future, no task and no thread hop per item (issue 9).

use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::prelude::*;

/// `await` on it gives `value` at once. Private to the module (not registered): Python
/// code only ever sees it as the awaitable `__anext__` returned.
#[pyclass(module = "pydynox.pydynox_core", name = "_Ready")]
pub struct Ready {
    value: Option<Py<PyAny>>,
}

impl Ready {
    pub fn new(py: Python<'_>, value: Py<PyAny>) -> PyResult<Bound<'_, PyAny>> {
        Ok(Bound::new(py, Ready { value: Some(value) })?.into_any())
    }
}

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The first step ends the awaiting with the value (a coroutine's `return value`).
    /// Later steps raise, as a finished coroutine does: yielding `None` would make an
    /// asyncio task step it again at once, forever.
    fn __next__(&mut self) -> PyResult<Option<Py<PyAny>>> {
        match self.value.take() {
            Some(value) => Err(PyStopIteration::new_err((value,))),
            None => Err(PyRuntimeError::new_err("cannot reuse an already awaited item of an async pager")),
        }
    }

    fn send(&mut self, _value: Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        self.__next__()
    }

    #[pyo3(signature = (error, *_rest))]
    fn throw(&mut self, error: Bound<'_, PyAny>, _rest: Bound<'_, pyo3::types::PyTuple>) -> PyResult<()> {
        self.value = None;
        Err(PyErr::from_value(error))
    }

    fn close(&mut self) {
        self.value = None;
    }
}
