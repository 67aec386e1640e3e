//! Encounters, their notes, addenda and the practice's note templates.
//!
//! Invariants: a note is a draft until signed; drafts change in place
//! (autosave) under optimistic versioning. Signing stores a SHA-256 of the
//! note's content and signer ([`content_hash`]) and the signer's Ed25519
//! signature of that hash with the key that made it (the API signs; this
//! module stores); after that the content columns cannot change (the `note_signed_is_locked` trigger enforces it
//! below this code too). An addendum is a note whose `parent_id` names a
//! signed note. Entered in error ([`NOTE`], through [`crate::corrections`])
//! is final and keeps the note readable. A visit's date, type and reason
//! are corrected with their replaced states kept ([`ENCOUNTER`]).

use chartroom_types::{EncounterId, NoteId, PatientId, SigningKeyId, TemplateId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sha2::{Digest, Sha256};

use crate::corrections::{self, in_error, Fields, Table};
use crate::model::{NoteKind, NoteStatus, RecordStatus};
use crate::patients::decode;
use crate::{Result, StoreError};

/// How visits plug into [`crate::corrections`]: their replaced date, type
/// and reason are kept ([`Fields`]). Visits are not marked entered in error.
pub const ENCOUNTER: Table = Table::new("encounter", "visit", Some("version"));

/// How notes plug into [`crate::corrections`]: a draft or a signed note can
/// be marked entered in error; a draft changes in place (autosave) and a
/// signed note never changes, so no replaced states are kept.
pub const NOTE: Table = Table::new("note", "note", Some("version")).in_error(
    "status",
    "this note was marked entered in error and can no longer change",
    set_in_error,
);

/// A visit.
#[derive(Debug, Clone, PartialEq)]
pub struct EncounterRow {
    pub id: EncounterId,
    pub patient_id: PatientId,
    pub encounter_date: NaiveDate,
    pub provider_id: UserId,
    pub provider_name: String,
    pub kind: String,
    pub reason: String,
    pub status: RecordStatus,
    pub error_reason: String,
    pub created_at: DateTime<Utc>,
    /// Increments when the date, type or reason is corrected.
    pub version: i64,
}

/// A note as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub id: NoteId,
    pub patient_id: PatientId,
    pub encounter_id: EncounterId,
    pub parent_id: Option<NoteId>,
    pub kind: NoteKind,
    pub status: NoteStatus,
    /// The note's sections as JSON (the API owns the shape).
    pub body: String,
    pub version: i64,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<UserId>,
    pub signed_by_name: String,
    pub content_hash: Option<Vec<u8>>,
    pub error_reason: String,
    pub created_at: DateTime<Utc>,
    pub created_by_name: String,
    pub updated_at: DateTime<Utc>,
    /// The author: the only user who may change or sign the draft.
    pub created_by: UserId,
    pub updated_by: UserId,
    /// The signer's Ed25519 signature of [`NoteRow::content_hash`]; `None`
    /// for drafts and for notes signed before signing keys existed.
    pub signature: Option<Vec<u8>>,
    /// The key that made [`NoteRow::signature`].
    pub signing_key_id: Option<SigningKeyId>,
}

impl NoteRow {
    /// For a signed note, whether its stored content still matches the hash
    /// taken at signing. Drafts have no hash and answer `true`.
    pub fn hash_ok(&self) -> bool {
        match (&self.content_hash, self.signed_by, self.signed_at) {
            (Some(h), Some(by), Some(at)) => h.as_slice() == content_hash(self, by, at).as_slice(),
            (None, _, _) => self.status == NoteStatus::Draft,
            _ => false,
        }
    }
}

/// The hash a signature seals: who the note is about, where it belongs,
/// what it says, who signed it and when.
pub fn content_hash(n: &NoteRow, signed_by: UserId, signed_at: DateTime<Utc>) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        n.patient_id.to_string(),
        n.encounter_id.to_string(),
        n.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        n.kind.as_str().to_string(),
        n.body.clone(),
        signed_by.to_string(),
        signed_at.to_rfc3339(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// A note template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub name: String,
    pub body: String,
    pub active: bool,
    pub version: i64,
}

const ENCOUNTER_COLUMNS: &str = concat!(
    "e.id, e.patient_id, e.encounter_date, e.provider_id, \
     (SELECT full_name FROM user_account u WHERE u.id = e.provider_id), e.kind, e.reason, \
     e.status, ",
    in_error!(reason, "encounter", "e"),
    ", e.created_at, e.version"
);

fn encounter_from_row(r: &Row<'_>) -> rusqlite::Result<EncounterRow> {
    let status: String = r.get(7)?;
    Ok(EncounterRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        encounter_date: r.get(2)?,
        provider_id: r.get(3)?,
        provider_name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        kind: r.get(5)?,
        reason: r.get(6)?,
        status: decode(RecordStatus::parse(&status), "encounter status")?,
        error_reason: r.get(8)?,
        created_at: r.get(9)?,
        version: r.get(10)?,
    })
}

/// Opens a visit; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_encounter(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    date: NaiveDate,
    provider_id: UserId,
    kind: &str,
    reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<EncounterId> {
    tx.prepare_cached(
        "INSERT INTO encounter (patient_id, encounter_date, provider_id, kind, reason, status, \
         created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, 'final', ?6, ?7)",
    )?
    .execute(params![patient_id, date, provider_id, kind, reason, at, by])?;
    Ok(EncounterId(tx.last_insert_rowid()))
}

/// Corrects a visit's date, type and reason while none of its notes is
/// signed, keeping the replaced ones ([`corrections::history`]).
pub fn update_encounter(
    tx: &Transaction<'_>,
    id: EncounterId,
    expected_version: i64,
    (date, kind, reason): (NaiveDate, &str, &str),
    at: DateTime<Utc>,
    by: UserId,
) -> Result<EncounterRow> {
    let e = get_encounter(tx, id)?;
    let signed: i64 = tx.query_row(
        "SELECT count(*) FROM note WHERE encounter_id = ?1 AND status <> 'draft'",
        [id],
        |r| r.get(0),
    )?;
    if signed > 0 {
        return Err(StoreError::Locked(
            "the visit's note is signed; say what was wrong in an addendum",
        ));
    }
    corrections::check_current(tx, &ENCOUNTER, id, Some(expected_version))?;
    corrections::keep(
        tx,
        &ENCOUNTER,
        id,
        e.version,
        &Fields::of([
            ("date", e.encounter_date.to_string()),
            ("type", e.kind.clone()),
            ("reason", e.reason.clone()),
        ]),
        "visit corrected",
        at,
        by,
    )?;
    tx.execute(
        "UPDATE encounter SET encounter_date = ?2, kind = ?3, reason = ?4, version = version + 1 \
         WHERE id = ?1",
        params![id, date, kind, reason],
    )?;
    get_encounter(tx, id)
}

/// One visit.
pub fn get_encounter(conn: &Connection, id: EncounterId) -> Result<EncounterRow> {
    conn.prepare_cached(&format!(
        "SELECT {ENCOUNTER_COLUMNS} FROM encounter e WHERE e.id = ?1"
    ))?
    .query_row([id], encounter_from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "encounter",
        id: id.into(),
    })
}

/// A patient's visits, newest first.
pub fn encounters(
    conn: &Connection,
    patient_id: PatientId,
    limit: usize,
) -> Result<Vec<EncounterRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENCOUNTER_COLUMNS} FROM encounter e WHERE e.patient_id = ?1 \
         ORDER BY e.encounter_date DESC, e.id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, limit as i64], encounter_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

const NOTE_COLUMNS: &str = concat!(
    "n.id, n.patient_id, n.encounter_id, n.parent_id, n.kind, n.status, n.body, n.version, \
     n.signed_at, n.signed_by, (SELECT full_name FROM user_account u WHERE u.id = n.signed_by), \
     n.content_hash, ",
    in_error!(reason, "note", "n"),
    ", n.created_at, (SELECT full_name FROM user_account u WHERE u.id = n.created_by), \
     n.updated_at, n.created_by, n.updated_by, n.signature, n.signing_key_id"
);

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<NoteRow> {
    let kind: String = r.get(4)?;
    let status: String = r.get(5)?;
    Ok(NoteRow {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        encounter_id: r.get(2)?,
        parent_id: r.get(3)?,
        kind: decode(NoteKind::parse(&kind), "note kind")?,
        status: decode(NoteStatus::parse(&status), "note status")?,
        body: r.get(6)?,
        version: r.get(7)?,
        signed_at: r.get(8)?,
        signed_by: r.get(9)?,
        signed_by_name: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
        content_hash: r.get(11)?,
        error_reason: r.get(12)?,
        created_at: r.get(13)?,
        created_by_name: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
        updated_at: r.get(15)?,
        created_by: r.get(16)?,
        updated_by: r.get(17)?,
        signature: r.get(18)?,
        signing_key_id: r.get(19)?,
    })
}

/// Starts a draft note (or addendum, with `parent_id`); returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_note(
    tx: &Transaction<'_>,
    patient_id: PatientId,
    encounter_id: EncounterId,
    parent_id: Option<NoteId>,
    kind: NoteKind,
    body: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<NoteId> {
    tx.prepare_cached(
        "INSERT INTO note (patient_id, encounter_id, parent_id, kind, status, body, version, \
         created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, 'draft', ?5, 1, ?6, ?7, ?6, ?7)",
    )?
    .execute(params![
        patient_id,
        encounter_id,
        parent_id,
        kind.as_str(),
        body,
        at,
        by
    ])?;
    Ok(NoteId(tx.last_insert_rowid()))
}

fn draft_for_change(tx: &Transaction<'_>, id: NoteId, expected_version: i64) -> Result<NoteRow> {
    let n = get_note(tx, id)?;
    if n.status == NoteStatus::Signed {
        return Err(StoreError::Locked(
            "this note is signed and can no longer change; add an addendum instead",
        ));
    }
    corrections::check_current(tx, &NOTE, id, Some(expected_version))?;
    Ok(n)
}

/// Saves a draft's text (autosave).
pub fn save_draft(
    tx: &Transaction<'_>,
    id: NoteId,
    expected_version: i64,
    body: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<NoteRow> {
    draft_for_change(tx, id, expected_version)?;
    tx.prepare_cached(
        "UPDATE note SET body = ?2, version = version + 1, updated_at = ?3, updated_by = ?4 \
         WHERE id = ?1",
    )?
    .execute(params![id, body, at, by])?;
    get_note(tx, id)
}

/// Signs a draft: stores the hash and the signature `sign` makes of it
/// (with the key that made it; `None` stores the hash alone, as notes
/// signed before signing keys have it), and locks the note.
pub fn sign<E: From<StoreError>>(
    tx: &Transaction<'_>,
    id: NoteId,
    expected_version: i64,
    at: DateTime<Utc>,
    by: UserId,
    sign: impl FnOnce(&[u8; 32]) -> std::result::Result<Option<(SigningKeyId, Vec<u8>)>, E>,
) -> std::result::Result<NoteRow, E> {
    let n = draft_for_change(tx, id, expected_version)?;
    let hash = content_hash(&n, by, at);
    let (key, signature) = sign(&hash)?.unzip();
    tx.prepare_cached(
        "UPDATE note SET status = 'signed', signed_at = ?2, signed_by = ?3, content_hash = ?4, \
         signature = ?5, signing_key_id = ?6, version = version + 1, updated_at = ?2, \
         updated_by = ?3 WHERE id = ?1",
    )
    .map_err(StoreError::from)?
    .execute(params![id, at, by, hash.as_slice(), signature, key])
    .map_err(StoreError::from)?;
    Ok(get_note(tx, id)?)
}

/// Marks a note entered in error for [`corrections::mark_in_error`].
/// Drafts and signed notes alike stay readable (the triggers let a signed
/// note move only to entered in error).
fn set_in_error(tx: &Transaction<'_>, id: i64, at: DateTime<Utc>, by: UserId) -> Result<()> {
    tx.prepare_cached(
        "UPDATE note SET status = 'entered_in_error', version = version + 1, updated_at = ?2, \
         updated_by = ?3 WHERE id = ?1",
    )?
    .execute(params![id, at, by])?;
    Ok(())
}

/// One note.
pub fn get_note(conn: &Connection, id: NoteId) -> Result<NoteRow> {
    conn.prepare_cached(&format!(
        "SELECT {NOTE_COLUMNS} FROM note n WHERE n.id = ?1"
    ))?
    .query_row([id], note_from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "note",
        id: id.into(),
    })
}

/// A patient's notes (not addenda), newest first.
pub fn notes(conn: &Connection, patient_id: PatientId, limit: usize) -> Result<Vec<NoteRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NOTE_COLUMNS} FROM note n WHERE n.patient_id = ?1 AND n.parent_id IS NULL \
         ORDER BY n.created_at DESC, n.id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![patient_id, limit as i64], note_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A note as a list shows it: with its visit and the number of addenda.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteListRow {
    pub id: NoteId,
    pub status: NoteStatus,
    pub body: String,
    pub encounter_date: NaiveDate,
    pub encounter_kind: String,
    pub reason: String,
    pub provider_name: String,
    pub addenda: i64,
}

/// A patient's notes (not addenda) for a list, newest first: one query.
pub fn note_list(
    conn: &Connection,
    patient_id: PatientId,
    limit: usize,
) -> Result<Vec<NoteListRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.status, n.body, e.encounter_date, e.kind, e.reason, \
         (SELECT full_name FROM user_account u WHERE u.id = e.provider_id), \
         (SELECT count(*) FROM note a WHERE a.parent_id = n.id) \
         FROM note n JOIN encounter e ON e.id = n.encounter_id \
         WHERE n.patient_id = ?1 AND n.parent_id IS NULL \
         ORDER BY n.created_at DESC, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![patient_id, limit as i64], |r| {
            let status: String = r.get(1)?;
            Ok(NoteListRow {
                id: r.get(0)?,
                status: decode(NoteStatus::parse(&status), "note status")?,
                body: r.get(2)?,
                encounter_date: r.get(3)?,
                encounter_kind: r.get(4)?,
                reason: r.get(5)?,
                provider_name: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                addenda: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The addenda of a note, oldest first.
pub fn addenda(conn: &Connection, note_id: NoteId) -> Result<Vec<NoteRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NOTE_COLUMNS} FROM note n WHERE n.parent_id = ?1 ORDER BY n.id"
    ))?;
    let rows = stmt
        .query_map([note_id], note_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every template, active first, by name.
pub fn templates(conn: &Connection) -> Result<Vec<TemplateRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, body, active, version FROM note_template ORDER BY active DESC, name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(TemplateRow {
                id: r.get(0)?,
                name: r.get(1)?,
                body: r.get(2)?,
                active: r.get(3)?,
                version: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds a template (`id` None) or replaces one at `expected_version`.
pub fn save_template(
    tx: &Transaction<'_>,
    id: Option<TemplateId>,
    expected_version: i64,
    (name, body, active): (&str, &str, bool),
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> Result<TemplateId> {
    let taken: Option<i64> = tx
        .query_row(
            "SELECT id FROM note_template WHERE name = ?1 AND (?2 IS NULL OR id <> ?2)",
            params![name, id],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Duplicate {
            what: format!("a template named \"{name}\""),
        });
    }
    match id {
        None => {
            tx.execute(
                "INSERT INTO note_template (name, body, active, version, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, 1, ?4, ?5)",
                params![name, body, active, at, by],
            )?;
            Ok(TemplateId(tx.last_insert_rowid()))
        }
        Some(id) => {
            let found: i64 = tx
                .query_row(
                    "SELECT version FROM note_template WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::NotFound {
                    what: "template",
                    id: id.into(),
                })?;
            if found != expected_version {
                return Err(StoreError::Conflict {
                    what: "template",
                    expected: expected_version,
                    found,
                });
            }
            tx.execute(
                "UPDATE note_template SET name = ?2, body = ?3, active = ?4, version = version + 1, \
                 updated_at = ?5, updated_by = ?6 WHERE id = ?1",
                params![id, name, body, active, at, by],
            )?;
            Ok(id)
        }
    }
}

/// Test support only (the `test-support` feature, never in the app):
/// rewrites a signed note's body and seals it again with a correct content
/// hash, dropping the triggers that refuse it first, as someone with the
/// database key and a SQLite shell could. Only the signature, which needs
/// the clinician's password, shows it.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_rewrite_signed(conn: &Connection, id: NoteId, body: &str) -> Result<()> {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS note_signed_is_locked; \
         DROP TRIGGER IF EXISTS note_signature_is_final;",
    )?;
    conn.execute("UPDATE note SET body = ?2 WHERE id = ?1", params![id, body])?;
    let n = get_note(conn, id)?;
    let (Some(by), Some(at)) = (n.signed_by, n.signed_at) else {
        return Err(StoreError::Decode("the note is not signed".into()));
    };
    conn.execute(
        "UPDATE note SET content_hash = ?2 WHERE id = ?1",
        params![id, content_hash(&n, by, at).as_slice()],
    )?;
    Ok(())
}

/// Test support only (the `test-support` feature, never in the app):
/// replaces a signed note's signature, dropping the trigger that refuses
/// it first.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_set_signature(conn: &Connection, id: NoteId, signature: &[u8]) -> Result<()> {
    conn.execute_batch("DROP TRIGGER IF EXISTS note_signature_is_final;")?;
    conn.execute(
        "UPDATE note SET signature = ?2 WHERE id = ?1",
        params![id, signature],
    )?;
    Ok(())
}
