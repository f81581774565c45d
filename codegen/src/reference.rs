//! The docs site's API reference (`docs/reference/api.md`), rendered from the same model as
//! the bindings and stubs, so the reference cannot drift from the code.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};

use crate::render::GENERATE_COMMAND;
use crate::{Error, Model};

const TEMPLATE: &str = include_str!("../templates/api_reference.md.j2");

/// Text inside a Markdown table cell: one line, and `|` no longer ends the cell.
fn cell(text: String) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// The API reference page (Markdown), blank lines collapsed to one.
pub fn render_api_reference(model: &Model) -> Result<String, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?);
    env.add_filter("cell", cell);
    env.add_template("api_reference.md.j2", TEMPLATE)?;
    let body = env
        .get_template("api_reference.md.j2")?
        .render(context! { m => Value::from(Serde(model)), command => GENERATE_COMMAND })?;
    let mut out = format!(
        "<!-- Generated from {} by `{GENERATE_COMMAND}`. Do not edit: change the spec or\n     \
         codegen/templates/api_reference.md.j2 and regenerate. -->\n\n",
        model.sources.join(", ")
    );
    let mut blank = false;
    for line in body.lines() {
        if line.trim().is_empty() {
            blank = !out.ends_with("\n\n");
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}
