//! The API's error type and its wire form.
//!
//! [`ApiError`] is the one error enum of this crate. At the boundary it
//! becomes a [`WireError`]: a stable [`ErrorCode`] the UI switches on, a
//! message for people, and per-field messages for forms. Messages never
//! contain patient data or secrets.

use chartroom_keys::KeyError;
use chartroom_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stable code for each kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    PermissionDenied,
    NotLoggedIn,
    SessionLocked,
    WrongPassword,
    AccountLocked,
    AccountDisabled,
    NotFound,
    Conflict,
    Duplicate,
    /// The record cannot change (a signed note, an entry in error).
    RecordLocked,
    NeedsSetup,
    AlreadySetUp,
    NeedsUnlock,
    WrongPassphrase,
    WrongRecoveryCode,
    NoKeyring,
    KeyProblem,
    CannotOpenDatabase,
    DatabaseMissing,
    NewerSchema,
    Internal,
}

/// One form field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The request field, as named in the request type (`birth_date`).
    pub field: String,
    /// What is wrong, in words for the user.
    pub message: String,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Everything an API call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
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
    #[error("the practice is not set up yet")]
    NeedsSetup,
    #[error("the practice is already set up")]
    AlreadySetUp,
    #[error("the database is locked by its key: unlock it with the practice passphrase or the recovery code")]
    NeedsUnlock,
    #[error("{0}")]
    BadState(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A validation error for one field.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            ApiError::Validation(_) => C::Validation,
            ApiError::PermissionDenied(_) => C::PermissionDenied,
            ApiError::NotLoggedIn => C::NotLoggedIn,
            ApiError::SessionLocked => C::SessionLocked,
            ApiError::WrongPassword => C::WrongPassword,
            ApiError::AccountLocked { .. } => C::AccountLocked,
            ApiError::AccountDisabled => C::AccountDisabled,
            ApiError::NeedsSetup => C::NeedsSetup,
            ApiError::AlreadySetUp => C::AlreadySetUp,
            ApiError::NeedsUnlock => C::NeedsUnlock,
            ApiError::BadState(_) => C::Internal,
            ApiError::Internal(_) => C::Internal,
            ApiError::Store(e) => match e {
                StoreError::Missing { .. } => C::DatabaseMissing,
                StoreError::CannotDecrypt { .. } | StoreError::Damaged { .. } => {
                    C::CannotOpenDatabase
                }
                StoreError::NewerSchema { .. } => C::NewerSchema,
                StoreError::NotFound { .. } => C::NotFound,
                StoreError::Conflict { .. } => C::Conflict,
                StoreError::Duplicate { .. } => C::Duplicate,
                StoreError::Locked(_) => C::RecordLocked,
                StoreError::AlreadyExists { .. } => C::AlreadySetUp,
                _ => C::Internal,
            },
            ApiError::Key(e) => match e {
                KeyError::WrongPassphrase => C::WrongPassphrase,
                KeyError::WrongRecoveryCode => C::WrongRecoveryCode,
                KeyError::MalformedRecoveryCode { .. } => C::Validation,
                KeyError::WeakPassphrase { .. } => C::Validation,
                KeyError::NoKeyring { .. } => C::NoKeyring,
                _ => C::KeyProblem,
            },
        }
    }

    /// The wire form.
    pub fn to_wire(&self) -> WireError {
        let fields = match self {
            ApiError::Validation(f) => f.clone(),
            ApiError::Key(KeyError::WeakPassphrase { .. }) => vec![FieldError {
                field: "passphrase".into(),
                message: self.to_string(),
            }],
            ApiError::Key(KeyError::MalformedRecoveryCode { .. }) => vec![FieldError {
                field: "code".into(),
                message: self.to_string(),
            }],
            _ => Vec::new(),
        };
        let message = match self {
            ApiError::Validation(f) if f.len() == 1 => format!("{}: {}", f[0].field, f[0].message),
            _ => self.to_string(),
        };
        WireError {
            code: self.code(),
            message,
            fields,
        }
    }
}

impl From<ApiError> for WireError {
    fn from(e: ApiError) -> Self {
        e.to_wire()
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
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}
