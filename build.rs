//! Generates the PyO3 bindings (every sync method and its `async_` twin) from `spec/`.

use std::path::Path;

fn main() {
    // Read at run time: a build script binary may be shared by several clones through a
    // common CARGO_TARGET_DIR, and must read the spec of the package being built.
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let spec_dir = Path::new(&root).join("spec");
    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-changed=codegen/templates");
    let model = codegen::load(&spec_dir).unwrap_or_else(|e| panic!("{e}"));
    let rust = codegen::render_bindings(&model).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bindings.rs");
    std::fs::write(&out, rust).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
