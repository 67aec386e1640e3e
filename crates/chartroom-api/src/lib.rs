//! Chartroom's one API. The desktop shell, the `chartroom` CLI and the tests
//! all drive the practice through [`Chartroom::handle`], which takes a
//! [`Request`] and returns a [`Response`] or an [`ApiError`].
//!
//! A request goes: guard ([`permissions::required`]: session, idle lock,
//! permission) -> handler (validation, then one store transaction that
//! writes the change and its audit record together) -> response DTO.
//!
//! Modules: [`protocol`] (the request and response types, exported to
//! TypeScript), [`permissions`] (roles and guards), [`clock`] (the injected
//! time), [`validate`] (form rules), [`practice`] (set-up, unlocking, backup,
//! restore), [`demo`] (a synthetic practice), [`vitals`] (units and
//! plausibility of vital signs). Session, patient, administration and
//! clinical handlers (`chart`, `measurements`, `notes`, `documents`,
//! `prescriptions`) live in private modules; `reference` loads the offline
//! code sets and drug knowledge once.

#![forbid(unsafe_code)]

mod admin;
mod chart;
pub mod clock;
pub mod demo;
pub mod demo_chart;
mod documents;
mod error;
mod measurements;
mod notes;
mod patients;
pub mod permissions;
pub mod practice;
mod prescriptions;
pub mod protocol;
mod protocol_chart;
mod reference;
mod session;
pub mod validate;
pub mod vitals;

use std::path::PathBuf;
use std::sync::Arc;

use chartroom_keys::{DbKey, KdfParams, KeyFile, KeyStore};
use chartroom_store::audit::{self, AuditEvent};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::settings::Practice;
use chartroom_store::Store;
use chrono::{DateTime, Utc};

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ApiError, ErrorCode, FieldError, FieldErrors, WireError};
pub use permissions::Permission;
pub use protocol::{Request, Response};

use permissions::Guard;
use protocol::{AppStatus, KeyringStatus, Phase, RecordRef};
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
}

/// The unlocked practice.
pub(crate) struct Open {
    pub store: Store,
    pub key: DbKey,
    pub key_file: KeyFile,
    pub practice: Practice,
    pub session: Option<Session>,
}

/// Who is acting, for audit records.
#[derive(Debug, Clone, Default)]
pub(crate) struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    /// Acting under emergency access.
    pub emergency: bool,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            username: name.to_string(),
            emergency: false,
        }
    }

    /// An audit event by this actor.
    pub fn event(
        &self,
        action: AuditAction,
        category: DataCategory,
        patient_id: Option<i64>,
        record_id: impl Into<String>,
        detail: impl Into<String>,
    ) -> AuditEvent {
        AuditEvent {
            user_id: self.user_id,
            username: self.username.clone(),
            patient_id,
            action: Some(action),
            category: Some(category),
            record_id: record_id.into(),
            detail: detail.into(),
            emergency: self.emergency,
        }
    }
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

    /// Handles one request: checks the guard, then runs the command.
    pub fn handle(&mut self, req: Request) -> Result<Response> {
        let guard = permissions::required(&req);
        let actor = match guard {
            Guard::Public => Actor::default(),
            _ => {
                let patient = match permissions::subject_of(&req) {
                    // An unknown record is reported by its handler, after the guard.
                    Some(subject) => self.patient_of(subject).unwrap_or(None),
                    None => None,
                };
                self.authorize(guard, patient)?
            }
        };
        use Request as R;
        match req {
            R::Status => Ok(Response::Status(self.status())),
            R::SetupPractice {
                practice_name,
                admin_username,
                admin_full_name,
                admin_password,
                passphrase,
            } => practice::setup(
                self,
                &practice_name,
                &admin_username,
                &admin_full_name,
                &admin_password,
                passphrase.as_deref(),
            )
            .map(Response::Setup),
            R::UnlockWithPassphrase { passphrase } => {
                practice::unlock_with_passphrase(self, &passphrase)?;
                Ok(Response::Status(self.status()))
            }
            R::UnlockWithRecovery {
                code,
                new_passphrase,
            } => {
                practice::unlock_with_recovery(self, &code, new_passphrase.as_deref())?;
                Ok(Response::Status(self.status()))
            }
            R::Login { username, password } => {
                session::login(self, &username, &password).map(Response::Session)
            }
            R::Logout => session::logout(self, &actor).map(|_| Response::Done),
            R::LockSession => session::lock(self, &actor).map(|_| Response::Done),
            R::ResumeSession { password } => {
                session::resume(self, &actor, &password).map(Response::Session)
            }
            R::Heartbeat => Ok(Response::Done),
            R::ChangeOwnPassword {
                current_password,
                new_password,
            } => admin::change_own_password(self, &actor, &current_password, &new_password)
                .map(|_| Response::Done),
            R::SearchPatients { query, limit } => {
                patients::search(self, &query, limit).map(Response::Patients)
            }
            R::OpenPatient {
                patient_id,
                from_search,
            } => patients::open(self, &actor, patient_id, from_search.as_deref())
                .map(Response::Chart),
            R::CheckDuplicates { patient } => {
                patients::check_duplicates(self, &actor, &patient).map(Response::Patients)
            }
            R::RegisterPatient {
                patient,
                acknowledge_duplicates,
            } => patients::register(self, &actor, &patient, acknowledge_duplicates)
                .map(Response::Registered),
            R::UpdatePatient {
                patient_id,
                expected_version,
                patient,
            } => patients::update(self, &actor, patient_id, expected_version, &patient)
                .map(Response::Chart),
            R::PatientHistory { patient_id } => {
                patients::history(self, &actor, patient_id).map(Response::History)
            }
            R::EmergencyAccess { mrn, reason } => {
                patients::emergency_access(self, &actor, &mrn, &reason).map(Response::Chart)
            }
            R::ListUsers => admin::list_users(self).map(Response::Users),
            R::ListUserNames => admin::list_user_names(self).map(Response::UserNames),
            R::CreateUser {
                username,
                full_name,
                credentials,
                password,
                roles,
                can_emergency_access,
            } => admin::create_user(
                self,
                &actor,
                &admin::UserForm {
                    username: &username,
                    full_name: &full_name,
                    credentials: &credentials,
                    roles: &roles,
                    can_emergency_access,
                },
                &password,
            )
            .map(Response::User),
            R::UpdateUser {
                user_id,
                full_name,
                credentials,
                roles,
                can_emergency_access,
            } => admin::update_user(
                self,
                &actor,
                user_id,
                &admin::UserForm {
                    username: "",
                    full_name: &full_name,
                    credentials: &credentials,
                    roles: &roles,
                    can_emergency_access,
                },
            )
            .map(Response::User),
            R::SetUserDisabled { user_id, disabled } => {
                admin::set_disabled(self, &actor, user_id, disabled).map(Response::User)
            }
            R::ResetPassword {
                user_id,
                new_password,
            } => {
                admin::reset_password(self, &actor, user_id, &new_password).map(|_| Response::Done)
            }
            R::GetSettings => admin::get_settings(self).map(Response::Settings),
            R::UpdateSettings { settings } => {
                admin::update_settings(self, &actor, &settings).map(Response::Settings)
            }
            R::VerifyAudit => admin::verify_audit(self, &actor).map(Response::AuditChain),
            R::AuditReport { filter } => {
                admin::audit_report(self, &actor, &filter).map(Response::Audit)
            }
            R::ChartSummary { patient_id } => {
                chart::summary(self, &actor, patient_id).map(Response::ChartSummary)
            }
            R::ListEntries {
                patient_id,
                section,
            } => chart::list(self, &actor, patient_id, section).map(Response::Entries),
            R::SaveEntry {
                patient_id,
                entry_id,
                expected_version,
                entry,
                override_reason,
            } => chart::save(
                self,
                &actor,
                patient_id,
                entry_id,
                expected_version,
                &entry,
                override_reason.as_deref(),
            )
            .map(Response::EntrySaved),
            R::ReconcileMedication {
                entry_id,
                expected_version,
                still_taking,
                note,
            } => chart::reconcile(
                self,
                &actor,
                entry_id,
                expected_version,
                still_taking,
                &note,
            )
            .map(Response::Entry),
            R::EntryHistory { entry_id } => {
                chart::history(self, &actor, entry_id).map(Response::EntryHistory)
            }
            R::MarkEnteredInError { record, reason } => {
                let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
                if reason.is_empty() {
                    return Err(ApiError::field(
                        "reason",
                        "Say why this is entered in error",
                    ));
                }
                match record {
                    RecordRef::Entry {
                        id,
                        expected_version,
                    } => chart::mark_in_error(self, &actor, id, expected_version, &reason)
                        .map(Response::Entry),
                    RecordRef::Observation { id } => {
                        measurements::mark_in_error(self, &actor, id, &reason)
                            .map(|o| Response::Observations(vec![o]))
                    }
                    RecordRef::Note { id } => {
                        notes::mark_in_error(self, &actor, id, &reason).map(Response::Note)
                    }
                    RecordRef::Document { id } => {
                        documents::mark_in_error(self, &actor, id, &reason)
                            .map(|d| Response::Documents(vec![d]))
                    }
                }
            }
            R::SearchCodes { query, limit } => Ok(Response::Codes(
                reference::get()?
                    .icd10
                    .search(&query, limit.clamp(1, 100) as usize),
            )),
            R::GetReferenceData => {
                let units = measurements::units(self)?;
                let r = reference::get()?;
                Ok(Response::Reference(protocol::ReferenceData {
                    vaccines: r.vaccines.all().to_vec(),
                    labs: r.labs.all().to_vec(),
                    drugs: r.drugs.names(),
                    vitals: vitals::defs(units),
                    units: units.as_str().to_string(),
                }))
            }
            R::CheckDrug { patient_id, drug } => {
                chart::check_drug(self, &actor, patient_id, &drug).map(Response::DrugCheck)
            }
            R::RecordVitals { patient_id, vitals } => {
                measurements::record_vitals(self, &actor, patient_id, &vitals)
                    .map(Response::Observations)
            }
            R::RecordLab {
                patient_id,
                lab,
                replaces,
            } => measurements::record_lab(self, &actor, patient_id, &lab, replaces)
                .map(|o| Response::Observations(vec![o])),
            R::ListObservations { patient_id, kind } => {
                measurements::list(self, &actor, patient_id, kind).map(Response::Observations)
            }
            R::Trend {
                patient_id,
                codes,
                from,
                to,
            } => measurements::trend(self, &actor, patient_id, &codes, &from, &to)
                .map(Response::Trend),
            R::StartEncounter {
                patient_id,
                date,
                kind,
                reason,
                template_id,
            } => {
                notes::start_encounter(self, &actor, patient_id, &date, &kind, &reason, template_id)
                    .map(Response::Note)
            }
            R::ListNotes { patient_id } => {
                notes::list(self, &actor, patient_id).map(Response::Notes)
            }
            R::GetNote { note_id } => notes::get(self, &actor, note_id).map(Response::Note),
            R::SaveNoteDraft {
                note_id,
                expected_version,
                body,
            } => notes::save_draft(self, &actor, note_id, expected_version, &body)
                .map(Response::Note),
            R::SignNote {
                note_id,
                expected_version,
                password,
            } => {
                notes::sign(self, &actor, note_id, expected_version, &password).map(Response::Note)
            }
            R::AddAddendum {
                note_id,
                text,
                password,
            } => notes::addendum(self, &actor, note_id, &text, &password).map(Response::Note),
            R::ListTemplates => notes::templates(self).map(Response::Templates),
            R::SaveTemplate {
                template_id,
                expected_version,
                name,
                body,
                active,
            } => notes::save_template(
                self,
                &actor,
                template_id,
                expected_version,
                &name,
                &body,
                active,
            )
            .map(Response::Templates),
            R::AttachDocument {
                patient_id,
                file_name,
                mime: _,
                data_base64,
                category,
                doc_date,
                description,
            } => documents::attach(
                self,
                &actor,
                patient_id,
                &documents::AttachForm {
                    file_name: &file_name,
                    data_base64: &data_base64,
                    category: &category,
                    doc_date: &doc_date,
                    description: &description,
                },
            )
            .map(|d| Response::Documents(vec![d])),
            R::ListDocuments { patient_id } => {
                documents::list(self, &actor, patient_id).map(Response::Documents)
            }
            R::GetDocument { document_id } => {
                documents::get(self, &actor, document_id).map(Response::Document)
            }
            R::PrintPrescription { entry_id } => {
                prescriptions::print(self, &actor, entry_id).map(Response::Printed)
            }
            R::UpdateVisit {
                note_id,
                expected_version,
                date,
                kind,
                reason,
            } => notes::update_visit(
                self,
                &actor,
                note_id,
                expected_version,
                (&date, &kind, &reason),
            )
            .map(Response::Note),
            R::UpdateDocument {
                document_id,
                expected_version,
                category,
                doc_date,
                description,
            } => documents::update(
                self,
                &actor,
                document_id,
                expected_version,
                (&category, &doc_date, &description),
            )
            .map(|d| Response::Documents(vec![d])),
            R::RecordHistory { record } => {
                let rows = match record {
                    protocol::HistoryRef::Visit { note_id } => {
                        notes::visit_history(self, &actor, note_id)?
                    }
                    protocol::HistoryRef::Document { id } => documents::history(self, &actor, id)?,
                };
                Ok(Response::RecordHistory(
                    rows.into_iter()
                        .map(|h| protocol::RecordVersion {
                            version: h.version,
                            fields: h
                                .fields
                                .into_iter()
                                .map(|(field, value)| protocol::FieldValue { field, value })
                                .collect(),
                            replaced_at: h.replaced_at.to_rfc3339(),
                            replaced_by: h.replaced_by_name,
                        })
                        .collect(),
                ))
            }
            R::ListDisclosures { patient_id } => {
                chart::disclosures(self, &actor, patient_id).map(Response::Disclosures)
            }
        }
    }

    /// The patient a request's subject belongs to (for emergency scoping).
    fn patient_of(&mut self, subject: permissions::Subject) -> Result<Option<i64>> {
        use permissions::Subject as S;
        let Some(open) = self.open.as_ref() else {
            return Ok(None);
        };
        let conn = open.store.read();
        Ok(Some(match subject {
            S::Patient(id) => id,
            S::Entry(id) => chartroom_store::chart::get_entry(conn, id)?.patient_id,
            S::Note(id) => chartroom_store::notes::get_note(conn, id)?.patient_id,
            S::Document(id) => chartroom_store::documents::get(conn, id)?.patient_id,
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
            .ok_or_else(|| ApiError::Internal("database not open".into()))
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
            .map(|o| admin::idle_lock_minutes(&o.store) as u64 * 60)
            .unwrap_or(600)
    }

    /// Checks the session and permission for a guarded request.
    fn authorize(&mut self, guard: Guard, patient: Option<i64>) -> Result<Actor> {
        let idle = self.idle_lock_secs();
        let now = self.clock.now();
        let open = self.open_mut()?;
        let Some(s) = open.session.as_mut() else {
            return Err(ApiError::NotLoggedIn);
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
            _ if s.locked => return Err(ApiError::SessionLocked),
            Guard::Active => {}
            Guard::EmergencyAuthorised => {
                if !s.user.can_emergency_access {
                    return Err(ApiError::PermissionDenied(
                        "this account is not authorised for emergency access".into(),
                    ));
                }
            }
            Guard::Needs(p) => {
                if !s.permissions.contains(&p) {
                    let emergency_ok =
                        matches!(p, Permission::PatientRead | Permission::ClinicalRead)
                            && patient.is_some()
                            && s.emergency.as_ref().map(|e| e.patient_id) == patient;
                    if !emergency_ok {
                        return Err(ApiError::PermissionDenied(format!(
                            "it needs the {p:?} permission"
                        )));
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
