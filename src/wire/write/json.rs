//! The JSON sink: writes DynamoDB JSON (`{"S":"x"}`, `{"M":{...}}`, ...) as the walk hands
//! it values, into the caller's buffer. No `AttributeValue` is built.

use crate::wire::{SetKind, Sink};

use super::base64;

/// Writes into `out`. Every container tracks whether it has written a member yet, for commas.
pub(crate) struct JsonWriter<'a> {
    pub(crate) out: &'a mut Vec<u8>,
}

/// An open JSON container: `true` until its first member is written.
pub(crate) struct First(bool);

impl First {
    /// The separator before the next member.
    #[inline]
    fn comma(&mut self, out: &mut Vec<u8>) {
        if !std::mem::replace(&mut self.0, false) {
            out.push(b',');
        }
    }
}

impl JsonWriter<'_> {
    #[inline]
    fn tagged_string(&mut self, tag: &[u8], s: &str) {
        self.out.extend_from_slice(tag);
        write_string(self.out, s);
        self.out.push(b'}');
    }

    fn quoted_base64(&mut self, bytes: &[u8]) {
        self.out.push(b'"');
        base64::encode_into(self.out, bytes);
        self.out.push(b'"');
    }
}

impl Sink for JsonWriter<'_> {
    type Item = ();
    type Value = ();
    type Map = First;
    type List = First;
    type Set = First;

    fn string(&mut self, s: &str) {
        self.tagged_string(b"{\"S\":", s);
    }
    fn number(&mut self, text: &str) {
        // Escaped like any string: the text of a `Decimal` subclass comes from its `__str__`,
        // which only has to start with a digit to pass the walk's check.
        self.tagged_string(b"{\"N\":", text);
    }
    fn binary(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(b"{\"B\":");
        self.quoted_base64(bytes);
        self.out.push(b'}');
    }
    fn boolean(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"{\"BOOL\":true}" } else { b"{\"BOOL\":false}" });
    }
    fn null(&mut self) {
        self.out.extend_from_slice(b"{\"NULL\":true}");
    }

    fn item_start(&mut self, _: usize) -> First {
        self.out.push(b'{');
        First(true)
    }
    fn item_end(&mut self, _: First) {
        self.out.push(b'}');
    }
    fn map_start(&mut self, _: usize) -> First {
        self.out.extend_from_slice(b"{\"M\":{");
        First(true)
    }
    fn map_end(&mut self, _: First) {
        self.out.extend_from_slice(b"}}");
    }
    fn map_key(&mut self, map: &mut First, name: &str) {
        map.comma(self.out);
        write_string(self.out, name);
        self.out.push(b':');
    }
    fn map_value(&mut self, _: &mut First, _: &str, _: ()) {}

    fn list_start(&mut self, _: usize) -> First {
        self.out.extend_from_slice(b"{\"L\":[");
        First(true)
    }
    fn list_next(&mut self, list: &mut First) {
        list.comma(self.out);
    }
    fn list_push(&mut self, _: &mut First, _: ()) {}
    fn list_end(&mut self, _: First) {
        self.out.extend_from_slice(b"]}");
    }

    fn set_start(&mut self, kind: SetKind, _: usize) -> First {
        self.out.extend_from_slice(match kind {
            SetKind::Str => b"{\"SS\":[",
            SetKind::Num => b"{\"NS\":[",
            SetKind::Bin => b"{\"BS\":[",
        });
        First(true)
    }
    fn set_text(&mut self, set: &mut First, text: &str) {
        set.comma(self.out);
        write_string(self.out, text);
    }
    fn set_binary(&mut self, set: &mut First, bytes: &[u8]) {
        set.comma(self.out);
        self.quoted_base64(bytes);
    }
    fn set_end(&mut self, _: First) {
        self.out.extend_from_slice(b"]}");
    }
}

/// For each byte: 0 if it is written as is, else the letter after the backslash (`u` for the
/// `\u00XX` form). RFC 8259 requires escaping `"`, `\` and U+0000..U+001F; everything else,
/// non-ASCII included, is valid as raw UTF-8 (a `&str` is always valid UTF-8).
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Appends `s` as a JSON string (quoted, escaped) to `out`. Runs of plain bytes are copied
/// whole; most attribute text has no byte to escape at all.
pub(crate) fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[b as usize];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        if escape == b'u' {
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}
