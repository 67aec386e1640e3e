//! The offline reference data the chart uses, loaded once per process from
//! the assets compiled into `chartroom-codes`: ICD-10-CM, the drug
//! knowledge file, CVX vaccines and the lab catalogue.

use std::sync::OnceLock;

use chartroom_codes::{DrugKnowledge, Icd10Index, LabCatalog, VaccineCatalog};

use crate::{ApiError, Result};

/// Every catalogue, loaded.
pub(crate) struct Reference {
    pub icd10: Icd10Index,
    pub drugs: DrugKnowledge,
    pub vaccines: VaccineCatalog,
    pub labs: LabCatalog,
}

static REFERENCE: OnceLock<std::result::Result<Reference, String>> = OnceLock::new();

/// The catalogues; the first call loads them (tens of milliseconds).
pub(crate) fn get() -> Result<&'static Reference> {
    REFERENCE
        .get_or_init(|| {
            Ok(Reference {
                icd10: Icd10Index::load().map_err(|e| e.to_string())?,
                drugs: DrugKnowledge::load().map_err(|e| e.to_string())?,
                vaccines: VaccineCatalog::load().map_err(|e| e.to_string())?,
                labs: LabCatalog::load().map_err(|e| e.to_string())?,
            })
        })
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("reference data is damaged: {e}")))
}
