//! Versioned chart entries: problems, medications, allergies, immunizations
//! and prescriptions, plus the safety-override log.
//!
//! Invariants: an entry is never deleted (a trigger refuses it); every
//! change keeps the state it replaces, with the change's name, through
//! [`crate::corrections`] ([`ENTRY`]), so the history of an entry is its
//! replaced states and its current row ([`entry_versions`]); entered in
//! error goes through the same module and is final.
//! The store keeps each entry's section-specific details as a JSON `body`
//! it does not interpret: the API owns those types and their validation.

use chartroom_types::{EntryId, PatientId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::corrections::{self, in_error, Table};
use crate::model::{EntryStatus, Section};
use crate::patients::decode;
use crate::{Result, StoreError};

/// How chart entries plug into [`crate::corrections`].
pub const ENTRY: Table = Table::new("chart_entry", "chart entry", Some("version")).in_error(
    "status",
    "this entry was marked entered in error and can no longer change",
    set_in_error,
);

/// What a save writes: the columns every section shares, and its body.
/// Also what a replaced state of an entry keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryData {
    pub status: EntryStatus,
    /// The headline shown in lists: a problem's text, a drug, a substance.
    pub label: String,
    /// ICD-10-CM for problems, CVX for immunizations, empty otherwise.
    pub code: String,
    /// Onset, start or administration date.
    pub effective_date: Option<NaiveDate>,
    /// Section-specific details as JSON.
    pub body: String,
}

/// A chart entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub id: EntryId,
    pub patient_id: PatientId,
    pub section: Section,
    pub data: EntryData,
    pub error_reason: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: String,
}

/// One saved state of an entry, for its history.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryVersion {
    pub version: i64,
    pub data: EntryData,
    pub error_reason: String,
    /// What this save did ("created", "edited", "reconciled: still taking").
    pub change: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by_name: String,
}

const ENTRY_COLUMNS: &str = concat!(
    "e.id, e.patient_id, e.section, e.status, e.label, e.code, e.effective_date, e.body, ",
    in_error!(reason, "chart_entry", "e"),
    ", e.version, e.created_at, e.updated_at, \
     (SELECT full_name FROM user_account u WHERE u.id = e.updated_by)"
);

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<EntryRow> {
    let section: String = r.get(2)?;
    let status: String = r.get(3)?;
    Ok(EntryRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        section: decode(Section::parse(&section), "section")?,
        data: EntryData {
            status: decode(EntryStatus::parse(&status), "entry status")?,
            label: r.get(4)?,
            code: r.get(5)?,
            effective_date: r.get(6)?,
            body: r.get(7)?,
        },
        error_reason: r.get(8)?,
        version: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        updated_by_name: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
    })
}

/// Adds an entry at version 1 ("created"); returns its id.
pub fn insert_entry(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    section: Section,
    d: &EntryData,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<EntryId> {
    tx.prepare_cached(
        "INSERT INTO chart_entry (patient_id, section, status, label, code, effective_date, body, \
         version, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?8, ?9)",
    )?
    .execute(params![
        patient_id,
        section.as_str(),
        d.status.as_str(),
        d.label,
        d.code,
        d.effective_date,
        d.body,
        at,
        by
    ])?;
    Ok(EntryId(tx.last_insert_rowid()))
}

/// Replaces an entry's data if nobody saved it since `expected_version`,
/// keeping the replaced state with `change` ("edited"). Entries marked
/// entered in error are final.
pub fn update_entry(
    tx: &Transaction<'_>,
    id: EntryId,
    expected_version: i64,
    d: &EntryData,
    at: DateTime<Utc>,
    by: UserId,
    change: &str,
) -> Result<EntryRow> {
    corrections::check_current(tx, &ENTRY, id, Some(expected_version))?;
    if d.status == EntryStatus::EnteredInError {
        return Err(StoreError::Locked(
            "use 'entered in error' with a reason to retract an entry",
        ));
    }
    let current = get_entry(tx, id)?;
    save_next(tx, &current, d, change, (at, by))?;
    get_entry(tx, id)
}

/// Marks an entry entered in error for [`corrections::mark_in_error`]: its
/// next version is its current one, entered in error.
fn set_in_error(tx: &Transaction<'_>, id: i64, at: DateTime<Utc>, by: UserId) -> Result<()> {
    let current = get_entry(tx, EntryId(id))?;
    let d = EntryData {
        status: EntryStatus::EnteredInError,
        ..current.data.clone()
    };
    save_next(tx, &current, &d, "marked entered in error", (at, by))
}

/// Keeps an entry's current state, replaced by `change`, and saves `d` as
/// its next version.
fn save_next(
    tx: &Transaction<'_>,
    current: &EntryRow,
    d: &EntryData,
    change: &str,
    (at, by): (DateTime<Utc>, UserId),
) -> Result<()> {
    let (id, version) = (current.id, current.version);
    corrections::keep(tx, &ENTRY, id, version, &current.data, change, at, by)?;
    tx.prepare_cached(
        "UPDATE chart_entry SET status = ?2, label = ?3, code = ?4, effective_date = ?5, \
         body = ?6, version = ?7, updated_at = ?8, updated_by = ?9 WHERE id = ?1",
    )?
    .execute(params![
        id,
        d.status.as_str(),
        d.label,
        d.code,
        d.effective_date,
        d.body,
        version + 1,
        at,
        by
    ])?;
    Ok(())
}

/// One entry.
pub fn get_entry(conn: &Connection, id: EntryId) -> Result<EntryRow> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM chart_entry e WHERE e.id = ?1"
    ))?
    .query_row([id], entry_from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "chart entry",
        id: id.into(),
    })
}

/// A patient's entries, all statuses, one section or all, newest first
/// within a section.
pub fn list_entries(
    conn: &Connection,
    patient_id: PatientId,
    section: Option<Section>,
) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM chart_entry e \
         WHERE e.patient_id = ?1 AND (?2 IS NULL OR e.section = ?2) \
         ORDER BY e.section, e.effective_date DESC, e.id DESC"
    ))?;
    let rows = stmt
        .query_map(
            params![patient_id, section.map(|s| s.as_str())],
            entry_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every saved state of an entry, oldest first: its replaced states, then
/// its current row, each with the change that saved it and who saved it.
pub fn entry_versions(conn: &Connection, id: EntryId) -> Result<Vec<EntryVersion>> {
    let current = get_entry(conn, id)?;
    let created_by: String = conn
        .prepare_cached(
            "SELECT coalesce((SELECT full_name FROM user_account u WHERE u.id = e.created_by), '') \
             FROM chart_entry e WHERE e.id = ?1",
        )?
        .query_row([id], |r| r.get(0))?;
    let replaced = corrections::history::<EntryData>(conn, &ENTRY, id)?;
    Ok(corrections::timeline(
        (current.created_at, created_by),
        replaced,
        (current.version, current.data),
    )
    .into_iter()
    .map(|v| EntryVersion {
        version: v.version,
        error_reason: if v.version == current.version {
            current.error_reason.clone()
        } else {
            String::new()
        },
        data: v.fields,
        change: v.change,
        saved_at: v.saved_at,
        saved_by_name: v.saved_by_name,
    })
    .collect())
}

/// Records that a user went ahead despite safety warnings.
pub fn record_override(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    entry_id: EntryId,
    findings_json: &str,
    reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO safety_override (patient_id, entry_id, findings, reason, at, by_user) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![patient_id, entry_id, findings_json, reason, at, by])?;
    Ok(tx.last_insert_rowid())
}

/// The override reasons recorded for an entry: `(reason, findings JSON)`.
pub fn overrides_for(conn: &Connection, entry_id: EntryId) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT reason, findings FROM safety_override WHERE entry_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([entry_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
