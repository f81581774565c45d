//! Request bodies of the direct path (AWS JSON 1.0), written by hand into one buffer.
//!
//! Key and item maps are written by `crate::wire::write::attribute_map_json`, the same JSON writer
//! that encodes Python values (ADR 11).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

/// A JSON string literal (escaped as serde_json escapes it).
pub fn string(s: &str, out: &mut Vec<u8>) {
    crate::wire::write::json::write_string(out, s);
}

/// Builds one request object: `{"A":...,"B":...}` field by field, skipping absent ones.
pub struct Body {
    out: Vec<u8>,
    first: bool,
}

impl Body {
    pub fn new() -> Self {
        let mut out = Vec::with_capacity(256);
        out.push(b'{');
        Body { out, first: true }
    }

    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        &mut self.out
    }

    pub fn str(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            string(v, self.key(name));
        }
        self
    }

    pub fn bool(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.key(name).extend_from_slice(if v { b"true" } else { b"false" });
        }
        self
    }

    pub fn int(&mut self, name: &str, value: Option<i32>) -> &mut Self {
        if let Some(v) = value {
            self.key(name).extend_from_slice(v.to_string().as_bytes());
        }
        self
    }

    pub fn item(&mut self, name: &str, value: Option<&HashMap<String, AttributeValue>>) -> &mut Self {
        if let Some(v) = value {
            let out = self.key(name);
            if crate::wire::write::attribute_map_json(v, out).is_err() {
                // Unreachable: only a newer SDK's unknown variant is refused, and neither
                // `convert` nor the response reader builds one. Should it happen, `null`
                // makes DynamoDB refuse the request: never a silently different write.
                out.extend_from_slice(b"null");
            }
        }
        self
    }

    pub fn names(&mut self, name: &str, value: Option<&HashMap<String, String>>) -> &mut Self {
        if let Some(map) = value {
            let out = self.key(name);
            out.push(b'{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(k, out);
                out.push(b':');
                string(v, out);
            }
            out.push(b'}');
        }
        self
    }

    /// Appends an already written JSON value.
    pub fn raw(&mut self, name: &str, json: &[u8]) -> &mut Self {
        self.key(name).extend_from_slice(json);
        self
    }

    pub fn finish(mut self) -> bytes::Bytes {
        self.out.push(b'}');
        bytes::Bytes::from(self.out)
    }
}

/// The request JSON of a PutItem or DeleteItem builder: the same fields but the item or
/// key (`$map` names it, `$getter` reads it). A macro, as the SDK's two builders share
/// their getters' names but no trait.
macro_rules! conditional_write_body {
    ($r:expr, $map:literal, $getter:ident) => {{
        let r = $r;
        let mut body = $crate::wire::write::body::Body::new();
        body.str("TableName", r.get_table_name().as_deref())
            .item($map, r.$getter().as_ref())
            .str("ConditionExpression", r.get_condition_expression().as_deref())
            .names("ExpressionAttributeNames", r.get_expression_attribute_names().as_ref())
            .item("ExpressionAttributeValues", r.get_expression_attribute_values().as_ref())
            .str("ReturnConsumedCapacity", r.get_return_consumed_capacity().as_ref().map(|c| c.as_str()))
            .str(
                "ReturnValuesOnConditionCheckFailure",
                r.get_return_values_on_condition_check_failure().as_ref().map(|c| c.as_str()),
            );
        body.finish()
    }};
}
pub(crate) use conditional_write_body;
