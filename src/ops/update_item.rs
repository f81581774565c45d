//! UpdateItem, from either an `updates` dict (one SET per attribute) or a full expression.
//!
//! With `return_values` the attributes DynamoDB sends back ride on the returned
//! `OperationMetrics` as `attributes` (None unless asked), so the return type stays the
//! one 0.21.0 had. They are kept as wire values and converted when Python reads them.

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemInputBuilder;
use aws_sdk_dynamodb::operation::update_item::UpdateItemInput;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, ReturnValue, ReturnValuesOnConditionCheckFailure};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pyo3::IntoPyObjectExt;

use crate::bindings::OperationMetrics;
use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::args;
use crate::ops::send::{About, Call};
use crate::wire::write::body::Body;
use crate::wire::{dict_to_item, item_to_py, py_to_attr, Item, ReadOptions};

pub struct Prepared {
    call: Call,
    request: UpdateItemInputBuilder,
    /// The request JSON, when the client takes the direct path (ADR 12).
    direct_body: Option<bytes::Bytes>,
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table: String,
    key: Bound<'_, PyDict>,
    updates: Option<Bound<'_, PyDict>>,
    update_expression: Option<String>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<Bound<'_, PyDict>>,
    expression_attribute_values: Option<Bound<'_, PyDict>>,
    return_values_on_condition_check_failure: bool,
    return_values: Option<String>,
) -> PyResult<Prepared> {
    let return_values = return_values.as_deref().map(return_value).transpose()?;
    let mut names = args::names(expression_attribute_names)?.unwrap_or_default();
    let mut values = args::values(expression_attribute_values)?.unwrap_or_default();
    let expression = match (updates, update_expression) {
        (Some(_), Some(_)) => {
            return Err(crate::errors::invalid("give either updates or update_expression, not both"));
        }
        (None, None) => return Err(crate::errors::invalid("update_item needs updates or update_expression")),
        (None, Some(expr)) => expr,
        (Some(updates), None) => set_expression(&updates, &mut names, &mut values)?,
    };
    let call = Call::new(&client.shared, "update_item", OpKind::Update, About::table(&table));
    let mut request = UpdateItemInput::builder()
        .table_name(table)
        .set_key(Some(dict_to_item(&key, "key")?))
        .update_expression(expression)
        .set_condition_expression(condition_expression)
        .set_expression_attribute_names((!names.is_empty()).then_some(names))
        .set_expression_attribute_values((!values.is_empty()).then_some(values))
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    if return_values_on_condition_check_failure {
        request = request.return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    }
    request = request.set_return_values(return_values);
    let direct_body = call.wants_direct().then(|| direct_body(&request));
    Ok(Prepared { call, request, direct_body })
}

/// The UpdateItem request as JSON: a PutItem's fields with the key for the item, plus the
/// update expression and `ReturnValues`.
fn direct_body(r: &UpdateItemInputBuilder) -> bytes::Bytes {
    let mut body = Body::new();
    body.str("TableName", r.get_table_name().as_deref())
        .item("Key", r.get_key().as_ref())
        .str("UpdateExpression", r.get_update_expression().as_deref())
        .str("ConditionExpression", r.get_condition_expression().as_deref())
        .names("ExpressionAttributeNames", r.get_expression_attribute_names().as_ref())
        .item("ExpressionAttributeValues", r.get_expression_attribute_values().as_ref())
        .str("ReturnValues", r.get_return_values().as_ref().map(|v| v.as_str()))
        .str("ReturnConsumedCapacity", r.get_return_consumed_capacity().as_ref().map(|c| c.as_str()))
        .str(
            "ReturnValuesOnConditionCheckFailure",
            r.get_return_values_on_condition_check_failure().as_ref().map(|c| c.as_str()),
        );
    body.finish()
}

/// The SDK's `ReturnValue` for the `return_values` text; anything else is refused here,
/// before sending (the SDK would otherwise send an unknown value and DynamoDB reject it).
fn return_value(text: &str) -> PyResult<ReturnValue> {
    Ok(match text {
        "NONE" => ReturnValue::None,
        "ALL_OLD" => ReturnValue::AllOld,
        "UPDATED_OLD" => ReturnValue::UpdatedOld,
        "ALL_NEW" => ReturnValue::AllNew,
        "UPDATED_NEW" => ReturnValue::UpdatedNew,
        _ => {
            return Err(crate::errors::invalid(format!(
                "return_values must be one of 'NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW', got {text:?}"
            )))
        }
    })
}

/// The attributes an UpdateItem returned (`return_values`): wire values plus how the
/// client reads numbers, turned into a fresh Python dict each time `attributes` is read.
/// Keeping wire values lets `OperationMetrics` stay a plain, comparable Rust record.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnedAttributes {
    item: Item,
    read: ReadOptions,
}

impl<'py> IntoPyObject<'py> for &ReturnedAttributes {
    type Target = PyDict;
    type Output = Bound<'py, PyDict>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        item_to_py(py, &self.item, self.read)
    }
}

impl crate::repr::PyRepr for ReturnedAttributes {
    /// The attribute names, in a stable order (a value's repr needs Python).
    fn py_repr(&self) -> String {
        let mut names: Vec<&String> = self.item.keys().collect();
        names.sort();
        let shown: Vec<String> = names.iter().map(|n| format!("{}: ...", crate::repr::PyRepr::py_repr(*n))).collect();
        format!("{{{}}}", shown.join(", "))
    }
}

/// `SET #u0 = :u0, #u1 = :u1, ...` with placeholders that cannot collide with the
/// caller's own (they would have to start with `#u`/`:u` and a digit, and we check).
fn set_expression(
    updates: &Bound<'_, PyDict>,
    names: &mut HashMap<String, String>,
    values: &mut HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
) -> PyResult<String> {
    if updates.is_empty() {
        return Err(crate::errors::invalid("updates must not be empty"));
    }
    let mut parts = Vec::with_capacity(updates.len());
    for (i, entry) in crate::wire::entries(updates).enumerate() {
        // A value's conversion can run Python code that empties or grows `updates`.
        let (k, v) = entry.map_err(|_| PyRuntimeError::new_err("updates changed size while it was being converted"))?;
        let k = k.cast::<PyString>().map_err(|_| PyTypeError::new_err("updates keys must be attribute names (str)"))?;
        let name = k.to_str()?;
        let (ph_name, ph_value) = (format!("#u{i}"), format!(":u{i}"));
        if names.contains_key(&ph_name) || values.contains_key(&ph_value) {
            return Err(crate::errors::invalid(format!("placeholder {ph_name} / {ph_value} is reserved for updates")));
        }
        values.insert(ph_value.clone(), py_to_attr(&v, &format!("updates['{name}']"))?);
        names.insert(ph_name.clone(), name.to_owned());
        parts.push(format!("{ph_name} = {ph_value}"));
    }
    Ok(format!("SET {}", parts.join(", ")))
}

pub async fn execute(p: Prepared) -> Result<OperationMetrics, Error> {
    let Prepared { call, request, direct_body } = p;
    let raw = call.send("UpdateItem", direct_body, |sdk| async move { request.send_with(&sdk).await }).await?;
    let meta = call.meta(&raw)?;
    let mut m = raw.sent.write_metrics(meta.consumed_capacity.first());
    call.record(&m);
    // Recorded as the client's last metrics without them: those are about cost.
    m.attributes = meta.attributes.map(|item| ReturnedAttributes { item, read: call.read_options() });
    Ok(m)
}

pub fn convert(py: Python<'_>, m: OperationMetrics) -> PyResult<Py<PyAny>> {
    m.into_py_any(py)
}
