//! The core behind QueryResult / ScanResult and their async twins: fetches pages on
//! demand and hands out items one by one. Both generated classes wrap the same core, so
//! sync and async iteration cannot behave differently.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_sdk_dynamodb::operation::query::builders::QueryInputBuilder;
use aws_sdk_dynamodb::operation::scan::builders::ScanInputBuilder;
use aws_sdk_dynamodb::operation::RequestId;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, OpKind};
use crate::convert::{item_to_py, Item};
use crate::errors::Error;
use crate::ops::metrics;

/// The request a pager repeats, page after page.
pub enum PageRequest {
    Query(QueryInputBuilder),
    Scan(ScanInputBuilder),
}

/// One response, reduced to what the pager keeps.
pub struct Page {
    pub items: Vec<Item>,
    pub last_evaluated_key: Option<Item>,
    pub count: i32,
    pub metrics: OperationMetrics,
}

impl PageRequest {
    /// Fetches one page starting after `start`, asking DynamoDB for at most `limit` items.
    pub async fn fetch(&self, shared: &Arc<ClientShared>, start: Option<Item>, limit: Option<i32>) -> Result<Page, Error> {
        self.fetch_page(shared, start, limit).await.map_err(|e| e.during(shared, || self.describe()))
    }

    /// `scan on table 'orders'`, for error messages.
    fn describe(&self) -> String {
        match self {
            PageRequest::Query(_) => self.describe_as("query"),
            PageRequest::Scan(_) => self.describe_as("scan"),
        }
    }

    /// `<operation> on table 'orders'` (or on an index of it), for error messages.
    pub fn describe_as(&self, operation: &str) -> String {
        let (table, index) = match self {
            PageRequest::Query(q) => (q.get_table_name(), q.get_index_name()),
            PageRequest::Scan(s) => (s.get_table_name(), s.get_index_name()),
        };
        crate::errors::on_table(operation, table.as_deref().unwrap_or("?"), index.as_deref())
    }

    async fn fetch_page(&self, shared: &Arc<ClientShared>, start: Option<Item>, limit: Option<i32>) -> Result<Page, Error> {
        let sdk = shared.sdk_here().await?;
        let started = Instant::now();
        let (page, kind) = match self {
            PageRequest::Query(q) => {
                let out = q.clone().set_exclusive_start_key(start).set_limit(limit).send_with(&sdk).await?;
                let mut m = metrics::read(started, out.consumed_capacity(), out.request_id());
                m.items_count = Some(out.count as i64);
                m.scanned_count = Some(out.scanned_count as i64);
                let count = out.count;
                (Page { items: out.items.unwrap_or_default(), last_evaluated_key: out.last_evaluated_key, count, metrics: m }, OpKind::Query)
            }
            PageRequest::Scan(s) => {
                let out = s.clone().set_exclusive_start_key(start).set_limit(limit).send_with(&sdk).await?;
                let mut m = metrics::read(started, out.consumed_capacity(), out.request_id());
                m.items_count = Some(out.count as i64);
                m.scanned_count = Some(out.scanned_count as i64);
                let count = out.count;
                (Page { items: out.items.unwrap_or_default(), last_evaluated_key: out.last_evaluated_key, count, metrics: m }, OpKind::Scan)
            }
        };
        shared.record(kind, &page.metrics);
        // An empty key means "no more pages" just like an absent one.
        Ok(Page { last_evaluated_key: page.last_evaluated_key.filter(|k| !k.is_empty()), ..page })
    }
}

struct State {
    buffer: VecDeque<Item>,
    /// Where the next page starts; None before the first page when not resuming.
    next_start: Option<Item>,
    fetched_any: bool,
    exhausted: bool,
    yielded: usize,
}

/// What the properties show; kept apart from `State` so reading a property never waits
/// for a page being fetched.
#[derive(Default)]
struct Snapshot {
    last_evaluated_key: Option<Item>,
    metrics: Option<OperationMetrics>,
}

pub struct Pager {
    shared: Arc<ClientShared>,
    request: PageRequest,
    limit: Option<usize>,
    page_size: Option<i32>,
    state: tokio::sync::Mutex<State>,
    snapshot: Mutex<Snapshot>,
}

impl Pager {
    pub fn new(shared: Arc<ClientShared>, request: PageRequest, limit: Option<usize>, page_size: Option<i32>, start: Option<Item>) -> Self {
        Pager {
            shared,
            request,
            limit,
            page_size,
            state: tokio::sync::Mutex::new(State { buffer: VecDeque::new(), next_start: start, fetched_any: false, exhausted: false, yielded: 0 }),
            snapshot: Mutex::new(Snapshot::default()),
        }
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

    pub async fn next_item(&self) -> Result<Option<Item>, Error> {
        let mut st = self.state.lock().await;
        loop {
            if self.limit.is_some_and(|l| st.yielded >= l) {
                return Ok(None);
            }
            if let Some(item) = st.buffer.pop_front() {
                st.yielded += 1;
                return Ok(Some(item));
            }
            if st.exhausted || (st.fetched_any && st.next_start.is_none()) {
                st.exhausted = true;
                return Ok(None);
            }
            // The key stays in the state until its page has arrived: if this fetch fails
            // or this future is dropped (a cancelled task), the next call asks again.
            let start = st.next_start.clone();
            let page = self.request.fetch(&self.shared, start, self.request_limit(st.yielded)).await?;
            st.fetched_any = true;
            st.next_start = page.last_evaluated_key.clone();
            st.buffer.extend(page.items);
            let mut snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
            snap.last_evaluated_key = page.last_evaluated_key;
            snap.metrics = Some(page.metrics);
        }
    }

    pub async fn remaining_items(&self) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next_item().await? {
            items.push(item);
        }
        Ok(items)
    }

    pub fn convert_item(&self, py: Python<'_>, item: Item) -> PyResult<Py<PyAny>> {
        Ok(item_to_py(py, &item, self.shared.read)?.into_any().unbind())
    }

    pub fn convert_items(&self, py: Python<'_>, items: Vec<Item>) -> PyResult<Py<PyAny>> {
        let list = PyList::empty(py);
        for item in &items {
            list.append(item_to_py(py, item, self.shared.read)?)?;
        }
        Ok(list.into_any().unbind())
    }

    pub fn last_evaluated_key(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        match &snap.last_evaluated_key {
            Some(key) => Ok(item_to_py(py, key, self.shared.read)?.into_any().unbind()),
            None => Ok(py.None()),
        }
    }

    pub fn metrics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.metrics.clone().into_py_any(py)
    }
}
