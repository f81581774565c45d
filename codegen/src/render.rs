//! Renders the model through minijinja templates, then checks and formats the Rust.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};

use crate::{Error, Model};

const BINDINGS_TEMPLATE: &str = include_str!("../templates/bindings.rs.j2");
const STUBS_TEMPLATE: &str = include_str!("../templates/pydynox_core.pyi.j2");

/// The command that regenerates the committed stubs; printed in their header.
pub const STUBS_COMMAND: &str = "cargo run -p codegen -- stubs";

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
        "# Generated from {} by `{STUBS_COMMAND}`. Do not edit:\n\
         # change the spec or codegen/templates/pydynox_core.pyi.j2 and regenerate.\n{body}",
        sources(model)
    ))
}
