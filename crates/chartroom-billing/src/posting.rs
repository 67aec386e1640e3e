//! Everything that changes what an account owes, each a set of ledger
//! entries written in one transaction with its audit record:
//!
//! - a charge from a visit, priced from the fee schedule (the self-pay
//!   level when no coverage is in force that day) and owed first by the
//!   primary payer in force, else the patient; voided by reversing entries;
//! - a patient's payment, applied to what the patient owes (oldest first,
//!   or one charge) with the rest kept as credit, and credit applied later;
//! - an insurer's payment posted line by line from its paper EOB: paid,
//!   adjustments by group and reason, and the patient responsibility (PR)
//!   moved to the secondary payer or the patient; a line must balance
//!   (paid plus adjustments is what was pending with that payer);
//! - a payment reversed (every entry it made negated, the payment marked)
//!   and credit refunded.
//!
//! Entries are dated the clinic's today; a closed day refuses them.

use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_store::billing::{
    self as store, ChargeFields, ChargeRow, ChargeStatus, EntryRow, NewEntry, PaymentFields,
};
use chartroom_store::model::{AuditAction, Role};
use chartroom_store::{notes, patients, users, Connection, Tx};
use chartroom_types::{
    AccountId, AdjustmentGroup, ChargeId, EncounterId, LedgerKind, Money, PatientId, PayerId,
    PaymentId, PaymentMethod, PriceLevel, UserId,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::accounts::{account_for, in_force};
use crate::ledger::{add, neg, owed_on, Party, Posting};
use crate::protocol::*;
use crate::setup::{audit, day_or, money, procedure_code};

/// An entry as the arithmetic sees it.
pub(crate) fn posting(e: &EntryRow) -> Posting {
    Posting {
        kind: e.entry.kind,
        party: Party::of(e.entry.payer_id),
        amount: e.entry.amount,
        charge: e.entry.charge_id,
    }
}

pub(crate) fn postings(entries: &[EntryRow]) -> Vec<Posting> {
    entries.iter().map(posting).collect()
}

/// Refuses a posting on a closed day before anything is written.
pub(crate) fn day_open(conn: &Connection, day: NaiveDate) -> Result<()> {
    match store::closed_day(conn, day)? {
        Some(_) => Err(Error::field(
            "day",
            format!(
                "{} is closed: its postings are final. Post on an open day",
                validate::date_text(day)
            ),
        )),
        None => Ok(()),
    }
}

/// Writes one entry of `account` dated `day`.
struct Writer<'a, 't> {
    tx: &'a Tx<'t>,
    account: AccountId,
    day: NaiveDate,
    at: DateTime<Utc>,
    by: UserId,
}

impl Writer<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn post(
        &self,
        patient: Option<PatientId>,
        kind: LedgerKind,
        party: Party,
        amount: Money,
        charge: Option<ChargeId>,
        payment: Option<PaymentId>,
        group: Option<(AdjustmentGroup, &str)>,
        memo: &str,
    ) -> Result<()> {
        if amount == Money::ZERO {
            return Ok(());
        }
        store::insert_entry(
            self.tx,
            &NewEntry {
                account_id: self.account,
                patient_id: patient,
                kind,
                payer_id: party.payer(),
                amount,
                charge_id: charge,
                payment_id: payment,
                group: group.map(|g| g.0),
                reason_code: group.map(|g| g.1.to_owned()).unwrap_or_default(),
                memo: memo.to_owned(),
                reverses: None,
            },
            self.day,
            self.at,
            self.by,
        )?;
        Ok(())
    }
}

// ------------------------------------------------------------------ charges

fn modifiers(errs: &mut FieldErrors, typed: &[String]) -> Vec<String> {
    let v: Vec<String> = typed
        .iter()
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    if v.len() > 4 {
        errs.add("modifiers", "A line takes at most four modifiers");
    }
    for m in &v {
        if m.len() != 2 || !m.bytes().all(|b| b.is_ascii_alphanumeric()) {
            errs.add(
                "modifiers",
                format!("\"{m}\" is not a modifier (two letters or digits, such as 25 or LT)"),
            );
        }
    }
    v
}

fn diagnoses(errs: &mut FieldErrors, typed: &[String]) -> Result<Vec<String>> {
    let index = chartroom_codes::Icd10Index::shared()
        .map_err(|e| Error::Internal(format!("ICD-10-CM is damaged: {e}")))?;
    let mut out: Vec<String> = Vec::new();
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match index.get(t) {
            Some(c) if c.billable => {
                if !out.iter().any(|o| o == c.code) {
                    out.push(c.code.to_owned());
                }
            }
            Some(c) => errs.add(
                "diagnoses",
                format!(
                    "{} is a category, not a billable code: choose a more specific one",
                    c.code
                ),
            ),
            None => errs.add("diagnoses", format!("\"{t}\" is not an ICD-10-CM code")),
        }
    }
    if out.is_empty() && errs.is_empty() {
        errs.add("diagnoses", "Give at least one diagnosis (ICD-10-CM)");
    }
    if out.len() > 4 {
        errs.add("diagnoses", "A line points to at most four diagnoses");
    }
    Ok(out)
}

fn is_clinician(conn: &Connection, id: UserId) -> Result<bool> {
    match users::get(conn, id) {
        Ok(u) => Ok(!u.disabled && u.roles.contains(&Role::Clinician)),
        Err(chartroom_store::StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// A charge checked and priced, ready to write.
pub(crate) struct CheckedCharge {
    patient: PatientId,
    encounter: Option<EncounterId>,
    day: NaiveDate,
    code: String,
    modifiers: Vec<String>,
    units: i64,
    unit_price: Money,
    place: chartroom_types::PlaceOfService,
    rendering: UserId,
    diagnoses: Vec<String>,
    description: String,
    level: PriceLevel,
    /// Who owes it first: the primary payer in force, else the patient.
    first: Party,
}

/// Checks a charge as typed and prices it from the fee schedule; every
/// problem is named by its field. Writes nothing.
pub(crate) fn check_charge(
    ctx: &Ctx<'_>,
    patient: PatientId,
    form: &ChargeForm,
) -> Result<CheckedCharge> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let mut errs = FieldErrors::default();
    let encounter = match form.encounter_id {
        Some(e) => match notes::get_encounter(conn, e) {
            Ok(enc) if enc.patient_id == patient => Some(enc),
            Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
                errs.add("encounter_id", "Choose one of the patient's visits");
                None
            }
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let code = procedure_code(&mut errs, "code", &form.code);
    let mods = modifiers(&mut errs, &form.modifiers);
    if !(1..=999).contains(&form.units) {
        errs.add("units", "Units are 1 to 999");
    }
    let dx = diagnoses(&mut errs, &form.diagnoses)?;
    let default_day = encounter
        .as_ref()
        .map(|e| e.encounter_date)
        .unwrap_or(ctx.today());
    let day = day_or(
        &mut errs,
        "service_day",
        "Day of service",
        &form.service_day,
        Some(default_day),
    );
    if let Some(d) = day {
        if d > ctx.today() {
            errs.add("service_day", "The day of service has not come yet");
        }
    }
    let rendering = form
        .rendering_user_id
        .or(encounter.as_ref().map(|e| e.provider_id))
        .or(ctx.actor().user_id);
    match rendering {
        Some(r) if is_clinician(conn, r)? => {}
        _ => errs.add(
            "rendering_user_id",
            "Choose the clinician who gave the service",
        ),
    }
    errs.finish()?;
    let (Some(day), Some(rendering)) = (day, rendering) else {
        return Err(Error::Internal("checked above".into()));
    };
    let coverage = in_force(conn, patient, day)?;
    let level = if coverage.is_empty() {
        PriceLevel::SelfPay
    } else {
        PriceLevel::Standard
    };
    let fee = match store::fee_on(conn, &code, level, day)? {
        Some(f) => f,
        None => match store::fee_on(conn, &code, PriceLevel::Standard, day)? {
            Some(f) => f,
            None => {
                return Err(Error::field(
                    "code",
                    format!(
                        "{code} has no price in the fee schedule on {}: add it first",
                        validate::date_text(day)
                    ),
                ))
            }
        },
    };
    Ok(CheckedCharge {
        patient,
        encounter: form.encounter_id,
        day,
        code,
        modifiers: mods,
        units: i64::from(form.units),
        unit_price: fee.fields.price,
        place: form.place,
        rendering,
        diagnoses: dx,
        description: fee.fields.description,
        level,
        first: coverage
            .first()
            .map_or(Party::Patient, |c| Party::Payer(c.fields.payer_id)),
    })
}

/// Writes a checked charge, its ledger entry (dated `today`) and its audit
/// record, in the caller's transaction.
pub(crate) fn write_charge(
    tx: &Tx<'_>,
    actor: &chartroom_core::Actor,
    today: NaiveDate,
    now: DateTime<Utc>,
    c: &CheckedCharge,
    replaces: Option<ChargeId>,
) -> Result<ChargeRow> {
    let user = actor.user()?;
    let account = account_for(tx, c.patient, now, user)?;
    let fields = ChargeFields {
        patient_id: c.patient,
        account_id: account,
        encounter_id: c.encounter,
        service_day: c.day,
        code: c.code.clone(),
        modifiers: c.modifiers.clone(),
        units: c.units,
        unit_price: c.unit_price,
        place: c.place,
        rendering_user_id: c.rendering,
        diagnoses: c.diagnoses.clone(),
        description: c.description.clone(),
    };
    let row = store::insert_charge(tx, &fields, replaces, now, user)?;
    Writer {
        tx,
        account,
        day: today,
        at: now,
        by: user,
    }
    .post(
        Some(c.patient),
        LedgerKind::Charge,
        c.first,
        fields.amount(),
        Some(row.id),
        None,
        None,
        "",
    )?;
    audit(
        tx,
        now,
        actor,
        AuditAction::Create,
        Some(c.patient),
        format!("charge/{}", row.id),
        format!(
            "{} x{} {} on {}, {} level",
            c.code,
            c.units,
            fields.amount(),
            c.day,
            c.level.as_str()
        ),
    )?;
    Ok(row)
}

/// Enters a charge for `patient`.
pub fn enter_charge(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    form: &ChargeForm,
) -> Result<ChargeView> {
    let checked = check_charge(ctx, patient, form)?;
    day_open(ctx.read(), ctx.today())?;
    let actor = ctx.actor();
    let today = ctx.today();
    let row = ctx.write(|tx, now| write_charge(tx, actor, today, now, &checked, None))?;
    let entries = store::entries_of_account(ctx.read(), row.fields.account_id)?;
    crate::view::one_charge_view(ctx, &row, &entries)
}

/// What each party owes on charge `id` (nonzero only), or a refusal when
/// payments or adjustments stand on it (they are reversed first; then the
/// charge can be `verb`, e.g. "voiding").
fn owed_if_untouched(
    entries: &[EntryRow],
    id: ChargeId,
    verb: &str,
) -> Result<Vec<(Party, Money)>> {
    let on_it: Vec<&EntryRow> = entries
        .iter()
        .filter(|e| e.entry.charge_id == Some(id))
        .collect();
    let ps = postings(entries);
    if crate::ledger::paid_or_adjusted(&ps, id) {
        return Err(Error::field(
            "status",
            format!(
                "Payments or adjustments are posted on this charge: reverse them before {verb} it"
            ),
        ));
    }
    let mut parties: Vec<Party> = on_it.iter().map(|e| Party::of(e.entry.payer_id)).collect();
    parties.sort();
    parties.dedup();
    Ok(parties
        .into_iter()
        .map(|p| (p, owed_on(&ps, id, p)))
        .filter(|(_, m)| *m != Money::ZERO)
        .collect())
}

/// Takes back on the ledger what each party owes on charge `id`.
fn take_back(
    w: &Writer<'_, '_>,
    patient: PatientId,
    id: ChargeId,
    owed: &[(Party, Money)],
    memo: &str,
) -> Result<()> {
    for (p, m) in owed {
        w.post(
            Some(patient),
            LedgerKind::Charge,
            *p,
            neg(*m),
            Some(id),
            None,
            None,
            memo,
        )?;
    }
    Ok(())
}

/// Edits a charge until it is claimed: while it is open, on no claim and
/// nothing but its own charge (and moves between payers and the patient)
/// touched it. The edit keeps the state it replaces; the ledger takes back
/// what each party owed on it and charges the new amount to whoever owes
/// it first now, unless nothing changed for the ledger. After that a
/// correction is a void and a new line.
pub fn edit_charge(
    ctx: &mut Ctx<'_>,
    id: ChargeId,
    expected_version: i64,
    form: &ChargeForm,
) -> Result<ChargeView> {
    let conn = ctx.read();
    let row = store::charge(conn, id)?;
    if row.status != ChargeStatus::Open {
        return Err(Error::field(
            "status",
            "This charge has been billed: void it and enter a new line to correct it",
        ));
    }
    if let Some(claim) = chartroom_store::claims::claims_of_charge(conn, id)?.first() {
        return Err(Error::field(
            "status",
            format!("This charge is on claim {claim}: void it and enter a new line to correct it"),
        ));
    }
    let entries = store::entries_of_account(conn, row.fields.account_id)?;
    let owed = owed_if_untouched(&entries, id, "editing")?;
    let checked = check_charge(ctx, row.fields.patient_id, form)?;
    day_open(conn, ctx.today())?;
    let amount = Money::from_cents(checked.units.saturating_mul(checked.unit_price.cents()));
    let unchanged = owed == [(checked.first, amount)];
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    let row = ctx.write(|tx, now| {
        let fields = ChargeFields {
            patient_id: row.fields.patient_id,
            account_id: row.fields.account_id,
            encounter_id: checked.encounter,
            service_day: checked.day,
            code: checked.code.clone(),
            modifiers: checked.modifiers.clone(),
            units: checked.units,
            unit_price: checked.unit_price,
            place: checked.place,
            rendering_user_id: checked.rendering,
            diagnoses: checked.diagnoses.clone(),
            description: checked.description.clone(),
        };
        let new = store::update_charge(tx, id, expected_version, &fields, now, user)?;
        if !unchanged {
            let w = Writer {
                tx,
                account: row.fields.account_id,
                day: today,
                at: now,
                by: user,
            };
            take_back(&w, row.fields.patient_id, id, &owed, "edited")?;
            w.post(
                Some(row.fields.patient_id),
                LedgerKind::Charge,
                checked.first,
                amount,
                Some(id),
                None,
                None,
                "edited",
            )?;
        }
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(row.fields.patient_id),
            format!("charge/{id}"),
            format!(
                "edited: {} x{} {} on {} is now {} x{} {amount} on {}",
                row.fields.code,
                row.fields.units,
                row.fields.amount(),
                row.fields.service_day,
                checked.code,
                checked.units,
                checked.day
            ),
        )?;
        Ok(new)
    })?;
    let entries = store::entries_of_account(ctx.read(), row.fields.account_id)?;
    crate::view::one_charge_view(ctx, &row, &entries)
}

/// Voids `row` in `tx`: takes back what each party owed on it and marks
/// it void with `reason` (at `expected_version`). `when` is the posting
/// day, the instant and the user.
fn void_in(
    tx: &Tx<'_>,
    row: &ChargeRow,
    expected_version: i64,
    owed: &[(Party, Money)],
    reason: &str,
    (day, now, user): (NaiveDate, DateTime<Utc>, UserId),
) -> Result<ChargeRow> {
    let w = Writer {
        tx,
        account: row.fields.account_id,
        day,
        at: now,
        by: user,
    };
    take_back(
        &w,
        row.fields.patient_id,
        row.id,
        owed,
        &format!("void: {reason}"),
    )?;
    Ok(store::set_charge_status(
        tx,
        row.id,
        Some(expected_version),
        ChargeStatus::Void,
        reason,
        now,
        user,
    )?)
}

/// Corrects a charge by a new line (once it is billed, the only way): the
/// old one voided with the reason and the corrected one entered naming it,
/// in one transaction. A claim sent again takes the new line in its place.
pub fn correct_charge(
    ctx: &mut Ctx<'_>,
    id: ChargeId,
    expected_version: i64,
    reason: &str,
    form: &ChargeForm,
) -> Result<ChargeView> {
    let mut errs = FieldErrors::default();
    let reason = chartroom_chart::sheets::printed_text(&mut errs, "reason", "Reason", reason, 200);
    if reason.is_empty() {
        errs.add("reason", "Say what is corrected");
    }
    errs.finish()?;
    let conn = ctx.read();
    let row = store::charge(conn, id)?;
    if row.status == ChargeStatus::Void {
        return Err(Error::field("status", "The charge is already void"));
    }
    let entries = store::entries_of_account(conn, row.fields.account_id)?;
    let owed = owed_if_untouched(&entries, id, "correcting")?;
    let checked = check_charge(ctx, row.fields.patient_id, form)?;
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    let new = ctx.write(|tx, now| {
        void_in(
            tx,
            &row,
            expected_version,
            &owed,
            &reason,
            (today, now, user),
        )?;
        let new = write_charge(tx, actor, today, now, &checked, Some(id))?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(row.fields.patient_id),
            format!("charge/{id}"),
            format!("voided: {reason}; corrected by charge {}", new.id),
        )?;
        Ok(new)
    })?;
    let entries = store::entries_of_account(ctx.read(), new.fields.account_id)?;
    crate::view::one_charge_view(ctx, &new, &entries)
}

/// Voids a charge entered in error. Allowed while nothing but its own
/// charge (and moves between payers and the patient) touched it: a charge
/// already paid or adjusted has those reversed first.
pub fn void_charge(
    ctx: &mut Ctx<'_>,
    id: ChargeId,
    expected_version: i64,
    reason: &str,
) -> Result<ChargeView> {
    let mut errs = FieldErrors::default();
    let reason = chartroom_chart::sheets::printed_text(&mut errs, "reason", "Reason", reason, 200);
    if reason.is_empty() {
        errs.add("reason", "Say why the charge is voided");
    }
    errs.finish()?;
    let conn = ctx.read();
    let row = store::charge(conn, id)?;
    if row.status == ChargeStatus::Void {
        return Err(Error::field("status", "The charge is already void"));
    }
    let entries = store::entries_of_account(conn, row.fields.account_id)?;
    let owed = owed_if_untouched(&entries, id, "voiding")?;
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    let row = ctx.write(|tx, now| {
        let row = void_in(
            tx,
            &row,
            expected_version,
            &owed,
            &reason,
            (today, now, user),
        )?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(row.fields.patient_id),
            format!("charge/{id}"),
            format!("voided: {reason}"),
        )?;
        Ok(row)
    })?;
    let entries = store::entries_of_account(ctx.read(), row.fields.account_id)?;
    crate::view::one_charge_view(ctx, &row, &entries)
}

// ----------------------------------------------------------------- payments

/// The account's charges the patient's side owes on, oldest service first,
/// with what is owed.
fn patient_owed(charges: &[ChargeRow], ps: &[Posting]) -> Vec<(ChargeRow, Money)> {
    let mut v: Vec<(ChargeRow, Money)> = charges
        .iter()
        .map(|c| (c.clone(), owed_on(ps, c.id, Party::Patient)))
        .filter(|(_, m)| m.cents() > 0)
        .collect();
    v.sort_by_key(|(c, _)| (c.fields.service_day, c.id));
    v
}

/// Takes a payment from the patient's side.
#[allow(clippy::too_many_arguments)]
pub fn take_payment(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    method: PaymentMethod,
    reference: &str,
    amount: &str,
    note: &str,
    apply: &ApplyTo,
) -> Result<PaymentView> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let mut errs = FieldErrors::default();
    if method == PaymentMethod::Insurance {
        errs.add("method", "Post an insurer's payment from its EOB");
    }
    let reference =
        chartroom_chart::sheets::printed_text(&mut errs, "reference", "Reference", reference, 40);
    if method == PaymentMethod::Check && reference.is_empty() {
        errs.add("reference", "Give the check number");
    }
    let note = chartroom_chart::sheets::printed_text(&mut errs, "note", "Note", note, 200);
    let amount = money(&mut errs, "amount", "The payment", amount, true);
    errs.finish()?;
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    let (account, payment) = ctx.write(|tx, now| {
        let account = account_for(tx, patient, now, user)?;
        let payment = store::insert_payment(
            tx,
            &PaymentFields {
                account_id: account,
                patient_id: Some(patient),
                payer_id: None,
                method,
                reference: reference.clone(),
                amount,
                received_day: today,
                note: note.clone(),
            },
            now,
            user,
        )?;
        let charges = store::charges_of_account(tx, account)?;
        let ps = postings(&store::entries_of_account(tx, account)?);
        let owed = patient_owed(&charges, &ps);
        let targets: Vec<(ChargeRow, Money)> = match apply {
            ApplyTo::Oldest => owed,
            ApplyTo::Credit => Vec::new(),
            ApplyTo::Charge { charge_id } => {
                let Some(c) = charges.iter().find(|c| c.id == *charge_id) else {
                    return Err(Error::field(
                        "apply",
                        "That charge is not on the patient's account",
                    ));
                };
                owed.into_iter().filter(|(o, _)| o.id == c.id).collect()
            }
        };
        let w = Writer {
            tx,
            account,
            day: today,
            at: now,
            by: user,
        };
        let mut left = amount;
        let mut applied = Vec::new();
        for (c, due) in targets {
            if left == Money::ZERO {
                break;
            }
            let x = if due < left { due } else { left };
            w.post(
                Some(c.fields.patient_id),
                LedgerKind::Payment,
                Party::Patient,
                neg(x),
                Some(c.id),
                Some(payment.id),
                None,
                "",
            )?;
            applied.push(format!("{x} to charge/{}", c.id));
            left = Money::from_cents(left.cents() - x.cents());
        }
        w.post(
            Some(patient),
            LedgerKind::Payment,
            Party::Patient,
            neg(left),
            None,
            Some(payment.id),
            None,
            "credit",
        )?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Create,
            Some(patient),
            format!("payment/{}", payment.id),
            format!(
                "{} {amount}{}; credit {left}",
                method.as_str(),
                if applied.is_empty() {
                    String::new()
                } else {
                    format!(", applied {}", applied.join(", "))
                }
            ),
        )?;
        Ok((account, payment.id))
    })?;
    crate::view::payment_of(ctx, account, payment)
}

/// Applies the patient's side's credit to what they owe, oldest first.
pub fn apply_credit(ctx: &mut Ctx<'_>, patient: PatientId) -> Result<()> {
    let conn = ctx.read();
    let Some(account) = store::account_of_patient(conn, patient)? else {
        return Err(Error::field("credit", "The patient has no credit to apply"));
    };
    let entries = store::entries_of_account(conn, account)?;
    let ps = postings(&entries);
    let charges = store::charges_of_account(conn, account)?;
    let mut owed = patient_owed(&charges, &ps);
    let mut credits = crate::view::credits(conn, account)?;
    if credits.is_empty() {
        return Err(Error::field("credit", "The patient has no credit to apply"));
    }
    if owed.is_empty() {
        return Err(Error::field(
            "credit",
            "The patient owes nothing on a charge: the credit stays",
        ));
    }
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    ctx.write(|tx, now| {
        let w = Writer {
            tx,
            account,
            day: today,
            at: now,
            by: user,
        };
        let mut moved = Money::ZERO;
        for (payment, credit) in credits.iter_mut() {
            for (c, due) in owed.iter_mut() {
                if *credit == Money::ZERO {
                    break;
                }
                if *due == Money::ZERO {
                    continue;
                }
                let x = if *due < *credit { *due } else { *credit };
                w.post(
                    Some(patient),
                    LedgerKind::Payment,
                    Party::Patient,
                    x,
                    None,
                    Some(*payment),
                    None,
                    &format!("credit applied to charge/{}", c.id),
                )?;
                w.post(
                    Some(c.fields.patient_id),
                    LedgerKind::Payment,
                    Party::Patient,
                    neg(x),
                    Some(c.id),
                    Some(*payment),
                    None,
                    "from credit",
                )?;
                *credit = Money::from_cents(credit.cents() - x.cents());
                *due = Money::from_cents(due.cents() - x.cents());
                moved = add(moved, x);
            }
        }
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(patient),
            format!("account/{account}"),
            format!("credit applied: {moved}"),
        )
    })
}

/// Posts an insurer's payment for the patient's account from its EOB.
pub fn post_insurance(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    payer: PayerId,
    reference: &str,
    amount: &str,
    lines: &[EobLine],
) -> Result<()> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let payer_row = store::payer(conn, payer)?;
    let mut errs = FieldErrors::default();
    let reference = chartroom_chart::sheets::printed_text(
        &mut errs,
        "reference",
        "Check number",
        reference,
        40,
    );
    let total = money(&mut errs, "amount", "The check's amount", amount, false);
    if lines.is_empty() {
        errs.add("lines", "Post at least one line of the EOB");
    }
    let Some(account) = store::account_of_patient(conn, patient)? else {
        return Err(Error::field("lines", "The patient has no charges"));
    };
    let entries = store::entries_of_account(conn, account)?;
    let ps = postings(&entries);
    let charges = store::charges_of_account(conn, account)?;
    struct Line {
        charge: ChargeRow,
        paid: Money,
        adjustments: Vec<(AdjustmentGroup, String, Money)>,
        next: Party,
    }
    let mut parsed = Vec::new();
    let mut paid_sum = Money::ZERO;
    for (i, l) in lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{i}.{name}");
        let Some(charge) = charges.iter().find(|c| c.id == l.charge_id).cloned() else {
            errs.add(
                &f("charge_id"),
                "That charge is not on the patient's account",
            );
            continue;
        };
        let paid = money(&mut errs, &f("paid"), "Paid", &l.paid, false);
        paid_sum = add(paid_sum, paid);
        let mut adjustments = Vec::new();
        for (j, a) in l.adjustments.iter().enumerate() {
            let field = format!("lines.{i}.adjustments.{j}");
            let code = a.reason_code.trim().to_ascii_uppercase();
            if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                errs.add(
                    &format!("{field}.reason_code"),
                    "Give the reason code as printed on the EOB (45, 2, 253...)",
                );
            }
            let m = money(
                &mut errs,
                &format!("{field}.amount"),
                "The adjustment",
                &a.amount,
                true,
            );
            adjustments.push((a.group, code, m));
        }
        let pending = owed_on(&ps, charge.id, Party::Payer(payer));
        let settled = adjustments.iter().fold(paid, |s, a| add(s, a.2));
        if pending.cents() <= 0 {
            errs.add(
                &f("charge_id"),
                format!(
                    "Nothing is pending with {} on {} of {}",
                    payer_row.fields.name,
                    charge.fields.code,
                    validate::date_text(charge.fields.service_day)
                ),
            );
        } else if settled != pending {
            errs.add(
                &f("paid"),
                format!(
                    "Paid {paid} and adjustments {} make {settled}, but {pending} is pending with {} on this line: the line must balance",
                    Money::from_cents(settled.cents() - paid.cents()),
                    payer_row.fields.name
                ),
            );
        }
        let cover = in_force(conn, patient, charge.fields.service_day)?;
        let next = match (cover.first(), cover.get(1)) {
            (Some(p), Some(s)) if p.fields.payer_id == payer => Party::Payer(s.fields.payer_id),
            _ => Party::Patient,
        };
        parsed.push(Line {
            charge,
            paid,
            adjustments,
            next,
        });
    }
    if errs.is_empty() && paid_sum != total {
        errs.add(
            "amount",
            format!("The lines pay {paid_sum}, but the check is for {total}"),
        );
    }
    errs.finish()?;
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    let payer_name = payer_row.fields.name.clone();
    ctx.write(|tx, now| {
        let payment = if total.cents() > 0 {
            Some(
                store::insert_payment(
                    tx,
                    &PaymentFields {
                        account_id: account,
                        patient_id: Some(patient),
                        payer_id: Some(payer),
                        method: PaymentMethod::Insurance,
                        reference: reference.clone(),
                        amount: total,
                        received_day: today,
                        note: String::new(),
                    },
                    now,
                    user,
                )?
                .id,
            )
        } else {
            None
        };
        let w = Writer {
            tx,
            account,
            day: today,
            at: now,
            by: user,
        };
        let from = Party::Payer(payer);
        for l in &parsed {
            let c = &l.charge;
            let pid = Some(c.fields.patient_id);
            w.post(
                pid,
                LedgerKind::Payment,
                from,
                neg(l.paid),
                Some(c.id),
                payment,
                None,
                "",
            )?;
            for (group, reason, amount) in &l.adjustments {
                if *group == AdjustmentGroup::Pr {
                    let memo = format!("PR-{reason}");
                    w.post(
                        pid,
                        LedgerKind::Transfer,
                        from,
                        neg(*amount),
                        Some(c.id),
                        payment,
                        None,
                        &memo,
                    )?;
                    w.post(
                        pid,
                        LedgerKind::Transfer,
                        l.next,
                        *amount,
                        Some(c.id),
                        payment,
                        None,
                        &memo,
                    )?;
                } else {
                    w.post(
                        pid,
                        LedgerKind::Adjustment,
                        from,
                        neg(*amount),
                        Some(c.id),
                        payment,
                        Some((*group, reason)),
                        "",
                    )?;
                }
            }
            if c.status == ChargeStatus::Open {
                // An insurer answered the line: it has been billed.
                store::set_charge_status(tx, c.id, None, ChargeStatus::Billed, "", now, user)?;
            }
        }
        let answered: Vec<ChargeId> = parsed.iter().map(|l| l.charge.id).collect();
        crate::claims::after_eob(tx, payer, &answered, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Create,
            Some(patient),
            payment.map_or_else(|| format!("account/{account}"), |p| format!("payment/{p}")),
            format!(
                "{payer_name} EOB {reference}: {total} on {} line(s)",
                parsed.len()
            ),
        )
    })
}

/// Reverses a payment: every entry it made is negated (the payment stays,
/// marked reversed with the reason).
pub fn reverse_payment(ctx: &mut Ctx<'_>, id: PaymentId, reason: &str) -> Result<()> {
    let mut errs = FieldErrors::default();
    let reason = chartroom_chart::sheets::printed_text(&mut errs, "reason", "Reason", reason, 200);
    if reason.is_empty() {
        errs.add(
            "reason",
            "Say why the payment is reversed (check returned...)",
        );
    }
    errs.finish()?;
    let conn = ctx.read();
    let p = store::payment(conn, id)?;
    if p.reversed {
        return Err(Error::field(
            "payment_id",
            "The payment is already reversed",
        ));
    }
    // A refund already given stands: the money went back. Reversing the
    // payment leaves the account owing it.
    let entries: Vec<EntryRow> = store::entries_of_payment(conn, id)?
        .into_iter()
        .filter(|e| e.entry.kind != LedgerKind::Refund && e.entry.reverses.is_none())
        .collect();
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    ctx.write(|tx, now| {
        for e in &entries {
            store::insert_entry(
                tx,
                &NewEntry {
                    amount: neg(e.entry.amount),
                    reverses: Some(e.id),
                    memo: format!("reversal: {reason}"),
                    ..e.entry.clone()
                },
                today,
                now,
                user,
            )?;
        }
        store::mark_payment_reversed(tx, id, &reason)?;
        if let Some(payer) = p.fields.payer_id {
            // The claims this insurer's payment answered are answered again.
            let mut charges: Vec<ChargeId> =
                entries.iter().filter_map(|e| e.entry.charge_id).collect();
            charges.sort();
            charges.dedup();
            crate::claims::after_eob(tx, payer, &charges, now, user)?;
        }
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            p.fields.patient_id,
            format!("payment/{id}"),
            format!("reversed: {reason}"),
        )
    })
}

/// Refunds part or all of a payment's unapplied credit.
pub fn refund(
    ctx: &mut Ctx<'_>,
    id: PaymentId,
    amount: &str,
    method: PaymentMethod,
    reference: &str,
    reason: &str,
) -> Result<()> {
    let mut errs = FieldErrors::default();
    let amount = money(&mut errs, "amount", "The refund", amount, true);
    let reference =
        chartroom_chart::sheets::printed_text(&mut errs, "reference", "Reference", reference, 40);
    let reason = chartroom_chart::sheets::printed_text(&mut errs, "reason", "Reason", reason, 200);
    if method == PaymentMethod::Insurance {
        errs.add("method", "Refund by cash, check or card");
    }
    if method == PaymentMethod::Check && reference.is_empty() {
        errs.add("reference", "Give the refund check's number");
    }
    errs.finish()?;
    let conn = ctx.read();
    let p = store::payment(conn, id)?;
    if p.reversed {
        return Err(Error::field(
            "payment_id",
            "A reversed payment has nothing to refund",
        ));
    }
    let credit = crate::view::credits(conn, p.fields.account_id)?
        .into_iter()
        .find(|(pid, _)| *pid == id)
        .map_or(Money::ZERO, |(_, m)| m);
    if amount > credit {
        return Err(Error::field(
            "amount",
            format!("Only {credit} of this payment is unapplied credit"),
        ));
    }
    day_open(conn, ctx.today())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let today = ctx.today();
    ctx.write(|tx, now| {
        Writer {
            tx,
            account: p.fields.account_id,
            day: today,
            at: now,
            by: user,
        }
        .post(
            p.fields.patient_id,
            LedgerKind::Refund,
            Party::Patient,
            amount,
            None,
            Some(id),
            None,
            &format!(
                "refund by {}{}{}",
                method.label().to_lowercase(),
                if reference.is_empty() {
                    String::new()
                } else {
                    format!(" {reference}")
                },
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(": {reason}")
                }
            ),
        )?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Create,
            p.fields.patient_id,
            format!("payment/{id}"),
            format!("refunded {amount}"),
        )
    })
}
