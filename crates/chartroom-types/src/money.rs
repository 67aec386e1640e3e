//! Money in integer cents. Amounts are typed as text (`$1,234.50`, `12`,
//! `-3.5`), parsed exactly (no floats anywhere) and shown the US way.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount of US dollars, in cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(export)]
pub struct Money(#[ts(type = "number")] i64);

/// Why typed text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("is empty")]
    Empty,
    #[error("is not an amount of dollars and cents (like 125.00)")]
    NotAnAmount,
    #[error("has more than two digits after the decimal point")]
    TooPrecise,
    #[error("is too large")]
    TooLarge,
}

/// The largest amount Chartroom accepts anywhere: $10,000,000.00.
const MAX_CENTS: i64 = 1_000_000_000;

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// An amount of `cents`.
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Whether the amount is below zero (a credit).
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses typed text: an optional sign, an optional `$`, digits with
    /// optional thousands commas, and at most two decimals.
    pub fn parse(typed: &str) -> Result<Money, MoneyError> {
        let mut t = typed.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        let negative = if let Some(rest) = t.strip_prefix('-') {
            t = rest.trim_start();
            true
        } else {
            false
        };
        t = t.strip_prefix('$').unwrap_or(t).trim_start();
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(MoneyError::NotAnAmount);
        }
        // Thousands commas: groups of three after the first.
        let groups: Vec<&str> = whole.split(',').collect();
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[0].len() > 3
                || groups[1..].iter().any(|g| g.len() != 3))
        {
            return Err(MoneyError::NotAnAmount);
        }
        let digits: String = groups.concat();
        if !digits.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(MoneyError::NotAnAmount);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        if digits.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let dollars: i64 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| MoneyError::NotAnAmount)?
        };
        let cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| MoneyError::NotAnAmount)? * 10,
            _ => frac.parse().map_err(|_| MoneyError::NotAnAmount)?,
        };
        let total = dollars
            .checked_mul(100)
            .and_then(|d| d.checked_add(cents))
            .filter(|c| *c <= MAX_CENTS)
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money(if negative { -total } else { total }))
    }
}

impl std::fmt::Display for Money {
    /// `$1,234.50`, `-$3.05`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let abs = self.0.unsigned_abs();
        let dollars = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Result<i64, MoneyError> {
        Money::parse(s).map(Money::cents)
    }

    #[test]
    fn typed_amounts() {
        assert_eq!(m("125"), Ok(12_500));
        assert_eq!(m("$1,234.5"), Ok(123_450));
        assert_eq!(m(" -$3.05 "), Ok(-305));
        assert_eq!(m(".99"), Ok(99));
        assert_eq!(m("0.1"), Ok(10));
        assert_eq!(m(""), Err(MoneyError::Empty));
        assert_eq!(m("12.345"), Err(MoneyError::TooPrecise));
        assert_eq!(m("1,23"), Err(MoneyError::NotAnAmount));
        assert_eq!(m("12a"), Err(MoneyError::NotAnAmount));
        assert_eq!(m("1e5"), Err(MoneyError::NotAnAmount));
        assert_eq!(m("."), Err(MoneyError::NotAnAmount));
        assert_eq!(m("10000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(m("99999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn shown_the_us_way() {
        assert_eq!(Money::from_cents(123_450).to_string(), "$1,234.50");
        assert_eq!(Money::from_cents(-305).to_string(), "-$3.05");
        assert_eq!(Money::from_cents(0).to_string(), "$0.00");
        assert_eq!(Money::from_cents(100_000_000).to_string(), "$1,000,000.00");
        assert_eq!(
            serde_json::to_string(&Money::from_cents(250)).unwrap(),
            "250"
        );
    }

    proptest! {
        #[test]
        fn what_is_shown_parses_back(c in -MAX_CENTS..=MAX_CENTS) {
            let shown = Money::from_cents(c).to_string();
            prop_assert_eq!(Money::parse(&shown), Ok(Money::from_cents(c)));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse(&s);
        }

        #[test]
        fn adding_then_subtracting_gives_back(a in -MAX_CENTS..=MAX_CENTS, b in -MAX_CENTS..=MAX_CENTS) {
            let (a, b) = (Money::from_cents(a), Money::from_cents(b));
            prop_assert_eq!(a.checked_add(b).and_then(|s| s.checked_sub(b)), Some(a));
        }
    }
}
