//! Credentials resolved on the shared runtime, whichever thread asks.
//!
//! A client's per-thread SDK clients share one credentials provider and identity cache
//! (one chain, one STS AssumeRole per client, not one per thread). A provider that makes
//! HTTP calls (STS, SSO, IMDS, ECS) keeps a connection pool, and a connection belongs to
//! the runtime that opened it: the current-thread runtime of a sync caller is only driven
//! while that thread is inside a call, so a connection it opened would stall a later
//! refresh made from another thread. Resolving on the shared multi-thread runtime (always
//! driven) keeps every such connection there.

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};

use crate::runtime;

#[derive(Debug)]
pub struct OnSharedRuntime(pub SharedCredentialsProvider);

impl ProvideCredentials for OnSharedRuntime {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let inner = self.0.clone();
        future::ProvideCredentials::new(async move {
            let task = runtime::runtime().spawn(async move { inner.provide_credentials().await });
            match task.await {
                Ok(result) => result,
                Err(join_error) => Err(CredentialsError::provider_error(join_error)),
            }
        })
    }

    fn fallback_on_interrupt(&self) -> Option<aws_credential_types::Credentials> {
        self.0.as_ref().fallback_on_interrupt()
    }
}
