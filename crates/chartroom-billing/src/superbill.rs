//! A visit's superbill (encounter form): the services the practice prices
//! and (for those who read charts) the patient's problems, for the
//! clinician to mark at the end of the
//! visit, and the visit's charges so far. The marked services are entered
//! as charges of the visit in one transaction (all of them or, when any
//! line is refused, none), each pointing to the marked diagnoses; prices
//! come from the fee schedule as for any charge.

use chartroom_core::{Ctx, Error, FieldError, Permission, Result};
use chartroom_store::billing::{self as store, ChargeStatus};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{chart, notes};
use chartroom_types::{EncounterId, EntryStatus, Money, PatientId, PriceLevel, Section};

use crate::accounts::in_force;
use crate::ledger::add;
use crate::posting::{check_charge, day_open, write_charge};
use crate::protocol::*;

fn visit(ctx: &Ctx<'_>, patient: PatientId, encounter: EncounterId) -> Result<notes::EncounterRow> {
    match notes::get_encounter(ctx.read(), encounter) {
        Ok(e) if e.patient_id == patient => Ok(e),
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => Err(Error::field(
            "encounter_id",
            "Choose one of the patient's visits",
        )),
        Err(e) => Err(e.into()),
    }
}

/// The superbill of `encounter` (an audited read).
pub fn superbill(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    encounter: EncounterId,
) -> Result<Superbill> {
    let e = visit(ctx, patient, encounter)?;
    let conn = ctx.read();
    let day = e.encounter_date;
    let level = if in_force(conn, patient, day)?.is_empty() {
        PriceLevel::SelfPay
    } else {
        PriceLevel::Standard
    };
    // One price per code: the patient's level if it has one that day,
    // else the standard price (as a charge would be priced).
    let mut services: Vec<SuperbillService> = Vec::new();
    for f in store::fees(conn)? {
        let f = f.fields;
        if f.from_day > day || f.to_day.is_some_and(|t| t < day) {
            continue;
        }
        match services.iter_mut().find(|s| s.code == f.code) {
            Some(s) if f.level == level => {
                s.price = f.price;
                s.description = f.description;
            }
            Some(_) => {}
            None if f.level == level || f.level == PriceLevel::Standard => {
                services.push(SuperbillService {
                    code: f.code,
                    description: f.description,
                    price: f.price,
                })
            }
            None => {}
        }
    }
    let index = chartroom_codes::Icd10Index::shared()
        .map_err(|e| Error::Internal(format!("ICD-10-CM is damaged: {e}")))?;
    let mut diagnoses: Vec<SuperbillDiagnosis> = Vec::new();
    let mut offer = |code: &str, label: String| {
        if index.get(code).is_some_and(|c| c.billable) && !diagnoses.iter().any(|d| d.code == code)
        {
            diagnoses.push(SuperbillDiagnosis {
                code: code.to_owned(),
                label,
            });
        }
    };
    // The problem list is clinical: offered only to those who read charts
    // (the front desk and the manager see the visit's charges, not it).
    if ctx.actor().may(Permission::ClinicalRead) {
        for p in chart::list_entries(conn, patient, Some(Section::Problem))? {
            if p.data.status == EntryStatus::Active && !p.data.code.is_empty() {
                offer(&p.data.code, p.data.label.clone());
            }
        }
    }
    let rows = store::charges_of_encounter(conn, encounter)?;
    for c in &rows {
        for d in &c.fields.diagnoses {
            let label = index
                .get(d)
                .map(|x| x.description.to_string())
                .unwrap_or_default();
            offer(d, label);
        }
    }
    let mut charges = Vec::new();
    let mut total = Money::ZERO;
    for r in &rows {
        let entries = store::entries_of_account(conn, r.fields.account_id)?;
        charges.push(crate::view::one_charge_view(ctx, r, &entries)?);
        if r.status != ChargeStatus::Void {
            total = add(total, r.fields.amount());
        }
    }
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        Some(patient),
        format!("encounter/{encounter}/superbill"),
        format!("superbill read: {} charge(s)", charges.len()),
    ))?;
    Ok(Superbill {
        encounter_id: encounter,
        patient_id: patient,
        day: day.to_string(),
        provider_name: e.provider_name,
        charges,
        total,
        services,
        diagnoses,
        can_enter: actor.may(Permission::ChargeEntry),
    })
}

/// Enters the services marked on the superbill of `encounter` as its
/// charges, all in one transaction, or none with every refusal named by
/// its line (`lines.2.code`).
pub fn enter_visit_charges(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    encounter: EncounterId,
    form: &VisitChargesForm,
) -> Result<Superbill> {
    visit(ctx, patient, encounter)?;
    if form.lines.is_empty() {
        return Err(Error::field("lines", "Mark at least one service"));
    }
    let mut checked = Vec::new();
    let mut refused: Vec<FieldError> = Vec::new();
    for (i, l) in form.lines.iter().enumerate() {
        let charge = ChargeForm {
            encounter_id: Some(encounter),
            service_day: String::new(),
            code: l.code.clone(),
            modifiers: l.modifiers.clone(),
            units: l.units,
            place: form.place,
            diagnoses: form.diagnoses.clone(),
            rendering_user_id: None,
        };
        match check_charge(ctx, patient, &charge) {
            Ok(c) => checked.push(c),
            Err(Error::Validation(fields)) => {
                for mut f in fields {
                    // The diagnoses are the form's own; the rest its line's.
                    if f.field != "diagnoses" {
                        f.field = format!("lines.{i}.{}", f.field);
                    }
                    if !refused.contains(&f) {
                        refused.push(f);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !refused.is_empty() {
        return Err(Error::Validation(refused));
    }
    day_open(ctx.read(), ctx.today())?;
    let actor = ctx.actor();
    let today = ctx.today();
    ctx.write(|tx, now| {
        for c in &checked {
            write_charge(tx, actor, today, now, c, None)?;
        }
        Ok(())
    })?;
    superbill(ctx, patient, encounter)
}
