//! How a request that finished on a runtime worker wakes the asyncio loop awaiting it.
//!
//! Each loop gets one [`LoopWaker`] the first time one of our awaitables runs in it: a
//! socket pair whose read end is registered once with `loop.add_reader`. A worker that
//! finishes a request appends the request's id to the waker's queue and, if the queue was
//! empty, writes one byte: no GIL, no Python object touched on the worker. The reader
//! callback (on the loop's thread) resolves the asyncio futures of those ids, so completions
//! that land together cost one loop wake-up.
//!
//! Each call resolves at most [`SLICE`] futures and, if more are queued, signals again: every
//! resolved future makes its task step (and convert its result) in the loop's next
//! iteration, so a burst of 64 completions would otherwise run 64 steps back to back before
//! the loop looks at its timers and other sockets again (issue 14: a 1 ms ticker was up to
//! 10 ms late). A slice per iteration keeps each stretch short and costs one byte written and
//! read per slice.
//!
//! A loop without `add_reader` (Windows' proactor loop; any platform without Unix sockets)
//! falls back to `loop.call_soon_threadsafe(release, future)` from the worker, which has to
//! take the GIL. ADR 8 has the measurements behind the choice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyWeakrefMethods, PyWeakrefReference};
use pyo3::{intern, PyTraverseError, PyVisit};

/// Most futures one reader callback resolves. Each wakes a task whose step converts a result
/// and starts the caller's next request (30 µs median, 120-250 µs at p99 on the loaded
/// benchmark machine), so 8 keeps an iteration of the loop near a quarter of a millisecond;
/// each slice costs one byte written and read, about a microsecond per result.
pub(crate) const SLICE: usize = 8;

/// How the worker that ran a request wakes the task awaiting it. Fired exactly once, by
/// the worker, after the request's output is stored.
pub(crate) enum Wake {
    /// Through the loop's socket: no GIL.
    Pipe { pipe: Arc<Pipe>, id: u64 },
    /// `loop.call_soon_threadsafe(release, future)`, with the GIL.
    Call { event_loop: Py<PyAny>, future: Py<PyAny> },
}

impl Wake {
    pub(crate) fn fire(self) {
        match self {
            Wake::Pipe { pipe, id } => pipe.push(id),
            Wake::Call { event_loop, future } => Python::attach(|py| {
                let event_loop = event_loop.bind(py);
                let scheduled = release_fn(py).and_then(|release| {
                    event_loop.call_method1(intern!(py, "call_soon_threadsafe"), (release, future.bind(py)))
                });
                if let Err(error) = scheduled {
                    // A closed loop has nobody left to wake; anything else is worth a report.
                    let closed = event_loop.call_method0(intern!(py, "is_closed")).and_then(|c| c.is_truthy());
                    if !matches!(closed, Ok(true)) {
                        error.write_unraisable(py, Some(event_loop));
                    }
                }
                // The references go while the GIL is still held.
                drop(future);
            }),
        }
    }
}

/// Kept by an awaitable while it waits through a [`LoopWaker`]: dropping it (the request
/// was cancelled, or it finished) forgets the asyncio future, so the waker holds nothing
/// for a request that will never be read.
pub(crate) struct Ticket {
    waker: Py<LoopWaker>,
    id: u64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let forgotten = self.waker.get().waiting().remove(&self.id);
        // Dropped after the lock is released: a decref can run arbitrary Python code.
        drop(forgotten);
    }
}

/// Registers `future` (created on `event_loop`, the running loop) to be resolved when the
/// request finishes: the wake for the worker, and the ticket for the awaitable.
pub(crate) fn register(event_loop: &Bound<'_, PyAny>, future: &Bound<'_, PyAny>) -> PyResult<(Wake, Option<Ticket>)> {
    let waker = waker_for(event_loop)?;
    let this = waker.get();
    let Some(pipe) = &this.pipe else {
        return Ok((Wake::Call { event_loop: event_loop.clone().unbind(), future: future.clone().unbind() }, None));
    };
    let id = this.next_id.fetch_add(1, Ordering::Relaxed);
    this.waiting().insert(id, future.clone().unbind());
    Ok((Wake::Pipe { pipe: pipe.clone(), id }, Some(Ticket { waker: waker.unbind(), id })))
}

thread_local! {
    /// The wakers of the loops that ran on this thread, held weakly: a loop keeps its waker
    /// alive (as its reader callback) for as long as it is open.
    static WAKERS: std::cell::RefCell<Vec<Py<PyWeakrefReference>>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn waker_for<'py>(event_loop: &Bound<'py, PyAny>) -> PyResult<Bound<'py, LoopWaker>> {
    let py = event_loop.py();
    let pid = crate::runtime::process_id();
    let (current, inherited) = WAKERS.with(|wakers| {
        let (mut current, mut inherited) = (None, false);
        wakers.borrow_mut().retain(|weak| {
            let Some(waker) = weak.bind(py).upgrade() else { return false };
            if let Ok(waker) = waker.cast_into::<LoopWaker>() {
                if waker.get().serves(event_loop) {
                    if waker.get().pid == pid {
                        current = Some(waker);
                    } else {
                        inherited = true;
                    }
                }
            }
            true
        });
        (current, inherited)
    });
    if let Some(waker) = current {
        return Ok(waker);
    }
    // A forked child still running a loop of its parent shares that loop's selector with
    // the parent: a socket registered there would reach the parent too, so it falls back.
    let waker = attach_reader(event_loop, Bound::new(py, LoopWaker::new(event_loop, !inherited))?)?;
    WAKERS.with(|wakers| -> PyResult<()> {
        wakers.borrow_mut().push(PyWeakrefReference::new(waker.as_any())?.unbind());
        Ok(())
    })?;
    Ok(waker)
}

/// One per event loop (and thread): the socket pair the loop listens on, and the asyncio
/// futures waiting for requests that have not finished yet. Called by the loop (as its
/// reader callback) when a worker has written to the socket.
#[pyclass(module = "pydynox.pydynox_core", name = "_LoopWaker", frozen, weakref)]
pub struct LoopWaker {
    /// The loop it serves. Strong: the loop holds this waker as its reader callback, and
    /// the collector sees both edges (`__traverse__`) if an open loop is dropped.
    event_loop: Mutex<Option<Py<PyAny>>>,
    /// `None`: this loop has no `add_reader`; wakes go through `call_soon_threadsafe`.
    pipe: Option<Arc<Pipe>>,
    waiting: Mutex<HashMap<u64, Py<PyAny>>>,
    next_id: AtomicU64,
    pid: u32,
}

impl LoopWaker {
    /// A waker for `event_loop`, with a socket unless `with_pipe` is false or the platform
    /// has none. Not yet registered with the loop: see [`attach_reader`].
    fn new(event_loop: &Bound<'_, PyAny>, with_pipe: bool) -> Self {
        LoopWaker {
            event_loop: Mutex::new(Some(event_loop.clone().unbind())),
            pipe: if with_pipe { Pipe::new().ok().map(Arc::new) } else { None },
            waiting: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            pid: crate::runtime::process_id(),
        }
    }

    fn serves(&self, event_loop: &Bound<'_, PyAny>) -> bool {
        self.event_loop
            .try_lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|l| l.as_ptr() == event_loop.as_ptr()))
            .unwrap_or(false)
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Py<PyAny>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl LoopWaker {
    /// The reader callback: resolves the futures of the first [`SLICE`] requests finished
    /// since the last call; the rest wait for the loop's next iteration.
    fn __call__(&self, py: Python<'_>) {
        let Some(pipe) = &self.pipe else { return };
        // The signal first, the queue second: a worker that pushes in between writes
        // again (it found the queue empty), so no finished request is left unseen.
        pipe.clear_signal();
        let ids = pipe.take(SLICE);
        let futures: Vec<Py<PyAny>> = {
            let mut waiting = self.waiting();
            ids.iter().filter_map(|id| waiting.remove(id)).collect()
        };
        for future in futures {
            if let Err(error) = release(future.bind(py)) {
                error.write_unraisable(py, Some(future.bind(py)));
            }
        }
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Ok(event_loop) = self.event_loop.try_lock() {
            if let Some(event_loop) = &*event_loop {
                visit.call(event_loop)?;
            }
        }
        if let Ok(waiting) = self.waiting.try_lock() {
            for future in waiting.values() {
                visit.call(future)?;
            }
        }
        Ok(())
    }

    fn __clear__(&self) {
        let event_loop = self.event_loop.try_lock().ok().and_then(|mut slot| slot.take());
        let waiting = self.waiting.try_lock().ok().map(|mut waiting| std::mem::take(&mut *waiting));
        drop((event_loop, waiting));
    }
}

/// Registers `waker` as the reader of its socket on `event_loop`. A loop that refuses
/// (no `add_reader`) gets a waker without a socket instead.
fn attach_reader<'py>(event_loop: &Bound<'py, PyAny>, waker: Bound<'py, LoopWaker>) -> PyResult<Bound<'py, LoopWaker>> {
    let py = event_loop.py();
    let Some(pipe) = &waker.get().pipe else { return Ok(waker) };
    match event_loop.call_method1(intern!(py, "add_reader"), (pipe.reader_fd(), &waker)) {
        Ok(_) => Ok(waker),
        Err(_) => Bound::new(py, LoopWaker::new(event_loop, false)),
    }
}

/// Resolves the asyncio future the awaiting task waits on, unless it was cancelled meanwhile.
#[pyfunction]
fn release(future: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = future.py();
    if !future.call_method0(intern!(py, "done"))?.is_truthy()? {
        future.call_method1(intern!(py, "set_result"), (py.None(),))?;
    }
    Ok(())
}

fn release_fn(py: Python<'_>) -> PyResult<&Bound<'_, PyCFunction>> {
    static RELEASE: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();
    RELEASE
        .get_or_try_init(py, || wrap_pyfunction!(release, py).map(Bound::unbind))
        .map(|f| f.bind(py))
}

/// The finished-request queue of one loop and the socket that signals it.
pub(crate) struct Pipe {
    done: Mutex<Vec<u64>>,
    signal: imp::Signal,
}

impl Pipe {
    fn new() -> std::io::Result<Self> {
        Ok(Pipe { done: Mutex::new(Vec::new()), signal: imp::Signal::new()? })
    }

    fn reader_fd(&self) -> i64 {
        self.signal.reader_fd()
    }

    /// On a worker: queue `id`, and signal the loop unless a signal is already pending.
    fn push(&self, id: u64) {
        let was_empty = {
            let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            done.push(id);
            done.len() == 1
        };
        if was_empty {
            self.signal.raise();
        }
    }

    /// On the loop: the first `at_most` ids queued, oldest first. If more are left, the
    /// signal is raised again for them (workers only raise it on an empty queue).
    fn take(&self, at_most: usize) -> Vec<u64> {
        let (taken, left) = {
            let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            if done.len() <= at_most {
                (std::mem::take(&mut *done), false)
            } else {
                (done.drain(..at_most).collect(), true)
            }
        };
        if left {
            self.signal.raise();
        }
        taken
    }

    fn clear_signal(&self) {
        self.signal.clear();
    }
}

#[cfg(unix)]
mod imp {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    /// Both ends are kept for as long as a worker may write, so a write never meets a
    /// closed peer (no `EPIPE`, no `SIGPIPE`).
    pub(super) struct Signal {
        reader: UnixStream,
        writer: UnixStream,
    }

    impl Signal {
        pub(super) fn new() -> std::io::Result<Self> {
            let (reader, writer) = UnixStream::pair()?;
            reader.set_nonblocking(true)?;
            writer.set_nonblocking(true)?;
            Ok(Signal { reader, writer })
        }

        pub(super) fn reader_fd(&self) -> i64 {
            i64::from(self.reader.as_raw_fd())
        }

        /// A full socket buffer (`WouldBlock`) means a signal is pending anyway.
        pub(super) fn raise(&self) {
            let _ = (&self.writer).write(&[1]);
        }

        pub(super) fn clear(&self) {
            let mut buf = [0u8; 64];
            while let Ok(n) = (&self.reader).read(&mut buf) {
                if n < buf.len() {
                    break;
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    /// No Unix sockets here: every loop uses `call_soon_threadsafe`.
    pub(super) struct Signal;

    impl Signal {
        pub(super) fn new() -> std::io::Result<Self> {
            Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no socket pair on this platform"))
        }

        pub(super) fn reader_fd(&self) -> i64 {
            -1
        }

        pub(super) fn raise(&self) {}

        pub(super) fn clear(&self) {}
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::Read;
    use std::os::fd::FromRawFd;

    use super::*;

    /// Whether the loop would see the socket readable (reads the pending bytes).
    fn signalled(pipe: &Pipe) -> bool {
        // Borrowed, not owned: `ManuallyDrop` keeps the fd open for the pipe.
        let reader = std::mem::ManuallyDrop::new(unsafe { std::os::unix::net::UnixStream::from_raw_fd(pipe.reader_fd() as i32) });
        let mut buf = [0u8; 64];
        matches!((&*reader).read(&mut buf), Ok(n) if n > 0)
    }

    #[test]
    fn a_burst_is_handed_over_a_slice_at_a_time_oldest_first() {
        let pipe = Pipe::new().unwrap();
        for id in 0..20 {
            pipe.push(id);
        }
        assert!(signalled(&pipe), "the first push signals");
        assert_eq!(pipe.take(SLICE), (0..8).collect::<Vec<_>>());
        assert!(signalled(&pipe), "ids left over: the loop must come back for them");
        assert_eq!(pipe.take(SLICE), (8..16).collect::<Vec<_>>());
        assert!(signalled(&pipe));
        assert_eq!(pipe.take(SLICE), (16..20).collect::<Vec<_>>());
        assert!(!signalled(&pipe), "nothing left: no signal");
        pipe.push(20);
        assert!(signalled(&pipe), "a push on the emptied queue signals again");
    }
}
