//! The registration form's rules: each turns typed text into a domain value
//! or a field error that names the field and says why. Used by every front
//! end through the API, never re-implemented in the UI; the rules every
//! form shares are `chartroom_core::validate`, re-exported here.

use chartroom_store::model::{PatientFields, PreferredContact, Sex};
use chrono::NaiveDate;

use crate::protocol::PatientInput;
use chartroom_core::{FieldErrors, Result};

const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
];

pub use chartroom_core::validate::*;

/// Turns a registration form into patient details, or every field error at once.
pub fn patient(input: &PatientInput, today: NaiveDate) -> Result<PatientFields> {
    let mut e = FieldErrors::default();
    let family_name = name(
        &mut e,
        "family_name",
        "Family name",
        &input.family_name,
        true,
    );
    let given_name = name(&mut e, "given_name", "Given name", &input.given_name, true);
    let middle_name = name(
        &mut e,
        "middle_name",
        "Middle name",
        &input.middle_name,
        false,
    );
    let preferred_name = name(
        &mut e,
        "preferred_name",
        "Preferred name",
        &input.preferred_name,
        false,
    );
    let birth = birth_date(&mut e, "birth_date", &input.birth_date, today);
    let sex = Sex::parse(input.sex.trim());
    if sex.is_none() {
        e.add(
            "sex",
            if input.sex.trim().is_empty() {
                "Sex is required".to_string()
            } else {
                format!(
                    "\"{}\" is not one of female, male, other, unknown",
                    input.sex
                )
            },
        );
    }
    let gender_identity = short_text(
        &mut e,
        "gender_identity",
        "Gender identity",
        &input.gender_identity,
        60,
    );
    let address_line1 = short_text(
        &mut e,
        "address_line1",
        "Address",
        &input.address_line1,
        120,
    );
    let address_line2 = short_text(
        &mut e,
        "address_line2",
        "Address line 2",
        &input.address_line2,
        120,
    );
    let city = short_text(&mut e, "city", "City", &input.city, 80);
    let region = input.region.trim().to_uppercase();
    if !region.is_empty() && !US_STATES.contains(&region.as_str()) {
        e.add(
            "region",
            format!(
                "\"{}\" is not a US state or territory code (like OR or NY)",
                input.region.trim()
            ),
        );
    }
    let postal_code = input.postal_code.trim().to_string();
    if !postal_code.is_empty() {
        let ok = match postal_code.len() {
            5 => postal_code.chars().all(|c| c.is_ascii_digit()),
            10 => postal_code.chars().enumerate().all(|(i, c)| {
                if i == 5 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            }),
            _ => false,
        };
        if !ok {
            e.add(
                "postal_code",
                format!("\"{postal_code}\" is not a ZIP code (5 digits, or ZIP+4 like 97201-1234)"),
            );
        }
    }
    let phone_mobile = phone(&mut e, "phone_mobile", "Mobile phone", &input.phone_mobile);
    let phone_home = phone(&mut e, "phone_home", "Home phone", &input.phone_home);
    let phone_work = phone(&mut e, "phone_work", "Work phone", &input.phone_work);
    let email = email(&mut e, "email", &input.email);
    let contact = input.preferred_contact.trim();
    let preferred_contact = if contact.is_empty() {
        Some(PreferredContact::Phone)
    } else {
        PreferredContact::parse(contact)
    };
    match preferred_contact {
        None => e.add(
            "preferred_contact",
            format!("\"{contact}\" is not one of phone, text, email, mail"),
        ),
        Some(PreferredContact::Text) if input.phone_mobile.trim().is_empty() => e.add(
            "phone_mobile",
            "A mobile phone is needed when the preferred contact is text",
        ),
        Some(PreferredContact::Email) if input.email.trim().is_empty() => e.add(
            "email",
            "An email address is needed when the preferred contact is email",
        ),
        Some(PreferredContact::Mail)
            if input.address_line1.trim().is_empty()
                || input.city.trim().is_empty()
                || input.postal_code.trim().is_empty() =>
        {
            e.add(
                "address_line1",
                "A full address (street, city, ZIP) is needed when the preferred contact is mail",
            )
        }
        Some(PreferredContact::Phone)
            if [&input.phone_mobile, &input.phone_home, &input.phone_work]
                .iter()
                .all(|p| p.trim().is_empty()) =>
        {
            e.add(
                "phone_mobile",
                "A phone number is needed when the preferred contact is phone",
            )
        }
        _ => {}
    }
    let emergency_name = name(
        &mut e,
        "emergency_name",
        "Emergency contact name",
        &input.emergency_name,
        false,
    );
    let emergency_relationship = short_text(
        &mut e,
        "emergency_relationship",
        "Relationship",
        &input.emergency_relationship,
        40,
    );
    let emergency_phone = phone(
        &mut e,
        "emergency_phone",
        "Emergency contact phone",
        &input.emergency_phone,
    );
    if !emergency_name.is_empty() && input.emergency_phone.trim().is_empty() {
        e.add(
            "emergency_phone",
            "An emergency contact needs a phone number",
        );
    }
    e.finish()?;
    let (Some(birth_date), Some(sex), Some(preferred_contact)) = (birth, sex, preferred_contact)
    else {
        return Err(chartroom_core::Error::Internal(
            "validation passed without values".into(),
        ));
    };
    Ok(PatientFields {
        family_name,
        given_name,
        middle_name,
        preferred_name,
        birth_date,
        sex,
        gender_identity,
        address_line1,
        address_line2,
        city,
        region,
        postal_code,
        phone_mobile,
        phone_home,
        phone_work,
        email,
        preferred_contact,
        emergency_name,
        emergency_relationship,
        emergency_phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn input() -> PatientInput {
        PatientInput {
            family_name: "Nguyễn".into(),
            given_name: "Thị Ánh".into(),
            birth_date: "1984-03-12".into(),
            sex: "female".into(),
            phone_mobile: "(503) 555-0134".into(),
            preferred_contact: "phone".into(),
            region: "or".into(),
            postal_code: "97201".into(),
            ..Default::default()
        }
    }

    /// Validates `f(input)` and returns "field: message" lines, or "ok".
    fn check(f: impl FnOnce(&mut PatientInput)) -> String {
        let mut i = input();
        f(&mut i);
        match patient(&i, today()) {
            Ok(_) => "ok".into(),
            Err(chartroom_core::Error::Validation(errs)) => errs
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("unexpected {e}"),
        }
    }

    #[test]
    fn a_good_form_normalises() {
        let p = patient(&input(), today()).unwrap();
        assert_eq!(p.phone_mobile, "5035550134");
        assert_eq!(p.region, "OR");
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1984, 3, 12).unwrap());
    }

    #[test]
    fn each_bad_field_is_named_with_its_reason() {
        assert_eq!(
            check(|i| i.birth_date = "2031-01-01".into()),
            "birth_date: Birth date 01/01/2031 is in the future (today is 03/02/2026)"
        );
        assert_eq!(
            check(|i| i.birth_date = "1984-02-30".into()),
            "birth_date: \"1984-02-30\" is not a date; use MM/DD/YYYY"
        );
        assert_eq!(check(|i| i.birth_date = "03/12/1984".into()), "ok");
        assert_eq!(
            check(|i| i.birth_date = "1850-01-01".into()),
            "birth_date: Birth date 01/01/1850 is before 1900; check the year"
        );
        assert_eq!(
            check(|i| i.phone_mobile = "555-12".into()),
            "phone_mobile: Mobile phone has 5 digits; a US number has 10 (area code and number)"
        );
        assert_eq!(
            check(|i| i.phone_mobile = "(103) 555-0134".into()),
            "phone_mobile: Mobile phone: area code cannot start with 1"
        );
        assert_eq!(
            check(|i| i.phone_mobile = "503 155 0134".into()),
            "phone_mobile: Mobile phone: the exchange (digits 4-6) cannot start with 1"
        );
        assert_eq!(check(|i| i.phone_mobile = "1-503-555-0134".into()), "ok");
        assert_eq!(check(|i| i.phone_mobile = "+44 20 7946 0958".into()), "ok");
        assert_eq!(
            check(|i| i.phone_mobile = "call me".into()),
            "phone_mobile: Mobile phone cannot contain \"c\""
        );
        assert_eq!(
            check(|i| i.family_name = "  ".into()),
            "family_name: Family name is required"
        );
        assert_eq!(
            check(|i| i.given_name = "R2D2".into()),
            "given_name: Given name cannot contain \"2\""
        );
        assert_eq!(
            check(|i| i.email = "ann@".into()),
            "email: \"ann@\" is not an email address (name@example.com)"
        );
        assert_eq!(check(|i| i.sex = "".into()), "sex: Sex is required");
        assert_eq!(
            check(|i| i.region = "XX".into()),
            "region: \"XX\" is not a US state or territory code (like OR or NY)"
        );
        assert_eq!(
            check(|i| i.postal_code = "9720".into()),
            "postal_code: \"9720\" is not a ZIP code (5 digits, or ZIP+4 like 97201-1234)"
        );
        assert_eq!(
            check(|i| i.preferred_contact = "email".into()),
            "email: An email address is needed when the preferred contact is email"
        );
        assert_eq!(
            check(|i| i.emergency_name = "Bao Nguyen".into()),
            "emergency_phone: An emergency contact needs a phone number"
        );
    }

    #[test]
    fn all_problems_are_reported_together() {
        let out = check(|i| {
            i.family_name = String::new();
            i.birth_date = "tomorrow".into();
            i.phone_mobile = "12".into();
        });
        let fields: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
        assert_eq!(fields, ["family_name", "birth_date", "phone_mobile"]);
    }
}
