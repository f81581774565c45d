//! What every async twin returns: a lazy awaitable that behaves like a coroutine (ADR 8).
//!
//! - Created anywhere (no running loop needed): the request is held, not sent.
//! - Its first step, inside the task that awaits it, spawns the request on our shared
//!   runtime and parks the task on an asyncio future of that task's loop.
//! - The spawned task stores the Rust output and wakes the loop through the loop's socket
//!   (`loop_wake`: no GIL on the worker); the output becomes Python objects on the loop's
//!   thread when the awaiting task resumes (no blocking-pool hop, no conversion on a worker).
//! - `throw` (task cancelled, `wait_for` timeout), `close` and dropping it abort the
//!   spawned request. Awaiting it a second time raises `RuntimeError`, as a coroutine does.
//! - Dropped without ever being awaited (nor closed), it warns as a coroutine does:
//!   `RuntimeWarning: coroutine '...' was never awaited`. It has sent nothing.
//!
//! It has `send`, `throw`, `close` and `__await__`, so `collections.abc.Coroutine` (hence
//! `asyncio.iscoroutine`, `asyncio.run`, `create_task`, `gather`) accepts it.

mod loop_wake;

use std::future::Future;
use std::pin::Pin;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};

use futures::FutureExt;
use pyo3::exceptions::{PyRuntimeError, PyRuntimeWarning, PyStopIteration};
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::{PyTraverseError, PyVisit};
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use pyo3::{intern, IntoPyObjectExt};
use tokio::task::AbortHandle;

use loop_wake::{Ticket, Wake};

/// The request behind an awaitable, with the way its output becomes a Python object.
trait Job: Send {
    /// Starts the request on the runtime; `wake` is fired once its output is stored.
    fn spawn(&mut self, wake: Wake) -> AbortHandle;
    /// The converted outcome once the request has finished, `None` before.
    fn outcome(&mut self, py: Python<'_>) -> Option<PyResult<Py<PyAny>>>;
}

struct Request<F, R, C> {
    /// Boxed once, where the awaitable is made: an operation's future is kilobytes, and
    /// moved by value into the spawned task it was copied several times and its task
    /// allocated afresh, on the loop's thread (measured: ~75% of starting an async call).
    future: Option<Pin<Box<F>>>,
    /// The request's output, or the panic that ended it (which must still wake the task:
    /// otherwise the awaiting task would wait forever).
    output: Arc<Mutex<Option<std::thread::Result<R>>>>,
    convert: Option<C>,
}

impl<F, R, C> Job for Request<F, R, C>
where
    F: Future<Output = R> + Send + 'static,
    R: Send + 'static,
    C: FnOnce(Python<'_>, R) -> PyResult<Py<PyAny>> + Send + 'static,
{
    fn spawn(&mut self, wake: Wake) -> AbortHandle {
        let future = self.future.take().expect("an awaitable spawns its request once");
        let output = self.output.clone();
        crate::runtime::spawn(async move {
            let out = AssertUnwindSafe(future).catch_unwind().await;
            *output.lock().unwrap_or_else(PoisonError::into_inner) = Some(out);
            wake.fire();
        })
    }

    fn outcome(&mut self, py: Python<'_>) -> Option<PyResult<Py<PyAny>>> {
        let out = self.output.lock().unwrap_or_else(PoisonError::into_inner).take()?;
        let convert = self.convert.take()?;
        Some(match out {
            Ok(out) => convert(py, out),
            Err(payload) => Err(panicked(payload)),
        })
    }
}

fn panicked(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a pydynox request task panicked".to_owned());
    PanicException::new_err(message)
}

fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("asyncio")?.getattr("get_running_loop")?.unbind()))?
        .bind(py)
        .call0()
}

enum State {
    /// Not awaited yet: nothing sent.
    Created(Box<dyn Job>),
    /// The request runs; the awaiting task waits on `future`, which `ticket` (if any) has
    /// registered with the loop's waker.
    Running {
        job: Box<dyn Job>,
        task: AbortHandle,
        future: Py<PyAny>,
        /// Held for its `Drop`, which forgets `future` in the loop's waker.
        #[allow(dead_code)]
        ticket: Option<Ticket>,
    },
    /// Returned, raised, was cancelled or closed.
    Finished,
}

/// The awaitable. Private to the module (not registered): Python code sees it only as
/// what an `async_` method returned.
#[pyclass(module = "pydynox.pydynox_core", name = "_Awaitable", frozen)]
pub struct Lazy {
    qualname: &'static str,
    state: Mutex<State>,
}

impl Lazy {
    /// An awaitable that, once awaited, runs `future` on the runtime and returns
    /// `convert(py, output)` on the awaiting loop's thread. `qualname` names it like a
    /// coroutine (`"DynamoDBClient.async_get_item"`).
    pub fn new<'py, F, R, C>(py: Python<'py>, qualname: &'static str, future: F, convert: C) -> PyResult<Bound<'py, PyAny>>
    where
        F: Future<Output = R> + Send + 'static,
        R: Send + 'static,
        C: FnOnce(Python<'_>, R) -> PyResult<Py<PyAny>> + Send + 'static,
    {
        let job = Request { future: Some(Box::pin(future)), output: Arc::new(Mutex::new(None)), convert: Some(convert) };
        let lazy = Lazy { qualname, state: Mutex::new(State::Created(Box::new(job))) };
        Ok(Bound::new(py, lazy)?.into_any())
    }

    fn state(&self) -> PyResult<std::sync::MutexGuard<'_, State>> {
        match self.state.try_lock() {
            Ok(guard) => Ok(guard),
            Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
            // Only reachable re-entrantly (Python code run while this awaitable steps).
            Err(TryLockError::WouldBlock) => Err(PyRuntimeError::new_err(format!("{} is already running", self.qualname))),
        }
    }

    /// One step of the awaiting task: start, or finish once woken.
    fn step(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut state = self.state()?;
        match &mut *state {
            State::Created(_) => {
                let event_loop = running_loop(py)?;
                let future = event_loop.call_method0(intern!(py, "create_future"))?;
                let (wake, ticket) = loop_wake::register(&event_loop, &future)?;
                let State::Created(mut job) = std::mem::replace(&mut *state, State::Finished) else {
                    unreachable!("matched just above")
                };
                let task = job.spawn(wake);
                *state = State::Running { job, task, future: future.clone().unbind(), ticket };
                park_on(future)
            }
            State::Running { job, future, .. } => match job.outcome(py) {
                Some(outcome) => {
                    let finished = std::mem::replace(&mut *state, State::Finished);
                    drop(state);
                    drop(finished);
                    Err(PyStopIteration::new_err((outcome?,)))
                }
                // Stepped before the request finished (only by hand): keep waiting.
                None => park_on(future.bind(py).clone()),
            },
            State::Finished => Err(reused(self.qualname)),
        }
    }
}

/// Hands the asyncio future to the task, flagged the way `Future.__await__` flags it.
fn park_on(future: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    future.setattr(intern!(future.py(), "_asyncio_future_blocking"), true)?;
    Ok(future.unbind())
}

fn reused(qualname: &str) -> PyErr {
    PyRuntimeError::new_err(format!("cannot reuse already awaited {qualname} (each call to an async_ method can be awaited once)"))
}

/// Ends an awaitable: aborts its request if it runs. Returns what it held, for the caller
/// to drop once the state's lock is released (dropping Python references can run code).
fn finish(state: &mut State) -> State {
    let held = std::mem::replace(state, State::Finished);
    if let State::Running { task, .. } = &held {
        task.abort();
    }
    held
}

impl Drop for Lazy {
    /// Dropped while its request runs (the awaiting task was destroyed): nobody will read
    /// the result, so stop the request. Dropped before it ever ran: say so, as a coroutine does.
    fn drop(&mut self) {
        match &*self.state.get_mut().unwrap_or_else(PoisonError::into_inner) {
            State::Running { task, .. } => task.abort(),
            State::Created(_) => never_awaited(self.qualname),
            State::Finished => {}
        }
    }
}

/// The `RuntimeWarning` a coroutine gives when it is destroyed unawaited (same words, so
/// the warning filters people already have for coroutines apply).
fn never_awaited(qualname: &str) {
    Python::attach(|py| {
        // Dropped while an exception propagates: the warning must not replace it.
        let pending = PyErr::take(py);
        let message = std::ffi::CString::new(format!("coroutine '{qualname}' was never awaited")).unwrap_or_default();
        if let Err(error) = PyErr::warn(py, py.get_type::<PyRuntimeWarning>().as_any(), &message, 1) {
            error.write_unraisable(py, None);
        }
        if let Some(pending) = pending {
            pending.restore(py);
        }
    });
}

#[pymethods]
impl Lazy {
    fn __await__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        match &*slf.get().state()? {
            State::Created(_) => {}
            State::Running { .. } => {
                return Err(PyRuntimeError::new_err(format!("{} is being awaited already", slf.get().qualname)))
            }
            State::Finished => return Err(reused(slf.get().qualname)),
        }
        Ok(slf)
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.step(py)
    }

    fn send(&self, py: Python<'_>, _value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.step(py)
    }

    /// Cancellation arrives here (`CancelledError` thrown in by the task): the request is
    /// aborted and the exception raised, as a coroutine would.
    #[pyo3(signature = (error, value = None, _traceback = None))]
    fn throw(&self, error: Bound<'_, PyAny>, value: Option<Bound<'_, PyAny>>, _traceback: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        self.close()?;
        let error = match value {
            Some(value) if !value.is_none() && error.is_instance_of::<pyo3::types::PyType>() => {
                let args = if value.is_instance_of::<PyTuple>() { value.cast_into::<PyTuple>()? } else { PyTuple::new(error.py(), [value])? };
                error.call1(args)?
            }
            _ => error,
        };
        Err(PyErr::from_value(error))
    }

    fn close(&self) -> PyResult<()> {
        let held = finish(&mut *self.state()?);
        drop(held);
        Ok(())
    }

    /// The awaiting task, its asyncio future and this awaitable refer to each other while
    /// the request runs; the collector must see that edge if a loop is abandoned mid-await.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Ok(state) = self.state.try_lock() {
            if let State::Running { future, .. } = &*state {
                visit.call(future)?;
            }
        }
        Ok(())
    }

    /// Only a running awaitable has references to clear; one never awaited keeps its state,
    /// so that dropping it still warns.
    fn __clear__(&self) {
        let held = match self.state.try_lock() {
            Ok(mut state) if matches!(*state, State::Running { .. }) => Some(finish(&mut state)),
            _ => None,
        };
        drop(held);
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.qualname
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.qualname.rsplit('.').next().unwrap_or(self.qualname)
    }

    fn __repr__(slf: Bound<'_, Self>) -> String {
        format!("<pydynox awaitable {} at {:#x}>", slf.get().qualname, slf.as_ptr() as usize)
    }
}

/// Any `PyResult<T>` future as a lazy awaitable (the pagers' page fetches use it).
pub fn from_future<'py, F, T>(py: Python<'py>, qualname: &'static str, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    Lazy::new(py, qualname, future, |py, out: PyResult<T>| out.and_then(|value| value.into_py_any(py)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_python<R>(f: impl FnOnce(Python<'_>) -> R) -> R {
        Python::initialize();
        Python::attach(f)
    }

    #[test]
    fn the_output_is_converted_and_returned() {
        with_python(|py| {
            let awaitable = Lazy::new(py, "T.async_op", async { 41 }, |py, n: i32| (n + 1).into_py_any(py)).unwrap();
            let out = py.import("asyncio").unwrap().call_method1("run", (awaitable,)).unwrap();
            assert_eq!(out.extract::<i32>().unwrap(), 42);
        });
    }

    /// The awaiting side gets a `PanicException` (which PyO3 turns back into this panic when
    /// it reaches Rust code) rather than waiting forever for a wake-up that never comes.
    #[test]
    #[should_panic(expected = "boom in the request")]
    fn a_panicking_request_raises_instead_of_hanging() {
        with_python(|py| {
            let request = async {
                if std::hint::black_box(true) {
                    panic!("boom in the request");
                }
            };
            let awaitable = Lazy::new(py, "T.async_op", request, |py, ()| Ok(py.None())).unwrap();
            let _ = py.import("asyncio").unwrap().call_method1("run", (awaitable,));
        });
    }
}
