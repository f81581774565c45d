//! Polls DescribeTable until the table and all its global indexes are ACTIVE.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{IndexStatus, TableStatus};
use pyo3::prelude::*;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::{Error, ErrorKind};
use crate::ops::send::{About, Call};

const DEFAULT_TIMEOUT_SECONDS: i64 = 300;
const POLL: Duration = Duration::from_millis(250);

pub struct Prepared {
    call: Call,
    table_name: String,
    timeout: Duration,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String, timeout_seconds: Option<i64>) -> PyResult<Prepared> {
    let secs = timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
    if !(0..=crate::client::MAX_TIMEOUT_SECONDS as i64).contains(&secs) {
        return Err(crate::errors::invalid(format!(
            "timeout_seconds must be between 0 and {} (one year), got {secs}",
            crate::client::MAX_TIMEOUT_SECONDS as i64
        )));
    }
    let call = Call::new(&client.shared, "wait_for_table_active", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name, timeout: Duration::from_secs(secs as u64) })
}

/// Shared with create_table(wait=True), whose `call` names the errors.
pub async fn wait_active(call: &Call, table_name: &str, timeout: Duration) -> Result<(), Error> {
    // `timeout` is at most a year (checked by `prepare`); the checked addition means even a
    // clock near its end cannot make this panic.
    let now = Instant::now();
    let deadline = now.checked_add(timeout).unwrap_or(now);
    loop {
        let (out, _) = call.send_sdk("DescribeTable", |sdk| async move { sdk.describe_table().table_name(table_name).send().await }).await?;
        if let Some(t) = out.table() {
            let gsis_active = t.global_secondary_indexes().iter().all(|g| g.index_status() == Some(&IndexStatus::Active));
            if t.table_status() == Some(&TableStatus::Active) && gsis_active {
                return Ok(());
            }
        }
        if Instant::now().checked_add(POLL).is_none_or(|next| next > deadline) {
            return Err(call.fail(Error::new(ErrorKind::Timeout, format!("table '{table_name}' was not ACTIVE within {} s", timeout.as_secs()))));
        }
        tokio::time::sleep(POLL).await;
    }
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    wait_active(&p.call, &p.table_name, p.timeout).await
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
