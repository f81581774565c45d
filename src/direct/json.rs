//! Request bodies of the direct path (AWS JSON 1.0), written by hand into one buffer.
//!
//! Key and item maps go through [`attribute_map_json`], the one seam where an encoder that
//! writes Python dicts straight to JSON (branch `encode`, `src/write/`) replaces the
//! `AttributeValue` walk below.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

/// Writes `{"name": {"S": "..."}, ...}` for a key or item map.
pub fn attribute_map_json(map: &HashMap<String, AttributeValue>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (name, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(name, out);
        out.push(b':');
        attribute_value_json(value, out);
    }
    out.push(b'}');
}

fn attribute_value_json(value: &AttributeValue, out: &mut Vec<u8>) {
    let tagged = |out: &mut Vec<u8>, tag: &str| {
        out.extend_from_slice(b"{\"");
        out.extend_from_slice(tag.as_bytes());
        out.extend_from_slice(b"\":");
    };
    match value {
        AttributeValue::S(s) => {
            tagged(out, "S");
            string(s, out);
        }
        AttributeValue::N(n) => {
            tagged(out, "N");
            string(n, out);
        }
        AttributeValue::B(b) => {
            tagged(out, "B");
            string(&aws_smithy_types::base64::encode(b.as_ref()), out);
        }
        AttributeValue::Bool(b) => {
            tagged(out, "BOOL");
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        AttributeValue::Null(_) => {
            tagged(out, "NULL");
            out.extend_from_slice(b"true");
        }
        AttributeValue::Ss(items) | AttributeValue::Ns(items) => {
            tagged(out, if matches!(value, AttributeValue::Ss(_)) { "SS" } else { "NS" });
            list(items.iter(), out, |s, out| string(s, out));
        }
        AttributeValue::Bs(items) => {
            tagged(out, "BS");
            list(items.iter(), out, |b, out| string(&aws_smithy_types::base64::encode(b.as_ref()), out));
        }
        AttributeValue::L(items) => {
            tagged(out, "L");
            list(items.iter(), out, attribute_value_json);
        }
        AttributeValue::M(map) => {
            tagged(out, "M");
            attribute_map_json(map, out);
        }
        // A variant added by a newer SDK: never built by `convert`, which is exhaustive.
        _ => {
            out.extend_from_slice(b"{\"NULL\":true");
        }
    }
    out.push(b'}');
}

fn list<T>(items: impl Iterator<Item = T>, out: &mut Vec<u8>, mut each: impl FnMut(T, &mut Vec<u8>)) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(item, out);
    }
    out.push(b']');
}

/// A JSON string literal, escaped by serde_json.
pub fn string(s: &str, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail, and a &str is always valid to serialize.
    let _ = serde_json::to_writer(&mut *out, s);
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
            attribute_map_json(v, self.key(name));
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
