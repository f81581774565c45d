//! What a multi-request operation must know before its next request, read without the GIL:
//! `Count`, `ScannedCount`, `LastEvaluatedKey`, `ConsumedCapacity`, `UnprocessedKeys`, how
//! many items `Responses` holds, and an UpdateItem's `Attributes`. Items themselves are skipped (serde's `IgnoredAny`: tokenized,
//! nothing built) and decoded later into Python in one GIL hold (`wire::read::response`).
//!
//! Used where the operation loops on tokio before any Python sees a result: count (which
//! needs nothing else), parallel_scan (the next page of a segment starts at its key) and
//! batch_get (unprocessed keys are requested again).

use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::types::ConsumedCapacity;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use super::envelope::WireCapacities;
use super::key::WireItem;
use crate::wire::Item;

/// The parts of a response that steer the next request.
#[derive(Default, Debug)]
pub struct Meta {
    pub count: Option<i32>,
    pub scanned_count: Option<i32>,
    /// Present and non-empty when there is another page.
    pub last_evaluated_key: Option<Item>,
    pub consumed_capacity: Vec<ConsumedCapacity>,
    /// BatchGetItem: keys DynamoDB did not read this time, every table's.
    pub unprocessed_keys: Vec<Item>,
    /// BatchGetItem: items in `Responses`, every table's.
    pub responses: usize,
    /// UpdateItem with `ReturnValues`: the attributes sent back.
    pub attributes: Option<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireMeta {
    count: Option<i32>,
    scanned_count: Option<i32>,
    last_evaluated_key: Option<WireItem>,
    consumed_capacity: Option<WireCapacities>,
    unprocessed_keys: Option<HashMap<String, WireKeys>>,
    responses: Option<Counted>,
    attributes: Option<WireItem>,
}

/// One table's `UnprocessedKeys` entry; its projection and consistency are the ones the
/// request sent, which the caller still has.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireKeys {
    #[serde(default)]
    keys: Vec<WireItem>,
}

/// How many items `Responses` holds, without building them.
struct Counted(usize);

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountedVisitor)
    }
}

struct CountedVisitor;

impl<'de> Visitor<'de> for CountedVisitor {
    type Value = Counted;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of table names to items, or a list of item responses")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Counted, A::Error> {
        let mut n = 0;
        while map.next_key::<IgnoredAny>()?.is_some() {
            n += map.next_value::<Counted>()?.0;
        }
        Ok(Counted(n))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counted, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Counted(n))
    }
}

/// Reads a response body's metadata; a body that is not a DynamoDB response is an error
/// with the position, worded like `wire::read::response`'s.
pub fn meta(body: &[u8]) -> Result<Meta, String> {
    let wire: WireMeta = serde_json::from_slice(body).map_err(|e| format!("unreadable response from DynamoDB: {e}"))?;
    let consumed_capacity = match wire.consumed_capacity {
        None => Vec::new(),
        Some(WireCapacities::One(c)) => vec![c],
        Some(WireCapacities::Many(cs)) => cs,
    };
    Ok(Meta {
        count: wire.count,
        scanned_count: wire.scanned_count,
        last_evaluated_key: wire.last_evaluated_key.map(|k| k.0).filter(|k| !k.is_empty()),
        consumed_capacity,
        unprocessed_keys: wire.unprocessed_keys.into_iter().flat_map(HashMap::into_values).flat_map(|t| t.keys).map(|k| k.0).collect(),
        responses: wire.responses.map_or(0, |c| c.0),
        attributes: wire.attributes.map(|a| a.0),
    })
}
