//! Request bodies of the multi-item operations on the direct path (ADR 12): BatchWriteItem,
//! BatchGetItem, TransactWriteItems and TransactGetItems, written from the SDK request
//! values the operations already hold (ADR 12: `prepare` builds the SDK request too, and a
//! batch re-sends its unprocessed part, so the values are kept anyway).

use aws_sdk_dynamodb::operation::transact_get_items::builders::TransactGetItemsInputBuilder;
use aws_sdk_dynamodb::operation::transact_write_items::builders::TransactWriteItemsInputBuilder;
use aws_sdk_dynamodb::types::{KeysAndAttributes, TransactWriteItem, WriteRequest};
use bytes::Bytes;

use super::body::{string, Body};
use crate::wire::Item;

fn map_json(item: &Item, out: &mut Vec<u8>) {
    if crate::wire::write::attribute_map_json(item, out).is_err() {
        // As `Body::item`: unreachable (only a newer SDK's unknown variant is refused);
        // `null` makes DynamoDB refuse the request rather than write something else.
        out.extend_from_slice(b"null");
    }
}

/// `{"RequestItems":{"<table>":[{"PutRequest":{"Item":...}},{"DeleteRequest":{"Key":...}}]},
/// "ReturnConsumedCapacity":"TOTAL"}`.
pub fn batch_write<'a>(table: &str, writes: impl Iterator<Item = &'a WriteRequest>) -> Bytes {
    let mut out = Vec::with_capacity(8 * 1024);
    out.extend_from_slice(b"{\"RequestItems\":{");
    string(table, &mut out);
    out.extend_from_slice(b":[");
    for (i, w) in writes.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match (&w.put_request, &w.delete_request) {
            (Some(put), _) => {
                out.extend_from_slice(b"{\"PutRequest\":{\"Item\":");
                map_json(&put.item, &mut out);
                out.extend_from_slice(b"}}");
            }
            (None, Some(delete)) => {
                out.extend_from_slice(b"{\"DeleteRequest\":{\"Key\":");
                map_json(&delete.key, &mut out);
                out.extend_from_slice(b"}}");
            }
            // Not built by batch_write's prepare; DynamoDB refuses an empty write request.
            (None, None) => out.extend_from_slice(b"{}"),
        }
    }
    out.extend_from_slice(b"]},\"ReturnConsumedCapacity\":\"TOTAL\"}");
    Bytes::from(out)
}

/// `{"RequestItems":{"<table>":{"Keys":[...],...}},"ReturnConsumedCapacity":"TOTAL"}`.
pub fn batch_get(table: &str, request: &KeysAndAttributes) -> Bytes {
    let mut keys = Vec::with_capacity(64 * request.keys.len() + 2);
    keys.push(b'[');
    for (i, key) in request.keys.iter().enumerate() {
        if i > 0 {
            keys.push(b',');
        }
        map_json(key, &mut keys);
    }
    keys.push(b']');
    let mut inner = Body::new();
    inner
        .raw("Keys", &keys)
        .bool("ConsistentRead", request.consistent_read)
        .str("ProjectionExpression", request.projection_expression.as_deref())
        .names("ExpressionAttributeNames", request.expression_attribute_names.as_ref());
    if let Some(names) = &request.attributes_to_get {
        inner.raw("AttributesToGet", &string_list(names));
    }
    let inner = inner.finish();
    let mut tables = Vec::with_capacity(inner.len() + table.len() + 4);
    tables.push(b'{');
    string(table, &mut tables);
    tables.push(b':');
    tables.extend_from_slice(&inner);
    tables.push(b'}');
    let mut body = Body::new();
    body.raw("RequestItems", &tables).str("ReturnConsumedCapacity", Some("TOTAL"));
    body.finish()
}

fn string_list(values: &[String]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(v, &mut out);
    }
    out.push(b']');
    out
}

/// `[{"<Kind>":{...}},...]` from one JSON object per operation.
fn operations(ops: impl Iterator<Item = (&'static str, Bytes)>) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, (kind, op)) in ops.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        string(kind, &mut out);
        out.push(b':');
        out.extend_from_slice(&op);
        out.push(b'}');
    }
    out.push(b']');
    out
}

/// The fields every transactional write shares after its own: the condition, its names and
/// values, and what to return when it fails. A macro, as the SDK's four types share field
/// names but no trait.
macro_rules! conditions {
    ($b:expr, $op:expr, $condition:expr) => {
        $b.str("ConditionExpression", $condition)
            .names("ExpressionAttributeNames", $op.expression_attribute_names.as_ref())
            .item("ExpressionAttributeValues", $op.expression_attribute_values.as_ref())
            .str("ReturnValuesOnConditionCheckFailure", $op.return_values_on_condition_check_failure.as_ref().map(|r| r.as_str()))
    };
}

fn transact_write_item(w: &TransactWriteItem) -> (&'static str, Bytes) {
    let mut b = Body::new();
    let kind = if let Some(p) = &w.put {
        conditions!(b.str("TableName", Some(&p.table_name)).item("Item", Some(&p.item)), p, p.condition_expression.as_deref());
        "Put"
    } else if let Some(d) = &w.delete {
        conditions!(b.str("TableName", Some(&d.table_name)).item("Key", Some(&d.key)), d, d.condition_expression.as_deref());
        "Delete"
    } else if let Some(u) = &w.update {
        let head = b.str("TableName", Some(&u.table_name)).item("Key", Some(&u.key)).str("UpdateExpression", Some(&u.update_expression));
        conditions!(head, u, u.condition_expression.as_deref());
        "Update"
    } else if let Some(c) = &w.condition_check {
        conditions!(b.str("TableName", Some(&c.table_name)).item("Key", Some(&c.key)), c, Some(c.condition_expression.as_str()));
        "ConditionCheck"
    } else {
        // Not built by transact_write's prepare: an empty operation DynamoDB refuses.
        "Put"
    };
    (kind, b.finish())
}

/// `{"TransactItems":[{"Put":{...}},...],"ClientRequestToken":"...","ReturnConsumedCapacity":"TOTAL"}`.
pub fn transact_write(request: &TransactWriteItemsInputBuilder) -> Bytes {
    let items = request.get_transact_items().as_deref().unwrap_or_default();
    let mut body = Body::new();
    body.raw("TransactItems", &operations(items.iter().map(transact_write_item)))
        .str("ReturnConsumedCapacity", request.get_return_consumed_capacity().as_ref().map(|c| c.as_str()))
        .str("ReturnItemCollectionMetrics", request.get_return_item_collection_metrics().as_ref().map(|c| c.as_str()))
        .str("ClientRequestToken", request.get_client_request_token().as_deref());
    body.finish()
}

/// `{"TransactItems":[{"Get":{...}},...],"ReturnConsumedCapacity":"TOTAL"}`.
pub fn transact_get(request: &TransactGetItemsInputBuilder) -> Bytes {
    let items = request.get_transact_items().as_deref().unwrap_or_default();
    let gets = items.iter().filter_map(|t| t.get.as_ref()).map(|g| {
        let mut b = Body::new();
        b.str("TableName", Some(&g.table_name))
            .item("Key", Some(&g.key))
            .str("ProjectionExpression", g.projection_expression.as_deref())
            .names("ExpressionAttributeNames", g.expression_attribute_names.as_ref());
        ("Get", b.finish())
    });
    let mut body = Body::new();
    body.raw("TransactItems", &operations(gets))
        .str("ReturnConsumedCapacity", request.get_return_consumed_capacity().as_ref().map(|c| c.as_str()));
    body.finish()
}

/// A random (version 4) UUID, as the SDK makes idempotency tokens: a transaction sent
/// without `client_request_token` gets one in `prepare`, so every attempt of the call
/// (either path's retries) carries the same token, as the SDK sets it once per operation.
pub fn idempotency_token() -> String {
    let mut hex = format!("{:032x}", fastrand::u128(..)).into_bytes();
    hex[12] = b'4';
    hex[16] = b"89ab"[(hex[16] as usize) % 4];
    let s = String::from_utf8(hex).expect("hex digits are ASCII");
    format!("{}-{}-{}-{}-{}", &s[0..8], &s[8..12], &s[12..16], &s[16..20], &s[20..32])
}
