//! Text normalisation shared by the index and the queries, so both sides
//! always agree on what a "word" is.
//!
//! A word is a run of ASCII letters and digits after folding: accents are
//! removed (`anémie` -> `anemie`, `Sjögren` -> `sjogren`), letters are
//! lowercased, apostrophes join (`Alzheimer's` -> `alzheimers`), and every
//! other character separates words (`gastro-esophageal` -> `gastro`,
//! `esophageal`).

use std::borrow::Cow;

/// Words too common to search on. They are not indexed and are dropped from
/// queries ("fracture of femur" searches `fracture femur`).
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "due", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with",
];

/// Words that say "the plain, default form" of a condition. They are indexed
/// (so "without complications" can be searched) but do not count against a
/// description's length when ranking, so `I10 Essential (primary)
/// hypertension` is as close a match for "hypertension" as a one-word title,
/// and `E11.9 ... without complications` is not penalised for its tail.
/// "site not specified" and "unspecified organism" are ICD-10-CM's other
/// ways of saying "unspecified" (`N39.0`, `J18.9`).
const NEUTRAL: &[&str] = &[
    "complication",
    "complications",
    "essential",
    "nos",
    "not",
    "organism",
    "primary",
    "site",
    "specified",
    "uncomplicated",
    "unspecified",
    "without",
];

/// True for a word that is neither indexed nor searched.
pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// True for a word that is indexed but does not count in a description's
/// length when ranking.
pub(crate) fn is_neutral(word: &str) -> bool {
    NEUTRAL.binary_search(&word).is_ok()
}

/// Calls `each` with every word of `text`, in order, stopwords included,
/// and whether the word sits inside `(...)` or `[...]`: ICD-10-CM's
/// nonessential modifiers and alternative wordings ("Obstructive sleep apnea
/// (adult) (pediatric)"), which should not make a title look longer.
/// `buf` is scratch space reused across calls to avoid allocating.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut each: impl FnMut(&str, bool)) {
    let folded: Cow<'_, str> = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(deunicode::deunicode(text))
    };
    buf.clear();
    let mut depth = 0u32;
    for b in folded.bytes() {
        if b.is_ascii_alphanumeric() {
            buf.push(char::from(b.to_ascii_lowercase()));
        } else if b == b'\'' {
            // Joins: "Alzheimer's" is one word.
        } else {
            if !buf.is_empty() {
                each(buf, depth > 0);
                buf.clear();
            }
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    if !buf.is_empty() {
        each(buf, depth > 0);
        buf.clear();
    }
}

/// Every word of `text`, stopwords included, in order. Drug names and
/// free text are compared through this, so "Amoxicillin/Clavulanate",
/// "amoxicillin-clavulanate" and "AMOXICILLIN CLAVULANATE" all read as
/// `amoxicillin`, `clavulanate`.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w, _| out.push(w.to_owned()));
    out
}

/// The words of `text` without stopwords, deduplicated, in order.
pub(crate) fn query_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w, _| {
        if !is_stopword(w) && !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = String::new();
        for_each_word(text, &mut buf, |w, _| out.push(w.to_owned()));
        out
    }

    #[test]
    fn marks_nonessential_modifiers() {
        let mut out = Vec::new();
        let mut buf = String::new();
        for_each_word("Sleep apnea (adult) [x]y", &mut buf, |w, inside| {
            out.push((w.to_owned(), inside));
        });
        let expect = [
            ("sleep", false),
            ("apnea", false),
            ("adult", true),
            ("x", true),
            ("y", false),
        ];
        assert_eq!(out, expect.map(|(w, b)| (w.to_owned(), b)));
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(NEUTRAL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(words("Anémie, Sjögren's"), ["anemie", "sjogrens"]);
        assert_eq!(
            words("Gastro-esophageal reflux (GERD)"),
            ["gastro", "esophageal", "reflux", "gerd"]
        );
        assert_eq!(words("Type 2 diabetes"), ["type", "2", "diabetes"]);
        assert!(words(" ,.- ").is_empty());
    }

    #[test]
    fn queries_drop_stopwords_and_repeats() {
        assert_eq!(
            query_words("Fracture of the femur femur"),
            ["fracture", "femur"]
        );
    }
}
