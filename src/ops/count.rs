//! Count: a Scan with Select=COUNT over every page, returning (count, metrics). Pages are
//! fetched by the page layer (`ops::page::fetch_meta`, on the direct path when the client
//! has one) and only their metadata read, with no GIL and no `AttributeValue` tree.

use std::time::Instant;

use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, Select};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::page::{accumulate, fetch_meta, PageRequest};
use crate::ops::send::Call;
use crate::ops::{args, metrics};

pub struct Prepared {
    call: Call,
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
    let request = PageRequest::Scan(request);
    // Its pages count as scans in the client's totals, as the pager's do.
    let call = Call::new(&client.shared, "count", OpKind::Scan, request.about());
    Ok(Prepared { call, request })
}

pub async fn execute(p: Prepared) -> Result<(i64, OperationMetrics), Error> {
    let started = Instant::now();
    let mut total = OperationMetrics::default();
    let mut count: i64 = 0;
    let mut start = None;
    loop {
        let page = fetch_meta(&p.call, &p.request, start).await?;
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

pub fn convert(py: Python<'_>, out: (i64, OperationMetrics)) -> PyResult<Py<PyAny>> {
    out.into_py_any(py)
}
