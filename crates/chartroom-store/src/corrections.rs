//! One mechanism for corrections, for every clinical table: keeping the
//! replaced state of a record corrected in place, reading a record's
//! history, and marking a record entered in error (final).
//!
//! Two tables, both written only here and never changed or deleted
//! (triggers refuse it):
//! - `replaced_state`: one row per replaced state of a record: its kind
//!   (the table's name), id and version, the fields as they were (a JSON
//!   object, in the order they were kept), the change that replaced them
//!   ("edited", "visit corrected", "marked entered in error") and who
//!   replaced them when. A record's history is its replaced states plus
//!   its current row; [`timeline`] turns them into "who saved each version".
//! - `entered_in_error`: one row per record marked entered in error: kind,
//!   id, reason, who and when. Its primary key makes the mark final in the
//!   database itself; the record's own status column says
//!   `entered_in_error` too, so indexes and queries that filter on status
//!   stay as they are, and the record stays readable. Owners read the
//!   reason, who and when into their rows with `in_error!`; the older
//!   per-table `error_reason`, `error_at` and `error_by` columns are kept
//!   as they were and no longer written.
//!
//! A table plugs in with a [`Table`] descriptor, declared by the module
//! that owns it: its name (= the kind), its version column, and for tables
//! that can be marked entered in error, its status column and the owner's
//! own statement that sets it (so the table is still written only by its
//! owner, as `tests/owners.rs` checks). Patients, chart entries, visits and
//! documents keep replaced states; chart entries, observations, notes and
//! documents can be marked entered in error. Observations are never
//! corrected in place (a correction is a new row naming the one it
//! replaces) and a note's draft changes in place until it is signed, when it
//! never changes again, so neither keeps replaced states.
//!
//! Why one new pair of tables rather than the three history tables of
//! schemas 1 to 4 (`patient_history`, `chart_entry_version`,
//! `record_history`) behind one helper: they kept three shapes (a whole
//! patient as JSON, typed columns of every saved state, field/value pairs),
//! so a helper over them would have been three code paths under one name,
//! and every new area would have needed a fourth. Migration 5 copies their
//! rows here (and the reason, who and when of every record already entered
//! in error, from the per-table columns) and leaves them in place: nothing
//! writes them any more (`tests/owners.rs` lists them as retired and fails
//! on any write), nothing was deleted. Replaced states rather than "every
//! saved state" (what `chart_entry_version` kept) because that is what an
//! in-place correction has to keep, and the current state is the record's
//! own row: [`timeline`] gives back every saved state with who saved it.

use chartroom_types::UserId;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// The statement with which a table's owner marks one of its rows entered
/// in error: sets the status column (and, where the owner keeps them, the
/// next version and its last-saved stamp). Arguments: the transaction, the
/// id, when and by whom. Called only by [`mark_in_error`].
pub type SetInError = fn(&Transaction<'_>, i64, DateTime<Utc>, UserId) -> Result<()>;

/// How a table plugs into corrections. Declared as a `const` by the module
/// that owns the table.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The table's name, which is also the kind stored with its replaced
    /// states and marks.
    name: &'static str,
    /// How messages name one of its records ("chart entry").
    what: &'static str,
    /// The version column, for tables corrected under optimistic versioning.
    version: Option<&'static str>,
    in_error: Option<InError>,
}

/// What marking a table's records entered in error needs.
#[derive(Debug, Clone, Copy)]
struct InError {
    /// The status column; `entered_in_error` there means marked.
    status: &'static str,
    /// What a change of a marked record is refused with.
    locked: &'static str,
    set: SetInError,
}

/// The status a marked record has.
pub const ENTERED_IN_ERROR: &str = "entered_in_error";

impl Table {
    /// A table named `name`; `version` is its version column, if any.
    pub const fn new(
        name: &'static str,
        what: &'static str,
        version: Option<&'static str>,
    ) -> Self {
        Table {
            name,
            what,
            version,
            in_error: None,
        }
    }

    /// The same table, whose records can be marked entered in error:
    /// `status` is its status column, `locked` what changing a marked
    /// record is refused with, `set` the owner's statement that marks a row.
    pub const fn in_error(
        self,
        status: &'static str,
        locked: &'static str,
        set: SetInError,
    ) -> Self {
        Table {
            in_error: Some(InError {
                status,
                locked,
                set,
            }),
            ..self
        }
    }

    /// The table's name (the kind of its records).
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

/// The SQL of a record's mark, for the `SELECT` list of the module that
/// owns the record's table: `in_error!(reason, "note", "n")` is the reason
/// (`''` when not marked) of the `note` aliased `n`; `marked_at` and
/// `marked_by_name` are when and by whom (null when not marked).
macro_rules! in_error {
    (reason, $kind:literal, $alias:literal) => {
        concat!(
            "coalesce((SELECT m.reason FROM entered_in_error m WHERE m.kind = '",
            $kind,
            "' AND m.record_id = ",
            $alias,
            ".id), '')"
        )
    };
    (marked_at, $kind:literal, $alias:literal) => {
        concat!(
            "(SELECT m.marked_at FROM entered_in_error m WHERE m.kind = '",
            $kind,
            "' AND m.record_id = ",
            $alias,
            ".id)"
        )
    };
    (marked_by_name, $kind:literal, $alias:literal) => {
        concat!(
            "(SELECT u.full_name FROM entered_in_error m JOIN user_account u ON u.id = m.marked_by \
             WHERE m.kind = '",
            $kind,
            "' AND m.record_id = ",
            $alias,
            ".id)"
        )
    };
}
pub(crate) use in_error;

/// A record as a correction starts from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    /// Its version, for versioned tables.
    pub version: Option<i64>,
}

/// Checks that a record of `t` may change: it exists, is not marked entered
/// in error, and (when `expected_version` is given) nobody saved it since.
pub fn check_current(
    conn: &Connection,
    t: &Table,
    id: impl Into<i64>,
    expected_version: Option<i64>,
) -> Result<Current> {
    let id: i64 = id.into();
    // Reads only; the names come from the owner's descriptor, never from input.
    let sql = format!(
        "SELECT {}, {} FROM {} WHERE id = ?1",
        t.in_error.map_or("NULL", |e| e.status),
        t.version.unwrap_or("NULL"),
        t.name
    );
    let (status, version): (Option<String>, Option<i64>) = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { what: t.what, id })?;
    if let (Some(e), Some(ENTERED_IN_ERROR)) = (t.in_error, status.as_deref()) {
        return Err(StoreError::Locked(e.locked));
    }
    if let (Some(expected), Some(found)) = (expected_version, version) {
        if expected != found {
            return Err(StoreError::Conflict {
                what: t.what,
                expected,
                found,
            });
        }
    }
    Ok(Current { version })
}

/// Keeps the state of record `id` of `t` at `version` before `change`
/// replaces it. `fields` serialises to a JSON object.
#[allow(clippy::too_many_arguments)]
pub(crate) fn keep(
    tx: &Transaction<'_>,
    t: &Table,
    id: impl Into<i64>,
    version: i64,
    fields: &impl Serialize,
    change: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let id: i64 = id.into();
    let json = serde_json::to_string(fields).map_err(|e| StoreError::Decode(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO replaced_state (kind, record_id, version, fields, change, replaced_at, \
         replaced_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![t.name, id, version, json, change, at, by])?;
    Ok(())
}

/// One replaced state of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced<T> {
    /// The version these fields were.
    pub version: i64,
    pub fields: T,
    /// What replaced them ("edited", "marked entered in error").
    pub change: String,
    pub replaced_at: DateTime<Utc>,
    pub replaced_by: UserId,
    pub replaced_by_name: String,
}

/// The replaced states of record `id` of `t`, oldest first.
pub fn history<T: DeserializeOwned>(
    conn: &Connection,
    t: &Table,
    id: impl Into<i64>,
) -> Result<Vec<Replaced<T>>> {
    let id: i64 = id.into();
    let mut stmt = conn.prepare_cached(
        "SELECT h.version, h.fields, h.change, h.replaced_at, h.replaced_by, \
         (SELECT full_name FROM user_account u WHERE u.id = h.replaced_by) \
         FROM replaced_state h WHERE h.kind = ?1 AND h.record_id = ?2 ORDER BY h.version",
    )?;
    let rows = stmt
        .query_map(params![t.name, id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, DateTime<Utc>>(3)?,
                r.get::<_, UserId>(4)?,
                r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(version, json, change, replaced_at, replaced_by, replaced_by_name)| {
                Ok(Replaced {
                    version,
                    fields: serde_json::from_str(&json)
                        .map_err(|e| StoreError::Decode(format!("a replaced {}: {e}", t.what)))?,
                    change,
                    replaced_at,
                    replaced_by,
                    replaced_by_name,
                })
            },
        )
        .collect()
}

/// One saved state of a record: the change that made it, who made it, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved<T> {
    pub version: i64,
    pub fields: T,
    /// What this save did ("created", "edited", "marked entered in error").
    pub change: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by_name: String,
}

/// Every saved state of a record, oldest first, from its replaced states
/// and its current state: version `n` was saved by the change that
/// replaced version `n - 1`, and the first was "created" at `created`.
pub fn timeline<T>(
    created: (DateTime<Utc>, String),
    replaced: Vec<Replaced<T>>,
    (version, fields): (i64, T),
) -> Vec<Saved<T>> {
    let mut out = Vec::with_capacity(replaced.len() + 1);
    let (mut change, (mut at, mut by)) = ("created".to_owned(), created);
    for r in replaced {
        out.push(Saved {
            version: r.version,
            fields: r.fields,
            change,
            saved_at: at,
            saved_by_name: by,
        });
        (change, at, by) = (r.change, r.replaced_at, r.replaced_by_name);
    }
    out.push(Saved {
        version,
        fields,
        change,
        saved_at: at,
        saved_by_name: by,
    });
    out
}

/// Marks record `id` of `t` entered in error with `reason` (not blank),
/// when `expected_version` (if given) is still its version. Final: a
/// second mark, and any later change, is refused. The record stays
/// readable, with its reason, who and when ([`mark`]).
#[allow(clippy::too_many_arguments)]
pub fn mark_in_error(
    tx: &Transaction<'_>,
    t: &Table,
    id: impl Into<i64>,
    expected_version: Option<i64>,
    reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let id: i64 = id.into();
    let Some(e) = t.in_error else {
        return Err(StoreError::Locked(
            "this kind of record cannot be marked entered in error",
        ));
    };
    check_current(tx, t, id, expected_version)?;
    (e.set)(tx, id, at, by)?;
    tx.prepare_cached(
        "INSERT INTO entered_in_error (kind, record_id, reason, marked_at, marked_by) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![t.name, id, reason, at, by])?;
    Ok(())
}

/// Why, when and by whom a record was marked entered in error.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub reason: String,
    /// `None` only for a value or document retracted before schema 4,
    /// which did not record who or when.
    pub marked_at: Option<DateTime<Utc>>,
    pub marked_by: Option<UserId>,
    pub marked_by_name: String,
}

/// The mark of record `id` of `t`, if it is entered in error.
pub fn mark(conn: &Connection, t: &Table, id: impl Into<i64>) -> Result<Option<Mark>> {
    let id: i64 = id.into();
    Ok(conn
        .prepare_cached(
            "SELECT m.reason, m.marked_at, m.marked_by, \
             (SELECT full_name FROM user_account u WHERE u.id = m.marked_by) \
             FROM entered_in_error m WHERE m.kind = ?1 AND m.record_id = ?2",
        )?
        .query_row(params![t.name, id], |r| {
            Ok(Mark {
                reason: r.get(0)?,
                marked_at: r.get(1)?,
                marked_by: r.get(2)?,
                marked_by_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            })
        })
        .optional()?)
}

/// Named text fields in the order they were kept: a visit's date, type and
/// reason, a document's category, date and description. Stored as a JSON
/// object whose keys keep that order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// Fields from `(name, value)` pairs, in order.
    pub fn of<const N: usize>(pairs: [(&str, String); N]) -> Fields {
        Fields(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

impl IntoIterator for Fields {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct InOrder;
        impl<'de> serde::de::Visitor<'de> for InOrder {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of named fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Fields, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    let text = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    out.push((k, text));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(InOrder)
    }
}
