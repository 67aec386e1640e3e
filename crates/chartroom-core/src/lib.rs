//! What every Chartroom area needs, and nothing of any one area.
//!
//! - [`Ctx`]: the context a command runs in (the store, now and the
//!   clinic's today, the [`Actor`], the workstation's [`Env`]); writes go
//!   through [`Ctx::write`], one transaction holding the change and its
//!   audit record.
//! - [`Error`] and [`FieldErrors`]: the one error of the area crates, with
//!   per-field reasons for forms.
//! - [`validate`]: input rules shared by every form (names, typed dates,
//!   phone numbers, email, trimmed text).
//! - [`permission`]: permissions, roles, guards and subjects.
//! - [`command`]: the [`Command`] and [`Handler`] traits every request
//!   implements, declared once next to its handler.
//! - [`clock`]: the injected time; [`password`]: Argon2id hashes and the
//!   password asked again; [`signing`]: clinicians' Ed25519 signing keys
//!   and the check of a signed note's signature.
//!
//! Area crates (the chart, and later scheduling, billing, records out...)
//! depend on this crate and on the store, never on each other's internals
//! nor on the API crate.

#![forbid(unsafe_code)]

pub mod age;
pub mod clock;
pub mod command;
mod ctx;
mod error;
pub mod password;
pub mod permission;
mod secret;
pub mod signing;
pub mod validate;

pub use clock::{Clock, FixedClock, SystemClock};
pub use command::{Command, Handler};
pub use ctx::{Actor, Ctx, Env};
pub use error::{Error, FieldError, FieldErrors};
pub use permission::{Guard, Permission, Subject};
pub use secret::Secret;

/// The `record_id` of the audit record of a patient search (written by the
/// patients area at every search, masked by the audit report for users who
/// may not find patients).
pub const PATIENT_SEARCH_RECORD: &str = "patient_search";

/// Result alias for the area crates.
pub type Result<T, E = Error> = std::result::Result<T, E>;
