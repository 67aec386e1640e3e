//! Every command the UI (or any front end) can send, and what comes back.
//! This is the API boundary: these types are serialised to JSON and their
//! TypeScript twins are generated into `ui/src/bindings/`.

use chartroom_store::audit::{AuditFilter, ChainReport};
use chartroom_store::model::{
    AuditRecord, ObservationKind, Patient, PatientSummary, Role, Section, UserAccount,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::protocol_chart::*;

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

/// A request to the backend: one variant per command.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "cmd", rename_all = "snake_case")]
#[ts(export)]
pub enum Request {
    /// Where the app stands: set up? unlocked? who is logged in?
    Status,
    /// First run: create the encrypted database, its key and the first administrator.
    SetupPractice {
        practice_name: String,
        admin_username: String,
        admin_full_name: String,
        admin_password: String,
        /// Required when no OS keyring is available.
        passphrase: Option<String>,
    },
    /// Unlock the database key with the practice passphrase.
    UnlockWithPassphrase {
        passphrase: String,
    },
    /// Unlock with the recovery code; the key is then stored in the keyring
    /// again (or wrapped by `new_passphrase` when there is no keyring).
    UnlockWithRecovery {
        code: String,
        new_passphrase: Option<String>,
    },
    Login {
        username: String,
        password: String,
    },
    Logout,
    /// Lock the session now (the UI's inactivity timer, or the user).
    LockSession,
    /// Resume a locked session with the password.
    ResumeSession {
        password: String,
    },
    /// The user is active (typing in a form): keeps the session from locking.
    Heartbeat,
    ChangeOwnPassword {
        current_password: String,
        new_password: String,
    },
    SearchPatients {
        query: String,
        #[ts(type = "number")]
        limit: u32,
    },
    /// Open a chart. `from_search` carries the search that found it, which
    /// is audited once here rather than at every keystroke.
    OpenPatient {
        #[ts(type = "number")]
        patient_id: i64,
        from_search: Option<String>,
    },
    /// Patients who may be the same person, before registering.
    CheckDuplicates {
        patient: PatientInput,
    },
    /// Register; fails with the possible duplicates unless acknowledged.
    RegisterPatient {
        patient: PatientInput,
        acknowledge_duplicates: bool,
    },
    UpdatePatient {
        #[ts(type = "number")]
        patient_id: i64,
        #[ts(type = "number")]
        expected_version: i64,
        patient: PatientInput,
    },
    PatientHistory {
        #[ts(type = "number")]
        patient_id: i64,
    },
    /// Break the glass: see one patient's chart outside one's role, with a reason.
    EmergencyAccess {
        mrn: String,
        reason: String,
    },
    ListUsers,
    /// Names of users, for filters (audit report).
    ListUserNames,
    CreateUser {
        username: String,
        full_name: String,
        credentials: String,
        password: String,
        roles: Vec<Role>,
        can_emergency_access: bool,
    },
    UpdateUser {
        #[ts(type = "number")]
        user_id: i64,
        full_name: String,
        credentials: String,
        roles: Vec<Role>,
        can_emergency_access: bool,
    },
    SetUserDisabled {
        #[ts(type = "number")]
        user_id: i64,
        disabled: bool,
    },
    ResetPassword {
        #[ts(type = "number")]
        user_id: i64,
        new_password: String,
    },
    GetSettings,
    UpdateSettings {
        settings: Settings,
    },
    VerifyAudit,
    AuditReport {
        filter: AuditFilter,
    },
    /// The chart's first screen.
    ChartSummary {
        #[ts(type = "number")]
        patient_id: i64,
    },
    /// Every entry of one section, entered-in-error ones included.
    ListEntries {
        #[ts(type = "number")]
        patient_id: i64,
        section: Section,
    },
    /// Adds (`entry_id` null) or edits an entry. Medications, allergies and
    /// prescriptions run the safety checks; with findings the answer is
    /// `needs_override` unless `override_reason` is given.
    SaveEntry {
        #[ts(type = "number")]
        patient_id: i64,
        #[ts(type = "number | null")]
        entry_id: Option<i64>,
        #[ts(type = "number")]
        expected_version: i64,
        entry: EntryInput,
        override_reason: Option<String>,
    },
    /// "Still taking?" for a medication: yes keeps it active, no stops it.
    ReconcileMedication {
        #[ts(type = "number")]
        entry_id: i64,
        #[ts(type = "number")]
        expected_version: i64,
        still_taking: bool,
        note: String,
    },
    /// Every saved state of an entry.
    EntryHistory {
        #[ts(type = "number")]
        entry_id: i64,
    },
    /// Retracts a clinical record with a reason; it stays readable.
    MarkEnteredInError {
        record: RecordRef,
        reason: String,
    },
    /// ICD-10-CM search for the problem list.
    SearchCodes {
        query: String,
        #[ts(type = "number")]
        limit: u32,
    },
    /// Pickers' lists: vaccines, lab tests, drug names, vital signs.
    GetReferenceData,
    /// Runs the allergy and interaction checks for a drug.
    CheckDrug {
        #[ts(type = "number")]
        patient_id: i64,
        drug: String,
    },
    RecordVitals {
        #[ts(type = "number")]
        patient_id: i64,
        vitals: VitalsInput,
    },
    /// Records a lab result; with `replaces`, corrects an earlier one.
    RecordLab {
        #[ts(type = "number")]
        patient_id: i64,
        lab: LabInput,
        #[ts(type = "number | null")]
        replaces: Option<i64>,
    },
    ListObservations {
        #[ts(type = "number")]
        patient_id: i64,
        kind: ObservationKind,
    },
    /// Values of some codes over time (one query), with their ranges.
    Trend {
        #[ts(type = "number")]
        patient_id: i64,
        codes: Vec<String>,
        /// `YYYY-MM-DD`; empty for no bound.
        from: String,
        to: String,
    },
    /// Opens a visit and its draft note, from a template if given.
    StartEncounter {
        #[ts(type = "number")]
        patient_id: i64,
        date: String,
        kind: String,
        reason: String,
        #[ts(type = "number | null")]
        template_id: Option<i64>,
    },
    ListNotes {
        #[ts(type = "number")]
        patient_id: i64,
    },
    GetNote {
        #[ts(type = "number")]
        note_id: i64,
    },
    /// Autosave of a draft.
    SaveNoteDraft {
        #[ts(type = "number")]
        note_id: i64,
        #[ts(type = "number")]
        expected_version: i64,
        body: NoteBody,
    },
    /// Signs and locks a draft; the password is asked again.
    SignNote {
        #[ts(type = "number")]
        note_id: i64,
        #[ts(type = "number")]
        expected_version: i64,
        password: String,
    },
    /// Adds a signed addendum to a signed note.
    AddAddendum {
        #[ts(type = "number")]
        note_id: i64,
        text: String,
        password: String,
    },
    ListTemplates,
    SaveTemplate {
        #[ts(type = "number | null")]
        template_id: Option<i64>,
        #[ts(type = "number")]
        expected_version: i64,
        name: String,
        body: NoteBody,
        active: bool,
    },
    AttachDocument {
        #[ts(type = "number")]
        patient_id: i64,
        file_name: String,
        mime: String,
        data_base64: String,
        category: String,
        doc_date: String,
        description: String,
    },
    ListDocuments {
        #[ts(type = "number")]
        patient_id: i64,
    },
    GetDocument {
        #[ts(type = "number")]
        document_id: i64,
    },
    /// Prints a prescription to a PDF in the practice's export folder; the
    /// print is recorded as a disclosure.
    PrintPrescription {
        #[ts(type = "number")]
        entry_id: i64,
    },
    ListDisclosures {
        #[ts(type = "number")]
        patient_id: i64,
    },
    /// Corrects a visit's date, type or reason while its note is a draft
    /// (after signing, an addendum says what was wrong).
    UpdateVisit {
        #[ts(type = "number")]
        note_id: i64,
        /// The visit's version (`NoteView.encounter_version`).
        #[ts(type = "number")]
        expected_version: i64,
        date: String,
        kind: String,
        reason: String,
    },
    /// Corrects a document's category, date or description.
    UpdateDocument {
        #[ts(type = "number")]
        document_id: i64,
        #[ts(type = "number")]
        expected_version: i64,
        category: String,
        doc_date: String,
        description: String,
    },
    /// The replaced states of a visit's or document's description.
    RecordHistory {
        record: HistoryRef,
    },
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
}

/// A previous version of a patient's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientVersion {
    pub patient: Patient,
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
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

/// What the backend answers: one variant per kind of result.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
#[ts(export)]
pub enum Response {
    Done,
    Status(AppStatus),
    Setup(SetupResult),
    Session(SessionInfo),
    Patients(Vec<PatientSummary>),
    Chart(PatientChart),
    Registered(RegisterOutcome),
    History(Vec<PatientVersion>),
    Users(Vec<UserAccount>),
    UserNames(Vec<UserName>),
    User(UserAccount),
    Settings(Settings),
    AuditChain(ChainReport),
    Audit(Vec<AuditRecord>),
    ChartSummary(ChartSummary),
    Entries(Vec<ChartEntry>),
    Entry(ChartEntry),
    EntrySaved(SaveOutcome),
    EntryHistory(Vec<EntryVersionView>),
    Codes(Vec<chartroom_codes::CodeHit>),
    Reference(ReferenceData),
    DrugCheck(DrugCheck),
    Observations(Vec<ObservationView>),
    Trend(Vec<TrendSeries>),
    Notes(Vec<NoteSummary>),
    Note(NoteView),
    Templates(Vec<NoteTemplate>),
    Documents(Vec<DocumentView>),
    Document(DocumentContent),
    Printed(PrintedFile),
    Disclosures(Vec<chartroom_store::chart::Disclosure>),
    RecordHistory(Vec<RecordVersion>),
}
