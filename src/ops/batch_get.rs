//! BatchGetItem over any number of keys: 100 per request, several requests in flight at
//! once (bounded), unprocessed keys re-requested with backoff. A key given twice is read
//! once (DynamoDB rejects a request naming one key twice).
//!
//! Each response body is captured (ADR 6). On tokio only its metadata is read (consumed
//! capacity, `UnprocessedKeys`, how many items came back: `wire::read::meta`, no GIL); the items
//! become Python objects in `convert`, one GIL hold for all bodies.

use crate::transport::direct::plain::together;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity};
use bytes::Bytes;
use futures::stream::{self, StreamExt, TryStreamExt};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind};
use crate::ops::send::{About, Call};
use crate::ops::{batch_backoff, metrics};
use crate::wire::write::multi_body;
use crate::wire::{dict_to_item, Item, ReadOptions};

const CHUNK: usize = 100;
/// Requests in flight at once when the caller does not say.
const DEFAULT_CONCURRENCY: usize = 8;

pub struct Prepared {
    call: Arc<Call>,
    table: Arc<str>,
    keys: Vec<Item>,
    /// Projection and consistency, sent with every request (keys filled in per request).
    template: Arc<KeysAndAttributes>,
    concurrency: usize,
    max_attempts: u32,
}

/// A key as comparable text: attribute names in order, each with its value.
fn fingerprint(key: &Item) -> String {
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    names.into_iter().map(|n| format!("{n:?}={:?};", key[n])).collect()
}

/// The keys with later repeats of a key left out, first occurrences in order.
fn distinct(keys: Vec<Item>) -> Vec<Item> {
    let mut seen = HashSet::with_capacity(keys.len());
    keys.into_iter().filter(|k| seen.insert(fingerprint(k))).collect()
}

/// Every response body, decoded into Python once the GIL is held.
pub struct Output {
    bodies: Vec<Bytes>,
    read: ReadOptions,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    keys: crate::ops::args::Seq<Bound<'_, PyDict>>,
    consistent_read: bool,
    projection: Option<crate::ops::args::Seq<String>>,
    max_concurrency: Option<i64>,
    max_attempts: Option<i64>,
) -> PyResult<Prepared> {
    let max_attempts = batch_backoff::attempts("batch_get", max_attempts)?;
    let concurrency = match max_concurrency {
        None => DEFAULT_CONCURRENCY,
        Some(n) if n >= 1 => n.min(1024) as usize,
        Some(n) => return Err(crate::errors::invalid(format!("batch_get: max_concurrency must be at least 1, got {n}"))),
    };
    let keys = keys.iter().enumerate().map(|(i, k)| dict_to_item(k, &format!("keys[{i}]"))).collect::<PyResult<Vec<_>>>()?;
    // ConsistentRead is left out unless asked for, as before the parameter existed.
    let mut template = KeysAndAttributes::builder().set_keys(Some(Vec::new())).set_consistent_read(consistent_read.then_some(true));
    if let Some(paths) = projection {
        // Document paths, as get_item's projection (every name a placeholder). Only what
        // the caller asked for is returned: include the key attributes to match items.
        let (expression, names) = crate::ops::projection::document_paths(&paths, "projection")?;
        template = template.projection_expression(expression).set_expression_attribute_names(Some(names));
    }
    let template = template.build().map_err(|e| crate::errors::invalid(format!("batch_get: {e}")))?;
    let call = Arc::new(Call::new(&client.shared, "batch_get", OpKind::Other, About::table(&table)));
    Ok(Prepared { call, table: table.into(), keys: distinct(keys), template: Arc::new(template), concurrency, max_attempts })
}

/// The request for `keys`, with the caller's projection and consistency.
fn request_for(template: &KeysAndAttributes, keys: Vec<Item>) -> KeysAndAttributes {
    let mut request = template.clone();
    request.keys = keys;
    request
}

/// What one chunk of up to 100 keys read: the bodies holding items, their count, the RCU.
struct ChunkRead {
    bodies: Vec<Bytes>,
    items: usize,
    rcu: Option<f64>,
}

async fn read_chunk(call: Arc<Call>, table: Arc<str>, template: Arc<KeysAndAttributes>, keys: Vec<Item>, max_attempts: u32) -> Result<ChunkRead, Error> {
    let mut out = ChunkRead { bodies: Vec::new(), items: 0, rcu: None };
    let mut pending = request_for(&template, keys);
    let mut attempt = 0;
    loop {
        let table_name = table.to_string();
        let direct = call.wants_direct().then(|| multi_body::batch_get(&table, &pending));
        let send = |sdk: aws_sdk_dynamodb::Client| async move {
            sdk.batch_get_item().request_items(table_name, pending).return_consumed_capacity(ReturnConsumedCapacity::Total).send().await
        };
        let raw = call.send("BatchGetItem", direct, send).await?;
        let meta = call.meta(&raw)?;
        if let Some(units) = metrics::sum_units(&meta.consumed_capacity) {
            out.rcu = Some(out.rcu.unwrap_or(0.0) + units);
        }
        out.items += meta.responses;
        if meta.responses > 0 {
            out.bodies.push(raw.body);
        }
        if meta.unprocessed_keys.is_empty() {
            return Ok(out);
        }
        attempt += 1;
        if attempt >= max_attempts {
            let left = meta.unprocessed_keys.len();
            return Err(call.fail(Error::new(ErrorKind::Throughput, format!("batch_get gave up after {attempt} attempts with {left} keys still unread"))));
        }
        pending = request_for(&template, meta.unprocessed_keys);
        batch_backoff::backoff(attempt).await;
    }
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    let Prepared { call, table, keys, template, concurrency, max_attempts } = p;
    let mut chunks = Vec::with_capacity(keys.len().div_ceil(CHUNK));
    let mut rest = keys.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(CHUNK).collect::<Vec<_>>());
    }
    // Concurrent within this one future; the first error drops (cancels) the other reads.
    let (c, t) = (call.clone(), table.clone());
    let reads: Vec<ChunkRead> = together(stream::iter(chunks.into_iter().map(move |chunk| read_chunk(c.clone(), t.clone(), template.clone(), chunk, max_attempts)))
        .buffer_unordered(concurrency)
        .try_collect())
    .await?;
    let mut rcu = None::<f64>;
    let mut bodies = Vec::new();
    let mut items = 0usize;
    for r in reads {
        if let Some(units) = r.rcu {
            rcu = Some(rcu.unwrap_or(0.0) + units);
        }
        items += r.items;
        bodies.extend(r.bodies);
    }
    let m = OperationMetrics {
        duration_ms: metrics::elapsed_ms(started),
        consumed_rcu: rcu,
        items_count: Some(items as i64),
        ..Default::default()
    };
    call.record(&m);
    Ok(Output { bodies, read: call.read_options() })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for body in &out.bodies {
        for item in crate::wire::read::response(py, body, out.read)?.items {
            list.append(item)?;
        }
    }
    Ok(list.into_any().unbind())
}
