//! What stands in a booking's way, and the next time nothing does.
//!
//! A booking `[start, end)` on a calendar conflicts with: another
//! appointment of that calendar that holds its time (not cancelled, not a
//! no-show) and overlaps it; the calendar's working hours (it must lie
//! within one block of its clinic day, so a break or a day off refuses
//! it); a closure of the calendar or of the whole practice that overlaps
//! it. A booking that holds a room also conflicts with another
//! appointment holding that room at the same time, whatever its calendar
//! ([`room_conflicts`]). Each conflict names the appointment or the rule. Times are compared
//! as UTC instants; hours are read in the clinic's zone, so a 9:00 block is
//! at 9:00 local on both sides of a daylight-saving change.

use chartroom_types::{AppointmentId, ClosureKind};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use crate::hours::{Block, WeekHours};

/// A time the calendar is closed, as the check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub kind: ClosureKind,
    pub label: String,
    /// The whole practice, not only this calendar.
    pub practice_wide: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// An appointment that holds its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub id: AppointmentId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// One reason a booking cannot go where asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Overlaps another appointment of the calendar.
    Overlap(Busy),
    /// Not within the calendar's hours that day (`hours`: that day's in
    /// words, "closed" for a day off).
    OutsideHours { hours: String },
    /// During a closure.
    Closed(Closed),
    /// The room asked for is held by another appointment (of any
    /// calendar) at that time.
    RoomTaken { room: String, by: Busy },
}

/// What a calendar's day is made of, for the checks.
#[derive(Debug, Clone, Copy)]
pub struct Calendar<'a> {
    pub name: &'a str,
    pub hours: &'a WeekHours,
    /// Closures of this calendar and of the whole practice, any order.
    pub closed: &'a [Closed],
    /// Appointments holding their time, sorted by start.
    pub busy: &'a [Busy],
}

fn local_hm(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

impl Conflict {
    /// The conflict in words for the front desk: which appointment or
    /// rule, and when. Names no patient.
    pub fn describe(&self, tz: Tz, calendar: &str) -> String {
        match self {
            Conflict::Overlap(b) => format!(
                "overlaps appointment #{} on {}'s calendar ({} {}-{})",
                b.id,
                calendar,
                b.starts_at.with_timezone(&tz).format("%a %b %-d"),
                local_hm(tz, b.starts_at),
                local_hm(tz, b.ends_at)
            ),
            Conflict::OutsideHours { hours } => {
                if hours == "closed" {
                    format!("{calendar} does not work that day")
                } else {
                    format!("outside {calendar}'s hours that day ({hours})")
                }
            }
            Conflict::RoomTaken { room, by } => format!(
                "{room} is taken by appointment #{} ({} {}-{})",
                by.id,
                by.starts_at.with_timezone(&tz).format("%a %b %-d"),
                local_hm(tz, by.starts_at),
                local_hm(tz, by.ends_at)
            ),
            Conflict::Closed(c) => {
                let what = if c.label.is_empty() {
                    c.kind.label().to_lowercase()
                } else {
                    format!("{} ({})", c.label, c.kind.label().to_lowercase())
                };
                let whose = if c.practice_wide {
                    "the practice is closed".to_string()
                } else {
                    format!("{calendar} is away")
                };
                format!(
                    "{whose}: {what}, {} {} to {} {}",
                    c.starts_at.with_timezone(&tz).format("%a %b %-d"),
                    local_hm(tz, c.starts_at),
                    c.ends_at.with_timezone(&tz).format("%a %b %-d"),
                    local_hm(tz, c.ends_at)
                )
            }
        }
    }
}

/// The instants a block of the clinic day `day` runs between.
fn block_instants(tz: Tz, day: NaiveDate, b: &Block) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |t| chartroom_core::clock::first_instant_at_or_after(tz, day.and_time(t));
    (at(b.start), at(b.end))
}

/// Every conflict of `[start, end)` on the calendar; `ignore` is the
/// appointment being moved (it does not conflict with itself).
pub fn conflicts(
    tz: Tz,
    cal: &Calendar<'_>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    ignore: Option<AppointmentId>,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    for b in cal.busy {
        if Some(b.id) != ignore && b.starts_at < end && start < b.ends_at {
            out.push(Conflict::Overlap(*b));
        }
    }
    let day = start.with_timezone(&tz).date_naive();
    let within = cal.hours.on(day.weekday()).iter().any(|b| {
        let (s, e) = block_instants(tz, day, b);
        s <= start && end <= e
    });
    if !within {
        out.push(Conflict::OutsideHours {
            hours: cal.hours.describe(day.weekday()),
        });
    }
    for c in cal.closed {
        if c.starts_at < end && start < c.ends_at {
            out.push(Conflict::Closed(c.clone()));
        }
    }
    out
}

/// The appointments holding the room `room` (`busy`, those that hold
/// their time) that `[start, end)` would overlap.
pub fn room_conflicts(
    room: &str,
    busy: &[Busy],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<Conflict> {
    busy.iter()
        .filter(|b| b.starts_at < end && start < b.ends_at)
        .map(|b| Conflict::RoomTaken {
            room: room.to_owned(),
            by: *b,
        })
        .collect()
}

/// Rounds up to the next five minutes (slots start on the five minutes).
fn ceil_5(t: DateTime<Utc>) -> DateTime<Utc> {
    let base = t
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t);
    let base = if base < t {
        base + Duration::minutes(1)
    } else {
        base
    };
    let rem = i64::from(base.minute() % 5);
    if rem == 0 {
        base
    } else {
        base + Duration::minutes(5 - rem)
    }
}

/// The first start at or after `from`, within `days` clinic days, where an
/// appointment of `minutes` fits the calendar with no conflict.
pub fn next_free(
    tz: Tz,
    cal: &Calendar<'_>,
    minutes: i64,
    from: DateTime<Utc>,
    days: u32,
) -> Option<DateTime<Utc>> {
    let len = Duration::minutes(minutes);
    let first_day = from.with_timezone(&tz).date_naive();
    let mut busy = cal.busy.iter().peekable();
    let mut closed: Vec<&Closed> = cal.closed.iter().collect();
    closed.sort_by_key(|c| c.starts_at);
    for day in first_day.iter_days().take(days as usize) {
        for b in cal.hours.on(day.weekday()) {
            let (bs, be) = block_instants(tz, day, b);
            let mut t = ceil_5(bs.max(from));
            'slot: while t + len <= be {
                let end = t + len;
                // Appointments ending by `t` can no longer stand in the way.
                while busy.peek().is_some_and(|x| x.ends_at <= t) {
                    busy.next();
                }
                for x in busy.clone() {
                    if x.starts_at >= end {
                        break;
                    }
                    if x.ends_at > t {
                        t = ceil_5(x.ends_at);
                        continue 'slot;
                    }
                }
                for c in &closed {
                    if c.starts_at < end && t < c.ends_at {
                        t = ceil_5(c.ends_at);
                        continue 'slot;
                    }
                }
                return Some(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::WeekHoursForm;
    use chartroom_core::FieldErrors;
    use chrono::TimeZone;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    fn weekdays_9_to_5_lunch_12() -> WeekHours {
        let day = "09:00-12:00, 13:00-17:00".to_string();
        let mut errs = FieldErrors::default();
        let w = WeekHours::check(
            &WeekHoursForm {
                mon: day.clone(),
                tue: day.clone(),
                wed: day.clone(),
                thu: day.clone(),
                fri: day,
                ..Default::default()
            },
            &mut errs,
        );
        assert!(errs.is_empty());
        w
    }

    fn local(s: &str) -> DateTime<Utc> {
        let n = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        ny().from_local_datetime(&n).unwrap().with_timezone(&Utc)
    }

    fn busy(id: i64, from: &str, to: &str) -> Busy {
        Busy {
            id: AppointmentId(id),
            starts_at: local(from),
            ends_at: local(to),
        }
    }

    #[test]
    fn a_room_held_at_the_time_is_named_with_its_appointment() {
        let tz = ny();
        let held = [
            busy(7, "2026-12-07 09:00", "2026-12-07 09:40"),
            busy(9, "2026-12-07 10:00", "2026-12-07 10:20"),
        ];
        let c = room_conflicts(
            "Procedure room",
            &held,
            local("2026-12-07 09:30"),
            local("2026-12-07 10:10"),
        );
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].describe(tz, "Dr Patel"),
            "Procedure room is taken by appointment #7 (Mon Dec 7 09:00-09:40)"
        );
        assert_eq!(
            c[1].describe(tz, "Dr Patel"),
            "Procedure room is taken by appointment #9 (Mon Dec 7 10:00-10:20)"
        );
        // Back to back is no conflict.
        assert!(room_conflicts(
            "Procedure room",
            &held,
            local("2026-12-07 09:40"),
            local("2026-12-07 10:00"),
        )
        .is_empty());
    }

    #[test]
    fn each_conflict_names_the_appointment_or_the_rule() {
        let hours = weekdays_9_to_5_lunch_12();
        let b = [busy(41, "2026-12-07 09:00", "2026-12-07 09:20")];
        let closed = [Closed {
            kind: ClosureKind::Meeting,
            label: "Staff meeting".into(),
            practice_wide: true,
            starts_at: local("2026-12-08 16:00"),
            ends_at: local("2026-12-08 17:00"),
        }];
        let cal = Calendar {
            name: "Dr Patel",
            hours: &hours,
            closed: &closed,
            busy: &b,
        };
        let tz = ny();
        // Monday 9:10: the 9:00 appointment.
        let c = conflicts(
            tz,
            &cal,
            local("2026-12-07 09:10"),
            local("2026-12-07 09:30"),
            None,
        );
        assert_eq!(c, vec![Conflict::Overlap(b[0])]);
        assert_eq!(
            c[0].describe(tz, "Dr Patel"),
            "overlaps appointment #41 on Dr Patel's calendar (Mon Dec 7 09:00-09:20)"
        );
        // The same appointment moved onto itself is no conflict.
        assert!(conflicts(
            tz,
            &cal,
            local("2026-12-07 09:10"),
            local("2026-12-07 09:30"),
            Some(AppointmentId(41))
        )
        .is_empty());
        // Ending exactly when the next starts is no overlap.
        assert!(conflicts(
            tz,
            &cal,
            local("2026-12-07 09:20"),
            local("2026-12-07 09:40"),
            None
        )
        .is_empty());
        // Across lunch.
        let c = conflicts(
            tz,
            &cal,
            local("2026-12-07 11:50"),
            local("2026-12-07 12:10"),
            None,
        );
        assert_eq!(
            c[0].describe(tz, "Dr Patel"),
            "outside Dr Patel's hours that day (09:00-12:00, 13:00-17:00)"
        );
        // Saturday.
        let c = conflicts(
            tz,
            &cal,
            local("2026-12-12 10:00"),
            local("2026-12-12 10:20"),
            None,
        );
        assert_eq!(
            c[0].describe(tz, "Dr Patel"),
            "Dr Patel does not work that day"
        );
        // The meeting.
        let c = conflicts(
            tz,
            &cal,
            local("2026-12-08 16:30"),
            local("2026-12-08 16:50"),
            None,
        );
        assert_eq!(
            c[0].describe(tz, "Dr Patel"),
            "the practice is closed: Staff meeting (meeting), Tue Dec 8 16:00 to Tue Dec 8 17:00"
        );
    }

    #[test]
    fn hours_stay_at_local_time_across_the_spring_change() {
        // 9 March 2026, the Monday after the US change (Sunday 8 March):
        // 9:00 is 13:00 UTC, not 14:00 as the week before.
        let hours = weekdays_9_to_5_lunch_12();
        let cal = Calendar {
            name: "Dr Patel",
            hours: &hours,
            closed: &[],
            busy: &[],
        };
        let tz = ny();
        let before = Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap();
        for t in [before, after] {
            assert!(
                conflicts(tz, &cal, t, t + Duration::minutes(20), None).is_empty(),
                "{t}"
            );
            let early = t - Duration::minutes(30);
            assert!(
                !conflicts(tz, &cal, early, early + Duration::minutes(20), None).is_empty(),
                "{early}"
            );
        }
        assert_eq!(
            next_free(tz, &cal, 20, after - Duration::hours(5), 1),
            Some(after)
        );
    }

    #[test]
    fn the_next_free_slot_skips_appointments_breaks_closures_and_days_off() {
        let hours = weekdays_9_to_5_lunch_12();
        let b = [
            busy(1, "2026-12-11 09:00", "2026-12-11 09:20"),
            busy(2, "2026-12-11 09:20", "2026-12-11 11:45"),
        ];
        let closed = [Closed {
            kind: ClosureKind::Vacation,
            label: String::new(),
            practice_wide: false,
            starts_at: local("2026-12-11 13:00"),
            ends_at: local("2026-12-11 15:07"),
        }];
        let cal = Calendar {
            name: "Dr Patel",
            hours: &hours,
            closed: &closed,
            busy: &b,
        };
        let tz = ny();
        // Friday from 8:00: 11:45 leaves 15 minutes before lunch; a
        // 15-minute visit fits there, a 20-minute one after the vacation
        // ends (rounded up to 15:10).
        let from = local("2026-12-11 08:00");
        assert_eq!(
            next_free(tz, &cal, 15, from, 90),
            Some(local("2026-12-11 11:45"))
        );
        assert_eq!(
            next_free(tz, &cal, 20, from, 90),
            Some(local("2026-12-11 15:10"))
        );
        // Asked at 16:50 on Friday, 20 minutes do not fit before 17:00: Monday 9:00.
        assert_eq!(
            next_free(tz, &cal, 20, local("2026-12-11 16:50"), 90),
            Some(local("2026-12-14 09:00"))
        );
        // A visit longer than any block never fits.
        assert_eq!(next_free(tz, &cal, 300, from, 90), None);
        // Asked at 10:02, a slot starts on the five minutes.
        let empty = Calendar {
            name: "Dr Patel",
            hours: &hours,
            closed: &[],
            busy: &[],
        };
        assert_eq!(
            next_free(tz, &empty, 20, local("2026-12-07 10:02"), 1),
            Some(local("2026-12-07 10:05"))
        );
    }
}
