//! TransactGetItems from a list of get dicts; one result per get, None where missing.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::operation::transact_get_items::builders::TransactGetItemsInputBuilder;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::{Get, ReturnConsumedCapacity, TransactGetItem};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::convert::{dict_to_item, item_to_py, Item, ReadOptions};
use crate::errors::Error;
use crate::ops::{args, metrics};

const KEYS: &[&str] = &["table", "key", "projection_expression", "expression_attribute_names"];

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: TransactGetItemsInputBuilder,
}

pub struct Output {
    items: Vec<Option<Item>>,
    read: ReadOptions,
}

fn one(get: &Bound<'_, PyDict>, at: &str) -> PyResult<TransactGetItem> {
    args::only_keys(get, KEYS, at)?;
    let table = args::string(&args::required(get, "table", at)?, &format!("{at}['table']"))?;
    let key_path = format!("{at}['key']");
    let key = dict_to_item(&args::dict(&args::required(get, "key", at)?, &key_path)?, &key_path)?;
    let projection = args::optional(get, "projection_expression")?.map(|v| args::string(&v, &format!("{at}['projection_expression']"))).transpose()?;
    let names_path = format!("{at}['expression_attribute_names']");
    let names = args::names_at(args::optional(get, "expression_attribute_names")?.map(|v| args::dict(&v, &names_path)).transpose()?.as_ref(), &names_path)?;
    let get = Get::builder()
        .table_name(table)
        .set_key(Some(key))
        .set_projection_expression(projection)
        .set_expression_attribute_names(names)
        .build()
        .map_err(|e| crate::errors::invalid(format!("{at}: {e}")))?;
    Ok(TransactGetItem::builder().get(get).build())
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, gets: crate::ops::args::Seq<Bound<'_, PyDict>>) -> PyResult<Prepared> {
    let items = gets.iter().enumerate().map(|(i, g)| one(g, &format!("gets[{i}]"))).collect::<PyResult<Vec<_>>>()?;
    let request = TransactGetItemsInput::builder()
        .set_transact_items(Some(items))
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    Ok(Prepared { shared: client.shared.clone(), request })
}

/// The tables the gets read, for error messages.
fn tables_of_gets(p: &Prepared) -> String {
    let items = p.request.get_transact_items().as_deref().unwrap_or_default();
    crate::errors::tables(items.iter().filter_map(|t| t.get()).map(|g| g.table_name()))
}

async fn run(p: Prepared) -> Result<Output, Error> {
    // Nothing to read: no request (DynamoDB would reject an empty transaction), as in 0.21.0.
    if p.request.get_transact_items().as_ref().is_none_or(|items| items.is_empty()) {
        return Ok(Output { items: Vec::new(), read: p.shared.read });
    }
    let started = Instant::now();
    let out = p.request.send_with(&p.shared.sdk_here().await?).await?;
    let m = OperationMetrics {
        duration_ms: metrics::elapsed_ms(started),
        consumed_rcu: metrics::sum_units(out.consumed_capacity()),
        request_id: out.request_id().map(str::to_owned),
        ..Default::default()
    };
    p.shared.record(OpKind::Other, &m);
    let items = out.responses.unwrap_or_default().into_iter().map(|r| r.item.filter(|i| !i.is_empty())).collect();
    Ok(Output { items, read: p.shared.read })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = tables_of_gets(&p);
    run(p).await.map_err(|e| e.during(&shared, || format!("transact_get on {what}")))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    for item in &out.items {
        match item {
            Some(item) => list.append(item_to_py(py, item, out.read)?)?,
            None => list.append(py.None())?,
        }
    }
    Ok(list.into_any().unbind())
}
