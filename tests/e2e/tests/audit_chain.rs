//! The administrator opens the audit log, sees the practice's records
//! (set-up, logins, the demo data), filters by typed dates, and verifies
//! that the hash chain is intact; the verification's own record then shows.
//! Then a backup runs in the background from Settings while the window
//! stays usable, and is audited too.

use chartroom_e2e::{demo_practice, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

#[test]
fn administrator_verifies_audit_chain() {
    let exports = chartroom_e2e::fresh_data_dir();
    let export_arg = exports.path().display().to_string();
    let app = App::launch_in(demo_practice(20), &["--export-dir", &export_arg]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("admin", DEMO_PASSWORD);

    app.click("nav-admin-audit");
    app.wait_for("audit-table");
    // This very login is audited.
    app.wait_for_with_text("audit-row", "login");
    // Exactly what set-up, the demo data, the unlock and this login wrote,
    // newest first, as (user, action, patient): nothing missing, nothing else.
    // The demo's bookings (how many depends on the weekday: Sundays have
    // no hours) read as one line.
    let rows = collapse_bookings(audit_rows(&app));
    let expected = [
        "admin | login | ",
        "workstation | unlock | ",
        // The front desk books the coming days' appointments.
        "desk | logout | ",
        "desk | create | (bookings)",
        "desk | login | ",
        // The practice manager sets up two calendars and four types.
        "manager | logout | ",
        "manager | create | ",
        "manager | create | ",
        "manager | create | ",
        "manager | create | ",
        "manager | create | ",
        "manager | create | ",
        "manager | login | ",
        "demo-generator | create | ",
        // The practice manager keeps the referral address book: three
        // providers added; and the doctor's NPI for claims.
        "manager | logout | ",
        "manager | update | ",
        "manager | create | ",
        "manager | create | ",
        "manager | create | ",
        "manager | login | ",
        "admin | logout | ",
        "admin | settings_change | ",
        // Four demo users, each with the signing key made with the account.
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | create | ",
        "admin | login | ",
        // Set-up writes the practice first, then its first administrator
        // and the administrator's signing key.
        "setup | create | ",
        "setup | create | ",
        "setup | setup | ",
    ];
    app.check(
        rows == expected,
        &format!("the audit log shows {rows:#?}\nexpected {expected:#?}"),
    );

    // Dates are typed (MM/DD/YYYY); one that is no date is refused here.
    app.type_into("audit-filter-from", "02/30/2025");
    app.click("audit-apply");
    app.wait_text(
        "error-from",
        "a message that 02/30/2025 is not a date",
        |t| t.contains("02/30/2025"),
    );
    app.type_into("audit-filter-from", "01/01/2000");
    app.type_into("audit-filter-to", "12/31/2099");
    app.click("audit-apply");
    app.wait_gone("error-from");
    app.wait_for_with_text("audit-row", "login");
    app.screenshot("audit-00-date-filters");

    let newest_before = row_ids(&app).into_iter().max().unwrap_or(0);
    app.click("audit-verify");
    let result = app.wait_text(
        "audit-verify-result",
        "a result saying the chain is intact",
        |t| t.to_lowercase().contains("intact"),
    );
    let lower = result.to_lowercase();
    app.check(
        !lower.contains("broken") && !lower.contains("not intact"),
        &format!("the verification result reads {result:?}"),
    );
    // The verification is itself audited: the table shows its new row.
    let deadline = std::time::Instant::now() + chartroom_e2e::WAIT;
    while !row_ids(&app).into_iter().any(|id| id > newest_before) {
        if std::time::Instant::now() >= deadline {
            app.fail(&format!(
                "no audit record newer than #{newest_before} (the verification) after \"Verify chain\""
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let newest = app
        .texts("audit-row")
        .into_iter()
        .next()
        .unwrap_or_default();
    app.check(
        newest.contains("Verify"),
        &format!("the newest audit row is not the verification: {newest:?}"),
    );
    app.screenshot("audit-01-chain-verified");

    // "Print audit seal": a PDF with the newest record and its hash, which
    // `chartroom verify --seal` reads back; the print is audited.
    app.click("audit-print-seal");
    let said = app.wait_text("audit-seal-printed", "where the seal was printed", |t| {
        t.contains(".pdf")
    });
    let path = app.wait_text("audit-seal-path", "the seal's path", |t| {
        t.ends_with(".pdf")
    });
    app.check(
        path.starts_with(&export_arg),
        &format!("the seal went to {path:?}, not the export folder {export_arg}"),
    );
    app.check(
        std::path::Path::new(&path).is_file(),
        &format!("no seal PDF at {path:?} (the page said {said:?})"),
    );
    let check = std::process::Command::new("qpdf")
        .args(["--check", &path])
        .output()
        .expect("qpdf runs");
    app.check(
        check.status.success(),
        &format!("qpdf --check {path} failed"),
    );
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", &path, "-"])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    app.check(
        text.contains("Audit seal")
            && text.contains("Record ")
            && text.contains("chartroom verify"),
        &format!("the seal reads:\n{text}"),
    );
    let png = chartroom_e2e::screenshot_dir().join("audit-02-seal-pdf");
    let _ = std::process::Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "70",
            "-singlefile",
            &path,
            &png.display().to_string(),
        ])
        .status();
    app.wait_for_with_text("audit-row", "print");
    app.screenshot("audit-03-seal-printed");

    // "Back up now": a folder that does not exist is refused by field; a
    // real one gets an encrypted backup, written by a background job.
    app.click("nav-admin-settings");
    app.wait_for("backup-panel");
    app.type_into("backup-folder", "/no/such/folder");
    app.click("backup-start");
    app.wait_text(
        "error-folder",
        "a message that the folder does not exist",
        |t| t.contains("no folder"),
    );
    let out = tempfile::tempdir().expect("a folder for the backup");
    app.type_into("backup-folder", &out.path().display().to_string());
    app.click("backup-start");
    app.wait_for("backup-status");
    // While it runs (or once it is done) the window answers: the audit
    // screen opens.
    let done = app.wait_text("backup-output", "the backup's file name", |t| {
        t.ends_with(".crbak")
    });
    app.screenshot("settings-00-backup-done");
    let written = std::path::PathBuf::from(&done);
    app.check(
        written.starts_with(out.path()) && written.is_file(),
        &format!("the backup file {done} is not in the chosen folder"),
    );
    let bytes = std::fs::read(&written).unwrap_or_default();
    app.check(
        bytes.len() > 10_000 && !bytes.windows(6).any(|w| w == b"SQLite"),
        &format!(
            "the backup ({} bytes) is not an encrypted copy",
            bytes.len()
        ),
    );
    app.click("nav-admin-audit");
    app.wait_for_with_text("audit-row", "Backup");
}

/// The audit rows shown, each as "user | action | patient" (the action's
/// code, from its chip; the patient's id, empty for none).
/// Runs of the front desk's bookings ("desk | create | <patient>") as one
/// row, "desk | create | (bookings)".
fn collapse_bookings(rows: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        let booking = r
            .strip_prefix("desk | create | ")
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if booking {
            if out.last().map(String::as_str) != Some("desk | create | (bookings)") {
                out.push("desk | create | (bookings)".into());
            }
        } else {
            out.push(r);
        }
    }
    out
}

fn audit_rows(app: &App) -> Vec<String> {
    let rows = app.execute(
        r#"return Array.from(document.querySelectorAll('[data-testid="audit-row"]')).map((row) => {
               const chip = row.cells[3].querySelector('[class*="action-"]');
               const action = ((chip && chip.className.match(/action-([a-z_]+)/)) || [])[1] || '';
               const patient = row.cells[5].querySelector('.none') ? '' : row.cells[5].textContent.trim();
               return [row.cells[2].textContent.trim(), action, patient].join(' | ');
           });"#,
        vec![],
    );
    rows.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The record ids of the audit rows shown (their first cell).
fn row_ids(app: &App) -> Vec<u64> {
    let ids = app.execute(
        r#"return Array.from(document.querySelectorAll('[data-testid="audit-row"]'))
               .map((row) => Number(row.cells[0].textContent.trim()));"#,
        vec![],
    );
    ids.as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
        .unwrap_or_default()
}
