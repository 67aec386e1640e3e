//! A practice's past on its calendars, for the scheduling benchmark: every
//! weekday before today filled with visits that happened (checked out),
//! were missed (no-show) or were cancelled, written through the store's
//! own functions, a day to a transaction, each day audited as one bulk
//! creation. Bookings through the API refuse past days, so history is
//! made here.

use chartroom_core::{Actor, Ctx, Result};
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::scheduling::{self as store, Booking, StatusChange};
use chartroom_types::{AppointmentStatus, AppointmentTypeId, CalendarId, PatientId};
use chrono::{Datelike, Days, Duration, TimeZone, Weekday};

/// What to fill.
#[derive(Debug, Clone)]
pub struct HistorySpec {
    pub calendars: Vec<CalendarId>,
    pub type_id: AppointmentTypeId,
    /// Each visit's length.
    pub minutes: u32,
    /// Visits a calendar a day, back to back from `first_minute`.
    pub per_day: u32,
    /// The first visit's clinic time, minutes after midnight.
    pub first_minute: u32,
    /// How many days back from yesterday.
    pub days: u32,
    /// Patients 1..=patients take the visits in turn.
    pub patients: i64,
}

/// Fills a practice's past (see the module's text).
pub trait DemoScheduleHistory {
    /// Returns how many appointments were written.
    fn add_demo_schedule_history(&mut self, spec: &HistorySpec) -> Result<usize>;
}

impl DemoScheduleHistory for Ctx<'_> {
    fn add_demo_schedule_history(&mut self, spec: &HistorySpec) -> Result<usize> {
        let tz = self.zone();
        let today = self.today();
        let actor = Actor::system("demo-generator");
        let user = crate::practice::demo_creator(self)?;
        let mut patient = 0i64;
        let mut written = 0usize;
        for back in (1..=u64::from(spec.days)).rev() {
            let Some(day) = today.checked_sub_days(Days::new(back)) else {
                continue;
            };
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            let n = self.write(|tx, now| {
                let mut n = 0usize;
                for c in &spec.calendars {
                    for k in 0..spec.per_day {
                        let m = spec.first_minute + k * spec.minutes;
                        let Some(local) = day.and_hms_opt(m / 60, m % 60, 0) else {
                            continue;
                        };
                        let Some(start) = tz.from_local_datetime(&local).earliest() else {
                            continue;
                        };
                        let start = start.to_utc();
                        patient = patient % spec.patients.max(1) + 1;
                        let id = store::insert_appointment(
                            tx,
                            &Booking {
                                patient_id: PatientId(patient),
                                calendar_id: *c,
                                type_id: spec.type_id,
                                room_id: None,
                                series: None,
                                starts_at: start,
                                ends_at: start + Duration::minutes(i64::from(spec.minutes)),
                                day,
                                reason: String::new(),
                                override_reason: String::new(),
                            },
                            now,
                            user,
                        )?;
                        // One in twenty missed, one in ten cancelled, the
                        // rest seen.
                        let (status, change) = match k % 20 {
                            0 => (AppointmentStatus::NoShow, StatusChange::default()),
                            3 | 13 => (
                                AppointmentStatus::Cancelled,
                                StatusChange {
                                    cancel_reason: "patient called".into(),
                                    ..StatusChange::default()
                                },
                            ),
                            _ => (AppointmentStatus::CheckedOut, StatusChange::default()),
                        };
                        store::set_status(tx, id, 1, status, &change, now, user)?;
                        n += 1;
                    }
                }
                audit::append(
                    tx,
                    now,
                    &actor.event(
                        AuditAction::Create,
                        DataCategory::Schedule,
                        None,
                        format!("schedule/{day}"),
                        format!("demo data: {n} past appointments on {day}"),
                    ),
                )?;
                Ok(n)
            })?;
            written += n;
        }
        Ok(written)
    }
}
