//! One client's two request paths draw on one retry quota: retries on the SDK path take
//! from it, and a quota spent on either path leaves the other no retry. Every request is
//! answered 500 by a connector that counts them; each test has a region of its own, so its
//! partition's bucket is its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;

use super::install;
use crate::transport::direct::credentials::CredentialsCache;
use crate::transport::direct::retry::{Quota, CAPACITY};
use crate::transport::direct::Direct;
use crate::wire::write::body::Body;

/// Answers every request with a 500 (a transient error, 10 tokens a retry).
#[derive(Clone, Debug, Default)]
struct Failing(Arc<AtomicUsize>);

impl Failing {
    fn sent(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl HttpConnector for Failing {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        self.0.fetch_add(1, Ordering::SeqCst);
        let body = SdkBody::from(r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}"#);
        HttpConnectorFuture::ready(Ok(HttpResponse::new(500.try_into().unwrap(), body)))
    }
}

impl HttpClient for Failing {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// A client's two paths as `resolve_config` builds them, `max_attempts` attempts a request,
/// a millisecond of backoff at most.
struct Paths {
    quota: Arc<Quota>,
    sdk: aws_sdk_dynamodb::Client,
    direct: Arc<Direct>,
    failing: Failing,
    rt: tokio::runtime::Runtime,
}

fn paths(region: &'static str, max_attempts: u32) -> Paths {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let credentials = Credentials::builder().access_key_id("AKIDEXAMPLE").secret_access_key("secret").provider_name("test").build();
    let retry = RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(1));
    let config = SdkConfig::builder()
        .region(Region::new(region))
        .endpoint_url("http://localhost:1")
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .retry_config(retry)
        .sleep_impl(SharedAsyncSleep::new(TokioSleep::new()))
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .build();
    let failing = Failing::default();
    let quota = Quota::for_client(region, false);
    let conf = install(aws_sdk_dynamodb::config::Builder::from(&config).http_client(failing.clone()), region, quota.clone()).build();
    let cache = CredentialsCache::new(config.credentials_provider().unwrap(), Duration::from_secs(5));
    let direct = rt
        .block_on(Direct::new(&config, &conf, region, Some(cache), Some(quota.clone())))
        .expect("this configuration takes the direct path");
    Paths { quota, sdk: aws_sdk_dynamodb::Client::from_conf(conf), direct, failing, rt }
}

impl Paths {
    /// One GetItem on the SDK path; the requests it sent.
    fn sdk_get(&self) -> usize {
        let before = self.failing.sent();
        let sent = self.sdk.get_item().table_name("t").key("pk", AttributeValue::S("a".into())).send();
        let error = self.rt.block_on(sent).expect_err("every answer is a 500");
        assert_eq!(error.into_service_error().meta().code(), Some("InternalServerError"));
        self.failing.sent() - before
    }

    /// One GetItem on the direct path; the requests it sent.
    fn direct_get(&self) -> usize {
        let before = self.failing.sent();
        let mut body = Body::new();
        body.str("TableName", Some("t"));
        let connector = SharedHttpConnector::new(self.failing.clone());
        let error = self.rt.block_on(self.direct.call(&connector.into(), "GetItem", body.finish())).err().expect("every answer is a 500");
        assert!(error.message.contains("boom"), "{}", error.message);
        self.failing.sent() - before
    }
}

#[test]
fn sdk_path_retries_take_from_the_shared_quota() {
    let p = paths("quota-test-sdk-takes", 3);
    assert_eq!(p.sdk_get(), 3, "the SDK path still retries");
    assert_eq!(p.quota.available(), CAPACITY - 2 * 10, "two retries of a transient error");
    assert_eq!(p.direct_get(), 3);
    assert_eq!(p.quota.available(), CAPACITY - 4 * 10);
}

#[test]
fn a_quota_spent_on_the_direct_path_stops_sdk_retries() {
    // 500 tokens are 50 retries of a transient error: one call with 60 attempts spends them.
    let p = paths("quota-test-direct-spends", 60);
    assert_eq!(p.direct_get(), 51);
    assert!(p.quota.available() < 10);
    assert_eq!(p.sdk_get(), 1, "no retry left for the SDK path");
}

#[test]
fn a_quota_spent_on_the_sdk_path_stops_direct_retries() {
    let p = paths("quota-test-sdk-spends", 60);
    assert_eq!(p.sdk_get(), 51);
    assert!(p.quota.available() < 10);
    assert_eq!(p.direct_get(), 1, "no retry left for the direct path");
}
