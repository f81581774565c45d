//! Attribute names reused within one response.
//!
//! A page of 1,000 items repeats the same twenty names 1,000 times. Building each `str` once
//! and handing out new references to it saves the allocation and UTF-8 decoding of every
//! repeat, and the dict insert then reuses the hash the `str` already caches.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Past this many distinct names a response is not the repetitive kind the cache is for
/// (or is hostile); further names are built every time instead of growing the map.
const MAX_CACHED: usize = 4096;

/// Names longer than this are rare enough that caching them is not worth a map entry.
const MAX_CACHED_LEN: usize = 64;

#[derive(Default)]
pub(super) struct Names {
    map: HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>,
}

impl Names {
    /// The Python `str` for `name`: the one built earlier in this response if any.
    #[inline]
    pub(super) fn get<'py>(&mut self, py: Python<'py>, name: &str) -> Bound<'py, PyString> {
        if let Some(found) = self.map.get(name) {
            return found.bind(py).clone();
        }
        let built = PyString::new(py, name);
        if name.len() <= MAX_CACHED_LEN && self.map.len() < MAX_CACHED {
            self.map.insert(name.into(), built.clone().unbind());
        }
        built
    }
}

/// FNV-1a: names are short, so a simple byte-at-a-time hash beats SipHash's setup cost, and
/// hash flooding is bounded by `MAX_CACHED`.
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}
