//! Builds and signs one attempt's HTTP request (SigV4 with `aws-sigv4`, as the SDK does for
//! DynamoDB: the body hashed into the signature, no `x-amz-content-sha256` header, the
//! session token signed).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;

/// What every request of one client shares.
pub struct Target<'a> {
    /// `https://dynamodb.us-east-1.amazonaws.com/` or the endpoint given.
    pub uri: &'a str,
    /// The `host` header (`authority` of the URI).
    pub host: &'a str,
    /// The signing region and service name: the resolved endpoint's (`authSchemes`), as the
    /// SDK signs (e.g. `us-east-1` for `region="local"`).
    pub region: &'a str,
    pub name: &'a str,
    pub user_agent: &'a str,
}

/// The signed request for `DynamoDB_20120810.<action>` with `body`, signed at `time`.
pub fn signed_request(
    target: &Target<'_>,
    action: &str,
    body: &Bytes,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<http::Request<SdkBody>, String> {
    let amz_target = format!("DynamoDB_20120810.{action}");
    let length = body.len().to_string();
    let headers = [
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", amz_target.as_str()),
        ("host", target.host),
        ("content-length", length.as_str()),
        ("user-agent", target.user_agent),
        ("x-amz-user-agent", target.user_agent),
    ];
    let identity: Identity = credentials.clone().into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(target.region)
        .name(target.name)
        .time(time)
        .settings(signing_settings())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new("POST", target.uri, headers.iter().copied(), SignableBody::Bytes(body))
        .map_err(|e| e.to_string())?;
    let (instructions, _signature) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
    let mut request = http::Request::builder().method("POST").uri(target.uri);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let mut request = request.body(SdkBody::from(body.clone())).map_err(|e| e.to_string())?;
    instructions.apply_to_request_http1x(&mut request);
    Ok(request)
}

/// The SDK's settings for DynamoDB: aws-sigv4's defaults (the session token signed, the
/// `user-agent` header left out of the signature, since proxies rewrite it), and, as
/// aws-runtime's signer does, the SDK's per-attempt headers left out too.
pub fn signing_settings() -> SigningSettings {
    let mut settings = SigningSettings::default();
    if let Some(excluded) = settings.excluded_headers.as_mut() {
        excluded.extend(["amz-sdk-invocation-id", "amz-sdk-request"].map(std::borrow::Cow::Borrowed));
    }
    settings
}
