//! Which partition keys a request reads or writes, from its JSON body (the same bytes on
//! the direct path and the SDK's), for the hot-partition detector.
//!
//! Needs each table's key schema (`Schema`, from DescribeTable, cached per client by
//! `ops::flow_hook`): a key map does not say which attribute is the partition key.
//! Covered: GetItem, PutItem, DeleteItem, UpdateItem, Query (the partition key's equality
//! in `KeyConditionExpression`, on the table or an index), BatchGetItem, BatchWriteItem,
//! TransactGetItems, TransactWriteItems. Not covered: Scan (no key) and PartiQL.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::rate::Kind;

/// A table's partition key attribute, and each index's.
#[derive(Debug, Default)]
pub struct Schema {
    pub hash: String,
    pub indexes: HashMap<String, String>,
}

/// One access: the table (as `table` or `table (index i)`), the key's value as text, its kind.
pub type Access = (String, String, Kind);

/// The tables a request names, whose schemas `accesses` will ask for.
pub fn tables(action: &str, body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match action {
        "BatchGetItem" | "BatchWriteItem" => {
            if let Some(m) = body.get("RequestItems").and_then(Value::as_object) {
                out.extend(m.keys().cloned());
            }
        }
        "TransactGetItems" | "TransactWriteItems" => {
            for item in body.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
                if let Some(op) = item.as_object().and_then(|o| o.values().next()) {
                    out.extend(op.get("TableName").and_then(Value::as_str).map(str::to_owned));
                }
            }
        }
        _ => out.extend(body.get("TableName").and_then(Value::as_str).map(str::to_owned)),
    }
    out.sort();
    out.dedup();
    out
}

/// The partition keys a request touches. `schema(table)` is None for a table whose schema
/// is unknown: its accesses are skipped.
pub fn accesses<'s>(action: &str, body: &Value, schema: impl Fn(&str) -> Option<&'s Schema>) -> Vec<Access> {
    let mut out = Vec::new();
    let mut push = |table: &str, key: Option<&Value>, kind: Kind| {
        if let (Some(s), Some(key)) = (schema(table), key.and_then(Value::as_object)) {
            if let Some(v) = key.get(&s.hash) {
                out.push((table.to_string(), value_text(v), kind));
            }
        }
    };
    let table = body.get("TableName").and_then(Value::as_str).unwrap_or_default();
    match action {
        "GetItem" => push(table, body.get("Key"), Kind::Read),
        "DeleteItem" | "UpdateItem" => push(table, body.get("Key"), Kind::Write),
        "PutItem" => push(table, body.get("Item"), Kind::Write),
        "BatchGetItem" => {
            for (table, req) in body.get("RequestItems").and_then(Value::as_object).into_iter().flatten() {
                for key in req.get("Keys").and_then(Value::as_array).into_iter().flatten() {
                    push(table, Some(key), Kind::Read);
                }
            }
        }
        "BatchWriteItem" => {
            for (table, reqs) in body.get("RequestItems").and_then(Value::as_object).into_iter().flatten() {
                for req in reqs.as_array().into_iter().flatten() {
                    if let Some(item) = req.pointer("/PutRequest/Item") {
                        push(table, Some(item), Kind::Write);
                    } else if let Some(key) = req.pointer("/DeleteRequest/Key") {
                        push(table, Some(key), Kind::Write);
                    }
                }
            }
        }
        "TransactGetItems" | "TransactWriteItems" => {
            for item in body.get("TransactItems").and_then(Value::as_array).into_iter().flatten() {
                let Some((op, req)) = item.as_object().and_then(|o| o.iter().next()) else { continue };
                let table = req.get("TableName").and_then(Value::as_str).unwrap_or_default();
                match op.as_str() {
                    "Get" => push(table, req.get("Key"), Kind::Read),
                    "Put" => push(table, req.get("Item"), Kind::Write),
                    "Update" | "Delete" => push(table, req.get("Key"), Kind::Write),
                    _ => {}
                }
            }
        }
        "Query" => {
            if let Some(s) = schema(table) {
                let index = body.get("IndexName").and_then(Value::as_str);
                let hash = match index {
                    Some(i) => s.indexes.get(i),
                    None => Some(&s.hash),
                };
                if let Some(v) = hash.and_then(|h| query_key(body, h)) {
                    let name = match index {
                        Some(i) => format!("{table} (index {i})"),
                        None => table.to_string(),
                    };
                    out.push((name, value_text(v), Kind::Read));
                }
            }
        }
        _ => {}
    }
    out
}

/// The value a Query's key condition gives `hash` (`#pk = :v`, `pk = :v`, either way round).
fn query_key<'b>(body: &'b Value, hash: &str) -> Option<&'b Value> {
    let expression = body.get("KeyConditionExpression")?.as_str()?;
    let empty = Map::new();
    let names = body.get("ExpressionAttributeNames").and_then(Value::as_object).unwrap_or(&empty);
    let values = body.get("ExpressionAttributeValues")?.as_object()?;
    let resolve = |token: &str| -> Option<String> {
        match token.strip_prefix('#') {
            Some(_) => names.get(token).and_then(Value::as_str).map(str::to_owned),
            None => Some(token.to_string()),
        }
    };
    for clause in split_and(expression) {
        let clause = clause.trim().trim_start_matches('(').trim_end_matches(')');
        if clause.contains(['<', '>']) {
            continue;
        }
        let Some((left, right)) = clause.split_once('=') else { continue };
        let (left, right) = (left.trim(), right.trim());
        let (name, placeholder) = if right.starts_with(':') { (left, right) } else { (right, left) };
        if placeholder.starts_with(':') && resolve(name).as_deref() == Some(hash) {
            return values.get(placeholder);
        }
    }
    None
}

/// The expression's clauses joined by `AND` (any case).
fn split_and(expression: &str) -> Vec<&str> {
    let upper = expression.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = upper[from..].find(" AND ") {
        let at = from + i;
        out.push(&expression[start..at]);
        start = at + 5;
        from = start;
    }
    out.push(&expression[start..]);
    out
}

/// A key value as the warning shows it: the string, number or base64 text itself.
fn value_text(v: &Value) -> String {
    if let Some(o) = v.as_object() {
        if let Some(s) = ["S", "N", "B"].iter().find_map(|t| o.get(*t).and_then(Value::as_str)) {
            return s.to_string();
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema { hash: "pk".into(), indexes: HashMap::from([("by_email".to_string(), "email".to_string())]) }
    }

    #[test]
    fn item_operations_name_the_partition_key_whatever_the_attribute_order() {
        let s = schema();
        let body = json!({"TableName": "t", "Item": {"sk": {"S": "x"}, "pk": {"S": "user#1"}, "n": {"N": "3"}}});
        assert_eq!(accesses("PutItem", &body, |_| Some(&s)), vec![("t".into(), "user#1".into(), Kind::Write)]);
        let body = json!({"TableName": "t", "Key": {"pk": {"N": "7"}}});
        assert_eq!(accesses("GetItem", &body, |_| Some(&s)), vec![("t".into(), "7".into(), Kind::Read)]);
        assert!(accesses("GetItem", &body, |_| None).is_empty());
    }

    #[test]
    fn query_takes_the_equality_on_the_partition_key() {
        let s = schema();
        let body = json!({
            "TableName": "t",
            "KeyConditionExpression": "#k0 = :v0 AND begins_with(#k1, :v1)",
            "ExpressionAttributeNames": {"#k0": "pk", "#k1": "sk"},
            "ExpressionAttributeValues": {":v0": {"S": "a"}, ":v1": {"S": "b"}},
        });
        assert_eq!(accesses("Query", &body, |_| Some(&s)), vec![("t".into(), "a".into(), Kind::Read)]);
        let body = json!({
            "TableName": "t", "IndexName": "by_email",
            "KeyConditionExpression": "(email = :e) and sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":e": {"S": "x@y"}, ":a": {"S": "1"}, ":b": {"S": "2"}},
        });
        assert_eq!(accesses("Query", &body, |_| Some(&s)), vec![("t (index by_email)".into(), "x@y".into(), Kind::Read)]);
    }

    #[test]
    fn batches_and_transactions_count_every_item() {
        let s = schema();
        let body = json!({"RequestItems": {"t": [
            {"PutRequest": {"Item": {"pk": {"S": "a"}}}},
            {"DeleteRequest": {"Key": {"pk": {"S": "b"}}}},
        ]}});
        assert_eq!(tables("BatchWriteItem", &body), vec!["t".to_string()]);
        assert_eq!(accesses("BatchWriteItem", &body, |_| Some(&s)).len(), 2);
        let body = json!({"TransactItems": [
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "a"}}}},
            {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": "c"}}}},
            {"Update": {"TableName": "u", "Key": {"pk": {"S": "b"}}}},
        ]});
        assert_eq!(tables("TransactWriteItems", &body), vec!["t".to_string(), "u".to_string()]);
        let got = accesses("TransactWriteItems", &body, |_| Some(&s));
        assert_eq!(got, vec![("t".into(), "a".into(), Kind::Write), ("u".into(), "b".into(), Kind::Write)]);
    }
}
