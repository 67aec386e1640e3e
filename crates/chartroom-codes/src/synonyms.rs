//! The clinical vocabulary the code titles do not spell out: abbreviations a
//! clinician types, and the codes a primary-care practice uses most.
//!
//! Both tables are small and hand-kept on purpose. Change them here, with a
//! test in `tests/search.rs` showing the query that motivated the change.

/// Abbreviations and the words they stand for. The key is one folded query
/// word; each phrase is a set of words that must all appear in a code's
/// title (in any order). A key with several phrases matches any of them
/// (`cad` is "coronary artery disease" in speech but "atherosclerotic heart
/// disease" in ICD-10-CM titles). The typed word itself is still searched as
/// a prefix too, ranked below the expansion, so typing "mi" on the way to
/// "migraine" is not a dead end.
///
/// Sorted by key (checked by a test).
pub(crate) const SYNONYMS: &[(&str, &[&str])] = &[
    ("adhd", &["attention deficit hyperactivity disorder"]),
    ("afib", &["atrial fibrillation"]),
    ("aki", &["acute kidney failure"]),
    ("bph", &["benign prostatic hyperplasia"]),
    (
        "cad",
        &["coronary artery disease", "atherosclerotic heart disease"],
    ),
    ("cancer", &["malignant neoplasm"]),
    ("chf", &["heart failure"]),
    ("ckd", &["chronic kidney disease"]),
    ("copd", &["chronic obstructive pulmonary disease"]),
    ("cva", &["cerebral infarction"]),
    ("dm", &["type 2 diabetes mellitus"]),
    ("dm1", &["type 1 diabetes mellitus"]),
    ("dm2", &["type 2 diabetes mellitus"]),
    (
        "dvt",
        &["deep vein thrombosis", "embolism thrombosis deep veins"],
    ),
    ("gerd", &["gastro esophageal reflux disease"]),
    ("hld", &["hyperlipidemia"]),
    ("htn", &["hypertension"]),
    ("lbp", &["low back pain"]),
    ("mdd", &["major depressive disorder"]),
    ("mi", &["myocardial infarction"]),
    ("oa", &["osteoarthritis"]),
    ("osa", &["obstructive sleep apnea"]),
    ("pe", &["pulmonary embolism"]),
    ("sob", &["shortness breath"]),
    ("stroke", &["cerebral infarction"]),
    ("t1dm", &["type 1 diabetes mellitus"]),
    ("t2dm", &["type 2 diabetes mellitus"]),
    ("tia", &["transient cerebral ischemic attack"]),
    ("uri", &["acute upper respiratory infection"]),
    ("uti", &["urinary tract infection"]),
];

/// The phrases a query word stands for, if it is a known abbreviation.
pub(crate) fn expand(word: &str) -> Option<&'static [&'static str]> {
    SYNONYMS
        .binary_search_by(|(key, _)| key.cmp(&word))
        .ok()
        .and_then(|i| SYNONYMS.get(i))
        .map(|(_, phrases)| *phrases)
}

/// Codes common in outpatient primary care. Among hits that match a query
/// equally well, these rank first: "type 2 diabetes" suggests E11.9 before
/// E11.8, "copd" suggests J44.9 before J44.89. This is a tie-breaker worth
/// less than one extra matched word, never a filter.
///
/// Every entry must exist and be billable (checked by a test).
pub(crate) const COMMON_CODES: &[&str] = &[
    "B34.9",   // viral infection, unspecified
    "D50.9",   // iron deficiency anemia, unspecified
    "D64.9",   // anemia, unspecified
    "E03.9",   // hypothyroidism, unspecified
    "E11.65",  // type 2 diabetes with hyperglycemia
    "E11.9",   // type 2 diabetes without complications
    "E55.9",   // vitamin D deficiency, unspecified
    "E66.9",   // obesity, unspecified
    "E78.2",   // mixed hyperlipidemia
    "E78.5",   // hyperlipidemia, unspecified
    "F17.210", // nicotine dependence, cigarettes, uncomplicated
    "F32.A",   // depression, unspecified
    "F41.1",   // generalized anxiety disorder
    "F41.9",   // anxiety disorder, unspecified
    "G43.909", // migraine, unspecified
    "G47.00",  // insomnia, unspecified
    "G47.33",  // obstructive sleep apnea
    "I10",     // essential (primary) hypertension
    "I21.9",   // acute myocardial infarction, unspecified
    "I25.10",  // atherosclerotic heart disease without angina
    "I48.91",  // unspecified atrial fibrillation
    "I50.9",   // heart failure, unspecified
    "I63.9",   // cerebral infarction, unspecified
    "J01.90",  // acute sinusitis, unspecified
    "J02.9",   // acute pharyngitis, unspecified
    "J06.9",   // acute upper respiratory infection, unspecified
    "J18.9",   // pneumonia, unspecified organism
    "J20.9",   // acute bronchitis, unspecified
    "J44.9",   // COPD, unspecified
    "J45.909", // unspecified asthma, uncomplicated
    "K21.9",   // GERD without esophagitis
    "K59.00",  // constipation, unspecified
    "M54.2",   // cervicalgia
    "M54.50",  // low back pain, unspecified
    "N18.9",   // chronic kidney disease, unspecified
    "N39.0",   // urinary tract infection, site not specified
    "N40.0",   // benign prostatic hyperplasia without LUTS
    "R05.9",   // cough, unspecified
    "R10.9",   // unspecified abdominal pain
    "R51.9",   // headache, unspecified
    "R53.83",  // other fatigue
    "Z00.00",  // general adult exam without abnormal findings
    "Z23",     // encounter for immunization
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_words;

    #[test]
    fn tables_are_sorted_and_keys_are_single_folded_words() {
        assert!(SYNONYMS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COMMON_CODES.windows(2).all(|w| w[0] < w[1]));
        for (key, _) in SYNONYMS {
            assert_eq!(query_words(key), [key.to_string()]);
        }
    }

    #[test]
    fn common_codes_exist_and_are_billable() {
        let index = crate::Icd10Index::shared().unwrap();
        for code in COMMON_CODES {
            let info = index.get(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(info.billable, "{code} is not billable");
        }
    }

    #[test]
    fn every_expansion_finds_codes() {
        let index = crate::Icd10Index::shared().unwrap();
        for (key, phrases) in SYNONYMS {
            for phrase in *phrases {
                assert!(
                    !index.search(phrase, 1).is_empty(),
                    "{key}: {phrase:?} finds nothing"
                );
            }
        }
    }

    #[test]
    fn expands_known_abbreviations_only() {
        assert_eq!(expand("htn"), Some(&["hypertension"][..]));
        assert_eq!(expand("hypertension"), None);
    }
}
