//! Text folding and tokens for patient search, shared by indexing and
//! querying so the two can never disagree.
//!
//! Names are folded to ASCII lower case ("Nguyễn" -> "nguyen", "Đặng" ->
//! "dang"); apostrophes vanish ("O'Brien" -> "obrien") and other punctuation
//! splits words. Phones are indexed as digits, birth dates as `~yyyymmdd`
//! (a prefix no folded name can produce), MRNs as their digits.

use chrono::NaiveDate;

/// Folds free text into search words: ASCII, lower case, letters and digits.
pub fn fold_words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text);
    let mut words = Vec::new();
    let mut cur = String::new();
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '`' {
            // O'Brien -> obrien
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The key patients sort by in lists: folded family name, then given name.
pub fn sort_name(family: &str, given: &str) -> String {
    format!(
        "{} {}",
        fold_words(family).join(" "),
        fold_words(given).join(" ")
    )
}

/// The token for a birth date.
pub fn date_token(d: NaiveDate) -> String {
    format!("~{}", d.format("%Y%m%d"))
}

/// The digits of a phone number (without `+`).
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Tokens that index one phone number: all its digits and, for numbers of
/// ten digits or more, the last seven (what people remember).
pub fn phone_tokens(phone: &str) -> Vec<String> {
    let d = phone_digits(phone);
    let mut out = Vec::new();
    if d.len() >= 10 {
        out.push(d[d.len() - 7..].to_string());
        if d.len() == 11 && d.starts_with('1') {
            out.push(d[1..].to_string());
        }
    }
    if !d.is_empty() {
        out.push(d);
    }
    out
}

/// One term of a search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Matches tokens that start with this text.
    Prefix(String),
    /// Matches this token exactly (birth dates).
    Exact(String),
}

impl Term {
    /// The text of the term.
    pub fn text(&self) -> &str {
        match self {
            Term::Prefix(s) | Term::Exact(s) => s,
        }
    }
}

/// Text with its whitespace runs folded to one space and the ends trimmed:
/// the one whitespace clean-up (forms re-export it as `validate::clean`).
pub fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each line of `value` cleaned (see [`clean`]), blank lines dropped.
pub fn clean_lines(value: &str) -> Vec<String> {
    value.lines().map(clean).filter(|l| !l.is_empty()).collect()
}

/// Parses a date the way front desks type them: `1984-03-12`, `03/12/1984`,
/// `3/12/1984`, `03-12-1984`, `03.12.1984` (month first, as in the US).
pub fn parse_typed_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    for fmt in ["%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            if s.len() >= 8 {
                return Some(d);
            }
        }
    }
    None
}

/// Splits what the user typed into search terms.
pub fn parse_query(query: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    for raw in query.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if raw.is_empty() {
            continue;
        }
        if let Some(d) = parse_typed_date(raw) {
            terms.push(Term::Exact(date_token(d)));
            continue;
        }
        let phoneish = raw
            .chars()
            .all(|c| c.is_ascii_digit() || "()-.+".contains(c));
        if phoneish {
            let d = phone_digits(raw);
            if !d.is_empty() {
                terms.push(Term::Prefix(d));
            }
            continue;
        }
        for w in fold_words(raw) {
            terms.push(Term::Prefix(w));
        }
    }
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_accents_and_case() {
        assert_eq!(fold_words("Nguyễn Thị Ánh"), ["nguyen", "thi", "anh"]);
        assert_eq!(fold_words("Đặng"), ["dang"]);
        assert_eq!(fold_words("O'Brien-Smith"), ["obrien", "smith"]);
        assert_eq!(fold_words("Zoë  Müller"), ["zoe", "muller"]);
    }

    #[test]
    fn queries_split_into_terms() {
        assert_eq!(
            parse_query("nguy  ANH"),
            [Term::Prefix("nguy".into()), Term::Prefix("anh".into())]
        );
        assert_eq!(
            parse_query("Smith, John"),
            [Term::Prefix("smith".into()), Term::Prefix("john".into())]
        );
        assert_eq!(parse_query("03/12/1984"), [Term::Exact("~19840312".into())]);
        assert_eq!(parse_query("1984-03-12"), [Term::Exact("~19840312".into())]);
        assert_eq!(
            parse_query("(555) 013-4"),
            [Term::Prefix("555".into()), Term::Prefix("0134".into())]
        );
        assert_eq!(parse_query("555-0134"), [Term::Prefix("5550134".into())]);
        assert!(parse_query("  ").is_empty());
    }

    #[test]
    fn phones_index_full_and_local_numbers() {
        assert_eq!(
            phone_tokens("5035550134"),
            ["5550134".to_string(), "5035550134".to_string()]
        );
        assert_eq!(
            phone_tokens("+15035550134"),
            [
                "5550134".to_string(),
                "5035550134".to_string(),
                "15035550134".to_string()
            ]
        );
    }
}
