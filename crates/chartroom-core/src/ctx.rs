//! The context a command runs in: the store, the clock (now, and the
//! clinic's today), the actor and the practice's environment.
//!
//! Every write goes through [`Ctx::write`], one store transaction that also
//! holds the command's audit record, so a change and its record commit or
//! fail together. [`Actor::event`] builds that record.

use chartroom_types::{PatientId, UserId};
use std::path::PathBuf;

use chartroom_store::audit::{self, AuditEvent};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{Connection, Store, Tx};
use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::InZone;
use crate::{Clock, Error, Permission, Result};

/// Who is acting, for audit records.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub username: String,
    /// Acting under emergency access (reads of one patient only).
    pub emergency: bool,
    /// What the session may do (empty for the system).
    pub permissions: Vec<Permission>,
}

impl Actor {
    /// The system itself (set-up, demo data), named for the log.
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            username: name.to_string(),
            emergency: false,
            permissions: Vec::new(),
        }
    }

    /// Whether the actor holds `p` in its own right (emergency access reads
    /// one chart but never writes).
    pub fn may(&self, p: Permission) -> bool {
        self.permissions.contains(&p) && !(self.emergency && p == Permission::ClinicalWrite)
    }

    /// The logged-in user's id, or [`Error::NotLoggedIn`].
    pub fn user(&self) -> Result<UserId> {
        self.user_id.ok_or(Error::NotLoggedIn)
    }

    /// An audit event by this actor.
    pub fn event(
        &self,
        action: AuditAction,
        category: DataCategory,
        patient_id: Option<PatientId>,
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

    /// Appends a clinical audit record about `patient_id` inside `tx`.
    pub fn audit_clinical(
        &self,
        tx: &Tx<'_>,
        now: DateTime<Utc>,
        action: AuditAction,
        patient_id: PatientId,
        record: impl Into<String>,
        detail: impl Into<String>,
    ) -> Result<()> {
        audit::append(
            tx,
            now,
            &self.event(
                action,
                DataCategory::Clinical,
                Some(patient_id),
                record,
                detail,
            ),
        )?;
        Ok(())
    }
}

/// What the practice's commands may know of the workstation.
#[derive(Debug, Clone)]
pub struct Env {
    /// The practice's name, as printed on letterheads.
    pub practice_name: String,
    /// Where printed PDFs go unless the practice chose a folder.
    pub default_export_dir: PathBuf,
    /// The data folder (the database, its key file, backups' temporary
    /// files): no file made for a user may be saved inside it.
    pub data_dir: PathBuf,
    /// The clinic's time zone as the practice set it
    /// ([`crate::clock::TIME_ZONE_KEY`]); none: the workstation's.
    pub time_zone: Option<chrono_tz::Tz>,
}

/// One command's view of the open practice.
pub struct Ctx<'a> {
    store: &'a mut Store,
    clock: InZone<'a>,
    actor: &'a Actor,
    env: &'a Env,
}

impl<'a> Ctx<'a> {
    /// A context for `actor` on `store`.
    pub fn new(store: &'a mut Store, clock: &'a dyn Clock, actor: &'a Actor, env: &'a Env) -> Self {
        Ctx {
            store,
            clock: InZone {
                clock,
                zone: env.time_zone.unwrap_or_else(|| clock.zone()),
            },
            actor,
            env,
        }
    }

    /// Who is acting.
    pub fn actor(&self) -> &'a Actor {
        self.actor
    }

    /// The workstation's environment.
    pub fn env(&self) -> &'a Env {
        self.env
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The clinic's calendar day.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The clinic's time zone (the practice's setting, else the
    /// workstation's).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.clock.zone
    }

    /// The clock in the clinic's zone, for turning its days into instants.
    pub fn clock(&self) -> InZone<'a> {
        self.clock
    }

    /// A read handle (outside any write transaction).
    pub fn read(&self) -> &Connection {
        self.store.read()
    }

    /// Runs `f` in one store transaction and commits on `Ok`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>, DateTime<Utc>) -> Result<T>) -> Result<T> {
        let now = self.clock.now();
        self.store.write(|tx| f(tx, now))
    }

    /// Appends one audit record in its own transaction.
    pub fn audit(&mut self, ev: AuditEvent) -> Result<()> {
        self.write(|tx, now| {
            audit::append(tx, now, &ev)?;
            Ok(())
        })
    }

    /// Appends the audit record of a read that happens at every keystroke
    /// (patient search) in its own transaction, committed without waiting
    /// for the disk ([`chartroom_store::Store::write_relaxed`]).
    pub fn audit_keystroke(&mut self, ev: AuditEvent) -> Result<()> {
        let now = self.clock.now();
        self.store.write_relaxed(|tx| {
            audit::append(tx, now, &ev)?;
            Ok(())
        })
    }

    /// Reads part of one patient's chart and records the read, in one
    /// transaction: the shape of every list command.
    pub fn read_audited<T>(
        &mut self,
        patient_id: PatientId,
        (record, detail): (&str, &str),
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let actor = self.actor;
        self.write(|tx, now| {
            let out = f(tx)?;
            actor.audit_clinical(tx, now, AuditAction::Read, patient_id, record, detail)?;
            Ok(out)
        })
    }
}
