//! Scan: returns a lazy pager (no I/O until iterated).

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{DynamoDBClient, OpKind};
use crate::wire::dict_to_item;
use crate::ops::args;
use crate::ops::page::PageRequest;
use crate::ops::send::Call;
use crate::pager::Pager;

/// Checks `segment` / `total_segments` as a pair.
pub fn segments(segment: Option<i64>, total_segments: Option<i64>) -> PyResult<(Option<i32>, Option<i32>)> {
    let total = args::count_arg(total_segments, "total_segments", 1)?;
    let segment = args::count_arg(segment, "segment", 0)?;
    match (segment, total) {
        (None, None) => Ok((None, None)),
        (Some(s), Some(t)) if s < t && t <= 1_000_000 => Ok((Some(s), Some(t))),
        (Some(s), Some(t)) => Err(crate::errors::invalid(format!("segment must be below total_segments (got {s} of {t}; at most 1000000 segments)"))),
        _ => Err(crate::errors::invalid("segment and total_segments must be given together")),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    filter_expression: Option<String>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    limit: Option<i64>,
    page_size: Option<i64>,
    index_name: Option<String>,
    last_evaluated_key: Option<Bound<'_, PyDict>>,
    consistent_read: bool,
    segment: Option<i64>,
    total_segments: Option<i64>,
) -> PyResult<Pager> {
    let limit = args::count_arg(limit, "limit", 0)?.map(|n| n as usize);
    let page_size = args::count_arg(page_size, "page_size", 1)?;
    let (segment, total_segments) = segments(segment, total_segments)?;
    let start = last_evaluated_key.map(|k| dict_to_item(&k, "last_evaluated_key")).transpose()?;
    let request = aws_sdk_dynamodb::operation::scan::ScanInput::builder()
        .table_name(table)
        .set_filter_expression(filter_expression)
        .set_projection_expression(projection_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .set_index_name(index_name)
        .consistent_read(consistent_read)
        .set_segment(segment)
        .set_total_segments(total_segments)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let request = PageRequest::Scan(request);
    let call = Call::new(&client.shared, "scan", OpKind::Scan, request.about());
    Ok(Pager::new(call, request, limit, page_size, start))
}
