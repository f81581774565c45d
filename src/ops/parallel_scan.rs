//! ParallelScan: the segments scanned concurrently, at most `max_concurrency` at a time
//! (so a large `total_segments` cannot open that many connections at once), all items
//! returned at once.

use crate::transport::direct::plain::together;
use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use bytes::Bytes;
use futures::stream::{self, StreamExt, TryStreamExt};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::page::{accumulate, fetch_meta, PageRequest};
use crate::ops::send::Call;
use crate::ops::{args, metrics};
use crate::wire::ReadOptions;

/// Segments scanned at the same time when the caller does not say.
pub const DEFAULT_MAX_CONCURRENCY: i32 = 16;

pub struct Prepared {
    /// Shared by the segments' futures.
    call: Arc<Call>,
    segments: Vec<PageRequest>,
    concurrency: usize,
}

/// Every page's body, decoded into Python once the GIL is held (ADR 6).
pub struct Output {
    bodies: Vec<Bytes>,
    metrics: OperationMetrics,
    read: ReadOptions,
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    total_segments: i64,
    filter_expression: Option<String>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    consistent_read: bool,
    max_concurrency: Option<i64>,
) -> PyResult<Prepared> {
    let total = crate::ops::scan::segments(Some(0), Some(total_segments))?.1.unwrap_or(1);
    let concurrency = args::count_arg(max_concurrency, "max_concurrency", 1)?.unwrap_or(DEFAULT_MAX_CONCURRENCY).min(total);
    let base = aws_sdk_dynamodb::operation::scan::ScanInput::builder()
        .table_name(table)
        .set_filter_expression(filter_expression)
        .set_projection_expression(projection_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .consistent_read(consistent_read)
        .total_segments(total)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let segments: Vec<PageRequest> = (0..total).map(|s| PageRequest::Scan(base.clone().segment(s))).collect();
    // Its pages count as scans in the client's totals, as the pager's do.
    let call = Call::new(&client.shared, "parallel_scan", OpKind::Scan, segments[0].about());
    // count_arg guarantees 1..=i32::MAX, which fits usize on every supported target.
    Ok(Prepared { call: Arc::new(call), segments, concurrency: concurrency.max(1) as usize })
}

/// One segment's page bodies in order, and its metrics.
async fn scan_segment(call: &Call, request: &PageRequest) -> Result<(Vec<Bytes>, OperationMetrics), Error> {
    let mut bodies = Vec::new();
    let mut total = OperationMetrics::default();
    let mut start = None;
    loop {
        let page = fetch_meta(call, request, start).await?;
        accumulate(&mut total, &page.metrics);
        bodies.push(page.body);
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return Ok((bodies, total)),
        }
    }
}

async fn owned_segment(call: Arc<Call>, request: PageRequest) -> Result<(Vec<Bytes>, OperationMetrics), Error> {
    scan_segment(&call, &request).await
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    let read_options = p.call.read_options();
    // Concurrent within this one future: no task hand-off, at most `concurrency` segments in
    // flight, and the first error drops (cancels) the rest.
    // Each segment's future owns what it uses (borrowing from `p` here trips the
    // compiler's Send check of the spawned future).
    let call = p.call.clone();
    let segments = p.segments.into_iter().map(move |request| owned_segment(call.clone(), request));
    let results: Vec<_> = together(stream::iter(segments).buffer_unordered(p.concurrency).try_collect()).await?;
    let mut bodies = Vec::new();
    let mut total = OperationMetrics::default();
    for (segment_bodies, m) in results {
        bodies.extend(segment_bodies);
        accumulate(&mut total, &m);
    }
    total.duration_ms = metrics::elapsed_ms(started);
    Ok(Output { bodies, metrics: total, read: read_options })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for body in &out.bodies {
        for item in crate::wire::read::response(py, body, out.read)?.items {
            list.append(item)?;
        }
    }
    PyTuple::new(py, [list.into_any(), out.metrics.into_bound_py_any(py)?])?.into_py_any(py)
}
