//! How hard a password or passphrase is to guess: at least
//! [`MIN_SECRET_CHARS`] characters, and a zxcvbn estimate of at least
//! [`MIN_SCORE`] (about 10^8 guesses or more; zxcvbn knows the common
//! password lists, names, dictionary words, dates, keyboard rows and
//! repeats), judged also against words the person is known by (their
//! username, their name, the practice's name). One rule for the practice
//! passphrase (which travels, wrapped, in every backup) and every login
//! password.

/// Shortest password or passphrase accepted, in characters.
pub const MIN_SECRET_CHARS: usize = 10;

/// The lowest zxcvbn score accepted (0 to 4; 3 is "safely unguessable":
/// at least 10^8 guesses).
pub const MIN_SCORE: u8 = 3;

/// Why `secret` is too weak, or `None` when it is strong enough. `context`
/// holds words an attacker would try first (the username, the person's
/// name, the practice's name).
pub fn weakness(secret: &str, context: &[&str]) -> Option<String> {
    let n = secret.chars().count();
    if n < MIN_SECRET_CHARS {
        return Some(format!(
            "it has {n} characters; use at least {MIN_SECRET_CHARS} (a few unrelated words work well)"
        ));
    }
    if secret.trim().is_empty() {
        return Some("it is only spaces".to_string());
    }
    // zxcvbn's work grows with length; past 100 characters the first 100
    // decide (anything that long and strong there is strong).
    let judged: String = secret.chars().take(100).collect();
    // Each word of each, and each run together ("Maya Patel" -> "maya",
    // "patel", "mayapatel").
    let mut words: Vec<String> = context
        .iter()
        .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    words.extend(context.iter().map(|c| {
        c.chars()
            .filter(|ch| ch.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    }));
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(&judged, &words);
    if (estimate.score() as u8) >= MIN_SCORE {
        return None;
    }
    let warning = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string())
        .unwrap_or_else(|| "it would be guessed too quickly".to_string());
    let suggestion = estimate
        .feedback()
        .and_then(|f| f.suggestions().first().map(|s| s.to_string()))
        .unwrap_or_else(|| "Add another word or two; uncommon words are better.".to_string());
    Some(format!(
        "{}. {suggestion}",
        warning.trim_end_matches('.').to_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_short_and_personal_secrets_are_refused() {
        for weak in [
            "password123",
            "Password2026!",
            "clinic12345",
            "aaaaaaaaaaaa",
            "qwertyuiop",
            "1234567890",
            "short",
            "          ",
        ] {
            assert!(weakness(weak, &[]).is_some(), "{weak:?} accepted");
        }
        // Strong alone, weak for someone whose name it is.
        assert!(weakness("riverside2026", &[]).is_some());
        assert!(weakness("mayapatel2026", &["mpatel", "Maya Patel"]).is_some());
    }

    #[test]
    fn a_few_unrelated_words_pass() {
        for strong in [
            "correct-horse-9",
            "practice passphrase 2026",
            "wrong-horse-battery",
            "chartroom-demo",
            "Tr0ub4dor&3",
        ] {
            assert_eq!(
                weakness(strong, &["admin", "Alex Admin"]),
                None,
                "{strong:?}"
            );
        }
    }

    #[test]
    fn the_reason_says_what_to_do() {
        let why = weakness("password123", &[]).unwrap();
        assert!(why.contains('.'), "{why}");
        assert!(
            why.chars().next().is_some_and(|c| c.is_lowercase()),
            "{why}"
        );
    }
}
