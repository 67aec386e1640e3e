//! Replaced states of records that are corrected in place: a visit's date,
//! type and reason, a document's category, date and description. Each
//! correction stores the state it replaces, as field/value pairs, with who
//! replaced it and when (`record_history`, never changed or deleted).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};

use crate::{Result, StoreError};

/// One replaced state.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub version: i64,
    /// The fields as they were, in order.
    pub fields: Vec<(String, String)>,
    pub replaced_at: DateTime<Utc>,
    pub replaced_by_name: String,
}

/// Keeps the state of `kind`/`record_id` at `version` before it changes.
pub(crate) fn save(
    tx: &Transaction<'_>,
    (kind, record_id, version): (&str, i64, i64),
    fields: &[(&str, String)],
    at: DateTime<Utc>,
    by: i64,
) -> Result<()> {
    let snapshot = serde_json::to_string(fields).map_err(|e| StoreError::Decode(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO record_history (kind, record_id, version, snapshot, replaced_at, replaced_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![kind, record_id, version, snapshot, at, by])?;
    Ok(())
}

/// The replaced states of a record, oldest first.
pub fn list(conn: &Connection, kind: &str, record_id: i64) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.version, h.snapshot, h.replaced_at, \
         (SELECT full_name FROM user_account u WHERE u.id = h.replaced_by) \
         FROM record_history h WHERE h.kind = ?1 AND h.record_id = ?2 ORDER BY h.version",
    )?;
    let rows = stmt
        .query_map(params![kind, record_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, DateTime<Utc>>(2)?,
                r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(version, snapshot, replaced_at, replaced_by_name)| {
            Ok(HistoryRow {
                version,
                fields: serde_json::from_str(&snapshot)
                    .map_err(|e| StoreError::Decode(e.to_string()))?,
                replaced_at,
                replaced_by_name,
            })
        })
        .collect()
}
