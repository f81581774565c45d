//! The send layer: every request of every operation passes through [`Call::send`] (the
//! response body, from the direct path or the SDK's) or [`Call::send_sdk`] (the SDK's
//! decoded output, for what the direct path does not carry), and from both through
//! [`Call::around`]. An operation's module keeps only what differs: building the request
//! and decoding the answer.
//!
//! What happens here, once for all operations:
//! - the path: the direct path (ADR 12) when the operation wrote a direct body and the
//!   client has one in this process, else the SDK with the body captured (ADR 6);
//! - the SDK client and HTTP connector for where the request runs (`ClientShared::*_here`);
//! - timings and the request id of each response;
//! - error context: every error names the operation and what it was about
//!   (`get_item on table 'orders'`), with the client's endpoint;
//! - metrics: [`Call::record`] is where an operation's metrics land on the client.
//!
//! A concern that every request needs (logging, tracing spans, rate limiting, per-request
//! metrics) is one change in [`Call::around`], which sees each request's operation, action
//! and path, and its outcome. The request counter there is the example (ADR 13).

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ConsumedCapacity;
use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, OpKind};
use crate::errors::{on_table, Error, ErrorKind};
use crate::observe;
use crate::ops::metrics;
use crate::transport::sdk_body::capture;
use crate::wire::ReadOptions;

/// What a call is about, for its error messages.
pub enum About {
    Nothing,
    /// `<operation> on table 't'` or `<operation> on index 'i' of table 't'`.
    Table { table: String, index: Option<String> },
    /// `<operation> <text>`: `on tables 'a', 'b'`, a PartiQL statement.
    Text(String),
}

impl About {
    pub fn table(table: impl Into<String>) -> Self {
        About::Table { table: table.into(), index: None }
    }
}

/// One call of an operation, from `prepare` to `convert`: the client, the operation's
/// name and what it is about. All its requests go through it.
pub struct Call {
    shared: Arc<ClientShared>,
    /// The operation's Python name: `get_item`, `count` (whose requests are Scans).
    name: &'static str,
    /// Which counter of the client's totals its metrics add to.
    kind: OpKind,
    about: About,
    /// Capacity its requests reserved from the client's rate limit, until it records.
    ledger: crate::flow::rate::Ledger,
    /// The caller's context, for logging and tracing (None when both are off).
    observed: Option<observe::Captured>,
}

/// What every response tells besides its body.
pub struct Sent {
    pub request_id: Option<String>,
    /// From the call to `send` until the response was read.
    pub elapsed: Duration,
}

/// A successful response's body, not decoded yet.
pub struct Raw {
    pub body: Bytes,
    pub sent: Sent,
}

/// Which way a request went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    Direct,
    Sdk,
}

impl Path {
    pub fn as_str(self) -> &'static str {
        match self {
            Path::Direct => "direct",
            Path::Sdk => "sdk",
        }
    }
}

impl Sent {
    /// Metrics of a read: consumed capacity counts as read units.
    pub fn read_metrics(&self, capacity: Option<&ConsumedCapacity>) -> OperationMetrics {
        self.timed(metrics::read(Instant::now(), capacity, self.request_id.as_deref()))
    }

    /// Metrics of a write: consumed capacity counts as write units.
    pub fn write_metrics(&self, capacity: Option<&ConsumedCapacity>) -> OperationMetrics {
        self.timed(metrics::write(Instant::now(), capacity, self.request_id.as_deref()))
    }

    fn timed(&self, mut m: OperationMetrics) -> OperationMetrics {
        m.duration_ms = self.elapsed.as_secs_f64() * 1000.0;
        m
    }
}

impl Call {
    pub fn new(shared: &Arc<ClientShared>, name: &'static str, kind: OpKind, about: About) -> Self {
        Call { shared: shared.clone(), name, kind, about, ledger: Default::default(), observed: observe::capture() }
    }

    /// Whether requests take the direct path: only then does `prepare` write a direct body.
    pub fn wants_direct(&self) -> bool {
        self.shared.wants_direct()
    }

    /// How the client decodes numbers.
    pub fn read_options(&self) -> ReadOptions {
        self.shared.read
    }

    /// Sends one request and returns the body of its successful response. `direct` is the
    /// request JSON for the direct path (None: the SDK path only); `sdk` sends the same
    /// request with the SDK client it is given.
    pub async fn send<O, SE, Fut>(&self, action: &'static str, direct: Option<Bytes>, sdk: impl FnOnce(aws_sdk_dynamodb::Client) -> Fut) -> Result<Raw, Error>
    where
        Fut: Future<Output = Result<O, SE>>,
        O: RequestId,
        Error: From<SE>,
    {
        let started = Instant::now();
        if let Some(body) = direct {
            if let Some((direct, connector)) = self.shared.direct_here().await {
                let sent = async {
                    if self.shared.flow.hot.is_some() {
                        crate::transport::request_tap::offer(&body);
                    }
                    let out = direct.call(&connector, action, body).await?;
                    Ok(Raw { body: out.body, sent: Sent { request_id: out.request_id, elapsed: started.elapsed() } })
                };
                return self.around(action, Path::Direct, sent).await;
            }
        }
        let sent = async {
            let (out, body) = capture(sdk(self.shared.sdk_here().await)).await;
            let request_id = out?.request_id().map(str::to_owned);
            let body = body.ok_or_else(|| Error::new(ErrorKind::Service, "the response body was not captured"))?;
            Ok(Raw { body, sent: Sent { request_id, elapsed: started.elapsed() } })
        };
        // Boxed: the SDK's request future is several kilobytes, which every `send` future
        // would otherwise carry (and copy) on the direct path too.
        self.around(action, Path::Sdk, Box::pin(sent)).await
    }

    /// Sends one request on the SDK path and returns the SDK's decoded output: for the
    /// control plane, whose answers the direct path does not read.
    pub async fn send_sdk<O, SE, Fut>(&self, action: &'static str, sdk: impl FnOnce(aws_sdk_dynamodb::Client) -> Fut) -> Result<(O, Sent), Error>
    where
        Fut: Future<Output = Result<O, SE>>,
        O: RequestId + 'static,
        Error: From<SE>,
    {
        let started = Instant::now();
        let sent = async {
            let out = sdk(self.shared.sdk_here().await).await?;
            let request_id = out.request_id().map(str::to_owned);
            Ok((out, Sent { request_id, elapsed: started.elapsed() }))
        };
        self.around(action, Path::Sdk, sent).await
    }

    /// Every request, whichever way it goes: the one place for per-request concerns.
    async fn around<T: observe::Observed>(&self, action: &'static str, path: Path, request: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        tally::count(self.name, action, path);
        let watch = observe::watch();
        let out = match self.shared.flow.is_off() {
            true => request.await,
            // Rate limit and hot-partition diagnostics (ADR 23). Boxed: its state (a
            // DescribeTable future among it) would otherwise ride in every request's future.
            false => Box::pin(crate::ops::flow_hook::around(&self.shared, &self.ledger, action, request)).await,
        };
        let outcome = out.map_err(|e| {
            if e.kind == ErrorKind::ResourceNotFound {
                self.forget_key_schema();
            }
            self.fail(e)
        });
        if let Some(watch) = watch {
            let (table, index) = match &self.about {
                About::Table { table, index } => (Some(table.as_str()), index.as_deref()),
                _ => (None, None),
            };
            watch.finish(self.observed.as_ref(), observe::Request { operation: self.name, action, table, index }, &outcome);
        }
        outcome
    }

    /// The client's cache of table key schemas (`crate::ops::key_schema`).
    pub fn key_schemas(&self) -> &crate::client::key_schemas::KeySchemas {
        &self.shared.key_schemas
    }

    /// The table this call is about may be gone or have another key schema now (it was
    /// not found, deleted or created): its cached key schema is dropped.
    pub fn forget_key_schema(&self) {
        if let About::Table { table, .. } = &self.about {
            self.shared.key_schemas.forget(table);
        }
    }

    /// Records the call's metrics on the client (its last and its totals).
    pub fn record(&self, m: &OperationMetrics) {
        self.shared.record(self.kind, m);
        if !self.shared.flow.is_off() {
            crate::ops::flow_hook::settle(&self.shared, &self.ledger, m);
        }
    }

    /// What steers the next request of a multi-request call (keys, counts, capacity),
    /// read from a body without the GIL.
    pub fn meta(&self, raw: &Raw) -> Result<crate::wire::read::Meta, Error> {
        crate::wire::read::meta(&raw.body).map_err(|message| self.fail(Error::new(ErrorKind::Service, message)))
    }

    /// The metrics of a write whose response carries only `ConsumedCapacity` (PutItem,
    /// DeleteItem), recorded.
    pub fn record_write(&self, raw: &Raw) -> Result<OperationMetrics, Error> {
        let m = raw.sent.write_metrics(self.meta(raw)?.consumed_capacity.first());
        self.record(&m);
        Ok(m)
    }

    /// An error the operation found itself (not a request's), named like a request's.
    pub fn fail(&self, error: Error) -> Error {
        error.during(&self.shared.endpoint, self.shared.read, || self.describe())
    }

    /// `get_item on table 'orders'`.
    fn describe(&self) -> String {
        match &self.about {
            About::Nothing => self.name.to_string(),
            About::Table { table, index } => on_table(self.name, table, index.as_deref()),
            About::Text(text) => format!("{} {text}", self.name),
        }
    }
}

impl observe::Observed for Raw {
    fn request_id(&self) -> Option<&str> {
        self.sent.request_id.as_deref()
    }

    fn capacity(&self) -> Vec<ConsumedCapacity> {
        crate::wire::read::meta(&self.body).map(|m| m.consumed_capacity).unwrap_or_default()
    }
}

impl<O: 'static> observe::Observed for (O, Sent) {
    fn request_id(&self) -> Option<&str> {
        self.1.request_id.as_deref()
    }

    fn capacity(&self) -> Vec<ConsumedCapacity> {
        observe::sdk_capacity(&self.0)
    }
}

/// A test hook (and the example of a per-request concern): requests sent per operation,
/// action and path while counting is on (`pydynox_core._count_requests`). Off, it costs
/// one relaxed load per request.
pub mod tally {
    use super::*;

    static ON: AtomicBool = AtomicBool::new(false);
    static COUNTS: Mutex<Counts> = Mutex::new(Vec::new());

    pub(super) fn count(name: &'static str, action: &'static str, path: Path) {
        if !ON.load(Ordering::Relaxed) {
            return;
        }
        let key = (name, action, path.as_str());
        let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }

    /// Starts counting from zero (`on`), or stops; returns the counts so far.
    pub fn reset(on: bool) -> Counts {
        let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
        ON.store(on, Ordering::Relaxed);
        std::mem::take(&mut *counts)
    }

    /// The counts so far.
    pub fn snapshot() -> Counts {
        COUNTS.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

type Counts = Vec<((&'static str, &'static str, &'static str), u64)>;

/// `pydynox_core._count_requests(on)`: private, for tests. Starts counting requests from
/// zero (or stops) and returns what was counted before, as
/// `{(operation, action, path): n}`, e.g. `{("count", "Scan", "direct"): 3}`.
#[pyfunction]
pub fn count_requests(py: Python<'_>, on: bool) -> PyResult<Bound<'_, PyDict>> {
    counts_to_py(py, tally::reset(on))
}

/// `pydynox_core._requests_sent()`: private, for tests. The counts since `_count_requests(True)`.
#[pyfunction]
pub fn requests_sent(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    counts_to_py(py, tally::snapshot())
}

fn counts_to_py(py: Python<'_>, counts: Counts) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    for (key, n) in counts {
        out.set_item(key, n)?;
    }
    Ok(out)
}
