//! The SDK's standard retry mode, reproduced: which failures are retried (the classifiers
//! the SDK installs for an AWS JSON service), how long to wait (exponential backoff with
//! full jitter, capped), and the retry quota (a token bucket shared by the process).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_smithy_types::retry::ErrorKind as RetryKind;

/// Error codes the SDK retries as throttling (aws-runtime's `THROTTLING_ERRORS`).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the SDK retries as transient (aws-runtime's `TRANSIENT_ERRORS`).
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses the SDK retries whatever the code (`HttpStatusCodeClassifier`).
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Error codes that say the request's signing time is off (clock skew): the request is
/// signed again with the server's clock and sent once more.
const SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// Whether an error response is retried, and as what. The error code is checked first
/// (a throttling code on a 500 is throttling), then the status.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<RetryKind> {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::ThrottlingError);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::TransientError);
        }
    }
    TRANSIENT_STATUSES.contains(&status).then_some(RetryKind::TransientError)
}

/// True when an error response blames the request's time (the server's `Date` header
/// then gives the skew to correct). An `InvalidSignatureException` counts only when its
/// message says the signature expired or is not yet valid.
pub fn is_skew_error(code: Option<&str>, message: Option<&str>) -> bool {
    match code {
        Some("InvalidSignatureException") | Some("SignatureDoesNotMatch") | Some("AuthFailure") => {
            message.is_some_and(|m| m.contains("Signature expired") || m.contains("Signature not yet current"))
        }
        Some(c) => SKEW_CODES.contains(&c),
        None => false,
    }
}

/// The SDK's backoff: `base * initial * 2^(retries - 1)` with `base` uniform in [0, 1)
/// (full jitter), capped at `max` (`calculate_exponential_backoff`).
pub fn backoff(base: f64, initial: Duration, retries_so_far: u32, max: Duration) -> Duration {
    let factor = 2f64.powi(retries_so_far.saturating_sub(1).min(62) as i32);
    let uncapped = initial.as_secs_f64() * factor;
    let capped = if uncapped.is_finite() { uncapped.min(max.as_secs_f64()) } else { max.as_secs_f64() };
    Duration::from_secs_f64(capped * base.clamp(0.0, 1.0))
}

/// The retry quota of the standard mode (the SDK's `TokenBucket` with its default costs):
/// 500 tokens; a retry of a transient error costs 10, of any other 5; a retry that
/// succeeds gives its tokens back, a first attempt that succeeds adds one.
pub struct TokenBucket {
    available: AtomicUsize,
    capacity: usize,
}

pub const CAPACITY: usize = 500;
const RETRY_COST: usize = 5;
const TIMEOUT_RETRY_COST: usize = 10;

impl TokenBucket {
    pub const fn new(capacity: usize) -> Self {
        TokenBucket { available: AtomicUsize::new(capacity), capacity }
    }

    /// The bucket of every direct-path request of this process, like the SDK's default
    /// retry partition (one bucket per service per process).
    pub fn process() -> &'static TokenBucket {
        static BUCKET: TokenBucket = TokenBucket::new(CAPACITY);
        &BUCKET
    }

    /// Takes the cost of one retry; None when the quota is spent (no retry then).
    pub fn acquire(&self, kind: RetryKind) -> Option<Permit<'_>> {
        let cost = if kind == RetryKind::TransientError { TIMEOUT_RETRY_COST } else { RETRY_COST };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(cost))
            .ok()
            .map(|_| Permit { bucket: self, cost })
    }

    /// A first attempt succeeded: one token back, up to the capacity.
    pub fn reward(&self) {
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.capacity).then_some(n + 1));
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

/// Tokens taken by a retry: given back if the request finally succeeds
/// ([`Permit::release`]), kept by the bucket otherwise (dropped).
pub struct Permit<'a> {
    bucket: &'a TokenBucket,
    cost: usize,
}

impl Permit<'_> {
    pub fn release(self) {
        self.bucket.give_back(self.cost);
    }
}
