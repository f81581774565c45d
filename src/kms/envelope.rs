//! The stored form of an encrypted value, as pydynox 0.21.0 writes and reads it:
//!
//! `ENC:` + standard padded base64 of
//! `[version = 1][u16 big-endian n][n bytes: the KMS-encrypted data key][12-byte nonce][AES-256-GCM ciphertext + 16-byte tag]`
//!
//! The data key is a fresh 256-bit key from KMS GenerateDataKey for every value; the
//! encryption context is bound by KMS to the encrypted data key (not used as AEAD
//! associated data, which 0.21.0 does not do). Plain-text data keys live only inside
//! [`seal`] and [`open`] and are wiped when dropped.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub const PREFIX: &str = "ENC:";
const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
pub const KEY_LEN: usize = 32;

/// A plain-text data key: never printed, wiped on drop.
pub struct DataKey(Vec<u8>);

impl DataKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        for b in self.0.iter_mut() {
            // Volatile so the wipe is not optimised away as a dead store.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Why a stored value cannot be opened. The messages never contain any of the value.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    NotEncrypted,
    Malformed(&'static str),
    UnsupportedVersion(u8),
    /// The AEAD tag did not verify: altered data, or a data key of another value.
    Tampered,
    NotText,
    BadKey,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotEncrypted => write!(f, "value is not encrypted (no {PREFIX} prefix)"),
            Self::Malformed(what) => write!(f, "stored value is malformed: {what}"),
            Self::UnsupportedVersion(v) => write!(f, "stored value has envelope version {v}, this version reads 1"),
            Self::Tampered => f.write_str("stored value failed authentication: it was altered, or its parts come from different values"),
            Self::NotText => f.write_str("decrypted value is not UTF-8 text"),
            Self::BadKey => write!(f, "KMS returned a data key that is not {KEY_LEN} bytes"),
        }
    }
}

pub fn is_encrypted(value: &str) -> bool {
    value.starts_with(PREFIX)
}

fn cipher(key: &DataKey) -> Result<LessSafeKey, Unreadable> {
    if key.0.len() != KEY_LEN {
        return Err(Unreadable::BadKey);
    }
    UnboundKey::new(&AES_256_GCM, &key.0).map(LessSafeKey::new).map_err(|_| Unreadable::BadKey)
}

/// Seals `plaintext` under `key` and packs it with the KMS-encrypted `wrapped_key`.
pub fn seal(plaintext: &str, key: &DataKey, wrapped_key: &[u8]) -> Result<String, Unreadable> {
    let cipher = cipher(key)?;
    let wrapped_len = u16::try_from(wrapped_key.len()).map_err(|_| Unreadable::Malformed("encrypted data key too long"))?;
    let mut nonce = [0u8; NONCE_LEN];
    aws_lc_rs::rand::fill(&mut nonce).map_err(|_| Unreadable::BadKey)?;
    let mut sealed = plaintext.as_bytes().to_vec();
    cipher
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
        .map_err(|_| Unreadable::BadKey)?;
    let mut packed = Vec::with_capacity(3 + wrapped_key.len() + NONCE_LEN + sealed.len());
    packed.push(VERSION);
    packed.extend_from_slice(&wrapped_len.to_be_bytes());
    packed.extend_from_slice(wrapped_key);
    packed.extend_from_slice(&nonce);
    packed.extend_from_slice(&sealed);
    // `sealed` held ciphertext only; nothing secret to wipe here.
    Ok(format!("{PREFIX}{}", STANDARD.encode(packed)))
}

/// A stored value split into its parts, before KMS is asked for the data key.
pub struct Envelope {
    pub wrapped_key: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    sealed: Vec<u8>,
}

pub fn unpack(stored: &str) -> Result<Envelope, Unreadable> {
    let body = stored.strip_prefix(PREFIX).ok_or(Unreadable::NotEncrypted)?;
    let raw = STANDARD.decode(body).map_err(|_| Unreadable::Malformed("not valid base64"))?;
    let (&version, rest) = raw.split_first().ok_or(Unreadable::Malformed("empty"))?;
    if version != VERSION {
        return Err(Unreadable::UnsupportedVersion(version));
    }
    if rest.len() < 2 {
        return Err(Unreadable::Malformed("truncated before the data key"));
    }
    let n = u16::from_be_bytes([rest[0], rest[1]]) as usize;
    let rest = &rest[2..];
    if n == 0 || rest.len() < n + NONCE_LEN + TAG_LEN {
        return Err(Unreadable::Malformed("truncated"));
    }
    let (wrapped, rest) = rest.split_at(n);
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    Ok(Envelope {
        wrapped_key: wrapped.to_vec(),
        nonce: nonce.try_into().expect("split at NONCE_LEN"),
        sealed: sealed.to_vec(),
    })
}

/// Opens an unpacked value with its data key (as KMS decrypted it).
pub fn open(envelope: Envelope, key: &DataKey) -> Result<String, Unreadable> {
    let cipher = cipher(key)?;
    let mut buf = envelope.sealed;
    let plain_len = cipher
        .open_in_place(Nonce::assume_unique_for_key(envelope.nonce), Aad::empty(), &mut buf)
        .map_err(|_| Unreadable::Tampered)?
        .len();
    buf.truncate(plain_len);
    String::from_utf8(buf).map_err(|e| {
        let mut bytes = e.into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        Unreadable::NotText
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::new(vec![byte; KEY_LEN])
    }

    #[test]
    fn seal_then_open() {
        let stored = seal("secret ✓", &key(7), b"wrapped-key-bytes").unwrap();
        assert!(stored.starts_with(PREFIX) && !stored.contains("secret"));
        let env = unpack(&stored).unwrap();
        assert_eq!(env.wrapped_key, b"wrapped-key-bytes");
        assert_eq!(open(env, &key(7)).unwrap(), "secret ✓");
    }

    #[test]
    fn each_value_gets_its_own_nonce() {
        assert_ne!(seal("x", &key(1), b"w").unwrap(), seal("x", &key(1), b"w").unwrap());
    }

    #[test]
    fn another_key_or_any_flipped_bit_fails_authentication() {
        let stored = seal("secret", &key(7), b"wrapped").unwrap();
        assert_eq!(open(unpack(&stored).unwrap(), &key(8)).err(), Some(Unreadable::Tampered));
        let raw = STANDARD.decode(&stored[PREFIX.len()..]).unwrap();
        for i in (3 + b"wrapped".len())..raw.len() {
            let mut bad = raw.clone();
            bad[i] ^= 1;
            let bad = format!("{PREFIX}{}", STANDARD.encode(&bad));
            assert_eq!(open(unpack(&bad).unwrap(), &key(7)).err(), Some(Unreadable::Tampered), "byte {i}");
        }
    }

    #[test]
    fn reads_what_0_21_0_wrote() {
        // The layout of a value written by pydynox 0.21.0 (moto's wrapped key is 96 bytes):
        // version 1, length 0x0060, then the key, nonce, ciphertext and tag.
        let stored = "ENC:AQBgYmM3OWFmZGItYjQyMS00MDlkLWFlNDUtMmNiOWQwNjNlNGE0vpIm+fPQH5Na1+1rWoV+BgnF+EDnpEuK8r3D5Pyr27KHS7v6UYiNXQQRO7iP4Ad7MIX/T9WbZGZlPGkDMTN2lDQu+WKDL6KyNSbnOLxbIv+i+Qc1/f1gVvg1bkWIyEJzRnFd";
        let env = unpack(stored).unwrap();
        assert_eq!(env.wrapped_key.len(), 96);
        assert_eq!(env.sealed.len(), "secret text".len() + TAG_LEN);
    }

    #[test]
    fn malformed_values_are_refused_without_panicking() {
        for bad in ["plain", "ENC:", "ENC:!!", "ENC:AA==", "ENC:AQ==", "ENC:AQAA", "ENC:AgAB", "ENC:AQBgAAAA"] {
            assert!(unpack(bad).is_err(), "{bad}");
        }
        assert_eq!(unpack("ENC:AgABAA==").err(), Some(Unreadable::UnsupportedVersion(2)));
    }

    #[test]
    fn data_keys_of_the_wrong_length_are_refused() {
        assert_eq!(seal("x", &DataKey::new(vec![0; 16]), b"w").err(), Some(Unreadable::BadKey));
    }

    #[test]
    fn debug_never_shows_a_key() {
        assert_eq!(format!("{:?}", key(65)), "DataKey(<redacted>)");
    }
}
