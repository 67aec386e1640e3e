//! Billing's tables: the fee schedule (`fee`), payers, billing accounts
//! (the guarantor) and which account each patient is billed to, coverage,
//! charges, payments, the ledger (`ledger_entry`), closed days and the
//! statements sent (`statement`). Money is integer cents ([`Money`]).
//!
//! Nothing financial is changed once it counts: a ledger entry and a
//! payment are written once (triggers refuse any change but a payment's
//! reversal mark), a billed charge keeps its code and amount, and a closed
//! day's postings are final (a trigger refuses any entry dated on it). Set-up
//! records keep their replaced states through [`crate::corrections`] and
//! are refused on a stale version. The rules (prices, posting, who owes
//! what) live in the billing crate; this module stores what it decided.

use chartroom_types::{
    AccountId, AdjustmentGroup, ChargeId, CoverageId, CoverageRank, EncounterId, FeeId,
    LedgerEntryId, LedgerKind, Money, PatientId, PayerId, PaymentId, PaymentMethod, PlaceOfService,
    PlanType, PriceLevel, ReleaseMethod, StatementId, SubscriberRelationship, UserId,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, Fields, Table};
use crate::patients::decode;
use crate::{Result, StoreError};

/// Fees keep their replaced states (a price ended).
pub const FEE: Table = Table::new("fee", "fee", Some("version"));
/// Payers keep their replaced states.
pub const PAYER: Table = Table::new("payer", "payer", Some("version"));
/// Accounts keep their replaced states.
pub const ACCOUNT: Table = Table::new("account", "billing account", Some("version"));
/// Coverage keeps its replaced states.
pub const COVERAGE: Table = Table::new("coverage", "coverage", Some("version"));
/// Charges keep their replaced states (edits before they are billed).
pub const CHARGE: Table = Table::new("charge", "charge", Some("version"));
/// A patient's account keeps the accounts it replaced (kind
/// `patient_account`, record id the patient's).
pub const PATIENT_ACCOUNT: Table = Table::new("patient_account", "patient's account", None);

fn not_found(what: &'static str, id: i64) -> StoreError {
    StoreError::NotFound { what, id }
}

fn cents(m: Money) -> i64 {
    m.cents()
}

// --------------------------------------------------------------------- fees

/// A code's price at a level, from a day (to a day, if it has ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeFields {
    /// CPT or HCPCS, upper case, five characters.
    pub code: String,
    pub level: PriceLevel,
    /// The practice's own short text (no CPT descriptions are shipped).
    pub description: String,
    pub price: Money,
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
}

/// A fee as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRow {
    pub id: FeeId,
    pub fields: FeeFields,
    pub version: i64,
}

const FEE_SQL: &str =
    "SELECT f.id, f.code, f.level, f.description, f.cents, f.from_day, f.to_day, f.version FROM fee f";

fn fee_from_row(r: &Row<'_>) -> rusqlite::Result<FeeRow> {
    let level: String = r.get(2)?;
    Ok(FeeRow {
        id: r.get(0)?,
        fields: FeeFields {
            code: r.get(1)?,
            level: decode(PriceLevel::parse(&level), "price level")?,
            description: r.get(3)?,
            price: Money::from_cents(r.get(4)?),
            from_day: r.get(5)?,
            to_day: r.get(6)?,
        },
        version: r.get(7)?,
    })
}

/// Adds a fee.
pub fn insert_fee(
    tx: &Transaction<'_>,
    f: &FeeFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<FeeRow> {
    tx.prepare_cached(
        "INSERT INTO fee (code, level, description, cents, from_day, to_day, created_at, \
         created_by, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
    )?
    .execute(params![
        f.code,
        f.level.as_str(),
        f.description,
        cents(f.price),
        f.from_day,
        f.to_day,
        at,
        by
    ])?;
    fee(tx, FeeId(tx.last_insert_rowid()))
}

/// Ends a fee on `to_day` (its last day), keeping the state it replaces.
pub fn end_fee(
    tx: &Transaction<'_>,
    id: FeeId,
    expected_version: Option<i64>,
    to_day: NaiveDate,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<FeeRow> {
    corrections::check_current(tx, &FEE, id, expected_version)?;
    let old = fee(tx, id)?;
    corrections::keep(
        tx,
        &FEE,
        id,
        old.version,
        &Fields::of([(
            "to_day",
            old.fields.to_day.map(|d| d.to_string()).unwrap_or_default(),
        )]),
        "ended",
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE fee SET to_day = ?2, version = version + 1, updated_at = ?3, updated_by = ?4 \
         WHERE id = ?1",
    )?
    .execute(params![id, to_day, at, by])?;
    fee(tx, id)
}

/// One fee.
pub fn fee(conn: &Connection, id: FeeId) -> Result<FeeRow> {
    conn.prepare_cached(&format!("{FEE_SQL} WHERE f.id = ?1"))?
        .query_row([id], fee_from_row)
        .optional()?
        .ok_or(not_found("fee", id.get()))
}

/// The whole fee schedule, by code, level and first day.
pub fn fees(conn: &Connection) -> Result<Vec<FeeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{FEE_SQL} ORDER BY f.code, f.level, f.from_day, f.id"
    ))?;
    let rows = stmt
        .query_map([], fee_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The fee of `code` at `level` in force on `day`.
pub fn fee_on(
    conn: &Connection,
    code: &str,
    level: PriceLevel,
    day: NaiveDate,
) -> Result<Option<FeeRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "{FEE_SQL} WHERE f.code = ?1 AND f.level = ?2 AND f.from_day <= ?3 \
             AND (f.to_day IS NULL OR f.to_day >= ?3) ORDER BY f.from_day DESC, f.id DESC LIMIT 1"
        ))?
        .query_row(params![code, level.as_str(), day], fee_from_row)
        .optional()?)
}

// ------------------------------------------------------------------- payers

/// A payer as the practice keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerFields {
    pub name: String,
    /// The payer's id (printed on claims; no electronic submission).
    pub payer_code: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
    /// The kind of plan (item 1 of a paper claim).
    pub plan_type: PlanType,
    pub active: bool,
}

/// A payer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerRow {
    pub id: PayerId,
    pub fields: PayerFields,
    pub version: i64,
}

const PAYER_SQL: &str = "SELECT p.id, p.name, p.payer_code, p.address_line1, p.address_line2, \
     p.city, p.region, p.postal_code, p.phone, p.active, p.version, p.plan_type FROM payer p";

fn payer_from_row(r: &Row<'_>) -> rusqlite::Result<PayerRow> {
    let plan: String = r.get(11)?;
    Ok(PayerRow {
        id: r.get(0)?,
        fields: PayerFields {
            name: r.get(1)?,
            payer_code: r.get(2)?,
            address_line1: r.get(3)?,
            address_line2: r.get(4)?,
            city: r.get(5)?,
            region: r.get(6)?,
            postal_code: r.get(7)?,
            phone: r.get(8)?,
            plan_type: decode(PlanType::parse(&plan), "plan type")?,
            active: r.get(9)?,
        },
        version: r.get(10)?,
    })
}

/// Adds a payer.
pub fn insert_payer(
    tx: &Transaction<'_>,
    f: &PayerFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<PayerRow> {
    tx.prepare_cached(
        "INSERT INTO payer (name, payer_code, address_line1, address_line2, city, region, \
         postal_code, phone, active, created_at, created_by, updated_at, updated_by, plan_type) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11, ?12)",
    )?
    .execute(params![
        f.name,
        f.payer_code,
        f.address_line1,
        f.address_line2,
        f.city,
        f.region,
        f.postal_code,
        f.phone,
        f.active,
        at,
        by,
        f.plan_type.as_str()
    ])?;
    payer(tx, PayerId(tx.last_insert_rowid()))
}

/// Changes a payer at `expected_version`, keeping the state it replaces.
pub fn update_payer(
    tx: &Transaction<'_>,
    id: PayerId,
    expected_version: i64,
    f: &PayerFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<PayerRow> {
    corrections::check_current(tx, &PAYER, id, Some(expected_version))?;
    let old = payer(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &PAYER,
        id,
        old.version,
        &Fields::of([
            ("name", o.name.clone()),
            ("payer_code", o.payer_code.clone()),
            ("address_line1", o.address_line1.clone()),
            ("address_line2", o.address_line2.clone()),
            ("city", o.city.clone()),
            ("region", o.region.clone()),
            ("postal_code", o.postal_code.clone()),
            ("phone", o.phone.clone()),
            ("plan_type", o.plan_type.as_str().to_owned()),
            ("active", o.active.to_string()),
        ]),
        "edited",
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE payer SET name = ?2, payer_code = ?3, address_line1 = ?4, address_line2 = ?5, \
         city = ?6, region = ?7, postal_code = ?8, phone = ?9, active = ?10, \
         version = version + 1, updated_at = ?11, updated_by = ?12, plan_type = ?13 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.payer_code,
        f.address_line1,
        f.address_line2,
        f.city,
        f.region,
        f.postal_code,
        f.phone,
        f.active,
        at,
        by,
        f.plan_type.as_str()
    ])?;
    payer(tx, id)
}

/// One payer.
pub fn payer(conn: &Connection, id: PayerId) -> Result<PayerRow> {
    conn.prepare_cached(&format!("{PAYER_SQL} WHERE p.id = ?1"))?
        .query_row([id], payer_from_row)
        .optional()?
        .ok_or(not_found("payer", id.get()))
}

/// Every payer, active ones first, by name.
pub fn payers(conn: &Connection) -> Result<Vec<PayerRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{PAYER_SQL} ORDER BY p.active DESC, p.name COLLATE NOCASE, p.id"
    ))?;
    let rows = stmt
        .query_map([], payer_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ----------------------------------------------------------------- accounts

/// A billing account: the guarantor and where statements go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFields {
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: AccountId,
    pub fields: AccountFields,
    pub version: i64,
}

const ACCOUNT_SQL: &str = "SELECT a.id, a.name, a.address_line1, a.address_line2, a.city, \
     a.region, a.postal_code, a.phone, a.version FROM account a";

fn account_from_row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: r.get(0)?,
        fields: AccountFields {
            name: r.get(1)?,
            address_line1: r.get(2)?,
            address_line2: r.get(3)?,
            city: r.get(4)?,
            region: r.get(5)?,
            postal_code: r.get(6)?,
            phone: r.get(7)?,
        },
        version: r.get(8)?,
    })
}

/// Opens an account.
pub fn insert_account(
    tx: &Transaction<'_>,
    f: &AccountFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<AccountRow> {
    tx.prepare_cached(
        "INSERT INTO account (name, address_line1, address_line2, city, region, postal_code, \
         phone, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)",
    )?
    .execute(params![
        f.name,
        f.address_line1,
        f.address_line2,
        f.city,
        f.region,
        f.postal_code,
        f.phone,
        at,
        by
    ])?;
    account(tx, AccountId(tx.last_insert_rowid()))
}

/// Changes an account's guarantor details at `expected_version`, keeping
/// the state it replaces.
pub fn update_account(
    tx: &Transaction<'_>,
    id: AccountId,
    expected_version: i64,
    f: &AccountFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<AccountRow> {
    corrections::check_current(tx, &ACCOUNT, id, Some(expected_version))?;
    let old = account(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &ACCOUNT,
        id,
        old.version,
        &Fields::of([
            ("name", o.name.clone()),
            ("address_line1", o.address_line1.clone()),
            ("address_line2", o.address_line2.clone()),
            ("city", o.city.clone()),
            ("region", o.region.clone()),
            ("postal_code", o.postal_code.clone()),
            ("phone", o.phone.clone()),
        ]),
        "edited",
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE account SET name = ?2, address_line1 = ?3, address_line2 = ?4, city = ?5, \
         region = ?6, postal_code = ?7, phone = ?8, version = version + 1, updated_at = ?9, \
         updated_by = ?10 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.address_line1,
        f.address_line2,
        f.city,
        f.region,
        f.postal_code,
        f.phone,
        at,
        by
    ])?;
    account(tx, id)
}

/// One account.
pub fn account(conn: &Connection, id: AccountId) -> Result<AccountRow> {
    conn.prepare_cached(&format!("{ACCOUNT_SQL} WHERE a.id = ?1"))?
        .query_row([id], account_from_row)
        .optional()?
        .ok_or(not_found("billing account", id.get()))
}

/// The account a patient is billed to, if they have one yet.
pub fn account_of_patient(conn: &Connection, patient: PatientId) -> Result<Option<AccountId>> {
    Ok(conn
        .prepare_cached("SELECT account_id FROM patient_account WHERE patient_id = ?1")?
        .query_row([patient], |r| r.get(0))
        .optional()?)
}

/// Bills `patient` to `account` from now on, keeping the account it
/// replaces (their past charges stay on the account they were billed to).
pub fn set_patient_account(
    tx: &Transaction<'_>,
    patient: PatientId,
    account: AccountId,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let old: Option<(AccountId, i64)> = tx
        .prepare_cached("SELECT account_id, version FROM patient_account WHERE patient_id = ?1")?
        .query_row([patient], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match old {
        None => {
            tx.prepare_cached(
                "INSERT INTO patient_account (patient_id, account_id, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![patient, account, at, by])?;
        }
        Some((old_account, version)) => {
            corrections::keep(
                tx,
                &PATIENT_ACCOUNT,
                patient,
                version,
                &Fields::of([("account_id", old_account.to_string())]),
                "billed to another account",
                at,
                by,
            )?;
            tx.prepare_cached(
                "UPDATE patient_account SET account_id = ?2, version = version + 1, \
                 updated_at = ?3, updated_by = ?4 WHERE patient_id = ?1",
            )?
            .execute(params![patient, account, at, by])?;
        }
    }
    Ok(())
}

/// The patients billed to an account, by id.
pub fn patients_of_account(conn: &Connection, account: AccountId) -> Result<Vec<PatientId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id FROM patient_account WHERE account_id = ?1 ORDER BY patient_id",
    )?;
    let rows = stmt
        .query_map([account], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ----------------------------------------------------------------- coverage

/// A patient's coverage with a payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageFields {
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    pub rank: CoverageRank,
    pub member_id: String,
    pub group_number: String,
    /// Empty when the patient is the subscriber.
    pub subscriber_name: String,
    pub subscriber_birth_date: Option<NaiveDate>,
    pub relationship: SubscriberRelationship,
    pub copay: Money,
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
}

/// Coverage as stored, with its payer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub id: CoverageId,
    pub fields: CoverageFields,
    pub payer_name: String,
    pub version: i64,
}

const COVERAGE_SQL: &str = "SELECT c.id, c.patient_id, c.payer_id, c.rank, c.member_id, \
     c.group_number, c.subscriber_name, c.subscriber_birth_date, c.relationship, c.copay_cents, \
     c.from_day, c.to_day, c.version, p.name FROM coverage c JOIN payer p ON p.id = c.payer_id";

fn coverage_from_row(r: &Row<'_>) -> rusqlite::Result<CoverageRow> {
    let rank: String = r.get(3)?;
    let relationship: String = r.get(8)?;
    Ok(CoverageRow {
        id: r.get(0)?,
        fields: CoverageFields {
            patient_id: r.get(1)?,
            payer_id: r.get(2)?,
            rank: decode(CoverageRank::parse(&rank), "coverage rank")?,
            member_id: r.get(4)?,
            group_number: r.get(5)?,
            subscriber_name: r.get(6)?,
            subscriber_birth_date: r.get(7)?,
            relationship: decode(
                SubscriberRelationship::parse(&relationship),
                "subscriber relationship",
            )?,
            copay: Money::from_cents(r.get(9)?),
            from_day: r.get(10)?,
            to_day: r.get(11)?,
        },
        version: r.get(12)?,
        payer_name: r.get(13)?,
    })
}

/// Adds coverage.
pub fn insert_coverage(
    tx: &Transaction<'_>,
    f: &CoverageFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<CoverageRow> {
    tx.prepare_cached(
        "INSERT INTO coverage (patient_id, payer_id, rank, member_id, group_number, \
         subscriber_name, subscriber_birth_date, relationship, copay_cents, from_day, to_day, \
         created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)",
    )?
    .execute(params![
        f.patient_id,
        f.payer_id,
        f.rank.as_str(),
        f.member_id,
        f.group_number,
        f.subscriber_name,
        f.subscriber_birth_date,
        f.relationship.as_str(),
        cents(f.copay),
        f.from_day,
        f.to_day,
        at,
        by
    ])?;
    coverage(tx, CoverageId(tx.last_insert_rowid()))
}

/// Changes (or ends) coverage at `expected_version`, keeping the state it
/// replaces.
pub fn update_coverage(
    tx: &Transaction<'_>,
    id: CoverageId,
    expected_version: i64,
    f: &CoverageFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<CoverageRow> {
    corrections::check_current(tx, &COVERAGE, id, Some(expected_version))?;
    let old = coverage(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &COVERAGE,
        id,
        old.version,
        &Fields::of([
            ("payer_id", o.payer_id.to_string()),
            ("rank", o.rank.as_str().to_owned()),
            ("member_id", o.member_id.clone()),
            ("group_number", o.group_number.clone()),
            ("subscriber_name", o.subscriber_name.clone()),
            (
                "subscriber_birth_date",
                o.subscriber_birth_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ("relationship", o.relationship.as_str().to_owned()),
            ("copay_cents", o.copay.cents().to_string()),
            ("from_day", o.from_day.to_string()),
            (
                "to_day",
                o.to_day.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ]),
        "edited",
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE coverage SET payer_id = ?2, rank = ?3, member_id = ?4, group_number = ?5, \
         subscriber_name = ?6, subscriber_birth_date = ?7, relationship = ?8, copay_cents = ?9, \
         from_day = ?10, to_day = ?11, version = version + 1, updated_at = ?12, updated_by = ?13 \
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.payer_id,
        f.rank.as_str(),
        f.member_id,
        f.group_number,
        f.subscriber_name,
        f.subscriber_birth_date,
        f.relationship.as_str(),
        cents(f.copay),
        f.from_day,
        f.to_day,
        at,
        by
    ])?;
    coverage(tx, id)
}

/// One coverage.
pub fn coverage(conn: &Connection, id: CoverageId) -> Result<CoverageRow> {
    conn.prepare_cached(&format!("{COVERAGE_SQL} WHERE c.id = ?1"))?
        .query_row([id], coverage_from_row)
        .optional()?
        .ok_or(not_found("coverage", id.get()))
}

/// A patient's coverage, primary first, newest first within a rank.
pub fn coverage_of_patient(conn: &Connection, patient: PatientId) -> Result<Vec<CoverageRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{COVERAGE_SQL} WHERE c.patient_id = ?1 ORDER BY c.rank = 'secondary', c.from_day DESC, c.id DESC"
    ))?;
    let rows = stmt
        .query_map([patient], coverage_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------------------ charges

/// A charge's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeStatus {
    /// Not billed yet: may be edited (its replaced state kept).
    Open,
    /// Billed (an insurer answered it): corrected only by voiding it and
    /// entering a new line.
    Billed,
    /// Voided (its amount reversed on the ledger); final.
    Void,
}

impl ChargeStatus {
    fn as_str(self) -> &'static str {
        match self {
            ChargeStatus::Open => "open",
            ChargeStatus::Billed => "billed",
            ChargeStatus::Void => "void",
        }
    }

    fn parse(s: &str) -> Option<ChargeStatus> {
        match s {
            "open" => Some(ChargeStatus::Open),
            "billed" => Some(ChargeStatus::Billed),
            "void" => Some(ChargeStatus::Void),
            _ => None,
        }
    }
}

/// A service line as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeFields {
    pub patient_id: PatientId,
    pub account_id: AccountId,
    pub encounter_id: Option<EncounterId>,
    pub service_day: NaiveDate,
    pub code: String,
    /// Up to four two-character modifiers.
    pub modifiers: Vec<String>,
    pub units: i64,
    pub unit_price: Money,
    pub place: PlaceOfService,
    pub rendering_user_id: UserId,
    /// ICD-10-CM codes (with their dot), at most four, in pointer order.
    pub diagnoses: Vec<String>,
    /// The fee schedule's description when it was entered.
    pub description: String,
}

impl ChargeFields {
    /// Units times the unit price.
    pub fn amount(&self) -> Money {
        Money::from_cents(self.units.saturating_mul(self.unit_price.cents()))
    }
}

/// A charge as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    pub id: ChargeId,
    pub fields: ChargeFields,
    pub status: ChargeStatus,
    pub void_reason: String,
    pub replaces: Option<ChargeId>,
    pub version: i64,
}

const CHARGE_SQL: &str = "SELECT c.id, c.patient_id, c.account_id, c.encounter_id, \
     c.service_day, c.code, c.modifiers, c.units, c.unit_cents, c.place, c.rendering_user_id, \
     c.diagnoses, c.description, c.status, c.void_reason, c.replaces_charge_id, c.version \
     FROM charge c";

fn list(text: String) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn charge_from_row(r: &Row<'_>) -> rusqlite::Result<ChargeRow> {
    let place: String = r.get(9)?;
    let status: String = r.get(13)?;
    Ok(ChargeRow {
        id: r.get(0)?,
        fields: ChargeFields {
            patient_id: r.get(1)?,
            account_id: r.get(2)?,
            encounter_id: r.get(3)?,
            service_day: r.get(4)?,
            code: r.get(5)?,
            modifiers: list(r.get(6)?),
            units: r.get(7)?,
            unit_price: Money::from_cents(r.get(8)?),
            place: decode(PlaceOfService::parse(&place), "place of service")?,
            rendering_user_id: r.get(10)?,
            diagnoses: list(r.get(11)?),
            description: r.get(12)?,
        },
        status: decode(ChargeStatus::parse(&status), "charge status")?,
        void_reason: r.get(14)?,
        replaces: r.get(15)?,
        version: r.get(16)?,
    })
}

/// Enters a charge (open), replacing `replaces` if it corrects one.
pub fn insert_charge(
    tx: &Transaction<'_>,
    f: &ChargeFields,
    replaces: Option<ChargeId>,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ChargeRow> {
    tx.prepare_cached(
        "INSERT INTO charge (patient_id, account_id, encounter_id, service_day, code, modifiers, \
         units, unit_cents, cents, place, rendering_user_id, diagnoses, description, status, \
         replaces_charge_id, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open', ?14, ?15, ?16, \
         ?15, ?16)",
    )?
    .execute(params![
        f.patient_id,
        f.account_id,
        f.encounter_id,
        f.service_day,
        f.code,
        f.modifiers.join(","),
        f.units,
        f.unit_price.cents(),
        f.amount().cents(),
        f.place.as_str(),
        f.rendering_user_id,
        f.diagnoses.join(","),
        f.description,
        replaces,
        at,
        by
    ])?;
    charge(tx, ChargeId(tx.last_insert_rowid()))
}

/// Edits an open charge at `expected_version`, keeping the state it
/// replaces. The ledger's charge entry is the billing crate's to adjust.
pub fn update_charge(
    tx: &Transaction<'_>,
    id: ChargeId,
    expected_version: i64,
    f: &ChargeFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ChargeRow> {
    corrections::check_current(tx, &CHARGE, id, Some(expected_version))?;
    let old = charge(tx, id)?;
    keep_charge(tx, &old, "edited", at, by)?;
    tx.prepare_cached(
        "UPDATE charge SET encounter_id = ?2, service_day = ?3, code = ?4, modifiers = ?5, \
         units = ?6, unit_cents = ?7, cents = ?8, place = ?9, rendering_user_id = ?10, \
         diagnoses = ?11, description = ?12, version = version + 1, updated_at = ?13, \
         updated_by = ?14 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.encounter_id,
        f.service_day,
        f.code,
        f.modifiers.join(","),
        f.units,
        f.unit_price.cents(),
        f.amount().cents(),
        f.place.as_str(),
        f.rendering_user_id,
        f.diagnoses.join(","),
        f.description,
        at,
        by
    ])?;
    charge(tx, id)
}

fn keep_charge(
    tx: &Transaction<'_>,
    old: &ChargeRow,
    change: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let o = &old.fields;
    corrections::keep(
        tx,
        &CHARGE,
        old.id,
        old.version,
        &Fields::of([
            ("service_day", o.service_day.to_string()),
            ("code", o.code.clone()),
            ("modifiers", o.modifiers.join(",")),
            ("units", o.units.to_string()),
            ("unit_cents", o.unit_price.cents().to_string()),
            ("place", o.place.as_str().to_owned()),
            ("rendering_user_id", o.rendering_user_id.to_string()),
            ("diagnoses", o.diagnoses.join(",")),
            ("status", old.status.as_str().to_owned()),
        ]),
        change,
        at,
        by,
    )
}

/// Marks a charge billed (an insurer answered it) or void (with the reason),
/// at `expected_version`.
pub fn set_charge_status(
    tx: &Transaction<'_>,
    id: ChargeId,
    expected_version: Option<i64>,
    status: ChargeStatus,
    void_reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ChargeRow> {
    corrections::check_current(tx, &CHARGE, id, expected_version)?;
    let old = charge(tx, id)?;
    keep_charge(
        tx,
        &old,
        match status {
            ChargeStatus::Void => "voided",
            ChargeStatus::Billed => "billed",
            ChargeStatus::Open => "reopened",
        },
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE charge SET status = ?2, void_reason = ?3, version = version + 1, \
         updated_at = ?4, updated_by = ?5 WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), void_reason, at, by])?;
    charge(tx, id)
}

/// One charge.
pub fn charge(conn: &Connection, id: ChargeId) -> Result<ChargeRow> {
    conn.prepare_cached(&format!("{CHARGE_SQL} WHERE c.id = ?1"))?
        .query_row([id], charge_from_row)
        .optional()?
        .ok_or(not_found("charge", id.get()))
}

/// An account's charges, by service day and id.
pub fn charges_of_account(conn: &Connection, account: AccountId) -> Result<Vec<ChargeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CHARGE_SQL} WHERE c.account_id = ?1 ORDER BY c.service_day, c.id"
    ))?;
    let rows = stmt
        .query_map([account], charge_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A visit's charges, by id.
pub fn charges_of_encounter(conn: &Connection, encounter: EncounterId) -> Result<Vec<ChargeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CHARGE_SQL} WHERE c.encounter_id = ?1 ORDER BY c.id"
    ))?;
    let rows = stmt
        .query_map([encounter], charge_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ----------------------------------------------------------------- payments

/// Money received, as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFields {
    pub account_id: AccountId,
    /// The patient it was taken for (at their visit), if any.
    pub patient_id: Option<PatientId>,
    /// The payer, for an insurer's payment.
    pub payer_id: Option<PayerId>,
    pub method: PaymentMethod,
    /// A check number, a card reference, an EOB's check number.
    pub reference: String,
    pub amount: Money,
    pub received_day: NaiveDate,
    pub note: String,
}

/// A payment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: PaymentId,
    pub fields: PaymentFields,
    pub reversed: bool,
    pub reversed_reason: String,
    pub created_at: DateTime<Utc>,
}

const PAYMENT_SQL: &str = "SELECT p.id, p.account_id, p.patient_id, p.payer_id, p.method, \
     p.reference, p.cents, p.received_day, p.note, p.reversed, p.reversed_reason, p.created_at \
     FROM payment p";

fn payment_from_row(r: &Row<'_>) -> rusqlite::Result<PaymentRow> {
    let method: String = r.get(4)?;
    Ok(PaymentRow {
        id: r.get(0)?,
        fields: PaymentFields {
            account_id: r.get(1)?,
            patient_id: r.get(2)?,
            payer_id: r.get(3)?,
            method: decode(PaymentMethod::parse(&method), "payment method")?,
            reference: r.get(5)?,
            amount: Money::from_cents(r.get(6)?),
            received_day: r.get(7)?,
            note: r.get(8)?,
        },
        reversed: r.get(9)?,
        reversed_reason: r.get(10)?,
        created_at: r.get(11)?,
    })
}

/// Records money received.
pub fn insert_payment(
    tx: &Transaction<'_>,
    f: &PaymentFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<PaymentRow> {
    tx.prepare_cached(
        "INSERT INTO payment (account_id, patient_id, payer_id, method, reference, cents, \
         received_day, note, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        f.account_id,
        f.patient_id,
        f.payer_id,
        f.method.as_str(),
        f.reference,
        f.amount.cents(),
        f.received_day,
        f.note,
        at,
        by
    ])?;
    payment(tx, PaymentId(tx.last_insert_rowid()))
}

/// Marks a payment reversed (its ledger entries are reversed by the
/// billing crate in the same transaction).
pub fn mark_payment_reversed(tx: &Transaction<'_>, id: PaymentId, reason: &str) -> Result<()> {
    let n = tx
        .prepare_cached(
            "UPDATE payment SET reversed = 1, reversed_reason = ?2 WHERE id = ?1 AND reversed = 0",
        )?
        .execute(params![id, reason])?;
    if n == 0 {
        return Err(StoreError::Decode(format!(
            "payment {id} is already reversed"
        )));
    }
    Ok(())
}

/// One payment.
pub fn payment(conn: &Connection, id: PaymentId) -> Result<PaymentRow> {
    conn.prepare_cached(&format!("{PAYMENT_SQL} WHERE p.id = ?1"))?
        .query_row([id], payment_from_row)
        .optional()?
        .ok_or(not_found("payment", id.get()))
}

/// An account's payments, by day and id.
pub fn payments_of_account(conn: &Connection, account: AccountId) -> Result<Vec<PaymentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{PAYMENT_SQL} WHERE p.account_id = ?1 ORDER BY p.received_day, p.id"
    ))?;
    let rows = stmt
        .query_map([account], payment_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------------------- ledger

/// A ledger entry to write. `amount` is signed by its effect on the
/// balance; `payer_id` none means the patient's (guarantor's) share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub account_id: AccountId,
    pub patient_id: Option<PatientId>,
    pub kind: LedgerKind,
    pub payer_id: Option<PayerId>,
    pub amount: Money,
    pub charge_id: Option<ChargeId>,
    pub payment_id: Option<PaymentId>,
    pub group: Option<AdjustmentGroup>,
    pub reason_code: String,
    pub memo: String,
    pub reverses: Option<LedgerEntryId>,
}

/// A ledger entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: LedgerEntryId,
    pub entry: NewEntry,
    pub posted_day: NaiveDate,
    pub posted_at: DateTime<Utc>,
    pub posted_by: UserId,
    pub posted_by_name: String,
}

const ENTRY_SQL: &str = "SELECT e.id, e.account_id, e.patient_id, e.kind, e.payer_id, e.cents, \
     e.charge_id, e.payment_id, e.group_code, e.reason_code, e.memo, \
     e.reverses_entry_id, e.posted_day, e.posted_at, e.posted_by, \
     (SELECT full_name FROM user_account u WHERE u.id = e.posted_by) FROM ledger_entry e";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<EntryRow> {
    let kind: String = r.get(3)?;
    let group: Option<String> = r.get(8)?;
    Ok(EntryRow {
        id: r.get(0)?,
        entry: NewEntry {
            account_id: r.get(1)?,
            patient_id: r.get(2)?,
            kind: decode(LedgerKind::parse(&kind), "ledger kind")?,
            payer_id: r.get(4)?,
            amount: Money::from_cents(r.get(5)?),
            charge_id: r.get(6)?,
            payment_id: r.get(7)?,
            group: match group {
                Some(g) => Some(decode(AdjustmentGroup::parse(&g), "adjustment group")?),
                None => None,
            },
            reason_code: r.get(9)?,
            memo: r.get(10)?,
            reverses: r.get(11)?,
        },
        posted_day: r.get(12)?,
        posted_at: r.get(13)?,
        posted_by: r.get(14)?,
        posted_by_name: r.get::<_, Option<String>>(15)?.unwrap_or_default(),
    })
}

/// Writes a ledger entry dated `day` (the clinic's today). Refused by the
/// database when that day is closed.
pub fn insert_entry(
    tx: &Transaction<'_>,
    e: &NewEntry,
    day: NaiveDate,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<LedgerEntryId> {
    tx.prepare_cached(
        "INSERT INTO ledger_entry (account_id, patient_id, kind, payer_id, cents, charge_id, \
         payment_id, group_code, reason_code, memo, reverses_entry_id, posted_day, posted_at, \
         posted_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        e.account_id,
        e.patient_id,
        e.kind.as_str(),
        e.payer_id,
        e.amount.cents(),
        e.charge_id,
        e.payment_id,
        e.group.map(|g| g.as_str()),
        e.reason_code,
        e.memo,
        e.reverses,
        day,
        at,
        by
    ])?;
    Ok(LedgerEntryId(tx.last_insert_rowid()))
}

/// An account's ledger, oldest first.
pub fn entries_of_account(conn: &Connection, account: AccountId) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE e.account_id = ?1 ORDER BY e.id"
    ))?;
    let rows = stmt
        .query_map([account], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Entries of one kind and party, on charges or not, added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntrySum {
    pub kind: LedgerKind,
    /// None: the patient's side.
    pub payer_id: Option<PayerId>,
    pub on_charge: bool,
    pub amount: Money,
    pub count: i64,
}

/// An account's entries added up by kind and party (the payer; none: the
/// patient's side), and whether they are on a charge, with how many there
/// are: all the ledger's balances need, read from `ledger_sums_by_account`
/// (and, for the entries on no charge, `ledger_credit_by_account`) without
/// touching the entries themselves.
pub fn account_sums(conn: &Connection, account: AccountId) -> Result<Vec<EntrySum>> {
    let decode_row = |r: &Row<'_>| -> rusqlite::Result<(LedgerKind, Option<PayerId>, Money, i64)> {
        let kind: String = r.get(0)?;
        Ok((
            decode(LedgerKind::parse(&kind), "ledger kind")?,
            r.get(1)?,
            Money::from_cents(r.get(2)?),
            r.get(3)?,
        ))
    };
    let all = conn
        .prepare_cached(
            "SELECT kind, payer_id, sum(cents), count(*) FROM ledger_entry \
             WHERE account_id = ?1 GROUP BY kind, payer_id",
        )?
        .query_map([account], decode_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Only the patient's side has entries on no charge (credit, refunds).
    let off_charge = conn
        .prepare_cached(
            "SELECT kind, NULL, sum(cents), count(*) FROM ledger_entry \
             WHERE account_id = ?1 AND charge_id IS NULL AND payer_id IS NULL GROUP BY kind",
        )?
        .query_map([account], decode_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (kind, payer, amount, count) in all {
        let (off, off_count) = off_charge
            .iter()
            .filter(|o| payer.is_none() && o.0 == kind)
            .fold((0, 0), |(a, n), o| (a + o.2.cents(), n + o.3));
        if count > off_count {
            out.push(EntrySum {
                kind,
                payer_id: payer,
                on_charge: true,
                amount: Money::from_cents(amount.cents() - off),
                count: count - off_count,
            });
        }
        if off_count > 0 {
            out.push(EntrySum {
                kind,
                payer_id: payer,
                on_charge: false,
                amount: Money::from_cents(off),
                count: off_count,
            });
        }
    }
    Ok(out)
}

/// What each payer (or, with `patient`, the patient's side) still owes on
/// each of an account's charges, where it is not zero: (charge, payer or
/// none, amount), from `ledger_owed_by_account`.
pub fn owed_on_charges(
    conn: &Connection,
    account: AccountId,
    patient: bool,
) -> Result<Vec<(ChargeId, Option<PayerId>, Money)>> {
    let sql = if patient {
        "SELECT charge_id, payer_id, sum(cents) FROM ledger_entry \
         WHERE account_id = ?1 AND payer_id IS NULL AND charge_id IS NOT NULL \
         GROUP BY charge_id HAVING sum(cents) <> 0"
    } else {
        "SELECT charge_id, payer_id, sum(cents) FROM ledger_entry \
         WHERE account_id = ?1 AND payer_id IS NOT NULL \
         GROUP BY payer_id, charge_id HAVING sum(cents) <> 0"
    };
    let rows = conn
        .prepare_cached(sql)?
        .query_map([account], |r| {
            Ok((r.get(0)?, r.get(1)?, Money::from_cents(r.get(2)?)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A charge's entries added up by kind and party: (kind, payer or none,
/// amount).
pub fn charge_sums(
    conn: &Connection,
    charge: ChargeId,
) -> Result<Vec<(LedgerKind, Option<PayerId>, Money)>> {
    let rows = conn
        .prepare_cached(
            "SELECT kind, payer_id, sum(cents) FROM ledger_entry WHERE charge_id = ?1 \
             GROUP BY kind, payer_id",
        )?
        .query_map([charge], |r| {
            let kind: String = r.get(0)?;
            Ok((
                decode(LedgerKind::parse(&kind), "ledger kind")?,
                r.get(1)?,
                Money::from_cents(r.get(2)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// An account's newest `limit` entries, oldest first.
pub fn newest_entries(
    conn: &Connection,
    account: AccountId,
    limit: usize,
) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE e.account_id = ?1 ORDER BY e.id DESC LIMIT ?2"
    ))?;
    let mut rows = stmt
        .query_map(
            params![account, i64::try_from(limit).unwrap_or(i64::MAX)],
            entry_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.reverse();
    Ok(rows)
}

/// The credit each of an account's payments still holds (its patient-side
/// entries on no charge), where there is some: (payment, amount), oldest
/// payment first.
pub fn credit_by_payment(conn: &Connection, account: AccountId) -> Result<Vec<(PaymentId, Money)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.payment_id, -sum(e.cents) FROM ledger_entry e JOIN payment p ON p.id = e.payment_id \
         WHERE e.account_id = ?1 AND e.charge_id IS NULL AND e.payer_id IS NULL \
         GROUP BY e.payment_id HAVING sum(e.cents) < 0 ORDER BY p.received_day, p.id",
    )?;
    let rows = stmt
        .query_map([account], |r| Ok((r.get(0)?, Money::from_cents(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A payment's entries, oldest first.
pub fn entries_of_payment(conn: &Connection, payment: PaymentId) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE e.payment_id = ?1 ORDER BY e.id"
    ))?;
    let rows = stmt
        .query_map([payment], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The entries posted on a clinic day, oldest first.
pub fn entries_of_day(conn: &Connection, day: NaiveDate) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SQL} WHERE e.posted_day = ?1 ORDER BY e.id"
    ))?;
    let rows = stmt
        .query_map([day], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------------- closed days

/// A day's totals as closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    pub charges: Money,
    pub payments: Money,
    pub adjustments: Money,
    pub refunds: Money,
}

/// Closes a day with its totals: from now on nothing can be posted on it.
pub fn close_day(
    tx: &Transaction<'_>,
    day: NaiveDate,
    t: &DayTotals,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO closed_day (day, charges_cents, payments_cents, adjustments_cents, \
         refunds_cents, closed_at, closed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        day,
        t.charges.cents(),
        t.payments.cents(),
        t.adjustments.cents(),
        t.refunds.cents(),
        at,
        by
    ])?;
    Ok(())
}

/// A closed day's totals, when and by whom; none while it is open.
pub fn closed_day(
    conn: &Connection,
    day: NaiveDate,
) -> Result<Option<(DayTotals, DateTime<Utc>, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT charges_cents, payments_cents, adjustments_cents, refunds_cents, closed_at, \
             (SELECT full_name FROM user_account u WHERE u.id = closed_by) \
             FROM closed_day WHERE day = ?1",
        )?
        .query_row([day], |r| {
            Ok((
                DayTotals {
                    charges: Money::from_cents(r.get(0)?),
                    payments: Money::from_cents(r.get(1)?),
                    adjustments: Money::from_cents(r.get(2)?),
                    refunds: Money::from_cents(r.get(3)?),
                },
                r.get(4)?,
                r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            ))
        })
        .optional()?)
}

// -------------------------------------------------------------- statements

/// What the patient's side of each account owes: (account, owed on
/// charges, credit not yet applied: below zero when the account itself
/// owes it), for the accounts whose patient side owes something in all, by
/// account.
pub fn patient_side_by_account(conn: &Connection) -> Result<Vec<(AccountId, Money, Money)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, \
         COALESCE(SUM(CASE WHEN charge_id IS NOT NULL THEN cents END), 0), \
         -COALESCE(SUM(CASE WHEN charge_id IS NULL THEN cents END), 0) \
         FROM ledger_entry WHERE payer_id IS NULL \
         GROUP BY account_id HAVING SUM(cents) > 0 ORDER BY account_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                Money::from_cents(r.get(1)?),
                Money::from_cents(r.get(2)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What a statement said, as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFields {
    pub account_id: AccountId,
    pub statement_day: NaiveDate,
    pub patient_due: Money,
    pub credit: Money,
    pub amount_due: Money,
    pub pending: Money,
    pub method: ReleaseMethod,
    pub sha256: [u8; 32],
}

/// A statement sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub id: StatementId,
    pub fields: StatementFields,
    pub at: DateTime<Utc>,
    pub by_name: String,
}

/// Records a statement sent (written once).
pub fn insert_statement(
    tx: &Transaction<'_>,
    s: &StatementFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<StatementId> {
    tx.prepare_cached(
        "INSERT INTO statement (account_id, statement_day, patient_due_cents, credit_cents, \
         amount_due_cents, pending_cents, method, sha256, at, by_user) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        s.account_id,
        s.statement_day,
        s.patient_due.cents(),
        s.credit.cents(),
        s.amount_due.cents(),
        s.pending.cents(),
        s.method.as_str(),
        &s.sha256[..],
        at,
        by
    ])?;
    Ok(StatementId(tx.last_insert_rowid()))
}

/// The statements an account was sent, newest first.
pub fn statements_of_account(conn: &Connection, account: AccountId) -> Result<Vec<StatementRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, account_id, statement_day, patient_due_cents, credit_cents, \
         amount_due_cents, pending_cents, method, sha256, at, \
         (SELECT full_name FROM user_account u WHERE u.id = s.by_user) \
         FROM statement s WHERE account_id = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt
        .query_map([account], |r| {
            let method: String = r.get(7)?;
            let digest: Vec<u8> = r.get(8)?;
            Ok(StatementRow {
                id: r.get(0)?,
                fields: StatementFields {
                    account_id: r.get(1)?,
                    statement_day: r.get(2)?,
                    patient_due: Money::from_cents(r.get(3)?),
                    credit: Money::from_cents(r.get(4)?),
                    amount_due: Money::from_cents(r.get(5)?),
                    pending: Money::from_cents(r.get(6)?),
                    method: decode(ReleaseMethod::parse(&method), "release method")?,
                    sha256: digest.try_into().unwrap_or([0; 32]),
                },
                at: r.get(9)?,
                by_name: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ----------------------------------------------------------------- reports

/// What a party still owes on a charge: the charge's account, the payer
/// (none: the patient's side), its day of service and the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAmount {
    pub account_id: AccountId,
    pub payer_id: Option<PayerId>,
    pub service_day: NaiveDate,
    pub amount: Money,
}

/// Every amount still owed on a charge, by charge and party (those that
/// net to zero left out): what an A/R aging report adds up.
pub fn open_amounts(conn: &Connection) -> Result<Vec<OpenAmount>> {
    // Netted per charge and party first (an index-only scan of
    // `ledger_open_by_charge`), so only what is still owed meets the
    // charge table.
    let mut stmt = conn.prepare_cached(
        "SELECT o.account_id, o.payer_id, c.service_day, o.owed \
         FROM (SELECT charge_id, payer_id, account_id, SUM(cents) AS owed \
               FROM ledger_entry WHERE charge_id IS NOT NULL \
               GROUP BY charge_id, payer_id HAVING owed <> 0) o \
         JOIN charge c ON c.id = o.charge_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(OpenAmount {
                account_id: r.get(0)?,
                payer_id: r.get(1)?,
                service_day: r.get(2)?,
                amount: Money::from_cents(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Credit held by each account that holds some (paid and not applied).
pub fn credits_by_account(conn: &Connection) -> Result<Vec<(AccountId, Money)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, -SUM(cents) AS credit FROM ledger_entry \
         WHERE payer_id IS NULL AND charge_id IS NULL \
         GROUP BY account_id HAVING credit <> 0 ORDER BY account_id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, Money::from_cents(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every account's name.
pub fn account_names(conn: &Connection) -> Result<Vec<(AccountId, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM account ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What was posted on one rendering provider's charges between two days:
/// the sum of each kind of entry, and the patients charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderTotals {
    pub user_id: UserId,
    pub name: String,
    /// Each kind's sum, apart for the patient's side (`true`) and payers.
    pub by_kind: Vec<(LedgerKind, bool, Money)>,
    /// Distinct patients with a charge entry in the period.
    pub patients: i64,
    /// Charge entries in the period (voids count against them).
    pub charges: i64,
}

/// Every rendering provider's postings from `from` to `to` (posted days,
/// inclusive), by provider name; and the distinct patients charged by any.
pub fn provider_totals(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<ProviderTotals>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.rendering_user_id, \
         (SELECT full_name FROM user_account u WHERE u.id = c.rendering_user_id), \
         e.kind, e.payer_id IS NULL, SUM(e.cents), \
         SUM(CASE WHEN e.kind = 'charge' THEN (CASE WHEN e.cents < 0 THEN -1 ELSE 1 END) END) \
         FROM ledger_entry e JOIN charge c ON c.id = e.charge_id \
         WHERE e.posted_day BETWEEN ?1 AND ?2 \
         GROUP BY c.rendering_user_id, e.kind, e.payer_id IS NULL",
    )?;
    let mut out: Vec<ProviderTotals> = Vec::new();
    let rows = stmt.query_map(params![from, to], |r| {
        let kind: String = r.get(2)?;
        Ok((
            r.get::<_, UserId>(0)?,
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            decode(LedgerKind::parse(&kind), "ledger kind")?,
            r.get::<_, bool>(3)?,
            Money::from_cents(r.get(4)?),
            r.get::<_, Option<i64>>(5)?.unwrap_or(0),
        ))
    })?;
    for row in rows {
        let (user, name, kind, patient_side, amount, charges) = row?;
        let at = match out.iter().position(|t| t.user_id == user) {
            Some(i) => i,
            None => {
                out.push(ProviderTotals {
                    user_id: user,
                    name,
                    by_kind: Vec::new(),
                    patients: 0,
                    charges: 0,
                });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        t.by_kind.push((kind, patient_side, amount));
        if kind == LedgerKind::Charge {
            // A charge is owed by the patient side or a payer: two groups.
            t.charges += charges;
        }
    }
    let mut seen = conn.prepare_cached(
        "SELECT c.rendering_user_id, COUNT(DISTINCT c.patient_id) \
         FROM ledger_entry e JOIN charge c ON c.id = e.charge_id \
         WHERE e.kind = 'charge' AND e.posted_day BETWEEN ?1 AND ?2 \
         GROUP BY c.rendering_user_id",
    )?;
    for row in seen.query_map(params![from, to], |r| {
        Ok((r.get::<_, UserId>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (user, n) = row?;
        if let Some(t) = out.iter_mut().find(|t| t.user_id == user) {
            t.patients = n;
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    let all: i64 = conn
        .prepare_cached(
            "SELECT COUNT(DISTINCT c.patient_id) \
             FROM ledger_entry e JOIN charge c ON c.id = e.charge_id \
             WHERE e.kind = 'charge' AND e.posted_day BETWEEN ?1 AND ?2",
        )?
        .query_row(params![from, to], |r| r.get(0))?;
    Ok((out, all))
}
