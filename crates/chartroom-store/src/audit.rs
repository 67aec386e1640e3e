//! The audit log: an append-only, hash-chained record of every access.
//!
//! Record `n` stores `hash_n = SHA-256(hash_{n-1} || canonical(record_n))`,
//! with 32 zero bytes before the first. `audit_head` keeps the id and hash of
//! the newest record, updated in the same transaction, so removing records
//! from the end is detected too. [`verify`] recomputes the chain and names
//! the first record that does not fit: an edited, deleted, inserted or
//! reordered record breaks it, and so does an empty log, a missing head or a
//! first record that is not the practice set-up.
//!
//! Triggers (migration 6) refuse any change or removal of a record and let
//! the head move forward only one record at a time. Someone with the key
//! and a SQLite shell can still drop them and rewrite the chain from some
//! record on; what catches that is an [`Anchor`], a record id and hash kept
//! outside the file (in every backup's header, on a printed audit seal),
//! given to [`verify_against`].
//!
//! The canonical encoding of a record (encoding 2) length-prefixes every
//! field, so no text can move a boundary between fields; records written
//! before migration 6 keep encoding 1 (fields joined by U+001F) and verify
//! as they were written. Free text going into the log is bounded
//! ([`MAX_TEXT`]).

use chartroom_types::{PatientId, UserId};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, ToSql, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::model::{AuditAction, AuditRecord, DataCategory};
use crate::{Result, StoreError};

/// Test support only (the `test-support` feature, never in the app):
/// overwrites one record's detail behind the chain's back, as someone with
/// the key and a SQLite shell could (dropping the trigger that refuses it
/// first), so that a test can show [`verify`] naming the record. The one raw edit of the log outside this module's
/// append, kept here so no other crate holds SQL.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_with_detail(conn: &Connection, id: i64, detail: &str) -> Result<()> {
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_log_never_changed")?;
    conn.execute(
        "UPDATE audit_log SET detail = ?1 WHERE id = ?2",
        params![detail, id],
    )?;
    Ok(())
}

/// Test support only (the `test-support` feature, never in the app): erases
/// every record after `keep` and moves the head back to it, dropping the
/// triggers that refuse both first, as someone with the key and a SQLite
/// shell could. What is left is a whole chain; only an anchor taken before
/// catches it.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_erase_after(conn: &Connection, keep: i64) -> Result<()> {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_never_deleted; \
         DROP TRIGGER IF EXISTS audit_head_moves_forward;",
    )?;
    conn.execute("DELETE FROM audit_log WHERE id > ?1", [keep])?;
    conn.execute(
        "UPDATE audit_head SET last_id = ?1, \
         last_hash = (SELECT hash FROM audit_log WHERE id = ?1) WHERE id = 1",
        [keep],
    )?;
    Ok(())
}

/// Test support only (the `test-support` feature, never in the app): removes
/// the chain's head behind the triggers' back, so that every later append is
/// refused (the head can only start again at record 1): a way for a test to
/// make the audit write fail and see that the app still fails closed.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_remove_head(conn: &Connection) -> Result<()> {
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_head_never_deleted; DELETE FROM audit_head;")?;
    Ok(())
}

/// What a caller records; the store adds id, time and the chain.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub user_id: Option<UserId>,
    pub username: String,
    pub patient_id: Option<PatientId>,
    pub action: Option<AuditAction>,
    pub category: Option<DataCategory>,
    pub record_id: String,
    pub detail: String,
    pub emergency: bool,
}

const GENESIS: [u8; 32] = [0u8; 32];

/// The encoding this build writes (see the module doc).
pub const ENCODING: i64 = 2;

/// The most characters of any one text field kept in a record; longer text
/// (a pasted reason, a search query, a code echoed before validation) is cut
/// and says how much was left out.
pub const MAX_TEXT: usize = 2_000;

/// `text` cut to [`MAX_TEXT`] characters, saying how many were left out.
fn bounded(text: &str) -> String {
    let n = text.chars().count();
    if n <= MAX_TEXT {
        return text.to_string();
    }
    let kept: String = text.chars().take(MAX_TEXT).collect();
    format!("{kept}… [{} more characters not kept]", n - MAX_TEXT)
}

/// The fields of a record as hashed, in order.
fn fields(r: &AuditRecord) -> [String; 10] {
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let (user_id, patient_id) = (r.user_id.map(i64::from), r.patient_id.map(i64::from));
    [
        r.id.to_string(),
        r.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        opt(user_id),
        r.username.clone(),
        opt(patient_id),
        r.action.as_str().to_string(),
        r.category.as_str().to_string(),
        r.record_id.clone(),
        r.detail.clone(),
        u8::from(r.emergency).to_string(),
    ]
}

/// The bytes hashed for a record in `encoding`; `None` for an encoding
/// this build does not know.
fn canonical(encoding: i64, r: &AuditRecord) -> Option<Vec<u8>> {
    match encoding {
        // Before migration 6: fields joined by the unit separator.
        1 => Some(fields(r).join("\u{1f}").into_bytes()),
        // The encoding's number, then each field as its length in bytes
        // (8 bytes, big-endian) and its UTF-8 bytes.
        2 => {
            let mut out = Vec::with_capacity(256);
            out.extend_from_slice(&(encoding as u64).to_be_bytes());
            for f in fields(r) {
                out.extend_from_slice(&(f.len() as u64).to_be_bytes());
                out.extend_from_slice(f.as_bytes());
            }
            Some(out)
        }
        _ => None,
    }
}

fn chain_hash(prev: &[u8], encoding: i64, r: &AuditRecord) -> Option<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical(encoding, r)?);
    Some(h.finalize().into())
}

/// A record's id and hash, kept outside the database (a backup's header,
/// a printed audit seal): the log must still hold that record with that
/// hash, so a chain rewritten from any earlier record on is detected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The record's id.
    pub id: i64,
    /// Its chain hash.
    pub hash: [u8; 32],
    /// Where the anchor came from, for the report ("backup of 2026-11-30").
    pub source: String,
}

impl Anchor {
    /// An anchor as printed on an audit seal and typed back: the record id,
    /// then its 64 hex digits, separated by `:` or spaces; spaces and dashes
    /// inside the hash (as printed in groups) are ignored.
    pub fn parse_seal(text: &str, source: &str) -> std::result::Result<Anchor, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| c == ':' || c.is_whitespace())
            .ok_or("write the record number, a colon and the hash, as printed on the seal")?;
        let id: i64 = text[..split]
            .trim_start_matches('#')
            .parse()
            .ok()
            .filter(|id| *id >= 1)
            .ok_or("the record number must be a whole number of 1 or more")?;
        let digits: String = text[split + 1..]
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != ':')
            .collect();
        let mut hash = [0u8; 32];
        hex::decode_to_slice(&digits, &mut hash)
            .map_err(|_| "the hash must be 64 hexadecimal digits (0-9, a-f)")?;
        Ok(Anchor {
            id,
            hash,
            source: source.to_string(),
        })
    }

    /// The hash as printed on a seal: 64 hex digits in groups of 8.
    pub fn hash_text(&self) -> String {
        let hex = hex::encode(self.hash);
        hex.as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The head of the chain (the newest record's id and hash), as an anchor
/// from `source`; `None` for a log without records.
pub fn head(conn: &Connection, source: &str) -> Result<Option<Anchor>> {
    let head: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(head.and_then(|(id, hash)| {
        Some(Anchor {
            id,
            hash: hash.try_into().ok()?,
            source: source.to_string(),
        })
    }))
}

/// Appends one record inside the caller's transaction and returns its id.
pub fn append(tx: &Transaction<'_>, at: DateTime<Utc>, ev: &AuditEvent) -> Result<i64> {
    let (action, category) = match (ev.action, ev.category) {
        (Some(a), Some(c)) => (a, c),
        _ => {
            return Err(StoreError::Decode(
                "audit event needs an action and a category".into(),
            ))
        }
    };
    let head: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (last_id, prev) = head.clone().unwrap_or((0, GENESIS.to_vec()));
    // Microsecond precision, so the stored text round-trips exactly.
    let at = DateTime::<Utc>::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
    let rec = AuditRecord {
        id: last_id + 1,
        at,
        user_id: ev.user_id,
        username: bounded(&ev.username),
        patient_id: ev.patient_id,
        action,
        category,
        record_id: bounded(&ev.record_id),
        detail: bounded(&ev.detail),
        emergency: ev.emergency,
    };
    let hash = chain_hash(&prev, ENCODING, &rec)
        .ok_or_else(|| StoreError::Decode("unknown audit encoding".into()))?;
    tx.execute(
        "INSERT INTO audit_log (id, at, user_id, username, patient_id, action, category, \
         record_id, detail, emergency, prev_hash, hash, encoding) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            rec.id,
            rec.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            rec.user_id,
            rec.username,
            rec.patient_id,
            action.as_str(),
            category.as_str(),
            rec.record_id,
            rec.detail,
            rec.emergency,
            prev,
            hash.to_vec(),
            ENCODING,
        ],
    )?;
    // The head moves forward by one (the triggers allow nothing else).
    let sql = if head.is_some() {
        "UPDATE audit_head SET last_id = ?1, last_hash = ?2 WHERE id = 1"
    } else {
        "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2)"
    };
    tx.execute(sql, params![rec.id, hash.to_vec()])?;
    Ok(rec.id)
}

fn record_from_row(r: &Row<'_>) -> rusqlite::Result<AuditRecord> {
    let action: String = r.get(5)?;
    let category: String = r.get(6)?;
    let at: String = r.get(1)?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown audit {what}").into(),
        )
    };
    Ok(AuditRecord {
        id: r.get(0)?,
        at: DateTime::parse_from_rfc3339(&at)
            .map_err(|_| bad("time"))?
            .with_timezone(&Utc),
        user_id: r.get(2)?,
        username: r.get(3)?,
        patient_id: r.get(4)?,
        action: AuditAction::parse(&action).ok_or_else(|| bad("action"))?,
        category: DataCategory::parse(&category).ok_or_else(|| bad("category"))?,
        record_id: r.get(7)?,
        detail: r.get(8)?,
        emergency: r.get(9)?,
    })
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainReport {
    /// Records checked.
    #[ts(type = "number")]
    pub records: i64,
    /// Anchors the log was found to match (see [`verify_against`]).
    #[ts(type = "number")]
    pub anchors_matched: i64,
    /// The first record that does not fit, if any.
    pub first_broken: Option<BrokenLink>,
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BrokenLink {
    /// The id of the first record that does not fit (for a record missing
    /// at the end: the id the head says should be there).
    #[ts(type = "number")]
    pub id: i64,
    pub reason: String,
}

/// Recomputes the whole chain, streaming in id order.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    verify_against(conn, &[])
}

/// Recomputes the whole chain and checks it against `anchors`: each must
/// name a record the log still holds, with the same hash. The chain alone
/// detects any change made without rewriting every later hash; an anchor
/// also detects a chain rewritten from some record on (by someone who
/// dropped the triggers), and records removed from the end with the head
/// moved back. The report names the first record that no longer matches.
pub fn verify_against(conn: &Connection, anchors: &[Anchor]) -> Result<ChainReport> {
    let mut anchors: Vec<&Anchor> = anchors.iter().collect();
    anchors.sort_by_key(|a| a.id);
    let mut next_anchor = anchors.iter().peekable();
    let mut stmt = conn.prepare(
        "SELECT id, at, user_id, username, patient_id, action, category, record_id, detail, \
         emergency, prev_hash, hash, encoding FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_vec();
    let mut expected_id = 1;
    let mut records = 0;
    let mut matched = 0;
    // The newest anchor found to match, for the report of one that does not.
    let mut last_good: Option<&Anchor> = None;
    let mut last_encoding = 1;
    let report = |records, matched, broken: Option<(i64, String)>| {
        Ok(ChainReport {
            records,
            anchors_matched: matched,
            first_broken: broken.map(|(id, reason)| BrokenLink { id, reason }),
        })
    };
    while let Some(row) = rows.next()? {
        records += 1;
        let id: i64 = row.get(0)?;
        let broken = move |reason: &str| report(records, matched, Some((id, reason.to_string())));
        let rec = match record_from_row(row) {
            Ok(r) => r,
            Err(_) => return broken("record cannot be read (altered)"),
        };
        let stored_prev: Vec<u8> = row.get(10)?;
        let stored_hash: Vec<u8> = row.get(11)?;
        let encoding: i64 = row.get(12)?;
        if id != expected_id {
            return report(
                records,
                matched,
                Some((
                    expected_id.min(id),
                    "a record is missing or was inserted (ids are not consecutive)".into(),
                )),
            );
        }
        if id == 1 && rec.action != AuditAction::Setup {
            return broken("the first record is not the practice set-up (the log was replaced)");
        }
        if encoding < last_encoding {
            return broken("hashed in an older encoding than the record before it (altered)");
        }
        last_encoding = encoding;
        if stored_prev != prev {
            return broken("does not follow the record before it (deleted, inserted or reordered)");
        }
        match chain_hash(&prev, encoding, &rec) {
            Some(h) if h.as_slice() == stored_hash.as_slice() => {}
            Some(_) => return broken("contents do not match its hash (edited)"),
            None => return broken("hashed in an unknown encoding (altered)"),
        }
        while let Some(a) = next_anchor.next_if(|a| a.id == id) {
            if a.hash.as_slice() != stored_hash.as_slice() {
                let since = match last_good {
                    Some(g) => format!(
                        "after record {} (which matches the anchor from {})",
                        g.id, g.source
                    ),
                    None => "at this record or before it".to_string(),
                };
                return broken(&format!(
                    "does not match the anchor from {}: the log was rewritten {since}",
                    a.source
                ));
            }
            matched += 1;
            last_good = Some(a);
        }
        prev = stored_hash;
        expected_id += 1;
    }
    let last_id = expected_id - 1;
    if last_id == 0 {
        return report(
            0,
            0,
            Some((
                1,
                "the log is empty: record 1, the practice set-up, is missing".into(),
            )),
        );
    }
    if let Some(a) = next_anchor.next() {
        return report(
            records,
            matched,
            Some((
                last_id + 1,
                format!(
                    "records at the end of the log are missing: the anchor from {} names record {}",
                    a.source, a.id
                ),
            )),
        );
    }
    match head(conn, "the database")? {
        None => report(
            records,
            matched,
            Some((last_id, "the chain head is missing".into())),
        ),
        Some(h) if h.id != last_id => report(
            records,
            matched,
            Some((
                last_id + 1,
                "records at the end of the log are missing".into(),
            )),
        ),
        Some(h) if h.hash.as_slice() != prev.as_slice() => report(
            records,
            matched,
            Some((
                last_id,
                "the newest record does not match the chain head".into(),
            )),
        ),
        Some(_) => report(records, matched, None),
    }
}

/// Filters for the audit report.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub user_id: Option<UserId>,
    pub patient_id: Option<PatientId>,
    pub action: Option<AuditAction>,
    /// Newest first unless set.
    pub oldest_first: bool,
    pub limit: i64,
}

/// One record, by id.
pub fn record(conn: &Connection, id: i64) -> Result<Option<AuditRecord>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, at, user_id, username, patient_id, action, category, record_id, detail, \
             emergency FROM audit_log WHERE id = ?1",
        )?
        .query_row([id], record_from_row)
        .optional()?)
}

/// Records matching `f`.
pub fn query(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditRecord>> {
    let mut sql = String::from(
        "SELECT id, at, user_id, username, patient_id, action, category, record_id, detail, \
         emergency FROM audit_log WHERE 1 = 1",
    );
    let from = f
        .from
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true));
    let to = f.to.map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true));
    let action = f.action.map(|a| a.as_str());
    let mut bind: Vec<&dyn ToSql> = Vec::new();
    if let Some(v) = &from {
        bind.push(v);
        sql.push_str(&format!(" AND at >= ?{}", bind.len()));
    }
    if let Some(v) = &to {
        bind.push(v);
        sql.push_str(&format!(" AND at < ?{}", bind.len()));
    }
    if let Some(v) = &f.user_id {
        bind.push(v);
        sql.push_str(&format!(" AND user_id = ?{}", bind.len()));
    }
    if let Some(v) = &f.patient_id {
        bind.push(v);
        sql.push_str(&format!(" AND patient_id = ?{}", bind.len()));
    }
    if let Some(v) = &action {
        bind.push(v);
        sql.push_str(&format!(" AND action = ?{}", bind.len()));
    }
    let limit = f.limit.clamp(1, 10_000);
    sql.push_str(if f.oldest_first {
        " ORDER BY id ASC"
    } else {
        " ORDER BY id DESC"
    });
    sql.push_str(&format!(" LIMIT {limit}"));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(bind.as_slice(), record_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_reads_back_as_printed_and_refuses_what_is_not_one() {
        let a = Anchor {
            id: 1234,
            hash: [0xab; 32],
            source: "seal".into(),
        };
        let printed = format!("{}: {}", a.id, a.hash_text());
        assert_eq!(Anchor::parse_seal(&printed, "seal"), Ok(a.clone()));
        let typed = format!("#1234 {}", hex::encode([0xab; 32]).to_uppercase());
        assert_eq!(Anchor::parse_seal(&typed, "seal"), Ok(a));
        for bad in [
            "",
            "1234",
            "0:ab",
            "x:ab",
            &format!("5:{}", "ab".repeat(31)),
        ] {
            assert!(Anchor::parse_seal(bad, "seal").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT + 3);
        let cut = bounded(&text);
        assert!(cut.starts_with(&"é".repeat(MAX_TEXT)));
        assert!(cut.ends_with("[3 more characters not kept]"));
        assert_eq!(bounded("short"), "short");
    }
}
