//! Chartroom's chart store: one SQLCipher-encrypted SQLite file per practice.
//!
//! The principal type is [`Store`], an open, keyed and migrated database.
//! [`Store::create`] makes a new file and [`Store::open`] opens an existing
//! one; neither ever overwrites or recreates a file it cannot read. Every
//! change runs through [`Store::write`], a transaction in which the caller
//! also appends its audit record ([`audit::append`]), so a change and its
//! audit trail commit or roll back together.
//!
//! Per-area modules own their tables: [`patients`], [`users`], [`audit`],
//! [`settings`], and for the clinical chart [`chart`] (versioned entries,
//! safety overrides), [`observations`] (vitals and labs), [`notes`]
//! (encounters, signed notes, templates), [`signing_keys`] (clinicians'
//! public keys and wrapped private keys) and [`documents`]; for records
//! out [`disclosures`] (the disclosure log, written once) and [`referrals`]
//! (the practice's referral address book); [`scheduling`] for calendars
//! and appointments; [`billing`] for fees, payers, accounts, coverage,
//! charges, claims, payments and the ledger. [`corrections`]
//! is the one mechanism every clinical table uses for its replaced states
//! and for "entered in error"; each table plugs in with a
//! [`corrections::Table`] declared by its owner. [`migrations`] holds the
//! append-only schema history and [`search`] the text folding shared by
//! indexing and querying. Domain types that cross the API boundary live in
//! [`model`].

#![forbid(unsafe_code)]

pub mod audit;
pub mod billing;
pub mod chart;
pub mod claims;
pub mod corrections;
mod db;
pub mod disclosures;
pub mod documents;
mod error;
pub mod migrations;
pub mod model;
pub mod notes;
pub mod observations;
pub mod patients;
pub mod referrals;
pub mod scheduling;
pub mod search;
pub mod settings;
pub mod signing_keys;
pub mod users;

pub use db::{create_private_file, Integrity, Store, StoreOptions};
pub use error::{StoreError, WriteFault};
/// A read connection (a transaction derefs to one).
pub use rusqlite::Connection;
/// The transaction every write runs in.
pub use rusqlite::Transaction as Tx;

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
