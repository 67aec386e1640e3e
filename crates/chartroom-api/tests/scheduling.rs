//! Scheduling through the API, as the front desk, a clinician and the
//! practice manager use it, in a clinic in New York (the US change to
//! daylight time is on Sunday 8 March 2026): calendars and types set up,
//! conflicts named and overridden only with a reason by a permitted role,
//! a weekly series that stays at its wall-clock time across the change,
//! one occurrence cancelled and the following ones moved without touching
//! the others, check-in opening the visit, the flow board, no-shows,
//! closures, and the next free slot.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use std::sync::Arc;

use chartroom_admin::commands::{AuditReport, CreateUser};
use chartroom_admin::protocol::AuditQuery;
use chartroom_api::commands::Logout;
use chartroom_api::{Chartroom, ErrorCode, FixedClock};
use chartroom_scheduling::commands::*;
use chartroom_scheduling::hours::WeekHoursForm;
use chartroom_scheduling::protocol::*;
use chartroom_store::model::Role;
use chartroom_types::{
    AppointmentStatus, AppointmentTypeId, CalendarId, ClosureKind, EncounterKind, PatientId,
    SeriesScope, UserId,
};
use chrono::{Duration, TimeZone, Utc};
use common::*;

struct Clinic {
    fx: Fx,
    maya: UserId,
    calendar: CalendarId,
    follow_up: AppointmentTypeId,
    patient: PatientId,
}

fn user(app: &mut Chartroom, username: &str, full_name: &str, role: Role) -> UserId {
    ok(
        app,
        CreateUser {
            username: username.into(),
            full_name: full_name.into(),
            credentials: String::new(),
            password: PW.into(),
            roles: vec![role],
            can_emergency_access: false,
        },
    )
    .id
}

fn as_user(app: &mut Chartroom, username: &str) {
    let _ = app.run(Logout {});
    login(app, username);
}

/// Monday 2 March 2026, 09:00 in New York (14:00 UTC); Dr Patel works
/// weekdays 9-12 and 13-17; a 20-minute follow-up; one patient.
fn clinic() -> Clinic {
    let tz = "America/New_York".parse().unwrap();
    let clock = Arc::new(FixedClock::in_zone(
        Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
        tz,
    ));
    let mut fx = practice_at(true, clock);
    let maya = user(&mut fx.app, "maya", "Maya Patel", Role::Clinician);
    user(&mut fx.app, "mia", "Mia Manager", Role::PracticeManager);
    user(&mut fx.app, "fred", "Fred Desk", Role::FrontDesk);
    as_user(&mut fx.app, "mia");
    let day = "09:00-12:00, 13:00-17:00".to_string();
    let cal = ok(
        &mut fx.app,
        SaveCalendar {
            id: None,
            expected_version: 0,
            form: CalendarForm {
                name: "Dr Patel".into(),
                user_id: Some(maya),
                chart_user_id: None,
                colour: "#3366CC".into(),
                hours: WeekHoursForm {
                    mon: day.clone(),
                    tue: day.clone(),
                    wed: day.clone(),
                    thu: day.clone(),
                    fri: day,
                    ..Default::default()
                },
                active: true,
            },
        },
    );
    assert_eq!(cal.colour, "#3366cc");
    assert_eq!(cal.chart_user_id, maya);
    assert_eq!(cal.week[0].hours, "09:00-12:00, 13:00-17:00");
    assert_eq!(cal.week[5].hours, "closed");
    let follow_up = ok(
        &mut fx.app,
        SaveAppointmentType {
            id: None,
            expected_version: 0,
            form: AppointmentTypeForm {
                name: "Follow-up".into(),
                minutes: 20,
                colour: "#228844".into(),
                visit_kind: EncounterKind::FollowUp,
                calendars: vec![cal.id],
                active: true,
            },
        },
    )
    .id;
    as_user(&mut fx.app, "fred");
    let patient = register(&mut fx.app, anh());
    Clinic {
        fx,
        maya,
        calendar: cal.id,
        follow_up,
        patient,
    }
}

fn book(
    c: &mut Clinic,
    start: &str,
    override_reason: &str,
) -> Result<Booked, chartroom_api::ApiError> {
    c.fx.app.run(BookAppointment {
        patient_id: c.patient,
        calendar_id: c.calendar,
        type_id: c.follow_up,
        room_id: None,
        start: start.into(),
        minutes: None,
        reason: "blood pressure".into(),
        repeat: None,
        override_reason: override_reason.into(),
        fills: None,
    })
}

fn messages<T: std::fmt::Debug>(r: Result<T, chartroom_api::ApiError>) -> Vec<String> {
    match r {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e
            .to_wire()
            .fields
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
    }
}

#[test]
fn conflicts_are_named_and_only_a_permitted_role_books_over_one_with_a_reason() {
    let mut c = clinic();
    let first = book(&mut c, "2026-03-02T10:00", "")
        .unwrap()
        .appointments
        .remove(0);
    assert_eq!(first.start_local, "2026-03-02T10:00");
    assert_eq!(first.end_local, "2026-03-02T10:20");
    assert_eq!(first.starts_at, "2026-03-02T15:00:00+00:00");
    assert_eq!(first.status, AppointmentStatus::Scheduled);

    // The same provider at 10:10: the 10:00 appointment is named.
    assert_eq!(
        messages(book(&mut c, "2026-03-02T10:10", "")),
        vec![format!(
            "conflicts: Overlaps appointment #{} on Dr Patel's calendar (Mon Mar 2 10:00-10:20)",
            first.id
        )]
    );
    // Over lunch, on a Saturday.
    assert_eq!(
        messages(book(&mut c, "2026-03-02T11:50", "")),
        vec!["conflicts: Outside Dr Patel's hours that day (09:00-12:00, 13:00-17:00)"]
    );
    assert_eq!(
        messages(book(&mut c, "2026-03-07T10:00", "")),
        vec!["conflicts: Dr Patel does not work that day"]
    );
    // Bad input is named by field.
    assert_eq!(
        field_names(book(&mut c, "tomorrow at ten", "")),
        vec!["start"]
    );
    assert_eq!(
        field_names(book(&mut c, "2026-03-01T10:00", "")),
        vec!["start"]
    );

    // The front desk cannot double-book, even with a reason; the refusal
    // is recorded and nothing is booked.
    let r = book(&mut c, "2026-03-02T10:10", "patient in pain, squeeze in");
    assert_eq!(code(r), ErrorCode::PermissionDenied);

    // The clinician can, with a reason, which is kept and audited.
    as_user(&mut c.fx.app, "maya");
    let squeezed = book(&mut c, "2026-03-02T10:10", "patient in pain, squeeze in")
        .unwrap()
        .appointments
        .remove(0);
    assert_eq!(squeezed.override_reason, "patient in pain, squeeze in");
    as_user(&mut c.fx.app, "mia");
    let log = ok(
        &mut c.fx.app,
        AuditReport {
            filter: AuditQuery {
                from: String::new(),
                to: String::new(),
                user_id: Some(c.maya),
                patient_id: String::new(),
                action: None,
                oldest_first: false,
                limit: 50,
            },
        },
    );
    assert!(
        log.iter().any(
            |r| r.detail.contains("over conflicts (overlaps appointment #")
                && r.detail.contains("reason: patient in pain, squeeze in")
        ),
        "{log:#?}"
    );
    // The day view shows both, and who may override.
    let day = ok(
        &mut c.fx.app,
        GetSchedule {
            from: "2026-03-02".into(),
            days: 1,
            calendar_ids: vec![],
        },
    );
    assert_eq!(day.zone, "America/New_York");
    assert_eq!(day.appointments.len(), 2);
    assert!(day.can_override);
    assert_eq!(
        day.hours
            .iter()
            .map(|h| format!("{}-{}", h.start_local, h.end_local))
            .collect::<Vec<_>>(),
        vec![
            "2026-03-02T09:00-2026-03-02T12:00",
            "2026-03-02T13:00-2026-03-02T17:00"
        ]
    );
}

#[test]
fn a_weekly_series_keeps_its_time_across_the_change_and_each_visit_stands_alone() {
    let mut c = clinic();
    let booked = ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: c.patient,
            calendar_id: c.calendar,
            type_id: c.follow_up,
            room_id: None,
            start: "2026-03-02T14:00".into(),
            minutes: None,
            reason: String::new(),
            repeat: Some(RepeatForm {
                unit: RepeatUnit::Weeks,
                every: 1,
                count: Some(4),
                until: String::new(),
            }),
            override_reason: String::new(),
            fills: None,
        },
    );
    let a = &booked.appointments;
    assert!(booked.series_id.is_some());
    assert_eq!(
        a.iter().map(|x| x.start_local.as_str()).collect::<Vec<_>>(),
        vec![
            "2026-03-02T14:00",
            "2026-03-09T14:00",
            "2026-03-16T14:00",
            "2026-03-23T14:00"
        ]
    );
    // 14:00 EST is 19:00 UTC; after the change 14:00 EDT is 18:00 UTC.
    assert_eq!(a[0].starts_at, "2026-03-02T19:00:00+00:00");
    assert_eq!(a[1].starts_at, "2026-03-09T18:00:00+00:00");

    // Cancel the second visit alone.
    let cancelled = ok(
        &mut c.fx.app,
        CancelAppointment {
            appointment_id: a[1].id,
            expected_version: a[1].version,
            reason: "patient away".into(),
            scope: SeriesScope::This,
        },
    );
    assert_eq!(cancelled.len(), 1);
    assert!(!cancelled[0].late_cancel, "a week ahead is not late");

    // Move the third and the following ones an hour later.
    let moved = ok(
        &mut c.fx.app,
        MoveAppointment {
            appointment_id: a[2].id,
            expected_version: a[2].version,
            start: "2026-03-16T15:00".into(),
            calendar_id: None,
            minutes: None,
            scope: SeriesScope::Following,
            override_reason: String::new(),
        },
    );
    assert_eq!(
        moved
            .iter()
            .map(|x| x.start_local.as_str())
            .collect::<Vec<_>>(),
        vec!["2026-03-16T15:00", "2026-03-23T15:00"]
    );
    let shown = |c: &mut Clinic| {
        ok(
            &mut c.fx.app,
            ListPatientAppointments {
                patient_id: c.patient,
            },
        )
    };
    let p = shown(&mut c);
    assert_eq!(
        p.upcoming
            .iter()
            .map(|x| format!("{} {:?}", x.start_local, x.status))
            .collect::<Vec<_>>(),
        vec![
            "2026-03-02T14:00 Scheduled",
            "2026-03-16T15:00 Scheduled",
            "2026-03-23T15:00 Scheduled"
        ]
    );
    assert_eq!(
        p.past.len(),
        1,
        "the cancelled visit stays, in the past list"
    );
    assert_eq!(p.past[0].status, AppointmentStatus::Cancelled);
    assert_eq!(p.past[0].cancel_reason, "patient away");

    // Cancel the whole series: the open ones go, nothing is removed, and
    // the third visit's history shows its booking, move and cancellation.
    let third = &moved[0];
    ok(
        &mut c.fx.app,
        CancelAppointment {
            appointment_id: third.id,
            expected_version: third.version,
            reason: "treatment finished".into(),
            scope: SeriesScope::Series,
        },
    );
    let p = shown(&mut c);
    assert!(p.upcoming.is_empty());
    assert_eq!(p.past.len(), 4);
    let history = ok(
        &mut c.fx.app,
        AppointmentHistory {
            appointment_id: third.id,
        },
    );
    assert_eq!(
        history
            .iter()
            .map(|e| format!("{} by {}: {}", e.what, e.by, e.detail))
            .collect::<Vec<_>>(),
        vec![
            "Scheduled by Fred Desk: ".to_string(),
            "Moved by Fred Desk: from Mon Mar 16, 2026 14:00 on Dr Patel's calendar".into(),
            "Cancelled by Fred Desk: treatment finished".into(),
        ]
    );
    // A stale copy cannot change it, and a cancelled visit stays cancelled.
    let r = c.fx.app.run(SetAppointmentStatus {
        appointment_id: third.id,
        expected_version: third.version,
        status: AppointmentStatus::Confirmed,
    });
    assert_eq!(code(r), ErrorCode::Conflict);
}

#[test]
fn check_in_opens_the_visit_and_the_flow_board_shows_the_wait() {
    let mut c = clinic();
    let appt = book(&mut c, "2026-03-02T09:20", "")
        .unwrap()
        .appointments
        .remove(0);
    assert!(appt.actions.can_check_in);
    assert_eq!(
        field_names(c.fx.app.run(CheckIn {
            appointment_id: appt.id,
            expected_version: appt.version,
            demographics_confirmed: false,
        })),
        vec!["demographics_confirmed"]
    );
    let arrived = ok(
        &mut c.fx.app,
        CheckIn {
            appointment_id: appt.id,
            expected_version: appt.version,
            demographics_confirmed: true,
        },
    );
    assert_eq!(arrived.status, AppointmentStatus::Arrived);
    let visit = arrived.encounter_id.expect("check-in opens a visit");
    assert_eq!(
        arrived.actions.next,
        vec![
            AppointmentStatus::InRoom,
            AppointmentStatus::WithProvider,
            AppointmentStatus::CheckedOut
        ]
    );

    c.fx.clock.advance(Duration::minutes(15));
    as_user(&mut c.fx.app, "fred"); // the idle lock came on meanwhile
    let board = ok(&mut c.fx.app, GetFlowBoard {});
    assert_eq!(board.today, "2026-03-02");
    assert_eq!(board.waiting, 1);
    assert_eq!(board.rows[0].waiting_minutes, Some(15));
    assert!(!board.rows[0].waiting_long);
    c.fx.clock.advance(Duration::minutes(5));
    as_user(&mut c.fx.app, "fred");
    let board = ok(&mut c.fx.app, GetFlowBoard {});
    assert_eq!(board.rows[0].waiting_minutes, Some(20));
    assert!(board.rows[0].waiting_long, "20 minutes is a long wait");

    // The clinician finds the visit waiting in the chart.
    as_user(&mut c.fx.app, "maya");
    let visits = ok(
        &mut c.fx.app,
        chartroom_chart::commands::ListNotes {
            patient_id: c.patient,
        },
    );
    assert_eq!(visits.len(), 1, "{visits:#?}");
    let v = &visits[0];
    assert_eq!(v.encounter_kind, "follow_up");
    assert_eq!(v.provider, "Maya Patel");
    assert_eq!(v.reason, "Follow-up: blood pressure");
    assert_eq!(v.status, chartroom_store::model::NoteStatus::Draft);
    let _ = visit;

    let done = ok(
        &mut c.fx.app,
        SetAppointmentStatus {
            appointment_id: appt.id,
            expected_version: arrived.version,
            status: AppointmentStatus::CheckedOut,
        },
    );
    assert!(done.actions.next.is_empty());
    assert_eq!(ok(&mut c.fx.app, GetFlowBoard {}).waiting, 0);
}

#[test]
fn a_no_show_is_marked_once_its_time_has_come_and_counted() {
    let mut c = clinic();
    let appt = book(&mut c, "2026-03-02T09:40", "")
        .unwrap()
        .appointments
        .remove(0);
    let early = c.fx.app.run(SetAppointmentStatus {
        appointment_id: appt.id,
        expected_version: appt.version,
        status: AppointmentStatus::NoShow,
    });
    assert_eq!(field_names(early), vec!["status"]);
    assert!(!appt.actions.next.contains(&AppointmentStatus::NoShow));
    c.fx.clock.advance(Duration::minutes(45));
    as_user(&mut c.fx.app, "fred");
    ok(
        &mut c.fx.app,
        SetAppointmentStatus {
            appointment_id: appt.id,
            expected_version: appt.version,
            status: AppointmentStatus::NoShow,
        },
    );
    let p = ok(
        &mut c.fx.app,
        ListPatientAppointments {
            patient_id: c.patient,
        },
    );
    assert_eq!(p.no_shows, 1);
}

#[test]
fn closures_refuse_bookings_and_the_next_free_slot_goes_round_everything() {
    let mut c = clinic();
    as_user(&mut c.fx.app, "mia");
    ok(
        &mut c.fx.app,
        SaveClosure {
            id: None,
            expected_version: 0,
            form: ClosureForm {
                calendar_id: None,
                kind: ClosureKind::Holiday,
                label: "Clinic closed".into(),
                from: "2026-03-03".into(),
                to: "2026-03-03".into(),
                withdrawn: false,
            },
        },
    );
    as_user(&mut c.fx.app, "fred");
    assert_eq!(
        messages(book(&mut c, "2026-03-03T10:00", "")),
        vec!["conflicts: The practice is closed: Clinic closed (holiday), Tue Mar 3 00:00 to Wed Mar 4 00:00"]
    );
    // Fill Monday from now (09:00) to noon but for 10:40-11:00.
    for t in [
        "09:00", "09:20", "09:40", "10:00", "10:20", "11:00", "11:20", "11:40",
    ] {
        book(&mut c, &format!("2026-03-02T{t}"), "").unwrap();
    }
    let slot = |c: &mut Clinic, after: &str| {
        ok(
            &mut c.fx.app,
            FindNextSlot {
                calendar_id: c.calendar,
                type_id: c.follow_up,
                after: after.into(),
            },
        )
        .map(|s| s.start_local)
    };
    assert_eq!(slot(&mut c, "").as_deref(), Some("2026-03-02T10:40"));
    // From 11:00: after lunch.
    assert_eq!(
        slot(&mut c, "2026-03-02T11:00").as_deref(),
        Some("2026-03-02T13:00")
    );
    // From 16:45 on Monday: Tuesday is closed, so Wednesday 09:00.
    assert_eq!(
        slot(&mut c, "2026-03-02T16:45").as_deref(),
        Some("2026-03-04T09:00")
    );
}

#[test]
fn the_practice_names_its_time_zone_and_today_and_times_follow_it() {
    let mut c = clinic();
    as_user(&mut c.fx.app, "admin");
    let mut s = ok(&mut c.fx.app, chartroom_admin::commands::GetSettings {});
    assert_eq!(s.time_zone, "", "none set: the workstation's");
    s.time_zone = "Mars/Olympus".into();
    assert_eq!(
        field_names(c.fx.app.run(chartroom_admin::commands::UpdateSettings {
            settings: s.clone()
        })),
        vec!["time_zone"]
    );
    // Tokyo: 14:00 UTC on 2 March is 23:00 there, still 2 March; at 15:00
    // UTC it is 3 March, while New York is still on 2 March.
    s.time_zone = "Asia/Tokyo".into();
    let saved = ok(
        &mut c.fx.app,
        chartroom_admin::commands::UpdateSettings { settings: s },
    );
    assert_eq!(saved.time_zone, "Asia/Tokyo");
    c.fx.clock.advance(Duration::hours(1));
    as_user(&mut c.fx.app, "fred");
    let board = ok(&mut c.fx.app, GetFlowBoard {});
    assert_eq!(board.today, "2026-03-03");
    let day = ok(
        &mut c.fx.app,
        GetSchedule {
            from: "2026-03-03".into(),
            days: 1,
            calendar_ids: vec![],
        },
    );
    assert_eq!(day.zone, "Asia/Tokyo");
    // Dr Patel's 09:00 in Tokyo is 00:00 UTC.
    let a = book(&mut c, "2026-03-03T09:00", "")
        .unwrap()
        .appointments
        .remove(0);
    assert_eq!(a.starts_at, "2026-03-03T00:00:00+00:00");
}

#[test]
fn the_day_sheet_and_reminders_print_what_is_booked_and_each_patient_is_a_disclosure() {
    use chartroom_scheduling::printouts::SheetOutput;
    use chartroom_types::ReleaseMethod;
    let mut c = clinic();
    let mut with_address = anh();
    with_address.family_name = "Ødegård".into();
    with_address.given_name = "Søren".into();
    with_address.birth_date = "1971-06-02".into();
    with_address.phone_mobile = "(503) 555-0177".into();
    with_address.address_line1 = "12 Harbor Lane".into();
    with_address.city = "Portland".into();
    with_address.region = "OR".into();
    with_address.postal_code = "97201".into();
    let soren = register(&mut c.fx.app, with_address);
    book(&mut c, "2026-03-02T10:00", "").unwrap();
    ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: soren,
            calendar_id: c.calendar,
            type_id: c.follow_up,
            room_id: None,
            start: "03/04/2026 13:20".into(),
            minutes: None,
            reason: "knee pain".into(),
            repeat: None,
            override_reason: String::new(),
            fills: None,
        },
    );
    let saved = SheetOutput {
        method: ReleaseMethod::Saved,
        printer: String::new(),
    };
    // Wednesday's day sheet: Søren, his phone and the reason.
    let sheet = ok(
        &mut c.fx.app,
        PrintDaySheet {
            calendar_id: c.calendar,
            day: "03/04/2026".into(),
            output: saved.clone(),
        },
    );
    assert_eq!((sheet.pages, sheet.patients), (1, 1));
    let text = pdf_text(sheet.path.as_deref().unwrap());
    for want in [
        "Day sheet: Dr Patel, Wednesday, March 4, 2026",
        "13:20-13:40",
        "Ødegård, Søren",
        "knee pain",
        "(503) 555-0177",
        "Notes",
        "Printed by Fred Desk",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(
        !text.contains("Nguyễn"),
        "Monday's patient is not on Wednesday's sheet"
    );

    // The week's reminders: one letter (Anh has no postal address).
    let r = ok(
        &mut c.fx.app,
        PrintReminders {
            from: "03/02/2026".into(),
            output: saved,
        },
    );
    assert_eq!((r.done.patients, r.without_address), (1, 1));
    let text = pdf_text(r.done.path.as_deref().unwrap());
    for want in [
        "Søren Ødegård",
        "12 Harbor Lane",
        "Portland, OR 97201",
        "Dear Søren Ødegård,",
        "13:20 with Dr Patel (Follow-up)",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }

    // Each patient on a sheet is in the disclosure log.
    as_user(&mut c.fx.app, "mia");
    let log = ok(
        &mut c.fx.app,
        chartroom_records::commands::DisclosureLog {
            query: chartroom_records::protocol::DisclosureQuery::default(),
        },
    );
    let kinds: Vec<String> = log
        .iter()
        .map(|d| format!("{:?} {} {:?}", d.kind, d.mrn, d.purpose))
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(
        kinds
            .iter()
            .any(|k| k.starts_with("DaySheet") && k.ends_with("Operations")),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|k| k.starts_with("Reminder") && k.ends_with("Treatment")),
        "{kinds:?}"
    );
}

/// Found in review: cancelling a whole series also cancelled, as late,
/// its visits whose time had passed (they were still "scheduled").
#[test]
fn cancelling_a_series_leaves_its_past_visits_alone() {
    let mut c = clinic();
    let a = ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: c.patient,
            calendar_id: c.calendar,
            type_id: c.follow_up,
            room_id: None,
            start: "2026-03-02T09:20".into(),
            minutes: None,
            reason: String::new(),
            repeat: Some(RepeatForm {
                unit: RepeatUnit::Weeks,
                every: 1,
                count: Some(3),
                until: String::new(),
            }),
            override_reason: String::new(),
            fills: None,
        },
    )
    .appointments;
    // A week and an hour later: the first visit has passed, never marked.
    c.fx.clock.advance(Duration::days(7) + Duration::hours(1));
    as_user(&mut c.fx.app, "fred");
    let second = &a[1];
    let second = ok(
        &mut c.fx.app,
        ListPatientAppointments {
            patient_id: c.patient,
        },
    )
    .upcoming
    .into_iter()
    .find(|x| x.id == second.id)
    .unwrap_or_else(|| panic!("the second visit is still to come"));
    let cancelled = ok(
        &mut c.fx.app,
        CancelAppointment {
            appointment_id: second.id,
            expected_version: second.version,
            reason: "treatment finished".into(),
            scope: SeriesScope::Series,
        },
    );
    assert_eq!(
        cancelled.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![a[1].id, a[2].id],
        "only the visits still to come"
    );
    let p = ok(
        &mut c.fx.app,
        ListPatientAppointments {
            patient_id: c.patient,
        },
    );
    let first = p.past.iter().find(|x| x.id == a[0].id).unwrap();
    assert_eq!(first.status, AppointmentStatus::Scheduled);
    assert!(!first.late_cancel);
}

/// Found in review: a far-off year panicked in date arithmetic; a start off
/// the five-minute grid (or with seconds) was booked.
#[test]
fn far_off_years_and_odd_minutes_are_refused_by_field() {
    let mut c = clinic();
    for start in [
        "+262143-12-31T09:00",
        "12/31/9999 09:00",
        "1850-01-01T09:00",
    ] {
        assert_eq!(
            field_names(book(&mut c, start, "")),
            vec!["start"],
            "{start}"
        );
    }
    assert_eq!(
        field_names(book(&mut c, "2026-03-02T09:07", "")),
        vec!["start"]
    );
    assert_eq!(
        field_names(book(&mut c, "2026-03-02T09:00:30", "")),
        vec!["start"]
    );
    for from in ["+262143-12-31", "12/31/9999"] {
        let r = c.fx.app.run(GetSchedule {
            from: from.into(),
            days: 7,
            calendar_ids: vec![],
        });
        assert_eq!(field_names(r), vec!["from"], "{from}");
        let r = c.fx.app.run(FindNextSlot {
            calendar_id: c.calendar,
            type_id: c.follow_up,
            after: format!("{from}T09:00"),
        });
        assert_eq!(field_names(r), vec!["after"], "{from}");
    }
}

/// Found in review: moving "this and following" without choosing a
/// calendar put every following visit on the clicked visit's calendar,
/// even one the front desk had moved to another calendar on its own.
#[test]
fn moving_the_following_visits_keeps_each_on_its_own_calendar() {
    let mut c = clinic();
    as_user(&mut c.fx.app, "mia");
    let nurse = ok(
        &mut c.fx.app,
        SaveCalendar {
            id: None,
            expected_version: 0,
            form: CalendarForm {
                name: "Nurse visits".into(),
                user_id: None,
                chart_user_id: Some(c.maya),
                colour: "#aa5500".into(),
                hours: WeekHoursForm {
                    mon: "08:00-17:00".into(),
                    ..Default::default()
                },
                active: true,
            },
        },
    )
    .id;
    let check = ok(
        &mut c.fx.app,
        SaveAppointmentType {
            id: None,
            expected_version: 0,
            form: AppointmentTypeForm {
                name: "Blood pressure check".into(),
                minutes: 15,
                colour: "#228844".into(),
                visit_kind: EncounterKind::OfficeVisit,
                calendars: vec![c.calendar, nurse],
                active: true,
            },
        },
    )
    .id;
    as_user(&mut c.fx.app, "fred");
    let a = ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: c.patient,
            calendar_id: c.calendar,
            type_id: check,
            room_id: None,
            start: "2026-03-09T10:00".into(),
            minutes: None,
            reason: String::new(),
            repeat: Some(RepeatForm {
                unit: RepeatUnit::Weeks,
                every: 1,
                count: Some(3),
                until: String::new(),
            }),
            override_reason: String::new(),
            fills: None,
        },
    )
    .appointments;
    // The second visit goes to the nurse line, same time.
    let second = ok(
        &mut c.fx.app,
        MoveAppointment {
            appointment_id: a[1].id,
            expected_version: a[1].version,
            start: "2026-03-16T10:00".into(),
            calendar_id: Some(nurse),
            minutes: None,
            scope: SeriesScope::This,
            override_reason: String::new(),
        },
    );
    assert_eq!(second[0].calendar_id, nurse);
    // Then all three an hour later, no calendar chosen.
    let moved = ok(
        &mut c.fx.app,
        MoveAppointment {
            appointment_id: a[0].id,
            expected_version: a[0].version,
            start: "2026-03-09T11:00".into(),
            calendar_id: None,
            minutes: None,
            scope: SeriesScope::Following,
            override_reason: String::new(),
        },
    );
    assert_eq!(
        moved
            .iter()
            .map(|x| format!("{} {}", x.start_local, x.calendar_name))
            .collect::<Vec<_>>(),
        vec![
            "2026-03-09T11:00 Dr Patel",
            "2026-03-16T11:00 Nurse visits",
            "2026-03-23T11:00 Dr Patel"
        ]
    );
    // Each visit's conflicts are checked on its own calendar: the nurse
    // line's hours end at 17:00, Dr Patel's lunch is 12-13.
    let r = c.fx.app.run(MoveAppointment {
        appointment_id: moved[0].id,
        expected_version: moved[0].version,
        start: "2026-03-09T12:00".into(),
        calendar_id: None,
        minutes: None,
        scope: SeriesScope::Following,
        override_reason: String::new(),
    });
    let m = messages(r);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].starts_with("conflicts: Mon Mar 9, 2026 12:00:"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("conflicts: Mon Mar 23, 2026 12:00:"),
        "{m:?}"
    );
}

/// Found in review: a calendar could be taken out of use with visits still
/// booked on it, which then vanished from the day view and could not be
/// moved. Now it is refused, naming how many and the first; once they are
/// cancelled it goes.
#[test]
fn a_calendar_with_visits_still_booked_is_not_taken_out_of_use() {
    let mut c = clinic();
    let v = book(&mut c, "2026-03-04T10:00", "").unwrap().appointments;
    as_user(&mut c.fx.app, "mia");
    let cal = ok(&mut c.fx.app, ListCalendars {})
        .into_iter()
        .find(|x| x.id == c.calendar)
        .unwrap();
    let form = |active: bool| CalendarForm {
        name: cal.name.clone(),
        user_id: Some(c.maya),
        chart_user_id: None,
        colour: cal.colour.clone(),
        hours: cal.hours.clone(),
        active,
    };
    let r = c.fx.app.run(SaveCalendar {
        id: Some(c.calendar),
        expected_version: cal.version,
        form: form(false),
    });
    assert_eq!(
        messages(r),
        vec![
            "active: 1 appointment(s) from Wed Mar 4, 2026 10:00 are still open on this calendar: move, cancel or check them out first"
        ]
    );
    as_user(&mut c.fx.app, "fred");
    ok(
        &mut c.fx.app,
        CancelAppointment {
            appointment_id: v[0].id,
            expected_version: v[0].version,
            reason: "provider leaving".into(),
            scope: SeriesScope::This,
        },
    );
    as_user(&mut c.fx.app, "mia");
    let saved = ok(
        &mut c.fx.app,
        SaveCalendar {
            id: Some(c.calendar),
            expected_version: cal.version,
            form: form(false),
        },
    );
    assert!(!saved.active);
}

/// Found in review: the clinic day stored with each appointment (what the
/// day views look up) was not worked out again when the practice changed
/// its time zone, so a visit showed under the wrong day or not at all.
#[test]
fn a_new_time_zone_puts_each_booked_visit_on_its_day_there() {
    let mut c = clinic();
    // 16:00 in New York on 4 March is 21:00 UTC: 06:00 on 5 March in Tokyo.
    let a = book(&mut c, "2026-03-04T16:00", "").unwrap().appointments;
    as_user(&mut c.fx.app, "admin");
    let mut s = ok(&mut c.fx.app, chartroom_admin::commands::GetSettings {});
    s.time_zone = "Asia/Tokyo".into();
    ok(
        &mut c.fx.app,
        chartroom_admin::commands::UpdateSettings { settings: s },
    );
    as_user(&mut c.fx.app, "fred");
    let on = |c: &mut Clinic, day: &str| {
        ok(
            &mut c.fx.app,
            GetSchedule {
                from: day.into(),
                days: 1,
                calendar_ids: vec![],
            },
        )
        .appointments
        .iter()
        .map(|x| format!("{} {}", x.id, x.start_local))
        .collect::<Vec<_>>()
    };
    assert!(on(&mut c, "2026-03-04").is_empty());
    assert_eq!(
        on(&mut c, "2026-03-05"),
        vec![format!("{} 2026-03-05T06:00", a[0].id)]
    );
}

/// Found in review: a visit whose appointment type the practice retired
/// after it was booked could no longer be moved.
#[test]
fn a_visit_of_a_retired_type_can_still_be_moved() {
    let mut c = clinic();
    let v = book(&mut c, "2026-03-04T10:00", "").unwrap().appointments;
    as_user(&mut c.fx.app, "mia");
    let t = ok(&mut c.fx.app, ListAppointmentTypes {})
        .into_iter()
        .find(|t| t.id == c.follow_up)
        .unwrap();
    ok(
        &mut c.fx.app,
        SaveAppointmentType {
            id: Some(t.id),
            expected_version: t.version,
            form: AppointmentTypeForm {
                name: t.name.clone(),
                minutes: t.minutes,
                colour: t.colour.clone(),
                visit_kind: t.visit_kind,
                calendars: t.calendars.clone(),
                active: false,
            },
        },
    );
    as_user(&mut c.fx.app, "fred");
    // New bookings of it are refused; the booked visit moves.
    assert_eq!(
        field_names(book(&mut c, "2026-03-05T10:00", "")),
        vec!["type_id"]
    );
    let moved = ok(
        &mut c.fx.app,
        MoveAppointment {
            appointment_id: v[0].id,
            expected_version: v[0].version,
            start: "2026-03-04T11:00".into(),
            calendar_id: None,
            minutes: None,
            scope: SeriesScope::This,
            override_reason: String::new(),
        },
    );
    assert_eq!(moved[0].start_local, "2026-03-04T11:00");
    assert_eq!(moved[0].type_name, "Follow-up");
}

fn søren() -> chartroom_api::protocol::PatientInput {
    chartroom_api::protocol::PatientInput {
        family_name: "Ødegård".into(),
        given_name: "Søren".into(),
        birth_date: "1971-06-30".into(),
        sex: "male".into(),
        phone_home: "(503) 555-0177".into(),
        preferred_contact: "phone".into(),
        ..Default::default()
    }
}

fn wants(
    c: &Clinic,
    patient_id: PatientId,
    time_of_day: chartroom_types::TimeOfDay,
) -> WaitlistForm {
    WaitlistForm {
        patient_id,
        type_id: c.follow_up,
        calendar_id: None,
        time_of_day,
        earliest: String::new(),
        before: String::new(),
        note: "can come at short notice".into(),
    }
}

/// Section 7: a cancelled time is offered to the waitlist patients it
/// suits, longest waiting first; booking one closes the entry in the same
/// transaction, and a closed entry cannot fill a second booking.
#[test]
fn a_freed_time_is_offered_to_the_waitlist_and_booking_closes_the_entry() {
    use chartroom_types::{ListEntryStatus, TimeOfDay};
    let mut c = clinic();
    let søren = register(&mut c.fx.app, søren());
    let other = register(
        &mut c.fx.app,
        chartroom_api::protocol::PatientInput {
            family_name: "Ağaoğlu".into(),
            given_name: "Zoë".into(),
            birth_date: "1990-01-05".into(),
            sex: "female".into(),
            phone_mobile: "(503) 555-0190".into(),
            preferred_contact: "phone".into(),
            ..Default::default()
        },
    );
    // Anh holds Wednesday 14:00.
    let held = book(&mut c, "2026-03-04T14:00", "").unwrap().appointments;
    // Søren wants an afternoon, Zoë only mornings.
    let form = wants(&c, søren, TimeOfDay::Afternoon);
    let s = ok(&mut c.fx.app, AddToWaitlist { form });
    assert_eq!(s.calendar_name, "Any calendar");
    assert_eq!(s.phone, "(503) 555-0177");
    let form = wants(&c, other, TimeOfDay::Morning);
    ok(&mut c.fx.app, AddToWaitlist { form });
    let form = WaitlistForm {
        before: "03/01/2026".into(),
        earliest: "03/05/2026".into(),
        ..wants(&c, søren, TimeOfDay::Any)
    };
    let bad = c.fx.app.run(AddToWaitlist { form });
    assert_eq!(field_names(bad), vec!["before", "before"]);
    let list = ok(&mut c.fx.app, ListWaitlist {});
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|e| e.can_change));

    // While it is booked, nothing is offered; once cancelled, Søren is.
    assert!(ok(
        &mut c.fx.app,
        WaitlistOffers {
            appointment_id: held[0].id
        }
    )
    .is_empty());
    ok(
        &mut c.fx.app,
        CancelAppointment {
            appointment_id: held[0].id,
            expected_version: held[0].version,
            reason: "patient called".into(),
            scope: SeriesScope::This,
        },
    );
    let offers = ok(
        &mut c.fx.app,
        WaitlistOffers {
            appointment_id: held[0].id,
        },
    );
    assert_eq!(
        offers
            .iter()
            .map(|o| format!("{} {} {}", o.entry.patient_name, o.start_local, o.minutes))
            .collect::<Vec<_>>(),
        vec!["Ødegård, Søren 2026-03-04T14:00 20"]
    );
    let o = &offers[0];
    let fills = Fills::Waitlist {
        entry_id: o.entry.id,
        expected_version: o.entry.version,
    };
    let booked = ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: søren,
            calendar_id: o.calendar_id,
            type_id: o.entry.type_id,
            room_id: None,
            start: o.start_local.clone(),
            minutes: None,
            reason: String::new(),
            repeat: None,
            override_reason: String::new(),
            fills: Some(fills.clone()),
        },
    );
    let left = ok(&mut c.fx.app, ListWaitlist {});
    assert_eq!(left.len(), 1, "Søren's entry is closed");
    assert_eq!(left[0].patient_id, other);
    // The time is taken now: no offer, and the closed entry fills nothing.
    assert!(ok(
        &mut c.fx.app,
        WaitlistOffers {
            appointment_id: held[0].id
        }
    )
    .is_empty());
    let again = c.fx.app.run(BookAppointment {
        patient_id: søren,
        calendar_id: o.calendar_id,
        type_id: o.entry.type_id,
        room_id: None,
        start: "2026-03-05T14:00".into(),
        minutes: None,
        reason: String::new(),
        repeat: None,
        override_reason: String::new(),
        fills: Some(fills),
    });
    assert_eq!(messages(again), vec!["fills: It is already closed"]);
    // Another patient's entry cannot fill Anh's booking.
    let r = c.fx.app.run(BookAppointment {
        patient_id: c.patient,
        calendar_id: c.calendar,
        type_id: c.follow_up,
        room_id: None,
        start: "2026-03-05T10:00".into(),
        minutes: None,
        reason: String::new(),
        repeat: None,
        override_reason: String::new(),
        fills: Some(Fills::Waitlist {
            entry_id: left[0].id,
            expected_version: left[0].version,
        }),
    });
    assert_eq!(messages(r), vec!["fills: It is another patient's"]);
    // Zoë is taken off, with a reason; an empty one is refused.
    let r = c.fx.app.run(CloseWaitlistEntry {
        entry_id: left[0].id,
        expected_version: left[0].version,
        reason: " ".into(),
    });
    assert_eq!(field_names(r), vec!["reason"]);
    let closed = ok(
        &mut c.fx.app,
        CloseWaitlistEntry {
            entry_id: left[0].id,
            expected_version: left[0].version,
            reason: "booked elsewhere".into(),
        },
    );
    assert_eq!(closed.status, ListEntryStatus::Closed);
    assert_eq!(closed.outcome, "booked elsewhere");
    assert!(ok(&mut c.fx.app, ListWaitlist {}).is_empty());
    let history = ok(
        &mut c.fx.app,
        AppointmentHistory {
            appointment_id: booked.appointments[0].id,
        },
    );
    assert_eq!(history.len(), 1);
}

/// Section 7: "see again in 3 months" makes a recall due then; the list
/// shows what falls due within the days asked for, and booking it (or
/// closing it with a reason) takes it off.
#[test]
fn a_recall_comes_due_and_booking_it_takes_it_off_the_list() {
    let mut c = clinic();
    let due = ok(
        &mut c.fx.app,
        AddRecall {
            form: RecallForm {
                patient_id: c.patient,
                after_months: Some(3),
                due: String::new(),
                reason: "blood pressure check".into(),
                type_id: Some(c.follow_up),
                calendar_id: Some(c.calendar),
            },
        },
    );
    assert_eq!(due.due_day, "2026-06-02");
    assert_eq!(due.type_name, "Follow-up");
    let bad = c.fx.app.run(AddRecall {
        form: RecallForm {
            patient_id: c.patient,
            after_months: None,
            due: "02/01/2026".into(),
            reason: String::new(),
            type_id: None,
            calendar_id: None,
        },
    });
    assert_eq!(field_names(bad), vec!["due", "reason"]);
    let within = |c: &mut Clinic, days: u32| {
        ok(&mut c.fx.app, ListRecalls { days })
            .recalls
            .iter()
            .map(|r| format!("{} {}", r.due_day, r.reason))
            .collect::<Vec<_>>()
    };
    assert!(within(&mut c, 30).is_empty(), "not due within 30 days");
    assert_eq!(within(&mut c, 100), vec!["2026-06-02 blood pressure check"]);
    // Three months on it is due today, then overdue the day after.
    c.fx.clock.advance(Duration::days(92));
    as_user(&mut c.fx.app, "fred");
    let list = ok(&mut c.fx.app, ListRecalls { days: 0 });
    assert_eq!(list.today, "2026-06-02");
    assert!(!list.recalls[0].overdue);
    c.fx.clock.advance(Duration::days(1));
    as_user(&mut c.fx.app, "fred");
    let r = ok(&mut c.fx.app, ListRecalls { days: 0 }).recalls.remove(0);
    assert!(r.overdue);
    // Booked from the list: it closes with the booking.
    ok(
        &mut c.fx.app,
        BookAppointment {
            patient_id: c.patient,
            calendar_id: c.calendar,
            type_id: c.follow_up,
            room_id: None,
            start: "2026-06-04T10:00".into(),
            minutes: None,
            reason: r.reason.clone(),
            repeat: None,
            override_reason: String::new(),
            fills: Some(Fills::Recall {
                recall_id: r.id,
                expected_version: r.version,
            }),
        },
    );
    assert!(ok(&mut c.fx.app, ListRecalls { days: 365 })
        .recalls
        .is_empty());
    // A stale copy cannot close it again.
    let r2 = c.fx.app.run(CloseRecall {
        recall_id: r.id,
        expected_version: r.version,
        reason: "declined".into(),
    });
    assert_eq!(messages(r2), vec!["status: It is already closed"]);
}

/// Found in review of the waitlist: a morning entry was offered a visit
/// running past noon; a booking of another type closed the entry; typed
/// dates took any year (a "+10000" due date sorted into every list); a
/// recall took a type its calendar does not offer; a calendar could be
/// taken out of use with a patient checked in on it today.
#[test]
fn waitlist_and_recall_rules_found_in_review() {
    use chartroom_types::TimeOfDay;
    let mut c = clinic();
    let søren = register(&mut c.fx.app, søren());
    as_user(&mut c.fx.app, "mia");
    let nurse = ok(
        &mut c.fx.app,
        SaveCalendar {
            id: None,
            expected_version: 0,
            form: CalendarForm {
                name: "Nurse visits".into(),
                user_id: None,
                chart_user_id: Some(c.maya),
                colour: "#aa5500".into(),
                hours: WeekHoursForm {
                    mon: "08:00-17:00".into(),
                    wed: "08:00-17:00".into(),
                    ..Default::default()
                },
                active: true,
            },
        },
    )
    .id;
    let long = ok(
        &mut c.fx.app,
        SaveAppointmentType {
            id: None,
            expected_version: 0,
            form: AppointmentTypeForm {
                name: "Long visit".into(),
                minutes: 60,
                colour: "#884422".into(),
                visit_kind: EncounterKind::OfficeVisit,
                calendars: vec![c.calendar, nurse],
                active: true,
            },
        },
    )
    .id;
    as_user(&mut c.fx.app, "fred");
    let form = WaitlistForm {
        type_id: long,
        ..wants(&c, søren, TimeOfDay::Morning)
    };
    let entry = ok(&mut c.fx.app, AddToWaitlist { form });
    // A long visit freed at 11:00-12:00 suits a morning; one at
    // 11:30-12:30 does not.
    let freed = |c: &mut Clinic, calendar_id, start: &str| {
        let a =
            c.fx.app
                .run(BookAppointment {
                    patient_id: c.patient,
                    calendar_id,
                    type_id: long,
                    room_id: None,
                    start: start.into(),
                    minutes: None,
                    reason: String::new(),
                    repeat: None,
                    override_reason: String::new(),
                    fills: None,
                })
                .unwrap()
                .appointments
                .remove(0);
        ok(
            &mut c.fx.app,
            CancelAppointment {
                appointment_id: a.id,
                expected_version: a.version,
                reason: "patient called".into(),
                scope: SeriesScope::This,
            },
        );
        ok(
            &mut c.fx.app,
            WaitlistOffers {
                appointment_id: a.id,
            },
        )
        .len()
    };
    let patel = c.calendar;
    assert_eq!(freed(&mut c, patel, "2026-03-04T11:00"), 1);
    assert_eq!(
        freed(&mut c, nurse, "2026-03-04T11:30"),
        0,
        "11:30-12:30 runs past noon: not a morning"
    );
    // A booking of another type does not fill the entry.
    let r = c.fx.app.run(BookAppointment {
        patient_id: søren,
        calendar_id: c.calendar,
        type_id: c.follow_up,
        room_id: None,
        start: "2026-03-04T11:00".into(),
        minutes: None,
        reason: String::new(),
        repeat: None,
        override_reason: String::new(),
        fills: Some(Fills::Waitlist {
            entry_id: entry.id,
            expected_version: entry.version,
        }),
    });
    assert_eq!(field_names(r), vec!["type_id"]);
    // Years out of range, and a recall beyond five years.
    let form = WaitlistForm {
        before: "+10000-01-01".into(),
        ..wants(&c, søren, TimeOfDay::Any)
    };
    assert_eq!(
        field_names(c.fx.app.run(AddToWaitlist { form })),
        vec!["before"]
    );
    for due in ["+10000-01-01", "03/02/2040"] {
        let r = c.fx.app.run(AddRecall {
            form: RecallForm {
                patient_id: c.patient,
                after_months: None,
                due: due.into(),
                reason: "check".into(),
                type_id: None,
                calendar_id: None,
            },
        });
        assert_eq!(field_names(r), vec!["due"], "{due}");
    }
    // A recall's type must be offered on its calendar (follow-ups are Dr
    // Patel's only).
    let r = c.fx.app.run(AddRecall {
        form: RecallForm {
            patient_id: c.patient,
            after_months: Some(3),
            due: String::new(),
            reason: "check".into(),
            type_id: Some(c.follow_up),
            calendar_id: Some(nurse),
        },
    });
    assert_eq!(field_names(r), vec!["calendar_id"]);
    // A patient checked in today (her visit has begun) keeps the calendar
    // in use.
    let today = book(&mut c, "2026-03-02T09:00", "").unwrap().appointments;
    ok(
        &mut c.fx.app,
        CheckIn {
            appointment_id: today[0].id,
            expected_version: today[0].version,
            demographics_confirmed: true,
        },
    );
    c.fx.clock.advance(Duration::minutes(30));
    as_user(&mut c.fx.app, "mia");
    let cal = ok(&mut c.fx.app, ListCalendars {})
        .into_iter()
        .find(|x| x.id == c.calendar)
        .unwrap();
    let r = c.fx.app.run(SaveCalendar {
        id: Some(c.calendar),
        expected_version: cal.version,
        form: CalendarForm {
            name: cal.name.clone(),
            user_id: Some(c.maya),
            chart_user_id: None,
            colour: cal.colour.clone(),
            hours: cal.hours.clone(),
            active: false,
        },
    });
    assert_eq!(field_names(r), vec!["active"]);
}

/// A second calendar (a nurse line under Dr Patel) and two rooms, set up
/// by the practice manager; back as the front desk.
fn with_rooms(c: &mut Clinic) -> (CalendarId, RoomView, RoomView) {
    as_user(&mut c.fx.app, "mia");
    let nurse = ok(
        &mut c.fx.app,
        SaveCalendar {
            id: None,
            expected_version: 0,
            form: CalendarForm {
                name: "Nurse visits".into(),
                user_id: None,
                chart_user_id: Some(c.maya),
                colour: "#aa5500".into(),
                hours: WeekHoursForm {
                    mon: "09:00-17:00".into(),
                    tue: "09:00-17:00".into(),
                    ..Default::default()
                },
                active: true,
            },
        },
    );
    // The follow-up is offered on both calendars.
    let ty = ok(&mut c.fx.app, ListAppointmentTypes {})
        .into_iter()
        .find(|t| t.id == c.follow_up)
        .unwrap();
    ok(
        &mut c.fx.app,
        SaveAppointmentType {
            id: Some(ty.id),
            expected_version: ty.version,
            form: AppointmentTypeForm {
                name: ty.name,
                minutes: ty.minutes,
                colour: ty.colour,
                visit_kind: ty.visit_kind,
                calendars: vec![c.calendar, nurse.id],
                active: true,
            },
        },
    );
    let room = |c: &mut Clinic, name: &str| {
        ok(
            &mut c.fx.app,
            SaveRoom {
                id: None,
                expected_version: 0,
                form: RoomForm {
                    name: name.into(),
                    active: true,
                },
            },
        )
    };
    let procedure = room(c, "Procedure room");
    let exam = room(c, "Exam 1");
    // Names are unique, whatever their case; a room needs one.
    assert_eq!(
        messages(c.fx.app.run(SaveRoom {
            id: None,
            expected_version: 0,
            form: RoomForm {
                name: "procedure ROOM".into(),
                active: true,
            },
        })),
        vec!["name: There is a room of that name already"]
    );
    assert_eq!(
        field_names(c.fx.app.run(SaveRoom {
            id: None,
            expected_version: 0,
            form: RoomForm {
                name: "  ".into(),
                active: true,
            },
        })),
        vec!["name"]
    );
    as_user(&mut c.fx.app, "fred");
    (nurse.id, procedure, exam)
}

fn book_in(
    c: &mut Clinic,
    calendar_id: CalendarId,
    room: Option<&RoomView>,
    start: &str,
    override_reason: &str,
) -> Result<Booked, chartroom_api::ApiError> {
    c.fx.app.run(BookAppointment {
        patient_id: c.patient,
        calendar_id,
        type_id: c.follow_up,
        room_id: room.map(|r| r.id),
        start: start.into(),
        minutes: None,
        reason: String::new(),
        repeat: None,
        override_reason: override_reason.into(),
        fills: None,
    })
}

#[test]
fn a_room_is_held_by_one_appointment_at_a_time_across_calendars() {
    let mut c = clinic();
    let (nurse, procedure, exam) = with_rooms(&mut c);
    let doctor = c.calendar;
    let first = book_in(&mut c, doctor, Some(&procedure), "2026-03-02T10:00", "")
        .unwrap()
        .appointments
        .remove(0);
    assert_eq!(first.room_id, Some(procedure.id));
    assert_eq!(first.room_name, "Procedure room");

    // The nurse line at 10:10 in the same room: the room's appointment is
    // named, though the nurse's own calendar is free.
    assert_eq!(
        messages(book_in(
            &mut c,
            nurse,
            Some(&procedure),
            "2026-03-02T10:10",
            ""
        )),
        vec![format!(
            "conflicts: Procedure room is taken by appointment #{} (Mon Mar 2 10:00-10:20)",
            first.id
        )]
    );
    // Another room, or no room, is free; so is the room once it is free.
    let in_exam = book_in(&mut c, nurse, Some(&exam), "2026-03-02T10:10", "")
        .unwrap()
        .appointments
        .remove(0);
    book_in(&mut c, nurse, Some(&exam), "2026-03-02T11:00", "").unwrap();
    book_in(&mut c, nurse, None, "2026-03-02T11:20", "").unwrap();
    book_in(&mut c, nurse, Some(&procedure), "2026-03-02T10:40", "").unwrap();

    // The front desk cannot book over it; a clinician can, with a reason.
    assert_eq!(
        code(book_in(
            &mut c,
            nurse,
            Some(&procedure),
            "2026-03-02T10:05",
            "dressing change, short"
        )),
        ErrorCode::PermissionDenied
    );

    // Moving the nurse's exam-room visit onto the doctor's time in the
    // procedure room: refused, naming the room's appointment.
    assert_eq!(
        messages(c.fx.app.run(SetAppointmentRoom {
            appointment_id: in_exam.id,
            expected_version: in_exam.version,
            room_id: Some(procedure.id),
            override_reason: String::new(),
        })),
        vec![format!(
            "conflicts: Procedure room is taken by appointment #{} (Mon Mar 2 10:00-10:20)",
            first.id
        )]
    );
    // Moving the doctor's visit keeps its room, which must be free then:
    // from 10:40 the nurse holds it.
    assert_eq!(
        messages(c.fx.app.run(MoveAppointment {
            appointment_id: first.id,
            expected_version: first.version,
            start: "2026-03-02T10:30".into(),
            calendar_id: None,
            minutes: None,
            scope: SeriesScope::This,
            override_reason: String::new(),
        }))
        .len(),
        1
    );
    // Out of the room, then into it: each change is in its history.
    let out = ok(
        &mut c.fx.app,
        SetAppointmentRoom {
            appointment_id: first.id,
            expected_version: first.version,
            room_id: None,
            override_reason: String::new(),
        },
    );
    assert_eq!(out.room_id, None);
    assert_eq!(out.room_name, "");
    let back = ok(
        &mut c.fx.app,
        SetAppointmentRoom {
            appointment_id: in_exam.id,
            expected_version: in_exam.version,
            room_id: Some(procedure.id),
            override_reason: String::new(),
        },
    );
    assert!(
        back.room_name == "Procedure room" && back.start_local == "2026-03-02T10:10",
        "{back:?}"
    );
    // The nurse line's day sheet shows each visit's room under its type.
    let sheet = ok(
        &mut c.fx.app,
        PrintDaySheet {
            calendar_id: nurse,
            day: "03/02/2026".into(),
            output: chartroom_scheduling::printouts::SheetOutput {
                method: chartroom_types::ReleaseMethod::Saved,
                printer: String::new(),
            },
        },
    );
    let text = pdf_text(sheet.path.as_deref().unwrap());
    let line_of = |time: &str| {
        text.lines()
            .position(|l| l.contains(time))
            .unwrap_or_else(|| panic!("{time} not in:\n{text}"))
    };
    let lines: Vec<&str> = text.lines().collect();
    for (time, room) in [("10:10-10:30", "Procedure room"), ("11:00-11:20", "Exam 1")] {
        let at = line_of(time);
        assert!(
            lines[at..(at + 3).min(lines.len())]
                .iter()
                .any(|l| l.contains(room)),
            "{room} beside {time} in:\n{text}"
        );
    }
    let history = ok(
        &mut c.fx.app,
        AppointmentHistory {
            appointment_id: first.id,
        },
    );
    assert_eq!(
        history
            .iter()
            .map(|e| format!("{}: {}", e.what, e.detail))
            .collect::<Vec<_>>(),
        vec![
            "Scheduled: ".to_string(),
            "Moved: room changed from Procedure room to no room".into()
        ]
    );
    // The same room again is refused by field; so is a room not in use.
    assert_eq!(
        field_names(c.fx.app.run(SetAppointmentRoom {
            appointment_id: back.id,
            expected_version: back.version,
            room_id: Some(procedure.id),
            override_reason: String::new(),
        })),
        vec!["room_id"]
    );

    // A room with visits still to come stays in use; once they have
    // another room it can be taken out of use, and is then refused.
    as_user(&mut c.fx.app, "mia");
    let take_out = |c: &mut Clinic, r: &RoomView| {
        c.fx.app.run(SaveRoom {
            id: Some(r.id),
            expected_version: r.version,
            form: RoomForm {
                name: r.name.clone(),
                active: false,
            },
        })
    };
    assert_eq!(field_names(take_out(&mut c, &exam)), vec!["active"]);
    as_user(&mut c.fx.app, "fred");
    assert_eq!(
        ok(&mut c.fx.app, ListRooms {})
            .iter()
            .map(|r| format!("{} {}", r.name, r.active))
            .collect::<Vec<_>>(),
        vec!["Exam 1 true", "Procedure room true"]
    );
    let day = ok(
        &mut c.fx.app,
        GetSchedule {
            from: "2026-03-02".into(),
            days: 1,
            calendar_ids: vec![],
        },
    );
    for a in day
        .appointments
        .iter()
        .filter(|a| a.room_id == Some(exam.id))
    {
        ok(
            &mut c.fx.app,
            SetAppointmentRoom {
                appointment_id: a.id,
                expected_version: a.version,
                room_id: None,
                override_reason: String::new(),
            },
        );
    }
    as_user(&mut c.fx.app, "mia");
    let retired = take_out(&mut c, &exam).unwrap();
    assert!(!retired.active);
    as_user(&mut c.fx.app, "fred");
    assert_eq!(
        field_names(book_in(&mut c, nurse, Some(&exam), "2026-03-03T09:00", "")),
        vec!["room_id"]
    );
    // Out of use, it is listed after those in use, and kept.
    assert_eq!(
        ok(&mut c.fx.app, ListRooms {})
            .iter()
            .map(|r| format!("{} {}", r.name, r.active))
            .collect::<Vec<_>>(),
        vec!["Procedure room true", "Exam 1 false"]
    );
}

#[test]
fn a_clinician_books_over_a_held_room_with_a_reason_that_is_audited() {
    let mut c = clinic();
    let (nurse, procedure, _) = with_rooms(&mut c);
    let doctor = c.calendar;
    let first = book_in(&mut c, doctor, Some(&procedure), "2026-03-02T10:00", "")
        .unwrap()
        .appointments
        .remove(0);
    as_user(&mut c.fx.app, "maya");
    let over = book_in(
        &mut c,
        nurse,
        Some(&procedure),
        "2026-03-02T10:05",
        "dressing change, two minutes",
    )
    .unwrap()
    .appointments
    .remove(0);
    assert_eq!(over.override_reason, "dressing change, two minutes");
    as_user(&mut c.fx.app, "mia");
    let log = ok(
        &mut c.fx.app,
        AuditReport {
            filter: AuditQuery {
                from: String::new(),
                to: String::new(),
                user_id: Some(c.maya),
                patient_id: String::new(),
                action: None,
                oldest_first: false,
                limit: 50,
            },
        },
    );
    let expected = format!(
        "booked 1 appointment on Nurse visits's calendar in Procedure room; over conflicts \
         (Procedure room is taken by appointment #{} (Mon Mar 2 10:00-10:20)), reason: dressing change, two minutes",
        first.id
    );
    assert!(log.iter().any(|r| r.detail == expected), "{log:#?}");
}
