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
}
