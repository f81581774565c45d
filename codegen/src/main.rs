//! `cargo run -p codegen -- python [--check]`: writes (or checks) the committed Python files
//! rendered from the spec: the extension's `.pyi` stubs and the model layer's generated
//! methods. `scripts/generate.sh` runs it with the project's shared target dir.
//! `cargo run -p codegen -- bindings`: prints the Rust bindings build.rs would generate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::{Error, Model};

/// Every committed file the generator owns, with the function that renders it.
const OUTPUTS: [(&str, fn(&Model) -> Result<String, Error>); 3] = [
    ("python/pydynox/pydynox_core.pyi", codegen::render_stubs),
    ("python/pydynox/_generated/model_ops.py", codegen::render_model_ops),
    ("docs/reference/api.md", codegen::render_api_reference),
];

/// The project root. `cargo run` sets CARGO_MANIFEST_DIR at run time; prefer it to the
/// compile-time value, which is wrong when clones share one CARGO_TARGET_DIR.
fn root() -> PathBuf {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    Path::new(&manifest).parent().expect("codegen lives inside the project").to_path_buf()
}

fn run(args: &[String]) -> Result<ExitCode, Error> {
    let root = root();
    let model = codegen::load(&root.join("spec"))?;
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        // `stubs` is the command's earlier name, kept so old habits still work.
        ["python" | "stubs"] => {
            for (path, render) in OUTPUTS {
                let fresh = render(&model)?;
                let target = root.join(path);
                if std::fs::read_to_string(&target).ok().as_deref() != Some(fresh.as_str()) {
                    std::fs::create_dir_all(target.parent().expect("outputs live in a folder"))?;
                    std::fs::write(&target, fresh)?;
                    println!("wrote {path}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ["python" | "stubs", "--check"] => {
            let mut stale = Vec::new();
            for (path, render) in OUTPUTS {
                let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
                if committed != render(&model)? {
                    stale.push(path);
                }
            }
            if stale.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("out of date: {}; run `{}`", stale.join(", "), codegen::render::GENERATE_COMMAND);
            Ok(ExitCode::FAILURE)
        }
        ["bindings"] => {
            print!("{}", codegen::render_bindings(&model)?);
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("usage: codegen python [--check] | codegen bindings");
            Ok(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
