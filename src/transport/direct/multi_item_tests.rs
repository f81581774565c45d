//! The batch and transaction operations on the direct path read and write what the SDK
//! does: each request body equals (as JSON) the one the SDK sends for the same request,
//! `UnprocessedItems` decodes to the SDK's `WriteRequest`s, and a cancelled transaction's
//! `CancellationReasons` to the SDK's reasons (so the Python exception is the same).

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsInput;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, DeleteRequest, Get, KeysAndAttributes, Put, PutRequest, ReturnConsumedCapacity,
    ReturnValuesOnConditionCheckFailure, TransactGetItem, TransactWriteItem, Update, WriteRequest,
};
use bytes::Bytes;
use proptest::prelude::*;

use super::error_body;
use super::tests::{capturing_config, Capture};
use crate::wire::read::tests::{item, rt, sdk};
use crate::wire::write::multi_body;

type Item = HashMap<String, AttributeValue>;

/// A client whose requests are captured, not sent.
fn capturing() -> (aws_sdk_dynamodb::Client, Capture) {
    let capture = Capture::default();
    let conf = capturing_config(&capture).build();
    (aws_sdk_dynamodb::Client::from_conf(conf), capture)
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

fn sent(capture: &Capture) -> serde_json::Value {
    let (_, body) = capture.0.lock().unwrap().take().expect("a request was sent");
    json(&body)
}

fn key(pk: &str) -> Item {
    [("pk".to_string(), AttributeValue::S(pk.into()))].into()
}

fn put(item: Item) -> WriteRequest {
    WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().unwrap()).build()
}

fn delete(key: Item) -> WriteRequest {
    WriteRequest::builder().delete_request(DeleteRequest::builder().set_key(Some(key)).build().unwrap()).build()
}

fn names() -> HashMap<String, String> {
    [("#n".to_string(), "n".to_string()), ("#q\"".to_string(), "quote\"d".to_string())].into()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn batch_write_bodies_are_the_sdks(items in proptest::collection::vec(item(), 1..5)) {
        let writes: Vec<WriteRequest> = items.iter().cloned().map(put).chain([delete(key("gone"))]).collect();
        let (client, capture) = capturing();
        let _ = rt().block_on(client.batch_write_item().request_items("t\"able", writes.clone()).return_consumed_capacity(ReturnConsumedCapacity::Total).send());
        prop_assert_eq!(json(&multi_body::batch_write("t\"able", writes.iter())), sent(&capture));
    }

    #[test]
    fn unprocessed_items_read_as_the_sdk_reads_them(items in proptest::collection::vec(item(), 0..4)) {
        let writes: Vec<WriteRequest> = items.iter().cloned().map(put).chain([delete(key("gone"))]).collect();
        let (client, capture) = capturing();
        let _ = rt().block_on(client.batch_write_item().request_items("t", writes.clone()).send());
        let request = sent(&capture);
        let body = serde_json::json!({ "UnprocessedItems": request["RequestItems"], "ConsumedCapacity": [{ "TableName": "t", "CapacityUnits": 3.0 }] });
        let body = Bytes::from(serde_json::to_vec(&body).unwrap());
        let out = rt().block_on(sdk(vec![(200, body.clone())]).batch_write_item().send()).expect("the SDK reads it");
        let theirs = out.unprocessed_items().and_then(|u| u.get("t")).cloned().unwrap_or_default();
        prop_assert_eq!(crate::wire::read::unprocessed_writes(&body, "t").unwrap(), theirs.clone());
        prop_assert_eq!(theirs, writes);
    }
}

#[test]
fn no_unprocessed_items_is_an_empty_list() {
    assert_eq!(crate::wire::read::unprocessed_writes(br#"{"UnprocessedItems":{}}"#, "t").unwrap(), vec![]);
    assert_eq!(crate::wire::read::unprocessed_writes(br#"{}"#, "t").unwrap(), vec![]);
    assert!(crate::wire::read::unprocessed_writes(b"<html>", "t").is_err());
}

#[test]
fn batch_get_bodies_are_the_sdks() {
    let keys = vec![key("a"), key("b\u{e9}")];
    for consistent in [None, Some(true)] {
        for projected in [false, true] {
            let mut request = KeysAndAttributes::builder().set_keys(Some(keys.clone())).set_consistent_read(consistent);
            if projected {
                request = request.projection_expression("#n, #q\"").set_expression_attribute_names(Some(names()));
            }
            let request = request.build().unwrap();
            let (client, capture) = capturing();
            let _ = rt().block_on(client.batch_get_item().request_items("t", request.clone()).return_consumed_capacity(ReturnConsumedCapacity::Total).send());
            assert_eq!(json(&multi_body::batch_get("t", &request)), sent(&capture));
        }
    }
}

fn values() -> Item {
    [(":v".to_string(), AttributeValue::N("1".into())), (":s".to_string(), AttributeValue::Ss(vec!["a".into(), "b".into()]))].into()
}

#[test]
fn transact_write_bodies_are_the_sdks() {
    let ops = vec![
        TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name("a")
                    .set_item(Some(key("p")))
                    .condition_expression("attribute_not_exists(#n)")
                    .set_expression_attribute_names(Some(names()))
                    .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                    .build()
                    .unwrap(),
            )
            .build(),
        TransactWriteItem::builder().delete(Delete::builder().table_name("b").set_key(Some(key("d"))).build().unwrap()).build(),
        TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name("a")
                    .set_key(Some(key("u")))
                    .update_expression("SET #n = :v ADD s :s")
                    .set_expression_attribute_names(Some(names()))
                    .set_expression_attribute_values(Some(values()))
                    .build()
                    .unwrap(),
            )
            .build(),
        TransactWriteItem::builder()
            .condition_check(
                ConditionCheck::builder()
                    .table_name("a")
                    .set_key(Some(key("c")))
                    .condition_expression("#n > :v")
                    .set_expression_attribute_names(Some(names()))
                    .set_expression_attribute_values(Some(values()))
                    .build()
                    .unwrap(),
            )
            .build(),
    ];
    let request = TransactWriteItemsInput::builder()
        .client_request_token(multi_body::idempotency_token())
        .set_transact_items(Some(ops))
        .return_consumed_capacity(ReturnConsumedCapacity::Total);
    let (client, capture) = capturing();
    let _ = rt().block_on(request.clone().send_with(&client));
    assert_eq!(json(&multi_body::transact_write(&request)), sent(&capture));
}

#[test]
fn transact_get_bodies_are_the_sdks() {
    let gets = vec![
        TransactGetItem::builder().get(Get::builder().table_name("a").set_key(Some(key("x"))).build().unwrap()).build(),
        TransactGetItem::builder()
            .get(Get::builder().table_name("b").set_key(Some(key("y"))).projection_expression("#n").set_expression_attribute_names(Some(names())).build().unwrap())
            .build(),
    ];
    let request = TransactGetItemsInput::builder().set_transact_items(Some(gets)).return_consumed_capacity(ReturnConsumedCapacity::Total);
    let (client, capture) = capturing();
    let _ = rt().block_on(request.clone().send_with(&client));
    assert_eq!(json(&multi_body::transact_get(&request)), sent(&capture));
}

#[test]
fn idempotency_tokens_are_version_4_uuids() {
    let a = multi_body::idempotency_token();
    assert_ne!(a, multi_body::idempotency_token());
    assert_eq!(a.len(), 36);
    let parts: Vec<&str> = a.split('-').collect();
    assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
    assert!(parts[2].starts_with('4') && "89ab".contains(&parts[3][..1]), "{a}");
}

#[test]
fn cancellation_reasons_read_as_the_sdk_reads_them() {
    let body = serde_json::json!({
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
        "CancellationReasons": [
            { "Code": "None" },
            { "Code": "ConditionalCheckFailed", "Message": "The conditional request failed", "Item": { "pk": { "S": "g" }, "n": { "N": "1" } } },
            { "Code": "ValidationError", "Message": "bad" },
        ],
    });
    let body = Bytes::from(serde_json::to_vec(&body).unwrap());
    let sdk_error = rt().block_on(sdk(vec![(400, body.clone())]).transact_write_items().send()).expect_err("cancelled");
    let theirs = crate::errors::Error::from(sdk_error);
    let ours = error_body::parse(None, &body);
    assert_eq!(theirs.kind, crate::errors::ErrorKind::TransactionCanceled);
    assert_eq!(theirs.reasons.len(), 3);
    assert_eq!(ours.reasons, theirs.reasons);
    assert_eq!(ours.message.as_deref(), Some(theirs.message.as_str()));
    // A damaged reason list loses only the reasons, never the code.
    let damaged = br#"{"__type":"x#TransactionCanceledException","message":"m","CancellationReasons":[{"Code":3}]}"#;
    let parsed = error_body::parse(None, damaged);
    assert_eq!((parsed.code.as_deref(), parsed.reasons.len()), (Some("TransactionCanceledException"), 0));
}
