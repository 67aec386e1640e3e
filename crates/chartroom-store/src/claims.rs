//! Paper claims' tables: `claim` (one payer asked to pay a patient's
//! service lines, its status, the claim it replaces) and `claim_line` (the
//! charges on it, in printed order, written once). A status change keeps
//! the state it replaces ([`crate::corrections`]). The rules (which charges may be claimed, what is printed,
//! how the status moves) live in the billing crate.

use chartroom_types::{
    AccountId, ChargeId, ClaimId, ClaimStatus, CoverageId, Money, PatientId, PayerId, UserId,
};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, Fields, Table};
use crate::patients::decode;
use crate::{Result, StoreError};

/// Claims keep their replaced statuses.
pub const CLAIM: Table = Table::new("claim", "claim", Some("version"));

/// What a claim asks, as it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFields {
    pub account_id: AccountId,
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    pub coverage_id: CoverageId,
    /// The claim it replaces, and the payer's number for that one.
    pub original: Option<(ClaimId, String)>,
    pub total: Money,
}

/// A claim as stored, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub fields: ClaimFields,
    pub status: ClaimStatus,
    pub status_note: String,
    pub print_count: i64,
    pub first_printed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    /// The charges on it and the amount each was claimed for, in order.
    pub lines: Vec<(ChargeId, Money)>,
}

const CLAIM_SQL: &str = "SELECT c.id, c.account_id, c.patient_id, c.payer_id, c.coverage_id, \
     c.original_claim_id, c.payer_reference, c.total_cents, c.status, c.status_note, \
     c.print_count, c.first_printed_at, c.created_at, c.version FROM claim c";

fn claim_from_row(r: &Row<'_>) -> rusqlite::Result<ClaimRow> {
    let original: Option<ClaimId> = r.get(5)?;
    let reference: String = r.get(6)?;
    let status: String = r.get(8)?;
    Ok(ClaimRow {
        id: r.get(0)?,
        fields: ClaimFields {
            account_id: r.get(1)?,
            patient_id: r.get(2)?,
            payer_id: r.get(3)?,
            coverage_id: r.get(4)?,
            original: original.map(|o| (o, reference)),
            total: Money::from_cents(r.get(7)?),
        },
        status: decode(ClaimStatus::parse(&status), "claim status")?,
        status_note: r.get(9)?,
        print_count: r.get(10)?,
        first_printed_at: r.get(11)?,
        created_at: r.get(12)?,
        version: r.get(13)?,
        lines: Vec::new(),
    })
}

fn with_lines(conn: &Connection, mut row: ClaimRow) -> Result<ClaimRow> {
    let mut stmt = conn.prepare_cached(
        "SELECT charge_id, cents FROM claim_line WHERE claim_id = ?1 ORDER BY line_no",
    )?;
    row.lines = stmt
        .query_map([row.id], |r| Ok((r.get(0)?, Money::from_cents(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(row)
}

/// Makes a draft claim with its lines (written once).
pub fn insert_claim(
    tx: &Transaction<'_>,
    f: &ClaimFields,
    lines: &[(ChargeId, Money)],
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ClaimRow> {
    let (original, reference) = match &f.original {
        Some((id, r)) => (Some(*id), r.as_str()),
        None => (None, ""),
    };
    tx.prepare_cached(
        "INSERT INTO claim (account_id, patient_id, payer_id, coverage_id, status, \
         original_claim_id, payer_reference, total_cents, created_at, created_by, updated_at, \
         updated_by) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?9, ?8, ?9)",
    )?
    .execute(params![
        f.account_id,
        f.patient_id,
        f.payer_id,
        f.coverage_id,
        original,
        reference,
        f.total.cents(),
        at,
        by
    ])?;
    let id = ClaimId(tx.last_insert_rowid());
    let mut stmt = tx.prepare_cached(
        "INSERT INTO claim_line (claim_id, line_no, charge_id, cents) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, (charge, amount)) in lines.iter().enumerate() {
        stmt.execute(params![
            id,
            i64::try_from(i).unwrap_or(i64::MAX) + 1,
            charge,
            amount.cents()
        ])?;
    }
    claim(tx, id)
}

/// Moves a claim to `status` at `expected_version` (none: whatever it is
/// now, for a status the posting of an EOB decides), with a note.
pub fn set_claim_status(
    tx: &Transaction<'_>,
    id: ClaimId,
    expected_version: Option<i64>,
    status: ClaimStatus,
    note: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ClaimRow> {
    corrections::check_current(tx, &CLAIM, id, expected_version)?;
    keep_state(tx, id, "status", at, by)?;
    tx.prepare_cached(
        "UPDATE claim SET status = ?2, status_note = ?3, version = version + 1, \
         updated_at = ?4, updated_by = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), note, at, by])?;
    claim(tx, id)
}

/// Keeps the state of claim `id` that `change` replaces (its status, note
/// and count of printings).
fn keep_state(
    tx: &Transaction<'_>,
    id: ClaimId,
    change: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let old = claim(tx, id)?;
    corrections::keep(
        tx,
        &CLAIM,
        id,
        old.version,
        &Fields::of([
            ("status", old.status.as_str().to_owned()),
            ("status_note", old.status_note.clone()),
            ("print_count", old.print_count.to_string()),
        ]),
        change,
        at,
        by,
    )
}

/// Records that a claim was printed (or saved): printed from a draft, its
/// count of printings up by one.
pub fn mark_printed(
    tx: &Transaction<'_>,
    id: ClaimId,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    keep_state(tx, id, "printed", at, by)?;
    tx.prepare_cached(
        "UPDATE claim SET status = CASE status WHEN 'draft' THEN 'printed' ELSE status END, \
         print_count = print_count + 1, first_printed_at = coalesce(first_printed_at, ?2), \
         version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
    )?
    .execute(params![id, at, by])?;
    Ok(())
}

/// One claim with its lines.
pub fn claim(conn: &Connection, id: ClaimId) -> Result<ClaimRow> {
    let row = conn
        .prepare_cached(&format!("{CLAIM_SQL} WHERE c.id = ?1"))?
        .query_row([id], claim_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "claim",
            id: id.get(),
        })?;
    with_lines(conn, row)
}

/// A patient's claims, newest first, with their lines.
pub fn claims_of_patient(conn: &Connection, patient: PatientId) -> Result<Vec<ClaimRow>> {
    let rows = conn
        .prepare_cached(&format!(
            "{CLAIM_SQL} WHERE c.patient_id = ?1 ORDER BY c.id DESC"
        ))?
        .query_map([patient], claim_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| with_lines(conn, r)).collect()
}

/// The claims a charge is on, oldest first.
pub fn claims_of_charge(conn: &Connection, charge: ChargeId) -> Result<Vec<ClaimId>> {
    let ids = conn
        .prepare_cached("SELECT claim_id FROM claim_line WHERE charge_id = ?1 ORDER BY claim_id")?
        .query_map([charge], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Claims in `status`, oldest first, at most `limit` (the billing work
/// list: drafts to print, printed claims waiting for an answer).
pub fn claims_in_status(
    conn: &Connection,
    status: ClaimStatus,
    limit: usize,
) -> Result<Vec<ClaimRow>> {
    let rows = conn
        .prepare_cached(&format!(
            "{CLAIM_SQL} WHERE c.status = ?1 ORDER BY c.id LIMIT ?2"
        ))?
        .query_map(
            params![status.as_str(), i64::try_from(limit).unwrap_or(i64::MAX)],
            claim_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| with_lines(conn, r)).collect()
}
