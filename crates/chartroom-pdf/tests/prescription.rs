//! Prescriptions rendered end to end and read back with the tools a pharmacy
//! or an auditor would use: `qpdf --check` must accept the file and
//! `pdftotext -layout` must extract every printed value.
//!
//! The tools come from Debian's `qpdf` and `poppler-utils` packages; a
//! missing tool fails the test (it does not skip). Set `CHARTROOM_PDF_OUT`
//! to a folder to keep the rendered files for a look.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::Command;

use chartroom_pdf::{
    prescription, PatientBlock, PdfError, PracticeHeader, Prescriber, PrescriptionDoc,
};

fn amoxicillin_for_nguyen() -> PrescriptionDoc {
    PrescriptionDoc {
        practice: PracticeHeader {
            name: "Riverside Family Medicine".into(),
            address_lines: vec![
                "1200 Harbor Boulevard, Suite 210".into(),
                "Portland, OR 97201".into(),
            ],
            phone: "(503) 555-0142".into(),
            fax: "(503) 555-0143".into(),
            npi: String::new(),
            logo: None,
        },
        prescriber: Prescriber {
            full_name: "Maria Alvarez".into(),
            credentials: "MD".into(),
            npi: "1234567893".into(),
            dea: "AB1234563".into(),
        },
        patient: PatientBlock {
            full_name: "Nguyễn Thị Ánh".into(),
            birth_date: "03/14/1961".into(),
            address_lines: vec![
                "4417 SE Division Street".into(),
                "Portland, OR 97206".into(),
            ],
        },
        date: "11/22/2026".into(),
        rx_number: "RX-004217".into(),
        drug: "Amoxicillin".into(),
        strength: "500 mg".into(),
        form: "capsule".into(),
        directions: "Take 1 capsule by mouth three times daily for 10 days.".into(),
        quantity: "30".into(),
        quantity_unit: "capsules".into(),
        refills: 0,
        substitution_allowed: false,
    }
}

/// A tool from the system, or a failure that says how to install it.
fn tool(name: &str, package: &str) -> Command {
    let found = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is not installed: these tests need it to check the PDF \
         (Debian: apt-get install {package})"
    );
    Command::new(name)
}

/// Renders `doc`, writes it into `dir` and checks it with `qpdf --check`.
fn render(doc: &PrescriptionDoc, dir: &Path, name: &str) -> PathBuf {
    let bytes = prescription(doc).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    if let Some(out) = std::env::var_os("CHARTROOM_PDF_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::copy(&path, Path::new(&out).join(name)).unwrap();
    }
    let check = tool("qpdf", "qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "qpdf --check rejected {name}:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    path
}

/// The page's text as `pdftotext -layout` extracts it.
fn text_of(path: &Path) -> String {
    let out = tool("pdftotext", "poppler-utils")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(
            text.contains(e),
            "{e:?} not found in the extracted text:\n{text}"
        );
    }
}

#[test]
fn prescription_prints_every_value_and_extracts_with_diacritics() {
    let dir = tempfile::tempdir().unwrap();
    let doc = amoxicillin_for_nguyen();
    let path = render(&doc, dir.path(), "prescription.pdf");
    let text = text_of(&path);
    assert_contains(
        &text,
        &[
            "Riverside Family Medicine",
            "1200 Harbor Boulevard, Suite 210",
            "(503) 555-0142",
            "Maria Alvarez, MD",
            "NPI: 1234567893",
            "DEA: AB1234563",
            "Nguyễn Thị Ánh",
            "03/14/1961",
            "4417 SE Division Street",
            "11/22/2026",
            "RX-004217",
            "\u{211E}", // ℞
            "Amoxicillin 500 mg capsule",
            "Take 1 capsule by mouth three times daily for 10 days.",
            "30 (thirty) capsules",
            "0 (zero)",
            "Dispense as written",
        ],
    );
    assert!(!text.contains("Substitution permitted"), "{text}");
}

#[test]
fn the_fonts_are_embedded_as_small_subsets() {
    let bytes = prescription(&amoxicillin_for_nguyen()).unwrap();
    // The two full TrueType files are about 1.4 MB; embedded whole they
    // would make this file about 700 KB.
    assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = render(&amoxicillin_for_nguyen(), dir.path(), "fonts.pdf");
    let out = tool("pdffonts", "poppler-utils")
        .arg(&path)
        .output()
        .unwrap();
    let fonts = String::from_utf8(out.stdout).unwrap();
    for face in ["+DejaVuSans ", "+DejaVuSans-Bold "] {
        let line = fonts
            .lines()
            .find(|l| l.contains(face))
            .unwrap_or_else(|| panic!("{face:?} missing from pdffonts:\n{fonts}"));
        // Columns: name type encoding emb sub uni ...
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            &columns[columns.len() - 5..columns.len() - 2],
            ["yes", "yes", "yes"],
            "{line}"
        );
    }
}

#[test]
fn long_directions_wrap_and_stay_on_the_page() {
    let directions = "Take 1 tablet by mouth once daily in the morning with a full glass of \
        water, at least thirty minutes before breakfast and any other medicines. Remain \
        upright for thirty minutes after each dose. Do not crush, split or chew the tablet. \
        If a dose is missed, skip it and resume the usual schedule the next morning; never \
        take two doses on the same day. Stop and call the office for chest pain, trouble \
        swallowing or new heartburn.";
    let doc = PrescriptionDoc {
        drug: "Alendronate sodium".into(),
        strength: "70 mg".into(),
        form: "tablet".into(),
        directions: directions.into(),
        quantity: "4".into(),
        quantity_unit: "tablets".into(),
        refills: 11,
        substitution_allowed: true,
        ..amoxicillin_for_nguyen()
    };
    let dir = tempfile::tempdir().unwrap();
    let text = text_of(&render(&doc, dir.path(), "long-directions.pdf"));

    // pdftotext drops text outside the page, so every word showing up means
    // nothing ran off it.
    for word in directions.split_whitespace() {
        assert!(text.contains(word), "{word:?} missing:\n{text}");
    }
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{text}"))
    };
    let first = line_of("Sig:");
    let last = line_of("new heartburn.");
    assert!(
        last >= first + 3,
        "directions on lines {first}..={last}:\n{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() < 140), "{text}");
    assert_contains(
        &text,
        &["4 (four) tablets", "11 (eleven)", "Substitution permitted"],
    );
    assert!(!text.contains("Dispense as written"), "{text}");
}

#[test]
fn decomposed_names_print_composed() {
    // "Łukasz Żółć" as some keyboards send it: letters plus combining marks.
    let decomposed = "Łukasz Z\u{307}o\u{301}łc\u{301}";
    let doc = PrescriptionDoc {
        patient: PatientBlock {
            full_name: decomposed.into(),
            birth_date: "07/02/1988".into(),
            address_lines: vec![],
        },
        ..amoxicillin_for_nguyen()
    };
    let dir = tempfile::tempdir().unwrap();
    let text = text_of(&render(&doc, dir.path(), "polish.pdf"));
    assert_contains(&text, &["Łukasz Żółć", "07/02/1988"]);
}

#[test]
fn a_missing_drug_is_refused() {
    let doc = PrescriptionDoc {
        drug: "   ".into(),
        ..amoxicillin_for_nguyen()
    };
    assert_eq!(prescription(&doc), Err(PdfError::MissingField("drug")));
}

#[test]
fn a_name_the_font_cannot_draw_is_refused_not_printed_as_boxes() {
    let doc = PrescriptionDoc {
        patient: PatientBlock {
            full_name: "王小明".into(),
            ..amoxicillin_for_nguyen().patient
        },
        ..amoxicillin_for_nguyen()
    };
    assert!(matches!(
        prescription(&doc),
        Err(PdfError::UnsupportedCharacter { .. })
    ));
}
