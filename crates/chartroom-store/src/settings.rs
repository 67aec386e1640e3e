//! Practice identity (`practice`) and administrator settings (`setting`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::Result;

/// Who this database belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    /// Random id that names the key in the OS keyring.
    pub practice_id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// Records the practice when the database is set up.
pub fn init_practice(tx: &Transaction<'_>, p: &Practice) -> Result<()> {
    tx.execute(
        "INSERT INTO practice (id, practice_id, name, created_at) VALUES (1, ?1, ?2, ?3)",
        params![p.practice_id, p.name, p.created_at],
    )?;
    Ok(())
}

/// The practice this database belongs to, if set up.
pub fn practice(conn: &Connection) -> Result<Option<Practice>> {
    Ok(conn
        .query_row(
            "SELECT practice_id, name, created_at FROM practice WHERE id = 1",
            [],
            |r| {
                Ok(Practice {
                    practice_id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Renames the practice.
pub fn rename_practice(tx: &Transaction<'_>, name: &str) -> Result<()> {
    tx.execute("UPDATE practice SET name = ?1 WHERE id = 1", [name])?;
    Ok(())
}

/// Reads a setting.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Writes a setting.
pub fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
