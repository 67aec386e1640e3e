//! Billing accounts and coverage. Every patient is billed to an account:
//! their own (opened from their demographics the first time they need
//! one), another patient's (a child on a parent's), or a guarantor who is
//! not a patient. Coverage names the payer, the member, the subscriber and
//! the copay; a patient's charges go first to the primary coverage in force
//! on the day of service, then the secondary, then the patient.

use chartroom_core::{validate, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_store::billing::{
    self as store, AccountFields, AccountRow, CoverageFields, CoverageRow,
};
use chartroom_store::model::AuditAction;
use chartroom_store::{patients, Connection, Tx};
use chartroom_types::{AccountId, CoverageId, CoverageRank, PatientId, UserId};
use chrono::{DateTime, NaiveDate, Utc};

use crate::protocol::*;
use crate::setup::{address, audit, day_or, money};

pub(crate) fn account_view(conn: &Connection, r: AccountRow) -> Result<AccountView> {
    let f = r.fields;
    Ok(AccountView {
        patients: store::patients_of_account(conn, r.id)?,
        id: r.id,
        name: f.name,
        address_line1: f.address_line1,
        address_line2: f.address_line2,
        city: f.city,
        region: f.region,
        postal_code: f.postal_code,
        phone: f.phone,
        version: r.version,
    })
}

/// The patient's own details as a guarantor's.
fn own_fields(conn: &Connection, patient: PatientId) -> Result<AccountFields> {
    let p = patients::get(conn, patient)?;
    let f = p.fields;
    let phone = [&f.phone_mobile, &f.phone_home, &f.phone_work]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or_default();
    Ok(AccountFields {
        name: format!("{} {}", f.given_name, f.family_name),
        address_line1: f.address_line1,
        address_line2: f.address_line2,
        city: f.city,
        region: f.region,
        postal_code: f.postal_code,
        phone,
    })
}

/// The account `patient` is billed to, opened (their own) inside `tx` if
/// they have none yet.
pub(crate) fn account_for(
    tx: &Tx<'_>,
    patient: PatientId,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<AccountId> {
    if let Some(a) = store::account_of_patient(tx, patient)? {
        return Ok(a);
    }
    let row = store::insert_account(tx, &own_fields(tx, patient)?, at, by)?;
    store::set_patient_account(tx, patient, row.id, at, by)?;
    Ok(row.id)
}

/// The account `patient` is billed to as it would be shown: theirs, or
/// their own details when they have none yet (opened at the first write).
fn account_shown(conn: &Connection, patient: PatientId) -> Result<AccountView> {
    match store::account_of_patient(conn, patient)? {
        Some(a) => account_view(conn, store::account(conn, a)?),
        None => {
            let f = own_fields(conn, patient)?;
            Ok(AccountView {
                id: AccountId(0),
                name: f.name,
                address_line1: f.address_line1,
                address_line2: f.address_line2,
                city: f.city,
                region: f.region,
                postal_code: f.postal_code,
                phone: f.phone,
                patients: vec![patient],
                version: 0,
            })
        }
    }
}

fn coverage_view(r: CoverageRow, today: NaiveDate) -> CoverageView {
    let f = r.fields;
    CoverageView {
        id: r.id,
        payer_id: f.payer_id,
        payer_name: r.payer_name,
        rank: f.rank,
        member_id: f.member_id,
        group_number: f.group_number,
        relationship: f.relationship,
        subscriber_name: f.subscriber_name,
        subscriber_birth_date: f.subscriber_birth_date.map(|d| d.to_string()),
        copay: f.copay,
        active: f.from_day <= today && f.to_day.is_none_or(|t| t >= today),
        from_day: f.from_day.to_string(),
        to_day: f.to_day.map(|d| d.to_string()),
        version: r.version,
    }
}

/// The coverage of `patient` in force on `day`, primary first.
pub(crate) fn in_force(
    conn: &Connection,
    patient: PatientId,
    day: NaiveDate,
) -> Result<Vec<CoverageRow>> {
    let mut v: Vec<CoverageRow> = store::coverage_of_patient(conn, patient)?
        .into_iter()
        .filter(|c| c.fields.from_day <= day && c.fields.to_day.is_none_or(|t| t >= day))
        .collect();
    v.sort_by_key(|c| c.fields.rank != CoverageRank::Primary);
    // One of each rank: the newest (the store lists newest first).
    let mut seen = Vec::new();
    v.retain(|c| {
        let first = !seen.contains(&c.fields.rank);
        seen.push(c.fields.rank);
        first
    });
    Ok(v)
}

/// A patient's account and coverage (an audited read).
pub fn patient_billing(ctx: &mut Ctx<'_>, patient: PatientId) -> Result<PatientBilling> {
    let today = ctx.today();
    let can_edit = ctx.actor().may(Permission::AccountWrite);
    ctx.read_audited(patient, ("billing", "account and coverage read"), |tx| {
        Ok(PatientBilling {
            patient_id: patient,
            account: account_shown(tx, patient)?,
            coverage: store::coverage_of_patient(tx, patient)?
                .into_iter()
                .map(|c| coverage_view(c, today))
                .collect(),
            can_edit,
        })
    })
}

fn account_fields(errs: &mut FieldErrors, f: &AccountForm) -> AccountFields {
    let name = chartroom_chart::sheets::printed_text(errs, "name", "Name", &f.name, 80);
    if name.is_empty() {
        errs.add("name", "Give the guarantor's name");
    }
    let a = address(
        errs,
        [
            &f.address_line1,
            &f.address_line2,
            &f.city,
            &f.region,
            &f.postal_code,
            &f.phone,
        ],
    );
    AccountFields {
        name,
        address_line1: a.line1,
        address_line2: a.line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        phone: a.phone,
    }
}

/// Bills `patient` to a guarantor from now on. Charges already entered
/// stay on the account they were billed to.
pub fn set_guarantor(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    to: &Guarantor,
) -> Result<PatientBilling> {
    patients::get(ctx.read(), patient)?;
    let fields = match to {
        Guarantor::Person { form } => {
            let mut errs = FieldErrors::default();
            let f = account_fields(&mut errs, form);
            errs.finish()?;
            Some(f)
        }
        Guarantor::SameAs { patient_id } => {
            if *patient_id == patient {
                return Err(Error::field(
                    "patient_id",
                    "Choose another patient, or the patient's own account",
                ));
            }
            patients::get(ctx.read(), *patient_id)?;
            None
        }
        Guarantor::Own => None,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        let account = match to {
            Guarantor::Own => {
                let current = store::account_of_patient(tx, patient)?;
                match current {
                    // Already on an account of their own (only them on it).
                    Some(a) if store::patients_of_account(tx, a)? == vec![patient] => a,
                    _ => store::insert_account(tx, &own_fields(tx, patient)?, now, user)?.id,
                }
            }
            Guarantor::SameAs { patient_id } => account_for(tx, *patient_id, now, user)?,
            Guarantor::Person { .. } => {
                let f = fields
                    .as_ref()
                    .ok_or_else(|| Error::Internal("checked above".into()))?;
                store::insert_account(tx, f, now, user)?.id
            }
        };
        store::set_patient_account(tx, patient, account, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(patient),
            format!("account/{account}"),
            "guarantor set",
        )
    })?;
    patient_billing(ctx, patient)
}

/// Changes a guarantor's details at `expected_version`.
pub fn save_account(
    ctx: &mut Ctx<'_>,
    id: AccountId,
    expected_version: i64,
    form: &AccountForm,
) -> Result<AccountView> {
    let mut errs = FieldErrors::default();
    let fields = account_fields(&mut errs, form);
    errs.finish()?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = store::update_account(tx, id, expected_version, &fields, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            None,
            format!("account/{id}"),
            "guarantor details saved",
        )?;
        Ok(row)
    })?;
    account_view(ctx.read(), row)
}

/// Adds coverage or changes (ends) it at `expected_version`.
pub fn save_coverage(
    ctx: &mut Ctx<'_>,
    id: Option<CoverageId>,
    expected_version: i64,
    form: &CoverageForm,
) -> Result<PatientBilling> {
    let conn = ctx.read();
    patients::get(conn, form.patient_id)?;
    let mut errs = FieldErrors::default();
    match store::payer(conn, form.payer_id) {
        Ok(p) if p.fields.active || id.is_some() => {}
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("payer_id", "Choose an active payer")
        }
        Err(e) => return Err(e.into()),
    }
    let member_id = chartroom_chart::sheets::printed_text(
        &mut errs,
        "member_id",
        "Member ID",
        &form.member_id,
        30,
    );
    if member_id.is_empty() {
        errs.add("member_id", "Give the member ID from the insurance card");
    }
    let group_number = chartroom_chart::sheets::printed_text(
        &mut errs,
        "group_number",
        "Group",
        &form.group_number,
        30,
    );
    let subscriber_name = chartroom_chart::sheets::printed_text(
        &mut errs,
        "subscriber_name",
        "Subscriber",
        &form.subscriber_name,
        80,
    );
    let self_insured = form.relationship == chartroom_types::SubscriberRelationship::SelfInsured;
    if !self_insured && subscriber_name.is_empty() {
        errs.add(
            "subscriber_name",
            "Give the subscriber's name (the patient is not the subscriber)",
        );
    }
    let subscriber_birth_date = if form.subscriber_birth_date.trim().is_empty() {
        None
    } else {
        validate::birth_date(
            &mut errs,
            "subscriber_birth_date",
            &form.subscriber_birth_date,
            ctx.today(),
        )
    };
    let copay = if form.copay.trim().is_empty() {
        chartroom_types::Money::ZERO
    } else {
        money(&mut errs, "copay", "The copay", &form.copay, false)
    };
    let from = day_or(
        &mut errs,
        "from",
        "First day",
        &form.from,
        Some(ctx.today()),
    );
    let to = if form.to.trim().is_empty() {
        None
    } else {
        day_or(&mut errs, "to", "Last day", &form.to, None)
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errs.add("to", "The coverage ends before it starts");
        }
    }
    errs.finish()?;
    let fields = CoverageFields {
        patient_id: form.patient_id,
        payer_id: form.payer_id,
        rank: form.rank,
        member_id,
        group_number,
        subscriber_name,
        subscriber_birth_date,
        relationship: form.relationship,
        copay,
        from_day: from.ok_or_else(|| Error::Internal("checked above".into()))?,
        to_day: to,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_coverage(tx, &fields, now, user)?,
            Some(id) => {
                let old = store::coverage(tx, id)?;
                if old.fields.patient_id != fields.patient_id {
                    return Err(Error::field(
                        "patient_id",
                        "That coverage is another patient's",
                    ));
                }
                store::update_coverage(tx, id, expected_version, &fields, now, user)?
            }
        };
        audit(
            tx,
            now,
            actor,
            if id.is_none() {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            Some(fields.patient_id),
            format!("coverage/{}", row.id),
            format!("{} coverage with {}", fields.rank.as_str(), row.payer_name),
        )
    })?;
    patient_billing(ctx, form.patient_id)
}
