//! One credentials cache per client and process, read by both request paths: the direct
//! path asks it before signing, and the SDK's configuration gets it as its credentials
//! provider (with the SDK's own identity cache turned off), so an assumed role is assumed
//! once per client whichever path a request takes.
//!
//! Like the SDK's lazy identity cache: credentials without an expiry are kept 15 minutes;
//! they are refreshed within 10 seconds of their expiry moved later by a jitter of 0-5 s; one caller loads
//! while the others wait for its result (single flight).

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

#[derive(Debug)]
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    cached: RwLock<Option<Cached>>,
    loading: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    pub fn new(provider: SharedCredentialsProvider) -> Arc<Self> {
        Arc::new(CredentialsCache { provider, cached: RwLock::new(None), loading: tokio::sync::Mutex::new(()) })
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
        let credentials = self.provider.provide_credentials().await?;
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
        self.0.provider.fallback_on_interrupt()
    }
}
