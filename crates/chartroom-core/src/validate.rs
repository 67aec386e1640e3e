//! Input rules shared by every area: names, typed dates (a real date, not
//! after a limit), phone numbers, email addresses, trimmed text. Each turns
//! typed text into a value or records a field error that names the field
//! and says why; none is ever re-implemented in the UI.

use chartroom_store::search::parse_typed_date;
use chrono::NaiveDate;

use crate::FieldErrors;

/// Text with its whitespace runs folded to one space and the ends trimmed.
pub fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name part: letters (any script), spaces, hyphens, apostrophes, periods.
pub fn name(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> String {
    let v = clean(value);
    if v.is_empty() {
        if required {
            errs.add(field, format!("{label} is required"));
        }
        return v;
    }
    if v.chars().count() > 100 {
        errs.add(field, format!("{label} is longer than 100 characters"));
    } else if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_alphabetic() || c.is_whitespace() || "-'’.".contains(*c)))
    {
        errs.add(field, format!("{label} cannot contain \"{bad}\""));
    } else if !v.chars().any(|c| c.is_alphabetic()) {
        errs.add(field, format!("{label} must contain letters"));
    }
    v
}

/// A birth date: a real date, not in the future, not before 1900.
pub fn birth_date(
    errs: &mut FieldErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errs.add(field, "Birth date is required");
        return None;
    }
    let Some(d) = parse_typed_date(v) else {
        errs.add(
            field,
            format!("\"{v}\" is not a date; use YYYY-MM-DD or MM/DD/YYYY"),
        );
        return None;
    };
    if d > today {
        errs.add(
            field,
            format!("Birth date {d} is in the future (today is {today})"),
        );
        return None;
    }
    if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
        errs.add(
            field,
            format!("Birth date {d} is before 1900; check the year"),
        );
        return None;
    }
    Some(d)
}

/// A date typed as `MM/DD/YYYY` (or `YYYY-MM-DD`) that may not be after
/// `today`; `future` is the message when it is. Records the problem in
/// `errs` and returns `None` when the date cannot be used.
pub fn date_not_after(
    errs: &mut FieldErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
    future: &str,
) -> Option<NaiveDate> {
    let v = value.trim();
    match parse_typed_date(v) {
        None => {
            errs.add(field, format!("\"{v}\" is not a date; use MM/DD/YYYY"));
            None
        }
        Some(d) if d > today => {
            errs.add(field, future);
            None
        }
        Some(d) => Some(d),
    }
}

/// A stored phone (digits, `+` for international) as people read it,
/// on screen and on paper: "(503) 555-0142" for North American numbers.
pub fn phone_display(stored: &str) -> String {
    let d = stored.trim();
    if d.len() == 10 && d.chars().all(|c| c.is_ascii_digit()) {
        format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..])
    } else {
        d.to_string()
    }
}

/// A phone number. North American numbers need ten digits (an eleventh
/// leading `1` is dropped) with an area code and exchange that do not start
/// with 0 or 1; international numbers start with `+` and have 8 to 15 digits.
/// Returns the digits (with `+` for international numbers).
pub fn phone(errs: &mut FieldErrors, field: &str, label: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_ascii_digit() || " ()-.+".contains(*c)))
    {
        errs.add(field, format!("{label} cannot contain \"{bad}\""));
        return String::new();
    }
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if v.starts_with('+') && !v.starts_with("+1") {
        if !(8..=15).contains(&digits.len()) {
            errs.add(
                field,
                format!(
                    "{label}: an international number has 8 to 15 digits; this has {}",
                    digits.len()
                ),
            );
            return String::new();
        }
        return format!("+{digits}");
    }
    let national = if digits.len() == 11 && digits.starts_with('1') {
        &digits[1..]
    } else {
        digits.as_str()
    };
    if national.len() != 10 {
        errs.add(
            field,
            format!(
                "{label} has {} digits; a US number has 10 (area code and number)",
                national.len()
            ),
        );
        return String::new();
    }
    let b = national.as_bytes();
    if b[0] == b'0' || b[0] == b'1' {
        errs.add(
            field,
            format!("{label}: area code cannot start with {}", b[0] as char),
        );
        return String::new();
    }
    if b[3] == b'0' || b[3] == b'1' {
        errs.add(
            field,
            format!(
                "{label}: the exchange (digits 4-6) cannot start with {}",
                b[3] as char
            ),
        );
        return String::new();
    }
    national.to_string()
}

/// An email address (optional).
pub fn email(errs: &mut FieldErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    let ok = v.len() <= 254
        && !v.contains(char::is_whitespace)
        && v.split('@').count() == 2
        && v.split('@').all(|p| !p.is_empty())
        && v.rsplit('@')
            .next()
            .is_some_and(|d| d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
    if !ok {
        errs.add(
            field,
            format!("\"{v}\" is not an email address (name@example.com)"),
        );
    }
    v.to_string()
}

/// Trimmed text of at most `max` characters.
pub fn short_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim().to_string();
    if v.chars().count() > max {
        errs.add(field, format!("{label} is longer than {max} characters"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_displayed_one_way_on_screen_and_on_paper() {
        assert_eq!(phone_display("5035550134"), "(503) 555-0134");
        assert_eq!(phone_display("+442071838750"), "+442071838750");
        assert_eq!(phone_display("5550134"), "5550134");
        assert_eq!(phone_display(""), "");
    }

    #[test]
    fn clean_folds_whitespace() {
        assert_eq!(clean("  a \t b\n c "), "a b c");
        assert_eq!(clean(" \n "), "");
    }
}
