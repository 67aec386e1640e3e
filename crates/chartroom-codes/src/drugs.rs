//! Offline drug knowledge and prescribing safety checks: allergies,
//! allergy cross-reactivity, high-risk interactions and duplicate therapy.
//!
//! The data (`assets/clinical/drugs.json`, authored by hand with a source on
//! every entry) lists drug classes and their members (generic names, US
//! brand names and common abbreviations), cross-reactivity between classes,
//! and a deliberately short list of contraindicated and major interactions.
//! It is not a complete interaction compendium: a drug it does not know is
//! not checked at all, which [`DrugKnowledge::resolve`] and
//! [`DrugKnowledge::is_known`] let the caller say plainly.
//!
//! [`DrugKnowledge::check`] reads the drug being prescribed, the patient's
//! allergies and current medications as free text, as recorded. Per
//! recorded allergy (or medication) it reports at most one finding, the
//! strongest:
//!
//! - **allergy**: the allergy names this drug, its class ("penicillin",
//!   "sulfa"), or another member of a class where one member's allergy
//!   counts for all (amoxicillin allergy, prescribing Augmentin);
//! - **cross_reactivity**: a related class or side chain (penicillin
//!   allergy, prescribing cephalexin), with the data's severity and note;
//! - **interaction**: an entry pairs this drug (or its class) with a current
//!   medication (or its class);
//! - **duplicate_therapy**: a current medication is another member of a
//!   class where two at once is usually a mistake (two NSAIDs).
//!
//! An allergy to something the data does not know ("peanuts", "latex")
//! gives nothing.

mod model;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CodesError;
use crate::text::fold_words;
use model::{AllergyMode, Model, Target};

/// The knowledge file, compiled in.
const ASSET: &str = include_str!("../../../assets/clinical/drugs.json");

/// How serious a finding is, weakest first (so `max` is the strongest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// Possible but unlikely; worth knowing.
    Low,
    /// Check before prescribing; may need monitoring or another choice.
    Moderate,
    /// Avoid, or prescribe only with a clear reason and monitoring.
    Major,
    /// Do not combine.
    Contraindicated,
}

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FindingKind {
    /// The patient is recorded as allergic to this drug or its class.
    Allergy,
    /// The patient is allergic to a related drug or class.
    CrossReactivity,
    /// The drug interacts with a current medication.
    Interaction,
    /// A current medication is another drug of the same class.
    DuplicateTherapy,
    /// The drug is not in the offline drug list: no checks could run
    /// (see [`DrugKnowledge::unchecked`]).
    Unchecked,
}

impl FindingKind {
    /// Which kind wins when one allergy or medication gives several.
    fn strength(self) -> u8 {
        match self {
            FindingKind::Allergy | FindingKind::Interaction => 2,
            FindingKind::CrossReactivity | FindingKind::DuplicateTherapy => 1,
            FindingKind::Unchecked => 0,
        }
    }
}

/// One problem found by [`DrugKnowledge::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SafetyFinding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// The drug being checked, as typed.
    pub drug: String,
    /// The allergy or medication it conflicts with, as recorded.
    pub conflicts_with: String,
    /// One plain sentence naming both, e.g. "Amoxicillin is a penicillin;
    /// the patient is allergic to Penicillin (penicillins)."
    pub message: String,
    /// The clinical note behind it: the interaction's effect, the
    /// cross-reactivity rate, what to do. May be empty.
    pub detail: String,
    /// The reference the finding rests on, ready to show.
    pub source: String,
}

/// A class, as shown next to a drug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrugClassRef {
    /// Stable id, e.g. `penicillins`, `ace_inhibitors`.
    pub id: String,
    /// Display name, e.g. `penicillins`, `ACE inhibitors`.
    pub name: String,
}

/// One entry of the prescribing / medication picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrugName {
    /// The generic or brand name, as written (`amoxicillin`, `Augmentin`).
    pub name: String,
    /// The generic it stands for (`amoxicillin-clavulanate`).
    pub generic: String,
    /// Display names of the generic's classes.
    pub classes: Vec<String>,
    /// True for a brand name.
    pub brand: bool,
}

/// What a free-text drug name was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResolvedDrug {
    /// The name that matched, as written in the data (`Augmentin`,
    /// `amoxicillin`, `SMX-TMP`).
    pub matched: String,
    /// The generic it stands for.
    pub generic: String,
    /// True when the match was a brand name.
    pub brand: bool,
    /// The generic's classes.
    pub classes: Vec<DrugClassRef>,
}

/// The drug knowledge in memory, indexed by name. Build it once with
/// [`DrugKnowledge::load`] (or share one with [`DrugKnowledge::shared`]).
#[derive(Debug)]
pub struct DrugKnowledge {
    model: Model,
}

/// A finding before it is attached to the texts it compares.
struct Candidate {
    kind: FindingKind,
    severity: Severity,
    message: String,
    detail: String,
    source: usize,
}

impl Candidate {
    fn beats(&self, other: &Candidate) -> bool {
        (self.kind.strength(), self.severity) > (other.kind.strength(), other.severity)
    }
}

/// Keeps the stronger of `best` and `new`; the first one wins ties.
fn keep_best(best: &mut Option<Candidate>, new: Candidate) {
    if best.as_ref().is_none_or(|b| new.beats(b)) {
        *best = Some(new);
    }
}

/// An allergy whose recorded words all appear, in order, in the drug's
/// name ("Penicillin" in "Penicillin VK 500 mg"): the safety net for
/// names the drug file does not resolve.
fn named_allergy(drug: &str, recorded: &str) -> Option<SafetyFinding> {
    let words = fold_words(recorded);
    let in_drug = fold_words(drug);
    if words.is_empty() || in_drug.len() < words.len() {
        return None;
    }
    let found = in_drug.windows(words.len()).any(|w| w == words.as_slice());
    found.then(|| SafetyFinding {
        kind: FindingKind::Allergy,
        severity: Severity::Major,
        drug: drug.trim().to_owned(),
        conflicts_with: recorded.to_owned(),
        message: format!(
            "\"{}\" names {recorded}, to which the patient is recorded as allergic.",
            drug.trim()
        ),
        detail: "Matched by name: the drug is not in the offline drug list, so its class could not be checked.".to_owned(),
        source: "The patient's recorded allergy".to_owned(),
    })
}

/// `text` with its first letter upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl DrugKnowledge {
    /// Parses and checks the embedded knowledge file.
    ///
    /// # Errors
    /// Only if the embedded file is damaged (the tests load it).
    pub fn load() -> Result<Self, CodesError> {
        Self::from_json(ASSET)
    }

    /// One instance for the whole process, built on first use.
    ///
    /// # Errors
    /// As [`DrugKnowledge::load`]; the outcome of the first call is kept.
    pub fn shared() -> Result<&'static Self, CodesError> {
        static SHARED: std::sync::OnceLock<Result<DrugKnowledge, CodesError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(Self::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub(crate) fn from_json(text: &str) -> Result<Self, CodesError> {
        Ok(Self {
            model: Model::parse(text)?,
        })
    }

    /// The data's version (the date it was last revised).
    pub fn version(&self) -> &str {
        &self.model.version
    }

    /// What the data is and is not, in a paragraph for an "about" screen.
    pub fn about(&self) -> &str {
        &self.model.about
    }

    /// Names for the prescribing / medication picker: every generic and
    /// brand with its class names, sorted case-insensitively.
    pub fn names(&self) -> Vec<DrugName> {
        let m = &self.model;
        let mut out: Vec<DrugName> = m
            .names
            .iter()
            .filter_map(|n| {
                let Target::Drug(d) = n.target else {
                    return None;
                };
                let drug = &m.drugs[d];
                let is_generic = n.text == drug.generic;
                (is_generic || n.brand).then(|| DrugName {
                    name: n.text.clone(),
                    generic: drug.generic.clone(),
                    classes: drug
                        .classes
                        .iter()
                        .map(|&c| m.classes[c].name.clone())
                        .collect(),
                    brand: n.brand,
                })
            })
            .collect();
        out.sort_by_cached_key(|n| (n.name.to_lowercase(), n.brand));
        out
    }

    /// Reads free text ("Amoxicillin 500 mg capsule", "augmentin",
    /// "Penicillin V potassium") as a known drug: the longest drug name in
    /// it, the first if several are as long. `None` when no listed drug is
    /// named (a class name such as "penicillin" alone is not a drug).
    pub fn resolve(&self, text: &str) -> Option<ResolvedDrug> {
        let m = &self.model;
        let (name, drug) = self.primary_drug(text)?;
        let name = &m.names[name];
        Some(ResolvedDrug {
            matched: name.text.clone(),
            generic: m.drugs[drug].generic.clone(),
            brand: name.brand,
            classes: m.drugs[drug]
                .classes
                .iter()
                .map(|&c| DrugClassRef {
                    id: m.classes[c].id.clone(),
                    name: m.classes[c].name.clone(),
                })
                .collect(),
        })
    }

    /// True when `text` names a drug the data knows, i.e. when
    /// [`DrugKnowledge::check`] can check it at all.
    pub fn is_known(&self, text: &str) -> bool {
        self.primary_drug(text).is_some()
    }

    /// The name id and drug id of the longest drug name in `text`.
    fn primary_drug(&self, text: &str) -> Option<(usize, usize)> {
        let m = &self.model;
        let mut best: Option<(usize, usize)> = None;
        for id in m.find(text) {
            if let Target::Drug(d) = m.names[id].target {
                if best.is_none_or(|(b, _)| m.names[id].words.len() > m.names[b].words.len()) {
                    best = Some((id, d));
                }
            }
        }
        best
    }

    /// Every drug named in `text`, each once, in order.
    fn drugs_in(&self, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for id in self.model.find(text) {
            if let Target::Drug(d) = self.model.names[id].target {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// Checks prescribing `drug` for a patient with these allergies and
    /// current medications, all free text as recorded. Returns the findings,
    /// strongest first (by severity, then allergy and interaction before
    /// cross-reactivity and duplicates); empty when nothing is found *or* when `drug` is not
    /// in the data (see [`DrugKnowledge::is_known`]).
    pub fn check(
        &self,
        drug: &str,
        allergies: &[&str],
        current_meds: &[&str],
    ) -> Vec<SafetyFinding> {
        let Some((name, rx)) = self.primary_drug(drug) else {
            // Not a drug the file knows ("Penicillin VK", a typo, a class
            // name): still match the recorded allergies by their words.
            return allergies
                .iter()
                .filter_map(|a| named_allergy(drug, a.trim()))
                .collect();
        };
        let shown = self.display_name(name, rx);
        let mut findings = Vec::new();
        for &allergy in allergies {
            let recorded = allergy.trim();
            let mut best = None;
            for id in self.model.find(recorded) {
                for c in self.allergy_candidates(rx, &shown, self.model.names[id].target, recorded)
                {
                    keep_best(&mut best, c);
                }
            }
            match best {
                Some(c) => findings.push(self.finding(c, drug, recorded)),
                None => findings.extend(named_allergy(drug, recorded)),
            }
        }
        for &med in current_meds {
            let recorded = med.trim();
            let mut best = None;
            for other in self.drugs_in(recorded) {
                for c in self.medication_candidates(rx, &shown, other, recorded) {
                    keep_best(&mut best, c);
                }
            }
            if let Some(c) = best {
                findings.push(self.finding(c, drug, recorded));
            }
        }
        findings.sort_by_key(|f| std::cmp::Reverse((f.severity, f.kind.strength())));
        findings
    }

    /// The finding for a drug the offline list does not know: nothing could
    /// be checked, which the prescriber must acknowledge.
    pub fn unchecked(&self, drug: &str) -> SafetyFinding {
        let drug = drug.trim();
        SafetyFinding {
            kind: FindingKind::Unchecked,
            severity: Severity::Moderate,
            drug: drug.to_owned(),
            conflicts_with: "the offline drug list".to_owned(),
            message: format!(
                "\"{drug}\" is not in the offline drug list, so no allergy or interaction checks were run."
            ),
            detail: "Check the drug against the patient's allergies and medications yourself, or use its generic name.".to_owned(),
            source: "Chartroom offline drug knowledge (assets/clinical/drugs.json)".to_owned(),
        }
    }

    /// How the prescribed drug is named in messages: "Augmentin
    /// (amoxicillin-clavulanate)" for a brand, else the capitalized generic.
    fn display_name(&self, name: usize, drug: usize) -> String {
        let name = &self.model.names[name];
        let generic = &self.model.drugs[drug].generic;
        if name.brand {
            format!("{} ({generic})", name.text)
        } else {
            capitalized(generic)
        }
    }

    fn finding(&self, c: Candidate, drug: &str, conflicts_with: &str) -> SafetyFinding {
        SafetyFinding {
            kind: c.kind,
            severity: c.severity,
            drug: drug.trim().to_owned(),
            conflicts_with: conflicts_with.to_owned(),
            message: c.message,
            detail: c.detail,
            source: self.model.sources[c.source].clone(),
        }
    }

    /// "Cephalexin is a cephalosporin" (or just the name for a drug in no
    /// class): how the prescribed drug is introduced in a message.
    fn introduce(&self, shown: &str, class: Option<usize>) -> String {
        match class {
            Some(c) => format!("{shown} is {}", self.model.classes[c].member_label),
            None => shown.to_owned(),
        }
    }

    /// The class of `drug` named on `side`, else its first class.
    fn class_on_side(&self, drug: usize, side: &model::Side) -> Option<usize> {
        let classes = &self.model.drugs[drug].classes;
        classes
            .iter()
            .copied()
            .find(|c| side.classes.contains(c))
            .or_else(|| classes.first().copied())
    }

    /// Findings for prescribing `rx` to a patient allergic to `allergen`
    /// (recorded as `recorded`).
    fn allergy_candidates(
        &self,
        rx: usize,
        shown: &str,
        allergen: Target,
        recorded: &str,
    ) -> Vec<Candidate> {
        let m = &self.model;
        let mut out = Vec::new();
        // "(penicillins)" after the allergy as recorded, unless it says just that.
        let class_note = |c: usize| {
            let name = &m.classes[c].name;
            if fold_words(recorded) == fold_words(name) {
                String::new()
            } else {
                format!(" ({name})")
            }
        };
        let allergy_to_class = |c: usize| Candidate {
            kind: FindingKind::Allergy,
            severity: Severity::Major,
            message: format!(
                "{}; the patient is allergic to {recorded}{}.",
                self.introduce(shown, Some(c)),
                class_note(c)
            ),
            detail: m.classes[c].note.clone(),
            source: m.classes[c].source,
        };
        let cross = |rx_class: Option<usize>,
                     allergen_class: Option<usize>,
                     severity,
                     note: &str,
                     source| {
            let related = allergen_class.map(class_note).unwrap_or_default();
            Candidate {
                kind: FindingKind::CrossReactivity,
                severity,
                message: format!(
                    "{} and the patient is allergic to {recorded}{related}: possible cross-reactivity.",
                    self.introduce(shown, rx_class)
                ),
                detail: note.to_owned(),
                source,
            }
        };
        match allergen {
            Target::Drug(a) if a == rx => out.push(Candidate {
                kind: FindingKind::Allergy,
                severity: Severity::Contraindicated,
                message: format!("{shown} matches the patient's recorded allergy to {recorded}."),
                detail: String::new(),
                source: m.drugs_source,
            }),
            Target::Drug(a) => {
                for &c in &m.drugs[rx].classes {
                    if !m.drugs[a].classes.contains(&c) {
                        continue;
                    }
                    match &m.classes[c].allergy {
                        AllergyMode::Class => out.push(allergy_to_class(c)),
                        AllergyMode::Cross { severity, note } => {
                            out.push(cross(
                                Some(c),
                                Some(c),
                                *severity,
                                note,
                                m.classes[c].source,
                            ));
                        }
                        AllergyMode::None => {}
                    }
                }
                for e in &m.cross {
                    for (near, far) in [(&e.a, &e.b), (&e.b, &e.a)] {
                        if near.has_drug(m, a) && far.has_drug(m, rx) {
                            out.push(cross(
                                self.class_on_side(rx, far),
                                self.class_on_side(a, near),
                                e.severity,
                                &e.note,
                                e.source,
                            ));
                        }
                    }
                }
            }
            Target::Class(c) => {
                if m.classes[c].members.contains(&rx) {
                    out.push(allergy_to_class(c));
                }
                for e in &m.cross {
                    for (near, far) in [(&e.a, &e.b), (&e.b, &e.a)] {
                        if near.touches_class(m, c) && far.has_drug(m, rx) {
                            out.push(cross(
                                self.class_on_side(rx, far),
                                Some(c),
                                e.severity,
                                &e.note,
                                e.source,
                            ));
                        }
                    }
                }
            }
        }
        out
    }

    /// Findings for prescribing `rx` to a patient taking `other` (recorded
    /// as `recorded`).
    fn medication_candidates(
        &self,
        rx: usize,
        shown: &str,
        other: usize,
        recorded: &str,
    ) -> Vec<Candidate> {
        let m = &self.model;
        let mut out = Vec::new();
        if other == rx {
            // The same drug again is a refill or a dose change, not a conflict.
            return out;
        }
        for e in &m.interactions {
            if e.except.contains(&rx) || e.except.contains(&other) {
                continue;
            }
            let pairs = (e.a.has_drug(m, rx) && e.b.has_drug(m, other))
                || (e.b.has_drug(m, rx) && e.a.has_drug(m, other));
            if pairs {
                out.push(Candidate {
                    kind: FindingKind::Interaction,
                    severity: e.severity,
                    message: format!(
                        "{shown} interacts with {recorded}, on the patient's medication list."
                    ),
                    detail: e.effect.clone(),
                    source: e.source,
                });
            }
        }
        for &c in &m.drugs[rx].classes {
            let class = &m.classes[c];
            if class.duplicate_check && m.drugs[other].classes.contains(&c) {
                out.push(Candidate {
                    kind: FindingKind::DuplicateTherapy,
                    severity: Severity::Moderate,
                    message: format!(
                        "{shown} and {recorded}, on the patient's medication list, are both {}: possible duplicate therapy.",
                        class.name
                    ),
                    detail: format!(
                        "Two {} at once add side effects without added benefit; check whether the new prescription replaces {recorded}.",
                        class.name
                    ),
                    source: class.source,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(body: &str) -> String {
        format!(
            r#"{{"about": "", "version": "t", "drugs_source": "s",
                "sources": [{{"id": "s", "title": "T", "publisher": "P", "year": null}}],
                {body}}}"#
        )
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let ok = data(
            r#""drugs": [{"generic": "a"}, {"generic": "b"}],
               "classes": [{"id": "k", "name": "ks", "member_label": "a k", "aliases": ["kay"],
                            "members": ["a", "b"], "allergy": {"mode": "class"},
                            "duplicate_check": false, "note": "", "source": "s"}],
               "cross_reactivity": [],
               "interactions": [{"a": ["a"], "b": ["class:k"], "severity": "major", "effect": "x", "source": "s"}]"#,
        );
        assert!(DrugKnowledge::from_json(&ok).is_ok());
        for (from, to) in [
            (r#""members": ["a", "b"]"#, r#""members": ["a", "c"]"#),
            (r#""b": ["class:k"]"#, r#""b": ["class:q"]"#),
            (
                r#""effect": "x", "source": "s""#,
                r#""effect": "x", "source": "nope""#,
            ),
            (r#""severity": "major""#, r#""severity": "huge""#),
            (r#""aliases": ["kay"]"#, r#""aliases": ["B"]"#),
            (r#"{"generic": "b"}"#, r#"{"generic": "a"}"#),
            (r#""about": """#, r#""about": 3"#),
        ] {
            let broken = ok.replace(from, to);
            assert_ne!(broken, ok, "{from} not found");
            assert!(
                matches!(
                    DrugKnowledge::from_json(&broken),
                    Err(CodesError::BadAsset { .. })
                ),
                "{to}"
            );
        }
        assert!(DrugKnowledge::from_json("{").is_err());
    }

    #[test]
    fn capitalizes_first_letter_only() {
        assert_eq!(
            capitalized("penicillin V potassium"),
            "Penicillin V potassium"
        );
        assert_eq!(capitalized(""), "");
    }
}
