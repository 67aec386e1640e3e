//! Logging in and out, locking after inactivity, resuming with the password.
//!
//! Passwords are hashed with Argon2id. Five wrong passwords in a row lock
//! the account for fifteen minutes. A locked session keeps its place (the UI
//! keeps its unsaved forms); only the password, or logging out, ends it.

use chartroom_core::password::{check_password, Outcome};
use chartroom_core::Error;
use chartroom_store::model::{AuditAction, DataCategory, UserAccount};
use chartroom_store::users;
use chartroom_types::PatientId;
use chrono::{DateTime, Utc};

use crate::permissions::{permissions_of, Permission};
use crate::protocol::SessionInfo;
use crate::{Actor, Chartroom, Result};

/// How long emergency access lasts.
pub const EMERGENCY_MINUTES: i64 = 60;

/// Emergency access to one patient.
#[derive(Debug, Clone)]
pub(crate) struct Emergency {
    pub patient_id: PatientId,
    pub mrn: String,
    pub until: DateTime<Utc>,
}

/// A logged-in user.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub user: UserAccount,
    pub permissions: Vec<Permission>,
    pub last_activity: DateTime<Utc>,
    pub locked: bool,
    pub emergency: Option<Emergency>,
}

impl Session {
    pub fn actor(&self, emergency: bool) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            username: self.user.username.clone(),
            emergency,
            permissions: self.permissions.clone(),
        }
    }

    pub fn info(&self, idle_lock_seconds: u64) -> SessionInfo {
        SessionInfo {
            user: self.user.clone(),
            permissions: self.permissions.clone(),
            idle_lock_seconds,
            locked: self.locked,
            emergency_mrn: self.emergency.as_ref().map(|e| e.mrn.clone()),
        }
    }
}

/// Logs a user in.
pub(crate) fn login(app: &mut Chartroom, username: &str, password: &str) -> Result<SessionInfo> {
    let open = app.open_mut()?;
    if let Some(s) = &open.session {
        if s.locked {
            return Err(Error::SessionLocked.into());
        }
    }
    let found = users::find_for_login(open.store.read(), username.trim())?;
    let Some((user, hash)) = found else {
        // Same answer, and the same time, as a wrong password: do not
        // reveal which usernames exist. What was typed is not kept (it may
        // be a password typed into the wrong box), only its length.
        chartroom_core::password::spend_a_password_check(password);
        let typed = username.trim().chars().count();
        app.audit(Actor::system("(unknown username)").event(
            AuditAction::FailedLogin,
            DataCategory::Security,
            None,
            "",
            format!("login: unknown username ({typed} characters typed)"),
        ))?;
        return Err(Error::WrongPassword.into());
    };
    let checker = Actor::system("login");
    let user = match app.in_ctx(&checker, |ctx| {
        check_password(ctx, &user, &hash, password, "login")
    })? {
        Outcome::Ok(u) => u,
        Outcome::Fail(e) => return Err(e.into()),
    };
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        emergency: false,
        permissions: Vec::new(),
    };
    if user.disabled {
        app.audit(actor.event(
            AuditAction::FailedLogin,
            DataCategory::Security,
            None,
            format!("user/{}", user.id),
            "login: account disabled",
        ))?;
        return Err(Error::AccountDisabled.into());
    }
    app.audit(actor.event(
        AuditAction::Login,
        DataCategory::Security,
        None,
        format!("user/{}", user.id),
        "",
    ))?;
    let now = app.clock.now();
    let idle = app.idle_lock_secs();
    let session = Session {
        permissions: permissions_of(&user.roles),
        user,
        last_activity: now,
        locked: false,
        emergency: None,
    };
    let info = session.info(idle);
    app.open_mut()?.session = Some(session);
    Ok(info)
}

/// Ends the session.
pub(crate) fn logout(app: &mut Chartroom, actor: &Actor) -> Result<()> {
    // Fail closed: the session ends first; the record follows, and if it
    // cannot be written the session is ended all the same.
    app.open_mut()?.session = None;
    app.audit(actor.event(AuditAction::Logout, DataCategory::Security, None, "", ""))
}

/// Locks the session now.
pub(crate) fn lock(app: &mut Chartroom, actor: &Actor) -> Result<()> {
    // Fail closed: locked first, then recorded.
    let Some(s) = app.open_mut()?.session.as_mut() else {
        return Ok(());
    };
    if s.locked {
        return Ok(());
    }
    s.locked = true;
    app.audit(actor.event(
        AuditAction::Lock,
        DataCategory::Security,
        None,
        "",
        "locked",
    ))
}

/// Resumes a locked session with the user's password. Too many wrong
/// passwords end the session.
pub(crate) fn resume(app: &mut Chartroom, actor: &Actor, password: &str) -> Result<SessionInfo> {
    let user_id = actor.user()?;
    let open = app.open_mut()?;
    let user = users::get(open.store.read(), user_id)?;
    let hash = users::password_hash(open.store.read(), user_id)?;
    match app.in_ctx(actor, |ctx| {
        check_password(ctx, &user, &hash, password, "resume")
    })? {
        Outcome::Ok(_) => {}
        Outcome::Fail(e) => {
            if matches!(e, Error::AccountLocked { .. }) {
                app.open_mut()?.session = None;
            }
            return Err(e.into());
        }
    }
    if user.disabled {
        app.open_mut()?.session = None;
        return Err(Error::AccountDisabled.into());
    }
    app.audit(actor.event(
        AuditAction::Unlock,
        DataCategory::Security,
        None,
        "",
        "session resumed",
    ))?;
    let now = app.clock.now();
    let idle = app.idle_lock_secs();
    let open = app.open_mut()?;
    let s = open.session.as_mut().ok_or(Error::NotLoggedIn)?;
    s.locked = false;
    s.last_activity = now;
    Ok(s.info(idle))
}
