//! Common laboratory tests with LOINC codes, units and adult reference
//! ranges, and flagging a result against them.
//!
//! The table (`assets/clinical/labs.tsv`; LOINC content used under the LOINC
//! licence, see its header lines) holds the tests a primary-care practice
//! orders most. Ranges are typical adult ranges, not a standard: the range
//! printed on the laboratory's own report takes precedence. Where women's
//! and men's ranges differ, the one range given spans both.
//!
//! [`LabTest::flag`] reads a value as normal inside `[low, high]`
//! (inclusive), low or high outside it, and critical strictly beyond a
//! critical limit. [`loinc_check_digit_ok`] validates a LOINC code's mod-10
//! check digit; every code in the table passes it (checked at load).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CodesError;
use crate::tsv::{bad_row, rows};

/// The table, compiled in.
const ASSET: &str = include_str!("../../../assets/clinical/labs.tsv");
const ASSET_NAME: &str = "labs.tsv";
const COLUMNS: &[&str] = &[
    "loinc",
    "loinc_name",
    "name",
    "short_name",
    "unit",
    "decimals",
    "low",
    "high",
    "critical_low",
    "critical_high",
    "panel",
    "source",
];

/// One laboratory test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabTest {
    /// The LOINC code, e.g. `4548-4`.
    pub loinc: String,
    /// LOINC's long common name.
    pub loinc_name: String,
    /// The name shown to clinicians, e.g. `Hemoglobin A1c`.
    pub name: String,
    /// A short label for tables and flowsheets, e.g. `HbA1c`.
    pub short_name: String,
    /// The UCUM unit, e.g. `mg/dL`, `10*3/uL`, `m[IU]/L`.
    pub unit: String,
    /// Decimals to show.
    pub decimals: u8,
    /// Lower limit of the reference range (inclusive), if any.
    pub low: Option<f64>,
    /// Upper limit of the reference range (inclusive), if any.
    pub high: Option<f64>,
    /// Values below this are critical, if a limit is set.
    pub critical_low: Option<f64>,
    /// Values above this are critical, if a limit is set.
    pub critical_high: Option<f64>,
    /// The reference range as shown ("4.0–5.6 %", "≥ 60 mL/min/{1.73_m2}"),
    /// empty when the test has none. Computed at load.
    pub range_text: String,
    /// The panel the test is usually ordered in (`CBC`, `Lipid panel`...).
    pub panel: String,
    /// Where the range comes from, and how it was chosen.
    pub source: String,
}

/// How a result compares with a test's ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LabFlag {
    /// Inside the reference range (limits included).
    Normal,
    /// Below the reference range.
    Low,
    /// Above the reference range.
    High,
    /// Below the critical low limit: call the clinician.
    CriticalLow,
    /// Above the critical high limit: call the clinician.
    CriticalHigh,
    /// The test has no range to compare with (or the value is not a number).
    NoRange,
}

impl LabTest {
    /// Flags `value` (in this test's unit). Critical limits are checked
    /// first and are strict (`K 2.8` with a critical low of 2.8 is low, not
    /// critical); the reference range is inclusive.
    pub fn flag(&self, value: f64) -> LabFlag {
        if !value.is_finite() {
            return LabFlag::NoRange;
        }
        if self.critical_low.is_some_and(|c| value < c) {
            return LabFlag::CriticalLow;
        }
        if self.critical_high.is_some_and(|c| value > c) {
            return LabFlag::CriticalHigh;
        }
        if self.low.is_none() && self.high.is_none() {
            return LabFlag::NoRange;
        }
        if self.low.is_some_and(|l| value < l) {
            LabFlag::Low
        } else if self.high.is_some_and(|h| value > h) {
            LabFlag::High
        } else {
            LabFlag::Normal
        }
    }
}

/// True when `code` is shaped like a LOINC code (`digits-digit`) and its
/// check digit is right. LOINC uses the mod-10 (Luhn) algorithm over the
/// digits before the hyphen: from the right, every other digit starting
/// with the rightmost is doubled (subtracting 9 above 9), all are summed, and
/// the check digit brings the sum to a multiple of ten. Catches most typos.
pub fn loinc_check_digit_ok(code: &str) -> bool {
    let Some((payload, check)) = code.split_once('-') else {
        return false;
    };
    if payload.is_empty()
        || payload.len() > 7
        || check.len() != 1
        || !payload
            .bytes()
            .chain(check.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    let expected = (10 - sum % 10) % 10;
    u32::from(check.as_bytes()[0] - b'0') == expected
}

/// The lab table in memory. Build it once with [`LabCatalog::load`] or share
/// one with [`LabCatalog::shared`].
#[derive(Debug)]
pub struct LabCatalog {
    tests: Vec<LabTest>,
    by_code: HashMap<String, usize>,
}

/// An optional finite number: blank is `None`.
fn parse_limit(field: &str) -> Result<Option<f64>, String> {
    if field.is_empty() {
        return Ok(None);
    }
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("{field:?} is not a number")),
    }
}

impl LabCatalog {
    /// Parses the embedded table.
    ///
    /// # Errors
    /// Only if the embedded table is damaged (the tests load it).
    pub fn load() -> Result<Self, CodesError> {
        Self::from_tsv(ASSET)
    }

    /// One catalog for the whole process, built on first use.
    ///
    /// # Errors
    /// As [`LabCatalog::load`]; the outcome of the first call is kept.
    pub fn shared() -> Result<&'static Self, CodesError> {
        static SHARED: std::sync::OnceLock<Result<LabCatalog, CodesError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(Self::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub(crate) fn from_tsv(text: &str) -> Result<Self, CodesError> {
        let mut tests = Vec::new();
        let mut by_code = HashMap::new();
        for row in rows(ASSET_NAME, text, COLUMNS)? {
            let bad = |reason: String| bad_row(ASSET_NAME, row.line, reason);
            let [loinc, loinc_name, name, short_name, unit, decimals, low, high, critical_low, critical_high, panel, source] =
                row.fields[..]
            else {
                return Err(bad("wrong number of fields".to_owned()));
            };
            if !loinc_check_digit_ok(loinc) {
                return Err(bad(format!(
                    "{loinc:?} is not a LOINC code with a valid check digit"
                )));
            }
            for (column, value) in [
                ("loinc_name", loinc_name),
                ("name", name),
                ("short_name", short_name),
                ("unit", unit),
                ("panel", panel),
                ("source", source),
            ] {
                if value.trim().is_empty() {
                    return Err(bad(format!("{column} is required")));
                }
            }
            let decimals = match decimals.parse::<u8>() {
                Ok(d) if d <= 6 => d,
                _ => return Err(bad(format!("decimals {decimals:?} is not 0 to 6"))),
            };
            let [low, high, critical_low, critical_high] =
                [low, high, critical_low, critical_high].map(parse_limit);
            let (low, high, critical_low, critical_high) = (
                low.map_err(&bad)?,
                high.map_err(&bad)?,
                critical_low.map_err(&bad)?,
                critical_high.map_err(&bad)?,
            );
            if let (Some(l), Some(h)) = (low, high) {
                if l >= h {
                    return Err(bad("low must be below high".to_owned()));
                }
            }
            if let (Some(c), Some(l)) = (critical_low, low.or(high)) {
                if c >= l {
                    return Err(bad("critical_low must be below the range".to_owned()));
                }
            }
            if let (Some(c), Some(h)) = (critical_high, high.or(low)) {
                if c <= h {
                    return Err(bad("critical_high must be above the range".to_owned()));
                }
            }
            if by_code.insert(loinc.to_owned(), tests.len()).is_some() {
                return Err(bad(format!("duplicate LOINC code {loinc}")));
            }
            tests.push(LabTest {
                loinc: loinc.to_owned(),
                loinc_name: loinc_name.to_owned(),
                name: name.to_owned(),
                short_name: short_name.to_owned(),
                unit: unit.to_owned(),
                decimals,
                low,
                high,
                critical_low,
                critical_high,
                range_text: crate::Range {
                    low,
                    high,
                    unit,
                    decimals: Some(decimals),
                }
                .to_string(),
                panel: panel.to_owned(),
                source: source.to_owned(),
            });
        }
        if tests.is_empty() {
            return Err(CodesError::BadAsset {
                asset: ASSET_NAME,
                reason: "no tests".to_owned(),
            });
        }
        Ok(Self { tests, by_code })
    }

    /// Every test, in the table's order (grouped by panel).
    pub fn all(&self) -> &[LabTest] {
        &self.tests
    }

    /// One test by LOINC code (`718-7`); surrounding spaces are ignored.
    pub fn get(&self, loinc: &str) -> Option<&LabTest> {
        self.by_code.get(loinc.trim()).map(|&i| &self.tests[i])
    }

    /// The tests of one panel, in table order (`CBC`, `Lipid panel`...).
    pub fn panel<'a>(&'a self, panel: &'a str) -> impl Iterator<Item = &'a LabTest> + 'a {
        self.tests.iter().filter(move |t| t.panel == panel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        for good in ["718-7", "2160-0", "4548-4", "98979-8", "13457-7"] {
            assert!(loinc_check_digit_ok(good), "{good}");
        }
        for bad in [
            "718-8",
            "2160-1",
            "4548",
            "-4",
            "4548-",
            "45a8-4",
            "12345678-0",
            "718-77",
        ] {
            assert!(!loinc_check_digit_ok(bad), "{bad}");
        }
    }

    const HEADER: &str = "loinc\tloinc_name\tname\tshort_name\tunit\tdecimals\tlow\thigh\tcritical_low\tcritical_high\tpanel\tsource\n";

    fn parse(row: &str) -> Result<LabCatalog, CodesError> {
        LabCatalog::from_tsv(&format!("# x\n{HEADER}{row}\n"))
    }

    #[test]
    fn damaged_rows_are_errors() {
        let good = "2823-3\tPotassium\tPotassium\tK\tmmol/L\t1\t3.5\t5.1\t2.8\t6.2\tBMP\tsrc";
        assert!(parse(good).is_ok());
        for bad in [
            good.replace("2823-3", "2823-4"),
            good.replace("\t1\t", "\tone\t"),
            good.replace("3.5", "x"),
            good.replace("3.5", "5.5"),
            good.replace("2.8", "3.6"),
            good.replace("6.2", "5.0"),
            good.replace("\tBMP", "\t"),
            format!("{good}\n{good}"),
        ] {
            assert!(
                matches!(parse(&bad), Err(CodesError::BadRow { .. })),
                "{bad:?}"
            );
        }
    }
}
