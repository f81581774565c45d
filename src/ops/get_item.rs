//! GetItem.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use aws_sdk_dynamodb::operation::get_item::builders::GetItemInputBuilder;
use aws_sdk_dynamodb::operation::get_item::GetItemInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::wire::dict_to_item;
use crate::wire::write::body::Body;
use crate::transport::sdk_body::capture;
use crate::errors::{on_table, Error, ErrorKind};
use crate::ops::metrics;

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: GetItemInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<Bytes>,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity is in the body.
pub struct Output {
    body: Bytes,
    shared: Arc<ClientShared>,
    started: Instant,
    elapsed: Duration,
    request_id: Option<String>,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    key: Bound<'_, PyDict>,
    consistent_read: bool,
    projection: Option<crate::ops::args::Seq<String>>,
) -> PyResult<Prepared> {
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
    let direct_body = client.shared.wants_direct().then(|| direct_body(&request));
    Ok(Prepared { shared: client.shared.clone(), request, direct_body })
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

async fn run(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    if let Some(body) = p.direct_body {
        if let Some((direct, connector)) = p.shared.direct_here().await {
            let out = direct.call(&connector, "GetItem", body).await?;
            return Ok(Output { body: out.body, shared: p.shared, started, elapsed: started.elapsed(), request_id: out.request_id });
        }
    }
    let (out, body) = capture(p.request.send_with(&p.shared.sdk_here().await?)).await;
    let out = out?;
    let body = body.ok_or_else(|| Error::new(ErrorKind::Service, "the response body was not captured"))?;
    Ok(Output { body, shared: p.shared, started, elapsed: started.elapsed(), request_id: out.request_id().map(str::to_owned) })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = p.request.get_table_name().clone().unwrap_or_default();
    run(p).await.map_err(|e| e.during(&shared, || on_table("get_item", &what, None)))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    Ok(convert_with_metrics(py, out)?.0)
}

/// The item (None when missing) and this call's own metrics, which are also recorded as
/// the client's last (`get_item_with_metrics` hands both to its caller).
pub fn convert_with_metrics(py: Python<'_>, out: Output) -> PyResult<(Py<PyAny>, OperationMetrics)> {
    let response = crate::wire::read::response(py, &out.body, out.shared.read)?;
    let mut m = metrics::read(out.started, response.consumed_capacity.as_ref(), out.request_id.as_deref());
    m.duration_ms = out.elapsed.as_secs_f64() * 1000.0;
    out.shared.record(OpKind::Get, &m);
    let item = match response.item {
        Some(item) => item.into_any().unbind(),
        None => py.None(),
    };
    Ok((item, m))
}
