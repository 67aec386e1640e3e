//! The drug knowledge file (`assets/clinical/drugs.json`) parsed, checked
//! and indexed for name matching.
//!
//! Loading checks everything the safety checks rely on, so a damaged or
//! mis-edited file is a [`CodesError`] at load and never a panic or a silent
//! gap later: every class member, interaction side and cross-reactivity side
//! names a drug or class the file defines, every entry cites a listed
//! source, and no name (generic, brand, alias, class alias) is claimed by
//! two different drugs or classes once folded.
//!
//! Names are matched as whole words after folding (see
//! [`crate::text::fold_words`]): a name matches where its words appear
//! consecutively in the text, the longest name winning at each position, so
//! "amoxicillin-clavulanate 875 mg" is the combination, not amoxicillin.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::CodesError;
use crate::text::fold_words;

use super::Severity;

pub(super) const ASSET_NAME: &str = "drugs.json";

/// Prefix of a class reference in interaction and cross-reactivity sides.
const CLASS_REF: &str = "class:";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    about: String,
    version: String,
    drugs_source: String,
    sources: Vec<RawSource>,
    drugs: Vec<RawDrug>,
    classes: Vec<RawClass>,
    cross_reactivity: Vec<RawCross>,
    interactions: Vec<RawInteraction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    title: String,
    publisher: String,
    year: Option<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDrug {
    generic: String,
    #[serde(default)]
    brands: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    id: String,
    name: String,
    member_label: String,
    aliases: Vec<String>,
    members: Vec<String>,
    allergy: RawAllergy,
    duplicate_check: bool,
    note: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
enum RawAllergy {
    Class,
    Cross { severity: Severity, note: String },
    None,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCross {
    a: Vec<String>,
    b: Vec<String>,
    severity: Severity,
    note: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInteraction {
    a: Vec<String>,
    b: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    severity: Severity,
    effect: String,
    source: String,
}

/// What an allergy to one member of a class says about the others.
#[derive(Debug, Clone)]
pub(super) enum AllergyMode {
    /// Treat it as an allergy to every member.
    Class,
    /// Other members may cross-react, with this severity and note.
    Cross { severity: Severity, note: String },
    /// Nothing: members are unrelated for allergy purposes.
    None,
}

#[derive(Debug)]
pub(super) struct Drug {
    pub generic: String,
    pub classes: Vec<usize>,
}

#[derive(Debug)]
pub(super) struct Class {
    pub id: String,
    pub name: String,
    pub member_label: String,
    pub members: Vec<usize>,
    pub allergy: AllergyMode,
    pub duplicate_check: bool,
    pub note: String,
    pub source: usize,
}

/// One side of an interaction or cross-reactivity entry.
#[derive(Debug, Default)]
pub(super) struct Side {
    pub drugs: Vec<usize>,
    pub classes: Vec<usize>,
}

#[derive(Debug)]
pub(super) struct CrossEntry {
    pub a: Side,
    pub b: Side,
    pub severity: Severity,
    pub note: String,
    pub source: usize,
}

#[derive(Debug)]
pub(super) struct Interaction {
    pub a: Side,
    pub b: Side,
    pub except: Vec<usize>,
    pub severity: Severity,
    pub effect: String,
    pub source: usize,
}

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Drug(usize),
    Class(usize),
}

/// One matchable name.
#[derive(Debug)]
pub(super) struct Name {
    /// The name as written in the file (`Augmentin`, `SMX-TMP`).
    pub text: String,
    pub words: Vec<String>,
    pub target: Target,
    pub brand: bool,
}

/// The whole file, checked and indexed.
#[derive(Debug)]
pub(super) struct Model {
    pub about: String,
    pub version: String,
    /// Source titles, ready to show.
    pub sources: Vec<String>,
    pub drugs_source: usize,
    pub drugs: Vec<Drug>,
    pub classes: Vec<Class>,
    pub cross: Vec<CrossEntry>,
    pub interactions: Vec<Interaction>,
    pub names: Vec<Name>,
    /// Name ids by first word, longest names first.
    by_first_word: HashMap<String, Vec<usize>>,
}

fn bad(reason: impl Into<String>) -> CodesError {
    CodesError::BadAsset {
        asset: ASSET_NAME,
        reason: reason.into(),
    }
}

impl Side {
    /// True when `drug` is on this side, by name or through one of its classes.
    pub fn has_drug(&self, model: &Model, drug: usize) -> bool {
        self.drugs.contains(&drug)
            || model.drugs[drug]
                .classes
                .iter()
                .any(|c| self.classes.contains(c))
    }

    /// True when this side names `class`, or names a drug of that class (an
    /// allergy recorded as "penicillin" may have been to amoxicillin).
    pub fn touches_class(&self, model: &Model, class: usize) -> bool {
        self.classes.contains(&class)
            || self
                .drugs
                .iter()
                .any(|&d| model.drugs[d].classes.contains(&class))
    }
}

impl Model {
    pub fn parse(text: &str) -> Result<Self, CodesError> {
        let raw: RawFile =
            serde_json::from_str(text).map_err(|e| bad(format!("not valid drug data: {e}")))?;

        let mut source_ids: HashMap<&str, usize> = HashMap::new();
        let mut sources = Vec::new();
        for s in &raw.sources {
            if s.id.is_empty() || s.title.trim().is_empty() || s.publisher.trim().is_empty() {
                return Err(bad(format!(
                    "source {:?} needs an id, a title and a publisher",
                    s.id
                )));
            }
            if source_ids.insert(&s.id, sources.len()).is_some() {
                return Err(bad(format!("source {:?} is listed twice", s.id)));
            }
            sources.push(match s.year {
                Some(year) => format!("{} ({}, {year})", s.title, s.publisher),
                None => format!("{} ({})", s.title, s.publisher),
            });
        }
        let source = |id: &str, what: &str| {
            source_ids
                .get(id)
                .copied()
                .ok_or_else(|| bad(format!("{what} cites unknown source {id:?}")))
        };
        let drugs_source = source(&raw.drugs_source, "drugs_source")?;

        let mut drug_ids: HashMap<&str, usize> = HashMap::new();
        let mut drugs = Vec::new();
        for d in &raw.drugs {
            if d.generic.trim().is_empty() {
                return Err(bad("a drug has an empty generic name"));
            }
            if drug_ids.insert(&d.generic, drugs.len()).is_some() {
                return Err(bad(format!("drug {:?} is listed twice", d.generic)));
            }
            drugs.push(Drug {
                generic: d.generic.clone(),
                classes: Vec::new(),
            });
        }
        let drug = |name: &str, what: &str| {
            drug_ids
                .get(name)
                .copied()
                .ok_or_else(|| bad(format!("{what} names unknown drug {name:?}")))
        };

        let mut class_ids: HashMap<&str, usize> = HashMap::new();
        let mut classes = Vec::new();
        for c in &raw.classes {
            if class_ids.insert(&c.id, classes.len()).is_some() {
                return Err(bad(format!("class {:?} is listed twice", c.id)));
            }
            if c.members.is_empty() || c.name.trim().is_empty() || c.member_label.trim().is_empty()
            {
                return Err(bad(format!(
                    "class {:?} needs a name, a member label and members",
                    c.id
                )));
            }
            let what = format!("class {:?}", c.id);
            let mut members = Vec::new();
            for m in &c.members {
                let d = drug(m, &what)?;
                if members.contains(&d) {
                    return Err(bad(format!("{what} lists {m:?} twice")));
                }
                members.push(d);
                drugs[d].classes.push(classes.len());
            }
            classes.push(Class {
                id: c.id.clone(),
                name: c.name.clone(),
                member_label: c.member_label.clone(),
                members,
                allergy: match &c.allergy {
                    RawAllergy::Class => AllergyMode::Class,
                    RawAllergy::Cross { severity, note } => AllergyMode::Cross {
                        severity: *severity,
                        note: note.clone(),
                    },
                    RawAllergy::None => AllergyMode::None,
                },
                duplicate_check: c.duplicate_check,
                note: c.note.clone(),
                source: source(&c.source, &what)?,
            });
        }

        let side = |refs: &[String], what: &str| -> Result<Side, CodesError> {
            if refs.is_empty() {
                return Err(bad(format!("{what} has an empty side")));
            }
            let mut side = Side::default();
            for r in refs {
                if let Some(id) = r.strip_prefix(CLASS_REF) {
                    let c = class_ids
                        .get(id)
                        .copied()
                        .ok_or_else(|| bad(format!("{what} names unknown class {id:?}")))?;
                    side.classes.push(c);
                } else {
                    side.drugs.push(drug(r, what)?);
                }
            }
            Ok(side)
        };

        let mut cross = Vec::new();
        for (i, e) in raw.cross_reactivity.iter().enumerate() {
            let what = format!("cross_reactivity entry {}", i + 1);
            cross.push(CrossEntry {
                a: side(&e.a, &what)?,
                b: side(&e.b, &what)?,
                severity: e.severity,
                note: e.note.clone(),
                source: source(&e.source, &what)?,
            });
        }

        let mut interactions = Vec::new();
        for (i, e) in raw.interactions.iter().enumerate() {
            let what = format!("interaction {}", i + 1);
            if e.effect.trim().is_empty() {
                return Err(bad(format!("{what} has no effect text")));
            }
            let except = e
                .except
                .iter()
                .map(|d| drug(d, &what))
                .collect::<Result<Vec<_>, _>>()?;
            interactions.push(Interaction {
                a: side(&e.a, &what)?,
                b: side(&e.b, &what)?,
                except,
                severity: e.severity,
                effect: e.effect.clone(),
                source: source(&e.source, &what)?,
            });
        }

        let mut model = Self {
            about: raw.about.clone(),
            version: raw.version.clone(),
            sources,
            drugs_source,
            drugs,
            classes,
            cross,
            interactions,
            names: Vec::new(),
            by_first_word: HashMap::new(),
        };
        for (i, d) in raw.drugs.iter().enumerate() {
            model.add_name(&d.generic, Target::Drug(i), false)?;
            for brand in &d.brands {
                model.add_name(brand, Target::Drug(i), true)?;
            }
            for alias in &d.aliases {
                model.add_name(alias, Target::Drug(i), false)?;
            }
        }
        for (i, c) in raw.classes.iter().enumerate() {
            for alias in &c.aliases {
                model.add_name(alias, Target::Class(i), false)?;
            }
        }
        for ids in model.by_first_word.values_mut() {
            let names = &model.names;
            ids.sort_by_key(|&id| std::cmp::Reverse(names[id].words.len()));
        }
        Ok(model)
    }

    /// Adds one matchable name. The same folded name twice for the same
    /// target is harmless and skipped; for two targets it is an error.
    fn add_name(&mut self, text: &str, target: Target, brand: bool) -> Result<(), CodesError> {
        let words = fold_words(text);
        if words.is_empty() {
            return Err(bad(format!("name {text:?} has no letters or digits")));
        }
        if let Some(&other) = self
            .by_first_word
            .get(&words[0])
            .and_then(|ids| ids.iter().find(|&&id| self.names[id].words == words))
        {
            if self.names[other].target == target {
                return Ok(());
            }
            return Err(bad(format!(
                "the name {text:?} stands for both {} and {}",
                self.describe(self.names[other].target),
                self.describe(target)
            )));
        }
        let id = self.names.len();
        self.by_first_word
            .entry(words[0].clone())
            .or_default()
            .push(id);
        self.names.push(Name {
            text: text.to_owned(),
            words,
            target,
            brand,
        });
        Ok(())
    }

    fn describe(&self, target: Target) -> String {
        match target {
            Target::Drug(d) => format!("drug {:?}", self.drugs[d].generic),
            Target::Class(c) => format!("class {:?}", self.classes[c].id),
        }
    }

    /// The names found in `text`, left to right, without overlaps; at each
    /// position the longest name wins.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let words = fold_words(text);
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut step = 1;
            if let Some(ids) = self.by_first_word.get(&words[i]) {
                if let Some(&id) = ids
                    .iter()
                    .find(|&&id| words[i..].starts_with(&self.names[id].words))
                {
                    found.push(id);
                    step = self.names[id].words.len();
                }
            }
            i += step;
        }
        found
    }
}
