//! Booking, moving, cancelling and the front desk's day.
//!
//! - A booking (one visit or a series) is checked against the calendar's
//!   hours, its closures and its other appointments; every conflict is
//!   named (field `conflicts`). Booking over one needs
//!   [`Permission::ScheduleOverride`] and a reason, kept on the
//!   appointment and in the audit record. A booking may hold a room; the
//!   room then may not be held by another appointment at that time, on
//!   any calendar (the same override applies).
//! - Every occurrence of a series is its own appointment: moved,
//!   cancelled or checked in alone, with the following ones, or with the
//!   whole series ([`SeriesScope`]); a move keeps each one's wall-clock
//!   shift in the clinic's zone. Only open appointments (scheduled,
//!   confirmed) move or are cancelled; the others keep their history.
//! - Check-in confirms demographics and opens the visit in the chart (an
//!   encounter of the type's visit kind, under the calendar's clinician).
//! - Every read of appointments (patient names) is audited.

use std::collections::HashMap;

use chartroom_core::{validate, Actor, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::scheduling::{
    self as store, AppointmentRow, Booking, CalendarRow, RoomRow, SeriesFields, StatusChange,
    TypeRow,
};
use chartroom_store::{audit, settings, Connection};
use chartroom_types::{
    AppointmentId, AppointmentStatus as S, AppointmentTypeId, CalendarId, PatientId, RoomId,
    SeriesId, SeriesScope,
};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::conflicts::{self, Busy, Calendar, Closed};
use crate::hours::WeekHours;
use crate::protocol::*;
use crate::recurrence::{self, Ends, Repeat, Series};
use crate::setup::{self, local_text, parse_local};
use crate::status;
use crate::waitlist;

/// The setting that holds how far ahead an open-ended series is booked,
/// in months.
pub const HORIZON_KEY: &str = "scheduling.horizon_months";
/// The horizon when the practice has set none.
pub const DEFAULT_HORIZON_MONTHS: u32 = 12;
/// How far "find the next free slot" looks.
pub const SLOT_SEARCH_DAYS: u32 = 90;
/// The most days one schedule read shows (a week).
pub const MAX_DAYS: u32 = 7;
/// The years a date of the schedule may fall in.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2200;

/// Names and colours the views need, read once per request.
pub(crate) struct Names {
    pub(crate) calendars: HashMap<CalendarId, CalendarRow>,
    pub(crate) types: HashMap<AppointmentTypeId, TypeRow>,
    pub(crate) rooms: HashMap<RoomId, RoomRow>,
}

impl Names {
    /// A calendar's name (empty for one not found).
    pub(crate) fn calendar_name(&self, id: CalendarId) -> String {
        self.calendars
            .get(&id)
            .map_or_else(String::new, |c| c.fields.name.clone())
    }

    /// A type's name (empty for one not found).
    pub(crate) fn type_name(&self, id: AppointmentTypeId) -> String {
        self.types
            .get(&id)
            .map_or_else(String::new, |t| t.fields.name.clone())
    }

    pub(crate) fn read(conn: &Connection) -> Result<Names> {
        Ok(Names {
            calendars: store::calendars(conn)?
                .into_iter()
                .map(|c| (c.id, c))
                .collect(),
            types: store::appointment_types(conn)?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            rooms: store::rooms(conn)?.into_iter().map(|r| (r.id, r)).collect(),
        })
    }
}

/// What the user may do with the appointments shown.
#[derive(Debug, Clone, Copy)]
struct Rights {
    write: bool,
    override_conflicts: bool,
}

impl Rights {
    fn of(actor: &Actor) -> Rights {
        Rights {
            write: actor.may(Permission::ScheduleWrite),
            override_conflicts: actor.may(Permission::ScheduleOverride),
        }
    }
}

fn view(
    tz: Tz,
    now: DateTime<Utc>,
    names: &Names,
    r: AppointmentRow,
    may: Rights,
) -> AppointmentView {
    let can_write = may.write;
    let b = &r.booking;
    let t = names.types.get(&b.type_id);
    let open = status::is_open(r.status);
    let waiting = matches!(r.status, S::Arrived | S::InRoom | S::WithProvider)
        .then(|| {
            r.arrived_at
                .map(|a| u32::try_from((now - a).num_minutes().max(0)).unwrap_or(0))
        })
        .flatten();
    let next = if can_write {
        status::next(r.status)
            .iter()
            .copied()
            .filter(|s| *s != S::Arrived && *s != S::Cancelled)
            .filter(|s| status::check(r.status, *s, b.starts_at, now).is_ok())
            .collect()
    } else {
        Vec::new()
    };
    AppointmentView {
        id: r.id,
        patient_id: b.patient_id,
        patient_name: r.patient_name,
        mrn: r.patient_mrn,
        calendar_id: b.calendar_id,
        calendar_name: names
            .calendars
            .get(&b.calendar_id)
            .map(|c| c.fields.name.clone())
            .unwrap_or_default(),
        type_id: b.type_id,
        type_name: t.map(|t| t.fields.name.clone()).unwrap_or_default(),
        room_id: b.room_id,
        room_name: b
            .room_id
            .and_then(|r| names.rooms.get(&r))
            .map(|r| r.fields.name.clone())
            .unwrap_or_default(),
        colour: t.map(|t| t.fields.colour.clone()).unwrap_or_default(),
        start_local: local_text(tz, b.starts_at),
        end_local: local_text(tz, b.ends_at),
        starts_at: b.starts_at.to_rfc3339(),
        ends_at: b.ends_at.to_rfc3339(),
        day: b.day.to_string(),
        minutes: u32::try_from((b.ends_at - b.starts_at).num_minutes()).unwrap_or(0),
        status: r.status,
        reason: b.reason.clone(),
        override_reason: b.override_reason.clone(),
        series: b
            .series
            .map(|(series_id, index)| SeriesPlace { series_id, index }),
        cancel_reason: r.cancel_reason,
        late_cancel: r.late_cancel,
        arrived_at: r.arrived_at.map(|a| a.to_rfc3339()),
        waiting_minutes: waiting,
        waiting_long: waiting.is_some_and(|m| m >= status::LONG_WAIT_MINUTES),
        encounter_id: r.encounter_id,
        actions: AppointmentActions {
            next,
            can_check_in: can_write && open && b.day == now.with_timezone(&tz).date_naive(),
            can_move: can_write && open,
            can_change_room: can_write && !status::is_final(r.status),
            can_cancel: can_write && open,
            can_override: can_write && open && may.override_conflicts,
        },
        version: r.version,
    }
}

/// The calendar as the conflict checks need it, between two instants.
fn calendar_state(
    conn: &Connection,
    cal: &CalendarRow,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(WeekHours, Vec<Closed>, Vec<Busy>)> {
    let hours = WeekHours::parse_stored(&cal.fields.hours)?;
    let closed = store::closures_between(conn, from, to)?
        .into_iter()
        .filter(|k| k.fields.calendar_id.is_none_or(|c| c == cal.id))
        .map(|k| Closed {
            kind: k.fields.kind,
            label: k.fields.label,
            practice_wide: k.fields.calendar_id.is_none(),
            starts_at: k.fields.starts_at,
            ends_at: k.fields.ends_at,
        })
        .collect();
    let busy = store::busy_between(conn, store::Holder::Calendar(cal.id), from, to)?
        .into_iter()
        .map(|(id, starts_at, ends_at)| Busy {
            id,
            starts_at,
            ends_at,
        })
        .collect();
    Ok((hours, closed, busy))
}

/// A wanted place for one appointment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) local: NaiveDateTime,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
}

/// Checks the places against the calendar. Conflicts are refused unless
/// overridden with a reason by a user who may; then each place's
/// conflicts are returned, in words (empty for a place with none), for
/// the appointment and the audit record.
fn check_conflicts(
    ctx: &Ctx<'_>,
    cal: &CalendarRow,
    room: Option<&RoomRow>,
    slots: &[Slot],
    moving: &[AppointmentId],
    override_reason: &str,
) -> Result<Vec<Vec<String>>> {
    let dated = slots.len() > 1;
    let mut found = find_conflicts(ctx, cal, slots, moving, dated)?;
    if let Some(room) = room {
        let held = find_room_conflicts(ctx, room, slots, moving, dated)?;
        for (lines, more) in found.iter_mut().zip(held) {
            lines.extend(more);
        }
    }
    require_override(ctx, found, override_reason)
}

/// What each of `slots` would run into in `room`: the appointments of any
/// calendar holding it then (but those in `moving`), in words.
fn find_room_conflicts(
    ctx: &Ctx<'_>,
    room: &RoomRow,
    slots: &[Slot],
    moving: &[AppointmentId],
    dated: bool,
) -> Result<Vec<Vec<String>>> {
    let Some((from, to)) = window(slots) else {
        return Ok(Vec::new());
    };
    let held: Vec<Busy> = store::busy_between(ctx.read(), store::Holder::Room(room.id), from, to)?
        .into_iter()
        .filter(|(id, _, _)| !moving.contains(id))
        .map(|(id, starts_at, ends_at)| Busy {
            id,
            starts_at,
            ends_at,
        })
        .collect();
    let tz = ctx.zone();
    Ok(slots
        .iter()
        .map(|s| {
            let found = conflicts::room_conflicts(&room.fields.name, &held, s.start, s.end);
            in_words(tz, &found, &room.fields.name, s, dated)
        })
        .collect())
}

/// What each of `slots` on `cal` would run into (the appointments in
/// `moving` are the ones being moved, so not in the way), in words; with
/// `dated`, each line starts with its visit's time.
fn find_conflicts(
    ctx: &Ctx<'_>,
    cal: &CalendarRow,
    slots: &[Slot],
    moving: &[AppointmentId],
    dated: bool,
) -> Result<Vec<Vec<String>>> {
    let Some((from, to)) = window(slots) else {
        return Ok(Vec::new());
    };
    let (hours, closed, busy) = calendar_state(ctx.read(), cal, from, to)?;
    let busy: Vec<Busy> = busy
        .into_iter()
        .filter(|b| !moving.contains(&b.id))
        .collect();
    let view = Calendar {
        name: &cal.fields.name,
        hours: &hours,
        closed: &closed,
        busy: &busy,
    };
    let tz = ctx.zone();
    Ok(slots
        .iter()
        .map(|s| {
            let found = conflicts::conflicts(tz, &view, s.start, s.end, None);
            in_words(tz, &found, &cal.fields.name, s, dated)
        })
        .collect())
}

/// The span from the earliest start to the latest end of `slots` (a series
/// whose visits were moved one by one is not in time order); none when
/// there are no slots.
fn window(slots: &[Slot]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    Some((
        slots.iter().map(|s| s.start).min()?,
        slots.iter().map(|s| s.end).max()?,
    ))
}

/// A slot's conflicts in words (`whose`: the calendar or room they are
/// described for); with `dated`, each line starts with the visit's time.
fn in_words(
    tz: Tz,
    found: &[conflicts::Conflict],
    whose: &str,
    s: &Slot,
    dated: bool,
) -> Vec<String> {
    found
        .iter()
        .map(|c| {
            let words = c.describe(tz, whose);
            if dated {
                format!("{}: {words}", s.local.format("%a %b %-d, %Y %H:%M"))
            } else {
                words
            }
        })
        .collect()
}

/// Whether `slot` on `cal` is free: nothing booked over it, within the
/// hours, no closure.
pub(crate) fn is_free(ctx: &Ctx<'_>, cal: &CalendarRow, slot: &Slot) -> Result<bool> {
    Ok(
        find_conflicts(ctx, cal, std::slice::from_ref(slot), &[], false)?
            .iter()
            .all(Vec::is_empty),
    )
}

/// Lets conflicts through only with a reason, from someone who may
/// override; `found` is per visit, and is what comes back.
fn require_override(
    ctx: &Ctx<'_>,
    found: Vec<Vec<String>>,
    override_reason: &str,
) -> Result<Vec<Vec<String>>> {
    if found.iter().all(Vec::is_empty) {
        return Ok(found);
    }
    if override_reason.trim().is_empty() {
        return Err(Error::Validation(
            found
                .iter()
                .flatten()
                .map(|m| chartroom_core::FieldError {
                    field: "conflicts".into(),
                    message: capitalise(m),
                })
                .collect(),
        ));
    }
    if !ctx.actor().may(Permission::ScheduleOverride) {
        return Err(Error::PermissionDenied(
            "booking over a conflict needs a clinician or the practice manager".into(),
        ));
    }
    Ok(found)
}

/// A typed clinic time for an appointment's start: on the five minutes,
/// within the years the schedule keeps.
fn on_grid(errs: &mut FieldErrors, field: &str, t: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    let t = t?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&t.year()) {
        errs.add(
            field,
            format!("Choose a date between {MIN_YEAR} and {MAX_YEAR}"),
        );
        return None;
    }
    if t.minute() % 5 != 0 || t.second() != 0 {
        errs.add(
            field,
            "Appointments start on the five minutes (09:00, 09:05...)",
        );
        return None;
    }
    Some(t)
}

/// A typed day the schedule is read for, within the years it keeps.
pub(crate) fn in_years(
    errs: &mut FieldErrors,
    field: &str,
    d: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let d = d?;
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Some(d)
    } else {
        errs.add(
            field,
            format!("Choose a date between {MIN_YEAR} and {MAX_YEAR}"),
        );
        None
    }
}

/// The audit record of a change to an appointment (moved, cancelled, a
/// status, check-in), in its transaction.
fn audit_change(
    tx: &chartroom_store::Tx<'_>,
    now: DateTime<Utc>,
    actor: &chartroom_core::Actor,
    patient_id: PatientId,
    id: AppointmentId,
    detail: impl Into<String>,
) -> Result<()> {
    audit::append(
        tx,
        now,
        &actor.event(
            AuditAction::Update,
            DataCategory::Schedule,
            Some(patient_id),
            format!("appointment/{id}"),
            detail,
        ),
    )?;
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn minutes_of(errs: &mut FieldErrors, t: &TypeRow, minutes: Option<u32>) -> i64 {
    match minutes {
        None => t.fields.minutes,
        Some(m) if (5..=480).contains(&m) && m.is_multiple_of(5) => i64::from(m),
        Some(_) => {
            errs.add(
                "minutes",
                "A visit lasts 5 to 480 minutes, in steps of five",
            );
            t.fields.minutes
        }
    }
}

fn active_calendar(
    conn: &Connection,
    errs: &mut FieldErrors,
    id: CalendarId,
) -> Result<Option<CalendarRow>> {
    match store::calendar(conn, id) {
        Ok(c) if c.fields.active => Ok(Some(c)),
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("calendar_id", "Choose an active calendar");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The room asked for, which must be in use (none asked for: none).
fn room_in_use(
    conn: &Connection,
    errs: &mut FieldErrors,
    id: Option<RoomId>,
) -> Result<Option<RoomRow>> {
    let Some(id) = id else { return Ok(None) };
    match store::room(conn, id) {
        Ok(r) if r.fields.active => Ok(Some(r)),
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("room_id", "Choose a room in use, or no room");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

fn offered_type(
    conn: &Connection,
    errs: &mut FieldErrors,
    id: AppointmentTypeId,
    cal: Option<&CalendarRow>,
) -> Result<Option<TypeRow>> {
    match store::appointment_type(conn, id) {
        Ok(t) if t.fields.active => {
            if let Some(c) = cal {
                if !setup::offered_on(&t, c.id) {
                    errs.add(
                        "type_id",
                        format!(
                            "{} is not offered on {}'s calendar",
                            t.fields.name, c.fields.name
                        ),
                    );
                }
            }
            Ok(Some(t))
        }
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("type_id", "Choose an active appointment type");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

fn horizon(ctx: &Ctx<'_>) -> Result<NaiveDate> {
    let months = settings::get(ctx.read(), HORIZON_KEY)?
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|m| (1..=36).contains(m))
        .unwrap_or(DEFAULT_HORIZON_MONTHS);
    Ok(ctx
        .today()
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX))
}

fn series_of(errs: &mut FieldErrors, first: NaiveDateTime, r: &RepeatForm) -> Option<Series> {
    let every = r.every;
    let repeat = match r.unit {
        RepeatUnit::Weeks => Repeat::Weekly { every },
        RepeatUnit::MonthsByDate => Repeat::MonthlyByDate { every },
        RepeatUnit::MonthsByWeekday => Repeat::MonthlyByWeekday { every, last: false },
        RepeatUnit::MonthsLastWeekday => Repeat::MonthlyByWeekday { every, last: true },
    };
    let until = r.until.trim();
    let ends = match (r.count, until.is_empty()) {
        (Some(n), true) => Ends::After(n),
        (None, false) => {
            let d = validate::typed_date(errs, "repeat.until", "The end date", until, true);
            Ends::On(in_years(errs, "repeat.until", d)?)
        }
        (None, true) => Ends::Never,
        (Some(_), false) => {
            errs.add(
                "repeat.until",
                "End the series after a number of visits or on a date, not both",
            );
            return None;
        }
    };
    Some(Series {
        first,
        repeat,
        ends,
    })
}

/// The rule in the series row: RFC 5545 words.
fn rule_text(s: &Series) -> String {
    let (freq, every, by) = match s.repeat {
        Repeat::Weekly { every } => ("WEEKLY", every, String::new()),
        Repeat::MonthlyByDate { every } => ("MONTHLY", every, String::new()),
        Repeat::MonthlyByWeekday { every, last } => (
            "MONTHLY",
            every,
            if last {
                ";BYSETPOS=-1".into()
            } else {
                ";BYWEEKDAY-OF-MONTH".into()
            },
        ),
    };
    let end = match s.ends {
        Ends::After(n) => format!(";COUNT={n}"),
        Ends::On(d) => format!(";UNTIL={}", d.format("%Y%m%d")),
        Ends::Never => String::new(),
    };
    format!("FREQ={freq};INTERVAL={every}{by}{end}")
}

/// Books one appointment or a series.
#[allow(clippy::too_many_arguments)]
pub fn book(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    calendar_id: CalendarId,
    type_id: AppointmentTypeId,
    room_id: Option<RoomId>,
    start: &str,
    minutes: Option<u32>,
    reason: &str,
    repeat: Option<&RepeatForm>,
    override_reason: &str,
    fills: Option<&Fills>,
) -> Result<Booked> {
    let tz = ctx.zone();
    let conn = ctx.read();
    let mut errs = FieldErrors::default();
    chartroom_store::patients::get(conn, patient_id)?;
    if let Some(f) = fills {
        waitlist::check_fills(conn, f, patient_id, type_id)?;
    }
    let cal = active_calendar(conn, &mut errs, calendar_id)?;
    let ty = offered_type(conn, &mut errs, type_id, cal.as_ref())?;
    let room = room_in_use(conn, &mut errs, room_id)?;
    let reason = validate::short_text(&mut errs, "reason", "Reason", reason, 200);
    let override_reason =
        validate::short_text(&mut errs, "override_reason", "Reason", override_reason, 200);
    let typed = parse_local(&mut errs, "start", start);
    let first = on_grid(&mut errs, "start", typed);
    let length = ty.as_ref().map_or(0, |t| minutes_of(&mut errs, t, minutes));
    if let Some(f) = first {
        if f.date() < ctx.today() {
            errs.add("start", "That day has passed");
        }
    }
    let series = match (first, repeat) {
        (Some(f), Some(r)) => series_of(&mut errs, f, r),
        _ => None,
    };
    errs.finish()?;
    let (Some(cal), Some(_), Some(first)) = (cal, ty, first) else {
        return Err(Error::Internal("checked above".into()));
    };
    let horizon = horizon(ctx)?;
    let places: Vec<(NaiveDateTime, DateTime<Utc>)> = match &series {
        Some(s) => recurrence::occurrences(s, tz, horizon)?
            .into_iter()
            .map(|o| (o.local, o.at))
            .collect(),
        None => vec![(first, recurrence::resolve(tz, first).0)],
    };
    let slots: Vec<Slot> = places
        .iter()
        .map(|(local, at)| Slot {
            local: *local,
            start: *at,
            end: *at + Duration::minutes(length),
        })
        .collect();
    let overridden = check_conflicts(ctx, &cal, room.as_ref(), &slots, &[], &override_reason)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let (series_id, ids) = ctx.write(|tx, now| {
        let series_id = match &series {
            Some(s) => Some(store::insert_series(
                tx,
                &SeriesFields {
                    patient_id,
                    rule: rule_text(s),
                    first_local: first.format("%Y-%m-%dT%H:%M").to_string(),
                    time_zone: tz.name().into(),
                },
                now,
                user,
            )?),
            None => None,
        };
        let mut ids = Vec::with_capacity(slots.len());
        for (i, s) in slots.iter().enumerate() {
            ids.push(store::insert_appointment(
                tx,
                &Booking {
                    patient_id,
                    calendar_id,
                    type_id,
                    room_id,
                    series: series_id.map(|id| (id, i as i64)),
                    starts_at: s.start,
                    ends_at: s.end,
                    day: s.start.with_timezone(&tz).date_naive(),
                    reason: reason.clone(),
                    override_reason: if overridden.get(i).is_none_or(Vec::is_empty) {
                        String::new()
                    } else {
                        override_reason.clone()
                    },
                },
                now,
                user,
            )?);
        }
        let what = match series_id {
            Some(sid) => format!("series/{sid}"),
            None => format!("appointment/{}", ids[0]),
        };
        let mut detail = format!(
            "booked {} appointment{} on {}'s calendar",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            cal.fields.name
        );
        if let Some(r) = &room {
            detail.push_str(&format!(" in {}", r.fields.name));
        }
        let over: Vec<&str> = overridden.iter().flatten().map(String::as_str).collect();
        if !over.is_empty() {
            detail.push_str(&format!(
                "; over conflicts ({}), reason: {override_reason}",
                over.join("; ")
            ));
        }
        if let Some(f) = fills {
            detail.push_str(&waitlist::close_filled(tx, f, ids[0], now, user)?);
        }
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Create,
                DataCategory::Schedule,
                Some(patient_id),
                what,
                detail,
            ),
        )?;
        Ok((series_id, ids))
    })?;
    let names = Names::read(ctx.read())?;
    let now = ctx.now();
    let appointments = ids
        .into_iter()
        .map(|id| {
            Ok(view(
                tz,
                now,
                &names,
                store::appointment(ctx.read(), id)?,
                Rights::of(ctx.actor()),
            ))
        })
        .collect::<Result<_>>()?;
    Ok(Booked {
        series_id,
        appointments,
    })
}

/// The appointments a change of `scope` applies to: this one, or its
/// series' open ones (from this one on, or all).
fn in_scope(
    conn: &Connection,
    row: &AppointmentRow,
    scope: SeriesScope,
    now: DateTime<Utc>,
) -> Result<Vec<AppointmentRow>> {
    // The others of the series that are still to come and still open: a
    // visit whose time has passed keeps its place in the history (it is a
    // no-show question, not a cancellation or a move).
    let others =
        |from: i64| -> Result<Vec<AppointmentRow>> {
            Ok(store::series_appointments(
                conn,
                row.booking.series.map_or(SeriesId(0), |s| s.0),
                from,
            )?
            .into_iter()
            .filter(|r| r.id == row.id || (status::is_open(r.status) && r.booking.starts_at >= now))
            .collect())
        };
    match (scope, row.booking.series) {
        (SeriesScope::This, _) | (_, None) => Ok(vec![row.clone()]),
        (SeriesScope::Following, Some((_, index))) => others(index),
        (SeriesScope::Series, Some(_)) => others(0),
    }
}

fn must_be_open(row: &AppointmentRow, what: &str) -> Result<()> {
    if status::is_open(row.status) {
        Ok(())
    } else {
        Err(Error::field(
            "status",
            format!(
                "An appointment that is {} cannot be {what}",
                row.status.label().to_lowercase()
            ),
        ))
    }
}

fn stale_unless(row: &AppointmentRow, expected_version: i64) -> Result<()> {
    if row.version == expected_version {
        Ok(())
    } else {
        Err(chartroom_store::StoreError::Conflict {
            what: "appointment",
            expected: expected_version,
            found: row.version,
        }
        .into())
    }
}

/// Moves an appointment (or its following ones, or its series) to a new
/// time, calendar or length; each moved appointment keeps its place in the
/// clinic's wall-clock shift.
#[allow(clippy::too_many_arguments)]
pub fn move_to(
    ctx: &mut Ctx<'_>,
    id: AppointmentId,
    expected_version: i64,
    start: &str,
    calendar_id: Option<CalendarId>,
    minutes: Option<u32>,
    scope: SeriesScope,
    override_reason: &str,
) -> Result<Vec<AppointmentView>> {
    let tz = ctx.zone();
    let conn = ctx.read();
    let row = store::appointment(conn, id)?;
    stale_unless(&row, expected_version)?;
    must_be_open(&row, "moved")?;
    let mut errs = FieldErrors::default();
    let typed = parse_local(&mut errs, "start", start);
    let new_local = on_grid(&mut errs, "start", typed);
    let cal = active_calendar(
        conn,
        &mut errs,
        calendar_id.unwrap_or(row.booking.calendar_id),
    )?;
    // Its own type, even one the practice has retired since it was
    // booked; on another calendar, one offered there.
    let ty = if calendar_id.is_some_and(|c| c != row.booking.calendar_id) {
        offered_type(conn, &mut errs, row.booking.type_id, cal.as_ref())?
    } else {
        Some(store::appointment_type(conn, row.booking.type_id)?)
    };
    let override_reason =
        validate::short_text(&mut errs, "override_reason", "Reason", override_reason, 200);
    if let Some(n) = new_local {
        if n.date() < ctx.today() {
            errs.add("start", "That day has passed");
        }
    }
    let length = ty.as_ref().map(|t| minutes_of(&mut errs, t, minutes));
    errs.finish()?;
    let (Some(cal), Some(new_local)) = (cal, new_local) else {
        return Err(Error::Internal("checked above".into()));
    };
    let shift = new_local - row.booking.starts_at.with_timezone(&tz).naive_local();
    let rows = in_scope(conn, &row, scope, ctx.now())?;
    // Where each visit goes: the calendar asked for, or (none asked for)
    // each stays on its own, which for the following visits of a series
    // need not be this one's.
    let mut calendars = vec![cal];
    if calendar_id.is_none() {
        let mut errs = FieldErrors::default();
        for r in &rows {
            if calendars.iter().all(|c| c.id != r.booking.calendar_id) {
                let other = store::calendar(conn, r.booking.calendar_id)?;
                if !other.fields.active {
                    errs.add(
                        "calendar_id",
                        format!(
                            "A visit of this series is on {}'s calendar, which is no longer in use: choose a calendar",
                            other.fields.name
                        ),
                    );
                }
                calendars.push(other);
            }
        }
        errs.finish()?;
    }
    let target = |r: &AppointmentRow| -> CalendarId {
        if calendar_id.is_some() {
            calendars[0].id
        } else {
            r.booking.calendar_id
        }
    };
    let moves: Vec<(AppointmentRow, Slot)> = rows
        .into_iter()
        .map(|r| {
            let local = r.booking.starts_at.with_timezone(&tz).naive_local() + shift;
            let start = recurrence::resolve(tz, local).0;
            let len = match (minutes, length) {
                (Some(_), Some(l)) => Duration::minutes(l),
                _ => r.booking.ends_at - r.booking.starts_at,
            };
            (
                r,
                Slot {
                    local,
                    start,
                    end: start + len,
                },
            )
        })
        .collect();
    let moving: Vec<AppointmentId> = moves.iter().map(|(r, _)| r.id).collect();
    let mut found = vec![Vec::new(); moves.len()];
    for c in &calendars {
        let here: Vec<usize> = (0..moves.len())
            .filter(|&i| target(&moves[i].0) == c.id)
            .collect();
        let slots: Vec<Slot> = here.iter().map(|&i| moves[i].1).collect();
        let lines = find_conflicts(ctx, c, &slots, &moving, moves.len() > 1)?;
        for (i, l) in here.into_iter().zip(lines) {
            found[i] = l;
        }
    }
    // Each visit keeps its room: the room must be free at the new time.
    let mut rooms: Vec<RoomId> = moves
        .iter()
        .filter_map(|(r, _)| r.booking.room_id)
        .collect();
    rooms.sort();
    rooms.dedup();
    for room_id in rooms {
        let room = store::room(conn, room_id)?;
        let here: Vec<usize> = (0..moves.len())
            .filter(|&i| moves[i].0.booking.room_id == Some(room_id))
            .collect();
        let slots: Vec<Slot> = here.iter().map(|&i| moves[i].1).collect();
        let lines = find_room_conflicts(ctx, &room, &slots, &moving, moves.len() > 1)?;
        for (i, l) in here.into_iter().zip(lines) {
            found[i].extend(l);
        }
    }
    let overridden = require_override(ctx, found, &override_reason)?;
    let names = Names::read(ctx.read())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let patient_id = row.booking.patient_id;
    ctx.write(|tx, now| {
        for (i, (r, s)) in moves.iter().enumerate() {
            let from = format!(
                "from {} on {}'s calendar",
                r.booking
                    .starts_at
                    .with_timezone(&tz)
                    .format("%a %b %-d, %Y %H:%M"),
                names
                    .calendars
                    .get(&r.booking.calendar_id)
                    .map_or("", |c| c.fields.name.as_str())
            );
            store::move_appointment(
                tx,
                r.id,
                r.version,
                &Booking {
                    calendar_id: target(r),
                    starts_at: s.start,
                    ends_at: s.end,
                    day: s.start.with_timezone(&tz).date_naive(),
                    override_reason: if overridden.get(i).is_none_or(Vec::is_empty) {
                        String::new()
                    } else {
                        override_reason.clone()
                    },
                    ..r.booking.clone()
                },
                &from,
                now,
                user,
            )?;
        }
        let mut detail = format!("moved {} appointment(s)", moves.len());
        let over: Vec<&str> = overridden.iter().flatten().map(String::as_str).collect();
        if !over.is_empty() {
            detail.push_str(&format!(
                "; over conflicts ({}), reason: {override_reason}",
                over.join("; ")
            ));
        }
        audit_change(tx, now, actor, patient_id, id, detail)?;
        Ok(())
    })?;
    let now = ctx.now();
    moving
        .into_iter()
        .map(|i| {
            Ok(view(
                tz,
                now,
                &names,
                store::appointment(ctx.read(), i)?,
                Rights::of(ctx.actor()),
            ))
        })
        .collect()
}

/// Cancels an appointment (or its following ones, or its series) with a
/// reason; each is late when within a day of its start. Nothing is
/// removed: the appointments stay, cancelled, with their history.
pub fn cancel(
    ctx: &mut Ctx<'_>,
    id: AppointmentId,
    expected_version: i64,
    reason: &str,
    scope: SeriesScope,
) -> Result<Vec<AppointmentView>> {
    let tz = ctx.zone();
    let row = store::appointment(ctx.read(), id)?;
    stale_unless(&row, expected_version)?;
    must_be_open(&row, "cancelled")?;
    let mut errs = FieldErrors::default();
    let reason = validate::short_text(&mut errs, "reason", "Reason", reason, 200);
    if reason.is_empty() {
        errs.add(
            "reason",
            "Say why the appointment is cancelled (patient called, provider away)",
        );
    }
    errs.finish()?;
    let rows = in_scope(ctx.read(), &row, scope, ctx.now())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        for r in &rows {
            store::set_status(
                tx,
                r.id,
                r.version,
                S::Cancelled,
                &StatusChange {
                    cancel_reason: reason.clone(),
                    late_cancel: status::late(r.booking.starts_at, now),
                    ..Default::default()
                },
                now,
                user,
            )?;
        }
        audit_change(
            tx,
            now,
            actor,
            row.booking.patient_id,
            id,
            format!("cancelled {} appointment(s): {reason}", rows.len()),
        )?;
        Ok(())
    })?;
    let names = Names::read(ctx.read())?;
    let now = ctx.now();
    rows.into_iter()
        .map(|r| {
            Ok(view(
                tz,
                now,
                &names,
                store::appointment(ctx.read(), r.id)?,
                Rights::of(ctx.actor()),
            ))
        })
        .collect()
}

/// A plain status change (confirmed, in room, with provider, checked out,
/// no-show).
pub fn set_status(
    ctx: &mut Ctx<'_>,
    id: AppointmentId,
    expected_version: i64,
    to: S,
) -> Result<AppointmentView> {
    let tz = ctx.zone();
    let row = store::appointment(ctx.read(), id)?;
    stale_unless(&row, expected_version)?;
    match to {
        S::Arrived => {
            return Err(Error::field(
                "status",
                "Check the patient in to mark an arrival",
            ))
        }
        S::Cancelled => {
            return Err(Error::field(
                "status",
                "Cancel the appointment, with its reason",
            ))
        }
        _ => {}
    }
    status::check(row.status, to, row.booking.starts_at, ctx.now())?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        store::set_status(
            tx,
            id,
            expected_version,
            to,
            &StatusChange::default(),
            now,
            user,
        )?;
        audit_change(
            tx,
            now,
            actor,
            row.booking.patient_id,
            id,
            format!("status: {}", to.label().to_lowercase()),
        )?;
        Ok(())
    })?;
    let names = Names::read(ctx.read())?;
    Ok(view(
        tz,
        ctx.now(),
        &names,
        store::appointment(ctx.read(), id)?,
        Rights::of(ctx.actor()),
    ))
}

/// Gives an appointment a room, another room, or none. Allowed until it
/// is over (a patient already waiting may be put in another room); the
/// room must be free for the appointment's time unless booked over that
/// conflict with a reason by someone who may.
pub fn set_room(
    ctx: &mut Ctx<'_>,
    id: AppointmentId,
    expected_version: i64,
    room_id: Option<RoomId>,
    override_reason: &str,
) -> Result<AppointmentView> {
    let tz = ctx.zone();
    let conn = ctx.read();
    let row = store::appointment(conn, id)?;
    stale_unless(&row, expected_version)?;
    if status::is_final(row.status) {
        return Err(Error::field(
            "status",
            format!(
                "An appointment that is {} keeps its room",
                row.status.label().to_lowercase()
            ),
        ));
    }
    let mut errs = FieldErrors::default();
    let room = room_in_use(conn, &mut errs, room_id)?;
    let override_reason =
        validate::short_text(&mut errs, "override_reason", "Reason", override_reason, 200);
    if row.booking.room_id == room_id {
        errs.add("room_id", "The appointment already holds that room");
    }
    errs.finish()?;
    let b = &row.booking;
    let slot = Slot {
        local: b.starts_at.with_timezone(&tz).naive_local(),
        start: b.starts_at,
        end: b.ends_at,
    };
    let found = match &room {
        Some(r) => find_room_conflicts(ctx, r, &[slot], &[id], false)?,
        None => vec![Vec::new()],
    };
    let overridden = require_override(ctx, found, &override_reason)?;
    let names = Names::read(conn)?;
    let room_name = |r: Option<RoomId>| {
        r.and_then(|r| names.rooms.get(&r))
            .map_or_else(|| "no room".to_string(), |r| r.fields.name.clone())
    };
    let change = format!(
        "room changed from {} to {}",
        room_name(b.room_id),
        room_name(room_id)
    );
    let over: Vec<String> = overridden.into_iter().flatten().collect();
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        store::move_appointment(
            tx,
            id,
            row.version,
            &Booking {
                room_id,
                override_reason: if over.is_empty() {
                    b.override_reason.clone()
                } else {
                    override_reason.clone()
                },
                ..b.clone()
            },
            &change,
            now,
            user,
        )?;
        let mut detail = change.clone();
        if !over.is_empty() {
            detail.push_str(&format!(
                "; over conflicts ({}), reason: {override_reason}",
                over.join("; ")
            ));
        }
        audit_change(tx, now, actor, b.patient_id, id, detail)
    })?;
    let names = Names::read(ctx.read())?;
    Ok(view(
        tz,
        ctx.now(),
        &names,
        store::appointment(ctx.read(), id)?,
        Rights::of(ctx.actor()),
    ))
}

/// Checks a patient in: the front desk has confirmed their details; the
/// visit opens in the chart, waiting for the clinician.
pub fn check_in(
    ctx: &mut Ctx<'_>,
    id: AppointmentId,
    expected_version: i64,
    demographics_confirmed: bool,
) -> Result<AppointmentView> {
    let tz = ctx.zone();
    let row = store::appointment(ctx.read(), id)?;
    stale_unless(&row, expected_version)?;
    must_be_open(&row, "checked in")?;
    let today = ctx.today();
    let mut errs = FieldErrors::default();
    if !demographics_confirmed {
        errs.add(
            "demographics_confirmed",
            "Confirm the patient's address, phone and insurance with them first",
        );
    }
    if row.booking.day != today {
        errs.add(
            "status",
            format!(
                "This appointment is on {}; only today's are checked in",
                row.booking.day.format("%a %b %-d, %Y")
            ),
        );
    }
    errs.finish()?;
    let names = Names::read(ctx.read())?;
    let cal = names
        .calendars
        .get(&row.booking.calendar_id)
        .ok_or_else(|| Error::Internal("appointment without its calendar".into()))?;
    let ty = names
        .types
        .get(&row.booking.type_id)
        .ok_or_else(|| Error::Internal("appointment without its type".into()))?;
    let visit_reason = if row.booking.reason.is_empty() {
        ty.fields.name.clone()
    } else {
        format!("{}: {}", ty.fields.name, row.booking.reason)
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let patient_id = row.booking.patient_id;
    ctx.write(|tx, now| {
        let kind =
            chartroom_types::EncounterKind::parse(&ty.fields.visit_kind).ok_or_else(|| {
                Error::Internal(format!("stored visit kind {}", ty.fields.visit_kind))
            })?;
        let encounter = chartroom_chart::notes::open_for_arrival(
            tx,
            patient_id,
            today,
            cal.fields.chart_user_id,
            kind,
            &visit_reason,
            now,
            user,
        )?;
        store::set_status(
            tx,
            id,
            expected_version,
            S::Arrived,
            &StatusChange {
                arrived: Some((now, encounter)),
                detail: "demographics confirmed".into(),
                ..Default::default()
            },
            now,
            user,
        )?;
        audit_change(
            tx,
            now,
            actor,
            patient_id,
            id,
            format!(
                "checked in; visit {encounter} opened for {}",
                cal.chart_user_name
            ),
        )?;
        Ok(())
    })?;
    Ok(view(
        tz,
        ctx.now(),
        &names,
        store::appointment(ctx.read(), id)?,
        Rights::of(ctx.actor()),
    ))
}

/// The ids of the patients a read showed, for its audit record (one
/// record a read, naming each patient: a day's view refreshed all day
/// would otherwise write hundreds of records a minute).
/// The first phone number to call a patient on (mobile, home, work), as
/// printed; empty when none is recorded.
pub(crate) fn phone_to_call(conn: &Connection, patient_id: PatientId) -> Result<String> {
    let p = chartroom_store::patients::get(conn, patient_id)?;
    let f = &p.fields;
    let phone = [&f.phone_mobile, &f.phone_home, &f.phone_work]
        .into_iter()
        .find(|x| !x.is_empty())
        .map(|x| validate::phone_display(x))
        .unwrap_or_default();
    Ok(phone)
}

pub(crate) fn patients_shown(ids: impl Iterator<Item = PatientId>) -> String {
    let mut ids: Vec<i64> = ids.map(PatientId::get).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Days of the schedule: `days` from `from` (at most a week), of the
/// given calendars (all active ones when empty).
pub fn schedule(
    ctx: &mut Ctx<'_>,
    from: &str,
    days: u32,
    calendar_ids: &[CalendarId],
) -> Result<ScheduleView> {
    let tz = ctx.zone();
    let mut errs = FieldErrors::default();
    let first = if from.trim().is_empty() {
        Some(ctx.today())
    } else {
        let typed = validate::typed_date(&mut errs, "from", "The first day", from, true);
        in_years(&mut errs, "from", typed)
    };
    if !(1..=MAX_DAYS).contains(&days) {
        errs.add("days", format!("Show 1 to {MAX_DAYS} days"));
    }
    errs.finish()?;
    let first = first.ok_or_else(|| Error::Internal("checked above".into()))?;
    let last = first + Duration::days(i64::from(days) - 1);
    let conn = ctx.read();
    let names = Names::read(conn)?;
    let mut calendars: Vec<&CalendarRow> = store::calendars(conn)?
        .iter()
        .filter_map(|c| names.calendars.get(&c.id))
        .filter(|c| {
            if calendar_ids.is_empty() {
                c.fields.active
            } else {
                calendar_ids.contains(&c.id)
            }
        })
        .collect();
    calendars.sort_by_key(|c| (c.fields.user_id.is_none(), c.fields.name.to_lowercase()));
    let shown: Vec<CalendarId> = calendars.iter().map(|c| c.id).collect();
    let mut hours = Vec::new();
    for c in &calendars {
        let week = WeekHours::parse_stored(&c.fields.hours)?;
        for d in first.iter_days().take(days as usize) {
            for b in week.on(chrono::Datelike::weekday(&d)) {
                hours.push(WorkingBlock {
                    calendar_id: c.id,
                    start_local: d.and_time(b.start).format("%Y-%m-%dT%H:%M").to_string(),
                    end_local: d.and_time(b.end).format("%Y-%m-%dT%H:%M").to_string(),
                });
            }
        }
    }
    let closures = setup::closures(ctx, first, last)?
        .into_iter()
        .filter(|k| k.calendar_id.is_none_or(|c| shown.contains(&c)))
        .collect();
    let may = Rights::of(ctx.actor());
    let rows: Vec<AppointmentRow> = store::appointments_on_days(ctx.read(), first, last)?
        .into_iter()
        .filter(|r| shown.contains(&r.booking.calendar_id))
        .collect();
    let count = rows.len();
    let who = patients_shown(rows.iter().map(|r| r.booking.patient_id));
    let now = ctx.now();
    let appointments = rows
        .into_iter()
        .map(|r| view(tz, now, &names, r, may))
        .collect();
    let calendar_views = calendars
        .into_iter()
        .map(|c| setup::calendar_view(c.clone()))
        .collect::<Result<_>>()?;
    ctx.audit(ctx.actor().event(
        AuditAction::Read,
        DataCategory::Schedule,
        None,
        "schedule",
        format!("schedule {first} to {last}: {count} appointment(s) shown; patients {who}"),
    ))?;
    Ok(ScheduleView {
        zone: tz.name().into(),
        days: first
            .iter_days()
            .take(days as usize)
            .map(|d| d.to_string())
            .collect(),
        today: ctx.today().to_string(),
        calendars: calendar_views,
        hours,
        closures,
        appointments,
        can_book: may.write,
        can_override: ctx.actor().may(Permission::ScheduleOverride),
    })
}

/// The first time from `after` (or now) within [`SLOT_SEARCH_DAYS`] days
/// where an appointment of the type fits the calendar.
pub fn next_slot(
    ctx: &Ctx<'_>,
    calendar_id: CalendarId,
    type_id: AppointmentTypeId,
    after: &str,
) -> Result<Option<FreeSlot>> {
    let tz = ctx.zone();
    let conn = ctx.read();
    let mut errs = FieldErrors::default();
    let cal = active_calendar(conn, &mut errs, calendar_id)?;
    let ty = offered_type(conn, &mut errs, type_id, cal.as_ref())?;
    let after = if after.trim().is_empty() {
        None
    } else {
        parse_local(&mut errs, "after", after)
    };
    errs.finish()?;
    let (Some(cal), Some(ty)) = (cal, ty) else {
        return Err(Error::Internal("checked above".into()));
    };
    let now = ctx.now();
    let from = after.map_or(now, |a| recurrence::resolve(tz, a).0.max(now));
    let to = from + Duration::days(i64::from(SLOT_SEARCH_DAYS) + 1);
    let (hours, closed, busy) = calendar_state(conn, &cal, from, to)?;
    let view = Calendar {
        name: &cal.fields.name,
        hours: &hours,
        closed: &closed,
        busy: &busy,
    };
    Ok(
        conflicts::next_free(tz, &view, ty.fields.minutes, from, SLOT_SEARCH_DAYS).map(|t| {
            FreeSlot {
                calendar_id,
                start_local: local_text(tz, t),
                starts_at: t.to_rfc3339(),
                minutes: u32::try_from(ty.fields.minutes).unwrap_or(0),
            }
        }),
    )
}

/// Today's flow board.
pub fn flow_board(ctx: &mut Ctx<'_>) -> Result<FlowBoard> {
    let tz = ctx.zone();
    let today = ctx.today();
    let now = ctx.now();
    let names = Names::read(ctx.read())?;
    let may = Rights::of(ctx.actor());
    let rows: Vec<AppointmentView> = store::appointments_on_days(ctx.read(), today, today)?
        .into_iter()
        .filter(|r| r.status != S::Cancelled)
        .map(|r| view(tz, now, &names, r, may))
        .collect();
    let waiting = rows.iter().filter(|r| r.waiting_minutes.is_some()).count();
    ctx.audit(ctx.actor().event(
        AuditAction::Read,
        DataCategory::Schedule,
        None,
        "flow_board",
        format!(
            "flow board {today}: {} appointment(s) shown; patients {}",
            rows.len(),
            patients_shown(rows.iter().map(|r| r.patient_id))
        ),
    ))?;
    Ok(FlowBoard {
        today: today.to_string(),
        at: now.to_rfc3339(),
        rows,
        waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
    })
}

/// A patient's appointments: upcoming, past, and how many were missed.
pub fn of_patient(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<PatientAppointments> {
    let tz = ctx.zone();
    let today = ctx.today();
    let may = Rights::of(ctx.actor());
    let names = Names::read(ctx.read())?;
    let actor = ctx.actor();
    let rows = ctx.write(|tx, now| {
        let rows = store::appointments_of_patient(tx, patient_id)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Schedule,
                Some(patient_id),
                "appointments",
                format!("{} appointment(s) listed", rows.len()),
            ),
        )?;
        Ok(rows)
    })?;
    let no_shows = rows.iter().filter(|r| r.status == S::NoShow).count();
    let (mut upcoming, past): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|r| status::is_open(r.status) && r.booking.day >= today);
    upcoming.reverse();
    let now = ctx.now();
    Ok(PatientAppointments {
        upcoming: upcoming
            .into_iter()
            .map(|r| view(tz, now, &names, r, may))
            .collect(),
        past: past
            .into_iter()
            .map(|r| view(tz, now, &names, r, may))
            .collect(),
        no_shows: u32::try_from(no_shows).unwrap_or(u32::MAX),
        can_book: may.write,
    })
}

/// An appointment's history, oldest first (the read is audited).
pub fn history(ctx: &mut Ctx<'_>, id: AppointmentId) -> Result<Vec<AppointmentEvent>> {
    let patient_id = store::patient_of(ctx.read(), id)?;
    let actor = ctx.actor();
    let events = ctx.write(|tx, now| {
        let events = store::events(tx, id)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Schedule,
                Some(patient_id),
                format!("appointment/{id}"),
                "appointment history read",
            ),
        )?;
        Ok(events)
    })?;
    Ok(events
        .into_iter()
        .map(|e| AppointmentEvent {
            what: S::parse(&e.what).map_or_else(|| "Moved".to_string(), |s| s.label().to_string()),
            at: e.at.to_rfc3339(),
            by: e.by_name,
            detail: e.detail,
        })
        .collect())
}
