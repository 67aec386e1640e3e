//! Synthetic clinical histories for the demo practice and the benchmark:
//! problems, medications, allergies, immunizations, vital signs, lab
//! results and signed visit notes, deterministic for a seed. Written through
//! the store's own functions (signed notes get their real hash) in a few
//! large transactions, each audited as one bulk creation.

use chartroom_store::chart::{self, EntryData};
use chartroom_store::model::{
    AuditAction, DataCategory, EntryStatus, NoteKind, ObservationKind, Role, Section,
};
use chartroom_store::notes;
use chartroom_store::observations::{self, NewObservation};
use std::sync::{Arc, Mutex};

use chartroom_core::signing::OpenSigningKey;
use chartroom_types::{PatientId, SigningKeyId};
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use chartroom_chart::protocol::{EntryDetails, NoteBody};
use chartroom_chart::vitals;
use chartroom_core::{Actor, Ctx, Error, Result};

/// How much history to generate for one patient.
#[derive(Debug, Clone, Copy)]
pub struct ChartSize {
    pub encounters: usize,
    /// Vital-sign and lab values together.
    pub observations: usize,
}

const PROBLEMS: &[(&str, &str)] = &[
    ("I10", "Essential (primary) hypertension"),
    ("E11.9", "Type 2 diabetes mellitus without complications"),
    ("E78.5", "Hyperlipidemia, unspecified"),
    ("J45.909", "Unspecified asthma, uncomplicated"),
    ("F41.1", "Generalized anxiety disorder"),
    ("M17.11", "Unilateral primary osteoarthritis, right knee"),
    (
        "K21.9",
        "Gastro-esophageal reflux disease without esophagitis",
    ),
    ("E03.9", "Hypothyroidism, unspecified"),
];

const MEDS: &[(&str, &str, &str, &str)] = &[
    ("Lisinopril", "10 mg", "tablet", "once daily"),
    ("Metformin", "500 mg", "tablet", "twice daily with meals"),
    ("Atorvastatin", "20 mg", "tablet", "once daily at bedtime"),
    (
        "Albuterol",
        "90 mcg/actuation",
        "inhaler",
        "2 puffs every 4-6 hours as needed",
    ),
    ("Sertraline", "50 mg", "tablet", "once daily"),
    (
        "Omeprazole",
        "20 mg",
        "capsule",
        "once daily before breakfast",
    ),
    (
        "Levothyroxine",
        "75 mcg",
        "tablet",
        "once daily on an empty stomach",
    ),
];

const ALLERGIES: &[(&str, &str, &str, &str)] = &[
    ("Penicillin", "drug_class", "hives", "moderate"),
    ("Sulfa drugs", "drug_class", "rash", "mild"),
    ("Peanuts", "food", "throat swelling", "severe"),
    ("Latex", "environmental", "contact dermatitis", "mild"),
];

const LABS: &[(&str, f64, f64)] = &[
    ("4548-4", 5.2, 9.5),
    ("2093-3", 150.0, 260.0),
    ("2160-0", 0.6, 1.6),
    ("2823-3", 3.4, 5.4),
    ("2345-7", 75.0, 190.0),
    ("3016-3", 0.5, 6.0),
    ("718-7", 10.5, 16.5),
];

fn body(d: &EntryDetails) -> Result<String> {
    serde_json::to_string(d).map_err(|e| Error::Internal(e.to_string()))
}

/// The clinician's signing key opened with the demo password, once per
/// key for the whole process (demo charts are made by the thousand);
/// `None` (notes sealed by their hash only) when the clinician's password
/// is not the demo one.
fn demo_signer(
    conn: &chartroom_store::Connection,
    doc: chartroom_types::UserId,
) -> Result<Option<(SigningKeyId, Arc<OpenSigningKey>)>> {
    static OPENED: Mutex<Vec<(Vec<u8>, Arc<OpenSigningKey>)>> = Mutex::new(Vec::new());
    let Some(current) = chartroom_store::signing_keys::current(conn, doc)? else {
        return Ok(None);
    };
    let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, key)) = opened.iter().find(|(p, _)| *p == current.public_key) {
        return Ok(Some((current.id, key.clone())));
    }
    let Some((row, key)) =
        chartroom_core::signing::open_current(conn, doc, crate::practice::DEMO_PASSWORD)?
    else {
        return Ok(None);
    };
    let key = Arc::new(key);
    opened.push((row.public_key, key.clone()));
    Ok(Some((row.id, key)))
}

/// Synthetic clinical histories, written in a [`Ctx`] like any handler's.
pub trait DemoChart {
    /// Gives `patient_id` a clinical history of the given size, ending at
    /// the clinic's today. Needs a clinician (or any user) in the practice.
    fn add_demo_chart(&mut self, patient_id: PatientId, size: ChartSize, seed: u64) -> Result<()>;
}

impl DemoChart for Ctx<'_> {
    fn add_demo_chart(&mut self, patient_id: PatientId, size: ChartSize, seed: u64) -> Result<()> {
        let mut rng =
            StdRng::seed_from_u64(seed ^ (patient_id.get() as u64).wrapping_mul(0x9e37_79b9));
        let today = self.today();
        let users = chartroom_store::users::list(self.read())?;
        let doc = users
            .iter()
            .find(|u| u.roles.contains(&Role::Clinician))
            .or(users.first())
            .map(|u| u.id)
            .ok_or_else(|| Error::Internal("the practice has no users yet".into()))?;
        let actor = Actor::system("demo-generator");
        let signer = demo_signer(self.read(), doc)?;
        // Visits spread over the years before today (never before the
        // patient's first birthday), oldest first.
        let birth = chartroom_store::patients::get(self.read(), patient_id)?
            .fields
            .birth_date;
        let lived = (today - birth).num_days() - 365;
        let span_days = (size.encounters as i64 * 9)
            .clamp(365, 365 * 30)
            .min(lived.max(30));
        let mut dates: Vec<NaiveDate> = (0..size.encounters)
            .map(|_| today - Duration::days(rng.gen_range(1..=span_days)))
            .collect();
        dates.sort();
        let n_problems = rng.gen_range(1..=4);
        let n_meds = rng.gen_range(1..=4);
        self.write(|tx, now| {
            let start = today - Duration::days(span_days);
            for (code, label) in PROBLEMS.iter().skip(rng.gen_range(0..4)).take(n_problems) {
                chart::insert_entry(
                    tx,
                    patient_id,
                    Section::Problem,
                    &EntryData {
                        status: EntryStatus::Active,
                        label: label.to_string(),
                        code: code.to_string(),
                        effective_date: Some(start + Duration::days(rng.gen_range(0..200))),
                        body: body(&EntryDetails::Problem { comment: String::new() })?,
                    },
                    now,
                    doc,
                )?;
            }
            for (name, strength, form, freq) in MEDS.iter().skip(rng.gen_range(0..3)).take(n_meds) {
                chart::insert_entry(
                    tx,
                    patient_id,
                    Section::Medication,
                    &EntryData {
                        status: EntryStatus::Active,
                        label: name.to_string(),
                        code: String::new(),
                        effective_date: Some(start + Duration::days(rng.gen_range(0..300))),
                        body: body(&EntryDetails::Medication {
                            strength: strength.to_string(),
                            form: form.to_string(),
                            dose: format!("1 {form}"),
                            route: if *form == "inhaler" { "inhaled" } else { "oral" }.into(),
                            frequency: freq.to_string(),
                            stop: None,
                            prescriber: String::new(),
                            last_reconciled: None,
                        })?,
                    },
                    now,
                    doc,
                )?;
            }
            if rng.gen_bool(0.35) {
                let (substance, category, reaction, severity) = ALLERGIES[rng.gen_range(0..ALLERGIES.len())];
                chart::insert_entry(
                    tx,
                    patient_id,
                    Section::Allergy,
                    &EntryData {
                        status: EntryStatus::Active,
                        label: substance.into(),
                        code: String::new(),
                        effective_date: None,
                        body: body(&EntryDetails::Allergy {
                            category: category.into(),
                            reaction: reaction.into(),
                            severity: severity.into(),
                            no_known_allergies: false,
                        })?,
                    },
                    now,
                    doc,
                )?;
            } else {
                chart::insert_entry(
                    tx,
                    patient_id,
                    Section::Allergy,
                    &EntryData {
                        status: EntryStatus::Active,
                        label: "No known allergies".into(),
                        code: String::new(),
                        effective_date: Some(start),
                        body: body(&EntryDetails::Allergy {
                            category: String::new(),
                            reaction: String::new(),
                            severity: String::new(),
                            no_known_allergies: true,
                        })?,
                    },
                    now,
                    doc,
                )?;
            }
            // Vitals at visits (sets of 5 values, up to 3/5 of the values),
            // lab results for the rest.
            let mut left = size.observations;
            // The most recent visits are the ones with vitals.
            let vital_sets = size.observations * 3 / 5 / 5;
            let first_with_vitals = dates.len().saturating_sub(vital_sets);
            let mut sys = rng.gen_range(118.0..150.0_f64);
            let weight = rng.gen_range(55.0..110.0_f64);
            let height = rng.gen_range(155.0..190.0_f64);
            for (i, d) in dates.iter().enumerate() {
                let enc = notes::insert_encounter(tx, patient_id, *d, doc, "office_visit", "Follow-up", now, doc)?;
                let plan = "Continue current medications. Return in 3 months.";
                let note_body = serde_json::to_string(&NoteBody {
                    subjective: "Feels well. Taking medications as prescribed. No chest pain or shortness of breath.".into(),
                    objective: format!("BP {:.0}/{:.0}. Heart regular. Lungs clear.", sys, sys * 0.62),
                    assessment: "Chronic conditions stable.".into(),
                    plan: plan.into(),
                    text: String::new(),
                })
                .map_err(|e| Error::Internal(e.to_string()))?;
                let n = notes::insert_note(tx, patient_id, enc, None, NoteKind::Soap, &note_body, now, doc)?;
                notes::sign(tx, n, 1, now, doc, |hash| {
                    Ok::<_, Error>(signer.as_ref().map(|(id, key)| (*id, key.sign(hash).to_vec())))
                })?;
                if i >= first_with_vitals && left >= 5 {
                    sys = (sys + rng.gen_range(-6.0..6.0)).clamp(100.0, 175.0);
                    let at = format!("{d}T{:02}:{:02}", 8 + (i % 9), (i * 7) % 60);
                    let v = |code: &str, value: f64| NewObservation {
                        kind: ObservationKind::Vital,
                        code: code.into(),
                        value,
                        unit: vitals::si_unit(code).into(),
                        flag: String::new(),
                        effective_at: at.clone(),
                        comment: String::new(),
                    };
                    let w = weight + rng.gen_range(-3.0..3.0);
                    observations::insert(
                        tx,
                        patient_id,
                        Some(enc),
                        None,
                        &[
                            v(vitals::SYSTOLIC, sys.round()),
                            v(vitals::DIASTOLIC, (sys * 0.62).round()),
                            v(vitals::PULSE, rng.gen_range(58.0..96.0_f64).round()),
                            v(vitals::WEIGHT, (w * 10.0).round() / 10.0),
                            v(vitals::BMI, ((w / (height / 100.0).powi(2)) * 10.0).round() / 10.0),
                        ],
                        now,
                        doc,
                    )?;
                    left -= 5;
                }
            }
            let labs = &chartroom_chart::reference::get()?.labs;
            let mut k = 0usize;
            while left > 0 {
                let (code, lo, hi) = LABS[k % LABS.len()];
                let Some(test) = labs.get(code) else {
                    return Err(Error::Internal(format!("demo lab {code} missing from the catalogue")));
                };
                let value = ((rng.gen_range(lo..hi)) * 10f64.powi(test.decimals as i32)).round()
                    / 10f64.powi(test.decimals as i32);
                let d = today - Duration::days(rng.gen_range(1..=span_days));
                let flag = serde_json::to_value(test.flag(value))
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                observations::insert(
                    tx,
                    patient_id,
                    None,
                    None,
                    &[NewObservation {
                        kind: ObservationKind::Lab,
                        code: code.into(),
                        value,
                        unit: test.unit.clone(),
                        flag,
                        effective_at: d.to_string(),
                        comment: String::new(),
                    }],
                    now,
                    doc,
                )?;
                left -= 1;
                k += 1;
            }
            chartroom_store::audit::append(
                tx,
                now,
                &actor.event(
                    AuditAction::Create,
                    DataCategory::Clinical,
                    Some(patient_id),
                    format!("patient/{patient_id}"),
                    format!(
                        "demo data: synthetic history of {} visits and {} values",
                        size.encounters, size.observations
                    ),
                ),
            )?;
            Ok(())
        })
    }
}
