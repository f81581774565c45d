//! Where the Python -> DynamoDB walk (`to_wire.rs`) puts what it finds.
//!
//! The walk classifies every Python value and does every check (types, numbers, sets, depth,
//! paths in errors); a [`Sink`] only records the values it is handed, in walk order, and cannot
//! fail. So every sink accepts exactly the same inputs and raises exactly the same errors.
//! Two sinks exist: [`AttributeValues`] here builds the SDK's `AttributeValue` tree, and
//! `crate::wire::write` writes DynamoDB JSON for a request body straight from the walk.
//!
//! Containers are opened, filled and closed: a streaming sink writes as it goes (a map's key
//! before its value), a building sink collects (the value, then the entry). Each container
//! hook therefore comes as a pair around the child's own events.

use std::collections::HashMap;

use aws_smithy_types::Blob;

use super::{AttributeValue, Item};

/// What a set member is stored as; a DynamoDB set holds only one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SetKind {
    Str,
    Num,
    Bin,
}

impl SetKind {
    /// How error messages name the kind.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            SetKind::Str => "str",
            SetKind::Num => "numbers",
            SetKind::Bin => "bytes",
        }
    }
}

/// Receives one walk's values. Nothing here can fail: the walk has checked everything first.
pub(crate) trait Sink {
    /// A whole item (or key): the attribute map at the top.
    type Item;
    /// One attribute value.
    type Value;
    /// An attribute map being filled (an item, or an `M` value).
    type Map;
    /// An `L` value being filled.
    type List;
    /// An `SS`, `NS` or `BS` value being filled.
    type Set;

    fn string(&mut self, s: &str) -> Self::Value;
    /// `text` is the exact number text to send.
    fn number(&mut self, text: &str) -> Self::Value;
    fn binary(&mut self, bytes: &[u8]) -> Self::Value;
    fn boolean(&mut self, b: bool) -> Self::Value;
    fn null(&mut self) -> Self::Value;

    /// An item of (about) `len` attributes.
    fn item_start(&mut self, len: usize) -> Self::Map;
    fn item_end(&mut self, map: Self::Map) -> Self::Item;
    /// An `M` value of (about) `len` entries.
    fn map_start(&mut self, len: usize) -> Self::Map;
    fn map_end(&mut self, map: Self::Map) -> Self::Value;
    /// Before an entry's value is walked.
    fn map_key(&mut self, map: &mut Self::Map, name: &str);
    /// After it: `value` is what the walk of the entry's value returned.
    fn map_value(&mut self, map: &mut Self::Map, name: &str, value: Self::Value);

    fn list_start(&mut self, len: usize) -> Self::List;
    /// Before each element is walked.
    fn list_next(&mut self, list: &mut Self::List);
    /// After it.
    fn list_push(&mut self, list: &mut Self::List, value: Self::Value);
    fn list_end(&mut self, list: Self::List) -> Self::Value;

    /// A set of `kind` holding `len` members (the walk knows the kind from the first member).
    fn set_start(&mut self, kind: SetKind, len: usize) -> Self::Set;
    /// A member of an `SS` or `NS` set (a number's exact text).
    fn set_text(&mut self, set: &mut Self::Set, text: &str);
    /// A member of a `BS` set.
    fn set_binary(&mut self, set: &mut Self::Set, bytes: &[u8]);
    fn set_end(&mut self, set: Self::Set) -> Self::Value;
}

/// Builds the SDK's `AttributeValue` tree (what `wire::dict_to_item` returns).
pub(crate) struct AttributeValues;

/// A set under construction: one of the two vectors is used, as `kind` says.
pub(crate) struct SetValues {
    kind: SetKind,
    texts: Vec<String>,
    blobs: Vec<Blob>,
}

impl Sink for AttributeValues {
    type Item = Item;
    type Value = AttributeValue;
    type Map = HashMap<String, AttributeValue>;
    type List = Vec<AttributeValue>;
    type Set = SetValues;

    fn string(&mut self, s: &str) -> AttributeValue {
        AttributeValue::S(s.to_owned())
    }
    fn number(&mut self, text: &str) -> AttributeValue {
        AttributeValue::N(text.to_owned())
    }
    fn binary(&mut self, bytes: &[u8]) -> AttributeValue {
        AttributeValue::B(Blob::new(bytes))
    }
    fn boolean(&mut self, b: bool) -> AttributeValue {
        AttributeValue::Bool(b)
    }
    fn null(&mut self) -> AttributeValue {
        AttributeValue::Null(true)
    }

    fn item_start(&mut self, len: usize) -> Self::Map {
        HashMap::with_capacity(len)
    }
    fn item_end(&mut self, map: Self::Map) -> Item {
        map
    }
    fn map_start(&mut self, len: usize) -> Self::Map {
        HashMap::with_capacity(len)
    }
    fn map_end(&mut self, map: Self::Map) -> AttributeValue {
        AttributeValue::M(map)
    }
    fn map_key(&mut self, _: &mut Self::Map, _: &str) {}
    fn map_value(&mut self, map: &mut Self::Map, name: &str, value: AttributeValue) {
        map.insert(name.to_owned(), value);
    }

    fn list_start(&mut self, len: usize) -> Self::List {
        Vec::with_capacity(len)
    }
    fn list_next(&mut self, _: &mut Self::List) {}
    fn list_push(&mut self, list: &mut Self::List, value: AttributeValue) {
        list.push(value);
    }
    fn list_end(&mut self, list: Self::List) -> AttributeValue {
        AttributeValue::L(list)
    }

    fn set_start(&mut self, kind: SetKind, len: usize) -> SetValues {
        // `len` is the set's real size (the walk asks the set object, not `__len__`).
        let (texts, blobs) = match kind {
            SetKind::Bin => (Vec::new(), Vec::with_capacity(len)),
            SetKind::Str | SetKind::Num => (Vec::with_capacity(len), Vec::new()),
        };
        SetValues { kind, texts, blobs }
    }
    fn set_text(&mut self, set: &mut SetValues, text: &str) {
        set.texts.push(text.to_owned());
    }
    fn set_binary(&mut self, set: &mut SetValues, bytes: &[u8]) {
        set.blobs.push(Blob::new(bytes));
    }
    fn set_end(&mut self, set: SetValues) -> AttributeValue {
        match set.kind {
            SetKind::Str => AttributeValue::Ss(set.texts),
            SetKind::Num => AttributeValue::Ns(set.texts),
            SetKind::Bin => AttributeValue::Bs(set.blobs),
        }
    }
}
