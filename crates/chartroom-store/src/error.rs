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
