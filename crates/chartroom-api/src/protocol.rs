//! The practice-level answer types (status, session, set-up, patients,
//! settings) and the chart's, re-exported: with [`crate::commands`] and the
//! chart's commands this is the API boundary, serialised to JSON with
//! TypeScript twins generated into `ui/src/bindings/`.

use chartroom_store::model::{AuditAction, Patient, PatientSummary, UserAccount};
use chartroom_types::UserId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use chartroom_chart::protocol::*;

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

/// The audit report's filters as typed in the audit screen. Dates are the
/// clinic's days (`MM/DD/YYYY` or `YYYY-MM-DD`), both included; a blank
/// field is no bound. The backend turns them into instants.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    pub from: String,
    pub to: String,
    pub user_id: Option<UserId>,
    /// A patient's id, typed; blank for every patient.
    pub patient_id: String,
    pub action: Option<AuditAction>,
    /// Newest first unless set.
    pub oldest_first: bool,
    #[ts(type = "number")]
    pub limit: u32,
}

/// Practice-wide settings an administrator changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    pub practice_name: String,
    /// Units vitals are shown in: `us` (lb, in, °F) or `metric`.
    pub units: String,
    /// Folder printed PDFs are written to; empty for the default
    /// (`~/Chartroom exports`, or the app's `--export-dir`).
    pub export_dir: String,
    /// Printed on prescriptions: street, city (one line each).
    pub practice_address: String,
    pub practice_phone: String,
    /// Minutes of inactivity before the session locks (1 to 60).
    #[ts(type = "number")]
    pub idle_lock_minutes: u32,
}

/// How the app stands, for the first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Phase {
    /// No database and no key file: offer "set up practice".
    NeedsSetup,
    /// The key is not in the keyring: ask for the passphrase or recovery code.
    NeedsUnlock,
    /// The database cannot be opened; `problem` says why.
    CannotOpen,
    /// Unlocked, nobody logged in.
    LoggedOut,
    /// A user is working.
    Active,
    /// A user's session is locked after inactivity.
    Locked,
}

/// Whether an OS keyring holds the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyringStatus {
    pub available: bool,
    /// "Secret Service", or why none is available.
    pub detail: String,
}

/// The answer to [`Request::Status`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub phase: Phase,
    pub practice_name: Option<String>,
    pub keyring: KeyringStatus,
    /// Whether the key file holds a passphrase-wrapped key.
    pub passphrase_set: bool,
    pub data_dir: String,
    pub session: Option<SessionInfo>,
    pub problem: Option<crate::WireError>,
}

/// The logged-in user and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub user: UserAccount,
    pub permissions: Vec<crate::Permission>,
    /// Seconds of inactivity before the session locks.
    #[ts(type = "number")]
    pub idle_lock_seconds: u64,
    pub locked: bool,
    /// Emergency access in force: which patient (MRN) and until when.
    pub emergency_mrn: Option<String>,
}

/// The answer to [`Request::SetupPractice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupResult {
    /// Shown once, for the manager to print or write down.
    pub recovery_code: String,
    /// Where the key is kept: the keyring's name, or "passphrase".
    pub key_storage: String,
    pub practice_id: String,
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

/// A user's id and name, for filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserName {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
}
