//! The send layer's hook for rate limiting and hot-partition diagnostics (ADR 23): what
//! `Call::around` runs for each request of a client that has either set, and what
//! `Call::record` settles. A client with neither never gets here.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;

use crate::bindings::OperationMetrics;
use crate::client::ClientShared;
use crate::errors::{Error, ErrorKind};
use crate::flow::hot::Detector;
use crate::flow::keys::{self, Schema};
use crate::flow::py::log_hot_detached;
use crate::flow::rate::Ledger;
use crate::flow::kind_of;
use crate::transport::{request_tap, throttles};

/// One request under the client's flow settings: waits for its share of the rate (a tokio
/// sleep: the event loop and the GIL stay free), sends, counts a throttle against the
/// rate, and feeds the request's partition keys to the detector (throttled or not).
pub async fn around<T>(shared: &ClientShared, ledger: &Ledger, action: &'static str, request: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let flow = &shared.flow;
    let kind = kind_of(action);
    let limiter = flow.limiter.as_ref().zip(kind);
    if let Some((limiter, kind)) = limiter {
        let wait = limiter.reserve(kind, ledger);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
    // Throttled attempts the retries absorbed count too: the rate backs off before the
    // retries run out (one cut per request at most).
    let ((out, body), absorbed) = throttles::counting(async {
        match (&flow.hot, kind) {
            (Some(_), Some(_)) => request_tap::tap(request).await,
            _ => (request.await, None),
        }
    })
    .await;
    if let Some((limiter, kind)) = limiter {
        let failed = matches!(&out, Err(e) if e.kind == ErrorKind::Throughput);
        if absorbed > 0 || failed {
            limiter.throttled(kind);
        }
    }
    if let (Some(hot), Some(body)) = (&flow.hot, body) {
        record_hot(shared, hot, action, &body).await;
    }
    out
}

/// Charges the limiter with what a call's responses reported consumed.
pub fn settle(shared: &ClientShared, ledger: &Ledger, m: &OperationMetrics) {
    if let Some(limiter) = &shared.flow.limiter {
        limiter.settle(ledger, m.consumed_rcu, m.consumed_wcu);
    }
}

async fn record_hot(shared: &ClientShared, hot: &Detector, action: &str, body: &Bytes) {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(body) else { return };
    let mut schemas: HashMap<String, Arc<Schema>> = HashMap::new();
    for table in keys::tables(action, &body) {
        if let Some(schema) = schema(shared, &table).await {
            schemas.insert(table, schema);
        }
    }
    for (table, key, kind) in keys::accesses(action, &body, |t| schemas.get(t).map(|s| &**s)) {
        if let Some(hot) = hot.record(&table, &key, kind) {
            log_hot_detached(&hot);
        }
    }
}

/// A table's partition key attributes, from the client's cache of key schemas (one
/// DescribeTable per client and table, shared with exact resume keys). A table whose
/// schema cannot be read is not tracked (and not asked about again). The DescribeTable goes
/// straight to the SDK: through the send layer it would come back here.
async fn schema(shared: &ClientShared, table: &str) -> Option<Arc<Schema>> {
    if let Some(known) = shared.flow.schemas.lock().unwrap_or_else(|e| e.into_inner()).get(table) {
        return known.clone();
    }
    let fetch = || async {
        let out = shared.sdk_here().await.describe_table().table_name(table).send().await.map_err(|_| ())?;
        out.table().map(crate::client::key_schemas::TableKeys::from_description).ok_or(())
    };
    let keys = shared.key_schemas.get(table, fetch).await.ok();
    let schema = keys.and_then(|k| {
        let indexes = k.indexes.iter().filter_map(|(name, ks)| Some((name.clone(), ks.first()?.clone()))).collect();
        Some(Arc::new(Schema { hash: k.table.first()?.clone(), indexes }))
    });
    shared.flow.schemas.lock().unwrap_or_else(|e| e.into_inner()).insert(table.to_string(), schema.clone());
    schema
}
