//! `chartroom bench-schedule`: the front desk's reads on a generated
//! practice the size the issue names, through `Chartroom::run` (the shell's
//! path without the webview's IPC), each read with its audit record
//! committed. The practice: five clinicians' calendars; three years of
//! history (every weekday before today, 30 visits a calendar, seen, missed
//! or cancelled: `chartroom_demo::DemoScheduleHistory`); today 150
//! appointments (30 a calendar); and a year ahead: the first calendar
//! booked solid for 90 days but its very last slot (the next-free-slot
//! search's worst case), twelve open-ended weekly series on each other
//! calendar (to the practice's 12-month horizon) and six single visits a
//! day on each of them for the year. It times:
//! - the day view of the five calendars (today's 150 appointments);
//! - "find the next free slot" on the first calendar from tomorrow;
//! - today's flow board.
//!
//! The calendars work 07:00-19:00 every day, so today's workload does not
//! depend on the weekday it runs on. Figures go in BENCHMARKS.md.

use std::time::{Duration, Instant};

use chartroom_admin::commands::CreateUser;
use chartroom_api::commands::{Login, Logout};
use chartroom_api::{Chartroom, Clock as _, Routed, SystemClock};
use chartroom_scheduling::commands::{
    BookAppointment, FindNextSlot, GetFlowBoard, GetSchedule, SaveAppointmentType, SaveCalendar,
};
use chartroom_scheduling::hours::WeekHoursForm;
use chartroom_scheduling::protocol::{AppointmentTypeForm, CalendarForm, RepeatForm, RepeatUnit};
use chartroom_store::model::Role;
use chartroom_types::{CalendarId, EncounterKind, PatientId};

use crate::bench_chart::PW;

fn ok<C: Routed>(app: &mut Chartroom, c: C) -> Result<C::Answer, String> {
    app.run(c).map_err(|e| format!("{e:?}"))
}

pub(crate) fn line(what: &str, mut t: Vec<Duration>) -> String {
    t.sort();
    let at = |p: f64| {
        let i = ((t.len().max(1) as f64 - 1.0) * p).round() as usize;
        t.get(i).copied().unwrap_or_default().as_secs_f64() * 1000.0
    };
    format!(
        "| {what} | {} | {:.2} | {:.2} | {:.2} |",
        t.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    )
}

pub(crate) fn time<T>(
    rounds: usize,
    mut f: impl FnMut() -> Result<T, String>,
) -> Result<(Vec<Duration>, T), String> {
    let mut out = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds {
        let t = Instant::now();
        last = Some(f()?);
        out.push(t.elapsed());
    }
    last.map(|l| (out, l))
        .ok_or_else(|| "no rounds".to_string())
}

pub fn run(patients: usize, rounds: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("chartroom-bench-schedule-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut app = crate::bench_chart::bench_practice(&dir)?;
    let mut clinicians = Vec::new();
    for i in 0..5 {
        clinicians.push(
            ok(
                &mut app,
                CreateUser {
                    username: format!("doc{i}"),
                    full_name: format!("Doctor {i}"),
                    credentials: "MD".into(),
                    password: PW.into(),
                    roles: vec![Role::Clinician],
                    can_emergency_access: false,
                },
            )?
            .id,
        );
    }
    ok(
        &mut app,
        CreateUser {
            username: "mia".into(),
            full_name: "Mia Manager".into(),
            credentials: String::new(),
            password: PW.into(),
            roles: vec![Role::PracticeManager],
            can_emergency_access: false,
        },
    )?;
    ok(&mut app, Logout {})?;
    app.add_demo_patients(patients, 2026, &mut |_| {})
        .map_err(|e| e.to_string())?;
    ok(
        &mut app,
        Login {
            username: "mia".into(),
            password: PW.into(),
        },
    )?;
    let day = "07:00-19:00".to_string();
    let week = WeekHoursForm {
        mon: day.clone(),
        tue: day.clone(),
        wed: day.clone(),
        thu: day.clone(),
        fri: day.clone(),
        sat: day.clone(),
        sun: day,
    };
    let mut calendars: Vec<CalendarId> = Vec::new();
    for (i, u) in clinicians.iter().enumerate() {
        calendars.push(
            ok(
                &mut app,
                SaveCalendar {
                    id: None,
                    expected_version: 0,
                    form: CalendarForm {
                        name: format!("Doctor {i}"),
                        user_id: Some(*u),
                        chart_user_id: None,
                        colour: "#2f6fb0".into(),
                        hours: week.clone(),
                        active: true,
                    },
                },
            )?
            .id,
        );
    }
    let visit = ok(
        &mut app,
        SaveAppointmentType {
            id: None,
            expected_version: 0,
            form: AppointmentTypeForm {
                name: "Follow-up".into(),
                minutes: 20,
                colour: "#2f6fb0".into(),
                visit_kind: EncounterKind::FollowUp,
                calendars: vec![],
                active: true,
            },
        },
    )?
    .id;
    let today = SystemClock.today();
    let next = std::cell::Cell::new(0usize);
    let next_patient = || {
        next.set(next.get() % patients.max(1) + 1);
        next.get()
    };
    let book = |app: &mut Chartroom, calendar_id: CalendarId, start: String| {
        let patient = next_patient();
        ok(
            app,
            BookAppointment {
                patient_id: PatientId(patient as i64),
                calendar_id,
                type_id: visit,
                room_id: None,
                start,
                minutes: None,
                reason: String::new(),
                repeat: None,
                override_reason: String::new(),
                fills: None,
            },
        )
        .map(|_| ())
    };
    // Three years of history, written in the store (bookings refuse past
    // days).
    let started = Instant::now();
    let history = app
        .add_demo_schedule_history(&chartroom_demo::HistorySpec {
            calendars: calendars.clone(),
            type_id: visit,
            minutes: 20,
            per_day: 30,
            first_minute: 7 * 60,
            days: 3 * 365 + 1,
            patients: patients as i64,
        })
        .map_err(|e| e.to_string())?;
    eprintln!(
        "history: {history} past appointments in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Today: 30 visits on each of the five calendars, 07:00 to 16:40.
    let started = Instant::now();
    for c in &calendars {
        for k in 0..30u32 {
            let m = 7 * 60 + 20 * k;
            book(&mut app, *c, format!("{today}T{:02}:{:02}", m / 60, m % 60))?;
        }
    }
    // The first calendar, solid for the next 90 days (36 visits a day)
    // but for the last slot of the last day.
    for d in 1..=90u64 {
        let date = today
            .checked_add_days(chrono::Days::new(d))
            .ok_or("date out of range")?;
        let slots = if d == 90 { 35 } else { 36 };
        for k in 0..slots {
            let m = 7 * 60 + 20 * k;
            book(
                &mut app,
                calendars[0],
                format!("{date}T{:02}:{:02}", m / 60, m % 60),
            )?;
        }
    }
    let mut booked = 150 + 89 * 36 + 35;
    // The other calendars' year ahead: twelve open-ended weekly series each
    // (from tomorrow, 07:00 to 10:40) and six single visits a day (13:00
    // to 14:40).
    let tomorrow = today
        .checked_add_days(chrono::Days::new(1))
        .ok_or("date out of range")?;
    for c in &calendars[1..] {
        for k in 0..12u32 {
            let patient = next_patient();
            let m = 7 * 60 + 20 * k;
            let series = ok(
                &mut app,
                BookAppointment {
                    patient_id: PatientId(patient as i64),
                    calendar_id: *c,
                    type_id: visit,
                    room_id: None,
                    start: format!("{tomorrow}T{:02}:{:02}", m / 60, m % 60),
                    minutes: None,
                    reason: String::new(),
                    repeat: Some(RepeatForm {
                        unit: RepeatUnit::Weeks,
                        every: 1,
                        count: None,
                        until: String::new(),
                    }),
                    override_reason: String::new(),
                    fills: None,
                },
            )?;
            booked += series.appointments.len();
        }
        for d in 1..=365u64 {
            let date = today
                .checked_add_days(chrono::Days::new(d))
                .ok_or("date out of range")?;
            for k in 0..6u32 {
                let m = 13 * 60 + 20 * k;
                book(&mut app, *c, format!("{date}T{:02}:{:02}", m / 60, m % 60))?;
                booked += 1;
            }
        }
    }
    eprintln!(
        "booked {booked} appointments in {:.1} s ({:.2} ms each)",
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64() * 1000.0 / booked as f64
    );

    let (day_t, view) = time(rounds, || {
        ok(
            &mut app,
            GetSchedule {
                from: today.to_string(),
                days: 1,
                calendar_ids: vec![],
            },
        )
    })?;
    if view.appointments.len() < 150 {
        return Err(format!(
            "the day view shows {} appointments, not 150",
            view.appointments.len()
        ));
    }
    let (slot_t, slot) = time(rounds, || {
        ok(
            &mut app,
            FindNextSlot {
                calendar_id: calendars[0],
                type_id: visit,
                after: format!(
                    "{}T07:00",
                    today
                        .checked_add_days(chrono::Days::new(1))
                        .ok_or("date out of range")?
                ),
            },
        )
    })?;
    let want = format!(
        "{}T18:40",
        today
            .checked_add_days(chrono::Days::new(90))
            .ok_or("date out of range")?
    );
    match slot {
        Some(s) if s.start_local == want => {}
        other => return Err(format!("the next free slot is {other:?}, not {want}")),
    }
    let (board_t, board) = time(rounds, || ok(&mut app, GetFlowBoard {}))?;
    if board.rows.len() < 150 {
        return Err(format!(
            "the flow board shows {} rows, not 150",
            board.rows.len()
        ));
    }
    println!(
        "patients: {patients}; appointments: {} ({history} past, {booked} booked through the API); rounds: {rounds}",
        history + booked
    );
    println!("| measurement | n | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!("{}", line("day view: 5 calendars, 150 appointments", day_t));
    println!(
        "{}",
        line(
            "next free slot: 90 days booked solid (found on day 90)",
            slot_t
        )
    );
    println!("{}", line("flow board: 150 appointments today", board_t));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
