//! CDC CVX vaccine codes, for recording immunizations.
//!
//! The table (`assets/clinical/cvx.tsv`, transcribed from the CDC CVX code
//! set; see its header lines) lists the vaccines a US primary-care practice
//! gives, plus the historical and "unspecified" codes needed to record past
//! doses. [`VaccineCatalog::load`] parses it once; lookups are by code.
//! `active` says whether a product is given today (offer it when recording a
//! dose given now); inactive codes are for recording past doses only.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CodesError;
use crate::tsv::{bad_row, rows};

/// The table, compiled in.
const ASSET: &str = include_str!("../../../assets/clinical/cvx.tsv");
const ASSET_NAME: &str = "cvx.tsv";
const COLUMNS: &[&str] = &["cvx", "short_name", "full_name", "status", "notes"];

/// One CVX code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Vaccine {
    /// The CVX code as CDC writes it (`03`, `115`, `187`).
    pub cvx: String,
    /// CDC's short description, e.g. `Tdap`, `zoster recombinant`.
    pub short_name: String,
    /// CDC's full vaccine name.
    pub full_name: String,
    /// True for a product given in the US today; false for historical and
    /// "unspecified formulation" codes, used only to record past doses.
    pub active: bool,
    /// US products (brand names) and caveats; not part of the CDC table.
    pub notes: String,
}

/// The CVX table in memory. Build it once with [`VaccineCatalog::load`] or
/// share one with [`VaccineCatalog::shared`].
#[derive(Debug)]
pub struct VaccineCatalog {
    vaccines: Vec<Vaccine>,
    by_code: HashMap<String, usize>,
}

/// A code without leading zeros, so `3`, `03` and `003` are the same code
/// (HL7 messages are not consistent about the padding).
fn code_key(cvx: &str) -> &str {
    let trimmed = cvx.trim().trim_start_matches('0');
    if trimmed.is_empty() {
        "0"
    } else {
        trimmed
    }
}

impl VaccineCatalog {
    /// Parses the embedded table.
    ///
    /// # Errors
    /// Only if the embedded table is damaged (the tests load it).
    pub fn load() -> Result<Self, CodesError> {
        Self::from_tsv(ASSET)
    }

    /// One catalog for the whole process, built on first use.
    ///
    /// # Errors
    /// As [`VaccineCatalog::load`]; the outcome of the first call is kept.
    pub fn shared() -> Result<&'static Self, CodesError> {
        static SHARED: std::sync::OnceLock<Result<VaccineCatalog, CodesError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(Self::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub(crate) fn from_tsv(text: &str) -> Result<Self, CodesError> {
        let mut vaccines = Vec::new();
        let mut by_code = HashMap::new();
        for row in rows(ASSET_NAME, text, COLUMNS)? {
            let bad = |reason: &str| bad_row(ASSET_NAME, row.line, reason);
            let [cvx, short_name, full_name, status, notes] = row.fields[..] else {
                return Err(bad("wrong number of fields"));
            };
            if cvx.is_empty() || cvx.len() > 3 || !cvx.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("the CVX code must be 1 to 3 digits"));
            }
            if short_name.trim().is_empty() || full_name.trim().is_empty() {
                return Err(bad("short_name and full_name are required"));
            }
            let active = match status {
                "active" => true,
                "inactive" => false,
                _ => return Err(bad("status must be `active` or `inactive`")),
            };
            if by_code
                .insert(code_key(cvx).to_owned(), vaccines.len())
                .is_some()
            {
                return Err(bad("duplicate CVX code"));
            }
            vaccines.push(Vaccine {
                cvx: cvx.to_owned(),
                short_name: short_name.to_owned(),
                full_name: full_name.to_owned(),
                active,
                notes: notes.to_owned(),
            });
        }
        if vaccines.is_empty() {
            return Err(CodesError::BadAsset {
                asset: ASSET_NAME,
                reason: "no vaccines".to_owned(),
            });
        }
        Ok(Self { vaccines, by_code })
    }

    /// Every code, in the table's order (grouped by vaccine).
    pub fn all(&self) -> &[Vaccine] {
        &self.vaccines
    }

    /// The codes for products given today.
    pub fn active(&self) -> impl Iterator<Item = &Vaccine> {
        self.vaccines.iter().filter(|v| v.active)
    }

    /// One code; leading zeros do not matter (`8` finds `08`).
    pub fn get(&self, cvx: &str) -> Option<&Vaccine> {
        self.by_code.get(code_key(cvx)).map(|&i| &self.vaccines[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "cvx\tshort_name\tfull_name\tstatus\tnotes\n";

    #[test]
    fn parses_and_looks_up_with_or_without_padding() {
        let text = format!(
            "# src\n{HEADER}03\tMMR\tmeasles\tactive\t\n121\tzoster live\tzoster\tinactive\tgone\n"
        );
        let cat = VaccineCatalog::from_tsv(&text).unwrap();
        assert_eq!(cat.all().len(), 2);
        assert_eq!(cat.get("3").unwrap().short_name, "MMR");
        assert_eq!(cat.get("03").unwrap().cvx, "03");
        assert!(!cat.get("121").unwrap().active);
        assert!(cat.get("999").is_none());
        assert_eq!(cat.active().count(), 1);
    }

    #[test]
    fn damaged_tables_are_errors() {
        for body in [
            "3a\tx\ty\tactive\t\n",
            "03\tx\ty\tmaybe\t\n",
            "03\t\ty\tactive\t\n",
            "03\tx\ty\tactive\t\n3\tx\ty\tactive\t\n",
            "03\tx\ty\tactive\n",
        ] {
            let text = format!("{HEADER}{body}");
            assert!(
                matches!(
                    VaccineCatalog::from_tsv(&text),
                    Err(CodesError::BadRow { .. })
                ),
                "{body:?}"
            );
        }
        assert!(VaccineCatalog::from_tsv(HEADER).is_err());
    }
}
