//! Polls DescribeTable until the table and all its global indexes are ACTIVE.

use std::time::{Duration, Instant};

use std::sync::Arc;

use aws_sdk_dynamodb::types::{IndexStatus, TableStatus};
use aws_sdk_dynamodb::Client;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::client::{ClientShared, DynamoDBClient};
use crate::errors::{Error, ErrorKind};

const DEFAULT_TIMEOUT_SECONDS: i64 = 300;
const POLL: Duration = Duration::from_millis(250);

pub struct Prepared {
    shared: Arc<ClientShared>,
    table_name: String,
    timeout: Duration,
}

pub fn prepare(client: &DynamoDBClient, _py: Python<'_>, table_name: String, timeout_seconds: Option<i64>) -> PyResult<Prepared> {
    let secs = timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
    if secs < 0 {
        return Err(PyValueError::new_err(format!("timeout_seconds must not be negative, got {secs}")));
    }
    Ok(Prepared { shared: client.shared.clone(), table_name, timeout: Duration::from_secs(secs as u64) })
}

/// Shared with create_table(wait=True).
pub async fn wait_active(sdk: &Client, table_name: &str, timeout: Duration) -> Result<(), Error> {
    let deadline = Instant::now() + timeout;
    loop {
        let out = sdk.describe_table().table_name(table_name).send().await?;
        if let Some(t) = out.table() {
            let gsis_active = t.global_secondary_indexes().iter().all(|g| g.index_status() == Some(&IndexStatus::Active));
            if t.table_status() == Some(&TableStatus::Active) && gsis_active {
                return Ok(());
            }
        }
        if Instant::now() + POLL > deadline {
            return Err(Error::new(ErrorKind::Timeout, format!("table '{table_name}' was not ACTIVE within {} s", timeout.as_secs())));
        }
        tokio::time::sleep(POLL).await;
    }
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let sdk = p.shared.sdk_here().await?;
    wait_active(&sdk, &p.table_name, p.timeout).await
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
