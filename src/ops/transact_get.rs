//! TransactGetItems from a list of get dicts; one result per get, None where missing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use aws_sdk_dynamodb::operation::transact_get_items::builders::TransactGetItemsInputBuilder;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::{Get, ReturnConsumedCapacity, TransactGetItem};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::wire::dict_to_item;
use crate::errors::{Error, ErrorKind};
use crate::ops::{args, metrics};
use crate::transport::sdk_body::capture;

const KEYS: &[&str] = &["table", "key", "projection_expression", "expression_attribute_names"];

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: TransactGetItemsInputBuilder,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity is in the body. None when nothing was sent.
pub struct Output {
    response: Option<Response>,
}

struct Response {
    body: Bytes,
    shared: Arc<ClientShared>,
    elapsed: Duration,
    request_id: Option<String>,
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
        return Ok(Output { response: None });
    }
    let started = Instant::now();
    let (out, body) = capture(p.request.send_with(&p.shared.sdk_here().await?)).await;
    let out = out?;
    let body = body.ok_or_else(|| Error::new(ErrorKind::Service, "the response body was not captured"))?;
    let request_id = out.request_id().map(str::to_owned);
    Ok(Output { response: Some(Response { body, shared: p.shared, elapsed: started.elapsed(), request_id }) })
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = tables_of_gets(&p);
    run(p).await.map_err(|e| e.during(&shared, || format!("transact_get on {what}")))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    let Some(out) = out.response else {
        return Ok(list.into_any().unbind());
    };
    let response = crate::wire::read::response(py, &out.body, out.shared.read)?;
    let m = OperationMetrics {
        duration_ms: out.elapsed.as_secs_f64() * 1000.0,
        consumed_rcu: metrics::sum_units(&response.consumed_capacities),
        request_id: out.request_id,
        ..Default::default()
    };
    out.shared.record(OpKind::Other, &m);
    for item in response.gets {
        match item {
            Some(item) => list.append(item)?,
            None => list.append(py.None())?,
        }
    }
    Ok(list.into_any().unbind())
}
