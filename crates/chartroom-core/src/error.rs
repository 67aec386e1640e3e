//! The error every area returns, and field errors for forms.
//!
//! [`Error`] is the one error enum of the area crates: they fail with a
//! validation problem (each field named, with the reason), a refusal, a
//! wrong password, or a store error. The API crate adds the practice-level
//! failures (set-up, unlocking, keys) and turns all of them into the wire
//! form the UI switches on. Messages never contain patient data or secrets.

use chartroom_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One form field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The request field, as named in the request type (`birth_date`).
    pub field: String,
    /// What is wrong, in words for the user.
    pub message: String,
}

/// Everything an area's command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("please correct the highlighted fields")]
    Validation(Vec<FieldError>),
    #[error("your role does not allow this: {0}")]
    PermissionDenied(String),
    #[error("please log in")]
    NotLoggedIn,
    #[error("the session is locked; enter your password to continue")]
    SessionLocked,
    #[error("the username or password is wrong")]
    WrongPassword,
    #[error("this account is locked after repeated failed logins; try again after {until} or ask an administrator")]
    AccountLocked { until: String },
    #[error("this account is disabled; ask an administrator")]
    AccountDisabled,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A validation error for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        Error::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
}

/// Collects field errors so a form reports all its problems at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Whether nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded.
    pub fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}
