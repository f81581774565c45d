//! One call on the direct path: attempts until success, a failure that is not retried,
//! the last attempt, an empty retry quota, or the operation timeout.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::error::SdkError;
use aws_smithy_runtime_api::client::http::SharedHttpConnector;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind as RetryKind;
use bytes::Bytes;

use super::http::{self, Failure, Reply};
use super::{error_body, retry, sign, Direct};
use crate::errors::Error;

/// A successful response: its body (decoded by the operation) and request id.
pub struct Success {
    pub body: Bytes,
    pub request_id: Option<String>,
}

/// The SDK's error type for errors built here, so they map through `crate::errors` exactly as
/// the SDK path's do (same kinds, same wording).
type Sdk = SdkError<aws_sdk_dynamodb::Error, HttpResponse>;

/// The operation timeout's error, worded as the SDK's.
#[derive(Debug)]
struct OperationTimeout(Duration);

impl std::fmt::Display for OperationTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "operation timeout (all attempts including retries) occurred after {:?}", self.0)
    }
}

impl std::error::Error for OperationTimeout {}

impl Direct {
    /// Sends `DynamoDB_20120810.<action>` with `body` over `connector`.
    pub async fn call(&self, connector: &SharedHttpConnector, action: &str, body: Bytes) -> Result<Success, Error> {
        let attempts = self.attempts(connector, action, body);
        match self.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(result) => result,
                Err(_) => Err(Error::from(Sdk::timeout_error(OperationTimeout(limit)))),
            },
            None => attempts.await,
        }
    }

    fn signing_time(&self) -> SystemTime {
        let skew = self.skew_ms.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if skew >= 0 {
            now + Duration::from_millis(skew as u64)
        } else {
            now - Duration::from_millis(skew.unsigned_abs())
        }
    }

    /// Remembers how far the server's clock (a response's `Date`) is from ours.
    fn learn_skew(&self, date: Option<&str>) {
        let Some(date) = date else { return };
        let Ok(server) = aws_smithy_types::DateTime::from_str(date, aws_smithy_types::date_time::Format::HttpDate) else {
            return;
        };
        let Ok(server) = SystemTime::try_from(server) else { return };
        let skew_ms = match server.duration_since(SystemTime::now()) {
            Ok(ahead) => ahead.as_millis() as i64,
            Err(behind) => -(behind.duration().as_millis() as i64),
        };
        // A `Date` has whole seconds: only skews past a second mean anything.
        let skew_ms = if skew_ms.abs() < 1000 { 0 } else { skew_ms };
        self.skew_ms.store(skew_ms, Ordering::Relaxed);
    }

    async fn attempts(&self, connector: &SharedHttpConnector, action: &str, body: Bytes) -> Result<Success, Error> {
        let bucket = retry::TokenBucket::process();
        let mut permit: Option<retry::Permit<'static>> = None;
        let mut attempt: u32 = 0;
        let mut skew_corrected = false;
        loop {
            attempt += 1;
            let credentials = self.credentials.get().await.map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let endpoint = self
                .endpoint
                .endpoint(credentials.account_id().map(|a| a.as_str()))
                .await
                .map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let target = sign::Target { uri: &endpoint.uri, host: &endpoint.host, region: &self.region, user_agent: &self.user_agent };
            let request = sign::signed_request(&target, action, &body, &credentials, self.signing_time())
                .map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let (kind, retry_after, error) = match http::attempt(connector, request).await {
                Ok(reply) if (200..300).contains(&reply.status) => {
                    self.learn_skew(reply.date.as_deref());
                    match permit.take() {
                        Some(p) => p.release(),
                        None => bucket.reward(),
                    }
                    return Ok(Success { body: reply.body, request_id: reply.request_id });
                }
                Ok(reply) => {
                    self.learn_skew(reply.date.as_deref());
                    let parsed = error_body::parse(reply.error_type.as_deref(), &reply.body);
                    if !skew_corrected && retry::is_skew_error(parsed.code.as_deref(), parsed.message.as_deref()) && reply.date.is_some() {
                        // Signed again with the server's clock: not counted as a retry.
                        skew_corrected = true;
                        attempt -= 1;
                        continue;
                    }
                    let kind = retry::classify_response(reply.status, parsed.code.as_deref());
                    // Honoured for the error codes the SDK's code classifier retries.
                    let retry_after = reply
                        .retry_after_ms
                        .filter(|_| retry::classify_response(0, parsed.code.as_deref()).is_some())
                        .map(Duration::from_millis);
                    (kind, retry_after, service_error(&reply, parsed))
                }
                Err(Failure::Connector(e)) => {
                    let kind = if e.is_timeout() || e.is_io() { Some(RetryKind::TransientError) } else { e.as_other() };
                    (kind, None, Error::from(Sdk::dispatch_failure(e)))
                }
                Err(Failure::Body(e)) => {
                    let raw = HttpResponse::new(200.try_into().expect("200 is a status"), SdkBody::empty());
                    (Some(RetryKind::TransientError), None, Error::from(Sdk::response_error(e, raw)))
                }
            };
            let Some(kind) = kind else { return Err(error) };
            if attempt >= self.max_attempts {
                return Err(error);
            }
            let base = if self.static_backoff { 1.0 } else { fastrand::f64() };
            let computed = retry::backoff(base, self.initial_backoff, attempt, self.max_backoff);
            let delay = retry_after.map_or(computed, |d| d.min(self.max_backoff));
            let Some(new_permit) = bucket.acquire(kind) else { return Err(error) };
            // As in the SDK, a retry's permit replaces (and gives back) the previous one.
            if let Some(old) = permit.replace(new_permit) {
                old.release();
            }
            tokio::time::sleep(delay).await;
        }
    }
}

/// The error of a non-2xx response, through the same mapping as the SDK path's.
fn service_error(reply: &Reply, parsed: error_body::ErrorBody) -> Error {
    let code = parsed.code.as_deref().unwrap_or("UnknownError");
    let mut error = Error::service(code, parsed.message.as_deref());
    error.request_id = reply.request_id.clone();
    if error.kind == crate::errors::ErrorKind::ConditionalCheckFailed {
        error.item = parsed.item;
    }
    error
}
