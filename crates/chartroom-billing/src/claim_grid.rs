//! What a paper claim says, box by box, on the CMS-1500 (02/12) grid.
//!
//! [`ClaimContent`] is everything the practice holds that the form asks
//! for, gathered by [`crate::claims`]; [`pages`] writes it out as the
//! grid's lines and columns (10 characters and 6 lines to the inch, the
//! positions billing software has long used; see `CMS1500.md` for the
//! sources) following the NUCC instructions:
//!
//! - Medicare: one diagnosis pointer a line and NONE in item 11 without a
//!   group number;
//! - upper case, fixed pitch, names "LAST, FIRST, M" without periods,
//!   addresses without punctuation, ZIP codes and phones without hyphens;
//! - dates of birth as MM DD YYYY, dates of service as MM DD YY;
//! - item 21's ICD indicator `0` and up to twelve codes A to L without the
//!   dot; item 24E the letters of each line's diagnoses, no separators;
//! - amounts right-justified without a dollar sign or comma, cents apart;
//! - six service lines to a form; a claim of more continues on further
//!   forms, each with the same header and diagnoses and its own totals
//!   (items 28 and 29 add up that form's lines only).
//!
//! The shaded supplemental band above each service line is left empty:
//! the practice holds no supplemental information (NDCs, notes) to put
//! there, and it never carries a service of its own.

use chartroom_pdf::GridText;
use chartroom_types::{Money, PlanType, Sex, SubscriberRelationship};
use chrono::NaiveDate;

/// Service lines on one form.
pub const LINES_PER_FORM: usize = 6;
/// Diagnoses one claim can carry (item 21, A to L).
pub const MAX_DIAGNOSES: usize = 12;

/// A name as the form prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Name {
    pub family: String,
    pub given: String,
    pub middle: String,
}

/// An address as the form prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postal {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
}

/// The insured (the subscriber) of a coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insured {
    pub member_id: String,
    pub group_number: String,
    pub name: Name,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    /// Known only when the patient is the insured.
    pub address: Option<Postal>,
    pub plan_name: String,
}

/// One service line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    pub day: NaiveDate,
    pub place: String,
    pub code: String,
    pub modifiers: Vec<String>,
    /// Letters A to L, primary first.
    pub pointers: String,
    pub amount: Money,
    pub units: i64,
    /// Paid on it by the patient and other payers (item 29).
    pub paid_by_others: Money,
    pub rendering_npi: String,
}

/// Everything a claim prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimContent {
    pub payer_name: String,
    pub payer_address: Vec<String>,
    pub plan_type: PlanType,
    pub insured: Insured,
    pub relationship: SubscriberRelationship,
    pub patient: Name,
    pub patient_birth: NaiveDate,
    pub patient_sex: Sex,
    pub patient_address: Postal,
    /// The patient's other coverage (items 9, 9a, 9d) and so 11d's answer.
    pub other: Option<Insured>,
    pub signatures_on_file: bool,
    /// ICD-10-CM codes with their dot, A to L.
    pub diagnoses: Vec<String>,
    /// Item 22: resubmission code 7 and the payer's original number.
    pub resubmission: Option<String>,
    pub lines: Vec<ServiceLine>,
    pub tax_id: String,
    pub tax_id_is_ein: bool,
    pub account_number: String,
    pub accept_assignment: bool,
    /// Item 31: the rendering clinician's name and credentials.
    pub signer: String,
    pub signed_on: NaiveDate,
    pub practice_name: String,
    pub practice_address: Postal,
    pub practice_phone: String,
    pub practice_npi: String,
}

/// Upper-case ASCII, letters, digits, spaces and hyphens only (the NUCC's
/// "no punctuation"; accented letters folded: "Nguyễn" is "NGUYEN").
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_uppercase();
    let kept: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else if c == '\'' {
                '\0'
            } else {
                ' '
            }
        })
        .filter(|c| *c != '\0')
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// "LAST, FIRST, M" (the middle initial only; no periods).
pub fn name_text(n: &Name) -> String {
    let mut out = format!("{}, {}", fold(&n.family), fold(&n.given));
    if let Some(m) = fold(&n.middle).chars().next() {
        out.push_str(", ");
        out.push(m);
    }
    out
}

/// A subscriber's name as typed ("Maria J Alvarez", or "Alvarez, Maria")
/// split into its parts.
pub fn split_name(typed: &str) -> Name {
    if let Some((family, rest)) = typed.split_once(',') {
        let mut words = rest.split_whitespace();
        return Name {
            family: family.trim().to_owned(),
            given: words.next().unwrap_or_default().to_owned(),
            middle: words.next().unwrap_or_default().to_owned(),
        };
    }
    let words: Vec<&str> = typed.split_whitespace().collect();
    match words.as_slice() {
        [] => Name::default(),
        [one] => Name {
            family: (*one).to_owned(),
            ..Name::default()
        },
        [given, family] => Name {
            family: (*family).to_owned(),
            given: (*given).to_owned(),
            middle: String::new(),
        },
        [given, middle @ .., family] => Name {
            family: (*family).to_owned(),
            given: (*given).to_owned(),
            middle: middle.first().map(|m| (*m).to_owned()).unwrap_or_default(),
        },
    }
}

/// `amount` as the form's money fields take it: dollars right-justified
/// in `width - 3` places, a space where the point would be, two cents.
fn amount_text(amount: Money, width: usize) -> String {
    let cents = amount.cents().max(0);
    format!(
        "{:>w$} {:02}",
        cents / 100,
        cents % 100,
        w = width.saturating_sub(3)
    )
}

/// Text cut to `width` characters.
fn cut(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}

struct Page(Vec<GridText>);

impl Page {
    fn put(&mut self, line: u8, col: u8, width: usize, text: &str) {
        let t = cut(text, width);
        if !t.trim().is_empty() {
            self.0.push(GridText::new(line, col, t));
        }
    }
    fn mark(&mut self, line: u8, col: u8) {
        self.0.push(GridText::new(line, col, "X"));
    }
    fn date8(&mut self, line: u8, col: u8, d: NaiveDate) {
        self.put(line, col, 2, &d.format("%m").to_string());
        self.put(line, col + 3, 2, &d.format("%d").to_string());
        self.put(line, col + 6, 4, &d.format("%Y").to_string());
    }
    fn date6(&mut self, line: u8, col: u8, d: NaiveDate) {
        self.put(line, col, 2, &d.format("%m").to_string());
        self.put(line, col + 3, 2, &d.format("%d").to_string());
        self.put(line, col + 6, 2, &d.format("%y").to_string());
    }
    fn sex(&mut self, line: u8, male: u8, female: u8, sex: Option<Sex>) {
        match sex {
            Some(Sex::Male) => self.mark(line, male),
            Some(Sex::Female) => self.mark(line, female),
            _ => {}
        }
    }
}

/// The claim's forms: six service lines to each, every form complete.
pub fn pages(c: &ClaimContent) -> Vec<Vec<GridText>> {
    c.lines
        .chunks(LINES_PER_FORM)
        .map(|lines| {
            let mut p = Page(Vec::new());
            header(&mut p, c);
            service_lines(&mut p, lines, c.plan_type == PlanType::Medicare);
            footer(&mut p, c, lines);
            p.0
        })
        .collect()
}

fn header(p: &mut Page, c: &ClaimContent) {
    // The payer's mailing address, top right.
    p.put(2, 41, 31, &fold(&c.payer_name));
    for (i, l) in c.payer_address.iter().take(3).enumerate() {
        p.put(3 + i as u8, 41, 31, &fold(l));
    }
    // 1, 1a.
    let col = match c.plan_type {
        PlanType::Medicare => 1,
        PlanType::Medicaid => 8,
        PlanType::Tricare => 15,
        PlanType::Champva => 24,
        PlanType::GroupHealth => 31,
        PlanType::Feca => 39,
        PlanType::Other => 45,
    };
    p.mark(8, col);
    p.put(8, 50, 29, &fold(&c.insured.member_id));
    // 2, 3, 4.
    p.put(10, 1, 28, &name_text(&c.patient));
    p.date8(10, 31, c.patient_birth);
    p.sex(10, 42, 47, Some(c.patient_sex));
    p.put(10, 50, 29, &name_text(&c.insured.name));
    // 5, 6, 7 (the patient's phone is not reported: NUCC).
    let a = &c.patient_address;
    p.put(12, 1, 28, &fold(&a.street));
    p.mark(
        12,
        match c.relationship {
            SubscriberRelationship::SelfInsured => 33,
            SubscriberRelationship::Spouse => 38,
            SubscriberRelationship::Child => 42,
            SubscriberRelationship::Other => 47,
        },
    );
    p.put(14, 1, 23, &fold(&a.city));
    p.put(14, 26, 2, &fold(&a.state));
    p.put(16, 1, 10, &digits(&a.zip));
    if let Some(ia) = &c.insured.address {
        p.put(12, 50, 29, &fold(&ia.street));
        p.put(14, 50, 23, &fold(&ia.city));
        p.put(14, 74, 2, &fold(&ia.state));
        p.put(16, 50, 10, &digits(&ia.zip));
    }
    // 9, 9a, 9d: the other coverage; 11d answers whether there is one.
    if let Some(o) = &c.other {
        p.put(18, 1, 28, &name_text(&o.name));
        p.put(20, 1, 28, &fold(&o.member_id));
        p.put(26, 1, 28, &fold(&o.plan_name));
        p.mark(26, 52);
    } else {
        p.mark(26, 57);
    }
    // 10a-c: the practice records no employment or accident claims.
    for line in [20, 22, 24] {
        p.mark(line, 41);
    }
    // 11, 11a, 11c.
    // Medicare asks for NONE when there is no group number.
    let group = fold(&c.insured.group_number);
    if group.is_empty() && c.plan_type == PlanType::Medicare {
        p.put(18, 50, 29, "NONE");
    } else {
        p.put(18, 50, 29, &group);
    }
    if let Some(d) = c.insured.birth_date {
        p.date8(20, 53, d);
    }
    p.sex(20, 68, 75, c.insured.sex);
    p.put(24, 50, 29, &fold(&c.insured.plan_name));
    // 12, 13.
    if c.signatures_on_file {
        p.put(29, 7, 17, "SIGNATURE ON FILE");
        p.put(29, 55, 17, "SIGNATURE ON FILE");
    }
    // 21: ICD-10-CM, A to L, without the dot.
    p.put(37, 42, 1, "0");
    for (i, code) in c.diagnoses.iter().take(MAX_DIAGNOSES).enumerate() {
        let line = 38 + (i / 4) as u8;
        let col = 3 + 13 * (i % 4) as u8;
        p.put(line, col, 8, &code.replace('.', ""));
    }
    // 22.
    if let Some(reference) = &c.resubmission {
        p.put(38, 50, 1, "7");
        p.put(38, 62, 18, &fold(reference));
    }
}

fn service_lines(p: &mut Page, lines: &[ServiceLine], medicare: bool) {
    for (k, l) in lines.iter().enumerate() {
        let line = 44 + 2 * k as u8;
        p.date6(line, 1, l.day);
        p.date6(line, 10, l.day);
        p.put(line, 19, 2, &l.place);
        p.put(line, 25, 6, &l.code);
        p.put(line, 33, 11, &l.modifiers.join(" "));
        // Medicare takes one pointer a line (the primary); others up to four.
        let pointers = if medicare {
            l.pointers.chars().take(1).collect()
        } else {
            l.pointers.clone()
        };
        p.put(line, 45, 4, &pointers);
        p.put(line, 50, 8, &amount_text(l.amount, 8));
        p.put(line, 59, 3, &l.units.to_string());
        p.put(line, 68, 10, &l.rendering_npi);
    }
}

fn footer(p: &mut Page, c: &ClaimContent, lines: &[ServiceLine]) {
    // 25, 26, 27.
    p.put(56, 1, 15, &digits(&c.tax_id));
    p.mark(56, if c.tax_id_is_ein { 19 } else { 17 });
    p.put(56, 23, 14, &c.account_number);
    p.mark(56, if c.accept_assignment { 38 } else { 43 });
    // 28, 29: this form's lines only.
    let total = lines.iter().fold(Money::ZERO, |a, l| {
        Money::from_cents(a.cents() + l.amount.cents())
    });
    let paid = lines.iter().fold(Money::ZERO, |a, l| {
        Money::from_cents(a.cents() + l.paid_by_others.cents())
    });
    p.put(56, 52, 8, &amount_text(total, 8));
    p.put(56, 62, 8, &amount_text(paid, 8));
    // 33's phone: area code, then the number without a separator.
    let phone = digits(&c.practice_phone);
    let phone = phone
        .strip_prefix('1')
        .filter(|_| phone.len() == 11)
        .unwrap_or(&phone);
    if phone.len() == 10 {
        p.put(57, 66, 3, &phone[..3]);
        p.put(57, 70, 7, &phone[3..]);
    }
    // 32 (the practice is where the services were given) and 33.
    let a = &c.practice_address;
    let city_line = fold(&format!("{} {} {}", a.city, a.state, digits(&a.zip)));
    for col in [23, 50] {
        p.put(58, col, 25, &fold(&c.practice_name));
        p.put(59, col, 25, &fold(&a.street));
        p.put(60, col, 27, &city_line);
        p.put(61, col, 10, &c.practice_npi);
    }
    // 31.
    p.put(60, 1, 20, &fold(&c.signer));
    p.date6(61, 6, c.signed_on);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(day: &str, code: &str, cents: i64) -> ServiceLine {
        ServiceLine {
            day: d(day),
            place: "11".into(),
            code: code.into(),
            modifiers: vec!["25".into()],
            pointers: "AB".into(),
            amount: Money::from_cents(cents),
            units: 1,
            paid_by_others: Money::from_cents(2000),
            rendering_npi: "1234567893".into(),
        }
    }

    pub(crate) fn content(lines: Vec<ServiceLine>) -> ClaimContent {
        ClaimContent {
            payer_name: "Acme Health".into(),
            payer_address: vec!["PO Box 100".into(), "Portland, OR 97201".into()],
            plan_type: PlanType::GroupHealth,
            insured: Insured {
                member_id: "W123-456".into(),
                group_number: "G-9".into(),
                name: Name {
                    family: "Nguyễn".into(),
                    given: "Ánh".into(),
                    middle: "thi".into(),
                },
                birth_date: Some(d("1980-04-09")),
                sex: Some(Sex::Female),
                address: None,
                plan_name: "Acme Health".into(),
            },
            relationship: SubscriberRelationship::SelfInsured,
            patient: Name {
                family: "O'Brien-Smith".into(),
                given: "Mary".into(),
                middle: "Ann".into(),
            },
            patient_birth: d("1980-04-09"),
            patient_sex: Sex::Female,
            patient_address: Postal {
                street: "123 N. Main St., #101".into(),
                city: "Portland".into(),
                state: "OR".into(),
                zip: "97201-1234".into(),
            },
            other: None,
            signatures_on_file: true,
            diagnoses: vec!["E11.9".into(), "I10".into()],
            resubmission: None,
            lines,
            tax_id: "93-1234567".into(),
            tax_id_is_ein: true,
            account_number: "000042".into(),
            accept_assignment: true,
            signer: "Maria Alvarez MD".into(),
            signed_on: d("2026-12-07"),
            practice_name: "Riverside Family Practice".into(),
            practice_address: Postal {
                street: "200 River Rd".into(),
                city: "Portland".into(),
                state: "OR".into(),
                zip: "97202".into(),
            },
            practice_phone: "(503) 555-0142".into(),
            practice_npi: "1999999984".into(),
        }
    }

    fn at(page: &[GridText], line: u8, col: u8) -> Option<&str> {
        page.iter()
            .find(|t| t.line == line && t.col == col)
            .map(|t| t.text.as_str())
    }

    #[test]
    fn names_are_folded_to_the_forms_letters() {
        assert_eq!(fold("123 N. Main St., #101"), "123 N MAIN ST 101");
        assert_eq!(
            name_text(&Name {
                family: "O'Brien-Smith".into(),
                given: "Mary".into(),
                middle: "ann".into()
            }),
            "OBRIEN-SMITH, MARY, A"
        );
        assert_eq!(
            name_text(&split_name("Nguyễn, Thị Ánh")),
            "NGUYEN, THI, A",
            "a typed 'Last, First Middle'"
        );
        assert_eq!(
            name_text(&split_name("Maria J. Alvarez")),
            "ALVAREZ, MARIA, J"
        );
    }

    #[test]
    fn the_boxes_land_where_the_form_has_them() {
        let c = content(vec![line("2026-03-02", "99213", 15000)]);
        let pages = pages(&c);
        assert_eq!(pages.len(), 1);
        let p = &pages[0];
        assert_eq!(at(p, 2, 41), Some("ACME HEALTH"));
        assert_eq!(at(p, 4, 41), Some("PORTLAND OR 97201"));
        assert_eq!(at(p, 8, 31), Some("X"), "group health plan");
        assert_eq!(at(p, 8, 50), Some("W123-456"));
        assert_eq!(at(p, 10, 1), Some("OBRIEN-SMITH, MARY, A"));
        assert_eq!(
            (at(p, 10, 31), at(p, 10, 34), at(p, 10, 37)),
            (Some("04"), Some("09"), Some("1980"))
        );
        assert_eq!(at(p, 10, 47), Some("X"), "female");
        assert_eq!(at(p, 10, 50), Some("NGUYEN, ANH, T"));
        assert_eq!(at(p, 12, 1), Some("123 N MAIN ST 101"));
        assert_eq!(at(p, 12, 33), Some("X"), "self");
        assert_eq!(at(p, 16, 1), Some("972011234"), "ZIP without the hyphen");
        assert_eq!(at(p, 26, 57), Some("X"), "no other plan");
        assert_eq!(at(p, 37, 42), Some("0"), "ICD-10 indicator");
        assert_eq!(at(p, 38, 3), Some("E119"), "A without the dot");
        assert_eq!(at(p, 38, 16), Some("I10"), "B");
        assert_eq!(
            (at(p, 44, 1), at(p, 44, 4), at(p, 44, 7)),
            (Some("03"), Some("02"), Some("26"))
        );
        assert_eq!(at(p, 44, 19), Some("11"));
        assert_eq!(at(p, 44, 25), Some("99213"));
        assert_eq!(at(p, 44, 33), Some("25"));
        assert_eq!(at(p, 44, 45), Some("AB"));
        assert_eq!(at(p, 44, 50), Some("  150 00"));
        assert_eq!(at(p, 44, 59), Some("1"));
        assert_eq!(at(p, 44, 68), Some("1234567893"));
        assert_eq!(at(p, 56, 1), Some("931234567"));
        assert_eq!(at(p, 56, 19), Some("X"), "EIN");
        assert_eq!(at(p, 56, 52), Some("  150 00"));
        assert_eq!(at(p, 56, 62), Some("   20 00"));
        assert_eq!(
            (at(p, 57, 66), at(p, 57, 70)),
            (Some("503"), Some("5550142"))
        );
        assert_eq!(at(p, 61, 50), Some("1999999984"));
        // The shaded supplemental bands stay empty.
        assert!(p
            .iter()
            .all(|t| !(43..=53).contains(&t.line) || t.line % 2 == 0));
        // Nothing runs past column 80.
        assert!(p.iter().all(|t| usize::from(t.col) + t.text.len() <= 81));
    }

    #[test]
    fn medicare_takes_one_pointer_a_line_and_none_for_no_group() {
        let mut c = content(vec![line("2026-03-02", "99213", 15000)]);
        c.plan_type = PlanType::Medicare;
        c.insured.group_number = String::new();
        let p = &pages(&c)[0];
        assert_eq!(at(p, 8, 1), Some("X"), "Medicare");
        assert_eq!(at(p, 44, 45), Some("A"));
        assert_eq!(at(p, 18, 50), Some("NONE"));
    }

    #[test]
    fn seven_lines_take_two_forms_each_totalled_on_its_own() {
        let lines: Vec<ServiceLine> = (0..7)
            .map(|i| line("2026-03-02", "99213", 1000 * (i + 1)))
            .collect();
        let pages = pages(&content(lines));
        assert_eq!(pages.len(), 2);
        // 10+20+...+60 dollars on the first, 70 on the second.
        assert_eq!(at(&pages[0], 56, 52), Some("  210 00"));
        assert_eq!(at(&pages[1], 56, 52), Some("   70 00"));
        assert_eq!(at(&pages[0], 56, 62), Some("  120 00"));
        assert_eq!(at(&pages[1], 56, 62), Some("   20 00"));
        // The second form repeats the header and the diagnoses.
        assert_eq!(at(&pages[1], 10, 1), at(&pages[0], 10, 1));
        assert_eq!(at(&pages[1], 38, 3), Some("E119"));
        assert_eq!(at(&pages[1], 46, 25), None, "one line on the second");
    }
}
