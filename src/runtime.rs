//! Where pydynox's futures run, and the two ways Python code waits on them.
//!
//! - Async twins hand Python a lazy awaitable (`crate::awaitable`); awaiting it spawns the
//!   request onto one shared multi-thread runtime (`spawn`).
//! - Sync methods release the GIL and `block_on` a current-thread runtime owned by the
//!   calling thread. The request, its connection and its I/O are all driven on that
//!   thread, so no wake-up crosses threads: measured as the largest cost a binding adds
//!   to a call. Each calling thread has its own runtime, so sync calls from many threads
//!   run in parallel. Connections belong to the runtime that opened them, so a client
//!   keeps one connection pool per calling thread plus one for async use
//!   (`ClientShared::sdk_here`).
//!
//! A runtime does not survive `fork()`: the child has none of the parent's threads, and
//! its I/O driver shares the parent's epoll instance. Every runtime is therefore keyed by
//! process id and rebuilt on first use in a child; the parent's is leaked there, since
//! dropping it would wait on threads that do not exist.

use std::cell::RefCell;
use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
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
    let pid = process_id();
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
/// Cached (glibc's `getpid` is a syscall, and every call asks several times), and
/// forgotten in a forked child by an `atfork` handler.
pub fn process_id() -> u32 {
    match PID.load(Ordering::Relaxed) {
        0 => remember_pid(),
        pid => pid,
    }
}

static PID: AtomicU32 = AtomicU32::new(0);

fn remember_pid() -> u32 {
    static FORGET_IN_CHILD: std::sync::Once = std::sync::Once::new();
    FORGET_IN_CHILD.call_once(|| {
        #[cfg(unix)]
        // SAFETY: registers a handler that only stores to an atomic.
        unsafe {
            libc::pthread_atfork(None, None, Some(forget_pid));
        }
    });
    let pid = std::process::id();
    PID.store(pid, Ordering::Relaxed);
    pid
}

#[cfg(unix)]
extern "C" fn forget_pid() {
    PID.store(0, Ordering::Relaxed);
}

thread_local! {
    /// The calling thread's own runtime for sync calls, with the process it was built in.
    static LOCAL: RefCell<Option<(u32, Runtime)>> = const { RefCell::new(None) };
}

fn build_local() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the OS refused the resources of a tokio runtime")
}

/// Runs a future to completion on the calling thread's own runtime. Call with the GIL
/// released, from a thread that is not already inside a runtime (sync methods go through
/// [`wait`], which checks that).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    LOCAL.with(|cell| {
        // Cannot fail: `wait` refuses to start while this thread is inside a runtime, the
        // only state in which the cell is already borrowed.
        let mut slot = cell.borrow_mut();
        let pid = process_id();
        if slot.as_ref().is_none_or(|(owner, _)| *owner != pid) {
            if let Some(stale) = slot.take() {
                std::mem::forget(stale);
            }
            *slot = Some((pid, build_local()));
        }
        let (_, rt) = slot.as_ref().expect("set just above");
        // Tasks alive on this runtime between calls are pooled connections' (the
        // connector's) and their pool's; none when this thread's calls used only blocking
        // sockets (`transport::direct::plain`), which need no turn of the runtime.
        let pooled = rt.metrics().num_alive_tasks() > 0;
        rt.block_on(async move {
            if pooled {
                // This runtime runs only inside a call, so a server's close of an idle pooled
                // connection has not been read yet. Two yields (a yielded task resumes after
                // the I/O driver has run): the driver reports the close, then the
                // connection's task marks it closed, before the pool would hand it out for
                // this request.
                tokio::task::yield_now().await;
                tokio::task::yield_now().await;
            }
            fut.await
        })
    })
}

/// How often a sync call on the main thread lets Python run its signal handlers while it
/// waits, so Ctrl-C (or any handler that raises) ends the wait within about this long.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// What a sync method does with its future: runs it on the calling thread's runtime with
/// the GIL released, and returns its output. On the main thread, signal handlers run every
/// [`SIGNAL_POLL`] meanwhile; if one raises (`KeyboardInterrupt`), the future is dropped,
/// which cancels the request, and the exception is returned.
///
/// A sync call made from a thread that is already inside a runtime (Python code run by
/// one of our tasks, e.g. a finaliser triggered while a twin converts its result, or a
/// signal handler run during another sync call) gets a `RuntimeError`: blocking there
/// would deadlock or panic.
pub fn wait<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(PyRuntimeError::new_err(
            "a sync pydynox method was called from code running inside pydynox's runtime (for example a \
             finaliser or signal handler that ran during another pydynox call); use the async_ twin there, \
             or make the call elsewhere",
        ));
    }
    // Boxed once here: an operation's future is kilobytes (the direct path's attempt loop,
    // hyper's connection checkout), and the closures and async blocks below would each copy
    // it by value on the way into the runtime (a memmove per move, every call).
    let fut = Box::pin(fut);
    if !on_main_thread(py) {
        return Ok(py.detach(|| block_on(fut)));
    }
    let _watch = WatchSignals::start();
    let out = py.detach(|| {
        block_on(async move {
            let outcome = async move {
                let mut fut = std::pin::pin!(fut);
                loop {
                    tokio::select! {
                        biased;
                        out = &mut fut => return Ok(out),
                        () = tokio::time::sleep(SIGNAL_POLL) => Python::attach(|py| py.check_signals())?,
                    }
                }
            }
            .await;
            if outcome.is_err() {
                // The request was dropped with `fut` above, which wakes its connection's task;
                // this runtime runs only inside a call, so let that task run now and close the
                // connection, rather than leave the server waiting until this thread's next call.
                for _ in 0..DROP_YIELDS {
                    tokio::task::yield_now().await;
                }
            }
            outcome
        })
    });
    // A blocking attempt that saw a handler raise ended early; the exception is the answer.
    match RAISED.take() {
        Some(raised) => Err(raised),
        None => out,
    }
}

thread_local! {
    /// Set while a sync call on the main thread waits: blocking waits check signals then.
    static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// What a signal handler raised during a blocking wait, for `wait` to return.
    static RAISED: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Marks this thread's sync call as watching signals until dropped.
struct WatchSignals;

impl WatchSignals {
    fn start() -> Self {
        WATCHING.set(true);
        RAISED.take();
        WatchSignals
    }
}

impl Drop for WatchSignals {
    fn drop(&mut self) {
        WATCHING.set(false);
    }
}

/// For code that blocks the calling thread (`transport::direct::plain`): runs Python's
/// signal handlers if this is a sync call on the main thread, and says whether one raised
/// (the call must then end; `wait` returns the exception). False elsewhere.
pub fn signal_raised() -> bool {
    if !WATCHING.get() {
        return false;
    }
    match Python::attach(|py| py.check_signals()) {
        Ok(()) => false,
        Err(raised) => {
            RAISED.set(Some(raised));
            true
        }
    }
}

/// Yields that let a dropped request's connection task see the drop and close its socket.
const DROP_YIELDS: usize = 4;

thread_local! {
    /// Whether this thread is Python's main thread (the only one that runs signal
    /// handlers), and the process that was found in: the thread that forks is the main
    /// thread of the child.
    static MAIN_THREAD: std::cell::Cell<Option<(u32, bool)>> = const { std::cell::Cell::new(None) };
}

fn on_main_thread(py: Python<'_>) -> bool {
    let pid = process_id();
    if let Some((owner, main)) = MAIN_THREAD.get() {
        if owner == pid {
            return main;
        }
    }
    let main = (|| -> PyResult<bool> {
        let threading = py.import("threading")?;
        let main_ident = threading.call_method0("main_thread")?.getattr("ident")?;
        let ident = threading.call_method0("get_ident")?;
        main_ident.eq(ident)
    })()
    .unwrap_or(false);
    MAIN_THREAD.set(Some((pid, main)));
    main
}

/// True inside a sync call's `block_on` (a current-thread runtime), false on the shared
/// runtime where async twins run.
pub fn on_calling_thread() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread)
}

/// Spawns a task of an async twin on the shared runtime, counted in flight until it ends
/// (however it ends: done, aborted or dropped) so that interpreter exit can wait for it.
pub(crate) fn spawn<F>(fut: F) -> tokio::task::AbortHandle
where
    F: Future<Output = ()> + Send + 'static,
{
    let guard = InFlight::start();
    runtime()
        .spawn(async move {
            fut.await;
            drop(guard);
        })
        .abort_handle()
}

/// Tasks spawned for async twins that have not finished yet, with the process they were counted in: the high 32
/// bits hold the process id, the low 32 the count. A forked child inherits the parent's
/// count but none of its tasks; a count of another process reads as zero there.
static IN_FLIGHT: AtomicU64 = AtomicU64::new(0);

fn in_flight() -> u64 {
    let pid = u64::from(process_id());
    let current = IN_FLIGHT.load(Ordering::SeqCst);
    if current >> 32 == pid {
        current & u64::from(u32::MAX)
    } else {
        0
    }
}

/// Counts one spawned task from start to end (drop), however it ends.
struct InFlight {
    pid: u64,
}

impl InFlight {
    fn start() -> Self {
        let pid = u64::from(process_id());
        let _ = IN_FLIGHT.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |current| {
            Some(if current >> 32 == pid { current + 1 } else { (pid << 32) | 1 })
        });
        InFlight { pid }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let pid = self.pid;
        let _ = IN_FLIGHT.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |current| {
            (current >> 32 == pid && current & u64::from(u32::MAX) > 0).then(|| current - 1)
        });
    }
}

/// Tasks of async twins still running in this process (for tests: a cancelled awaitable
/// must not leave its request running).
#[pyfunction(name = "_async_tasks_in_flight")]
pub fn tasks_in_flight() -> u64 {
    in_flight()
}

/// Longest the interpreter's exit waits for async tasks still finishing.
const EXIT_GRACE: Duration = Duration::from_secs(5);

/// Registered with `atexit`: lets tasks of async twins finish while the interpreter is
/// still whole. A task resolves its awaitable and then drops its Python references, which
/// takes the GIL; doing that from a runtime thread while the interpreter finalizes crashed
/// the process (seen as a segfault after `asyncio.run` returned).
#[pyfunction]
pub fn wait_for_async_tasks(py: Python<'_>) {
    py.detach(|| {
        let deadline = Instant::now() + EXIT_GRACE;
        while in_flight() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}
