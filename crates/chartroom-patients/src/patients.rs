//! Patient commands: search, open (audited), register with a duplicate
//! check, edit with conflict detection, history, emergency access (the
//! audited read; the API grants the session's access for an hour).

use chartroom_core::age::age;
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory, Patient, PatientSummary};
use chartroom_store::{patients as store, users};
use chartroom_types::PatientId;
use chrono::NaiveDate;

use chartroom_core::validate::phone_display;
use chartroom_core::{Actor, Ctx, Error, Result};

use crate::protocol::{PatientChart, PatientInput, PatientPhones, PatientVersion, RegisterOutcome};
use crate::validate;

fn chart(ctx: &Ctx<'_>, patient: Patient) -> PatientChart {
    let (age_years, age_text) = age(patient.fields.birth_date, ctx.today());
    let phones = phones_of(&patient);
    PatientChart {
        patient,
        age_years,
        age_text,
        phones,
    }
}

/// A patient's phones as people read them.
fn phones_of(patient: &Patient) -> PatientPhones {
    let f = &patient.fields;
    PatientPhones {
        mobile: phone_display(&f.phone_mobile),
        home: phone_display(&f.phone_home),
        work: phone_display(&f.phone_work),
        emergency: phone_display(&f.emergency_phone),
    }
}

fn record_id(id: PatientId) -> String {
    format!("patient/{id}")
}

/// Search as you type: finds patients, and records who searched for what
/// and how many were shown (each keystroke's record is committed without
/// waiting for the disk, so that typing stays fast). Opening a result
/// records the search that found it again, with the chart ([`open`]).
pub fn search(ctx: &mut Ctx<'_>, query: &str, limit: u32) -> Result<Vec<PatientSummary>> {
    let limit = limit.clamp(1, 200) as usize;
    let mut rows = store::search(ctx.read(), query, limit)?;
    with_ages(ctx.today(), &mut rows);
    let actor = ctx.actor();
    let q: String = chartroom_core::validate::clean(query)
        .chars()
        .take(100)
        .collect();
    ctx.audit_keystroke(actor.event(
        AuditAction::Query,
        DataCategory::Demographics,
        None,
        chartroom_core::PATIENT_SEARCH_RECORD,
        format!("search \"{q}\": {} shown", rows.len()),
    ))?;
    Ok(rows)
}

/// Fills what the store leaves to the API: the age at the clinic's today and
/// the phone as people read it.
fn with_ages(today: NaiveDate, rows: &mut [PatientSummary]) {
    for r in rows {
        r.age_text = age(r.birth_date, today).1;
        r.phone_display = phone_display(&r.phone);
    }
}

/// Opens a chart, auditing the read (and the search that found it).
pub fn open(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    from_search: Option<&str>,
) -> Result<PatientChart> {
    let actor = ctx.actor();
    let p = ctx.write(|tx, now| {
        let p = store::get(tx, patient_id)?;
        if let Some(q) = from_search {
            let q: String = q.chars().take(100).collect();
            audit::append(
                tx,
                now,
                &actor.event(
                    AuditAction::Query,
                    DataCategory::Demographics,
                    Some(patient_id),
                    chartroom_core::PATIENT_SEARCH_RECORD,
                    format!("search \"{q}\""),
                ),
            )?;
        }
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Demographics,
                Some(patient_id),
                record_id(patient_id),
                "opened chart",
            ),
        )?;
        Ok(p)
    })?;
    Ok(chart(ctx, p))
}

/// Patients who may be the same person as the form describes.
pub fn check_duplicates(ctx: &mut Ctx<'_>, input: &PatientInput) -> Result<Vec<PatientSummary>> {
    let actor = ctx.actor();
    let today = ctx.today();
    let fields = validate::patient(input, today)?;
    ctx.write(|tx, now| {
        let mut found = store::possible_duplicates(tx, &fields, None)?;
        with_ages(today, &mut found);
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Query,
                DataCategory::Demographics,
                None,
                "patient_duplicates",
                format!("duplicate check: {} found", found.len()),
            ),
        )?;
        audit_shown(tx, now, actor, &found)?;
        Ok(found)
    })
}

/// Records, in each patient's own access history, that their name, birth
/// date and contact details were shown as a possible duplicate.
fn audit_shown(
    tx: &chartroom_store::Tx<'_>,
    now: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    shown: &[PatientSummary],
) -> Result<()> {
    for p in shown {
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Demographics,
                Some(p.id),
                record_id(p.id),
                "shown as a possible duplicate",
            ),
        )?;
    }
    Ok(())
}

/// Registers a patient unless possible duplicates need a decision first.
pub fn register(
    ctx: &mut Ctx<'_>,
    input: &PatientInput,
    acknowledge_duplicates: bool,
) -> Result<RegisterOutcome> {
    let actor = ctx.actor();
    let today = ctx.today();
    let fields = validate::patient(input, today)?;
    let outcome = ctx.write(|tx, now| {
        if !acknowledge_duplicates {
            let mut candidates = store::possible_duplicates(tx, &fields, None)?;
            with_ages(today, &mut candidates);
            if !candidates.is_empty() {
                audit::append(
                    tx,
                    now,
                    &actor.event(
                        AuditAction::Query,
                        DataCategory::Demographics,
                        None,
                        "patient_duplicates",
                        format!(
                            "registration stopped: {} possible duplicates",
                            candidates.len()
                        ),
                    ),
                )?;
                audit_shown(tx, now, actor, &candidates)?;
                return Ok(Err(candidates));
            }
        }
        let user = actor.user()?;
        let p = store::insert(tx, &fields, user, now)?;
        let detail = if acknowledge_duplicates {
            "registered (possible duplicates acknowledged)"
        } else {
            "registered"
        };
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Create,
                DataCategory::Demographics,
                Some(p.id),
                record_id(p.id),
                detail,
            ),
        )?;
        Ok(Ok(p))
    })?;
    Ok(match outcome {
        Ok(p) => RegisterOutcome::Registered {
            chart: Box::new(chart(ctx, p)),
        },
        Err(candidates) => RegisterOutcome::PossibleDuplicates { candidates },
    })
}

/// Saves edited details; refuses if someone saved since `expected_version`.
pub fn update(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    expected_version: i64,
    input: &PatientInput,
) -> Result<PatientChart> {
    let actor = ctx.actor();
    let fields = validate::patient(input, ctx.today())?;
    let p = ctx.write(|tx, now| {
        let user = actor.user()?;
        let old = store::get(tx, patient_id)?;
        let p = store::update(tx, patient_id, expected_version, &fields, user, now)?;
        let changed = changed_fields(&old, &p);
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Update,
                DataCategory::Demographics,
                Some(patient_id),
                record_id(patient_id),
                format!("changed: {changed}"),
            ),
        )?;
        Ok(p)
    })?;
    Ok(chart(ctx, p))
}

/// Names of the fields that differ (never their values).
fn changed_fields(a: &Patient, b: &Patient) -> String {
    let (Ok(serde_json::Value::Object(x)), Ok(serde_json::Value::Object(y))) = (
        serde_json::to_value(&a.fields),
        serde_json::to_value(&b.fields),
    ) else {
        return String::new();
    };
    let names: Vec<&str> = x
        .iter()
        .filter(|(k, v)| y.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    if names.is_empty() {
        "nothing".into()
    } else {
        names.join(", ")
    }
}

/// Earlier versions of a patient's details.
pub fn history(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<Vec<PatientVersion>> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let versions = store::history(tx, patient_id)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Demographics,
                Some(patient_id),
                record_id(patient_id),
                "viewed history",
            ),
        )?;
        let mut out = Vec::new();
        for (patient, at, by) in versions {
            let by = users::get(tx, by)
                .map(|u| u.username)
                .unwrap_or_else(|_| format!("user {by}"));
            out.push(PatientVersion {
                phones: phones_of(&patient),
                patient,
                replaced_at: at.to_rfc3339(),
                replaced_by: by,
            });
        }
        Ok(out)
    })
}

/// Opens one patient's chart for a pre-authorised user outside their role,
/// with a stated reason, both audited and flagged. The API then grants the
/// session access to that patient for an hour (`EMERGENCY_MINUTES`), under
/// which everything done is flagged.
pub fn emergency_access(ctx: &mut Ctx<'_>, mrn: &str, reason: &str) -> Result<PatientChart> {
    let actor = ctx.actor();
    let reason = chartroom_core::validate::clean(reason);
    let mut errs = chartroom_core::FieldErrors::default();
    if reason.chars().count() < 10 {
        errs.add(
            "reason",
            "State the reason for emergency access (at least 10 characters)",
        );
    }
    let mrn = mrn.trim();
    if mrn.is_empty() {
        errs.add("mrn", "Enter the patient's MRN");
    }
    errs.finish()?;
    // An MRN that finds nobody is a refusal, recorded in its own transaction
    // (someone may be trying MRNs).
    if store::id_by_mrn(ctx.read(), mrn)?.is_none() {
        let shown: String = mrn.chars().take(20).collect();
        ctx.audit(actor.event(
            AuditAction::Refused,
            DataCategory::Security,
            None,
            "",
            format!("emergency access refused: no patient has MRN {shown}"),
        ))?;
        return Err(Error::field("mrn", format!("No patient has MRN {shown}")));
    }
    let flagged = Actor {
        emergency: true,
        ..actor.clone()
    };
    let p = ctx.write(|tx, now| {
        let Some(id) = store::id_by_mrn(tx, mrn)? else {
            return Err(Error::field("mrn", format!("No patient has MRN {mrn}")));
        };
        let p = store::get(tx, id)?;
        audit::append(
            tx,
            now,
            &flagged.event(
                AuditAction::EmergencyAccess,
                DataCategory::Clinical,
                Some(id),
                record_id(id),
                reason.as_str(),
            ),
        )?;
        audit::append(
            tx,
            now,
            &flagged.event(
                AuditAction::Read,
                DataCategory::Demographics,
                Some(id),
                record_id(id),
                "opened chart (emergency access)",
            ),
        )?;
        Ok(p)
    })?;
    Ok(chart(ctx, p))
}

#[cfg(test)]
mod tests {
    use super::age;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ages_count_whole_years_months_and_days() {
        assert_eq!(age(d(1984, 3, 12), d(2026, 3, 11)), (41, "41 y".into()));
        assert_eq!(age(d(1984, 3, 12), d(2026, 3, 12)), (42, "42 y".into()));
        assert_eq!(age(d(2024, 9, 20), d(2026, 3, 2)), (1, "17 mo".into()));
        assert_eq!(age(d(2026, 2, 20), d(2026, 3, 2)), (0, "10 d".into()));
        assert_eq!(age(d(2000, 2, 29), d(2026, 2, 28)), (25, "25 y".into()));
    }
}
