//! Clinicians' signing keys as the areas use them: made when a password is
//! set, re-wrapped when its owner changes it, replaced (the old one kept)
//! when an administrator resets it, opened with the password typed to
//! sign, and checked on every read of a signed note.
//!
//! A key's public half is published in the audit chain when it is made
//! (the record's id is kept with the key), so a key planted later by
//! someone holding the database key either shows in the log after the
//! notes it claims to have signed or rewrites the chain, which the anchors
//! outside the file catch. [`check`] verifies a signature and that its key
//! is the one the log published.

use chartroom_keys::{password_kdf, verify_signature, KeyError, WrappedSigningKey};

pub use chartroom_keys::OpenSigningKey;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::signing_keys::{self, SigningKeyRow};
use chartroom_store::{audit, Connection, Tx};
use chartroom_types::{SigningKeyId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Actor, Error, Result};

/// What a read of a signed note says about its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignatureCheck {
    /// A draft: nothing signed yet.
    Unsigned,
    /// The signer's key, as published in the audit log, signed exactly
    /// this content.
    Verified,
    /// The content, the signature or the key no longer match: the note
    /// was changed after signing.
    DoesNotVerify,
    /// Signed before signing keys existed: only the content hash seals it.
    HashOnly,
}

impl SignatureCheck {
    /// The words a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            SignatureCheck::Unsigned => "not signed",
            SignatureCheck::Verified => "signature verifies",
            SignatureCheck::DoesNotVerify => "signature does not verify",
            SignatureCheck::HashOnly => "signed before signing keys; content hash only",
        }
    }
}

fn key_error(e: KeyError) -> Error {
    Error::Internal(format!("signing key: {e}"))
}

/// A key made or opened outside a transaction (the Argon2id work is done
/// before the write lock is taken), to be stored or used inside one.
pub struct Prepared {
    key: OpenSigningKey,
    wrapped: Vec<u8>,
    /// The user's current key, when this is it.
    existing: Option<SigningKeyId>,
    /// Whether `wrapped` is a new wrap of the existing key.
    rewrapped: bool,
}

impl Prepared {
    /// A new key pair wrapped by `password`.
    pub fn new_key(password: &str) -> Result<Self> {
        let key = OpenSigningKey::generate();
        let wrapped = WrappedSigningKey::wrap(&key, password, password_kdf())
            .map_err(key_error)?
            .to_bytes();
        Ok(Prepared {
            key,
            wrapped,
            existing: None,
            rewrapped: false,
        })
    }

    /// The user's current key opened with `password` (already checked
    /// against the account), or a new one if they have none yet (accounts
    /// made before signing keys) or its wrap does not open with this
    /// password.
    pub fn for_signing(conn: &Connection, user_id: UserId, password: &str) -> Result<Self> {
        match signing_keys::current(conn, user_id)? {
            Some(row) => match open(&row, password) {
                Ok(key) => Ok(Prepared {
                    key,
                    wrapped: row.wrapped,
                    existing: Some(row.id),
                    rewrapped: false,
                }),
                Err(KeyError::WrongPassword) => Self::new_key(password),
                Err(e) => Err(key_error(e)),
            },
            None => Self::new_key(password),
        }
    }

    /// The user's current key re-wrapped by `new_password` (a password
    /// change by its owner: same key pair, so nothing they signed changes
    /// key), or a new key if the old wrap does not open with `current`.
    pub fn rewrapped(
        conn: &Connection,
        user_id: UserId,
        current: &str,
        new_password: &str,
    ) -> Result<Self> {
        match signing_keys::current(conn, user_id)? {
            Some(row) => match open(&row, current) {
                Ok(key) => {
                    let wrapped = WrappedSigningKey::wrap(&key, new_password, password_kdf())
                        .map_err(key_error)?
                        .to_bytes();
                    Ok(Prepared {
                        key,
                        wrapped,
                        existing: Some(row.id),
                        rewrapped: true,
                    })
                }
                Err(KeyError::WrongPassword) => Self::new_key(new_password),
                Err(e) => Err(key_error(e)),
            },
            None => Self::new_key(new_password),
        }
    }

    /// Stores the key as `user_id`'s current one: a new key retires the
    /// old (kept, with `why`) and is published in the audit chain; an
    /// existing one gets its new wrap. Returns the key to sign with.
    pub fn store(
        self,
        tx: &Tx<'_>,
        actor: &Actor,
        user_id: UserId,
        now: DateTime<Utc>,
        why: &str,
    ) -> Result<(SigningKeyId, OpenSigningKey)> {
        if let Some(id) = self.existing {
            if self.rewrapped {
                signing_keys::rewrap(tx, id, &self.wrapped)?;
            }
            return Ok((id, self.key));
        }
        let retired = signing_keys::retire_current(tx, user_id, now, why)?;
        let public = hex::encode(self.key.public_key());
        let audit_id = audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Create,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                format!(
                    "signing key made ({why}){}; ed25519 public key {public}",
                    retired
                        .map(|r| format!("; key {r} retired"))
                        .unwrap_or_default()
                ),
            ),
        )?;
        let id = signing_keys::insert(
            tx,
            user_id,
            &self.key.public_key(),
            &self.wrapped,
            now,
            audit_id,
        )?;
        Ok((id, self.key))
    }
}

/// The user's current key opened with `password`, or `None` when they have
/// none or it does not open with it. Makes nothing.
pub fn open_current(
    conn: &Connection,
    user_id: UserId,
    password: &str,
) -> Result<Option<(SigningKeyRow, OpenSigningKey)>> {
    let Some(row) = signing_keys::current(conn, user_id)? else {
        return Ok(None);
    };
    match open(&row, password) {
        Ok(key) => Ok(Some((row, key))),
        Err(KeyError::WrongPassword) => Ok(None),
        Err(e) => Err(key_error(e)),
    }
}

fn open(row: &SigningKeyRow, password: &str) -> Result<OpenSigningKey, KeyError> {
    let public: [u8; chartroom_keys::PUBLIC_KEY_LEN] = row
        .public_key
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::InvalidSigningKey {
            reason: "the public key has the wrong length".into(),
        })?;
    WrappedSigningKey::from_bytes(&row.wrapped)?.open(password, &public)
}

/// Whether `signature` by key `key_id` signs `hash`, and the key is the
/// one its audit record published for its owner `signer`.
pub fn check(
    conn: &Connection,
    signer: UserId,
    key_id: SigningKeyId,
    hash: &[u8],
    signature: &[u8],
) -> Result<SignatureCheck> {
    let key = match signing_keys::get(conn, key_id) {
        Ok(k) => k,
        Err(chartroom_store::StoreError::NotFound { .. }) => {
            return Ok(SignatureCheck::DoesNotVerify)
        }
        Err(e) => return Err(e.into()),
    };
    let published = audit::record(conn, key.audit_id)?.is_some_and(|r| {
        r.record_id == format!("user/{signer}")
            && r.detail.ends_with(&format!(
                "ed25519 public key {}",
                hex::encode(&key.public_key)
            ))
    });
    Ok(
        if key.user_id == signer && published && verify_signature(&key.public_key, hash, signature)
        {
            SignatureCheck::Verified
        } else {
            SignatureCheck::DoesNotVerify
        },
    )
}
