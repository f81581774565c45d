//! Python items and values straight to DynamoDB request JSON (issue 9 item 2).
//!
//! `item_json` and `value_json` run the same walk as `wire::dict_to_item` /
//! `wire::py_to_attr` (every check, every error, identical), but with a sink that writes the
//! JSON text of the request body instead of building the SDK's `AttributeValue` tree that the
//! SDK's serializer would then turn into the same text. `attribute_map_json` writes the JSON
//! of an item that already is `AttributeValue`s through the same writer.
//!
//! Layout: `json.rs` (the JSON sink and string escaping), `base64.rs` (binary values),
//! `replay.rs` (`AttributeValue` -> any sink).

mod base64;
pub mod body;
pub(crate) mod json;
pub mod multi_body;
mod replay;
#[cfg(test)]
mod tests;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::wire::{self, AttributeValue, Item};

use json::JsonWriter;
pub use replay::UnknownAttributeType;

/// Appends the DynamoDB JSON of the item (or key) `dict` to `out`, e.g.
/// `{"pk":{"S":"a"},"n":{"N":"1"}}`. `what` names the parameter in errors, as for
/// `wire::dict_to_item`, whose errors these are. On error `out` is left as it was.
pub fn item_json(dict: &Bound<'_, PyDict>, what: &str, out: &mut Vec<u8>) -> PyResult<()> {
    all_or_nothing(out, |w| wire::encode_item(dict, what, w))
}

/// Appends the DynamoDB JSON of one value (e.g. `{"N":"1"}`) to `out`: an entry of
/// `expression_attribute_values`, a PartiQL parameter. `what` is the full path prefix for
/// errors, as for `wire::py_to_attr`. On error `out` is left as it was.
pub fn value_json(value: &Bound<'_, PyAny>, what: &str, out: &mut Vec<u8>) -> PyResult<()> {
    all_or_nothing(out, |w| wire::encode_value(value, what, w))
}

/// Appends the DynamoDB JSON of an item held as `AttributeValue`s to `out` (attributes in the
/// map's order). On error `out` is left as it was.
pub fn attribute_map_json(item: &Item, out: &mut Vec<u8>) -> Result<(), UnknownAttributeType> {
    all_or_nothing(out, |w| replay::item(item, w))
}

/// Appends the DynamoDB JSON of one `AttributeValue` to `out`. On error `out` is left as it was.
pub fn attribute_value_json(value: &AttributeValue, out: &mut Vec<u8>) -> Result<(), UnknownAttributeType> {
    all_or_nothing(out, |w| replay::value(value, w))
}

/// Runs `write` with a JSON writer appending to `out`; on error, drops what it appended.
fn all_or_nothing<E>(out: &mut Vec<u8>, write: impl FnOnce(&mut JsonWriter<'_>) -> Result<(), E>) -> Result<(), E> {
    let start = out.len();
    let written = write(&mut JsonWriter { out: &mut *out });
    if written.is_err() {
        out.truncate(start);
    }
    written
}

/// `pydynox.pydynox_core._encode_item_json(item, *, through_attribute_values=False) -> bytes`:
/// private, for tests. The request JSON of `item` as `item_json` writes it, or with
/// `through_attribute_values` as `dict_to_item` + `attribute_map_json` do (errors name the
/// parameter `item`).
#[pyfunction]
#[pyo3(signature = (item, *, through_attribute_values = false))]
pub fn encode_item_json<'py>(item: &Bound<'py, PyDict>, through_attribute_values: bool) -> PyResult<Bound<'py, PyBytes>> {
    let mut out = Vec::new();
    if through_attribute_values {
        let attributes = wire::dict_to_item(item, "item")?;
        // dict_to_item never builds an unknown type.
        attribute_map_json(&attributes, &mut out).map_err(|e| crate::errors::classes::invalid(e.to_string()))?;
    } else {
        item_json(item, "item", &mut out)?;
    }
    Ok(PyBytes::new(item.py(), &out))
}
