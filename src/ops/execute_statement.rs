//! ExecuteStatement (PartiQL): one page, returned as a ListWithMetrics.

use aws_sdk_dynamodb::operation::execute_statement::builders::ExecuteStatementInputBuilder;
use aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementInput;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call, Raw};
use crate::wire::py_to_attr;

pub struct Prepared {
    call: Call,
    request: ExecuteStatementInputBuilder,
}

/// The response body, decoded once the GIL is held (ADR 6); metrics wait for it too,
/// since the consumed capacity and item count are in the body.
pub struct Output {
    call: Call,
    raw: Raw,
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
    let call = Call::new(&client.shared, "execute_statement", OpKind::Other, About::Text(format!("{statement:?}")));
    let request = ExecuteStatementInput::builder()
        .statement(statement)
        .set_parameters(parameters)
        .consistent_read(consistent_read)
        .set_next_token(next_token)
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    Ok(Prepared { call, request })
}

static LIST_WITH_METRICS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

pub async fn execute(p: Prepared) -> Result<Output, Error> {
    let Prepared { call, request } = p;
    let raw = call.send("ExecuteStatement", None, |sdk| async move { request.send_with(&sdk).await }).await?;
    Ok(Output { call, raw })
}

pub fn convert(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    let class = LIST_WITH_METRICS.import(py, "pydynox._results", "ListWithMetrics")?;
    let response = crate::wire::read::response(py, &out.raw.body, out.call.read_options())?;
    let mut m = out.raw.sent.read_metrics(response.consumed_capacity.as_ref());
    m.items_count = Some(response.items.len() as i64);
    out.call.record(&m);
    let items = PyList::new(py, response.items)?;
    Ok(class.call1((items, m, response.next_token))?.unbind())
}
