//! Keys that go back to DynamoDB (`LastEvaluatedKey`, later `UnprocessedKeys`), decoded into
//! the SDK's `AttributeValue` rather than Python: the next request sends them as they came,
//! with no round trip through Python numbers (a 38-digit fraction would not survive `float`).
//! They are a few attributes per response, so this path is not hot.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_types::Blob;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::wire::Item;

/// A map of attribute name -> value.
pub(crate) struct WireItem(pub(crate) Item);

impl<'de> Deserialize<'de> for WireItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HashMap::<String, WireValue>::deserialize(d).map(|m| WireItem(m.into_iter().map(|(k, v)| (k, v.0)).collect()))
    }
}

struct WireValue(AttributeValue);

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(WireValueVisitor)
    }
}

struct WireValueVisitor;

impl<'de> Visitor<'de> for WireValueVisitor {
    type Value = WireValue;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DynamoDB attribute value such as {\"S\": \"text\"}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireValue, A::Error> {
        let Some(tag) = map.next_key::<String>()? else {
            return Err(de::Error::custom("empty attribute value (no type key)"));
        };
        let value = match tag.as_str() {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(map.next_value()?),
            "B" => AttributeValue::B(blob(&map.next_value::<String>()?)?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => {
                map.next_value::<IgnoredAny>()?;
                AttributeValue::Null(true)
            }
            "M" => AttributeValue::M(map.next_value::<WireItem>()?.0),
            "L" => AttributeValue::L(map.next_value::<Vec<WireValue>>()?.into_iter().map(|v| v.0).collect()),
            "SS" => AttributeValue::Ss(map.next_value()?),
            "NS" => AttributeValue::Ns(map.next_value()?),
            "BS" => AttributeValue::Bs(map.next_value::<Vec<String>>()?.iter().map(|s| blob(s)).collect::<Result<_, _>>()?),
            other => return Err(de::Error::custom(format_args!("unsupported DynamoDB attribute type {other:?}"))),
        };
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("attribute value with more than one type key"));
        }
        Ok(WireValue(value))
    }
}

fn blob<E: de::Error>(text: &str) -> Result<Blob, E> {
    aws_smithy_types::base64::decode(text)
        .map(Blob::new)
        .map_err(|e| E::custom(format_args!("invalid base64 in a binary value: {e}")))
}
