//! The private Python classes behind `pydynox.rate_limit` and `pydynox.diagnostics`:
//! `_RateLimiter` and `_HotPartitions` (set on `pydynox_core`, kept out of the stubs).
//! The public classes are Python; a client takes their `_core` (see `client::new`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use super::hot::{Detector, Hot};
use super::rate::{Kind, Limiter};
use crate::errors::invalid;

#[pyclass(module = "pydynox.pydynox_core", name = "_RateLimiter", frozen)]
pub struct RateLimiter {
    pub inner: Arc<Limiter>,
}

/// A rate argument: a positive, finite number of capacity units per second.
fn rate(name: &str, value: Option<f64>) -> PyResult<Option<f64>> {
    match value {
        Some(v) if !(v.is_finite() && v > 0.0) => Err(invalid(format!("{name} must be a positive number of capacity units per second, got {v}"))),
        other => Ok(other),
    }
}

fn kind(write: bool) -> Kind {
    if write {
        Kind::Write
    } else {
        Kind::Read
    }
}

#[pymethods]
impl RateLimiter {
    #[staticmethod]
    #[pyo3(signature = (rcu, wcu, burst))]
    fn fixed(rcu: Option<f64>, wcu: Option<f64>, burst: Option<f64>) -> PyResult<Self> {
        let (rcu, wcu, burst) = (rate("rcu", rcu)?, rate("wcu", wcu)?, rate("burst", burst)?);
        if rcu.is_none() && wcu.is_none() {
            return Err(invalid("FixedRate needs rcu, wcu or both"));
        }
        Ok(RateLimiter { inner: Arc::new(Limiter::fixed(rcu, wcu, burst)) })
    }

    #[staticmethod]
    #[pyo3(signature = (max_rcu, max_wcu, min_rcu, min_wcu))]
    fn adaptive(max_rcu: f64, max_wcu: Option<f64>, min_rcu: Option<f64>, min_wcu: Option<f64>) -> PyResult<Self> {
        let max_rcu = rate("max_rcu", Some(max_rcu))?.unwrap_or(1.0);
        let max_wcu = rate("max_wcu", max_wcu)?;
        let min_rcu = rate("min_rcu", min_rcu)?.unwrap_or(1.0_f64.min(max_rcu));
        let min_wcu = rate("min_wcu", min_wcu)?.unwrap_or(1.0_f64.min(max_wcu.unwrap_or(1.0)));
        if min_rcu > max_rcu {
            return Err(invalid(format!("min_rcu ({min_rcu}) must not exceed max_rcu ({max_rcu})")));
        }
        if let Some(max) = max_wcu.filter(|max| min_wcu > *max) {
            return Err(invalid(format!("min_wcu ({min_wcu}) must not exceed max_wcu ({max})")));
        }
        Ok(RateLimiter { inner: Arc::new(Limiter::adaptive(max_rcu, max_wcu, min_rcu, min_wcu)) })
    }

    /// The rate now of reads (`write=False`) or writes; None when that kind is not limited.
    fn rate(&self, write: bool) -> Option<f64> {
        self.inner.rate(kind(write))
    }

    fn consumed(&self, write: bool) -> f64 {
        self.inner.consumed(kind(write))
    }

    fn throttle_count(&self) -> u64 {
        self.inner.throttle_count()
    }

    fn reset_counters(&self) {
        self.inner.reset_counters()
    }
}

#[pyclass(module = "pydynox.pydynox_core", name = "_HotPartitions", frozen)]
pub struct HotPartitions {
    pub inner: Arc<Detector>,
}

fn threshold(name: &str, value: i64) -> PyResult<u64> {
    u64::try_from(value).ok().filter(|v| *v > 0).ok_or_else(|| invalid(format!("{name} must be a positive whole number, got {value}")))
}

#[pymethods]
impl HotPartitions {
    #[new]
    fn new(writes_threshold: i64, reads_threshold: i64, window_seconds: i64) -> PyResult<Self> {
        let detector = Detector::new(
            threshold("writes_threshold", writes_threshold)?,
            threshold("reads_threshold", reads_threshold)?,
            threshold("window_seconds", window_seconds)?,
        );
        Ok(HotPartitions { inner: Arc::new(detector) })
    }

    /// Counts one access, logging the warning when the key reaches its threshold.
    fn record(&self, py: Python<'_>, table: &str, key: &str, write: bool) -> PyResult<()> {
        match self.inner.record(table, key, kind(write)) {
            Some(hot) => log_hot(py, &hot),
            None => Ok(()),
        }
    }

    fn count(&self, table: &str, key: &str, write: bool) -> u64 {
        self.inner.count(table, key, kind(write))
    }

    #[pyo3(signature = (table, writes_threshold, reads_threshold))]
    fn set_table_thresholds(&self, table: &str, writes_threshold: Option<i64>, reads_threshold: Option<i64>) -> PyResult<()> {
        let writes = writes_threshold.map(|v| threshold("writes_threshold", v)).transpose()?;
        let reads = reads_threshold.map(|v| threshold("reads_threshold", v)).transpose()?;
        self.inner.set_table_thresholds(table, writes, reads);
        Ok(())
    }

    fn clear(&self) {
        self.inner.clear()
    }
}

/// The WARNING of a key that reached its threshold, on logger `pydynox.diagnostics`.
pub fn log_hot(py: Python<'_>, hot: &Hot) -> PyResult<()> {
    let what = match hot.kind {
        Kind::Write => "writes",
        Kind::Read => "reads",
    };
    let logger = py.import("logging")?.call_method1("getLogger", ("pydynox.diagnostics",))?;
    let args = PyTuple::new(py, [
        "Hot partition detected - table=\"%s\" pk=\"%s\" had %d %s in %ds".into_pyobject(py)?.into_any(),
        hot.table.as_str().into_pyobject(py)?.into_any(),
        hot.key.as_str().into_pyobject(py)?.into_any(),
        hot.count.into_pyobject(py)?.into_any(),
        what.into_pyobject(py)?.into_any(),
        hot.window_seconds.into_pyobject(py)?.into_any(),
    ])?;
    logger.call_method1("warning", args)?;
    Ok(())
}

/// The same warning from a request in flight (no GIL held): errors of the logging call are
/// reported as unraisable rather than failing the request.
pub fn log_hot_detached(hot: &Hot) {
    Python::attach(|py| {
        if let Err(e) = log_hot(py, hot) {
            e.write_unraisable(py, None);
        }
    });
}
