//! The crate's single error type, [`KeyError`].
//!
//! Messages are written for a practice manager reading them in a dialog:
//! they say what went wrong and, where it helps, what to do next. They never
//! contain key material, recovery codes or passphrases. [`KeyError::code`]
//! gives a stable identifier the UI can switch on instead of the message.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong with keys, key files, keyrings and backups.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A recovery code was typed in a form that cannot be a recovery code.
    #[error("that is not a valid recovery code: {reason}")]
    MalformedRecoveryCode { reason: String },

    /// The recovery code is well formed but does not open this key file.
    #[error("the recovery code does not match this practice's key file; check it against the printed recovery sheet")]
    WrongRecoveryCode,

    /// The passphrase does not open this key file.
    #[error("the practice passphrase is not correct")]
    WrongPassphrase,

    /// The key file has no passphrase, so only the recovery code can open it.
    #[error(
        "no practice passphrase has been set for this key file; use the recovery code instead"
    )]
    NoPassphrase,

    /// A new passphrase was refused because it is too easy to guess.
    #[error("the passphrase is too weak: {reason}")]
    WeakPassphrase { reason: String },

    /// A password does not open a wrapped signing key.
    #[error("the password does not open this signing key")]
    WrongPassword,

    /// A stored wrapped signing key cannot be understood.
    #[error("the stored signing key is damaged: {reason}")]
    InvalidSigningKey { reason: String },

    /// A database key was used with a key file (or backup) it does not belong to.
    #[error("this database key does not belong to this practice's key file")]
    KeyMismatch,

    /// The key file does not exist.
    #[error("the key file {} was not found", path.display())]
    Missing { path: PathBuf },

    /// The key file exists but cannot be understood.
    #[error("the key file {} is damaged: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },

    /// Key file JSON (not read from a path) that cannot be understood.
    #[error("the key file is damaged: {reason}")]
    InvalidKeyFile { reason: String },

    /// Reading or writing a file failed.
    #[error("could not read or write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Key-derivation settings are outside what this version accepts.
    #[error("invalid key-derivation settings: {reason}")]
    InvalidKdfParams { reason: String },

    /// Encryption itself failed (should not happen with valid inputs).
    #[error("encryption failed: {reason}")]
    Encryption { reason: String },

    /// No usable operating-system keyring on this computer.
    #[error("the system keyring is not available: {reason}")]
    NoKeyring { reason: String },

    /// The keyring exists but an operation on it failed.
    #[error("the {store} could not complete the request: {reason}")]
    Keyring { store: String, reason: String },

    /// The keyring holds an entry for this practice that is not a database key.
    #[error("the {store} holds an entry for this practice that is not a valid database key")]
    KeyringEntryInvalid { store: String },

    /// The file is not a Chartroom backup at all.
    #[error("this file is not a Chartroom backup")]
    NotABackup,

    /// The backup was written by a newer (or unknown) version of Chartroom.
    #[error("this backup uses format version {found}, which this version of Chartroom cannot read; update Chartroom")]
    UnsupportedBackupVersion { found: u32 },

    /// The database key does not open this backup (it belongs to another key).
    #[error("this backup was made with a different database key; restore it with the recovery code printed for that backup's practice")]
    WrongKey,

    /// The backup has been altered or damaged.
    #[error("the backup is damaged and cannot be restored: {reason}")]
    BackupCorrupt { reason: String },

    /// The backup ends early: the copy was cut short.
    #[error("the backup is incomplete (the file ends before the backup does); the copy was probably interrupted")]
    BackupTruncated,

    /// Reading the backup input or writing the output stream failed.
    #[error("reading or writing the backup failed: {source}")]
    StreamIo {
        #[source]
        source: io::Error,
    },
}

impl KeyError {
    /// A stable, machine-readable code for the UI (`{code, message}`).
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::MalformedRecoveryCode { .. } => "malformed_recovery_code",
            KeyError::WrongRecoveryCode => "wrong_recovery_code",
            KeyError::WrongPassphrase => "wrong_passphrase",
            KeyError::NoPassphrase => "no_passphrase",
            KeyError::WeakPassphrase { .. } => "weak_passphrase",
            KeyError::WrongPassword => "wrong_password",
            KeyError::InvalidSigningKey { .. } => "invalid_signing_key",
            KeyError::KeyMismatch => "key_mismatch",
            KeyError::Missing { .. } => "key_file_missing",
            KeyError::Corrupt { .. } => "key_file_corrupt",
            KeyError::InvalidKeyFile { .. } => "key_file_invalid",
            KeyError::Io { .. } => "io",
            KeyError::InvalidKdfParams { .. } => "invalid_kdf_params",
            KeyError::Encryption { .. } => "encryption_failed",
            KeyError::NoKeyring { .. } => "no_keyring",
            KeyError::Keyring { .. } => "keyring_failed",
            KeyError::KeyringEntryInvalid { .. } => "keyring_entry_invalid",
            KeyError::NotABackup => "not_a_backup",
            KeyError::UnsupportedBackupVersion { .. } => "unsupported_backup_version",
            KeyError::WrongKey => "backup_wrong_key",
            KeyError::BackupCorrupt { .. } => "backup_corrupt",
            KeyError::BackupTruncated => "backup_truncated",
            KeyError::StreamIo { .. } => "backup_io",
        }
    }
}
