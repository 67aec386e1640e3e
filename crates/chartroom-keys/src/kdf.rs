//! Key derivation ([`KdfParams`], Argon2id) and the AES-256-GCM primitives
//! used to wrap the database key and to encrypt backups.
//!
//! Everything cryptographic in the crate goes through this module, so the
//! choice of algorithms is visible in one place.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::KeyError;

/// Largest memory cost accepted from a key file (4 GiB), so a damaged or
/// hostile file cannot make the app allocate without bound.
pub const MAX_M_COST_KIB: u32 = 4 * 1024 * 1024;
/// Largest time cost accepted from a key file.
pub const MAX_T_COST: u32 = 64;
/// Largest parallelism accepted from a key file.
pub const MAX_P_COST: u32 = 16;

/// Argon2id cost settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Number of passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The settings for real key files: Argon2id, 64 MiB, 3 passes, 1 lane.
    pub fn interactive() -> Self {
        KdfParams {
            m_cost_kib: 64 * 1024,
            t_cost: 3,
            p_cost: 1,
        }
    }

    /// The cheapest settings Argon2 accepts (8 KiB, 1 pass). Tests only:
    /// a key file made with these is easy to brute-force.
    pub fn fast_for_tests() -> Self {
        KdfParams {
            m_cost_kib: Params::MIN_M_COST,
            t_cost: 1,
            p_cost: 1,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), KeyError> {
        if self.m_cost_kib > MAX_M_COST_KIB || self.t_cost > MAX_T_COST || self.p_cost > MAX_P_COST
        {
            return Err(KeyError::InvalidKdfParams {
                reason: format!(
                    "costs m={} KiB, t={}, p={} exceed the limits m<={MAX_M_COST_KIB}, t<={MAX_T_COST}, p<={MAX_P_COST}",
                    self.m_cost_kib, self.t_cost, self.p_cost
                ),
            });
        }
        self.argon2_params().map(|_| ())
    }

    fn argon2_params(&self) -> Result<Params, KeyError> {
        Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32)).map_err(|e| {
            KeyError::InvalidKdfParams {
                reason: e.to_string(),
            }
        })
    }

    /// Derive a 256-bit wrapping key from a secret (passphrase or recovery
    /// code) and a salt with Argon2id.
    pub(crate) fn derive(
        &self,
        secret: &[u8],
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        self.validate()?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.argon2_params()?);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(secret, salt, out.as_mut())
            .map_err(|e| KeyError::InvalidKdfParams {
                reason: e.to_string(),
            })?;
        Ok(out)
    }
}

/// AES-256-GCM encrypt `plaintext` with `aad`; ciphertext includes the tag.
pub(crate) fn seal(
    key: &[u8; 32],
    nonce: &[u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, KeyError> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    cipher
        .encrypt(
            &(*nonce).into(),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| KeyError::Encryption {
            reason: "AES-256-GCM refused the input".to_string(),
        })
}

/// AES-256-GCM decrypt; `None` when the tag does not verify (wrong key,
/// wrong AAD, or altered data). Callers map that to their own error.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    aad: &[u8],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    cipher
        .decrypt(
            &(*nonce).into(),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactive_is_argon2id_64_mib_t3_p1() {
        assert_eq!(
            KdfParams::interactive(),
            KdfParams {
                m_cost_kib: 65536,
                t_cost: 3,
                p_cost: 1
            }
        );
        assert!(KdfParams::interactive().validate().is_ok());
        assert!(KdfParams::fast_for_tests().validate().is_ok());
    }

    #[test]
    fn derive_depends_on_secret_and_salt() {
        let p = KdfParams::fast_for_tests();
        let a = p.derive(b"secret one", &[1; 16]).unwrap();
        assert_eq!(a, p.derive(b"secret one", &[1; 16]).unwrap());
        assert_ne!(a, p.derive(b"secret two", &[1; 16]).unwrap());
        assert_ne!(a, p.derive(b"secret one", &[2; 16]).unwrap());
    }

    #[test]
    fn absurd_params_are_refused_not_attempted() {
        let huge = KdfParams {
            m_cost_kib: u32::MAX,
            t_cost: 1,
            p_cost: 1,
        };
        assert!(matches!(
            huge.derive(b"x", &[0; 16]),
            Err(KeyError::InvalidKdfParams { .. })
        ));
        let zero = KdfParams {
            m_cost_kib: 8,
            t_cost: 0,
            p_cost: 1,
        };
        assert!(matches!(
            zero.validate(),
            Err(KeyError::InvalidKdfParams { .. })
        ));
    }

    #[test]
    fn seal_open_round_trip_and_tamper_detection() {
        let key = [9u8; 32];
        let nonce = [3u8; 12];
        let ct = seal(&key, &nonce, b"aad", b"hello").unwrap();
        assert_eq!(ct.len(), 5 + 16);
        assert_eq!(&open(&key, &nonce, b"aad", &ct).unwrap()[..], b"hello");
        assert!(open(&key, &nonce, b"other", &ct).is_none());
        assert!(open(&[8u8; 32], &nonce, b"aad", &ct).is_none());
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert!(open(&key, &nonce, b"aad", &bad).is_none());
    }
}
