//! The clock every rule reads. Tests inject a [`FixedClock`]; nothing else in
//! Chartroom asks the operating system for the time (`clippy.toml` bans it).

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// Now, and the clinic's "today".
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// The calendar day at the clinic (the workstation's local time zone).
    fn today(&self) -> NaiveDate;
    /// The instant the clinic's day `day` begins (for filters by typed
    /// dates: a day runs from its start to the next day's).
    fn day_start(&self, day: NaiveDate) -> DateTime<Utc>;
}

/// The workstation's clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the OS clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    #[allow(clippy::disallowed_methods)]
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
    fn day_start(&self, day: NaiveDate) -> DateTime<Utc> {
        use chrono::TimeZone;
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        // A day that starts in a DST gap starts at the first instant it has.
        match chrono::Local.from_local_datetime(&midnight) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                t.with_timezone(&Utc)
            }
            chrono::LocalResult::None => (0..24)
                .find_map(|h| {
                    chrono::Local
                        .from_local_datetime(&(midnight + chrono::Duration::hours(h)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| midnight.and_utc()),
        }
    }
}

/// A clock that stands still until told to move, in a fixed UTC offset.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
    offset: FixedOffset,
}

impl FixedClock {
    /// A clock at `now`, for a clinic `offset_hours` from UTC.
    pub fn new(now: DateTime<Utc>, offset_hours: i32) -> Self {
        FixedClock {
            now: Mutex::new(now),
            offset: FixedOffset::east_opt(offset_hours * 3600).unwrap_or(Utc.fix()),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut g = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *g += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.offset).date_naive()
    }
    fn day_start(&self, day: NaiveDate) -> DateTime<Utc> {
        (day.and_time(chrono::NaiveTime::MIN) - self.offset).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_clinics_local_day() {
        // 02:30 UTC on 2 March is still 1 March in a clinic at UTC-8.
        let c = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 2, 30, 0).unwrap(), -8);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        c.advance(chrono::Duration::hours(8));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    }

    #[test]
    fn a_clinic_day_starts_at_its_local_midnight() {
        let c = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 2, 30, 0).unwrap(), -8);
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            c.day_start(d),
            Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap()
        );
        // The workstation's zone: its day starts at most a day off UTC midnight.
        let s = SystemClock.day_start(d);
        let utc_midnight = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        assert!((s - utc_midnight).num_hours().abs() <= 14, "{s}");
    }
}
