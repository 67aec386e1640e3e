//! Recurring series: a first visit's local wall-clock time and a rule
//! (every N weeks, every N months by date or by weekday, "second
//! Tuesday", "last Friday"), ended by a count, a date or the practice's
//! horizon, expanded into occurrences, each its own instant in UTC.
//!
//! Invariants:
//! - a series keeps its wall-clock time in the clinic's time zone: a 9:00
//!   weekly visit is at 9:00 local before and after a daylight-saving
//!   change, so its UTC instant moves;
//! - a local time that does not exist (the spring gap) is read with the
//!   UTC offset in force before the gap, so 2:30 becomes 3:30 new time;
//!   one that occurs twice (the autumn overlap) is its first occurrence
//!   (RFC 5545, 3.3.5, which 3.3.10 applies to recurrence instances);
//! - a date a rule names that does not exist (the 31st of April, a fifth
//!   Monday) is skipped and not counted (RFC 5545, 3.3.10);
//! - occurrences are strictly increasing in time, at most
//!   [`MAX_OCCURRENCES`] of them.

use chartroom_core::{FieldErrors, Result};
use chrono::{
    DateTime, Datelike, Days, LocalResult, Months, NaiveDate, NaiveDateTime, Offset, TimeDelta,
    TimeZone, Utc,
};
use chrono_tz::Tz;

/// The most occurrences one series holds (ten years of weekly visits).
pub const MAX_OCCURRENCES: usize = 520;
/// The longest step: every 52 weeks, or every 24 months.
pub const MAX_WEEKS: u32 = 52;
pub const MAX_MONTHS: u32 = 24;
/// Steps tried before giving up on a rule that keeps naming dates that do
/// not exist.
const MAX_STEPS: u32 = 5_000;

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Every `every` weeks, on the first visit's weekday.
    Weekly { every: u32 },
    /// Every `every` months, on the first visit's day of the month.
    MonthlyByDate { every: u32 },
    /// Every `every` months, on the first visit's weekday in the same week
    /// of the month ("the second Tuesday"), or on its last one in the
    /// month when `last` (the first visit must then be one).
    MonthlyByWeekday { every: u32, last: bool },
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// After this many visits, the first included.
    After(u32),
    /// On this clinic day, included.
    On(NaiveDate),
    /// Open-ended: up to the practice's booking horizon.
    Never,
}

/// A recurring series as booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series {
    /// The first visit, clinic wall-clock time.
    pub first: NaiveDateTime,
    pub repeat: Repeat,
    pub ends: Ends,
}

/// How a clinic wall-clock time became an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The time exists once.
    Exact,
    /// The time falls in a spring-forward gap: moved on by the gap.
    AfterGap,
    /// The time occurs twice (autumn): the first of the two.
    FirstOfTwo,
}

/// One visit of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// Its place in the series, from 0 (skipped dates are not counted).
    pub index: u32,
    /// The clinic day and wall-clock time it is at (after a gap, the
    /// moved time).
    pub local: NaiveDateTime,
    pub at: DateTime<Utc>,
    pub resolved: Resolved,
}

/// The instant of clinic wall-clock time `t` in `tz` (RFC 5545, 3.3.5).
pub fn resolve(tz: Tz, t: NaiveDateTime) -> (DateTime<Utc>, Resolved) {
    match tz.from_local_datetime(&t) {
        LocalResult::Single(d) => (d.with_timezone(&Utc), Resolved::Exact),
        LocalResult::Ambiguous(first, _) => (first.with_timezone(&Utc), Resolved::FirstOfTwo),
        LocalResult::None => {
            // The offset in force before the gap: the nearest earlier
            // wall-clock time that exists (gaps last minutes to hours).
            let before = (1..=96)
                .filter_map(|k| {
                    tz.from_local_datetime(&(t - TimeDelta::minutes(15 * k)))
                        .earliest()
                })
                .next()
                .map(|d| d.offset().fix().local_minus_utc())
                .unwrap_or(0);
            let utc = Utc.from_utc_datetime(&(t - TimeDelta::seconds(i64::from(before))));
            (utc, Resolved::AfterGap)
        }
    }
}

/// The week of the month `d` falls in (1 for days 1-7, ...).
fn week_of_month(d: NaiveDate) -> u32 {
    (d.day() - 1) / 7 + 1
}

fn is_last_of_its_weekday(d: NaiveDate) -> bool {
    d.checked_add_days(Days::new(7))
        .is_none_or(|next| next.month() != d.month())
}

/// The date step `k` of `series` names, if it exists.
fn date_of(series: &Series, k: u32) -> Option<NaiveDate> {
    let first = series.first.date();
    match series.repeat {
        Repeat::Weekly { every } => {
            first.checked_add_days(Days::new(7 * u64::from(every) * u64::from(k)))
        }
        Repeat::MonthlyByDate { every } => {
            let month_start = first
                .with_day(1)?
                .checked_add_months(Months::new(every * k))?;
            month_start.with_day(first.day())
        }
        Repeat::MonthlyByWeekday { every, last } => {
            let month_start = first
                .with_day(1)?
                .checked_add_months(Months::new(every * k))?;
            let weekday = first.weekday();
            let to_weekday = (7 + weekday.num_days_from_monday()
                - month_start.weekday().num_days_from_monday())
                % 7;
            let first_such = month_start.checked_add_days(Days::new(u64::from(to_weekday)))?;
            let mut d = if last {
                first_such
            } else {
                first_such.checked_add_days(Days::new(7 * u64::from(week_of_month(first) - 1)))?
            };
            if last {
                while let Some(next) = d.checked_add_days(Days::new(7)) {
                    if next.month() != month_start.month() {
                        break;
                    }
                    d = next;
                }
            }
            (d.month() == month_start.month()).then_some(d)
        }
    }
}

/// Checks `series` (every problem by field) and expands it into its
/// occurrences in `tz`, an open-ended one up to `horizon` (included).
pub fn occurrences(series: &Series, tz: Tz, horizon: NaiveDate) -> Result<Vec<Occurrence>> {
    let mut errs = FieldErrors::default();
    let first = series.first.date();
    match series.repeat {
        Repeat::Weekly { every } if every == 0 || every > MAX_WEEKS => errs.add(
            "repeat.every",
            format!("Repeat every 1 to {MAX_WEEKS} weeks"),
        ),
        Repeat::MonthlyByDate { every } | Repeat::MonthlyByWeekday { every, .. }
            if every == 0 || every > MAX_MONTHS =>
        {
            errs.add(
                "repeat.every",
                format!("Repeat every 1 to {MAX_MONTHS} months"),
            )
        }
        Repeat::MonthlyByWeekday { last: true, .. } if !is_last_of_its_weekday(first) => errs.add(
            "repeat",
            format!(
                "{} is not the last {} of its month",
                first.format("%m/%d/%Y"),
                first.format("%A")
            ),
        ),
        _ => {}
    }
    match series.ends {
        Ends::After(0) => errs.add("ends", "A series has at least one visit"),
        Ends::After(n) if n as usize > MAX_OCCURRENCES => errs.add(
            "ends",
            format!("A series holds at most {MAX_OCCURRENCES} visits"),
        ),
        Ends::On(d) if d < first => errs.add("ends", "The series ends before its first visit"),
        Ends::Never if horizon < first => errs.add(
            "ends",
            format!(
                "The first visit is past the practice's booking horizon ({})",
                horizon.format("%m/%d/%Y")
            ),
        ),
        _ => {}
    }
    errs.finish()?;
    let last_day = match series.ends {
        Ends::After(_) => None,
        Ends::On(d) => Some(d),
        Ends::Never => Some(horizon),
    };
    let mut out: Vec<Occurrence> = Vec::new();
    for k in 0..MAX_STEPS {
        if let Ends::After(n) = series.ends {
            if out.len() >= n as usize {
                break;
            }
        }
        let Some(date) = date_of(series, k) else {
            if k == 0 {
                break;
            }
            continue;
        };
        if last_day.is_some_and(|l| date > l) {
            break;
        }
        if out.len() >= MAX_OCCURRENCES {
            let mut errs = FieldErrors::default();
            errs.add(
                "ends",
                format!(
                    "A series holds at most {MAX_OCCURRENCES} visits; choose an earlier end or \
                     fewer visits"
                ),
            );
            errs.finish()?;
        }
        let (at, resolved) = resolve(tz, date.and_time(series.first.time()));
        out.push(Occurrence {
            index: out.len() as u32,
            local: at.with_timezone(&tz).naive_local(),
            at,
            resolved,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, Timelike};
    use chrono_tz::America::Los_Angeles;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn weekly(first: NaiveDateTime, every: u32, n: u32) -> Vec<Occurrence> {
        occurrences(
            &Series {
                first,
                repeat: Repeat::Weekly { every },
                ends: Ends::After(n),
            },
            Los_Angeles,
            day(2030, 1, 1),
        )
        .unwrap()
    }

    #[test]
    fn a_nine_oclock_weekly_visit_stays_at_nine_across_both_changes() {
        // US clocks go forward on 03/14/2027 and back on 11/07/2027.
        let spring = weekly(at(2027, 3, 7, 9, 0), 1, 2);
        assert_eq!(
            spring.iter().map(|o| o.local).collect::<Vec<_>>(),
            [at(2027, 3, 7, 9, 0), at(2027, 3, 14, 9, 0)]
        );
        assert_eq!(spring[0].at.hour(), 17, "PST: UTC-8");
        assert_eq!(spring[1].at.hour(), 16, "PDT: UTC-7");
        let autumn = weekly(at(2027, 10, 31, 9, 0), 1, 2);
        assert_eq!(autumn[0].at.hour(), 16);
        assert_eq!(autumn[1].at.hour(), 17);
        assert!(autumn
            .iter()
            .chain(&spring)
            .all(|o| o.resolved == Resolved::Exact));
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_on_by_the_gap() {
        // 2:30 does not exist on 03/14/2027 in Los Angeles.
        let v = weekly(at(2027, 3, 7, 2, 30), 1, 3);
        assert_eq!(v[1].local, at(2027, 3, 14, 3, 30));
        assert_eq!(v[1].resolved, Resolved::AfterGap);
        // Read with the offset before the gap (UTC-8): 10:30 UTC.
        assert_eq!(v[1].at, Utc.from_utc_datetime(&at(2027, 3, 14, 10, 30)));
        // The next week is 2:30 again.
        assert_eq!(v[2].local, at(2027, 3, 21, 2, 30));
        assert_eq!(v[2].resolved, Resolved::Exact);
    }

    #[test]
    fn a_time_in_the_autumn_overlap_is_its_first_occurrence() {
        // 1:30 occurs twice on 11/07/2027: first in PDT (UTC-7).
        let v = weekly(at(2027, 10, 31, 1, 30), 1, 2);
        assert_eq!(v[1].local, at(2027, 11, 7, 1, 30));
        assert_eq!(v[1].resolved, Resolved::FirstOfTwo);
        assert_eq!(v[1].at, Utc.from_utc_datetime(&at(2027, 11, 7, 8, 30)));
    }

    #[test]
    fn every_second_week_for_six_visits() {
        let v = weekly(at(2027, 1, 5, 14, 0), 2, 6);
        assert_eq!(v.len(), 6);
        assert_eq!(v[5].local.date(), day(2027, 3, 16));
        assert_eq!(
            v.iter().map(|o| o.index).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4, 5]
        );
    }

    fn monthly(first: NaiveDateTime, repeat: Repeat, n: u32) -> Result<Vec<NaiveDate>> {
        Ok(occurrences(
            &Series {
                first,
                repeat,
                ends: Ends::After(n),
            },
            Los_Angeles,
            day(2030, 1, 1),
        )?
        .iter()
        .map(|o| o.local.date())
        .collect())
    }

    #[test]
    fn monthly_on_the_31st_skips_the_months_without_one() {
        assert_eq!(
            monthly(
                at(2027, 1, 31, 10, 0),
                Repeat::MonthlyByDate { every: 1 },
                4
            )
            .unwrap(),
            [
                day(2027, 1, 31),
                day(2027, 3, 31),
                day(2027, 5, 31),
                day(2027, 7, 31)
            ]
        );
        // Every three months from 11/30: February has no 30th.
        assert_eq!(
            monthly(
                at(2026, 11, 30, 10, 0),
                Repeat::MonthlyByDate { every: 3 },
                3
            )
            .unwrap(),
            [day(2026, 11, 30), day(2027, 5, 30), day(2027, 8, 30)]
        );
    }

    #[test]
    fn monthly_by_weekday_second_tuesday_last_friday_and_fifth_monday() {
        let second_tuesday = Repeat::MonthlyByWeekday {
            every: 1,
            last: false,
        };
        assert_eq!(
            monthly(at(2027, 1, 12, 9, 0), second_tuesday, 3).unwrap(),
            [day(2027, 1, 12), day(2027, 2, 9), day(2027, 3, 9)]
        );
        let last = Repeat::MonthlyByWeekday {
            every: 1,
            last: true,
        };
        assert_eq!(
            monthly(at(2027, 1, 29, 9, 0), last, 3).unwrap(),
            [day(2027, 1, 29), day(2027, 2, 26), day(2027, 3, 26)]
        );
        // 03/29/2027 is the fifth Monday; April and May have none.
        let fifth = Repeat::MonthlyByWeekday {
            every: 1,
            last: false,
        };
        assert_eq!(
            monthly(at(2027, 3, 29, 9, 0), fifth, 2).unwrap(),
            [day(2027, 3, 29), day(2027, 5, 31)]
        );
        // "Last" needs a first visit that is one.
        let e = monthly(at(2027, 1, 12, 9, 0), last, 3).unwrap_err();
        assert!(format!("{e:?}").contains("not the last Tuesday"), "{e:?}");
    }

    #[test]
    fn an_end_date_is_included_and_open_ended_stops_at_the_horizon() {
        let s = |ends| Series {
            first: at(2027, 1, 4, 8, 0),
            repeat: Repeat::Weekly { every: 1 },
            ends,
        };
        let on = occurrences(&s(Ends::On(day(2027, 1, 25))), Los_Angeles, day(2030, 1, 1)).unwrap();
        assert_eq!(on.len(), 4);
        let open = occurrences(&s(Ends::Never), Los_Angeles, day(2027, 2, 28)).unwrap();
        assert_eq!(open.last().unwrap().local.date(), day(2027, 2, 22));
        assert_eq!(open.len(), 8);
    }

    #[test]
    fn bad_rules_are_refused_by_field() {
        let fields = |repeat, ends, horizon| match occurrences(
            &Series {
                first: at(2027, 1, 4, 8, 0),
                repeat,
                ends,
            },
            Los_Angeles,
            horizon,
        ) {
            Err(chartroom_core::Error::Validation(v)) => {
                v.into_iter().map(|f| f.field).collect::<Vec<_>>()
            }
            other => panic!("accepted: {other:?}"),
        };
        let far = day(2040, 1, 1);
        assert_eq!(
            fields(Repeat::Weekly { every: 0 }, Ends::After(0), far),
            ["repeat.every", "ends"]
        );
        assert_eq!(
            fields(Repeat::MonthlyByDate { every: 25 }, Ends::After(3), far),
            ["repeat.every"]
        );
        assert_eq!(
            fields(
                Repeat::Weekly { every: 1 },
                Ends::On(day(2026, 12, 31)),
                far
            ),
            ["ends"]
        );
        assert_eq!(
            fields(Repeat::Weekly { every: 1 }, Ends::Never, day(2026, 1, 1)),
            ["ends"]
        );
        // Weekly until 2040: more than ten years of visits.
        assert_eq!(
            fields(Repeat::Weekly { every: 1 }, Ends::On(far), far),
            ["ends"]
        );
        assert_eq!(
            fields(Repeat::Weekly { every: 1 }, Ends::After(521), far),
            ["ends"]
        );
    }

    const ZONES: [Tz; 6] = [
        chrono_tz::America::New_York,
        chrono_tz::America::Los_Angeles,
        chrono_tz::America::Phoenix,
        chrono_tz::Europe::London,
        chrono_tz::Australia::Sydney,
        // A 30-minute daylight-saving change.
        chrono_tz::Australia::Lord_Howe,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Any weekly series in any of these zones: as many visits as
        /// asked, strictly increasing, each on its day at the series'
        /// wall-clock time (or moved on by a gap, by less than an hour).
        #[test]
        fn weekly_series_keep_their_days_and_wall_clock_time(
            zone in 0..ZONES.len(),
            days in 0u64..(366 * 8),
            quarter in 0u32..96,
            every in 1u32..5,
            n in 1u32..80,
        ) {
            let tz = ZONES[zone];
            let first = day(2024, 1, 1)
                .checked_add_days(Days::new(days))
                .unwrap()
                .and_time(NaiveTime::from_hms_opt(quarter / 4, 15 * (quarter % 4), 0).unwrap());
            let v = occurrences(
                &Series { first, repeat: Repeat::Weekly { every }, ends: Ends::After(n) },
                tz,
                day(2050, 1, 1),
            ).unwrap();
            prop_assert_eq!(v.len(), n as usize);
            for (i, o) in v.iter().enumerate() {
                let want = first.date() + Days::new(7 * u64::from(every) * i as u64);
                prop_assert_eq!(o.index as usize, i);
                match o.resolved {
                    Resolved::Exact => {
                        prop_assert_eq!(o.local, want.and_time(first.time()));
                    }
                    Resolved::FirstOfTwo => {
                        prop_assert_eq!(o.local, want.and_time(first.time()));
                        let both = tz.from_local_datetime(&o.local);
                        prop_assert!(matches!(both, LocalResult::Ambiguous(..)));
                        prop_assert_eq!(Some(o.at), both.earliest().map(|d| d.with_timezone(&Utc)));
                    }
                    Resolved::AfterGap => {
                        let moved = o.local - want.and_time(first.time());
                        prop_assert!(moved > TimeDelta::zero() && moved <= TimeDelta::hours(1));
                        prop_assert!(tz.from_local_datetime(&want.and_time(first.time())).earliest().is_none());
                    }
                }
            }
            prop_assert!(v.windows(2).all(|w| w[0].at < w[1].at));
        }
    }
}
