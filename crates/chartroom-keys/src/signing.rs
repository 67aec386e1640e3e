//! Clinicians' signing keys: Ed25519 key pairs whose private half is kept
//! only wrapped by the clinician's password.
//!
//! A key pair ([`OpenSigningKey::generate`]) is made when a password is set. Its public half is
//! stored (and recorded in the audit chain) in the clear; its private half
//! is sealed with AES-256-GCM under a key derived from the password with
//! Argon2id ([`WrappedSigningKey`]), the public key bound in as AAD so a
//! wrap cannot be moved to another key row. Signing a note unwraps the key
//! with the password typed to sign, signs the note's content hash and drops
//! the secret (zeroized). Anyone may [`verify`] with the public key; nobody
//! holding only the database key can sign, because the password is not in
//! the database (only its Argon2id hash, which does not open the wrap).

use ed25519_dalek::Signer;
use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::kdf::{open, seal, KdfParams};
use crate::KeyError;

/// An Ed25519 public key's length.
pub const PUBLIC_KEY_LEN: usize = 32;
/// An Ed25519 signature's length.
pub const SIGNATURE_LEN: usize = 64;

const WRAP_FORMAT: u8 = 1;
const AAD_PREFIX: &[u8] = b"chartroom-signing-key-v1:";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const SEALED_LEN: usize = 32 + 16;
/// format, three u32 costs, salt, nonce, sealed secret.
const WRAPPED_LEN: usize = 1 + 12 + SALT_LEN + NONCE_LEN + SEALED_LEN;

/// The Argon2id costs for wrapping a signing key: those of the password
/// hash itself (Argon2id, 19 MiB, 2 passes, 1 lane), so signing costs what
/// a password check costs.
pub fn password_kdf() -> KdfParams {
    KdfParams {
        m_cost_kib: 19 * 1024,
        t_cost: 2,
        p_cost: 1,
    }
}

/// The private half sealed under a password, as stored
/// ([`WrappedSigningKey::to_bytes`]).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedSigningKey {
    kdf: KdfParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    sealed: Vec<u8>,
}

impl std::fmt::Debug for WrappedSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedSigningKey")
            .field("kdf", &self.kdf)
            .finish_non_exhaustive()
    }
}

/// A private key opened for one signature; zeroized when dropped.
pub struct OpenSigningKey(ed25519_dalek::SigningKey);

impl OpenSigningKey {
    /// Makes a new key pair from the operating system's random source.
    pub fn generate() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(seed.as_mut());
        OpenSigningKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// Signs `message` (a content hash).
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.0.sign(message).to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0.verifying_key().to_bytes()
    }
}

fn aad(public_key: &[u8; PUBLIC_KEY_LEN]) -> Vec<u8> {
    [AAD_PREFIX, public_key.as_slice()].concat()
}

impl WrappedSigningKey {
    /// Seals `key` under `password`.
    pub fn wrap(key: &OpenSigningKey, password: &str, kdf: KdfParams) -> Result<Self, KeyError> {
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut nonce);
        let wrapping = kdf.derive(password.as_bytes(), &salt)?;
        let secret = Zeroizing::new(key.0.to_bytes());
        let sealed = seal(
            &wrapping,
            &nonce,
            &aad(&key.public_key()),
            secret.as_slice(),
        )?;
        Ok(WrappedSigningKey {
            kdf,
            salt,
            nonce,
            sealed,
        })
    }

    /// Opens the private key with `password`; `public_key` is the stored
    /// public half it must match. A wrong password (or a wrap moved from
    /// another key) is [`KeyError::WrongPassword`].
    pub fn open(
        &self,
        password: &str,
        public_key: &[u8; PUBLIC_KEY_LEN],
    ) -> Result<OpenSigningKey, KeyError> {
        let wrapping = self.kdf.derive(password.as_bytes(), &self.salt)?;
        let secret = open(&wrapping, &self.nonce, &aad(public_key), &self.sealed)
            .ok_or(KeyError::WrongPassword)?;
        let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(
            secret
                .as_slice()
                .try_into()
                .map_err(|_| KeyError::WrongPassword)?,
        );
        let key = OpenSigningKey(ed25519_dalek::SigningKey::from_bytes(&bytes));
        if &key.public_key() != public_key {
            return Err(KeyError::WrongPassword);
        }
        Ok(key)
    }

    /// The stored form: format byte, Argon2 costs (big-endian u32 m, t, p),
    /// salt, nonce, sealed secret with its tag.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(WRAPPED_LEN);
        out.push(WRAP_FORMAT);
        out.extend_from_slice(&self.kdf.m_cost_kib.to_be_bytes());
        out.extend_from_slice(&self.kdf.t_cost.to_be_bytes());
        out.extend_from_slice(&self.kdf.p_cost.to_be_bytes());
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.sealed);
        out
    }

    /// Reads [`WrappedSigningKey::to_bytes`]; refuses anything else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let bad = |reason: &str| KeyError::InvalidSigningKey {
            reason: reason.to_string(),
        };
        if bytes.len() != WRAPPED_LEN {
            return Err(bad("the wrapped signing key has the wrong length"));
        }
        if bytes[0] != WRAP_FORMAT {
            return Err(bad("the wrapped signing key has an unknown format"));
        }
        let u32_at =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let kdf = KdfParams {
            m_cost_kib: u32_at(1),
            t_cost: u32_at(5),
            p_cost: u32_at(9),
        };
        kdf.validate()?;
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        salt.copy_from_slice(&bytes[13..13 + SALT_LEN]);
        nonce.copy_from_slice(&bytes[13 + SALT_LEN..13 + SALT_LEN + NONCE_LEN]);
        Ok(WrappedSigningKey {
            kdf,
            salt,
            nonce,
            sealed: bytes[13 + SALT_LEN + NONCE_LEN..].to_vec(),
        })
    }
}

/// Whether `signature` is `public_key`'s signature of `message`. Malformed
/// keys or signatures answer `false`.
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let (Ok(pk), Ok(sig)) = (
        <[u8; PUBLIC_KEY_LEN]>::try_from(public_key),
        <[u8; SIGNATURE_LEN]>::try_from(signature),
    ) else {
        return false;
    };
    let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else {
        return false;
    };
    vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&sig))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pair {
        public_key: [u8; PUBLIC_KEY_LEN],
        wrapped: WrappedSigningKey,
    }

    fn pair(pw: &str) -> Pair {
        let key = OpenSigningKey::generate();
        Pair {
            public_key: key.public_key(),
            wrapped: WrappedSigningKey::wrap(&key, pw, KdfParams::fast_for_tests()).unwrap(),
        }
    }

    #[test]
    fn a_signature_made_with_the_password_verifies_and_nothing_else_does() {
        let p = pair("correct horse battery");
        let key = p
            .wrapped
            .open("correct horse battery", &p.public_key)
            .unwrap();
        let sig = key.sign(b"content hash");
        assert!(verify(&p.public_key, b"content hash", &sig));
        assert!(!verify(&p.public_key, b"content hasH", &sig));
        let mut forged = sig;
        forged[10] ^= 1;
        assert!(!verify(&p.public_key, b"content hash", &forged));
        let other = pair("another password");
        assert!(!verify(&other.public_key, b"content hash", &sig));
        assert!(!verify(&p.public_key[..31], b"content hash", &sig));
        assert!(!verify(&p.public_key, b"content hash", &sig[..63]));
    }

    #[test]
    fn the_wrap_opens_only_with_its_password_and_its_public_key() {
        let p = pair("correct horse battery");
        assert!(matches!(
            p.wrapped.open("wrong horse battery", &p.public_key),
            Err(KeyError::WrongPassword)
        ));
        let other = pair("correct horse battery");
        assert!(matches!(
            p.wrapped.open("correct horse battery", &other.public_key),
            Err(KeyError::WrongPassword)
        ));
    }

    #[test]
    fn rewrapping_keeps_the_key_pair() {
        let p = pair("old password 1");
        let key = p.wrapped.open("old password 1", &p.public_key).unwrap();
        let re =
            WrappedSigningKey::wrap(&key, "new password 2", KdfParams::fast_for_tests()).unwrap();
        let again = re.open("new password 2", &p.public_key).unwrap();
        assert_eq!(again.public_key(), p.public_key);
        assert!(re.open("old password 1", &p.public_key).is_err());
    }

    #[test]
    fn the_stored_form_round_trips_and_damaged_forms_are_refused() {
        let p = pair("correct horse battery");
        let bytes = p.wrapped.to_bytes();
        assert_eq!(bytes.len(), WRAPPED_LEN);
        let back = WrappedSigningKey::from_bytes(&bytes).unwrap();
        assert_eq!(back, p.wrapped);
        assert!(back.open("correct horse battery", &p.public_key).is_ok());
        for n in [0, 1, WRAPPED_LEN - 1, WRAPPED_LEN + 1] {
            assert!(
                WrappedSigningKey::from_bytes(&vec![1u8; n]).is_err(),
                "{n} bytes"
            );
        }
        let mut wrong_format = bytes.clone();
        wrong_format[0] = 9;
        assert!(WrappedSigningKey::from_bytes(&wrong_format).is_err());
        let mut huge_cost = bytes;
        huge_cost[1] = 0xff;
        assert!(matches!(
            WrappedSigningKey::from_bytes(&huge_cost),
            Err(KeyError::InvalidKdfParams { .. })
        ));
    }

    #[test]
    fn the_password_kdf_is_the_password_hash_cost() {
        let p = password_kdf();
        assert_eq!((p.m_cost_kib, p.t_cost, p.p_cost), (19456, 2, 1));
        assert_eq!(
            argon2::Params::default().m_cost(),
            p.m_cost_kib,
            "same memory cost as argon2's default, used for password hashes"
        );
        assert_eq!(argon2::Params::default().t_cost(), p.t_cost);
    }
}
