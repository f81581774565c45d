//! BatchGetItem over any number of keys: 100 per request, unprocessed keys re-requested
//! with backoff.
//!
//! Each response body is captured (ADR 6). On tokio only its metadata is read (consumed
//! capacity, `UnprocessedKeys`, how many items came back: `wire::read::meta`, no GIL); the items
//! become Python objects in `convert`, one GIL hold for all bodies.

use std::time::Instant;

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity};
use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind};
use crate::ops::send::{About, Call};
use crate::ops::{batch_backoff, metrics};
use crate::wire::{dict_to_item, Item, ReadOptions};

const CHUNK: usize = 100;

pub struct Prepared {
    call: Call,
    table: String,
    keys: Vec<Item>,
    /// Projection and consistency, sent with every request (keys filled in per request).
    template: KeysAndAttributes,
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
) -> PyResult<Prepared> {
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
    let call = Call::new(&client.shared, "batch_get", OpKind::Other, About::table(&table));
    Ok(Prepared { call, table, keys, template })
}

/// The request for `keys`, with the caller's projection and consistency.
fn request_for(template: &KeysAndAttributes, keys: Vec<Item>) -> KeysAndAttributes {
    let mut request = template.clone();
    request.keys = keys;
    request
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    let mut rcu = None::<f64>;
    let mut bodies = Vec::new();
    let mut items = 0usize;
    for chunk in p.keys.chunks(CHUNK) {
        let mut pending = request_for(&p.template, chunk.to_vec());
        let mut attempt = 0;
        loop {
            let table = &p.table;
            let send = |sdk: aws_sdk_dynamodb::Client| async move {
                sdk.batch_get_item().request_items(table, pending).return_consumed_capacity(ReturnConsumedCapacity::Total).send().await
            };
            let raw = p.call.send("BatchGetItem", None, send).await?;
            let meta = p.call.meta(&raw)?;
            if let Some(units) = metrics::sum_units(&meta.consumed_capacity) {
                rcu = Some(rcu.unwrap_or(0.0) + units);
            }
            items += meta.responses;
            if meta.responses > 0 {
                bodies.push(raw.body);
            }
            if meta.unprocessed_keys.is_empty() {
                break;
            }
            pending = request_for(&p.template, meta.unprocessed_keys);
            attempt += 1;
            if attempt >= batch_backoff::MAX_ATTEMPTS {
                return Err(p.call.fail(Error::new(ErrorKind::Throughput, format!("batch_get gave up after {attempt} attempts with keys still unread"))));
            }
            batch_backoff::backoff(attempt).await;
        }
    }
    let m = OperationMetrics {
        duration_ms: metrics::elapsed_ms(started),
        consumed_rcu: rcu,
        items_count: Some(items as i64),
        ..Default::default()
    };
    p.call.record(&m);
    Ok(Output { bodies, read: p.call.read_options() })
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
