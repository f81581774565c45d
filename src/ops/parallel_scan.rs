//! ParallelScan: every segment scanned concurrently, all items returned at once.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient};
use crate::convert::{item_to_py, Item, ReadOptions};
use crate::errors::Error;
use crate::ops::{args, count::accumulate, metrics};
use crate::pager::PageRequest;

pub struct Prepared {
    shared: Arc<ClientShared>,
    segments: Vec<PageRequest>,
}

pub struct Output {
    items: Vec<Item>,
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
) -> PyResult<Prepared> {
    let total = crate::ops::scan::segments(Some(0), Some(total_segments))?.1.unwrap_or(1);
    let base = aws_sdk_dynamodb::operation::scan::ScanInput::builder()
        .table_name(table)
        .set_filter_expression(filter_expression)
        .set_projection_expression(projection_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .consistent_read(consistent_read)
        .total_segments(total)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let segments = (0..total).map(|s| PageRequest::Scan(base.clone().segment(s))).collect();
    Ok(Prepared { shared: client.shared.clone(), segments })
}

async fn scan_segment(shared: &Arc<ClientShared>, request: &PageRequest) -> Result<(Vec<Item>, OperationMetrics), Error> {
    let mut items = Vec::new();
    let mut total = OperationMetrics::default();
    let mut start = None;
    loop {
        let page = request.fetch(shared, start, None).await?;
        items.extend(page.items);
        accumulate(&mut total, &page.metrics);
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return Ok((items, total)),
        }
    }
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    // Concurrent within this one future: no task hand-off, and the first error cancels the rest.
    let results = futures::future::try_join_all(p.segments.iter().map(|r| scan_segment(&p.shared, r))).await?;
    let mut items = Vec::new();
    let mut total = OperationMetrics::default();
    for (segment_items, m) in results {
        items.extend(segment_items);
        accumulate(&mut total, &m);
    }
    total.duration_ms = metrics::elapsed_ms(started);
    Ok(Output { items, metrics: total, read: p.shared.read })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for item in &out.items {
        list.append(item_to_py(py, item, out.read)?)?;
    }
    PyTuple::new(py, [list.into_any(), out.metrics.into_bound_py_any(py)?])?.into_py_any(py)
}
