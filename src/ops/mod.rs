//! One module per operation of spec/client.yaml. Each has the three parts the generated
//! twins call: `prepare` (GIL held: Python arguments -> SDK request), `execute` (async,
//! no Python), `convert` (GIL held: result -> Python object).

pub mod args;
pub mod metrics;
pub mod retry;

pub mod batch_get;
pub mod batch_write;
pub mod count;
pub mod create_table;
pub mod delete_item;
pub mod delete_table;
pub mod describe_time_to_live;
pub mod execute_statement;
pub mod get_item;
pub mod parallel_scan;
pub mod ping;
pub mod put_item;
pub mod query;
pub mod scan;
pub mod table_exists;
pub mod transact_get;
pub mod transact_write;
pub mod update_item;
pub mod update_time_to_live;
pub mod wait_for_table_active;
