//! DynamoDB -> Python: build Python objects straight from `AttributeValue`s.

use std::ffi::CString;

use aws_smithy_types::Blob;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PySet, PyString};
use pyo3::{ffi, IntoPyObjectExt};

use super::number::{self, WireNumber};
use super::path::Path;
use super::{decimal_type, AttributeValue, ReadOptions};

/// Data from DynamoDB is at most 32 levels deep; this cap only exists so that a value built some
/// other way can never overflow the stack. Generous on purpose: reading should not reject data.
const READ_MAX_DEPTH: usize = 256;

pub(super) fn map_to_dict<'py>(
    py: Python<'py>,
    map: &std::collections::HashMap<String, AttributeValue>,
    opts: ReadOptions,
    path: &Path<'_>,
    depth: usize,
) -> PyResult<Bound<'py, PyDict>> {
    // The limited API has no pre-sized dict constructor; dicts grow geometrically anyway.
    let dict = PyDict::new(py);
    for (name, value) in map {
        let child = path.key(name);
        let value = to_py(py, value, opts, &child, depth)?;
        dict.set_item(PyString::new(py, name), value)?;
    }
    Ok(dict)
}

/// Converts one value found at `path`, `depth` levels down (1 = top-level attribute).
pub(super) fn to_py<'py>(
    py: Python<'py>,
    value: &AttributeValue,
    opts: ReadOptions,
    path: &Path<'_>,
    depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        AttributeValue::S(s) => PyString::new(py, s).into_any(),
        AttributeValue::N(n) => number(py, n, opts, path)?,
        AttributeValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        AttributeValue::Null(_) => py.None().into_bound(py),
        AttributeValue::B(b) => PyBytes::new(py, b.as_ref()).into_any(),
        AttributeValue::M(m) => {
            check_depth(path, depth)?;
            map_to_dict(py, m, opts, path, depth + 1)?.into_any()
        }
        AttributeValue::L(items) => {
            check_depth(path, depth)?;
            new_list(py, items.len(), items.iter().enumerate().map(|(i, item)| {
                to_py(py, item, opts, &path.index(i), depth + 1)
            }))?
            .into_any()
        }
        AttributeValue::Ss(items) => new_set(py, items.iter().map(|s| Ok(PyString::new(py, s).into_any())))?,
        AttributeValue::Ns(items) => new_set(py, items.iter().map(|n| number(py, n, opts, path)))?,
        AttributeValue::Bs(items) => new_set(py, items.iter().map(|b: &Blob| Ok(PyBytes::new(py, b.as_ref()).into_any())))?,
        // `AttributeValue` is non-exhaustive: a newer service may send a type this SDK predates.
        other => return Err(path.value_error(format_args!("unsupported DynamoDB attribute type {other:?}"))),
    })
}

#[inline]
fn check_depth(path: &Path<'_>, depth: usize) -> PyResult<()> {
    if depth > READ_MAX_DEPTH {
        return Err(path.value_error(format_args!("value is nested more than {READ_MAX_DEPTH} levels deep")));
    }
    Ok(())
}

/// A list of exactly `len` items, allocated once, filled in place.
fn new_list<'py>(
    py: Python<'py>,
    len: usize,
    items: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
) -> PyResult<Bound<'py, PyList>> {
    let size = ffi::Py_ssize_t::try_from(len).map_err(|_| pyo3::exceptions::PyOverflowError::new_err("list too long"))?;
    // SAFETY: PyList_New returns a new reference or NULL with an exception set. Its slots start
    // as NULL, which list deallocation and the GC tolerate, so bailing out early with `?` below
    // is fine; the list is never handed to Python code before every slot is filled.
    let list = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyList_New(size))?.cast_into_unchecked::<PyList>() };
    let mut filled = 0;
    for (i, item) in items.take(len).enumerate() {
        let item = item?;
        // SAFETY: `i < len`, so the index is in range; PyList_SetItem steals the reference
        // that `into_ptr` gives up, and cannot fail for an in-range index of a real list.
        unsafe { ffi::PyList_SetItem(list.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) };
        filled += 1;
    }
    if filled != len {
        // Cannot happen with the exact-size iterators used here, but never expose NULL slots.
        return Err(pyo3::exceptions::PySystemError::new_err("list conversion produced too few items"));
    }
    Ok(list)
}

fn new_set<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
) -> PyResult<Bound<'py, PyAny>> {
    let set = PySet::empty(py)?;
    for item in items {
        set.add(item?)?;
    }
    Ok(set.into_any())
}

/// An N value: int when integral (any size), otherwise float, or `Decimal` with `exact_numbers`.
fn number<'py>(py: Python<'py>, text: &str, opts: ReadOptions, path: &Path<'_>) -> PyResult<Bound<'py, PyAny>> {
    match number::classify(text) {
        Some(WireNumber::Int(n)) => n.into_bound_py_any(py),
        Some(WireNumber::BigInt(digits)) => big_int(py, digits, path),
        Some(WireNumber::Fraction) if opts.exact_numbers => decimal_type(py)?.call1((text,)),
        Some(WireNumber::Fraction) => match text.parse::<f64>() {
            // Fractions out of f64 range become ±inf/0.0, as float(text) would in Python.
            Ok(x) => Ok(PyFloat::new(py, x).into_any()),
            Err(_) => Err(invalid_number(path, text)),
        },
        None => Err(invalid_number(path, text)),
    }
}

/// Integers beyond i64: let CPython parse the digits (exact for any size).
#[cold]
fn big_int<'py>(py: Python<'py>, digits: String, path: &Path<'_>) -> PyResult<Bound<'py, PyAny>> {
    // `digits` is only '-' and ASCII digits, so it has no interior NUL.
    let c_digits = CString::new(digits).map_err(|_| path.value_error("invalid integer text"))?;
    // SAFETY: a valid NUL-terminated string; the result is a new reference or NULL with an
    // exception set (e.g. when it exceeds sys.get_int_max_str_digits()).
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromString(c_digits.as_ptr(), std::ptr::null_mut(), 10)) }
        .map_err(|e| path.wrap(py, e))
}

#[cold]
fn invalid_number(path: &Path<'_>, text: &str) -> PyErr {
    path.value_error(format_args!("DynamoDB returned a malformed number {text:?}"))
}
