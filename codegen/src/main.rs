//! `cargo run -p codegen -- stubs [--check]`: writes (or checks) the committed `.pyi` stubs.
//! `cargo run -p codegen -- bindings`: prints the Rust bindings build.rs would generate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const STUBS_PATH: &str = "python/pydynox/pydynox_core.pyi";

/// The project root. `cargo run` sets CARGO_MANIFEST_DIR at run time; prefer it to the
/// compile-time value, which is wrong when clones share one CARGO_TARGET_DIR.
fn root() -> PathBuf {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    Path::new(&manifest).parent().expect("codegen lives inside the project").to_path_buf()
}

fn run(args: &[String]) -> Result<ExitCode, codegen::Error> {
    let root = root();
    let model = codegen::load(&root.join("spec"))?;
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["stubs"] => {
            std::fs::write(root.join(STUBS_PATH), codegen::render_stubs(&model)?)?;
            println!("wrote {STUBS_PATH}");
            Ok(ExitCode::SUCCESS)
        }
        ["stubs", "--check"] => {
            let fresh = codegen::render_stubs(&model)?;
            let committed = std::fs::read_to_string(root.join(STUBS_PATH)).unwrap_or_default();
            if fresh == committed {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{STUBS_PATH} is out of date; run `{}`", codegen::render::STUBS_COMMAND);
                Ok(ExitCode::FAILURE)
            }
        }
        ["bindings"] => {
            print!("{}", codegen::render_bindings(&model)?);
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("usage: codegen stubs [--check] | codegen bindings");
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
