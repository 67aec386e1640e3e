//! The patient commands' request and answer types: the registration form
//! as typed, an opened chart with its banner, earlier versions, the outcome
//! of registering. Serialised to JSON, with TypeScript twins generated into
//! `ui/src/bindings/`.

use chartroom_store::model::{Patient, PatientSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Patient details as typed into the registration form. Everything is text
/// so that a bad value comes back as a field error, not a parse failure.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientInput {
    pub family_name: String,
    pub given_name: String,
    pub middle_name: String,
    pub preferred_name: String,
    /// `YYYY-MM-DD` (a date input) or `MM/DD/YYYY`.
    pub birth_date: String,
    /// `female`, `male`, `other` or `unknown`.
    pub sex: String,
    pub gender_identity: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone_mobile: String,
    pub phone_home: String,
    pub phone_work: String,
    pub email: String,
    /// `phone`, `text`, `email` or `mail`.
    pub preferred_contact: String,
    pub emergency_name: String,
    pub emergency_relationship: String,
    pub emergency_phone: String,
}

/// An opened chart: details plus what the banner shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientChart {
    pub patient: Patient,
    /// Age in whole years at the clinic's today.
    #[ts(type = "number")]
    pub age_years: i64,
    /// "3 mo" style age for infants, "42 y" for others.
    pub age_text: String,
    /// The patient's phones as people read them.
    pub phones: PatientPhones,
}

/// A patient's phones as shown and printed ("(503) 555-0134").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientPhones {
    pub mobile: String,
    pub home: String,
    pub work: String,
    pub emergency: String,
}

/// A previous version of a patient's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientVersion {
    pub patient: Patient,
    /// Its phones as people read them.
    pub phones: PatientPhones,
    pub replaced_at: String,
    pub replaced_by: String,
}

/// The answer to registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum RegisterOutcome {
    Registered {
        chart: Box<PatientChart>,
    },
    /// Not registered: these may be the same person. Open one of them, or
    /// register again with `acknowledge_duplicates`.
    PossibleDuplicates {
        candidates: Vec<PatientSummary>,
    },
}
