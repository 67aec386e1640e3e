//! Loading the embedded ICD-10-CM asset into an in-memory index.
//!
//! The asset (`assets/codes/icd10cm-2026.tsv`, made by
//! `scripts/build-icd10-asset.py`) is compiled into the binary. Loading
//! borrows codes and titles from it (no copies) and builds:
//!
//! - a sorted code table with dot-less keys, so a code prefix is a binary
//!   search giving a contiguous range (the asset is sorted by code, and the
//!   dot always sits after the third character, so dotted and dot-less
//!   orders agree);
//! - a sorted vocabulary of title words, so a word prefix is also a
//!   contiguous range of word ids;
//! - posting lists in one flat array ordered by word id (word -> sorted code
//!   ids): all codes containing a word with a given prefix are one slice;
//! - per code, the ids of its title words (a forward index), used to check
//!   the other query words and to rank without re-reading the text.

use std::collections::HashMap;

use crate::error::CodesError;
use crate::synonyms::COMMON_CODES;
use crate::text::{for_each_word, is_neutral, is_stopword};

/// The asset, compiled in.
pub(crate) const ASSET: &str = include_str!("../../../assets/codes/icd10cm-2026.tsv");

/// Longest code without its dot (`S72.001A` -> 8 characters).
pub(crate) const KEY_LEN: usize = 8;

/// A code without its dot, upper case, padded with zero bytes. Zero sorts
/// before every letter and digit, so a code sorts before its children.
pub(crate) type CodeKey = [u8; KEY_LEN];

/// What the ranking needs to know about one code, packed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeMeta {
    /// Start of this code's words in `Icd10Index::code_words`.
    pub words_start: u32,
    /// Number of (distinct, non-stopword) title words.
    pub words_len: u16,
    /// Title words that count when ranking: not neutral, not inside
    /// parentheses or brackets.
    pub content_words: u16,
    /// Bit `i` set when word `i` of the title counts (first 64 words).
    pub content_mask: u64,
    /// Title length in bytes; shorter titles win ties.
    pub title_len: u16,
    pub billable: bool,
    /// Listed in [`COMMON_CODES`].
    pub common: bool,
}

/// The ICD-10-CM code set, indexed for search. Build it once with
/// [`Icd10Index::load`] (or share one with [`Icd10Index::shared`]) and keep
/// it: loading parses about 98,000 codes; searching is then a matter of
/// microseconds to a few milliseconds.
#[derive(Debug)]
pub struct Icd10Index {
    pub(crate) release: &'static str,
    pub(crate) codes: Vec<&'static str>,
    pub(crate) titles: Vec<&'static str>,
    pub(crate) keys: Vec<CodeKey>,
    pub(crate) meta: Vec<CodeMeta>,
    pub(crate) code_words: Vec<u32>,
    pub(crate) vocab: Vec<Box<str>>,
    /// `postings[post_start[w]..post_start[w + 1]]` are the codes whose
    /// title contains word `w`, ascending. Length `vocab.len() + 1`.
    pub(crate) post_start: Vec<u32>,
    pub(crate) postings: Vec<u32>,
}

/// The dot-less, upper-case, zero-padded key of a code, or `None` when it
/// is too long. Dots and whitespace are ignored.
pub(crate) fn code_key(code: &str) -> Option<(CodeKey, usize)> {
    let mut key = [0u8; KEY_LEN];
    let mut len = 0;
    for b in code.bytes() {
        if b == b'.' || b.is_ascii_whitespace() {
            continue;
        }
        let slot = key.get_mut(len)?;
        *slot = b.to_ascii_uppercase();
        len += 1;
    }
    Some((key, len))
}

fn malformed(line: usize, reason: &'static str) -> CodesError {
    CodesError::MalformedLine { line, reason }
}

impl Icd10Index {
    /// Parses the embedded asset and builds the search index.
    ///
    /// # Errors
    /// Only if the embedded asset is damaged (the tests load it, so a
    /// released build cannot fail here).
    pub fn load() -> Result<Self, CodesError> {
        Self::from_tsv(ASSET)
    }

    /// Builds an index from text in the asset's format.
    pub(crate) fn from_tsv(text: &'static str) -> Result<Self, CodesError> {
        let mut lines = text.lines();
        let release = lines
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .ok_or(CodesError::MissingHeader)?;

        let capacity = text.len() / 80;
        let mut codes = Vec::with_capacity(capacity);
        let mut titles = Vec::with_capacity(capacity);
        let mut keys: Vec<CodeKey> = Vec::with_capacity(capacity);
        let mut meta = Vec::with_capacity(capacity);
        let mut code_words: Vec<u32> = Vec::with_capacity(capacity * 9);
        // Words get provisional ids in order of first sight; they are
        // renumbered in sorted order below.
        let mut word_ids: HashMap<String, u32> = HashMap::with_capacity(32_768);
        let mut provisional: Vec<String> = Vec::with_capacity(32_768);
        let mut buf = String::new();

        for (i, line) in lines.enumerate() {
            let line_no = i + 2;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.splitn(3, '\t');
            let (Some(code), Some(flag), Some(title)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(malformed(line_no, "expected three tab-separated fields"));
            };
            let billable = match flag {
                "1" => true,
                "0" => false,
                _ => return Err(malformed(line_no, "billable flag is not 0 or 1")),
            };
            let (key, key_len) =
                code_key(code).ok_or_else(|| malformed(line_no, "code is too long"))?;
            if key_len < 3 || title.is_empty() {
                return Err(malformed(line_no, "code or title is empty"));
            }
            if keys.last().is_some_and(|last| *last >= key) {
                return Err(malformed(line_no, "codes are not sorted"));
            }

            let words_start = code_words.len();
            let mut modifier_mask = 0u64;
            for_each_word(title, &mut buf, |w, nonessential| {
                if is_stopword(w) {
                    return;
                }
                let id = match word_ids.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(provisional.len()).unwrap_or(u32::MAX);
                        provisional.push(w.to_owned());
                        word_ids.insert(w.to_owned(), id);
                        id
                    }
                };
                if !code_words[words_start..].contains(&id) {
                    if nonessential {
                        let pos = code_words.len() - words_start;
                        modifier_mask |= 1u64.checked_shl(pos as u32).unwrap_or(0);
                    }
                    code_words.push(id);
                }
            });
            let words_len = code_words.len() - words_start;

            codes.push(code);
            titles.push(title);
            keys.push(key);
            meta.push(CodeMeta {
                words_start: u32::try_from(words_start).unwrap_or(u32::MAX),
                words_len: u16::try_from(words_len).unwrap_or(u16::MAX),
                content_words: 0,
                content_mask: !modifier_mask,
                title_len: u16::try_from(title.len()).unwrap_or(u16::MAX),
                billable,
                common: false,
            });
        }

        // Renumber words in sorted order so a prefix is a range of ids.
        let mut order: Vec<u32> = (0..u32::try_from(provisional.len()).unwrap_or(0)).collect();
        order.sort_unstable_by(|&a, &b| provisional[a as usize].cmp(&provisional[b as usize]));
        let mut renumber = vec![0u32; provisional.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = u32::try_from(new).unwrap_or(u32::MAX);
        }
        let vocab: Vec<Box<str>> = order
            .iter()
            .map(|&old| std::mem::take(&mut provisional[old as usize]).into_boxed_str())
            .collect();
        let neutral: Vec<bool> = vocab.iter().map(|w| is_neutral(w)).collect();
        for id in &mut code_words {
            *id = renumber[*id as usize];
        }

        // Posting lists: count, prefix-sum, fill. Codes are visited in id
        // order, so every list comes out sorted.
        let mut post_start = vec![0u32; vocab.len() + 1];
        for &w in &code_words {
            post_start[w as usize + 1] += 1;
        }
        for w in 0..vocab.len() {
            post_start[w + 1] += post_start[w];
        }
        let mut fill: Vec<u32> = post_start[..vocab.len()].to_vec();
        let mut postings = vec![0u32; code_words.len()];
        for (code_id, m) in meta.iter_mut().enumerate() {
            let start = m.words_start as usize;
            let words = &code_words[start..start + m.words_len as usize];
            let mut mask = 0u64;
            for (pos, &w) in words.iter().enumerate() {
                let slot = &mut fill[w as usize];
                postings[*slot as usize] = u32::try_from(code_id).unwrap_or(u32::MAX);
                *slot += 1;
                if pos < 64 && !neutral[w as usize] {
                    mask |= 1 << pos;
                }
            }
            m.content_mask &= mask;
            m.content_words = u16::try_from(m.content_mask.count_ones()).unwrap_or(0);
        }

        let mut index = Self {
            release,
            codes,
            titles,
            keys,
            meta,
            code_words,
            vocab,
            post_start,
            postings,
        };
        for code in COMMON_CODES {
            if let Some(id) = index.find(code) {
                index.meta[id].common = true;
            }
        }
        Ok(index)
    }

    /// One index for the whole process, built on first use.
    ///
    /// # Errors
    /// As [`Icd10Index::load`]; the outcome of the first call is kept.
    pub fn shared() -> Result<&'static Self, CodesError> {
        static SHARED: std::sync::OnceLock<Result<Icd10Index, CodesError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(Self::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The release this code set comes from, as recorded in the asset's
    /// header line (source, release and how the asset was made).
    pub fn release(&self) -> &'static str {
        self.release
    }

    /// Number of codes (categories, subcategories and billable codes).
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when the code set is empty (never, for the shipped asset).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Number of billable codes (those valid on a claim).
    pub fn billable_count(&self) -> usize {
        self.meta.iter().filter(|m| m.billable).count()
    }

    /// Position of a code, given with or without its dot, any case.
    pub(crate) fn find(&self, code: &str) -> Option<usize> {
        let (key, len) = code_key(code)?;
        if len == 0 {
            return None;
        }
        self.keys.binary_search(&key).ok()
    }

    /// The range of codes whose dot-less form starts with `prefix`.
    pub(crate) fn code_prefix_range(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let n = prefix.len().min(KEY_LEN);
        let prefix = &prefix[..n];
        let lo = self.keys.partition_point(|k| &k[..n] < prefix);
        let hi = lo + self.keys[lo..].partition_point(|k| &k[..n] == prefix);
        lo..hi
    }

    /// The range of word ids whose word starts with `prefix`.
    pub(crate) fn word_prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let lo = self.vocab.partition_point(|w| &**w < prefix);
        let hi = lo + self.vocab[lo..].partition_point(|w| w.starts_with(prefix));
        u32::try_from(lo).unwrap_or(u32::MAX)..u32::try_from(hi).unwrap_or(u32::MAX)
    }

    /// Codes containing any word in `words` (a contiguous id range): one
    /// slice of the flat posting array.
    pub(crate) fn postings_for(&self, words: std::ops::Range<u32>) -> &[u32] {
        let lo = self.post_start[words.start as usize] as usize;
        let hi = self.post_start[words.end as usize] as usize;
        &self.postings[lo..hi]
    }

    /// The title words of a code, as word ids in title order.
    pub(crate) fn words_of(&self, id: usize) -> &[u32] {
        let m = &self.meta[id];
        let start = m.words_start as usize;
        &self.code_words[start..start + m.words_len as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_dots_case_and_spaces() {
        let (key, len) = code_key(" e11.9 ").unwrap();
        assert_eq!(&key[..len], b"E119");
        assert_eq!(key[len], 0);
        assert!(code_key("S72.001AXX").is_none());
    }

    #[test]
    fn rejects_damaged_assets() {
        assert_eq!(
            Icd10Index::from_tsv("A00\t0\tCholera\n").unwrap_err(),
            CodesError::MissingHeader
        );
        assert!(matches!(
            Icd10Index::from_tsv("# h\nA00\tx\tCholera\n"),
            Err(CodesError::MalformedLine { line: 2, .. })
        ));
        assert!(matches!(
            Icd10Index::from_tsv("# h\nA01\t0\tTyphoid\nA00\t0\tCholera\n"),
            Err(CodesError::MalformedLine { line: 3, .. })
        ));
    }

    #[test]
    fn small_asset_builds_ranges_and_postings() {
        let index = Icd10Index::from_tsv(
            "# test\nE11\t0\tType 2 diabetes mellitus\nE11.9\t1\tType 2 diabetes mellitus without complications\nI10\t1\tEssential (primary) hypertension\n",
        )
        .unwrap();
        assert_eq!(index.len(), 3);
        assert_eq!(index.billable_count(), 2);
        assert_eq!(index.code_prefix_range(b"E11"), 0..2);
        assert_eq!(index.code_prefix_range(b"E119"), 1..2);
        assert_eq!(index.find("e119"), Some(1));
        let diab = index.word_prefix_range("diab");
        assert_eq!(index.postings_for(diab), &[0, 1]);
        assert_eq!(index.meta[1].content_words, 4);
        assert_eq!(index.meta[2].content_words, 1);
        assert_eq!(index.meta[2].content_mask, 0b100);
    }
}
