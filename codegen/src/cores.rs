//! Checks, before rustc sees the generated bindings, that every operation's hand-written
//! core module exists and has the functions the bindings call, with the parameters the spec
//! declares. A mistake then names the spec entry and the file to write or fix, instead of
//! surfacing as a type error deep inside `$OUT_DIR/bindings.rs`.

use std::path::Path;

use quote::ToTokens;
use syn::{FnArg, Item, ItemFn, Visibility};

use crate::view::{ClassView, OperationView};
use crate::{Error, Model};

/// Every core module of `model`, as `(operation, module name)`, in spec order.
pub fn core_modules(model: &Model) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for c in &model.classes {
        for op in &c.operations {
            if seen.insert(op.core.clone()) {
                out.push((format!("{}.{}", c.name, op.name), op.core.clone()));
            }
        }
    }
    out
}

/// Checks each operation's module under `ops_dir` (the project's `src/ops`).
pub fn check_cores(ops_dir: &Path, model: &Model) -> Result<(), Error> {
    let mut problems = Vec::new();
    for c in &model.classes {
        for op in &c.operations {
            if let Err(e) = check_one(ops_dir, c, op) {
                problems.push(e);
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!("operations without a matching core module:\n  - {}", problems.join("\n  - ")).into())
}

fn check_one(ops_dir: &Path, c: &ClassView, op: &OperationView) -> Result<(), String> {
    let file = format!("src/ops/{}.rs", op.core);
    let at = format!("spec operation `{}.{}` (core: {})", c.name, op.name, op.core);
    let wanted = if op.pager.is_some() {
        "`pub fn prepare` returning the pager core"
    } else {
        "`pub fn prepare`, `pub async fn execute` and `pub fn convert`"
    };
    let text = std::fs::read_to_string(ops_dir.join(format!("{}.rs", op.core)))
        .map_err(|_| format!("{at}: write {file} with {wanted} (see codegen/README.md)"))?;
    let parsed = syn::parse_file(&text).map_err(|e| format!("{at}: {file} does not parse: {e}"))?;
    let find = |name: &str| {
        parsed.items.iter().find_map(|item| match item {
            Item::Fn(f) if f.sig.ident == name && matches!(f.vis, Visibility::Public(_)) => Some(f),
            _ => None,
        })
    };
    let prepare = find("prepare").ok_or_else(|| format!("{at}: {file} has no `pub fn prepare`; it needs {wanted}"))?;
    if op.pager.is_none() {
        match find("execute") {
            Some(f) if f.sig.asyncness.is_some() => {}
            Some(_) => return Err(format!("{at}: `execute` in {file} must be `pub async fn`")),
            None => return Err(format!("{at}: {file} has no `pub async fn execute`; it needs {wanted}")),
        }
        find("convert").ok_or_else(|| format!("{at}: {file} has no `pub fn convert`; it needs {wanted}"))?;
    }
    check_params(prepare, op, &at, &file)
}

/// `prepare(client, py, <the spec's parameters in order>)`, types equal up to lifetimes.
fn check_params(prepare: &ItemFn, op: &OperationView, at: &str, file: &str) -> Result<(), String> {
    let args: Vec<(String, String)> = prepare
        .sig
        .inputs
        .iter()
        .skip(2)
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some((t.pat.to_token_stream().to_string(), normalize(&t.ty.to_token_stream().to_string()))),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let spec: Vec<(&str, String)> = op.call.params.iter().map(|p| (p.name.as_str(), normalize(&p.rust_type))).collect();
    if args.len() != spec.len() {
        let names = spec.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
        return Err(format!(
            "{at}: `prepare` in {file} takes {} parameters after (client, py), the spec declares {} ({names})",
            args.len(),
            spec.len()
        ));
    }
    for ((name, ty), (spec_name, spec_ty)) in args.iter().zip(&spec) {
        let name = name.trim_start_matches("mut ");
        if name != *spec_name {
            return Err(format!("{at}: `prepare` in {file} has parameter `{name}` where the spec declares `{spec_name}`"));
        }
        if ty != spec_ty {
            return Err(format!(
                "{at}: parameter `{name}` of `prepare` in {file} is `{ty}`, but the spec's type maps to `{spec_ty}` (spec/types.yaml)"
            ));
        }
    }
    Ok(())
}

/// Token text without spaces, every lifetime written `'_`, so `Bound<'py, PyDict>` and
/// `Bound<'_,PyDict>` compare equal.
fn normalize(ty: &str) -> String {
    let compact: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(compact.len());
    let mut chars = compact.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch == '\'' {
            while chars.peek().is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                chars.next();
            }
            out.push('_');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn lifetimes_and_spaces_do_not_matter() {
        assert_eq!(normalize("Bound < 'py , PyDict >"), normalize("Bound<'_, PyDict>"));
        assert_ne!(normalize("Option<Bound<'py, PyDict>>"), normalize("Bound<'py, PyDict>"));
    }
}
