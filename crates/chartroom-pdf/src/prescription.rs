//! The printed prescription: [`PrescriptionDoc`] and [`prescription`].
//!
//! One US letter page laid out like a prescription pad: the practice at the
//! top, the prescriber (with NPI and DEA numbers) and the date, the patient,
//! then the ℞ with the drug, the directions ("Sig"), the quantity and refills
//! written in figures *and* words (so "3" cannot become "30"), whether
//! substitution is permitted, and a signature line.
//!
//! All values arrive as display text (dates already formatted); this module
//! checks that the ones a pharmacy cannot do without are present and that
//! the quantity is a whole number, then draws. It makes no clinical checks.

use crate::layout::{Align, PageWriter, Style, US_LETTER};
use crate::words::number_words;
use crate::PdfError;

/// The practice, printed as the letterhead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeHeader {
    /// The practice's name, printed large at the top.
    pub name: String,
    /// Postal address, one printed line each (e.g. street, then city/state/ZIP).
    pub address_lines: Vec<String>,
    /// Telephone number as it should be printed; empty to leave it out.
    pub phone: String,
    /// Fax number as it should be printed; empty to leave it out.
    pub fax: String,
    /// The practice's (group) NPI; empty to leave it out.
    pub npi: String,
    /// The practice's logo, PNG or JPEG, printed at the top left.
    pub logo: Option<Vec<u8>>,
}

impl PracticeHeader {
    /// "Phone (503) 555-0142 · Fax (503) 555-0143", or what of it is set.
    pub fn contact_line(&self) -> String {
        let mut parts = Vec::new();
        if !self.phone.trim().is_empty() {
            parts.push(format!("Phone {}", self.phone.trim()));
        }
        if !self.fax.trim().is_empty() {
            parts.push(format!("Fax {}", self.fax.trim()));
        }
        if !self.npi.trim().is_empty() {
            parts.push(format!("NPI {}", self.npi.trim()));
        }
        parts.join(" · ")
    }
}

/// The clinician who writes and signs the prescription.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prescriber {
    /// Full name, e.g. "Maria Alvarez". Required.
    pub full_name: String,
    /// Credentials printed after the name, e.g. "MD" or "FNP-C"; may be empty.
    pub credentials: String,
    /// National Provider Identifier; empty to leave the line out.
    pub npi: String,
    /// DEA registration number; empty to leave the line out.
    pub dea: String,
}

/// The patient the prescription is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientBlock {
    /// Full name as it should be printed. Required.
    pub full_name: String,
    /// Date of birth, already formatted (e.g. "03/14/1961"); empty to leave it out.
    pub birth_date: String,
    /// Postal address, one printed line each; may be empty.
    pub address_lines: Vec<String>,
}

/// Everything printed on one prescription.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrescriptionDoc {
    /// The letterhead.
    pub practice: PracticeHeader,
    /// Who prescribes and signs.
    pub prescriber: Prescriber,
    /// Who it is for.
    pub patient: PatientBlock,
    /// Date written, already formatted (e.g. "11/22/2026"). Required.
    pub date: String,
    /// The practice's prescription number; empty to leave it out.
    pub rx_number: String,
    /// Drug name, e.g. "Amoxicillin". Required.
    pub drug: String,
    /// Strength, e.g. "500 mg"; may be empty.
    pub strength: String,
    /// Dosage form, e.g. "capsule"; may be empty.
    pub form: String,
    /// Directions to the patient ("Sig"). Required; wrapped to the page.
    pub directions: String,
    /// Quantity to dispense: a whole number from 1 to 9999, e.g. "30".
    pub quantity: String,
    /// Unit of the quantity, e.g. "capsules"; may be empty.
    pub quantity_unit: String,
    /// Number of refills (0 to 9999), printed in figures and words.
    pub refills: u32,
    /// `true` prints "Substitution permitted", `false` "Dispense as written".
    pub substitution_allowed: bool,
}

/// Page margin: three quarters of an inch.
const MARGIN: f32 = 19.05;
/// Document title in the PDF's information dictionary (no patient data).
const TITLE: &str = "Prescription";

const PRACTICE_NAME: Style = Style::bold(18.0);
const LETTERHEAD: Style = Style::regular(9.5).grey(0.25);
const PRESCRIBER_NAME: Style = Style::bold(11.5);
const DETAIL: Style = Style::regular(9.5);
const LABEL: Style = Style::regular(8.5).grey(0.4);
const PATIENT_NAME: Style = Style::bold(12.5);
const VALUE: Style = Style::regular(10.5);
const RX_SYMBOL: Style = Style::bold(34.0);
const DRUG: Style = Style::bold(14.0);
const BODY_LABEL: Style = Style::bold(11.0);
const BODY: Style = Style::regular(11.0);
const NOTE: Style = Style::regular(9.0).grey(0.3);

/// Renders `doc` as a one-page US letter PDF and returns its bytes.
///
/// Fails with [`PdfError::MissingField`] when the patient's name, the
/// prescriber's name, the date, the drug or the directions are blank, with
/// [`PdfError::InvalidField`] when the quantity is not a whole number from
/// 1 to 9999 (or refills exceed 9999), with
/// [`PdfError::UnsupportedCharacter`] for text the font cannot draw, and
/// with [`PdfError::PageOverflow`] if the directions are too long for
/// one page.
pub fn prescription(doc: &PrescriptionDoc) -> Result<Vec<u8>, PdfError> {
    let checked = check(doc)?;
    let mut w = PageWriter::new(US_LETTER, MARGIN)?;
    letterhead(&mut w, &doc.practice)?;
    prescriber_and_date(&mut w, doc);
    patient(&mut w, &doc.patient);
    body(&mut w, doc, &checked);
    signature(&mut w, &doc.prescriber);
    w.finish(TITLE)
}

/// The validated numbers, ready to print.
#[derive(Debug)]
struct Checked {
    /// "30 (thirty) capsules"
    dispense: String,
    /// "0 (zero)"
    refills: String,
}

fn check(doc: &PrescriptionDoc) -> Result<Checked, PdfError> {
    let required = [
        (&doc.patient.full_name, "patient.full_name"),
        (&doc.prescriber.full_name, "prescriber.full_name"),
        (&doc.date, "date"),
        (&doc.drug, "drug"),
        (&doc.directions, "directions"),
        (&doc.quantity, "quantity"),
    ];
    for (value, field) in required {
        if value.trim().is_empty() {
            return Err(PdfError::MissingField(field));
        }
    }

    let quantity = doc.quantity.trim();
    let invalid = |reason| PdfError::InvalidField {
        field: "quantity",
        reason,
    };
    if !quantity.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("must be a whole number of units"));
    }
    let quantity: u32 = quantity
        .parse()
        .map_err(|_| invalid("must be at most 9999"))?;
    if quantity == 0 {
        return Err(invalid("must be at least 1"));
    }
    let quantity_words = number_words(quantity).ok_or(invalid("must be at most 9999"))?;
    let refill_words = number_words(doc.refills).ok_or(PdfError::InvalidField {
        field: "refills",
        reason: "must be at most 9999",
    })?;

    Ok(Checked {
        dispense: join(&[
            &format!("{quantity} ({quantity_words})"),
            &doc.quantity_unit,
        ]),
        refills: format!("{} ({refill_words})", doc.refills),
    })
}

/// The non-blank parts, trimmed, joined by single spaces.
fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Maria Alvarez, MD", or the bare name without credentials.
fn name_with_credentials(prescriber: &Prescriber) -> String {
    let name = prescriber.full_name.trim();
    match prescriber.credentials.trim() {
        "" => name.to_string(),
        credentials => format!("{name}, {credentials}"),
    }
}

fn letterhead(w: &mut PageWriter, practice: &PracticeHeader) -> Result<(), PdfError> {
    let (mut left, mut width) = (w.left(), w.content_width());
    let top = w.y();
    let mut logo_bottom = top;
    if let Some(logo) = &practice.logo {
        // The logo at the top left; the centred lines keep clear of it on
        // both sides so they stay centred on the page.
        let (lw, lh) = w.image_top_left(logo, (left, top), (LOGO_BOX.0, LOGO_BOX.1))?;
        logo_bottom = top + lh;
        left += lw + 4.0;
        width -= 2.0 * (lw + 4.0);
    }
    w.paragraph(PRACTICE_NAME, left, width, Align::Center, &practice.name);
    w.space(1.0);
    for line in &practice.address_lines {
        w.paragraph(LETTERHEAD, left, width, Align::Center, line);
    }
    let contact = practice.contact_line();
    if !contact.is_empty() {
        w.paragraph(LETTERHEAD, left, width, Align::Center, &contact);
    }
    w.set_y(w.y().max(logo_bottom));
    w.space(3.0);
    w.rule(w.left(), w.right(), 1.2, 0.0);
    w.space(5.0);
    Ok(())
}

/// The largest a logo is printed, mm (width, height).
pub(crate) const LOGO_BOX: (f32, f32) = (32.0, 20.0);

fn prescriber_and_date(w: &mut PageWriter, doc: &PrescriptionDoc) {
    let (left, width) = (w.left(), w.content_width());
    let left_width = width * 0.62;
    let right_x = left + left_width + 4.0;
    let right_width = w.right() - right_x;
    let top = w.y();

    let prescriber = &doc.prescriber;
    w.paragraph(
        PRESCRIBER_NAME,
        left,
        left_width,
        Align::Left,
        &name_with_credentials(prescriber),
    );
    w.space(0.5);
    for (label, value) in [("NPI", &prescriber.npi), ("DEA", &prescriber.dea)] {
        if !value.trim().is_empty() {
            let line = format!("{label}: {}", value.trim());
            w.paragraph(DETAIL, left, left_width, Align::Left, &line);
        }
    }
    let left_bottom = w.y();

    w.set_y(top);
    labeled_right(w, right_x, right_width, "Date", &doc.date);
    labeled_right(w, right_x, right_width, "Rx #", &doc.rx_number);
    let bottom = left_bottom.max(w.y());

    w.set_y(bottom + 3.0);
    w.rule(left, w.right(), 0.5, 0.55);
    w.space(4.5);
}

/// "Date  11/22/2026" set flush right in a column, the label small and grey.
/// Blank values draw nothing.
fn labeled_right(w: &mut PageWriter, x: f32, width: f32, label: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let label_width = w.measure(LABEL, label) + 2.5;
    if label_width + w.measure(VALUE, value) > width {
        // Too long to share a line: the label, then the value wrapped below.
        w.paragraph(LABEL, x, width, Align::Right, label);
        w.paragraph(VALUE, x, width, Align::Right, value);
        return;
    }
    let baseline = w.baseline(VALUE);
    let right = x + width;
    w.text_on(baseline, VALUE, right, Align::Right, value);
    let value_width = w.measure(VALUE, value);
    w.text_on(
        baseline,
        LABEL,
        right - value_width - 2.5,
        Align::Right,
        label,
    );
    w.space(w.line_height(VALUE));
}

/// A grey label in a gutter at `x`, with the value wrapped beside it; the
/// label sits on the value's first baseline.
fn labeled(
    w: &mut PageWriter,
    (x, gutter, width): (f32, f32, f32),
    (label_style, label): (Style, &str),
    (value_style, value): (Style, &str),
) {
    let baseline = w.baseline(value_style);
    w.text_on(baseline, label_style, x, Align::Left, label);
    w.paragraph(value_style, x + gutter, width - gutter, Align::Left, value);
}

fn patient(w: &mut PageWriter, patient: &PatientBlock) {
    let (left, width) = (w.left(), w.content_width());
    let left_width = width * 0.62;
    let right_x = left + left_width + 4.0;
    let right_width = w.right() - right_x;
    let gutter = 18.0;
    let top = w.y();

    labeled(
        w,
        (left, gutter, left_width),
        (LABEL, "Patient"),
        (PATIENT_NAME, &patient.full_name),
    );
    let address: Vec<&str> = patient
        .address_lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if let Some((first, rest)) = address.split_first() {
        w.space(0.8);
        labeled(
            w,
            (left, gutter, left_width),
            (LABEL, "Address"),
            (VALUE, first),
        );
        for line in rest {
            w.paragraph(VALUE, left + gutter, left_width - gutter, Align::Left, line);
        }
    }
    let left_bottom = w.y();

    // The date of birth on the name's baseline.
    w.set_y(top + w.ascent(PATIENT_NAME) - w.ascent(VALUE));
    labeled_right(w, right_x, right_width, "DOB", &patient.birth_date);
    let bottom = left_bottom.max(w.y());

    w.set_y(bottom + 3.0);
    w.rule(left, w.right(), 0.5, 0.55);
    w.space(8.0);
}

fn body(w: &mut PageWriter, doc: &PrescriptionDoc, checked: &Checked) {
    let left = w.left();
    let x = left + 17.0;
    let width = w.right() - x;
    let top = w.y();

    // The ℞ sits on the drug line's baseline.
    let rx_baseline = w.baseline(RX_SYMBOL);
    w.text_on(rx_baseline, RX_SYMBOL, left, Align::Left, "\u{211E}");
    w.set_y(rx_baseline - w.ascent(DRUG));
    let drug = join(&[&doc.drug, &doc.strength, &doc.form]);
    w.paragraph(DRUG, x, width, Align::Left, &drug);
    w.space(4.0);

    let rows = [
        ("Sig:", doc.directions.as_str()),
        ("Dispense:", checked.dispense.as_str()),
        ("Refills:", checked.refills.as_str()),
    ];
    let widest = rows
        .iter()
        .map(|(label, _)| w.measure(BODY_LABEL, label))
        .fold(0.0, f32::max);
    let gutter = widest + 4.0;
    for (label, value) in rows {
        labeled(w, (x, gutter, width), (BODY_LABEL, label), (BODY, value));
        w.space(2.5);
    }
    let below_rx = top + w.line_height(RX_SYMBOL);
    if w.y() < below_rx {
        w.set_y(below_rx);
    }

    w.space(4.0);
    let (choice, note) = if doc.substitution_allowed {
        (
            "Substitution permitted",
            "a generically equivalent product may be dispensed",
        )
    } else {
        (
            "Dispense as written",
            "no substitution; dispense the product as prescribed",
        )
    };
    let pad = 2.5;
    let box_top = w.y();
    w.space(pad);
    let baseline = w.baseline(BODY_LABEL);
    let end = w.text_on(baseline, BODY_LABEL, x + pad, Align::Left, choice);
    let end = w.text_on(baseline, NOTE, end + 3.0, Align::Left, &format!("({note})"));
    w.space(w.line_height(BODY_LABEL) + pad - 1.0);
    w.frame((x, box_top), (end + pad, w.y()), 0.8);
}

fn signature(w: &mut PageWriter, prescriber: &Prescriber) {
    let width = 85.0;
    let x = w.right() - width;
    w.space(24.0);
    w.rule(x, w.right(), 0.8, 0.0);
    w.space(1.5);
    w.paragraph(
        VALUE,
        x,
        width,
        Align::Left,
        &name_with_credentials(prescriber),
    );
    w.paragraph(LABEL, x, width, Align::Left, "Prescriber's signature");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PrescriptionDoc {
        PrescriptionDoc {
            prescriber: Prescriber {
                full_name: "Maria Alvarez".into(),
                credentials: "MD".into(),
                ..Prescriber::default()
            },
            patient: PatientBlock {
                full_name: "Łukasz Żółć".into(),
                ..PatientBlock::default()
            },
            date: "11/22/2026".into(),
            drug: "Amoxicillin".into(),
            directions: "Take 1 capsule by mouth three times daily".into(),
            quantity: "30".into(),
            ..PrescriptionDoc::default()
        }
    }

    #[test]
    fn quantity_and_refills_are_written_in_figures_and_words() {
        let checked = check(&PrescriptionDoc {
            quantity: " 030 ".into(),
            quantity_unit: "capsules".into(),
            refills: 2,
            ..doc()
        })
        .unwrap();
        assert_eq!(checked.dispense, "30 (thirty) capsules");
        assert_eq!(checked.refills, "2 (two)");
    }

    #[test]
    fn quantity_must_be_a_whole_number_from_1_to_9999() {
        for bad in ["0", "2.5", "-3", "thirty", "10000", "99999999999"] {
            let err = check(&PrescriptionDoc {
                quantity: bad.into(),
                ..doc()
            })
            .unwrap_err();
            assert!(
                matches!(
                    err,
                    PdfError::InvalidField {
                        field: "quantity",
                        ..
                    }
                ),
                "{bad}: {err:?}"
            );
        }
        assert_eq!(
            check(&PrescriptionDoc {
                quantity: "  ".into(),
                ..doc()
            })
            .unwrap_err(),
            PdfError::MissingField("quantity")
        );
    }

    #[test]
    fn refills_beyond_words_are_invalid() {
        let err = check(&PrescriptionDoc {
            refills: 10_000,
            ..doc()
        })
        .unwrap_err();
        assert!(matches!(
            err,
            PdfError::InvalidField {
                field: "refills",
                ..
            }
        ));
    }

    #[test]
    fn required_fields() {
        type Blank = fn(&mut PrescriptionDoc);
        let cases: [(Blank, &str); 5] = [
            (|d| d.patient.full_name = " ".into(), "patient.full_name"),
            (|d| d.prescriber.full_name.clear(), "prescriber.full_name"),
            (|d| d.date.clear(), "date"),
            (|d| d.drug.clear(), "drug"),
            (|d| d.directions = "\n".into(), "directions"),
        ];
        for (blank, field) in cases {
            let mut d = doc();
            blank(&mut d);
            assert_eq!(prescription(&d).unwrap_err(), PdfError::MissingField(field));
        }
    }

    #[test]
    fn optional_parts_may_be_empty() {
        let bytes = prescription(&doc()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn directions_too_long_for_the_page_are_refused() {
        let d = PrescriptionDoc {
            directions: "Take one tablet by mouth daily. ".repeat(200),
            ..doc()
        };
        assert_eq!(prescription(&d).unwrap_err(), PdfError::PageOverflow);
    }

    #[test]
    fn credentials_follow_the_name() {
        assert_eq!(
            name_with_credentials(&doc().prescriber),
            "Maria Alvarez, MD"
        );
        let bare = Prescriber {
            full_name: " Maria Alvarez ".into(),
            ..Prescriber::default()
        };
        assert_eq!(name_with_credentials(&bare), "Maria Alvarez");
    }
}
