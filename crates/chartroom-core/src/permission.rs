//! Who may do what. Roles grant permissions; each command declares the
//! [`Guard`] it needs and the [`Subject`] (patient or record) it concerns.
//! The backend checks every command, so a UI that shows a button by mistake
//! still cannot do harm.

use chartroom_store::model::Role;
use chartroom_types::{
    AppointmentId, ChargeId, ClaimId, DocumentId, EntryId, NoteId, ObservationId, PatientId,
    PaymentId, RecallId, WaitlistEntryId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A capability a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Permission {
    /// Find patients and read demographics.
    PatientRead,
    /// Register patients and edit demographics.
    PatientWrite,
    /// Read clinical content (problems, notes, results).
    ClinicalRead,
    /// Write clinical content.
    ClinicalWrite,
    /// Read the audit log and verify its chain.
    AuditRead,
    /// Manage user accounts and roles.
    UserAdmin,
    /// Change practice settings.
    SettingsAdmin,
    /// Compose, preview, print and save records that leave the practice
    /// (chart summaries, referral packets, the patient's own copy, a
    /// patient's accounting of disclosures) and keep the referral address
    /// book. Reads the chart for that purpose only; never edits it.
    ReleaseRecords,
    /// Read the practice-wide disclosure log.
    DisclosureReport,
    /// See the calendars, the flow board and patients' appointments.
    ScheduleRead,
    /// Book, move, cancel and check in appointments.
    ScheduleWrite,
    /// Book over a conflict (double-booking, outside hours, in a closure),
    /// with a reason that is kept.
    ScheduleOverride,
    /// Set up calendars, working hours, closures and appointment types.
    ScheduleSetup,
    /// See accounts, charges, payments, coverage and the ledger.
    BillingRead,
    /// Keep the fee schedule and the payers.
    BillingSetup,
    /// Keep a patient's billing account (guarantor) and insurance coverage.
    AccountWrite,
    /// Enter a visit's charges (and edit or void them).
    ChargeEntry,
    /// Take a patient's (or guarantor's) payment, apply their credit.
    PatientPayment,
    /// Post insurers' payments and adjustments, reverse payments, refund
    /// credits.
    InsurancePosting,
    /// Close the day (its postings then final).
    CloseDay,
    /// Print or save guarantors' statements (each a disclosure).
    Statements,
    /// See and print practice-wide billing reports (A/R aging).
    BillingReports,
    /// Make, print (each a disclosure to the payer), answer and send again
    /// paper insurance claims.
    Claims,
}

/// The permissions a role grants.
pub fn granted_by(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::FrontDesk => &[
            PatientRead,
            PatientWrite,
            ScheduleRead,
            ScheduleWrite,
            BillingRead,
            AccountWrite,
            PatientPayment,
            Statements,
        ],
        Role::Clinician => &[
            PatientRead,
            PatientWrite,
            ClinicalRead,
            ClinicalWrite,
            ReleaseRecords,
            ScheduleRead,
            ScheduleWrite,
            ScheduleOverride,
            BillingRead,
            ChargeEntry,
        ],
        Role::Billing => &[
            PatientRead,
            ScheduleRead,
            BillingRead,
            BillingSetup,
            AccountWrite,
            ChargeEntry,
            PatientPayment,
            InsurancePosting,
            Statements,
            BillingReports,
            Claims,
        ],
        Role::PracticeManager => &[
            PatientRead,
            PatientWrite,
            AuditRead,
            ReleaseRecords,
            DisclosureReport,
            ScheduleRead,
            ScheduleWrite,
            ScheduleOverride,
            ScheduleSetup,
            BillingRead,
            BillingSetup,
            AccountWrite,
            PatientPayment,
            CloseDay,
            Statements,
            BillingReports,
        ],
        // Administrators run the system; they do not read charts (least
        // privilege) unless pre-authorised for emergency access.
        Role::Administrator => &[UserAdmin, SettingsAdmin, AuditRead],
    }
}

/// Every permission any of `roles` grants, sorted.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    let mut v: Vec<Permission> = roles.iter().flat_map(|r| granted_by(*r)).copied().collect();
    v.sort();
    v.dedup();
    v
}

/// How a command is guarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Open to anyone at the keyboard (status, setup, unlock, login).
    Public,
    /// Needs a logged-in session, even a locked one (resume, logout).
    AnySession,
    /// Needs an active (unlocked) session and no particular permission.
    Active,
    /// Needs an active session holding this permission (or emergency access
    /// for the patient concerned, for patient and clinical reads).
    Needs(Permission),
    /// Needs an active session whose account is pre-authorised for
    /// emergency access.
    EmergencyAuthorised,
}

/// What a request concerns, for emergency-access scoping: a patient, or a
/// record whose patient the dispatcher looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Concerns no one patient (lists of users, settings, reference data).
    None,
    Patient(PatientId),
    Entry(EntryId),
    Observation(ObservationId),
    Note(NoteId),
    Document(DocumentId),
    Appointment(AppointmentId),
    WaitlistEntry(WaitlistEntryId),
    Recall(RecallId),
    Charge(ChargeId),
    Payment(PaymentId),
    Claim(ClaimId),
}
