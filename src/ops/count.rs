//! Count: a Scan with Select=COUNT over every page, returning (count, metrics).
//!
//! Also home of [`fetch_body`], the one-page fetch of the operations that loop over Scan
//! pages on tokio (count, parallel_scan): the body is captured (ADR 6) and only its
//! metadata read here, with no GIL and no `AttributeValue` tree.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, Select};
use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::wire::Item;
use crate::errors::{Error, ErrorKind};
use crate::ops::{args, metrics};
use crate::pager::PageRequest;
use crate::transport::sdk_body::capture;

/// One Scan/Query page: its body (items not decoded yet) and what steers the next request.
pub struct BodyPage {
    pub body: Bytes,
    /// Present when there is another page.
    pub last_evaluated_key: Option<Item>,
    pub count: i32,
    pub metrics: OperationMetrics,
}

/// Fetches one page starting after `start` and records its metrics on the client, as the
/// pager does for each page. The caller names the operation in errors (`Error::during`).
pub async fn fetch_body(shared: &Arc<ClientShared>, request: &PageRequest, start: Option<Item>) -> Result<BodyPage, Error> {
    let sdk = shared.sdk_here().await?;
    let started = Instant::now();
    let (request_id, body, kind) = match request {
        PageRequest::Query(q) => {
            let (out, body) = capture(q.clone().set_exclusive_start_key(start).send_with(&sdk)).await;
            (out?.request_id().map(str::to_owned), body, OpKind::Query)
        }
        PageRequest::Scan(s) => {
            let (out, body) = capture(s.clone().set_exclusive_start_key(start).send_with(&sdk)).await;
            (out?.request_id().map(str::to_owned), body, OpKind::Scan)
        }
    };
    let body = body.ok_or_else(|| Error::new(ErrorKind::Service, "the response body was not captured"))?;
    let meta = crate::wire::read::meta(&body).map_err(|message| Error::new(ErrorKind::Service, message))?;
    let mut m = metrics::read(started, meta.consumed_capacity.first(), request_id.as_deref());
    m.items_count = Some(i64::from(meta.count.unwrap_or(0)));
    m.scanned_count = Some(i64::from(meta.scanned_count.unwrap_or(0)));
    shared.record(kind, &m);
    Ok(BodyPage { body, last_evaluated_key: meta.last_evaluated_key, count: meta.count.unwrap_or(0), metrics: m })
}

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: PageRequest,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    filter_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    index_name: Option<String>,
    consistent_read: bool,
) -> PyResult<Prepared> {
    let request = aws_sdk_dynamodb::operation::scan::ScanInput::builder()
        .table_name(table)
        .select(Select::Count)
        .set_filter_expression(filter_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .set_index_name(index_name)
        .consistent_read(consistent_read)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    Ok(Prepared { shared: client.shared.clone(), request: PageRequest::Scan(request) })
}

/// Adds one page's metrics into a running total for a multi-page call.
pub fn accumulate(total: &mut OperationMetrics, page: &OperationMetrics) {
    let add = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    };
    total.consumed_rcu = add(total.consumed_rcu, page.consumed_rcu);
    total.items_count = Some(total.items_count.unwrap_or(0) + page.items_count.unwrap_or(0));
    total.scanned_count = Some(total.scanned_count.unwrap_or(0) + page.scanned_count.unwrap_or(0));
    if page.request_id.is_some() {
        total.request_id = page.request_id.clone();
    }
}

async fn run(p: Prepared) -> Result<(i64, OperationMetrics), Error> {
    let started = Instant::now();
    let mut total = OperationMetrics::default();
    let mut count: i64 = 0;
    let mut start = None;
    loop {
        let page = fetch_body(&p.shared, &p.request, start).await?;
        count += page.count as i64;
        accumulate(&mut total, &page.metrics);
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => break,
        }
    }
    total.duration_ms = metrics::elapsed_ms(started);
    Ok((count, total))
}

/// Runs the call; an error names the operation and the table (or index).
pub async fn execute(p: Prepared) -> Result<(i64, OperationMetrics), Error> {
    let shared = p.shared.clone();
    let what = p.request.describe_as("count");
    run(p).await.map_err(|e| e.during(&shared, || what))
}

pub fn convert(py: Python<'_>, out: (i64, OperationMetrics)) -> PyResult<Py<PyAny>> {
    out.into_py_any(py)
}
