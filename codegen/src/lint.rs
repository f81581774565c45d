//! Rules the spec must follow beyond its shape: every declared type is used, every
//! public thing is documented. Run on every load, so `cargo build` enforces them too.

use std::collections::BTreeSet;

use crate::view::Merged;

/// Identifiers inside a Python annotation (`dict[str, OperationMetrics] | None` ->
/// `dict`, `str`, `OperationMetrics`, `None`).
fn words(annotation: &str) -> impl Iterator<Item = &str> {
    annotation.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

pub fn lint(m: &Merged) -> Vec<String> {
    let mut problems = Vec::new();
    let mut param_types_used = BTreeSet::new();
    let mut field_types_used = BTreeSet::new();
    let mut annotations: Vec<&str> = Vec::new();

    for c in &m.classes {
        if c.doc.trim().is_empty() {
            problems.push(format!("class `{}` has no doc", c.name));
        }
        let ctor = c.constructor.params.iter().map(|p| ("constructor".to_string(), p));
        let locals = c.local_methods.iter().flat_map(|l| l.params.iter().map(move |p| (l.name.clone(), p)));
        let ops = c.operations.iter().flat_map(|o| o.params.iter().map(move |p| (o.name.clone(), p)));
        for (owner, p) in ctor.chain(locals).chain(ops) {
            param_types_used.insert(p.ty.as_str());
            if p.doc.trim().is_empty() {
                problems.push(format!("`{}.{owner}` parameter `{}` has no doc", c.name, p.name));
            }
        }
        for l in &c.local_methods {
            annotations.push(&l.returns);
            if l.doc.trim().is_empty() {
                problems.push(format!("`{}.{}` has no doc", c.name, l.name));
            }
        }
        for o in &c.operations {
            if o.doc.trim().is_empty() {
                problems.push(format!("operation `{}.{}` has no doc", c.name, o.name));
            }
            annotations.extend(o.returns.as_deref());
            annotations.extend(o.pager.as_deref());
        }
    }
    for r in &m.records {
        for f in &r.fields {
            field_types_used.insert(f.ty.as_str());
            annotations.push(&f.ty);
        }
    }
    for p in &m.pagers {
        annotations.push(&p.item);
        annotations.extend(p.properties.iter().map(|f| f.ty.as_str()));
    }
    for k in m.param_types.keys() {
        if !param_types_used.contains(k.as_str()) {
            problems.push(format!("param type `{k}` is defined but no parameter uses it"));
        }
    }
    for k in m.field_types.keys() {
        if !field_types_used.contains(k.as_str()) {
            problems.push(format!("field type `{k}` is defined but no record field uses it"));
        }
    }
    let used: BTreeSet<&str> = annotations.iter().flat_map(|a| words(a)).collect();
    for r in &m.records {
        if !used.contains(r.name.as_str()) {
            problems.push(format!("record `{}` is defined but nothing returns it", r.name));
        }
    }
    for p in &m.pagers {
        if !used.contains(p.name.as_str()) {
            problems.push(format!("pager `{}` is defined but no operation uses it", p.name));
        }
    }
    let defined: BTreeSet<&str> = m
        .records
        .iter()
        .map(|r| r.name.as_str())
        .chain(m.pagers.iter().map(|p| p.name.as_str()))
        .chain(m.python_types.iter().map(|t| t.name.as_str()))
        .collect();
    for t in &m.python_types {
        if !used.contains(t.name.as_str()) {
            problems.push(format!("python type `{}` is defined but nothing returns it", t.name));
        }
    }
    for w in &used {
        let builtin = matches!(*w, "Any" | "None" | "dict" | "list" | "tuple" | "set" | "str" | "int" | "float" | "bool" | "bytes");
        if !builtin && !defined.contains(w) {
            problems.push(format!("annotation word `{w}` is neither a builtin nor a type of the spec"));
        }
    }
    problems.extend(lint_model_layer(m));
    for e in &m.errors {
        if e.doc.trim().is_empty() {
            problems.push(format!("error `{}` has no doc", e.name));
        }
    }
    problems
}

/// The model layer: every annotation word is a typing name, a builtin, a result class or
/// an import the spec declares; every declared import and result class is used.
fn lint_model_layer(m: &Merged) -> Vec<String> {
    let mut problems = Vec::new();
    let mut annotations: Vec<&str> = Vec::new();
    for c in &m.model_classes {
        if c.doc.trim().is_empty() {
            problems.push(format!("model class `{}` has no doc", c.name));
        }
        for l in &c.local_methods {
            if l.doc.trim().is_empty() {
                problems.push(format!("`{}.{}` has no doc", c.name, l.name));
            }
        }
        for o in &c.operations {
            annotations.extend(o.params.iter().map(|p| p.ty.as_str()));
            annotations.extend(o.kwargs.iter().map(|k| k.ty.as_str()));
            annotations.extend(o.returns.as_deref());
            annotations.extend(o.result.as_deref());
            for v in &o.overloads {
                annotations.push(&v.returns);
                annotations.extend(v.when.values().map(String::as_str));
            }
            if let Some(k) = &o.kwargs {
                if k.doc.trim().is_empty() {
                    problems.push(format!("`{}.{}` parameter `**{}` has no doc", c.name, o.name, k.name));
                }
            }
        }
    }
    for p in &m.class_pairs {
        for o in &p.operations {
            annotations.extend(o.params.iter().map(|p| p.ty.as_str()));
            annotations.extend(o.kwargs.iter().map(|k| k.ty.as_str()));
            annotations.extend(o.returns.as_deref());
        }
    }
    let used: BTreeSet<&str> = annotations.iter().flat_map(|a| words(a)).collect();
    for w in &used {
        // The template imports these itself (its result classes use them).
        let typing = matches!(*w, "Any" | "None" | "Self" | "Literal" | "True" | "False" | "OperationMetrics");
        let builtin = matches!(*w, "dict" | "list" | "tuple" | "set" | "str" | "int" | "float" | "bool" | "bytes");
        let result = m.model_results.iter().any(|r| r.name == *w);
        if !(typing || builtin || result || m.model_imports.contains_key(*w)) {
            problems.push(format!("model annotation word `{w}` is not imported: add it to `model_imports`"));
        }
    }
    for k in m.model_imports.keys() {
        if !used.contains(k.as_str()) {
            problems.push(format!("model import `{k}` is declared but no annotation uses it"));
        }
    }
    for r in &m.model_results {
        if !used.contains(r.name.as_str()) {
            problems.push(format!("model result `{}` is defined but no operation returns it", r.name));
        }
    }
    problems
}
