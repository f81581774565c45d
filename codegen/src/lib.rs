//! pydynox's code generator: `spec/*.yaml` in, PyO3 bindings and Python stubs out.
//!
//! `build.rs` calls [`render_bindings`] to write the Rust bindings into `OUT_DIR`; the
//! `codegen` binary calls [`render_stubs`] to (re)write the committed `.pyi` file.
//! Pipeline: YAML -> [`spec`] structs -> [`view::Model`] -> minijinja templates -> output.

pub mod cores;
pub mod lint;
pub mod reference;
pub mod render;
pub mod spec;
pub mod view;

use std::path::{Path, PathBuf};

pub use cores::check_cores;
pub use reference::render_api_reference;
pub use render::{render_bindings, render_model_ops, render_op_modules, render_stubs};
pub use view::Model;

/// Any failure of the generator, already phrased for the person editing the spec.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The spec files of a directory, sorted by name so the merged order never depends on the
/// file system.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "yaml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and merges every `*.yaml` of `dir` into a resolved model.
pub fn load(dir: &Path) -> Result<Model, Error> {
    let mut merged = view::Merged::default();
    for path in spec_files(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let file: spec::SpecFile =
            serde_norway::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = format!("spec/{}", path.file_name().unwrap().to_string_lossy());
        merged.add(name, file)?;
    }
    let problems = lint::lint(&merged);
    if !problems.is_empty() {
        return Err(format!("the spec has problems:\n  - {}", problems.join("\n  - ")).into());
    }
    Ok(Model::build(merged)?)
}
