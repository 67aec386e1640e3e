//! Scheduling's tables: calendars (`calendar`), appointment types, rooms,
//! closures (vacation, holidays, meetings), recurring series, appointments
//! and each appointment's status history (`appointment_event`). Nothing is
//! deleted (triggers refuse it): calendars and types are made inactive,
//! closures withdrawn, appointments cancelled. Edits keep the state they
//! replace through [`crate::corrections`] and are refused on a stale
//! version. The rules (hours, conflicts, status flow) live in the
//! scheduling crate; this module stores what it decided.

use chartroom_types::{
    AppointmentId, AppointmentStatus, AppointmentTypeId, CalendarId, ClosureId, ClosureKind,
    EncounterId, ListEntryStatus, PatientId, RecallId, RoomId, SeriesId, TimeOfDay, UserId,
    WaitlistEntryId,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::corrections::{self, Fields, Table};
use crate::patients::decode;
use crate::{Result, StoreError};

/// Calendars keep their replaced states.
pub const CALENDAR: Table = Table::new("calendar", "calendar", Some("version"));
/// Appointment types keep their replaced states.
pub const APPOINTMENT_TYPE: Table =
    Table::new("appointment_type", "appointment type", Some("version"));
/// Closures keep their replaced states.
pub const CLOSURE: Table = Table::new("closure", "closure", Some("version"));
/// Rooms keep their replaced states.
pub const ROOM: Table = Table::new("room", "room", Some("version"));
/// Appointments keep their replaced times, calendars and types.
pub const APPOINTMENT: Table = Table::new("appointment", "appointment", Some("version"));

fn user_name(col: &str) -> String {
    format!("(SELECT full_name FROM user_account u WHERE u.id = {col})")
}

// ---------------------------------------------------------------- calendars

/// What the practice keeps about a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFields {
    pub name: String,
    /// The clinician whose own calendar it is; none for a line without a
    /// login (a nurse visit).
    pub user_id: Option<UserId>,
    /// The clinician under whom check-in opens the visit.
    pub chart_user_id: UserId,
    /// `#rrggbb`, lower case.
    pub colour: String,
    /// The working week in its canonical text (the scheduling crate's
    /// `WeekHours`).
    pub hours: String,
    pub active: bool,
}

/// A calendar as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarRow {
    pub id: CalendarId,
    pub fields: CalendarFields,
    pub chart_user_name: String,
    pub version: i64,
}

fn calendar_from_row(r: &Row<'_>) -> rusqlite::Result<CalendarRow> {
    Ok(CalendarRow {
        id: r.get(0)?,
        fields: CalendarFields {
            name: r.get(1)?,
            user_id: r.get(2)?,
            chart_user_id: r.get(3)?,
            colour: r.get(4)?,
            hours: r.get(5)?,
            active: r.get(6)?,
        },
        version: r.get(7)?,
        chart_user_name: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
    })
}

fn calendar_sql() -> String {
    format!(
        "SELECT c.id, c.name, c.user_id, c.chart_user_id, c.colour, c.hours, c.active, c.version, {} \
         FROM calendar c",
        user_name("c.chart_user_id")
    )
}

/// Adds a calendar.
pub fn insert_calendar(
    tx: &Transaction<'_>,
    f: &CalendarFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<CalendarRow> {
    tx.prepare_cached(
        "INSERT INTO calendar (name, user_id, chart_user_id, colour, hours, active, \
         created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
    )?
    .execute(params![
        f.name,
        f.user_id,
        f.chart_user_id,
        f.colour,
        f.hours,
        f.active,
        at,
        by
    ])?;
    calendar(tx, CalendarId(tx.last_insert_rowid()))
}

/// Changes a calendar at `expected_version`, keeping the state it replaces.
pub fn update_calendar(
    tx: &Transaction<'_>,
    id: CalendarId,
    expected_version: i64,
    f: &CalendarFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<CalendarRow> {
    corrections::check_current(tx, &CALENDAR, id, Some(expected_version))?;
    let old = calendar(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &CALENDAR,
        id,
        old.version,
        &Fields::of([
            ("name", o.name.clone()),
            (
                "user_id",
                o.user_id.map(|u| u.to_string()).unwrap_or_default(),
            ),
            ("chart_user_id", o.chart_user_id.to_string()),
            ("colour", o.colour.clone()),
            ("hours", o.hours.clone()),
            ("active", o.active.to_string()),
        ]),
        if o.active && !f.active {
            "made inactive"
        } else {
            "edited"
        },
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE calendar SET name = ?2, user_id = ?3, chart_user_id = ?4, colour = ?5, hours = ?6, \
         active = ?7, version = version + 1, updated_at = ?8, updated_by = ?9 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.user_id,
        f.chart_user_id,
        f.colour,
        f.hours,
        f.active,
        at,
        by
    ])?;
    calendar(tx, id)
}

/// One calendar.
pub fn calendar(conn: &Connection, id: CalendarId) -> Result<CalendarRow> {
    conn.prepare_cached(&format!("{} WHERE c.id = ?1", calendar_sql()))?
        .query_row([id], calendar_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "calendar",
            id: id.into(),
        })
}

/// Every calendar, active ones first, then by name.
pub fn calendars(conn: &Connection) -> Result<Vec<CalendarRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{} ORDER BY c.active DESC, c.name COLLATE NOCASE, c.id",
        calendar_sql()
    ))?;
    let rows = stmt
        .query_map([], calendar_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------- appointment types

/// What the practice keeps about a kind of appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFields {
    pub name: String,
    pub minutes: i64,
    pub colour: String,
    /// The encounter kind check-in opens (`office_visit`...).
    pub visit_kind: String,
    /// The calendars that offer it; empty: all.
    pub calendars: Vec<CalendarId>,
    pub active: bool,
}

/// An appointment type as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRow {
    pub id: AppointmentTypeId,
    pub fields: TypeFields,
    pub version: i64,
}

fn calendars_text(ids: &[CalendarId]) -> String {
    ids.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn type_from_row(r: &Row<'_>) -> rusqlite::Result<TypeRow> {
    let calendars: String = r.get(5)?;
    Ok(TypeRow {
        id: r.get(0)?,
        fields: TypeFields {
            name: r.get(1)?,
            minutes: r.get(2)?,
            colour: r.get(3)?,
            visit_kind: r.get(4)?,
            calendars: calendars
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<i64>().map(CalendarId))
                .collect::<Result<_, _>>()
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        5,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
            active: r.get(6)?,
        },
        version: r.get(7)?,
    })
}

const TYPE_SQL: &str = "SELECT t.id, t.name, t.minutes, t.colour, t.visit_kind, t.calendars, \
     t.active, t.version FROM appointment_type t";

/// Adds an appointment type.
pub fn insert_type(
    tx: &Transaction<'_>,
    f: &TypeFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<TypeRow> {
    tx.prepare_cached(
        "INSERT INTO appointment_type (name, minutes, colour, visit_kind, calendars, active, \
         created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
    )?
    .execute(params![
        f.name,
        f.minutes,
        f.colour,
        f.visit_kind,
        calendars_text(&f.calendars),
        f.active,
        at,
        by
    ])?;
    appointment_type(tx, AppointmentTypeId(tx.last_insert_rowid()))
}

/// Changes an appointment type at `expected_version`, keeping the state it
/// replaces. Appointments already booked keep their own times.
pub fn update_type(
    tx: &Transaction<'_>,
    id: AppointmentTypeId,
    expected_version: i64,
    f: &TypeFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<TypeRow> {
    corrections::check_current(tx, &APPOINTMENT_TYPE, id, Some(expected_version))?;
    let old = appointment_type(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &APPOINTMENT_TYPE,
        id,
        old.version,
        &Fields::of([
            ("name", o.name.clone()),
            ("minutes", o.minutes.to_string()),
            ("colour", o.colour.clone()),
            ("visit_kind", o.visit_kind.clone()),
            ("calendars", calendars_text(&o.calendars)),
            ("active", o.active.to_string()),
        ]),
        if o.active && !f.active {
            "made inactive"
        } else {
            "edited"
        },
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE appointment_type SET name = ?2, minutes = ?3, colour = ?4, visit_kind = ?5, \
         calendars = ?6, active = ?7, version = version + 1, updated_at = ?8, updated_by = ?9 \
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.name,
        f.minutes,
        f.colour,
        f.visit_kind,
        calendars_text(&f.calendars),
        f.active,
        at,
        by
    ])?;
    appointment_type(tx, id)
}

/// One appointment type.
pub fn appointment_type(conn: &Connection, id: AppointmentTypeId) -> Result<TypeRow> {
    conn.prepare_cached(&format!("{TYPE_SQL} WHERE t.id = ?1"))?
        .query_row([id], type_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "appointment type",
            id: id.into(),
        })
}

/// Every appointment type, active ones first, then by name.
pub fn appointment_types(conn: &Connection) -> Result<Vec<TypeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{TYPE_SQL} ORDER BY t.active DESC, t.name COLLATE NOCASE, t.id"
    ))?;
    let rows = stmt
        .query_map([], type_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------- closures

/// A time a calendar (or the whole practice) takes no appointments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureFields {
    /// None: the whole practice (a holiday).
    pub calendar_id: Option<CalendarId>,
    pub kind: ClosureKind,
    pub label: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub withdrawn: bool,
}

/// A closure as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRow {
    pub id: ClosureId,
    pub fields: ClosureFields,
    pub version: i64,
}

fn closure_from_row(r: &Row<'_>) -> rusqlite::Result<ClosureRow> {
    let kind: String = r.get(2)?;
    Ok(ClosureRow {
        id: r.get(0)?,
        fields: ClosureFields {
            calendar_id: r.get(1)?,
            kind: decode(ClosureKind::parse(&kind), "closure kind")?,
            label: r.get(3)?,
            starts_at: r.get(4)?,
            ends_at: r.get(5)?,
            withdrawn: r.get(6)?,
        },
        version: r.get(7)?,
    })
}

const CLOSURE_SQL: &str = "SELECT k.id, k.calendar_id, k.kind, k.label, k.starts_at, k.ends_at, \
     k.withdrawn, k.version FROM closure k";

/// Adds a closure.
pub fn insert_closure(
    tx: &Transaction<'_>,
    f: &ClosureFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ClosureRow> {
    tx.prepare_cached(
        "INSERT INTO closure (calendar_id, kind, label, starts_at, ends_at, withdrawn, \
         created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
    )?
    .execute(params![
        f.calendar_id,
        f.kind.as_str(),
        f.label,
        f.starts_at,
        f.ends_at,
        f.withdrawn,
        at,
        by
    ])?;
    closure(tx, ClosureId(tx.last_insert_rowid()))
}

/// Changes (or withdraws) a closure at `expected_version`, keeping the
/// state it replaces.
pub fn update_closure(
    tx: &Transaction<'_>,
    id: ClosureId,
    expected_version: i64,
    f: &ClosureFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<ClosureRow> {
    corrections::check_current(tx, &CLOSURE, id, Some(expected_version))?;
    let old = closure(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &CLOSURE,
        id,
        old.version,
        &Fields::of([
            (
                "calendar_id",
                o.calendar_id.map(|c| c.to_string()).unwrap_or_default(),
            ),
            ("kind", o.kind.as_str().to_owned()),
            ("label", o.label.clone()),
            ("starts_at", o.starts_at.to_rfc3339()),
            ("ends_at", o.ends_at.to_rfc3339()),
            ("withdrawn", o.withdrawn.to_string()),
        ]),
        if !o.withdrawn && f.withdrawn {
            "withdrawn"
        } else {
            "edited"
        },
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE closure SET calendar_id = ?2, kind = ?3, label = ?4, starts_at = ?5, ends_at = ?6, \
         withdrawn = ?7, version = version + 1, updated_at = ?8, updated_by = ?9 WHERE id = ?1",
    )?
    .execute(params![
        id,
        f.calendar_id,
        f.kind.as_str(),
        f.label,
        f.starts_at,
        f.ends_at,
        f.withdrawn,
        at,
        by
    ])?;
    closure(tx, id)
}

/// One closure.
pub fn closure(conn: &Connection, id: ClosureId) -> Result<ClosureRow> {
    conn.prepare_cached(&format!("{CLOSURE_SQL} WHERE k.id = ?1"))?
        .query_row([id], closure_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "closure",
            id: id.into(),
        })
}

/// Closures in force that overlap `[from, to)`, for any calendar (the
/// practice-wide ones included), by start.
pub fn closures_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ClosureRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CLOSURE_SQL} WHERE k.withdrawn = 0 AND k.ends_at > ?1 AND k.starts_at < ?2 \
         ORDER BY k.starts_at, k.id"
    ))?;
    let rows = stmt
        .query_map(params![from, to], closure_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------------------- rooms

/// What the practice keeps about a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomFields {
    pub name: String,
    pub active: bool,
}

/// A room as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRow {
    pub id: RoomId,
    pub fields: RoomFields,
    pub version: i64,
}

fn room_from_row(r: &Row<'_>) -> rusqlite::Result<RoomRow> {
    Ok(RoomRow {
        id: r.get(0)?,
        fields: RoomFields {
            name: r.get(1)?,
            active: r.get(2)?,
        },
        version: r.get(3)?,
    })
}

const ROOM_SQL: &str = "SELECT r.id, r.name, r.active, r.version FROM room r";

/// Adds a room.
pub fn insert_room(
    tx: &Transaction<'_>,
    f: &RoomFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<RoomRow> {
    tx.prepare_cached(
        "INSERT INTO room (name, active, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?3, ?4)",
    )?
    .execute(params![f.name, f.active, at, by])?;
    room(tx, RoomId(tx.last_insert_rowid()))
}

/// Renames a room or takes it out of (or back into) use at
/// `expected_version`, keeping the state it replaces.
pub fn update_room(
    tx: &Transaction<'_>,
    id: RoomId,
    expected_version: i64,
    f: &RoomFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<RoomRow> {
    corrections::check_current(tx, &ROOM, id, Some(expected_version))?;
    let old = room(tx, id)?;
    let o = &old.fields;
    corrections::keep(
        tx,
        &ROOM,
        id,
        old.version,
        &Fields::of([("name", o.name.clone()), ("active", o.active.to_string())]),
        if o.active && !f.active {
            "taken out of use"
        } else {
            "edited"
        },
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE room SET name = ?2, active = ?3, version = version + 1, updated_at = ?4, \
         updated_by = ?5 WHERE id = ?1",
    )?
    .execute(params![id, f.name, f.active, at, by])?;
    room(tx, id)
}

/// One room.
pub fn room(conn: &Connection, id: RoomId) -> Result<RoomRow> {
    conn.prepare_cached(&format!("{ROOM_SQL} WHERE r.id = ?1"))?
        .query_row([id], room_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "room",
            id: id.into(),
        })
}

/// Every room, those in use first, then by name.
pub fn rooms(conn: &Connection) -> Result<Vec<RoomRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ROOM_SQL} ORDER BY r.active DESC, r.name COLLATE NOCASE, r.id"
    ))?;
    let rows = stmt
        .query_map([], room_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------------ appointments

/// A series as booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFields {
    pub patient_id: PatientId,
    /// The rule as checked, in the scheduling crate's text.
    pub rule: String,
    /// The first visit's clinic wall-clock time, `YYYY-MM-DDTHH:MM`.
    pub first_local: String,
    /// The IANA zone it was expanded in.
    pub time_zone: String,
}

/// Records a series (written once).
pub fn insert_series(
    tx: &Transaction<'_>,
    f: &SeriesFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<SeriesId> {
    tx.prepare_cached(
        "INSERT INTO appointment_series (patient_id, rule, first_local, time_zone, created_at, \
         created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        f.patient_id,
        f.rule,
        f.first_local,
        f.time_zone,
        at,
        by
    ])?;
    Ok(SeriesId(tx.last_insert_rowid()))
}

/// The rule of a series.
pub fn series(conn: &Connection, id: SeriesId) -> Result<SeriesFields> {
    conn.prepare_cached(
        "SELECT patient_id, rule, first_local, time_zone FROM appointment_series WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(SeriesFields {
            patient_id: r.get(0)?,
            rule: r.get(1)?,
            first_local: r.get(2)?,
            time_zone: r.get(3)?,
        })
    })
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "series",
        id: id.into(),
    })
}

/// Where and when an appointment is, what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub patient_id: PatientId,
    pub calendar_id: CalendarId,
    pub type_id: AppointmentTypeId,
    /// The room it holds, if the practice books rooms.
    pub room_id: Option<RoomId>,
    pub series: Option<(SeriesId, i64)>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The clinic's calendar day of `starts_at`.
    pub day: NaiveDate,
    pub reason: String,
    /// Why a conflict was overridden; empty when none was.
    pub override_reason: String,
}

/// An appointment as stored, with the names the screens show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentRow {
    pub id: AppointmentId,
    pub booking: Booking,
    pub status: AppointmentStatus,
    pub cancel_reason: String,
    pub late_cancel: bool,
    pub arrived_at: Option<DateTime<Utc>>,
    pub encounter_id: Option<EncounterId>,
    pub version: i64,
    pub patient_name: String,
    pub patient_mrn: String,
    pub patient_birth_date: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

const APPOINTMENT_SQL: &str = "SELECT a.id, a.patient_id, a.calendar_id, a.type_id, a.series_id, \
     a.series_index, a.starts_at, a.ends_at, a.day, a.reason, a.override_reason, a.status, \
     a.cancel_reason, a.late_cancel, a.arrived_at, a.encounter_id, a.version, \
     p.family_name || ', ' || p.given_name, p.mrn, p.birth_date, a.updated_at, a.room_id \
     FROM appointment a JOIN patient p ON p.id = a.patient_id";

fn appointment_from_row(r: &Row<'_>) -> rusqlite::Result<AppointmentRow> {
    let series_id: Option<SeriesId> = r.get(4)?;
    let series_index: Option<i64> = r.get(5)?;
    let status: String = r.get(11)?;
    Ok(AppointmentRow {
        id: r.get(0)?,
        booking: Booking {
            patient_id: r.get(1)?,
            calendar_id: r.get(2)?,
            type_id: r.get(3)?,
            room_id: r.get(21)?,
            series: series_id.zip(series_index),
            starts_at: r.get(6)?,
            ends_at: r.get(7)?,
            day: r.get(8)?,
            reason: r.get(9)?,
            override_reason: r.get(10)?,
        },
        status: decode(AppointmentStatus::parse(&status), "appointment status")?,
        cancel_reason: r.get(12)?,
        late_cancel: r.get(13)?,
        arrived_at: r.get(14)?,
        encounter_id: r.get(15)?,
        version: r.get(16)?,
        patient_name: r.get(17)?,
        patient_mrn: r.get(18)?,
        patient_birth_date: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

fn event(
    tx: &Transaction<'_>,
    id: AppointmentId,
    what: &str,
    detail: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO appointment_event (appointment_id, status, at, by_user, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, what, at, by, detail])?;
    Ok(())
}

/// Books an appointment (scheduled), with its first history event.
pub fn insert_appointment(
    tx: &Transaction<'_>,
    b: &Booking,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<AppointmentId> {
    tx.prepare_cached(
        "INSERT INTO appointment (patient_id, calendar_id, type_id, series_id, series_index, \
         starts_at, ends_at, day, status, reason, override_reason, created_at, created_by, \
         updated_at, updated_by, room_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'scheduled', ?9, ?10, ?11, ?12, ?11, ?12, ?13)",
    )?
    .execute(params![
        b.patient_id,
        b.calendar_id,
        b.type_id,
        b.series.map(|s| s.0),
        b.series.map(|s| s.1),
        b.starts_at,
        b.ends_at,
        b.day,
        b.reason,
        b.override_reason,
        at,
        by,
        b.room_id
    ])?;
    let id = AppointmentId(tx.last_insert_rowid());
    let detail = if b.override_reason.is_empty() {
        String::new()
    } else {
        format!("booked over a conflict: {}", b.override_reason)
    };
    event(
        tx,
        id,
        AppointmentStatus::Scheduled.as_str(),
        &detail,
        at,
        by,
    )?;
    Ok(id)
}

/// Moves an appointment (time, calendar, type, room, reason) at
/// `expected_version`, keeping where it was; `detail` (where from) goes in
/// its history as a `moved` event.
pub fn move_appointment(
    tx: &Transaction<'_>,
    id: AppointmentId,
    expected_version: i64,
    b: &Booking,
    detail: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    corrections::check_current(tx, &APPOINTMENT, id, Some(expected_version))?;
    let old = appointment(tx, id)?;
    let o = &old.booking;
    corrections::keep(
        tx,
        &APPOINTMENT,
        id,
        old.version,
        &Fields::of([
            ("calendar_id", o.calendar_id.to_string()),
            ("type_id", o.type_id.to_string()),
            (
                "room_id",
                o.room_id.map(|r| r.to_string()).unwrap_or_default(),
            ),
            ("starts_at", o.starts_at.to_rfc3339()),
            ("ends_at", o.ends_at.to_rfc3339()),
            ("reason", o.reason.clone()),
            ("override_reason", o.override_reason.clone()),
        ]),
        "moved",
        at,
        by,
    )?;
    tx.prepare_cached(
        "UPDATE appointment SET calendar_id = ?2, type_id = ?3, starts_at = ?4, ends_at = ?5, \
         day = ?6, reason = ?7, override_reason = ?8, version = version + 1, updated_at = ?9, \
         updated_by = ?10, room_id = ?11 WHERE id = ?1",
    )?
    .execute(params![
        id,
        b.calendar_id,
        b.type_id,
        b.starts_at,
        b.ends_at,
        b.day,
        b.reason,
        b.override_reason,
        at,
        by,
        b.room_id
    ])?;
    event(tx, id, "moved", detail, at, by)
}

/// What a status change also records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusChange {
    /// A cancellation's reason.
    pub cancel_reason: String,
    pub late_cancel: bool,
    /// Check-in: when the patient arrived and the visit it opened.
    pub arrived: Option<(DateTime<Utc>, EncounterId)>,
    /// Words for the history (who cancelled: "patient called").
    pub detail: String,
}

/// Sets an appointment's status at `expected_version` and adds the change
/// to its history. The scheduling crate has checked the transition.
pub fn set_status(
    tx: &Transaction<'_>,
    id: AppointmentId,
    expected_version: i64,
    status: AppointmentStatus,
    change: &StatusChange,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    corrections::check_current(tx, &APPOINTMENT, id, Some(expected_version))?;
    tx.prepare_cached(
        "UPDATE appointment SET status = ?2, \
         cancel_reason = CASE WHEN ?3 = '' THEN cancel_reason ELSE ?3 END, \
         late_cancel = late_cancel OR ?4, \
         arrived_at = COALESCE(?5, arrived_at), encounter_id = COALESCE(?6, encounter_id), \
         version = version + 1, updated_at = ?7, updated_by = ?8 WHERE id = ?1",
    )?
    .execute(params![
        id,
        status.as_str(),
        change.cancel_reason,
        change.late_cancel,
        change.arrived.map(|a| a.0),
        change.arrived.map(|a| a.1),
        at,
        by
    ])?;
    let detail = if change.cancel_reason.is_empty() {
        change.detail.clone()
    } else if change.detail.is_empty() {
        change.cancel_reason.clone()
    } else {
        format!("{}: {}", change.detail, change.cancel_reason)
    };
    event(tx, id, status.as_str(), &detail, at, by)
}

/// One appointment.
pub fn appointment(conn: &Connection, id: AppointmentId) -> Result<AppointmentRow> {
    conn.prepare_cached(&format!("{APPOINTMENT_SQL} WHERE a.id = ?1"))?
        .query_row([id], appointment_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "appointment",
            id: id.into(),
        })
}

/// The patient an appointment is for (the guard's subject).
pub fn patient_of(conn: &Connection, id: AppointmentId) -> Result<PatientId> {
    conn.prepare_cached("SELECT patient_id FROM appointment WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "appointment",
            id: id.into(),
        })
}

/// Appointments on the clinic days `[from, to]`, of the given calendars
/// (all when empty), cancelled ones included, by start.
pub fn appointments_on_days(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AppointmentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{APPOINTMENT_SQL} WHERE a.day BETWEEN ?1 AND ?2 ORDER BY a.starts_at, a.calendar_id, a.id"
    ))?;
    let rows = stmt
        .query_map(params![from, to], appointment_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// An appointment's id and the time it holds.
pub type BusySpan = (AppointmentId, DateTime<Utc>, DateTime<Utc>);

/// What an appointment's time is held on: its calendar, or the room it
/// holds. Each has its own index (`appointment_by_calendar`,
/// `appointment_by_room`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Calendar(CalendarId),
    Room(RoomId),
}

impl Holder {
    /// The column and the id to bind. The column is one of two fixed
    /// names, never input.
    fn column(self) -> (&'static str, i64) {
        match self {
            Holder::Calendar(c) => ("calendar_id", c.get()),
            Holder::Room(r) => ("room_id", r.get()),
        }
    }
}

/// The appointments of a calendar (or holding a room) that hold their
/// time (not cancelled, not missed) and overlap `[from, to)`, by start:
/// what a new booking could conflict with. Reads that holder's index only.
pub fn busy_between(
    conn: &Connection,
    holder: Holder,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<BusySpan>> {
    let (column, id) = holder.column();
    // An appointment is at most 8 hours long (checked when booked), so
    // those that can overlap start after `from - 8 h`: the index bounds
    // the scan.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, starts_at, ends_at FROM appointment \
         WHERE {column} = ?1 AND starts_at >= ?2 AND starts_at < ?3 AND ends_at > ?4 \
         AND status NOT IN ('cancelled', 'no_show') ORDER BY starts_at, id"
    ))?;
    let rows = stmt
        .query_map(
            params![id, from - chrono::Duration::hours(8), to, from],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Sets every appointment's clinic day again from its start after the
/// practice's time zone changed (`day_of` gives an instant's date in the
/// new zone). The instants stay; the day is what the day views look up.
/// Returns how many days changed.
pub fn redate(tx: &Transaction<'_>, day_of: impl Fn(DateTime<Utc>) -> NaiveDate) -> Result<usize> {
    let rows = {
        let mut stmt = tx.prepare("SELECT id, starts_at, day FROM appointment")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, AppointmentId>(0)?,
                    r.get::<_, DateTime<Utc>>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut update = tx.prepare("UPDATE appointment SET day = ?2 WHERE id = ?1")?;
    let mut changed = 0;
    for (id, starts_at, day) in rows {
        let new = day_of(starts_at);
        if new != day {
            update.execute(params![id, new])?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// How many of a calendar's appointments (or of those holding a room)
/// from the clinic day `from` on are still open (booked, or the patient
/// arrived and not yet checked out), and the first of them.
pub fn still_booked(
    conn: &Connection,
    holder: Holder,
    from: NaiveDate,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    let (column, id) = holder.column();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT count(*), min(starts_at) FROM appointment \
         WHERE {column} = ?1 AND day >= ?2 \
         AND status IN ('scheduled', 'confirmed', 'arrived', 'in_room', 'with_provider')"
    ))?;
    Ok(stmt.query_row(params![id, from], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A patient's appointments, newest first.
pub fn appointments_of_patient(
    conn: &Connection,
    patient_id: PatientId,
) -> Result<Vec<AppointmentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{APPOINTMENT_SQL} WHERE a.patient_id = ?1 ORDER BY a.starts_at DESC, a.id DESC"
    ))?;
    let rows = stmt
        .query_map([patient_id], appointment_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The appointments of a series from occurrence `from_index` on, by
/// occurrence.
pub fn series_appointments(
    conn: &Connection,
    series_id: SeriesId,
    from_index: i64,
) -> Result<Vec<AppointmentRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{APPOINTMENT_SQL} WHERE a.series_id = ?1 AND a.series_index >= ?2 ORDER BY a.series_index"
    ))?;
    let rows = stmt
        .query_map(params![series_id, from_index], appointment_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One change in an appointment's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The status it took (its code), or `moved`.
    pub what: String,
    pub at: DateTime<Utc>,
    pub by_name: String,
    pub detail: String,
}

/// An appointment's status history, oldest first.
pub fn events(conn: &Connection, id: AppointmentId) -> Result<Vec<EventRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.status, e.at, {}, e.detail FROM appointment_event e \
         WHERE e.appointment_id = ?1 ORDER BY e.id",
        user_name("e.by_user")
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(EventRow {
                what: r.get(0)?,
                at: r.get(1)?,
                by_name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                detail: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ------------------------------------------------------ waitlist, recalls

/// What a waitlist entry asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistFields {
    pub patient_id: PatientId,
    pub type_id: AppointmentTypeId,
    /// None: any calendar that offers the type.
    pub calendar_id: Option<CalendarId>,
    pub time_of_day: TimeOfDay,
    pub earliest_day: Option<NaiveDate>,
    pub before_day: Option<NaiveDate>,
    pub note: String,
}

/// How a waitlist entry or a recall ended (none while open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub status: ListEntryStatus,
    pub appointment_id: Option<AppointmentId>,
    pub reason: String,
    pub at: Option<DateTime<Utc>>,
}

/// A waitlist entry as stored, with the patient's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistRow {
    pub id: WaitlistEntryId,
    pub fields: WaitlistFields,
    pub closing: Closing,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub patient_name: String,
    pub patient_mrn: String,
}

const WAITLIST_SQL: &str = "SELECT w.id, w.patient_id, w.type_id, w.calendar_id, w.time_of_day, \
     w.earliest_day, w.before_day, w.note, w.status, w.appointment_id, w.closed_reason, \
     w.closed_at, w.created_at, w.version, p.family_name || ', ' || p.given_name, p.mrn \
     FROM waitlist_entry w JOIN patient p ON p.id = w.patient_id";

fn waitlist_from_row(r: &Row<'_>) -> rusqlite::Result<WaitlistRow> {
    let time_of_day: String = r.get(4)?;
    let status: String = r.get(8)?;
    Ok(WaitlistRow {
        id: r.get(0)?,
        fields: WaitlistFields {
            patient_id: r.get(1)?,
            type_id: r.get(2)?,
            calendar_id: r.get(3)?,
            time_of_day: decode(TimeOfDay::parse(&time_of_day), "time of day")?,
            earliest_day: r.get(5)?,
            before_day: r.get(6)?,
            note: r.get(7)?,
        },
        closing: Closing {
            status: decode(ListEntryStatus::parse(&status), "waitlist status")?,
            appointment_id: r.get(9)?,
            reason: r.get(10)?,
            at: r.get(11)?,
        },
        created_at: r.get(12)?,
        version: r.get(13)?,
        patient_name: r.get(14)?,
        patient_mrn: r.get(15)?,
    })
}

/// Puts a patient on the waitlist.
pub fn insert_waitlist(
    tx: &Transaction<'_>,
    f: &WaitlistFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<WaitlistEntryId> {
    tx.prepare_cached(
        "INSERT INTO waitlist_entry (patient_id, type_id, calendar_id, time_of_day, \
         earliest_day, before_day, note, status, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9)",
    )?
    .execute(params![
        f.patient_id,
        f.type_id,
        f.calendar_id,
        f.time_of_day.as_str(),
        f.earliest_day,
        f.before_day,
        f.note,
        at,
        by
    ])?;
    Ok(WaitlistEntryId(tx.last_insert_rowid()))
}

/// One waitlist entry.
pub fn waitlist_entry(conn: &Connection, id: WaitlistEntryId) -> Result<WaitlistRow> {
    conn.prepare_cached(&format!("{WAITLIST_SQL} WHERE w.id = ?1"))?
        .query_row([id], waitlist_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "waitlist entry",
            id: id.into(),
        })
}

/// The open waitlist, oldest first (first come, first offered).
pub fn open_waitlist(conn: &Connection) -> Result<Vec<WaitlistRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{WAITLIST_SQL} WHERE w.status = 'open' ORDER BY w.created_at, w.id"
    ))?;
    let rows = stmt
        .query_map([], waitlist_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Closes an open entry at `expected_version`: booked (with the
/// appointment) or closed with a reason. It is final.
pub fn close_waitlist(
    tx: &Transaction<'_>,
    id: WaitlistEntryId,
    expected_version: i64,
    appointment_id: Option<AppointmentId>,
    reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let found = waitlist_entry(tx, id)?.version;
    close_listed(
        tx,
        ("waitlist_entry", "waitlist entry"),
        id.into(),
        (expected_version, found),
        appointment_id,
        reason,
        (at, by),
    )
}

/// Closes a row of `table` (the waitlist or recalls) at the version the
/// user saw: booked, with the appointment, or closed with a reason.
fn close_listed(
    tx: &Transaction<'_>,
    (table, what): (&str, &'static str),
    id: i64,
    (expected, found): (i64, i64),
    appointment_id: Option<AppointmentId>,
    reason: &str,
    (at, by): (DateTime<Utc>, UserId),
) -> Result<()> {
    if found != expected {
        return Err(StoreError::Conflict {
            what,
            expected,
            found,
        });
    }
    let status = if appointment_id.is_some() {
        ListEntryStatus::Booked
    } else {
        ListEntryStatus::Closed
    };
    tx.prepare_cached(&format!(
        "UPDATE {table} SET status = ?2, appointment_id = ?3, closed_reason = ?4, \
         closed_at = ?5, closed_by = ?6, version = version + 1 WHERE id = ?1"
    ))?
    .execute(params![id, status.as_str(), appointment_id, reason, at, by])?;
    Ok(())
}

/// What a recall asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallFields {
    pub patient_id: PatientId,
    pub due_day: NaiveDate,
    pub reason: String,
    pub type_id: Option<AppointmentTypeId>,
    pub calendar_id: Option<CalendarId>,
    /// "staff" (preventive care will add its own).
    pub source: String,
}

/// A recall as stored, with the patient's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallRow {
    pub id: RecallId,
    pub fields: RecallFields,
    pub closing: Closing,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub patient_name: String,
    pub patient_mrn: String,
}

const RECALL_SQL: &str = "SELECT r.id, r.patient_id, r.due_day, r.reason, r.type_id, \
     r.calendar_id, r.source, r.status, r.appointment_id, r.closed_reason, r.closed_at, \
     r.created_at, r.version, p.family_name || ', ' || p.given_name, p.mrn \
     FROM recall r JOIN patient p ON p.id = r.patient_id";

fn recall_from_row(r: &Row<'_>) -> rusqlite::Result<RecallRow> {
    let status: String = r.get(7)?;
    Ok(RecallRow {
        id: r.get(0)?,
        fields: RecallFields {
            patient_id: r.get(1)?,
            due_day: r.get(2)?,
            reason: r.get(3)?,
            type_id: r.get(4)?,
            calendar_id: r.get(5)?,
            source: r.get(6)?,
        },
        closing: Closing {
            status: decode(ListEntryStatus::parse(&status), "recall status")?,
            appointment_id: r.get(8)?,
            reason: r.get(9)?,
            at: r.get(10)?,
        },
        created_at: r.get(11)?,
        version: r.get(12)?,
        patient_name: r.get(13)?,
        patient_mrn: r.get(14)?,
    })
}

/// Adds a recall.
pub fn insert_recall(
    tx: &Transaction<'_>,
    f: &RecallFields,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<RecallId> {
    tx.prepare_cached(
        "INSERT INTO recall (patient_id, due_day, reason, type_id, calendar_id, source, status, \
         created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)",
    )?
    .execute(params![
        f.patient_id,
        f.due_day,
        f.reason,
        f.type_id,
        f.calendar_id,
        f.source,
        at,
        by
    ])?;
    Ok(RecallId(tx.last_insert_rowid()))
}

/// One recall.
pub fn recall(conn: &Connection, id: RecallId) -> Result<RecallRow> {
    conn.prepare_cached(&format!("{RECALL_SQL} WHERE r.id = ?1"))?
        .query_row([id], recall_from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "recall",
            id: id.into(),
        })
}

/// Open recalls due on or before `due_by`, soonest first.
pub fn open_recalls(conn: &Connection, due_by: NaiveDate) -> Result<Vec<RecallRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{RECALL_SQL} WHERE r.status = 'open' AND r.due_day <= ?1 ORDER BY r.due_day, r.id"
    ))?;
    let rows = stmt
        .query_map([due_by], recall_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Closes an open recall at `expected_version`: booked (with the
/// appointment) or closed with a reason. It is final.
pub fn close_recall(
    tx: &Transaction<'_>,
    id: RecallId,
    expected_version: i64,
    appointment_id: Option<AppointmentId>,
    reason: &str,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let found = recall(tx, id)?.version;
    close_listed(
        tx,
        ("recall", "recall"),
        id.into(),
        (expected_version, found),
        appointment_id,
        reason,
        (at, by),
    )
}
