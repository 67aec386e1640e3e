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
//! - [`statements`]: one statement per guarantor (aging, amount due,
//!   insurance pending apart, window envelope, remittance stub), a batch,
//!   the history; each a disclosure.
//! - [`receipts`]: a receipt of the day's payments, every one on its line.
//! - [`reports`]: A/R aging by payer and by guarantor, charges and
//!   collections by provider, on screen and PDF.
//! - [`superbill`]: a visit's superbill (encounter form): the services
//!   and problems to mark, entered as the visit's charges all at once.
//! - [`claims`]: paper claims (CMS-1500): made from charges pending with a
//!   payer, printed (data only for the red form, or the form drawn on
//!   plain paper; a disclosure), answered by the EOB posted or by hand,
//!   sent again; [`claim_grid`] says what each box of the form holds.
//! - [`commands`]: the commands, each declared once.
//!
//! Money is [`chartroom_types::Money`] (integer cents) throughout. Depends
//! on `chartroom-core`, the store, the types, the ICD-10-CM code set, the
//! chart (its letterhead and printed sheets) and the PDF layer; never on
//! another area.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod claim_grid;
pub mod claims;
pub mod commands;
pub mod ledger;
pub mod posting;
pub mod protocol;
pub mod receipts;
pub mod reports;
pub mod setup;
pub mod statements;
pub mod superbill;
pub mod view;
