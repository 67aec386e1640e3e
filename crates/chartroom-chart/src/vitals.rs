//! Vital signs: their LOINC codes, SI storage units, the practice's display
//! units, conversions and plausibility limits. The only place in Chartroom
//! that converts units; the UI shows what comes back.

use crate::protocol::{VitalDef, VitalsInput};
use chartroom_core::FieldErrors;
use chartroom_store::model::ObservationKind;
use chartroom_store::observations::NewObservation;

pub use chartroom_types::Units;

pub const SYSTOLIC: &str = "8480-6";
pub const DIASTOLIC: &str = "8462-4";
pub const PULSE: &str = "8867-4";
pub const RESPIRATION: &str = "9279-1";
pub const TEMPERATURE: &str = "8310-5";
pub const SPO2: &str = "59408-5";
pub const HEIGHT: &str = "8302-2";
pub const WEIGHT: &str = "29463-7";
pub const BMI: &str = "39156-5";
pub const HEAD: &str = "9843-4";
pub const PAIN: &str = "72514-3";

/// One vital sign.
struct Def {
    code: &'static str,
    key: &'static str,
    name: &'static str,
    si_unit: &'static str,
    /// Plausible range in SI units: outside it a value is refused.
    min: f64,
    max: f64,
    /// Adult target range in SI, for plots.
    target: Option<(f64, f64)>,
}

const DEFS: &[Def] = &[
    Def {
        code: SYSTOLIC,
        key: "systolic",
        name: "Systolic blood pressure",
        si_unit: "mm[Hg]",
        min: 40.0,
        max: 300.0,
        target: Some((90.0, 130.0)),
    },
    Def {
        code: DIASTOLIC,
        key: "diastolic",
        name: "Diastolic blood pressure",
        si_unit: "mm[Hg]",
        min: 20.0,
        max: 200.0,
        target: Some((60.0, 80.0)),
    },
    Def {
        code: PULSE,
        key: "pulse",
        name: "Pulse",
        si_unit: "/min",
        min: 20.0,
        max: 250.0,
        target: Some((60.0, 100.0)),
    },
    Def {
        code: RESPIRATION,
        key: "respiration",
        name: "Respiratory rate",
        si_unit: "/min",
        min: 4.0,
        max: 80.0,
        target: Some((12.0, 20.0)),
    },
    Def {
        code: TEMPERATURE,
        key: "temperature",
        name: "Temperature",
        si_unit: "Cel",
        min: 30.0,
        max: 45.0,
        target: Some((36.1, 37.8)),
    },
    Def {
        code: SPO2,
        key: "spo2",
        name: "Oxygen saturation",
        si_unit: "%",
        min: 50.0,
        max: 100.0,
        target: Some((95.0, 100.0)),
    },
    Def {
        code: HEIGHT,
        key: "height",
        name: "Height",
        si_unit: "cm",
        min: 20.0,
        max: 250.0,
        target: None,
    },
    Def {
        code: WEIGHT,
        key: "weight",
        name: "Weight",
        si_unit: "kg",
        min: 0.3,
        max: 350.0,
        target: None,
    },
    Def {
        code: BMI,
        key: "bmi",
        name: "Body mass index",
        si_unit: "kg/m2",
        min: 5.0,
        max: 150.0,
        target: Some((18.5, 25.0)),
    },
    Def {
        code: HEAD,
        key: "head_circumference",
        name: "Head circumference",
        si_unit: "cm",
        min: 20.0,
        max: 70.0,
        target: None,
    },
    Def {
        code: PAIN,
        key: "pain",
        name: "Pain score",
        si_unit: "{score}",
        min: 0.0,
        max: 10.0,
        target: None,
    },
];

fn def(code: &str) -> Option<&'static Def> {
    DEFS.iter().find(|d| d.code == code)
}

/// The SI unit a vital is stored in.
pub fn si_unit(code: &str) -> &'static str {
    def(code).map(|d| d.si_unit).unwrap_or("")
}

/// Whether a code is a vital sign.
pub fn is_vital(code: &str) -> bool {
    def(code).is_some()
}

/// The display unit of a vital in these units.
fn display_unit(code: &str, units: Units) -> &'static str {
    match (code, units) {
        (TEMPERATURE, Units::Us) => "°F",
        (TEMPERATURE, Units::Metric) => "°C",
        (HEIGHT | HEAD, Units::Us) => "in",
        (WEIGHT, Units::Us) => "lb",
        _ => match def(code).map(|d| d.si_unit) {
            Some("mm[Hg]") => "mmHg",
            Some("/min") => "/min",
            Some("{score}") => "/10",
            Some(u) => u,
            None => "",
        },
    }
}

/// Converts an SI value to the display unit.
pub fn to_display(code: &str, si: f64, units: Units) -> f64 {
    match (code, units) {
        (TEMPERATURE, Units::Us) => si * 9.0 / 5.0 + 32.0,
        (HEIGHT | HEAD, Units::Us) => si / 2.54,
        (WEIGHT, Units::Us) => si / 0.453_592_37,
        _ => si,
    }
}

/// A value for display with the decimals that make sense for it.
pub fn format(code: &str, display: f64) -> String {
    match code {
        TEMPERATURE | HEIGHT | HEAD | WEIGHT | BMI => format!("{display:.1}"),
        _ => format!("{display:.0}"),
    }
}

/// The definitions as the UI sees them.
pub fn defs(units: Units) -> Vec<VitalDef> {
    DEFS.iter()
        .map(|d| VitalDef {
            code: d.code.into(),
            key: d.key.into(),
            name: d.name.into(),
            si_unit: d.si_unit.into(),
            display_unit: display_unit(d.code, units).into(),
            target_low: d.target.map(|t| round1(to_display(d.code, t.0, units))),
            target_high: d.target.map(|t| round1(to_display(d.code, t.1, units))),
        })
        .collect()
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Name and display unit of a vital.
pub fn describe(code: &str, units: Units) -> (String, String) {
    (
        def(code).map(|d| d.name).unwrap_or(code).to_string(),
        display_unit(code, units).to_string(),
    )
}

/// Target range in display units.
pub fn target(code: &str, units: Units) -> Option<(f64, f64)> {
    def(code).and_then(|d| d.target).map(|t| {
        (
            round1(to_display(code, t.0, units)),
            round1(to_display(code, t.1, units)),
        )
    })
}

fn number(errs: &mut FieldErrors, field: &str, label: &str, v: &str) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errs.add(field, format!("{label} \"{v}\" is not a number"));
            None
        }
    }
}

/// Checks a value (already in SI) against the plausible range, saying why
/// it was refused in the unit it was typed in.
fn plausible(
    errs: &mut FieldErrors,
    field: &str,
    code: &str,
    si: f64,
    typed: f64,
    typed_unit: &str,
) -> bool {
    let Some(d) = def(code) else { return false };
    if si < d.min || si > d.max {
        let hint = match (code, typed_unit) {
            (TEMPERATURE, "°C") if (86.0..=113.0).contains(&typed) => {
                format!(
                    "; did you mean °F? ({typed} °F is {:.1} °C)",
                    (typed - 32.0) * 5.0 / 9.0
                )
            }
            (TEMPERATURE, "°F") if (30.0..=45.0).contains(&typed) => {
                format!(
                    "; did you mean °C? ({typed} °C is {:.1} °F)",
                    typed * 9.0 / 5.0 + 32.0
                )
            }
            _ => String::new(),
        };
        errs.add(
            field,
            format!(
                "{} of {typed} {typed_unit} is not plausible (expected {}){hint}",
                d.name,
                range_text(code, typed_unit)
            ),
        );
        return false;
    }
    true
}

fn range_text(code: &str, unit: &str) -> String {
    let Some(d) = def(code) else {
        return String::new();
    };
    let (lo, hi) = match unit {
        "°F" => (d.min * 9.0 / 5.0 + 32.0, d.max * 9.0 / 5.0 + 32.0),
        "in" => (d.min / 2.54, d.max / 2.54),
        "lb" => (d.min / 0.453_592_37, d.max / 0.453_592_37),
        _ => (d.min, d.max),
    };
    target_text(Some((lo, hi)), unit)
}

/// A vital sign's range (target or plausible) as text, in `unit`: the
/// one range formatter, at most one decimal.
pub fn target_text(range: Option<(f64, f64)>, unit: &str) -> String {
    range
        .map(|(low, high)| {
            chartroom_codes::Range {
                low: Some(low),
                high: Some(high),
                unit,
                decimals: None,
            }
            .to_string()
        })
        .unwrap_or_default()
}

/// Whether head circumference is measured at this age (children under 3):
/// the one rule the form and the validation both follow.
pub fn measures_head_circumference(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    chartroom_core::age::age(birth, today).0 < 3
}

/// Validates a set of vitals and returns what to store (SI units), BMI
/// included when height and weight are both given. `child` allows head
/// circumference. Every problem is reported at once.
pub fn parse(
    input: &VitalsInput,
    effective_at: &str,
    child: bool,
    errs: &mut FieldErrors,
) -> Vec<NewObservation> {
    let mut out = Vec::new();
    let mut push = |code: &str, si: f64| {
        out.push(NewObservation {
            kind: ObservationKind::Vital,
            code: code.to_string(),
            value: si,
            unit: def(code).map(|d| d.si_unit).unwrap_or("").to_string(),
            flag: String::new(),
            effective_at: effective_at.to_string(),
            comment: String::new(),
        })
    };
    let sys = number(errs, "systolic", "Systolic pressure", &input.systolic);
    let dia = number(errs, "diastolic", "Diastolic pressure", &input.diastolic);
    match (sys, dia) {
        (Some(s), Some(d)) => {
            let ok_s = plausible(errs, "systolic", SYSTOLIC, s, s, "mmHg");
            let ok_d = plausible(errs, "diastolic", DIASTOLIC, d, d, "mmHg");
            if ok_s && ok_d {
                if d >= s {
                    errs.add(
                        "diastolic",
                        format!("Diastolic pressure ({d}) must be lower than systolic ({s})"),
                    );
                } else {
                    push(SYSTOLIC, s);
                    push(DIASTOLIC, d);
                }
            }
        }
        (Some(_), None) => errs.add("diastolic", "Enter both numbers of the blood pressure"),
        (None, Some(_)) => errs.add("systolic", "Enter both numbers of the blood pressure"),
        (None, None) => {}
    }
    for (field, label, code, text) in [
        ("pulse", "Pulse", PULSE, &input.pulse),
        (
            "respiration",
            "Respiratory rate",
            RESPIRATION,
            &input.respiration,
        ),
        ("spo2", "Oxygen saturation", SPO2, &input.spo2),
    ] {
        if let Some(v) = number(errs, field, label, text) {
            if plausible(errs, field, code, v, v, display_unit(code, Units::Metric)) {
                push(code, v);
            }
        }
    }
    if let Some(v) = number(errs, "temperature", "Temperature", &input.temperature) {
        match input.temperature_unit.as_str() {
            "F" => {
                let si = (v - 32.0) * 5.0 / 9.0;
                if plausible(errs, "temperature", TEMPERATURE, si, v, "°F") {
                    push(TEMPERATURE, si);
                }
            }
            "C" => {
                if plausible(errs, "temperature", TEMPERATURE, v, v, "°C") {
                    push(TEMPERATURE, v);
                }
            }
            _ => errs.add("temperature_unit", "Choose °F or °C"),
        }
    }
    let mut length =
        |field: &str, label: &str, code: &str, text: &str, unit: &str| -> Option<f64> {
            let v = number(errs, field, label, text)?;
            let (si, u) = match unit {
                "in" => (v * 2.54, "in"),
                "cm" => (v, "cm"),
                _ => {
                    errs.add(&format!("{field}_unit"), "Choose in or cm");
                    return None;
                }
            };
            plausible(errs, field, code, si, v, u).then_some(si)
        };
    let height = length(
        "height",
        "Height",
        HEIGHT,
        &input.height,
        &input.height_unit,
    );
    let head = length(
        "head_circumference",
        "Head circumference",
        HEAD,
        &input.head_circumference,
        &input.head_circumference_unit,
    );
    let weight = number(errs, "weight", "Weight", &input.weight).and_then(|v| {
        let (si, u) = match input.weight_unit.as_str() {
            "lb" => (v * 0.453_592_37, "lb"),
            "kg" => (v, "kg"),
            _ => {
                errs.add("weight_unit", "Choose lb or kg");
                return None;
            }
        };
        plausible(errs, "weight", WEIGHT, si, v, u).then_some(si)
    });
    if let Some(h) = height {
        push(HEIGHT, h);
    }
    if let Some(w) = weight {
        push(WEIGHT, w);
    }
    if let (Some(h), Some(w)) = (height, weight) {
        let bmi = w / (h / 100.0).powi(2);
        if (5.0..=150.0).contains(&bmi) {
            push(BMI, (bmi * 10.0).round() / 10.0);
        } else {
            errs.add(
                "weight",
                format!(
                    "Height and weight give a BMI of {bmi:.0}, which is not plausible; check both"
                ),
            );
        }
    }
    if let Some(h) = head {
        if child {
            push(HEAD, h);
        } else {
            errs.add(
                "head_circumference",
                "Head circumference is recorded for children under 3 only",
            );
        }
    }
    if let Some(p) = number(errs, "pain", "Pain score", &input.pain) {
        if p.fract() != 0.0 || !(0.0..=10.0).contains(&p) {
            errs.add(
                "pain",
                format!("Pain score must be a whole number from 0 to 10, not {p}"),
            );
        } else {
            push(PAIN, p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> VitalsInput {
        VitalsInput {
            temperature_unit: "F".into(),
            height_unit: "in".into(),
            weight_unit: "lb".into(),
            head_circumference_unit: "cm".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_full_set_is_stored_in_si_with_bmi() {
        let mut i = input();
        i.systolic = "128".into();
        i.diastolic = "82".into();
        i.temperature = "98.6".into();
        i.height = "70".into();
        i.weight = "180".into();
        i.pain = "3".into();
        let mut errs = FieldErrors::default();
        let obs = parse(&i, "2026-11-22T09:00", false, &mut errs);
        assert!(errs.finish().is_ok());
        let get = |c: &str| obs.iter().find(|o| o.code == c).map(|o| o.value);
        assert_eq!(get(SYSTOLIC), Some(128.0));
        assert!((get(TEMPERATURE).unwrap_or(0.0) - 37.0).abs() < 0.01);
        assert!((get(HEIGHT).unwrap_or(0.0) - 177.8).abs() < 0.01);
        assert!((get(WEIGHT).unwrap_or(0.0) - 81.65).abs() < 0.01);
        assert_eq!(get(BMI), Some(25.8));
        assert_eq!(
            format(TEMPERATURE, to_display(TEMPERATURE, 37.0, Units::Us)),
            "98.6"
        );
    }

    fn errors_of(i: &VitalsInput, child: bool) -> Vec<(String, String)> {
        let mut errs = FieldErrors::default();
        let _ = parse(i, "2026-11-22T09:00", child, &mut errs);
        match errs.finish() {
            Ok(()) => Vec::new(),
            Err(chartroom_core::Error::Validation(f)) => {
                f.into_iter().map(|e| (e.field, e.message)).collect()
            }
            Err(e) => vec![("?".into(), e.to_string())],
        }
    }

    #[test]
    fn implausible_values_are_refused_with_the_reason() {
        let mut i = input();
        i.systolic = "1200".into();
        i.diastolic = "80".into();
        let e = errors_of(&i, false);
        assert_eq!(e[0].0, "systolic");
        assert!(e[0].1.contains("1200 mmHg is not plausible"), "{e:?}");

        let mut i = input();
        i.temperature = "98".into();
        i.temperature_unit = "C".into();
        let e = errors_of(&i, false);
        assert_eq!(e[0].0, "temperature");
        assert!(e[0].1.contains("did you mean °F"), "{e:?}");

        let mut i = input();
        i.systolic = "80".into();
        i.diastolic = "120".into();
        assert!(errors_of(&i, false)[0].1.contains("lower than systolic"));

        let mut i = input();
        i.systolic = "120".into();
        assert_eq!(errors_of(&i, false)[0].0, "diastolic");

        let mut i = input();
        i.pain = "11".into();
        assert_eq!(errors_of(&i, false)[0].0, "pain");

        let mut i = input();
        i.pulse = "fast".into();
        assert!(errors_of(&i, false)[0].1.contains("not a number"));

        let mut i = input();
        i.head_circumference = "45".into();
        assert_eq!(errors_of(&i, false)[0].0, "head_circumference");
        assert!(errors_of(&i, true).is_empty());
    }
}
