//! The direct path sends a request where the SDK sends it and signs it for the same
//! credential scope, with no endpoint URL configured (so the SDK's endpoint rules decide):
//! `region="local"`, a table ARN, account-id endpoints, GovCloud and China regions. A FIPS
//! or dual-stack configuration keeps the SDK path. Each case sends one GetItem through the
//! SDK and one through `Direct::call`, both to a connector that records the request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_types::endpoint_config::AccountIdEndpointMode;
use aws_types::region::Region;
use aws_types::SdkConfig;

use super::credentials::CredentialsCache;
use super::Direct;
use crate::wire::write::body::Body;

/// The URI and the `Credential=` scope (region/service/aws4_request, without the date) of
/// the last request sent through it; answers `{}`.
#[derive(Clone, Debug, Default)]
struct Recorder(Arc<Mutex<Option<(String, String)>>>);

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let authorization = request.headers().get("authorization").unwrap_or_default();
        let credential = authorization.split("Credential=").nth(1).unwrap_or_default();
        let credential = credential.split(',').next().unwrap_or_default();
        let scope = credential.splitn(3, '/').nth(2).unwrap_or_default().to_string();
        *self.0.lock().unwrap() = Some((request.uri().to_string(), scope));
        HttpConnectorFuture::ready(Ok(HttpResponse::new(200.try_into().unwrap(), SdkBody::from("{}"))))
    }
}

impl HttpClient for Recorder {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

struct Case {
    region: &'static str,
    table: &'static str,
    account_id: Option<&'static str>,
    mode: Option<AccountIdEndpointMode>,
}

fn sdk_config(case: &Case, fips: bool, dual_stack: bool) -> SdkConfig {
    let mut credentials = Credentials::builder().access_key_id("AKIDEXAMPLE").secret_access_key("secret").provider_name("test");
    if let Some(id) = case.account_id {
        credentials = credentials.account_id(id);
    }
    let mut config = SdkConfig::builder()
        .region(Region::new(case.region))
        .credentials_provider(SharedCredentialsProvider::new(credentials.build()))
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .use_fips(fips)
        .use_dual_stack(dual_stack);
    if let Some(mode) = &case.mode {
        config = config.account_id_endpoint_mode(mode.clone());
    }
    config.build()
}

/// (URI, credential scope) of a GetItem of `case.table`, sent by the SDK and by the direct path.
fn both_paths(case: &Case) -> ((String, String), (String, String)) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let config = sdk_config(case, false, false);
    let sdk_recorder = Recorder::default();
    let conf = aws_sdk_dynamodb::config::Builder::from(&config).http_client(sdk_recorder.clone()).build();
    let client = aws_sdk_dynamodb::Client::from_conf(conf.clone());
    rt.block_on(client.get_item().table_name(case.table).key("pk", AttributeValue::S("a".into())).send())
        .expect("the SDK sends the GetItem");
    let sdk = sdk_recorder.0.lock().unwrap().take().expect("the SDK sent a request");

    let cache = CredentialsCache::new(config.credentials_provider().unwrap(), Duration::from_secs(5));
    let direct = rt.block_on(Direct::new(&config, &conf, case.region, Some(cache), Some(crate::transport::direct::retry::Quota::for_client(case.region, false)))).expect("this configuration takes the direct path");
    let direct_recorder = Recorder::default();
    let mut body = Body::new();
    body.str("TableName", Some(case.table)).item(
        "Key",
        Some(&std::collections::HashMap::from([("pk".to_string(), AttributeValue::S("a".into()))])),
    );
    rt.block_on(direct.call(&SharedHttpConnector::new(direct_recorder.clone()).into(), "GetItem", body.finish()))
        .unwrap_or_else(|e| panic!("the direct path sends the GetItem: {}", e.message));
    let ours = direct_recorder.0.lock().unwrap().take().expect("the direct path sent a request");
    (sdk, ours)
}

#[test]
fn the_direct_path_resolves_and_signs_as_the_sdk() {
    let arn = "arn:aws:dynamodb:us-west-2:123456789012:table/orders";
    let cases = [
        Case { region: "local", table: "t", account_id: None, mode: None },
        Case { region: "local", table: "t", account_id: Some("111122223333"), mode: None },
        Case { region: "us-east-1", table: "t", account_id: None, mode: None },
        Case { region: "us-west-2", table: arn, account_id: None, mode: None },
        Case { region: "us-west-2", table: arn, account_id: Some("111122223333"), mode: None },
        Case { region: "eu-west-1", table: "t", account_id: Some("111122223333"), mode: None },
        Case { region: "eu-west-1", table: "t", account_id: Some("111122223333"), mode: Some(AccountIdEndpointMode::Disabled) },
        Case { region: "eu-west-1", table: "t", account_id: Some("111122223333"), mode: Some(AccountIdEndpointMode::Required) },
        Case { region: "us-gov-west-1", table: "t", account_id: None, mode: None },
        Case { region: "us-gov-east-1", table: "t", account_id: Some("111122223333"), mode: None },
        Case { region: "cn-north-1", table: "t", account_id: None, mode: None },
        Case { region: "cn-northwest-1", table: "t", account_id: Some("111122223333"), mode: None },
    ];
    for case in &cases {
        let (sdk, ours) = both_paths(case);
        assert_eq!(ours, sdk, "region {} table {} account {:?} mode {:?}", case.region, case.table, case.account_id, case.mode);
    }
    // The cases above do reach the endpoints they are meant to test.
    let (local, _) = both_paths(&cases[0]);
    assert_eq!(local, ("http://localhost:8000/".to_string(), "us-east-1/dynamodb/aws4_request".to_string()));
    let (by_account, _) = both_paths(&cases[5]);
    assert_eq!(by_account.0, "https://111122223333.ddb.eu-west-1.amazonaws.com/");
    let (by_arn, _) = both_paths(&cases[3]);
    assert_eq!(by_arn.0, "https://123456789012.ddb.us-west-2.amazonaws.com/");
}

#[test]
fn fips_and_dual_stack_keep_the_sdk_path() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let case = Case { region: "us-east-1", table: "t", account_id: None, mode: None };
    for (fips, dual_stack) in [(true, false), (false, true), (true, true)] {
        let config = sdk_config(&case, fips, dual_stack);
        let conf = aws_sdk_dynamodb::config::Builder::from(&config).build();
        let cache = CredentialsCache::new(config.credentials_provider().unwrap(), Duration::from_secs(5));
        assert!(rt.block_on(Direct::new(&config, &conf, case.region, Some(cache), Some(crate::transport::direct::retry::Quota::for_client(case.region, false)))).is_none(), "fips {fips} dual stack {dual_stack}");
    }
}
