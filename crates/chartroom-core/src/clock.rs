//! The clock every rule reads. Tests inject a [`FixedClock`]; nothing else in
//! Chartroom asks the operating system for the time (`clippy.toml` bans it).
//! The clinic's time zone is a named IANA zone ([`Clock::zone`]): "today",
//! the start of a clinic day and every appointment's wall-clock time are
//! computed in it, daylight-saving changes included.

use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Now, and the clinic's "today".
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// The clinic's time zone.
    fn zone(&self) -> Tz;
    /// The calendar day at the clinic.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.zone()).date_naive()
    }
    /// The instant the clinic's day `day` begins (for filters by typed
    /// dates: a day runs from its start to the next day's).
    fn day_start(&self, day: NaiveDate) -> DateTime<Utc> {
        first_instant_at_or_after(self.zone(), day.and_time(chrono::NaiveTime::MIN))
    }
}

/// The first instant whose wall-clock time in `tz` is `local` or, when
/// `local` falls in a daylight-saving gap, the end of the gap.
pub fn first_instant_at_or_after(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.with_timezone(&Utc)
        }
        chrono::LocalResult::None => (1..=24 * 4)
            .find_map(|q| {
                tz.from_local_datetime(&(local + chrono::Duration::minutes(15 * q)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| local.and_utc()),
    }
}

/// The practice setting that names the clinic's IANA time zone (empty or
/// absent: the workstation's).
pub const TIME_ZONE_KEY: &str = "practice.time_zone";

/// Reads an IANA zone name ("America/New_York").
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// A clock read in the clinic's zone: the workstation's instant, the zone
/// the practice set (every [`crate::Ctx`] holds one).
#[derive(Clone, Copy)]
pub struct InZone<'a> {
    pub clock: &'a dyn Clock,
    pub zone: Tz,
}

impl Clock for InZone<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    fn zone(&self) -> Tz {
        self.zone
    }
}

/// The workstation's clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

/// The workstation's zone: `TZ` when it names one, else the system's
/// (`/etc/localtime`), else UTC. Read once per process.
fn workstation_zone() -> Tz {
    static ZONE: OnceLock<Tz> = OnceLock::new();
    *ZONE.get_or_init(|| {
        std::env::var("TZ")
            .ok()
            .and_then(|v| v.trim_start_matches(':').parse::<Tz>().ok())
            .or_else(|| {
                iana_time_zone::get_timezone()
                    .ok()
                    .and_then(|n| n.parse::<Tz>().ok())
            })
            .unwrap_or(Tz::UTC)
    })
}

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the OS clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn zone(&self) -> Tz {
        workstation_zone()
    }
}

/// A clock that stands still until told to move, in a clinic's zone.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
    zone: Tz,
}

impl FixedClock {
    /// A clock at `now`, for a clinic `offset_hours` from UTC all year
    /// (the zone `Etc/GMT-N`, whose sign is POSIX's, reversed).
    pub fn new(now: DateTime<Utc>, offset_hours: i32) -> Self {
        let zone = format!("Etc/GMT{:+}", -offset_hours)
            .parse::<Tz>()
            .unwrap_or(Tz::UTC);
        FixedClock::in_zone(now, zone)
    }

    /// A clock at `now`, for a clinic in `zone`.
    pub fn in_zone(now: DateTime<Utc>, zone: Tz) -> Self {
        FixedClock {
            now: Mutex::new(now),
            zone,
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
    fn zone(&self) -> Tz {
        self.zone
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

    #[test]
    fn a_day_that_starts_in_a_gap_starts_when_the_gap_ends() {
        // Santiago springs forward at midnight: 6 September 2026 has no
        // 00:00, its first instant is 01:00 local (04:00 UTC).
        let tz: Tz = "America/Santiago".parse().unwrap();
        let c = FixedClock::in_zone(Utc.with_ymd_and_hms(2026, 9, 6, 12, 0, 0).unwrap(), tz);
        let d = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(
            c.day_start(d),
            Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap()
        );
        assert_eq!(c.today(), d);
    }
}
