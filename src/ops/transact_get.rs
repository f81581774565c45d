//! TransactGetItems from a list of get dicts; one result per get, None where missing.

use aws_sdk_dynamodb::operation::transact_get_items::builders::TransactGetItemsInputBuilder;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsInput;
use aws_sdk_dynamodb::types::{Get, ReturnConsumedCapacity, TransactGetItem};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call, Raw};
use crate::ops::{args, metrics};
use crate::wire::dict_to_item;
use crate::wire::write::multi_body;

const KEYS: &[&str] = &["table", "key", "projection_expression", "expression_attribute_names"];

pub struct Prepared {
    call: Call,
    request: TransactGetItemsInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<bytes::Bytes>,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity is in the body. None when nothing was sent.
pub struct Output {
    call: Call,
    response: Option<Raw>,
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
    let call = Call::new(&client.shared, "transact_get", OpKind::Other, About::Text(format!("on {}", tables_of_gets(&request))));
    let direct_body = call.wants_direct().then(|| multi_body::transact_get(&request));
    Ok(Prepared { call, request, direct_body })
}

/// The tables the gets read, for error messages.
fn tables_of_gets(request: &TransactGetItemsInputBuilder) -> String {
    let items = request.get_transact_items().as_deref().unwrap_or_default();
    crate::errors::tables(items.iter().filter_map(|t| t.get()).map(|g| g.table_name()))
}

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let Prepared { call, request, direct_body } = p;
    // Nothing to read: no request (DynamoDB would reject an empty transaction), as in 0.21.0.
    if request.get_transact_items().as_ref().is_none_or(|items| items.is_empty()) {
        return Ok(Output { call, response: None });
    }
    let raw = call.send("TransactGetItems", direct_body, |sdk| async move { request.send_with(&sdk).await }).await?;
    Ok(Output { call, response: Some(raw) })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let list = PyList::empty(py);
    let Some(raw) = out.response else {
        return Ok(list.into_any().unbind());
    };
    let response = crate::wire::read::response(py, &raw.body, out.call.read_options())?;
    let m = OperationMetrics {
        duration_ms: raw.sent.elapsed.as_secs_f64() * 1000.0,
        consumed_rcu: metrics::sum_units(&response.consumed_capacities),
        request_id: raw.sent.request_id,
        ..Default::default()
    };
    out.call.record(&m);
    for item in response.gets {
        match item {
            Some(item) => list.append(item)?,
            None => list.append(py.None())?,
        }
    }
    Ok(list.into_any().unbind())
}
