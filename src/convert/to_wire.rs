//! Python -> DynamoDB: walk a Python value and build the `AttributeValue` directly.
//!
//! Dispatch first compares the object's exact type against the builtin type objects (a pointer
//! compare each), which covers practically all real data; subclasses (`IntEnum`, `StrEnum`,
//! `OrderedDict`, namedtuples, ...) fall through to the slower `isinstance` checks. `bool` is
//! tested before any `int` handling because `bool` subclasses `int`.

use std::collections::HashMap;
use std::os::raw::c_int;

use aws_smithy_types::Blob;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PyMemoryView, PySet, PyString,
    PyTuple,
};
use pyo3::{ffi, intern, PyTypeInfo};

use super::number::{self, NonFinite};
use super::path::Path;
use super::{decimal_type, AttributeValue, MAX_DEPTH};

const SUPPORTED: &str = "supported types are str, int, float, decimal.Decimal, bool, None, bytes, bytearray, \
                         memoryview, list, tuple, dict, set and frozenset";

/// Converts the entries of a dict into an attribute map. `depth` is the nesting level of the
/// entries' values (1 for the attributes of an item).
pub(super) fn dict_entries(
    dict: &Bound<'_, PyDict>,
    path: &Path<'_>,
    depth: usize,
) -> PyResult<HashMap<String, AttributeValue>> {
    let mut out = HashMap::with_capacity(dict.len());
    for entry in super::entries(dict) {
        let (key, value) = entry.map_err(|changed| changed.at(path))?;
        let Ok(key) = key.cast::<PyString>() else {
            return Err(path.type_error(format_args!(
                "attribute names must be str, got a key of type '{}'",
                type_name(&key)
            )));
        };
        let name = key.to_str().map_err(|e| path.wrap(key.py(), e))?;
        let child = path.key(name);
        let attr = to_attr(&value, &child, depth)?;
        out.insert(name.to_owned(), attr);
    }
    Ok(out)
}

/// Converts one value found at `path`, `depth` levels down (1 = top-level attribute).
pub(super) fn to_attr(value: &Bound<'_, PyAny>, path: &Path<'_>, depth: usize) -> PyResult<AttributeValue> {
    // Exact builtin types, most common first.
    if let Some(s) = exact::<PyString>(value) {
        return string(s, path).map(AttributeValue::S);
    }
    if exact::<PyInt>(value).is_some() {
        return int_text(value, path).map(AttributeValue::N);
    }
    if let Some(dict) = exact::<PyDict>(value) {
        return map(dict, path, depth);
    }
    if let Some(list) = exact::<PyList>(value) {
        check_depth(path, depth)?;
        return sequence(list.iter(), list.len(), path, depth);
    }
    if let Some(f) = exact::<PyFloat>(value) {
        return float_text(f, path).map(AttributeValue::N);
    }
    if let Some(b) = exact::<PyBool>(value) {
        return Ok(AttributeValue::Bool(b.is_true()));
    }
    if value.is_none() {
        return Ok(AttributeValue::Null(true));
    }
    if is_exact_decimal(value)? {
        return decimal_text(value, path).map(AttributeValue::N);
    }
    if let Some(b) = exact::<PyBytes>(value) {
        return Ok(AttributeValue::B(Blob::new(b.as_bytes())));
    }
    if let Some(t) = exact::<PyTuple>(value) {
        check_depth(path, depth)?;
        return sequence(t.iter(), t.len(), path, depth);
    }
    if value.is_exact_instance_of::<PySet>() || value.is_exact_instance_of::<PyFrozenSet>() {
        return set(value, path);
    }
    subclass_or_unsupported(value, path, depth)
}

/// The slow path: subclasses of the supported builtins and the rarer bytes-like types.
#[inline(never)]
fn subclass_or_unsupported(value: &Bound<'_, PyAny>, path: &Path<'_>, depth: usize) -> PyResult<AttributeValue> {
    if let Ok(s) = value.cast::<PyString>() {
        return string(s, path).map(AttributeValue::S);
    }
    // `bool` cannot be subclassed, and exact bools were handled already, so this is a real int.
    if value.is_instance_of::<PyInt>() {
        return int_text(value, path).map(AttributeValue::N);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return float_text(f, path).map(AttributeValue::N);
    }
    if is_decimal(value)? {
        return decimal_text(value, path).map(AttributeValue::N);
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return map(dict, path, depth);
    }
    if let Ok(list) = value.cast::<PyList>() {
        check_depth(path, depth)?;
        return sequence(list.iter(), list.len(), path, depth);
    }
    if let Ok(t) = value.cast::<PyTuple>() {
        check_depth(path, depth)?;
        return sequence(t.iter(), t.len(), path, depth);
    }
    if value.is_instance_of::<PySet>() || value.is_instance_of::<PyFrozenSet>() {
        return set(value, path);
    }
    if let Some(bytes) = bytes_like(value, path)? {
        return Ok(AttributeValue::B(Blob::new(bytes)));
    }
    Err(path.type_error(format_args!(
        "cannot store a value of type '{}' in DynamoDB; {SUPPORTED}",
        type_name(value)
    )))
}

/// `value` as `&Bound<T>` if its type is exactly `T` (no subclasses): one pointer compare,
/// and unlike `cast_exact` no error object is built on a miss.
#[inline(always)]
fn exact<'a, 'py, T: PyTypeInfo>(value: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, T>> {
    if value.is_exact_instance_of::<T>() {
        // SAFETY: the exact type check above guarantees the object is a `T`.
        Some(unsafe { value.cast_unchecked::<T>() })
    } else {
        None
    }
}

#[inline]
fn check_depth(path: &Path<'_>, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(too_deep(path));
    }
    Ok(())
}

#[cold]
fn too_deep(path: &Path<'_>) -> PyErr {
    path.value_error(format_args!(
        "value is nested more than {MAX_DEPTH} levels deep, the most DynamoDB supports (is it self-referencing?)"
    ))
}

fn map(dict: &Bound<'_, PyDict>, path: &Path<'_>, depth: usize) -> PyResult<AttributeValue> {
    check_depth(path, depth)?;
    dict_entries(dict, path, depth + 1).map(AttributeValue::M)
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    len: usize,
    path: &Path<'_>,
    depth: usize,
) -> PyResult<AttributeValue> {
    let mut out = Vec::with_capacity(len);
    for (i, item) in items.enumerate() {
        out.push(to_attr(&item, &path.index(i), depth + 1)?);
    }
    Ok(AttributeValue::L(out))
}

fn string(s: &Bound<'_, PyString>, path: &Path<'_>) -> PyResult<String> {
    // Fails only for strings holding lone surrogates, which are not valid UTF-8.
    s.to_str().map(str::to_owned).map_err(|e| path.wrap(s.py(), e))
}

/// Any `int` (or subclass) -> exact decimal text.
fn int_text(value: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<String> {
    let py = value.py();
    let mut overflow: c_int = 0;
    // SAFETY: `value` is a live int object. For int instances this reads the value directly
    // (no `__index__` call) and reports out-of-range values through `overflow`, without raising.
    let n = unsafe { ffi::PyLong_AsLongLongAndOverflow(value.as_ptr(), &mut overflow) };
    if overflow == 0 {
        if n == -1 {
            if let Some(err) = PyErr::take(py) {
                return Err(path.wrap(py, err));
            }
        }
        return Ok(number::format_i64(n));
    }
    // Bigger than i64. PyNumber_ToBase formats the int itself, never a subclass's `__str__`
    // (an IntEnum member must be stored as its value, not as "Color.RED").
    // SAFETY: valid object pointer; the result is a new reference or NULL with an exception set.
    let text = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyNumber_ToBase(value.as_ptr(), 10)) }
        .map_err(|e| path.wrap(py, e))?; // e.g. more digits than sys.get_int_max_str_digits()
    let text = text.cast_into::<PyString>().map_err(|e| path.wrap(py, e.into()))?;
    string(&text, path)
}

fn float_text(f: &Bound<'_, PyFloat>, path: &Path<'_>) -> PyResult<String> {
    let x = f.value();
    number::format_f64(x).ok_or_else(|| non_finite(path, if x.is_nan() { NonFinite::NaN } else { NonFinite::Infinity }))
}

fn decimal_text(value: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<String> {
    // str(Decimal) is exact: it keeps every digit and the exponent (e.g. "1.50", "1E+3").
    let text = value.str().map_err(|e| path.wrap(value.py(), e))?;
    let text = string(&text, path)?;
    number::check_decimal_text(&text).map_err(|kind| non_finite(path, kind))?;
    Ok(text)
}

#[cold]
fn non_finite(path: &Path<'_>, kind: NonFinite) -> PyErr {
    let what = match kind {
        NonFinite::NaN => "NaN",
        NonFinite::Infinity => "infinity",
    };
    path.value_error(format_args!("cannot store {what}: DynamoDB numbers must be finite"))
}

#[inline]
fn is_exact_decimal(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.get_type_ptr() == decimal_type(value.py())?.as_type_ptr())
}

fn is_decimal(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.is_instance(decimal_type(value.py())?)
}

/// Any number kind DynamoDB stores as N (bool excluded by the caller) -> its text, or `None` if
/// `value` is not a number.
fn number_text(value: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<Option<String>> {
    if value.is_instance_of::<PyInt>() {
        return int_text(value, path).map(Some);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return float_text(f, path).map(Some);
    }
    if is_decimal(value)? {
        return decimal_text(value, path).map(Some);
    }
    Ok(None)
}

/// bytes / bytearray / memoryview (and subclasses) -> owned bytes, or `None` if not bytes-like.
fn bytes_like(value: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<Option<Vec<u8>>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Some(b.as_bytes().to_vec()));
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Ok(Some(b.to_vec()));
    }
    if value.is_instance_of::<PyMemoryView>() {
        // Rare enough that letting Python flatten it is fine; `tobytes()` also handles
        // non-contiguous and multi-dimensional views, and raises for released ones.
        let bytes = value
            .call_method0(intern!(value.py(), "tobytes"))
            .map_err(|e| path.wrap(value.py(), e))?;
        let bytes = bytes.cast::<PyBytes>().map_err(|e| path.wrap(value.py(), e.into()))?;
        return Ok(Some(bytes.as_bytes().to_vec()));
    }
    Ok(None)
}

/// What a set member is stored as; a DynamoDB set holds only one kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SetKind {
    Str,
    Num,
    Bin,
}

impl SetKind {
    fn describe(self) -> &'static str {
        match self {
            SetKind::Str => "str",
            SetKind::Num => "numbers",
            SetKind::Bin => "bytes",
        }
    }
}

/// set / frozenset -> SS, NS or BS. Set members carry no path of their own (sets are
/// unordered), so errors name the set.
fn set(value: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<AttributeValue> {
    // The size the set really holds: a subclass's `__len__` may say anything (a huge
    // number would make the reservations below abort the process).
    // SAFETY: `value` is a live set or frozenset (or subclass): the caller checked.
    let len = unsafe { ffi::PySet_Size(value.as_ptr()) };
    let len = usize::try_from(len).map_err(|_| path.wrap(value.py(), PyErr::fetch(value.py())))?;
    if len == 0 {
        return Err(path.value_error("empty sets cannot be stored in DynamoDB (store None or omit the attribute)"));
    }
    let mut kind: Option<SetKind> = None;
    let mut strings: Vec<String> = Vec::new();
    let mut blobs: Vec<Blob> = Vec::new();
    // A subclass's `__iter__` may yield more than the set holds (or never stop): bound it.
    for (count, member) in value.try_iter()?.enumerate() {
        let member = member?;
        if count >= len {
            return Err(path.value_error("the set's iterator yields more members than the set holds"));
        }
        let (this_kind, text_or_bytes) = set_member(&member, path)?;
        match kind {
            None => {
                kind = Some(this_kind);
                match this_kind {
                    SetKind::Bin => blobs.reserve_exact(len),
                    _ => strings.reserve_exact(len),
                }
            }
            Some(k) if k != this_kind => {
                return Err(path.type_error(format_args!(
                    "a set must hold only str, only numbers or only bytes, but this one mixes {} and {} (a '{}')",
                    k.describe(),
                    this_kind.describe(),
                    type_name(&member)
                )));
            }
            Some(_) => {}
        }
        match text_or_bytes {
            Member::Text(s) => strings.push(s),
            Member::Bytes(b) => blobs.push(Blob::new(b)),
        }
    }
    Ok(match kind {
        Some(SetKind::Str) => AttributeValue::Ss(strings),
        Some(SetKind::Num) => AttributeValue::Ns(strings),
        Some(SetKind::Bin) => AttributeValue::Bs(blobs),
        // The set emptied itself while we iterated; treat it like any empty set.
        None => return Err(path.value_error("empty sets cannot be stored in DynamoDB (store None or omit the attribute)")),
    })
}

enum Member {
    Text(String),
    Bytes(Vec<u8>),
}

fn set_member(member: &Bound<'_, PyAny>, path: &Path<'_>) -> PyResult<(SetKind, Member)> {
    if let Ok(s) = member.cast::<PyString>() {
        return Ok((SetKind::Str, Member::Text(string(s, path)?)));
    }
    if member.is_instance_of::<PyBool>() {
        return Err(path.type_error(
            "sets of bool cannot be stored in DynamoDB (a set holds only str, numbers or bytes); use a list",
        ));
    }
    if let Some(text) = number_text(member, path)? {
        return Ok((SetKind::Num, Member::Text(text)));
    }
    if let Some(bytes) = bytes_like(member, path)? {
        return Ok((SetKind::Bin, Member::Bytes(bytes)));
    }
    Err(path.type_error(format_args!(
        "cannot store a set containing values of type '{}'; a set holds only str, numbers (int, float, Decimal) or bytes",
        type_name(member)
    )))
}

/// `type(value).__name__`, for error messages.
#[cold]
fn type_name(value: &Bound<'_, PyAny>) -> String {
    use pyo3::types::PyTypeMethods;
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "<unknown>".to_owned())
}
