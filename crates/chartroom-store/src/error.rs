//! The store's error type. Messages name files and tables, never patient data.

use std::path::PathBuf;

/// Everything that can go wrong in the chart store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file is not there.
    #[error("no Chartroom database at {path}. Chartroom will not create a new one in its place; restore the practice from a backup")]
    Missing { path: PathBuf },
    /// `create` was asked to make a database where one exists.
    #[error("a database already exists at {path}; Chartroom will not overwrite it")]
    AlreadyExists { path: PathBuf },
    /// The key does not open the file, or the file is not an encrypted Chartroom database.
    #[error("the database at {path} cannot be opened with this key: the key is wrong, or the file is damaged or not a Chartroom database. The file was not changed")]
    CannotDecrypt { path: PathBuf },
    /// The key opened the file but its pages are damaged.
    #[error("the database at {path} is damaged ({detail}). The file was not changed; restore from a backup")]
    Damaged { path: PathBuf, detail: String },
    /// The file was written by a newer Chartroom.
    #[error("the database at {path} was written by a newer Chartroom (schema version {found}; this version knows up to {supported}). Update Chartroom; the file was not changed")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The SQLite library in this build does not encrypt.
    #[error("this build of Chartroom has no SQLCipher encryption; refusing to store patient data")]
    NoEncryption,
    /// A record that should exist does not.
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: i64 },
    /// Someone else saved the record since it was read.
    #[error("this {what} was changed by someone else since you opened it (your version {expected}, now {found}); reopen it and apply your change again")]
    Conflict {
        what: &'static str,
        expected: i64,
        found: i64,
    },
    /// The record is locked (a signed note, a record marked entered in error).
    #[error("{0}")]
    Locked(&'static str),
    /// A uniqueness rule was broken.
    #[error("{what} already exists")]
    Duplicate { what: String },
    /// Reading or writing a file around the database failed.
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value could not be decoded.
    #[error("stored value could not be read: {0}")]
    Decode(String),
}

/// A fault in writing that the practice can fix, told apart from bugs and
/// damage so the user is told what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFault {
    /// The disk is full.
    DiskFull,
    /// The folder is read-only, or the disk fails (I/O error).
    CannotWrite,
}

impl WriteFault {
    /// The fault an I/O error stands for, if it is one.
    pub fn of_io(err: &std::io::Error) -> Option<WriteFault> {
        use std::io::ErrorKind as K;
        match err.kind() {
            K::StorageFull | K::QuotaExceeded => Some(WriteFault::DiskFull),
            K::ReadOnlyFilesystem | K::PermissionDenied => Some(WriteFault::CannotWrite),
            // EIO: the disk failed the write.
            _ if err.raw_os_error() == Some(5) => Some(WriteFault::CannotWrite),
            _ => None,
        }
    }
}

impl StoreError {
    /// The write fault behind this error, if it is one.
    pub fn write_fault(&self) -> Option<WriteFault> {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, msg)) => match f.code {
                rusqlite::ErrorCode::DiskFull => Some(WriteFault::DiskFull),
                rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::SystemIoFailure
                | rusqlite::ErrorCode::CannotOpen => Some(WriteFault::CannotWrite),
                // `sqlcipher_export` (backups) reports the attached file's
                // failure as a function error carrying SQLite's words.
                _ if msg.as_deref() == Some("database or disk is full") => {
                    Some(WriteFault::DiskFull)
                }
                _ => None,
            },
            StoreError::Io { source, .. } => WriteFault::of_io(source),
            _ => None,
        }
    }
}
