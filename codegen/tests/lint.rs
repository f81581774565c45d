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

/// VALID plus a model layer calling its client operation.
fn with_model(model: &str) -> String {
    format!("{VALID}{model}")
}

const MODEL: &str = r#"
model_imports:
  Condition: pydynox.conditions
model_classes:
  - name: M
    mixin: MOps
    doc: A model.
    operations:
      - name: check
        receiver: class
        core: check
        call: ping
        returns: "None"
        doc: Checks.
        params:
          - {name: condition, type: "Condition | None", default: "None", doc: When.}
"#;

#[test]
fn the_valid_model_layer_loads() {
    load(&with_model(MODEL)).unwrap();
}

#[test]
fn model_operations_call_an_existing_client_operation() {
    fails_with(&with_model(&MODEL.replace("call: ping", "call: pong")), "`call: pong` is not an operation of the client spec");
}

#[test]
fn model_annotations_are_imported_and_imports_used() {
    fails_with(&with_model(&MODEL.replace("Condition | None", "Cond | None")), "model annotation word `Cond` is not imported");
    fails_with(&with_model(&MODEL.replace("  Condition: pydynox.conditions", "  Condition: pydynox.conditions\n  Unused: x")), "model import `Unused` is declared but no annotation uses it");
}

#[test]
fn model_names_never_start_with_the_async_prefix() {
    fails_with(&with_model(&MODEL.replace("name: check", "name: async_check")), "async_check");
}

#[test]
fn paginated_model_operations_name_a_result_pair() {
    // `ping` is not paginated, so a `result:` on it is a mistake.
    let paged = MODEL.replace("returns: \"None\"", "result: R").replace("model_classes:", "model_results:\n  - {name: R, async_name: AsyncR, doc: Results.}\nmodel_classes:");
    fails_with(&with_model(&paged), "`result:` must be set exactly when the client operation `ping` is paginated");
}

#[test]
fn a_call_list_names_existing_operations_of_one_return_type() {
    fails_with(&with_model(&MODEL.replace("call: ping", "call: [ping, pong]")), "`call: pong` is not an operation of the client spec");
    fails_with(&with_model(&MODEL.replace("call: ping", "call: [ping]")), "a `call:` list names at least two client operations");
    let other = VALID.replace(
        "    operations:\n",
        "    operations:\n      - {name: pong, core: pong, doc: Pongs., returns: \"str\", params: []}\n",
    );
    let both = format!("{other}{}", MODEL.replace("call: ping", "call: [ping, pong]"));
    fails_with(&both, "the calls `ping`, `pong` must all return the same, unpaginated, type");
}

#[test]
fn overloads_narrow_existing_parameters() {
    let bad = MODEL.replace("doc: Checks.", "doc: Checks.\n        overloads:\n          - {when: {as_dict: \"Literal[True]\"}, returns: \"None\"}");
    fails_with(&with_model(&bad), "overload narrows `as_dict`, which is not a parameter");
}

const PAIR: &str = r#"
class_pairs:
  - name: W
    async_name: AsyncW
    base: pydynox._w.WBase
    core: pydynox._w_core
    doc: A writer.
    operations:
      - name: send
        receiver: instance
        core: w_send
        call: ping
        returns: "None"
        doc: Sends.
    context: {exit: send, on_error: drop}
"#;

#[test]
fn the_valid_class_pair_loads() {
    let model = load(&with_model(PAIR)).unwrap();
    let python = codegen::render_model_ops(&model).unwrap();
    assert!(python.contains("class W(WBase):") && python.contains("class AsyncW(WBase):"), "{python}");
    assert!(python.contains("    async def send(self) -> None:"), "{python}");
    assert!(python.contains("            await self.send()"), "{python}");
    assert!(python.contains("            _w_core.drop(self, exc_val)"), "{python}");
}

#[test]
fn class_pair_mistakes_name_the_pair() {
    fails_with(&with_model(&PAIR.replace("exit: send", "exit: flush")), "class pair `W`: `context.exit: flush` is not an operation of the pair");
    fails_with(&with_model(&PAIR.replace("receiver: instance", "receiver: class")), "a class pair's operations take `receiver: instance`");
    fails_with(&with_model(&PAIR.replace("base: pydynox._w.WBase", "base: WBase")), "`base: WBase` must be `module.Class`");
    fails_with(&with_model(&PAIR.replace("name: W\n", "name: async_W\n")), "never start with `async_`");
    let needs_arg = PAIR.replace("doc: Sends.", "doc: Sends.\n        params:\n          - {name: table, type: \"str\", doc: T.}");
    fails_with(&with_model(&needs_arg), "`context.exit: send` must be callable without arguments");
    fails_with(&with_model(&PAIR.replace("call: ping", "call: pong")), "`call: pong` is not an operation of the client spec");
    fails_with(&with_model(&PAIR.replace("core: pydynox._w_core", "core: pydynox._w.core")), "the model layer's core");
}

#[test]
fn service_steps_go_with_a_plain_call() {
    load(&with_model(&MODEL.replace("call: ping", "call: ping\n        steps: true"))).unwrap();
    load(&with_model(&MODEL.replace("call: ping", "call: ping\n        steps: true\n        fails: true"))).unwrap();
    fails_with(
        &with_model(&MODEL.replace("call: ping", "call: [ping, ping]\n        steps: true")),
        "`steps` goes with a single, unpaginated call",
    );
}

#[test]
fn service_steps_with_fails_book_the_failure_first() {
    // A class pair's core books a failed call (`fail_<core>`) before the undo steps run,
    // and a cancellation is not booked as a failure; the step functions are the core's.
    let pair = PAIR.replace("call: ping", "call: ping\n        fails: true\n        steps: true");
    let python = codegen::render_model_ops(&load(&with_model(&pair)).unwrap()).unwrap();
    let fail = python.find("_w_core.fail_w_send(plan, error)").expect("fail_ call");
    let undo = python.find("_w_core.undo_steps(plan, error)").expect("undo steps");
    assert!(fail < undo, "{python}");
    assert!(python.contains("if isinstance(error, Exception):"), "{python}");
    assert!(python.contains("_w_core.before_steps(plan)"), "{python}");
}
