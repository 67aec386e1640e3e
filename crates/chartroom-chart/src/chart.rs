//! Chart entries: problems (ICD-10-CM), medications, allergies,
//! immunizations (CVX) and prescriptions; the chart summary; the offline
//! drug safety checks; history and "entered in error".
//!
//! Every read of a chart is audited in the same transaction that reads it;
//! every change writes a new version ([`chartroom_store::chart`]) and an
//! audit record together. Safety findings stop a save until the user gives
//! a reason, which is kept in `safety_override` and in the audit log.

use chartroom_codes::SafetyFinding;
use chartroom_store::chart::{self as store, EntryData, EntryRow};
use chartroom_store::model::{AuditAction, EntryStatus, ObservationKind, Section};
use chartroom_store::{observations as obs_store, Connection};
use chrono::NaiveDate;

use crate::protocol::{
    ChartEntry, ChartSummary, DrugCheck, EntryActions, EntryDetails, EntryInput, EntryVersionView,
    SaveOutcome,
};
use chartroom_core::{validate, Actor, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_types::{
    AllergyCategory, AllergyStatus, EntryId, ImmunizationKind, MedicationStatus, PatientId,
    ProblemStatus, ReactionSeverity, UserId, ValueSet,
};

use crate::corrections::{self, Retracted};
use crate::{measurements, notes, reference};

pub fn record_id(id: EntryId) -> String {
    format!("entry/{id}")
}

fn details_of(row_body: &str) -> Result<EntryDetails> {
    serde_json::from_str(row_body)
        .map_err(|e| Error::Internal(format!("a stored chart entry could not be read: {e}")))
}

/// What `actor` may do with the entry `r`.
fn actions_of(r: &EntryRow, actor: &Actor) -> EntryActions {
    let live = r.data.status != EntryStatus::EnteredInError;
    let write = live && actor.may(Permission::ClinicalWrite);
    EntryActions {
        edit: write && r.section != Section::Prescription && !is_nka(r),
        retract: write,
        reconcile: write
            && r.section == Section::Medication
            && r.data.status == EntryStatus::Active,
        print: write && r.section == Section::Prescription,
    }
}

pub fn view(conn: &Connection, r: EntryRow, actor: &Actor) -> Result<ChartEntry> {
    let overrides = store::overrides_for(conn, r.id)?
        .into_iter()
        .map(|(reason, _)| reason)
        .collect();
    let actions = actions_of(&r, actor);
    Ok(ChartEntry {
        id: r.id,
        patient_id: r.patient_id,
        section: r.section,
        status: r.data.status,
        label: r.data.label,
        code: r.data.code,
        effective_date: r.data.effective_date.map(|d| d.to_string()),
        details: details_of(&r.data.body)?,
        error_reason: r.error_reason,
        version: r.version,
        updated_at: r.updated_at.to_rfc3339(),
        updated_by: r.updated_by_name,
        override_reasons: overrides,
        actions,
    })
}

fn text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    v: &str,
    max: usize,
    required: bool,
) -> String {
    let v = validate::clean(v);
    if required && v.is_empty() {
        errs.add(field, format!("{label} is required"));
    } else if v.chars().count() > max {
        errs.add(field, format!("{label} is longer than {max} characters"));
    }
    v
}

/// A value of the set `V`, as its code, or a field error naming the codes.
fn choice<V: ValueSet>(errs: &mut FieldErrors, field: &str, label: &str, v: &str) -> String {
    match V::from_code(v) {
        Some(x) => x.code().to_string(),
        None => {
            errs.add(
                field,
                format!("{label} must be one of {}, not \"{v}\"", V::codes_text()),
            );
            String::new()
        }
    }
}

fn status_of(s: &str) -> EntryStatus {
    EntryStatus::parse(s).unwrap_or(EntryStatus::Active)
}

/// A validated entry: what to store, and the drug to check, if any.
pub struct Validated {
    pub section: Section,
    pub data: EntryData,
    pub drug: Option<String>,
    pub no_known_allergies: bool,
}

/// Turns a form into an entry, or every field error at once.
pub fn validate(
    input: &EntryInput,
    today: NaiveDate,
    birth: NaiveDate,
    prescriber: (&str, &str),
) -> Result<Validated> {
    let refs = reference::get()?;
    let mut errs = FieldErrors::default();
    let out = match input {
        EntryInput::Problem {
            code,
            description,
            status,
            onset,
            comment,
        } => {
            let code = code.trim().to_uppercase();
            let mut label = text(
                &mut errs,
                "description",
                "Description",
                description,
                300,
                false,
            );
            if code.is_empty() {
                errs.add("code", "Choose an ICD-10-CM code from the search");
            } else {
                match refs.icd10.get(&code) {
                    None => errs.add("code", format!("{code} is not an ICD-10-CM code")),
                    Some(info) => {
                        if label.is_empty() {
                            label = info.description.to_string();
                        }
                    }
                }
            }
            let status = choice::<ProblemStatus>(&mut errs, "status", "Status", status);
            let onset = validate::past_date(&mut errs, "onset", "Onset", onset, today, false);
            validate::not_before(
                &mut errs,
                "onset",
                onset,
                Some(birth),
                "Onset is before the patient's birth date",
            );
            let comment = text(&mut errs, "comment", "Comment", comment, 2000, false);
            Validated {
                section: Section::Problem,
                data: EntryData {
                    status: status_of(&status),
                    label,
                    code,
                    effective_date: onset,
                    body: json(&EntryDetails::Problem { comment })?,
                },
                drug: None,
                no_known_allergies: false,
            }
        }
        EntryInput::Medication {
            name,
            strength,
            form,
            dose,
            route,
            frequency,
            start,
            stop,
            prescriber,
            status,
        } => {
            let name = text(&mut errs, "name", "Medication", name, 200, true);
            let status = choice::<MedicationStatus>(&mut errs, "status", "Status", status);
            let start = validate::past_date(&mut errs, "start", "Start date", start, today, false);
            validate::not_before(
                &mut errs,
                "start",
                start,
                Some(birth),
                "Start date is before the patient's birth date",
            );
            let stop_d = validate::typed_date(&mut errs, "stop", "Stop date", stop, false);
            validate::not_before(
                &mut errs,
                "stop",
                stop_d,
                start,
                "Stop date is before the start date",
            );
            if status == "active" && stop_d.is_some_and(|d| d < today) {
                errs.add(
                    "status",
                    "A medication whose stop date has passed is stopped, not active",
                );
            }
            Validated {
                section: Section::Medication,
                drug: Some(name.clone()),
                data: EntryData {
                    status: status_of(&status),
                    label: name,
                    code: String::new(),
                    effective_date: start,
                    body: json(&EntryDetails::Medication {
                        strength: text(&mut errs, "strength", "Strength", strength, 60, false),
                        form: text(&mut errs, "form", "Form", form, 60, false),
                        dose: text(&mut errs, "dose", "Dose", dose, 100, false),
                        route: text(&mut errs, "route", "Route", route, 60, false),
                        frequency: text(&mut errs, "frequency", "Frequency", frequency, 100, false),
                        stop: stop_d.map(|d| d.to_string()),
                        prescriber: text(
                            &mut errs,
                            "prescriber",
                            "Prescriber",
                            prescriber,
                            120,
                            false,
                        ),
                        last_reconciled: None,
                    })?,
                },
                no_known_allergies: false,
            }
        }
        EntryInput::Allergy {
            substance,
            category,
            reaction,
            severity,
            status,
        } => {
            let substance = text(&mut errs, "substance", "Substance", substance, 200, true);
            let category = choice::<AllergyCategory>(&mut errs, "category", "Category", category);
            let severity = choice::<ReactionSeverity>(&mut errs, "severity", "Severity", severity);
            let status = choice::<AllergyStatus>(&mut errs, "status", "Status", status);
            Validated {
                section: Section::Allergy,
                data: EntryData {
                    status: status_of(&status),
                    label: substance,
                    code: String::new(),
                    effective_date: None,
                    body: json(&EntryDetails::Allergy {
                        category,
                        reaction: text(&mut errs, "reaction", "Reaction", reaction, 300, false),
                        severity,
                        no_known_allergies: false,
                    })?,
                },
                drug: None,
                no_known_allergies: false,
            }
        }
        EntryInput::NoKnownAllergies => Validated {
            section: Section::Allergy,
            data: EntryData {
                status: EntryStatus::Active,
                label: "No known allergies".into(),
                code: String::new(),
                effective_date: Some(today),
                body: json(&EntryDetails::Allergy {
                    category: String::new(),
                    reaction: String::new(),
                    severity: String::new(),
                    no_known_allergies: true,
                })?,
            },
            drug: None,
            no_known_allergies: true,
        },
        EntryInput::Immunization {
            cvx,
            kind,
            date,
            lot,
            manufacturer,
            site,
            route,
            dose_number,
            note,
        } => {
            let cvx = cvx.trim().to_string();
            let label = match refs.vaccines.get(&cvx) {
                Some(v) if !v.active && kind == "administered" => {
                    errs.add(
                        "cvx",
                        format!(
                            "{} ({cvx}) is no longer in use; record past doses as historical",
                            v.short_name
                        ),
                    );
                    v.short_name.clone()
                }
                Some(v) => v.short_name.clone(),
                None => {
                    errs.add("cvx", format!("Choose a vaccine from the list (\"{cvx}\" is not a CVX code Chartroom knows)"));
                    String::new()
                }
            };
            let kind = choice::<ImmunizationKind>(&mut errs, "kind", "Record type", kind);
            let date = validate::past_date(&mut errs, "date", "Date", date, today, true);
            validate::not_before(
                &mut errs,
                "date",
                date,
                Some(birth),
                "Date is before the patient's birth date",
            );
            let lot = text(
                &mut errs,
                "lot",
                "Lot number",
                lot,
                40,
                kind == "administered",
            );
            let dose_number = dose_number.trim().to_string();
            if !dose_number.is_empty()
                && !dose_number
                    .parse::<u8>()
                    .is_ok_and(|n| (1..=10).contains(&n))
            {
                errs.add(
                    "dose_number",
                    "Dose number must be a whole number from 1 to 10",
                );
            }
            let note = text(&mut errs, "note", "Note", note, 500, kind == "refused");
            Validated {
                section: Section::Immunization,
                data: EntryData {
                    status: EntryStatus::Completed,
                    label,
                    code: cvx,
                    effective_date: date,
                    body: json(&EntryDetails::Immunization {
                        kind,
                        lot,
                        manufacturer: text(
                            &mut errs,
                            "manufacturer",
                            "Manufacturer",
                            manufacturer,
                            100,
                            false,
                        ),
                        site: text(&mut errs, "site", "Site", site, 60, false),
                        route: text(&mut errs, "route", "Route", route, 60, false),
                        dose_number,
                        note,
                    })?,
                },
                drug: None,
                no_known_allergies: false,
            }
        }
        EntryInput::Prescription {
            drug,
            strength,
            form,
            directions,
            quantity,
            quantity_unit,
            refills,
            substitution_allowed,
        } => {
            let drug = text(&mut errs, "drug", "Drug", drug, 200, true);
            let directions = text(&mut errs, "directions", "Directions", directions, 500, true);
            let q = quantity.trim();
            let quantity = match q.parse::<u32>() {
                Ok(n) if (1..=9999).contains(&n) => n,
                _ => {
                    errs.add(
                        "quantity",
                        format!("Quantity must be a whole number from 1 to 9999, not \"{q}\""),
                    );
                    0
                }
            };
            let r = refills.trim();
            let refills = match if r.is_empty() {
                Ok(0)
            } else {
                r.parse::<u32>()
            } {
                Ok(n) if n <= 11 => n,
                _ => {
                    errs.add(
                        "refills",
                        format!("Refills must be a whole number from 0 to 11, not \"{r}\""),
                    );
                    0
                }
            };
            Validated {
                section: Section::Prescription,
                drug: Some(drug.clone()),
                data: EntryData {
                    status: EntryStatus::Active,
                    label: drug,
                    code: String::new(),
                    effective_date: Some(today),
                    body: json(&EntryDetails::Prescription {
                        strength: text(&mut errs, "strength", "Strength", strength, 60, false),
                        form: text(&mut errs, "form", "Form", form, 60, false),
                        directions,
                        quantity,
                        quantity_unit: text(
                            &mut errs,
                            "quantity_unit",
                            "Unit",
                            quantity_unit,
                            40,
                            true,
                        ),
                        refills,
                        substitution_allowed: *substitution_allowed,
                        prescriber_name: prescriber.0.to_string(),
                        prescriber_credentials: prescriber.1.to_string(),
                    })?,
                },
                no_known_allergies: false,
            }
        }
    };
    errs.finish()?;
    Ok(out)
}

fn json(d: &EntryDetails) -> Result<String> {
    serde_json::to_string(d).map_err(|e| Error::Internal(e.to_string()))
}

/// Active allergy substances and active medication names of a patient,
/// leaving out one entry (the one being edited).
fn allergies_and_meds(
    conn: &Connection,
    patient_id: PatientId,
    except: Option<EntryId>,
) -> Result<(Vec<String>, Vec<String>)> {
    let rows = store::list_entries(conn, patient_id, None)?;
    let mut allergies = Vec::new();
    let mut meds = Vec::new();
    for r in rows {
        if r.data.status != EntryStatus::Active || Some(r.id) == except {
            continue;
        }
        match r.section {
            Section::Allergy if !is_nka(&r) => allergies.push(r.data.label),
            // Drugs prescribed here count as current medications too.
            Section::Medication | Section::Prescription => meds.push(r.data.label),
            _ => {}
        }
    }
    Ok((allergies, meds))
}

fn run_checks(drug: &str, allergies: &[String], meds: &[String]) -> Result<Vec<SafetyFinding>> {
    let a: Vec<&str> = allergies.iter().map(String::as_str).collect();
    let m: Vec<&str> = meds.iter().map(String::as_str).collect();
    Ok(reference::get()?.drugs.check(drug, &a, &m))
}

/// The checks for a drug, for the form to show before saving.
pub fn check_drug(ctx: &mut Ctx<'_>, patient_id: PatientId, drug: &str) -> Result<DrugCheck> {
    let actor = ctx.actor();
    let refs = reference::get()?;
    ctx.write(|tx, now| {
        let (allergies, meds) = allergies_and_meds(tx, patient_id, None)?;
        let findings = run_checks(drug, &allergies, &meds)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Query,
            patient_id,
            "drug_check",
            format!(
                "safety check for \"{}\": {} finding(s)",
                clip(drug),
                findings.len()
            ),
        )?;
        let resolved = refs.drugs.resolve(drug);
        Ok(DrugCheck {
            known: resolved.is_some(),
            generic: resolved.map(|r| r.generic.clone()),
            findings,
        })
    })
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

/// Adds or edits an entry, running the safety checks first.
pub fn save(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    entry_id: Option<EntryId>,
    expected_version: i64,
    input: &EntryInput,
    override_reason: Option<&str>,
) -> Result<SaveOutcome> {
    let actor = ctx.actor();
    let today = ctx.today();
    let user_id = actor.user()?;
    let me = prescriber_of(ctx, user_id)?;
    let birth = chartroom_store::patients::get(ctx.read(), patient_id)?
        .fields
        .birth_date;
    let v = validate(input, today, birth, (&me.0, &me.1))?;
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    if override_reason.is_some() && reason.is_none() {
        return Err(Error::field(
            "override_reason",
            "Give the reason for going ahead despite the warning",
        ));
    }
    let mut v = v;
    ctx.write(|tx, now| {
        let existing = match entry_id {
            Some(id) => {
                let e = store::get_entry(tx, id)?;
                if e.patient_id != patient_id || e.section != v.section {
                    return Err(Error::field("entry_id", "This entry belongs to another chart or section"));
                }
                Some(e)
            }
            None => None,
        };
        // The last "still taking?" answer belongs to the entry, not the form.
        if let Some(e) = &existing {
            if let (
                EntryDetails::Medication { last_reconciled: Some(kept), .. },
                Ok(EntryDetails::Medication { strength, form, dose, route, frequency, stop, prescriber, .. }),
            ) = (details_of(&e.data.body)?, serde_json::from_str::<EntryDetails>(&v.data.body))
            {
                v.data.body = json(&EntryDetails::Medication {
                    strength,
                    form,
                    dose,
                    route,
                    frequency,
                    stop,
                    prescriber,
                    last_reconciled: Some(kept),
                })?;
            }
        }
        if existing.as_ref().is_some_and(|e| e.section == Section::Prescription) {
            return Err(Error::field(
                "entry_id",
                "A prescription is not edited once written: mark it entered in error and write a new one",
            ));
        }
        // Safety checks when a drug is new, renamed, or becomes active again.
        let mut findings = Vec::new();
        if let Some(drug) = &v.drug {
            let recheck = match &existing {
                None => true,
                Some(e) => {
                    &e.data.label != drug
                        || (e.data.status != EntryStatus::Active && v.data.status == EntryStatus::Active)
                }
            };
            if recheck && v.data.status == EntryStatus::Active {
                let (allergies, meds) = allergies_and_meds(tx, patient_id, entry_id)?;
                findings = run_checks(drug, &allergies, &meds)?;
                // A prescription leaves the practice: an unknown drug must be
                // acknowledged, since nothing could be checked.
                let drugs = &reference::get()?.drugs;
                if v.section == Section::Prescription && !drugs.is_known(drug) {
                    findings.push(drugs.unchecked(drug));
                }
            }
        }
        if !findings.is_empty() && reason.is_none() {
            actor.audit_clinical(
                tx,
                now,
                AuditAction::Query,
                patient_id,
                "drug_check",
                format!("safety check on save: {} finding(s), not saved", findings.len()),
            )?;
            return Ok(SaveOutcome::NeedsOverride { findings });
        }
        let all = store::list_entries(tx, patient_id, Some(Section::Allergy))?;
        if v.section == Section::Allergy {
            let nka_active: Vec<&EntryRow> = all
                .iter()
                .filter(|r| r.data.status == EntryStatus::Active && is_nka(r) && Some(r.id) != entry_id)
                .collect();
            if v.no_known_allergies {
                if all.iter().any(|r| r.data.status == EntryStatus::Active && !is_nka(r) && Some(r.id) != entry_id) {
                    return Err(Error::field(
                        "allergies",
                        "The patient has active allergies listed; mark them inactive or entered in error before recording \"no known allergies\"",
                    ));
                }
                if !nka_active.is_empty() {
                    return Err(Error::field("allergies", "\"No known allergies\" is already recorded"));
                }
            } else if v.data.status == EntryStatus::Active {
                for n in nka_active {
                    let mut d = n.data.clone();
                    d.status = EntryStatus::Inactive;
                    store::update_entry(tx, n.id, n.version, &d, now, user_id, "superseded: an allergy was recorded")?;
                }
            }
        }
        let id = match &existing {
            None => store::insert_entry(tx, patient_id, v.section, &v.data, now, user_id)?,
            Some(e) => store::update_entry(tx, e.id, expected_version, &v.data, now, user_id, "edited")?.id,
        };
        let what = v.section.as_str();
        actor.audit_clinical(
            tx,
            now,
            if existing.is_some() { AuditAction::Update } else { AuditAction::Create },
            patient_id,
            record_id(id),
            format!("{what}: {}", clip(&v.data.label)),
        )?;
        if let (false, Some(reason)) = (findings.is_empty(), reason) {
            let fj = serde_json::to_string(&findings).map_err(|e| Error::Internal(e.to_string()))?;
            store::record_override(tx, patient_id, id, &fj, reason, now, user_id)?;
            let names: Vec<String> = findings.iter().map(|f| f.conflicts_with.clone()).collect();
            actor.audit_clinical(
                tx,
                now,
                AuditAction::Update,
                patient_id,
                record_id(id),
                format!("safety warning overridden for {}: {}; reason: {}", clip(&v.data.label), names.join(", "), clip(reason)),
            )?;
        }
        let row = store::get_entry(tx, id)?;
        Ok(SaveOutcome::Saved {
            entry: Box::new(view(tx, row, actor)?),
        })
    })
}

fn is_nka(r: &EntryRow) -> bool {
    matches!(
        details_of(&r.data.body),
        Ok(EntryDetails::Allergy {
            no_known_allergies: true,
            ..
        })
    )
}

/// "Still taking?" for a medication.
pub fn reconcile(
    ctx: &mut Ctx<'_>,
    entry_id: EntryId,
    expected_version: i64,
    still_taking: bool,
    note: &str,
) -> Result<ChartEntry> {
    let actor = ctx.actor();
    let today = ctx.today();
    let user_id = actor.user()?;
    let note = clip(note.trim());
    ctx.write(|tx, now| {
        let e = store::get_entry(tx, entry_id)?;
        if e.section != Section::Medication {
            return Err(Error::field("entry_id", "Only medications are reconciled"));
        }
        if e.data.status != EntryStatus::Active {
            return Err(Error::field(
                "entry_id",
                "Only active medications are reconciled",
            ));
        }
        let EntryDetails::Medication {
            strength,
            form,
            dose,
            route,
            frequency,
            stop,
            prescriber,
            ..
        } = details_of(&e.data.body)?
        else {
            return Err(Error::Internal("medication details missing".into()));
        };
        let said = if still_taking {
            "still taking"
        } else {
            "no longer taking"
        };
        let said_full = if note.is_empty() {
            said.to_string()
        } else {
            format!("{said}: {note}")
        };
        let mut d = e.data.clone();
        d.body = json(&EntryDetails::Medication {
            strength,
            form,
            dose,
            route,
            frequency,
            stop: if still_taking {
                stop
            } else {
                Some(today.to_string())
            },
            prescriber,
            last_reconciled: Some(format!("{} {said_full}", today.format("%m/%d/%Y"))),
        })?;
        if !still_taking {
            d.status = EntryStatus::Stopped;
        }
        let row = store::update_entry(
            tx,
            entry_id,
            expected_version,
            &d,
            now,
            user_id,
            &format!("reconciled: {said_full}"),
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Update,
            e.patient_id,
            record_id(entry_id),
            format!("medication reconciled: {said}"),
        )?;
        view(tx, row, actor)
    })
}

/// Every entry of a section.
pub fn list(ctx: &mut Ctx<'_>, patient_id: PatientId, section: Section) -> Result<Vec<ChartEntry>> {
    let actor = ctx.actor();
    let (record, detail) = (
        format!("{}s", section.as_str()),
        format!("listed {}s", section.as_str()),
    );
    ctx.read_audited(patient_id, (&record, &detail), |tx| {
        store::list_entries(tx, patient_id, Some(section))?
            .into_iter()
            .map(|r| view(tx, r, actor))
            .collect()
    })
}

/// Every saved state of an entry.
pub fn history(ctx: &mut Ctx<'_>, entry_id: EntryId) -> Result<Vec<EntryVersionView>> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let e = store::get_entry(tx, entry_id)?;
        let versions = store::entry_versions(tx, entry_id)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            e.patient_id,
            record_id(entry_id),
            "viewed history",
        )?;
        versions
            .into_iter()
            .map(|v| {
                Ok(EntryVersionView {
                    version: v.version,
                    status: v.data.status,
                    label: v.data.label,
                    code: v.data.code,
                    effective_date: v.data.effective_date.map(|d| d.to_string()),
                    details: details_of(&v.data.body)?,
                    error_reason: v.error_reason,
                    change: v.change,
                    saved_at: v.saved_at.to_rfc3339(),
                    saved_by: v.saved_by_name,
                })
            })
            .collect()
    })
}

/// Retracts an entry.
pub fn mark_in_error(
    ctx: &mut Ctx<'_>,
    entry_id: EntryId,
    expected_version: i64,
    reason: &str,
) -> Result<ChartEntry> {
    corrections::retract(ctx, reason, |r| {
        let id = (entry_id, Some(expected_version));
        let row = r.mark(&store::ENTRY, id, store::get_entry, |e| {
            let what = format!("{}: {}", e.section.as_str(), e.data.label);
            Retracted::of(e.patient_id, record_id(entry_id), what)
        })?;
        view(r.tx, row, r.actor())
    })
}

/// What the chart shows first: one read transaction, one audit record.
pub fn summary(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<ChartSummary> {
    let actor = ctx.actor();
    let units = measurements::units(ctx)?;
    let today = ctx.today();
    ctx.write(|tx, now| {
        let birth = chartroom_store::patients::get(tx, patient_id)?
            .fields
            .birth_date;
        let mut s = ChartSummary {
            measures_head_circumference: crate::vitals::measures_head_circumference(birth, today),
            allergy_status: "not_asked".into(),
            allergies: Vec::new(),
            problems: Vec::new(),
            medications: Vec::new(),
            immunizations: Vec::new(),
            prescriptions: Vec::new(),
            last_vitals: Vec::new(),
            recent_labs: Vec::new(),
            recent_notes: Vec::new(),
            care_due: Vec::new(),
        };
        let mut nka = false;
        for r in store::list_entries(tx, patient_id, None)? {
            let live = !matches!(r.data.status, EntryStatus::EnteredInError);
            match r.section {
                Section::Allergy if r.data.status == EntryStatus::Active => {
                    if is_nka(&r) {
                        nka = true;
                    } else {
                        s.allergies.push(view(tx, r, actor)?);
                    }
                }
                Section::Problem if r.data.status == EntryStatus::Active => {
                    s.problems.push(view(tx, r, actor)?)
                }
                Section::Medication if r.data.status == EntryStatus::Active => {
                    s.medications.push(view(tx, r, actor)?)
                }
                Section::Immunization if live && s.immunizations.len() < 10 => {
                    s.immunizations.push(view(tx, r, actor)?)
                }
                Section::Prescription if live && s.prescriptions.len() < 5 => {
                    s.prescriptions.push(view(tx, r, actor)?)
                }
                _ => {}
            }
        }
        s.allergy_status = if !s.allergies.is_empty() {
            "listed".into()
        } else if nka {
            "no_known_allergies".into()
        } else {
            "not_asked".into()
        };
        s.last_vitals = obs_store::latest_set(tx, patient_id, ObservationKind::Vital)?
            .into_iter()
            .map(|o| measurements::view(o, units))
            .collect::<Result<_>>()?;
        let lab_codes: Vec<&str> = reference::get()?
            .labs
            .all()
            .iter()
            .map(|t| t.loinc.as_str())
            .collect();
        let mut labs = obs_store::latest_of_codes(tx, patient_id, &lab_codes)?;
        labs.truncate(12);
        s.recent_labs = labs
            .into_iter()
            .map(|o| measurements::view(o, units))
            .collect::<Result<_>>()?;
        s.recent_notes = notes::summaries(tx, patient_id, 5)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            patient_id,
            format!("patient/{patient_id}"),
            "opened chart summary",
        )?;
        Ok(s)
    })
}

/// A user's name and credentials, as a prescription prints them.
pub fn prescriber_of(ctx: &mut Ctx<'_>, user_id: UserId) -> Result<(String, String)> {
    let u = chartroom_store::users::get(ctx.read(), user_id)?;
    Ok((u.full_name, u.credentials))
}

/// A patient's disclosure log (prints and exports), audited.
pub fn disclosures(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
) -> Result<Vec<chartroom_store::disclosures::Disclosure>> {
    ctx.read_audited(patient_id, ("disclosures", "viewed disclosure log"), |tx| {
        Ok(chartroom_store::disclosures::of_patient(
            tx,
            patient_id,
            chrono::DateTime::<chrono::Utc>::MIN_UTC,
        )?)
    })
}
