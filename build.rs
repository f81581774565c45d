//! Generates the PyO3 bindings (every sync method and its `async_` twin) from `spec/`, and
//! the declarations of the operations' core modules (`src/ops/<core>.rs`).

use std::path::Path;

fn main() {
    // Read at run time: a build script binary may be shared by several clones through a
    // common CARGO_TARGET_DIR, and must read the spec of the package being built.
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-changed=codegen/templates");
    println!("cargo:rerun-if-changed=src/ops");
    let model = codegen::load(&root.join("spec")).unwrap_or_else(|e| fail(e));
    let ops_dir = root.join("src/ops");
    // Before rustc sees the bindings: a missing or mismatched core module is reported
    // against its spec entry here, not as a type error inside OUT_DIR.
    codegen::check_cores(&ops_dir, &model).unwrap_or_else(|e| fail(e));
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    write(&out_dir.join("bindings.rs"), &codegen::render_bindings(&model).unwrap_or_else(|e| fail(e)));
    write(&out_dir.join("op_modules.rs"), &codegen::render_op_modules(&model, &ops_dir));
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| fail(format!("writing {}: {e}", path.display())));
}

/// Ends the build with the generator's message as the error cargo shows.
fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("error: {e}");
    std::process::exit(1)
}
