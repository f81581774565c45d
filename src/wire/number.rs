//! DynamoDB numbers (the `N` type) as text: formatting Rust numbers for the wire and
//! classifying wire numbers for the way back. Pure Rust, no Python, so it is unit-tested here.
//!
//! DynamoDB sends numbers as decimal strings (up to 38 significant digits, magnitude
//! 1E-130..1E+126) and accepts plain (`123.45`) as well as exponent forms (`1.2345E+2`, `1e300`).

use std::fmt::Write as _;

/// Integral numbers with more digits than this are not turned into a Python `int`; they come
/// back as float/Decimal instead. DynamoDB itself never produces more than 126 integer digits;
/// the cap keeps hostile or corrupt input from building enormous ints, and 640 is the lowest
/// value `sys.set_int_max_str_digits` accepts, so `int(str)` can never trip that limit.
pub(crate) const MAX_INT_DIGITS: usize = 640;

/// The text of an `i64` or `f64`, kept on the stack: the encoders copy it where it goes (an
/// `N` string, or request JSON), so formatting it allocates nothing.
pub(crate) struct ShortNumber {
    // The longest text either formatter writes is 24 bytes ("-2.2250738585072014e-308").
    buf: [u8; 32],
    len: usize,
}

impl ShortNumber {
    fn new() -> Self {
        ShortNumber { buf: [0; 32], len: 0 }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, '-', '.', 'e' are ever written, so this cannot fail.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for ShortNumber {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `i64` -> decimal text. Hand-rolled because this runs for every int attribute and `write!`
/// goes through the formatting machinery.
#[inline]
pub(crate) fn format_i64(n: i64) -> ShortNumber {
    let mut digits = [0u8; 20]; // i64::MIN is 19 digits plus the sign
    let mut pos = digits.len();
    let mut magnitude = n.unsigned_abs();
    loop {
        pos -= 1;
        digits[pos] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if n < 0 {
        pos -= 1;
        digits[pos] = b'-';
    }
    let mut out = ShortNumber::new();
    let len = digits.len() - pos;
    out.buf[..len].copy_from_slice(&digits[pos..]);
    out.len = len;
    out
}

/// `f64` -> the shortest decimal text that parses back to the same float, or `None` for
/// NaN/±inf (which DynamoDB cannot store).
///
/// Rust's `Display`/`LowerExp` for floats already produce the shortest round-trip digits; we only
/// pick the layout. Like Python's `repr`, very small or very large magnitudes use exponent form so
/// `1e300` is sent as `1e300` instead of 301 digits (which would also exceed DynamoDB's
/// 38-digit precision limit even though the value itself has one significant digit).
pub(crate) fn format_f64(x: f64) -> Option<ShortNumber> {
    if !x.is_finite() {
        return None;
    }
    let mut s = ShortNumber::new();
    if x == 0.0 {
        // DynamoDB numbers are decimals and have no negative zero; "-0" would read back as 0 anyway.
        let _ = s.write_str("0");
        return Some(s);
    }
    let magnitude = x.abs();
    // Cannot overflow the buffer (see `ShortNumber`); a failure would show as a short text in
    // the tests below, never as memory unsafety.
    let _ = if (1e-4..1e16).contains(&magnitude) { write!(s, "{x}") } else { write!(s, "{x:e}") };
    Some(s)
}

/// Why a `decimal.Decimal` string cannot be stored.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NonFinite {
    NaN,
    Infinity,
}

/// Checks the text of `str(Decimal)`: finite decimals always start (after an optional sign) with
/// a digit; the specials are spelled `NaN`, `sNaN` (possibly with a payload) and `Infinity`.
/// Looking at the first character avoids a second Python call to `Decimal.is_finite()`.
pub(crate) fn check_decimal_text(s: &str) -> Result<(), NonFinite> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    match body.as_bytes().first() {
        Some(b) if b.is_ascii_digit() => Ok(()),
        Some(b'I' | b'i') => Err(NonFinite::Infinity),
        _ => Err(NonFinite::NaN),
    }
}

/// What a wire number turns into in Python.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WireNumber {
    /// Integral and fits in `i64`: the fast path.
    Int(i64),
    /// Integral but bigger than `i64`: optional `-` followed by the digits, ready for `int()`.
    BigInt(String),
    /// Not integral (or absurdly large): float, or `Decimal` when exact numbers are requested.
    Fraction,
}

/// Classifies a wire number, treating any integral value as an int whatever its spelling
/// (`100`, `100.0`, `1E+2`, `1000E-1` are all `Int(100)`). Returns `None` if `s` is not a decimal
/// number (`[+-]digits[.digits][(e|E)[+-]digits]`, at least one mantissa digit).
///
/// The grammar is a subset of what both Rust's `f64::from_str` and Python's `Decimal()` accept,
/// so callers can hand a `Fraction` straight to either.
pub(crate) fn classify(s: &str) -> Option<WireNumber> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };

    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = &b[int_start..i];

    let mut frac_digits: &[u8] = &[];
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = &b[start..i];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }

    let mut exponent: i64 = 0;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let exp_negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            // Saturate: anything past a billion is out of every range we care about, and
            // saturating keeps the arithmetic below overflow-free.
            exponent = (exponent * 10 + i64::from(b[i] - b'0')).min(1_000_000_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    if i != b.len() {
        return None;
    }

    // Common case, "12345": plain digits that certainly fit in i64 (18 digits < 9.2e18).
    if frac_digits.is_empty() && exponent == 0 && int_digits.len() <= 18 {
        let magnitude = int_digits.iter().fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
        return Some(WireNumber::Int(if negative { -magnitude } else { magnitude }));
    }

    // General case: the value is <significant digits> * 10^scale once leading and trailing
    // zeros are dropped; it is integral exactly when scale >= 0.
    let digit = |k: usize| -> u8 {
        if k < int_digits.len() {
            int_digits[k]
        } else {
            frac_digits[k - int_digits.len()]
        }
    };
    let total = int_digits.len() + frac_digits.len();
    let Some(first) = (0..total).find(|&k| digit(k) != b'0') else {
        return Some(WireNumber::Int(0)); // 0, -0, 0.000, 0E+5 ...
    };
    let last = (first..total).rev().find(|&k| digit(k) != b'0').unwrap_or(first);
    let trailing_zeros = (total - 1 - last) as i64;
    let scale = exponent - frac_digits.len() as i64 + trailing_zeros;
    if scale < 0 {
        return Some(WireNumber::Fraction);
    }
    let significant = last + 1 - first;
    let int_len = significant as i64 + scale;
    if int_len > MAX_INT_DIGITS as i64 {
        return Some(WireNumber::Fraction);
    }
    let scale = scale as usize;

    if int_len <= 19 {
        // May still overflow for 19 digits; checked arithmetic tells us.
        let mut magnitude: u64 = 0;
        let mut fits = true;
        for k in first..=last {
            match magnitude.checked_mul(10).and_then(|m| m.checked_add(u64::from(digit(k) - b'0'))) {
                Some(m) => magnitude = m,
                None => {
                    fits = false;
                    break;
                }
            }
        }
        if fits {
            let magnitude = (0..scale).try_fold(magnitude, |m, _| m.checked_mul(10));
            let value = magnitude.and_then(|m| {
                if negative {
                    0i64.checked_sub_unsigned(m)
                } else {
                    i64::try_from(m).ok()
                }
            });
            if let Some(v) = value {
                return Some(WireNumber::Int(v));
            }
        }
    }

    let mut text = String::with_capacity(int_len as usize + 1);
    if negative {
        text.push('-');
    }
    text.extend((first..=last).map(|k| digit(k) as char));
    for _ in 0..scale {
        text.push('0');
    }
    Some(WireNumber::BigInt(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_ints() {
        assert_eq!(format_i64(0).as_str(), "0");
        assert_eq!(format_i64(-42).as_str(), "-42");
        assert_eq!(format_i64(i64::MIN).as_str(), "-9223372036854775808");
        assert_eq!(format_i64(i64::MAX).as_str(), "9223372036854775807");
        for n in [1i64, 9, 10, 99, 100, -1, -10, 1234567890, -987654321012] {
            assert_eq!(format_i64(n).as_str(), n.to_string());
        }
    }

    #[test]
    fn formats_floats_shortest_round_trip() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (3.0, "3"),
            (1e15, "1000000000000000"),
            (1e16, "1e16"),
            (1e300, "1e300"),
            (-1.5e300, "-1.5e300"),
            (1e-4, "0.0001"),
            (1.5e-5, "1.5e-5"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e308"),
            (-2.2250738585072014e-308, "-2.2250738585072014e-308"), // the longest text
            (123456.789, "123456.789"),
        ];
        for &(x, want) in cases {
            assert_eq!(format_f64(x).as_ref().map(ShortNumber::as_str), Some(want), "formatting {x:?}");
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(format_f64(x).is_none());
        }
    }

    #[test]
    fn float_text_round_trips() {
        // Every formatted float must parse back to the identical bits.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if let Some(s) = format_f64(f) {
                let s = s.as_str();
                assert!(s.len() <= 24, "{s}");
                let back: f64 = s.parse().unwrap();
                assert!(back == f || (f == 0.0 && back == 0.0), "{f:?} -> {s} -> {back:?}");
                // The same text must be a valid wire number for the reading side too.
                assert!(classify(s).is_some(), "{s}");
            }
        }
    }

    #[test]
    fn checks_decimal_text() {
        for ok in ["0", "-0", "1.5", "1E+2", "-1.5E-7", "0E-10"] {
            assert_eq!(check_decimal_text(ok), Ok(()), "{ok}");
        }
        for nan in ["NaN", "-NaN", "sNaN", "-sNaN", "NaN123"] {
            assert_eq!(check_decimal_text(nan), Err(NonFinite::NaN), "{nan}");
        }
        for inf in ["Infinity", "-Infinity"] {
            assert_eq!(check_decimal_text(inf), Err(NonFinite::Infinity), "{inf}");
        }
    }

    #[test]
    fn classifies_integral_numbers() {
        use WireNumber::*;
        let cases: &[(&str, WireNumber)] = &[
            ("0", Int(0)),
            ("-0", Int(0)),
            ("0.000", Int(0)),
            ("0E+5", Int(0)),
            ("42", Int(42)),
            ("+42", Int(42)),
            ("-42", Int(-42)),
            ("100.0", Int(100)),
            ("1E+2", Int(100)),
            ("1e2", Int(100)),
            ("1000E-1", Int(100)),
            ("0.5E1", Int(5)),
            ("007", Int(7)),
            ("123456789012345678", Int(123456789012345678)),
            ("9223372036854775807", Int(i64::MAX)),
            ("-9223372036854775808", Int(i64::MIN)),
            ("9223372036854775808", BigInt("9223372036854775808".into())),
            ("-9223372036854775809", BigInt("-9223372036854775809".into())),
            ("1180591620717411303424", BigInt("1180591620717411303424".into())), // 2**70
            ("1E+20", BigInt("100000000000000000000".into())),
            ("-12.5E+20", BigInt("-1250000000000000000000".into())),
            ("1E+18", Int(1_000_000_000_000_000_000)),
        ];
        for (s, want) in cases {
            assert_eq!(classify(s).as_ref(), Some(want), "{s}");
        }
    }

    #[test]
    fn classifies_fractions() {
        for s in ["1.5", "-0.001", "1E-2", "12345E-3", ".5", "3.14159", "1E+1000", "1e-130"] {
            assert_eq!(classify(s), Some(WireNumber::Fraction), "{s}");
            if s != "1E+1000" {
                assert!(s.parse::<f64>().is_ok(), "{s}");
            }
        }
        assert_eq!(classify("5."), Some(WireNumber::Int(5)));
    }

    #[test]
    fn rejects_malformed_numbers() {
        for s in ["", "-", "+", ".", "abc", "1.2.3", "1e", "1e+", "NaN", "inf", " 1", "1 ", "1_000", "0x10", "--1", "1e5.5"] {
            assert_eq!(classify(s), None, "{s:?}");
        }
    }
}
