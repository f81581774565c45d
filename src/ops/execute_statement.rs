//! ExecuteStatement (PartiQL): one page, returned as a ListWithMetrics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use aws_sdk_dynamodb::operation::execute_statement::builders::ExecuteStatementInputBuilder;
use aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementInput;
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use crate::client::{ClientShared, DynamoDBClient, OpKind};
use crate::wire::py_to_attr;
use crate::errors::{Error, ErrorKind};
use crate::ops::metrics;
use crate::transport::sdk_body::capture;

pub struct Prepared {
    shared: Arc<ClientShared>,
    request: ExecuteStatementInputBuilder,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity and item count are in the body.
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
    let (out, body) = capture(p.request.send_with(&p.shared.sdk_here().await?)).await;
    let out = out?;
    let body = body.ok_or_else(|| Error::new(ErrorKind::Service, "the response body was not captured"))?;
    let request_id = out.request_id().map(str::to_owned);
    Ok(Output { body, shared: p.shared, started, elapsed: started.elapsed(), request_id })
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
    let response = crate::wire::read::response(py, &out.body, out.shared.read)?;
    let mut m = metrics::read(out.started, response.consumed_capacity.as_ref(), out.request_id.as_deref());
    m.duration_ms = out.elapsed.as_secs_f64() * 1000.0;
    m.items_count = Some(response.items.len() as i64);
    out.shared.record(OpKind::Other, &m);
    let items = PyList::new(py, response.items)?;
    Ok(class.call1((items, m, response.next_token))?.unbind())
}
