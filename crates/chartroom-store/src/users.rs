//! The `user_account` table: logins, roles, lockout state. Accounts are
//! disabled, never deleted, so the audit log always names a real account.

use chartroom_types::UserId;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::model::{Role, UserAccount};
use crate::{Result, StoreError};

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub credentials: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
    pub can_emergency_access: bool,
}

const COLUMNS: &str = "id, username, full_name, credentials, roles, can_emergency_access, \
    disabled, locked_until, failed_attempts";

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<UserAccount> {
    let roles: String = r.get(4)?;
    Ok(UserAccount {
        id: r.get(0)?,
        username: r.get(1)?,
        full_name: r.get(2)?,
        credentials: r.get(3)?,
        roles: roles.split(',').filter_map(Role::parse).collect(),
        can_emergency_access: r.get(5)?,
        disabled: r.get(6)?,
        locked_until: r.get(7)?,
        failed_attempts: r.get(8)?,
    })
}

/// Creates an account. Usernames are unique regardless of case.
pub fn insert(tx: &Transaction<'_>, u: &NewUser<'_>, at: DateTime<Utc>) -> Result<UserAccount> {
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM user_account WHERE username = ?1",
            [u.username],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(StoreError::Duplicate {
            what: format!("a user named {}", u.username),
        });
    }
    tx.execute(
        "INSERT INTO user_account (username, full_name, credentials, password_hash, roles, \
         can_emergency_access, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            u.username,
            u.full_name,
            u.credentials,
            u.password_hash,
            Role::join(u.roles),
            u.can_emergency_access,
            at
        ],
    )?;
    get(tx, UserId(tx.last_insert_rowid()))
}

/// Reads one account.
pub fn get(conn: &Connection, id: UserId) -> Result<UserAccount> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM user_account WHERE id = ?1"),
        [id],
        user_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "user",
        id: id.into(),
    })
}

/// Finds an account by username (any case) with its password hash.
pub fn find_for_login(conn: &Connection, username: &str) -> Result<Option<(UserAccount, String)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, password_hash FROM user_account WHERE username = ?1"),
            [username],
            |r| Ok((user_from_row(r)?, r.get::<_, String>(9)?)),
        )
        .optional()?)
}

/// The password hash of an account.
pub fn password_hash(conn: &Connection, id: UserId) -> Result<String> {
    conn.query_row(
        "SELECT password_hash FROM user_account WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "user",
        id: id.into(),
    })
}

/// All accounts, by username.
pub fn list(conn: &Connection) -> Result<Vec<UserAccount>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM user_account ORDER BY username COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([], user_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn changed(n: usize, id: UserId) -> Result<()> {
    if n == 0 {
        Err(StoreError::NotFound {
            what: "user",
            id: id.into(),
        })
    } else {
        Ok(())
    }
}

/// Changes name, credentials, roles and emergency-access permission.
pub fn update_profile(
    tx: &Transaction<'_>,
    id: UserId,
    full_name: &str,
    credentials: &str,
    roles: &[Role],
    can_emergency_access: bool,
    at: DateTime<Utc>,
) -> Result<UserAccount> {
    let n = tx.execute(
        "UPDATE user_account SET full_name = ?2, credentials = ?3, roles = ?4, \
         can_emergency_access = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            id,
            full_name,
            credentials,
            Role::join(roles),
            can_emergency_access,
            at
        ],
    )?;
    changed(n, id)?;
    get(tx, id)
}

/// Disables or re-enables an account.
pub fn set_disabled(
    tx: &Transaction<'_>,
    id: UserId,
    disabled: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE user_account SET disabled = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, disabled, at],
    )?;
    changed(n, id)
}

/// Sets a new password hash and clears any lockout.
pub fn set_password(tx: &Transaction<'_>, id: UserId, hash: &str, at: DateTime<Utc>) -> Result<()> {
    let n = tx.execute(
        "UPDATE user_account SET password_hash = ?2, failed_attempts = 0, locked_until = NULL, \
         updated_at = ?3 WHERE id = ?1",
        params![id, hash, at],
    )?;
    changed(n, id)
}

/// Records a failed login; returns the new count of consecutive failures.
pub fn record_failure(
    tx: &Transaction<'_>,
    id: UserId,
    lock_until: Option<DateTime<Utc>>,
) -> Result<i64> {
    tx.execute(
        "UPDATE user_account SET failed_attempts = failed_attempts + 1, \
         locked_until = COALESCE(?2, locked_until) WHERE id = ?1",
        params![id, lock_until],
    )?;
    Ok(tx.query_row(
        "SELECT failed_attempts FROM user_account WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// Clears failures after a successful login.
pub fn clear_failures(tx: &Transaction<'_>, id: UserId) -> Result<()> {
    tx.execute(
        "UPDATE user_account SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Number of enabled accounts holding `role`.
pub fn count_enabled_with_role(conn: &Connection, role: Role) -> Result<i64> {
    let all = list(conn)?;
    Ok(all
        .iter()
        .filter(|u| !u.disabled && u.roles.contains(&role))
        .count() as i64)
}

/// A clinician's NPI ("" when none is kept).
pub fn npi_of(conn: &Connection, user: UserId) -> Result<String> {
    conn.prepare_cached("SELECT npi FROM user_account WHERE id = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "user",
            id: user.get(),
        })
}

/// Keeps a clinician's NPI (ten digits, or "" for none).
pub fn set_npi(tx: &Transaction<'_>, user: UserId, npi: &str) -> Result<()> {
    let n = tx
        .prepare_cached("UPDATE user_account SET npi = ?2 WHERE id = ?1")?
        .execute(params![user, npi])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: user.get(),
        });
    }
    Ok(())
}
