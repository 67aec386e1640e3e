//! Greedy word wrapping against a width measured by the caller.
//!
//! [`wrap`] knows nothing of fonts or units: it is given a `measure` function
//! (the layout module passes one that adds up the embedded font's glyph
//! advances, in millimetres) and a maximum width in the same unit.

/// Splits `text` into lines no wider than `max_width`.
///
/// Runs of whitespace (including line breaks) collapse to one space. Words
/// are never split unless a single word is wider than a whole line; such a
/// word is cut between characters so that nothing runs past `max_width`
/// (a line always keeps at least one character, so a width too narrow for
/// any character still terminates). Empty or blank text gives no lines.
pub(crate) fn wrap(text: &str, max_width: f32, measure: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if measure(word) <= max_width {
            line = word.to_string();
        } else {
            let mut pieces = break_word(word, max_width, &measure);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts one over-long word into pieces that each fit `max_width`.
fn break_word(word: &str, max_width: f32, measure: &impl Fn(&str) -> f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if measure(&piece) > max_width && piece.chars().count() > 1 {
            piece.pop();
            pieces.push(std::mem::take(&mut piece));
            piece.push(c);
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit per character: easy to reason about.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn short_text_stays_on_one_line() {
        assert_eq!(wrap("Take one tablet", 40.0, chars), ["Take one tablet"]);
    }

    #[test]
    fn breaks_between_words_at_the_width() {
        let lines = wrap("Take one capsule by mouth three times daily", 16.0, chars);
        assert_eq!(lines, ["Take one capsule", "by mouth three", "times daily"]);
        assert!(lines.iter().all(|l| chars(l) <= 16.0));
    }

    #[test]
    fn a_line_may_fill_the_width_exactly() {
        assert_eq!(wrap("abcd efgh", 9.0, chars), ["abcd efgh"]);
        assert_eq!(wrap("abcd efgh", 8.0, chars), ["abcd", "efgh"]);
    }

    #[test]
    fn whitespace_and_line_breaks_collapse() {
        assert_eq!(
            wrap("  one\n\ttwo   three  ", 40.0, chars),
            ["one two three"]
        );
    }

    #[test]
    fn blank_text_has_no_lines() {
        assert!(wrap("", 10.0, chars).is_empty());
        assert!(wrap(" \n ", 10.0, chars).is_empty());
    }

    #[test]
    fn an_over_long_word_is_cut_between_characters() {
        let lines = wrap("see hydrochlorothiazide daily", 6.0, chars);
        assert_eq!(lines, ["see", "hydroc", "hlorot", "hiazid", "e", "daily"]);
    }

    #[test]
    fn nothing_is_lost_or_reordered() {
        let text = "Apply a thin layer to the affected area twice daily for up to fourteen days; \
                    stop if irritation develops and call the office.";
        for width in [5.0, 12.0, 20.0, 33.0, 80.0, 500.0] {
            let lines = wrap(text, width, chars);
            assert!(
                lines.iter().all(|l| chars(l) <= width),
                "width {width}: {lines:?}"
            );
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(
                lines.concat().replace(' ', ""),
                squeeze(text),
                "width {width}"
            );
            if width >= 12.0 {
                // Every word fits a line: none is cut.
                let words: Vec<&str> = text.split_whitespace().collect();
                assert_eq!(
                    lines.join(" ").split_whitespace().collect::<Vec<_>>(),
                    words
                );
            }
        }
    }

    #[test]
    fn non_latin_text_is_measured_per_character() {
        let lines = wrap("Nguyễn Thị Ánh", 10.0, chars);
        assert_eq!(lines, ["Nguyễn Thị", "Ánh"]);
    }

    #[test]
    fn a_width_too_small_for_any_character_still_ends() {
        let lines = wrap("ab", 0.5, chars);
        assert_eq!(lines, ["a", "b"]);
    }
}
