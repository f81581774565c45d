//! Argument helpers shared by the `prepare` functions: expression placeholders, reading
//! typed entries out of the dicts some operations take, and bounds checks. Every error
//! names the parameter (and key) it is about.

use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::wire::{dict_to_item, Item};

/// `expression_attribute_names`: str -> str.
pub fn names(d: Option<Bound<'_, PyDict>>) -> PyResult<Option<HashMap<String, String>>> {
    names_at(d.as_ref(), "expression_attribute_names")
}

pub fn names_at(d: Option<&Bound<'_, PyDict>>, at: &str) -> PyResult<Option<HashMap<String, String>>> {
    let Some(d) = d else { return Ok(None) };
    let mut out = HashMap::with_capacity(d.len());
    for (k, v) in d.iter() {
        let (Ok(k), Ok(v)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
            return Err(PyTypeError::new_err(format!("{at} must map str placeholders to str attribute names")));
        };
        out.insert(k.to_str()?.to_owned(), v.to_str()?.to_owned());
    }
    Ok(Some(out))
}

/// `expression_attribute_values`: placeholder -> any storable value.
pub fn values(d: Option<Bound<'_, PyDict>>) -> PyResult<Option<Item>> {
    d.map(|d| dict_to_item(&d, "expression_attribute_values")).transpose()
}

/// A dict entry that must be present.
pub fn required<'py>(d: &Bound<'py, PyDict>, key: &str, at: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?
        .filter(|v| !v.is_none())
        .ok_or_else(|| crate::errors::invalid(format!("{at} is missing '{key}'")))
}

/// A dict entry that may be absent or None.
pub fn optional<'py>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(d.get_item(key)?.filter(|v| !v.is_none()))
}

pub fn string(v: &Bound<'_, PyAny>, at: &str) -> PyResult<String> {
    v.extract::<String>().map_err(|_| PyTypeError::new_err(format!("{at} must be a str, not {}", type_name(v))))
}

pub fn dict<'py>(v: &Bound<'py, PyAny>, at: &str) -> PyResult<Bound<'py, PyDict>> {
    v.cast::<PyDict>().cloned().map_err(|_| PyTypeError::new_err(format!("{at} must be a dict, not {}", type_name(v))))
}

pub fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// Rejects keys a dict argument does not understand, so a typo is not silently ignored.
pub fn only_keys(d: &Bound<'_, PyDict>, allowed: &[&str], at: &str) -> PyResult<()> {
    for k in d.keys() {
        let k = k.extract::<String>().unwrap_or_default();
        if !allowed.contains(&k.as_str()) {
            return Err(crate::errors::invalid(format!("{at} has an unknown key '{k}' (expected one of: {})", allowed.join(", "))));
        }
    }
    Ok(())
}

/// A count DynamoDB takes as i32, at least `min`.
pub fn count_arg(v: Option<i64>, name: &str, min: i64) -> PyResult<Option<i32>> {
    match v {
        None => Ok(None),
        Some(n) if n < min || n > i32::MAX as i64 => {
            Err(crate::errors::invalid(format!("{name} must be between {min} and {}, got {n}", i32::MAX)))
        }
        Some(n) => Ok(Some(n as i32)),
    }
}

/// A list argument, extracted like PyO3's `Vec<T>` but without trusting the argument's
/// `__len__`: PyO3 reserves whatever a sequence's `__len__` claims, and a subclass that
/// claims 2**40 items makes that allocation abort the process. Lists and tuples (and their
/// subclasses) are read from their storage; other sequences through their iterator.
#[derive(Debug)]
pub struct Seq<T>(pub Vec<T>);

impl<T> Default for Seq<T> {
    fn default() -> Self {
        Seq(Vec::new())
    }
}

impl<T> std::ops::Deref for Seq<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> IntoIterator for Seq<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'py, T> FromPyObject<'_, 'py> for Seq<T>
where
    T: pyo3::conversion::FromPyObjectOwned<'py>,
{
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        use pyo3::types::{PyList, PyTuple};
        let extract = |item: Bound<'py, PyAny>| item.extract::<T>().map_err(Into::into);
        if let Ok(list) = obj.cast::<PyList>() {
            // `iter` re-reads the real length at every step, so a list changed meanwhile is
            // read safely too.
            return list.iter().map(extract).collect::<PyResult<Vec<T>>>().map(Seq);
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return tuple.iter().map(extract).collect::<PyResult<Vec<T>>>().map(Seq);
        }
        if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err("Can't extract `str` to `Vec`"));
        }
        // SAFETY: a valid object pointer.
        if unsafe { pyo3::ffi::PySequence_Check(obj.as_ptr()) } == 0 {
            return Err(PyTypeError::new_err(format!("'{}' object is not a sequence (a list was expected)", type_name(&obj))));
        }
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.push(extract(item?)?);
        }
        Ok(Seq(out))
    }
}
