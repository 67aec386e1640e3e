//! The administration commands' request and answer types: practice
//! settings, the audit report's filters as typed, users' names for filters.
//! Serialised to JSON, with TypeScript twins generated into
//! `ui/src/bindings/`.

use chartroom_store::model::AuditAction;
use chartroom_types::UserId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// Printed on every document's letterhead: street, city (one line each).
    pub practice_address: String,
    pub practice_phone: String,
    pub practice_fax: String,
    /// The practice's (group) NPI, ten digits; printed on the letterhead.
    pub practice_npi: String,
    /// The practice's tax id (EIN), `12-3456789`; printed by billing.
    pub practice_tax_id: String,
    /// Whether a logo is set ([`crate::commands::SetPracticeLogo`] sets it);
    /// ignored when saving.
    pub has_logo: bool,
    /// Minutes of inactivity before the session locks (1 to 60).
    #[ts(type = "number")]
    pub idle_lock_minutes: u32,
    /// The clinic's IANA time zone ("America/New_York"); empty: the
    /// workstation's. It decides "today" and every appointment's local time.
    pub time_zone: String,
    /// The workstation's zone, shown beside it; ignored when saving.
    pub workstation_time_zone: String,
}

/// A user's id and name, for filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserName {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
}
