//! GetItem.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::operation::get_item::builders::GetItemInputBuilder;
use aws_sdk_dynamodb::operation::get_item::GetItemInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::convert::{dict_to_item, item_to_py, Item, ReadOptions};
use crate::errors::{on_table, Error};
use crate::ops::metrics;

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: GetItemInputBuilder,
}

pub struct Output {
    item: Option<Item>,
    read: ReadOptions,
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
    Ok(Prepared { shared: client.shared.clone(), request })
}

async fn run(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    let out = p.request.send_with(&p.shared.sdk_here().await?).await?;
    let m = metrics::read(started, out.consumed_capacity(), out.request_id());
    p.shared.record(OpKind::Get, &m);
    Ok(Output { item: out.item, read: p.shared.read })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = p.request.get_table_name().clone().unwrap_or_default();
    run(p).await.map_err(|e| e.during(&shared, || on_table("get_item", &what, None)))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    match out.item {
        Some(item) => Ok(item_to_py(py, &item, out.read)?.into_any().unbind()),
        None => Ok(py.None()),
    }
}
