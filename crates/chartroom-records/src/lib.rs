//! Records out: the one way a patient's record leaves the practice, on
//! paper or as a PDF the user chose to make.
//!
//! - [`compose`]: a request (chart summary, referral packet, the patient's
//!   own copy) checked and laid out with `chartroom_pdf`'s document layer,
//!   from the chart as `chartroom_chart::extract` reads it.
//! - [`release`]: the preview (a page drawn from the PDF itself), printing
//!   through the computer's print service or saving to a file the user
//!   chose outside the data folder, each recorded in the disclosure log
//!   with the recipient, the purpose, what was sent, the page count and
//!   the file's SHA-256; the accounting of disclosures (45 CFR 164.528)
//!   on screen and as a PDF; the practice-wide disclosure log.
//! - printing goes through `chartroom_chart::printer` (CUPS `lp`), fed the PDF on its input
//!   so no copy is left behind.
//! - [`referrals`]: the practice's referral address book.
//! - [`choices`]: what a record of a patient can hold (signed notes,
//!   documents, measures to plot), for the record screen.
//! - [`commands`]: every command of the area, declared once.
//! - [`protocol`]: the request and answer types.

#![forbid(unsafe_code)]

pub mod choices;
pub mod commands;
pub mod compose;
pub mod protocol;
pub mod referrals;
pub mod release;
