//! Domain types stored in the chart store. They are plain data with public
//! fields; those that cross the API boundary derive `Serialize` and `TS` so
//! the UI's TypeScript types are generated from them (see `ui/src/bindings`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable text stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the stored text.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// A job in the practice. A user may hold several.
    Role {
        FrontDesk = "front_desk",
        Clinician = "clinician",
        Billing = "billing",
        PracticeManager = "practice_manager",
        Administrator = "administrator",
    }
}

impl Role {
    /// Roles as stored and shown in the audit log: `front_desk,billing`.
    pub fn join(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

string_enum! {
    /// Administrative sex, as registered.
    Sex {
        Female = "female",
        Male = "male",
        Other = "other",
        Unknown = "unknown",
    }
}

string_enum! {
    /// How the patient prefers to be reached.
    PreferredContact {
        Phone = "phone",
        Text = "text",
        Email = "email",
        Mail = "mail",
    }
}

string_enum! {
    /// What an audit record says was done.
    AuditAction {
        Create = "create",
        Read = "read",
        Update = "update",
        MarkInError = "mark_in_error",
        Print = "print",
        Export = "export",
        Query = "query",
        Login = "login",
        Logout = "logout",
        FailedLogin = "failed_login",
        Lock = "lock",
        Unlock = "unlock",
        PermissionChange = "permission_change",
        EmergencyAccess = "emergency_access",
        Setup = "setup",
        Backup = "backup",
        Verify = "verify",
        SettingsChange = "settings_change",
    }
}

string_enum! {
    /// The kind of data an audited action touched.
    DataCategory {
        Demographics = "demographics",
        Clinical = "clinical",
        Schedule = "schedule",
        Billing = "billing",
        Security = "security",
        Administration = "administration",
        Audit = "audit",
    }
}

string_enum! {
    /// The sections of the chart kept as versioned entries.
    Section {
        Problem = "problem",
        Medication = "medication",
        Allergy = "allergy",
        Immunization = "immunization",
        Prescription = "prescription",
    }
}

string_enum! {
    /// Where a chart entry stands. Which values a section uses is the API's
    /// rule; `EnteredInError` is common to all and final.
    EntryStatus {
        Active = "active",
        Inactive = "inactive",
        Resolved = "resolved",
        Stopped = "stopped",
        Completed = "completed",
        EnteredInError = "entered_in_error",
    }
}

string_enum! {
    /// What an observation measures.
    ObservationKind {
        Vital = "vital",
        Lab = "lab",
    }
}

string_enum! {
    /// Status of records that are written once (observations, encounters,
    /// documents): valid, or marked entered in error.
    RecordStatus {
        Final = "final",
        EnteredInError = "entered_in_error",
    }
}

string_enum! {
    /// Where a note stands. Only drafts change.
    NoteStatus {
        Draft = "draft",
        Signed = "signed",
        EnteredInError = "entered_in_error",
    }
}

string_enum! {
    /// A visit note, or an addendum to a signed one.
    NoteKind {
        Soap = "soap",
        Addendum = "addendum",
    }
}

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
    #[ts(type = "number")]
    pub id: i64,
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
    #[ts(type = "number")]
    pub id: i64,
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
}

/// A user account as administrators see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserAccount {
    #[ts(type = "number")]
    pub id: i64,
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
    #[ts(type = "number | null")]
    pub user_id: Option<i64>,
    pub username: String,
    #[ts(type = "number | null")]
    pub patient_id: Option<i64>,
    pub action: AuditAction,
    pub category: DataCategory,
    pub record_id: String,
    pub detail: String,
    pub emergency: bool,
}
