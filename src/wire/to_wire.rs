//! Python -> DynamoDB: one walk over a Python value that classifies it, checks it and hands
//! it to a [`Sink`] (the SDK's `AttributeValue` tree, or request JSON from `crate::wire::write`).
//! All validation lives here, so every sink accepts and rejects the same values with the same
//! errors.
//!
//! Dispatch first compares the object's exact type against the builtin type objects (a pointer
//! compare each), which covers practically all real data; subclasses (`IntEnum`, `StrEnum`,
//! `OrderedDict`, namedtuples, ...) fall through to the slower `isinstance` checks. `bool` is
//! tested before any `int` handling because `bool` subclasses `int`.
//!
//! Text and bytes reach the sink borrowed (from the Python object, or from a stack buffer for
//! numbers): the helpers take an `emit` callback instead of returning owned copies, so a
//! streaming sink copies each value once, into its output.

use std::os::raw::c_int;

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PyMemoryView, PySet, PyString,
    PyTuple,
};
use pyo3::{ffi, intern, PyTypeInfo};

use super::number::{self, NonFinite};
use super::path::Path;
use super::sink::{SetKind, Sink};
use super::{decimal_type, MAX_DEPTH};

const SUPPORTED: &str = "supported types are str, int, float, decimal.Decimal, bool, None, bytes, bytearray, \
                         memoryview, list, tuple, dict, set and frozenset";

/// A whole item (or key): the entries of `dict` as the top-level attribute map.
pub(super) fn item<S: Sink>(dict: &Bound<'_, PyDict>, path: &Path<'_>, sink: &mut S) -> PyResult<S::Item> {
    let mut map = sink.item_start(dict.len());
    dict_entries(dict, path, 1, sink, &mut map)?;
    Ok(sink.item_end(map))
}

/// Walks the entries of a dict into `map`. `depth` is the nesting level of the entries'
/// values (1 for the attributes of an item).
fn dict_entries<S: Sink>(
    dict: &Bound<'_, PyDict>,
    path: &Path<'_>,
    depth: usize,
    sink: &mut S,
    map: &mut S::Map,
) -> PyResult<()> {
    for entry in super::entries(dict) {
        let (key, value) = entry.map_err(|changed| changed.at(path))?;
        let Ok(key) = key.cast::<PyString>() else {
            return Err(path.type_error(format_args!(
                "attribute names must be str, got a key of type '{}'",
                type_name(&key)
            )));
        };
        let name = text(key, path)?;
        sink.map_key(map, name);
        let attr = value_at(&value, &path.key(name), depth, sink)?;
        sink.map_value(map, name, attr);
    }
    Ok(())
}

/// Walks one value found at `path`, `depth` levels down (1 = top-level attribute).
pub(super) fn value_at<S: Sink>(value: &Bound<'_, PyAny>, path: &Path<'_>, depth: usize, sink: &mut S) -> PyResult<S::Value> {
    // Exact builtin types, most common first.
    if let Some(s) = exact::<PyString>(value) {
        return text(s, path).map(|s| sink.string(s));
    }
    if exact::<PyInt>(value).is_some() {
        return int_text(value, path, |n| sink.number(n));
    }
    if let Some(dict) = exact::<PyDict>(value) {
        return map(dict, path, depth, sink);
    }
    if let Some(list) = exact::<PyList>(value) {
        check_depth(path, depth)?;
        return sequence(list.iter(), list.len(), path, depth, sink);
    }
    if let Some(f) = exact::<PyFloat>(value) {
        return float_text(f, path, |n| sink.number(n));
    }
    if let Some(b) = exact::<PyBool>(value) {
        return Ok(sink.boolean(b.is_true()));
    }
    if value.is_none() {
        return Ok(sink.null());
    }
    if is_exact_decimal(value)? {
        return decimal_text(value, path, |n| sink.number(n));
    }
    if let Some(b) = exact::<PyBytes>(value) {
        return Ok(sink.binary(b.as_bytes()));
    }
    if let Some(t) = exact::<PyTuple>(value) {
        check_depth(path, depth)?;
        return sequence(t.iter(), t.len(), path, depth, sink);
    }
    if value.is_exact_instance_of::<PySet>() || value.is_exact_instance_of::<PyFrozenSet>() {
        return set(value, path, sink);
    }
    subclass_or_unsupported(value, path, depth, sink)
}

/// The slow path: subclasses of the supported builtins and the rarer bytes-like types.
#[inline(never)]
fn subclass_or_unsupported<S: Sink>(value: &Bound<'_, PyAny>, path: &Path<'_>, depth: usize, sink: &mut S) -> PyResult<S::Value> {
    if let Ok(s) = value.cast::<PyString>() {
        return text(s, path).map(|s| sink.string(s));
    }
    // `bool` cannot be subclassed, and exact bools were handled already, so this is a real int.
    if value.is_instance_of::<PyInt>() {
        return int_text(value, path, |n| sink.number(n));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return float_text(f, path, |n| sink.number(n));
    }
    if is_decimal(value)? {
        return decimal_text(value, path, |n| sink.number(n));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return map(dict, path, depth, sink);
    }
    if let Ok(list) = value.cast::<PyList>() {
        check_depth(path, depth)?;
        return sequence(list.iter(), list.len(), path, depth, sink);
    }
    if let Ok(t) = value.cast::<PyTuple>() {
        check_depth(path, depth)?;
        return sequence(t.iter(), t.len(), path, depth, sink);
    }
    if value.is_instance_of::<PySet>() || value.is_instance_of::<PyFrozenSet>() {
        return set(value, path, sink);
    }
    if let Some(bin) = bytes_like(value, path, |b| sink.binary(b))? {
        return Ok(bin);
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

fn map<S: Sink>(dict: &Bound<'_, PyDict>, path: &Path<'_>, depth: usize, sink: &mut S) -> PyResult<S::Value> {
    check_depth(path, depth)?;
    let mut map = sink.map_start(dict.len());
    dict_entries(dict, path, depth + 1, sink, &mut map)?;
    Ok(sink.map_end(map))
}

fn sequence<'py, S: Sink>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    len: usize,
    path: &Path<'_>,
    depth: usize,
    sink: &mut S,
) -> PyResult<S::Value> {
    let mut list = sink.list_start(len);
    for (i, item) in items.enumerate() {
        sink.list_next(&mut list);
        let value = value_at(&item, &path.index(i), depth + 1, sink)?;
        sink.list_push(&mut list, value);
    }
    Ok(sink.list_end(list))
}

/// The UTF-8 text of a str.
fn text<'a>(s: &'a Bound<'_, PyString>, path: &Path<'_>) -> PyResult<&'a str> {
    // Fails only for strings holding lone surrogates, which are not valid UTF-8.
    s.to_str().map_err(|e| path.wrap(s.py(), e))
}

/// Any `int` (or subclass) -> exact decimal text, handed to `emit`.
fn int_text<R>(value: &Bound<'_, PyAny>, path: &Path<'_>, emit: impl FnOnce(&str) -> R) -> PyResult<R> {
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
        return Ok(emit(number::format_i64(n).as_str()));
    }
    // Bigger than i64. PyNumber_ToBase formats the int itself, never a subclass's `__str__`
    // (an IntEnum member must be stored as its value, not as "Color.RED").
    // SAFETY: valid object pointer; the result is a new reference or NULL with an exception set.
    let digits = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyNumber_ToBase(value.as_ptr(), 10)) }
        .map_err(|e| path.wrap(py, e))?; // e.g. more digits than sys.get_int_max_str_digits()
    let digits = digits.cast_into::<PyString>().map_err(|e| path.wrap(py, e.into()))?;
    text(&digits, path).map(emit)
}

fn float_text<R>(f: &Bound<'_, PyFloat>, path: &Path<'_>, emit: impl FnOnce(&str) -> R) -> PyResult<R> {
    let x = f.value();
    match number::format_f64(x) {
        Some(n) => Ok(emit(n.as_str())),
        None => Err(non_finite(path, if x.is_nan() { NonFinite::NaN } else { NonFinite::Infinity })),
    }
}

fn decimal_text<R>(value: &Bound<'_, PyAny>, path: &Path<'_>, emit: impl FnOnce(&str) -> R) -> PyResult<R> {
    // str(Decimal) is exact: it keeps every digit and the exponent (e.g. "1.50", "1E+3").
    let digits = value.str().map_err(|e| path.wrap(value.py(), e))?;
    let digits = text(&digits, path)?;
    number::check_decimal_text(digits).map_err(|kind| non_finite(path, kind))?;
    Ok(emit(digits))
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

/// Any number kind DynamoDB stores as N (bool excluded by the caller): its text goes to `emit`;
/// `None` if `value` is not a number.
fn number_text<R>(value: &Bound<'_, PyAny>, path: &Path<'_>, emit: impl FnOnce(&str) -> R) -> PyResult<Option<R>> {
    if value.is_instance_of::<PyInt>() {
        return int_text(value, path, emit).map(Some);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return float_text(f, path, emit).map(Some);
    }
    if is_decimal(value)? {
        return decimal_text(value, path, emit).map(Some);
    }
    Ok(None)
}

/// bytes / bytearray / memoryview (and subclasses): their bytes go to `emit`; `None` if
/// `value` is not bytes-like.
fn bytes_like<R>(value: &Bound<'_, PyAny>, path: &Path<'_>, emit: impl FnOnce(&[u8]) -> R) -> PyResult<Option<R>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(Some(emit(b.as_bytes())));
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        // A copy: a bytearray's buffer may move if Python code runs while it is borrowed.
        return Ok(Some(emit(&b.to_vec())));
    }
    if value.is_instance_of::<PyMemoryView>() {
        // Rare enough that letting Python flatten it is fine; `tobytes()` also handles
        // non-contiguous and multi-dimensional views, and raises for released ones.
        let bytes = value
            .call_method0(intern!(value.py(), "tobytes"))
            .map_err(|e| path.wrap(value.py(), e))?;
        let bytes = bytes.cast::<PyBytes>().map_err(|e| path.wrap(value.py(), e.into()))?;
        return Ok(Some(emit(bytes.as_bytes())));
    }
    Ok(None)
}

#[cold]
fn empty_set(path: &Path<'_>) -> PyErr {
    path.value_error("empty sets cannot be stored in DynamoDB (store None or omit the attribute)")
}

/// set / frozenset -> SS, NS or BS. Set members carry no path of their own (sets are
/// unordered), so errors name the set.
fn set<S: Sink>(value: &Bound<'_, PyAny>, path: &Path<'_>, sink: &mut S) -> PyResult<S::Value> {
    // The size the set really holds: a subclass's `__len__` may say anything (a huge
    // number would make the sink's reservation abort the process).
    // SAFETY: `value` is a live set or frozenset (or subclass): the caller checked.
    let len = unsafe { ffi::PySet_Size(value.as_ptr()) };
    let len = usize::try_from(len).map_err(|_| path.wrap(value.py(), PyErr::fetch(value.py())))?;
    if len == 0 {
        return Err(empty_set(path));
    }
    // Opened at the first member, which decides the kind.
    let mut open: Option<(SetKind, S::Set)> = None;
    // A subclass's `__iter__` may yield more than the set holds (or never stop): bound it.
    for (count, member) in value.try_iter()?.enumerate() {
        let member = member?;
        if count >= len {
            return Err(path.value_error("the set's iterator yields more members than the set holds"));
        }
        set_member(&member, path, |this: Member<'_>| {
            let this_kind = this.kind();
            let (kind, set) = open.get_or_insert_with(|| (this_kind, sink.set_start(this_kind, len)));
            if *kind != this_kind {
                return Err(path.type_error(format_args!(
                    "a set must hold only str, only numbers or only bytes, but this one mixes {} and {} (a '{}')",
                    kind.describe(),
                    this_kind.describe(),
                    type_name(&member)
                )));
            }
            match this {
                Member::Text(s) | Member::Number(s) => sink.set_text(set, s),
                Member::Binary(b) => sink.set_binary(set, b),
            }
            Ok(())
        })??;
    }
    match open {
        Some((_, set)) => Ok(sink.set_end(set)),
        // The set emptied itself while we iterated; treat it like any empty set.
        None => Err(empty_set(path)),
    }
}

/// A set member, borrowed for the time of the `emit` call.
enum Member<'a> {
    Text(&'a str),
    Number(&'a str),
    Binary(&'a [u8]),
}

impl Member<'_> {
    fn kind(&self) -> SetKind {
        match self {
            Member::Text(_) => SetKind::Str,
            Member::Number(_) => SetKind::Num,
            Member::Binary(_) => SetKind::Bin,
        }
    }
}

fn set_member<R>(member: &Bound<'_, PyAny>, path: &Path<'_>, mut emit: impl FnMut(Member<'_>) -> R) -> PyResult<R> {
    if let Ok(s) = member.cast::<PyString>() {
        return text(s, path).map(|s| emit(Member::Text(s)));
    }
    if member.is_instance_of::<PyBool>() {
        return Err(path.type_error(
            "sets of bool cannot be stored in DynamoDB (a set holds only str, numbers or bytes); use a list",
        ));
    }
    if let Some(r) = number_text(member, path, |n| emit(Member::Number(n)))? {
        return Ok(r);
    }
    if let Some(r) = bytes_like(member, path, |b| emit(Member::Binary(b)))? {
        return Ok(r);
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
