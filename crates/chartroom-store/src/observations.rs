//! Vital signs and lab results: one row per measured value, coded with
//! LOINC, stored in the catalogue's unit (SI for vitals).
//!
//! Invariants: observations are written once. A wrong one is marked entered
//! in error with a reason through [`crate::corrections`] ([`OBSERVATION`]);
//! a correction is a new row whose `replaces_id` names the one it corrects
//! (and marks that one entered in error). Values taken together (one set of vitals)
//! share a `group_id`. A trend is one indexed query
//! (`observation_trend`: patient, code, time), never one per point.

use chartroom_types::{EncounterId, ObservationId, PatientId, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, in_error, Table};
use crate::model::{ObservationKind, RecordStatus};
use crate::patients::decode;
use crate::{Result, StoreError};

/// How observations plug into [`crate::corrections`]: written once (no
/// version, no replaced states), marked entered in error with a reason.
pub const OBSERVATION: Table = Table::new("observation", "observation", None).in_error(
    "status",
    "this value was already marked entered in error",
    set_in_error,
);

/// A value to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation {
    pub kind: ObservationKind,
    pub code: String,
    pub value: f64,
    pub unit: String,
    /// Abnormal flag computed by the API (`high`, `critical_low`, ...).
    pub flag: String,
    /// Clinic-local time `YYYY-MM-DDTHH:MM`, or a date `YYYY-MM-DD`.
    pub effective_at: String,
    pub comment: String,
}

/// An observation as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRow {
    pub id: ObservationId,
    pub patient_id: PatientId,
    pub kind: ObservationKind,
    pub code: String,
    pub value: f64,
    pub unit: String,
    pub flag: String,
    pub effective_at: String,
    pub group_id: Option<ObservationId>,
    pub encounter_id: Option<EncounterId>,
    pub replaces_id: Option<ObservationId>,
    pub comment: String,
    pub status: RecordStatus,
    pub error_reason: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by_name: String,
    pub error_at: Option<DateTime<Utc>>,
    pub error_by_name: String,
}

const COLUMNS: &str = concat!(
    "o.id, o.patient_id, o.kind, o.code, o.value, o.unit, o.flag, o.effective_at, o.group_id, \
     o.encounter_id, o.replaces_id, o.comment, o.status, ",
    in_error!(reason, "observation", "o"),
    ", o.recorded_at, (SELECT full_name FROM user_account u WHERE u.id = o.recorded_by), ",
    in_error!(marked_at, "observation", "o"),
    ", ",
    in_error!(marked_by_name, "observation", "o")
);

fn from_row(r: &Row<'_>) -> rusqlite::Result<ObservationRow> {
    let kind: String = r.get(2)?;
    let status: String = r.get(12)?;
    Ok(ObservationRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        kind: decode(ObservationKind::parse(&kind), "observation kind")?,
        code: r.get(3)?,
        value: r.get(4)?,
        unit: r.get(5)?,
        flag: r.get(6)?,
        effective_at: r.get(7)?,
        group_id: r.get(8)?,
        encounter_id: r.get(9)?,
        replaces_id: r.get(10)?,
        comment: r.get(11)?,
        status: decode(RecordStatus::parse(&status), "observation status")?,
        error_reason: r.get(13)?,
        recorded_at: r.get(14)?,
        recorded_by_name: r.get::<_, Option<String>>(15)?.unwrap_or_default(),
        error_at: r.get(16)?,
        error_by_name: r.get::<_, Option<String>>(17)?.unwrap_or_default(),
    })
}

/// Records values taken together; returns their ids. When `replaces` is
/// given, that observation is marked entered in error ("corrected") in the
/// same transaction.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    encounter_id: Option<EncounterId>,
    replaces: Option<ObservationId>,
    values: &[NewObservation],
    at: DateTime<Utc>,
    by: UserId,
) -> Result<Vec<ObservationId>> {
    if let Some(old) = replaces {
        corrections::mark_in_error(
            tx,
            &OBSERVATION,
            old,
            None,
            "corrected by a new entry",
            at,
            by,
        )?;
    }
    let mut ids = Vec::with_capacity(values.len());
    let mut stmt = tx.prepare_cached(
        "INSERT INTO observation (patient_id, kind, code, value, unit, flag, effective_at, \
         group_id, encounter_id, replaces_id, comment, status, recorded_at, recorded_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'final', ?12, ?13)",
    )?;
    for v in values {
        stmt.execute(params![
            patient_id,
            v.kind.as_str(),
            v.code,
            v.value,
            v.unit,
            v.flag,
            v.effective_at,
            ids.first().copied(),
            encounter_id,
            replaces,
            v.comment,
            at,
            by
        ])?;
        ids.push(ObservationId(tx.last_insert_rowid()));
    }
    if ids.len() > 1 {
        tx.prepare_cached("UPDATE observation SET group_id = ?1 WHERE id = ?1")?
            .execute([ids[0]])?;
    }
    Ok(ids)
}

/// Marks an observation entered in error for
/// [`corrections::mark_in_error`]. It stays in history and leaves trends
/// and summaries.
fn set_in_error(tx: &Transaction<'_>, id: i64, _at: DateTime<Utc>, _by: UserId) -> Result<()> {
    tx.prepare_cached("UPDATE observation SET status = 'entered_in_error' WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The values recorded together with `group_id` (one set of vitals).
pub fn group(conn: &Connection, group_id: ObservationId) -> Result<Vec<ObservationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM observation o WHERE o.group_id = ?1 OR o.id = ?1 ORDER BY o.id"
    ))?;
    let rows = stmt
        .query_map([group_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One observation.
pub fn get(conn: &Connection, id: ObservationId) -> Result<ObservationRow> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM observation o WHERE o.id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "observation",
        id: id.into(),
    })
}

/// A patient's observations of one kind, newest first, at most `limit`,
/// entered-in-error ones included (for the full list and history).
pub fn list(
    conn: &Connection,
    patient_id: PatientId,
    kind: ObservationKind,
    limit: usize,
) -> Result<Vec<ObservationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM observation o WHERE o.patient_id = ?1 AND o.kind = ?2 \
         ORDER BY o.effective_at DESC, o.id DESC LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, kind.as_str(), limit as i64], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The last set of values of one kind: every valid value taken at the most
/// recent time. Two index seeks, however long the history.
pub fn latest_set(
    conn: &Connection,
    patient_id: PatientId,
    kind: ObservationKind,
) -> Result<Vec<ObservationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM observation o WHERE o.patient_id = ?1 AND o.kind = ?2 \
         AND o.status = 'final' AND o.effective_at = ( \
           SELECT max(effective_at) FROM observation WHERE patient_id = ?1 AND kind = ?2 \
           AND status = 'final') \
         ORDER BY o.id"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, kind.as_str()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The most recent valid value of each of `codes` the patient has, newest
/// first: one index seek per code (`observation_trend`), so the cost does
/// not grow with the length of the history.
pub fn latest_of_codes(
    conn: &Connection,
    patient_id: PatientId,
    codes: &[&str],
) -> Result<Vec<ObservationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM observation o WHERE o.patient_id = ?1 AND o.code = ?2 \
         AND o.status = 'final' ORDER BY o.effective_at DESC, o.id DESC LIMIT 1"
    ))?;
    let mut out = Vec::new();
    for code in codes {
        if let Some(r) = stmt
            .query_row(params![patient_id, code], from_row)
            .optional()?
        {
            out.push(r);
        }
    }
    out.sort_by(|a, b| {
        b.effective_at
            .cmp(&a.effective_at)
            .then(a.code.cmp(&b.code))
    });
    Ok(out)
}

/// One point of a trend: only what a plot needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    pub code: String,
    pub effective_at: String,
    pub value: f64,
    pub flag: String,
}

/// Valid values of one or more codes between two times (inclusive, as
/// stored text), oldest first: one query for a whole plot.
pub fn trend(
    conn: &Connection,
    patient_id: PatientId,
    codes: &[&str],
    from: &str,
    to: &str,
) -> Result<Vec<TrendRow>> {
    let placeholders = (0..codes.len())
        .map(|i| format!("?{}", i + 4))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT o.code, o.effective_at, o.value, o.flag FROM observation o \
         WHERE o.patient_id = ?1 AND o.code IN ({placeholders}) \
         AND o.effective_at >= ?2 AND o.effective_at <= ?3 AND o.status = 'final' \
         ORDER BY o.effective_at, o.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&patient_id, &from, &to];
    for c in codes {
        args.push(c);
    }
    let rows = stmt
        .query_map(args.as_slice(), |r| {
            Ok(TrendRow {
                code: r.get(0)?,
                effective_at: r.get(1)?,
                value: r.get(2)?,
                flag: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
