//! The practice's own commands (status, set-up, unlocking, sessions,
//! backups), each declared once: its fields, the one answer it returns, the
//! guard it needs and the patient it concerns, next to the handler it runs.
//! Area commands live in their crates; two of them change the whole app as
//! well, so they run here: emergency access (the session gets access to
//! one patient) and saving the settings (the workstation's practice name).

use chartroom_admin::commands::UpdateSettings;
use chartroom_core::{Actor, Command, Guard, Permission, Secret, Subject};
use chartroom_patients::commands::EmergencyAccess;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jobs::JobView;
use crate::protocol::*;
use crate::registry::AppHandler;
use crate::session::{Emergency, EMERGENCY_MINUTES};
use crate::{practice, session, Chartroom, Result};

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

impl AppHandler for EmergencyAccess {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        let chart = app.in_ctx(actor, |ctx| {
            chartroom_patients::patients::emergency_access(ctx, &self.mrn, &self.reason)
        })?;
        let until = app.clock().now() + Duration::minutes(EMERGENCY_MINUTES);
        if let Some(s) = app.open_mut()?.session.as_mut() {
            s.emergency = Some(Emergency {
                patient_id: chart.patient.id,
                mrn: chart.patient.mrn.clone(),
                until,
            });
        }
        Ok(chart)
    }
}

impl AppHandler for UpdateSettings {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
        let saved = app.in_ctx(actor, |ctx| {
            chartroom_admin::admin::update_settings(ctx, &self.settings)
        })?;
        let open = app.open_mut()?;
        open.env.practice_name = saved.practice_name.clone();
        open.env.time_zone = chartroom_core::clock::parse_zone(&saved.time_zone);
        open.practice.name = saved.practice_name.clone();
        Ok(saved)
    }
}
