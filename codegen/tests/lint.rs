//! Spec rules: each broken variant of a valid spec must fail, naming what is wrong.

use std::path::PathBuf;

/// This crate's directory, read at run time (test binaries may be shared between clones).
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()))
}

const VALID: &str = r#"
param_types:
  "str": "String"
field_types:
  "float": "f64"
records:
  - name: Metrics
    doc: Cost.
    fields:
      - {name: duration_ms, type: "float", doc: Time.}
classes:
  - name: C
    rust_module: crate::c
    doc: A class.
    constructor: {doc: New., params: []}
    operations:
      - name: ping
        core: ping
        doc: Pings.
        returns: "Metrics"
        params:
          - {name: table, type: "str", doc: Table.}
"#;

fn load(yaml: &str) -> Result<codegen::Model, String> {
    let dir = tempdir();
    std::fs::write(dir.join("spec.yaml"), yaml).unwrap();
    let out = codegen::load(&dir).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("codegen-lint-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fails_with(yaml: &str, needle: &str) {
    match load(yaml) {
        Ok(_) => panic!("spec was accepted, expected an error containing `{needle}`"),
        Err(e) => assert!(e.contains(needle), "error `{e}` does not mention `{needle}`"),
    }
}

#[test]
fn the_valid_spec_loads() {
    load(VALID).unwrap();
}

#[test]
fn the_project_spec_is_clean() {
    codegen::load(&manifest_dir().join("../spec")).unwrap();
}

#[test]
fn names_never_start_with_the_async_prefix() {
    fails_with(&VALID.replace("name: ping", "name: async_ping"), "async_ping");
}

#[test]
fn operations_must_be_documented() {
    fails_with(&VALID.replace("doc: Pings.", "doc: \"\""), "operation `C.ping` has no doc");
}

#[test]
fn parameters_must_be_documented() {
    fails_with(&VALID.replace("doc: Table.", "doc: \"\""), "parameter `table` has no doc");
}

#[test]
fn every_defined_type_is_used() {
    fails_with(&VALID.replace("  \"str\": \"String\"", "  \"str\": \"String\"\n  \"int\": \"i64\""), "param type `int` is defined but no parameter uses it");
    fails_with(&VALID.replace("returns: \"Metrics\"", "returns: \"str\""), "record `Metrics` is defined but nothing returns it");
}

#[test]
fn every_used_type_is_defined() {
    let extra = "{name: table, type: \"str\", doc: Table.}\n          - {name: raw, type: \"bytes\", doc: Raw.}";
    fails_with(&VALID.replace("{name: table, type: \"str\", doc: Table.}", extra), "type `bytes` is not in any `param_types` table");
    fails_with(&VALID.replace("returns: \"Metrics\"", "returns: \"Metrics | Missing\""), "`Missing`");
}

#[test]
fn a_type_is_defined_once() {
    fails_with(&VALID.replace("records:", "records:\n  - name: Metrics\n    doc: Again.\n    fields: []"), "defined twice");
}

#[test]
fn unknown_keys_are_rejected() {
    fails_with(&VALID.replace("core: ping", "core: ping\n        paginated: true"), "unknown field `paginated`");
}

#[test]
fn defaults_must_be_python_literals() {
    fails_with(&VALID.replace("doc: Table.}", "doc: Table., default: \"object()\"}"), "default `object()`");
}
