//! Query: returns a lazy pager (no I/O until iterated).

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{DynamoDBClient, OpKind};
use crate::wire::dict_to_item;
use crate::ops::args;
use crate::ops::page::PageRequest;
use crate::ops::send::Call;
use crate::pager::Pager;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    key_condition_expression: String,
    filter_expression: Option<String>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    limit: Option<i64>,
    page_size: Option<i64>,
    scan_index_forward: Option<bool>,
    index_name: Option<String>,
    last_evaluated_key: Option<Bound<'_, PyDict>>,
    consistent_read: bool,
) -> PyResult<Pager> {
    let limit = args::count_arg(limit, "limit", 0)?.map(|n| n as usize);
    let page_size = args::count_arg(page_size, "page_size", 1)?;
    let start = last_evaluated_key.map(|k| dict_to_item(&k, "last_evaluated_key")).transpose()?;
    let request = aws_sdk_dynamodb::operation::query::QueryInput::builder()
        .table_name(table)
        .key_condition_expression(key_condition_expression)
        .set_filter_expression(filter_expression)
        .set_projection_expression(projection_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .set_scan_index_forward(scan_index_forward)
        .set_index_name(index_name)
        .consistent_read(consistent_read)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let request = PageRequest::Query(request);
    let call = Call::new(&client.shared, "query", OpKind::Query, request.about());
    Ok(Pager::new(call, request, limit, page_size, start))
}
