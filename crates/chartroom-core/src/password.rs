//! Passwords: Argon2id hashes, checking one (failures count towards the
//! lockout and are audited either way), and asking for it again before a
//! serious act such as signing a note.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory, UserAccount};
use chartroom_store::users;
use chrono::Duration;

use crate::{Actor, Ctx, Error, Result};

/// Consecutive failures that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
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

/// Spends the time of one password check, for a login whose username is
/// unknown, so that how long a refusal takes does not tell which usernames
/// exist: `password` is checked against a hash made once with the same
/// parameters, and the answer is ignored.
pub fn spend_a_password_check(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("no user has this password").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// The result of a password check that itself succeeded in running.
pub enum Outcome {
    /// The password is right; past failures are cleared.
    Ok(UserAccount),
    /// Wrong, or the account is locked; the failure is recorded.
    Fail(Error),
}

/// Checks a password for `user` (not necessarily the context's actor),
/// recording the failure or clearing past failures, and auditing either way. Commits even when the check fails.
pub fn check_password(
    ctx: &mut Ctx<'_>,
    user: &UserAccount,
    hash: &str,
    password: &str,
    what: &str,
) -> Result<Outcome> {
    let now = ctx.now();
    if let Some(until) = user.locked_until {
        if until > now {
            let actor = Actor {
                user_id: Some(user.id),
                username: user.username.clone(),
                emergency: false,
                permissions: Vec::new(),
            };
            ctx.audit(actor.event(
                AuditAction::FailedLogin,
                DataCategory::Security,
                None,
                format!("user/{}", user.id),
                format!("{what}: account locked"),
            ))?;
            return Ok(Outcome::Fail(Error::AccountLocked {
                until: until.format("%H:%M UTC").to_string(),
            }));
        }
    }
    let ok = verify_password(password, hash);
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        emergency: false,
        permissions: Vec::new(),
    };
    let what = what.to_string();
    let user_id = user.id;
    ctx.write(|tx, now| {
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
            Error::AccountLocked {
                until: (now + Duration::minutes(LOCKOUT_MINUTES))
                    .format("%H:%M UTC")
                    .to_string(),
            }
        } else {
            Error::WrongPassword
        }))
    })
}

/// Asks for the user's password again before a serious act (signing a
/// note). Wrong passwords count towards the lockout like at login.
pub fn confirm_password(ctx: &mut Ctx<'_>, password: &str, what: &str) -> Result<UserAccount> {
    let user_id = ctx.actor().user()?;
    let user = users::get(ctx.read(), user_id)?;
    let hash = users::password_hash(ctx.read(), user_id)?;
    match check_password(ctx, &user, &hash, password, what)? {
        Outcome::Ok(u) => Ok(u),
        Outcome::Fail(e) => Err(e),
    }
}
