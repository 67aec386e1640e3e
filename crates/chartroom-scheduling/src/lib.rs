//! Scheduling (issue 10), begun: the rule that turns a recurring series
//! into occurrences ([`recurrence`]). Providers, appointment types,
//! conflicts, the calendar commands and the front desk's day are still to
//! come; nothing here is wired into the API yet.

pub mod recurrence;
