//! TransactWriteItems from a list of operation dicts.

use aws_sdk_dynamodb::operation::transact_write_items::builders::TransactWriteItemsInputBuilder;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, ReturnConsumedCapacity, TransactWriteItem, Update};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::send::{About, Call};
use crate::ops::{args, metrics};
use crate::wire::dict_to_item;
use crate::wire::write::multi_body;

const KEYS: &[&str] = &[
    "type",
    "table",
    "item",
    "key",
    "update_expression",
    "condition_expression",
    "expression_attribute_names",
    "expression_attribute_values",
];

pub struct Prepared {
    call: Call,
    request: TransactWriteItemsInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<bytes::Bytes>,
}

/// The parts every kind of transactional write may carry.
struct Common {
    table: String,
    condition: Option<String>,
    names: Option<std::collections::HashMap<String, String>>,
    values: Option<crate::wire::Item>,
}

fn built<T>(r: Result<T, aws_sdk_dynamodb::error::BuildError>, at: &str) -> PyResult<T> {
    r.map_err(|e| crate::errors::invalid(format!("{at}: {e}")))
}

fn one(op: &Bound<'_, PyDict>, at: &str) -> PyResult<TransactWriteItem> {
    args::only_keys(op, KEYS, at)?;
    let kind = args::string(&args::required(op, "type", at)?, &format!("{at}['type']"))?;
    let c = Common {
        table: args::string(&args::required(op, "table", at)?, &format!("{at}['table']"))?,
        condition: args::optional(op, "condition_expression")?.map(|v| args::string(&v, &format!("{at}['condition_expression']"))).transpose()?,
        names: args::names_at(args::optional(op, "expression_attribute_names")?.map(|v| args::dict(&v, &format!("{at}['expression_attribute_names']"))).transpose()?.as_ref(), &format!("{at}['expression_attribute_names']"))?,
        values: args::optional(op, "expression_attribute_values")?
            .map(|v| dict_to_item(&args::dict(&v, &format!("{at}['expression_attribute_values']"))?, &format!("{at}['expression_attribute_values']")))
            .transpose()?,
    };
    let item_of = |field: &str| -> PyResult<crate::wire::Item> {
        let path = format!("{at}['{field}']");
        dict_to_item(&args::dict(&args::required(op, field, at)?, &path)?, &path)
    };
    let write = match kind.as_str() {
        "put" => TransactWriteItem::builder().put(built(
            Put::builder()
                .table_name(c.table)
                .set_item(Some(item_of("item")?))
                .set_condition_expression(c.condition)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .build(),
            at,
        )?),
        "delete" => TransactWriteItem::builder().delete(built(
            Delete::builder()
                .table_name(c.table)
                .set_key(Some(item_of("key")?))
                .set_condition_expression(c.condition)
                .set_expression_attribute_names(c.names)
                .set_expression_attribute_values(c.values)
                .build(),
            at,
        )?),
        "update" => {
            let expr = args::string(&args::required(op, "update_expression", at)?, &format!("{at}['update_expression']"))?;
            TransactWriteItem::builder().update(built(
                Update::builder()
                    .table_name(c.table)
                    .set_key(Some(item_of("key")?))
                    .update_expression(expr)
                    .set_condition_expression(c.condition)
                    .set_expression_attribute_names(c.names)
                    .set_expression_attribute_values(c.values)
                    .build(),
                at,
            )?)
        }
        "condition_check" => {
            let Some(condition) = c.condition else {
                return Err(crate::errors::invalid(format!("{at} is missing 'condition_expression'")));
            };
            TransactWriteItem::builder().condition_check(built(
                ConditionCheck::builder()
                    .table_name(c.table)
                    .set_key(Some(item_of("key")?))
                    .condition_expression(condition)
                    .set_expression_attribute_names(c.names)
                    .set_expression_attribute_values(c.values)
                    .build(),
                at,
            )?)
        }
        other => {
            return Err(crate::errors::invalid(format!(
                "{at}['type'] is '{other}'; expected 'put', 'delete', 'update' or 'condition_check'"
            )))
        }
    };
    Ok(write.build())
}

pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    operations: crate::ops::args::Seq<Bound<'_, PyDict>>,
    client_request_token: Option<String>,
) -> PyResult<Prepared> {
    if let Some(token) = &client_request_token {
        // DynamoDB's bounds; checked here so a bad token fails before anything is sent.
        if token.is_empty() || token.chars().count() > 36 {
            return Err(crate::errors::invalid(format!(
                "client_request_token must be 1 to 36 characters, got {} ({token:?})",
                token.chars().count()
            )));
        }
    }
    let items = operations.iter().enumerate().map(|(i, op)| one(op, &format!("operations[{i}]"))).collect::<PyResult<Vec<_>>>()?;
    // Without a token one is made per call (ClientRequestToken is an idempotency token in
    // DynamoDB's model, which the SDK fills in once before its retry loop): made here, so
    // that both paths' retries of this call reuse it.
    let token = client_request_token.unwrap_or_else(multi_body::idempotency_token);
    let request = TransactWriteItemsInput::builder()
        .client_request_token(token)
        .set_transact_items(Some(items))
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let call = Call::new(&client.shared, "transact_write", OpKind::Other, About::Text(format!("on {}", tables_of_writes(&request))));
    let direct_body = call.wants_direct().then(|| multi_body::transact_write(&request));
    Ok(Prepared { call, request, direct_body })
}

/// The tables the writes touch, for error messages.
fn tables_of_writes(request: &TransactWriteItemsInputBuilder) -> String {
    let items = request.get_transact_items().as_deref().unwrap_or_default();
    crate::errors::tables(items.iter().filter_map(|w| {
        w.put()
            .map(|x| x.table_name())
            .or_else(|| w.delete().map(|x| x.table_name()))
            .or_else(|| w.update().map(|x| x.table_name()))
            .or_else(|| w.condition_check().map(|x| x.table_name()))
    }))
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, request, direct_body } = p;
    // Nothing to write: no request (DynamoDB would reject an empty transaction), as in 0.21.0.
    if request.get_transact_items().as_ref().is_none_or(|items| items.is_empty()) {
        return Ok(());
    }
    let raw = call.send("TransactWriteItems", direct_body, |sdk| async move { request.send_with(&sdk).await }).await?;
    let meta = call.meta(&raw)?;
    let m = OperationMetrics {
        duration_ms: raw.sent.elapsed.as_secs_f64() * 1000.0,
        consumed_wcu: metrics::sum_units(&meta.consumed_capacity),
        request_id: raw.sent.request_id,
        ..Default::default()
    };
    call.record(&m);
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
