//! The direct request path (ADR 12): the hot data-plane operations build their request
//! JSON themselves (in `prepare`, where the GIL is held anyway), then sign and send it here
//! without the SDK's orchestrator, reproducing what it does for a request: credentials
//! from the client's (shared) cache, SigV4 for the endpoint's signing region and name, the
//! endpoint rules, the standard retry mode with its classification, backoff and quota
//! (Retry Behavior 2.1 too), connection poisoning, connect / read / operation timeouts,
//! clock-skew correction, request ids and the same errors.
//!
//! A client whose configuration asks for something this path does not reproduce
//! (adaptive retries, FIPS or dual-stack endpoints, an unusual endpoint URL), or built with
//! `PYDYNOX_DIRECT=0` in the environment, has no `Direct` and keeps the SDK path.

mod attempts;
pub mod credentials;
pub mod endpoint;
pub mod error_body;
pub mod http;
pub mod plain;
pub mod retry;
pub mod sign;
#[cfg(test)]
mod multi_item_tests;
#[cfg(test)]
mod sdk_parity_tests;
#[cfg(test)]
mod tests;

use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_types::SdkConfig;

pub use attempts::Success;
use credentials::CredentialsCache;

/// Whether `PYDYNOX_DIRECT` allows the direct path (read per client).
pub fn allowed_by_env() -> bool {
    std::env::var_os("PYDYNOX_DIRECT").is_none_or(|v| v != "0")
}

/// One client's direct path in one process.
pub struct Direct {
    credentials: Arc<CredentialsCache>,
    endpoint: endpoint::Resolver,
    user_agent: String,
    retry: retry::Policy,
    /// The client's retry quota, shared with its SDK path (the partition of its region).
    quota: Arc<retry::Quota>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    /// False with `AWS_DISABLE_CLOCK_SKEW_CORRECTION=true` (or the profile's key).
    skew_correction: bool,
    /// The server's clock minus ours, in milliseconds, learnt from the `Date` of responses
    /// (as the SDK's clock-skew interceptor does); added to the signing time.
    skew_ms: AtomicI64,
    /// Whether sync calls to `http://` endpoints may use blocking sockets (`plain`): not
    /// when a proxy is configured for plain HTTP, which only the connector honours.
    plain_allowed: bool,
    /// The signing key of the day (sign.rs).
    keys: sign::SigningKeys,
}

impl Direct {
    /// The direct path for a configuration, or None when it must keep the SDK path.
    /// `quota` is the client's retry quota, which its SDK path draws on too (None: the
    /// retry mode is not the standard one, which this path does not reproduce).
    pub async fn new(
        sdk_config: &SdkConfig,
        conf: &aws_sdk_dynamodb::Config,
        region: &str,
        credentials: Option<Arc<CredentialsCache>>,
        quota: Option<Arc<retry::Quota>>,
    ) -> Option<Arc<Direct>> {
        let credentials = credentials?;
        let quota = quota?;
        let retry = conf.retry_config().cloned().unwrap_or_else(RetryConfig::standard);
        if retry.mode() != RetryMode::Standard {
            return None;
        }
        let timeouts = conf.timeout_config().cloned().unwrap_or_else(|| aws_smithy_types::timeout::TimeoutConfig::builder().build());
        if timeouts.operation_attempt_timeout().is_some() {
            return None;
        }
        let endpoint = endpoint::Resolver::new(sdk_config, region).await?;
        let app = sdk_config.app_name().map(|a| format!(" app/{a}")).unwrap_or_default();
        let policy = retry::Policy::new(&retry);
        Some(Arc::new(Direct {
            credentials,
            endpoint,
            user_agent: format!("pydynox/{} md/direct{app}", env!("CARGO_PKG_VERSION")),
            quota,
            retry: policy,
            connect_timeout: timeouts.connect_timeout(),
            read_timeout: timeouts.read_timeout(),
            operation_timeout: timeouts.operation_timeout(),
            skew_correction: conf.disable_clock_skew_correction() != Some(true),
            skew_ms: AtomicI64::new(0),
            plain_allowed: plain::allowed(),
            keys: Default::default(),
        }))
    }
}
