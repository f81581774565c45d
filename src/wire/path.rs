//! Attribute paths for error messages, built lazily.
//!
//! While walking a value we keep a chain of stack-allocated `Path` links that point at their
//! parent; each link is a couple of words and costs nothing to create. The string
//! `item['address']['tags'][2]` is only rendered when an error actually happens, so the happy
//! path never allocates or formats anything for paths.

use std::fmt;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The caller-supplied prefix, e.g. `item` or `expression_attribute_values[':v']`.
    Root(&'a str),
    /// A map entry: `parent['key']`.
    Key(&'a Path<'a>, &'a str),
    /// A list element: `parent[3]`.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    #[inline]
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    #[inline]
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// `TypeError: <path>: <msg>`
    #[cold]
    pub(crate) fn type_error(&self, msg: impl fmt::Display) -> PyErr {
        PyTypeError::new_err(format!("{self}: {msg}"))
    }

    /// `ParamValidationException` (a `ValueError`): `<path>: <msg>`
    #[cold]
    pub(crate) fn value_error(&self, msg: impl fmt::Display) -> PyErr {
        crate::errors::classes::invalid(format!("{self}: {msg}"))
    }

    /// Re-raise an error that came out of Python (e.g. a `UnicodeEncodeError` for a lone
    /// surrogate) as a `ParamValidationException` (a ValueError) that names the path, keeping the original as `__cause__`
    /// so nothing is lost when debugging.
    #[cold]
    pub(crate) fn wrap(&self, py: Python<'_>, err: PyErr) -> PyErr {
        let wrapped = crate::errors::classes::invalid(format!("{self}: {err}"));
        wrapped.set_cause(py, Some(err));
        wrapped
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Path::Root(root) => f.write_str(root),
            Path::Key(parent, key) => {
                // Recursion depth is bounded by the nesting cap of the walk that built the chain.
                write!(f, "{parent}[")?;
                write_py_str_repr(f, key)?;
                f.write_str("]")
            }
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Writes `s` the way Python's `repr()` would for simple strings (single quotes, escaped
/// backslashes/quotes/control characters), so paths look like the Python expression that
/// reaches the value. It does not need to be byte-identical to `repr`, just unambiguous.
pub(crate) fn write_py_str_repr(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\'' => f.write_str("\\'")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\x{:02x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_path() {
        let root = Path::Root("item");
        let a = root.key("address");
        let t = a.key("tags");
        let i = t.index(2);
        assert_eq!(i.to_string(), "item['address']['tags'][2]");
    }

    #[test]
    fn escapes_keys() {
        let root = Path::Root("key");
        let k = root.key("it's\\\n");
        assert_eq!(k.to_string(), r"key['it\'s\\\n']");
    }
}
