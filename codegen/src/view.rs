//! The view model: the spec resolved into exactly what the templates print.
//!
//! All decisions (Rust types, default expressions, signatures, twin names) are made here
//! in typed Rust, so templates stay free of logic and a bad spec fails with a message that
//! names the spec entry.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Serialize;

use crate::spec::{
    ClassSpec, ErrorSpec, FieldSpec, OperationSpec, PagerSpec, ParamSpec, PythonTypeSpec, RecordSpec,
    SpecFile,
};

/// Prefix of every awaitable twin. The only place the convention is spelled.
pub const ASYNC_PREFIX: &str = "async_";

#[derive(Debug, Serialize)]
pub struct Model {
    /// Spec files the model was read from, for the generated headers.
    pub sources: Vec<String>,
    pub errors: Vec<ErrorView>,
    pub records: Vec<RecordView>,
    pub pagers: Vec<PagerView>,
    /// Python-defined result classes, as (module, name), for the stubs' imports.
    pub python_types: Vec<(String, String)>,
    pub classes: Vec<ClassView>,
}

#[derive(Debug, Serialize)]
pub struct ErrorView {
    pub name: String,
    /// Rust type of the base (an exception of ours, or PyO3's `PyException`).
    pub rust_base: String,
    pub py_base: String,
    pub doc: String,
    pub attributes: Vec<FieldView>,
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    pub py_type: String,
    /// Empty where the field is not stored in a generated struct (pager properties, error attributes).
    pub rust_type: String,
    pub doc: String,
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Serialize)]
pub struct PagerView {
    pub name: String,
    pub async_name: String,
    pub core: String,
    pub item: String,
    pub doc: String,
    pub properties: Vec<FieldView>,
}

#[derive(Debug, Serialize)]
pub struct ParamView {
    pub name: String,
    pub py_type: String,
    pub rust_type: String,
    pub py_default: Option<String>,
    pub doc: String,
}

/// Anything callable: constructor, local method or one side of an operation.
#[derive(Debug, Serialize)]
pub struct CallableView {
    pub name: String,
    pub doc: String,
    pub params: Vec<ParamView>,
    /// `(a, b=None)`: PyO3's `signature` attribute, with Rust default expressions.
    pub rust_signature: String,
    /// `($self, a, b=None)`: what `inspect.signature` shows, with Python defaults.
    pub text_signature: String,
    /// Comma-separated argument names, to forward to the core.
    pub forward: String,
    pub returns: String,
}

#[derive(Debug, Serialize)]
pub struct OperationView {
    pub name: String,
    pub async_name: String,
    pub core: String,
    pub call: CallableView,
    /// What the sync method returns (Python annotation).
    pub returns: String,
    /// What the twin returns: the awaited type, or the async pager class.
    pub async_returns: String,
    /// Set for paginated operations: (sync class, async class).
    pub pager: Option<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct ClassView {
    pub name: String,
    pub doc: String,
    pub rust_module: String,
    pub constructor: CallableView,
    pub local_methods: Vec<CallableView>,
    pub operations: Vec<OperationView>,
}

/// A spec problem, with the entry it is about.
#[derive(Debug)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

fn err<T>(msg: String) -> Result<T, SpecError> {
    Err(SpecError(msg))
}

/// Everything the spec files declare, merged in file order.
#[derive(Debug, Default)]
pub struct Merged {
    pub sources: Vec<String>,
    pub param_types: IndexMap<String, String>,
    pub field_types: IndexMap<String, String>,
    pub errors: Vec<ErrorSpec>,
    pub records: Vec<RecordSpec>,
    pub pagers: Vec<PagerSpec>,
    pub python_types: Vec<PythonTypeSpec>,
    pub classes: Vec<ClassSpec>,
}

impl Merged {
    pub fn add(&mut self, source: String, file: SpecFile) -> Result<(), SpecError> {
        for (k, v) in file.param_types {
            if self.param_types.insert(k.clone(), v).is_some() {
                return err(format!("{source}: param type `{k}` is defined twice"));
            }
        }
        for (k, v) in file.field_types {
            if self.field_types.insert(k.clone(), v).is_some() {
                return err(format!("{source}: field type `{k}` is defined twice"));
            }
        }
        self.errors.extend(file.errors);
        self.records.extend(file.records);
        self.pagers.extend(file.pagers);
        self.python_types.extend(file.python_types);
        self.classes.extend(file.classes);
        self.sources.push(source);
        Ok(())
    }
}

/// Turns a Python default written in the spec into the Rust expression PyO3 evaluates.
fn rust_default(py_default: &str, rust_type: &str, at: &str) -> Result<String, SpecError> {
    let d = py_default.trim();
    let expr = match d {
        "None" => "None".to_string(),
        "True" => "true".to_string(),
        "False" => "false".to_string(),
        _ if d.parse::<i64>().is_ok() || d.parse::<f64>().is_ok() => d.to_string(),
        _ if d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'') => {
            format!("String::from({:?})", &d[1..d.len() - 1])
        }
        _ => return err(format!("{at}: default `{d}` is not a Python literal the generator knows")),
    };
    // A literal default for an optional parameter is still a value, not `None`.
    if rust_type.starts_with("Option<") && expr != "None" {
        return Ok(format!("Some({expr})"));
    }
    Ok(expr)
}

fn param(types: &IndexMap<String, String>, p: &ParamSpec, at: &str) -> Result<ParamView, SpecError> {
    let at = format!("{at}, parameter `{}`", p.name);
    let Some(rust_type) = types.get(&p.ty) else {
        return err(format!("{at}: type `{}` is not in any `param_types` table", p.ty));
    };
    if let Some(d) = &p.default {
        rust_default(d, rust_type, &at)?;
    }
    Ok(ParamView {
        name: p.name.clone(),
        py_type: p.ty.clone(),
        rust_type: rust_type.clone(),
        py_default: p.default.clone(),
        doc: p.doc.clone(),
    })
}

fn callable(
    types: &IndexMap<String, String>,
    name: &str,
    doc: &str,
    params: &[ParamSpec],
    returns: &str,
    at: &str,
) -> Result<CallableView, SpecError> {
    let params = params.iter().map(|p| param(types, p, at)).collect::<Result<Vec<_>, _>>()?;
    let mut rust_sig = Vec::new();
    // `$self` is how CPython's text signatures mark the bound argument (dropped by inspect).
    let mut text_sig = if name == "__new__" { Vec::new() } else { vec!["$self".to_string()] };
    let mut seen_default = false;
    for p in &params {
        match &p.py_default {
            Some(d) => {
                seen_default = true;
                rust_sig.push(format!("{}={}", p.name, rust_default(d, &p.rust_type, at)?));
                text_sig.push(format!("{}={}", p.name, d.trim()));
            }
            None if seen_default => {
                return err(format!("{at}: required parameter `{}` follows one with a default", p.name));
            }
            None => {
                rust_sig.push(p.name.clone());
                text_sig.push(p.name.clone());
            }
        }
    }
    let one = if rust_sig.len() == 1 { "," } else { "" };
    Ok(CallableView {
        name: name.to_string(),
        doc: doc.trim().to_string(),
        forward: params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
        rust_signature: format!("({}{one})", rust_sig.join(", ")),
        text_signature: format!("({})", text_sig.join(", ")),
        params,
        returns: returns.to_string(),
    })
}

fn field(types: Option<&IndexMap<String, String>>, f: &FieldSpec, at: &str) -> Result<FieldView, SpecError> {
    let rust_type = match types {
        None => String::new(),
        Some(t) => match t.get(&f.ty) {
            Some(r) => r.clone(),
            None => return err(format!("{at}, field `{}`: type `{}` is not in any `field_types` table", f.name, f.ty)),
        },
    };
    Ok(FieldView { name: f.name.clone(), py_type: f.ty.clone(), rust_type, doc: f.doc.trim().to_string() })
}

impl Model {
    pub fn build(m: Merged) -> Result<Model, SpecError> {
        let mut names = BTreeSet::new();
        let mut claim = |name: &str, what: &str| {
            if name.starts_with(ASYNC_PREFIX) {
                return err(format!("{what} `{name}`: spec names never start with `{ASYNC_PREFIX}`; twins are generated"));
            }
            if !names.insert(name.to_string()) {
                return err(format!("{what} `{name}` is defined twice"));
            }
            Ok(())
        };
        for e in &m.errors {
            claim(&e.name, "error")?;
        }
        for r in &m.records {
            claim(&r.name, "record")?;
        }
        for p in &m.pagers {
            claim(&p.name, "pager")?;
            claim(&p.async_name, "pager")?;
        }
        for t in &m.python_types {
            claim(&t.name, "python type")?;
        }
        for c in &m.classes {
            claim(&c.name, "class")?;
        }

        let errors = m
            .errors
            .iter()
            .map(|e| {
                let at = format!("error `{}`", e.name);
                let rust_base = if e.base == "Exception" {
                    "pyo3::exceptions::PyException".to_string()
                } else if m.errors.iter().any(|o| o.name == e.base) {
                    e.base.clone()
                } else {
                    return err(format!("{at}: base `{}` is neither `Exception` nor an error of the spec", e.base));
                };
                Ok(ErrorView {
                    name: e.name.clone(),
                    rust_base,
                    py_base: e.base.clone(),
                    doc: e.doc.trim().to_string(),
                    attributes: e.attributes.iter().map(|a| field(None, a, &at)).collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;

        let records = m
            .records
            .iter()
            .map(|r| {
                let at = format!("record `{}`", r.name);
                Ok(RecordView {
                    name: r.name.clone(),
                    doc: r.doc.trim().to_string(),
                    fields: r.fields.iter().map(|f| field(Some(&m.field_types), f, &at)).collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, SpecError>>()?;

        let pagers = m
            .pagers
            .iter()
            .map(|p| {
                let at = format!("pager `{}`", p.name);
                Ok(PagerView {
                    name: p.name.clone(),
                    async_name: p.async_name.clone(),
                    core: p.core.clone(),
                    item: p.item.clone(),
                    doc: p.doc.trim().to_string(),
                    properties: p.properties.iter().map(|f| field(None, f, &at)).collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, SpecError>>()?;

        let mut classes = Vec::new();
        for c in &m.classes {
            let at = format!("class `{}`", c.name);
            let constructor = callable(&m.param_types, "__new__", &c.constructor.doc, &c.constructor.params, "None", &format!("{at}, constructor"))?;
            let mut local_methods = Vec::new();
            let mut method_names = BTreeSet::new();
            for l in &c.local_methods {
                if !method_names.insert(l.name.clone()) {
                    return err(format!("{at}: method `{}` is defined twice", l.name));
                }
                local_methods.push(callable(&m.param_types, &l.name, &l.doc, &l.params, &l.returns, &format!("{at}, method `{}`", l.name))?);
            }
            let mut operations = Vec::new();
            for o in &c.operations {
                let op_at = format!("{at}, operation `{}`", o.name);
                if o.name.starts_with(ASYNC_PREFIX) {
                    return err(format!("{op_at}: spec names never start with `{ASYNC_PREFIX}`; twins are generated"));
                }
                if !method_names.insert(o.name.clone()) {
                    return err(format!("{at}: method `{}` is defined twice", o.name));
                }
                operations.push(operation(&m.param_types, &pagers, o, &op_at)?);
            }
            classes.push(ClassView {
                name: c.name.clone(),
                doc: c.doc.trim().to_string(),
                rust_module: c.rust_module.clone(),
                constructor,
                local_methods,
                operations,
            });
        }
        let python_types = m.python_types.iter().map(|t| (t.module.clone(), t.name.clone())).collect();
        Ok(Model { sources: m.sources, errors, records, pagers, python_types, classes })
    }
}

fn operation(
    types: &IndexMap<String, String>,
    pagers: &[PagerView],
    o: &OperationSpec,
    at: &str,
) -> Result<OperationView, SpecError> {
    if o.doc.trim().is_empty() {
        return err(format!("{at}: every operation needs a doc"));
    }
    let (returns, async_returns, pager) = match (&o.returns, &o.pager) {
        (Some(r), None) => (r.clone(), r.clone(), None),
        (None, Some(p)) => {
            let Some(pv) = pagers.iter().find(|pv| &pv.name == p) else {
                return err(format!("{at}: pager `{p}` is not defined"));
            };
            (pv.name.clone(), pv.async_name.clone(), Some((pv.name.clone(), pv.async_name.clone())))
        }
        _ => return err(format!("{at}: set exactly one of `returns` and `pager`")),
    };
    Ok(OperationView {
        name: o.name.clone(),
        async_name: format!("{ASYNC_PREFIX}{}", o.name),
        core: o.core.clone(),
        call: callable(types, &o.name, &o.doc, &o.params, &returns, at)?,
        returns,
        async_returns,
        pager,
    })
}
