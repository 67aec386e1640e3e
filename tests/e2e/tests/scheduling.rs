//! Scheduling in the real app (issue 10), on the demo practice (whose
//! front desk has booked the coming days for Dr Maya Patel and the nurse
//! line). The practice manager adds a walk-in line open every day and a
//! walk-in type through the set-up screen; the front desk books a patient
//! on it from the schedule's "Book…" dialog, is refused a double booking
//! with the conflicting appointment named and no override offered, finds
//! the visit in the day's list, checks the patient in from the flow board
//! (details confirmed) and sees the wait; the clinician finds the visit
//! waiting in the chart as a draft note. The front desk also books a weekly
//! series of six, cancels one of them with a reason (it stays listed,
//! cancelled) in the week view, and saves today's day sheet, whose text is
//! checked. Screenshots of each screen, the day sheet rendered to PNG.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::process::Command;

use chartroom_e2e::{
    demo_practice_with, screenshot_dir, today_utc, App, DEMO_PASSPHRASE, DEMO_PASSWORD,
};

fn pdf_text(path: &str) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext runs (scripts/setup-debian.sh installs poppler-utils)");
    assert!(out.status.success(), "pdftotext {path} failed");
    let check = Command::new("qpdf")
        .args(["--check", path])
        .output()
        .expect("qpdf runs");
    assert!(
        check.status.success(),
        "qpdf --check {path}: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (year, month, day) moved on by `n` days.
fn add_days((mut y, mut m, mut d): (i64, u32, u32), n: u32) -> (i64, u32, u32) {
    for _ in 0..n {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let len = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        d += 1;
        if d > len {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    (y, m, d)
}

/// The PDF's first page as a PNG beside the screenshots, to look at.
fn render_png(path: &str, name: &str) {
    let out = screenshot_dir().join(name);
    let ok = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path,
        ])
        .arg(&out)
        .status()
        .expect("pdftoppm runs");
    assert!(ok.success(), "pdftoppm {path}");
}

#[test]
fn the_front_desk_books_and_checks_in_and_the_visit_waits_in_the_chart() {
    let app = App::launch_in(demo_practice_with(40, 0), &[]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);

    // The manager sets up a walk-in line, open all day every day, and a type.
    app.login("manager", DEMO_PASSWORD);
    app.click("nav-admin-scheduling");
    app.wait_text("setup-calendars", "the demo's calendars", |t| {
        t.contains("Nurse visits")
    });
    app.check(
        app.count("calendar-row") == 2,
        "the demo's two calendars are listed",
    );
    app.click("calendar-add");
    app.wait_for("calendar-dialog");
    app.type_into("calendar-name", "Walk-ins");
    app.select_labelled("calendar-chart-user", "Maya Patel");
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        app.set_value(&format!("hours-{day}"), "00:00-23:55");
    }
    app.screenshot("schedule-01-calendar-dialog");
    app.click("calendar-save");
    app.wait_gone("calendar-dialog");
    app.wait_text("setup-calendars", "the new calendar", |t| {
        t.contains("Walk-ins")
    });
    app.click("type-add");
    app.wait_for("type-dialog");
    app.type_into("type-name", "Walk-in");
    app.set_value("type-minutes", "15");
    app.click("type-save");
    app.wait_gone("type-dialog");
    app.wait_text("setup-types", "the new type", |t| t.contains("Walk-in"));
    app.screenshot("schedule-02-setup");
    app.logout();

    // The front desk books the first demo patient on it, today at 23:00.
    app.login("desk", DEMO_PASSWORD);
    app.click("nav-schedule");
    app.wait_for("schedule-grid");
    app.wait_for_css(".ec-event", "the demo's appointments in the grid");
    app.screenshot("schedule-03-day");
    let (y, m, d) = today_utc();
    let start = format!("{m:02}/{d:02}/{y} 23:00");
    let book = |who: &str| {
        app.click("schedule-book");
        app.wait_for("book-dialog");
        app.type_into("book-patient-search", who);
        app.click_css(
            "[data-testid=\"book-patient-option\"]",
            "the first patient found",
        );
        app.select_labelled("book-calendar", "Walk-ins");
        app.select_labelled("book-type", "Walk-in (15 min)");
        app.set_value("book-start", &start);
        app.click("book-submit");
    };
    book("100001");
    app.wait_gone("book-dialog");
    app.wait_for_with_text("schedule-row", "23:00");

    // The same time again: refused, the appointment named, no override box.
    book("100002");
    let conflict = app.wait_text("booking-conflicts", "the conflict", |t| {
        t.contains("Overlaps appointment #")
    });
    app.check(
        conflict.contains("Walk-ins"),
        &format!("the conflict names the calendar: {conflict}"),
    );
    app.check(
        !app.is_shown("override-reason"),
        "the front desk is not offered an override",
    );
    app.screenshot("schedule-04-conflict");
    app.click("modal-close");
    app.wait_gone("book-dialog");

    // Check in from today's flow board.
    app.click("nav-today");
    app.wait_for("flow-row");
    let row = app.wait_for_with_text("flow-row", "Walk-in");
    let id = app.attr_of(&row, "data-appointment-id").unwrap();
    app.click_css(
        &format!("[data-testid=\"flow-row\"][data-appointment-id=\"{id}\"] [data-testid=\"flow-check-in\"]"),
        "Check in… on the walk-in row",
    );
    app.wait_for("appointment-dialog");
    app.click("check-in-submit");
    app.wait_for("error-demographics_confirmed");
    app.click("check-in-confirmed");
    app.click("check-in-submit");
    app.wait_gone("appointment-dialog");
    let row = app.wait_for_with_text("flow-row", "Arrived");
    app.check(
        app.text_of(&row).contains("0 min"),
        "the wait starts at 0 minutes",
    );
    app.wait_text("flow-waiting", "the waiting count", |t| t == "1 waiting");
    app.screenshot("schedule-05-flow-board");

    // A weekly series of six on the walk-in line, one of them cancelled
    // with a reason; the week view shows the rest.
    app.click("nav-schedule");
    app.wait_for("schedule-grid");
    app.click("schedule-book");
    app.wait_for("book-dialog");
    app.type_into("book-patient-search", "100003");
    app.click_css("[data-testid=\"book-patient-option\"]", "the patient found");
    app.select_labelled("book-calendar", "Walk-ins");
    app.select_labelled("book-type", "Walk-in (15 min)");
    app.set_value("book-start", &format!("{m:02}/{d:02}/{y} 22:00"));
    app.select("book-repeat", "weeks");
    app.set_value("book-count", "6");
    app.click("book-submit");
    app.wait_gone("book-dialog");
    app.wait_for_with_text("schedule-row", "22:00");
    // Next week of the walk-in line: the series' second visit is in it.
    app.click("schedule-view-week");
    app.select_labelled("schedule-week-calendar", "Walk-ins");
    app.click("schedule-next");
    app.wait_text("schedule-title", "next week", |t| t.starts_with("Week of"));
    // The row of the series' second visit (the week view's rows start with
    // the month and day), once next week's answer is shown.
    let (_, nm, nd) = add_days((y, m, d), 7);
    let visit = app.wait_for_with_text("schedule-row", &format!("{nm:02}-{nd:02} 22:00"));
    let id = app.attr_of(&visit, "data-appointment-id").unwrap();
    app.click_css(
        &format!("[data-testid=\"schedule-row\"][data-appointment-id=\"{id}\"] [data-testid=\"schedule-open\"]"),
        "next week's visit",
    );
    app.wait_for("appointment-dialog");
    app.click("appointment-cancel");
    app.click("cancel-submit");
    app.wait_for("error-reason");
    app.type_into("cancel-reason", "patient away that week");
    app.click("cancel-submit");
    app.wait_gone("appointment-dialog");
    app.wait_for_css(
        &format!("[data-testid=\"schedule-row\"][data-appointment-id=\"{id}\"][data-status=\"cancelled\"]"),
        "the cancelled visit, still listed",
    );
    app.screenshot("schedule-06-week");

    // Today's day sheet of the walk-in line, saved.
    app.click("schedule-today");
    app.click("schedule-view-day");
    app.click("schedule-print");
    app.wait_for("print-dialog");
    app.select_labelled("print-calendar", "Walk-ins");
    app.click("print-submit");
    let done = app.wait_text("print-done", "the saved sheet", |t| t.contains("saved to"));
    let path = done
        .split("saved to ")
        .nth(1)
        .unwrap()
        .split(". Each")
        .next()
        .unwrap()
        .to_string();
    let text = pdf_text(&path);
    for want in [
        "Day sheet: Walk-ins",
        "23:00-23:15",
        "González, Astrid",
        "Notes",
    ] {
        app.check(
            text.contains(want),
            &format!("{want:?} in the day sheet:\n{text}"),
        );
    }
    render_png(&path, "schedule-07-day-sheet");
    app.click("modal-close");
    app.logout();

    // The clinician finds the visit waiting: a draft note of the walk-in.
    app.login("doctor", DEMO_PASSWORD);
    app.go_hash("#/patient/1/notes");
    let note = app.wait_for_with_text("note-row", "Walk-in");
    app.check(
        app.attr_of(&note, "data-status").as_deref() == Some("draft"),
        "the visit's note is a draft",
    );
    app.screenshot("schedule-06-chart");
    app.close();
}
