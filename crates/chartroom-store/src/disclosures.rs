//! The disclosure log: every print or export of patient data, written once
//! (triggers refuse any change or deletion). A row says who received what,
//! why and how: the recipient's name and address, the purpose (45 CFR
//! 164.528), the sections and date range sent, the page count, the file's
//! SHA-256, whether it was printed or saved, who and when.
//!
//! Which rows belong in the accounting a patient receives follows from the
//! purpose alone ([`DisclosurePurpose::accountable`]), so it is computed on
//! read, never stored.

use chartroom_types::{
    DisclosureId, DisclosurePurpose, PacketKind, PatientId, RecordSection, ReleaseMethod, UserId,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::patients::decode;
use crate::Result;

/// A print or export of patient data, as the disclosure log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Disclosure {
    pub id: DisclosureId,
    pub patient_id: PatientId,
    /// "Family, Given" and the MRN, for the practice-wide log.
    pub patient_name: String,
    pub mrn: String,
    pub kind: PacketKind,
    /// What record it was made from (`entry/12`, `patient/3`).
    pub record_id: String,
    pub recipient: String,
    pub recipient_address: String,
    pub purpose: DisclosurePurpose,
    /// The purpose in the user's words (required for `other`).
    pub purpose_detail: String,
    /// Part of the accounting of disclosures a patient receives.
    pub accountable: bool,
    pub description: String,
    pub sections: Vec<RecordSection>,
    #[ts(type = "string | null")]
    pub date_from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub date_to: Option<NaiveDate>,
    #[ts(type = "number")]
    pub page_count: i64,
    pub method: ReleaseMethod,
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub by_name: String,
}

/// What a disclosure records, apart from who and when.
#[derive(Debug, Clone)]
pub struct NewDisclosure<'a> {
    pub patient_id: PatientId,
    pub kind: PacketKind,
    pub record_id: &'a str,
    pub recipient: &'a str,
    pub recipient_address: &'a str,
    pub purpose: DisclosurePurpose,
    pub purpose_detail: &'a str,
    pub description: &'a str,
    pub sections: &'a [RecordSection],
    pub dates: (Option<NaiveDate>, Option<NaiveDate>),
    pub page_count: i64,
    pub method: ReleaseMethod,
    pub file_name: &'a str,
    pub sha256: &'a [u8],
}

/// Logs a print or export of patient data.
pub fn insert(
    tx: &Transaction<'_>,
    d: &NewDisclosure<'_>,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<DisclosureId> {
    let sections = d
        .sections
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    tx.prepare_cached(
        "INSERT INTO disclosure (patient_id, kind, record_id, recipient, description, file_name, \
         sha256, at, by_user, recipient_address, purpose, purpose_detail, sections, date_from, \
         date_to, page_count, method) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        d.patient_id,
        d.kind.as_str(),
        d.record_id,
        d.recipient,
        d.description,
        d.file_name,
        d.sha256,
        at,
        by,
        d.recipient_address,
        d.purpose.as_str(),
        d.purpose_detail,
        sections,
        d.dates.0,
        d.dates.1,
        d.page_count,
        d.method.as_str(),
    ])?;
    Ok(DisclosureId(tx.last_insert_rowid()))
}

const COLUMNS: &str = "d.id, d.patient_id, p.family_name || ', ' || p.given_name, p.mrn, d.kind, \
     d.record_id, d.recipient, d.recipient_address, d.purpose, d.purpose_detail, d.description, \
     d.sections, d.date_from, d.date_to, d.page_count, d.method, d.file_name, d.sha256, d.at, \
     (SELECT full_name FROM user_account u WHERE u.id = d.by_user)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Disclosure> {
    let kind: String = r.get(4)?;
    let purpose: String = r.get(8)?;
    let purpose = decode(DisclosurePurpose::parse(&purpose), "disclosure purpose")?;
    let sections: String = r.get(11)?;
    let method: String = r.get(15)?;
    let sha: Vec<u8> = r.get(17)?;
    Ok(Disclosure {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        patient_name: r.get(2)?,
        mrn: r.get(3)?,
        kind: decode(PacketKind::parse(&kind), "disclosure kind")?,
        record_id: r.get(5)?,
        recipient: r.get(6)?,
        recipient_address: r.get(7)?,
        purpose,
        purpose_detail: r.get(9)?,
        accountable: purpose.accountable(),
        description: r.get(10)?,
        sections: sections
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| decode(RecordSection::parse(s), "disclosure section"))
            .collect::<rusqlite::Result<_>>()?,
        date_from: r.get(12)?,
        date_to: r.get(13)?,
        page_count: r.get(14)?,
        method: decode(ReleaseMethod::parse(&method), "disclosure method")?,
        file_name: r.get(16)?,
        sha256: sha.iter().map(|b| format!("{b:02x}")).collect(),
        at: r.get(18)?,
        by_name: r.get::<_, Option<String>>(19)?.unwrap_or_default(),
    })
}

/// A patient's disclosures made at or after `since`, newest first.
pub fn of_patient(
    conn: &Connection,
    patient_id: PatientId,
    since: DateTime<Utc>,
) -> Result<Vec<Disclosure>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM disclosure d JOIN patient p ON p.id = d.patient_id \
         WHERE d.patient_id = ?1 AND d.at >= ?2 ORDER BY d.at DESC, d.id DESC"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, since], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How the practice-wide log is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogOrder {
    NewestFirst,
    OldestFirst,
    Patient,
    Recipient,
}

/// Which rows of the practice-wide log to show.
#[derive(Debug, Clone)]
pub struct LogFilter {
    /// Made at or after.
    pub from: Option<DateTime<Utc>>,
    /// Made before.
    pub to: Option<DateTime<Utc>>,
    pub purpose: Option<DisclosurePurpose>,
    /// Only rows that belong in a patient's accounting.
    pub accountable_only: bool,
    /// Recipient or patient name contains (case-insensitive).
    pub text: String,
    pub order: LogOrder,
    pub limit: i64,
}

/// The practice-wide disclosure log.
pub fn log(conn: &Connection, f: &LogFilter) -> Result<Vec<Disclosure>> {
    let order = match f.order {
        LogOrder::NewestFirst => "d.at DESC, d.id DESC",
        LogOrder::OldestFirst => "d.at ASC, d.id ASC",
        LogOrder::Patient => "p.family_name, p.given_name, d.at DESC",
        LogOrder::Recipient => "d.recipient COLLATE NOCASE, d.at DESC",
    };
    let accountable: Vec<&str> = DisclosurePurpose::ALL
        .iter()
        .filter(|p| p.accountable())
        .map(|p| p.as_str())
        .collect();
    let accountable = accountable
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosure d JOIN patient p ON p.id = d.patient_id \
         WHERE (?1 IS NULL OR d.at >= ?1) AND (?2 IS NULL OR d.at < ?2) \
         AND (?3 IS NULL OR d.purpose = ?3) AND (?4 = 0 OR d.purpose IN ({accountable})) \
         AND (?5 = '' OR instr(lower(d.recipient), lower(?5)) > 0 \
              OR instr(lower(p.family_name || ', ' || p.given_name), lower(?5)) > 0) \
         ORDER BY {order} LIMIT ?6"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(
            params![
                f.from,
                f.to,
                f.purpose.map(|p| p.as_str()),
                f.accountable_only,
                f.text,
                f.limit
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
