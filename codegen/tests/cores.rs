//! The core-module check build.rs runs before rustc: each mistake names the spec entry and
//! the file to write or fix.

use std::path::PathBuf;

fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()))
}

const GET_ITEM: &str = r#"
pub fn prepare(client: &C, py: Python<'_>, table: String, key: Bound<'_, PyDict>, consistent_read: bool) -> PyResult<P> { todo!() }
pub async fn execute(p: P) -> Result<O, Error> { todo!() }
pub fn convert(py: Python<'_>, out: O) -> PyResult<Py<PyAny>> { todo!() }
"#;
const PUT_ITEM: &str = r#"
pub fn prepare(client: &C, py: Python<'_>, table: String, item: Bound<'py, PyDict>) -> PyResult<P> { todo!() }
pub async fn execute(p: P) -> Result<O, Error> { todo!() }
pub fn convert(py: Python<'_>, out: O) -> PyResult<Py<PyAny>> { todo!() }
"#;
const DELETE_ITEM: &str = r#"
pub fn prepare(client: &C, py: Python<'_>, table: String, key: Bound<'py, PyDict>) -> PyResult<P> { todo!() }
pub async fn execute(p: P) -> Result<O, Error> { todo!() }
pub fn convert(py: Python<'_>, out: O) -> PyResult<Py<PyAny>> { todo!() }
"#;
const QUERY: &str = "pub fn prepare(client: &C, py: Python<'_>, table: String, limit: Option<i64>) -> PyResult<Pager> { todo!() }";

/// Writes the fixture's four core modules (with `edit` applied to one) and checks them.
fn check(edit: impl Fn(&str, &str) -> Option<String>) -> Result<(), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("codegen-cores-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("get_item", GET_ITEM), ("put_item", PUT_ITEM), ("delete_item", DELETE_ITEM), ("query", QUERY)] {
        if let Some(text) = edit(name, text) {
            std::fs::write(dir.join(format!("{name}.rs")), text).unwrap();
        }
    }
    let model = codegen::load(&manifest_dir().join("tests/fixtures/mini/spec")).unwrap();
    let out = codegen::check_cores(&dir, &model).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

fn fails_with(edit: impl Fn(&str, &str) -> Option<String>, needle: &str) {
    match check(edit) {
        Ok(()) => panic!("accepted; expected an error containing `{needle}`"),
        Err(e) => assert!(e.contains(needle), "error `{e}` does not mention `{needle}`"),
    }
}

#[test]
fn complete_modules_pass() {
    check(|_, text| Some(text.to_string())).unwrap();
}

#[test]
fn a_missing_module_names_the_spec_entry_and_the_file() {
    fails_with(
        |name, text| (name != "put_item").then(|| text.to_string()),
        "spec operation `MiniClient.put_item` (core: put_item): write src/ops/put_item.rs",
    );
}

#[test]
fn a_missing_function_is_named() {
    fails_with(
        |name, text| Some(if name == "get_item" { text.replace("pub fn convert", "fn convert") } else { text.to_string() }),
        "`MiniClient.get_item` (core: get_item): src/ops/get_item.rs has no `pub fn convert`",
    );
    fails_with(
        |name, text| Some(if name == "get_item" { text.replace("pub async fn execute", "pub fn execute") } else { text.to_string() }),
        "`execute` in src/ops/get_item.rs must be `pub async fn`",
    );
}

#[test]
fn a_wrong_parameter_type_names_the_parameter() {
    fails_with(
        |name, text| Some(if name == "put_item" { text.replace("item: Bound<'py, PyDict>", "item: String") } else { text.to_string() }),
        "parameter `item` of `prepare` in src/ops/put_item.rs is `String`",
    );
}

#[test]
fn a_missing_or_renamed_parameter_is_reported() {
    fails_with(
        |name, text| Some(if name == "get_item" { text.replace(", consistent_read: bool", "") } else { text.to_string() }),
        "takes 2 parameters after (client, py), the spec declares 3 (table, key, consistent_read)",
    );
    fails_with(
        |name, text| Some(if name == "query" { text.replace("limit:", "max_items:") } else { text.to_string() }),
        "has parameter `max_items` where the spec declares `limit`",
    );
}
