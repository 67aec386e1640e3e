//! Who may do what. Roles grant permissions; each command needs at most one
//! permission ([`required`]). The backend checks every command here, so a UI
//! that shows a button by mistake still cannot do harm.

use chartroom_store::model::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::protocol::Request;

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
}

/// The permissions a role grants.
pub fn granted_by(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::FrontDesk => &[PatientRead, PatientWrite],
        Role::Clinician => &[PatientRead, PatientWrite, ClinicalRead, ClinicalWrite],
        Role::Billing => &[PatientRead],
        Role::PracticeManager => &[PatientRead, PatientWrite, AuditRead],
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

/// The guard of a request.
pub fn required(req: &Request) -> Guard {
    use Permission::*;
    use Request as R;
    match req {
        R::Status
        | R::SetupPractice { .. }
        | R::UnlockWithPassphrase { .. }
        | R::UnlockWithRecovery { .. }
        | R::Login { .. } => Guard::Public,
        R::Logout | R::ResumeSession { .. } | R::LockSession => Guard::AnySession,
        // Reference lists (vaccines, lab tests, drug names) hold no patient
        // data; emergency access needs them to show a chart.
        R::Heartbeat | R::ChangeOwnPassword { .. } | R::GetSettings | R::GetReferenceData => {
            Guard::Active
        }
        R::SearchPatients { .. } | R::OpenPatient { .. } | R::PatientHistory { .. } => {
            Guard::Needs(PatientRead)
        }
        R::CheckDuplicates { .. } | R::RegisterPatient { .. } | R::UpdatePatient { .. } => {
            Guard::Needs(PatientWrite)
        }
        R::EmergencyAccess { .. } => Guard::EmergencyAuthorised,
        R::ListUsers
        | R::CreateUser { .. }
        | R::UpdateUser { .. }
        | R::SetUserDisabled { .. }
        | R::ResetPassword { .. } => Guard::Needs(UserAdmin),
        R::UpdateSettings { .. } => Guard::Needs(SettingsAdmin),
        R::VerifyAudit | R::AuditReport { .. } | R::ListUserNames => Guard::Needs(AuditRead),
        // Clinical content: clinicians (and emergency access, for reads of
        // the one patient). Front desk, billing and managers do not see it.
        R::ChartSummary { .. }
        | R::ListEntries { .. }
        | R::EntryHistory { .. }
        | R::SearchCodes { .. }
        | R::CheckDrug { .. }
        | R::ListObservations { .. }
        | R::Trend { .. }
        | R::ListNotes { .. }
        | R::GetNote { .. }
        | R::ListTemplates
        | R::ListDocuments { .. }
        | R::GetDocument { .. }
        | R::ListDisclosures { .. } => Guard::Needs(ClinicalRead),
        R::SaveEntry { .. }
        | R::ReconcileMedication { .. }
        | R::MarkEnteredInError { .. }
        | R::RecordVitals { .. }
        | R::RecordLab { .. }
        | R::StartEncounter { .. }
        | R::SaveNoteDraft { .. }
        | R::SignNote { .. }
        | R::AddAddendum { .. }
        | R::SaveTemplate { .. }
        | R::AttachDocument { .. }
        | R::PrintPrescription { .. }
        | R::UpdateVisit { .. }
        | R::UpdateDocument { .. } => Guard::Needs(ClinicalWrite),
        R::RecordHistory { .. } => Guard::Needs(ClinicalRead),
    }
}

/// What a request concerns, for emergency-access scoping: a patient, or a
/// record whose patient the dispatcher looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Patient(i64),
    Entry(i64),
    Note(i64),
    Document(i64),
}

/// The subject of a request, if it concerns one patient.
pub fn subject_of(req: &Request) -> Option<Subject> {
    use Request as R;
    match req {
        R::OpenPatient { patient_id, .. }
        | R::PatientHistory { patient_id }
        | R::ChartSummary { patient_id }
        | R::ListEntries { patient_id, .. }
        | R::CheckDrug { patient_id, .. }
        | R::ListObservations { patient_id, .. }
        | R::Trend { patient_id, .. }
        | R::ListNotes { patient_id }
        | R::ListDocuments { patient_id }
        | R::ListDisclosures { patient_id }
        | R::SaveEntry { patient_id, .. }
        | R::RecordVitals { patient_id, .. }
        | R::RecordLab { patient_id, .. }
        | R::StartEncounter { patient_id, .. }
        | R::AttachDocument { patient_id, .. } => Some(Subject::Patient(*patient_id)),
        R::EntryHistory { entry_id }
        | R::ReconcileMedication { entry_id, .. }
        | R::PrintPrescription { entry_id } => Some(Subject::Entry(*entry_id)),
        R::GetNote { note_id }
        | R::SaveNoteDraft { note_id, .. }
        | R::SignNote { note_id, .. }
        | R::AddAddendum { note_id, .. }
        | R::UpdateVisit { note_id, .. }
        | R::RecordHistory {
            record: crate::protocol::HistoryRef::Visit { note_id },
        } => Some(Subject::Note(*note_id)),
        R::GetDocument { document_id } | R::UpdateDocument { document_id, .. } => {
            Some(Subject::Document(*document_id))
        }
        R::RecordHistory {
            record: crate::protocol::HistoryRef::Document { id },
        } => Some(Subject::Document(*id)),
        _ => None,
    }
}
