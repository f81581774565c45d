//! PutItem.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::operation::put_item::builders::PutItemInputBuilder;
use aws_sdk_dynamodb::operation::put_item::PutItemInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::wire::dict_to_item;
use crate::errors::{on_table, Error};
use crate::ops::{args, metrics};

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: PutItemInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<bytes::Bytes>,
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    item: Bound<'_, PyDict>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    return_values_on_condition_check_failure: bool,
) -> PyResult<Prepared> {
    let mut request = PutItemInput::builder()
        .table_name(table)
        .set_item(Some(dict_to_item(&item, "item")?))
        .set_condition_expression(condition_expression)
        .set_expression_attribute_names(args::names(expression_attribute_names)?)
        .set_expression_attribute_values(args::values(expression_attribute_values)?)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    if return_values_on_condition_check_failure {
        request = request.return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    }
    let direct_body = client.shared.wants_direct().then(|| crate::wire::write::body::conditional_write_body!(&request, "Item", get_item));
    Ok(Prepared { shared: client.shared.clone(), request, direct_body })
}

async fn run(p: Prepared) -> Result<OperationMetrics, Error> {
    let started = Instant::now();
    if let Some(done) = crate::transport::direct::write(&p.shared, p.direct_body, "PutItem", OpKind::Put, started).await {
        return done;
    }
    let out = p.request.send_with(&p.shared.sdk_here().await?).await?;
    let m = metrics::write(started, out.consumed_capacity(), out.request_id());
    p.shared.record(OpKind::Put, &m);
    Ok(m)
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<OperationMetrics, Error> {
    let shared = p.shared.clone();
    let what = p.request.get_table_name().clone().unwrap_or_default();
    run(p).await.map_err(|e| e.during(&shared, || on_table("put_item", &what, None)))
}

pub fn convert(py: Python<'_>, m: OperationMetrics) -> PyResult<Py<PyAny>> {
    m.into_py_any(py)
}
