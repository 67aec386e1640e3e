//! The practice's own commands (status, set-up, unlocking, sessions), and
//! for now patients and administration, each declared once: its fields, the
//! one answer it returns, the guard it needs and the patient it concerns,
//! next to the handler it runs. Area commands live in their crates.

use chartroom_core::{Actor, Command, Guard, Permission, Secret, Subject};
use chartroom_store::audit::ChainReport;
use chartroom_store::model::{AuditRecord, PatientSummary, Role, UserAccount};
use chartroom_types::{PatientId, UserId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jobs::JobView;
use crate::protocol::*;
use crate::registry::AppHandler;
use crate::{admin, patients, practice, session, Chartroom, Result};

/// Where the app stands: set up? unlocked? who is logged in?
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Status {}

impl Command for Status {
    type Answer = AppStatus;
    const GUARD: Guard = Guard::Public;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for Status {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        Ok(app.status())
    }
}

/// First run: create the encrypted database, its key and the first administrator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupPractice {
    pub practice_name: String,
    pub admin_username: String,
    pub admin_full_name: String,
    pub admin_password: Secret,
    /// Required when no OS keyring is available.
    pub passphrase: Option<Secret>,
}

impl Command for SetupPractice {
    type Answer = SetupResult;
    const GUARD: Guard = Guard::Public;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for SetupPractice {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        practice::setup(
            app,
            &self.practice_name,
            &self.admin_username,
            &self.admin_full_name,
            &self.admin_password,
            self.passphrase.as_deref(),
        )
    }
}

/// Unlock the database key with the practice passphrase.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnlockWithPassphrase {
    pub passphrase: Secret,
}

impl Command for UnlockWithPassphrase {
    type Answer = AppStatus;
    const GUARD: Guard = Guard::Public;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for UnlockWithPassphrase {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        practice::unlock_with_passphrase(app, &self.passphrase)?;
        Ok(app.status())
    }
}

/// Unlock with the recovery code; the key is then stored in the keyring
/// again (or wrapped by `new_passphrase` when there is no keyring).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnlockWithRecovery {
    pub code: Secret,
    pub new_passphrase: Option<Secret>,
}

impl Command for UnlockWithRecovery {
    type Answer = AppStatus;
    const GUARD: Guard = Guard::Public;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for UnlockWithRecovery {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        practice::unlock_with_recovery(app, &self.code, self.new_passphrase.as_deref())?;
        Ok(app.status())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Login {
    pub username: String,
    pub password: Secret,
}

impl Command for Login {
    type Answer = SessionInfo;
    const GUARD: Guard = Guard::Public;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for Login {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        session::login(app, &self.username, &self.password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Logout {}

impl Command for Logout {
    type Answer = ();
    const GUARD: Guard = Guard::AnySession;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for Logout {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        session::logout(app, actor)
    }
}

/// Lock the session now (the UI's inactivity timer, or the user).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockSession {}

impl Command for LockSession {
    type Answer = ();
    const GUARD: Guard = Guard::AnySession;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for LockSession {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        session::lock(app, actor)
    }
}

/// Resume a locked session with the password.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResumeSession {
    pub password: Secret,
}

impl Command for ResumeSession {
    type Answer = SessionInfo;
    const GUARD: Guard = Guard::AnySession;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for ResumeSession {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        session::resume(app, actor, &self.password)
    }
}

/// The user is active (typing in a form): keeps the session from locking.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Heartbeat {}

impl Command for Heartbeat {
    type Answer = ();
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for Heartbeat {
    fn run_app(self, _app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeOwnPassword {
    pub current_password: Secret,
    pub new_password: Secret,
}

impl Command for ChangeOwnPassword {
    type Answer = ();
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for ChangeOwnPassword {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::change_own_password(app, actor, &self.current_password, &self.new_password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchPatients {
    pub query: String,
    #[ts(type = "number")]
    pub limit: u32,
}

impl Command for SearchPatients {
    type Answer = Vec<PatientSummary>;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for SearchPatients {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        patients::search(app, &self.query, self.limit)
    }
}

/// Open a chart. `from_search` carries the search that found it, which
/// is audited once here rather than at every keystroke.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenPatient {
    pub patient_id: PatientId,
    pub from_search: Option<String>,
}

impl Command for OpenPatient {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl AppHandler for OpenPatient {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::open(app, actor, self.patient_id, self.from_search.as_deref())
    }
}

/// Patients who may be the same person, before registering.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckDuplicates {
    pub patient: PatientInput,
}

impl Command for CheckDuplicates {
    type Answer = Vec<PatientSummary>;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for CheckDuplicates {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::check_duplicates(app, actor, &self.patient)
    }
}

/// Register; fails with the possible duplicates unless acknowledged.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterPatient {
    pub patient: PatientInput,
    pub acknowledge_duplicates: bool,
}

impl Command for RegisterPatient {
    type Answer = RegisterOutcome;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for RegisterPatient {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::register(app, actor, &self.patient, self.acknowledge_duplicates)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdatePatient {
    pub patient_id: PatientId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub patient: PatientInput,
}

impl Command for UpdatePatient {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl AppHandler for UpdatePatient {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::update(
            app,
            actor,
            self.patient_id,
            self.expected_version,
            &self.patient,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientHistory {
    pub patient_id: PatientId,
}

impl Command for PatientHistory {
    type Answer = Vec<PatientVersion>;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl AppHandler for PatientHistory {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::history(app, actor, self.patient_id)
    }
}

/// Break the glass: see one patient's chart outside one's role, with a reason.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmergencyAccess {
    pub mrn: String,
    pub reason: String,
}

impl Command for EmergencyAccess {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::EmergencyAuthorised;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for EmergencyAccess {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        patients::emergency_access(app, actor, &self.mrn, &self.reason)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListUsers {}

impl Command for ListUsers {
    type Answer = Vec<UserAccount>;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for ListUsers {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        admin::list_users(app)
    }
}

/// Names of users, for filters (audit report).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListUserNames {}

impl Command for ListUserNames {
    type Answer = Vec<UserName>;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for ListUserNames {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        admin::list_user_names(app)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateUser {
    pub username: String,
    pub full_name: String,
    pub credentials: String,
    pub password: Secret,
    pub roles: Vec<Role>,
    pub can_emergency_access: bool,
}

impl Command for CreateUser {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for CreateUser {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::create_user(
            app,
            actor,
            &admin::UserForm {
                username: &self.username,
                full_name: &self.full_name,
                credentials: &self.credentials,
                roles: &self.roles,
                can_emergency_access: self.can_emergency_access,
            },
            &self.password,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateUser {
    pub user_id: UserId,
    pub full_name: String,
    pub credentials: String,
    pub roles: Vec<Role>,
    pub can_emergency_access: bool,
}

impl Command for UpdateUser {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for UpdateUser {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::update_user(
            app,
            actor,
            self.user_id,
            &admin::UserForm {
                username: "",
                full_name: &self.full_name,
                credentials: &self.credentials,
                roles: &self.roles,
                can_emergency_access: self.can_emergency_access,
            },
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetUserDisabled {
    pub user_id: UserId,
    pub disabled: bool,
}

impl Command for SetUserDisabled {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for SetUserDisabled {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::set_disabled(app, actor, self.user_id, self.disabled)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResetPassword {
    pub user_id: UserId,
    pub new_password: Secret,
}

impl Command for ResetPassword {
    type Answer = ();
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for ResetPassword {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::reset_password(app, actor, self.user_id, &self.new_password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetSettings {}

impl Command for GetSettings {
    type Answer = Settings;
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for GetSettings {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        admin::get_settings(app)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateSettings {
    pub settings: Settings,
}

impl Command for UpdateSettings {
    type Answer = Settings;
    const GUARD: Guard = Guard::Needs(Permission::SettingsAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for UpdateSettings {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::update_settings(app, actor, &self.settings)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyAudit {}

impl Command for VerifyAudit {
    type Answer = ChainReport;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for VerifyAudit {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::verify_audit(app, actor)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditReport {
    pub filter: AuditQuery,
}

impl Command for AuditReport {
    type Answer = Vec<AuditRecord>;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for AuditReport {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        admin::audit_report(app, actor, &self.filter)
    }
}

/// Starts an encrypted backup into `folder` in the background; the answer
/// comes at once, with the job to follow (`JobStatus`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StartBackup {
    /// An existing folder, full path (a USB drive, for example).
    pub folder: String,
}

impl Command for StartBackup {
    type Answer = JobView;
    const GUARD: Guard = Guard::Needs(Permission::SettingsAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for StartBackup {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        app.start_backup(actor, &self.folder)
    }
}

/// Where a background job stands.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JobStatus {
    #[ts(type = "number")]
    pub job_id: u64,
}

impl Command for JobStatus {
    type Answer = JobView;
    const GUARD: Guard = Guard::Needs(Permission::SettingsAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl AppHandler for JobStatus {
    fn run_app(self, app: &mut Chartroom, _actor: &Actor) -> Result<Self::Answer> {
        app.job(self.job_id)
    }
}
