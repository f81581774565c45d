//! The direct read path against today's (the SDK's decoding + `wire::item_to_py`), on the
//! same bytes, through a real SDK client whose HTTP client replays canned responses.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use bytes::Bytes;
use proptest::prelude::*;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::transport::sdk_body::{capture, RawBodyInterceptor};
use crate::wire::{item_to_py, ReadOptions};

// ---- a canned HTTP client -------------------------------------------------------------

/// Answers each request with the next canned (status, body), the last one forever.
#[derive(Clone, Debug)]
struct Canned(Arc<Mutex<VecDeque<(u16, Bytes)>>>);

impl Canned {
    fn new(responses: Vec<(u16, Bytes)>) -> Self {
        Canned(Arc::new(Mutex::new(responses.into())))
    }
}

impl HttpConnector for Canned {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let mut queue = self.0.lock().unwrap();
        let (status, body) = if queue.len() > 1 { queue.pop_front().unwrap() } else { queue.front().cloned().unwrap() };
        let mut response = HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body));
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

pub(crate) fn sdk(responses: Vec<(u16, Bytes)>) -> aws_sdk_dynamodb::Client {
    let conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
        .retry_config(RetryConfig::standard().with_max_attempts(3).with_initial_backoff(Duration::from_millis(1)))
        .http_client(Canned::new(responses))
        .interceptor(RawBodyInterceptor)
        .build();
    aws_sdk_dynamodb::Client::from_conf(conf)
}

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

// ---- the two paths --------------------------------------------------------------------

/// Today's path: the SDK decodes, `item_to_py` converts.
fn old_items<'py>(py: Python<'py>, body: &Bytes, opts: ReadOptions) -> Result<Vec<Bound<'py, PyDict>>, String> {
    let client = sdk(vec![(200, body.clone())]);
    let out = rt().block_on(client.query().table_name("t").key_condition_expression("k = :k").send());
    let out = out.map_err(|e| format!("{e:?}"))?;
    out.items().iter().map(|i| item_to_py(py, i, opts).map_err(|e| e.to_string())).collect()
}

/// The direct path: the raw body through the same client, then `wire::read::response`.
fn new_items<'py>(py: Python<'py>, body: &Bytes, opts: ReadOptions) -> Result<Vec<Bound<'py, PyDict>>, String> {
    let client = sdk(vec![(200, body.clone())]);
    let (out, raw) = rt().block_on(capture(client.query().table_name("t").key_condition_expression("k = :k").send()));
    let out = out.map_err(|e| format!("{e:?}"))?;
    assert!(out.items.is_none(), "the SDK must not have decoded the items");
    assert_eq!(out.request_id(), Some("req-canned"));
    let raw = raw.expect("captured body");
    assert_eq!(&raw, body);
    super::response(py, &raw, opts).map(|r| r.items).map_err(|e| e.to_string())
}

/// Same types and values all the way down (`1 == 1.0 == True` in Python, so `==` alone
/// would not do); floats by repr, set members by (type, repr).
const SAME: &std::ffi::CStr = cr#"
def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, set):
        key = lambda x: (type(x).__name__, repr(x))
        return sorted(map(key, a)) == sorted(map(key, b))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a == b
"#;

fn same(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    let module = pyo3::types::PyModule::from_code(py, SAME, c"same.py", c"same").unwrap();
    module.getattr("same").unwrap().call1((a, b)).unwrap().extract().unwrap()
}

fn assert_same_paths(py: Python<'_>, body: &Bytes, opts: ReadOptions) {
    let old = old_items(py, body, opts).expect("today's path reads it");
    let new = new_items(py, body, opts).expect("the direct path reads it");
    let old = PyList::new(py, old).unwrap();
    let new = PyList::new(py, new).unwrap();
    assert!(same(py, old.as_any(), new.as_any()), "old {old}\nnew {new}\nbody {}", String::from_utf8_lossy(body));
}

// ---- DynamoDB JSON of an AttributeValue (what the service sends) ----------------------

fn wire(value: &AttributeValue) -> serde_json::Value {
    use serde_json::json;
    let b64 = |b: &aws_smithy_types::Blob| aws_smithy_types::base64::encode(b.as_ref());
    match value {
        AttributeValue::S(s) => json!({ "S": s }),
        AttributeValue::N(n) => json!({ "N": n }),
        AttributeValue::B(b) => json!({ "B": b64(b) }),
        AttributeValue::Bool(b) => json!({ "BOOL": b }),
        AttributeValue::Null(_) => json!({ "NULL": true }),
        AttributeValue::M(m) => json!({ "M": wire_map(m) }),
        AttributeValue::L(l) => json!({ "L": l.iter().map(wire).collect::<Vec<_>>() }),
        AttributeValue::Ss(s) => json!({ "SS": s }),
        AttributeValue::Ns(s) => json!({ "NS": s }),
        AttributeValue::Bs(s) => json!({ "BS": s.iter().map(b64).collect::<Vec<_>>() }),
        other => panic!("not generated: {other:?}"),
    }
}

fn wire_map(m: &HashMap<String, AttributeValue>) -> serde_json::Value {
    serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), wire(v))).collect())
}

fn page(items: &[HashMap<String, AttributeValue>]) -> Bytes {
    let body = serde_json::json!({
        "Items": items.iter().map(wire_map).collect::<Vec<_>>(),
        "Count": items.len(),
        "ScannedCount": items.len(),
    });
    Bytes::from(serde_json::to_vec(&body).unwrap())
}

// ---- fixed cases ----------------------------------------------------------------------

pub(crate) fn with_python<R>(f: impl FnOnce(Python<'_>) -> R) -> R {
    Python::initialize();
    Python::attach(f)
}

#[test]
fn every_type_reads_the_same() {
    let n = |s: &str| AttributeValue::N(s.into());
    let item: HashMap<String, AttributeValue> = [
        ("s", AttributeValue::S("héllo \"quoted\" \\ \n \u{1F600}".into())),
        ("empty", AttributeValue::S(String::new())),
        ("int", n("42")),
        ("neg", n("-7")),
        ("int_spelled_as_fraction", n("100.000")),
        ("exp_int", n("1E+2")),
        ("big", n("123456789012345678901234567890123456789")),
        ("huge", n("1E+125")),
        ("frac", n("0.1")),
        ("long_frac", n("3.1415926535897932384626433832795028841")),
        ("tiny", n("1E-130")),
        ("b", AttributeValue::B(aws_smithy_types::Blob::new(vec![0u8, 1, 2, 255]))),
        ("t", AttributeValue::Bool(true)),
        ("f", AttributeValue::Bool(false)),
        ("null", AttributeValue::Null(true)),
        ("ss", AttributeValue::Ss(vec!["a".into(), "b".into()])),
        ("ns", AttributeValue::Ns(vec!["1".into(), "2.5".into(), "1E+30".into()])),
        ("bs", AttributeValue::Bs(vec![aws_smithy_types::Blob::new(b"x".to_vec())])),
        ("list", AttributeValue::L(vec![n("1"), AttributeValue::S("two".into()), AttributeValue::L(vec![])])),
        ("map", AttributeValue::M([("inner".to_string(), AttributeValue::M(HashMap::new()))].into())),
        ("", AttributeValue::S("empty name".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let body = page(&[item.clone(), item]);
    with_python(|py| {
        assert_same_paths(py, &body, ReadOptions::default());
        assert_same_paths(py, &body, ReadOptions { exact_numbers: true });
    });
}

#[test]
fn deep_nesting_reads_the_same() {
    // DynamoDB allows 32 levels of nesting.
    let mut value = AttributeValue::S("bottom".into());
    for level in 0..32 {
        value = if level % 2 == 0 { AttributeValue::L(vec![value]) } else { AttributeValue::M([("k".into(), value)].into()) };
    }
    let body = page(&[[("deep".to_string(), value)].into()]);
    with_python(|py| assert_same_paths(py, &body, ReadOptions::default()));
}

#[test]
fn attribute_names_are_shared_within_a_response() {
    let item: HashMap<String, AttributeValue> = [("name".to_string(), AttributeValue::S("x".into()))].into();
    let body = page(&[item.clone(), item]);
    with_python(|py| {
        let items = super::response(py, &body, ReadOptions::default()).unwrap().items;
        let (a, b) = (items[0].keys().get_item(0).unwrap(), items[1].keys().get_item(0).unwrap());
        assert!(a.is(&b));
    });
}

#[test]
fn envelope_fields_are_read_in_any_order() {
    let body = br#"{"LastEvaluatedKey":{"pk":{"S":"a"},"sk":{"N":"1.50"}},"Count":1,"Items":[{"a":{"S":"x"}}],
        "ScannedCount":3,"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5,"Table":{"CapacityUnits":0.5}},"Extra":[1,{"x":null}]}"#;
    with_python(|py| {
        let r = super::response(py, body, ReadOptions::default()).unwrap();
        assert_eq!(r.items.len(), 1);
        assert_eq!((r.count, r.scanned_count), (Some(1), Some(3)));
        let key = r.last_evaluated_key.unwrap();
        assert_eq!(key["sk"], AttributeValue::N("1.50".into()), "keys go back as sent");
        assert_eq!(key["pk"], AttributeValue::S("a".into()));
        assert_eq!(r.consumed_capacity.unwrap().capacity_units(), Some(0.5));
        let none = super::response(py, br#"{"ConsumedCapacity":null,"NextToken":null,"Items":[]}"#, ReadOptions::default()).unwrap();
        assert!(none.consumed_capacity.is_none() && none.consumed_capacities.is_empty() && none.next_token.is_none());
    });
}

#[test]
fn get_item_envelope() {
    with_python(|py| {
        let found = super::response(py, br#"{"Item":{"pk":{"S":"a"}}}"#, ReadOptions::default()).unwrap();
        assert_eq!(found.item.unwrap().len(), 1);
        let missing = super::response(py, b"{}", ReadOptions::default()).unwrap();
        assert!(missing.item.is_none() && missing.items.is_empty());
    });
}

#[test]
fn malformed_bodies_raise_clear_errors() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "EOF"),
        (b"{", "EOF"),
        (b"[]", "invalid type"),
        (b"{} x", "trailing characters"),
        (br#"{"Items":[{"a":{"N":"12x"}}]}"#, "malformed number \"12x\""),
        (br#"{"Items":[{"a":{"Q":"1"}}]}"#, "unsupported DynamoDB attribute type \"Q\""),
        (br#"{"Items":[{"a":{}}]}"#, "no type key"),
        (br#"{"Items":[{"a":{"S":"x","N":"1"}}]}"#, "more than one type key"),
        (br#"{"Items":[{"a":{"S":1}}]}"#, "invalid type"),
        (br#"{"Items":[{"a":{"B":"!!"}}]}"#, "invalid base64"),
        (br#"{"Items":{}}"#, "invalid type"),
        (br#"{"Item":{"a":{"S":"\ud800"}}}"#, "escape"),
        (b"{\"Item\":{\"a\":{\"S\":\"\xff\"}}}", "invalid unicode"),
    ];
    with_python(|py| {
        for (body, want) in cases {
            let err = super::response(py, body, ReadOptions::default()).err().expect("an error");
            assert!(err.is_instance_of::<crate::bindings::PydynoxException>(py), "{err}");
            let text = err.to_string();
            assert!(text.contains("unreadable response from DynamoDB") && text.contains(want), "{text} (want {want})");
        }
    });
}

#[test]
fn too_deep_is_an_error_not_a_crash() {
    let mut body = String::new();
    for _ in 0..10_000 {
        body.push_str(r#"{"L":["#);
    }
    let body = format!(r#"{{"Items":[{{"a":{body}"#);
    with_python(|py| {
        let err = super::response(py, body.as_bytes(), ReadOptions::default()).err().expect("an error");
        assert!(err.to_string().contains("recursion limit"), "{err}");
    });
}

// ---- the interceptor ------------------------------------------------------------------

#[test]
fn errors_pass_through_and_retries_still_happen() {
    let throttled = Bytes::from_static(br#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#);
    let missing = Bytes::from_static(br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}"#);
    let ok = Bytes::from_static(br#"{"Item":{"pk":{"S":"a"}}}"#);
    let rt = rt();

    // Throttled, then a 500, then success: the captured body is the successful one's.
    let client = sdk(vec![(400, throttled), (500, Bytes::from_static(b"oops")), (200, ok.clone())]);
    let (out, raw) = rt.block_on(capture(client.get_item().table_name("t").key("pk", AttributeValue::S("a".into())).send()));
    let out = out.expect("retried to success");
    assert_eq!(raw.as_ref(), Some(&ok));
    assert!(out.item.is_none());
    assert_eq!(out.request_id(), Some("req-canned"));

    // A non-retryable error keeps its code and message; nothing is captured.
    let client = sdk(vec![(400, missing)]);
    let (out, raw) = rt.block_on(capture(client.get_item().table_name("t").key("pk", AttributeValue::S("a".into())).send()));
    let err = out.expect_err("an error");
    use aws_sdk_dynamodb::error::ProvideErrorMetadata;
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("no table"));
    assert!(raw.is_none());

    // Outside `capture`, the SDK decodes as usual.
    let client = sdk(vec![(200, ok)]);
    let out = rt.block_on(client.get_item().table_name("t").key("pk", AttributeValue::S("a".into())).send()).unwrap();
    assert_eq!(out.item.unwrap()["pk"], AttributeValue::S("a".into()));
}

// ---- properties -----------------------------------------------------------------------

fn number_text() -> impl Strategy<Value = String> {
    let digits = |max| proptest::collection::vec(0u8..10, 1..max).prop_map(|d| d.into_iter().map(|d| char::from(b'0' + d)).collect::<String>());
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (any::<bool>(), digits(45)).prop_map(|(neg, d)| format!("{}{d}", if neg { "-" } else { "" })),
        (any::<bool>(), digits(20), digits(20)).prop_map(|(neg, i, f)| format!("{}{i}.{f}", if neg { "-" } else { "" })),
        (digits(2), digits(10), -140i32..140, any::<bool>())
            .prop_map(|(i, f, e, upper)| format!("{i}.{f}{}{e:+}", if upper { "E" } else { "e" })),
        any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(|x| format!("{x:?}")),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,12}", "[a-z_]{1,8}", "\\PC{0,20}"]
}

fn blob() -> impl Strategy<Value = aws_smithy_types::Blob> {
    proptest::collection::vec(any::<u8>(), 0..24).prop_map(aws_smithy_types::Blob::new)
}

pub(crate) fn attribute() -> impl Strategy<Value = AttributeValue> {
    let leaf = prop_oneof![
        text().prop_map(AttributeValue::S),
        number_text().prop_map(AttributeValue::N),
        blob().prop_map(AttributeValue::B),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null(true)),
        proptest::collection::btree_set(text(), 1..5).prop_map(|s| AttributeValue::Ss(s.into_iter().collect())),
        proptest::collection::btree_set(number_text(), 1..5).prop_map(|s| AttributeValue::Ns(s.into_iter().collect())),
        proptest::collection::vec(blob(), 1..4).prop_map(AttributeValue::Bs),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
            proptest::collection::hash_map(text(), inner, 0..6).prop_map(AttributeValue::M),
        ]
    })
}

pub(crate) fn item() -> impl Strategy<Value = HashMap<String, AttributeValue>> {
    proptest::collection::hash_map(text(), attribute(), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_items_read_the_same(items in proptest::collection::vec(item(), 0..5), exact in any::<bool>()) {
        let body = page(&items);
        with_python(|py| assert_same_paths(py, &body, ReadOptions { exact_numbers: exact }));
    }

    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        with_python(|py| { let _ = super::response(py, &body, ReadOptions::default()); });
    }

    #[test]
    fn damaged_pages_never_panic(items in proptest::collection::vec(item(), 1..3), cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let body = page(&items).to_vec();
        let mut flipped = body.clone();
        let at = flip.index(flipped.len());
        flipped[at] = byte;
        let truncated = &body[..cut.index(body.len())];
        with_python(|py| {
            let _ = super::response(py, &flipped, ReadOptions::default());
            // A cut page is always incomplete JSON.
            prop_assert!(super::response(py, truncated, ReadOptions::default()).is_err());
            Ok(())
        })?;
    }
}

// ---- the prototype's measurement (ADR 6) ----------------------------------------------

/// The benchmark harness's data module (benchmarks/items.py), the items every measurement uses.
pub(crate) fn benchmark_items(py: Python<'_>) -> Bound<'_, pyo3::types::PyModule> {
    let sys_path = py.import("sys").unwrap().getattr("path").unwrap();
    sys_path.call_method1("insert", (0, concat!(env!("CARGO_MANIFEST_DIR"), "/benchmarks"))).unwrap();
    py.import("items").unwrap()
}

/// `cargo test --release -p pydynox --lib read::tests::measure -- --ignored --nocapture`:
/// a 1,000-item page of the benchmark's ~1 KB items (benchmarks/items.py) through today's
/// path and the direct one, both through the SDK's whole pipeline with a canned HTTP client
/// (no network), and `json.loads` of the same items as plain JSON.
#[test]
#[ignore]
fn measure() {
    use std::time::Instant;
    with_python(|py| {
        let items = benchmark_items(py);
        let wire: String = items.call_method1("wire_page_json", (1000,)).unwrap().extract().unwrap();
        let plain: String = items.call_method1("plain_page_json", (1000,)).unwrap().extract().unwrap();
        let loads = py.import("json").unwrap().getattr("loads").unwrap();
        let body = Bytes::from(wire.into_bytes());
        let client = sdk(vec![(200, body.clone())]);
        let rt = rt();
        let opts = ReadOptions::default();
        let query = || client.query().table_name("t").key_condition_expression("k = :k");

        let old = || {
            let out = rt.block_on(query().send()).unwrap();
            let n = out.items().iter().map(|i| item_to_py(py, i, opts).unwrap()).count();
            assert_eq!(n, 1000);
        };
        let old_sdk_only = || {
            let out = rt.block_on(query().send()).unwrap();
            assert_eq!(out.items().len(), 1000);
        };
        let new = || {
            let (out, raw) = rt.block_on(capture(query().send()));
            out.unwrap();
            assert_eq!(super::response(py, &raw.unwrap(), opts).unwrap().items.len(), 1000);
        };
        let new_decode_only = || {
            assert_eq!(super::response(py, &body, opts).unwrap().items.len(), 1000);
        };
        let json_loads = || {
            loads.call1((plain.as_str(),)).unwrap();
        };
        let small = sdk(vec![(200, Bytes::from_static(b"{}"))]);
        let pipeline_only = || {
            let (out, raw) = rt.block_on(capture(small.query().table_name("t").key_condition_expression("k = :k").send()));
            out.unwrap();
            assert_eq!(raw.unwrap().len(), 2);
        };
        // The extra pass batch_get, parallel_scan and count make over each body on tokio.
        let meta_only = || {
            assert_eq!(super::meta(&body).unwrap().count, Some(1000));
        };
        // The pager's two passes (ADR 14): the index on tokio, then slices of 64 with the GIL.
        let page_index_only = || {
            assert_eq!(super::Page::index(body.clone()).unwrap().remaining(), 1000);
        };
        let page_sliced = || {
            let mut page = super::Page::index(body.clone()).unwrap();
            let mut n = 0;
            while page.remaining() > 0 {
                n += page.decode(py, 64, usize::MAX, opts).unwrap().len();
            }
            assert_eq!(n, 1000);
        };
        let cases: [(&str, &dyn Fn()); 9] = [
            ("today: SDK pipeline + SDK decode + item_to_py", &old),
            ("today, SDK part only (pipeline + decode + drop)", &old_sdk_only),
            ("direct, read::response only", &new_decode_only),
            ("direct: SDK pipeline + raw body + read::response", &new),
            ("json.loads of the same items as plain JSON", &json_loads),
            ("SDK pipeline alone, empty response (per page / 1000)", &pipeline_only),
            ("read::meta alone (items skipped, no GIL)", &meta_only),
            ("read::Page::index alone (item ranges, no GIL)", &page_index_only),
            ("read::Page::index + decode in slices of 64", &page_sliced),
        ];
        let rounds = 40;
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
        // The order rotates every round: what runs right after a big free pays for it.
        for round in 0..rounds {
            for k in 0..cases.len() {
                let i = (round + k) % cases.len();
                let started = Instant::now();
                (cases[i].1)();
                times[i].push(started.elapsed().as_secs_f64() * 1e6 / 1000.0);
            }
        }
        println!("µs per item (1,000-item page, {} bytes), median of {rounds} pages:", body.len());
        let median = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.total_cmp(b));
            v[v.len() / 2]
        };
        let loads_median = median(&mut times[4].clone());
        for ((name, _), t) in cases.iter().zip(times.iter_mut()) {
            let m = median(t);
            println!("  {m:7.2}  ({:4.2}x json.loads)  {name}", m / loads_median);
        }
    });
}

// ---- the other read operations' shapes (batch_get, transact_get, execute_statement) ----

/// A BatchGetItem body: `items` found, `unread` left as unprocessed, capacity as a list.
fn batch_body(items: &[HashMap<String, AttributeValue>], unread: &[HashMap<String, AttributeValue>]) -> Bytes {
    let body = serde_json::json!({
        "Responses": { "t": items.iter().map(wire_map).collect::<Vec<_>>() },
        "UnprocessedKeys": { "t": { "Keys": unread.iter().map(wire_map).collect::<Vec<_>>(), "ConsistentRead": true } },
        "ConsumedCapacity": [{ "TableName": "t", "CapacityUnits": 1.5 }],
    });
    Bytes::from(serde_json::to_vec(&body).unwrap())
}

/// A TransactGetItems body: one response per entry, `{}` where nothing is stored.
fn transact_body(items: &[Option<HashMap<String, AttributeValue>>]) -> Bytes {
    let responses: Vec<_> = items
        .iter()
        .map(|i| match i {
            Some(i) => serde_json::json!({ "Item": wire_map(i) }),
            None => serde_json::json!({}),
        })
        .collect();
    let body = serde_json::json!({ "ConsumedCapacity": [{ "TableName": "t", "CapacityUnits": 2.0 }], "Responses": responses });
    Bytes::from(serde_json::to_vec(&body).unwrap())
}

fn assert_same_lists(py: Python<'_>, old: Vec<Bound<'_, PyAny>>, new: Vec<Bound<'_, PyAny>>, body: &Bytes) {
    let old = PyList::new(py, old).unwrap();
    let new = PyList::new(py, new).unwrap();
    assert!(same(py, old.as_any(), new.as_any()), "old {old}\nnew {new}\nbody {}", String::from_utf8_lossy(body));
}

/// BatchGetItem through the SDK's decoding and through `wire::read::response` + `wire::read::meta`.
fn assert_same_batch(py: Python<'_>, body: &Bytes, opts: ReadOptions) {
    let client = sdk(vec![(200, body.clone())]);
    let out = rt().block_on(client.batch_get_item().send()).expect("the SDK reads it");
    let old_items = out.responses().and_then(|r| r.get("t")).cloned().unwrap_or_default();
    let old: Vec<_> = old_items.iter().map(|i| item_to_py(py, i, opts).unwrap().into_any()).collect();
    let old_unread = out.unprocessed_keys().and_then(|u| u.get("t")).map(|k| k.keys().to_vec()).unwrap_or_default();

    let (_, raw) = rt().block_on(capture(client.batch_get_item().send()));
    let raw = raw.expect("captured body");
    let meta = super::meta(&raw).expect("meta reads it");
    let new = super::response(py, &raw, opts).expect("the direct path reads it");
    assert_eq!(meta.unprocessed_keys, old_unread);
    assert_eq!(meta.responses, old_items.len());
    assert_eq!(meta.consumed_capacity, out.consumed_capacity().to_vec());
    assert_same_lists(py, old, new.items.into_iter().map(Bound::into_any).collect(), body);
}

/// TransactGetItems through the SDK's decoding and through `wire::read::response`.
fn assert_same_transact(py: Python<'_>, body: &Bytes, opts: ReadOptions) {
    let client = sdk(vec![(200, body.clone())]);
    let out = rt().block_on(client.transact_get_items().send()).expect("the SDK reads it");
    let old: Vec<_> = out
        .responses()
        .iter()
        .map(|r| match r.item().filter(|i| !i.is_empty()) {
            Some(i) => item_to_py(py, i, opts).unwrap().into_any(),
            None => py.None().into_bound(py),
        })
        .collect();
    let (_, raw) = rt().block_on(capture(client.transact_get_items().send()));
    let new = super::response(py, &raw.expect("captured body"), opts).expect("the direct path reads it");
    assert_eq!(new.consumed_capacities, out.consumed_capacity().to_vec());
    let new: Vec<_> = new.gets.into_iter().map(|g| g.map_or_else(|| py.None().into_bound(py), Bound::into_any)).collect();
    assert_same_lists(py, old, new, body);
}

#[test]
fn execute_statement_envelope() {
    let body = br#"{"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5},"Items":[{"a":{"N":"1.5"}}],"NextToken":"tok==","LastEvaluatedKey":{"pk":{"S":"x"}}}"#;
    with_python(|py| {
        let r = super::response(py, body, ReadOptions::default()).unwrap();
        assert_eq!(r.items.len(), 1);
        assert_eq!(r.next_token.as_deref(), Some("tok=="));
        assert_eq!(r.consumed_capacity.unwrap().capacity_units(), Some(0.5));
        let none = super::response(py, br#"{"ConsumedCapacity":null,"NextToken":null,"Items":[]}"#, ReadOptions::default()).unwrap();
        assert!(none.consumed_capacity.is_none() && none.consumed_capacities.is_empty() && none.next_token.is_none());
    });
}

#[test]
fn a_page_decodes_in_slices_bounded_by_count_and_bytes() {
    // 20 items of ~1 KB, then one of ~10 KB, then 5 tiny ones.
    let sized = |i: usize, len: usize| -> HashMap<String, AttributeValue> {
        [("n".to_string(), AttributeValue::N(i.to_string())), ("blob".to_string(), AttributeValue::S("x".repeat(len)))].into()
    };
    let mut items: Vec<_> = (0..20).map(|i| sized(i, 1000)).collect();
    items.push(sized(20, 10_000));
    items.extend((21..26).map(|i| sized(i, 1)));
    let body = page(&items);
    with_python(|py| {
        let mut page = super::Page::index(body.clone()).unwrap();
        let mut slices = Vec::new();
        let mut seen = Vec::new();
        while page.remaining() > 0 {
            let slice = page.decode(py, 4, 3000, ReadOptions::default()).unwrap();
            slices.push(slice.len());
            seen.extend(slice.iter().map(|d| d.get_item("n").unwrap().unwrap().extract::<usize>().unwrap()));
        }
        // ~1 KB items: two fit in 3,000 bytes, a third does not; the 10 KB item goes alone
        // (a slice holds at least one item); the tiny ones stop at the count.
        assert_eq!(slices, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 4, 1]);
        assert_eq!(seen, (0..26).collect::<Vec<_>>(), "every item once, in order");
    });
}

#[test]
fn meta_reads_keys_counts_and_capacity_and_skips_items() {
    let body = br#"{"Items":[{"a":{"S":"x"}},{"b":{"L":[{"N":"1"}]}}],"Count":2,"ScannedCount":5,
        "LastEvaluatedKey":{"pk":{"N":"0.12345678901234567890123456789012345678"}},
        "ConsumedCapacity":{"TableName":"t","CapacityUnits":3.0}}"#;
    let meta = super::meta(body).unwrap();
    assert_eq!((meta.count, meta.scanned_count), (Some(2), Some(5)));
    let key = meta.last_evaluated_key.unwrap();
    assert_eq!(key["pk"], AttributeValue::N("0.12345678901234567890123456789012345678".into()), "keys keep their text");
    assert_eq!(meta.consumed_capacity[0].capacity_units(), Some(3.0));
    // An empty key is "no more pages".
    assert!(super::meta(br#"{"LastEvaluatedKey":{}}"#).unwrap().last_evaluated_key.is_none());
    for (body, want) in [(&b"{"[..], "EOF"), (br#"{"Count":"x"}"#, "invalid type"), (br#"{"UnprocessedKeys":{"t":{"Keys":[{"a":{"Q":"1"}}]}}}"#, "unsupported")] {
        let err = super::meta(body).unwrap_err();
        assert!(err.contains("unreadable response from DynamoDB") && err.contains(want), "{err} (want {want})");
    }
}

#[test]
fn malformed_responses_raise_clear_errors() {
    let cases: &[(&[u8], &str)] = &[
        (br#"{"Responses":{"t":[{"a":{"N":"x"}}]}}"#, "malformed number"),
        (br#"{"Responses":[{"Item":{"a":{}}}]}"#, "no type key"),
        (br#"{"Responses":"x"}"#, "invalid type"),
        (br#"{"Responses":[1]}"#, "invalid type"),
        (br#"{"ConsumedCapacity":3}"#, "invalid type"),
        (br#"{"NextToken":3}"#, "invalid type"),
    ];
    with_python(|py| {
        for (body, want) in cases {
            let err = super::response(py, body, ReadOptions::default()).err().expect("an error");
            assert!(err.is_instance_of::<crate::bindings::PydynoxException>(py), "{err}");
            let text = err.to_string();
            assert!(text.contains("unreadable response from DynamoDB") && text.contains(want), "{text} (want {want})");
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn random_batch_responses_read_the_same(items in proptest::collection::vec(item(), 0..4), unread in proptest::collection::vec(item(), 0..3), exact in any::<bool>()) {
        let body = batch_body(&items, &unread);
        with_python(|py| assert_same_batch(py, &body, ReadOptions { exact_numbers: exact }));
    }

    #[test]
    fn random_transact_responses_read_the_same(items in proptest::collection::vec(proptest::option::of(item()), 0..4), exact in any::<bool>()) {
        let body = transact_body(&items);
        with_python(|py| assert_same_transact(py, &body, ReadOptions { exact_numbers: exact }));
    }

    #[test]
    fn meta_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200), items in proptest::collection::vec(item(), 1..3), flip in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let _ = super::meta(&body);
        let mut damaged = batch_body(&items, &items).to_vec();
        let at = flip.index(damaged.len());
        damaged[at] = byte;
        let _ = super::meta(&damaged);
        let whole = batch_body(&items, &[]);
        prop_assert!(super::meta(&whole[..cut.index(whole.len())]).is_err());
    }
}
