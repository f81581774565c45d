//! Renders the model through minijinja templates, then checks and formats the Rust.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};

use crate::{Error, Model};

const BINDINGS_TEMPLATE: &str = include_str!("../templates/bindings.rs.j2");
const STUBS_TEMPLATE: &str = include_str!("../templates/pydynox_core.pyi.j2");
const MODEL_OPS_TEMPLATE: &str = include_str!("../templates/model_ops.py.j2");

/// The command that regenerates the committed Python files; printed in their headers.
pub const GENERATE_COMMAND: &str = "scripts/generate.sh";

/// Marker the templates put above each generated Rust item. It is valid Rust (an attribute
/// that configures to nothing) so it survives `syn` and `prettyplease`, which drop comments;
/// afterwards it is turned into a `// spec: ...` comment.
const MARKER_OPEN: &str = "#[cfg_attr(any(), spec = \"";

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?);
    // A Rust string literal with everything escaped.
    env.add_filter("rust_str", |s: String| format!("{s:?}"));
    // Python docstring body: no triple quotes can end it early.
    env.add_filter("py_doc", |s: String| s.replace("\"\"\"", "\\\"\\\"\\\""));
    env.add_template("bindings.rs.j2", BINDINGS_TEMPLATE)?;
    env.add_template("pydynox_core.pyi.j2", STUBS_TEMPLATE)?;
    env.add_template("model_ops.py.j2", MODEL_OPS_TEMPLATE)?;
    Ok(env)
}

fn sources(model: &Model) -> String {
    model.sources.join(", ")
}

/// The Rust bindings for `OUT_DIR`: checked with `syn`, formatted with `prettyplease`.
pub fn render_bindings(model: &Model) -> Result<String, Error> {
    let env = environment()?;
    let raw = env.get_template("bindings.rs.j2")?.render(context! { m => Value::from(Serde(model)) })?;
    let file = syn::parse_file(&raw).map_err(|e| {
        let line = e.span().start().line;
        let item = raw
            .lines()
            .take(line)
            .filter_map(|l| l.trim().strip_prefix(MARKER_OPEN))
            .last()
            .map(|s| s.trim_end_matches("\")]").to_string())
            .unwrap_or_else(|| "the file header".into());
        format!("generated Rust for spec item `{item}` does not parse (rendered line {line}): {e}")
    })?;
    let pretty = prettyplease::unparse(&file);
    let mut out = format!(
        "// Generated from {} by codegen (run by build.rs). Do not edit: change the spec or\n\
         // codegen/templates/bindings.rs.j2 and rebuild.\n\n",
        sources(model)
    );
    for line in pretty.lines() {
        match line.trim().strip_prefix(MARKER_OPEN) {
            Some(rest) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}// spec: {}\n", rest.trim_end_matches("\")]")));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// The `.pyi` stubs of the extension module.
pub fn render_stubs(model: &Model) -> Result<String, Error> {
    let env = environment()?;
    let body = env.get_template("pydynox_core.pyi.j2")?.render(context! { m => Value::from(Serde(model)) })?;
    Ok(format!(
        "# Generated from {} by `{GENERATE_COMMAND}`. Do not edit:\n\
         # change the spec or codegen/templates/pydynox_core.pyi.j2 and regenerate.\n{body}",
        sources(model)
    ))
}

/// The model layer's generated Python: result class pairs and the I/O mixins (ADR 5).
pub fn render_model_ops(model: &Model) -> Result<String, Error> {
    let env = environment()?;
    let body = env.get_template("model_ops.py.j2")?.render(context! { m => Value::from(Serde(model)) })?;
    Ok(format!(
        "# Generated from {} by `{GENERATE_COMMAND}`. Do not edit:\n\
         # change the spec or codegen/templates/model_ops.py.j2 and regenerate.\n\n{}",
        sources(model),
        tidy_python(&body)
    ))
}

/// Blank lines as a formatter would leave them: at most two between top-level items and
/// one inside a block, none at the start. Templates then need not count newlines.
fn tidy_python(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0usize;
    for line in text.lines() {
        if line.trim().is_empty() {
            blanks += 1;
            continue;
        }
        if !out.is_empty() {
            let allowed = if line.starts_with(char::is_whitespace) { 1 } else { 2 };
            out.push_str(&"\n".repeat(blanks.min(allowed)));
        }
        blanks = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `pub mod <core>;` for every operation's core module, each pointing at its file under
/// `ops_dir` (absolute, since this file is included from `OUT_DIR`). `src/ops/mod.rs`
/// includes it, so a new operation needs no hand-written module declaration.
pub fn render_op_modules(model: &Model, ops_dir: &std::path::Path) -> String {
    let mut out = format!(
        "// Generated from {} by codegen (run by build.rs). Do not edit.\n",
        sources(model)
    );
    for (op, module) in crate::cores::core_modules(model) {
        let path = ops_dir.join(format!("{module}.rs"));
        out.push_str(&format!("\n// spec: {op}\n#[path = {:?}]\npub mod {module};\n", path.display().to_string()));
    }
    out
}
