//! Database keys for Chartroom.
//!
//! The database is encrypted with SQLCipher under a random 256-bit
//! [`DbKey`]. This crate owns everything about that key and nothing else:
//!
//! - [`DbKey`]: generation, the `PRAGMA key` literal, and a public check
//!   value that tells "wrong key" apart from "damaged database".
//! - [`RecoveryCode`]: the 25-character code printed for the practice, which
//!   alone can recover the key.
//! - [`KeyFile`]: `chartroom.key` beside the database, holding the key only
//!   wrapped (Argon2id -> AES-256-GCM) under the recovery code and, if set, a
//!   practice passphrase; written atomically.
//! - [`KeyStore`]: where the key is remembered between runs, either the OS
//!   keyring ([`SystemKeyring`]) or memory ([`MemoryKeyStore`]).
//! - [`OpenSigningKey`] / [`WrappedSigningKey`]: a clinician's Ed25519 signing key, its private
//!   half wrapped by their password (Argon2id -> AES-256-GCM).
//! - [`write_backup`] / [`restore_backup`]: streamed, authenticated backups
//!   that carry the key file, so a backup plus the recovery code is enough to
//!   restore on a new computer.
//!
//! Secrets are zeroized on drop and print redacted; error messages never
//! contain them. The crate has no clock: callers pass timestamps in.

#![forbid(unsafe_code)]

mod backup;
mod error;
mod kdf;
mod key;
mod keyfile;
mod keystore;
mod recovery;
mod signing;
mod strength;

pub use backup::{
    read_backup_audit_head, read_backup_key_file, restore_backup, write_backup, AuditHead,
    BACKUP_FORMAT, BACKUP_MAGIC, CHUNK_SIZE,
};
pub use error::KeyError;
pub use kdf::KdfParams;
pub use key::{DbKey, DB_KEY_LEN};
pub use keyfile::{
    check_passphrase_strength, KeyFile, WrappedKey, KEY_FILE_FORMAT, MIN_PASSPHRASE_CHARS,
};
pub use keystore::{KeyStore, MemoryKeyStore, SystemKeyring, KEYRING_SERVICE};
pub use recovery::{RecoveryCode, RECOVERY_CODE_CHARS};
pub use signing::{
    password_kdf, verify as verify_signature, OpenSigningKey, WrappedSigningKey, PUBLIC_KEY_LEN,
    SIGNATURE_LEN,
};
pub use strength::{weakness as secret_weakness, MIN_SCORE, MIN_SECRET_CHARS};
