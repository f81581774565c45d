//! The view model: the spec resolved into exactly what the templates print.
//!
//! All decisions (Rust types, default expressions, signatures, twin names) are made here
//! in typed Rust, so templates stay free of logic and a bad spec fails with a message that
//! names the spec entry.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::Serialize;

use crate::spec::{
    Calls, ClassPairSpec,
    ClassSpec, ErrorSpec, FieldSpec, ModelClassSpec, ModelOperationSpec, ModelResultSpec, OperationSpec,
    PagerSpec, ParamSpec, PythonTypeSpec, Receiver, RecordSpec, SettingsSpec, SpecFile,
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
    /// The model layer (ADR 5), rendered as Python.
    pub model_results: Vec<ModelResultView>,
    pub model_classes: Vec<ModelClassView>,
    /// `(module, names)` to import for the annotations of the generated Python.
    pub model_imports: Vec<(String, Vec<String>)>,
    /// Sync/async class pairs, rendered into the model layer's module.
    pub class_pairs: Vec<ClassPairView>,
    /// `(module, alias)` of every pair's core, imported as `import module as alias`.
    pub pair_cores: Vec<(String, String)>,
    /// `(module, names)` of the pairs' hand-written base classes, imported at run time.
    pub pair_bases: Vec<(String, Vec<String>)>,
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
    pub properties: Vec<FieldView>,
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
    pub model_results: Vec<ModelResultSpec>,
    pub model_classes: Vec<ModelClassSpec>,
    pub model_imports: IndexMap<String, String>,
    pub class_pairs: Vec<ClassPairSpec>,
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
        self.model_results.extend(file.model_results);
        self.model_classes.extend(file.model_classes);
        self.class_pairs.extend(file.class_pairs);
        for (k, v) in file.model_imports {
            if self.model_imports.insert(k.clone(), v).is_some() {
                return err(format!("{source}: model import `{k}` is defined twice"));
            }
        }
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

/// The constructor's arguments with `settings.params` gathered into one struct literal,
/// passed last: `key_id, context, crate::services::Connection { region, ... }`.
fn settings_forward(constructor: &CallableView, settings: &SettingsSpec, at: &str) -> Result<String, SpecError> {
    for name in &settings.params {
        if !constructor.params.iter().any(|p| &p.name == name) {
            return err(format!("{at}: `{name}` is not a parameter of the constructor"));
        }
    }
    if settings.params.is_empty() || settings.rust_type.trim().is_empty() {
        return err(format!("{at}: name the struct (`rust_type`) and the parameters it gathers"));
    }
    let mut forward: Vec<String> =
        constructor.params.iter().filter(|p| !settings.params.contains(&p.name)).map(|p| p.name.clone()).collect();
    forward.push(format!("{} {{ {} }}", settings.rust_type.trim(), settings.params.join(", ")));
    Ok(forward.join(", "))
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
            let mut constructor = callable(&m.param_types, "__new__", &c.constructor.doc, &c.constructor.params, "None", &format!("{at}, constructor"))?;
            if let Some(settings) = &c.constructor.settings {
                constructor.forward = settings_forward(&constructor, settings, &format!("{at}, constructor settings"))?;
            }
            let mut local_methods = Vec::new();
            let mut method_names = BTreeSet::new();
            for l in &c.local_methods {
                if !method_names.insert(l.name.clone()) {
                    return err(format!("{at}: method `{}` is defined twice", l.name));
                }
                local_methods.push(callable(&m.param_types, &l.name, &l.doc, &l.params, &l.returns, &format!("{at}, method `{}`", l.name))?);
            }
            let mut properties = Vec::new();
            for f in &c.properties {
                if !method_names.insert(f.name.clone()) {
                    return err(format!("{at}: property `{}` is defined twice", f.name));
                }
                properties.push(field(None, f, &at)?);
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
                properties,
                operations,
            });
        }
        for r in &m.model_results {
            claim(&r.name, "model result")?;
            claim(&r.async_name, "model result")?;
        }
        for c in &m.model_classes {
            claim(&c.name, "model class")?;
            claim(&c.mixin, "model mixin")?;
        }
        for p in &m.class_pairs {
            claim(&p.name, "class pair")?;
            claim(&p.async_name, "class pair")?;
        }
        let model_results = m
            .model_results
            .iter()
            .map(|r| ModelResultView { name: r.name.clone(), async_name: r.async_name.clone(), doc: r.doc.trim().to_string() })
            .collect::<Vec<_>>();
        let model_classes = m
            .model_classes
            .iter()
            .map(|c| model_class(c, &classes, &model_results))
            .collect::<Result<Vec<_>, _>>()?;
        let mut by_module: IndexMap<String, Vec<String>> = IndexMap::new();
        for (name, module) in &m.model_imports {
            by_module.entry(module.clone()).or_default().push(name.clone());
        }
        let mut model_imports: Vec<(String, Vec<String>)> = by_module.into_iter().collect();
        model_imports.sort();
        for (_, names) in &mut model_imports {
            names.sort();
        }
        let class_pairs = m.class_pairs.iter().map(|p| class_pair(p, &classes, &model_results)).collect::<Result<Vec<_>, _>>()?;
        let (pair_cores, pair_bases) = pair_imports(&m.class_pairs)?;
        let python_types = m.python_types.iter().map(|t| (t.module.clone(), t.name.clone())).collect();
        Ok(Model {
            sources: m.sources,
            errors,
            records,
            pagers,
            python_types,
            classes,
            model_results,
            model_classes,
            model_imports,
            class_pairs,
            pair_cores,
            pair_bases,
        })
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

// --- the model layer (ADR 5) -------------------------------------------------------------

/// What the generated module calls the model layer's core (`from pydynox._model import core as _core`).
const MODEL_CORE: &str = "_core";

#[derive(Debug, Serialize)]
pub struct ModelResultView {
    pub name: String,
    pub async_name: String,
    pub doc: String,
}

#[derive(Debug, Serialize)]
pub struct ModelClassView {
    pub name: String,
    pub mixin: String,
    pub doc: String,
    /// Index mixins are `Generic[M]` over the model they read.
    pub generic: bool,
    /// `(name, doc)` of the hand-written public methods.
    pub local_methods: Vec<(String, String)>,
    pub operations: Vec<ModelOpView>,
}

#[derive(Debug, Serialize)]
pub struct ModelOpView {
    pub name: String,
    pub async_name: String,
    pub core: String,
    /// The Python name the shells call `plan_<core>` / `finish_<core>` on: `_core` (the
    /// model layer's core) or a class pair's core module alias.
    pub core_module: String,
    /// Client methods the sync and the async shell call.
    pub call: String,
    pub async_call: String,
    /// With several calls to choose from, each as (sync, async) name; `plan.call` picks one.
    pub choices: Vec<(String, String)>,
    /// Exceptions of the call go through `fail_<core>(plan, error)` first.
    pub fails: bool,
    /// Service steps (S3, KMS) run before, after and, on failure, to undo the call.
    pub steps: bool,
    /// The client call returns None: the shell passes None on rather than an `answer`
    /// (type checkers reject assigning a None-returning call).
    pub call_returns_none: bool,
    /// The shell repeats the call while `more_<core>(plan, answer)` is true.
    pub repeats: bool,
    pub doc: String,
    pub is_classmethod: bool,
    /// `self` or `cls`: what the shell passes to `plan_<core>`.
    pub receiver: String,
    /// Everything between the parentheses of the `def`, receiver first.
    pub signature: String,
    /// Keyword arguments forwarded to `plan_<core>`, `**kwargs` last.
    pub forward: String,
    pub returns: String,
    pub async_returns: String,
    /// `(sync class, async class)` of a paginated operation.
    pub result: Option<(String, String)>,
    pub overloads: Vec<OverloadView>,
    /// `(name, doc)` of every parameter, `**kwargs` included, for the docstring.
    pub param_docs: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct OverloadView {
    pub signature: String,
    pub returns: String,
}

fn model_class(c: &ModelClassSpec, client: &[ClassView], results: &[ModelResultView]) -> Result<ModelClassView, SpecError> {
    let at = format!("model class `{}`", c.name);
    let mut names = BTreeSet::new();
    for l in &c.local_methods {
        if !names.insert(l.name.clone()) {
            return err(format!("{at}: method `{}` is defined twice", l.name));
        }
    }
    let mut operations = Vec::new();
    let mut generic = false;
    for o in &c.operations {
        let op_at = format!("{at}, operation `{}`", o.name);
        if o.name.starts_with(ASYNC_PREFIX) {
            return err(format!("{op_at}: spec names never start with `{ASYNC_PREFIX}`; twins are generated"));
        }
        if !names.insert(o.name.clone()) {
            return err(format!("{at}: method `{}` is defined twice", o.name));
        }
        generic |= o.receiver == Receiver::Index;
        operations.push(model_operation(o, client, results, &op_at)?);
    }
    if generic && c.operations.iter().any(|o| o.receiver != Receiver::Index) {
        return err(format!("{at}: index operations and model operations cannot share a class"));
    }
    Ok(ModelClassView {
        name: c.name.clone(),
        mixin: c.mixin.clone(),
        doc: c.doc.trim().to_string(),
        generic,
        local_methods: c.local_methods.iter().map(|l| (l.name.clone(), l.doc.trim().to_string())).collect(),
        operations,
    })
}

/// One parameter as it appears in a Python `def`.
fn py_param(name: &str, annotation: &str, default: Option<&str>) -> String {
    match default {
        Some(d) => format!("{name}: {annotation} = {}", d.trim()),
        None => format!("{name}: {annotation}"),
    }
}

fn model_operation(
    o: &ModelOperationSpec,
    client: &[ClassView],
    results: &[ModelResultView],
    at: &str,
) -> Result<ModelOpView, SpecError> {
    if o.doc.trim().is_empty() {
        return err(format!("{at}: every operation needs a doc"));
    }
    // The shells call the client: the operation must exist there, paginated exactly when
    // the model operation is.
    let names = o.call.names();
    if matches!(&o.call, Calls::Choice(cs) if cs.len() < 2) {
        return err(format!("{at}: a `call:` list names at least two client operations"));
    }
    let first = names[0];
    let mut target = None;
    for name in &names {
        let Some(t) = client.iter().flat_map(|c| &c.operations).find(|op| op.name == *name) else {
            return err(format!("{at}: `call: {name}` is not an operation of the client spec"));
        };
        if target.is_some_and(|chosen: &OperationView| chosen.returns != t.returns || t.pager.is_some()) {
            return err(format!("{at}: the calls `{}` must all return the same, unpaginated, type", names.join("`, `")));
        }
        target.get_or_insert(t);
    }
    let target = target.expect("at least one call");
    if target.pager.is_some() != o.result.is_some() {
        return err(format!(
            "{at}: `result:` must be set exactly when the client operation `{first}` is paginated"
        ));
    }
    if o.repeat && (o.result.is_some() || target.returns == "None") {
        return err(format!("{at}: `repeat` needs a client call that returns one page of a result"));
    }
    if (o.fails || names.len() > 1) && (o.repeat || o.result.is_some()) {
        return err(format!("{at}: `fails` and a `call:` list go with a single, unrepeated, unpaginated call"));
    }
    if o.steps && (names.len() > 1 || o.result.is_some()) {
        return err(format!("{at}: `steps` goes with a single, unpaginated call"));
    }
    let generic_arg = if o.receiver == Receiver::Index { "M" } else { "Self" };
    let (returns, async_returns, result) = match (&o.returns, &o.result) {
        (Some(r), None) => (r.clone(), r.clone(), None),
        (None, Some(name)) => {
            let Some(r) = results.iter().find(|r| &r.name == name) else {
                return err(format!("{at}: result `{name}` is not in `model_results`"));
            };
            (
                format!("{}[{generic_arg}]", r.name),
                format!("{}[{generic_arg}]", r.async_name),
                Some((r.name.clone(), r.async_name.clone())),
            )
        }
        _ => return err(format!("{at}: set exactly one of `returns` and `result`")),
    };
    let receiver = if o.receiver == Receiver::Class { "cls" } else { "self" };
    let mut seen_default = false;
    let mut parts = vec![receiver.to_string()];
    let mut forward = Vec::new();
    let mut param_docs = Vec::new();
    for p in &o.params {
        if p.doc.trim().is_empty() {
            return err(format!("{at}, parameter `{}`: every parameter needs a doc", p.name));
        }
        match &p.default {
            Some(_) => seen_default = true,
            None if seen_default => {
                return err(format!("{at}: required parameter `{}` follows one with a default", p.name));
            }
            None => {}
        }
        parts.push(py_param(&p.name, &p.ty, p.default.as_deref()));
        forward.push(format!("{0}={0}", p.name));
        param_docs.push((p.name.clone(), p.doc.trim().to_string()));
    }
    if let Some(k) = &o.kwargs {
        parts.push(format!("**{}: {}", k.name, k.ty));
        forward.push(format!("**{}", k.name));
        param_docs.push((format!("**{}", k.name), k.doc.trim().to_string()));
    }
    let mut overloads = Vec::new();
    for v in &o.overloads {
        for name in v.when.keys() {
            if !o.params.iter().any(|p| &p.name == name) {
                return err(format!("{at}: overload narrows `{name}`, which is not a parameter"));
            }
        }
        // A narrowed parameter whose default its new annotation does not admit becomes
        // keyword-only and required, so the variants never overlap.
        let mut parts = vec![receiver.to_string()];
        let mut keyword_only = false;
        for p in &o.params {
            let Some(narrow) = v.when.get(&p.name) else {
                parts.push(py_param(&p.name, &p.ty, p.default.as_deref()));
                continue;
            };
            let admits_default = p.default.as_deref().is_some_and(|d| narrow.contains(&format!("[{}]", d.trim())));
            if admits_default {
                parts.push(py_param(&p.name, narrow, p.default.as_deref()));
            } else {
                if !keyword_only {
                    parts.push("*".to_string());
                    keyword_only = true;
                }
                parts.push(py_param(&p.name, narrow, None));
            }
        }
        if let Some(k) = &o.kwargs {
            parts.push(format!("**{}: {}", k.name, k.ty));
        }
        overloads.push(OverloadView { signature: parts.join(", "), returns: v.returns.clone() });
    }
    Ok(ModelOpView {
        name: o.name.clone(),
        async_name: format!("{ASYNC_PREFIX}{}", o.name),
        core: o.core.clone(),
        core_module: MODEL_CORE.to_string(),
        call: first.to_string(),
        async_call: format!("{ASYNC_PREFIX}{first}"),
        choices: if names.len() > 1 { names.iter().map(|n| (n.to_string(), format!("{ASYNC_PREFIX}{n}"))).collect() } else { Vec::new() },
        fails: o.fails,
        steps: o.steps,
        call_returns_none: target.returns == "None",
        repeats: o.repeat,
        doc: o.doc.trim().to_string(),
        is_classmethod: o.receiver == Receiver::Class,
        receiver: receiver.to_string(),
        signature: parts.join(", "),
        forward: forward.join(", "),
        returns,
        async_returns,
        result,
        overloads,
        param_docs,
    })
}

// --- class pairs -------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct ClassPairView {
    pub name: String,
    pub async_name: String,
    pub doc: String,
    /// The base class's name (imported from its module, see `Model::pair_bases`).
    pub base: String,
    /// The alias the core module is imported under.
    pub core_module: String,
    /// `(name, doc)` of the base class's public methods.
    pub local_methods: Vec<(String, String)>,
    /// Each operation's shell; its `async_name` is its name (the async class's method is
    /// the awaitable one).
    pub operations: Vec<ModelOpView>,
    pub context: Option<ContextView>,
}

#[derive(Debug, Serialize)]
pub struct ContextView {
    /// The operation called on a clean exit.
    pub exit: String,
    /// The core's function called with `(self, error)` when the block raises.
    pub on_error: String,
}

/// `pydynox._batch.writer.Base` -> (`pydynox._batch.writer`, `Base`).
fn split_qualified<'a>(path: &'a str, at: &str) -> Result<(&'a str, &'a str), SpecError> {
    match path.rsplit_once('.') {
        Some((module, name)) if !module.is_empty() && !name.is_empty() => Ok((module, name)),
        _ => err(format!("{at}: `base: {path}` must be `module.Class`")),
    }
}

/// The alias a pair's core module is imported under: `_` + its last component, leading
/// underscores dropped (a `__name` inside a class body would be name-mangled).
fn core_alias(module: &str) -> String {
    format!("_{}", module.rsplit('.').next().unwrap_or(module).trim_start_matches('_'))
}

fn class_pair(p: &ClassPairSpec, client: &[ClassView], results: &[ModelResultView]) -> Result<ClassPairView, SpecError> {
    let at = format!("class pair `{}`", p.name);
    if p.doc.trim().is_empty() {
        return err(format!("{at}: every class pair needs a doc"));
    }
    if p.name.starts_with(ASYNC_PREFIX) || p.async_name.starts_with(ASYNC_PREFIX) {
        return err(format!("{at}: spec names never start with `{ASYNC_PREFIX}`"));
    }
    let (_, base) = split_qualified(&p.base, &at)?;
    let core_module = core_alias(&p.core);
    let mut names = BTreeSet::new();
    for l in &p.local_methods {
        if l.doc.trim().is_empty() {
            return err(format!("{at}: method `{}` needs a doc", l.name));
        }
        if !names.insert(l.name.clone()) {
            return err(format!("{at}: method `{}` is defined twice", l.name));
        }
    }
    let mut operations = Vec::new();
    for o in &p.operations {
        let op_at = format!("{at}, operation `{}`", o.name);
        if o.name.starts_with(ASYNC_PREFIX) {
            return err(format!("{op_at}: spec names never start with `{ASYNC_PREFIX}`; twins are generated"));
        }
        if !names.insert(o.name.clone()) {
            return err(format!("{at}: method `{}` is defined twice", o.name));
        }
        if o.receiver != Receiver::Instance {
            return err(format!("{op_at}: a class pair's operations take `receiver: instance`"));
        }
        if o.result.is_some() || o.repeat {
            return err(format!("{op_at}: a class pair's operations return their whole answer (no `result`, no `repeat`)"));
        }
        let mut view = model_operation(o, client, results, &op_at)?;
        view.async_name = view.name.clone();
        view.async_returns = view.returns.clone();
        view.core_module = core_module.clone();
        operations.push(view);
    }
    let context = match &p.context {
        None => None,
        Some(c) => {
            let Some(exit) = p.operations.iter().find(|o| o.name == c.exit) else {
                return err(format!("{at}: `context.exit: {}` is not an operation of the pair", c.exit));
            };
            if exit.params.iter().any(|p| p.default.is_none()) || exit.kwargs.is_some() {
                return err(format!("{at}: `context.exit: {}` must be callable without arguments", c.exit));
            }
            if c.on_error.trim().is_empty() {
                return err(format!("{at}: `context.on_error` names a function of `{}`", p.core));
            }
            Some(ContextView { exit: c.exit.clone(), on_error: c.on_error.clone() })
        }
    };
    Ok(ClassPairView {
        name: p.name.clone(),
        async_name: p.async_name.clone(),
        doc: p.doc.trim().to_string(),
        base: base.to_string(),
        core_module,
        local_methods: p.local_methods.iter().map(|l| (l.name.clone(), l.doc.trim().to_string())).collect(),
        operations,
        context,
    })
}

/// The pairs' core modules (`import m as alias`) and base classes (`from m import A, B`),
/// sorted; two core modules may not share an alias.
fn pair_imports(pairs: &[ClassPairSpec]) -> Result<PairImports, SpecError> {
    let mut cores: Vec<(String, String)> = Vec::new();
    let mut bases: IndexMap<String, Vec<String>> = IndexMap::new();
    for p in pairs {
        let alias = core_alias(&p.core);
        if alias == MODEL_CORE {
            return err(format!("class pair `{}`: core `{}` would be imported as `{alias}`, the model layer's core; rename the module", p.name, p.core));
        }
        match cores.iter().find(|(_, a)| *a == alias) {
            Some((module, _)) if *module != p.core => {
                return err(format!("class pair `{}`: core `{}` and `{module}` would share the alias `{alias}`", p.name, p.core));
            }
            Some(_) => {}
            None => cores.push((p.core.clone(), alias)),
        }
        let (module, base) = split_qualified(&p.base, &format!("class pair `{}`", p.name))?;
        let names = bases.entry(module.to_string()).or_default();
        if !names.iter().any(|n| n == base) {
            names.push(base.to_string());
        }
    }
    cores.sort();
    let mut bases: Vec<(String, Vec<String>)> = bases.into_iter().collect();
    bases.sort();
    for (_, names) in &mut bases {
        names.sort();
    }
    Ok((cores, bases))
}

type PairImports = (Vec<(String, String)>, Vec<(String, Vec<String>)>);
