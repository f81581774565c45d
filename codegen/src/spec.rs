//! The spec as written in `spec/*.yaml`: plain serde structs, nothing derived.
//!
//! Every struct denies unknown fields so a typo in the spec fails the build with the
//! offending key named, instead of being silently ignored.

use indexmap::IndexMap;
use serde::Deserialize;

/// One spec file. Each file may hold any of the sections; `load` merges them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Python annotation of a parameter -> the Rust type PyO3 extracts it into.
    #[serde(default)]
    pub param_types: IndexMap<String, String>,
    /// Python annotation of a result field -> the Rust type stored in the result struct.
    #[serde(default)]
    pub field_types: IndexMap<String, String>,
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    #[serde(default)]
    pub records: Vec<RecordSpec>,
    #[serde(default)]
    pub pagers: Vec<PagerSpec>,
    #[serde(default)]
    pub python_types: Vec<PythonTypeSpec>,
    #[serde(default)]
    pub classes: Vec<ClassSpec>,
    /// Result class pairs of the model layer (spec/model.yaml).
    #[serde(default)]
    pub model_results: Vec<ModelResultSpec>,
    /// Classes of the model layer whose I/O methods are generated as Python (ADR 5).
    #[serde(default)]
    pub model_classes: Vec<ModelClassSpec>,
    /// Annotation name -> module the generated Python imports it from (type checking only).
    #[serde(default)]
    pub model_imports: IndexMap<String, String>,
    /// Sync/async class pairs (a writer, a transaction) generated over one I/O-free core.
    #[serde(default)]
    pub class_pairs: Vec<ClassPairSpec>,
}

/// A Python exception class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    pub name: String,
    /// Another error of the spec, or `Exception`.
    pub base: String,
    pub doc: String,
    /// Extra attributes set on instances (documented in the stubs).
    #[serde(default)]
    pub attributes: Vec<FieldSpec>,
}

/// A plain result class: immutable fields, built by the Rust core.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
}

/// A result class written in Python (under `python/`), which operations may return.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonTypeSpec {
    pub name: String,
    /// Module that defines it, e.g. `pydynox._results`; the stubs import it from there.
    pub module: String,
    pub doc: String,
}

/// A lazy, paginated result: one sync iterator class and its async twin over one core.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerSpec {
    pub name: String,
    pub async_name: String,
    /// Rust path of the hand-written core both classes wrap.
    pub core: String,
    /// Python annotation of one yielded element.
    pub item: String,
    pub doc: String,
    #[serde(default)]
    pub properties: Vec<FieldSpec>,
}

/// A Python class whose methods are generated (sync + `async_` twin per operation).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub name: String,
    pub doc: String,
    /// Rust module holding the class struct and its hand-written helpers.
    pub rust_module: String,
    pub constructor: ConstructorSpec,
    /// Methods that do no I/O and so have no twin (accessors, repr-like helpers).
    #[serde(default)]
    pub local_methods: Vec<LocalMethodSpec>,
    /// Read-only attributes that do no I/O, each read by `<rust_module>::<name>(self, py)`.
    #[serde(default)]
    pub properties: Vec<FieldSpec>,
    pub operations: Vec<OperationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstructorSpec {
    pub doc: String,
    pub params: Vec<ParamSpec>,
    /// Parameters the core's `new` takes gathered into one struct (settings several
    /// classes share), passed after the others.
    #[serde(default)]
    pub settings: Option<SettingsSpec>,
}

/// `rust_type { a, b, ... }` built from the constructor parameters `params` by the
/// generated `__new__` (each a field of the same name).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsSpec {
    pub rust_type: String,
    pub params: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalMethodSpec {
    pub name: String,
    pub doc: String,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    pub returns: String,
}

/// One I/O operation. It becomes `name` (sync) and `async_<name>` (awaitable).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// The Python name, spelled out; never derived from anything.
    pub name: String,
    /// Module under `src/ops/` with `prepare`, `execute` and `convert`.
    pub core: String,
    pub doc: String,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    /// Python annotation of the result (what the async twin's awaitable resolves to).
    #[serde(default)]
    pub returns: Option<String>,
    /// Set instead of `returns` for lazily paginated operations: names a pager, and the
    /// call returns its sync or async class without doing I/O.
    #[serde(default)]
    pub pager: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// The Python default, written as Python source (`None`, `False`, `'PAY_PER_REQUEST'`).
    #[serde(default)]
    pub default: Option<String>,
    pub doc: String,
}

/// A pair of lazy result classes of the model layer (`ModelQueryResult` /
/// `AsyncModelQueryResult`), generated from one template macro.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelResultSpec {
    pub name: String,
    pub async_name: String,
    pub doc: String,
}

/// A model-layer class (`Model`, an index): its generated I/O methods live in a mixin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelClassSpec {
    pub name: String,
    /// Name of the generated mixin class the hand-written class inherits.
    pub mixin: String,
    pub doc: String,
    /// Public methods written by hand (no I/O, no twin); listed so the parity test knows
    /// every public name.
    #[serde(default)]
    pub local_methods: Vec<ModelLocalSpec>,
    pub operations: Vec<ModelOperationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLocalSpec {
    pub name: String,
    pub doc: String,
}

/// What a model operation is called on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Receiver {
    /// `model.save()`
    Instance,
    /// `Model.get(...)`: a classmethod.
    Class,
    /// `Model.by_email.query(...)`: a method of the index object.
    Index,
}

/// One model operation: `plan_<core>` / `finish_<core>` in pydynox/_model/core.py around
/// one call of the client operation `call`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelOperationSpec {
    pub name: String,
    /// Spelled `receiver`, not `on`: YAML 1.1 readers (PyYAML) take a bare `on` key for `true`.
    pub receiver: Receiver,
    pub core: String,
    /// The client operation the shells call (`put_item` / `async_put_item`); or a list of
    /// them, of which the plan names one in `plan.call` (e.g. an upload from a file or
    /// from bytes). Every choice must return the same type.
    pub call: Calls,
    pub doc: String,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    /// A `**name` catch-all parameter after the declared ones.
    #[serde(default)]
    pub kwargs: Option<KwargsSpec>,
    /// Python annotation of the result; or `result` for a lazily paginated operation.
    #[serde(default)]
    pub returns: Option<String>,
    /// Names a `model_results` pair: the call returns its sync or async class.
    #[serde(default)]
    pub result: Option<String>,
    /// `typing.overload` variants: parameter annotations to narrow, and the return.
    #[serde(default)]
    pub overloads: Vec<OverloadSpec>,
    /// The client call returns one page (e.g. PartiQL's `next_token`): the shell calls it
    /// again while `more_<core>(plan, answer)` is true, which keeps that page and points
    /// `plan.args` at the next one; `finish_<core>` gets the last page.
    #[serde(default)]
    pub repeat: bool,
    /// The client call's exceptions pass through `fail_<core>(plan, error)`, which may raise
    /// the one the caller sees instead (e.g. naming the attribute); if it returns, the
    /// original exception propagates unchanged.
    #[serde(default)]
    pub fails: bool,
    /// The plan may hold service calls (S3, KMS) around the client call: the shell runs
    /// `before_steps(plan)` before it, `undo_steps(plan, error)` then `fail_steps(plan, error)`
    /// when anything up to it fails, and `after_steps(plan, answer)` once it succeeded;
    /// each step is a twinned call (`step.op` / `step.async_op`) on `step.target`.
    #[serde(default)]
    pub steps: bool,
}

/// One client operation, or a choice the plan makes between several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Calls {
    One(String),
    Choice(Vec<String>),
}

impl Calls {
    pub fn names(&self) -> Vec<&str> {
        match self {
            Calls::One(c) => vec![c.as_str()],
            Calls::Choice(cs) => cs.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KwargsSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverloadSpec {
    /// Parameter name -> its narrowed annotation in this variant (e.g. `Literal[True]`).
    pub when: IndexMap<String, String>,
    pub returns: String,
}

/// A pair of Python classes, one sync and one async (`BatchWriter` / `AsyncBatchWriter`),
/// generated into the model layer's module. Both subclass one hand-written `base` (state,
/// `__init__`, and the methods that do no I/O, identical in both). Each operation is a
/// shell around `plan_<core>` / `finish_<core>` of the pair's `core` module, exactly as a
/// model operation's (same keys, `receiver: instance`); the async class's method has the
/// same name and is awaitable. With `context`, both classes are context managers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPairSpec {
    pub name: String,
    pub async_name: String,
    pub doc: String,
    /// The hand-written base class both twins inherit, as `module.Class`.
    pub base: String,
    /// The Python module with the operations' `plan_<core>` / `finish_<core>` and the hooks.
    pub core: String,
    /// Public methods of the base class (no I/O, the same in both twins); listed so the
    /// parity test knows every public name.
    #[serde(default)]
    pub local_methods: Vec<ModelLocalSpec>,
    #[serde(default)]
    pub operations: Vec<ModelOperationSpec>,
    #[serde(default)]
    pub context: Option<ContextSpec>,
}

/// `with` / `async with` for a class pair: `__enter__`/`__exit__` on the sync class,
/// `__aenter__`/`__aexit__` on the async one, each returning the instance on entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// The pair's operation called (awaited, in the async class) when the block ends cleanly.
    pub exit: String,
    /// Function of the pair's `core` called as `<on_error>(self, error)` when the block
    /// raises; the block's exception then propagates unchanged.
    pub on_error: String,
}
