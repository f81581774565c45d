//! The top level of a read response: `{"Item": ...}` (GetItem), `{"Items": [...],
//! "Count", "ScannedCount", "LastEvaluatedKey", "NextToken", "ConsumedCapacity"}` (Query,
//! Scan, ExecuteStatement), `{"Responses": {"<table>": [...]}}` (BatchGetItem) or
//! `{"Responses": [{"Item": ...}, ...]}` (TransactGetItems). Fields may come in any order;
//! fields this client does not read (`UnprocessedKeys`, which `meta.rs` reads without the
//! GIL) are skipped.

use std::fmt;

use aws_sdk_dynamodb::types::ConsumedCapacity;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::key::WireItem;
use super::value::MapSeed;
use super::Ctx;
use crate::wire::Item;

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
    /// ExecuteStatement's continuation token.
    pub next_token: Option<String>,
    /// `ConsumedCapacity` sent as one object (GetItem, Query, Scan, ExecuteStatement).
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// `ConsumedCapacity` sent as a list, one per table (BatchGetItem, TransactGetItems).
    pub consumed_capacities: Vec<ConsumedCapacity>,
    /// TransactGetItems' `Responses`: one entry per get, None where nothing is stored.
    /// (BatchGetItem's `Responses` go to `items`, every table's in response order.)
    pub gets: Vec<Option<Bound<'py, PyDict>>>,
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
    NextToken,
    ConsumedCapacity,
    Responses,
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
                    "NextToken" => Field::NextToken,
                    "ConsumedCapacity" => Field::ConsumedCapacity,
                    "Responses" => Field::Responses,
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
                Field::NextToken => out.next_token = map.next_value()?,
                Field::ConsumedCapacity => match map.next_value::<WireCapacities>()? {
                    WireCapacities::One(c) => out.consumed_capacity = Some(c),
                    WireCapacities::Many(cs) => out.consumed_capacities = cs,
                },
                Field::Responses => match map.next_value_seed(ResponsesSeed(ctx))? {
                    Responses::Tables(items) => out.items = items,
                    Responses::Gets(gets) => out.gets = gets,
                },
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

/// `Responses`: table name -> items (BatchGetItem), or one `{"Item": ...}` per get
/// (TransactGetItems).
enum Responses<'py> {
    Tables(Vec<Bound<'py, PyDict>>),
    Gets(Vec<Option<Bound<'py, PyDict>>>),
}

struct ResponsesSeed<'a, 'py>(&'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ResponsesSeed<'_, 'py> {
    type Value = Responses<'py>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for ResponsesSeed<'_, 'py> {
    type Value = Responses<'py>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of table names to items, or a list of {\"Item\": ...}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while map.next_key::<IgnoredAny>()?.is_some() {
            let mut table = map.next_value_seed(ItemsSeed(self.0))?;
            if items.is_empty() {
                items = table;
            } else {
                items.append(&mut table);
            }
        }
        Ok(Responses::Tables(items))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut gets = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(GetSeed(self.0))? {
            gets.push(item);
        }
        Ok(Responses::Gets(gets))
    }
}

/// One TransactGetItems response, `{"Item": {...}}`; `{}` (or an empty item) is a miss.
struct GetSeed<'a, 'py>(&'a Ctx<'py>);

impl<'de, 'py> DeserializeSeed<'de> for GetSeed<'_, 'py> {
    type Value = Option<Bound<'py, PyDict>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'py> Visitor<'de> for GetSeed<'_, 'py> {
    type Value = Option<Bound<'py, PyDict>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut item = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Item => item = Some(map.next_value_seed(MapSeed(self.0))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(item.filter(|d| !d.is_empty()))
    }
}

/// `ConsumedCapacity`: one object, or a list of them (one per table).
pub(super) enum WireCapacities {
    One(ConsumedCapacity),
    Many(Vec<ConsumedCapacity>),
}

impl<'de> Deserialize<'de> for WireCapacities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CapacitiesVisitor;
        impl<'de> Visitor<'de> for CapacitiesVisitor {
            type Value = WireCapacities;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a consumed capacity object or a list of them")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WireCapacities, A::Error> {
                let one = WireCapacity::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(WireCapacities::One(one.into_sdk()))
            }
            // `null` is "none reported", as the SDK's decoding reads it.
            fn visit_unit<E: de::Error>(self) -> Result<WireCapacities, E> {
                Ok(WireCapacities::Many(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WireCapacities, A::Error> {
                let mut many = Vec::new();
                while let Some(one) = seq.next_element::<WireCapacity>()? {
                    many.push(one.into_sdk());
                }
                Ok(WireCapacities::Many(many))
            }
        }
        d.deserialize_any(CapacitiesVisitor)
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
