//! Whole numbers written out in English words ("30 (thirty)"), as printed
//! next to quantities and refills on a prescription so that a "3" cannot
//! quietly become "30".
//!
//! US usage: no "and" ("one hundred five"), hyphenated tens ("forty-two").

/// The largest number [`number_words`] writes out.
pub(crate) const MAX_WORDS: u32 = 9999;

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// `n` in words, for `0..=9999`; `None` above that.
pub(crate) fn number_words(n: u32) -> Option<String> {
    if n > MAX_WORDS {
        return None;
    }
    if n == 0 {
        return Some(ONES[0].to_string());
    }
    let mut parts: Vec<String> = Vec::new();
    let thousands = n / 1000;
    let hundreds = (n / 100) % 10;
    let rest = n % 100;
    if thousands > 0 {
        parts.push(format!("{} thousand", below_hundred(thousands)));
    }
    if hundreds > 0 {
        parts.push(format!("{} hundred", below_hundred(hundreds)));
    }
    if rest > 0 {
        parts.push(below_hundred(rest));
    }
    Some(parts.join(" "))
}

/// `n` in words for `1..=99`.
fn below_hundred(n: u32) -> String {
    let word = |table: &[&'static str], i: u32| {
        usize::try_from(i)
            .ok()
            .and_then(|i| table.get(i))
            .copied()
            .unwrap_or("")
    };
    match (n / 10, n % 10) {
        (0 | 1, _) => word(&ONES, n).to_string(),
        (tens, 0) => word(&TENS, tens).to_string(),
        (tens, ones) => format!("{}-{}", word(&TENS, tens), word(&ONES, ones)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: u32) -> String {
        number_words(n).unwrap_or_else(|| panic!("{n} should have words"))
    }

    #[test]
    fn small_numbers() {
        assert_eq!(words(0), "zero");
        assert_eq!(words(1), "one");
        assert_eq!(words(7), "seven");
        assert_eq!(words(11), "eleven");
        assert_eq!(words(19), "nineteen");
    }

    #[test]
    fn tens_are_hyphenated() {
        assert_eq!(words(20), "twenty");
        assert_eq!(words(21), "twenty-one");
        assert_eq!(words(30), "thirty");
        assert_eq!(words(42), "forty-two");
        assert_eq!(words(90), "ninety");
        assert_eq!(words(99), "ninety-nine");
    }

    #[test]
    fn hundreds_have_no_and() {
        assert_eq!(words(100), "one hundred");
        assert_eq!(words(105), "one hundred five");
        assert_eq!(words(120), "one hundred twenty");
        assert_eq!(words(360), "three hundred sixty");
        assert_eq!(words(999), "nine hundred ninety-nine");
    }

    #[test]
    fn thousands() {
        assert_eq!(words(1000), "one thousand");
        assert_eq!(words(1001), "one thousand one");
        assert_eq!(words(1010), "one thousand ten");
        assert_eq!(words(1100), "one thousand one hundred");
        assert_eq!(words(2024), "two thousand twenty-four");
        assert_eq!(words(9999), "nine thousand nine hundred ninety-nine");
    }

    #[test]
    fn above_the_range_has_no_words() {
        assert_eq!(number_words(10_000), None);
        assert_eq!(number_words(u32::MAX), None);
    }

    #[test]
    fn every_number_in_range_is_well_formed() {
        for n in 0..=MAX_WORDS {
            let w = words(n);
            assert!(!w.is_empty(), "{n}");
            assert!(
                !w.contains("  ") && !w.starts_with(' ') && !w.ends_with(' '),
                "{n}: {w:?}"
            );
            assert!(!w.contains("zero") || n == 0, "{n}: {w:?}");
            assert!(
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-'),
                "{n}: {w:?}"
            );
        }
    }

    #[test]
    fn distinct_numbers_have_distinct_words() {
        let all: std::collections::HashSet<String> = (0..=MAX_WORDS).map(words).collect();
        assert_eq!(all.len(), usize::try_from(MAX_WORDS + 1).unwrap_or(0));
    }
}
