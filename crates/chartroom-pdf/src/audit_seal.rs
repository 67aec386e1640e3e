//! The audit seal: [`AuditSealDoc`] and [`audit_seal`].
//!
//! One US letter page a practice manager prints and keeps away from the
//! computer (a locked drawer, the practice's binder): the newest record of
//! the audit log, its number and its hash, and when and by whom it was
//! printed. Typed back into `chartroom verify --seal "NUMBER: HASH"` it
//! proves that the log up to that record is the one that was printed,
//! whatever was done to the database since. Nothing about any patient is
//! printed on it.

use crate::layout::{Align, PageWriter, Style, US_LETTER};
use crate::PdfError;

/// Everything printed on an audit seal, as display text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSealDoc {
    /// The practice's name.
    pub practice: String,
    /// When it was printed, in the clinic's time, e.g. "12/02/2026 09:14 PST".
    pub printed_at: String,
    /// Who printed it.
    pub printed_by: String,
    /// The newest record's number. Required (at least 1).
    pub head_id: i64,
    /// Its hash in groups, as `chartroom verify --seal` reads it back.
    /// Required: 64 hexadecimal digits.
    pub head_hash: String,
    /// How many records the log holds, and whether they verified when the
    /// seal was printed, e.g. "12,345 records; chain verified".
    pub chain: String,
}

const MARGIN: f32 = 19.05;
const TITLE: &str = "Audit seal";
const HEADING: Style = Style::bold(20.0);
const PRACTICE: Style = Style::regular(12.0);
const LABEL: Style = Style::regular(9.0).grey(0.4);
const VALUE: Style = Style::regular(11.0);
const SEAL: Style = Style::bold(13.0);
const HASH: Style = Style::bold(15.0);
const NOTE: Style = Style::regular(9.5).grey(0.2);

/// Renders the seal, or says which field cannot be printed.
pub fn audit_seal(doc: &AuditSealDoc) -> Result<Vec<u8>, PdfError> {
    if doc.head_id < 1 {
        return Err(PdfError::InvalidField {
            field: "head_id",
            reason: "must be a record number of 1 or more",
        });
    }
    let digits: String = doc
        .head_hash
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(PdfError::InvalidField {
            field: "head_hash",
            reason: "must be 64 hexadecimal digits",
        });
    }
    if doc.practice.trim().is_empty() {
        return Err(PdfError::MissingField("practice"));
    }
    let mut w = PageWriter::new(US_LETTER, MARGIN)?;
    let (left, width) = (w.left(), w.content_width());
    w.paragraph(HEADING, left, width, Align::Left, "Audit seal");
    w.space(1.5);
    w.paragraph(PRACTICE, left, width, Align::Left, &doc.practice);
    w.space(4.0);
    w.rule(left, w.right(), 1.2, 0.0);
    w.space(6.0);

    for (label, value) in [
        ("Printed", doc.printed_at.as_str()),
        ("Printed by", doc.printed_by.as_str()),
        ("Audit log", doc.chain.as_str()),
    ] {
        if value.trim().is_empty() {
            continue;
        }
        w.paragraph(LABEL, left, width, Align::Left, label);
        w.paragraph(VALUE, left, width, Align::Left, value);
        w.space(3.0);
    }
    w.space(4.0);
    w.paragraph(
        LABEL,
        left,
        width,
        Align::Left,
        "Newest record and its hash",
    );
    w.space(1.0);
    let top = w.y();
    w.space(4.0);
    w.paragraph(
        SEAL,
        left + 4.0,
        width - 8.0,
        Align::Left,
        &format!("Record {}", doc.head_id),
    );
    w.space(2.0);
    // The hash in two rows of four groups, large enough to read and type.
    let groups: Vec<String> = digits
        .to_ascii_lowercase()
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    for row in groups.chunks(4) {
        w.paragraph(HASH, left + 4.0, width - 8.0, Align::Left, &row.join("  "));
    }
    w.space(4.0);
    let bottom = w.y();
    w.frame((left, top), (w.right(), bottom), 0.8);
    w.space(8.0);
    let command = format!(
        "chartroom verify --seal \"{}: {}\"",
        doc.head_id,
        groups.join(" ")
    );
    for line in [
        "Keep this page away from the computer: in a locked drawer or the practice binder.",
        "To check the audit log against it, type the record number, a colon and the eight \
         groups of the hash, as printed:",
        command.as_str(),
        "The check passes only if the log still holds this record with this hash and every \
         record before it is unchanged. It names the first record that no longer matches.",
        "This page holds no patient information.",
    ] {
        w.paragraph(NOTE, left, width, Align::Left, line);
        w.space(2.0);
    }
    w.finish(TITLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> AuditSealDoc {
        AuditSealDoc {
            practice: "Riverside Clinic".into(),
            printed_at: "12/02/2026 09:14 PST".into(),
            printed_by: "Mia Manager".into(),
            head_id: 1234,
            head_hash: "0123abcd ".repeat(8).trim().to_string(),
            chain: "1,234 records; chain verified".into(),
        }
    }

    #[test]
    fn a_seal_renders_and_refuses_what_cannot_be_read_back() {
        let pdf = audit_seal(&doc()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let bad_hash = AuditSealDoc {
            head_hash: "xyz".into(),
            ..doc()
        };
        assert!(matches!(
            audit_seal(&bad_hash),
            Err(PdfError::InvalidField {
                field: "head_hash",
                ..
            })
        ));
        let no_record = AuditSealDoc {
            head_id: 0,
            ..doc()
        };
        assert!(matches!(
            audit_seal(&no_record),
            Err(PdfError::InvalidField {
                field: "head_id",
                ..
            })
        ));
    }
}
