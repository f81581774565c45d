//! Compression of `CompressedAttribute` values, in the stored form pydynox 0.21.0 reads
//! and writes: `<ALGO>:<standard padded base64 of the compressed bytes>`, where ALGO is
//! `ZSTD` (one zstd frame), `LZ4` (an LZ4 block after its length as a little-endian u32)
//! or `GZIP` (a gzip stream). A value without one of these prefixes is stored plain.
//!
//! Decompression never trusts the stored data: output is capped at [`MAX_DECOMPRESSED`]
//! (a few hundred bytes of zstd can claim gigabytes), and LZ4's length header is checked
//! against that cap before anything is allocated.

use std::io::{Read, Write};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The most a stored value may decompress to. An item is at most 400 KB, so this allows
/// a compression ratio of several hundred while bounding what hostile data can allocate.
pub const MAX_DECOMPRESSED: usize = 256 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Zstd,
    Lz4,
    Gzip,
}

impl Algorithm {
    pub const ALL: [Algorithm; 3] = [Algorithm::Zstd, Algorithm::Lz4, Algorithm::Gzip];

    /// The name Python passes (`CompressionAlgorithm.<X>.value`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "zstd" => Some(Self::Zstd),
            "lz4" => Some(Self::Lz4),
            "gzip" => Some(Self::Gzip),
            _ => None,
        }
    }

    /// The marker in front of a stored value.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Zstd => "ZSTD:",
            Self::Lz4 => "LZ4:",
            Self::Gzip => "GZIP:",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Zstd => "zstd",
            Self::Lz4 => "lz4",
            Self::Gzip => "gzip",
        }
    }

    /// The level used when none is given, and the accepted range (lz4 has no levels).
    fn levels(self) -> (i32, Option<(i32, i32)>) {
        match self {
            Self::Zstd => (3, Some((1, 22))),
            Self::Lz4 => (0, None),
            Self::Gzip => (6, Some((0, 9))),
        }
    }

    /// The algorithm whose prefix `stored` starts with, and the rest.
    fn detect(stored: &str) -> Option<(Self, &str)> {
        Self::ALL.into_iter().find_map(|a| stored.strip_prefix(a.prefix()).map(|rest| (a, rest)))
    }
}

/// Checks a level against the algorithm's range; None picks the default.
pub fn check_level(algorithm: Algorithm, level: Option<i64>) -> Result<i32, String> {
    let (default, range) = algorithm.levels();
    match (level, range) {
        (None, _) => Ok(default),
        // lz4 has one speed; 0.21.0 ignored the level, and so do we.
        (Some(_), None) => Ok(default),
        (Some(l), Some((lo, hi))) if (lo as i64..=hi as i64).contains(&l) => Ok(l as i32),
        (Some(l), Some((lo, hi))) => Err(format!("level for {} must be between {lo} and {hi}, got {l}", algorithm.label())),
    }
}

pub fn compress(algorithm: Algorithm, level: i32, data: &[u8]) -> Vec<u8> {
    match algorithm {
        // Writing to a Vec cannot fail; zstd fails only on a level out of range (checked).
        Algorithm::Zstd => zstd::bulk::compress(data, level).expect("zstd level was checked"),
        Algorithm::Lz4 => lz4_flex::block::compress_prepend_size(data),
        Algorithm::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level as u32));
            encoder.write_all(data).expect("writing to a Vec");
            encoder.finish().expect("writing to a Vec")
        }
    }
}

pub fn decompress(algorithm: Algorithm, data: &[u8]) -> Result<Vec<u8>, String> {
    let too_big = || format!("{} data decompresses to more than {MAX_DECOMPRESSED} bytes", algorithm.label());
    let corrupt = |e: &dyn std::fmt::Display| format!("corrupt {} data: {e}", algorithm.label());
    match algorithm {
        Algorithm::Lz4 => {
            let (len, block) = match data {
                [a, b, c, d, rest @ ..] => (u32::from_le_bytes([*a, *b, *c, *d]) as usize, rest),
                _ => return Err(corrupt(&"shorter than its length header")),
            };
            if len > MAX_DECOMPRESSED {
                return Err(too_big());
            }
            lz4_flex::block::decompress(block, len).map_err(|e| corrupt(&e))
        }
        Algorithm::Zstd => {
            let decoder = zstd::stream::read::Decoder::new(data).map_err(|e| corrupt(&e))?;
            read_capped(decoder, too_big, corrupt)
        }
        Algorithm::Gzip => read_capped(flate2::read::GzDecoder::new(data), too_big, corrupt),
    }
}

fn read_capped(
    reader: impl Read,
    too_big: impl Fn() -> String,
    corrupt: impl Fn(&dyn std::fmt::Display) -> String,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader.take(MAX_DECOMPRESSED as u64 + 1).read_to_end(&mut out).map_err(|e| corrupt(&e))?;
    if out.len() > MAX_DECOMPRESSED {
        return Err(too_big());
    }
    Ok(out)
}

/// When to compress: values shorter than `min_size` bytes stay plain, and so do values
/// whose compressed form is not below `threshold` times their size.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub algorithm: Algorithm,
    pub level: i32,
    pub min_size: usize,
    pub threshold: f64,
}

/// The stored form of `value`.
pub fn encode(value: &str, policy: Policy) -> String {
    // A plain value that looks compressed would be misread: such values are always
    // compressed, whatever their size, so reading stays unambiguous.
    let looks_compressed = Algorithm::detect(value).is_some();
    if value.len() < policy.min_size && !looks_compressed {
        return value.to_string();
    }
    let packed = compress(policy.algorithm, policy.level, value.as_bytes());
    if !looks_compressed && (packed.len() as f64) >= (value.len() as f64) * policy.threshold {
        return value.to_string();
    }
    let prefix = policy.algorithm.prefix();
    let mut out = String::with_capacity(prefix.len() + packed.len().div_ceil(3) * 4);
    out.push_str(prefix);
    STANDARD.encode_string(&packed, &mut out);
    out
}

/// The value a stored form holds: plain values as they are.
pub fn decode(stored: &str) -> Result<String, String> {
    let Some((algorithm, body)) = Algorithm::detect(stored) else {
        return Ok(stored.to_string());
    };
    let packed = STANDARD
        .decode(body)
        .map_err(|e| format!("stored value has the {} prefix but is not valid base64: {e}", algorithm.label()))?;
    let bytes = decompress(algorithm, &packed)?;
    String::from_utf8(bytes).map_err(|_| format!("{} data does not decompress to UTF-8 text", algorithm.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(algorithm: Algorithm) -> Policy {
        Policy { algorithm, level: check_level(algorithm, None).unwrap(), min_size: 100, threshold: 0.9 }
    }

    #[test]
    fn round_trips_every_algorithm() {
        let text = "pydynox ".repeat(200);
        for a in Algorithm::ALL {
            let stored = encode(&text, policy(a));
            assert!(stored.starts_with(a.prefix()), "{stored}");
            assert!(stored.len() < text.len());
            assert_eq!(decode(&stored).unwrap(), text);
        }
    }

    #[test]
    fn small_or_incompressible_values_stay_plain() {
        assert_eq!(encode("short", policy(Algorithm::Zstd)), "short");
        // Random printable text carries about 6.5 bits a byte: it cannot shrink by half.
        let mut rng = fastrand::Rng::with_seed(7);
        let noise: String = (0..400).map(|_| char::from(b'!' + rng.u8(0..90))).collect();
        let strict = Policy { threshold: 0.5, ..policy(Algorithm::Zstd) };
        assert_eq!(encode(&noise, strict), noise);
        assert_eq!(decode("plain text").unwrap(), "plain text");
    }

    #[test]
    fn plain_values_that_look_compressed_are_compressed() {
        let stored = encode("ZSTD:hi", policy(Algorithm::Gzip));
        assert!(stored.starts_with("GZIP:"), "{stored}");
        assert_eq!(decode(&stored).unwrap(), "ZSTD:hi");
    }

    #[test]
    fn reads_what_0_21_0_wrote() {
        // Stored by pydynox 0.21.0 for "a" * 300 with each algorithm.
        let a300 = "a".repeat(300);
        assert_eq!(decode("ZSTD:KLUv/QBYTQAAEGFhAQAnKsAC").unwrap(), a300);
        assert_eq!(decode("LZ4:LAEAAB9hAQD/E2BhYWFhYWE=").unwrap(), a300);
        assert_eq!(decode("GZIP:H4sIAAAAAAAA/+3AgQAAAACAINb9JVYY4GCVCRmXiSwBAAA=").unwrap(), a300);
    }

    #[test]
    fn hostile_data_is_an_error() {
        assert!(decode("ZSTD:!!!").unwrap_err().contains("base64"));
        assert!(decode("ZSTD:aGVsbG8=").unwrap_err().contains("corrupt zstd"));
        assert!(decode("GZIP:aGVsbG8=").unwrap_err().contains("corrupt gzip"));
        // An LZ4 header claiming 4 GiB is refused before allocating.
        let claim = STANDARD.encode([0xff, 0xff, 0xff, 0xff, 0x10, 0x61]);
        assert!(decode(&format!("LZ4:{claim}")).unwrap_err().contains("more than"));
        let bomb = zstd::bulk::compress(&vec![0u8; MAX_DECOMPRESSED + 1], 19).unwrap();
        assert!(decode(&format!("ZSTD:{}", STANDARD.encode(bomb))).unwrap_err().contains("more than"));
    }

    #[test]
    fn levels_are_checked() {
        assert_eq!(check_level(Algorithm::Zstd, Some(22)), Ok(22));
        assert!(check_level(Algorithm::Zstd, Some(23)).unwrap_err().contains("between 1 and 22"));
        assert!(check_level(Algorithm::Gzip, Some(-1)).is_err());
        assert_eq!(check_level(Algorithm::Lz4, Some(99)), Ok(0));
    }
}
