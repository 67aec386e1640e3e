//! Clinical reference data shipped with Chartroom, and the code that reads
//! it. Everything is compiled into the binary and parsed once at load;
//! nothing here touches the network, the database or patient records (the
//! safety checks read the texts they are given and keep nothing).
//!
//! - [`Icd10Index`]: ICD-10-CM (diagnoses), release April 1, 2026, from
//!   `assets/codes/icd10cm-2026.tsv` (see that folder's README), with an
//!   inverted word index. [`Icd10Index::load`] builds it (tens of
//!   milliseconds in release); [`Icd10Index::search`] answers a picker query
//!   in well under a millisecond for typical queries, as [`CodeHit`]s;
//!   [`Icd10Index::get`] looks one code up as a [`CodeInfo`].
//! - [`DrugKnowledge`]: drug classes, US brand names, allergy
//!   cross-reactivity and high-risk interactions from
//!   `assets/clinical/drugs.json`, each entry with its source.
//!   [`DrugKnowledge::check`] turns a drug to prescribe, the recorded
//!   allergies and the medication list into [`SafetyFinding`]s;
//!   [`DrugKnowledge::resolve`] and [`DrugKnowledge::names`] serve the
//!   medication picker.
//! - [`VaccineCatalog`]: CDC CVX vaccine codes ([`Vaccine`]) from
//!   `assets/clinical/cvx.tsv`.
//! - [`LabCatalog`]: common lab tests ([`LabTest`]) with LOINC codes, UCUM
//!   units and adult reference and critical ranges from
//!   `assets/clinical/labs.tsv`; [`LabTest::flag`] gives a [`LabFlag`].
//! - [`Range`]: the one way a reference or target range is written
//!   ("3.5–5.0 mmol/L", "≥ 60"), for labs, vital signs and plots.
//! - [`CodesError`]: the only failure, a damaged embedded asset.
//!
//! Types that cross to the UI derive `Serialize` and have a generated
//! TypeScript twin (ts-rs). How ICD-10-CM queries are read and ranked is
//! described in the `search` module; the abbreviation table (`htn`, `copd`,
//! `t2dm`, ...) and the common codes used as a tie-breaker are in the
//! `synonyms` module. Text folding shared by every name match is in `text`.

#![forbid(unsafe_code)]

mod drugs;
mod error;
mod index;
mod labs;
mod range;
mod search;
mod synonyms;
mod text;
mod tsv;
mod vaccines;

pub use drugs::{
    DrugClassRef, DrugKnowledge, DrugName, FindingKind, ResolvedDrug, SafetyFinding, Severity,
};
pub use error::CodesError;
pub use index::Icd10Index;
pub use labs::{loinc_check_digit_ok, LabCatalog, LabFlag, LabTest};
pub use range::Range;
pub use search::{CodeHit, CodeInfo};
pub use vaccines::{Vaccine, VaccineCatalog};
