//! One credentials cache per client and process, read by both request paths: the direct
//! path asks it before signing, and the SDK's configuration gets it as its credentials
//! provider (with the SDK's own identity cache turned off), so an assumed role is assumed
//! once per client whichever path a request takes.
//!
//! Like the SDK's lazy identity cache: credentials without an expiry are kept 15 minutes;
//! they are refreshed within 10 seconds of their expiry moved later by a jitter of 0-5 s; one caller loads
//! while the others wait for its result (single flight); a load that outlasts the SDK's
//! load timeout (enough for every attempt of the client's retry policy, see
//! [`load_timeout`]) ends with the provider's `fallback_on_interrupt` credentials, else an
//! error, so a hung `credential_process` or SSO call cannot hang every request.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;

const DEFAULT_EXPIRATION: Duration = Duration::from_secs(15 * 60);
const BUFFER_TIME: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Cached {
    credentials: Credentials,
    /// When to load again: a little before they expire.
    refresh_at: SystemTime,
}

/// The SDK's floor for a connect timeout in the load timeout (aws-smithy-runtime's
/// `DEFAULT_CONNECT_TIMEOUT`, not exported by it).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// How long a credentials load may take, computed as the SDK's lazy cache computes it when
/// none is configured (`pessimistic_load_timeout`): every backoff of the client's retry
/// policy at its longest plus, per attempt, twice the connect timeout (at least 3.1 s) or
/// the attempt timeout, whichever is longer.
pub fn load_timeout(retry: Option<&aws_smithy_types::retry::RetryConfig>, timeouts: Option<&aws_smithy_types::timeout::TimeoutConfig>) -> Duration {
    let standard = aws_smithy_types::retry::RetryConfig::standard();
    let retry = retry.unwrap_or(&standard);
    let attempts = retry.max_attempts();
    let (initial, max) = (retry.initial_backoff().as_secs_f64(), retry.max_backoff().as_secs_f64());
    let backoffs: f64 = (0..attempts.saturating_sub(1)).map(|i| (initial * 2f64.powi(i as i32)).min(max)).sum();
    let connect = timeouts.and_then(|t| t.connect_timeout()).unwrap_or(DEFAULT_CONNECT_TIMEOUT).max(DEFAULT_CONNECT_TIMEOUT);
    let attempt_ceiling = timeouts.and_then(|t| t.operation_attempt_timeout()).unwrap_or_default();
    let per_attempt = (connect.as_secs_f64() * 2.0).max(attempt_ceiling.as_secs_f64());
    Duration::from_secs_f64((backoffs + attempts as f64 * per_attempt).max(per_attempt))
}

#[derive(Debug)]
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    load_timeout: Duration,
    cached: RwLock<Option<Cached>>,
    loading: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    pub fn new(provider: SharedCredentialsProvider, load_timeout: Duration) -> Arc<Self> {
        Arc::new(CredentialsCache { provider, load_timeout, cached: RwLock::new(None), loading: tokio::sync::Mutex::new(()) })
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let guard = self.cached.read().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().filter(|c| now < c.refresh_at).map(|c| c.credentials.clone())
    }

    /// Credentials valid for a while yet, loading them if needed.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.fresh(SystemTime::now()) {
            return Ok(c);
        }
        let _turn = self.loading.lock().await;
        // Another caller may have loaded them while this one waited.
        if let Some(c) = self.fresh(SystemTime::now()) {
            return Ok(c);
        }
        let credentials = match tokio::time::timeout(self.load_timeout, self.provider.provide_credentials()).await {
            Ok(loaded) => loaded?,
            // The inner provider's fallback: `SharedCredentialsProvider` does not forward it.
            Err(_) => match self.provider.as_ref().fallback_on_interrupt() {
                Some(fallback) => fallback,
                None => return Err(CredentialsError::provider_timed_out(self.load_timeout)),
            },
        };
        let now = SystemTime::now();
        let expiry = credentials.expiry().unwrap_or(now + DEFAULT_EXPIRATION);
        // As the SDK's cache: the expiry moves later by a jitter of up to half the buffer,
        // and credentials are loaded again once within the buffer of that.
        let jittered = expiry + BUFFER_TIME.mul_f64(fastrand::f64() * 0.5);
        let refresh_at = jittered.checked_sub(BUFFER_TIME).unwrap_or(now);
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached { credentials: credentials.clone(), refresh_at });
        Ok(credentials)
    }
}

/// The cache as the SDK's credentials provider.
#[derive(Debug, Clone)]
pub struct FromCache(pub Arc<CredentialsCache>);

impl ProvideCredentials for FromCache {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.0.get())
    }

    fn fallback_on_interrupt(&self) -> Option<Credentials> {
        self.0.provider.as_ref().fallback_on_interrupt()
    }
}
