//! Domain types stored in the chart store. They are plain data with public
//! fields; those that cross the API boundary derive `Serialize` and `TS` so
//! the UI's TypeScript types are generated from them (see `ui/src/bindings`).

use chartroom_types::{PatientId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use chartroom_types::{
    AuditAction, DataCategory, EntryStatus, NoteKind, NoteStatus, ObservationKind,
    PreferredContact, RecordStatus, Role, Section, Sex,
};

/// Validated registration details of a patient (what the front desk enters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientFields {
    pub family_name: String,
    pub given_name: String,
    pub middle_name: String,
    pub preferred_name: String,
    #[ts(type = "string")]
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub gender_identity: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// Phones are stored as the digits only, with a leading `+` for
    /// international numbers.
    pub phone_mobile: String,
    pub phone_home: String,
    pub phone_work: String,
    pub email: String,
    pub preferred_contact: PreferredContact,
    pub emergency_name: String,
    pub emergency_relationship: String,
    pub emergency_phone: String,
}

/// A registered patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Patient {
    pub id: PatientId,
    pub mrn: String,
    /// Increments on every change; updates name the version they started from.
    #[ts(type = "number")]
    pub version: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: PatientFields,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// One line of a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientSummary {
    pub id: PatientId,
    pub mrn: String,
    pub family_name: String,
    pub given_name: String,
    pub preferred_name: String,
    #[ts(type = "string")]
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub phone: String,
    /// Age at the clinic's today ("42 y"); the store leaves it empty and the
    /// API fills it in.
    pub age_text: String,
    /// The phone as people read it (filled by the API).
    pub phone_display: String,
}

/// A user account as administrators see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserAccount {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    /// Letters after the name on a prescription ("MD", "NP").
    pub credentials: String,
    pub roles: Vec<Role>,
    pub can_emergency_access: bool,
    pub disabled: bool,
    #[ts(type = "string | null")]
    pub locked_until: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub failed_attempts: i64,
}

/// One record of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditRecord {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    pub username: String,
    pub patient_id: Option<PatientId>,
    pub action: AuditAction,
    pub category: DataCategory,
    pub record_id: String,
    pub detail: String,
    pub emergency: bool,
}
