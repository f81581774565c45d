//! Polls DescribeTable until the table and all its global indexes are ACTIVE.

use std::time::{Duration, Instant};

use std::sync::Arc;

use aws_sdk_dynamodb::types::{IndexStatus, TableStatus};
use aws_sdk_dynamodb::Client;
use pyo3::prelude::*;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{on_table, Error, ErrorKind};

const DEFAULT_TIMEOUT_SECONDS: i64 = 300;
const POLL: Duration = Duration::from_millis(250);

pub struct Prepared {
    shared: Arc<ClientShared>,
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
    Ok(Prepared { shared: client.shared.clone(), table_name, timeout: Duration::from_secs(secs as u64) })
}

/// Shared with create_table(wait=True).
pub async fn wait_active(sdk: &Client, table_name: &str, timeout: Duration) -> Result<(), Error> {
    // `timeout` is at most a year (checked by `prepare`); the checked addition means even a
    // clock near its end cannot make this panic.
    let now = Instant::now();
    let deadline = now.checked_add(timeout).unwrap_or(now);
    loop {
        let out = sdk.describe_table().table_name(table_name).send().await?;
        if let Some(t) = out.table() {
            let gsis_active = t.global_secondary_indexes().iter().all(|g| g.index_status() == Some(&IndexStatus::Active));
            if t.table_status() == Some(&TableStatus::Active) && gsis_active {
                return Ok(());
            }
        }
        if Instant::now().checked_add(POLL).is_none_or(|next| next > deadline) {
            return Err(Error::new(ErrorKind::Timeout, format!("table '{table_name}' was not ACTIVE within {} s", timeout.as_secs())));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn run(p: Prepared) -> Result<(), Error> {
    let sdk = p.shared.sdk_here().await?;
    wait_active(&sdk, &p.table_name, p.timeout).await
}

/// Runs the call; an error names the operation and what it was about.
pub async fn execute(p: Prepared) -> Result<(), Error> {
    let shared = p.shared.clone();
    let what = p.table_name.clone();
    run(p).await.map_err(|e| e.during(&shared, || on_table("wait_for_table_active", &what, None)))
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
