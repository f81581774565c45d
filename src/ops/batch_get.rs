//! BatchGetItem over any number of keys: 100 per request, unprocessed keys re-requested
//! with backoff.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::convert::{dict_to_item, item_to_py, Item, ReadOptions};
use crate::errors::{on_table, Error, ErrorKind};
use crate::ops::{metrics, retry};

const CHUNK: usize = 100;

pub struct Prepared {
    shared: Arc<ClientShared>,
    table: String,
    keys: Vec<Item>,
}

pub struct Output {
    items: Vec<Item>,
    read: ReadOptions,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table: String, keys: crate::ops::args::Seq<Bound<'_, PyDict>>) -> PyResult<Prepared> {
    let keys = keys.iter().enumerate().map(|(i, k)| dict_to_item(k, &format!("keys[{i}]"))).collect::<PyResult<Vec<_>>>()?;
    Ok(Prepared { shared: client.shared.clone(), table, keys })
}

async fn run(p: Prepared) -> Result<Output, Error> {
    let sdk = p.shared.sdk_here().await?;
    let started = Instant::now();
    let mut rcu = None::<f64>;
    let mut items = Vec::with_capacity(p.keys.len());
    for chunk in p.keys.chunks(CHUNK) {
        let mut pending = KeysAndAttributes::builder().set_keys(Some(chunk.to_vec())).build().expect("keys are set");
        let mut attempt = 0;
        loop {
            let out = sdk
                .batch_get_item()
                .request_items(&p.table, pending)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await?;
            if let Some(units) = metrics::sum_units(out.consumed_capacity()) {
                rcu = Some(rcu.unwrap_or(0.0) + units);
            }
            if let Some(mut responses) = out.responses {
                items.extend(responses.remove(&p.table).unwrap_or_default());
            }
            match out.unprocessed_keys.and_then(|mut u| u.remove(&p.table)).filter(|k| !k.keys().is_empty()) {
                None => break,
                Some(rest) => pending = rest,
            }
            attempt += 1;
            if attempt >= retry::MAX_ATTEMPTS {
                return Err(Error::new(ErrorKind::Throughput, format!("batch_get gave up after {attempt} attempts with keys still unread")));
            }
            retry::backoff(attempt).await;
        }
    }
    let m = OperationMetrics {
        duration_ms: metrics::elapsed_ms(started),
        consumed_rcu: rcu,
        items_count: Some(items.len() as i64),
        ..Default::default()
    };
    p.shared.record(OpKind::Other, &m);
    Ok(Output { items, read: p.shared.read })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = p.table.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("batch_get", &what, None)))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for item in &out.items {
        list.append(item_to_py(py, item, out.read)?)?;
    }
    Ok(list.into_any().unbind())
}
