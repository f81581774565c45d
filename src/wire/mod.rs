//! Python values <-> DynamoDB attribute values, converted directly in Rust.
//!
//! This is the hottest path of the library: every item written or read goes through it. Values
//! are converted in one walk, straight into `AttributeValue` (or straight into Python objects),
//! with no JSON text and no intermediate `{"S": ...}` dicts.
//!
//! | Python                                   | DynamoDB |
//! |------------------------------------------|----------|
//! | `str`                                    | S        |
//! | `int` (any size), `float`, `Decimal`     | N        |
//! | `bool`                                   | BOOL     |
//! | `None`                                   | NULL     |
//! | `bytes`, `bytearray`, `memoryview`       | B        |
//! | `list`, `tuple`                          | L        |
//! | `dict` (str keys)                        | M        |
//! | `set`/`frozenset` of str / numbers / bytes | SS / NS / BS |
//!
//! Reading back, N becomes `int` when integral (so a stored `3.0` comes back as `3`), otherwise
//! `float`, or `decimal.Decimal` when [`ReadOptions::exact_numbers`] is set.
//!
//! Errors name the offending attribute, e.g.
//! `TypeError: item['address']['tags'][2]: cannot store a value of type 'object' ...`; the path
//! text is only built when an error happens (see `path.rs`).
//!
//! Layout (everything about DynamoDB's wire format, and nothing about sending it):
//! - `to_wire.rs`: Python -> DynamoDB, the one walk that validates, emitting into a `sink.rs`
//!   `Sink` (the `AttributeValue` builder here, or request JSON in `write/`);
//! - `from_wire.rs`: `AttributeValue` -> Python;
//! - `number.rs`: number text, pure Rust; `path.rs`: lazy error paths;
//! - `write/`: the one JSON writer (items, values, and request bodies in `write/body.rs`);
//! - `read/`: the one response reader (body bytes -> Python, or just what steers the next
//!   request).

mod entries;
mod from_wire;
pub(crate) mod number;
mod path;
pub mod read;
mod sink;
mod to_wire;
pub mod write;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

pub use aws_sdk_dynamodb::types::AttributeValue;

use path::Path;

pub(crate) use entries::entries;
pub(crate) use sink::{SetKind, Sink};

/// A DynamoDB item (or key): attribute name -> value.
pub type Item = std::collections::HashMap<String, AttributeValue>;

/// How numbers come back to Python.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Return non-integral numbers as `decimal.Decimal` (exact) instead of `float`.
    /// Integral numbers are always `int`.
    pub exact_numbers: bool,
}

/// DynamoDB supports up to 32 levels of nested attributes. Values nested deeper are rejected
/// with a ValueError before they reach the service; this also bounds recursion, so a
/// self-referencing list or a 10,000-deep structure cannot overflow the stack.
const MAX_DEPTH: usize = 32;

/// Python dict -> item. `what` names the parameter for error messages, e.g. "item" or "key",
/// so an error reads like: `TypeError: item['address']['tags'][2]: cannot store a value of type 'object' ...`
pub fn dict_to_item(dict: &Bound<'_, PyDict>, what: &str) -> PyResult<Item> {
    encode_item(dict, what, &mut sink::AttributeValues)
}

/// One Python value -> attribute value (for expression_attribute_values entries, PartiQL parameters...).
/// `what` is the full path prefix for errors, e.g. "expression_attribute_values[':v']".
pub fn py_to_attr(value: &Bound<'_, PyAny>, what: &str) -> PyResult<AttributeValue> {
    encode_value(value, what, &mut sink::AttributeValues)
}

/// [`dict_to_item`]'s walk (every check and error) emitting into any `sink`.
pub(crate) fn encode_item<S: Sink>(dict: &Bound<'_, PyDict>, what: &str, sink: &mut S) -> PyResult<S::Item> {
    to_wire::item(dict, &Path::Root(what), sink)
}

/// [`py_to_attr`]'s walk emitting into any `sink`.
pub(crate) fn encode_value<S: Sink>(value: &Bound<'_, PyAny>, what: &str, sink: &mut S) -> PyResult<S::Value> {
    to_wire::value_at(value, &Path::Root(what), 1, sink)
}

/// Attribute value -> Python object.
pub fn attr_to_py<'py>(py: Python<'py>, value: &AttributeValue, opts: ReadOptions) -> PyResult<Bound<'py, PyAny>> {
    from_wire::to_py(py, value, opts, &Path::Root("value"), 1)
}

/// Item -> Python dict.
pub fn item_to_py<'py>(py: Python<'py>, item: &Item, opts: ReadOptions) -> PyResult<Bound<'py, PyDict>> {
    from_wire::map_to_dict(py, item, opts, &Path::Root("item"), 1)
}

/// `decimal.Decimal`, imported once per process and cached (a lock-free read afterwards).
fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}
