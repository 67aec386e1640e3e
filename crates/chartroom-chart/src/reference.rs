//! The offline reference data the chart uses, loaded once per process from
//! the assets compiled into `chartroom-codes`: ICD-10-CM, the drug
//! knowledge file, CVX vaccines and the lab catalogue.

use std::sync::OnceLock;

use chartroom_codes::{DrugKnowledge, Icd10Index, LabCatalog, VaccineCatalog};

use chartroom_core::{Error, Result};

/// Every catalogue, loaded.
pub struct Reference {
    pub icd10: Icd10Index,
    pub drugs: DrugKnowledge,
    pub vaccines: VaccineCatalog,
    pub labs: LabCatalog,
}

static REFERENCE: OnceLock<std::result::Result<Reference, String>> = OnceLock::new();

/// The catalogues; the first call loads them (tens of milliseconds).
pub fn get() -> Result<&'static Reference> {
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
        .map_err(|e| Error::Internal(format!("reference data is damaged: {e}")))
}

/// What the pickers list: vaccines, lab tests, drug names and the vital
/// signs in the practice's units. No patient data.
pub fn data(ctx: &mut chartroom_core::Ctx<'_>) -> Result<crate::protocol::ReferenceData> {
    let units = crate::measurements::units(ctx)?;
    let r = get()?;
    Ok(crate::protocol::ReferenceData {
        vaccines: r.vaccines.all().to_vec(),
        labs: r.labs.all().to_vec(),
        drugs: r.drugs.names(),
        vitals: crate::vitals::defs(units),
        units: units.as_str().to_string(),
    })
}
