//! The HTTP side of the direct path: the SDK's default HTTP client (aws-smithy-http-client
//! with rustls on aws-lc, its connection pool, connect and read timeouts, proxies from the
//! environment), one connector per runtime exactly like the SDK clients of
//! `ClientShared::sdk_here`, and one attempt: send, then read the whole body.

use std::time::{Duration, SystemTime};

use aws_smithy_async::rt::sleep::TokioSleep;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::connection::CaptureSmithyConnection;
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorSettings, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::body::SdkBody;
use bytes::{Bytes, BytesMut};

/// How long a response body may go without a byte before the read fails: the SDK's
/// stalled-stream protection grace period (it is on by default for downloads).
pub const STALL_GRACE: Duration = Duration::from_secs(20);

/// A connector like the one the SDK's default HTTP client builds for these settings.
pub fn connector(connect_timeout: Option<Duration>, read_timeout: Option<Duration>) -> SharedHttpConnector {
    let mut settings = HttpConnectorSettings::builder();
    settings.set_connect_timeout(connect_timeout).set_read_timeout(read_timeout);
    let settings = settings.build();
    let connector = aws_smithy_http_client::Connector::builder()
        .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc))
        .connector_settings(settings)
        .sleep_impl(TokioSleep::new())
        .proxy_config(ProxyConfig::from_env())
        .build();
    SharedHttpConnector::new(connector)
}

/// What one client sends through from one place (see `ClientShared::direct_here`): the
/// connector, and on a sync call's thread the blocking sockets of plain-HTTP endpoints.
#[derive(Clone)]
pub struct Connectors {
    pub hyper: SharedHttpConnector,
    pub plain: Option<std::sync::Arc<super::plain::Pool>>,
}

impl From<SharedHttpConnector> for Connectors {
    fn from(hyper: SharedHttpConnector) -> Self {
        Connectors { hyper, plain: None }
    }
}

/// A response read to its end.
pub struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
    /// `x-amzn-errortype`, on error responses.
    pub error_type: Option<String>,
    /// The server's clock (`Date`), for clock-skew correction, unless the response says it
    /// came from a cache (`Age`), whose `Date` is stale (the SDK skips those too).
    pub date: Option<String>,
    /// Our clock when the request was handed to the connector and when the response's
    /// head arrived: the skew is measured from their midpoint, as the SDK measures it.
    pub sent: SystemTime,
    pub received: SystemTime,
    /// `x-amz-retry-after` in milliseconds: how long the server asks the client to wait.
    pub retry_after_ms: Option<u64>,
    pub body: Bytes,
}

/// How an attempt failed before a whole response arrived.
pub enum Failure {
    /// Connecting, sending, or waiting for the response head (timeouts included).
    Connector(ConnectorError),
    /// The response head arrived; its body could not be read (reset, stall).
    Body(Box<dyn std::error::Error + Send + Sync>),
    /// The operation deadline passed during a blocking attempt (`plain`).
    Deadline,
    /// A signal handler raised during a blocking attempt (`plain`).
    Interrupted,
}

/// Sends one attempt. `connection` learns which pooled connection carried it, so that the
/// caller can close it after a transient error (the SDK's connection poisoning).
pub async fn attempt(connector: &SharedHttpConnector, request: http::Request<SdkBody>, connection: &CaptureSmithyConnection) -> Result<Reply, Failure> {
    let mut request = HttpRequest::try_from(request).map_err(|e| Failure::Connector(ConnectorError::user(e.into())))?;
    request.add_extension(connection.clone());
    let sent = SystemTime::now();
    let response = connector.call(request).await.map_err(Failure::Connector)?;
    let received = SystemTime::now();
    let header = |name: &str| response.headers().get(name).map(str::to_owned);
    let (status, request_id, error_type) = (response.status().as_u16(), header("x-amzn-requestid"), header("x-amzn-errortype"));
    let date = header("date").filter(|_| response.headers().get("age").is_none());
    let retry_after_ms = header("x-amz-retry-after").and_then(|v| v.parse().ok());
    let body = read_body(response.into_body()).await.map_err(Failure::Body)?;
    Ok(Reply { status, request_id, error_type, date, sent, received, retry_after_ms, body })
}

#[derive(Debug)]
struct Stalled;

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response body stalled: no data for {} seconds", STALL_GRACE.as_secs())
    }
}

impl std::error::Error for Stalled {}

async fn read_body(body: SdkBody) -> Result<Bytes, Box<dyn std::error::Error + Send + Sync>> {
    use http_body::Body;
    if let Some(bytes) = body.bytes() {
        return Ok(Bytes::copy_from_slice(bytes));
    }
    let mut body = std::pin::pin!(body);
    let mut out = BytesMut::new();
    loop {
        let next = futures::future::poll_fn(|cx| body.as_mut().poll_frame(cx));
        match tokio::time::timeout(STALL_GRACE, next).await {
            Err(_) => return Err(Box::new(Stalled)),
            Ok(None) => break,
            Ok(Some(Err(e))) => return Err(e),
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    if out.is_empty() && body.is_end_stream() {
                        return Ok(data);
                    }
                    out.extend_from_slice(&data);
                }
            }
        }
    }
    Ok(out.freeze())
}
