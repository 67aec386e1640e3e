//! The clinical chart: everything a physician reads and writes at the desk.
//!
//! - [`chart`]: entries of every section (problems with ICD-10-CM,
//!   medications with reconciliation, allergies with "no known allergies",
//!   immunizations with CVX, prescriptions), their validation, history and
//!   "entered in error", the offline allergy and interaction checks with
//!   audited overrides, the chart summary and a patient's disclosure log.
//! - [`measurements`]: vitals and labs (validated, stored in SI, flagged),
//!   lists, trends, corrections; [`vitals`] is the only place that converts
//!   units and knows plausible ranges.
//! - [`notes`]: visits, autosaved drafts, signing with the password asked
//!   again, addenda, templates.
//! - [`documents`]: attachments kept inside the encrypted database.
//! - [`extract`]: the chart read for a released record, in the caller's
//!   transaction (records out audits the release once).
//! - [`letterhead`]: the practice's name, address, phone, fax, NPI and logo
//!   as every printed document shows them.
//! - [`prescriptions`]: printed prescriptions, each a disclosure;
//!   [`printing`]: how every printed PDF reaches the export folder;
//!   [`printer`]: the computer's print service (CUPS `lp`); [`sheets`]:
//!   printed sheets that list patients (day sheets, reminders, statements,
//!   claims), each patient a disclosure.
//! - [`corrections`]: "entered in error", one path for every kind of record
//!   (the reason checked, the store's one helper, the audit record).
//! - [`reference`]: the offline code sets, loaded once per process.
//! - [`protocol`]: the chart's request and answer types (exported to
//!   TypeScript at the API boundary).
//!
//! Every handler takes a [`chartroom_core::Ctx`]: reads of a chart are
//! audited in the transaction that reads them, and every change writes its
//! audit record in the same transaction.

#![forbid(unsafe_code)]

pub mod chart;
pub mod commands;
pub mod corrections;
pub mod documents;
pub mod extract;
pub mod letterhead;
pub mod measurements;
pub mod notes;
pub mod prescriptions;
pub mod printer;
pub mod printing;
pub mod protocol;
pub mod reference;
pub mod sheets;
pub mod vitals;
