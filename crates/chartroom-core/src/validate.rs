//! Input rules shared by every area: names, typed dates (a real date, not
//! after a limit), phone numbers, email addresses, trimmed text. Each turns
//! typed text into a value or records a field error that names the field
//! and says why; none is ever re-implemented in the UI.

use chartroom_store::search::parse_typed_date;
pub use chartroom_store::search::{clean, clean_lines};
use chrono::{Datelike, NaiveDate};

use crate::FieldErrors;

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

/// A date as people here read and type it: `MM/DD/YYYY`.
pub fn date_text(d: NaiveDate) -> String {
    // Written out rather than through `format("%m/%d/%Y")`, which parses
    // its pattern on every call (a long ledger formats thousands).
    format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year())
}

/// The one typed-date parser: a date typed as `MM/DD/YYYY` (or
/// `YYYY-MM-DD`, `MM-DD-YYYY`, `MM.DD.YYYY`). Left empty it is `None`, with
/// "{label} is required" when `required`; text that is no date records
/// "\"{text}\" is not a date; use MM/DD/YYYY" against `field`.
pub fn typed_date(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errs.add(field, format!("{label} is required"));
        }
        return None;
    }
    let d = parse_typed_date(v);
    if d.is_none() {
        errs.add(field, format!("\"{v}\" is not a date; use MM/DD/YYYY"));
    }
    d
}

/// A typed date of something that has happened (a birth, an onset, a
/// dose given): not after `today`, not before 1900.
pub fn past_date(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    today: NaiveDate,
    required: bool,
) -> Option<NaiveDate> {
    let d = typed_date(errs, field, label, value, required)?;
    if d > today {
        errs.add(
            field,
            format!(
                "{label} {} is in the future (today is {})",
                date_text(d),
                date_text(today)
            ),
        );
        return None;
    }
    if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
        errs.add(
            field,
            format!("{label} {} is before 1900; check the year", date_text(d)),
        );
        return None;
    }
    Some(d)
}

/// A birth date: required, a real date, not in the future, not before 1900.
pub fn birth_date(
    errs: &mut FieldErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    past_date(errs, field, "Birth date", value, today, true)
}

/// A date typed as `MM/DD/YYYY` (or `YYYY-MM-DD`) that may not be after
/// `today`; `future` is the message when it is. Empty text is no date.
/// Records the problem in `errs` and returns `None` when the date cannot
/// be used.
pub fn date_not_after(
    errs: &mut FieldErrors,
    field: &str,
    value: &str,
    today: NaiveDate,
    future: &str,
) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        errs.add(field, "\"\" is not a date; use MM/DD/YYYY");
        return None;
    }
    let d = typed_date(errs, field, "", value, false)?;
    if d > today {
        errs.add(field, future);
        return None;
    }
    Some(d)
}

/// Records `message` against `field` when `date` is before `limit` (both
/// known); says whether the order is right.
pub fn not_before(
    errs: &mut FieldErrors,
    field: &str,
    date: Option<NaiveDate>,
    limit: Option<NaiveDate>,
    message: &str,
) -> bool {
    match (date, limit) {
        (Some(d), Some(l)) if d < l => {
            errs.add(field, message);
            false
        }
        _ => true,
    }
}

/// An optional range of typed days (`from_field`, `to_field`), either end
/// open when left empty; "The end date is before the start date" when they
/// are the wrong way round.
pub fn date_range(
    errs: &mut FieldErrors,
    (from_field, from): (&str, &str),
    (to_field, to): (&str, &str),
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let from = typed_date(errs, from_field, "Start date", from, false);
    let to = typed_date(errs, to_field, "End date", to, false);
    not_before(
        errs,
        to_field,
        to,
        from,
        "The end date is before the start date",
    );
    (from, to)
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

/// Cleaned text (see [`clean`]) of at most `max` characters, without
/// control characters.
pub fn short_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = clean(value);
    if v.chars().count() > max {
        errs.add(field, format!("{label} is longer than {max} characters"));
    }
    if v.chars().any(char::is_control) {
        errs.add(field, format!("{label} cannot contain control characters"));
    }
    v
}

/// A password: hard to guess (`chartroom_keys::secret_weakness`: at least
/// 10 characters, a zxcvbn score of 3 or more, judged also against
/// `context`: the username, the person's name, the practice's name).
pub fn password(errs: &mut FieldErrors, field: &str, value: &str, context: &[&str]) {
    if let Some(reason) = chartroom_keys::secret_weakness(value, context) {
        errs.add(
            field,
            format!("This password is too easy to guess: {reason}"),
        );
    }
}

/// A National Provider Identifier: ten digits whose last is the Luhn check
/// digit over the prefix 80840 and the first nine (the CMS standard).
/// Returns the digits, or empty (and an error) when it is not one; a blank
/// value is no NPI.
pub fn npi(errs: &mut FieldErrors, field: &str, value: &str) -> String {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if v.is_empty() {
        return v;
    }
    if v.len() != 10 || !v.chars().all(|c| c.is_ascii_digit()) {
        errs.add(field, "An NPI is 10 digits");
        return String::new();
    }
    if !npi_check_digit_ok(&v) {
        errs.add(
            field,
            format!("{v} is not a valid NPI: its check digit does not match (mistyped?)"),
        );
        return String::new();
    }
    v
}

/// The Luhn check of an NPI, prefixed with 80840.
fn npi_check_digit_ok(ten: &str) -> bool {
    let digits: Vec<u32> = format!("80840{ten}")
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An employer identification number (the practice's tax id): nine
/// digits, stored as `12-3456789`. Blank is no tax id.
pub fn tax_id(errs: &mut FieldErrors, field: &str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return String::new();
    }
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 9
        || v.chars()
            .any(|c| !(c.is_ascii_digit() || c == '-' || c == ' '))
    {
        errs.add(field, "A tax id (EIN) is 9 digits, e.g. 12-3456789");
        return String::new();
    }
    format!("{}-{}", &digits[..2], &digits[2..])
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
        assert_eq!(
            clean_lines(" 1 Main  St \n\n  Suite 2 \n"),
            ["1 Main St", "Suite 2"]
        );
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Runs a rule on a fresh form and returns its value and its
    /// "field: message" lines.
    fn check<T>(rule: impl FnOnce(&mut FieldErrors) -> T) -> (T, String) {
        let mut errs = FieldErrors::default();
        let v = rule(&mut errs);
        let lines = match errs.finish() {
            Ok(()) => String::new(),
            Err(crate::Error::Validation(e)) => e
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("unexpected {e}"),
        };
        (v, lines)
    }

    #[test]
    fn typed_dates_are_parsed_once_with_the_field_and_the_reason() {
        let typed = |v: &str, required| check(|e| typed_date(e, "onset", "Onset", v, required));
        assert_eq!(
            typed("03/12/1984", true),
            (Some(day(1984, 3, 12)), String::new())
        );
        assert_eq!(typed(" 1984-03-12 ", true).0, Some(day(1984, 3, 12)));
        assert_eq!(typed("", false), (None, String::new()));
        assert_eq!(
            typed("  ", true),
            (None, "onset: Onset is required".to_string())
        );
        assert_eq!(
            typed("02/30/2025", false),
            (
                None,
                "onset: \"02/30/2025\" is not a date; use MM/DD/YYYY".to_string()
            )
        );
    }

    #[test]
    fn past_dates_are_not_in_the_future_nor_before_1900() {
        let today = day(2026, 3, 2);
        let past = |v: &str| check(|e| past_date(e, "date", "Date", v, today, true));
        assert_eq!(past("03/02/2026"), (Some(today), String::new()));
        assert_eq!(
            past("03/03/2026"),
            (
                None,
                "date: Date 03/03/2026 is in the future (today is 03/02/2026)".to_string()
            )
        );
        assert_eq!(
            past("12/31/1899"),
            (
                None,
                "date: Date 12/31/1899 is before 1900; check the year".to_string()
            )
        );
        assert_eq!(
            check(|e| birth_date(e, "birth_date", "", today)).1,
            "birth_date: Birth date is required"
        );
        assert_eq!(
            check(|e| date_not_after(e, "collected", "", today, "Later")).1,
            "collected: \"\" is not a date; use MM/DD/YYYY"
        );
        assert_eq!(
            check(|e| date_not_after(e, "collected", "2026-03-03", today, "Later")).1,
            "collected: Later"
        );
    }

    #[test]
    fn a_range_of_days_may_be_open_but_not_reversed() {
        let range = |from: &str, to: &str| check(|e| date_range(e, ("from", from), ("to", to)));
        assert_eq!(range("", ""), ((None, None), String::new()));
        assert_eq!(
            range("01/01/2026", "01/01/2026"),
            (
                (Some(day(2026, 1, 1)), Some(day(2026, 1, 1))),
                String::new()
            )
        );
        assert_eq!(
            range("01/02/2026", "01/01/2026").1,
            "to: The end date is before the start date"
        );
        assert_eq!(
            range("x", "13/01/2026").1,
            "from: \"x\" is not a date; use MM/DD/YYYY\n\
             to: \"13/01/2026\" is not a date; use MM/DD/YYYY"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2_000))]
        #[test]
        fn clean_is_idempotent_and_leaves_no_runs(s in "\\PC*|[ \t\n\r a-z]*") {
            let once = clean(&s);
            proptest::prop_assert_eq!(&clean(&once), &once);
            proptest::prop_assert!(!once.starts_with(char::is_whitespace));
            proptest::prop_assert!(!once.ends_with(char::is_whitespace));
            proptest::prop_assert!(!once.contains("  "));
            for line in clean_lines(&s) {
                proptest::prop_assert_eq!(clean(&line), line.clone());
                proptest::prop_assert!(!line.is_empty());
            }
        }

        #[test]
        fn the_date_parser_never_panics_and_errs_exactly_when_it_has_no_date(
            s in "\\PC{0,12}|[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}"
        ) {
            let (d, lines) = check(|e| typed_date(e, "f", "F", &s, false));
            proptest::prop_assert_eq!(d.is_none() && !s.trim().is_empty(), !lines.is_empty());
            if let Some(d) = d {
                // What was understood reads back as the same day.
                proptest::prop_assert_eq!(parse_typed_date(&date_text(d)), Some(d));
            }
        }

        #[test]
        fn a_date_range_is_never_reversed(a in 0i64..80_000, b in 0i64..80_000) {
            let base = day(1900, 1, 1);
            let (from, to) = (base + chrono::Days::new(a as u64), base + chrono::Days::new(b as u64));
            let ((f, t), lines) = check(|e| date_range(e, ("from", &date_text(from)), ("to", &to.to_string())));
            proptest::prop_assert_eq!((f, t), (Some(from), Some(to)));
            proptest::prop_assert_eq!(lines.is_empty(), from <= to);
        }
    }

    #[test]
    fn npi_takes_the_cms_check_digit() {
        // 1234567893 is the example of the CMS check-digit paper.
        let mut e = FieldErrors::default();
        assert_eq!(npi(&mut e, "npi", " 1234567893 "), "1234567893");
        assert_eq!(npi(&mut e, "npi", ""), "");
        assert!(e.finish().is_ok());
        for bad in ["1234567890", "123456789", "12345678931", "12345x7893"] {
            let mut e = FieldErrors::default();
            assert_eq!(npi(&mut e, "npi", bad), "");
            match e.finish() {
                Err(crate::Error::Validation(v)) => {
                    assert_eq!(v[0].field, "npi");
                    assert!(v[0].message.contains("NPI"), "{bad}: {}", v[0].message);
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn tax_id_is_nine_digits() {
        let mut e = FieldErrors::default();
        assert_eq!(tax_id(&mut e, "tax_id", "123456789"), "12-3456789");
        assert_eq!(tax_id(&mut e, "tax_id", "12-3456789"), "12-3456789");
        assert!(e.finish().is_ok());
        let mut e = FieldErrors::default();
        tax_id(&mut e, "tax_id", "12-34567");
        assert!(e.finish().is_err());
    }
}
