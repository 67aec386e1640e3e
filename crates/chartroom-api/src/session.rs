//! Logging in and out, locking after inactivity, resuming with the password.
//!
//! Passwords are hashed with Argon2id. Five wrong passwords in a row lock
//! the account for fifteen minutes. A locked session keeps its place (the UI
//! keeps its unsaved forms); only the password, or logging out, ends it.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory, UserAccount};
use chartroom_store::users;
use chrono::{DateTime, Duration, Utc};

use crate::permissions::{permissions_of, Permission};
use crate::protocol::SessionInfo;
use crate::{Actor, ApiError, Chartroom, Result};

/// Consecutive failures that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Emergency access to one patient.
#[derive(Debug, Clone)]
pub(crate) struct Emergency {
    pub patient_id: i64,
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

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

enum Outcome {
    Ok(UserAccount),
    Fail(ApiError),
}

/// Checks a password for `user`, recording the failure or clearing past
/// failures, and auditing either way. Commits even when the check fails.
fn check_password(
    app: &mut Chartroom,
    user: &UserAccount,
    hash: &str,
    password: &str,
    what: &str,
) -> Result<Outcome> {
    let now = app.clock.now();
    if let Some(until) = user.locked_until {
        if until > now {
            let actor = Actor {
                user_id: Some(user.id),
                username: user.username.clone(),
                emergency: false,
            };
            app.audit(actor.event(
                AuditAction::FailedLogin,
                DataCategory::Security,
                None,
                format!("user/{}", user.id),
                format!("{what}: account locked"),
            ))?;
            return Ok(Outcome::Fail(ApiError::AccountLocked {
                until: until.format("%H:%M UTC").to_string(),
            }));
        }
    }
    let ok = verify_password(password, hash);
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        emergency: false,
    };
    let what = what.to_string();
    let user_id = user.id;
    app.write(|tx, now| {
        if ok {
            users::clear_failures(tx, user_id)?;
            return Ok(Outcome::Ok(users::get(tx, user_id)?));
        }
        let count = users::record_failure(tx, user_id, None)?;
        let locked = count >= MAX_FAILED_LOGINS;
        let detail = if locked {
            let until = now + Duration::minutes(LOCKOUT_MINUTES);
            users::record_failure(tx, user_id, Some(until))?;
            format!("{what}: wrong password; account locked")
        } else {
            format!("{what}: wrong password ({count} of {MAX_FAILED_LOGINS})")
        };
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::FailedLogin,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                detail,
            ),
        )?;
        Ok(Outcome::Fail(if locked {
            ApiError::AccountLocked {
                until: (now + Duration::minutes(LOCKOUT_MINUTES))
                    .format("%H:%M UTC")
                    .to_string(),
            }
        } else {
            ApiError::WrongPassword
        }))
    })
}

/// Logs a user in.
pub(crate) fn login(app: &mut Chartroom, username: &str, password: &str) -> Result<SessionInfo> {
    let open = app.open_mut()?;
    if let Some(s) = &open.session {
        if s.locked {
            return Err(ApiError::SessionLocked);
        }
    }
    let found = users::find_for_login(open.store.read(), username.trim())?;
    let Some((user, hash)) = found else {
        // Same message as a wrong password: do not reveal which usernames exist.
        let name: String = username.trim().chars().take(64).collect();
        app.audit(Actor::system(&name).event(
            AuditAction::FailedLogin,
            DataCategory::Security,
            None,
            "",
            "login: unknown username",
        ))?;
        return Err(ApiError::WrongPassword);
    };
    let user = match check_password(app, &user, &hash, password, "login")? {
        Outcome::Ok(u) => u,
        Outcome::Fail(e) => return Err(e),
    };
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        emergency: false,
    };
    if user.disabled {
        app.audit(actor.event(
            AuditAction::FailedLogin,
            DataCategory::Security,
            None,
            format!("user/{}", user.id),
            "login: account disabled",
        ))?;
        return Err(ApiError::AccountDisabled);
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
    app.audit(actor.event(AuditAction::Logout, DataCategory::Security, None, "", ""))?;
    app.open_mut()?.session = None;
    Ok(())
}

/// Locks the session now.
pub(crate) fn lock(app: &mut Chartroom, actor: &Actor) -> Result<()> {
    let already = app
        .open_mut()?
        .session
        .as_ref()
        .map(|s| s.locked)
        .unwrap_or(true);
    if !already {
        app.audit(actor.event(
            AuditAction::Lock,
            DataCategory::Security,
            None,
            "",
            "locked",
        ))?;
        if let Some(s) = app.open_mut()?.session.as_mut() {
            s.locked = true;
        }
    }
    Ok(())
}

/// Resumes a locked session with the user's password. Too many wrong
/// passwords end the session.
pub(crate) fn resume(app: &mut Chartroom, actor: &Actor, password: &str) -> Result<SessionInfo> {
    let user_id = actor.user_id.ok_or(ApiError::NotLoggedIn)?;
    let open = app.open_mut()?;
    let user = users::get(open.store.read(), user_id)?;
    let hash = users::password_hash(open.store.read(), user_id)?;
    match check_password(app, &user, &hash, password, "resume")? {
        Outcome::Ok(_) => {}
        Outcome::Fail(e) => {
            if matches!(e, ApiError::AccountLocked { .. }) {
                app.open_mut()?.session = None;
            }
            return Err(e);
        }
    }
    if user.disabled {
        app.open_mut()?.session = None;
        return Err(ApiError::AccountDisabled);
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
    let s = open.session.as_mut().ok_or(ApiError::NotLoggedIn)?;
    s.locked = false;
    s.last_activity = now;
    Ok(s.info(idle))
}

/// Asks for the user's password again before a serious act (signing a
/// note). Wrong passwords count towards the lockout like at login.
pub(crate) fn confirm_password(
    app: &mut Chartroom,
    actor: &Actor,
    password: &str,
    what: &str,
) -> Result<UserAccount> {
    let user_id = actor.user_id.ok_or(ApiError::NotLoggedIn)?;
    let open = app.open_mut()?;
    let user = users::get(open.store.read(), user_id)?;
    let hash = users::password_hash(open.store.read(), user_id)?;
    match check_password(app, &user, &hash, password, what)? {
        Outcome::Ok(u) => Ok(u),
        Outcome::Fail(e) => Err(e),
    }
}
