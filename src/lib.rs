//! pydynox's Rust core: the `pydynox.pydynox_core` extension module.
//!
//! The Python-facing methods are generated from `spec/` by build.rs (see `bindings`);
//! everything here is the hand-written part they call.

pub mod attrs;
pub mod awaitable;
pub mod client;
pub mod errors;
pub mod flow;
pub mod kms;
pub mod observe;
pub mod ops;
pub mod pager;
pub mod ready;
pub mod repr;
pub mod runtime;
pub mod s3;
pub mod services;
pub mod transport;
pub mod wire;

/// Generated from spec/*.yaml: result records, pagers, exceptions and the `#[pymethods]`
/// of every class (each sync method and its `async_` twin).
pub mod bindings {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use pyo3::prelude::*;

#[pymodule]
fn pydynox_core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    bindings::register(m)?;
    // A failed batch write sets these on its exception (src/errors/to_python.rs); every
    // other error reads None (spec/errors.yaml declares them on the base class).
    let base = m.getattr("PydynoxException")?;
    base.setattr("unprocessed_items", m.py().None())?;
    base.setattr("unprocessed_keys", m.py().None())?;
    let wait = wrap_pyfunction!(runtime::wait_for_async_tasks, m)?;
    m.py().import("atexit")?.call_method1("register", (wait,))?;
    // Set, not added: a private diagnostic for tests, kept out of `__all__` and the stubs.
    m.setattr("_async_tasks_in_flight", wrap_pyfunction!(runtime::tasks_in_flight, m)?)?;
    m.setattr("_count_requests", wrap_pyfunction!(ops::send::count_requests, m)?)?;
    m.setattr("_requests_sent", wrap_pyfunction!(ops::send::requests_sent, m)?)?;
    m.setattr("_observe_configure", wrap_pyfunction!(observe::observe_configure, m)?)?;
    m.setattr("_observe_install", wrap_pyfunction!(observe::observe_install, m)?)?;
    m.setattr("_encode_item_json", wrap_pyfunction!(wire::write::encode_item_json, m)?)?;
    m.setattr("_RateLimiter", m.py().get_type::<flow::py::RateLimiter>())?;
    m.setattr("_HotPartitions", m.py().get_type::<flow::py::HotPartitions>())?;
    attrs::register(m)?;
    Ok(())
}
