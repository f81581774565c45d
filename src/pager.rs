//! The core behind QueryResult / ScanResult and their async twins: fetches pages on
//! demand and hands out items one by one. Both generated classes wrap the same core, so
//! sync and async iteration cannot behave differently.
//!
//! A page arrives as its response body, is indexed where it arrived (no GIL: where each
//! item lies, the page's key and counts) and is decoded straight into Python objects
//! (ADR 6) a slice of at most [`SLICE`] items and [`SLICE_BYTES`] at a time, as the caller
//! reaches them (issue 14 item 7, ADR 14: a whole 1 MB page in one GIL hold kept an event
//! loop busy for milliseconds). Always on the caller's thread, the first slice of a page too:
//! the runtime's workers fetch and index pages but never take the GIL. Items already decoded
//! are handed out with no trip through the runtime: `next` returns them, or says a page must
//! be fetched first (`fetch_page`, the only async part).
//!
//! Prefetch (issue 9 item 4, ADR 7): as soon as a page is decoded and its key is known,
//! the request for the next one is spawned on the shared runtime, so it travels while the
//! caller works through the page. At most one page is ahead, it never asks for more than
//! `limit` still needs, it is aborted when the pager is dropped, and its outcome (page or
//! error) is only looked at when the caller runs out of decoded items, exactly where an
//! on-demand fetch would have happened.
//!
//! Resume keys (issue 15 item 5, ADR 24): `last_evaluated_key` is the page's key once its
//! items are all handed out, and the key of the last item handed out while some are not.
//! The pager keeps the page being handed out (its body, shared, not copied) so that key can
//! be read when asked for, never per item. Its attributes are those of the read's
//! LastEvaluatedKeys; a read whose only page had none learns them from DescribeTable
//! (`ops::key_schema`, once per client and table).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt;
use tokio::task::JoinHandle;

use crate::bindings::OperationMetrics;
use crate::errors::{Error, ErrorKind};
use crate::ops::page::{self, accumulate, PageRequest};
use crate::ops::send::{Call, Raw};
use crate::wire::read::{Page, PageItems};
use crate::wire::{item_to_py, Item};

/// Most items decoded per step of the iterator, and most bytes of the page they may span
/// (a single larger item still goes alone). Building an item costs about in proportion to
/// its size, so the bytes bound a step's time for large items (16 KB: 15 of the benchmark's
/// 1 KB items, ~0.1 ms) and the count bounds it for tiny ones. Starting a slice costs
/// `async for` one loop turn: `async for` over a 1,000-item page used the same loop CPU per
/// item with 16 KB slices as with 32 KB ones, and 8 KB ones cost 6% more (ADR 14).
pub const SLICE: usize = 64;
pub const SLICE_BYTES: usize = 16 * 1024;

/// A page fetched and not taken up yet: the response with what its metrics need, and its
/// index (or why it cannot be read), built off the GIL where the response arrived.
struct Fetched {
    raw: Raw,
    page: Result<Page, String>,
}

/// The next page's request, running on the shared runtime ahead of the caller, with the
/// process it runs in: in a forked child that runtime has no threads, so the request will
/// never finish there and the child fetches the page itself.
struct Ahead {
    pid: u32,
    task: JoinHandle<Result<Raw, Error>>,
}

impl Ahead {
    /// Cancels the request; in a forked child, only forgets it (the parent's runtime is
    /// not to be touched there, see runtime.rs).
    fn cancel(self) {
        if self.pid == crate::runtime::process_id() {
            self.task.abort();
        } else {
            std::mem::forget(self.task);
        }
    }
}

/// Whether pages are fetched ahead. Always on; `PYDYNOX_PREFETCH=0` turns it off for the
/// benchmark that compares with on-demand fetching (ADR 7). Read once per process.
fn prefetch_enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("PYDYNOX_PREFETCH").map_or(true, |v| v != "0"))
}

/// The page whose items are being handed out, kept for the resume key of a page not
/// handed out whole.
struct Handing {
    items: PageItems,
    /// Items handed out before this page's first.
    first: usize,
    /// The key this page was asked for from (None for a read's first page not resumed).
    start: Option<Item>,
}

struct State {
    /// The next page's request, spawned when the current page was decoded; `fetch_page`
    /// takes it over when the caller needs that page.
    ahead: Option<Ahead>,
    /// Items decoded and not handed out yet.
    buffer: VecDeque<Py<PyAny>>,
    /// A page fetched and not taken up yet (its key and metrics not applied).
    undecoded: Option<Fetched>,
    /// The page taken up, with items still to decode.
    current: Option<Page>,
    /// A slice of `current` is being decoded (taken out of the state meanwhile).
    decoding: bool,
    /// Where the next page starts; None before the first page when not resuming.
    next_start: Option<Item>,
    fetched_any: bool,
    exhausted: bool,
    yielded: usize,
    /// The last page taken up.
    handing: Option<Handing>,
    /// The attributes of a resume key, from the first page that had a LastEvaluatedKey.
    key_names: Option<Vec<String>>,
}

/// Where the last item handed out lies, when its page is not handed out whole.
struct MidPage {
    items: PageItems,
    /// Items of the page handed out (0: none yet, resume from `start`).
    handed_out: usize,
    start: Option<Item>,
    key_names: Option<Vec<String>>,
}

/// What the properties show; kept apart from `State` so reading a property never waits
/// for a page being fetched.
#[derive(Default)]
struct Snapshot {
    last_evaluated_key: Option<Item>,
    metrics: Option<OperationMetrics>,
    /// Pages decoded so far, and their metrics summed: what the Model layer records once
    /// per page (it compares `page_count` with what it has counted).
    pages: i64,
    totals: Option<OperationMetrics>,
}

/// What the iterator does next.
pub enum Step {
    Item(Py<PyAny>),
    /// The first item of a slice just decoded: an async caller lets the event loop run
    /// before handing it out, so one loop callback never decodes and consumes more than
    /// a slice (a sync caller treats it as `Item`).
    SliceStart(Py<PyAny>),
    Done,
    /// Nothing decoded is left: `fetch_page` first, then ask again.
    Fetch,
}

pub struct Pager {
    /// The call its requests belong to (`query on table 't'`), shared with the prefetch task.
    call: Arc<Call>,
    /// Shared with the prefetch task, which must not hold the pager itself (dropping the
    /// iterator has to drop the pager, whose `Drop` aborts that task).
    request: Arc<PageRequest>,
    limit: Option<usize>,
    page_size: Option<i32>,
    /// Never held across an await or while Python code may run.
    state: Mutex<State>,
    /// One fetch at a time (two tasks iterating the same pager must not fetch one page
    /// twice). Holds the prefetch being awaited: if the awaiting future is dropped (a
    /// cancelled task, Ctrl-C), the request stays here for the next call to finish waiting on.
    fetching: tokio::sync::Mutex<Option<Ahead>>,
    snapshot: Mutex<Snapshot>,
}

impl Pager {
    pub fn new(call: Call, request: PageRequest, limit: Option<usize>, page_size: Option<i32>, start: Option<Item>) -> Self {
        Pager {
            call: Arc::new(call),
            request: Arc::new(request),
            limit,
            page_size,
            state: Mutex::new(State {
                ahead: None,
                buffer: VecDeque::new(),
                undecoded: None,
                current: None,
                decoding: false,
                next_start: start,
                fetched_any: false,
                exhausted: false,
                yielded: 0,
                handing: None,
                key_names: None,
            }),
            fetching: tokio::sync::Mutex::new(None),
            snapshot: Mutex::new(Snapshot::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many items the next request may ask for. With `limit`, never more than the
    /// items still wanted, so when iteration stops at `limit` the page's
    /// LastEvaluatedKey is exactly the last item yielded and resuming skips nothing.
    fn request_limit(&self, yielded: usize) -> Option<i32> {
        let remaining = self.limit.map(|l| l.saturating_sub(yielded).min(i32::MAX as usize) as i32);
        match (self.page_size, remaining) {
            (Some(p), Some(r)) => Some(p.min(r)),
            (p, r) => p.or(r),
        }
    }

    /// The next item if one is decoded (decoding a slice of a fetched page first), else
    /// what to do. GIL held; no I/O, no runtime.
    pub fn next(&self, py: Python<'_>) -> PyResult<Step> {
        loop {
            let mut page = {
                let mut st = self.state();
                if self.limit.is_some_and(|l| st.yielded >= l) {
                    return Ok(Step::Done);
                }
                if let Some(item) = st.buffer.pop_front() {
                    st.yielded += 1;
                    return Ok(Step::Item(item));
                }
                if let Some(page) = st.current.take() {
                    st.decoding = true;
                    page
                } else {
                    match st.undecoded.take() {
                        Some(fetched) => {
                            drop(st);
                            self.take_up(fetched)?;
                            continue;
                        }
                        None if st.exhausted || (st.fetched_any && st.next_start.is_none()) => {
                            st.exhausted = true;
                            return Ok(Step::Done);
                        }
                        None => return Ok(Step::Fetch),
                    }
                }
            };
            // Decoded with the state unlocked: building objects may run Python code (the GC),
            // which may touch this pager.
            let decoded = page.decode(py, SLICE, SLICE_BYTES, self.call.read_options());
            let mut st = self.state();
            st.decoding = false;
            let mut items = match decoded {
                Ok(items) => items.into_iter().map(|d| d.into_any().unbind()),
                Err(e) => {
                    // The page cannot be read; asking for it again would get the same bytes.
                    st.exhausted = true;
                    return Err(e);
                }
            };
            if page.remaining() > 0 {
                st.current = Some(page);
            }
            if let Some(first) = items.next() {
                st.buffer.extend(items);
                st.yielded += 1;
                return Ok(Step::SliceStart(first));
            }
        }
    }

    /// Takes up a fetched page: records its metrics, moves the start key on and requests
    /// the page after it; its items are then decoded slice by slice by `next`.
    fn take_up(&self, fetched: Fetched) -> PyResult<()> {
        let mut st = self.state();
        let page = match fetched.page {
            Ok(page) => page,
            Err(message) => {
                // The page cannot be read; asking for it again would get the same bytes.
                st.exhausted = true;
                return Err(crate::bindings::PydynoxException::new_err(message));
            }
        };
        let m = page::metrics(&fetched.raw.sent, page.consumed_capacity.as_ref(), page.count, page.scanned_count);
        self.call.record(&m);
        let key = page.last_evaluated_key.clone();
        st.fetched_any = true;
        let start = std::mem::replace(&mut st.next_start, key.clone());
        st.handing = Some(Handing { items: page.items(), first: st.yielded, start });
        if st.key_names.is_none() {
            st.key_names = key.as_ref().map(|k| k.keys().cloned().collect());
        }
        let after_page = st.yielded + st.buffer.len() + page.remaining();
        st.ahead = self.spawn_next(key.as_ref(), after_page);
        if page.remaining() > 0 {
            st.current = Some(page);
        }
        drop(st);
        let mut snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.last_evaluated_key = key;
        snap.pages += 1;
        let totals = snap.totals.get_or_insert_with(OperationMetrics::default);
        accumulate(totals, &m);
        totals.duration_ms += m.duration_ms;
        snap.metrics = Some(m);
        Ok(())
    }

    /// Starts the request for the page after the one just decoded, unless there is none
    /// (`key` is None) or `limit` is reached once the `handed_out` items (those handed out
    /// plus those just decoded) are. Asks for what `limit` still needs after them, so the
    /// page's key stays exact (see `request_limit`).
    fn spawn_next(&self, key: Option<&Item>, handed_out: usize) -> Option<Ahead> {
        let start = key?.clone();
        if !prefetch_enabled() || self.limit.is_some_and(|l| handed_out >= l) {
            return None;
        }
        let limit = self.request_limit(handed_out);
        let (request, call) = (self.request.clone(), self.call.clone());
        // On the shared multi-thread runtime: the calling thread's own runtime (ADR 3) only
        // runs inside a sync call, and between calls the caller is busy with the page.
        let task = crate::runtime::runtime().spawn(async move { request.fetch(&call, Some(start), limit).await });
        Some(Ahead { pid: crate::runtime::process_id(), task })
    }

    /// Fetches the next page's body if the iterator needs one, or waits for the request
    /// already made ahead for it. No GIL, no Python.
    /// The key stays in the state until its page is decoded: if this fetch fails or this
    /// future is dropped (a cancelled task), the next call asks again (or, for a prefetch
    /// still running, waits on it again).
    pub async fn fetch_page(&self) -> Result<(), Error> {
        let mut awaited = self.fetching.lock().await;
        let (start, limit) = {
            let mut st = self.state();
            let finished = st.exhausted || (st.fetched_any && st.next_start.is_none()) || self.limit.is_some_and(|l| st.yielded >= l);
            if finished || st.decoding || st.undecoded.is_some() || st.current.is_some() || !st.buffer.is_empty() {
                return Ok(());
            }
            if let Some(ahead) = st.ahead.take() {
                *awaited = Some(ahead);
            }
            if let Some(stale) = awaited.take_if(|a| a.pid != crate::runtime::process_id()) {
                stale.cancel();
            }
            (st.next_start.clone(), self.request_limit(st.yielded))
        };
        let raw = match awaited.as_mut() {
            Some(ahead) => {
                let joined = (&mut ahead.task).await;
                *awaited = None;
                // A failed prefetch surfaces here, where an on-demand fetch would have
                // failed; its key was not consumed, so the next call asks again.
                joined.map_err(|e| Error::new(ErrorKind::Service, format!("fetching the next page ended abnormally: {e}")))??
            }
            None => self.request.fetch(&self.call, start, limit).await?,
        };
        // Indexed here, off the GIL, where the response arrived.
        let page = Page::index(raw.body.clone());
        self.state().undecoded = Some(Fetched { raw, page });
        Ok(())
    }

    /// `__next__` of the sync pager: the next item, None at the end. Items already decoded
    /// are handed out with the GIL held throughout; it is released only to fetch a page.
    pub fn next_item(self: &Arc<Self>, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            match self.next(py)? {
                Step::Item(item) | Step::SliceStart(item) => return Ok(Some(item)),
                Step::Done => return Ok(None),
                Step::Fetch => self.wait_for_page(py)?,
            }
        }
    }

    /// `to_list` of the sync pager: every remaining item.
    pub fn to_list(self: &Arc<Self>, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let list = PyList::empty(py);
        while !self.drain_into(py, &list)? {
            self.wait_for_page(py)?;
        }
        Ok(list.into_any().unbind())
    }

    /// Fetches the next page from a sync call (GIL released meanwhile).
    fn wait_for_page(self: &Arc<Self>, py: Python<'_>) -> PyResult<()> {
        let pager = self.clone();
        crate::runtime::wait(py, async move { pager.fetch_page().await })?.map_err(|error| error.into_pyerr(py))
    }

    /// `__anext__` of the async pager: an item already decoded comes back as a done
    /// awaitable (the first of a slice just decoded lets the loop run once first);
    /// otherwise one future fetches the page.
    pub fn next_awaitable<'py>(self: &Arc<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.next(py)? {
            Step::Item(item) => return crate::ready::Ready::new(py, item),
            Step::SliceStart(item) => return crate::ready::Ready::after_yield(py, item),
            Step::Done => return Err(PyStopAsyncIteration::new_err(())),
            Step::Fetch => {}
        }
        let (fetcher, pager) = (self.clone(), self.clone());
        // The worker only fetches and indexes (no GIL); the page's first slice is decoded
        // when the awaiting task resumes, on the loop's thread, like any other slice. A
        // worker taking the GIL to decode would stop the loop thread for as long.
        crate::awaitable::Lazy::new(
            py,
            "pydynox_core.awaitable",
            async move { fetcher.fetch_items().await },
            move |py, fetched: Result<(), Error>| {
                fetched.map_err(|error| error.into_pyerr(py))?;
                // Only a second task iterating the same pager meanwhile can have taken the
                // items fetched; `next_item` then fetches again, waiting in this step.
                match pager.next_item(py)? {
                    Some(item) => Ok(item),
                    None => Err(PyStopAsyncIteration::new_err(())),
                }
            },
        )
    }

    /// Fetches until there is an item to hand out or the iteration is over: pages with no
    /// items (a filtered scan's) are taken up here, without the GIL, and the next one asked for.
    async fn fetch_items(&self) -> Result<(), Error> {
        loop {
            self.fetch_page().await?;
            let empty = {
                let mut st = self.state();
                match &st.undecoded {
                    Some(Fetched { page: Ok(page), .. }) if page.remaining() == 0 && st.buffer.is_empty() && st.current.is_none() => {
                        st.undecoded.take()
                    }
                    _ => None,
                }
            };
            match empty {
                // Cannot fail: only a page that could not be read makes `take_up` fail.
                Some(fetched) => {
                    let _ = self.take_up(fetched);
                }
                None => return Ok(()),
            }
        }
    }

    /// `to_list` of the async pager: an awaitable of every remaining item.
    pub fn to_list_awaitable<'py>(self: &Arc<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pager = self.clone();
        let list: Py<PyList> = PyList::empty(py).unbind();
        crate::awaitable::from_future(py, "pydynox_core.awaitable", async move {
            loop {
                let done = Python::attach(|py| pager.drain_into(py, list.bind(py)))?;
                if done {
                    return Ok(list);
                }
                if let Err(error) = pager.fetch_page().await {
                    return Python::attach(|py| Err(error.into_pyerr(py)));
                }
            }
        })
    }

    /// Appends every decoded item to `list`; true when the iteration is over, false when
    /// a page must be fetched first.
    pub fn drain_into(&self, py: Python<'_>, list: &Bound<'_, PyList>) -> PyResult<bool> {
        loop {
            match self.next(py)? {
                Step::Item(item) | Step::SliceStart(item) => list.append(item)?,
                Step::Done => return Ok(true),
                Step::Fetch => return Ok(false),
            }
        }
    }

    /// Where to resume so that exactly the items not handed out yet come next: the page's
    /// key once all its items are handed out, else the key of the last item handed out.
    pub fn last_evaluated_key(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let key = match self.mid_page() {
            Some(mid) => self.key_of_last_item(py, mid)?,
            None => self.snapshot.lock().unwrap_or_else(|e| e.into_inner()).last_evaluated_key.clone(),
        };
        match key {
            Some(key) => Ok(item_to_py(py, &key, self.call.read_options())?.into_any().unbind()),
            None => Ok(py.None()),
        }
    }

    /// The page being handed out, if some of its items are not yet.
    fn mid_page(&self) -> Option<MidPage> {
        let st = self.state();
        let partial = st.decoding || st.current.is_some() || !st.buffer.is_empty();
        let h = st.handing.as_ref().filter(|_| partial)?;
        Some(MidPage {
            items: h.items.clone(),
            handed_out: st.yielded.saturating_sub(h.first),
            start: h.start.clone(),
            key_names: st.key_names.clone(),
        })
    }

    /// The resume key after the last item handed out of a page not handed out whole: that
    /// item's key attributes (sent again as they came, no trip through Python values).
    fn key_of_last_item(&self, py: Python<'_>, mid: MidPage) -> PyResult<Option<Item>> {
        let Some(last) = mid.handed_out.checked_sub(1) else {
            return Ok(mid.start);
        };
        let item = match mid.items.item(last) {
            Some(Ok(item)) => item,
            Some(Err(message)) => return Err(crate::bindings::PydynoxException::new_err(message)),
            None => return Err(crate::bindings::PydynoxException::new_err("the last item handed out is not in its page")),
        };
        let names = match mid.key_names {
            Some(names) => names,
            None => self.described_key_names(py)?,
        };
        let mut key = Item::with_capacity(names.len());
        for name in names {
            let Some(value) = item.get(&name) else {
                return Err(self.call.fail(Error::new(ErrorKind::Value, format!(
                    "cannot build last_evaluated_key: the last item handed out has no key attribute '{name}' \
                     (projection_expression left it out); include the key attributes in the projection to resume \
                     in the middle of a page"
                ))).into_pyerr(py));
            };
            key.insert(name, value.clone());
        }
        Ok(Some(key))
    }

    /// The resume key's attributes from the table's description (cached per client and
    /// table): a wait for one DescribeTable the first time, GIL released.
    fn described_key_names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let (call, request) = (self.call.clone(), self.request.clone());
        let names = crate::runtime::wait(py, async move {
            let (table, index) = request.reads();
            crate::ops::key_schema::resume_names(&call, table.unwrap_or_default(), index).await
        })?;
        names.map_err(|error| error.into_pyerr(py))
    }

    pub fn metrics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.metrics.clone().into_py_any(py)
    }

    pub fn page_count(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.pages.into_py_any(py)
    }

    pub fn total_metrics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.totals.clone().into_py_any(py)
    }
}

impl Drop for Pager {
    /// A dropped iterator (or one whose task was cancelled and then dropped) makes no
    /// further requests: the page fetched ahead is cancelled, its connection closed.
    fn drop(&mut self) {
        let st = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(ahead) = st.ahead.take() {
            ahead.cancel();
        }
        if let Some(ahead) = self.fetching.get_mut().take() {
            ahead.cancel();
        }
    }
}
