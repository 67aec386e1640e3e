//! Scheduling's request parts and answers, exported to TypeScript. Times a
//! person types or reads are the clinic's wall-clock times
//! (`YYYY-MM-DDTHH:MM`, floating, as the calendar component wants them);
//! instants are UTC (RFC 3339) beside them.

use chartroom_types::{
    AppointmentId, AppointmentStatus, AppointmentTypeId, CalendarId, ClosureId, ClosureKind,
    EncounterId, EncounterKind, ListEntryStatus, PatientId, RecallId, RoomId, SeriesId, TimeOfDay,
    UserId, WaitlistEntryId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::hours::WeekHoursForm;

/// A calendar as typed by the practice manager.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarForm {
    pub name: String,
    /// The clinician whose own calendar it is; none for a line without a
    /// login (a nurse visit).
    pub user_id: Option<UserId>,
    /// For a line without a login: the clinician under whom check-in opens
    /// the visit. Ignored for a clinician's own calendar.
    pub chart_user_id: Option<UserId>,
    /// `#rrggbb`.
    pub colour: String,
    pub hours: WeekHoursForm,
    pub active: bool,
}

/// One day of a calendar's week, in words.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayHours {
    /// `Monday`...
    pub day: String,
    /// "08:00-12:00, 13:00-17:00" or "closed".
    pub hours: String,
}

/// A calendar.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarView {
    pub id: CalendarId,
    pub name: String,
    pub user_id: Option<UserId>,
    pub chart_user_id: UserId,
    pub chart_user_name: String,
    pub colour: String,
    pub hours: WeekHoursForm,
    pub week: Vec<DayHours>,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// An appointment type as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentTypeForm {
    pub name: String,
    pub minutes: u32,
    pub colour: String,
    /// The kind of visit check-in opens.
    pub visit_kind: EncounterKind,
    /// The calendars that offer it; empty: every calendar.
    pub calendars: Vec<CalendarId>,
    pub active: bool,
}

/// An appointment type.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentTypeView {
    pub id: AppointmentTypeId,
    pub name: String,
    pub minutes: u32,
    pub colour: String,
    pub visit_kind: EncounterKind,
    pub calendars: Vec<CalendarId>,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// A room as typed by the practice manager.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomForm {
    /// "Exam 1", "Procedure room".
    pub name: String,
    pub active: bool,
}

/// A room appointments can hold.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomView {
    pub id: RoomId,
    pub name: String,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// A closure as typed: times as `YYYY-MM-DD HH:MM`, or a date alone for
/// whole days (`to` included).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosureForm {
    /// None: the whole practice.
    pub calendar_id: Option<CalendarId>,
    pub kind: ClosureKind,
    pub label: String,
    pub from: String,
    pub to: String,
    pub withdrawn: bool,
}

/// A closure.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosureView {
    pub id: ClosureId,
    pub calendar_id: Option<CalendarId>,
    pub kind: ClosureKind,
    pub label: String,
    /// Clinic wall-clock times.
    pub start_local: String,
    pub end_local: String,
    pub withdrawn: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RepeatUnit {
    /// Every N weeks, on the first visit's weekday.
    Weeks,
    /// Every N months, on the first visit's day of the month.
    MonthsByDate,
    /// Every N months, on the same weekday of the same week ("second
    /// Tuesday").
    MonthsByWeekday,
    /// Every N months, on the last of the first visit's weekday.
    MonthsLastWeekday,
}

/// A series as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RepeatForm {
    pub unit: RepeatUnit,
    pub every: u32,
    /// After this many visits (the first included)...
    pub count: Option<u32>,
    /// ... or up to this typed date; neither: up to the practice's horizon.
    pub until: String,
}

/// An occurrence's place in its series.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SeriesPlace {
    pub series_id: SeriesId,
    /// From 0.
    #[ts(type = "number")]
    pub index: i64,
}

/// What the user may do with an appointment now.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentActions {
    /// Plain status changes open to it (check-in and cancelling have their
    /// own).
    pub next: Vec<AppointmentStatus>,
    pub can_check_in: bool,
    pub can_move: bool,
    /// Whether this user may give it another room (or none).
    pub can_change_room: bool,
    pub can_cancel: bool,
    /// Whether this user may move it over a conflict (with a reason).
    pub can_override: bool,
}

/// An appointment as the calendar and the lists show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentView {
    pub id: AppointmentId,
    pub patient_id: PatientId,
    /// "Family, Given".
    pub patient_name: String,
    pub mrn: String,
    pub calendar_id: CalendarId,
    pub calendar_name: String,
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    /// The room it holds, if any.
    pub room_id: Option<RoomId>,
    /// Empty when it holds none.
    pub room_name: String,
    pub colour: String,
    pub start_local: String,
    pub end_local: String,
    pub starts_at: String,
    pub ends_at: String,
    /// The clinic day, `YYYY-MM-DD`.
    pub day: String,
    pub minutes: u32,
    pub status: AppointmentStatus,
    pub reason: String,
    pub override_reason: String,
    pub series: Option<SeriesPlace>,
    pub cancel_reason: String,
    pub late_cancel: bool,
    /// Check-in time (RFC 3339).
    pub arrived_at: Option<String>,
    /// Minutes since check-in while the patient waits for checkout.
    pub waiting_minutes: Option<u32>,
    /// Waited long enough to be shown as a long wait
    /// (`status::LONG_WAIT_MINUTES`).
    pub waiting_long: bool,
    pub encounter_id: Option<EncounterId>,
    pub actions: AppointmentActions,
    #[ts(type = "number")]
    pub version: i64,
}

/// What was booked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Booked {
    pub series_id: Option<SeriesId>,
    /// Every appointment made, in order.
    pub appointments: Vec<AppointmentView>,
}

/// A block of working time on a day, clinic wall-clock.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkingBlock {
    pub calendar_id: CalendarId,
    pub start_local: String,
    pub end_local: String,
}

/// Days of calendars: their hours, closures and appointments.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleView {
    /// The clinic's IANA time zone.
    pub zone: String,
    /// The days shown, `YYYY-MM-DD`.
    pub days: Vec<String>,
    pub today: String,
    pub calendars: Vec<CalendarView>,
    pub hours: Vec<WorkingBlock>,
    pub closures: Vec<ClosureView>,
    /// Cancelled ones included (the screen shows them struck out).
    pub appointments: Vec<AppointmentView>,
    pub can_book: bool,
    /// Whether the user may book over a conflict, with a reason.
    pub can_override: bool,
}

/// A free time found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FreeSlot {
    pub calendar_id: CalendarId,
    pub start_local: String,
    pub starts_at: String,
    pub minutes: u32,
}

/// Today's patients as the front desk follows them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FlowBoard {
    pub today: String,
    /// When it was read (RFC 3339): the screen refreshes from here.
    pub at: String,
    /// Today's appointments not cancelled, by start.
    pub rows: Vec<AppointmentView>,
    /// How many have arrived and are not checked out.
    #[ts(type = "number")]
    pub waiting: u32,
}

/// A patient's appointments.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientAppointments {
    /// Open appointments from today on, soonest first.
    pub upcoming: Vec<AppointmentView>,
    /// The rest, newest first.
    pub past: Vec<AppointmentView>,
    #[ts(type = "number")]
    pub no_shows: u32,
    /// Whether this user may book for the patient (and add them to the
    /// waitlist or a recall).
    pub can_book: bool,
}

/// One change of an appointment, for its history.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentEvent {
    /// What it became; `moved` entries are the replaced times.
    pub what: String,
    pub at: String,
    pub by: String,
    pub detail: String,
}

/// A clinician who can have a calendar, for the set-up screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Clinician {
    pub user_id: UserId,
    pub name: String,
    /// Their own calendar, if they have one.
    pub calendar_id: Option<CalendarId>,
}

/// What a patient on the waitlist asks for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaitlistForm {
    pub patient_id: PatientId,
    pub type_id: AppointmentTypeId,
    /// None: any calendar that offers the type.
    pub calendar_id: Option<CalendarId>,
    pub time_of_day: TimeOfDay,
    /// A slot on or after this day (MM/DD/YYYY; empty: any).
    pub earliest: String,
    /// A slot before this day, e.g. the visit they hold (empty: any).
    pub before: String,
    pub note: String,
}

/// A waitlist entry as the lists show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaitlistEntryView {
    pub id: WaitlistEntryId,
    pub patient_id: PatientId,
    /// "Family, Given".
    pub patient_name: String,
    pub mrn: String,
    /// The number to call, as printed.
    pub phone: String,
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    pub calendar_id: Option<CalendarId>,
    /// "Any calendar" when none was chosen.
    pub calendar_name: String,
    pub time_of_day: TimeOfDay,
    pub earliest_day: Option<String>,
    pub before_day: Option<String>,
    pub note: String,
    pub status: ListEntryStatus,
    pub appointment_id: Option<AppointmentId>,
    /// "Booked", or the reason it was closed; empty while open.
    pub outcome: String,
    /// When it was added, clinic wall-clock time.
    pub added: String,
    /// Days since it was added.
    #[ts(type = "number")]
    pub waiting_days: u32,
    /// Whether this user may book or close it.
    pub can_change: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// A time that freed up, offered to a waitlist entry it suits.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaitlistOffer {
    pub entry: WaitlistEntryView,
    pub calendar_id: CalendarId,
    pub calendar_name: String,
    /// Clinic wall-clock time.
    pub start_local: String,
    /// The entry's type's length.
    #[ts(type = "number")]
    pub minutes: u32,
}

/// A recall as typed: due on a day, or in so many months from today.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallForm {
    pub patient_id: PatientId,
    /// "See again in N months" (then `due` is ignored).
    pub after_months: Option<u32>,
    /// MM/DD/YYYY, when `after_months` is none.
    pub due: String,
    /// What the visit is for ("blood pressure check").
    pub reason: String,
    pub type_id: Option<AppointmentTypeId>,
    pub calendar_id: Option<CalendarId>,
}

/// A recall as the lists show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallView {
    pub id: RecallId,
    pub patient_id: PatientId,
    /// "Family, Given".
    pub patient_name: String,
    pub mrn: String,
    pub phone: String,
    /// The clinic day it is due, `YYYY-MM-DD`.
    pub due_day: String,
    /// Open and due before today.
    pub overdue: bool,
    pub reason: String,
    pub type_id: Option<AppointmentTypeId>,
    pub type_name: String,
    pub calendar_id: Option<CalendarId>,
    pub calendar_name: String,
    pub status: ListEntryStatus,
    pub appointment_id: Option<AppointmentId>,
    /// "Booked", or the reason it was closed; empty while open.
    pub outcome: String,
    pub can_change: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// The recalls due within the days asked for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallList {
    /// The clinic's today, `YYYY-MM-DD`.
    pub today: String,
    /// The last due day listed.
    pub until: String,
    pub recalls: Vec<RecallView>,
    /// Whether this user may book, add to the waitlist and add recalls.
    pub can_book: bool,
    /// Whether this user may book over a conflict (with a reason).
    pub can_override: bool,
}

/// What a booking fills, closed with it in one transaction: a waitlist
/// entry or a recall, at the version the user saw.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Fills {
    Waitlist {
        entry_id: WaitlistEntryId,
        #[ts(type = "number")]
        expected_version: i64,
    },
    Recall {
        recall_id: RecallId,
        #[ts(type = "number")]
        expected_version: i64,
    },
}
