//! What a clinician types into the diagnosis picker, and what must come up.
//!
//! Every case goes through [`check`]: the query, then the codes that must be
//! in the top hits. The first expected code must be *first* unless the case
//! says "in the top N".

use chartroom_codes::{CodeHit, Icd10Index};

fn index() -> &'static Icd10Index {
    Icd10Index::shared().expect("embedded ICD-10-CM asset loads")
}

fn show(hits: &[CodeHit]) -> String {
    hits.iter()
        .map(|h| format!("  {:9} {:7.2} {}", h.code, h.score, h.description))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `expected_top` must be the first hits of `query`, in that order.
fn check(query: &str, expected_top: &[&str]) {
    let hits = index().search(query, 10);
    let got: Vec<&str> = hits.iter().map(|h| h.code.as_str()).collect();
    assert!(
        got.len() >= expected_top.len() && got[..expected_top.len()] == *expected_top,
        "query {query:?}: expected {expected_top:?} first, got:\n{}",
        show(&hits)
    );
}

/// `code` must be among the first `n` hits of `query`.
fn check_in_top(query: &str, n: usize, code: &str) {
    let hits = index().search(query, n);
    assert!(
        hits.iter().any(|h| h.code == code),
        "query {query:?}: expected {code} in the top {n}, got:\n{}",
        show(&hits)
    );
}

fn check_empty(query: &str) {
    let hits = index().search(query, 10);
    assert!(
        hits.is_empty(),
        "query {query:?}: expected nothing, got:\n{}",
        show(&hits)
    );
}

#[test]
fn type_2_diabetes_in_words() {
    check_in_top("type 2 diabetes", 3, "E11.9");
    check("type 2 diabetes", &["E11.9"]);
    check("diabetes type 2", &["E11.9"]);
    check_in_top("type 2 diab", 3, "E11.9");
    check_in_top("t2dm", 3, "E11.9");
    check_in_top("dm2", 3, "E11.9");
    check_in_top("dm", 3, "E11.9");
}

#[test]
fn hypertension_and_its_abbreviation() {
    check("hypertension", &["I10"]);
    check("htn", &["I10"]);
    check("Hypertension", &["I10"]);
}

#[test]
fn codes_typed_as_codes() {
    check("I10", &["I10"]);
    check("e119", &["E11.9"]);
    check("E11.9", &["E11.9"]);
    // A category comes first, then its direct children in order.
    check("E11", &["E11", "E11.0", "E11.1", "E11.2", "E11.3", "E11.4"]);
    check("s72001a", &["S72.001A"]);
}

#[test]
fn common_abbreviations() {
    check_in_top("copd", 5, "J44.9");
    check("chf", &["I50.9"]);
    check_in_top("cad", 3, "I25.10");
    check("uti", &["N39.0"]);
    check_in_top("gerd", 3, "K21.9");
    check_in_top("mi", 5, "I21.9");
    check("afib", &["I48.91"]);
    check("hld", &["E78.5"]);
    check("osa", &["G47.33"]);
    check_in_top("adhd", 3, "F90.9");
    let hits = index().search("breast cancer", 5);
    assert!(
        hits.first().is_some_and(|h| h.code.starts_with("C50")),
        "breast cancer: expected a C50 code first, got:\n{}",
        show(&hits)
    );
    check_in_top("stroke", 3, "I63.9");
}

/// "mi" is read as myocardial infarction first, but the typed letters still
/// work as a prefix, ranked after the expansion's best codes: typing "mi" on
/// the way to "migraine" is not a dead end.
#[test]
fn an_abbreviation_is_still_a_prefix_ranked_after_its_expansion() {
    let hits = index().search("mi", 100); // the API's largest page
    let is_mi = |h: &CodeHit| {
        h.description
            .to_lowercase()
            .contains("myocardial infarction")
    };
    assert!(
        hits.len() == 100 && hits[..10].iter().all(is_mi),
        "mi: expected the first 10 hits to be myocardial infarction codes, got:\n{}",
        show(&hits[..hits.len().min(25)])
    );
    // The picker's page (25) already shows the literal reading.
    let first_literal = hits.iter().position(|h| !is_mi(h)).unwrap();
    assert!(
        first_literal < 25 && hits[first_literal].code == "H57.03",
        "mi: expected the first literal prefix match, H57.03 (miosis), in the top 25, got:\n{}",
        show(&hits[..25])
    );
    // Migraine itself comes up within the first 50, after the expansion:
    // the category G43 "Migraine", 44th.
    let migraine = hits
        .iter()
        .position(|h| h.code.starts_with("G43"))
        .map(|i| (i, hits[i].code.as_str(), hits[i].description.as_str()));
    assert_eq!(
        migraine,
        Some((43, "G43", "Migraine")),
        "mi: expected migraine (G43) 44th, after the expansion, got:\n{}",
        show(&hits[..50])
    );
    // One more letter and migraine is first.
    check("mig", &["G43", "G43.9"]);
}

#[test]
fn plain_words() {
    let hits = index().search("asthma", 10);
    assert!(
        hits.first().is_some_and(|h| h.code.starts_with("J45")),
        "asthma: expected a J45 code first, got:\n{}",
        show(&hits)
    );
    check_in_top("heart failure", 3, "I50.9");
    check_in_top("atrial fibrillation", 3, "I48.91");
    check_in_top("low back pain", 3, "M54.50");
    check_in_top("pneumonia", 3, "J18.9");
    check_in_top("fracture neck right femur", 10, "S72.001A");
}

#[test]
fn accents_case_and_typos_are_forgiven() {
    check_in_top("anémie", 10, "D64.9");
    check_in_top("ANEMIA", 3, "D64.9");
    check_in_top("pnuemonia", 3, "J18.9");
    check("Sjögren", &["M35.00"]);
}

#[test]
fn nothing_for_nothing() {
    check_empty("");
    check_empty("   ");
    check_empty("of the");
    check_empty("xqzvw");
    check_empty("blorptastic flurbo");
    assert!(index().search("diabetes", 0).is_empty());
}

#[test]
fn limits_and_order_are_respected() {
    let hits = index().search("diabetes", 25);
    assert_eq!(hits.len(), 25);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn the_code_set_is_complete() {
    let index = index();
    assert!(index.len() > 95_000, "{} codes", index.len());
    assert!(
        index.billable_count() > 70_000,
        "{} billable",
        index.billable_count()
    );
    let e119 = index.get("E11.9").expect("E11.9 exists");
    assert!(e119.billable);
    assert_eq!(
        e119.description,
        "Type 2 diabetes mellitus without complications"
    );
    assert!(!index.get("e11").expect("E11 exists").billable);
    assert!(index.get("I10").expect("I10 exists").billable);
    assert!(index.get("Z99.99").is_none());
    assert!(index.release().contains("April 1, 2026"));
}

#[test]
fn hits_serialise_for_the_ui() {
    let hit = index().search("I10", 1).remove(0);
    let json = serde_json::to_value(&hit).expect("serialises");
    assert_eq!(json["code"], "I10");
    assert_eq!(json["billable"], true);
    let back: CodeHit = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, hit);
}
