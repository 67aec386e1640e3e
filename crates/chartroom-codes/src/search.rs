//! Code search: what a query means, which codes match, and in what order.
//!
//! A query is read two ways at once:
//!
//! - **As a code** when it looks like one (`E11`, `e119`, `I10`, `E11.9`):
//!   every code starting with it, the code itself first, then its direct
//!   children, then deeper descendants. These rank above all title matches.
//! - **As words**: each query word (stopwords dropped) must match a title
//!   word by prefix, in any order (`type 2 diab`, `diabetes type 2`). A
//!   known abbreviation ([`crate::synonyms`]) matches its expansion, or the
//!   typed word as a prefix. A word matching nothing in the vocabulary is
//!   retried with one typo allowed (two for long words), which is also how
//!   `anémie` (folded to `anemie`) finds "anemia".
//!
//! Candidates come from the inverted index: the most selective query word's
//! posting lists (one slice of the posting array per word prefix) are merged
//! into a bitset, and each candidate's other words are checked through its
//! forward word list. No title text is read during a search.
//!
//! Ranking, best first (see [`score_title`]): the share of the title's
//! meaningful words that the query covers (a query that *is* the title beats
//! one that names a detail of a longer title), how exactly the words matched
//! (whole word > prefix > typo), billable before category headers, common
//! primary-care codes, the title starting with a query word; ties go to the
//! shorter title, then the code.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::index::{code_key, Icd10Index};
use crate::synonyms;
use crate::text::query_words;

/// One search result, as shown in the code picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CodeHit {
    /// The code with its dot, e.g. `E11.9`.
    pub code: String,
    /// The official ICD-10-CM title.
    pub description: String,
    /// True when the code is valid on a claim (a leaf of the hierarchy).
    pub billable: bool,
    /// Relevance; higher is better. Comparable only within one search.
    pub score: f32,
}

/// Score of every code-prefix hit before its depth penalty: above any
/// title match (those stay under 100).
const CODE_MATCH: f32 = 1000.0;

/// How a query word matched a title word.
#[derive(Debug, Clone)]
struct Term {
    /// Word ids this term accepts: a prefix range, or one exact word.
    range: std::ops::Range<u32>,
    /// Ids accepted with a typo (sorted); used instead of `range` when set.
    fuzzy: Vec<u32>,
    /// Length of the typed word, to weigh prefix matches.
    typed_len: usize,
}

/// All terms must match.
#[derive(Debug, Clone)]
struct Alternative {
    terms: Vec<Term>,
    /// Weight of this reading: 1 for what was typed or its expansion, 0.5
    /// for the literal reading of an abbreviation (multiplies the score).
    weight: f32,
}

/// One query word: any alternative may match.
#[derive(Debug, Clone)]
struct Clause {
    alternatives: Vec<Alternative>,
}

/// Best-match quality of one term against a title's words, and which
/// position matched. `None` when no word matches.
fn match_term(index: &Icd10Index, term: &Term, words: &[u32]) -> Option<(f32, usize)> {
    let mut best: Option<(f32, usize)> = None;
    for (pos, &w) in words.iter().enumerate() {
        let quality = if term.fuzzy.is_empty() {
            if !term.range.contains(&w) {
                continue;
            }
            let len = index.vocab[w as usize].len();
            if len == term.typed_len {
                1.0
            } else {
                0.6 + 0.3 * term.typed_len as f32 / len as f32
            }
        } else if term.fuzzy.binary_search(&w).is_ok() {
            0.5
        } else {
            continue;
        };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, pos));
        }
    }
    best
}

/// How well a title answers a query, or `None` if some query word is not in
/// it. The weights are chosen so that, in order of importance:
/// coverage of the title (60) > exactness (20) > billable (10) > common
/// code (6) > title starts with a query word (4). A title matched only
/// through the literal reading of an abbreviation ("mi" as in "miosis")
/// has its score multiplied by that reading's weight, so it ranks after
/// the expansion's matches.
fn score_title(index: &Icd10Index, clauses: &[Clause], id: usize) -> Option<f32> {
    let words = index.words_of(id);
    let meta = &index.meta[id];
    let mut matched: u64 = 0;
    let mut quality_sum = 0.0;
    let mut weight = 1.0f32;
    for clause in clauses {
        let mut best: Option<(f32, f32, u64)> = None;
        for alt in &clause.alternatives {
            let mut mask = 0u64;
            let mut sum = 0.0;
            let mut ok = true;
            for term in &alt.terms {
                match match_term(index, term, words) {
                    Some((q, pos)) => {
                        sum += q;
                        mask |= 1u64.checked_shl(pos as u32).unwrap_or(0);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                let q = sum / alt.terms.len().max(1) as f32;
                if best.is_none_or(|(b, w, _)| q * alt.weight > b * w) {
                    best = Some((q, alt.weight, mask));
                }
            }
        }
        let (q, w, mask) = best?;
        quality_sum += q;
        weight = weight.min(w);
        matched |= mask;
    }

    let content_matched = (matched & meta.content_mask).count_ones();
    let coverage = if meta.content_words == 0 {
        1.0
    } else {
        content_matched as f32 / f32::from(meta.content_words)
    };
    let exactness = quality_sum / clauses.len().max(1) as f32;
    // The first word that counts is one the query asked for.
    let first = meta.content_mask & meta.content_mask.wrapping_neg();
    let starts = matched & first != 0;
    Some(
        weight
            * (60.0 * coverage
                + 20.0 * exactness
                + if meta.billable { 10.0 } else { 0.0 }
                + if meta.common { 6.0 } else { 0.0 }
                + if starts { 4.0 } else { 0.0 }),
    )
}

/// Words within one or two typos of `typed`, or of the start of a longer
/// word, sharing its first letter. Only used when nothing matches exactly.
fn fuzzy_words(index: &Icd10Index, typed: &str) -> Vec<u32> {
    let max = match typed.len() {
        0..=3 => return Vec::new(),
        4..=7 => 1,
        _ => 2,
    };
    let first = &typed[..1];
    let range = index.word_prefix_range(first);
    let mut out = Vec::new();
    for id in range {
        let word = &*index.vocab[id as usize];
        if word.len() + max < typed.len() {
            continue;
        }
        let whole = if word.len() <= typed.len() + max {
            strsim::osa_distance(typed, word)
        } else {
            usize::MAX
        };
        let head = word
            .get(..typed.len())
            .map_or(usize::MAX, |h| strsim::osa_distance(typed, h));
        if whole.min(head) <= max {
            out.push(id);
        }
    }
    out
}

/// A prefix term for a typed word, falling back to typo tolerance.
fn typed_term(index: &Icd10Index, typed: &str) -> Option<Term> {
    let range = index.word_prefix_range(typed);
    if !range.is_empty() {
        return Some(Term {
            range,
            fuzzy: Vec::new(),
            typed_len: typed.len(),
        });
    }
    let fuzzy = fuzzy_words(index, typed);
    (!fuzzy.is_empty()).then_some(Term {
        range: 0..0,
        fuzzy,
        typed_len: typed.len(),
    })
}

/// An exact-word term (for synonym expansions).
fn exact_term(index: &Icd10Index, word: &str) -> Option<Term> {
    let id = index.vocab.binary_search_by(|w| (**w).cmp(word)).ok()?;
    let id = u32::try_from(id).ok()?;
    Some(Term {
        range: id..id + 1,
        fuzzy: Vec::new(),
        typed_len: word.len(),
    })
}

/// Turns the query's words into clauses; `None` when some word can match
/// nothing, so the query as words has no hits.
fn parse(index: &Icd10Index, words: &[String]) -> Option<Vec<Clause>> {
    let mut clauses = Vec::with_capacity(words.len());
    for word in words {
        let mut alternatives = Vec::new();
        let expansions = synonyms::expand(word);
        for phrase in expansions.unwrap_or_default() {
            let terms: Option<Vec<Term>> = query_words(phrase)
                .iter()
                .map(|w| exact_term(index, w))
                .collect();
            if let Some(terms) = terms {
                alternatives.push(Alternative { terms, weight: 1.0 });
            }
        }
        let literal = if expansions.is_some() {
            // The abbreviation itself, by prefix only (no typo guessing).
            let range = index.word_prefix_range(word);
            (!range.is_empty()).then(|| Term {
                range,
                fuzzy: Vec::new(),
                typed_len: word.len(),
            })
        } else {
            typed_term(index, word)
        };
        if let Some(term) = literal {
            let weight = if expansions.is_some() { 0.5 } else { 1.0 };
            alternatives.push(Alternative {
                terms: vec![term],
                weight,
            });
        }
        if alternatives.is_empty() {
            return None;
        }
        clauses.push(Clause { alternatives });
    }
    Some(clauses)
}

/// Number of postings a term would contribute (its selectivity).
fn term_cost(index: &Icd10Index, term: &Term) -> usize {
    if term.fuzzy.is_empty() {
        index.postings_for(term.range.clone()).len()
    } else {
        term.fuzzy
            .iter()
            .map(|&w| index.postings_for(w..w + 1).len())
            .sum()
    }
}

/// The cheapest term of each alternative of the most selective clause.
fn driving_terms<'c>(index: &Icd10Index, clauses: &'c [Clause]) -> Vec<&'c Term> {
    let mut best: Option<(usize, Vec<&Term>)> = None;
    for clause in clauses {
        let mut cost = 0;
        let mut terms = Vec::with_capacity(clause.alternatives.len());
        for alt in &clause.alternatives {
            if let Some(term) = alt.terms.iter().min_by_key(|t| term_cost(index, t)) {
                cost += term_cost(index, term);
                terms.push(term);
            }
        }
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, terms));
        }
    }
    best.map(|(_, terms)| terms).unwrap_or_default()
}

/// True when `s` looks like the start of a code: a letter, then letters or
/// digits with a digit in the second or third place (`E1`, `E11`, `QA0`,
/// `S72001A`), at most eight characters once dots and spaces are removed.
fn looks_like_code(key: &[u8]) -> bool {
    key.len() >= 2
        && key[0].is_ascii_alphabetic()
        && key.iter().all(u8::is_ascii_alphanumeric)
        && key[1..key.len().min(3)].iter().any(u8::is_ascii_digit)
}

impl Icd10Index {
    /// Searches codes and titles; at most `limit` hits, best first.
    ///
    /// An empty query, or one whose words match nothing, returns no hits.
    pub fn search(&self, query: &str, limit: usize) -> Vec<CodeHit> {
        if limit == 0 {
            return Vec::new();
        }
        // As a code: the code itself, then its children level by level.
        let mut code_hits: Vec<(usize, u32)> = Vec::new();
        let mut code_range = 0..0;
        if let Some((key, len)) = code_key(query) {
            let key = &key[..len];
            if looks_like_code(key) {
                code_range = self.code_prefix_range(key);
                for id in code_range.clone() {
                    let depth = self.keys[id].iter().take_while(|b| **b != 0).count() - len;
                    code_hits.push((depth, id as u32));
                }
            }
        }
        code_hits.sort_unstable();
        let mut hits: Vec<CodeHit> = code_hits
            .iter()
            .take(limit)
            .map(|&(depth, id)| self.hit(id, CODE_MATCH - 10.0 * depth as f32))
            .collect();
        let limit = limit - hits.len();
        if limit == 0 {
            return hits;
        }
        let mut scored: Vec<(f32, u32)> = Vec::new();

        // As words.
        let words = query_words(query);
        if !words.is_empty() {
            if let Some(clauses) = parse(self, &words) {
                let mut seen = vec![0u64; self.codes.len().div_ceil(64)];
                for term in driving_terms(self, &clauses) {
                    let lists: Vec<&[u32]> = if term.fuzzy.is_empty() {
                        vec![self.postings_for(term.range.clone())]
                    } else {
                        term.fuzzy
                            .iter()
                            .map(|&w| self.postings_for(w..w + 1))
                            .collect()
                    };
                    for list in lists {
                        for &id in list {
                            seen[id as usize / 64] |= 1u64 << (id % 64);
                        }
                    }
                }
                for (block, bits) in seen.iter().enumerate() {
                    let mut bits = *bits;
                    while bits != 0 {
                        let id = block * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if code_range.contains(&id) {
                            continue;
                        }
                        if let Some(score) = score_title(self, &clauses, id) {
                            scored.push((score, id as u32));
                        }
                    }
                }
            }
        }

        let order = |a: &(f32, u32), b: &(f32, u32)| {
            b.0.total_cmp(&a.0)
                .then_with(|| {
                    self.meta[a.1 as usize]
                        .title_len
                        .cmp(&self.meta[b.1 as usize].title_len)
                })
                .then_with(|| a.1.cmp(&b.1))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        hits.extend(scored.into_iter().map(|(score, id)| self.hit(id, score)));
        hits
    }

    fn hit(&self, id: u32, score: f32) -> CodeHit {
        let id = id as usize;
        CodeHit {
            code: self.codes[id].to_owned(),
            description: self.titles[id].to_owned(),
            billable: self.meta[id].billable,
            score,
        }
    }

    /// Looks up one code, with or without its dot, any case.
    pub fn get(&self, code: &str) -> Option<CodeInfo> {
        let id = self.find(code)?;
        Some(CodeInfo {
            code: self.codes[id],
            description: self.titles[id],
            billable: self.meta[id].billable,
        })
    }
}

/// One code of the code set, borrowed from the embedded asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code with its dot, e.g. `E11.9`.
    pub code: &'static str,
    /// The official ICD-10-CM title.
    pub description: &'static str,
    /// True when the code is valid on a claim.
    pub billable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shapes() {
        assert!(looks_like_code(b"E11"));
        assert!(looks_like_code(b"E119"));
        assert!(looks_like_code(b"I1"));
        assert!(looks_like_code(b"QA0"));
        assert!(looks_like_code(b"B12"));
        assert!(!looks_like_code(b"E"));
        assert!(!looks_like_code(b"HTN"));
        assert!(!looks_like_code(b"ASTHMA"));
    }
}
