//! Attached documents (scanned letters, outside lab reports): metadata in
//! `document`, bytes in `document_content`, both inside the encrypted file.
//!
//! Invariants: content is written once and never changed or deleted
//! (triggers); its SHA-256 is kept beside it and checked on every read. A
//! document's category, date and description are corrected with their
//! replaced states kept, and a document is marked entered in error, through
//! [`crate::corrections`] ([`DOCUMENT`]).

use chartroom_types::{DocumentId, PatientId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sha2::{Digest, Sha256};

use crate::corrections::{self, in_error, Fields, Table};
use crate::model::RecordStatus;
use crate::patients::decode;
use crate::{Result, StoreError};

/// How documents plug into [`crate::corrections`]: the description is
/// versioned with its replaced states kept; marking a document entered in
/// error leaves its version as it is.
pub const DOCUMENT: Table = Table::new("document", "document", Some("version")).in_error(
    "status",
    "this document was marked entered in error and can no longer change",
    set_in_error,
);

/// What describes a document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentMeta {
    pub category: String,
    pub doc_date: NaiveDate,
    pub description: String,
    pub file_name: String,
    pub mime: String,
}

/// A document as listed (without its bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub patient_id: PatientId,
    pub meta: DocumentMeta,
    pub size: i64,
    pub status: RecordStatus,
    pub error_reason: String,
    pub created_at: DateTime<Utc>,
    pub created_by_name: String,
    pub error_at: Option<DateTime<Utc>>,
    pub error_by_name: String,
    /// Increments when the description is corrected ([`update_meta`]).
    pub version: i64,
}

const COLUMNS: &str = concat!(
    "d.id, d.patient_id, d.category, d.doc_date, d.description, d.file_name, d.mime, d.size, \
     d.status, ",
    in_error!(reason, "document", "d"),
    ", d.created_at, (SELECT full_name FROM user_account u WHERE u.id = d.created_by), ",
    in_error!(marked_at, "document", "d"),
    ", ",
    in_error!(marked_by_name, "document", "d"),
    ", d.version"
);

fn from_row(r: &Row<'_>) -> rusqlite::Result<DocumentRow> {
    let status: String = r.get(8)?;
    Ok(DocumentRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        meta: DocumentMeta {
            category: r.get(2)?,
            doc_date: r.get(3)?,
            description: r.get(4)?,
            file_name: r.get(5)?,
            mime: r.get(6)?,
        },
        size: r.get(7)?,
        status: decode(RecordStatus::parse(&status), "document status")?,
        error_reason: r.get(9)?,
        created_at: r.get(10)?,
        created_by_name: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
        error_at: r.get(12)?,
        error_by_name: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
        version: r.get(14)?,
    })
}

/// Stores a document; returns its id.
pub fn insert(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    meta: &DocumentMeta,
    content: &[u8],
    at: DateTime<Utc>,
    by: UserId,
) -> Result<DocumentId> {
    let hash: [u8; 32] = Sha256::digest(content).into();
    tx.prepare_cached(
        "INSERT INTO document (patient_id, category, doc_date, description, file_name, mime, size, \
         sha256, status, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'final', ?9, ?10)",
    )?
    .execute(params![
        patient_id,
        meta.category,
        meta.doc_date,
        meta.description,
        meta.file_name,
        meta.mime,
        content.len() as i64,
        hash.as_slice(),
        at,
        by
    ])?;
    let id = DocumentId(tx.last_insert_rowid());
    tx.prepare_cached("INSERT INTO document_content (document_id, content) VALUES (?1, ?2)")?
        .execute(params![id, content])?;
    Ok(id)
}

/// One document's description.
pub fn get(conn: &Connection, id: DocumentId) -> Result<DocumentRow> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM document d WHERE d.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "document",
            id: id.into(),
        })
}

/// A document's bytes, checked against the hash stored with them.
pub fn content(conn: &Connection, id: DocumentId) -> Result<Vec<u8>> {
    let (bytes, hash): (Vec<u8>, Vec<u8>) = conn
        .prepare_cached(
            "SELECT c.content, d.sha256 FROM document_content c JOIN document d \
             ON d.id = c.document_id WHERE c.document_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "document",
            id: id.into(),
        })?;
    if Sha256::digest(&bytes).as_slice() != hash.as_slice() {
        return Err(StoreError::Decode(format!(
            "document {id} does not match the checksum stored with it"
        )));
    }
    Ok(bytes)
}

/// A patient's documents, newest first.
pub fn list(conn: &Connection, patient_id: PatientId) -> Result<Vec<DocumentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM document d WHERE d.patient_id = ?1 \
         ORDER BY d.doc_date DESC, d.id DESC"
    ))?;
    let rows = stmt
        .query_map([patient_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Marks a document entered in error (filed to the wrong patient, ...) for
/// [`corrections::mark_in_error`]. Its bytes stay readable.
fn set_in_error(tx: &Transaction<'_>, id: i64, _at: DateTime<Utc>, _by: UserId) -> Result<()> {
    tx.prepare_cached("UPDATE document SET status = 'entered_in_error' WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Corrects a document's category, date and description, keeping the
/// replaced ones ([`corrections::history`]).
pub fn update_meta(
    tx: &Transaction<'_>,
    id: DocumentId,
    expected_version: i64,
    (category, doc_date, description): (&str, NaiveDate, &str),
    at: DateTime<Utc>,
    by: UserId,
) -> Result<DocumentRow> {
    corrections::check_current(tx, &DOCUMENT, id, Some(expected_version))?;
    let d = get(tx, id)?;
    corrections::keep(
        tx,
        &DOCUMENT,
        id,
        d.version,
        &Fields::of([
            ("category", d.meta.category.clone()),
            ("date", d.meta.doc_date.to_string()),
            ("description", d.meta.description.clone()),
        ]),
        "description corrected",
        at,
        by,
    )?;
    tx.execute(
        "UPDATE document SET category = ?2, doc_date = ?3, description = ?4, version = version + 1 \
         WHERE id = ?1",
        params![id, category, doc_date, description],
    )?;
    get(tx, id)
}
