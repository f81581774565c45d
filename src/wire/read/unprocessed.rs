//! A BatchWriteItem response's `UnprocessedItems`, read without the GIL into the SDK's
//! `WriteRequest`s, so they can be matched back to the writes sent (DynamoDB hands back the
//! requests as they were sent). Both request paths read the body with this one reader.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use serde::Deserialize;

use super::key::WireItem;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAnswer {
    unprocessed_items: Option<HashMap<String, Vec<WireWrite>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireWrite {
    put_request: Option<WirePut>,
    delete_request: Option<WireDelete>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WirePut {
    item: WireItem,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireDelete {
    key: WireItem,
}

/// The writes `table`'s entry of `UnprocessedItems` hands back (none when absent or empty).
pub fn unprocessed_writes(body: &[u8], table: &str) -> Result<Vec<WriteRequest>, String> {
    let answer: WireAnswer = serde_json::from_slice(body).map_err(|e| format!("unreadable response from DynamoDB: {e}"))?;
    let Some(writes) = answer.unprocessed_items.and_then(|mut u| u.remove(table)) else {
        return Ok(Vec::new());
    };
    Ok(writes
        .into_iter()
        .map(|w| {
            WriteRequest::builder()
                .set_put_request(w.put_request.and_then(|p| PutRequest::builder().set_item(Some(p.item.0)).build().ok()))
                .set_delete_request(w.delete_request.and_then(|d| DeleteRequest::builder().set_key(Some(d.key.0)).build().ok()))
                .build()
        })
        .collect())
}
