//! The practice-level answer types (status, session, set-up) and the
//! areas' (chart, patients, administration, records out), re-exported: with
//! [`crate::commands`] and the areas' commands this is the API boundary,
//! serialised to JSON with TypeScript twins generated into
//! `ui/src/bindings/`.

use chartroom_store::model::UserAccount;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use chartroom_admin::protocol::*;
pub use chartroom_chart::protocol::*;
pub use chartroom_patients::protocol::*;
pub use chartroom_records::protocol::*;

/// How the app stands, for the first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Phase {
    /// No database and no key file: offer "set up practice".
    NeedsSetup,
    /// The key is not in the keyring: ask for the passphrase or recovery code.
    NeedsUnlock,
    /// The database cannot be opened; `problem` says why.
    CannotOpen,
    /// Unlocked, nobody logged in.
    LoggedOut,
    /// A user is working.
    Active,
    /// A user's session is locked after inactivity.
    Locked,
}

/// Whether an OS keyring holds the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyringStatus {
    pub available: bool,
    /// "Secret Service", or why none is available.
    pub detail: String,
}

/// The answer to [`Request::Status`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub phase: Phase,
    pub practice_name: Option<String>,
    pub keyring: KeyringStatus,
    /// Whether the key file holds a passphrase-wrapped key.
    pub passphrase_set: bool,
    pub data_dir: String,
    pub session: Option<SessionInfo>,
    pub problem: Option<crate::WireError>,
}

/// The logged-in user and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub user: UserAccount,
    pub permissions: Vec<crate::Permission>,
    /// Seconds of inactivity before the session locks.
    #[ts(type = "number")]
    pub idle_lock_seconds: u64,
    pub locked: bool,
    /// Emergency access in force: which patient (MRN) and until when.
    pub emergency_mrn: Option<String>,
}

/// The answer to [`Request::SetupPractice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupResult {
    /// Shown once, for the manager to print or write down.
    pub recovery_code: String,
    /// Where the key is kept: the keyring's name, or "passphrase".
    pub key_storage: String,
    pub practice_id: String,
}
