//! Vital signs and lab results: recording (validated, converted to SI,
//! flagged against the reference range), listing, trends and corrections.

use chartroom_codes::LabFlag;
use chartroom_store::model::{AuditAction, ObservationKind};
use chartroom_store::observations::{self as store, NewObservation, ObservationRow};
use chartroom_store::settings;
use chartroom_types::{ObservationId, PatientId};
use chrono::{NaiveDate, NaiveDateTime};

use crate::corrections::{self, Retracted};
use crate::protocol::{LabInput, ObservationView, TrendPoint, TrendSeries, VitalsInput};
use crate::vitals::{self, Units};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};

use crate::reference;

pub const UNITS_KEY: &str = "units";

/// The practice's display units (US by default).
pub fn units(ctx: &Ctx<'_>) -> Result<Units> {
    let v = settings::get(ctx.read(), UNITS_KEY)?;
    Ok(v.as_deref().and_then(Units::parse).unwrap_or(Units::Us))
}

fn record_id(id: ObservationId) -> String {
    format!("observation/{id}")
}

fn flag_of(s: &str) -> Option<LabFlag> {
    if s.is_empty() {
        None
    } else {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

fn flag_text(f: LabFlag) -> String {
    match serde_json::to_value(f) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn num(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// An observation in the practice's units.
pub fn view(o: ObservationRow, units: Units) -> Result<ObservationView> {
    let (name, display_value, display_unit, range) = match o.kind {
        ObservationKind::Vital => {
            let (name, unit) = vitals::describe(&o.code, units);
            let shown = vitals::format(&o.code, vitals::to_display(&o.code, o.value, units));
            let range = vitals::target_text(vitals::target(&o.code, units), &unit);
            (name, shown, unit, range)
        }
        ObservationKind::Lab => {
            let refs = reference::get()?;
            match refs.labs.get(&o.code) {
                Some(t) => (
                    t.name.clone(),
                    num(o.value, t.decimals as usize),
                    t.unit.clone(),
                    t.range_text.clone(),
                ),
                None => (
                    o.code.clone(),
                    o.value.to_string(),
                    o.unit.clone(),
                    String::new(),
                ),
            }
        }
    };
    Ok(ObservationView {
        id: o.id,
        kind: o.kind,
        flag: flag_of(&o.flag),
        code: o.code,
        name,
        value: o.value,
        unit: o.unit,
        display_value,
        display_unit,
        reference_range: range,
        effective_at: o.effective_at,
        group_id: o.group_id,
        replaces_id: o.replaces_id,
        comment: o.comment,
        status: o.status,
        error_reason: o.error_reason,
        error_at: o.error_at.map(|t| t.to_rfc3339()),
        error_by: o.error_by_name,
        recorded_by: o.recorded_by_name,
    })
}

pub fn birth_of(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<NaiveDate> {
    Ok(chartroom_store::patients::get(ctx.read(), patient_id)?
        .fields
        .birth_date)
}

/// Records a set of vital signs.
pub fn record_vitals(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    input: &VitalsInput,
) -> Result<Vec<ObservationView>> {
    let actor = ctx.actor();
    let today = ctx.today();
    let birth = birth_of(ctx, patient_id)?;
    let units = units(ctx)?;
    let mut errs = FieldErrors::default();
    let taken = input.taken_at.trim();
    let at = match NaiveDateTime::parse_from_str(taken, "%Y-%m-%dT%H:%M") {
        Ok(t) if t.date() > today => {
            errs.add("taken_at", "The time taken is in the future");
            None
        }
        Ok(t) if t.date() < birth => {
            errs.add("taken_at", "The time taken is before the patient's birth");
            None
        }
        Ok(t) => Some(t),
        Err(_) => {
            errs.add("taken_at", format!("\"{taken}\" is not a date and time"));
            None
        }
    };
    let child = vitals::measures_head_circumference(birth, today);
    let effective = at
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default();
    let values = vitals::parse(input, &effective, child, &mut errs);
    if values.is_empty() && errs.is_empty() {
        errs.add("vitals", "Enter at least one vital sign");
    }
    errs.finish()?;
    let user = actor.user()?;
    ctx.write(|tx, now| {
        let ids = store::insert(tx, patient_id, None, None, &values, now, user)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Create,
            patient_id,
            record_id(ids[0]),
            format!("vital signs recorded ({} values)", ids.len()),
        )?;
        ids.iter()
            .map(|id| view(store::get(tx, *id)?, units))
            .collect()
    })
}

/// Records (or corrects) a lab result, flagged against its range.
pub fn record_lab(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    input: &LabInput,
    replaces: Option<ObservationId>,
) -> Result<ObservationView> {
    let actor = ctx.actor();
    let today = ctx.today();
    let birth = birth_of(ctx, patient_id)?;
    let units = units(ctx)?;
    let refs = reference::get()?;
    let mut errs = FieldErrors::default();
    let test = refs.labs.get(input.loinc.trim());
    if test.is_none() {
        errs.add("loinc", "Choose a test from the list");
    }
    let v = input.value.trim();
    let value = match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Some(n),
        _ => {
            errs.add("value", format!("Result \"{v}\" is not a number"));
            None
        }
    };
    let collected = match validate::date_not_after(
        &mut errs,
        "collected_on",
        &input.collected_on,
        today,
        "Collection date is in the future",
    ) {
        None => None,
        Some(d) if d < birth => {
            errs.add(
                "collected_on",
                "Collection date is before the patient's birth",
            );
            None
        }
        Some(d) => Some(d),
    };
    let comment: String = input.comment.trim().chars().take(500).collect();
    errs.finish()?;
    let (Some(test), Some(value), Some(collected)) = (test, value, collected) else {
        return Err(Error::Internal("validated lab input incomplete".into()));
    };
    // Stored and flagged as shown: rounded to the test's decimals.
    let scale = 10f64.powi(i32::from(test.decimals));
    let value = (value * scale).round() / scale;
    let flag = test.flag(value);
    let obs = NewObservation {
        kind: ObservationKind::Lab,
        code: test.loinc.clone(),
        value,
        unit: test.unit.clone(),
        flag: flag_text(flag),
        effective_at: collected.to_string(),
        comment,
    };
    let user = actor.user()?;
    ctx.write(|tx, now| {
        if let Some(old) = replaces {
            let o = store::get(tx, old)?;
            if o.patient_id != patient_id || o.kind != ObservationKind::Lab {
                return Err(Error::field(
                    "replaces",
                    "The result being corrected belongs to another chart",
                ));
            }
        }
        let ids = store::insert(
            tx,
            patient_id,
            None,
            replaces,
            std::slice::from_ref(&obs),
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Create,
            patient_id,
            record_id(ids[0]),
            match replaces {
                Some(old) => format!("lab result {} corrects observation/{old}", test.short_name),
                None => format!("lab result {}", test.short_name),
            },
        )?;
        view(store::get(tx, ids[0])?, units)
    })
}

/// A patient's vitals or labs, newest first.
pub fn list(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    kind: ObservationKind,
) -> Result<Vec<ObservationView>> {
    let units = units(ctx)?;
    let (record, detail) = (
        format!("{}s", kind.as_str()),
        format!("listed {}s", kind.as_str()),
    );
    ctx.read_audited(patient_id, (&record, &detail), |tx| {
        store::list(tx, patient_id, kind, 2000)?
            .into_iter()
            .map(|o| view(o, units))
            .collect()
    })
}

/// Values over time, one query for all the codes asked.
pub fn trend(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    codes: &[String],
    from: &str,
    to: &str,
) -> Result<Vec<TrendSeries>> {
    let actor = ctx.actor();
    if codes.is_empty() || codes.len() > 4 {
        return Err(Error::field("codes", "Choose one to four values to plot"));
    }
    let mut errs = FieldErrors::default();
    let (from_d, to_d) = validate::date_range(&mut errs, ("from", from), ("to", to));
    errs.finish()?;
    let units = units(ctx)?;
    let (from_s, to_s) = stored_bounds(from_d, to_d);
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let rows = ctx.write(|tx, now| {
        let rows = store::trend(tx, patient_id, &code_refs, &from_s, &to_s)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            patient_id,
            "trend",
            format!("trend of {}", codes.join(", ")),
        )?;
        Ok(rows)
    })?;
    series(codes, &rows, units)
}

/// Clinic days (both included, `None` unbounded) as the bounds of the
/// store's text comparison of `effective_at`.
pub(crate) fn stored_bounds(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> (String, String) {
    (
        from.map(|d| d.to_string()).unwrap_or_else(|| "0000".into()),
        to.map(|d| format!("{d}T99"))
            .unwrap_or_else(|| "9999".into()),
    )
}

/// Trend series of `codes` from their stored rows (oldest first), in the
/// practice's units: the one place a trend's names, units, ranges and
/// display values are decided (the chart's trend and printed plots).
pub(crate) fn series(
    codes: &[String],
    rows: &[store::TrendRow],
    units: Units,
) -> Result<Vec<TrendSeries>> {
    let refs = reference::get()?;
    let mut out = Vec::new();
    for code in codes {
        let (name, unit, range, range_text, decimals) = if vitals::is_vital(code) {
            let (n, u) = vitals::describe(code, units);
            let t = vitals::target(code, units);
            let text = vitals::target_text(t, &u);
            (n, u, (t.map(|r| r.0), t.map(|r| r.1)), text, None)
        } else if let Some(t) = refs.labs.get(code) {
            (
                t.name.clone(),
                t.unit.clone(),
                (t.low, t.high),
                t.range_text.clone(),
                Some(t.decimals),
            )
        } else {
            return Err(Error::field(
                "codes",
                format!("{code} is not a vital sign or a lab test Chartroom knows"),
            ));
        };
        let points = rows
            .iter()
            .filter(|o| &o.code == code)
            .map(|o| TrendPoint {
                at: o.effective_at.clone(),
                value: match decimals {
                    None => vitals::format(code, vitals::to_display(code, o.value, units))
                        .parse()
                        .unwrap_or(o.value),
                    Some(_) => o.value,
                },
                flag: flag_of(&o.flag),
            })
            .collect();
        out.push(TrendSeries {
            code: code.clone(),
            name,
            unit,
            range_low: range.0,
            range_high: range.1,
            range_text,
            points,
        });
    }
    Ok(out)
}

/// Retracts one value with a reason.
pub fn mark_in_error(
    ctx: &mut Ctx<'_>,
    id: ObservationId,
    reason: &str,
) -> Result<ObservationView> {
    let mut v = mark_all_in_error(ctx, &[id], reason)?;
    v.pop()
        .ok_or_else(|| Error::Internal("nothing was retracted".into()))
}

/// Retracts several values (a vitals set, or some of it) with one reason,
/// in one transaction: all of them or none. Retracting a height or weight
/// also retracts the BMI computed from it.
pub fn mark_all_in_error(
    ctx: &mut Ctx<'_>,
    ids: &[ObservationId],
    reason: &str,
) -> Result<Vec<ObservationView>> {
    let units = units(ctx)?;
    corrections::retract(ctx, reason, |r| {
        if ids.is_empty() {
            return Err(Error::field("observation_ids", "Choose at least one value"));
        }
        let mut out = Vec::with_capacity(ids.len());
        let mut patient = None;
        for &id in ids {
            let o = r.mark(&store::OBSERVATION, (id, None), store::get, |o| {
                Retracted::of(
                    o.patient_id,
                    record_id(id),
                    format!("{} {}", o.kind.as_str(), o.code),
                )
            })?;
            if *patient.get_or_insert(o.patient_id) != o.patient_id {
                return Err(Error::field(
                    "observation_ids",
                    "The values belong to different patients",
                ));
            }
            if matches!(o.code.as_str(), vitals::HEIGHT | vitals::WEIGHT) {
                let group = o.group_id.unwrap_or(o.id);
                for b in store::group(r.tx, group)? {
                    if b.code == vitals::BMI
                        && b.status == chartroom_store::model::RecordStatus::Final
                        && !ids.contains(&b.id)
                    {
                        let because = format!("vital {}: computed from observation/{id}", b.code);
                        r.mark_because(
                            "computed from a value entered in error",
                            &store::OBSERVATION,
                            (b.id, None),
                            store::get,
                            |b| Retracted::of(b.patient_id, record_id(b.id), because),
                        )?;
                    }
                }
            }
            out.push(view(o, units)?);
        }
        Ok(out)
    })
}
