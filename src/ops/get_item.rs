//! GetItem.

use bytes::Bytes;

use aws_sdk_dynamodb::operation::get_item::builders::GetItemInputBuilder;
use aws_sdk_dynamodb::operation::get_item::GetItemInput;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call, Raw};
use crate::wire::dict_to_item;
use crate::wire::write::body::Body;

pub struct Prepared {
    call: Call,
    request: GetItemInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<Bytes>,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity is in the body.
pub struct Output {
    call: Call,
    raw: Raw,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    key: Bound<'_, PyDict>,
    consistent_read: bool,
    projection: Option<crate::ops::args::Seq<String>>,
) -> PyResult<Prepared> {
    let call = Call::new(&client.shared, "get_item", OpKind::Get, About::table(&table));
    let mut request = GetItemInput::builder()
        .table_name(table)
        .set_key(Some(dict_to_item(&key, "key")?))
        .consistent_read(consistent_read)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    if let Some(paths) = projection {
        // Document paths (`address.city`, `tags[0]`), every name a placeholder.
        let (expression, names) = crate::ops::projection::document_paths(&paths, "projection")?;
        request = request.projection_expression(expression).set_expression_attribute_names(Some(names));
    }
    let direct_body = call.wants_direct().then(|| direct_body(&request));
    Ok(Prepared { call, request, direct_body })
}

/// The GetItem request as JSON, the same fields the SDK would serialize.
fn direct_body(r: &GetItemInputBuilder) -> Bytes {
    let mut body = Body::new();
    body.str("TableName", r.get_table_name().as_deref())
        .item("Key", r.get_key().as_ref())
        .bool("ConsistentRead", *r.get_consistent_read())
        .str("ProjectionExpression", r.get_projection_expression().as_deref())
        .names("ExpressionAttributeNames", r.get_expression_attribute_names().as_ref())
        .str("ReturnConsumedCapacity", r.get_return_consumed_capacity().as_ref().map(|c| c.as_str()));
    body.finish()
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let Prepared { call, request, direct_body } = p;
    let raw = call.send("GetItem", direct_body, |sdk| async move { request.send_with(&sdk).await }).await?;
    Ok(Output { call, raw })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    Ok(convert_with_metrics(py, out)?.0)
}

/// The item (None when missing) and this call's own metrics, which are also recorded as
/// the client's last (`get_item_with_metrics` hands both to its caller).
pub fn convert_with_metrics(py: Python<'_>, out: Output) -> PyResult<(Py<PyAny>, OperationMetrics)> {
    let response = crate::wire::read::response(py, &out.raw.body, out.call.read_options())?;
    let m = out.raw.sent.read_metrics(response.consumed_capacity.as_ref());
    out.call.record(&m);
    let item = match response.item {
        Some(item) => item.into_any().unbind(),
        None => py.None(),
    };
    Ok((item, m))
}
