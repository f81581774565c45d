//! Which attributes make a resume key for a read of a table or one of its indexes, when no
//! page of that read has said so (issue 15 item 5). A page's LastEvaluatedKey names them
//! (the pager uses those names first); only when the page being handed out is the last and
//! none before it had a key does the pager need the table's description: one DescribeTable
//! per client and table, cached (`crate::client::key_schemas`), dropped when a request finds
//! the table gone (`Call::forget_key_schema`).

use crate::client::key_schemas::TableKeys;
use crate::errors::{Error, ErrorKind};
use crate::ops::send::Call;

/// The attribute names of a resume key for `table` (read through `index`, if any): the
/// index's key attributes then the table's. DescribeTable is sent at most once per client
/// and table, by the first caller that needs it, whatever the number of callers.
pub async fn resume_names(call: &Call, table: &str, index: Option<&str>) -> Result<Vec<String>, Error> {
    let keys = call.key_schemas().get(table, || describe(call, table)).await?;
    keys.resume_names(index).ok_or_else(|| {
        let index = index.unwrap_or_default();
        call.fail(Error::new(ErrorKind::ResourceNotFound, format!("index '{index}' is not in the description of table '{table}'")))
    })
}

async fn describe(call: &Call, table: &str) -> Result<TableKeys, Error> {
    let name = table.to_owned();
    let (out, _) = call.send_sdk("DescribeTable", |sdk| async move { sdk.describe_table().table_name(name).send().await }).await?;
    match out.table() {
        Some(t) => Ok(TableKeys::from_description(t)),
        None => Err(call.fail(Error::new(ErrorKind::Service, "DescribeTable returned no table description"))),
    }
}
