//! Scheduling in the real app (issue 10), on the demo practice (whose
//! front desk has booked the coming days for Dr Maya Patel and the nurse
//! line). The practice manager adds a walk-in line open every day, a
//! walk-in type and a procedure room through the set-up screen; the front
//! desk books a patient on it, in that room, from the schedule's "Book…"
//! dialog, is refused a double booking with the conflicting appointment
//! and the room's named and no override offered, finds
//! the visit in the day's list, checks the patient in from the flow board
//! (details confirmed) and sees the wait; the clinician finds the visit
//! waiting in the chart as a draft note. The front desk also books a
//! patient by clicking a free time in the grid, moves that visit by
//! dragging it an hour later, marks a visit whose time has come a no-show,
//! books a weekly series of six, cancels one of them with a reason (it
//! stays listed, cancelled) in the week view, saves today's day sheet,
//! whose text is checked, and prints it to the CUPS PDF queue. Screenshots
//! of each screen, the day sheet rendered to PNG.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::time::Duration;

use chartroom_e2e::printed::{self, QUEUE};
use chartroom_e2e::{demo_practice_with, today_utc, App, DEMO_PASSPHRASE, DEMO_PASSWORD};
use serde_json::{json, Value};

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

/// Where `time` (HH:MM) is in the day grid's column of `calendar`: the
/// middle of its 15-minute slot in viewport pixels (the grid scrolled to
/// show it), and a slot's height.
fn grid_point(app: &App, calendar: &str, time: &str) -> ((f64, f64), f64) {
    // Measured until two readings 300 ms apart agree: the grid may still
    // be scrolling or redrawing after the schedule's answer.
    let mut last = Value::Null;
    for round in 0..20 {
        let found = measure_slot(app, calendar, time, round == 0);
        if found == last {
            return (
                (found["x"].as_f64().unwrap(), found["y"].as_f64().unwrap()),
                found["slot"].as_f64().unwrap(),
            );
        }
        last = found;
        std::thread::sleep(Duration::from_millis(300));
    }
    app.fail(&format!(
        "the {time} slot in {calendar}'s column kept moving: {last}"
    ))
}

fn measure_slot(app: &App, calendar: &str, time: &str, scroll: bool) -> Value {
    let found = app.execute(
        r#"
        const [calendar, time, scroll] = arguments;
        const heads = [...document.querySelectorAll('.ec-header .ec-col-head')];
        const index = heads.findIndex((h) => h.textContent.trim() === calendar);
        const slots = [...document.querySelectorAll('.ec-body .ec-sidebar .ec-slot')];
        const at = (s) => s.querySelector('time')?.getAttribute('datetime') ?? '';
        const i = slots.findIndex((s) => at(s).includes('T' + time));
        const slot = slots[i];
        if (index < 0 || !slot) return { missing: true, heads: heads.map((h) => h.textContent.trim()),
          slots: [...document.querySelectorAll('.ec-body .ec-sidebar .ec-slot')].slice(0, 6).map((s) => s.outerHTML) };
        if (scroll) slot.scrollIntoView({ block: 'center', behavior: 'instant' });
        const col = document.querySelectorAll('.ec-body .ec-grid .ec-day')[index];
        const c = col.getBoundingClientRect();
        // The labels' rows may hold more than one 15-minute slot: the
        // pixels of 15 minutes from two labels' times and tops.
        const r = slot.getBoundingClientRect();
        const next = slots[i + 1];
        const minutes = (Date.parse(at(next)) - Date.parse(at(slot))) / 60000;
        const quarter = (next.getBoundingClientRect().top - r.top) * 15 / minutes;
        return { x: c.left + c.width / 2, y: r.top + quarter / 2, slot: quarter };
        "#,
        vec![json!(calendar), json!(time), json!(scroll)],
    );
    if found.is_null() || found.get("missing").is_some() {
        app.fail(&format!(
            "no {time} slot in {calendar}'s column of the grid: {found}"
        ));
    }
    found
}

/// The PDF's first page as a PNG beside the screenshots, to look at.
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
    // And a room, which the bookings below hold.
    app.click("room-add");
    app.wait_for("room-dialog");
    app.type_into("room-name", "Procedure room");
    app.click("room-save");
    app.wait_gone("room-dialog");
    app.wait_text("setup-rooms", "the new room", |t| {
        t.contains("Procedure room")
    });
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
        app.select_labelled("book-room", "Procedure room");
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
        conflict.contains("Procedure room is taken by appointment #"),
        &format!("the conflict names the room's appointment: {conflict}"),
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
    app.check(
        app.text_of(&row).contains("Procedure room"),
        "the flow board shows the visit's room",
    );
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

    // Book by clicking a free time in the walk-in line's column of today's
    // grid: the dialog opens on that calendar and time.
    app.click("nav-schedule");
    app.wait_for("schedule-grid");
    app.wait_for_css(".ec-event", "today's appointments in the grid");
    let (at, slot) = grid_point(&app, "Walk-ins", "10:00");
    app.drag_at(at, (0.0, 0.0), "10:00 in the walk-in column");
    app.wait_for("book-dialog");
    app.check(
        app.value("book-start") == format!("{m:02}/{d:02}/{y} 10:00"),
        &format!(
            "the dialog starts at the slot clicked: {}",
            app.value("book-start")
        ),
    );
    app.type_into("book-patient-search", "100004");
    app.click_css("[data-testid=\"book-patient-option\"]", "the patient found");
    app.select_labelled("book-type", "Walk-in (15 min)");
    app.screenshot("schedule-03b-book-from-grid");
    app.click("book-submit");
    app.wait_gone("book-dialog");
    // The day's list row of that visit (the demo's nurse line also has a
    // 10:00).
    let row_of = |when: &str| -> String {
        app.wait_js(
            "const r = [...document.querySelectorAll('[data-testid=\"schedule-row\"]')]\
               .find((r) => r.textContent.includes(arguments[0]) && r.textContent.includes('Walk-ins'));\
             return r ? r.getAttribute('data-appointment-id') : null;",
            vec![json!(when)],
            &format!("the walk-in row at {when}"),
            Duration::from_secs(10),
        )
        .as_str()
        .unwrap()
        .to_string()
    };
    let booked_id = row_of("10:00–10:15");

    // Move it by dragging it an hour (four 15-minute slots) later.
    // The grid redraws after the list: wait for the visit in it.
    app.wait_js(
        "return [...document.querySelectorAll('.ec-event')]\
           .some((e) => e.textContent.trim().startsWith('10:00') && e.textContent.includes('Walk-in'));",
        vec![],
        "the 10:00 walk-in in the grid",
        Duration::from_secs(10),
    );
    let event = app
        .find_all_css(".ec-event")
        .into_iter()
        .find(|e| {
            let t = app.text_of(e);
            t.starts_with("10:00") && t.contains("Walk-in")
        })
        .unwrap_or_else(|| app.fail("the 10:00 walk-in in the grid"));
    app.drag(&event, (0.0, 0.0), (0.0, 4.0 * slot), "the 10:00 walk-in");
    app.wait_js(
        "return [...document.querySelectorAll('[data-testid=\"schedule-row\"]')]\
           .some((r) => r.getAttribute('data-appointment-id') === arguments[0] && r.textContent.includes('11:00–11:15'));",
        vec![json!(booked_id)],
        "the dragged visit at 11:00 in the day's list",
        Duration::from_secs(10),
    );

    // A walk-in booked for midnight, whose time has come, marked a no-show.
    app.click("schedule-book");
    app.wait_for("book-dialog");
    app.type_into("book-patient-search", "100005");
    app.click_css("[data-testid=\"book-patient-option\"]", "the patient found");
    app.select_labelled("book-calendar", "Walk-ins");
    app.select_labelled("book-type", "Walk-in (15 min)");
    app.set_value("book-start", &format!("{m:02}/{d:02}/{y} 00:00"));
    app.click("book-submit");
    app.wait_gone("book-dialog");
    let midnight_id = row_of("00:00–00:15");
    app.click_css(
        &format!("[data-testid=\"schedule-row\"][data-appointment-id=\"{midnight_id}\"] [data-testid=\"schedule-open\"]"),
        "the midnight walk-in",
    );
    app.wait_for("appointment-dialog");
    app.click("appointment-set-no_show");
    app.wait_gone("appointment-dialog");
    app.wait_for_css(
        &format!("[data-testid=\"schedule-row\"][data-appointment-id=\"{midnight_id}\"][data-status=\"no_show\"]"),
        "the walk-in marked a no-show",
    );

    // Patient 100006 goes on the waitlist for a walk-in, any time.
    app.click("nav-waitlist");
    app.click("waitlist-add");
    app.wait_for("waitlist-dialog");
    app.type_into("waitlist-patient-search", "100006");
    app.click_css(
        "[data-testid=\"waitlist-patient-option\"]",
        "the patient found",
    );
    app.select_labelled("waitlist-type", "Walk-in (15 min)");
    app.type_into("waitlist-note", "can come at short notice");
    app.click("waitlist-save");
    app.wait_gone("waitlist-dialog");
    app.wait_for("waitlist-row");

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
    // The freed time is offered to the waiting patient, who is booked
    // into it in one click; the entry leaves the waitlist.
    let offer = app.wait_for("waitlist-offer");
    app.check(
        app.text_of(&offer).contains("Walk-in"),
        &format!("the offer names the visit: {}", app.text_of(&offer)),
    );
    app.screenshot("schedule-06b-waitlist-offer");
    app.click("waitlist-offer-book");
    app.wait_gone("waitlist-offers");
    app.wait_js(
        "return [...document.querySelectorAll('[data-testid=\"schedule-row\"]')]\
           .filter((r) => r.textContent.includes(arguments[0]) && r.getAttribute('data-status') === 'scheduled').length === 1 || null;",
        vec![json!(format!("{nm:02}-{nd:02} 22:00"))],
        "the freed time booked again",
        Duration::from_secs(10),
    );
    app.screenshot("schedule-06-week");
    app.click("nav-waitlist");
    app.wait_text("waitlist", "the emptied waitlist", |t| {
        t.contains("No one is waiting")
    });

    // A recall from the patient's card: see again in 3 months; it is on
    // the recall list within a year.
    app.go_hash("#/patient/6/demographics");
    app.click("patient-add-recall");
    app.wait_for("recall-dialog");
    app.select("recall-months", "3");
    app.type_into("recall-reason", "blood pressure check");
    app.click("recall-save");
    app.wait_gone("recall-dialog");
    app.click("nav-waitlist");
    app.select("recalls-days", "365");
    let recall = app.wait_for("recall-row");
    app.check(
        app.text_of(&recall).contains("blood pressure check"),
        &format!("the recall is listed: {}", app.text_of(&recall)),
    );
    app.screenshot("schedule-06c-waitlist-recalls");

    // Today's day sheet of the walk-in line, saved.
    app.click("nav-schedule");
    app.wait_for("schedule-grid");
    app.click("schedule-today");
    app.click("schedule-view-day");
    app.click("schedule-print");
    app.wait_for("print-dialog");
    app.select_labelled("print-calendar", "Walk-ins");
    app.click("print-submit");
    let done = app.wait_text("print-done", "the saved sheet", |t| t.contains("saved to"));
    let path = printed::saved_path(&done).unwrap();
    let text = printed::text(std::path::Path::new(&path));
    for want in [
        "Day sheet: Walk-ins",
        "23:00-23:15",
        "Procedure room",
        "González, Astrid",
        "Notes",
    ] {
        app.check(
            text.contains(want),
            &format!("{want:?} in the day sheet:\n{text}"),
        );
    }
    printed::first_page_png(&path, "schedule-07-day-sheet");
    // And printed to the CUPS PDF queue.
    let before = printed::before_printing();
    app.select("print-method", "printed");
    app.select("print-printer", QUEUE);
    app.click("print-submit");
    app.wait_text("print-done", "the print job", |t| {
        t.contains("sent to the printer")
    });
    let Some(sheet) = printed::new_print(&before, Duration::from_secs(60)) else {
        app.fail("cups-pdf wrote no file within 60 s");
    };
    app.check(
        printed::pages(&sheet) == printed::pages(std::path::Path::new(&path)),
        "the printed sheet has the saved one's pages",
    );
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
