//! What the practice manager sets up: calendars with their working week,
//! appointment types (name, length, colour, the visit check-in opens, the
//! calendars that offer it), rooms (for a practice that books them) and
//! closures (vacation, holidays, meetings). Nothing is deleted: calendars,
//! types and rooms are taken out of use, closures withdrawn; every edit
//! keeps the state it replaces and is audited.

use chartroom_core::Clock as _;
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_store::model::{AuditAction, DataCategory, Role};
use chartroom_store::scheduling::{
    self as store, CalendarFields, CalendarRow, ClosureFields, ClosureRow, RoomFields, RoomRow,
    TypeFields, TypeRow,
};
use chartroom_store::{users, Connection};
use chartroom_types::{AppointmentTypeId, CalendarId, ClosureId, EncounterKind, RoomId, UserId};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::hours::{WeekHours, DAYS};
use crate::protocol::*;

/// A clinic wall-clock time as the screens and the calendar component
/// read it.
pub fn local_text(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a typed clinic wall-clock time: a typed date (`MM/DD/YYYY`,
/// `YYYY-MM-DD`...) and a 24-hour time, with a space or `T` between.
pub fn parse_local(errs: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let parsed = t.rsplit_once(['T', ' ']).and_then(|(d, h)| {
        let date = chartroom_store::search::parse_typed_date(d.trim())?;
        let time = NaiveTime::parse_from_str(h.trim(), "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(h.trim(), "%H:%M:%S"))
            .ok()?;
        Some(date.and_time(time))
    });
    if let Some(p) = parsed {
        // Far-off years are refused here, before any arithmetic on them.
        return crate::appointments::in_years(errs, field, Some(p.date())).map(|_| p);
    }
    if parsed.is_none() {
        errs.add(
            field,
            if t.is_empty() {
                "Give the date and time".to_string()
            } else {
                format!("\"{t}\" is not a date and time such as 12/07/2026 09:00")
            },
        );
    }
    parsed
}

fn colour(errs: &mut FieldErrors, text: &str) -> String {
    let c = text.trim().to_ascii_lowercase();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if !ok {
        errs.add("colour", "Choose a colour (#rrggbb)");
    }
    c
}

fn is_clinician(conn: &Connection, id: UserId) -> Result<Option<String>> {
    match users::get(conn, id) {
        Ok(u) if !u.disabled && u.roles.contains(&Role::Clinician) => Ok(Some(u.full_name)),
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The audit record of a set-up change (a calendar, type or closure added
/// or changed), in its transaction.
fn audit_saved(
    tx: &chartroom_store::Tx<'_>,
    now: DateTime<Utc>,
    actor: &chartroom_core::Actor,
    created: bool,
    record: String,
    detail: &str,
) -> Result<()> {
    let action = if created {
        AuditAction::Create
    } else {
        AuditAction::Update
    };
    chartroom_store::audit::append(
        tx,
        now,
        &actor.event(action, DataCategory::Schedule, None, record, detail),
    )?;
    Ok(())
}

// ---------------------------------------------------------------- calendars

/// A calendar as the screens show it.
pub fn calendar_view(r: CalendarRow) -> Result<CalendarView> {
    let hours = WeekHours::parse_stored(&r.fields.hours)?;
    Ok(CalendarView {
        id: r.id,
        week: DAYS
            .iter()
            .map(|(d, _, name)| DayHours {
                day: (*name).into(),
                hours: hours.describe(*d),
            })
            .collect(),
        hours: hours.to_form(),
        name: r.fields.name,
        user_id: r.fields.user_id,
        chart_user_id: r.fields.chart_user_id,
        chart_user_name: r.chart_user_name,
        colour: r.fields.colour,
        active: r.fields.active,
        version: r.version,
    })
}

/// Every calendar, active ones first.
pub fn calendars(conn: &Connection) -> Result<Vec<CalendarView>> {
    store::calendars(conn)?
        .into_iter()
        .map(calendar_view)
        .collect()
}

fn check_calendar(
    conn: &Connection,
    id: Option<CalendarId>,
    f: &CalendarForm,
) -> Result<CalendarFields> {
    let mut errs = FieldErrors::default();
    let name = validate::short_text(&mut errs, "name", "Name", &f.name, 80);
    if name.is_empty() {
        errs.add("name", "Give the calendar a name (Dr Patel, Nurse visits)");
    }
    let colour = colour(&mut errs, &f.colour);
    let hours = WeekHours::check(&f.hours, &mut errs);
    let chart_user = match (f.user_id, f.chart_user_id) {
        (Some(u), _) => {
            if is_clinician(conn, u)?.is_none() {
                errs.add(
                    "user_id",
                    "A calendar of its own is a clinician's: choose an active clinician",
                );
            } else if store::calendars(conn)?
                .iter()
                .any(|c| c.fields.user_id == Some(u) && Some(c.id) != id)
            {
                errs.add("user_id", "That clinician already has a calendar");
            }
            Some(u)
        }
        (None, Some(c)) => {
            if is_clinician(conn, c)?.is_none() {
                errs.add("chart_user_id", "Choose an active clinician");
            }
            Some(c)
        }
        (None, None) => {
            errs.add(
                "chart_user_id",
                "Choose the clinician under whom this line's visits open",
            );
            None
        }
    };
    errs.finish()?;
    Ok(CalendarFields {
        name,
        user_id: f.user_id,
        chart_user_id: chart_user.ok_or_else(|| Error::Internal("checked above".into()))?,
        colour,
        hours: hours.to_stored(),
        active: f.active,
    })
}

/// Adds a calendar (`id` none) or changes one at `expected_version`.
pub fn save_calendar(
    ctx: &mut Ctx<'_>,
    id: Option<CalendarId>,
    expected_version: i64,
    form: &CalendarForm,
) -> Result<CalendarView> {
    let fields = check_calendar(ctx.read(), id, form)?;
    if let (Some(id), false) = (id, fields.active) {
        // Visits still booked on a calendar taken out of use would vanish
        // from the day view and could not be moved: they go first.
        let (n, first) = store::still_booked(ctx.read(), store::Holder::Calendar(id), ctx.today())?;
        if let (true, Some(first)) = (n > 0, first) {
            return Err(Error::field(
                "active",
                format!(
                    "{} appointment(s) from {} are still open on this calendar: move, cancel or check them out first",
                    n,
                    first.with_timezone(&ctx.zone()).format("%a %b %-d, %Y %H:%M")
                ),
            ));
        }
    }
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_calendar(tx, &fields, now, user),
            Some(id) => store::update_calendar(tx, id, expected_version, &fields, now, user),
        }?;
        audit_saved(
            tx,
            now,
            actor,
            id.is_none(),
            format!("calendar/{}", row.id),
            "calendar saved",
        )?;
        Ok(row)
    })?;
    calendar_view(row)
}

/// The practice's active clinicians, with their calendars.
pub fn clinicians(conn: &Connection) -> Result<Vec<Clinician>> {
    let calendars = store::calendars(conn)?;
    Ok(users::list(conn)?
        .into_iter()
        .filter(|u| !u.disabled && u.roles.contains(&Role::Clinician))
        .map(|u| Clinician {
            calendar_id: calendars
                .iter()
                .find(|c| c.fields.user_id == Some(u.id))
                .map(|c| c.id),
            user_id: u.id,
            name: u.full_name,
        })
        .collect())
}

// ------------------------------------------------------- appointment types

/// An appointment type as the screens show it.
pub fn type_view(r: TypeRow) -> Result<AppointmentTypeView> {
    Ok(AppointmentTypeView {
        id: r.id,
        name: r.fields.name,
        minutes: u32::try_from(r.fields.minutes).unwrap_or(0),
        colour: r.fields.colour,
        visit_kind: EncounterKind::parse(&r.fields.visit_kind)
            .ok_or_else(|| Error::Internal(format!("stored visit kind {}", r.fields.visit_kind)))?,
        calendars: r.fields.calendars,
        active: r.fields.active,
        version: r.version,
    })
}

/// Every appointment type, active ones first.
pub fn types(conn: &Connection) -> Result<Vec<AppointmentTypeView>> {
    store::appointment_types(conn)?
        .into_iter()
        .map(type_view)
        .collect()
}

/// Whether a type is offered on a calendar.
pub fn offered_on(t: &TypeRow, calendar: CalendarId) -> bool {
    t.fields.calendars.is_empty() || t.fields.calendars.contains(&calendar)
}

/// Adds an appointment type or changes one at `expected_version`.
pub fn save_type(
    ctx: &mut Ctx<'_>,
    id: Option<AppointmentTypeId>,
    expected_version: i64,
    form: &AppointmentTypeForm,
) -> Result<AppointmentTypeView> {
    let mut errs = FieldErrors::default();
    let name = validate::short_text(&mut errs, "name", "Name", &form.name, 60);
    if name.is_empty() {
        errs.add("name", "Give the type a name (Follow-up, New patient)");
    }
    if !(5..=480).contains(&form.minutes) || !form.minutes.is_multiple_of(5) {
        errs.add(
            "minutes",
            "A visit lasts 5 to 480 minutes, in steps of five",
        );
    }
    let colour = colour(&mut errs, &form.colour);
    let known = store::calendars(ctx.read())?;
    let mut calendars = form.calendars.clone();
    calendars.sort();
    calendars.dedup();
    if calendars.iter().any(|c| !known.iter().any(|k| k.id == *c)) {
        errs.add("calendars", "Choose calendars from the list");
    }
    errs.finish()?;
    let fields = TypeFields {
        name,
        minutes: i64::from(form.minutes),
        colour,
        visit_kind: form.visit_kind.as_str().into(),
        calendars,
        active: form.active,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_type(tx, &fields, now, user)?,
            Some(id) => store::update_type(tx, id, expected_version, &fields, now, user)?,
        };
        audit_saved(
            tx,
            now,
            actor,
            id.is_none(),
            format!("appointment_type/{}", row.id),
            "appointment type saved",
        )?;
        Ok(row)
    })?;
    type_view(row)
}

// ------------------------------------------------------------------- rooms

/// A room as the screens show it.
pub fn room_view(r: RoomRow) -> RoomView {
    RoomView {
        id: r.id,
        name: r.fields.name,
        active: r.fields.active,
        version: r.version,
    }
}

/// Every room, those in use first.
pub fn rooms(conn: &Connection) -> Result<Vec<RoomView>> {
    Ok(store::rooms(conn)?.into_iter().map(room_view).collect())
}

/// Adds a room (`id` none) or renames one, or takes it out of or back into
/// use, at `expected_version`. A room with visits still to come cannot be
/// taken out of use: they are given another room (or none) first.
pub fn save_room(
    ctx: &mut Ctx<'_>,
    id: Option<RoomId>,
    expected_version: i64,
    form: &RoomForm,
) -> Result<RoomView> {
    let mut errs = FieldErrors::default();
    let name = validate::short_text(&mut errs, "name", "Name", &form.name, 60);
    if name.is_empty() {
        errs.add("name", "Give the room a name (Exam 1, Procedure room)");
    } else if store::rooms(ctx.read())?
        .iter()
        .any(|r| Some(r.id) != id && r.fields.name.to_lowercase() == name.to_lowercase())
    {
        errs.add("name", "There is a room of that name already");
    }
    errs.finish()?;
    if let (Some(id), false) = (id, form.active) {
        let (n, first) = store::still_booked(ctx.read(), store::Holder::Room(id), ctx.today())?;
        if let (true, Some(first)) = (n > 0, first) {
            return Err(Error::field(
                "active",
                format!(
                    "{} appointment(s) from {} still hold this room: give them another room first",
                    n,
                    first
                        .with_timezone(&ctx.zone())
                        .format("%a %b %-d, %Y %H:%M")
                ),
            ));
        }
    }
    let fields = RoomFields {
        name,
        active: form.active,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_room(tx, &fields, now, user)?,
            Some(id) => store::update_room(tx, id, expected_version, &fields, now, user)?,
        };
        audit_saved(
            tx,
            now,
            actor,
            id.is_none(),
            format!("room/{}", row.id),
            if fields.active {
                "room saved"
            } else {
                "room taken out of use"
            },
        )?;
        Ok(row)
    })?;
    Ok(room_view(row))
}

// ---------------------------------------------------------------- closures

/// A closure as the screens show it.
pub fn closure_view(tz: Tz, r: ClosureRow) -> ClosureView {
    ClosureView {
        id: r.id,
        calendar_id: r.fields.calendar_id,
        kind: r.fields.kind,
        label: r.fields.label,
        start_local: local_text(tz, r.fields.starts_at),
        end_local: local_text(tz, r.fields.ends_at),
        withdrawn: r.fields.withdrawn,
        version: r.version,
    }
}

/// Reads a closure's bound: a date and time, or a date alone (its start,
/// or for `to` the start of the next day, so the day is included).
fn bound(errs: &mut FieldErrors, field: &str, text: &str, end: bool) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Some(d) = chartroom_store::search::parse_typed_date(t) {
        let d = crate::appointments::in_years(errs, field, Some(d))?;
        let d = if end {
            d.checked_add_days(Days::new(1))?
        } else {
            d
        };
        return Some(d.and_time(NaiveTime::MIN));
    }
    parse_local(errs, field, t)
}

/// Closures in force between two typed days, by start.
pub fn closures(ctx: &Ctx<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<ClosureView>> {
    let tz = ctx.zone();
    let (a, b) = (
        ctx.clock().day_start(from),
        ctx.clock().day_start(to.succ_opt().unwrap_or(to)),
    );
    Ok(store::closures_between(ctx.read(), a, b)?
        .into_iter()
        .map(|r| closure_view(tz, r))
        .collect())
}

/// Adds a closure or changes (withdraws) one at `expected_version`.
pub fn save_closure(
    ctx: &mut Ctx<'_>,
    id: Option<ClosureId>,
    expected_version: i64,
    form: &ClosureForm,
) -> Result<ClosureView> {
    let tz = ctx.zone();
    let mut errs = FieldErrors::default();
    let label = validate::short_text(&mut errs, "label", "Label", &form.label, 80);
    let from = bound(&mut errs, "from", &form.from, false);
    let to = bound(&mut errs, "to", &form.to, true);
    if let Some(c) = form.calendar_id {
        if store::calendar(ctx.read(), c).is_err() {
            errs.add(
                "calendar_id",
                "Choose a calendar from the list, or the whole practice",
            );
        }
    }
    let (starts_at, ends_at) = match (from, to) {
        (Some(f), Some(t)) => {
            let (s, e) = (
                crate::recurrence::resolve(tz, f).0,
                crate::recurrence::resolve(tz, t).0,
            );
            if e <= s {
                errs.add("to", "The closure ends before it starts");
            }
            (s, e)
        }
        _ => (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC),
    };
    errs.finish()?;
    let fields = ClosureFields {
        calendar_id: form.calendar_id,
        kind: form.kind,
        label,
        starts_at,
        ends_at,
        withdrawn: form.withdrawn,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_closure(tx, &fields, now, user)?,
            Some(id) => store::update_closure(tx, id, expected_version, &fields, now, user)?,
        };
        audit_saved(
            tx,
            now,
            actor,
            id.is_none(),
            format!("closure/{}", row.id),
            if fields.withdrawn {
                "closure withdrawn"
            } else {
                "closure saved"
            },
        )?;
        Ok(row)
    })?;
    Ok(closure_view(tz, row))
}
