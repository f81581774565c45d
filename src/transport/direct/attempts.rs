//! One call on the direct path: attempts until success, a failure that is not retried,
//! the last attempt, an empty retry quota, or the operation timeout.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_dynamodb::error::SdkError;
use aws_smithy_runtime_api::client::connection::CaptureSmithyConnection;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind as RetryKind;
use bytes::Bytes;

use super::http::{self, Connectors, Failure, Reply};
use super::{error_body, plain, retry, sign, Direct};
use crate::errors::{Error, ErrorKind};

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
    /// Sends `DynamoDB_20120810.<action>` with `body` through `connectors`.
    pub async fn call(&self, connectors: &Connectors, action: &str, body: Bytes) -> Result<Success, Error> {
        // The deadline is also handed to blocking attempts (`plain`), which the timer
        // below cannot interrupt.
        let deadline = self.operation_timeout.map(|limit| Instant::now() + limit);
        let attempts = self.attempts(connectors, action, body, deadline);
        match self.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(result) => result,
                Err(_) => Err(operation_timeout(limit)),
            },
            None => attempts.await,
        }
    }

    /// The skew the operation starts from: the last one any response of this client
    /// showed (the SDK seeds each operation from its client's), unless correction is off.
    fn starting_skew(&self) -> i64 {
        if self.skew_correction {
            self.skew_ms.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    /// The skew a response shows, as the SDK's clock-skew interceptor measures it: the
    /// server's `Date` minus the midpoint of sending and receiving the response head;
    /// nothing when correction is off, the response has no usable `Date` or came from a
    /// cache, or the round trip took over 15 minutes. Remembered for the next operations.
    fn measure_skew(&self, reply: &Reply) -> Option<i64> {
        if !self.skew_correction {
            return None;
        }
        let date = reply.date.as_deref()?;
        let server = aws_smithy_types::DateTime::from_str(date, aws_smithy_types::date_time::Format::HttpDate).ok()?;
        let server = SystemTime::try_from(server).ok()?;
        let elapsed = reply.received.duration_since(reply.sent).unwrap_or_default();
        if elapsed > MAX_TRUSTED_ROUND_TRIP {
            return None;
        }
        let midpoint = reply.sent + elapsed / 2;
        let skew_ms = match server.duration_since(midpoint) {
            Ok(ahead) => ahead.as_millis() as i64,
            Err(behind) => -(behind.duration().as_millis() as i64),
        };
        self.skew_ms.store(skew_ms, Ordering::Relaxed);
        Some(skew_ms)
    }

    async fn attempts(&self, connectors: &Connectors, action: &str, body: Bytes, deadline: Option<Instant>) -> Result<Success, Error> {
        let table_arn = super::endpoint::table_arn(&body);
        let mut skew = self.starting_skew();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let credentials = self.credentials.get().await.map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let endpoint = self
                .endpoint
                .endpoint(credentials.account_id().map(|a| a.as_str()), table_arn.as_deref())
                .await
                .map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let target = sign::Target { uri: &endpoint.uri, host: &endpoint.host, region: &endpoint.signing_region, name: &endpoint.signing_name, user_agent: &self.user_agent, keys: &self.keys };
            let signed = sign::sign(&target, action, &body, &credentials, shifted(SystemTime::now(), skew))
                .map_err(|e| Error::from(Sdk::construction_failure(e)))?;
            let connection = CaptureSmithyConnection::new();
            let plain = connectors.plain.as_deref().filter(|_| self.plain_allowed && endpoint.uri.starts_with("http://") && plain::alone());
            // A blocking attempt's connection, to go back to its pool unless poisoned below.
            let mut lease = None;
            let reply = match plain {
                Some(pool) => {
                    let limits = plain::Limits { connect: self.connect_timeout, read: self.read_timeout, deadline };
                    pool.attempt(signed.authority(), &plain::request_bytes(&signed), &limits).map(|(reply, kept)| {
                        lease = kept.map(|kept| (pool, kept));
                        reply
                    })
                }
                None => {
                    let request = signed.into_http().map_err(|e| Error::from(Sdk::construction_failure(e)))?;
                    http::attempt(&connectors.hyper, request, &connection).await
                }
            };
            let (kind, retry_after, error) = match reply {
                Ok(reply) if (200..300).contains(&reply.status) => {
                    if let Some((pool, kept)) = lease {
                        pool.keep(kept);
                    }
                    self.measure_skew(&reply);
                    self.quota.succeeded();
                    return Ok(Success { body: reply.body, request_id: reply.request_id });
                }
                Ok(reply) => {
                    let measured = self.measure_skew(&reply);
                    if let Some(measured) = measured {
                        skew = measured;
                    }
                    let parsed = error_body::parse(reply.error_type.as_deref(), &reply.body);
                    let kind = retry::classify_response(reply.status, parsed.code.as_deref(), measured);
                    // The server may say how long to wait before retrying what is retried.
                    let retry_after = reply.retry_after_ms.filter(|_| kind.is_some()).map(Duration::from_millis);
                    (kind, retry_after, service_error(&reply, parsed))
                }
                Err(Failure::Connector(e)) => {
                    let kind = if e.is_timeout() || e.is_io() { Some(RetryKind::TransientError) } else { e.as_other() };
                    (kind, None, Error::from(Sdk::dispatch_failure(e)))
                }
                Err(Failure::Deadline) => return Err(operation_timeout(self.operation_timeout.unwrap_or_default())),
                // The signal's exception is what the caller sees (`runtime::wait`).
                Err(Failure::Interrupted) => return Err(Error::new(ErrorKind::Connection, "the request was abandoned: a signal handler raised")),
                Err(Failure::Body(e)) => {
                    let raw = HttpResponse::new(200.try_into().expect("200 is a status"), SdkBody::empty());
                    (Some(RetryKind::TransientError), None, Error::from(Sdk::response_error(e, raw)))
                }
            };
            if kind == Some(RetryKind::TransientError) && self.retry.poisons_connections() {
                // As the SDK's connection poisoning: the connection that carried a transient
                // failure is not reused, whatever kept it alive (a blocking attempt's lease
                // is dropped, which closes it).
                if let Some(used) = connection.get() {
                    used.poison();
                }
            } else if let Some((pool, kept)) = lease {
                pool.keep(kept);
            }
            let Some(kind) = kind else { return Err(error) };
            if attempt >= self.retry.max_attempts {
                return Err(error);
            }
            let delay = self.retry.delay(kind, attempt, retry_after);
            if !self.quota.try_retry(kind) {
                return Err(error);
            }
            tokio::time::sleep(delay).await;
        }
    }
}

fn operation_timeout(limit: Duration) -> Error {
    Error::from(Sdk::timeout_error(OperationTimeout(limit)))
}

/// A round trip longer than this gives no trustworthy skew (aws-runtime's
/// `MAX_TRUSTED_REQUEST_DURATION`).
const MAX_TRUSTED_ROUND_TRIP: Duration = Duration::from_secs(15 * 60);

/// `now` moved by a signed skew in milliseconds.
fn shifted(now: SystemTime, skew_ms: i64) -> SystemTime {
    let by = Duration::from_millis(skew_ms.unsigned_abs());
    if skew_ms >= 0 { now.checked_add(by) } else { now.checked_sub(by) }.unwrap_or(now)
}

/// The error of a non-2xx response, through the same mapping as the SDK path's.
fn service_error(reply: &Reply, parsed: error_body::ErrorBody) -> Error {
    let code = parsed.code.as_deref().unwrap_or("UnknownError");
    let mut error = Error::service(code, parsed.message.as_deref());
    error.request_id = reply.request_id.clone();
    match error.kind {
        crate::errors::ErrorKind::ConditionalCheckFailed => error.item = parsed.item,
        crate::errors::ErrorKind::TransactionCanceled => error.reasons = parsed.reasons,
        _ => {}
    }
    error
}
