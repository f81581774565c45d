//! Where a GetItem's client CPU goes inside the SDK pipeline, measured without a network:
//! the client built by `resolve_config`, its HTTP client replaced by one that answers at
//! once with a canned body. Run by hand (ADR 9):
//!   cargo test --release -p pydynox --lib client::measure -- --ignored --nocapture

use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;

use super::{resolve_config, ClientOptions};
use crate::transport::sdk_body::capture;

const BODY: &str = r#"{"ConsumedCapacity":{"CapacityUnits":0.5,"TableName":"bench_items"},"Item":{"pk":{"S":"item-0"},"name":{"S":"a name"},"n":{"N":"12345"},"f":{"N":"3.25"},"ok":{"BOOL":true},"tags":{"SS":["a","b","c"]},"m":{"M":{"x":{"N":"1"},"y":{"S":"why"},"l":{"L":[{"N":"1"},{"S":"two"}]}}}}}"#;

#[derive(Clone, Debug)]
struct Canned;

impl HttpConnector for Canned {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let mut response = HttpResponse::new(200.try_into().unwrap(), SdkBody::from(Bytes::from_static(BODY.as_bytes())));
        response.headers_mut().insert("x-amzn-requestid", "req-canned");
        response.headers_mut().insert("content-type", "application/x-amz-json-1.0");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Canned {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn options() -> ClientOptions {
    ClientOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some("http://127.0.0.1:1".into()),
        access_key: Some("bench".into()),
        secret_key: Some("bench".into()),
        ..Default::default()
    }
}

fn thread_cpu_us() -> f64 {
    let mut t = libc_timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes into the struct it is given.
    unsafe { clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, &mut t) };
    t.tv_sec as f64 * 1e6 + t.tv_nsec as f64 / 1e3
}

#[repr(C)]
struct libc_timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut libc_timespec) -> i32;
}

#[test]
#[ignore = "a measurement, run by hand"]
fn measure() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let shared_rt = crate::runtime::runtime();
    let (ours, sdk_config) = shared_rt.block_on(resolve_config(&options()));
    let direct_path = ours.direct.clone().expect("the measurement's client takes the direct path");
    let ours = ours.conf;
    let ours = aws_sdk_dynamodb::Client::from_conf(ours.to_builder().http_client(Canned).build());
    // What benchmarks/floor builds: the SDK's defaults, no interceptor of ours.
    let floor_conf = aws_sdk_dynamodb::config::Builder::from(&sdk_config).http_client(Canned).build();
    let floor = aws_sdk_dynamodb::Client::from_conf(floor_conf.clone());
    let no_stall = aws_sdk_dynamodb::Client::from_conf(
        floor_conf
            .to_builder()
            .stalled_stream_protection(aws_sdk_dynamodb::config::StalledStreamProtectionConfig::disabled())
            .build(),
    );
    let key = || std::collections::HashMap::from([("pk".to_string(), AttributeValue::S("item-0".into()))]);
    let get = |c: &aws_sdk_dynamodb::Client| {
        c.get_item()
            .table_name("bench_items")
            .set_key(Some(key()))
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
    };
    let floor_get = || {
        let out = rt.block_on(get(&floor).send()).unwrap();
        assert_eq!(out.item().unwrap().len(), 7);
    };
    let floor_no_stall = || {
        let out = rt.block_on(get(&no_stall).send()).unwrap();
        assert_eq!(out.item().unwrap().len(), 7);
    };
    let ours_capture = || {
        let (out, body) = rt.block_on(capture(get(&ours).send()));
        out.unwrap();
        assert_eq!(body.unwrap().len(), BODY.len());
    };
    let ours_capture_sleep = || {
        let (out, body) = rt.block_on(async {
            let mut fut = std::pin::pin!(capture(get(&ours).send()));
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return out,
                    () = tokio::time::sleep(std::time::Duration::from_millis(50)) => {}
                }
            }
        });
        out.unwrap();
        assert_eq!(body.unwrap().len(), BODY.len());
    };
    // The least a direct path (no orchestrator) must do: the request JSON, SigV4, an
    // `http::Request`, the canned response's status and body.
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new("bench", "bench", None, None, "bench").into();
    let direct = || {
        let body = serde_json::to_vec(&serde_json::json!({
            "TableName": "bench_items",
            "Key": {"pk": {"S": "item-0"}},
            "ReturnConsumedCapacity": "TOTAL",
        }))
        .unwrap();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("dynamodb")
            .time(std::time::SystemTime::now())
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let headers = [
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "DynamoDB_20120810.GetItem"),
            ("host", "127.0.0.1:1"),
        ];
        let signable = aws_sigv4::http_request::SignableRequest::new(
            "POST",
            "http://127.0.0.1:1/",
            headers.iter().copied(),
            aws_sigv4::http_request::SignableBody::Bytes(&body),
        )
        .unwrap();
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params).unwrap().into_parts();
        let mut request = http::Request::builder().method("POST").uri("http://127.0.0.1:1/");
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let mut request = request.body(Bytes::from(body)).unwrap();
        instructions.apply_to_request_http1x(&mut request);
        std::hint::black_box(&request);
        let response = Bytes::from_static(BODY.as_bytes());
        assert_eq!(response.len(), BODY.len());
    };
    // The direct path as GetItem runs it (ADR 12): the request JSON from the key map (what
    // `prepare` does), then credentials, SigV4, the canned connector, the body.
    let canned = crate::transport::direct::http::Connectors::from(SharedHttpConnector::new(Canned));
    let get_body = || {
        let mut body = crate::wire::write::body::Body::new();
        body.str("TableName", Some("bench_items"))
            .item("Key", Some(&key()))
            .bool("ConsistentRead", Some(false))
            .str("ReturnConsumedCapacity", Some("TOTAL"));
        body.finish()
    };
    let direct_call = || {
        let out = rt.block_on(direct_path.call(&canned, "GetItem", get_body())).unwrap();
        assert_eq!(out.body.len(), BODY.len());
    };
    // The same request through the send layer, as get_item sends it: the client's direct
    // path and this thread's (canned) connector looked up, the request counted, the
    // response timed, metrics recorded.
    let (resolved, _) = shared_rt.block_on(resolve_config(&options()));
    let shared = Arc::new(super::ClientShared {
        options: options(),
        region: "us-east-1".into(),
        endpoint: "http://127.0.0.1:1".into(),
        config: std::sync::RwLock::new((crate::runtime::process_id(), resolved)),
        sdk: super::PerRuntime::new(Some(ours.clone())),
        connectors: super::PerRuntime::new(None),
        read: Default::default(),
        metrics: Default::default(),
        key_schemas: Default::default(),
        flow: Default::default(),
    });
    shared.connectors.set_for_this_thread(SharedHttpConnector::new(Canned).into());
    let direct_body = || {
        let mut body = crate::wire::write::body::Body::new();
        body.str("TableName", Some("bench_items"))
            .item("Key", Some(&key()))
            .bool("ConsistentRead", Some(false))
            .str("ReturnConsumedCapacity", Some("TOTAL"));
        body.finish()
    };
    // What get_item did before the send layer: the shared state and table name cloned for
    // `execute`, the direct path looked up, the call, metrics built and recorded.
    let lookup_and_call = || {
        let (held, table) = (shared.clone(), String::from("bench_items"));
        let started = std::time::Instant::now();
        let body = held.wants_direct().then(direct_body);
        let out = rt.block_on(async {
            if let Some(body) = body {
                if let Some((direct, connector)) = held.direct_here().await {
                    let out = direct.call(&connector, "GetItem", body).await?;
                    return Ok((out.body, out.request_id));
                }
            }
            let (out, body) = capture(get(&held.sdk_here().await).send()).await;
            let request_id = aws_sdk_dynamodb::operation::RequestId::request_id(&out?).map(str::to_owned);
            Ok::<_, crate::errors::Error>((body.expect("captured"), request_id))
        });
        let (body, request_id) = out.unwrap();
        let out = crate::transport::direct::Success { body, request_id };
        let mut m = crate::ops::metrics::read(started, None, out.request_id.as_deref());
        m.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        held.record(super::OpKind::Get, &m);
        assert_eq!((out.body.len(), table.len()), (BODY.len(), 11));
    };
    let send_layer = || {
        use crate::ops::send::{About, Call};
        let call = Call::new(&shared, "get_item", super::OpKind::Get, About::table("bench_items"));
        let body = call.wants_direct().then(direct_body);
        let raw = rt.block_on(call.send("GetItem", body, |sdk| async move { get(&sdk).send().await })).unwrap();
        call.record(&raw.sent.read_metrics(None));
        assert_eq!(raw.body.len(), BODY.len());
    };
    // aws-smithy-runtime's `Operation::builder()` (issue 14 item 4): the SDK's orchestrator
    // with its standard retry strategy and token bucket, timeouts, stalled-stream protection
    // and connection poisoning, our JSON body and SigV4 in the serializer (no auth scheme,
    // so this is the cheapest configuration the orchestrator allows), the body returned raw.
    let operation = smithy_operation();
    let smithy_call = || {
        let out = rt.block_on(operation.invoke(get_body())).unwrap();
        assert_eq!(out.len(), BODY.len());
    };
    // The same, configured as the SDK behaves: SigV4 through the auth orchestrator (scheme,
    // identity resolver, signing region/name, re-signed per attempt), the SDK's DynamoDB
    // classifiers and the clock-skew interceptor.
    let faithful = smithy_operation_faithful();
    let smithy_faithful = || {
        let out = rt.block_on(faithful.invoke(get_body())).unwrap();
        assert_eq!(out.len(), BODY.len());
    };
    let client_clone = Arc::new(ours.clone());
    let clone_only = || {
        let c = (*client_clone).clone();
        std::hint::black_box(c);
    };
    let cases: [(&str, &dyn Fn()); 11] = [
        ("direct: JSON + SigV4 + http::Request, no orchestrator", &direct),
        ("direct path (src/transport/direct): Direct::call, canned connector", &direct_call),
        ("get_item before the send layer: direct_here + Direct::call + metrics", &lookup_and_call),
        ("send layer: Call::new + Call::send + Call::record (get_item's now)", &send_layer),
        ("aws-smithy-runtime Operation::builder(), canned client", &smithy_call),
        ("Operation::builder() as the SDK behaves (auth, classifiers, skew)", &smithy_faithful),
        ("SDK defaults, SDK decode (the floor's client)", &floor_get),
        ("SDK defaults, stalled-stream protection off", &floor_no_stall),
        ("ours: resolve_config + raw body capture", &ours_capture),
        ("ours + a 50 ms tokio sleep raced (runtime::wait)", &ours_capture_sleep),
        ("cloning the SDK client", &clone_only),
    ];
    report("thread CPU µs per GetItem (canned response, no network)", &cases, 30, 200);
}

#[derive(Debug)]
struct NoError;

impl std::fmt::Display for NoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no error")
    }
}

impl std::error::Error for NoError {}

/// What both `Operation` cases share: the SDK's standard retry strategy, a connect timeout,
/// stalled-stream protection, connection poisoning, the canned client.
fn smithy_builder() -> aws_smithy_runtime::client::orchestrator::operation::OperationBuilder {
    let retry = aws_smithy_types::retry::RetryConfig::standard();
    let timeouts = aws_smithy_types::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_millis(3100))
        .build();
    aws_smithy_runtime::client::orchestrator::operation::Operation::builder()
        .service_name("dynamodb")
        .operation_name("GetItem")
        .behavior_version(aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest())
        .http_client(Canned)
        .endpoint_url("http://127.0.0.1:1")
        .standard_retry(&retry)
        .timeout_config(timeouts)
        .stalled_stream_protection(aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig::enabled().build())
        .with_connection_poisoning()
}

/// A GetItem as an `aws_smithy_runtime` `Operation`: the SDK's runtime without the
/// generated DynamoDB operation (no modeled input, no SDK serializer or deserializer).
fn smithy_operation() -> aws_smithy_runtime::client::orchestrator::operation::Operation<Bytes, Bytes, NoError> {
    use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
    let credentials = aws_credential_types::Credentials::new("bench", "bench", None, None, "bench");
    let keys = crate::transport::direct::sign::SigningKeys::default();
    smithy_builder()
        .retry_classifier(aws_smithy_runtime::client::retries::classifiers::HttpStatusCodeClassifier::default())
        .no_auth()
        .serializer(move |body: Bytes| {
            let target = crate::transport::direct::sign::Target {
                uri: "http://127.0.0.1:1/",
                host: "127.0.0.1:1",
                region: "us-east-1",
                name: "dynamodb",
                user_agent: "pydynox/bench",
                keys: &keys,
            };
            let request = crate::transport::direct::sign::signed_request(&target, "GetItem", &body, &credentials, std::time::SystemTime::now())?;
            Ok(HttpRequest::try_from(request)?)
        })
        .deserializer::<Bytes, NoError>(|response: &HttpResponse| {
            response
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .ok_or_else(|| OrchestratorError::operation(NoError))
        })
        .build()
}

fn smithy_operation_faithful() -> aws_smithy_runtime::client::orchestrator::operation::Operation<Bytes, Bytes, aws_sdk_dynamodb::Error> {
    use aws_runtime::auth::sigv4::{SigV4AuthScheme, SCHEME_ID};
    use aws_smithy_runtime::client::retries::classifiers::{HttpStatusCodeClassifier, TransientErrorClassifier};
    use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
    use aws_smithy_runtime_api::client::auth::AuthSchemeOptionResolverParams;
    use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
    use aws_smithy_runtime_api::client::runtime_plugin::StaticRuntimePlugin;
    use aws_smithy_types::config_bag::Layer;
    type E = aws_sdk_dynamodb::Error;
    let credentials = aws_credential_types::Credentials::new("bench", "bench", None, None, "bench");
    let mut layer = Layer::new("sigv4");
    layer.store_put(AuthSchemeOptionResolverParams::new(()));
    layer.store_put(aws_types::region::SigningRegion::from_static("us-east-1"));
    layer.store_put(aws_types::SigningName::from_static("dynamodb"));
    let mut signing = aws_runtime::auth::SigV4OperationSigningConfig::default();
    signing.signing_options.content_sha256_header = false;
    layer.store_put(signing);
    let components = RuntimeComponentsBuilder::new("sigv4")
        .with_auth_scheme_option_resolver(Some(StaticAuthSchemeOptionResolver::new(vec![SCHEME_ID])))
        .with_auth_scheme(SigV4AuthScheme::new())
        .with_identity_cache(Some(aws_smithy_runtime::client::identity::IdentityCache::no_cache()))
        .with_identity_resolver(SCHEME_ID, aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
        .with_interceptor(aws_runtime::service_clock_skew::ServiceClockSkewInterceptor::new())
        .with_retry_classifier(TransientErrorClassifier::<E>::new())
        .with_retry_classifier(aws_runtime::retries::classifiers::AwsErrorCodeClassifier::<E>::new())
        .with_retry_classifier(aws_runtime::service_clock_skew::ServiceClockSkewClassifier::<E>::new())
        .with_retry_classifier(HttpStatusCodeClassifier::default());
    smithy_builder()
        .runtime_plugin(StaticRuntimePlugin::new().with_config(layer.freeze()).with_runtime_components(components))
        .serializer(move |body: Bytes| {
            let request = http::Request::builder()
                .method("POST")
                .uri("http://127.0.0.1:1/")
                .header("content-type", "application/x-amz-json-1.0")
                .header("x-amz-target", "DynamoDB_20120810.GetItem")
                .header("content-length", body.len().to_string())
                .body(SdkBody::from(body))?;
            Ok(HttpRequest::try_from(request)?)
        })
        .deserializer::<Bytes, E>(|response: &HttpResponse| {
            response
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .ok_or_else(|| OrchestratorError::other("no body"))
        })
        .build()
}

/// What waiting costs a sync call on the main thread, apart from the request: a future that
/// is pending once (it wakes itself, so the runtime's driver is polled, timers included),
/// bare and raced against a 50 ms tokio sleep as `runtime::wait` does on the main thread.
#[test]
#[ignore = "a measurement, run by hand"]
fn measure_wait() {
    let once = || tokio::task::yield_now();
    let bare = || crate::runtime::block_on(once());
    let sleep_race = || {
        crate::runtime::block_on(async {
            let mut fut = std::pin::pin!(once());
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return out,
                    () = tokio::time::sleep(std::time::Duration::from_millis(50)) => {}
                }
            }
        })
    };
    let cases: [(&str, &dyn Fn()); 2] = [("block_on alone", &bare), ("raced against a 50 ms tokio sleep (runtime::wait)", &sleep_race)];
    report("thread CPU µs per wait of a future pending once", &cases, 40, 5000);
}

/// Runs every case `per_round` times in each of `rounds` rounds, starting each round with
/// the next case so that none always runs first, and prints each case's median.
fn report(title: &str, cases: &[(&str, &dyn Fn())], rounds: usize, per_round: usize) {
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for round in 0..rounds {
        for k in 0..cases.len() {
            let i = (round + k) % cases.len();
            let c0 = thread_cpu_us();
            for _ in 0..per_round {
                (cases[i].1)();
            }
            times[i].push((thread_cpu_us() - c0) / per_round as f64);
        }
    }
    println!("{title}, median of {rounds} rounds of {per_round}:");
    for ((name, _), t) in cases.iter().zip(times.iter_mut()) {
        t.sort_by(|a, b| a.total_cmp(b));
        println!("  {:8.3}  {name}", t[t.len() / 2]);
    }
}
