//! The front desk's status flow. An appointment is scheduled, may be
//! confirmed, then the patient arrives (check-in, which opens the visit),
//! is roomed, seen and checked out. Before arrival it may be cancelled
//! (with a reason; late when within [`LATE_CANCEL_HOURS`] of the start) or
//! marked a no-show once its time has come. Cancelled, no-show and
//! checked-out are final. Every change is kept with its time and user.

use chartroom_core::{Error, Result};
use chartroom_types::AppointmentStatus as S;
use chrono::{DateTime, Duration, Utc};

/// A cancellation this close to the start is a late cancellation.
pub const LATE_CANCEL_HOURS: i64 = 24;

/// A patient who has waited this long since check-in shows as a long wait
/// on the flow board.
pub const LONG_WAIT_MINUTES: u32 = 20;

/// The statuses an appointment in `from` may move to by a plain status
/// change (check-in and cancellation have commands of their own, which
/// check them here too).
pub fn next(from: S) -> &'static [S] {
    match from {
        S::Scheduled => &[S::Confirmed, S::Arrived, S::NoShow, S::Cancelled],
        S::Confirmed => &[S::Arrived, S::NoShow, S::Cancelled],
        S::Arrived => &[S::InRoom, S::WithProvider, S::CheckedOut],
        S::InRoom => &[S::WithProvider, S::CheckedOut],
        S::WithProvider => &[S::CheckedOut],
        S::CheckedOut | S::NoShow | S::Cancelled => &[],
    }
}

/// Whether the appointment still waits for its patient (it can be moved,
/// cancelled, checked in).
pub fn is_open(s: S) -> bool {
    matches!(s, S::Scheduled | S::Confirmed)
}

/// Whether the appointment is over: cancelled, missed or checked out. Its
/// status, time and room stay as they are.
pub fn is_final(s: S) -> bool {
    matches!(s, S::Cancelled | S::NoShow | S::CheckedOut)
}

/// Checks a change from `from` to `to` for an appointment starting at
/// `starts_at`, at `now`.
pub fn check(from: S, to: S, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if !next(from).contains(&to) {
        return Err(Error::field(
            "status",
            format!(
                "An appointment that is {} cannot become {}",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
        ));
    }
    if to == S::NoShow && now < starts_at {
        return Err(Error::field(
            "status",
            "A patient is a no-show only once the appointment's time has come",
        ));
    }
    Ok(())
}

/// Whether cancelling at `now` is late.
pub fn late(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts_at - now < Duration::hours(LATE_CANCEL_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_flow_goes_forward_and_final_states_stay() {
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap();
        assert!(check(S::Scheduled, S::Confirmed, t, t).is_ok());
        assert!(check(S::Arrived, S::InRoom, t, t).is_ok());
        assert!(check(S::InRoom, S::CheckedOut, t, t).is_ok());
        for done in [S::CheckedOut, S::NoShow, S::Cancelled] {
            for to in S::ALL {
                assert!(check(done, *to, t, t).is_err(), "{done:?} -> {to:?}");
            }
        }
        assert!(check(S::WithProvider, S::Scheduled, t, t).is_err());
        // A no-show before the time has come is refused.
        let e = check(S::Scheduled, S::NoShow, t, t - Duration::minutes(1)).unwrap_err();
        assert!(e.to_string().contains("correct"), "{e}");
        assert!(check(S::Scheduled, S::NoShow, t, t).is_ok());
    }

    #[test]
    fn a_cancellation_within_a_day_is_late() {
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap();
        assert!(late(t, t - Duration::hours(23)));
        assert!(!late(t, t - Duration::hours(24)));
    }
}
