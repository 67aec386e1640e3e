//! Chartroom's one API. The desktop shell, the `chartroom` CLI and the tests
//! all drive the practice through [`Chartroom::run`] (typed: a command in,
//! its one answer out) or [`Chartroom::handle`] (a wire [`Request`] in, its
//! answer as JSON out), failing with an [`ApiError`].
//!
//! A request goes: guard (the command's declared [`Guard`]: session, idle
//! lock, permission, emergency scope by the command's subject) -> handler
//! (validation, then one store transaction that writes the change and its
//! audit record together) -> the answer.
//!
//! This crate composes: [`registry`] lists every command once;
//! [`commands`] declares the practice's own commands; session, practice
//! set-up and unlocking ([`practice`]), backup and restore, dispatch and the
//! wire errors live here. The areas are crates of their own: the clinical
//! chart `chartroom-chart`, patients `chartroom-patients`, administration
//! `chartroom-admin`; what every area shares is `chartroom-core`. The
//! synthetic demo practice is `chartroom-demo`, run here in a context.

#![forbid(unsafe_code)]

pub mod commands;
mod error;
pub mod jobs;
pub mod permissions;
pub mod practice;
pub mod protocol;
pub mod registry;
mod session;

use chartroom_types::PatientId;
use std::path::PathBuf;
use std::sync::Arc;

use chartroom_core::{Ctx, Env, Subject};
use chartroom_keys::{DbKey, KdfParams, KeyFile, KeyStore};
use chartroom_store::audit::{self, AuditEvent};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::settings::Practice;
use chartroom_store::Store;
use chrono::{DateTime, Utc};

pub use chartroom_chart::{reference, vitals};
pub use chartroom_core::{clock, Actor, Error, FieldError, FieldErrors, Secret};
pub use chartroom_core::{Clock, FixedClock, Guard, Permission, SystemClock};
pub use error::{ApiError, ErrorCode, WireError};
pub use registry::{CommandName, Request, Routed};

use protocol::{AppStatus, KeyringStatus, Phase};
use session::Session;

/// Result alias for API calls.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// Where the practice lives and how keys are kept.
pub struct Config {
    /// Folder holding `chartroom.db` and `chartroom.key`.
    pub data_dir: PathBuf,
    /// The OS keyring, or `None` where there is none (passphrase mode).
    pub keystore: Option<Arc<dyn KeyStore>>,
    /// Why there is no keyring, shown to the user.
    pub keyring_detail: String,
    /// Argon2id cost for wrapping the key.
    pub kdf: KdfParams,
    /// Overrides the idle-lock setting (seconds); end-to-end tests use it.
    pub idle_lock_override_secs: Option<u64>,
    /// Where printed PDFs go unless the practice chose a folder.
    pub export_dir: PathBuf,
}

impl Config {
    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("chartroom.db")
    }
    /// The key file beside it.
    pub fn key_path(&self) -> PathBuf {
        self.data_dir.join("chartroom.key")
    }
    /// Failed unlocks not yet in the audit log (which cannot be written
    /// without the key): times and methods only, moved into the log at the
    /// next unlock.
    pub fn failed_unlocks_path(&self) -> PathBuf {
        self.data_dir.join("chartroom.failed-unlocks")
    }
}

/// The unlocked practice.
pub(crate) struct Open {
    pub store: Store,
    pub key: DbKey,
    pub key_file: KeyFile,
    pub practice: Practice,
    /// What area commands may know of the workstation.
    pub env: Env,
    pub session: Option<Session>,
}

/// One practice, as one workstation sees it.
pub struct Chartroom {
    cfg: Config,
    clock: Arc<dyn Clock>,
    open: Option<Open>,
    /// The key file, once read (also before unlocking).
    key_file: Option<KeyFile>,
    /// Why the database is not open, when it is not.
    problem: Option<ApiError>,
    /// Background jobs (backups) of this run of the app.
    jobs: jobs::Jobs,
}

impl Chartroom {
    /// Starts on `cfg.data_dir`: opens the database straight away when the
    /// keyring holds its key. Never fails: problems show in [`Request::Status`].
    pub fn start(cfg: Config, clock: Arc<dyn Clock>) -> Chartroom {
        let mut app = Chartroom {
            cfg,
            clock,
            open: None,
            key_file: None,
            problem: None,
            jobs: jobs::Jobs::default(),
        };
        app.problem = practice::auto_open(&mut app).err();
        app
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Guards and runs one command, typed: the CLI and the tests call this.
    /// A refusal (by the guard or by the handler's own rule) is recorded in
    /// a transaction of its own; the refused command's rolled back.
    pub fn run<C: Routed>(&mut self, cmd: C) -> Result<C::Answer> {
        let (actor, patient) = match C::GUARD {
            Guard::Public => (Actor::default(), None),
            guard => {
                // An unknown record is reported by its handler, after the guard.
                let patient = self.patient_of(cmd.subject()).unwrap_or(None);
                match self.authorize(guard, patient) {
                    Ok(actor) => (actor, patient),
                    Err(e) => {
                        let actor = self.session_actor();
                        return Err(self.refused::<C>(actor, patient, e));
                    }
                }
            }
        };
        match cmd.route(self, &actor) {
            Ok(answer) => Ok(answer),
            Err(e) => Err(self.refused::<C>(Some(actor), patient, e)),
        }
    }

    /// The session's user, if there is a session.
    fn session_actor(&self) -> Option<Actor> {
        self.open
            .as_ref()
            .and_then(|o| o.session.as_ref())
            .map(|s| s.actor(false))
    }

    /// Records `e` in the audit log when it refuses the user something (a
    /// missing permission, a locked session, another author's draft), and
    /// gives it back. Other errors pass through unrecorded.
    fn refused<C>(
        &mut self,
        actor: Option<Actor>,
        patient: Option<PatientId>,
        e: ApiError,
    ) -> ApiError {
        let refusal = matches!(
            e,
            ApiError::Core(Error::PermissionDenied(_)) | ApiError::Core(Error::SessionLocked)
        );
        let (Some(actor), true) = (actor.filter(|a| a.user_id.is_some()), refusal) else {
            return e;
        };
        let command = std::any::type_name::<C>()
            .rsplit("::")
            .next()
            .unwrap_or("?");
        let now = self.clock.now();
        let Some(open) = self.open.as_mut() else {
            return e;
        };
        // If even the record cannot be written, the command stays refused.
        let _ = audit_in(
            &mut open.store,
            now,
            actor.event(
                AuditAction::Refused,
                DataCategory::Security,
                patient,
                "",
                format!("{command} refused: {e}"),
            ),
        );
        e
    }

    /// Handles one request from the wire: guards and runs it, and answers
    /// with its result as JSON (the desktop shell calls this).
    pub fn handle(&mut self, req: Request) -> Result<serde_json::Value> {
        req.dispatch(self)
    }

    /// Runs an area's handler in a context for `actor`.
    pub(crate) fn in_ctx<T>(
        &mut self,
        actor: &Actor,
        f: impl FnOnce(&mut Ctx<'_>) -> chartroom_core::Result<T>,
    ) -> Result<T> {
        let clock = self.clock.clone();
        let open = self.open_mut()?;
        let mut ctx = Ctx::new(&mut open.store, &*clock, actor, &open.env);
        Ok(f(&mut ctx)?)
    }

    /// Starts an encrypted backup into `folder` on a thread of its own.
    pub(crate) fn start_backup(&mut self, actor: &Actor, folder: &str) -> Result<jobs::JobView> {
        let folder = jobs::backup_folder(folder)?;
        let stamp = self.clock.now().format("%Y-%m-%d-%H%M%SZ").to_string();
        let out = folder.join(jobs::backup_file_name(&stamp));
        let db_path = self.cfg.db_path();
        let data_dir = self.cfg.data_dir.clone();
        let clock = self.clock.clone();
        let open = self.open_mut()?;
        let job = jobs::BackupJob {
            db_path,
            data_dir,
            key: open.key.clone(),
            key_file: open.key_file.clone(),
            out,
            actor: actor.clone(),
            clock,
        };
        jobs::start_backup(&mut self.jobs, job)
    }

    /// Adds `count` synthetic patients (`chartroom-demo`). Needs the
    /// practice unlocked and a user.
    pub fn add_demo_patients(
        &mut self,
        count: usize,
        seed: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        use chartroom_demo::DemoPatients;
        self.in_ctx(&Actor::system("demo-generator"), |ctx| {
            ctx.add_demo_patients(count, seed, progress)
        })
    }

    /// Fills the practice's calendars' past (`chartroom-demo`, for the
    /// scheduling benchmark); how many appointments were written.
    pub fn add_demo_schedule_history(
        &mut self,
        spec: &chartroom_demo::HistorySpec,
    ) -> Result<usize> {
        use chartroom_demo::DemoScheduleHistory;
        self.in_ctx(&Actor::system("demo-generator"), |ctx| {
            ctx.add_demo_schedule_history(spec)
        })
    }

    /// Writes years of synthetic billing (`chartroom-demo`'s billing
    /// history) for the billing benchmark.
    pub fn add_demo_billing_history(
        &mut self,
        spec: &chartroom_demo::BillingSpec,
    ) -> Result<chartroom_demo::BillingCounts> {
        use chartroom_demo::DemoBillingHistory;
        self.in_ctx(&Actor::system("demo-generator"), |ctx| {
            ctx.add_demo_billing_history(spec)
        })
    }

    /// Gives `patient_id` a synthetic clinical history (`chartroom-demo`).
    /// Needs the practice unlocked and a clinician.
    pub fn add_demo_chart(
        &mut self,
        patient_id: PatientId,
        size: chartroom_demo::ChartSize,
        seed: u64,
    ) -> Result<()> {
        use chartroom_demo::DemoChart;
        self.in_ctx(&Actor::system("demo-generator"), |ctx| {
            ctx.add_demo_chart(patient_id, size, seed)
        })
    }

    /// A background job's state.
    pub(crate) fn job(&self, id: u64) -> Result<jobs::JobView> {
        self.jobs
            .view(id)
            .ok_or_else(|| ApiError::field("job_id", "There is no such job"))
    }

    /// The patient a request's subject belongs to (for emergency scoping).
    fn patient_of(&mut self, subject: Subject) -> Result<Option<PatientId>> {
        use Subject as S;
        let Some(open) = self.open.as_ref() else {
            return Ok(None);
        };
        let conn = open.store.read();
        Ok(Some(match subject {
            S::None => return Ok(None),
            S::Patient(id) => id,
            S::Observation(id) => chartroom_store::observations::get(conn, id)?.patient_id,
            S::Entry(id) => chartroom_store::chart::get_entry(conn, id)?.patient_id,
            S::Note(id) => chartroom_store::notes::get_note(conn, id)?.patient_id,
            S::Document(id) => chartroom_store::documents::get(conn, id)?.patient_id,
            S::Appointment(id) => chartroom_store::scheduling::patient_of(conn, id)?,
            S::WaitlistEntry(id) => {
                chartroom_store::scheduling::waitlist_entry(conn, id)?
                    .fields
                    .patient_id
            }
            S::Recall(id) => {
                chartroom_store::scheduling::recall(conn, id)?
                    .fields
                    .patient_id
            }
            S::Charge(id) => {
                chartroom_store::billing::charge(conn, id)?
                    .fields
                    .patient_id
            }
            S::Payment(id) => match chartroom_store::billing::payment(conn, id)?
                .fields
                .patient_id
            {
                Some(p) => p,
                None => return Ok(None),
            },
            S::Claim(id) => chartroom_store::claims::claim(conn, id)?.fields.patient_id,
        }))
    }

    /// The open practice, or why there is none.
    pub(crate) fn open_mut(&mut self) -> Result<&mut Open> {
        if self.open.is_none() {
            return Err(match self.phase() {
                Phase::NeedsSetup => ApiError::NeedsSetup,
                Phase::NeedsUnlock => ApiError::NeedsUnlock,
                _ => ApiError::BadState(
                    self.problem
                        .as_ref()
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "the database is not open".into()),
                ),
            });
        }
        self.open
            .as_mut()
            .ok_or_else(|| ApiError::internal("database not open"))
    }

    /// Runs `f` in a store transaction and commits on `Ok`.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&chartroom_store::Tx<'_>, DateTime<Utc>) -> Result<T>,
    ) -> Result<T> {
        let now = self.clock.now();
        self.open_mut()?.store.write(|tx| f(tx, now))
    }

    /// Appends one audit record in its own transaction.
    pub(crate) fn audit(&mut self, ev: AuditEvent) -> Result<()> {
        self.write(|tx, now| {
            audit::append(tx, now, &ev)?;
            Ok(())
        })
    }

    fn phase(&self) -> Phase {
        match &self.open {
            Some(o) => match &o.session {
                None => Phase::LoggedOut,
                Some(s) if s.locked => Phase::Locked,
                Some(_) => Phase::Active,
            },
            None => {
                let db = self.cfg.db_path().exists();
                let key = self.cfg.key_path().exists();
                if !db && !key {
                    Phase::NeedsSetup
                } else if matches!(self.problem, Some(ApiError::NeedsUnlock)) {
                    Phase::NeedsUnlock
                } else {
                    Phase::CannotOpen
                }
            }
        }
    }

    /// Where the app stands.
    pub fn status(&self) -> AppStatus {
        let phase = self.phase();
        let problem = match (&phase, &self.problem) {
            (Phase::CannotOpen, Some(p)) => Some(p.to_wire()),
            (Phase::NeedsUnlock, Some(p)) if !matches!(p, ApiError::NeedsUnlock) => {
                Some(p.to_wire())
            }
            _ => None,
        };
        AppStatus {
            phase,
            practice_name: self.open.as_ref().map(|o| o.practice.name.clone()),
            keyring: KeyringStatus {
                available: self.cfg.keystore.is_some(),
                detail: match &self.cfg.keystore {
                    Some(k) => k.name().to_string(),
                    None => self.cfg.keyring_detail.clone(),
                },
            },
            passphrase_set: self
                .key_file
                .as_ref()
                .map(|k| k.has_passphrase())
                .unwrap_or(false),
            data_dir: self.cfg.data_dir.display().to_string(),
            session: self
                .open
                .as_ref()
                .and_then(|o| o.session.as_ref())
                .map(|s| s.info(self.idle_lock_secs())),
            problem,
        }
    }

    /// Seconds of inactivity before a session locks.
    pub(crate) fn idle_lock_secs(&self) -> u64 {
        if let Some(s) = self.cfg.idle_lock_override_secs {
            return s;
        }
        self.open
            .as_ref()
            .map(|o| chartroom_admin::admin::idle_lock_minutes(o.store.read()) as u64 * 60)
            .unwrap_or(600)
    }

    /// Checks the session and permission for a guarded request.
    fn authorize(&mut self, guard: Guard, patient: Option<PatientId>) -> Result<Actor> {
        let idle = self.idle_lock_secs();
        let now = self.clock.now();
        let open = self.open_mut()?;
        let Some(s) = open.session.as_mut() else {
            return Err(Error::NotLoggedIn.into());
        };
        // Lock a session that has been idle too long, and say so in the log.
        if !s.locked && (now - s.last_activity).num_seconds() >= idle as i64 {
            s.locked = true;
            let actor = s.actor(false);
            audit_in(
                &mut open.store,
                now,
                actor.event(
                    AuditAction::Lock,
                    DataCategory::Security,
                    None,
                    "",
                    "locked after inactivity",
                ),
            )?;
        }
        if let Some(e) = &s.emergency {
            if e.until <= now {
                s.emergency = None;
            }
        }
        let mut actor = s.actor(false);
        match guard {
            Guard::Public | Guard::AnySession => return Ok(actor),
            _ if s.locked => return Err(Error::SessionLocked.into()),
            Guard::Active => {}
            Guard::EmergencyAuthorised => {
                if !s.user.can_emergency_access {
                    return Err(Error::PermissionDenied(
                        "this account is not authorised for emergency access".into(),
                    )
                    .into());
                }
            }
            Guard::Needs(p) => {
                if !s.permissions.contains(&p) {
                    let emergency_ok =
                        matches!(p, Permission::PatientRead | Permission::ClinicalRead)
                            && patient.is_some()
                            && s.emergency.as_ref().map(|e| e.patient_id) == patient;
                    if !emergency_ok {
                        return Err(Error::PermissionDenied(format!(
                            "it needs the {p:?} permission"
                        ))
                        .into());
                    }
                    actor.emergency = true;
                }
            }
        }
        s.last_activity = now;
        Ok(actor)
    }
}

/// Appends an audit record in its own transaction on `store`.
pub(crate) fn audit_in(store: &mut Store, now: DateTime<Utc>, ev: AuditEvent) -> Result<()> {
    store.write(|tx| {
        audit::append(tx, now, &ev)?;
        Ok::<_, ApiError>(())
    })
}
