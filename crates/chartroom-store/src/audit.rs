//! The audit log: an append-only, hash-chained record of every access.
//!
//! Record `n` stores `hash_n = SHA-256(hash_{n-1} || canonical(record_n))`,
//! with 32 zero bytes before the first. `audit_head` keeps the id and hash of
//! the newest record, updated in the same transaction, so removing records
//! from the end is detected too. [`verify`] recomputes the chain and names
//! the first record that does not fit: an edited, deleted, inserted or
//! reordered record breaks it.

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
/// the key and a SQLite shell could, so that a test can show [`verify`]
/// naming the record. The one raw edit of the log outside this module's
/// append, kept here so no other crate holds SQL.
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub fn tamper_with_detail(conn: &Connection, id: i64, detail: &str) -> Result<()> {
    conn.execute(
        "UPDATE audit_log SET detail = ?1 WHERE id = ?2",
        params![detail, id],
    )?;
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

fn canonical(r: &AuditRecord) -> String {
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let (user_id, patient_id) = (r.user_id.map(i64::from), r.patient_id.map(i64::from));
    // Unit separators keep fields from running into each other.
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
    .join("\u{1f}")
}

fn chain_hash(prev: &[u8], r: &AuditRecord) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical(r).as_bytes());
    h.finalize().into()
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
    let (last_id, prev) = head.unwrap_or((0, GENESIS.to_vec()));
    // Microsecond precision, so the stored text round-trips exactly.
    let at = DateTime::<Utc>::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at);
    let rec = AuditRecord {
        id: last_id + 1,
        at,
        user_id: ev.user_id,
        username: ev.username.clone(),
        patient_id: ev.patient_id,
        action,
        category,
        record_id: ev.record_id.clone(),
        detail: ev.detail.clone(),
        emergency: ev.emergency,
    };
    let hash = chain_hash(&prev, &rec);
    tx.execute(
        "INSERT INTO audit_log (id, at, user_id, username, patient_id, action, category, \
         record_id, detail, emergency, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
        ],
    )?;
    tx.execute(
        "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2) \
         ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
        params![rec.id, hash.to_vec()],
    )?;
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
    let mut stmt = conn.prepare(
        "SELECT id, at, user_id, username, patient_id, action, category, record_id, detail, \
         emergency, prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_vec();
    let mut expected_id = 1;
    let mut records = 0;
    let broken = |id: i64, reason: &str, records| {
        Ok(ChainReport {
            records,
            first_broken: Some(BrokenLink {
                id,
                reason: reason.to_string(),
            }),
        })
    };
    while let Some(row) = rows.next()? {
        records += 1;
        let id: i64 = row.get(0)?;
        let rec = match record_from_row(row) {
            Ok(r) => r,
            Err(_) => return broken(id, "record cannot be read (altered)", records),
        };
        let stored_prev: Vec<u8> = row.get(10)?;
        let stored_hash: Vec<u8> = row.get(11)?;
        if id != expected_id {
            return broken(
                expected_id.min(id),
                "a record is missing or was inserted (ids are not consecutive)",
                records,
            );
        }
        if stored_prev != prev {
            return broken(
                id,
                "does not follow the record before it (deleted, inserted or reordered)",
                records,
            );
        }
        if chain_hash(&prev, &rec).as_slice() != stored_hash.as_slice() {
            return broken(id, "contents do not match its hash (edited)", records);
        }
        prev = stored_hash;
        expected_id += 1;
    }
    let head: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let last_id = expected_id - 1;
    match head {
        None if last_id == 0 => {}
        None => return broken(1, "the chain head is missing", records),
        Some((head_id, head_hash)) => {
            if head_id != last_id {
                return broken(
                    last_id + 1,
                    "records at the end of the log are missing",
                    records,
                );
            }
            if head_hash != prev {
                return broken(
                    last_id,
                    "the newest record does not match the chain head",
                    records,
                );
            }
        }
    }
    Ok(ChainReport {
        records,
        first_broken: None,
    })
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
