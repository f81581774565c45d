//! A Query or Scan page handed to Python a slice at a time (issue 14 item 7).
//!
//! [`Page::index`] reads the page without the GIL: where each item's JSON lies in the body,
//! and what steers the next request (`Count`, `ScannedCount`, `LastEvaluatedKey`,
//! `ConsumedCapacity`). [`Page::decode`] then builds the next few items, so the pager never
//! holds the GIL (or an event-loop callback) for a whole 1 MB page, which takes several
//! milliseconds. The items are walked twice, once skipped here (serde_json's tokenizer with
//! nothing built) and once decoded, the skip being the cheap part.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use aws_sdk_dynamodb::types::ConsumedCapacity;
use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::envelope::WireCapacities;
use super::key::WireItem;
use super::names::Names;
use super::value::MapSeed;
use super::Ctx;
use crate::wire::{Item, ReadOptions};

/// One page: its body, where its items are, and its fields already read.
pub struct Page {
    body: Bytes,
    /// Shared with [`PageItems`] (the pager keeps them to build an exact resume key).
    items: Arc<[Range<usize>]>,
    /// Items decoded so far (handed to Python, or failed).
    decoded: usize,
    /// Attribute names built by earlier slices, reused by later ones.
    names: Names,
    pub count: Option<i32>,
    pub scanned_count: Option<i32>,
    /// Present and non-empty when there is another page.
    pub last_evaluated_key: Option<Item>,
    pub consumed_capacity: Option<ConsumedCapacity>,
}

impl Page {
    /// Reads where the items are and the other fields; no GIL. A body that is not a page is
    /// an error with the position, worded like `read::response`'s.
    pub fn index(body: Bytes) -> Result<Page, String> {
        let mut de = serde_json::Deserializer::from_slice(&body);
        let wire = de.deserialize_map(PageVisitor { base: body.as_ptr() as usize }).and_then(|w| de.end().map(|()| w));
        let wire = wire.map_err(|e| format!("unreadable response from DynamoDB: {e}"))?;
        let consumed_capacity = match wire.consumed_capacity {
            Some(WireCapacities::One(c)) => Some(c),
            // A list is BatchGetItem's form, never a page's (`read::response` ignores it too).
            Some(WireCapacities::Many(_)) | None => None,
        };
        Ok(Page {
            body,
            items: wire.items.into(),
            decoded: 0,
            names: Names::default(),
            count: wire.count,
            scanned_count: wire.scanned_count,
            last_evaluated_key: wire.last_evaluated_key.filter(|k| !k.is_empty()),
            consumed_capacity,
        })
    }

    /// The page's items as they came, kept by the pager while it hands them out: two
    /// reference counts, no copy.
    pub fn items(&self) -> PageItems {
        PageItems { body: self.body.clone(), items: self.items.clone() }
    }

    /// Items not decoded yet.
    pub fn remaining(&self) -> usize {
        self.items.len() - self.decoded
    }

    /// Builds the next slice of items: at most `at_most` of them, and no more than `bytes`
    /// of the body unless a single item is larger (fewer at the end of the page). After an
    /// error the page is spent: the same bytes would fail again.
    pub fn decode<'py>(&mut self, py: Python<'py>, at_most: usize, bytes: usize, opts: ReadOptions) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let end = self.slice_end(at_most, bytes);
        let ranges = self.decoded..end;
        self.decoded = end;
        let ctx = Ctx::with_names(py, opts, std::mem::take(&mut self.names));
        let mut out = Vec::with_capacity(ranges.len());
        let mut result = Ok(());
        for range in &self.items[ranges] {
            let mut de = serde_json::Deserializer::from_slice(&self.body[range.clone()]);
            match MapSeed(&ctx).deserialize(&mut de) {
                Ok(item) => out.push(item),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let result = ctx.finish(result);
        self.names = ctx.into_names();
        if result.is_err() {
            self.decoded = self.items.len();
        }
        result.map(|()| out)
    }

    /// Where the next slice ends: building an item costs about in proportion to its size,
    /// so a byte budget bounds a slice's time whatever the items hold; the item count bounds
    /// slices of tiny items, whose per-item cost dominates. Always at least one item.
    fn slice_end(&self, at_most: usize, bytes: usize) -> usize {
        let mut end = self.decoded;
        let mut size = 0;
        for range in &self.items[self.decoded..] {
            size += range.len();
            if end - self.decoded >= at_most.max(1) || (end > self.decoded && size > bytes) {
                break;
            }
            end += 1;
        }
        end
    }
}

/// A page's items, undecoded: enough to read one of them again as `AttributeValue`s.
/// Cloning it copies two reference counts.
#[derive(Clone)]
pub struct PageItems {
    body: Bytes,
    items: Arc<[Range<usize>]>,
}

impl PageItems {
    /// The `n`th item (from 0) as the wire sent it; None past the end. No GIL.
    pub fn item(&self, n: usize) -> Option<Result<Item, String>> {
        let range = self.items.get(n)?.clone();
        Some(
            serde_json::from_slice::<WireItem>(&self.body[range])
                .map(|w| w.0)
                .map_err(|e| format!("unreadable response from DynamoDB: {e}")),
        )
    }
}

/// The page's fields, with each item as its byte range in the body.
#[derive(Default)]
struct WirePage {
    items: Vec<Range<usize>>,
    count: Option<i32>,
    scanned_count: Option<i32>,
    last_evaluated_key: Option<Item>,
    consumed_capacity: Option<WireCapacities>,
}

/// `base`: the address of the body's first byte, to turn borrowed slices into ranges.
struct PageVisitor {
    base: usize,
}

impl<'de> Visitor<'de> for PageVisitor {
    type Value = WirePage;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB Query or Scan response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WirePage, A::Error> {
        let mut out = WirePage::default();
        // Owned: a handful of keys per page, and an escaped one must not fail.
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "Items" => out.items = map.next_value_seed(ItemRanges { base: self.base })?,
                "Count" => out.count = Some(map.next_value()?),
                "ScannedCount" => out.scanned_count = Some(map.next_value()?),
                "LastEvaluatedKey" => out.last_evaluated_key = Some(map.next_value::<WireItem>()?.0),
                "ConsumedCapacity" => out.consumed_capacity = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// `Items`: the byte range of each element, nothing built.
struct ItemRanges {
    base: usize,
}

impl<'de> DeserializeSeed<'de> for ItemRanges {
    type Value = Vec<Range<usize>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemRanges {
    type Value = Vec<Range<usize>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut ranges = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(raw) = seq.next_element::<&'de serde_json::value::RawValue>()? {
            let start = raw.get().as_ptr() as usize - self.base;
            ranges.push(start..start + raw.get().len());
        }
        Ok(ranges)
    }
}
