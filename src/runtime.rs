//! The one tokio runtime of the process, and the two ways Python code waits on it.
//!
//! Sync methods release the GIL and `block_on` the runtime from the calling thread: the
//! request future itself runs on that thread, so no task is handed to a worker and back.
//! Async methods spawn onto the runtime and hand Python an awaitable.
//!
//! A runtime does not survive `fork()`: the child has none of the parent's worker
//! threads. The runtime is therefore keyed by process id and rebuilt on first use in a
//! child; the parent's is leaked there, since dropping it would wait on threads that do
//! not exist.

use std::future::Future;
use std::pin::Pin;
use std::sync::{OnceLock, RwLock};

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{self, ContextExt};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::Runtime;

static RUNTIME: RwLock<Option<(u32, &'static Runtime)>> = RwLock::new(None);

fn build() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("pydynox-io")
        .build()
        .expect("the OS refused the threads of pydynox's tokio runtime")
}

/// The runtime of the current process, created on first use.
pub fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    if let Some((owner, rt)) = *RUNTIME.read().unwrap_or_else(|e| e.into_inner()) {
        if owner == pid {
            return rt;
        }
    }
    let mut slot = RUNTIME.write().unwrap_or_else(|e| e.into_inner());
    match *slot {
        Some((owner, rt)) if owner == pid => rt,
        _ => {
            let rt: &'static Runtime = Box::leak(Box::new(build()));
            *slot = Some((pid, rt));
            rt
        }
    }
}

/// Id of the current process; clients compare it to rebuild connection pools after fork.
pub fn process_id() -> u32 {
    std::process::id()
}

/// Runs a future to completion on the calling thread. Call with the GIL released.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    runtime().block_on(fut)
}

/// Wraps a Rust future into a Python awaitable that runs on our runtime.
pub fn future_into_py<F, T>(py: Python<'_>, fut: F) -> PyResult<Bound<'_, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    generic::future_into_py::<PydynoxRuntime, F, T>(py, fut)
}

/// Adapter that lets pyo3-async-runtimes spawn onto our fork-aware runtime instead of
/// its own global one (which could not be rebuilt in a forked child).
struct PydynoxRuntime;

tokio::task_local! {
    static TASK_LOCALS: OnceLock<TaskLocals>;
}

impl generic::Runtime for PydynoxRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime().spawn_blocking(f)
    }
}

impl ContextExt for PydynoxRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceLock::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|cell| cell.get().cloned()).unwrap_or_default()
    }
}
