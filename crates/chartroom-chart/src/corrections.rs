//! "Entered in error", one path for every kind of chart record: the reason
//! is checked and tidied once ([`reason`]), each record is marked through
//! the store's one helper ([`chartroom_store::corrections::mark_in_error`])
//! and audited the same way (`mark_in_error`, the record, "what it was;
//! reason: why"), all in one transaction ([`retract`]).

use chartroom_core::{validate, Actor, Ctx, Error, Result};
use chartroom_store::corrections::{self, Table};
use chartroom_store::model::AuditAction;
use chartroom_store::{Connection, Tx};
use chartroom_types::{PatientId, UserId};
use chrono::{DateTime, Utc};

/// The reason given for "entered in error", tidied; it may not be blank.
pub fn reason(reason: &str) -> Result<String> {
    let reason = validate::clean(reason);
    if reason.is_empty() {
        return Err(Error::field("reason", "Say why this is entered in error"));
    }
    Ok(reason)
}

/// The first 80 characters, for an audit record.
fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

/// What an audit record says of a retracted record.
#[derive(Debug, Clone)]
pub struct Retracted {
    pub patient_id: PatientId,
    /// The audit record's `record_id` (`entry/7`).
    pub record: String,
    /// What it was ("problem: Hypertension", "vital 8480-6", "note").
    pub what: String,
}

/// One transaction in which records are marked entered in error with one
/// reason, given to [`retract`]'s closure.
pub struct Retraction<'t, 'c> {
    pub tx: &'t Tx<'c>,
    pub now: DateTime<Utc>,
    actor: &'t Actor,
    user: UserId,
    reason: &'t str,
}

impl Retracted {
    /// What the audit record of a retraction says: the record's patient,
    /// its audit id, and what it was.
    pub fn of(patient_id: PatientId, record: String, what: impl Into<String>) -> Retracted {
        Retracted {
            patient_id,
            record,
            what: what.into(),
        }
    }
}

impl<'t> Retraction<'t, '_> {
    /// Who is retracting: answers built in the transaction say what they may do.
    pub fn actor(&self) -> &'t Actor {
        self.actor
    }

    /// Marks record `id` of `table` entered in error with the reason (when
    /// `expected_version`, if given, is still its version), reads it back
    /// with `read` (its owner's getter) and audits it as `about` says.
    pub fn mark<I: Into<i64> + Copy, R>(
        &self,
        table: &Table,
        (id, expected_version): (I, Option<i64>),
        read: fn(&Connection, I) -> chartroom_store::Result<R>,
        about: impl FnOnce(&R) -> Retracted,
    ) -> Result<R> {
        self.mark_because(self.reason, table, (id, expected_version), read, about)
    }

    /// [`Retraction::mark`] with a reason of its own (a value computed from
    /// one entered in error).
    pub fn mark_because<I: Into<i64> + Copy, R>(
        &self,
        reason: &str,
        table: &Table,
        (id, expected_version): (I, Option<i64>),
        read: fn(&Connection, I) -> chartroom_store::Result<R>,
        about: impl FnOnce(&R) -> Retracted,
    ) -> Result<R> {
        corrections::mark_in_error(
            self.tx,
            table,
            id,
            expected_version,
            reason,
            self.now,
            self.user,
        )?;
        let row = read(self.tx, id)?;
        let r = about(&row);
        self.actor.audit_clinical(
            self.tx,
            self.now,
            AuditAction::MarkInError,
            r.patient_id,
            r.record,
            format!("{}; reason: {}", clip(&r.what), clip(reason)),
        )?;
        Ok(row)
    }
}

/// Runs `f` in one transaction that marks records entered in error with
/// `reason`, checked and tidied first: all of them or none.
pub fn retract<T>(
    ctx: &mut Ctx<'_>,
    reason: &str,
    f: impl FnOnce(&Retraction<'_, '_>) -> Result<T>,
) -> Result<T> {
    let reason = self::reason(reason)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        f(&Retraction {
            tx,
            now,
            actor,
            user,
            reason: &reason,
        })
    })
}
