//! Flow control and diagnostics of a client's requests: the rate limiter (`rate.rs`,
//! `FixedRate` / `AdaptiveRate`) and the hot-partition detector (`hot.rs`, fed with the
//! partition keys `keys.rs` reads from each request body). Both are hooked into every
//! request by the send layer (`ops::send`, through `ops::flow_hook`); the Python classes
//! in `python/pydynox/rate_limit.py` and `python/pydynox/diagnostics/` wrap the private
//! classes of `py.rs`. Below the client: nothing here knows clients or operations (ADR 23).

pub mod hot;
pub mod keys;
pub mod py;
pub mod rate;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use rate::Kind;

/// A client's flow settings; with neither set, the send layer skips all of this.
#[derive(Default)]
pub struct Flow {
    pub limiter: Option<Arc<rate::Limiter>>,
    pub hot: Option<Arc<hot::Detector>>,
    /// Each table's key schema, read once (None: it could not be read; not tracked).
    pub schemas: Mutex<HashMap<String, Option<Arc<keys::Schema>>>>,
}

impl Flow {
    pub fn new(limiter: Option<Arc<rate::Limiter>>, hot: Option<Arc<hot::Detector>>) -> Self {
        Flow { limiter, hot, schemas: Mutex::default() }
    }

    pub fn is_off(&self) -> bool {
        self.limiter.is_none() && self.hot.is_none()
    }
}

/// Which capacity a request of this action spends (None: the control plane, not limited).
/// PartiQL counts as a read until it settles with what it consumed.
pub fn kind_of(action: &str) -> Option<Kind> {
    match action {
        "GetItem" | "Query" | "Scan" | "BatchGetItem" | "TransactGetItems" | "ExecuteStatement" | "BatchExecuteStatement" => Some(Kind::Read),
        "PutItem" | "DeleteItem" | "UpdateItem" | "BatchWriteItem" | "TransactWriteItems" | "ExecuteTransaction" => Some(Kind::Write),
        _ => None,
    }
}
