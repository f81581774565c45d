//! ExecuteStatement (PartiQL): one page, returned as a ListWithMetrics.

use std::sync::Arc;
use std::time::Instant;

use aws_sdk_dynamodb::operation::execute_statement::builders::ExecuteStatementInputBuilder;
use aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use crate::bindings::OperationMetrics;
use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::convert::{item_to_py, py_to_attr, Item, ReadOptions};
use crate::errors::Error;
use crate::ops::metrics;

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: ExecuteStatementInputBuilder,
}

pub struct Output {
    items: Vec<Item>,
    next_token: Option<String>,
    metrics: OperationMetrics,
    read: ReadOptions,
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    statement: String,
    parameters: Option<crate::ops::args::Seq<Bound<'_, PyAny>>>,
    consistent_read: bool,
    next_token: Option<String>,
) -> PyResult<Prepared> {
    let parameters = parameters
        .map(|ps| ps.iter().enumerate().map(|(i, v)| py_to_attr(v, &format!("parameters[{i}]"))).collect::<PyResult<Vec<_>>>())
        .transpose()?
        .filter(|ps| !ps.is_empty());
    let request = ExecuteStatementInput::builder()
        .statement(statement)
        .set_parameters(parameters)
        .consistent_read(consistent_read)
        .set_next_token(next_token)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    Ok(Prepared { shared: client.shared.clone(), request })
}

async fn run(p: Prepared) -> Result<Output, Error> {
    let started = Instant::now();
    let out = p.request.send_with(&p.shared.sdk_here().await?).await?;
    let items = out.items.clone().unwrap_or_default();
    let mut m = metrics::read(started, out.consumed_capacity(), out.request_id());
    m.items_count = Some(items.len() as i64);
    p.shared.record(OpKind::Other, &m);
    Ok(Output { items, next_token: out.next_token, metrics: m, read: p.shared.read })
}

static LIST_WITH_METRICS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let shared = p.shared.clone();
    let what = p.request.get_statement().clone().unwrap_or_default();
    run(p).await.map_err(|e| e.during(&shared, || format!("execute_statement {what:?}")))
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let class = LIST_WITH_METRICS.import(py, "pydynox._results", "ListWithMetrics")?;
    let items = PyList::empty(py);
    for item in &out.items {
        items.append(item_to_py(py, item, out.read)?)?;
    }
    Ok(class.call1((items, out.metrics, out.next_token))?.unbind())
}
