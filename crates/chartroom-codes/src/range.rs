//! The one way a reference or target range is written, wherever it shows:
//! a lab result's reference range, a vital sign's target range on its
//! value and on a trend plot, the plausible range in a refusal. Ranges are
//! inclusive, so an open end reads "≥" or "≤".

use std::fmt;

/// A range in its unit: either end may be open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range<'a> {
    /// Lower limit (inclusive), if any.
    pub low: Option<f64>,
    /// Upper limit (inclusive), if any.
    pub high: Option<f64>,
    /// The unit, written after the numbers ("mmol/L", "°C"); may be empty.
    pub unit: &'a str,
    /// Decimals to write (a lab test's own); `None`: at most one, with a
    /// trailing ".0" left off (vital signs).
    pub decimals: Option<u8>,
}

impl Range<'_> {
    fn num(&self, v: f64) -> String {
        match self.decimals {
            Some(d) => format!("{v:.d$}", d = d as usize),
            None => {
                let s = format!("{v:.1}");
                match s.strip_suffix(".0") {
                    Some("-0") => "0".to_owned(),
                    Some(whole) => whole.to_owned(),
                    None => s,
                }
            }
        }
    }
}

/// "3.5–5.0 mmol/L", "≥ 60 mL/min", "≤ 200 mg/dL"; empty when both ends are open.
impl fmt::Display for Range<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let numbers = match (self.low, self.high) {
            (Some(l), Some(h)) => format!("{}–{}", self.num(l), self.num(h)),
            (Some(l), None) => format!("≥ {}", self.num(l)),
            (None, Some(h)) => format!("≤ {}", self.num(h)),
            (None, None) => return Ok(()),
        };
        if self.unit.is_empty() {
            f.write_str(&numbers)
        } else {
            write!(f, "{numbers} {}", self.unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(low: Option<f64>, high: Option<f64>, unit: &str, decimals: Option<u8>) -> String {
        Range {
            low,
            high,
            unit,
            decimals,
        }
        .to_string()
    }

    #[test]
    fn ranges_read_one_way() {
        assert_eq!(
            text(Some(3.5), Some(5.0), "mmol/L", Some(1)),
            "3.5–5.0 mmol/L"
        );
        assert_eq!(text(None, Some(200.0), "mg/dL", Some(0)), "≤ 200 mg/dL");
        assert_eq!(text(Some(60.0), None, "", Some(0)), "≥ 60");
        assert_eq!(text(Some(97.0), Some(99.5), "°F", None), "97–99.5 °F");
        assert_eq!(text(Some(36.14), Some(37.96), "°C", None), "36.1–38 °C");
        assert_eq!(text(Some(-0.01), Some(0.04), "", None), "0–0");
        assert_eq!(text(None, None, "mg/dL", Some(1)), "");
    }
}
