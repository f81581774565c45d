//! BatchWriteItem over any number of items: 25 per request, unprocessed items re-sent
//! with backoff. Every item is converted before the first request, so a bad value fails
//! the call before anything is written.

use std::time::Instant;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, ReturnConsumedCapacity, WriteRequest};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind};
use crate::ops::send::{About, Call};
use crate::ops::{batch_backoff, metrics};
use crate::wire::dict_to_item;

const CHUNK: usize = 25;

pub struct Prepared {
    call: Call,
    table: String,
    writes: Vec<WriteRequest>,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    put_items: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
    delete_keys: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
) -> PyResult<Prepared> {
    let puts = put_items.unwrap_or_default();
    let deletes = delete_keys.unwrap_or_default();
    let mut writes = Vec::with_capacity(puts.len() + deletes.len());
    for (i, item) in puts.iter().enumerate() {
        let item = dict_to_item(item, &format!("put_items[{i}]"))?;
        writes.push(WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().expect("item is set")).build());
    }
    for (i, key) in deletes.iter().enumerate() {
        let key = dict_to_item(key, &format!("delete_keys[{i}]"))?;
        writes.push(WriteRequest::builder().delete_request(DeleteRequest::builder().set_key(Some(key)).build().expect("key is set")).build());
    }
    let call = Call::new(&client.shared, "batch_write", OpKind::Other, About::table(&table));
    Ok(Prepared { call, table, writes })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, table, writes } = p;
    let started = Instant::now();
    let mut wcu = None::<f64>;
    let total = writes.len();
    let mut written = 0usize;
    let mut remaining = writes.into_iter().peekable();
    while remaining.peek().is_some() {
        let mut pending: Vec<WriteRequest> = remaining.by_ref().take(CHUNK).collect();
        let mut attempt = 0;
        loop {
            let chunk_len = pending.len();
            let table = &table;
            let send = |sdk: aws_sdk_dynamodb::Client| async move {
                sdk.batch_write_item().request_items(table, pending).return_consumed_capacity(ReturnConsumedCapacity::Total).send().await
            };
            let (out, _) = call
                .send_sdk("BatchWriteItem", send)
                .await
                .map_err(|mut err| {
                    err.message = format!("{} ({written} of {total} items were written before this error)", err.message);
                    err
                })?;
            if let Some(units) = metrics::sum_units(out.consumed_capacity()) {
                wcu = Some(wcu.unwrap_or(0.0) + units);
            }
            pending = out.unprocessed_items.and_then(|mut u| u.remove(table)).unwrap_or_default();
            written += chunk_len - pending.len();
            if pending.is_empty() {
                break;
            }
            attempt += 1;
            if attempt >= batch_backoff::MAX_ATTEMPTS {
                return Err(call.fail(Error::new(
                    ErrorKind::Throughput,
                    format!("batch_write gave up after {attempt} attempts: {written} of {total} items were written, the rest were not"),
                )));
            }
            batch_backoff::backoff(attempt).await;
        }
    }
    let m = OperationMetrics { duration_ms: metrics::elapsed_ms(started), consumed_wcu: wcu, ..Default::default() };
    call.record(&m);
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
