//! The SDK's `AttributeValue` tree replayed into a [`Sink`]: with the JSON sink, the request
//! JSON of an item that already exists as `AttributeValue`s (keys read back from DynamoDB, or
//! `wire::dict_to_item`'s output, which is how the tests compare the two encoders).

use std::collections::HashMap;
use std::fmt;

use crate::wire::{AttributeValue, SetKind, Sink};

/// An `AttributeValue::Unknown`: the SDK builds it only when it decodes a type it does not
/// know; nothing can be sent for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownAttributeType;

impl fmt::Display for UnknownAttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute value of a type this version of the SDK does not know cannot be sent")
    }
}

impl std::error::Error for UnknownAttributeType {}

pub(crate) fn item<S: Sink>(item: &HashMap<String, AttributeValue>, sink: &mut S) -> Result<S::Item, UnknownAttributeType> {
    let mut map = sink.item_start(item.len());
    entries(item, sink, &mut map)?;
    Ok(sink.item_end(map))
}

fn entries<S: Sink>(
    entries: &HashMap<String, AttributeValue>,
    sink: &mut S,
    map: &mut S::Map,
) -> Result<(), UnknownAttributeType> {
    for (name, value) in entries {
        sink.map_key(map, name);
        let value = self::value(value, sink)?;
        sink.map_value(map, name, value);
    }
    Ok(())
}

pub(crate) fn value<S: Sink>(value: &AttributeValue, sink: &mut S) -> Result<S::Value, UnknownAttributeType> {
    Ok(match value {
        AttributeValue::S(s) => sink.string(s),
        AttributeValue::N(n) => sink.number(n),
        AttributeValue::B(b) => sink.binary(b.as_ref()),
        AttributeValue::Bool(b) => sink.boolean(*b),
        // `Null(false)`, which DynamoDB rejects and this crate never builds, is written as the
        // only null DynamoDB accepts (the SDK would send `{"NULL":false}`).
        AttributeValue::Null(_) => sink.null(),
        AttributeValue::M(m) => {
            let mut map = sink.map_start(m.len());
            entries(m, sink, &mut map)?;
            sink.map_end(map)
        }
        AttributeValue::L(l) => {
            let mut list = sink.list_start(l.len());
            for element in l {
                sink.list_next(&mut list);
                let element = self::value(element, sink)?;
                sink.list_push(&mut list, element);
            }
            sink.list_end(list)
        }
        AttributeValue::Ss(texts) | AttributeValue::Ns(texts) => {
            let kind = if matches!(value, AttributeValue::Ss(_)) { SetKind::Str } else { SetKind::Num };
            let mut set = sink.set_start(kind, texts.len());
            for text in texts {
                sink.set_text(&mut set, text);
            }
            sink.set_end(set)
        }
        AttributeValue::Bs(blobs) => {
            let mut set = sink.set_start(SetKind::Bin, blobs.len());
            for blob in blobs {
                sink.set_binary(&mut set, blob.as_ref());
            }
            sink.set_end(set)
        }
        _ => return Err(UnknownAttributeType),
    })
}
