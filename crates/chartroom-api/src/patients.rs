//! Patient commands: search, open (audited), register with a duplicate
//! check, edit with conflict detection, history, emergency access.

use chartroom_core::age::age;
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory, Patient, PatientSummary};
use chartroom_store::{patients as store, users};
use chartroom_types::PatientId;
use chrono::{Duration, NaiveDate};

use chartroom_core::validate::phone_display;

use crate::protocol::{PatientChart, PatientInput, PatientPhones, PatientVersion, RegisterOutcome};
use crate::session::Emergency;
use crate::{validate, Actor, ApiError, Chartroom, Result};

fn chart(app: &Chartroom, patient: Patient) -> PatientChart {
    let (age_years, age_text) = age(patient.fields.birth_date, app.clock.today());
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

/// Search as you type. Not audited per keystroke: the search is recorded
/// when a result is opened ([`open`]).
pub(crate) fn search(app: &mut Chartroom, query: &str, limit: u32) -> Result<Vec<PatientSummary>> {
    let limit = limit.clamp(1, 200) as usize;
    let mut rows = store::search(app.open_mut()?.store.read(), query, limit)?;
    with_ages(app.clock.today(), &mut rows);
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
pub(crate) fn open(
    app: &mut Chartroom,
    actor: &Actor,
    patient_id: PatientId,
    from_search: Option<&str>,
) -> Result<PatientChart> {
    let p = app.write(|tx, now| {
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
                    "patient_search",
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
    Ok(chart(app, p))
}

/// Patients who may be the same person as the form describes.
pub(crate) fn check_duplicates(
    app: &mut Chartroom,
    actor: &Actor,
    input: &PatientInput,
) -> Result<Vec<PatientSummary>> {
    let today = app.clock.today();
    let fields = validate::patient(input, today)?;
    app.write(|tx, now| {
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
        Ok(found)
    })
}

/// Registers a patient unless possible duplicates need a decision first.
pub(crate) fn register(
    app: &mut Chartroom,
    actor: &Actor,
    input: &PatientInput,
    acknowledge_duplicates: bool,
) -> Result<RegisterOutcome> {
    let today = app.clock.today();
    let fields = validate::patient(input, today)?;
    let outcome = app.write(|tx, now| {
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
            chart: Box::new(chart(app, p)),
        },
        Err(candidates) => RegisterOutcome::PossibleDuplicates { candidates },
    })
}

/// Saves edited details; refuses if someone saved since `expected_version`.
pub(crate) fn update(
    app: &mut Chartroom,
    actor: &Actor,
    patient_id: PatientId,
    expected_version: i64,
    input: &PatientInput,
) -> Result<PatientChart> {
    let fields = validate::patient(input, app.clock.today())?;
    let p = app.write(|tx, now| {
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
    Ok(chart(app, p))
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
pub(crate) fn history(
    app: &mut Chartroom,
    actor: &Actor,
    patient_id: PatientId,
) -> Result<Vec<PatientVersion>> {
    app.write(|tx, now| {
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

/// How long emergency access lasts.
pub const EMERGENCY_MINUTES: i64 = 60;

/// Grants a pre-authorised user access to one patient's chart for an hour,
/// with a stated reason, and opens it. Everything done under it is flagged.
pub(crate) fn emergency_access(
    app: &mut Chartroom,
    actor: &Actor,
    mrn: &str,
    reason: &str,
) -> Result<PatientChart> {
    let reason = validate::clean(reason);
    let mut errs = crate::FieldErrors::default();
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
    let flagged = Actor {
        emergency: true,
        ..actor.clone()
    };
    let p = app.write(|tx, now| {
        let Some(id) = store::id_by_mrn(tx, mrn)? else {
            return Err(ApiError::field("mrn", format!("No patient has MRN {mrn}")));
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
    let until = app.clock.now() + Duration::minutes(EMERGENCY_MINUTES);
    if let Some(s) = app.open_mut()?.session.as_mut() {
        s.emergency = Some(Emergency {
            patient_id: p.id,
            mrn: p.mrn.clone(),
            until,
        });
    }
    Ok(chart(app, p))
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
