//! One module per operation of spec/client.yaml. Each has the three parts the generated
//! twins call: `prepare` (GIL held: Python arguments -> SDK request), `execute` (async,
//! no Python), `convert` (GIL held: result -> Python object). Every request goes through
//! the send layer (`send.rs`: path, SDK client, timings, error context, metrics); pages of
//! Query and Scan through the page layer (`page.rs`) on top of it.
//!
//! The operations' modules are declared by build.rs from the spec's `core:` entries (after
//! checking that each file exists with those functions); only shared helpers are listed here.

pub mod args;
pub mod batch_backoff;
pub mod key_schema;
pub mod flow_hook;
pub mod metrics;
pub mod page;
pub mod projection;
pub mod send;

include!(concat!(env!("OUT_DIR"), "/op_modules.rs"));
