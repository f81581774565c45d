//! The top level of a read response: `{"Item": ...}` (GetItem) or `{"Items": [...],
//! "Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"}` (Query, Scan). Fields
//! may come in any order; fields this client does not read are skipped.

use std::fmt;

use aws_sdk_dynamodb::types::ConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::key::WireItem;
use super::value::MapSeed;
use super::Ctx;
use crate::convert::Item;

/// What a read response carried, with items already Python objects.
#[derive(Default)]
pub struct Response<'py> {
    /// GetItem's `Item` (absent when nothing is stored under the key).
    pub item: Option<Bound<'py, PyDict>>,
    /// Query/Scan's `Items`, in response order.
    pub items: Vec<Bound<'py, PyDict>>,
    pub count: Option<i32>,
    pub scanned_count: Option<i32>,
    pub last_evaluated_key: Option<Item>,
    pub consumed_capacity: Option<ConsumedCapacity>,
}

pub(super) struct ResponseSeed<'a, 'py>(pub(super) &'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ResponseSeed<'_, 'py> {
    type Value = Response<'py>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

enum Field {
    Item,
    Items,
    Count,
    ScannedCount,
    LastEvaluatedKey,
    ConsumedCapacity,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a response field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "Item" => Field::Item,
                    "Items" => Field::Items,
                    "Count" => Field::Count,
                    "ScannedCount" => Field::ScannedCount,
                    "LastEvaluatedKey" => Field::LastEvaluatedKey,
                    "ConsumedCapacity" => Field::ConsumedCapacity,
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(FieldVisitor)
    }
}

impl<'de, 'py> Visitor<'de> for ResponseSeed<'_, 'py> {
    type Value = Response<'py>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0;
        let mut out = Response::default();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Item => out.item = Some(map.next_value_seed(MapSeed(ctx))?),
                Field::Items => out.items = map.next_value_seed(ItemsSeed(ctx))?,
                Field::Count => out.count = Some(map.next_value()?),
                Field::ScannedCount => out.scanned_count = Some(map.next_value()?),
                Field::LastEvaluatedKey => out.last_evaluated_key = Some(map.next_value::<WireItem>()?.0),
                Field::ConsumedCapacity => out.consumed_capacity = Some(map.next_value::<WireCapacity>()?.into_sdk()),
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// `Items`: a list of items.
struct ItemsSeed<'a, 'py>(&'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ItemsSeed<'_, 'py> {
    type Value = Vec<Bound<'py, PyDict>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'py> Visitor<'de> for ItemsSeed<'_, 'py> {
    type Value = Vec<Bound<'py, PyDict>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(MapSeed(self.0))? {
            items.push(item);
        }
        Ok(items)
    }
}

/// The parts of `ConsumedCapacity` the metrics read (per-index details are skipped).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireCapacity {
    table_name: Option<String>,
    capacity_units: Option<f64>,
    read_capacity_units: Option<f64>,
    write_capacity_units: Option<f64>,
}

impl WireCapacity {
    fn into_sdk(self) -> ConsumedCapacity {
        ConsumedCapacity::builder()
            .set_table_name(self.table_name)
            .set_capacity_units(self.capacity_units)
            .set_read_capacity_units(self.read_capacity_units)
            .set_write_capacity_units(self.write_capacity_units)
            .build()
    }
}
