//! Throttled attempts that a request's retries absorbed, counted for whoever asks (the
//! adaptive rate limit, ADR 23): without this it would only see throttles that exhausted
//! the retries. A task-local counter scoped around one request; both paths' retry
//! bookkeeping (`Quota::try_retry`, which the SDK path reaches through its interceptor)
//! note into it. Outside a scope, noting does nothing.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static SEEN: Cell<u32>;
}

/// Runs `request`, and says how many of its attempts were throttled and retried.
pub async fn counting<F: Future>(request: F) -> (F::Output, u32) {
    SEEN.scope(Cell::new(0), async move {
        let out = request.await;
        (out, SEEN.with(Cell::get))
    })
    .await
}

/// One throttled attempt is about to be retried.
pub fn note() {
    let _ = SEEN.try_with(|seen| seen.set(seen.get() + 1));
}
