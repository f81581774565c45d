//! An awaitable that is already done: what `__anext__` returns for an item that is already
//! decoded, so `async for` pays no future, no task and no thread hop per item (issue 9).
//!
//! Awaiting one does not give the event loop a turn, so a whole decoded page would be read
//! in one step of the awaiting task. The first item of each slice the pager decodes comes
//! from [`Ready::after_yield`] instead, which gives the loop one turn (a bare `yield`, as
//! `asyncio.sleep(0)` does) before its value: timers and other tasks then wait for at most
//! one slice (issue 14 item 7).

use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::prelude::*;

/// `await` on it gives `value` at once. Private to the module (not registered): Python
/// code only ever sees it as the awaitable `__anext__` returned.
#[pyclass(module = "pydynox.pydynox_core", name = "_Ready")]
pub struct Ready {
    value: Option<Py<PyAny>>,
    /// Yield to the loop once before the value.
    yield_first: bool,
}

impl Ready {
    pub fn new(py: Python<'_>, value: Py<PyAny>) -> PyResult<Bound<'_, PyAny>> {
        Ok(Bound::new(py, Ready { value: Some(value), yield_first: false })?.into_any())
    }

    /// Gives `value` once the event loop has had one turn.
    pub fn after_yield(py: Python<'_>, value: Py<PyAny>) -> PyResult<Bound<'_, PyAny>> {
        Ok(Bound::new(py, Ready { value: Some(value), yield_first: true })?.into_any())
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

    /// A step ends the awaiting with the value (a coroutine's `return value`), after one
    /// bare `yield` (`None`: the task steps again on the loop's next turn) if asked for.
    /// Steps after the value raise, as a finished coroutine does: yielding `None` again
    /// would make an asyncio task step it again at once, forever.
    fn __next__(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if std::mem::take(&mut self.yield_first) && self.value.is_some() {
            return Ok(py.None());
        }
        match self.value.take() {
            Some(value) => Err(PyStopIteration::new_err((value,))),
            None => Err(PyRuntimeError::new_err("cannot reuse an already awaited item of an async pager")),
        }
    }

    fn send(&mut self, py: Python<'_>, _value: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.__next__(py)
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
