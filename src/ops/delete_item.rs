//! DeleteItem.

use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemInputBuilder;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemInput;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::args;
use crate::ops::send::{About, Call};
use crate::wire::dict_to_item;

pub struct Prepared {
    call: Call,
    request: DeleteItemInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<bytes::Bytes>,
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    key: Bound<'_, PyDict>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    return_values_on_condition_check_failure: bool,
) -> PyResult<Prepared> {
    let call = Call::new(&client.shared, "delete_item", OpKind::Delete, About::table(&table));
    let mut request = DeleteItemInput::builder()
        .table_name(table)
        .set_key(Some(dict_to_item(&key, "key")?))
        .set_condition_expression(condition_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    if return_values_on_condition_check_failure {
        request = request.return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    }
    let direct_body = call.wants_direct().then(|| crate::wire::write::body::conditional_write_body!(&request, "Key", get_key));
    Ok(Prepared { call, request, direct_body })
}

pub async fn execute(p: Prepared) -> Result<OperationMetrics, Error> {
    let Prepared { call, request, direct_body } = p;
    let raw = call.send("DeleteItem", direct_body, |sdk| async move { request.send_with(&sdk).await }).await?;
    call.record_write(&raw)
}

pub fn convert(py: Python<'_>, m: OperationMetrics) -> PyResult<Py<PyAny>> {
    m.into_py_any(py)
}
