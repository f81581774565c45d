//! The direct read path (ADR 6): a read response's body bytes become Python objects in one
//! walk, with no `HashMap<String, AttributeValue>` in between.
//!
//! The body comes from either request path (`crate::transport`: the SDK's pipeline with the
//! body captured, or the direct path).
//!
//! - `envelope.rs`: the response object (`Item`, `Items`, `Count`, `LastEvaluatedKey`...).
//! - `value.rs`: attribute values -> `dict`/`list`/`str`/`int`/`float`/`Decimal`/`set`/`bytes`.
//! - `key.rs`: keys that go back to DynamoDB, decoded to `AttributeValue`.
//! - `names.rs`: one `str` per distinct attribute name of a response.
//! - `meta.rs`: what steers the next request (keys, counts, capacity), without the GIL.
//! - `page.rs`: a Query/Scan page indexed without the GIL, then decoded a slice at a time.
//!
//! Results are the same as `wire::item_to_py` of the SDK's decoding (same number rules,
//! through the same classifier), which the tests check on random items. The body is
//! expected to be what DynamoDB sends; anything else raises `PydynoxException` ("unreadable
//! response from DynamoDB: ..." with the position), never a panic. Nesting is bounded by
//! serde_json's recursion limit (128 JSON levels, about 62 DynamoDB levels; DynamoDB allows 32).

mod envelope;
mod key;
mod meta;
mod names;
mod page;
mod unprocessed;
mod value;


use std::cell::RefCell;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use serde::de::{self, DeserializeSeed};

pub use envelope::Response;
pub use meta::{meta, Meta};
pub use page::{Page, PageItems};
pub use unprocessed::unprocessed_writes;
// The direct request path (src/transport/direct) reads the item of a failed condition with it.
pub(crate) use key::WireItem;

use crate::wire::ReadOptions;

/// Decodes a read response body (GetItem, Query, Scan, BatchGetItem, TransactGetItems,
/// ExecuteStatement) into Python objects.
pub fn response<'py>(py: Python<'py>, body: &[u8], opts: ReadOptions) -> PyResult<Response<'py>> {
    let ctx = Ctx::new(py, opts);
    let mut de = serde_json::Deserializer::from_slice(body);
    let decoded = envelope::ResponseSeed(&ctx).deserialize(&mut de).and_then(|r| de.end().map(|()| r));
    ctx.finish(decoded)
}

/// What every seed of one response shares.
pub(crate) struct Ctx<'py> {
    py: Python<'py>,
    opts: ReadOptions,
    names: RefCell<names::Names>,
    /// A Python error met during the walk (serde errors cannot carry one).
    failure: RefCell<Option<PyErr>>,
}

impl<'py> Ctx<'py> {
    fn new(py: Python<'py>, opts: ReadOptions) -> Self {
        Self::with_names(py, opts, names::Names::default())
    }

    /// A context that starts from the names an earlier walk of the same response built.
    fn with_names(py: Python<'py>, opts: ReadOptions, names: names::Names) -> Self {
        Ctx { py, opts, names: RefCell::new(names), failure: RefCell::new(None) }
    }

    fn into_names(self) -> names::Names {
        self.names.into_inner()
    }

    /// Parks `err` and returns the serde error that stops the walk.
    #[cold]
    fn fail<E: de::Error>(&self, err: PyErr) -> E {
        *self.failure.borrow_mut() = Some(err);
        E::custom("a Python error occurred")
    }

    /// The walk's result as Python sees it: a parked Python error, or malformed JSON as
    /// `PydynoxException`.
    fn finish<T>(&self, result: Result<T, serde_json::Error>) -> PyResult<T> {
        result.map_err(|e| match self.failure.borrow_mut().take() {
            Some(err) => err,
            None => unreadable(&e),
        })
    }
}

/// The error for a body that is not a DynamoDB response (same wording as the SDK path's).
#[cold]
fn unreadable(e: &serde_json::Error) -> PyErr {
    crate::bindings::PydynoxException::new_err(format!("unreadable response from DynamoDB: {e}"))
}

/// `decimal.Decimal`, imported once per process.
fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

#[cfg(test)]
pub(crate) mod tests;
