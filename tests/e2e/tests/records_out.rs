//! Records out in the real app (issue 9): a practice manager opens a
//! patient, builds a referral packet to a cardiologist from the address
//! book with problems, medications, allergies, the blood-pressure trend and
//! the last two notes, previews it, prints it to the CUPS PDF printer
//! (`scripts/cups-pdf.sh` sets up the `ChartroomPDF` queue) and saves a
//! copy. The saved PDF's text shows the letter, the sections and the footer
//! on every page; the printed one has as many pages and looks the same
//! (cups-pdf redraws the file through Ghostscript, which drops the text
//! layer of embedded subset fonts, so it is compared as rendered pages);
//! the disclosure is in the patient's accounting with the recipient's
//! address and purpose, and in the practice-wide disclosure log. A
//! front-desk user cannot reach the records screen.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chartroom_e2e::printed::{self, pages, run, QUEUE};
use chartroom_e2e::{demo_practice_with, fresh_data_dir, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

/// A demo patient with a clinical history (notes, vitals).
const PATIENT: i64 = 2;

/// Page `n` rendered in grey at 30 dpi: (dark pixels, which rows of
/// pixels have ink).
fn ink(path: &Path, n: usize) -> (usize, Vec<bool>) {
    let n = n.to_string();
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", "30", "-f", &n, "-l", &n, "-singlefile"])
        .arg(path)
        .output()
        .expect("pdftoppm runs");
    // PGM: "P5", width, height, maxval, then one byte a pixel.
    let data = out.stdout;
    let (mut fields, mut i, mut nums) = (0, 0, Vec::new());
    while fields < 4 && i < data.len() {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < data.len() && !data[i].is_ascii_whitespace() {
            i += 1;
        }
        nums.push(String::from_utf8_lossy(&data[start..i]).into_owned());
        fields += 1;
    }
    let width: usize = nums.get(1).and_then(|w| w.parse().ok()).unwrap_or(1).max(1);
    let px = data.get(i + 1..).unwrap_or_default();
    let dark = px.iter().filter(|&&p| p < 160).count();
    let rows = px
        .chunks(width)
        .map(|r| r.iter().any(|&p| p < 160))
        .collect();
    (dark, rows)
}

#[test]
fn a_manager_sends_a_referral_packet_and_the_front_desk_cannot() {
    let before = printed::before_printing();
    let exports = fresh_data_dir();
    let export_arg = exports.path().display().to_string();
    let app = App::launch_in(demo_practice_with(40, 3), &["--export-dir", &export_arg]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("manager", DEMO_PASSWORD);

    app.go_hash(&format!("#/patient/{PATIENT}"));
    app.click("chart-tab-records");
    app.wait_for("records-tab");
    app.select("records-kind", "referral");
    app.wait_for_css(
        "[data-testid=records-provider] option[value='1']",
        "the address book",
    );
    app.select("records-provider", "1");
    let shown = app.wait_text("records-provider-address", "the provider's address", |t| {
        t.contains("Cardiac Way")
    });
    app.check(
        shown.contains("Willamette Heart"),
        &format!("address shown: {shown}"),
    );
    app.click("records-plot-8480-6");
    app.click("records-plot-8462-4");
    app.type_into(
        "records-reason",
        "Exertional chest pressure for three weeks.",
    );
    app.type_into("records-question", "Is a stress test indicated?");
    // The manager sends it for the physician, who signs it.
    app.select_labelled("records-sender", "Maya Patel");
    app.click("records-preview");
    let count = app.wait_text("records-page-count", "the preview's page count", |t| {
        t.starts_with("Page 1 of ")
    });
    let total: usize = count
        .trim_start_matches("Page 1 of ")
        .trim()
        .parse()
        .unwrap();
    app.check(total >= 3, &format!("a packet of {total} pages"));
    app.wait_for("records-preview-image");
    app.screenshot("records-01-preview-letter");
    // As a user scrolls the page's buttons to the middle of the window
    // (the driver would scroll them under the sticky banner).
    app.centre("records-page-next");
    app.click("records-page-next");
    app.wait_text("records-page-count", "page 2", |t| {
        t.starts_with("Page 2 of")
    });
    app.screenshot("records-02-preview-page-2");

    // Print to the CUPS PDF printer.
    app.select("records-printer", QUEUE);
    app.centre("records-print");
    app.click("records-print");
    let done = app.wait_text("records-done", "the print's confirmation", |t| {
        t.contains("print job")
    });
    app.check(done.contains("disclosure log"), &done);
    let Some(printed) = printed::new_print(&before, Duration::from_secs(60)) else {
        app.fail("cups-pdf wrote no file within 60 s");
    };

    // Save a copy.
    let copy = exports.path().join("referral-heartwell.pdf");
    app.set_value("records-path", copy.to_str().unwrap());
    app.centre("records-save");
    app.click("records-save");
    app.wait_text("records-done", "the save's confirmation", |t| {
        t.contains("referral-heartwell")
    });
    app.check(copy.exists(), "the copy is where it was asked to be");
    run("qpdf", &["--check", copy.to_str().unwrap()]);
    let text = run("pdftotext", &["-layout", copy.to_str().unwrap(), "-"]);
    for want in [
        "Dr Ada Heartwell",
        "2800 SW Cardiac Way",
        "Reason for referral",
        "Exertional chest pressure",
        "Is a stress test indicated?",
        "Mia Manager",
        "Maya Patel, MD",
        "Sent for Maya Patel by Mia Manager.",
        "Problems",
        "Medications",
        "Allergies",
        "Vital signs",
        "Systolic blood pressure",
        "Visit notes",
        "Fax (503) 555-0143",
    ] {
        app.check(
            text.contains(want),
            &format!("the saved packet lacks {want:?}"),
        );
    }
    let n = pages(&copy);
    app.check(n == total, &format!("saved {n} pages, previewed {total}"));
    for page in 1..=n {
        app.check(
            text.contains(&format!("Page {page} of {n}")),
            &format!("page {page} has its footer"),
        );
    }
    // The printed file: the same pages, drawn the same.
    app.check(
        pages(&printed) == n,
        &format!("cups-pdf printed {} pages of {n}", pages(&printed)),
    );
    for page in 1..=n {
        let ((a, rows_a), (b, rows_b)) = (ink(&copy, page), ink(&printed, page));
        app.check(
            a > 200 && b > 200,
            &format!("page {page}: saved {a}, printed {b} dark pixels"),
        );
        // Ghostscript draws the glyphs a little bolder; the lines of ink
        // are where they were.
        let same = rows_a.iter().zip(&rows_b).filter(|(x, y)| x == y).count();
        let agree = same as f64 / rows_a.len().max(1) as f64;
        app.check(
            agree > 0.85,
            &format!(
                "page {page}: the printed page's lines of ink agree {:.0}% with the saved one's",
                agree * 100.0
            ),
        );
    }
    run(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-png",
            copy.to_str().unwrap(),
            chartroom_e2e::screenshot_dir()
                .join("records-packet")
                .to_str()
                .unwrap(),
        ],
    );

    // The accounting lists both: to the cardiologist, for treatment,
    // logged but not part of what the patient receives.
    let rows = app.texts("records-accounting");
    let acc = rows.join("\n");
    app.check(
        acc.matches("Dr Ada Heartwell").count() >= 2,
        &format!("two disclosures to the cardiologist in: {acc}"),
    );
    app.check(
        acc.contains("2800 SW Cardiac Way"),
        &format!("the address in: {acc}"),
    );
    app.check(acc.contains("Treatment"), &format!("the purpose in: {acc}"));
    app.check(
        acc.contains("Logged only"),
        &format!("the 164.528 mark in: {acc}"),
    );
    app.screenshot("records-03-accounting");

    // The practice-wide log, for the manager: both, found by the
    // recipient's name; neither among those a patient's accounting lists.
    app.click("nav-admin-disclosures");
    app.wait_for("disclosures-table");
    app.type_into("disclosures-text", "Heartwell");
    app.click("disclosures-apply");
    app.wait_text("disclosures-count", "the filtered log", |t| {
        t.starts_with("2 disclosures")
    });
    let logged = app.texts("disclosures-row");
    app.check(
        logged.len() == 2
            && logged
                .iter()
                .all(|r| r.contains("Dr Ada Heartwell") && r.contains("Logged only")),
        &format!("the log's rows: {logged:?}"),
    );
    app.screenshot("records-05-disclosure-log");
    app.click("disclosures-accountable");
    app.click("disclosures-apply");
    app.wait_text("disclosures-count", "the accountable filter", |t| {
        t.contains("No disclosures match")
    });

    // The front desk has no records tab, and the address shows "not allowed".
    app.logout();
    app.login("desk", DEMO_PASSWORD);
    app.go_hash(&format!("#/patient/{PATIENT}"));
    app.wait_for("chart-tab-demographics");
    app.check(
        app.count("chart-tab-records") == 0,
        "the front desk sees a records tab",
    );
    app.go_hash(&format!("#/patient/{PATIENT}/records"));
    app.wait_for("forbidden");
    app.check(
        !app.is_shown("records-tab"),
        "the front desk reached records out",
    );
    app.screenshot("records-04-front-desk-forbidden");
    app.close();
}
