//! The SDK's standard retry mode, reproduced (aws-smithy-runtime's `StandardRetryStrategy`
//! with the classifiers the SDK installs for DynamoDB): which failures are retried, how long
//! to wait (exponential backoff with full jitter, capped, `x-amz-retry-after`), Retry
//! Behavior 2.1 when the configuration asks for it (`AWS_NEW_RETRIES_2026=true`), and the
//! retry quota (a token bucket per retry partition, `dynamodb-<region>`, per process), which
//! the SDK path draws on too ([`Quota`], `transport::retry_quota`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use aws_runtime::retries::classifiers::{THROTTLING_ERRORS, TRANSIENT_ERRORS};
use aws_smithy_types::retry::{ErrorKind as RetryKind, RetryConfig, RetrySpec};

/// HTTP statuses the SDK retries whatever the code (`HttpStatusCodeClassifier`).
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Error codes that may mean the request was signed with a skewed clock (aws-runtime's
/// `CLOCK_SKEW_ERROR_CODES`, not exported by it): retried once the skew measured from the
/// response passes [`SKEW_DETECTION_THRESHOLD`] (`ServiceClockSkewClassifier`).
const CLOCK_SKEW_CODES: &[&str] = &[
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestTimeTooSkewed",
    "AccessDeniedException",
];

/// Below this skew a clock-skew code is a genuine error, not retried (aws-runtime).
pub const SKEW_DETECTION_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Whether an error response is retried, and as what, as the SDK's classifiers run for
/// DynamoDB: the status first (500/502/503/504 transient), then the error code, which wins
/// (a throttling code on a 500 is throttling); a clock-skew code with a skew past the
/// threshold is retried as a server error.
pub fn classify_response(status: u16, code: Option<&str>, skew_ms: Option<i64>) -> Option<RetryKind> {
    let mut kind = TRANSIENT_STATUSES.contains(&status).then_some(RetryKind::TransientError);
    if let (Some(code), Some(skew)) = (code, skew_ms) {
        if skew.unsigned_abs() > SKEW_DETECTION_THRESHOLD.as_millis() as u64 && CLOCK_SKEW_CODES.contains(&code) {
            kind = Some(RetryKind::ServerError);
        }
    }
    if let Some(code) = code {
        if THROTTLING_ERRORS.contains(&code) {
            kind = Some(RetryKind::ThrottlingError);
        } else if TRANSIENT_ERRORS.contains(&code) {
            kind = Some(RetryKind::TransientError);
        }
    }
    kind
}

/// The SDK's backoff: `base * initial * 2^(retries - 1)` with `base` uniform in [0, 1)
/// (full jitter), capped at `max` before the jitter (`calculate_exponential_backoff`).
pub fn backoff(base: f64, initial: Duration, retries_so_far: u32, max: Duration) -> Duration {
    let factor = 2f64.powi(retries_so_far.saturating_sub(1).min(62) as i32);
    let uncapped = initial.as_secs_f64() * factor;
    let capped = if uncapped.is_finite() { uncapped.min(max.as_secs_f64()) } else { max.as_secs_f64() };
    Duration::from_secs_f64(capped * base.clamp(0.0, 1.0))
}

/// One client's retry settings, read from its SDK configuration as the SDK reads them.
#[derive(Clone, Debug)]
pub struct Policy {
    pub max_attempts: u32,
    initial_backoff: Duration,
    /// Retry Behavior 2.1 waits less before retrying a non-throttling error (50 ms).
    non_throttling_initial_backoff: Duration,
    max_backoff: Duration,
    static_backoff: bool,
    /// Retry Behavior 2.1: other quota costs, `x-amz-retry-after` bounded to
    /// `[t_i, t_i + 5 s]`, and connections are kept on transient errors.
    pub v2_1: bool,
}

impl Policy {
    pub fn new(retry: &RetryConfig) -> Policy {
        let spec = retry.retry_spec();
        Policy {
            max_attempts: retry.max_attempts().max(1),
            initial_backoff: retry.initial_backoff(),
            non_throttling_initial_backoff: spec.map_or(retry.initial_backoff(), |s| s.non_throttling_initial_backoff()),
            max_backoff: retry.max_backoff(),
            static_backoff: retry.use_static_exponential_base(),
            v2_1: spec.is_some_and(|s| s.is_at_least(RetrySpec::V2_1)),
        }
    }

    /// How long to wait before retry number `retries_so_far` of an error of `kind`.
    pub fn delay(&self, kind: RetryKind, retries_so_far: u32, retry_after: Option<Duration>) -> Duration {
        let initial = if kind == RetryKind::ThrottlingError { self.initial_backoff } else { self.non_throttling_initial_backoff };
        let base = if self.static_backoff { 1.0 } else { fastrand::f64() };
        let t_i = backoff(base, initial, retries_so_far, self.max_backoff);
        match retry_after {
            Some(asked) if self.v2_1 => asked.clamp(t_i, t_i + Duration::from_secs(5)),
            Some(asked) => asked.min(self.max_backoff),
            None => t_i,
        }
    }

    /// Whether a connection that answered with a transient error is closed rather than
    /// reused (the SDK's `ReconnectMode::ReconnectOnTransientError`, off in 2.1).
    pub fn poisons_connections(&self) -> bool {
        !self.v2_1
    }
}

/// The retry quota of the standard mode, with the SDK's default costs: 500 tokens; a retry
/// of a transient error costs 10, of any other 5 (2.1: 14, and 5 for throttling); a first
/// attempt that succeeds adds one token.
pub struct TokenBucket {
    available: AtomicUsize,
    capacity: usize,
    retry_cost: usize,
    throttling_cost: usize,
    transient_cost: usize,
}

pub const CAPACITY: usize = 500;

impl TokenBucket {
    pub const fn new(capacity: usize, v2_1: bool) -> Self {
        let (retry_cost, throttling_cost, transient_cost) = if v2_1 { (14, 5, 14) } else { (5, 5, 10) };
        TokenBucket { available: AtomicUsize::new(capacity), capacity, retry_cost, throttling_cost, transient_cost }
    }

    /// The bucket of the SDK's default retry partition for `region` (`dynamodb-<region>`),
    /// one per process, its costs those of the first client that asks for it (as the SDK's
    /// partition map keeps the first bucket made).
    pub fn for_region(region: &str, v2_1: bool) -> Arc<TokenBucket> {
        static PARTITIONS: OnceLock<Mutex<HashMap<String, Arc<TokenBucket>>>> = OnceLock::new();
        let mut map = PARTITIONS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        map.entry(format!("dynamodb-{region}")).or_insert_with(|| Arc::new(TokenBucket::new(CAPACITY, v2_1))).clone()
    }

    /// Takes the cost of one retry; None when the quota is spent (no retry then).
    pub fn acquire(self: &Arc<Self>, kind: RetryKind) -> Option<Permit> {
        let cost = match kind {
            RetryKind::TransientError => self.transient_cost,
            RetryKind::ThrottlingError => self.throttling_cost,
            _ => self.retry_cost,
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(cost))
            .ok()
            .map(|_| Permit { bucket: self.clone(), cost })
    }

    /// A first attempt succeeded: one token back, up to the capacity.
    pub fn reward(&self) {
        self.give_back(1);
    }

    pub fn available(&self) -> usize {
        self.available.load(Ordering::Acquire)
    }

    fn give_back(&self, cost: usize) {
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| Some((n + cost).min(self.capacity)));
    }
}

/// Tokens taken by a retry. As in the SDK's strategy, one permit is held per client: a new
/// retry's permit replaces the held one, whose tokens are then gone for good; a success
/// gives the held permit's tokens back ([`Permit::release`]).
pub struct Permit {
    bucket: Arc<TokenBucket>,
    cost: usize,
}

impl Permit {
    pub fn release(self) {
        self.bucket.give_back(self.cost);
    }
}

/// The permit slot of one client (`StandardRetryStrategy::retry_permit`).
#[derive(Default)]
pub struct PermitSlot(Mutex<Option<Permit>>);

impl PermitSlot {
    /// A request succeeded: the held permit's tokens go back or, with none held, the
    /// bucket earns a token.
    pub fn succeeded(&self, bucket: &TokenBucket) {
        let held = self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
        match held {
            Some(permit) => permit.release(),
            None => bucket.reward(),
        }
    }

    /// Holds a retry's permit, forgetting (not giving back) the one it replaces.
    pub fn hold(&self, permit: Permit) {
        let _forgotten = self.0.lock().unwrap_or_else(|e| e.into_inner()).replace(permit);
    }
}

/// The retry quota one client's requests draw on, whichever path they take (ADR 12): the
/// bucket of its retry partition (`dynamodb-<region>`, shared by every client of the
/// process in that region, as the SDK's partition is) and the client's one held permit (as
/// the SDK's strategy holds one per client). The direct path draws on it in `attempts.rs`,
/// the SDK path through the interceptor of `transport::retry_quota`.
pub struct Quota {
    bucket: Arc<TokenBucket>,
    permit: PermitSlot,
}

impl Quota {
    /// A client's quota: the partition's bucket, a permit slot of its own.
    pub fn for_client(region: &str, v2_1: bool) -> Arc<Quota> {
        Arc::new(Quota { bucket: TokenBucket::for_region(region, v2_1), permit: PermitSlot::default() })
    }

    /// A request succeeded: the held permit's tokens go back, or the bucket earns one.
    pub fn succeeded(&self) {
        self.permit.succeeded(&self.bucket);
    }

    /// Takes the cost of one retry of an error of `kind`; false when the quota is spent
    /// (no retry then).
    pub fn try_retry(&self, kind: RetryKind) -> bool {
        if kind == RetryKind::ThrottlingError {
            crate::transport::throttles::note();
        }
        match self.bucket.acquire(kind) {
            Some(permit) => {
                self.permit.hold(permit);
                true
            }
            None => false,
        }
    }

    /// Tokens left in the partition's bucket.
    pub fn available(&self) -> usize {
        self.bucket.available()
    }
}
