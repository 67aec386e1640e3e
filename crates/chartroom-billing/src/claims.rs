//! Paper claims (CMS-1500, 02/12): made, printed, answered, sent again.
//!
//! - A claim asks one payer for a patient's charges that are pending with
//!   it and on no other claim to it: every charge the patient's, not void,
//!   the payer's coverage in force on each day of service, at most twelve
//!   diagnoses among them (item 21). Its lines are written once.
//! - Printing (or saving) it draws the form with [`crate::claim_grid`] on
//!   the red form (data only, moved by the practice's offsets) or plain
//!   paper (the form drawn), marks its charges billed (from then on a
//!   correction is a new line), moves a draft to printed and records a
//!   disclosure to the payer (purpose: payment), all in one transaction.
//!   It refuses while the practice lacks what the form needs (tax id,
//!   NPIs, addresses), saying which.
//! - An EOB posted on its lines answers it: paid when nothing is left
//!   pending with the payer and it paid something, denied when it paid
//!   nothing, partly paid while something is still pending
//!   ([`after_eob`]). Billing may also set those by hand, with a note.
//! - Sent again, a claim is replaced by a new draft naming it (item 22,
//!   code 7, with the payer's number for it); voided lines are replaced by
//!   the lines that corrected them. The old one is then final.

use std::collections::HashMap;

use chartroom_chart::letterhead;
use chartroom_chart::sheets::{self, Listed, SheetKind, SheetOutput};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_pdf::{ClaimFormDoc, ClaimPaper};
use chartroom_store::billing::{self as store, ChargeRow, ChargeStatus, CoverageRow, EntryRow};
use chartroom_store::claims::{self as claim_store, ClaimFields, ClaimRow};
use chartroom_store::model::{AuditAction, DataCategory, Role};
use chartroom_store::{patients, settings, users, Connection, Tx};
use chartroom_types::{
    ChargeId, ClaimId, ClaimStatus, CoverageRank, DisclosurePurpose, LedgerKind, Money, PacketKind,
    PatientId, PayerId, RecordSection, ReleaseMethod, SubscriberRelationship, UserId,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::accounts::in_force;
use crate::claim_grid::{self, ClaimContent, Insured, Name, Postal, ServiceLine};
use crate::ledger::{add, neg, owed_on, Party};
use crate::posting::postings;
use crate::protocol::*;
use crate::setup::audit;

const OFFSET_TOP_KEY: &str = "claim_offset_top_pt";
const OFFSET_LEFT_KEY: &str = "claim_offset_left_pt";
const TAX_ID_EIN_KEY: &str = "claim_tax_id_is_ein";
const ACCEPT_ASSIGNMENT_KEY: &str = "claim_accept_assignment";
const SIGNATURES_KEY: &str = "claim_signatures_on_file";

// ----------------------------------------------------------------- settings

fn flag(conn: &Connection, key: &str, default: bool) -> Result<bool> {
    Ok(match settings::get(conn, key)?.as_deref() {
        Some("1") => true,
        Some("0") => false,
        _ => default,
    })
}

fn points(conn: &Connection, key: &str) -> Result<i32> {
    Ok(settings::get(conn, key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// How the practice fills its claims (defaults: no offset, EIN, assignment
/// accepted, signatures not on file).
pub fn claim_settings(conn: &Connection) -> Result<ClaimSettings> {
    Ok(ClaimSettings {
        offset_top_pt: points(conn, OFFSET_TOP_KEY)?,
        offset_left_pt: points(conn, OFFSET_LEFT_KEY)?,
        tax_id_is_ein: flag(conn, TAX_ID_EIN_KEY, true)?,
        accept_assignment: flag(conn, ACCEPT_ASSIGNMENT_KEY, true)?,
        signatures_on_file: flag(conn, SIGNATURES_KEY, false)?,
    })
}

/// The claim settings and what the letterhead gives a claim.
pub fn setup(ctx: &Ctx<'_>) -> Result<ClaimSetup> {
    let conn = ctx.read();
    let mut providers = Vec::new();
    for u in users::list(conn)? {
        if u.disabled || !u.roles.contains(&Role::Clinician) {
            continue;
        }
        providers.push(ProviderNpi {
            user_id: u.id,
            name: u.full_name.clone(),
            npi: users::npi_of(conn, u.id)?,
        });
    }
    Ok(ClaimSetup {
        settings: claim_settings(conn)?,
        tax_id: settings::get(conn, letterhead::TAX_ID_KEY)?.unwrap_or_default(),
        practice_npi: settings::get(conn, letterhead::NPI_KEY)?.unwrap_or_default(),
        providers,
        can_edit: ctx.actor().may(Permission::BillingSetup),
    })
}

/// Keeps the claim settings.
pub fn save_settings(ctx: &mut Ctx<'_>, s: &ClaimSettings) -> Result<ClaimSetup> {
    let mut errs = FieldErrors::default();
    let max = chartroom_pdf::MAX_OFFSET_PT as i32;
    for (field, v) in [
        ("offset_top_pt", s.offset_top_pt),
        ("offset_left_pt", s.offset_left_pt),
    ] {
        if !(-max..=max).contains(&v) {
            errs.add(
                field,
                format!("An offset is at most {max} points (half an inch) either way"),
            );
        }
    }
    errs.finish()?;
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        settings::set(tx, OFFSET_TOP_KEY, &s.offset_top_pt.to_string())?;
        settings::set(tx, OFFSET_LEFT_KEY, &s.offset_left_pt.to_string())?;
        for (key, v) in [
            (TAX_ID_EIN_KEY, s.tax_id_is_ein),
            (ACCEPT_ASSIGNMENT_KEY, s.accept_assignment),
            (SIGNATURES_KEY, s.signatures_on_file),
        ] {
            settings::set(tx, key, if v { "1" } else { "0" })?;
        }
        audit(
            tx,
            now,
            actor,
            AuditAction::SettingsChange,
            None,
            "settings/claims".into(),
            format!(
                "offsets top {} pt, left {} pt; EIN {}; assignment {}; signatures on file {}",
                s.offset_top_pt,
                s.offset_left_pt,
                s.tax_id_is_ein,
                s.accept_assignment,
                s.signatures_on_file
            ),
        )
    })?;
    setup(ctx)
}

/// Keeps a clinician's NPI (item 24J of their lines).
pub fn set_provider_npi(ctx: &mut Ctx<'_>, user: UserId, typed: &str) -> Result<ClaimSetup> {
    let mut errs = FieldErrors::default();
    let npi = validate::npi(&mut errs, "npi", typed);
    match users::get(ctx.read(), user) {
        Ok(u) if u.roles.contains(&Role::Clinician) => {}
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("user_id", "Choose one of the practice's clinicians")
        }
        Err(e) => return Err(e.into()),
    }
    errs.finish()?;
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        users::set_npi(tx, user, &npi)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            None,
            format!("user/{user}"),
            format!("NPI for claims set to {npi}"),
        )
    })?;
    setup(ctx)
}

// -------------------------------------------------------------------- views

/// The letters of a charge's diagnoses among the claim's.
fn pointers(all: &[String], mine: &[String]) -> String {
    mine.iter()
        .filter_map(|d| all.iter().position(|a| a == d))
        .map(|i| char::from(b'A' + i as u8))
        .collect()
}

/// The claim's diagnoses in order of first use.
fn diagnoses_of(charges: &[&ChargeRow]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for c in charges {
        for d in &c.fields.diagnoses {
            if !all.contains(d) {
                all.push(d.clone());
            }
        }
    }
    all
}

/// What `payer` paid on `charge` (its payments, not its adjustments).
fn paid_by(entries: &[EntryRow], charge: ChargeId, party: Party) -> Money {
    entries
        .iter()
        .filter(|e| {
            e.entry.charge_id == Some(charge)
                && e.entry.kind == LedgerKind::Payment
                && Party::of(e.entry.payer_id) == party
        })
        .fold(Money::ZERO, |a, e| add(a, neg(e.entry.amount)))
}

/// What everyone but `payer` paid on `charge` (item 29).
fn paid_by_others(entries: &[EntryRow], charge: ChargeId, payer: PayerId) -> Money {
    entries
        .iter()
        .filter(|e| {
            e.entry.charge_id == Some(charge)
                && e.entry.kind == LedgerKind::Payment
                && e.entry.payer_id != Some(payer)
        })
        .fold(Money::ZERO, |a, e| add(a, neg(e.entry.amount)))
}

fn line_view(
    c: &ChargeRow,
    amount: Money,
    all: &[String],
    entries: &[EntryRow],
    payer: PayerId,
) -> ClaimLineView {
    let ps = postings(entries);
    ClaimLineView {
        charge_id: c.id,
        service_day: c.fields.service_day.to_string(),
        code: c.fields.code.clone(),
        modifiers: c.fields.modifiers.clone(),
        units: c.fields.units,
        amount,
        pointers: pointers(all, &c.fields.diagnoses),
        pending: owed_on(&ps, c.id, Party::Payer(payer)),
        paid: paid_by(entries, c.id, Party::Payer(payer)),
        void: c.status == ChargeStatus::Void,
    }
}

/// The statuses billing may set a claim in `status` to by hand.
fn next_statuses(status: ClaimStatus) -> Vec<ClaimStatus> {
    use ClaimStatus::*;
    match status {
        Printed => vec![Paid, PartlyPaid, Denied],
        PartlyPaid => vec![Paid, Denied],
        Denied => vec![Paid, PartlyPaid],
        Paid => vec![PartlyPaid],
        // A draft never sent may be taken back, freeing its charges.
        Draft => vec![Withdrawn],
        Resubmitted | Withdrawn => Vec::new(),
    }
}

/// What the practice must still set before `row` can be printed.
fn missing(conn: &Connection, row: &ClaimRow, charges: &[&ChargeRow]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
    if get(letterhead::TAX_ID_KEY)?.trim().is_empty() {
        out.push("The practice's federal tax id (administration, practice settings)".into());
    }
    if get(letterhead::NPI_KEY)?.trim().is_empty() {
        out.push("The practice's NPI (administration, practice settings)".into());
    }
    if get(letterhead::ADDRESS_KEY)?.trim().is_empty() {
        out.push("The practice's address (administration, practice settings)".into());
    }
    let patient = patients::get(conn, row.fields.patient_id)?.fields;
    if patient.address_line1.trim().is_empty() || patient.city.trim().is_empty() {
        out.push("The patient's address (registration)".into());
    }
    let payer = store::payer(conn, row.fields.payer_id)?;
    if payer.fields.address_line1.trim().is_empty() || payer.fields.city.trim().is_empty() {
        out.push(format!(
            "The claims mailing address of {} (billing set-up, payers)",
            payer.fields.name
        ));
    }
    let mut seen: Vec<UserId> = Vec::new();
    for c in charges {
        let who = c.fields.rendering_user_id;
        if seen.contains(&who) {
            continue;
        }
        seen.push(who);
        if users::npi_of(conn, who)?.is_empty() {
            out.push(format!(
                "The NPI of {} (billing set-up, claims)",
                users::get(conn, who)?.full_name
            ));
        }
    }
    if let Some(c) = charges.iter().find(|c| c.status == ChargeStatus::Void) {
        out.push(format!(
            "{} on {} was voided after this claim was made: send the claim again instead",
            c.fields.code,
            validate::date_text(c.fields.service_day)
        ));
    }
    Ok(out)
}

fn claim_view(
    ctx: &Ctx<'_>,
    row: &ClaimRow,
    charges: &HashMap<ChargeId, ChargeRow>,
    entries: &[EntryRow],
    replaced_by: Option<ClaimId>,
) -> Result<ClaimView> {
    let conn = ctx.read();
    let on: Vec<&ChargeRow> = row
        .lines
        .iter()
        .filter_map(|(id, _)| charges.get(id))
        .collect();
    let all = diagnoses_of(&on);
    let lines: Vec<ClaimLineView> = row
        .lines
        .iter()
        .filter_map(|(id, amount)| {
            charges
                .get(id)
                .map(|c| line_view(c, *amount, &all, entries, row.fields.payer_id))
        })
        .collect();
    let payer = store::payer(conn, row.fields.payer_id)?;
    let rank = store::coverage(conn, row.fields.coverage_id)?.fields.rank;
    let may = ctx.actor().may(Permission::Claims);
    let missing = missing(conn, row, &on)?;
    let live = is_live(row.status);
    Ok(ClaimView {
        id: row.id,
        patient_id: row.fields.patient_id,
        payer_id: row.fields.payer_id,
        payer_name: payer.fields.name,
        rank,
        status: row.status,
        status_note: row.status_note.clone(),
        original_claim_id: row.fields.original.as_ref().map(|o| o.0),
        payer_reference: row
            .fields
            .original
            .as_ref()
            .map(|o| o.1.clone())
            .unwrap_or_default(),
        replaced_by,
        total: row.fields.total,
        diagnoses: all.iter().map(|d| d.replace('.', "")).collect(),
        forms: u32::try_from(row.lines.len().div_ceil(claim_grid::LINES_PER_FORM)).unwrap_or(1),
        lines,
        print_count: row.print_count,
        first_printed_at: row.first_printed_at.map(|t| t.to_rfc3339()),
        created_day: row
            .created_at
            .with_timezone(&ctx.zone())
            .date_naive()
            .to_string(),
        can_print: may && live && missing.is_empty(),
        missing,
        can_resubmit: may && live && row.status != ClaimStatus::Draft && replaced_by.is_none(),
        next_statuses: if may && live {
            next_statuses(row.status)
        } else {
            Vec::new()
        },
        version: row.version,
    })
}

/// Who replaced whom among `claims`.
fn replacements(claims: &[ClaimRow]) -> HashMap<ClaimId, ClaimId> {
    claims
        .iter()
        .filter_map(|c| c.fields.original.as_ref().map(|o| (o.0, c.id)))
        .collect()
}

/// Whether a claim in `status` still asks for its charges (not replaced
/// by a claim sent again, not withdrawn).
fn is_live(status: ClaimStatus) -> bool {
    !matches!(status, ClaimStatus::Resubmitted | ClaimStatus::Withdrawn)
}

/// Whether `charge` is on a live claim to `payer`.
fn on_live_claim(claims: &[ClaimRow], charge: ChargeId, payer: PayerId) -> bool {
    claims.iter().any(|c| {
        c.fields.payer_id == payer
            && is_live(c.status)
            && c.lines.iter().any(|(id, _)| *id == charge)
    })
}

/// The largest amount a line or a form's total can hold: the form's money
/// boxes take five places of dollars.
const MAX_FORM_AMOUNT: i64 = 10_000_000;

/// What the lines of a claim (six to a form) cannot hold, or `None`.
fn too_large(lines: &[(ChargeId, Money)]) -> Option<String> {
    if lines.iter().any(|l| l.1.cents() >= MAX_FORM_AMOUNT) {
        return Some("A line of $100,000.00 or more does not fit the form's charges box".into());
    }
    lines
        .chunks(claim_grid::LINES_PER_FORM)
        .any(|form| form.iter().map(|l| l.1.cents()).sum::<i64>() >= MAX_FORM_AMOUNT)
        .then(|| "The lines on one form add up to $100,000.00 or more: make smaller claims".into())
}

/// Checks what every claim must hold: at most twelve diagnoses, amounts
/// the form can print, coverage with the payer on every day of service.
fn check_claim(
    conn: &Connection,
    patient: PatientId,
    payer: &store::PayerRow,
    charges: &[&ChargeRow],
    lines: &[(ChargeId, Money)],
) -> Result<CoverageRow> {
    let mut errs = FieldErrors::default();
    let dx = diagnoses_of(charges);
    if dx.len() > claim_grid::MAX_DIAGNOSES {
        errs.add(
            "charge_ids",
            format!(
                "These charges point to {} diagnoses; a claim holds at most 12 (item 21): make two claims",
                dx.len()
            ),
        );
    }
    if let Some(why) = too_large(lines) {
        errs.add("charge_ids", why);
    }
    errs.finish()?;
    let mut days: Vec<NaiveDate> = charges.iter().map(|c| c.fields.service_day).collect();
    days.sort();
    days.dedup();
    coverage_for(conn, patient, payer.id, &days)?.ok_or_else(|| {
        Error::field(
            "payer_id",
            format!(
                "The patient's coverage with {} is not in force on every day of service",
                payer.fields.name
            ),
        )
    })
}

/// A patient's claims and the charges a claim could ask for (an audited
/// read).
pub fn patient_claims(ctx: &mut Ctx<'_>, patient: PatientId) -> Result<PatientClaims> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let claims = claim_store::claims_of_patient(conn, patient)?;
    let (charges, entries) = match store::account_of_patient(conn, patient)? {
        Some(account) => (
            store::charges_of_account(conn, account)?,
            store::entries_of_account(conn, account)?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let by_id: HashMap<ChargeId, ChargeRow> = charges.iter().map(|c| (c.id, c.clone())).collect();
    let replaced = replacements(&claims);
    let views = claims
        .iter()
        .map(|c| claim_view(ctx, c, &by_id, &entries, replaced.get(&c.id).copied()))
        .collect::<Result<Vec<_>>>()?;
    // Charges pending with a payer and on no live claim to it.
    let ps = postings(&entries);
    let mut claimable: Vec<Claimable> = Vec::new();
    for c in charges
        .iter()
        .filter(|c| c.fields.patient_id == patient && c.status != ChargeStatus::Void)
    {
        let mut payers: Vec<PayerId> = ps
            .iter()
            .filter(|p| p.charge == Some(c.id))
            .filter_map(|p| p.party.payer())
            .collect();
        payers.sort();
        payers.dedup();
        for payer in payers {
            if owed_on(&ps, c.id, Party::Payer(payer)).cents() <= 0
                || on_live_claim(&claims, c.id, payer)
            {
                continue;
            }
            let at = match claimable.iter().position(|x| x.payer_id == payer) {
                Some(i) => i,
                None => {
                    claimable.push(Claimable {
                        payer_id: payer,
                        payer_name: store::payer(conn, payer)?.fields.name,
                        charges: Vec::new(),
                    });
                    claimable.len() - 1
                }
            };
            let view = line_view(c, c.fields.amount(), &c.fields.diagnoses, &entries, payer);
            claimable[at].charges.push(view);
        }
    }
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        Some(patient),
        format!("patient/{patient}/claims"),
        format!("claims read: {}", views.len()),
    ))?;
    Ok(PatientClaims {
        claims: views,
        claimable,
        can_claim: actor.may(Permission::Claims),
    })
}

/// One claim as shown now.
pub fn one_claim(ctx: &Ctx<'_>, id: ClaimId) -> Result<ClaimView> {
    let conn = ctx.read();
    let row = claim_store::claim(conn, id)?;
    let charges: HashMap<ChargeId, ChargeRow> =
        store::charges_of_account(conn, row.fields.account_id)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let entries = store::entries_of_account(conn, row.fields.account_id)?;
    let claims = claim_store::claims_of_patient(conn, row.fields.patient_id)?;
    let replaced = replacements(&claims).get(&id).copied();
    claim_view(ctx, &row, &charges, &entries, replaced)
}

// ------------------------------------------------------------------- making

/// The coverage with `payer` in force for `patient` on every one of `days`.
fn coverage_for(
    conn: &Connection,
    patient: PatientId,
    payer: PayerId,
    days: &[NaiveDate],
) -> Result<Option<CoverageRow>> {
    let mut found: Option<CoverageRow> = None;
    for day in days {
        match in_force(conn, patient, *day)?
            .into_iter()
            .find(|c| c.fields.payer_id == payer)
        {
            Some(c) => {
                found.get_or_insert(c);
            }
            None => return Ok(None),
        }
    }
    Ok(found)
}

/// Writes a draft claim for `lines` (already checked) and its audit record.
fn write_claim(
    ctx: &mut Ctx<'_>,
    fields: &ClaimFields,
    lines: &[(ChargeId, Money)],
    replaces: Option<(ClaimId, i64)>,
) -> Result<ClaimId> {
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        if let Some((old, version)) = replaces {
            claim_store::set_claim_status(
                tx,
                old,
                Some(version),
                ClaimStatus::Resubmitted,
                "sent again",
                now,
                user,
            )?;
        }
        let row = claim_store::insert_claim(tx, fields, lines, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Create,
            Some(fields.patient_id),
            format!("claim/{}", row.id),
            format!(
                "draft claim to payer {} for {} line(s), {}{}",
                fields.payer_id,
                lines.len(),
                fields.total,
                replaces
                    .map(|(o, _)| format!(", replacing claim {o}"))
                    .unwrap_or_default()
            ),
        )?;
        Ok(row.id)
    })
}

/// Makes a draft claim to `payer` for `charge_ids` of `patient`.
pub fn create(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    payer: PayerId,
    charge_ids: &[ChargeId],
) -> Result<ClaimView> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let Some(account) = store::account_of_patient(conn, patient)? else {
        return Err(Error::field(
            "charge_ids",
            "This patient has no charges yet",
        ));
    };
    if charge_ids.is_empty() {
        return Err(Error::field("charge_ids", "Choose the charges to claim"));
    }
    let payer_row = store::payer(conn, payer)?;
    let entries = store::entries_of_account(conn, account)?;
    let ps = postings(&entries);
    let claims = claim_store::claims_of_patient(conn, patient)?;
    let mut errs = FieldErrors::default();
    let mut chosen: Vec<ChargeRow> = Vec::new();
    for id in charge_ids {
        if chosen.iter().any(|c| c.id == *id) {
            continue;
        }
        let c = match store::charge(conn, *id) {
            Ok(c) if c.fields.patient_id == patient => c,
            Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
                errs.add(
                    "charge_ids",
                    format!("Charge {id} is not one of this patient's"),
                );
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let what = format!(
            "{} on {}",
            c.fields.code,
            validate::date_text(c.fields.service_day)
        );
        if c.status == ChargeStatus::Void {
            errs.add("charge_ids", format!("{what} is void"));
        } else if owed_on(&ps, c.id, Party::Payer(payer)).cents() <= 0 {
            errs.add(
                "charge_ids",
                format!("{what} has nothing pending with {}", payer_row.fields.name),
            );
        } else if on_live_claim(&claims, c.id, payer) {
            errs.add(
                "charge_ids",
                format!(
                    "{what} is already on a claim to {}: send that claim again to correct it",
                    payer_row.fields.name
                ),
            );
        }
        chosen.push(c);
    }
    errs.finish()?;
    chosen.sort_by_key(|c| (c.fields.service_day, c.id));
    let lines: Vec<(ChargeId, Money)> = chosen.iter().map(|c| (c.id, c.fields.amount())).collect();
    let refs: Vec<&ChargeRow> = chosen.iter().collect();
    let coverage = check_claim(conn, patient, &payer_row, &refs, &lines)?;
    let total = lines.iter().fold(Money::ZERO, |a, l| add(a, l.1));
    let id = write_claim(
        ctx,
        &ClaimFields {
            account_id: account,
            patient_id: patient,
            payer_id: payer,
            coverage_id: coverage.id,
            original: None,
            total,
        },
        &lines,
        None,
    )?;
    one_claim(ctx, id)
}

/// Sends `id` again: a new draft naming it (with the payer's number for
/// it), voided lines replaced by the lines that corrected them.
pub fn resubmit(
    ctx: &mut Ctx<'_>,
    id: ClaimId,
    expected_version: i64,
    payer_reference: &str,
) -> Result<ClaimView> {
    let mut errs = FieldErrors::default();
    let reference = chartroom_chart::sheets::printed_text(
        &mut errs,
        "payer_reference",
        "The payer's claim number",
        payer_reference,
        18,
    );
    if reference.is_empty() {
        errs.add(
            "payer_reference",
            "Give the payer's number for the original claim (from its EOB)",
        );
    }
    errs.finish()?;
    let conn = ctx.read();
    let old = claim_store::claim(conn, id)?;
    if old.version != expected_version {
        return Err(chartroom_store::StoreError::Conflict {
            what: "claim",
            expected: expected_version,
            found: old.version,
        }
        .into());
    }
    match old.status {
        ClaimStatus::Draft => {
            return Err(Error::field(
                "claim_id",
                "A draft has not been sent: print it instead",
            ))
        }
        ClaimStatus::Resubmitted => {
            return Err(Error::field(
                "claim_id",
                "This claim was already sent again",
            ))
        }
        ClaimStatus::Withdrawn => {
            return Err(Error::field(
                "claim_id",
                "This draft was withdrawn: make a new claim",
            ))
        }
        _ => {}
    }
    let charges = store::charges_of_account(conn, old.fields.account_id)?;
    let mut lines: Vec<(ChargeId, Money)> = Vec::new();
    for (charge, _) in &old.lines {
        // Follow a voided line to the line that corrected it, if any.
        let mut current = charges.iter().find(|c| c.id == *charge);
        while let Some(c) = current.filter(|c| c.status == ChargeStatus::Void) {
            current = charges.iter().find(|n| n.replaces == Some(c.id));
        }
        if let Some(c) = current {
            if !lines.iter().any(|l| l.0 == c.id) {
                lines.push((c.id, c.fields.amount()));
            }
        }
    }
    if lines.is_empty() {
        return Err(Error::field(
            "claim_id",
            "Every line of this claim was voided: there is nothing to send again",
        ));
    }
    let refs: Vec<&ChargeRow> = lines
        .iter()
        .filter_map(|(id, _)| charges.iter().find(|c| c.id == *id))
        .collect();
    let payer = store::payer(conn, old.fields.payer_id)?;
    let coverage = check_claim(conn, old.fields.patient_id, &payer, &refs, &lines)?;
    let total = lines.iter().fold(Money::ZERO, |a, l| add(a, l.1));
    let new_id = write_claim(
        ctx,
        &ClaimFields {
            original: Some((id, reference)),
            total,
            coverage_id: coverage.id,
            ..old.fields.clone()
        },
        &lines,
        Some((id, expected_version)),
    )?;
    one_claim(ctx, new_id)
}

/// Sets a claim's status by hand (an answer the EOB did not carry).
pub fn set_status(
    ctx: &mut Ctx<'_>,
    id: ClaimId,
    expected_version: i64,
    status: ClaimStatus,
    note: &str,
) -> Result<ClaimView> {
    let mut errs = FieldErrors::default();
    let note = chartroom_chart::sheets::printed_text(&mut errs, "note", "Note", note, 200);
    errs.finish()?;
    let row = claim_store::claim(ctx.read(), id)?;
    if !next_statuses(row.status).contains(&status) {
        return Err(Error::field(
            "status",
            format!(
                "A claim that is {} cannot be marked {}",
                row.status.label().to_lowercase(),
                status.label().to_lowercase()
            ),
        ));
    }
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        claim_store::set_claim_status(tx, id, Some(expected_version), status, &note, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            Some(row.fields.patient_id),
            format!("claim/{id}"),
            format!("marked {} by hand", status.as_str()),
        )
    })?;
    one_claim(ctx, id)
}

/// Answers the claims to `payer` holding any of `charges` from the
/// ledger, after an EOB was posted on them or a payment on them reversed
/// (in its transaction): paid when nothing is pending and the payer paid,
/// denied when it paid nothing, partly paid while something is pending
/// after a payment, and printed again (waiting) when a reversal took back
/// everything it had paid.
pub(crate) fn after_eob(
    tx: &Tx<'_>,
    payer: PayerId,
    charges: &[ChargeId],
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let mut ids: Vec<ClaimId> = Vec::new();
    for c in charges {
        ids.extend(claim_store::claims_of_charge(tx, *c)?);
    }
    ids.sort();
    ids.dedup();
    for id in ids {
        let row = claim_store::claim(tx, id)?;
        if row.fields.payer_id != payer
            || !matches!(
                row.status,
                ClaimStatus::Printed
                    | ClaimStatus::PartlyPaid
                    | ClaimStatus::Denied
                    | ClaimStatus::Paid
            )
        {
            continue;
        }
        let entries = store::entries_of_account(tx, row.fields.account_id)?;
        let ps = postings(&entries);
        let (mut pending, mut paid) = (Money::ZERO, Money::ZERO);
        for (charge, _) in &row.lines {
            pending = add(pending, owed_on(&ps, *charge, Party::Payer(payer)));
            paid = add(paid, paid_by(&entries, *charge, Party::Payer(payer)));
        }
        let status = if pending.cents() > 0 {
            if paid.cents() > 0 {
                ClaimStatus::PartlyPaid
            } else if matches!(row.status, ClaimStatus::Paid | ClaimStatus::PartlyPaid) {
                ClaimStatus::Printed
            } else {
                continue;
            }
        } else if paid.cents() > 0 {
            ClaimStatus::Paid
        } else {
            ClaimStatus::Denied
        };
        if status != row.status {
            claim_store::set_claim_status(tx, id, None, status, "from the EOB posted", at, by)?;
        }
    }
    Ok(())
}

// ----------------------------------------------------------------- printing

fn postal_of_lines(lines: &[String]) -> Postal {
    let (street, last) = match lines {
        [] => (String::new(), String::new()),
        [only] => (String::new(), only.clone()),
        [first, .., last] => (first.clone(), last.clone()),
    };
    // "Portland, OR 97202" or "Portland OR 97202-1234".
    let words: Vec<&str> = last.split_whitespace().collect();
    let (zip, rest) = match words.split_last() {
        Some((z, rest)) if z.chars().any(|c| c.is_ascii_digit()) => ((*z).to_owned(), rest),
        _ => (String::new(), words.as_slice()),
    };
    let (state, city) = match rest.split_last() {
        Some((s, city)) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            ((*s).to_owned(), city.join(" "))
        }
        _ => (String::new(), rest.join(" ")),
    };
    Postal {
        street,
        city: city.trim_end_matches(',').to_owned(),
        state,
        zip,
    }
}

/// The patient's address as the form prints it.
fn patient_postal(p: &chartroom_store::model::PatientFields) -> Postal {
    Postal {
        street: [p.address_line1.as_str(), p.address_line2.as_str()]
            .join(" ")
            .trim()
            .to_owned(),
        city: p.city.clone(),
        state: p.region.clone(),
        zip: p.postal_code.clone(),
    }
}

fn insured_of(
    conn: &Connection,
    c: &CoverageRow,
    patient: &chartroom_store::model::Patient,
) -> Insured {
    let f = &c.fields;
    let p = &patient.fields;
    let is_self = f.relationship == SubscriberRelationship::SelfInsured;
    Insured {
        member_id: f.member_id.clone(),
        group_number: f.group_number.clone(),
        name: if is_self || f.subscriber_name.trim().is_empty() {
            Name {
                family: p.family_name.clone(),
                given: p.given_name.clone(),
                middle: p.middle_name.clone(),
            }
        } else {
            claim_grid::split_name(&f.subscriber_name)
        },
        birth_date: if is_self {
            Some(p.birth_date)
        } else {
            f.subscriber_birth_date
        },
        sex: if is_self { Some(p.sex) } else { None },
        address: is_self.then(|| patient_postal(p)),
        plan_name: store::payer(conn, f.payer_id)
            .map(|r| r.fields.name)
            .unwrap_or_else(|_| c.payer_name.clone()),
    }
}

/// Everything the form prints for `row`.
fn content(ctx: &Ctx<'_>, row: &ClaimRow) -> Result<ClaimContent> {
    let conn = ctx.read();
    let patient = patients::get(conn, row.fields.patient_id)?;
    let coverage = store::coverage(conn, row.fields.coverage_id)?;
    let payer = store::payer(conn, row.fields.payer_id)?;
    let charges: Vec<ChargeRow> = row
        .lines
        .iter()
        .map(|(id, _)| store::charge(conn, *id))
        .collect::<std::result::Result<_, _>>()?;
    let refs: Vec<&ChargeRow> = charges.iter().collect();
    let dx = diagnoses_of(&refs);
    let entries = store::entries_of_account(conn, row.fields.account_id)?;
    let first_day = charges
        .iter()
        .map(|c| c.fields.service_day)
        .min()
        .unwrap_or(ctx.today());
    let other_rank = match coverage.fields.rank {
        CoverageRank::Primary => CoverageRank::Secondary,
        CoverageRank::Secondary => CoverageRank::Primary,
    };
    let other = in_force(conn, row.fields.patient_id, first_day)?
        .into_iter()
        .find(|c| c.fields.rank == other_rank)
        .map(|c| insured_of(conn, &c, &patient));
    let mut lines = Vec::new();
    for (c, (_, amount)) in charges.iter().zip(&row.lines) {
        lines.push(ServiceLine {
            day: c.fields.service_day,
            place: c.fields.place.as_str().to_owned(),
            code: c.fields.code.clone(),
            modifiers: c.fields.modifiers.clone(),
            pointers: pointers(&dx, &c.fields.diagnoses),
            amount: *amount,
            units: c.fields.units,
            paid_by_others: paid_by_others(&entries, c.id, row.fields.payer_id),
            rendering_npi: users::npi_of(conn, c.fields.rendering_user_id)?,
        });
    }
    let signer = charges
        .first()
        .map(|c| users::get(conn, c.fields.rendering_user_id))
        .transpose()?
        .map(|u| format!("{} {}", u.full_name, u.credentials))
        .unwrap_or_default();
    let header = letterhead::header(conn, &ctx.env().practice_name)?;
    let s = claim_settings(conn)?;
    let p = &patient.fields;
    Ok(ClaimContent {
        payer_name: payer.fields.name.clone(),
        payer_address: [
            payer.fields.address_line1.clone(),
            payer.fields.address_line2.clone(),
            format!(
                "{} {} {}",
                payer.fields.city, payer.fields.region, payer.fields.postal_code
            ),
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect(),
        plan_type: payer.fields.plan_type,
        insured: insured_of(conn, &coverage, &patient),
        relationship: coverage.fields.relationship,
        patient: Name {
            family: p.family_name.clone(),
            given: p.given_name.clone(),
            middle: p.middle_name.clone(),
        },
        patient_birth: p.birth_date,
        patient_sex: p.sex,
        patient_address: patient_postal(p),
        other,
        signatures_on_file: s.signatures_on_file,
        diagnoses: dx,
        resubmission: row.fields.original.as_ref().map(|o| o.1.clone()),
        lines,
        tax_id: settings::get(conn, letterhead::TAX_ID_KEY)?.unwrap_or_default(),
        tax_id_is_ein: s.tax_id_is_ein,
        account_number: crate::statements::account_number(row.fields.account_id),
        accept_assignment: s.accept_assignment,
        signer: signer.trim().to_owned(),
        signed_on: ctx.today(),
        practice_name: header.name.clone(),
        practice_address: postal_of_lines(&header.address_lines),
        practice_phone: settings::get(conn, letterhead::PHONE_KEY)?.unwrap_or_default(),
        practice_npi: header.npi.clone(),
    })
}

/// Prints or saves claim `id` on `paper`.
pub fn print(
    ctx: &mut Ctx<'_>,
    id: ClaimId,
    paper: ClaimPaperChoice,
    out: &SheetOutput,
) -> Result<ClaimPrinted> {
    let view = one_claim(ctx, id)?;
    if view.status == ClaimStatus::Withdrawn {
        return Err(Error::field(
            "claim_id",
            "This draft was withdrawn: make a new claim",
        ));
    }
    if view.status == ClaimStatus::Draft && view.original_claim_id.is_none() {
        // A first claim asks for what is pending: a line the payer has
        // answered since would be claimed twice. (A claim sent again
        // replaces the whole original, answered lines too.)
        if let Some(l) = view
            .lines
            .iter()
            .find(|l| l.pending.cents() <= 0 && !l.void)
        {
            return Err(Error::field(
                "claim",
                format!(
                    "{} of {} has nothing pending with {} any more: withdraw this draft and make a new claim",
                    l.code,
                    validate::date_text(l.service_day.parse().unwrap_or(ctx.today())),
                    view.payer_name
                ),
            ));
        }
    }
    if view.status == ClaimStatus::Resubmitted {
        return Err(Error::field(
            "claim_id",
            format!(
                "This claim was sent again as claim {}: print that one",
                view.replaced_by.map(|c| c.to_string()).unwrap_or_default()
            ),
        ));
    }
    if !view.missing.is_empty() {
        return Err(Error::field(
            "claim",
            format!(
                "Before this claim can be printed: {}",
                view.missing.join("; ")
            ),
        ));
    }
    let row = claim_store::claim(ctx.read(), id)?;
    let c = content(ctx, &row)?;
    let s = claim_settings(ctx.read())?;
    let pdf = chartroom_pdf::claim_form(&ClaimFormDoc {
        title: format!("Claim {id}"),
        author: ctx.env().practice_name.clone(),
        created_unix: ctx.now().timestamp(),
        paper: match paper {
            ClaimPaperChoice::Preprinted => ClaimPaper::Preprinted,
            ClaimPaperChoice::Plain => ClaimPaper::Plain,
        },
        offset_top_pt: s.offset_top_pt as f32,
        offset_left_pt: s.offset_left_pt as f32,
        pages: claim_grid::pages(&c),
    })
    .map_err(|e| match e {
        chartroom_pdf::PdfError::PageOverflow => Error::field(
            "offset_left_pt",
            "With the practice's offsets the claim runs off the page: make them smaller",
        ),
        e => Error::Internal(format!("the claim could not be drawn: {e}")),
    })?;
    let payer = store::payer(ctx.read(), row.fields.payer_id)?;
    let recipient = format!("{} (claim, mailed)", payer.fields.name);
    let user = ctx.actor().user()?;
    let charges: Vec<ChargeId> = row.lines.iter().map(|l| l.0).collect();
    let record = |tx: &Tx<'_>, now: DateTime<Utc>, _: ReleaseMethod, _: &[u8; 32]| {
        claim_store::mark_printed(tx, id, now, user)?;
        for charge in &charges {
            let c = store::charge(tx, *charge)?;
            if c.status == ChargeStatus::Open {
                store::set_charge_status(tx, c.id, None, ChargeStatus::Billed, "", now, user)?;
            }
        }
        Ok(())
    };
    let done = sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("claim-{id}"),
            title: "Claim",
            kind: PacketKind::Claim,
            recipient: &recipient,
            purpose: DisclosurePurpose::Payment,
            description: "insurance claim (CMS-1500)",
            sections: &[RecordSection::Demographics, RecordSection::Problems],
            category: DataCategory::Billing,
        },
        &pdf,
        &[Listed {
            patient: row.fields.patient_id,
            what: format!("claim/{id}"),
        }],
        record,
    )?;
    Ok(ClaimPrinted {
        done,
        claim: one_claim(ctx, id)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim_grid::fold;

    #[test]
    fn a_practice_address_splits_into_the_forms_parts() {
        let p = postal_of_lines(&["200 River Rd.".into(), "Portland, OR 97202-1234".into()]);
        assert_eq!(
            (
                p.street.as_str(),
                p.city.as_str(),
                p.state.as_str(),
                p.zip.as_str()
            ),
            ("200 River Rd.", "Portland", "OR", "97202-1234")
        );
        let p = postal_of_lines(&[
            "1 Main St".into(),
            "Suite 4".into(),
            "Salt Lake City UT 84101".into(),
        ]);
        assert_eq!(
            (p.city.as_str(), p.state.as_str()),
            ("Salt Lake City", "UT")
        );
        assert_eq!(fold(&p.street), "1 MAIN ST");
    }

    #[test]
    fn pointers_are_letters_of_the_claims_diagnoses() {
        let all: Vec<String> = ["E11.9", "I10", "J45.909"].map(String::from).to_vec();
        assert_eq!(pointers(&all, &["J45.909".into(), "E11.9".into()]), "CA");
    }

    #[test]
    fn a_claim_moves_only_forward_by_hand() {
        assert_eq!(
            next_statuses(ClaimStatus::Draft),
            vec![ClaimStatus::Withdrawn]
        );
        assert!(next_statuses(ClaimStatus::Resubmitted).is_empty());
        assert!(next_statuses(ClaimStatus::Withdrawn).is_empty());
        assert!(next_statuses(ClaimStatus::Printed).contains(&ClaimStatus::Denied));
        assert!(!next_statuses(ClaimStatus::Paid).contains(&ClaimStatus::Draft));
    }
}
