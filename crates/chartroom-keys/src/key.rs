//! [`DbKey`]: the 256-bit key that SQLCipher uses to encrypt the database.
//!
//! The key lives in memory inside a [`Zeroizing`] buffer, prints as
//! `DbKey(<redacted>)`, and only leaves this crate as a `PRAGMA key` literal
//! (itself zeroized on drop) or wrapped inside a key file or keyring entry.

use std::fmt;

use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Length of a database key in bytes.
pub const DB_KEY_LEN: usize = 32;

const CHECK_DOMAIN: &[u8] = b"chartroom-key-check-v1";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A 256-bit database key. Wiped from memory when dropped.
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; DB_KEY_LEN]>);

impl DbKey {
    /// A fresh random key from the operating system's CSPRNG.
    pub fn generate() -> DbKey {
        let mut bytes = Zeroizing::new([0u8; DB_KEY_LEN]);
        OsRng.fill_bytes(bytes.as_mut());
        DbKey(bytes)
    }

    /// Wrap existing key bytes.
    pub fn from_bytes(b: [u8; DB_KEY_LEN]) -> DbKey {
        DbKey(Zeroizing::new(b))
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; DB_KEY_LEN] {
        &self.0
    }

    /// The key as a SQLCipher raw-key literal, `x'<64 lowercase hex>'`,
    /// ready for `PRAGMA key = <literal>` (no PBKDF2 run on open).
    pub fn sqlcipher_key_literal(&self) -> Zeroizing<String> {
        // Built in place with the final capacity so no unzeroized copy is
        // left behind by a reallocation.
        let mut s = Zeroizing::new(String::with_capacity(3 + 2 * DB_KEY_LEN));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        s.push('\'');
        s
    }

    /// A short public fingerprint of the key: hex of the first 8 bytes of
    /// `SHA-256("chartroom-key-check-v1" || key)`.
    ///
    /// Stored in the key file and the database so the app can tell "this is
    /// the wrong key" apart from "the database is damaged". It reveals nothing
    /// usable about the key.
    pub fn check_value(&self) -> String {
        let mut h = Sha256::new();
        h.update(CHECK_DOMAIN);
        h.update(self.0.as_ref());
        hex::encode(&h.finalize()[..8])
    }
}

/// Constant-time comparison, so comparing keys leaks nothing through timing.
impl PartialEq for DbKey {
    fn eq(&self, other: &Self) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Eq for DbKey {}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_is_lowercase_hex_in_sqlcipher_form() {
        let mut bytes = [0u8; 32];
        bytes[0] = 0xAB;
        bytes[31] = 0x0F;
        let lit = DbKey::from_bytes(bytes).sqlcipher_key_literal();
        assert_eq!(lit.len(), 67);
        assert!(lit.starts_with("x'ab00"));
        assert!(lit.ends_with("000f'"));
        assert_eq!(&lit[2..66], hex::encode(bytes));
    }

    #[test]
    fn debug_is_redacted() {
        let key = DbKey::from_bytes([0x5a; 32]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "DbKey(<redacted>)");
        assert!(!shown.contains("5a"));
    }

    #[test]
    fn generated_keys_differ_and_check_values_are_stable() {
        let a = DbKey::generate();
        let b = DbKey::generate();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_eq!(a.check_value(), a.clone().check_value());
        assert_ne!(a.check_value(), b.check_value());
        assert_eq!(a.check_value().len(), 16);
    }

    #[test]
    fn check_value_matches_its_definition() {
        let key = DbKey::from_bytes([7; 32]);
        let mut h = Sha256::new();
        h.update(b"chartroom-key-check-v1");
        h.update([7u8; 32]);
        assert_eq!(key.check_value(), hex::encode(&h.finalize()[..8]));
    }
}
