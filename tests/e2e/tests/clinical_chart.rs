//! A clinician's day in the real app: opens a patient, adds hypertension
//! from the ICD-10-CM search, records a penicillin allergy, tries to
//! prescribe amoxicillin and sees the warning naming both, overrides it with
//! a reason and prints the prescription (checked with pdftotext and qpdf,
//! rendered to PNG), records vitals (an implausible pressure is refused
//! first), sees the blood-pressure trend, writes and signs a note, cannot
//! change it afterwards but adds an addendum, attaches a scanned letter and
//! views it. A front-desk user then cannot open the notes. Last, the time a
//! chart summary takes through the app's IPC for the patient with 1,000
//! visits and 5,000 values is measured and written to
//! `target/e2e-screenshots/chart-open-timing.txt` (a figure for
//! BENCHMARKS.md, not a timed assertion).

use std::process::Command;
use std::time::Duration;

use chartroom_e2e::{
    by_id, demo_practice_with, fresh_data_dir, screenshot_dir, App, DEMO_PASSPHRASE, DEMO_PASSWORD,
};

/// The patient the clinician works on: one without a clinical history.
const PATIENT: i64 = 12;

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` could not run ({e}); run scripts/setup-debian.sh"));
    assert!(
        out.status.success(),
        "`{cmd} {}` failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn clinician_charts_prescribes_signs_and_attaches() {
    let exports = fresh_data_dir();
    let export_arg = exports.path().display().to_string();
    let app = App::launch_in(demo_practice_with(40, 3), &["--export-dir", &export_arg]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("doctor", DEMO_PASSWORD);

    // The chart opens on its summary; allergies have not been asked yet.
    app.go_hash(&format!("#/patient/{PATIENT}"));
    app.wait_for("chart-tab-summary");
    app.wait_for("summary-problems");
    let banner = app.wait_text("banner-allergies", "the banner's allergies", |t| {
        !t.is_empty()
    });
    app.check(
        banner.to_lowercase().contains("not recorded"),
        &format!("a patient never asked shows `{banner}` in the banner"),
    );

    // Problem list: hypertension from the code search.
    app.click("chart-tab-problems");
    app.click("problem-add");
    app.wait_for("problem-dialog");
    app.type_into("problem-code-search", "hypertension");
    app.click_css(
        &format!("{}[data-code='I10']", by_id("code-result")),
        "the I10 search result",
    );
    app.wait_for("problem-selected");
    app.type_into("problem-onset", "05/01/2020");
    app.screenshot("chart-01-problem-code-search");
    app.click("problem-save");
    app.wait_gone("problem-dialog");
    app.wait_for_css(
        &format!("{}[data-label*='ypertension']", by_id("entry-row")),
        "the hypertension row",
    );

    // Allergy: penicillin.
    app.click("chart-tab-allergies");
    app.click("allergy-add");
    app.type_into("allergy-substance", "Penicillin");
    app.select("allergy-category", "drug_class");
    app.type_into("allergy-reaction", "hives");
    app.select("allergy-severity", "moderate");
    app.click("allergy-save");
    app.wait_for_css(
        &format!("{}[data-label='Penicillin']", by_id("entry-row")),
        "the penicillin row",
    );
    app.wait_text("banner-allergies", "the banner naming the allergy", |t| {
        t.contains("Penicillin")
    });

    // Prescription: amoxicillin is a penicillin; the warning names both.
    app.click("chart-tab-prescriptions");
    app.click("rx-new");
    app.type_into("rx-drug", "Amoxicillin");
    app.type_into("rx-strength", "500 mg");
    app.type_into("rx-form", "capsule");
    app.type_into(
        "rx-directions",
        "Take 1 capsule by mouth three times daily for 10 days",
    );
    app.type_into("rx-quantity", "30");
    app.type_into("rx-quantity-unit", "capsules");
    app.type_into("rx-refills", "0");
    app.click("rx-save");
    app.wait_for("safety-dialog");
    let findings = app.texts("safety-finding").join(" | ");
    app.check(
        findings.to_lowercase().contains("amoxicillin")
            && findings.to_lowercase().contains("penicillin"),
        &format!("the safety warning names the drug and the allergy: {findings}"),
    );
    app.screenshot("chart-02-allergy-warning");
    app.type_into(
        "safety-reason",
        "Tolerated amoxicillin in 2024 without reaction",
    );
    app.click("safety-proceed");
    app.wait_gone("safety-dialog");
    app.wait_for_css(
        &format!("{}[data-label='Amoxicillin']", by_id("entry-row")),
        "the prescription row",
    );
    app.click("rx-print");
    let printed = app.wait_text("rx-printed", "the printed file's path", |t| {
        t.contains(".pdf")
    });
    let pdf = std::fs::read_dir(exports.path())
        .expect("the export folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .unwrap_or_else(|| {
            app.fail(&format!(
                "no PDF in the export folder; the page said {printed}"
            ))
        });
    let pdf_s = pdf.display().to_string();
    run("qpdf", &["--check", &pdf_s]);
    let text = run("pdftotext", &["-layout", &pdf_s, "-"]);
    for needle in [
        "Amoxicillin",
        "500 mg",
        "thirty",
        "three times daily",
        "Maya Patel",
        "MD",
        "Zoë King",
        "04/17/1981",
        "1200 Harbor Boulevard",
        "(503) 555-0142",
    ] {
        app.check(
            text.contains(needle),
            &format!("the printed prescription lacks {needle:?}:\n{text}"),
        );
    }
    let png_base = screenshot_dir().join("chart-03-prescription-pdf");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "70",
            "-singlefile",
            &pdf_s,
            &png_base.display().to_string(),
        ],
    );
    app.wait_for("disclosure-row");
    app.screenshot("chart-04-prescriptions");

    // Vitals: an impossible pressure is refused with the reason; then saved.
    app.click("chart-tab-vitals");
    app.click("vitals-add");
    app.type_into("vitals-systolic", "1200");
    app.type_into("vitals-diastolic", "80");
    app.click("vitals-save");
    let why = app.wait_text("error-systolic", "the systolic error", |t| !t.is_empty());
    app.check(
        why.contains("not plausible"),
        &format!("the refusal says why: {why}"),
    );
    app.type_into("vitals-systolic", "142");
    app.type_into("vitals-diastolic", "90");
    app.type_into("vitals-pulse", "72");
    app.type_into("vitals-temperature", "98.6");
    app.click("vitals-save");
    app.wait_for("vitals-row");
    app.screenshot("chart-05-vitals");

    // The blood-pressure trend (the demo's long history is patient 1; this
    // patient has one set, enough to plot a point).
    app.click("chart-tab-trends");
    app.select("trend-select", "bp");
    app.wait_for("trend-chart");
    app.wait_for_css(
        &format!("{} canvas", by_id("trend-chart")),
        "the trend plot",
    );
    app.screenshot("chart-06-bp-trend");

    // A note: from a template, autosaved, signed with the password.
    app.click("chart-tab-notes");
    app.click("note-new");
    app.type_into("encounter-reason", "Blood pressure follow-up");
    app.click("encounter-start");
    app.wait_for("note-assessment");
    app.type_into(
        "note-assessment",
        "Essential hypertension, not at goal. Start lisinopril.",
    );
    // The visit's reason is corrected while the note is a draft; the
    // typed text stays.
    app.click("visit-edit");
    app.wait_for("visit-dialog");
    app.type_into("visit-reason", "Hypertension follow-up");
    app.click("visit-save");
    app.wait_gone("visit-dialog");
    let kept = app.value("note-assessment");
    app.check(
        kept.contains("Start lisinopril"),
        &format!("correcting the visit lost the typed note: {kept:?}"),
    );
    app.wait_text("note-autosave-status", "the autosave status", |t| {
        t.starts_with("Saved")
    });
    app.click("note-sign");
    app.type_into("sign-password", DEMO_PASSWORD);
    app.click("sign-confirm");
    app.wait_for("note-view");
    let status = app.wait_text("note-status", "the signed status", |t| t.contains("Signed"));
    app.check(
        status.contains("Maya Patel"),
        &format!("signed by whom: {status}"),
    );
    app.check(
        app.count("note-assessment") == 0,
        "a signed note still offers its text for editing",
    );
    // The backend checked the clinician's Ed25519 signature at this read.
    app.wait_text("note-signature-check", "the signature check", |t| {
        t.starts_with("✓ Signature verifies")
    });
    app.type_into("addendum-text", "Potassium checked today: 4.4 mmol/L.");
    app.type_into("addendum-password", DEMO_PASSWORD);
    app.click("addendum-save");
    app.wait_for("addendum");
    app.screenshot("chart-07-signed-note-with-addendum");

    // At the bottom of a long note the chart's tabs are still on screen and
    // nothing covers them (they once slid under the sticky banner).
    let covered = app.execute(
        r#"window.scrollTo(0, document.body.scrollHeight);
           const tab = document.querySelector('[data-testid="chart-tab-documents"]');
           const r = tab.getBoundingClientRect();
           const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
           return (r.top >= 0 && r.bottom <= window.innerHeight && top && tab.contains(top))
             ? '' : (top ? top.className || top.tagName : 'nothing') + ' at ' + r.top;"#,
        vec![],
    );
    app.check(
        covered.as_str() == Some(""),
        &format!("the chart's tabs are covered or off screen after scrolling: {covered}"),
    );
    app.screenshot("chart-07b-scrolled-tabs-reachable");

    // A scanned letter (a PNG) attached and viewed inside the app.
    app.click("chart-tab-documents");
    let letter = screenshot_dir().join("chart-03-prescription-pdf.png");
    app.choose_file("doc-file", &letter);
    app.select("doc-category", "letter");
    app.type_into("doc-date", "11/01/2026");
    app.type_into("doc-description", "Cardiology consult letter");
    app.click("doc-save");
    app.wait_for("doc-row");
    app.click("doc-view");
    app.wait_for_css(
        &format!("{} img", by_id("doc-viewer")),
        "the document viewer's image",
    );
    let mut loaded = false;
    for _ in 0..50 {
        let v = app.execute(
            "const i = document.querySelector('[data-testid=doc-viewer] img'); \
             return !!i && i.complete && i.naturalWidth > 0;",
            vec![],
        );
        if v == serde_json::Value::Bool(true) {
            loaded = true;
            break;
        }
        app.idle(Duration::from_millis(100));
    }
    app.check(loaded, "the attached image never loaded in the viewer");
    app.screenshot_display("chart-08-document-viewer");
    app.click("modal-close");
    app.wait_gone("doc-viewer");
    // Its description is corrected; the replaced one is kept.
    app.click("doc-edit");
    app.wait_for("doc-edit-dialog");
    app.type_into("doc-edit-description", "Cardiology consult letter, Dr. Lee");
    app.click("doc-edit-save");
    app.wait_gone("doc-edit-dialog");
    app.wait_for_with_text("doc-row", "Dr. Lee");
    app.click("doc-history");
    let was = app.wait_text("doc-version", "the replaced description", |t| !t.is_empty());
    app.check(
        was.contains("Cardiology consult letter") && !was.contains("Dr. Lee"),
        &format!("the document history shows {was:?}"),
    );
    app.screenshot("chart-08b-document-history");
    app.click("modal-close");

    // The summary now shows what was charted.
    app.click("chart-tab-summary");
    app.wait_for_with_text("summary-problems", "ypertension");
    app.wait_for_with_text("summary-vitals", "142");
    app.screenshot("chart-09-summary");

    // The long history (1,000 visits): its summary and blood-pressure trend.
    app.go_hash("#/patient/1");
    app.wait_for("summary-vitals");
    app.screenshot("chart-11-long-history-summary");
    app.go_hash("#/patient/1/trends");
    app.select("trend-select", "bp");
    app.click_css(
        "[data-testid=trend-range][data-range=all]",
        "the 'All' range",
    );
    app.wait_for_css(
        &format!("{} canvas", by_id("trend-chart")),
        "the long trend plot",
    );
    app.screenshot("chart-12-long-history-bp-trend");

    // The app's figure: chart summary of the 1,000-visit patient over IPC.
    let timing = app.execute(
        r#"
        const invoke = window.__TAURI_INTERNALS__.invoke;
        const times = [];
        return (async () => {
          for (let i = 0; i < 30; i++) {
            const t = performance.now();
            await invoke('api', { request: { cmd: 'get_chart_summary', patient_id: 1 } });
            times.push(performance.now() - t);
          }
          times.sort((a, b) => a - b);
          return { first: times[0], p50: times[15], p95: times[28], max: times[29] };
        })();
        "#,
        vec![],
    );
    std::fs::write(
        screenshot_dir().join("chart-open-timing.txt"),
        format!("chart summary over IPC, patient with 1,000 visits and 5,000 values (ms, 30 runs): {timing}\n"),
    )
    .expect("write the timing");
    eprintln!("e2e: chart summary over IPC (ms): {timing}");

    // The front desk cannot open notes.
    app.logout();
    app.login("desk", DEMO_PASSWORD);
    app.go_hash(&format!("#/patient/{PATIENT}/notes"));
    app.wait_for("forbidden");
    app.idle(Duration::from_millis(500));
    app.check(app.count("note-row") == 0, "the front desk sees note rows");
    app.check(
        app.count("chart-tab-notes") == 0,
        "the front desk has a Notes tab",
    );
    app.screenshot("chart-10-front-desk-no-notes");
}
