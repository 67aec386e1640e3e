//! Clinical code sets shipped with Chartroom, and searching them.
//!
//! Today this is ICD-10-CM (diagnoses), release April 1, 2026, compiled into
//! the binary from `assets/codes/icd10cm-2026.tsv` (see that folder's
//! README for the source and how to regenerate it). Nothing here touches the
//! network, the database or patient data.
//!
//! - [`Icd10Index`]: the code set in memory with an inverted word index.
//!   [`Icd10Index::load`] builds it (tens of milliseconds in release);
//!   [`Icd10Index::search`] answers a picker query in well under a
//!   millisecond for typical queries.
//! - [`CodeHit`]: one search result, serialisable, with a generated
//!   TypeScript twin for the UI.
//! - [`CodeInfo`]: one code looked up by [`Icd10Index::get`].
//! - [`CodesError`]: the only failure, a damaged embedded asset.
//!
//! How queries are read and ranked is described in the `search` module;
//! the abbreviation table (`htn`, `copd`, `t2dm`, ...) and the list of
//! common codes used as a tie-breaker are in the `synonyms` module.

#![forbid(unsafe_code)]

mod error;
mod index;
mod search;
mod synonyms;
mod text;

pub use error::CodesError;
pub use index::Icd10Index;
pub use search::{CodeHit, CodeInfo};
