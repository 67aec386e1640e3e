//! Billing: what the practice charges, who owes it, and what was paid.
//!
//! - [`ledger`]: the arithmetic on plain values. Every entry is signed by
//!   its effect on the balance and belongs to the patient's side or a
//!   payer; [`ledger::Balances`] folds entries and proves that the balance
//!   is charges minus payments minus adjustments plus refunds, and what the
//!   patient owes plus what payers have pending.
//! - [`setup`]: the fee schedule (the practice's prices and short
//!   descriptions; no CPT text is shipped) and payers.
//! - [`accounts`]: billing accounts (the guarantor) and coverage.
//! - [`posting`]: charges, patients' payments and credit, insurers'
//!   payments posted from a paper EOB, reversals and refunds; each a set of
//!   ledger entries in one transaction with its audit record, never an edit.
//! - [`view`]: the ledger with its running balance, and a day's totals and
//!   close.
//! - [`commands`]: the commands, each declared once.
//!
//! Money is [`chartroom_types::Money`] (integer cents) throughout. Depends
//! on `chartroom-core`, the store, the types and the ICD-10-CM code set;
//! never on another area.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod commands;
pub mod ledger;
pub mod posting;
pub mod protocol;
pub mod setup;
pub mod view;
