//! Nothing of a patient outside the encrypted file (issue 8, section 6):
//! with a private home, cache and temp folder, a clinician registers a
//! patient with a marker name, opens her chart, prescribes and prints,
//! prints and saves a chart summary (records out, issue 9), logs out and
//! the app closes. Then every file the app or its webview wrote
//! (the data folder, the private home with `~/.local/share` and `~/.cache`,
//! the temp folder, the export folder apart from the PDF asked for) is
//! searched for her name and phone number: zero hits.

use std::path::{Path, PathBuf};

use chartroom_e2e::{by_id, demo_practice, fresh_data_dir, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

const FAMILY: &str = "Zqvarnmarker";
const GIVEN: &str = "Olwenmarker";
const PHONE_DIGITS: &str = "5415550177";

/// Every file under `dir`, recursively (links not followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                dirs.push(e.path());
            } else if kind.is_file() {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn nothing_of_a_patient_is_left_outside_the_encrypted_file() {
    let home = fresh_data_dir();
    let exports = fresh_data_dir();
    let dirs = [
        ("HOME", home.path().to_path_buf()),
        ("XDG_DATA_HOME", home.path().join(".local/share")),
        ("XDG_CACHE_HOME", home.path().join(".cache")),
        ("XDG_CONFIG_HOME", home.path().join(".config")),
        ("TMPDIR", home.path().join("tmp")),
    ];
    for (_, d) in &dirs {
        std::fs::create_dir_all(d).expect("make the private folders");
    }
    let env: Vec<(&str, &Path)> = dirs.iter().map(|(k, d)| (*k, d.as_path())).collect();
    let export_arg = exports.path().display().to_string();
    let app = App::launch_in_env(demo_practice(20), &["--export-dir", &export_arg], &env);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("doctor", DEMO_PASSWORD);

    // Register her; the chart opens.
    app.click("nav-register");
    app.type_into("reg-family_name", FAMILY);
    app.type_into("reg-given_name", GIVEN);
    app.set_date("reg-birth_date", "04/05/1977");
    app.select("reg-sex", "female");
    app.type_into("reg-phone_mobile", "(541) 555-0177");
    app.click("reg-submit");
    let outcome = app.wait_for_any(&["patient-banner", "duplicate-dialog", "form-error"]);
    app.check(
        outcome == "patient-banner",
        &format!("registering the marker patient showed `{outcome}`"),
    );
    app.wait_for_with_text("banner-name", FAMILY);

    // Find her by search too (the typed text is audited, encrypted).
    app.click("nav-patients");
    app.type_into("patient-search", &FAMILY[..6].to_lowercase());
    app.wait_for_with_text("search-result", FAMILY);
    app.click_css(&by_id("search-result-open"), "her name in the results");
    app.wait_for_with_text("banner-name", FAMILY);
    app.wait_for("chart-tab-summary");

    // Prescribe and print.
    app.click("chart-tab-prescriptions");
    app.click("rx-new");
    app.type_into("rx-drug", "Lisinopril");
    app.type_into("rx-strength", "10 mg");
    app.type_into("rx-form", "tablet");
    app.type_into("rx-directions", "Take 1 tablet by mouth once daily");
    app.type_into("rx-quantity", "30");
    app.type_into("rx-quantity-unit", "tablets");
    app.type_into("rx-refills", "1");
    app.click("rx-save");
    let row = format!("{}[data-label='Lisinopril']", by_id("entry-row"));
    if app.wait_for_any(&["safety-dialog", "entry-row"]) == "safety-dialog" {
        app.type_into("safety-reason", "Reviewed with the patient today");
        app.click("safety-proceed");
        app.wait_gone("safety-dialog");
    }
    app.wait_for_css(&row, "the prescription row");
    app.click("rx-print");
    let printed = app.wait_text("rx-printed", "the printed file's path", |t| {
        t.contains(".pdf")
    });
    app.screenshot("marker-01-printed");

    // Records out: a chart summary previewed, printed to the CUPS PDF
    // queue (handed to `lp` on its standard input, nothing written here)
    // and saved to the export folder.
    app.centre("chart-tab-records");
    app.click("chart-tab-records");
    app.select("records-kind", "summary");
    app.type_into("records-recipient-name", "Dr Ada Heartwell");
    // Set from script: WebKitWebDriver drops a typed "\n", which ran the
    // two lines together ("WayPortland" in the accounting's screenshot).
    app.set_value(
        "records-recipient-address",
        "2800 SW Cardiac Way\nPortland, OR 97201",
    );
    app.click("records-preview");
    app.wait_for("records-preview-image");
    app.select("records-printer", "ChartroomPDF");
    app.centre("records-print");
    app.click("records-print");
    app.wait_text("records-done", "the print's confirmation", |t| {
        t.contains("print job")
    });
    app.set_value(
        "records-path",
        exports.path().join("summary.pdf").to_str().unwrap(),
    );
    app.centre("records-save");
    app.click("records-save");
    app.wait_text("records-done", "the save's confirmation", |t| {
        t.contains("summary.pdf")
    });
    app.screenshot("marker-02-summary-saved");
    app.logout();
    let data = app.close_keeping_data();

    // The PDFs asked for (the prescription, the summary) are the one
    // place her name may be.
    let mut pdfs: Vec<PathBuf> = files_under(exports.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(
        pdfs.len(),
        2,
        "the prescription (the page said {printed}) and the summary: {pdfs:?}"
    );
    // ...and they do hold her name: the needles below are ones that show.
    for pdf in &pdfs {
        let text = std::process::Command::new("pdftotext")
            .arg(pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) runs");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains(FAMILY),
            "{} lacks her name:\n{text}",
            pdf.display()
        );
    }

    let mut scanned = Vec::new();
    let mut hits = Vec::new();
    for root in [data.path(), home.path(), exports.path()] {
        for path in files_under(root) {
            if pdfs.contains(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            for needle in [
                FAMILY,
                GIVEN,
                &FAMILY.to_lowercase(),
                PHONE_DIGITS,
                "555-0177",
            ] {
                let n = needle.as_bytes();
                if bytes.windows(n.len()).any(|w| w == n) {
                    hits.push(format!("{}: {needle}", path.display()));
                }
            }
            scanned.push(format!("{} ({} bytes)", path.display(), bytes.len()));
        }
    }
    eprintln!(
        "scanned {} files the app and its webview wrote:\n{}",
        scanned.len(),
        scanned.join("\n")
    );
    assert!(
        hits.is_empty(),
        "patient data in plain text outside the encrypted file: {hits:#?}"
    );
    // The scan saw what it should have: the database and its key file.
    assert!(
        scanned.iter().any(|f| f.contains("chartroom.db")),
        "the scan did not reach the data folder: {scanned:?}"
    );
}
