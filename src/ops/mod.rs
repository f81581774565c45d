//! One module per operation of spec/client.yaml. Each has the three parts the generated
//! twins call: `prepare` (GIL held: Python arguments -> SDK request), `execute` (async,
//! no Python), `convert` (GIL held: result -> Python object).
//!
//! The operations' modules are declared by build.rs from the spec's `core:` entries (after
//! checking that each file exists with those functions); only shared helpers are listed here.

pub mod args;
pub mod batch_backoff;
pub mod metrics;
pub mod projection;

include!(concat!(env!("OUT_DIR"), "/op_modules.rs"));
