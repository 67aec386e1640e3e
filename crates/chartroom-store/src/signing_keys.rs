//! The `signing_key` table: each clinician's Ed25519 public key, the
//! private half wrapped by their password, and the audit record that
//! published the public key.
//!
//! Invariants (the migration's triggers hold them below this code too): a
//! user has at most one current key; a key's public half, owner, date and
//! audit record never change; a key is never removed; a retired key is
//! final. Only the wrap of the current key changes, when its owner changes
//! their own password (same key pair, new wrap).

use chartroom_types::{SigningKeyId, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::{Result, StoreError};

/// A signing key as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SigningKeyRow {
    pub id: SigningKeyId,
    pub user_id: UserId,
    pub public_key: Vec<u8>,
    /// The private half wrapped by the owner's password (the keys crate's
    /// `WrappedSigningKey::to_bytes`).
    pub wrapped: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// The audit record that published the public key.
    pub audit_id: i64,
    pub retired_at: Option<DateTime<Utc>>,
    pub retired_reason: String,
}

const COLUMNS: &str =
    "id, user_id, public_key, wrapped, created_at, audit_id, retired_at, retired_reason";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SigningKeyRow> {
    Ok(SigningKeyRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        public_key: r.get(2)?,
        wrapped: r.get(3)?,
        created_at: r.get(4)?,
        audit_id: r.get(5)?,
        retired_at: r.get(6)?,
        retired_reason: r.get(7)?,
    })
}

/// The user's current (not retired) key, if they have one.
pub fn current(conn: &Connection, user_id: UserId) -> Result<Option<SigningKeyRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM signing_key WHERE user_id = ?1 AND retired_at IS NULL"
        ))?
        .query_row([user_id], from_row)
        .optional()?)
}

/// One key, current or retired.
pub fn get(conn: &Connection, id: SigningKeyId) -> Result<SigningKeyRow> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM signing_key WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "signing key",
            id: id.into(),
        })
}

/// Every key of a user, oldest first.
pub fn of_user(conn: &Connection, user_id: UserId) -> Result<Vec<SigningKeyRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM signing_key WHERE user_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([user_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Stores a new current key for `user_id`, published by audit record
/// `audit_id`. Retire the current one first ([`retire_current`]).
pub fn insert(
    tx: &Transaction<'_>,
    user_id: UserId,
    public_key: &[u8],
    wrapped: &[u8],
    at: DateTime<Utc>,
    audit_id: i64,
) -> Result<SigningKeyId> {
    tx.prepare_cached(
        "INSERT INTO signing_key (user_id, public_key, wrapped, created_at, audit_id) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user_id, public_key, wrapped, at, audit_id])?;
    Ok(SigningKeyId(tx.last_insert_rowid()))
}

/// Replaces the wrap of a current key (its owner changed their password).
pub fn rewrap(tx: &Transaction<'_>, id: SigningKeyId, wrapped: &[u8]) -> Result<()> {
    tx.prepare_cached("UPDATE signing_key SET wrapped = ?2 WHERE id = ?1 AND retired_at IS NULL")?
        .execute(params![id, wrapped])?;
    Ok(())
}

/// Retires the user's current key, if any; returns its id.
pub fn retire_current(
    tx: &Transaction<'_>,
    user_id: UserId,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<Option<SigningKeyId>> {
    let Some(key) = current(tx, user_id)? else {
        return Ok(None);
    };
    tx.prepare_cached("UPDATE signing_key SET retired_at = ?2, retired_reason = ?3 WHERE id = ?1")?
        .execute(params![key.id, at, reason])?;
    Ok(Some(key.id))
}

/// Test support only (the `test-support` feature, never in the app):
/// replaces a key's public half, dropping the trigger that refuses it
/// first, as someone planting a key of their own would.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_set_public_key(conn: &Connection, id: SigningKeyId, public_key: &[u8]) -> Result<()> {
    conn.execute_batch("DROP TRIGGER IF EXISTS signing_key_public_half_is_final;")?;
    conn.execute(
        "UPDATE signing_key SET public_key = ?2 WHERE id = ?1",
        params![id, public_key],
    )?;
    Ok(())
}
