//! The generator on a tiny fixture spec: output equals the committed expected files,
//! rendering is deterministic, and spec mistakes fail with a message naming the entry.
//! Refresh the expected files with `UPDATE_GOLDEN=1 cargo test -p codegen`.

use std::path::{Path, PathBuf};

/// This crate's directory, read at run time (test binaries may be shared between clones).
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()))
}

fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

fn check_golden(path: &Path, fresh: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, fresh).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(expected == fresh, "{} differs from a fresh render; rerun with UPDATE_GOLDEN=1 and review the diff", path.display());
}

#[test]
fn mini_spec_renders_the_expected_bindings_and_stubs() {
    let model = codegen::load(&fixture("mini/spec")).unwrap();
    check_golden(&fixture("mini/expected/bindings.rs"), &codegen::render_bindings(&model).unwrap());
    check_golden(&fixture("mini/expected/pydynox_core.pyi"), &codegen::render_stubs(&model).unwrap());
    check_golden(&fixture("mini/expected/model_ops.py"), &codegen::render_model_ops(&model).unwrap());
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for spec in [fixture("mini/spec"), manifest_dir().join("../spec")] {
        let a = codegen::load(&spec).unwrap();
        let b = codegen::load(&spec).unwrap();
        assert_eq!(codegen::render_bindings(&a).unwrap(), codegen::render_bindings(&b).unwrap());
        assert_eq!(codegen::render_stubs(&a).unwrap(), codegen::render_stubs(&b).unwrap());
        assert_eq!(codegen::render_model_ops(&a).unwrap(), codegen::render_model_ops(&b).unwrap());
    }
}

#[test]
fn every_operation_gets_a_sync_method_and_an_async_twin() {
    let model = codegen::load(&fixture("mini/spec")).unwrap();
    let rust = codegen::render_bindings(&model).unwrap();
    let stubs = codegen::render_stubs(&model).unwrap();
    for op in ["get_item", "put_item", "query"] {
        assert!(rust.contains(&format!("fn {op}<'py>(")), "sync {op} missing");
        assert!(rust.contains(&format!("fn async_{op}<'py>(")), "async_{op} missing");
        assert!(rust.contains(&format!("// spec: MiniClient.{op}\n")), "spec marker of {op} missing");
    }
    // Plain operations are awaitables in the stubs; paginated ones return the async pager.
    assert!(stubs.contains("async def async_get_item(self, table: str, key: dict[str, Any], consistent_read: bool = False) -> dict[str, Any] | None:"));
    assert!(stubs.contains("def async_query(self, table: str, limit: int | None = None) -> AsyncMiniQueryResult:"));
    // The sync twin releases the GIL; the async one is a lazy awaitable that runs on the runtime.
    let compact: String = rust.split_whitespace().collect();
    assert!(compact.contains("crate::runtime::wait(py,crate::ops::get_item::execute(prepared))?"), "{rust}");
    assert!(compact.contains("crate::awaitable::Lazy::new(py,\"MiniClient.async_get_item\",crate::ops::get_item::execute(prepared),|py,output|"), "{rust}");
}

#[test]
fn generated_files_carry_the_do_not_edit_header() {
    let model = codegen::load(&fixture("mini/spec")).unwrap();
    let outputs = [
        codegen::render_bindings(&model).unwrap(),
        codegen::render_stubs(&model).unwrap(),
        codegen::render_model_ops(&model).unwrap(),
    ];
    for out in outputs {
        let head: String = out.lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(head.contains("Generated from spec/mini.yaml"), "{head}");
        assert!(head.contains("Do not edit"), "{head}");
    }
}

#[test]
fn model_twins_differ_only_in_the_io_line() {
    let model = codegen::load(&fixture("mini/spec")).unwrap();
    let py = codegen::render_model_ops(&model).unwrap();
    // A method's body: the lines after its `def` line that are blank or indented deeper.
    let body = |def: &str| -> String {
        let start = py.find(def).unwrap_or_else(|| panic!("`{def}` missing:\n{py}"));
        py[start..]
            .lines()
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with("        "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let sync = body("    def save(self, condition: Condition | None = None) -> None:");
    let twin = body("    async def async_save(self, condition: Condition | None = None) -> None:");
    // With service steps (`steps: true`): each step's call is awaited too, through its twin.
    assert!(sync.contains("for step in _core.before_steps(plan):") && sync.contains("_core.fail_steps(plan, error)"), "{sync}");
    let awaited = sync
        .replace("plan.client.put_item(", "await plan.client.async_put_item(")
        .replace("getattr(step.target, step.op)(", "await getattr(step.target, step.async_op)(");
    assert_eq!(awaited, twin);
    // A choice of calls (the plan names one) inside the `fail_<core>` guard.
    let sync = body("    def discard(self) -> None:");
    let twin = body("    async def async_discard(self) -> None:");
    assert!(sync.contains("if plan.call == \"delete_item\":") && sync.contains("_core.fail_discard(plan, error)"), "{sync}");
    let awaited = sync
        .replace("plan.client.delete_item(", "await plan.client.async_delete_item(")
        .replace("plan.client.put_item(", "await plan.client.async_put_item(");
    assert_eq!(awaited, twin);
    // Paginated operations return the result class without awaiting; overloads narrow `as_dict`.
    assert!(py.contains("return AsyncMiniModelQueryResult(plan, plan.client.async_query(**plan.args))"));
    assert!(py.contains("def async_query(cls, hash_key: Any, limit: int | None = None) -> AsyncMiniModelQueryResult[Self]:"));
    assert!(py.contains("async def async_get(cls, *, as_dict: Literal[True], **keys: Any) -> dict[str, Any] | None: ..."));
    assert!(py.contains("class MiniIndexOperations(Generic[M]):"));
}

#[test]
fn committed_python_matches_a_fresh_render() {
    let root = manifest_dir().join("..");
    let model = codegen::load(&root.join("spec")).unwrap();
    for (path, fresh) in [
        ("python/pydynox/pydynox_core.pyi", codegen::render_stubs(&model).unwrap()),
        ("python/pydynox/_generated/model_ops.py", codegen::render_model_ops(&model).unwrap()),
    ] {
        let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(committed == fresh, "{path} is stale; run `scripts/generate.sh`");
    }
}
