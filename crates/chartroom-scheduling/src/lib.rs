//! Scheduling: calendars with working hours and closures, appointment
//! types, bookings checked for conflicts, recurring series whose every
//! occurrence is an appointment of its own, the front desk's status flow
//! with check-in opening the visit, the flow board and a patient's
//! appointments.
//!
//! - [`recurrence`]: a series expanded into occurrences in the clinic's
//!   zone (RFC 5545 across daylight-saving changes).
//! - [`hours`]: a calendar's working week, one typed line per day.
//! - [`conflicts`]: what stands in a booking's way, the next free slot.
//! - [`status`]: the status flow and late cancellations.
//! - [`setup`]: calendars, appointment types and closures.
//! - [`appointments`]: booking, moving, cancelling, check-in, the views.
//! - [`printouts`]: day sheets and reminder letters, saved or printed,
//!   each patient on them a disclosure.
//! - [`waitlist`]: the waitlist (a freed time offered to those it suits)
//!   and recalls, the lists the front desk works from.
//! - [`commands`]: the commands, each declared once; [`protocol`]: their
//!   parts and answers.

pub mod appointments;
pub mod commands;
pub mod conflicts;
pub mod hours;
pub mod printouts;
pub mod protocol;
pub mod recurrence;
pub mod setup;
pub mod status;
pub mod waitlist;
