//! Patients: who the practice cares for, as the front desk sees them.
//!
//! - [`patients`]: search as you type, opening a chart (audited, with the
//!   search that found it), registration with a duplicate check, edits with
//!   conflict detection, the history of a patient's details, and the
//!   audited read of emergency access (the API grants the session's access).
//! - [`validate`]: the registration form's rules (names, birth date, sex,
//!   address, phones, email, preferred contact, emergency contact).
//! - [`commands`]: the patient commands, each declared once.
//! - [`protocol`]: their request and answer types (exported to TypeScript
//!   at the API boundary).
//!
//! Every handler takes a [`chartroom_core::Ctx`] and fails with
//! [`chartroom_core::Error`]; every read of a chart and every change writes
//! its audit record in the same transaction.

#![forbid(unsafe_code)]

pub mod commands;
pub mod patients;
pub mod protocol;
pub mod validate;
