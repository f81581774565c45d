//! The SDK path's side of the shared retry quota (ADR 12): a client's SDK requests draw on
//! the same [`Quota`] as its direct requests, so exhausting it on one path stops retries on
//! the other, as one SDK client's requests would.
//!
//! aws-smithy-runtime keeps its token bucket's accounting to itself (`acquire` and the
//! rewards are crate-private), so the sharing goes the other way: the SDK client's own
//! bucket is made unlimited (a custom retry partition with the same name, `dynamodb-<region>`)
//! and [`SharedQuota`], an interceptor, does the quota's bookkeeping where the SDK's
//! strategy would, with the SDK's own classifiers: after each attempt, a success gives the
//! held permit back (or earns a token); a failure the SDK will retry takes a retry's cost,
//! and when the quota is spent the attempt limit the strategy reads is lowered to the
//! attempts made, so the strategy stops with the error unchanged. Everything else (backoff,
//! `x-amz-retry-after`, classification, timeouts) stays the SDK's.

use std::fmt;
use std::sync::Arc;

use aws_smithy_runtime::client::retries::classifiers::run_classifiers_on_ctx;
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::retries::classifiers::{RetryAction, RetryReason};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::RetryConfig;

use crate::transport::direct::retry::Quota;

/// An SDK configuration whose retries draw on `quota` (the client's, shared with its direct path).
pub fn install(conf: aws_sdk_dynamodb::config::Builder, region: &str, quota: Arc<Quota>) -> aws_sdk_dynamodb::config::Builder {
    let partition = RetryPartition::custom(format!("dynamodb-{region}")).token_bucket(TokenBucket::unlimited()).build();
    conf.retry_partition(partition).interceptor(SharedQuota(quota))
}

/// Does the retry quota's bookkeeping of the SDK path on the client's [`Quota`].
pub struct SharedQuota(pub Arc<Quota>);

impl fmt::Debug for SharedQuota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedQuota").field("available", &self.0.available()).finish()
    }
}

impl Intercept for SharedQuota {
    fn name(&self) -> &'static str {
        "pydynox shared retry quota"
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let ctx = context.inner();
        if !ctx.is_failed() {
            self.0.succeeded();
            return Ok(());
        }
        // What the SDK's strategy will decide next, from the same classifiers.
        let kind = match run_classifiers_on_ctx(runtime_components.retry_classifiers(), ctx) {
            RetryAction::RetryIndicated(RetryReason::RetryableError { kind, .. }) => kind,
            _ => return Ok(()),
        };
        let Some(retry) = cfg.load::<RetryConfig>().cloned() else { return Ok(()) };
        let attempts = cfg.load::<RequestAttempts>().map_or(1, RequestAttempts::attempts);
        if attempts >= retry.max_attempts() || self.0.try_retry(kind) {
            return Ok(());
        }
        // The quota is spent: no attempts left, so the strategy returns this error as is.
        cfg.interceptor_state().store_put(retry.with_max_attempts(attempts));
        Ok(())
    }
}

#[cfg(test)]
#[path = "retry_quota_tests.rs"]
mod tests;
