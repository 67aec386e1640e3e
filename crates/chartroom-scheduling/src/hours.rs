//! A calendar's working week: for each weekday, the blocks of time it takes
//! appointments, typed as the front desk says them ("08:00-12:00,
//! 13:00-17:00"); the gap between two blocks is a break. No IN/OUT rows:
//! one line per day.
//!
//! Stored as canonical text, one line per working day
//! (`mon 08:00-12:00 13:00-17:00`), which [`WeekHours::parse_stored`]
//! reads back. Times are the clinic's wall-clock times; a block is within
//! one day.

use chartroom_core::{Error, FieldErrors, Result};
use chrono::{NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The seven days, Monday first, with the names the form uses.
pub const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "Monday"),
    (Weekday::Tue, "tue", "Tuesday"),
    (Weekday::Wed, "wed", "Wednesday"),
    (Weekday::Thu, "thu", "Thursday"),
    (Weekday::Fri, "fri", "Friday"),
    (Weekday::Sat, "sat", "Saturday"),
    (Weekday::Sun, "sun", "Sunday"),
];

/// The week as typed: one text per day, empty for a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WeekHoursForm {
    pub mon: String,
    pub tue: String,
    pub wed: String,
    pub thu: String,
    pub fri: String,
    pub sat: String,
    pub sun: String,
}

impl WeekHoursForm {
    fn days(&self) -> [&str; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }
}

/// A block of working time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Block {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The working week: blocks per weekday, sorted, not overlapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekHours {
    days: [Vec<Block>; 7],
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Reads "8", "8:30", "08:30", "1730" as a time of day.
fn time_of_day(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if !s.is_ascii() {
        return None;
    }
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h, m),
        None if s.len() == 4 => s.split_at(2),
        None => (s, "0"),
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 || m.is_empty() {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    if h == 24 && m == 0 {
        return None; // a block ends by 23:59; midnight belongs to the next day
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

fn parse_day(text: &str) -> std::result::Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    for part in text
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let part = part.replace(['–', '—'], "-");
        let (a, b) = part
            .split_once('-')
            .ok_or_else(|| format!("\"{part}\" is not a block of time such as 08:00-12:00"))?;
        let (start, end) = match (time_of_day(a), time_of_day(b)) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(format!(
                    "\"{part}\" is not a block of time such as 08:00-12:00 (24-hour times)"
                ))
            }
        };
        if end <= start {
            return Err(format!("{}-{} ends before it starts", hm(start), hm(end)));
        }
        if !start.minute().is_multiple_of(5) || !end.minute().is_multiple_of(5) {
            return Err(format!(
                "{}-{}: times are on the five minutes (08:00, 08:05...)",
                hm(start),
                hm(end)
            ));
        }
        blocks.push(Block { start, end });
    }
    blocks.sort();
    for w in blocks.windows(2) {
        if w[1].start < w[0].end {
            return Err(format!(
                "{}-{} overlaps {}-{}",
                hm(w[0].start),
                hm(w[0].end),
                hm(w[1].start),
                hm(w[1].end)
            ));
        }
    }
    Ok(blocks)
}

impl WeekHours {
    /// Checks the typed week; each day's problem is reported on its field
    /// (`hours.mon`...).
    pub fn check(form: &WeekHoursForm, errs: &mut FieldErrors) -> WeekHours {
        let mut days: [Vec<Block>; 7] = Default::default();
        for (i, text) in form.days().iter().enumerate() {
            match parse_day(text) {
                Ok(b) => days[i] = b,
                Err(m) => errs.add(&format!("hours.{}", DAYS[i].1), m),
            }
        }
        WeekHours { days }
    }

    /// The stored text, one line per working day.
    pub fn to_stored(&self) -> String {
        DAYS.iter()
            .zip(&self.days)
            .filter(|(_, b)| !b.is_empty())
            .map(|((_, key, _), blocks)| {
                let times: Vec<String> = blocks
                    .iter()
                    .map(|b| format!("{}-{}", hm(b.start), hm(b.end)))
                    .collect();
                format!("{key} {}", times.join(" "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads the stored text back.
    pub fn parse_stored(text: &str) -> Result<WeekHours> {
        let mut days: [Vec<Block>; 7] = Default::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            let i = DAYS
                .iter()
                .position(|d| d.1 == key)
                .ok_or_else(|| Error::Internal(format!("stored hours name no day: {key}")))?;
            days[i] = parse_day(rest).map_err(Error::Internal)?;
        }
        Ok(WeekHours { days })
    }

    /// The week as the form shows it.
    pub fn to_form(&self) -> WeekHoursForm {
        let t = |i: usize| {
            self.days[i]
                .iter()
                .map(|b| format!("{}-{}", hm(b.start), hm(b.end)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        WeekHoursForm {
            mon: t(0),
            tue: t(1),
            wed: t(2),
            thu: t(3),
            fri: t(4),
            sat: t(5),
            sun: t(6),
        }
    }

    /// The blocks of a weekday.
    pub fn on(&self, day: Weekday) -> &[Block] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Whether no day has hours.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The day's hours in words: "08:00-12:00, 13:00-17:00" or "closed".
    pub fn describe(&self, day: Weekday) -> String {
        let b = self.on(day);
        if b.is_empty() {
            "closed".into()
        } else {
            b.iter()
                .map(|b| format!("{}-{}", hm(b.start), hm(b.end)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(mon: &str) -> (WeekHours, FieldErrors) {
        let mut errs = FieldErrors::default();
        let w = WeekHours::check(
            &WeekHoursForm {
                mon: mon.into(),
                ..Default::default()
            },
            &mut errs,
        );
        (w, errs)
    }

    fn message(errs: FieldErrors) -> String {
        match errs.finish() {
            Err(Error::Validation(v)) => {
                assert_eq!(v[0].field, "hours.mon");
                v[0].message.clone()
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_day_with_a_break_reads_as_two_blocks_and_round_trips() {
        let (w, errs) = week("8-12, 13:00–17:30");
        assert!(errs.is_empty());
        assert_eq!(w.on(Weekday::Mon).len(), 2);
        assert_eq!(w.describe(Weekday::Mon), "08:00-12:00, 13:00-17:30");
        assert_eq!(w.describe(Weekday::Tue), "closed");
        assert_eq!(w.to_stored(), "mon 08:00-12:00 13:00-17:30");
        assert_eq!(WeekHours::parse_stored(&w.to_stored()).unwrap(), w);
        assert_eq!(w.to_form().mon, "08:00-12:00, 13:00-17:30");
    }

    #[test]
    fn bad_days_are_named_with_the_reason() {
        assert!(message(week("9-8").1).contains("ends before it starts"));
        assert!(message(week("8-12, 11-14").1).contains("overlaps"));
        assert!(message(week("8 to 12").1).contains("not a block of time"));
        assert!(message(week("8:07-12").1).contains("five minutes"));
        assert!(message(week("25-26").1).contains("not a block of time"));
        // Found by the API's generated input: four bytes that are not four
        // characters (it panicked slicing the text).
        assert!(message(week("ǅǅ-12").1).contains("not a block of time"));
    }
}
