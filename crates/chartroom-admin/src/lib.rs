//! Administration: what a practice's administrator and manager look after.
//!
//! - [`admin`]: user accounts (created, edited, disabled, never deleted;
//!   the last enabled administrator stays), passwords (reset by an
//!   administrator, changed by their owner with the current one), the
//!   practice settings (name, idle lock, and the chart's units, export
//!   folder, address and phone), the audit report (clinical detail only for
//!   those who may read charts) and the audit chain check.
//! - [`validate`]: the user form's rules (login name, password, roles).
//! - [`commands`]: the administration commands, each declared once.
//! - [`protocol`]: their request and answer types (exported to TypeScript
//!   at the API boundary).
//!
//! Every handler takes a [`chartroom_core::Ctx`], fails with
//! [`chartroom_core::Error`] and writes its audit record in the transaction
//! that makes the change. It uses `chartroom-chart` for the chart's own
//! settings (units, the prescription's export folder, address and phone),
//! whose keys and rules the chart owns.

#![forbid(unsafe_code)]

pub mod admin;
pub mod commands;
pub mod protocol;
pub mod validate;
