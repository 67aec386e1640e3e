//! The practice's address book of providers it refers patients to
//! (`referral_provider`). Never deleted (a trigger refuses it): a provider
//! who retired or moved away is made inactive. Every edit keeps the state
//! it replaces through [`crate::corrections`] ([`PROVIDER`]) and is refused
//! on a stale version.

use chartroom_types::{ProviderId, UserId};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, Fields, Table};
use crate::{Result, StoreError};

/// How the address book plugs into [`crate::corrections`]: versioned, with
/// the replaced states kept; nothing in it is marked entered in error.
pub const PROVIDER: Table = Table::new("referral_provider", "referral provider", Some("version"));

/// What the practice keeps about a provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderFields {
    pub name: String,
    pub specialty: String,
    pub practice: String,
    /// Postal address, one line per line.
    pub address: String,
    /// Digits only.
    pub phone: String,
    /// Digits only.
    pub fax: String,
    /// Ten digits, or empty.
    pub npi: String,
    pub active: bool,
}

/// A provider as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRow {
    pub id: ProviderId,
    pub fields: ProviderFields,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: String,
}

const COLUMNS: &str = "r.id, r.name, r.specialty, r.practice, r.address, r.phone, r.fax, r.npi, \
     r.active, r.version, r.updated_at, \
     (SELECT full_name FROM user_account u WHERE u.id = r.updated_by)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ProviderRow> {
    Ok(ProviderRow {
        id: r.get(0)?,
        fields: ProviderFields {
            name: r.get(1)?,
            specialty: r.get(2)?,
            practice: r.get(3)?,
            address: r.get(4)?,
            phone: r.get(5)?,
            fax: r.get(6)?,
            npi: r.get(7)?,
            active: r.get(8)?,
        },
        version: r.get(9)?,
        updated_at: r.get(10)?,
        updated_by_name: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
    })
}

/// Adds a provider to the address book.
pub fn insert(
    tx: &Transaction<'_>,
    f: &ProviderFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ProviderRow> {
    tx.prepare_cached(
        "INSERT INTO referral_provider (name, specialty, practice, address, phone, fax, npi, \
         active, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)",
    )?
    .execute(params![
        f.name,
        f.specialty,
        f.practice,
        f.address,
        f.phone,
        f.fax,
        f.npi,
        f.active,
        at,
        by
    ])?;
    get(tx, ProviderId(tx.last_insert_rowid()))
}

/// Changes a provider, keeping the state it replaces; refused when
/// `expected_version` is not the current one.
pub fn update(
    tx: &Transaction<'_>,
    id: ProviderId,
    expected_version: i64,
    f: &ProviderFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ProviderRow> {
    corrections::check_current(tx, &PROVIDER, id, Some(expected_version))?;
    let old = get(tx, id)?;
    let change = match (old.fields.active, f.active) {
        (true, false) => "made inactive",
        (false, true) => "made active again",
        _ => "edited",
    };
    let o = &old.fields;
    corrections::keep(
        tx,
        &PROVIDER,
        id,
        old.version,
        &Fields::of([
            ("name", o.name.clone()),
            ("specialty", o.specialty.clone()),
            ("practice", o.practice.clone()),
            ("address", o.address.clone()),
            ("phone", o.phone.clone()),
            ("fax", o.fax.clone()),
            ("npi", o.npi.clone()),
            ("active", o.active.to_string()),
        ]),
        change,
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE referral_provider SET name = ?2, specialty = ?3, practice = ?4, address = ?5, \
         phone = ?6, fax = ?7, npi = ?8, active = ?9, version = version + 1, updated_at = ?10, \
         updated_by = ?11 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.specialty,
        f.practice,
        f.address,
        f.phone,
        f.fax,
        f.npi,
        f.active,
        at,
        by
    ])?;
    get(tx, id)
}

/// One provider.
pub fn get(conn: &Connection, id: ProviderId) -> Result<ProviderRow> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM referral_provider r WHERE r.id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "referral provider",
        id: id.into(),
    })
}

/// The address book, active providers first, then by name.
pub fn list(conn: &Connection) -> Result<Vec<ProviderRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM referral_provider r \
         ORDER BY r.active DESC, r.name COLLATE NOCASE, r.id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
