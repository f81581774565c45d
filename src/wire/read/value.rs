//! One DynamoDB attribute value (`{"S": "x"}`, `{"M": {...}}`, ...) straight to a Python
//! object, while serde_json walks the response bytes: no `AttributeValue` in between.
//!
//! Each seed carries the decoding context (`Ctx`); a Python error met on the way is parked
//! there and the walk stops with a placeholder serde error that `Ctx::finish` swaps back.

use std::ffi::CString;
use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PySet, PyString};
use pyo3::{ffi, IntoPyObjectExt};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

// One number classifier for both read paths.
use crate::wire::number::{self, WireNumber};
use super::Ctx;

/// The type key of an attribute value.
#[derive(Clone, Copy)]
enum Tag {
    S,
    N,
    B,
    Bool,
    Null,
    M,
    L,
    Ss,
    Ns,
    Bs,
}

struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Tag;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Tag, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = Tag;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tag, E> {
        Ok(match v {
            "S" => Tag::S,
            "N" => Tag::N,
            "B" => Tag::B,
            "BOOL" => Tag::Bool,
            "NULL" => Tag::Null,
            "M" => Tag::M,
            "L" => Tag::L,
            "SS" => Tag::Ss,
            "NS" => Tag::Ns,
            "BS" => Tag::Bs,
            other => return Err(E::custom(format_args!("unsupported DynamoDB attribute type {other:?}"))),
        })
    }
}

/// `{"<type>": <payload>}` -> the Python value.
#[derive(Clone, Copy)]
pub(super) struct ValueSeed<'a, 'py>(pub(super) &'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ValueSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'py> Visitor<'de> for ValueSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB attribute value such as {\"S\": \"text\"}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0;
        let Some(tag) = map.next_key_seed(TagSeed)? else {
            return Err(de::Error::custom("empty attribute value (no type key)"));
        };
        let value = match tag {
            Tag::S => map.next_value_seed(Leaf(ctx, LeafKind::Str))?,
            Tag::N => map.next_value_seed(Leaf(ctx, LeafKind::Number))?,
            Tag::B => map.next_value_seed(Leaf(ctx, LeafKind::Bytes))?,
            Tag::Bool => PyBool::new(ctx.py, map.next_value::<bool>()?).to_owned().into_any(),
            // DynamoDB sends `true`; the value carries no information either way.
            Tag::Null => {
                map.next_value::<IgnoredAny>()?;
                ctx.py.None().into_bound(ctx.py)
            }
            Tag::M => map.next_value_seed(MapSeed(ctx))?.into_any(),
            Tag::L => map.next_value_seed(ListSeed(ctx))?,
            Tag::Ss => map.next_value_seed(SetSeed(ctx, LeafKind::Str))?,
            Tag::Ns => map.next_value_seed(SetSeed(ctx, LeafKind::Number))?,
            Tag::Bs => map.next_value_seed(SetSeed(ctx, LeafKind::Bytes))?,
        };
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("attribute value with more than one type key"));
        }
        Ok(value)
    }
}

/// An item or an `M` payload: attribute name -> value, as a dict whose keys are the
/// response's shared name strings.
#[derive(Clone, Copy)]
pub(super) struct MapSeed<'a, 'py>(pub(super) &'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for MapSeed<'_, 'py> {
    type Value = Bound<'py, PyDict>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'py> Visitor<'de> for MapSeed<'_, 'py> {
    type Value = Bound<'py, PyDict>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attribute names to attribute values")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0;
        let dict = PyDict::new(ctx.py);
        while let Some(name) = map.next_key_seed(NameSeed(ctx))? {
            let value = map.next_value_seed(ValueSeed(ctx))?;
            dict.set_item(name, value).map_err(|e| ctx.fail(e))?;
        }
        Ok(dict)
    }
}

/// An attribute name, as the response's shared `str` for it.
struct NameSeed<'a, 'py>(&'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for NameSeed<'_, 'py> {
    type Value = Bound<'py, PyString>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'py> Visitor<'_> for NameSeed<'_, 'py> {
    type Value = Bound<'py, PyString>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.names.borrow_mut().get(self.0.py, v))
    }
}

/// An `L` payload.
struct ListSeed<'a, 'py>(&'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ListSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'py> Visitor<'de> for ListSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of attribute values")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0;
        // Collected first so the list is allocated once at its final size.
        let mut values = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed(ctx))? {
            values.push(v);
        }
        PyList::new(ctx.py, values).map(Bound::into_any).map_err(|e| ctx.fail(e))
    }
}

/// An `SS`/`NS`/`BS` payload: a Python set.
struct SetSeed<'a, 'py>(&'a Ctx<'py>, LeafKind);

impl<'de, 'py> DeserializeSeed<'de> for SetSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'py> Visitor<'de> for SetSeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of set members")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let SetSeed(ctx, kind) = self;
        let set = PySet::empty(ctx.py).map_err(|e| ctx.fail(e))?;
        while let Some(member) = seq.next_element_seed(Leaf(ctx, kind))? {
            set.add(member).map_err(|e| ctx.fail(e))?;
        }
        Ok(set.into_any())
    }
}

/// Payloads sent as JSON strings.
#[derive(Clone, Copy)]
enum LeafKind {
    Str,
    Number,
    /// base64 text of the bytes.
    Bytes,
}

struct Leaf<'a, 'py>(&'a Ctx<'py>, LeafKind);

impl<'de, 'py> DeserializeSeed<'de> for Leaf<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'py> Visitor<'_> for Leaf<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.1 {
            LeafKind::Str => "a string",
            LeafKind::Number => "a number as a string",
            LeafKind::Bytes => "base64 text",
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let Leaf(ctx, kind) = self;
        match kind {
            LeafKind::Str => Ok(PyString::new(ctx.py, v).into_any()),
            LeafKind::Number => number(ctx, v),
            LeafKind::Bytes => match aws_smithy_types::base64::decode(v) {
                Ok(bytes) => Ok(PyBytes::new(ctx.py, &bytes).into_any()),
                Err(e) => Err(E::custom(format_args!("invalid base64 in a binary value: {e}"))),
            },
        }
    }
}

/// An N value: int when integral (any size), otherwise float, or `Decimal` with
/// `exact_numbers`; the same rules as `wire::from_wire`, on the same classifier.
fn number<'py, E: de::Error>(ctx: &Ctx<'py>, text: &str) -> Result<Bound<'py, PyAny>, E> {
    let py = ctx.py;
    let made = match number::classify(text) {
        Some(WireNumber::Int(n)) => n.into_bound_py_any(py),
        Some(WireNumber::BigInt(digits)) => big_int(py, digits),
        Some(WireNumber::Fraction) if ctx.opts.exact_numbers => super::decimal_type(py).and_then(|d| d.call1((text,))),
        Some(WireNumber::Fraction) => match text.parse::<f64>() {
            // Fractions out of f64 range become ±inf/0.0, as float(text) would in Python.
            Ok(x) => Ok(PyFloat::new(py, x).into_any()),
            Err(_) => return Err(malformed_number(text)),
        },
        None => return Err(malformed_number(text)),
    };
    made.map_err(|e| ctx.fail(e))
}

#[cold]
fn malformed_number<E: de::Error>(text: &str) -> E {
    E::custom(format_args!("malformed number {text:?}"))
}

/// Integers beyond i64: CPython parses the digits (exact for any size).
#[cold]
fn big_int(py: Python<'_>, digits: String) -> PyResult<Bound<'_, PyAny>> {
    // `digits` is only '-' and ASCII digits (see `classify`), so it has no interior NUL.
    let c_digits = CString::new(digits).map_err(|_| pyo3::exceptions::PyValueError::new_err("invalid integer text"))?;
    // SAFETY: a valid NUL-terminated string; the result is a new reference or NULL with an
    // exception set (e.g. beyond sys.get_int_max_str_digits()).
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromString(c_digits.as_ptr(), std::ptr::null_mut(), 10)) }
}
