//! Scheduling's commands, each declared once: its fields, the one answer
//! it returns, the guard it needs and the patient it concerns, next to the
//! handler it runs. The API crate lists them in its registry. Reading
//! calendars needs [`Permission::ScheduleRead`], booking and the front
//! desk's changes [`Permission::ScheduleWrite`], setting up calendars,
//! types, rooms and closures [`Permission::ScheduleSetup`].

use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Subject};
use chartroom_types::{
    AppointmentId, AppointmentStatus, AppointmentTypeId, CalendarId, ClosureId, PatientId,
    RecallId, RoomId, SeriesScope, WaitlistEntryId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::printouts::{RemindersDone, SheetDone, SheetOutput};
use crate::protocol::*;
use crate::{appointments, printouts, setup, waitlist};

const READ: Guard = Guard::Needs(Permission::ScheduleRead);
const WRITE: Guard = Guard::Needs(Permission::ScheduleWrite);
const SETUP: Guard = Guard::Needs(Permission::ScheduleSetup);

/// Every calendar, active ones first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListCalendars {}

impl Command for ListCalendars {
    type Answer = Vec<CalendarView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListCalendars {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::calendars(ctx.read())
    }
}

/// Adds a calendar (`id` none) or changes one at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveCalendar {
    pub id: Option<CalendarId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: CalendarForm,
}

impl Command for SaveCalendar {
    type Answer = CalendarView;
    const GUARD: Guard = SETUP;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveCalendar {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_calendar(ctx, self.id, self.expected_version, &self.form)
    }
}

/// The practice's active clinicians, with their calendars (for set-up).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListClinicians {}

impl Command for ListClinicians {
    type Answer = Vec<Clinician>;
    const GUARD: Guard = SETUP;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListClinicians {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::clinicians(ctx.read())
    }
}

/// Every appointment type, active ones first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListAppointmentTypes {}

impl Command for ListAppointmentTypes {
    type Answer = Vec<AppointmentTypeView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListAppointmentTypes {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::types(ctx.read())
    }
}

/// Adds an appointment type or changes one at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveAppointmentType {
    pub id: Option<AppointmentTypeId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: AppointmentTypeForm,
}

impl Command for SaveAppointmentType {
    type Answer = AppointmentTypeView;
    const GUARD: Guard = SETUP;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveAppointmentType {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_type(ctx, self.id, self.expected_version, &self.form)
    }
}

/// Every room, those in use first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListRooms {}

impl Command for ListRooms {
    type Answer = Vec<RoomView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListRooms {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::rooms(ctx.read())
    }
}

/// Adds a room, or renames one or takes it out of use at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveRoom {
    pub id: Option<RoomId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: RoomForm,
}

impl Command for SaveRoom {
    type Answer = RoomView;
    const GUARD: Guard = SETUP;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveRoom {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_room(ctx, self.id, self.expected_version, &self.form)
    }
}

/// Closures in force between two typed days (empty: from today, for a
/// year).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListClosures {
    pub from: String,
    pub to: String,
}

impl Command for ListClosures {
    type Answer = Vec<ClosureView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListClosures {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        // Empty bounds: from today, for a year.
        let mut errs = chartroom_core::FieldErrors::default();
        let from = if self.from.trim().is_empty() {
            Some(ctx.today())
        } else {
            chartroom_core::validate::typed_date(&mut errs, "from", "From", &self.from, true)
        };
        let to = if self.to.trim().is_empty() {
            from.and_then(|f| f.checked_add_days(chrono::Days::new(365)))
        } else {
            chartroom_core::validate::typed_date(&mut errs, "to", "To", &self.to, true)
        };
        let from = crate::appointments::in_years(&mut errs, "from", from);
        let to = crate::appointments::in_years(&mut errs, "to", to);
        errs.finish()?;
        match (from, to) {
            (Some(f), Some(t)) => setup::closures(ctx, f, t),
            _ => Ok(Vec::new()),
        }
    }
}

/// Adds a closure, or changes or withdraws one at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveClosure {
    pub id: Option<ClosureId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: ClosureForm,
}

impl Command for SaveClosure {
    type Answer = ClosureView;
    const GUARD: Guard = SETUP;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveClosure {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_closure(ctx, self.id, self.expected_version, &self.form)
    }
}

/// Days of the schedule (at most a week) of the given calendars (all active ones when empty): hours, closures, appointments.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetSchedule {
    /// A typed date.
    pub from: String,
    pub days: u32,
    pub calendar_ids: Vec<CalendarId>,
}

impl Command for GetSchedule {
    type Answer = ScheduleView;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetSchedule {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::schedule(ctx, &self.from, self.days, &self.calendar_ids)
    }
}

/// Books an appointment, or a recurring series of them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BookAppointment {
    pub patient_id: PatientId,
    pub calendar_id: CalendarId,
    pub type_id: AppointmentTypeId,
    /// The room every visit holds; none: no room.
    pub room_id: Option<RoomId>,
    /// Clinic wall-clock time, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// None: the type's length.
    pub minutes: Option<u32>,
    pub reason: String,
    pub repeat: Option<RepeatForm>,
    /// Books over the conflicts found (needs the override permission).
    pub override_reason: String,
    /// The waitlist entry or recall this booking fills (closed with it).
    pub fills: Option<Fills>,
}

impl Command for BookAppointment {
    type Answer = Booked;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for BookAppointment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::book(
            ctx,
            self.patient_id,
            self.calendar_id,
            self.type_id,
            self.room_id,
            &self.start,
            self.minutes,
            &self.reason,
            self.repeat.as_ref(),
            &self.override_reason,
            self.fills.as_ref(),
        )
    }
}

/// Moves an appointment, or it and the following ones of its series, or the whole series.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoveAppointment {
    pub appointment_id: AppointmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    /// Its new clinic wall-clock time.
    pub start: String,
    /// None: the same calendar.
    pub calendar_id: Option<CalendarId>,
    /// None: the same length.
    pub minutes: Option<u32>,
    pub scope: SeriesScope,
    pub override_reason: String,
}

impl Command for MoveAppointment {
    type Answer = Vec<AppointmentView>;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for MoveAppointment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::move_to(
            ctx,
            self.appointment_id,
            self.expected_version,
            &self.start,
            self.calendar_id,
            self.minutes,
            self.scope,
            &self.override_reason,
        )
    }
}

/// Gives an appointment a room, another room, or none (this visit only).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetAppointmentRoom {
    pub appointment_id: AppointmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub room_id: Option<RoomId>,
    /// Puts it in a room held at that time (needs the override permission).
    pub override_reason: String,
}

impl Command for SetAppointmentRoom {
    type Answer = AppointmentView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for SetAppointmentRoom {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::set_room(
            ctx,
            self.appointment_id,
            self.expected_version,
            self.room_id,
            &self.override_reason,
        )
    }
}

/// Cancels an appointment (or following ones, or its series), with the reason.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CancelAppointment {
    pub appointment_id: AppointmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
    pub scope: SeriesScope,
}

impl Command for CancelAppointment {
    type Answer = Vec<AppointmentView>;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for CancelAppointment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::cancel(
            ctx,
            self.appointment_id,
            self.expected_version,
            &self.reason,
            self.scope,
        )
    }
}

/// Moves an appointment along the front desk's flow (confirmed, in room, with provider, checked out, no-show).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetAppointmentStatus {
    pub appointment_id: AppointmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub status: AppointmentStatus,
}

impl Command for SetAppointmentStatus {
    type Answer = AppointmentView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for SetAppointmentStatus {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::set_status(ctx, self.appointment_id, self.expected_version, self.status)
    }
}

/// Checks a patient in for today's appointment: details confirmed, the visit opened in the chart.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckIn {
    pub appointment_id: AppointmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub demographics_confirmed: bool,
}

impl Command for CheckIn {
    type Answer = AppointmentView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for CheckIn {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::check_in(
            ctx,
            self.appointment_id,
            self.expected_version,
            self.demographics_confirmed,
        )
    }
}

/// The next free time for a type on a calendar, from a time (empty: now), within 90 days.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FindNextSlot {
    pub calendar_id: CalendarId,
    pub type_id: AppointmentTypeId,
    pub after: String,
}

impl Command for FindNextSlot {
    type Answer = Option<FreeSlot>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for FindNextSlot {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::next_slot(ctx, self.calendar_id, self.type_id, &self.after)
    }
}

/// Today's patients: who is waiting and for how long.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetFlowBoard {}

impl Command for GetFlowBoard {
    type Answer = FlowBoard;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetFlowBoard {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::flow_board(ctx)
    }
}

/// A patient's upcoming and past appointments and no-shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListPatientAppointments {
    pub patient_id: PatientId,
}

impl Command for ListPatientAppointments {
    type Answer = PatientAppointments;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListPatientAppointments {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::of_patient(ctx, self.patient_id)
    }
}

/// Every change of an appointment, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentHistory {
    pub appointment_id: AppointmentId,
}

impl Command for AppointmentHistory {
    type Answer = Vec<AppointmentEvent>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Appointment(self.appointment_id)
    }
}

impl Handler for AppointmentHistory {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        appointments::history(ctx, self.appointment_id)
    }
}

/// Prints or saves a calendar's day sheet.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintDaySheet {
    pub calendar_id: CalendarId,
    /// A typed date.
    pub day: String,
    pub output: SheetOutput,
}

impl Command for PrintDaySheet {
    type Answer = SheetDone;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintDaySheet {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        printouts::day_sheet(ctx, self.calendar_id, &self.day, &self.output)
    }
}

/// Prints or saves the reminder letters of the week from a typed date.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintReminders {
    pub from: String,
    pub output: SheetOutput,
}

impl Command for PrintReminders {
    type Answer = RemindersDone;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintReminders {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        printouts::reminders(ctx, &self.from, &self.output)
    }
}

/// Puts a patient on the waitlist for an earlier appointment.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddToWaitlist {
    pub form: WaitlistForm,
}

impl Command for AddToWaitlist {
    type Answer = WaitlistEntryView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.form.patient_id)
    }
}

impl Handler for AddToWaitlist {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::add_to_waitlist(ctx, &self.form)
    }
}

/// The open waitlist, longest waiting first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListWaitlist {}

impl Command for ListWaitlist {
    type Answer = Vec<WaitlistEntryView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListWaitlist {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::waitlist(ctx)
    }
}

/// Takes a patient off the waitlist, with the reason (nothing is deleted).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CloseWaitlistEntry {
    pub entry_id: WaitlistEntryId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
}

impl Command for CloseWaitlistEntry {
    type Answer = WaitlistEntryView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::WaitlistEntry(self.entry_id)
    }
}

impl Handler for CloseWaitlistEntry {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::close_waitlist_entry(ctx, self.entry_id, self.expected_version, &self.reason)
    }
}

/// The waitlist entries that could take the time an appointment held
/// (after it was cancelled), longest waiting first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WaitlistOffers {
    pub appointment_id: AppointmentId,
}

impl Command for WaitlistOffers {
    type Answer = Vec<WaitlistOffer>;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        // The offers name other patients than the appointment's.
        Subject::None
    }
}

impl Handler for WaitlistOffers {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::offers_for(ctx, self.appointment_id)
    }
}

/// Adds a recall ("see again in 3 months").
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddRecall {
    pub form: RecallForm,
}

impl Command for AddRecall {
    type Answer = RecallView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.form.patient_id)
    }
}

impl Handler for AddRecall {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::add_recall(ctx, &self.form)
    }
}

/// The open recalls due within `days` of today, overdue ones first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListRecalls {
    pub days: u32,
}

impl Command for ListRecalls {
    type Answer = RecallList;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListRecalls {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::recalls(ctx, self.days)
    }
}

/// Closes a recall with the reason (declined, could not reach).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CloseRecall {
    pub recall_id: RecallId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
}

impl Command for CloseRecall {
    type Answer = RecallView;
    const GUARD: Guard = WRITE;
    fn subject(&self) -> Subject {
        Subject::Recall(self.recall_id)
    }
}

impl Handler for CloseRecall {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        waitlist::close_recall(ctx, self.recall_id, self.expected_version, &self.reason)
    }
}
