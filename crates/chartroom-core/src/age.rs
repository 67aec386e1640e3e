//! A patient's age at the clinic's today, in whole years and as the banner
//! shows it.

use chrono::{Datelike, NaiveDate};

/// Age in whole years, and as the banner shows it ("42 y", "18 mo", "12 d").
pub fn age(birth: NaiveDate, today: NaiveDate) -> (i64, String) {
    let mut years = i64::from(today.year() - birth.year());
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    let text = if years >= 2 {
        format!("{years} y")
    } else {
        let mut months = i64::from(today.year() - birth.year()) * 12 + i64::from(today.month())
            - i64::from(birth.month());
        if today.day() < birth.day() {
            months -= 1;
        }
        if months >= 1 {
            format!("{months} mo")
        } else {
            format!("{} d", (today - birth).num_days())
        }
    };
    (years.max(0), text)
}
