//! The JSON encoder: string escaping and base64 against independent implementations
//! (serde_json, the SDK's base64), `AttributeValue` -> JSON against the SDK's own request
//! serializer, and the Python walk's two sinks against each other (same JSON, same errors).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use proptest::prelude::*;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyModule};

use super::base64::encode_into;
use super::json::write_string;
use super::{attribute_map_json, attribute_value_json, item_json, value_json};
use crate::wire::{dict_to_item, py_to_attr, Item};
use crate::wire::read::tests::{benchmark_items, with_python};

fn json_string(s: &str) -> String {
    let mut out = Vec::new();
    write_string(&mut out, s);
    String::from_utf8(out).expect("the writer keeps UTF-8 intact")
}

fn base64(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    encode_into(&mut out, bytes);
    String::from_utf8(out).unwrap()
}

fn parse(json: &[u8]) -> serde_json::Value {
    serde_json::from_slice(json).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(json)))
}

// ---- JSON strings ---------------------------------------------------------------------

#[test]
fn escapes_what_rfc_8259_requires_and_nothing_else() {
    assert_eq!(json_string(""), r#""""#);
    assert_eq!(json_string("plain text"), r#""plain text""#);
    assert_eq!(json_string(r#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
    assert_eq!(json_string("\u{8}\t\n\u{c}\r"), r#""\b\t\n\f\r""#);
    assert_eq!(json_string("\u{0}\u{1}\u{1f}"), r#""\u0000\u0001\u001f""#);
    // DEL, '/', U+2028 and non-ASCII are valid as they are.
    assert_eq!(json_string("\u{7f}/\u{2028}é"), "\"\u{7f}/\u{2028}é\"");
    // Non-BMP characters stay raw UTF-8 (4 bytes), not surrogate-pair escapes.
    assert_eq!(json_string("a😀b"), "\"a😀b\"");
    assert_eq!(json_string("😀").len(), 6);
}

#[test]
fn every_control_and_ascii_character_reads_back() {
    for c in (0u32..0x80).chain([0x80, 0x7ff, 0x800, 0xfffd, 0xffff, 0x10000, 0x10ffff]).filter_map(char::from_u32) {
        let s = format!("x{c}y{c}");
        let written = json_string(&s);
        assert_eq!(serde_json::from_str::<String>(&written).unwrap(), s, "{c:?}");
        assert_eq!(written, serde_json::to_string(&s).unwrap(), "{c:?}");
    }
}

// ---- base64 ---------------------------------------------------------------------------

#[test]
fn base64_test_vectors() {
    // RFC 4648, section 10.
    for (raw, encoded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
        assert_eq!(base64(raw.as_bytes()), encoded);
    }
    assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    assert_eq!(base64(&[0, 0, 0, 0]), "AAAAAA==");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn strings_are_written_as_serde_json_writes_them(s in "\\PC*|[\\x00-\\x7f]{0,40}|.{0,10}") {
        prop_assert_eq!(json_string(&s), serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn base64_is_the_sdks(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        prop_assert_eq!(base64(&bytes), aws_smithy_types::base64::encode(&bytes));
        prop_assert_eq!(aws_smithy_types::base64::decode(base64(&bytes)).unwrap(), bytes);
    }
}

// ---- AttributeValue -> JSON, against the SDK's serializer -------------------------------

/// Keeps the body of the request the SDK is about to send, then stops it.
#[derive(Debug, Clone, Default)]
struct KeepBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for KeepBody {
    fn name(&self) -> &'static str {
        "pydynox::write::tests::KeepBody"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        *self.0.lock().unwrap() = context.request().body().bytes().map(<[u8]>::to_vec);
        Err("request kept, not sent".into())
    }
}

/// The `Item` of the PutItem request body the SDK serializes for `item`.
fn sdk_put_item_json(item: &Item) -> serde_json::Value {
    let keep = KeepBody::default();
    let conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
        .interceptor(keep.clone())
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(conf);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let sent = rt.block_on(client.put_item().table_name("t").set_item(Some(item.clone())).send());
    assert!(sent.is_err(), "the interceptor stops the request");
    let body = keep.0.lock().unwrap().take().expect("the body was kept");
    parse(&body)["Item"].take()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn attribute_maps_are_written_as_the_sdk_writes_them(item in crate::wire::read::tests::item()) {
        let mut ours = b"prefix ".to_vec();
        attribute_map_json(&item, &mut ours).unwrap();
        prop_assert!(ours.starts_with(b"prefix "));
        prop_assert_eq!(parse(&ours[7..]), sdk_put_item_json(&item));
    }

    #[test]
    fn one_value_is_written_as_the_sdk_writes_it(value in crate::wire::read::tests::attribute()) {
        let mut ours = Vec::new();
        attribute_value_json(&value, &mut ours).unwrap();
        let sdk = sdk_put_item_json(&HashMap::from([("v".to_owned(), value)]));
        prop_assert_eq!(parse(&ours), sdk["v"].clone());
    }
}

#[test]
fn an_unknown_attribute_type_is_an_error_and_writes_nothing() {
    // Only the SDK's decoder builds `Unknown` (for a type key it does not know).
    let body = r#"{"Item":{"a":{"L":[{"S":"x"},{"NEW_TYPE":"?"}]}}}"#;
    let client = crate::wire::read::tests::sdk(vec![(200, bytes::Bytes::from_static(body.as_bytes()))]);
    let read = crate::wire::read::tests::rt().block_on(client.get_item().table_name("t").send()).unwrap();
    let item = read.item().expect("the SDK decodes it");
    let mut out = b"kept".to_vec();
    assert!(attribute_map_json(item, &mut out).is_err());
    assert_eq!(out, b"kept");
}

// ---- the Python walk's two sinks --------------------------------------------------------

/// Values of every kind the walk knows, and values it refuses.
const VALUES: &std::ffi::CStr = cr#"
import collections, enum, decimal
from decimal import Decimal

class Color(enum.IntEnum):
    RED = 1

class Name(str):
    pass

class Meters(float):
    pass

Point = collections.namedtuple("Point", "x y")

def nested(levels):
    value = "bottom"
    for _ in range(levels):
        value = [value]
    return value


every_type = {
    "s": "text with \"quotes\", \\ and \n and \x00 and \u00e9 and \U0001F600",
    "empty": "",
    "i": -42, "big": 2**200, "neg_big": -(10**38), "zero": 0,
    "f": 0.1, "tiny": 5e-324, "huge": -1.5e300, "neg_zero": -0.0,
    "d": Decimal("1.50"), "de": Decimal("-1E+3"),
    "t": True, "no": False, "z": None,
    "b": b"\x00\xff binary", "ba": bytearray(b"ab"), "mv": memoryview(b"xyz"), "eb": b"",
    "l": [1, "two", [3.5, None], {"four": 4}], "tu": ("a", 1),
    "m": {"nested": {"deeper": {"k": "v"}}, "": "empty name"},
    "ss": {"a", "b\n"}, "ns": frozenset({1, 2.5, Decimal("3.25"), 2**70}), "bs": {b"a", b"\x00"},
    "enum": Color.RED, "name": Name("sub"), "meters": Meters(2.5),
    "od": collections.OrderedDict(a=1), "point": Point(1, 2),
    "deep": nested(31),
}

refused = [
    {"nan": float("nan")},
    {"inf": [float("-inf")]},
    {"dnan": Decimal("NaN")}, {"dinf": Decimal("-Infinity")}, {"snan": [Decimal("sNaN")]}, {"nan_in_set": {Decimal("NaN")}},
    {"empty_set": set()},
    {"mixed": {1, "a"}}, {"mixed_bytes": {b"a", 1}},
    {"bools": {True}},
    {"m": {"bad": object()}},
    {"l": [1, 2, complex(1, 2)]},
    {"set_of_tuples": {(1, 2)}},
    {1: "non-str key"},
    {"m": {None: 1}},
    {"surrogate": "\ud800"},
    {"\udfff": "surrogate name"},
    {"ss": {"ok", "\ud800"}},
    {"too_deep": nested(33)},
    {"map_too_deep": {"a": {"b": nested(40)}}},
    {"huge": 10**5000},
]
"#;

fn values(py: Python<'_>) -> Bound<'_, PyModule> {
    PyModule::from_code(py, VALUES, c"values.py", c"values").unwrap()
}

#[test]
fn both_sinks_write_the_same_item() {
    with_python(|py| {
        let item = values(py).getattr("every_type").unwrap().cast_into::<PyDict>().unwrap();
        let mut direct = Vec::new();
        item_json(&item, "item", &mut direct).unwrap();
        let mut replayed = Vec::new();
        attribute_map_json(&dict_to_item(&item, "item").unwrap(), &mut replayed).unwrap();
        let (direct, replayed) = (parse(&direct), parse(&replayed));
        assert_eq!(direct, replayed);
        assert_eq!(direct["s"]["S"], "text with \"quotes\", \\ and \n and \0 and é and 😀");
        assert_eq!(direct["big"]["N"], "1606938044258990275541962092341162602522202993782792835301376");
        assert_eq!(direct["neg_zero"]["N"], "0");
        assert_eq!(direct["huge"]["N"], "-1.5e300");
        assert_eq!(direct["d"]["N"], "1.50");
        assert_eq!(direct["de"]["N"], "-1E+3");
        assert_eq!(direct["mv"]["B"], "eHl6");
        assert_eq!(direct["eb"]["B"], "");
        assert_eq!(direct["enum"]["N"], "1");
        assert_eq!(direct["meters"]["N"], "2.5");
        assert_eq!(direct["point"], serde_json::json!({"L": [{"N": "1"}, {"N": "2"}]}));
        assert_eq!(direct["m"]["M"][""]["S"], "empty name");
    });
}

#[test]
fn an_item_is_written_in_the_dicts_order() {
    with_python(|py| {
        let item = py.eval(cr#"{"pk": "a", "n": 1, "l": [True, None], "m": {"x": b"\x01"}, "s": {"only"}}"#, None, None).unwrap();
        let mut out = Vec::new();
        item_json(item.cast::<PyDict>().unwrap(), "item", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"BOOL":true},{"NULL":true}]},"m":{"M":{"x":{"B":"AQ=="}}},"s":{"SS":["only"]}}"#
        );
        let mut out = Vec::new();
        value_json(&py.eval(c"[]", None, None).unwrap(), "v", &mut out).unwrap();
        assert_eq!(out, br#"{"L":[]}"#);
    });
}

/// The error `f` raised: its type's name and its message.
fn error_of(py: Python<'_>, f: impl FnOnce() -> PyResult<()>) -> (String, String) {
    let err = f().expect_err("the value is refused");
    (err.get_type(py).name().unwrap().to_string(), err.value(py).to_string())
}

#[test]
fn both_sinks_refuse_the_same_values_with_the_same_errors() {
    with_python(|py| {
        let refused = values(py).getattr("refused").unwrap();
        for item in refused.try_iter().unwrap() {
            let item = item.unwrap();
            let dict = item.cast::<PyDict>().unwrap();
            let mut out = b"kept".to_vec();
            let direct = error_of(py, || item_json(dict, "put_items[3]", &mut out));
            assert_eq!(out, b"kept", "nothing written for {item}");
            let built = error_of(py, || dict_to_item(dict, "put_items[3]").map(drop));
            assert_eq!(direct, built, "{item}");
            assert!(direct.1.starts_with("put_items[3]"), "{direct:?}");

            // The dict as one value (an M): the same walk, with the caller's whole prefix.
            let direct = error_of(py, || value_json(&item, "updates[':v']", &mut out));
            let built = error_of(py, || py_to_attr(&item, "updates[':v']").map(drop));
            assert_eq!(direct, built, "{item}");
            assert!(direct.1.starts_with("updates[':v']"), "{direct:?}");
            assert_eq!(out, b"kept");
        }
    });
}

// ---- measurement ----------------------------------------------------------------------

/// `cargo test --release -p pydynox --lib write::tests::measure -- --ignored --nocapture`:
/// ns per item to encode the benchmark's ~1 KB query item (benchmarks/items.py) and a
/// 3-attribute key, through today's path (the `AttributeValue` tree, then JSON from it,
/// which is what the SDK's serializer does) and straight to JSON.
#[test]
#[ignore]
fn measure() {
    use std::time::Instant;
    with_python(|py| {
        let item = benchmark_items(py).call_method1("query_item", (7,)).unwrap();
        let item = item.cast_into::<PyDict>().unwrap();
        let key = py.eval(cr#"{"pk": "customer#000123", "sk": 1716000000123, "tenant": "acme-eu"}"#, None, None).unwrap();
        let key = key.cast_into::<PyDict>().unwrap();
        let per_round = 2_000;
        let rounds = 31;
        for (name, dict) in [("1 KB item", &item), ("3-attribute key", &key)] {
            let mut out = Vec::with_capacity(2048);
            item_json(dict, "item", &mut out).unwrap();
            let size = out.len();
            let tree_only = || {
                std::hint::black_box(dict_to_item(dict, "item").unwrap());
            };
            let tree_then_json = || {
                let mut out = Vec::with_capacity(size);
                attribute_map_json(&dict_to_item(dict, "item").unwrap(), &mut out).unwrap();
                std::hint::black_box(out);
            };
            let direct = || {
                let mut out = Vec::with_capacity(size);
                item_json(dict, "item", &mut out).unwrap();
                std::hint::black_box(out);
            };
            let cases: [(&str, &dyn Fn()); 3] = [
                ("dict_to_item + AttributeValue -> JSON", &tree_then_json),
                ("item_json (straight to JSON)", &direct),
                ("dict_to_item alone (tree built and dropped)", &tree_only),
            ];
            let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
            for round in 0..rounds {
                for k in 0..cases.len() {
                    let i = (round + k) % cases.len();
                    let started = Instant::now();
                    for _ in 0..per_round {
                        (cases[i].1)();
                    }
                    times[i].push(started.elapsed().as_secs_f64() * 1e9 / per_round as f64);
                }
            }
            println!("{name} ({size} bytes of JSON), ns per item, median of {rounds} rounds of {per_round}:");
            let mut medians = Vec::new();
            for ((label, _), t) in cases.iter().zip(times.iter_mut()) {
                t.sort_by(|a, b| a.total_cmp(b));
                medians.push(t[t.len() / 2]);
                println!("  {:8.0}  ({:4.2}x today's)  {label}", t[t.len() / 2], t[t.len() / 2] / medians[0]);
            }
        }
    });
}
