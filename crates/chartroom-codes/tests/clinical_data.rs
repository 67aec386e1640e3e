//! The clinical reference data as a clinician meets it: what a safety check
//! says for a prescription, how a lab value is flagged, which vaccine a
//! code is; and the data files' own integrity (sources cited, names
//! unambiguous, LOINC check digits, unique CVX codes).
//!
//! Safety checks go through [`check`]: the drug, the allergies, the
//! medication list, and the one finding expected (or none).

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chartroom_codes::{
    loinc_check_digit_ok, DrugKnowledge, FindingKind, LabCatalog, LabFlag, SafetyFinding, Severity,
    VaccineCatalog,
};
use serde_json::Value;

const DRUGS_JSON: &str = include_str!("../../../assets/clinical/drugs.json");
const CVX_TSV: &str = include_str!("../../../assets/clinical/cvx.tsv");
const LABS_TSV: &str = include_str!("../../../assets/clinical/labs.tsv");

fn drugs() -> &'static DrugKnowledge {
    DrugKnowledge::shared().expect("embedded drug knowledge loads")
}

fn labs() -> &'static LabCatalog {
    LabCatalog::shared().expect("embedded lab table loads")
}

fn show(findings: &[SafetyFinding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {:?} {:?}: {}", f.kind, f.severity, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checking `drug` must give exactly one finding, of this kind and
/// severity; returns it for further checks.
fn check(
    drug: &str,
    allergies: &[&str],
    meds: &[&str],
    kind: FindingKind,
    severity: Severity,
) -> SafetyFinding {
    let findings = drugs().check(drug, allergies, meds);
    assert!(
        findings.len() == 1 && findings[0].kind == kind && findings[0].severity == severity,
        "{drug:?} with allergies {allergies:?}, meds {meds:?}: expected one {kind:?} {severity:?}, got:\n{}",
        show(&findings)
    );
    findings.into_iter().next().unwrap()
}

fn check_none(drug: &str, allergies: &[&str], meds: &[&str]) {
    let findings = drugs().check(drug, allergies, meds);
    assert!(
        findings.is_empty(),
        "{drug:?} with allergies {allergies:?}, meds {meds:?}: expected nothing, got:\n{}",
        show(&findings)
    );
}

// ---- allergies -------------------------------------------------------

#[test]
fn penicillin_allergy_and_amoxicillin() {
    let f = check(
        "Amoxicillin 500 mg capsule",
        &["Penicillin"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    assert_eq!(
        f.message,
        "Amoxicillin is a penicillin; the patient is allergic to Penicillin (penicillins)."
    );
    assert_eq!(f.drug, "Amoxicillin 500 mg capsule");
    assert_eq!(f.conflicts_with, "Penicillin");
    assert!(f.source.contains("Penicillin Allergy"), "{}", f.source);
}

#[test]
fn penicillin_allergy_and_cephalexin_is_cross_reactivity() {
    let f = check(
        "Keflex 500 mg",
        &["penicillin"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Moderate,
    );
    assert!(
        f.message
            .starts_with("Keflex (cephalexin) is a cephalosporin"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("penicillin (penicillins)"),
        "{}",
        f.message
    );
    // A cephalosporin with a dissimilar side chain: the class-level rate.
    check(
        "ceftriaxone",
        &["PCN"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Low,
    );
    check(
        "meropenem",
        &["Penicillins"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Low,
    );
}

#[test]
fn a_drug_allergy_covers_its_class() {
    let f = check(
        "Augmentin 875",
        &["amoxicillin (hives)"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    assert_eq!(
        f.message,
        "Augmentin (amoxicillin-clavulanate) is a penicillin; the patient is allergic to amoxicillin (hives) (penicillins)."
    );
    check(
        "Penicillin V potassium 500 mg",
        &["Amoxil"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    // Amoxicillin shares its R1 side chain with cephalexin, not cefdinir.
    check(
        "cephalexin",
        &["amoxicillin"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Moderate,
    );
    check(
        "cefdinir",
        &["amoxicillin"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Low,
    );
    // No "(statins)" after an allergy recorded as the class itself.
    let f = check(
        "Zocor",
        &["Statins"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    assert_eq!(
        f.message,
        "Zocor (simvastatin) is a statin; the patient is allergic to Statins."
    );
    // The same drug is the strongest finding.
    let f = check(
        "amoxicillin",
        &["Amoxicillin"],
        &[],
        FindingKind::Allergy,
        Severity::Contraindicated,
    );
    assert_eq!(
        f.message,
        "Amoxicillin matches the patient's recorded allergy to Amoxicillin."
    );
}

#[test]
fn sulfa_allergy() {
    let f = check(
        "Bactrim DS",
        &["sulfa"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    assert!(
        f.message
            .contains("Bactrim (sulfamethoxazole-trimethoprim)"),
        "{}",
        f.message
    );
    check(
        "SMX-TMP",
        &["Sulfa drugs"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    // Non-antibiotic sulfonamides are not cross-reactive.
    check_none("hydrochlorothiazide 25 mg", &["sulfa"], &[]);
    check_none("celecoxib", &["Sulfonamides"], &[]);
}

#[test]
fn unknown_allergies_and_unknown_drugs_give_nothing() {
    check_none("amoxicillin", &["peanuts", "latex", "shellfish", ""], &[]);
    let knowledge = drugs();
    assert!(!knowledge.is_known("furosemide 40 mg"));
    assert!(knowledge.resolve("furosemide").is_none());
    check_none("furosemide 40 mg", &["penicillin"], &["warfarin"]);
    // A class name alone is not a drug to prescribe.
    assert!(!knowledge.is_known("penicillin"));
}

#[test]
fn nsaid_and_opioid_groups() {
    check(
        "Advil",
        &["aspirin"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    check(
        "naproxen",
        &["NSAIDs"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    check(
        "Celebrex",
        &["ibuprofen"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Low,
    );
    // Codeine and morphine are both phenanthrenes; fentanyl is another group.
    check(
        "morphine sulfate",
        &["codeine"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    check(
        "Percocet",
        &["Codeine"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
    check(
        "fentanyl patch",
        &["codeine"],
        &[],
        FindingKind::CrossReactivity,
        Severity::Low,
    );
    check(
        "tramadol",
        &["opiates"],
        &[],
        FindingKind::Allergy,
        Severity::Major,
    );
}

#[test]
fn one_finding_per_recorded_allergy() {
    let findings = drugs().check(
        "amoxicillin-clavulanate",
        &["Penicillin", "amoxicillin, sulfa", "peanuts"],
        &[],
    );
    assert_eq!(findings.len(), 2, "{}", show(&findings));
    assert!(findings.iter().all(|f| f.kind == FindingKind::Allergy));
}

// ---- interactions ----------------------------------------------------

#[test]
fn warfarin_and_ibuprofen() {
    let f = check(
        "ibuprofen 400 mg",
        &[],
        &["Warfarin 5 mg daily"],
        FindingKind::Interaction,
        Severity::Major,
    );
    assert_eq!(
        f.message,
        "Ibuprofen interacts with Warfarin 5 mg daily, on the patient's medication list."
    );
    assert!(f.detail.contains("bleeding"), "{}", f.detail);
    assert!(f.source.contains("Coumadin"), "{}", f.source);
    check(
        "aspirin 81 mg",
        &[],
        &["Coumadin"],
        FindingKind::Interaction,
        Severity::Major,
    );
    check(
        "Aleve",
        &[],
        &["Eliquis 5 mg"],
        FindingKind::Interaction,
        Severity::Major,
    );
    check(
        "Bactrim",
        &[],
        &["Jantoven"],
        FindingKind::Interaction,
        Severity::Major,
    );
}

#[test]
fn nitrates_and_pde5_inhibitors() {
    let f = check(
        "sildenafil 50 mg",
        &[],
        &["isosorbide mononitrate ER 30 mg"],
        FindingKind::Interaction,
        Severity::Contraindicated,
    );
    assert!(f.detail.contains("hypotension"), "{}", f.detail);
    check(
        "nitroglycerin SL",
        &[],
        &["Cialis"],
        FindingKind::Interaction,
        Severity::Contraindicated,
    );
    check(
        "Viagra",
        &[],
        &["Adempas"],
        FindingKind::Interaction,
        Severity::Contraindicated,
    );
}

#[test]
fn other_high_risk_pairs() {
    use FindingKind::Interaction;
    use Severity::{Contraindicated, Major};
    check(
        "sertraline",
        &[],
        &["phenelzine"],
        Interaction,
        Contraindicated,
    );
    check("Imitrex", &[], &["Nardil"], Interaction, Contraindicated);
    check(
        "clarithromycin",
        &[],
        &["simvastatin 40"],
        Interaction,
        Contraindicated,
    );
    check(
        "erythromycin",
        &[],
        &["Vytorin"],
        Interaction,
        Contraindicated,
    );
    check("lisinopril", &[], &["spironolactone"], Interaction, Major);
    check("losartan", &[], &["lisinopril"], Interaction, Major);
    check(
        "Entresto",
        &[],
        &["enalapril"],
        Interaction,
        Contraindicated,
    );
    check("oxycodone", &[], &["Xanax"], Interaction, Major);
    check("SMX-TMP", &[], &["methotrexate weekly"], Interaction, Major);
    check("Cipro", &[], &["tizanidine"], Interaction, Contraindicated);
    check("ibuprofen", &[], &["lithium carbonate"], Interaction, Major);
    check("lisinopril", &[], &["Lithobid"], Interaction, Major);
    check("amiodarone", &[], &["digoxin"], Interaction, Major);
    check("linezolid", &[], &["Lexapro"], Interaction, Major);
    check("allopurinol", &[], &["azathioprine"], Interaction, Major);
}

#[test]
fn aspirin_is_not_flagged_with_lithium() {
    check_none("aspirin 81 mg", &[], &["lithium"]);
}

#[test]
fn duplicate_therapy_and_refills() {
    let f = check(
        "ibuprofen",
        &[],
        &["naproxen 500 mg bid"],
        FindingKind::DuplicateTherapy,
        Severity::Moderate,
    );
    assert!(f.message.contains("are both NSAIDs"), "{}", f.message);
    check_none("Motrin", &[], &["ibuprofen 600"]);
    check_none("atorvastatin", &[], &["metformin", "amlodipine"]);
}

#[test]
fn findings_come_strongest_first() {
    let findings = drugs().check("sildenafil", &["peanuts"], &["tadalafil", "nitroglycerin"]);
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    assert_eq!(severities, [Severity::Contraindicated, Severity::Moderate]);
}

// ---- names -----------------------------------------------------------

#[test]
fn resolves_free_text_to_a_generic() {
    let k = drugs();
    for (text, generic) in [
        ("Amoxicillin 500 mg capsule", "amoxicillin"),
        ("augmentin", "amoxicillin-clavulanate"),
        ("Amoxicillin/Clavulanate 875-125", "amoxicillin-clavulanate"),
        ("Penicillin V potassium 250 mg", "penicillin V potassium"),
        ("Z-Pak", "azithromycin"),
        ("TMP-SMX DS", "sulfamethoxazole-trimethoprim"),
        ("Motrin IB", "ibuprofen"),
        ("Coumadin 5mg", "warfarin"),
        ("Revatio", "sildenafil"),
        ("LIPITOR 20 MG", "atorvastatin"),
        ("Prinivil", "lisinopril"),
        ("Tylenol with Codeine #3", "acetaminophen-codeine"),
        (
            "hydrocodone-acetaminophen 5/325",
            "hydrocodone-acetaminophen",
        ),
        ("isosorbide mononitrate", "isosorbide mononitrate"),
    ] {
        let resolved = k.resolve(text);
        assert_eq!(
            resolved.as_ref().map(|r| r.generic.as_str()),
            Some(generic),
            "{text:?}"
        );
    }
    let r = k.resolve("Augmentin").unwrap();
    assert!(r.brand);
    assert_eq!(r.matched, "Augmentin");
    assert_eq!(r.classes[0].id, "penicillins");
}

#[test]
fn picker_names_are_sorted_with_brands() {
    let names = drugs().names();
    let keys: Vec<String> = names.iter().map(|n| n.name.to_lowercase()).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let augmentin = names.iter().find(|n| n.name == "Augmentin").unwrap();
    assert!(augmentin.brand);
    assert_eq!(augmentin.generic, "amoxicillin-clavulanate");
    assert_eq!(augmentin.classes, ["penicillins"]);
    assert!(names.iter().any(|n| n.name == "warfarin" && !n.brand));
}

// ---- drugs.json integrity ---------------------------------------------

fn json() -> Value {
    serde_json::from_str(DRUGS_JSON).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn every_entry_cites_a_listed_source() {
    let data = json();
    let sources: HashSet<&str> = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert!(!s["title"].as_str().unwrap().is_empty());
            assert!(!s["publisher"].as_str().unwrap().is_empty());
            s["id"].as_str().unwrap()
        })
        .collect();
    for list in ["classes", "cross_reactivity", "interactions"] {
        for (i, entry) in data[list].as_array().unwrap().iter().enumerate() {
            let source = entry["source"].as_str().unwrap_or("");
            assert!(sources.contains(source), "{list}[{i}] cites {source:?}");
        }
    }
    assert!(sources.contains(data["drugs_source"].as_str().unwrap()));
}

#[test]
fn every_class_member_resolves_to_itself() {
    let data = json();
    let k = drugs();
    for class in data["classes"].as_array().unwrap() {
        let id = class["id"].as_str().unwrap();
        for member in strings(&class["members"]) {
            let r = k
                .resolve(&member)
                .unwrap_or_else(|| panic!("{member} does not resolve"));
            assert_eq!(r.generic, member);
            assert!(r.classes.iter().any(|c| c.id == id), "{member} not in {id}");
        }
    }
    for drug in data["drugs"].as_array().unwrap() {
        let generic = drug["generic"].as_str().unwrap();
        for name in strings(&drug["brands"])
            .iter()
            .chain(&strings(&drug["aliases"]))
        {
            assert_eq!(
                k.resolve(name).map(|r| r.generic),
                Some(generic.to_owned()),
                "{name:?} should be {generic}"
            );
        }
    }
}

/// Folds a name the way the matcher does (lower case, words of letters
/// and digits) without using the library.
fn fold(name: &str) -> String {
    name.to_lowercase()
        .replace('\'', "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn no_name_stands_for_two_things() {
    let data = json();
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut claim = |name: &str, target: String| {
        let key = fold(name);
        assert!(!key.is_empty(), "{name:?}");
        if let Some(previous) = owner.insert(key.clone(), target.clone()) {
            assert_eq!(previous, target, "{name:?} ({key}) is claimed twice");
        }
    };
    for drug in data["drugs"].as_array().unwrap() {
        let generic = drug["generic"].as_str().unwrap();
        claim(generic, format!("drug {generic}"));
        for name in strings(&drug["brands"])
            .iter()
            .chain(&strings(&drug["aliases"]))
        {
            claim(name, format!("drug {generic}"));
        }
    }
    for class in data["classes"].as_array().unwrap() {
        let id = class["id"].as_str().unwrap();
        for alias in strings(&class["aliases"]) {
            claim(&alias, format!("class {id}"));
        }
    }
}

#[test]
fn interactions_are_contraindicated_or_major_and_reference_known_things() {
    let data = json();
    let generics: HashSet<String> = data["drugs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["generic"].as_str().unwrap().to_owned())
        .collect();
    let classes: HashSet<String> = data["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let interactions = data["interactions"].as_array().unwrap();
    assert!(interactions.len() >= 20);
    for (i, e) in interactions.iter().enumerate() {
        let severity = e["severity"].as_str().unwrap();
        assert!(
            matches!(severity, "contraindicated" | "major"),
            "interaction {i}"
        );
        for side in ["a", "b"] {
            for r in strings(&e[side]) {
                match r.strip_prefix("class:") {
                    Some(c) => assert!(classes.contains(c), "interaction {i}: {r}"),
                    None => assert!(generics.contains(&r), "interaction {i}: {r}"),
                }
            }
        }
    }
}

// ---- labs ------------------------------------------------------------

#[test]
fn lab_flags_at_the_limits() {
    let k = labs().get("2823-3").unwrap();
    assert_eq!(k.short_name, "K");
    for (value, flag) in [
        (4.2, LabFlag::Normal),
        (3.5, LabFlag::Normal),
        (5.1, LabFlag::Normal),
        (3.4, LabFlag::Low),
        (5.2, LabFlag::High),
        (2.8, LabFlag::Low),
        (2.7, LabFlag::CriticalLow),
        (6.2, LabFlag::High),
        (6.3, LabFlag::CriticalHigh),
        (f64::NAN, LabFlag::NoRange),
    ] {
        assert_eq!(k.flag(value), flag, "potassium {value}");
    }
    let a1c = labs().get("4548-4").unwrap();
    assert_eq!(a1c.unit, "%");
    assert_eq!(a1c.flag(5.6), LabFlag::Normal);
    assert_eq!(a1c.flag(5.7), LabFlag::High);
    // One-sided ranges.
    let cholesterol = labs().get("2093-3").unwrap();
    assert_eq!(cholesterol.flag(120.0), LabFlag::Normal);
    assert_eq!(cholesterol.flag(240.0), LabFlag::High);
    let egfr = labs().get("98979-8").unwrap();
    assert_eq!(egfr.flag(59.0), LabFlag::Low);
    assert_eq!(egfr.flag(120.0), LabFlag::Normal);
    let hgb = labs().get("718-7").unwrap();
    assert_eq!(hgb.flag(6.9), LabFlag::CriticalLow);
    assert_eq!(hgb.flag(7.0), LabFlag::Low);
    let inr = labs().get(" 6301-6 ").unwrap();
    assert_eq!(inr.flag(2.5), LabFlag::High);
    assert_eq!(inr.flag(4.6), LabFlag::CriticalHigh);
}

#[test]
fn the_labs_the_practice_needs_are_there() {
    for code in [
        "4548-4", "2093-3", "13457-7", "2085-9", "2571-8", "2160-0", "98979-8", "3094-0", "2951-2",
        "2823-3", "2075-0", "2028-9", "2345-7", "17861-6", "1751-7", "2885-2", "1742-6", "1920-8",
        "6768-6", "1975-2", "3016-3", "3024-7", "6690-2", "789-8", "718-7", "4544-3", "787-2",
        "777-3", "2857-1", "6301-6", "62292-8", "2132-9", "2276-4", "9318-7", "19123-9", "3084-1",
    ] {
        assert!(labs().get(code).is_some(), "{code}");
    }
    assert!(labs().panel("Lipid panel").count() >= 4);
}

#[test]
fn every_loinc_code_has_a_valid_check_digit() {
    assert!(loinc_check_digit_ok("718-7"));
    assert!(!loinc_check_digit_ok("718-6"));
    let mut rows = 0;
    let mut header = true;
    for line in LABS_TSV
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if std::mem::take(&mut header) {
            continue;
        }
        let code = line.split('\t').next().unwrap();
        assert!(loinc_check_digit_ok(code), "{code}");
        rows += 1;
    }
    assert_eq!(rows, labs().all().len());
    assert!(LABS_TSV.contains("This material contains content from LOINC"));
}

// ---- vaccines --------------------------------------------------------

#[test]
fn every_cvx_row_parses_and_codes_are_unique() {
    let catalog = VaccineCatalog::load().unwrap();
    let data_rows = CVX_TSV
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count()
        - 1;
    assert_eq!(catalog.all().len(), data_rows);
    let mut seen = HashSet::new();
    for v in catalog.all() {
        assert!(
            seen.insert(v.cvx.trim_start_matches('0').to_owned()),
            "{}",
            v.cvx
        );
        assert!(!v.short_name.is_empty() && !v.full_name.is_empty());
    }
    assert_eq!(catalog.get("187").unwrap().short_name, "zoster recombinant");
    assert_eq!(catalog.get("115").unwrap().short_name, "Tdap");
    assert_eq!(catalog.get("8").unwrap().cvx, "08");
    assert!(!catalog.get("121").unwrap().active);
    assert!(catalog.active().count() >= 30);
}

// ---- loading ---------------------------------------------------------

#[test]
fn load_times() {
    // Generous for an unoptimised build on a busy machine: each takes a few
    // milliseconds today, so this catches a slower parse by two orders of
    // magnitude, not noise.
    const BOUND: Duration = Duration::from_secs(2);
    let start = Instant::now();
    let d = DrugKnowledge::load().unwrap();
    let drugs_time = start.elapsed();
    let start = Instant::now();
    let v = VaccineCatalog::load().unwrap();
    let cvx_time = start.elapsed();
    let start = Instant::now();
    let l = LabCatalog::load().unwrap();
    let labs_time = start.elapsed();
    println!(
        "drugs.json: {} picker names in {drugs_time:?}; cvx.tsv: {} codes in {cvx_time:?}; labs.tsv: {} tests in {labs_time:?}",
        d.names().len(),
        v.all().len(),
        l.all().len(),
    );
    // Today's sizes, rounded down: a file cut short or a parser that skips
    // rows shows here.
    for (what, n, at_least) in [
        ("drugs.json picker names", d.names().len(), 430),
        ("cvx.tsv codes", v.all().len(), 90),
        ("cvx.tsv active codes", v.active().count(), 55),
        ("labs.tsv tests", l.all().len(), 50),
    ] {
        assert!(n >= at_least, "{what}: {n}, expected at least {at_least}");
    }
    for (what, took) in [
        ("drugs.json", drugs_time),
        ("cvx.tsv", cvx_time),
        ("labs.tsv", labs_time),
    ] {
        assert!(
            took < BOUND,
            "{what} took {took:?} to load (bound {BOUND:?})"
        );
    }
}

#[test]
fn an_unknown_drug_named_after_an_allergy_still_warns() {
    let k = DrugKnowledge::load().unwrap();
    let f = k.check("Zyflamend capsules 2 daily", &["Zyflamend", "Peanuts"], &[]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, FindingKind::Allergy);
    assert_eq!(f[0].conflicts_with, "Zyflamend");
    assert!(
        k.check("Zyflamend", &["Flam"], &[]).is_empty(),
        "whole words only"
    );
    let u = k.unchecked("Zyflamend");
    assert_eq!(u.kind, FindingKind::Unchecked);
    assert!(u.message.contains("not in the offline drug list"));
}
