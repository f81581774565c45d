//! Logging and tracing of every request (issue 17, ADR 26): the hook the send layer calls
//! from `Call::new` ([`capture`]) and `Call::around` ([`watch`] / [`Watch::finish`]).
//!
//! Python decides what is on (`pydynox._observe` computes it from the `pydynox` logger's
//! level, the logger `set_logger` installed and `enable_tracing`) and stores it here as
//! [`MODE`]. With nothing on, a request costs one relaxed load in `Call::new` and one in
//! `around`, and never touches the GIL.
//!
//! On, `Call::new` (at the binding's entry, on the caller's thread with the GIL held)
//! copies the caller's `contextvars` context: the correlation id and the OpenTelemetry
//! current span live there, and for an async twin the request ends on a tokio thread
//! where neither is visible. When a request ends, its outcome (operation, action, table,
//! duration, consumed capacity, request id, error class) goes to the Python emitter, which
//! runs inside that context and writes the log record and the span. Only these fields
//! cross: never a key, an item, a statement or an error message (they can hold values).

use std::any::Any;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::ConsumedCapacity;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::{Error, ErrorKind};

/// Slow calls are logged at WARNING (the `pydynox` logger is enabled for WARNING).
pub const SLOW: u8 = 1;
/// Every call is logged at INFO.
pub const EVERY: u8 = 2;
/// Every call becomes a span.
pub const TRACE: u8 = 4;

/// Until `pydynox._observe` is imported, slow calls are watched: that is what its default
/// configuration (the `pydynox` logger at WARNING) turns on, and it is imported only when
/// the first slow call needs its emitter ([`emitter`]), keeping `import pydynox` short.
static MODE: AtomicU8 = AtomicU8::new(SLOW);
/// Calls at least this long are slow (nanoseconds).
static SLOW_NS: AtomicU64 = AtomicU64::new(100_000_000);
/// `pydynox._observe._emit.emit`, installed once when that module is imported.
static EMITTER: OnceLock<Py<PyAny>> = OnceLock::new();
static COPY_CONTEXT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The caller's `contextvars.Context`, copied when its call began.
pub struct Captured(Py<PyAny>);

/// Copies the caller's context when records or spans are on: called where a call is
/// prepared, on the caller's thread.
pub fn capture() -> Option<Captured> {
    if MODE.load(Ordering::Relaxed) & (EVERY | TRACE) == 0 {
        return None;
    }
    Python::attach(|py| {
        let copy = COPY_CONTEXT.import(py, "contextvars", "copy_context").ok()?;
        copy.call0().ok().map(|ctx| Captured(ctx.unbind()))
    })
}

/// What a request's outcome tells, read only when something is on. The send layer
/// implements it for its response types.
pub trait Observed {
    fn request_id(&self) -> Option<&str>;
    /// The capacity the response reports consumed (empty when it reports none).
    fn capacity(&self) -> Vec<ConsumedCapacity>;
}

/// The capacity an SDK output reports, for the outputs that can carry it.
pub fn sdk_capacity(output: &dyn Any) -> Vec<ConsumedCapacity> {
    use aws_sdk_dynamodb::operation as op;
    if let Some(o) = output.downcast_ref::<op::update_item::UpdateItemOutput>() {
        return o.consumed_capacity().into_iter().cloned().collect();
    }
    if let Some(o) = output.downcast_ref::<op::transact_write_items::TransactWriteItemsOutput>() {
        return o.consumed_capacity().to_vec();
    }
    if let Some(o) = output.downcast_ref::<op::transact_get_items::TransactGetItemsOutput>() {
        return o.consumed_capacity().to_vec();
    }
    if let Some(o) = output.downcast_ref::<op::batch_write_item::BatchWriteItemOutput>() {
        return o.consumed_capacity().to_vec();
    }
    if let Some(o) = output.downcast_ref::<op::batch_get_item::BatchGetItemOutput>() {
        return o.consumed_capacity().to_vec();
    }
    Vec::new()
}

/// One request being watched: started when something was on.
pub struct Watch {
    mode: u8,
    started: Instant,
}

/// Starts watching a request, or None (one relaxed load) when nothing is on.
pub fn watch() -> Option<Watch> {
    let mode = MODE.load(Ordering::Relaxed);
    if mode == 0 {
        return None;
    }
    Some(Watch { mode, started: Instant::now() })
}

/// Which request ended: what the send layer knows about it.
pub struct Request<'a> {
    /// The Python operation: `get_item`, `count`.
    pub operation: &'static str,
    /// DynamoDB's action: `GetItem`, `Scan`.
    pub action: &'static str,
    pub table: Option<&'a str>,
    pub index: Option<&'a str>,
}

impl Watch {
    /// Hands the request's outcome to the Python emitter, when it is to be logged or traced.
    pub fn finish<T: Observed>(self, captured: Option<&Captured>, request: Request<'_>, outcome: &Result<T, Error>) {
        let elapsed = self.started.elapsed();
        let slow = elapsed.as_nanos() >= u128::from(SLOW_NS.load(Ordering::Relaxed));
        if self.mode & (EVERY | TRACE) == 0 && !(slow && self.mode & SLOW != 0) {
            return;
        }
        let (request_id, capacity, error) = match outcome {
            Ok(out) => (out.request_id().map(str::to_owned), out.capacity(), None),
            Err(e) => (e.request_id.clone(), Vec::new(), Some(error_class(e.kind))),
        };
        let (rcu, wcu) = units(request.action, &capacity);
        // The wall clock is read only here, for the few requests that are emitted.
        let duration_ns = elapsed.as_nanos() as u64;
        let start_ns = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64).saturating_sub(duration_ns);
        Python::attach(|py| {
            let Some(emitter) = emitter(py) else { return };
            let ctx = captured.map(|c| c.0.clone_ref(py));
            let args = (ctx, request.operation, request.action, request.table, request.index, start_ns, duration_ns, rcu, wcu, request_id, error, slow);
            if let Err(e) = emitter.call1(py, args) {
                // A broken logger or tracer must not fail the call it observes.
                e.write_unraisable(py, None);
            }
        });
    }
}

/// The installed emitter; the first time, importing `pydynox._observe` installs it (and
/// stores the mode its configuration asks for, which [`Watch::finish`] of this request
/// no longer reads). None only if that import fails, which is reported, not raised.
fn emitter(py: Python<'_>) -> Option<&'static Py<PyAny>> {
    if EMITTER.get().is_none() {
        if let Err(e) = py.import("pydynox._observe") {
            e.write_unraisable(py, None);
        }
    }
    EMITTER.get()
}

/// Read and write units of a response's consumed capacity, summed over its tables.
fn units(action: &str, capacity: &[ConsumedCapacity]) -> (Option<f64>, Option<f64>) {
    if capacity.is_empty() {
        return (None, None);
    }
    let writes = matches!(action, "PutItem" | "DeleteItem" | "UpdateItem" | "BatchWriteItem" | "TransactWriteItems");
    let sum = |f: fn(&ConsumedCapacity) -> Option<f64>| capacity.iter().filter_map(|c| f(c).or(c.capacity_units())).sum::<f64>();
    if writes {
        (None, Some(sum(|c| c.write_capacity_units())))
    } else {
        (Some(sum(|c| c.read_capacity_units())), None)
    }
}

/// The Python exception class a failed request raises, by name (`error.type`).
fn error_class(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "ValidationException",
        ErrorKind::ConditionalCheckFailed => "ConditionalCheckFailedException",
        ErrorKind::TransactionCanceled => "TransactionCanceledException",
        ErrorKind::ResourceNotFound => "ResourceNotFoundException",
        ErrorKind::ResourceInUse => "ResourceInUseException",
        ErrorKind::Throughput => "ProvisionedThroughputExceededException",
        ErrorKind::AccessDenied => "AccessDeniedException",
        ErrorKind::Credentials => "CredentialsException",
        ErrorKind::Connection => "ConnectionException",
        ErrorKind::RequestTimeout => "RequestTimeoutException",
        ErrorKind::Serialization => "SerializationException",
        ErrorKind::Service => "PydynoxException",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Value => "ParamValidationException",
        ErrorKind::Encryption => "EncryptionException",
        ErrorKind::S3 => "S3AttributeException",
    }
}

/// `pydynox_core._observe_configure(mode, slow_ms)`: private, called by `pydynox._observe`
/// whenever what is on changes.
#[pyfunction]
pub fn observe_configure(mode: u8, slow_ms: f64) {
    SLOW_NS.store((slow_ms.max(0.0) * 1e6) as u64, Ordering::Relaxed);
    MODE.store(mode & (SLOW | EVERY | TRACE), Ordering::Relaxed);
}

/// `pydynox_core._observe_install(emitter)`: private, called once by `pydynox._observe`.
#[pyfunction]
pub fn observe_install(emitter: Py<PyAny>) {
    // Installed once per process; a second import of the module keeps the first.
    let _ = EMITTER.set(emitter);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity(table: &str, total: f64, read: Option<f64>, write: Option<f64>) -> ConsumedCapacity {
        ConsumedCapacity::builder().table_name(table).capacity_units(total).set_read_capacity_units(read).set_write_capacity_units(write).build()
    }

    #[test]
    fn units_are_read_or_write_by_action_and_summed_over_tables() {
        let two = [capacity("a", 1.0, None, None), capacity("b", 2.5, None, None)];
        assert_eq!(units("BatchGetItem", &two), (Some(3.5), None));
        assert_eq!(units("BatchWriteItem", &two), (None, Some(3.5)));
        // The split, when DynamoDB gives one, wins over the total.
        let split = [capacity("a", 3.0, Some(1.0), Some(2.0))];
        assert_eq!(units("TransactWriteItems", &split), (None, Some(2.0)));
        assert_eq!(units("Query", &split), (Some(1.0), None));
        assert_eq!(units("GetItem", &[]), (None, None));
    }
}
