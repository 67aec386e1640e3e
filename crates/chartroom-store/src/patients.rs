//! The `patient` table, its history and its search index.
//!
//! Invariants: a patient is never deleted; every update keeps the replaced
//! version through [`crate::corrections`] ([`PATIENT`]) and bumps `version`;
//! `patient_search` always
//! holds exactly the tokens of the current version (rewritten in the same
//! transaction as the row).

use chartroom_types::{PatientId, UserId};
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, Table};
use crate::model::{Patient, PatientFields, PatientSummary, PreferredContact, Sex};
use crate::search::{self, Term};
use crate::{Result, StoreError};

/// How patients plug into [`crate::corrections`]: their replaced details
/// are kept (the whole [`Patient`] as it was); a patient is never marked
/// entered in error.
pub const PATIENT: Table = Table::new("patient", "patient", Some("version"));

/// MRNs are `MRN_BASE + row id`: six digits from 100001.
const MRN_BASE: i64 = 100_000;

const COLUMNS: &str = "id, mrn, version, family_name, given_name, middle_name, preferred_name, \
    birth_date, sex, gender_identity, address_line1, address_line2, city, region, postal_code, \
    phone_mobile, phone_home, phone_work, email, preferred_contact, emergency_name, \
    emergency_relationship, emergency_phone, created_at, updated_at";

const SUMMARY_COLUMNS: &str = "p.id, p.mrn, p.family_name, p.given_name, p.preferred_name, \
    p.birth_date, p.sex, p.phone_mobile, p.phone_home, p.phone_work";

pub(crate) fn decode<T>(v: Option<T>, what: &str) -> rusqlite::Result<T> {
    v.ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {what}").into(),
        )
    })
}

fn patient_from_row(r: &Row<'_>) -> rusqlite::Result<Patient> {
    let sex: String = r.get(8)?;
    let contact: String = r.get(19)?;
    Ok(Patient {
        id: r.get(0)?,
        mrn: r.get(1)?,
        version: r.get(2)?,
        fields: PatientFields {
            family_name: r.get(3)?,
            given_name: r.get(4)?,
            middle_name: r.get(5)?,
            preferred_name: r.get(6)?,
            birth_date: r.get(7)?,
            sex: decode(Sex::parse(&sex), "sex")?,
            gender_identity: r.get(9)?,
            address_line1: r.get(10)?,
            address_line2: r.get(11)?,
            city: r.get(12)?,
            region: r.get(13)?,
            postal_code: r.get(14)?,
            phone_mobile: r.get(15)?,
            phone_home: r.get(16)?,
            phone_work: r.get(17)?,
            email: r.get(18)?,
            preferred_contact: decode(PreferredContact::parse(&contact), "contact preference")?,
            emergency_name: r.get(20)?,
            emergency_relationship: r.get(21)?,
            emergency_phone: r.get(22)?,
        },
        created_at: r.get(23)?,
        updated_at: r.get(24)?,
    })
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<PatientSummary> {
    let sex: String = r.get(6)?;
    let phones: [String; 3] = [r.get(7)?, r.get(8)?, r.get(9)?];
    Ok(PatientSummary {
        id: r.get(0)?,
        mrn: r.get(1)?,
        family_name: r.get(2)?,
        given_name: r.get(3)?,
        preferred_name: r.get(4)?,
        birth_date: r.get(5)?,
        sex: decode(Sex::parse(&sex), "sex")?,
        phone: phones
            .into_iter()
            .find(|p| !p.is_empty())
            .unwrap_or_default(),
        age_text: String::new(),
        phone_display: String::new(),
    })
}

/// Every search token of a patient, deduplicated, in a stable order.
fn tokens(mrn: &str, f: &PatientFields) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in [
        &f.family_name,
        &f.given_name,
        &f.middle_name,
        &f.preferred_name,
    ] {
        out.extend(search::fold_words(part));
    }
    out.push(mrn.to_string());
    out.push(search::date_token(f.birth_date));
    for phone in [&f.phone_mobile, &f.phone_home, &f.phone_work] {
        out.extend(search::phone_tokens(phone));
    }
    let mut seen = HashSet::new();
    out.retain(|t| !t.is_empty() && seen.insert(t.clone()));
    out
}

fn index(tx: &Transaction<'_>, id: PatientId, mrn: &str, f: &PatientFields) -> Result<()> {
    tx.execute("DELETE FROM patient_search WHERE patient_id = ?1", [id])?;
    let toks = tokens(mrn, f);
    let sort = search::sort_name(&f.family_name, &f.given_name);
    let mut stmt = tx.prepare_cached(
        "INSERT INTO patient_search (token, sort_name, patient_id) VALUES (?1, ?2, ?3)",
    )?;
    for t in &toks {
        stmt.execute(params![t, sort, id])?;
    }
    let joined = format!(" {} ", toks.join(" "));
    tx.execute(
        "UPDATE patient SET sort_name = ?1, search_tokens = ?2 WHERE id = ?3",
        params![sort, joined, id],
    )?;
    Ok(())
}

/// Writes the registration details of row `id` (shared by insert and update).
fn write_fields(
    tx: &Transaction<'_>,
    id: PatientId,
    f: &PatientFields,
    by_user: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE patient SET family_name = ?2, given_name = ?3, middle_name = ?4, preferred_name = ?5, \
         birth_date = ?6, sex = ?7, gender_identity = ?8, address_line1 = ?9, address_line2 = ?10, \
         city = ?11, region = ?12, postal_code = ?13, phone_mobile = ?14, phone_home = ?15, \
         phone_work = ?16, email = ?17, preferred_contact = ?18, emergency_name = ?19, \
         emergency_relationship = ?20, emergency_phone = ?21, updated_at = ?22, updated_by = ?23 \
         WHERE id = ?1",
        params![
            id,
            f.family_name,
            f.given_name,
            f.middle_name,
            f.preferred_name,
            f.birth_date,
            f.sex.as_str(),
            f.gender_identity,
            f.address_line1,
            f.address_line2,
            f.city,
            f.region,
            f.postal_code,
            f.phone_mobile,
            f.phone_home,
            f.phone_work,
            f.email,
            f.preferred_contact.as_str(),
            f.emergency_name,
            f.emergency_relationship,
            f.emergency_phone,
            at,
            by_user,
        ],
    )?;
    Ok(())
}

/// Registers a patient and assigns the next MRN.
pub fn insert(
    tx: &Transaction<'_>,
    f: &PatientFields,
    by_user: UserId,
    at: DateTime<Utc>,
) -> Result<Patient> {
    // MRNs follow the row id (an O(log n) lookup, not a scan of MRNs).
    let id: PatientId = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM patient", [], |r| {
        r.get(0)
    })?;
    let mrn = (MRN_BASE + id.get()).to_string();
    tx.execute(
        "INSERT INTO patient (id, mrn, family_name, given_name, birth_date, sex, sort_name, \
         search_tokens, version, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, '', '', ?3, ?4, '', '', 1, ?5, ?6, ?5, ?6)",
        params![id, mrn, f.birth_date, f.sex.as_str(), at, by_user],
    )?;
    write_fields(tx, id, f, by_user, at)?;
    index(tx, id, &mrn, f)?;
    get(tx, id)
}

/// Saves new details for a patient that was read at `expected_version`.
/// The replaced version is kept ([`history`]).
pub fn update(
    tx: &Transaction<'_>,
    id: PatientId,
    expected_version: i64,
    f: &PatientFields,
    by_user: UserId,
    at: DateTime<Utc>,
) -> Result<Patient> {
    corrections::check_current(tx, &PATIENT, id, Some(expected_version))?;
    let old = get(tx, id)?;
    corrections::keep(tx, &PATIENT, id, old.version, &old, "edited", at, by_user)?;
    tx.execute(
        "UPDATE patient SET version = version + 1 WHERE id = ?1",
        [id],
    )?;
    write_fields(tx, id, f, by_user, at)?;
    index(tx, id, &old.mrn, f)?;
    get(tx, id)
}

/// Reads one patient.
pub fn get(conn: &Connection, id: PatientId) -> Result<Patient> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM patient WHERE id = ?1"),
        [id],
        patient_from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "patient",
        id: id.into(),
    })
}

/// Earlier versions of a patient's details, oldest first, with who replaced
/// each and when.
pub fn history(conn: &Connection, id: PatientId) -> Result<Vec<(Patient, DateTime<Utc>, UserId)>> {
    Ok(corrections::history::<Patient>(conn, &PATIENT, id)?
        .into_iter()
        .map(|h| (h.fields, h.replaced_at, h.replaced_by))
        .collect())
}

/// Number of registered patients.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM patient", [], |r| r.get(0))?)
}

/// Finds patients as the user types: every term must match the start of one
/// of the patient's tokens (name words in any order, MRN, phone digits) or,
/// for a typed date, the birth date exactly. Results come in token, then name
/// order; at most `limit`.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<PatientSummary>> {
    let terms = search::parse_query(query);
    let Some(driver) = terms
        .iter()
        .max_by_key(|t| (matches!(t, Term::Exact(_)), t.text().len()))
        .cloned()
    else {
        return Ok(Vec::new());
    };
    let others: Vec<&Term> = terms.iter().filter(|t| **t != driver).collect();
    let mut sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM patient_search s JOIN patient p ON p.id = s.patient_id WHERE "
    );
    let (lo, hi) = match &driver {
        Term::Exact(t) => {
            sql.push_str("s.token = ?1 AND ?2 = ?2");
            (t.clone(), t.clone())
        }
        Term::Prefix(t) => {
            sql.push_str("s.token >= ?1 AND s.token < ?2");
            (t.clone(), format!("{t}\u{7f}"))
        }
    };
    let mut likes = Vec::new();
    for (i, t) in others.iter().enumerate() {
        sql.push_str(&format!(" AND p.search_tokens LIKE ?{}", i + 4));
        likes.push(match t {
            Term::Exact(x) => format!("% {x} %"),
            Term::Prefix(x) => format!("% {x}%"),
        });
    }
    sql.push_str(" ORDER BY s.token, s.sort_name, s.patient_id LIMIT ?3");
    let fetch = (limit * 3 + 10) as i64;
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut bind: Vec<&dyn rusqlite::ToSql> = vec![&lo, &hi, &fetch];
    for l in &likes {
        bind.push(l);
    }
    let rows = stmt.query_map(bind.as_slice(), summary_from_row)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in rows {
        let s = row?;
        if seen.insert(s.id) {
            out.push(s);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// Patients who may be the same person as `f`: the same birth date and a
/// similar name, or the same phone number. `exclude` leaves out the patient
/// being edited.
pub fn possible_duplicates(
    conn: &Connection,
    f: &PatientFields,
    exclude: Option<PatientId>,
) -> Result<Vec<PatientSummary>> {
    let mut found: Vec<PatientSummary> = Vec::new();
    let mut seen: HashSet<PatientId> = exclude.into_iter().collect();
    let family = search::fold_words(&f.family_name).join(" ");
    let given = search::fold_words(&f.given_name).join(" ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM patient p WHERE p.birth_date = ?1"
    ))?;
    let same_dob = stmt.query_map([f.birth_date], summary_from_row)?;
    for row in same_dob {
        let s = row?;
        if similar_names(
            &family,
            &given,
            &search::fold_words(&s.family_name).join(" "),
            &search::fold_words(&s.given_name).join(" "),
        ) && seen.insert(s.id)
        {
            found.push(s);
        }
    }
    let mut by_phone = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM patient_search s JOIN patient p ON p.id = s.patient_id \
         WHERE s.token = ?1 LIMIT 20"
    ))?;
    for phone in [&f.phone_mobile, &f.phone_home, &f.phone_work] {
        let digits = search::phone_digits(phone);
        if digits.len() < 10 {
            continue;
        }
        for row in by_phone.query_map([&digits], summary_from_row)? {
            let s = row?;
            if seen.insert(s.id) {
                found.push(s);
            }
        }
    }
    Ok(found)
}

/// Same family name (or nearly: a typo, a missing accent) and a given name
/// that is nearly the same or shares its initial.
fn similar_names(fam_a: &str, giv_a: &str, fam_b: &str, giv_b: &str) -> bool {
    let fam = fam_a == fam_b || strsim::jaro_winkler(fam_a, fam_b) >= 0.88;
    let giv = giv_a == giv_b
        || strsim::jaro_winkler(giv_a, giv_b) >= 0.85
        || (giv_a.get(..1).is_some() && giv_a.get(..1) == giv_b.get(..1));
    fam && giv
}

/// The id of the patient with this MRN.
pub fn id_by_mrn(conn: &Connection, mrn: &str) -> Result<Option<PatientId>> {
    Ok(conn
        .query_row("SELECT id FROM patient WHERE mrn = ?1", [mrn], |r| r.get(0))
        .optional()?)
}
