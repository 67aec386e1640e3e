//! The API's error type and its wire form.
//!
//! [`ApiError`] is the one error enum of this crate: an area's
//! [`chartroom_core::Error`] or a practice-level failure. At the boundary it
//! becomes a [`WireError`]: a stable [`ErrorCode`] the UI switches on, a
//! message for people, and per-field messages for forms. Messages never
//! contain patient data or secrets.

use chartroom_core::{Error, FieldError};
use chartroom_keys::KeyError;
use chartroom_store::{StoreError, WriteFault};
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
    /// The disk holding the data (or the backup, or the export folder) is
    /// full; nothing was saved.
    DiskFull,
    /// The folder cannot be written (read-only, or the disk fails);
    /// nothing was saved.
    CannotWrite,
    Internal,
}

/// What the operating system or SQLite said about writing, when it is
/// one of the faults a practice can fix: a full disk, a read-only or
/// failing one.
fn write_fault(e: &ApiError) -> Option<ErrorCode> {
    let fault = match e {
        ApiError::Core(Error::Store(err)) => err.write_fault(),
        ApiError::Key(KeyError::Io { source, .. } | KeyError::StreamIo { source }) => {
            WriteFault::of_io(source)
        }
        _ => None,
    };
    fault.map(|f| match f {
        WriteFault::DiskFull => ErrorCode::DiskFull,
        WriteFault::CannotWrite => ErrorCode::CannotWrite,
    })
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// Everything an API call can fail with: an area's [`Error`], or a
/// practice-level failure (set-up, unlocking, keys).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error("the practice is not set up yet")]
    NeedsSetup,
    #[error("the practice is already set up")]
    AlreadySetUp,
    #[error("the database is locked by its key: unlock it with the practice passphrase or the recovery code")]
    NeedsUnlock,
    #[error("{0}")]
    BadState(String),
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Core(Error::Store(e))
    }
}

impl ApiError {
    /// A validation error for one field.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Core(Error::field(field, message))
    }

    /// An internal error (a bug or damaged data), never patient data.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::Core(Error::Internal(message.into()))
    }

    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        if let Some(c) = write_fault(self) {
            return c;
        }
        match self {
            ApiError::Core(Error::Validation(_)) => C::Validation,
            ApiError::Core(Error::PermissionDenied(_)) => C::PermissionDenied,
            ApiError::Core(Error::NotLoggedIn) => C::NotLoggedIn,
            ApiError::Core(Error::SessionLocked) => C::SessionLocked,
            ApiError::Core(Error::WrongPassword) => C::WrongPassword,
            ApiError::Core(Error::AccountLocked { .. }) => C::AccountLocked,
            ApiError::Core(Error::AccountDisabled) => C::AccountDisabled,
            ApiError::Core(Error::Internal(_)) => C::Internal,
            ApiError::NeedsSetup => C::NeedsSetup,
            ApiError::AlreadySetUp => C::AlreadySetUp,
            ApiError::NeedsUnlock => C::NeedsUnlock,
            ApiError::BadState(_) => C::Internal,
            ApiError::Core(Error::Store(e)) => match e {
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
            ApiError::Core(Error::Validation(f)) => f.clone(),
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
        let message = match (self, write_fault(self)) {
            (ApiError::Core(Error::Validation(f)), _) if f.len() == 1 => {
                format!("{}: {}", f[0].field, f[0].message)
            }
            (_, Some(ErrorCode::DiskFull)) => format!(
                "The disk is full, so nothing was saved. Free some space (or choose another \
                 drive) and try again. ({self})"
            ),
            (_, Some(_)) => format!(
                "The disk could not be written (it is read-only or failing), so nothing was \
                 saved. ({self})"
            ),
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
