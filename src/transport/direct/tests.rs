//! The pure parts of the direct path: signing as the SDK signs, error bodies, retry
//! classification, backoff bounds, the retry quota, request JSON.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind as RetryKind;
use bytes::Bytes;
use proptest::prelude::*;

use super::{error_body, retry, sign};
use crate::wire::write::body as json;

/// An HTTP client that keeps the request it is given and answers `{}`.
#[derive(Clone, Debug, Default)]
pub(super) struct Capture(pub(super) Arc<Mutex<Option<(Vec<(String, String)>, Bytes)>>>);

impl HttpConnector for Capture {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let headers = request.headers().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let body = Bytes::copy_from_slice(request.body().bytes().unwrap_or_default());
        *self.0.lock().unwrap() = Some((headers, body));
        HttpConnectorFuture::ready(Ok(HttpResponse::new(200.try_into().unwrap(), SdkBody::from("{}"))))
    }
}

impl HttpClient for Capture {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

const SIGNED_AT: u64 = 1_700_000_000;

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("session-token".into()), None, "test")
}

/// An SDK configuration (eu-west-1, the test credentials) whose requests `capture` keeps
/// instead of sending.
pub(super) fn capturing_config(capture: &Capture) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("eu-west-1"))
        .credentials_provider(credentials())
        .endpoint_url("http://127.0.0.1:8000")
        .http_client(capture.clone())
}

/// What the SDK sends for a GetItem signed at `SIGNED_AT`: its headers and body.
fn sdk_request() -> (Vec<(String, String)>, Bytes) {
    let capture = Capture::default();
    let conf = capturing_config(&capture)
        .time_source(aws_smithy_async::time::StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(SIGNED_AT)))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(conf);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _ = rt.block_on(client.get_item().table_name("t").key("pk", AttributeValue::S("a".into())).send());
    let captured = capture.0.lock().unwrap().take().expect("a request was sent");
    captured
}

#[test]
fn signing_matches_the_sdk() {
    let (headers, body) = sdk_request();
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let sdk_authorization = header("authorization").expect("the SDK signs");
    // The SDK's request, signed again by aws-sigv4 with our settings at the same time.
    let unsigned: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "authorization" | "x-amz-date" | "x-amz-security-token"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("host", "127.0.0.1:8000")])
        .collect();
    let identity = credentials().into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("eu-west-1")
        .name("dynamodb")
        .time(UNIX_EPOCH + Duration::from_secs(SIGNED_AT))
        .settings(sign::signing_settings())
        .build()
        .unwrap()
        .into();
    let signable = aws_sigv4::http_request::SignableRequest::new(
        "POST",
        "http://127.0.0.1:8000/",
        unsigned.iter().copied(),
        aws_sigv4::http_request::SignableBody::Bytes(&body),
    )
    .unwrap();
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params).unwrap().into_parts();
    let ours = instructions.headers().find(|(k, _)| *k == "authorization").map(|(_, v)| v.to_string());
    assert_eq!(ours.as_deref(), Some(sdk_authorization.as_str()));
}

#[test]
fn signed_requests_carry_what_dynamodb_needs() {
    let target = sign::Target { uri: "http://127.0.0.1:8000/", host: "127.0.0.1:8000", region: "eu-west-1", name: "dynamodb", user_agent: "pydynox/test", keys: &Default::default() };
    let body = Bytes::from_static(br#"{"TableName":"t"}"#);
    let at = UNIX_EPOCH + Duration::from_secs(SIGNED_AT);
    let request = sign::signed_request(&target, "GetItem", &body, &credentials(), at).unwrap();
    let h = |n: &str| request.headers().get(n).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(h("x-amz-target").as_deref(), Some("DynamoDB_20120810.GetItem"));
    assert_eq!(h("content-type").as_deref(), Some("application/x-amz-json-1.0"));
    assert_eq!(h("x-amz-date").as_deref(), Some("20231114T221320Z"));
    assert_eq!(h("x-amz-security-token").as_deref(), Some("session-token"));
    let auth = h("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/eu-west-1/dynamodb/aws4_request"), "{auth}");
    assert!(auth.contains("x-amz-target"), "{auth}");
    // Signed twice with the same input: the same signature (nothing random in it).
    let again = sign::signed_request(&target, "GetItem", &body, &credentials(), at).unwrap();
    assert_eq!(again.headers().get("authorization"), request.headers().get("authorization"));
}

#[test]
fn error_bodies_give_code_message_and_item() {
    let e = error_body::parse(
        None,
        br#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"a"},"n":{"N":"1"}}}"#,
    );
    assert_eq!(e.code.as_deref(), Some("ConditionalCheckFailedException"));
    assert_eq!(e.message.as_deref(), Some("The conditional request failed"));
    let item = e.item.unwrap();
    assert_eq!(item["pk"], AttributeValue::S("a".into()));
    assert_eq!(item["n"], AttributeValue::N("1".into()));

    let e = error_body::parse(Some("ThrottlingException:http://internal.amazon.com/"), br#"{"Message":"slow down"}"#);
    assert_eq!(e.code.as_deref(), Some("ThrottlingException"));
    assert_eq!(e.message.as_deref(), Some("slow down"));

    // Not JSON at all (a proxy's HTML page): no code, no message, no panic.
    assert_eq!(error_body::parse(None, b"<html>502</html>"), error_body::ErrorBody::default());
    // A damaged item keeps the code and message.
    let e = error_body::parse(None, br#"{"__type":"x#ConditionalCheckFailedException","message":"m","Item":{"pk":{"Q":"?"}}}"#);
    assert_eq!(e.code.as_deref(), Some("ConditionalCheckFailedException"));
    assert!(e.item.is_none());
}

#[test]
fn codes_map_to_the_same_errors_as_the_sdk_path() {
    use crate::errors::{Error, ErrorKind};
    assert_eq!(Error::service("ResourceNotFoundException", Some("no table")).kind, ErrorKind::ResourceNotFound);
    assert_eq!(Error::service("ProvisionedThroughputExceededException", None).kind, ErrorKind::Throughput);
    let other = Error::service("SomethingNew", Some("text"));
    assert_eq!((other.kind, other.message.as_str()), (ErrorKind::Service, "SomethingNew: text"));
}

#[test]
fn retry_classification_follows_the_sdk() {
    assert_eq!(retry::classify_response(400, Some("ThrottlingException"), None), Some(RetryKind::ThrottlingError));
    assert_eq!(retry::classify_response(400, Some("ProvisionedThroughputExceededException"), None), Some(RetryKind::ThrottlingError));
    assert_eq!(retry::classify_response(400, Some("RequestLimitExceeded"), None), Some(RetryKind::ThrottlingError));
    assert_eq!(retry::classify_response(500, Some("ThrottlingException"), None), Some(RetryKind::ThrottlingError));
    assert_eq!(retry::classify_response(400, Some("RequestTimeoutException"), None), Some(RetryKind::TransientError));
    for status in [500, 502, 503, 504] {
        assert_eq!(retry::classify_response(status, Some("InternalServerError"), None), Some(RetryKind::TransientError));
        assert_eq!(retry::classify_response(status, None, None), Some(RetryKind::TransientError));
    }
    assert_eq!(retry::classify_response(400, Some("ValidationException"), None), None);
    assert_eq!(retry::classify_response(400, Some("ConditionalCheckFailedException"), None), None);
    assert_eq!(retry::classify_response(501, None, None), None);
    // A clock-skew code is retried (as a server error) only past a 4-minute skew.
    let five_minutes = Some(5 * 60 * 1000);
    assert_eq!(retry::classify_response(403, Some("InvalidSignatureException"), five_minutes), Some(RetryKind::ServerError));
    assert_eq!(retry::classify_response(400, Some("RequestTimeTooSkewed"), Some(-5 * 60 * 1000)), Some(RetryKind::ServerError));
    assert_eq!(retry::classify_response(403, Some("InvalidSignatureException"), Some(60 * 1000)), None);
    assert_eq!(retry::classify_response(403, Some("InvalidSignatureException"), None), None);
    assert_eq!(retry::classify_response(400, Some("ValidationException"), five_minutes), None);
}

#[test]
fn backoff_stays_within_its_bounds() {
    let initial = Duration::from_millis(50);
    let max = Duration::from_secs(20);
    assert_eq!(retry::backoff(1.0, initial, 1, max), initial);
    assert_eq!(retry::backoff(1.0, initial, 2, max), initial * 2);
    assert_eq!(retry::backoff(1.0, initial, 3, max), initial * 4);
    assert_eq!(retry::backoff(1.0, Duration::from_secs(1), 100, max), max);
    assert_eq!(retry::backoff(1.0, Duration::from_secs(1), u32::MAX, max), max);
    assert_eq!(retry::backoff(0.0, initial, 5, max), Duration::ZERO);
}

proptest! {
    #[test]
    fn backoff_never_exceeds_the_cap(base in 0.0f64..1.0, attempt in 1u32..200, initial_ms in 0u64..5000, max_ms in 0u64..30000) {
        let d = retry::backoff(base, Duration::from_millis(initial_ms), attempt, Duration::from_millis(max_ms));
        prop_assert!(d <= Duration::from_millis(max_ms));
    }

    #[test]
    fn error_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..300), header in proptest::option::of(".{0,40}")) {
        let _ = error_body::parse(header.as_deref(), &body);
    }

    #[test]
    fn damaged_error_bodies_never_panic(cut in 0usize..200, flip in 0usize..200, byte in any::<u8>()) {
        let mut body = br#"{"__type":"a#ConditionalCheckFailedException","message":"m","Item":{"pk":{"S":"a"},"l":{"L":[{"N":"1"},{"M":{"x":{"B":"AAE="}}}]}}}"#.to_vec();
        if flip < body.len() { body[flip] = byte; }
        body.truncate(cut.min(body.len()));
        let _ = error_body::parse(None, &body);
    }
}

#[test]
fn retry_behavior_2_1_changes_backoff_costs_and_poisoning() {
    use aws_smithy_types::retry::{RetryConfig, RetrySpec};
    let standard = retry::Policy::new(&RetryConfig::standard().with_use_static_exponential_base(true));
    let v2_1 = retry::Policy::new(&RetryConfig::standard().with_use_static_exponential_base(true).with_retry_spec(RetrySpec::v2_1()));
    assert_eq!(standard.delay(RetryKind::TransientError, 1, None), Duration::from_secs(1));
    assert_eq!(v2_1.delay(RetryKind::TransientError, 1, None), Duration::from_millis(50));
    assert_eq!(v2_1.delay(RetryKind::ThrottlingError, 1, None), Duration::from_secs(1));
    // x-amz-retry-after: capped by the max backoff before 2.1, bounded to [t_i, t_i + 5 s] in 2.1.
    assert_eq!(standard.delay(RetryKind::ThrottlingError, 1, Some(Duration::from_millis(10))), Duration::from_millis(10));
    assert_eq!(standard.delay(RetryKind::ThrottlingError, 1, Some(Duration::from_secs(60))), Duration::from_secs(20));
    assert_eq!(v2_1.delay(RetryKind::ThrottlingError, 1, Some(Duration::from_millis(10))), Duration::from_secs(1));
    assert_eq!(v2_1.delay(RetryKind::ThrottlingError, 1, Some(Duration::from_secs(60))), Duration::from_secs(6));
    assert!(standard.poisons_connections() && !v2_1.poisons_connections());
    let bucket = std::sync::Arc::new(retry::TokenBucket::new(100, true));
    let _t = bucket.acquire(RetryKind::TransientError).unwrap();
    let _s = bucket.acquire(RetryKind::ServerError).unwrap();
    let _h = bucket.acquire(RetryKind::ThrottlingError).unwrap();
    assert_eq!(bucket.available(), 100 - 14 - 14 - 5);
}

#[test]
fn the_retry_quota_is_per_region_and_forgets_replaced_permits() {
    let a = retry::TokenBucket::for_region("test-region-a", false);
    assert!(std::sync::Arc::ptr_eq(&a, &retry::TokenBucket::for_region("test-region-a", true)));
    assert!(!std::sync::Arc::ptr_eq(&a, &retry::TokenBucket::for_region("test-region-b", false)));
    let bucket = std::sync::Arc::new(retry::TokenBucket::new(100, false));
    let slot = retry::PermitSlot::default();
    slot.hold(bucket.acquire(RetryKind::TransientError).unwrap());
    slot.hold(bucket.acquire(RetryKind::TransientError).unwrap());
    assert_eq!(bucket.available(), 80);
    slot.succeeded(&bucket);
    assert_eq!(bucket.available(), 90, "the replaced permit's tokens are gone, the held one's come back");
    slot.succeeded(&bucket);
    assert_eq!(bucket.available(), 91, "a success with no permit held earns a token");
}

#[test]
fn the_retry_quota_runs_out_and_refills() {
    let bucket = std::sync::Arc::new(retry::TokenBucket::new(20, false));
    let a = bucket.acquire(RetryKind::TransientError).unwrap(); // 10
    let _b = bucket.acquire(RetryKind::ThrottlingError).unwrap(); // 5
    assert_eq!(bucket.available(), 5);
    assert!(bucket.acquire(RetryKind::TransientError).is_none());
    a.release();
    assert_eq!(bucket.available(), 15);
    for _ in 0..10 {
        bucket.reward();
    }
    assert_eq!(bucket.available(), 20, "never above its capacity");
}

#[test]
fn request_json_is_what_dynamodb_reads() {
    let item: HashMap<String, AttributeValue> = HashMap::from([
        ("s".to_string(), AttributeValue::S("a \"quoted\" \u{e9}\n".into())),
        ("n".to_string(), AttributeValue::N("-1.5E+3".into())),
        ("b".to_string(), AttributeValue::B(aws_smithy_types::Blob::new(vec![0u8, 1, 255]))),
        ("ss".to_string(), AttributeValue::Ss(vec!["x".into(), "y".into()])),
        ("ns".to_string(), AttributeValue::Ns(vec!["1".into()])),
        ("bs".to_string(), AttributeValue::Bs(vec![aws_smithy_types::Blob::new(vec![7u8])])),
        ("l".to_string(), AttributeValue::L(vec![AttributeValue::Null(true), AttributeValue::Bool(false)])),
        ("m".to_string(), AttributeValue::M(HashMap::from([("k".to_string(), AttributeValue::Bool(true))]))),
    ]);
    let mut out = Vec::new();
    crate::wire::write::attribute_map_json(&item, &mut out).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!({
            "s": {"S": "a \"quoted\" \u{e9}\n"},
            "n": {"N": "-1.5E+3"},
            "b": {"B": "AAH/"},
            "ss": {"SS": ["x", "y"]},
            "ns": {"NS": ["1"]},
            "bs": {"BS": ["Bw=="]},
            "l": {"L": [{"NULL": true}, {"BOOL": false}]},
            "m": {"M": {"k": {"BOOL": true}}},
        })
    );
    let mut body = json::Body::new();
    body.str("TableName", Some("t")).bool("ConsistentRead", None).int("Limit", Some(3)).raw("Key", &out);
    let parsed: serde_json::Value = serde_json::from_slice(&body.finish()).unwrap();
    assert_eq!(parsed["TableName"], "t");
    assert_eq!(parsed["Limit"], 3);
    assert!(parsed.get("ConsistentRead").is_none());
}

#[test]
fn endpoints_parse_as_the_direct_path_needs() {
    use super::endpoint::{plain_url, table_arn};
    assert_eq!(plain_url("http://127.0.0.1:8000"), Some(("http://127.0.0.1:8000/".into(), "127.0.0.1:8000".into())));
    assert_eq!(plain_url("https://dynamodb.eu-west-1.amazonaws.com").unwrap().1, "dynamodb.eu-west-1.amazonaws.com");
    assert_eq!(plain_url("http://user:pw@host:1"), None);
    assert_eq!(plain_url("ftp://host"), None);
    let arn = "arn:aws:dynamodb:us-west-2:123456789012:table/t\"x";
    let mut body = json::Body::new();
    body.str("TableName", Some(arn)).str("ReturnConsumedCapacity", Some("TOTAL"));
    assert_eq!(table_arn(&body.finish()).as_deref(), Some(arn));
    let mut body = json::Body::new();
    body.str("TableName", Some("arnold"));
    assert_eq!(table_arn(&body.finish()), None);
    assert_eq!(table_arn(b"{\"TableName\":\"arn:unterminated"), None);
    let _ = SystemTime::now();
}

/// A credentials provider that never answers (a hung `credential_process` or SSO call),
/// with or without credentials to fall back on when interrupted.
#[derive(Debug)]
struct Hung(Option<Credentials>);

impl aws_credential_types::provider::ProvideCredentials for Hung {
    fn provide_credentials<'a>(&'a self) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(std::future::pending())
    }

    fn fallback_on_interrupt(&self) -> Option<Credentials> {
        self.0.clone()
    }
}

#[test]
fn a_hung_credentials_load_times_out_or_falls_back() {
    use aws_credential_types::provider::SharedCredentialsProvider;
    use super::credentials::CredentialsCache;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let hung = CredentialsCache::new(SharedCredentialsProvider::new(Hung(None)), Duration::from_millis(50));
    let err = rt.block_on(hung.get()).expect_err("a load that never ends fails");
    assert!(matches!(err, aws_credential_types::provider::error::CredentialsError::ProviderTimedOut(_)), "{err:?}");
    let fallback = CredentialsCache::new(SharedCredentialsProvider::new(Hung(Some(credentials()))), Duration::from_millis(50));
    assert_eq!(rt.block_on(fallback.get()).unwrap().access_key_id(), "AKIDEXAMPLE");
}

#[test]
fn the_credentials_load_timeout_is_the_sdks() {
    use super::credentials::load_timeout;
    use aws_smithy_types::retry::RetryConfig;
    use aws_smithy_types::timeout::TimeoutConfig;
    // 3 attempts, backoffs 1 + 2 s, 2 x 3.1 s per attempt.
    assert_eq!(load_timeout(None, None), Duration::from_secs_f64(3.0 + 3.0 * 6.2));
    let one = RetryConfig::standard().with_max_attempts(1);
    let slow_attempts = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(30)).build();
    assert_eq!(load_timeout(Some(&one), Some(&slow_attempts)), Duration::from_secs(30));
}
