//! BatchWriteItem over any number of items: 25 per request, several requests in flight at
//! once (bounded), unprocessed items re-sent with backoff. Every item is converted before
//! the first request, so a bad value fails the call before anything is written.
//!
//! Each write keeps its position in the caller's lists until DynamoDB confirms it, so when
//! the call fails (a request error, or retries running out) the exception lists exactly
//! the items not written (`unprocessed_items`, `unprocessed_keys`); everything else was.
//! After the first failure no new request starts; the ones in flight finish, so what they
//! wrote is known too.

use crate::transport::direct::plain::together;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, ReturnConsumedCapacity, WriteRequest};
use futures::stream::{self, StreamExt};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind, Unprocessed};
use crate::ops::send::{About, Call};
use crate::ops::{batch_backoff, metrics};
use crate::wire::dict_to_item;
use crate::wire::read::unprocessed_writes;
use crate::wire::write::multi_body;

const CHUNK: usize = 25;
/// Requests in flight at once when the caller does not say.
const DEFAULT_CONCURRENCY: usize = 8;

/// Where a write came from: its position in `put_items` or in `delete_keys`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Put(usize),
    Delete(usize),
}

pub struct Prepared {
    call: Arc<Call>,
    table: Arc<str>,
    writes: Vec<(Slot, WriteRequest)>,
    concurrency: usize,
    max_attempts: u32,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    put_items: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
    delete_keys: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
    max_concurrency: Option<i64>,
    max_attempts: Option<i64>,
) -> PyResult<Prepared> {
    let max_attempts = batch_backoff::attempts("batch_write", max_attempts)?;
    let concurrency = match max_concurrency {
        None => DEFAULT_CONCURRENCY,
        Some(n) if n >= 1 => n.min(1024) as usize,
        Some(n) => return Err(crate::errors::invalid(format!("batch_write: max_concurrency must be at least 1, got {n}"))),
    };
    let puts = put_items.unwrap_or_default();
    let deletes = delete_keys.unwrap_or_default();
    let mut writes = Vec::with_capacity(puts.len() + deletes.len());
    for (i, item) in puts.iter().enumerate() {
        let item = dict_to_item(item, &format!("put_items[{i}]"))?;
        let put = PutRequest::builder().set_item(Some(item)).build().expect("item is set");
        writes.push((Slot::Put(i), WriteRequest::builder().put_request(put).build()));
    }
    for (i, key) in deletes.iter().enumerate() {
        let key = dict_to_item(key, &format!("delete_keys[{i}]"))?;
        let delete = DeleteRequest::builder().set_key(Some(key)).build().expect("key is set");
        writes.push((Slot::Delete(i), WriteRequest::builder().delete_request(delete).build()));
    }
    let call = Arc::new(Call::new(&client.shared, "batch_write", OpKind::Other, About::table(&table)));
    Ok(Prepared { call, table: table.into(), writes, concurrency, max_attempts })
}

/// What one chunk of up to 25 writes ended with.
#[derive(Default)]
struct ChunkOutcome {
    wcu: Option<f64>,
    /// Why the chunk stopped early (None when every write went through, or when it never
    /// started because another chunk had failed).
    error: Option<Error>,
    /// Writes not confirmed: everything left when the chunk stopped or never started.
    not_written: Vec<(Slot, WriteRequest)>,
}

/// Takes `pending`'s entries that DynamoDB handed back as unprocessed, in order; each
/// returned request matches one entry (DynamoDB hands back the requests as sent).
fn take_unprocessed(pending: Vec<(Slot, WriteRequest)>, returned: Vec<WriteRequest>) -> Vec<(Slot, WriteRequest)> {
    let mut left: Vec<Option<(Slot, WriteRequest)>> = pending.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(returned.len());
    for r in returned {
        if let Some(entry) = left.iter_mut().find(|e| e.as_ref().is_some_and(|(_, w)| *w == r)) {
            out.push(entry.take().expect("found above"));
        }
    }
    out.sort_by_key(|(slot, _)| *slot);
    out
}

async fn write_chunk(call: Arc<Call>, table: Arc<str>, chunk: Vec<(Slot, WriteRequest)>, stop: Arc<AtomicBool>, max_attempts: u32) -> ChunkOutcome {
    let mut out = ChunkOutcome::default();
    if stop.load(Ordering::Acquire) {
        out.not_written = chunk;
        return out;
    }
    let mut pending = chunk;
    let mut attempt = 0;
    loop {
        // The direct path's body is written from the pending writes; the SDK path's request
        // clones them only when that path is taken.
        let direct = call.wants_direct().then(|| multi_body::batch_write(&table, pending.iter().map(|(_, w)| w)));
        let send = |sdk: aws_sdk_dynamodb::Client| {
            let requests: Vec<WriteRequest> = pending.iter().map(|(_, w)| w.clone()).collect();
            let table_name = table.to_string();
            async move { sdk.batch_write_item().request_items(table_name, requests).return_consumed_capacity(ReturnConsumedCapacity::Total).send().await }
        };
        // Both paths' bodies are read by the same readers (capacity, unprocessed writes).
        let read = match call.send("BatchWriteItem", direct, send).await {
            Ok(raw) => call.meta(&raw).and_then(|meta| {
                let returned = unprocessed_writes(&raw.body, &table).map_err(|m| call.fail(Error::new(ErrorKind::Service, m)))?;
                Ok((meta, returned))
            }),
            Err(error) => Err(error),
        };
        let (meta, returned) = match read {
            Ok(read) => read,
            Err(error) => {
                stop.store(true, Ordering::Release);
                out.error = Some(error);
                out.not_written = pending;
                return out;
            }
        };
        if let Some(units) = metrics::sum_units(&meta.consumed_capacity) {
            out.wcu = Some(out.wcu.unwrap_or(0.0) + units);
        }
        if returned.is_empty() {
            return out;
        }
        pending = take_unprocessed(pending, returned);
        attempt += 1;
        if attempt >= max_attempts {
            stop.store(true, Ordering::Release);
            out.error = Some(call.fail(Error::new(
                ErrorKind::Throughput,
                format!("DynamoDB still left items unprocessed after {attempt} attempts"),
            )));
            out.not_written = pending;
            return out;
        }
        batch_backoff::backoff(attempt).await;
    }
}

/// The positions and values of the writes not confirmed, in the caller's order.
fn unprocessed(mut writes: Vec<(Slot, WriteRequest)>) -> Unprocessed {
    writes.sort_by_key(|(slot, _)| *slot);
    let mut out = Unprocessed::default();
    for (slot, w) in writes {
        match slot {
            Slot::Put(_) => out.items.push(w.put_request.map(|p| p.item).unwrap_or_default()),
            Slot::Delete(_) => out.keys.push(w.delete_request.map(|d| d.key).unwrap_or_default()),
        }
    }
    out
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, table, writes, concurrency, max_attempts } = p;
    let started = Instant::now();
    let total = writes.len();
    let stop = Arc::new(AtomicBool::new(false));
    let mut chunks = Vec::with_capacity(total.div_ceil(CHUNK));
    let mut rest = writes.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(CHUNK).collect::<Vec<_>>());
    }
    // Concurrent within this one future (no task hand-off); each chunk's future owns what
    // it uses. A chunk never fails the stream: all of them report, so nothing is lost track of.
    let (c, t, s) = (call.clone(), table.clone(), stop.clone());
    let outcomes: Vec<ChunkOutcome> = together(stream::iter(chunks.into_iter().map(move |chunk| write_chunk(c.clone(), t.clone(), chunk, s.clone(), max_attempts)))
        .buffer_unordered(concurrency)
        .collect())
    .await;
    let mut wcu = None::<f64>;
    let mut first_error = None;
    let mut not_written = Vec::new();
    for o in outcomes {
        if let Some(units) = o.wcu {
            wcu = Some(wcu.unwrap_or(0.0) + units);
        }
        if first_error.is_none() {
            first_error = o.error;
        }
        not_written.extend(o.not_written);
    }
    let m = OperationMetrics { duration_ms: metrics::elapsed_ms(started), consumed_wcu: wcu, ..Default::default() };
    call.record(&m);
    match first_error {
        None => Ok(()),
        Some(mut error) => {
            let left = not_written.len();
            error.message = format!(
                "{} ({} of {total} items were written; the {left} not written are the exception's unprocessed_items and unprocessed_keys)",
                error.message,
                total - left
            );
            error.unprocessed = Some(Box::new(unprocessed(not_written)));
            Err(error)
        }
    }
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Item;
    use aws_sdk_dynamodb::types::AttributeValue;

    fn put(pk: &str) -> WriteRequest {
        let item: Item = [("pk".to_string(), AttributeValue::S(pk.into()))].into();
        WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().unwrap()).build()
    }

    #[test]
    fn unprocessed_requests_are_matched_back_to_their_positions() {
        let pending = vec![(Slot::Put(3), put("a")), (Slot::Put(4), put("b")), (Slot::Delete(0), put("c"))];
        let left = take_unprocessed(pending, vec![put("c"), put("a")]);
        assert_eq!(left.iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![Slot::Put(3), Slot::Delete(0)]);
    }

    #[test]
    fn equal_requests_are_matched_once_each() {
        let pending = vec![(Slot::Put(0), put("a")), (Slot::Put(1), put("a"))];
        let left = take_unprocessed(pending, vec![put("a")]);
        assert_eq!(left.len(), 1);
    }
}
