//! Backoff for re-sending what a batch call left unprocessed.

use std::time::Duration;

/// Attempts before a batch gives up and raises (listing how much was not done), unless the
/// caller says otherwise.
pub const MAX_ATTEMPTS: u32 = 12;

/// The caller's `max_attempts` (None: the default), checked: at least 1, at most 100.
pub fn attempts(operation: &str, max_attempts: Option<i64>) -> pyo3::PyResult<u32> {
    match max_attempts {
        None => Ok(MAX_ATTEMPTS),
        Some(n) if (1..=100).contains(&n) => Ok(n as u32),
        Some(n) => Err(crate::errors::invalid(format!("{operation}: max_attempts must be between 1 and 100, got {n}"))),
    }
}

/// Waits before attempt `n` (1-based retry count): 25 ms doubling up to 2 s, with jitter
/// so many clients throttled together do not retry in lockstep. Never blocks the thread.
pub async fn backoff(n: u32) {
    let base = 25u64.saturating_mul(1 << n.min(7)).min(2_000);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64 % (base / 2 + 1))
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(base / 2 + jitter)).await;
}
