//! The docs site's API reference is a generated output like the stubs: the committed page
//! equals a fresh render (so it cannot drift), and it names every operation and its twin.
//! Refresh the mini fixture's expected page with `UPDATE_GOLDEN=1 cargo test -p codegen`.

use std::path::PathBuf;

fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()))
}

#[test]
fn mini_spec_renders_the_expected_reference() {
    let dir = manifest_dir().join("tests/fixtures/mini");
    let fresh = codegen::render_api_reference(&codegen::load(&dir.join("spec")).unwrap()).unwrap();
    let path = dir.join("expected/api.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(expected == fresh, "{} differs from a fresh render; rerun with UPDATE_GOLDEN=1 and review the diff", path.display());
}

#[test]
fn committed_reference_matches_a_fresh_render() {
    let root = manifest_dir().join("..");
    let fresh = codegen::render_api_reference(&codegen::load(&root.join("spec")).unwrap()).unwrap();
    let committed = std::fs::read_to_string(root.join("docs/reference/api.md")).unwrap_or_default();
    assert!(committed == fresh, "docs/reference/api.md is stale; run `scripts/generate.sh`");
}

#[test]
fn every_operation_and_its_twin_is_documented() {
    let model = codegen::load(&manifest_dir().join("../spec")).unwrap();
    let page = codegen::render_api_reference(&model).unwrap();
    for class in &model.classes {
        for op in &class.operations {
            assert!(page.contains(&format!("### `{}` / `{}`", op.name, op.async_name)), "{}.{} missing", class.name, op.name);
        }
    }
    for class in &model.model_classes {
        for op in &class.operations {
            assert!(page.contains(&format!("#### `{}` / `{}`", op.name, op.async_name)), "{}.{} missing", class.name, op.name);
        }
    }
    for error in &model.errors {
        assert!(page.contains(&format!("### `{}`", error.name)), "exception {} missing", error.name);
    }
}
