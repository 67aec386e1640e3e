//! What the practice keeps to bill: the fee schedule (its own prices and
//! short descriptions of the codes it uses; no CPT descriptions are
//! shipped) and the payers it mails claims to. Nothing is deleted: a price
//! ends when a newer one starts, a payer is made inactive; every edit keeps
//! the state it replaces and is audited.

use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_store::billing::{self as store, FeeFields, FeeRow, PayerFields, PayerRow};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_types::{FeeId, Money, PayerId};
use chrono::NaiveDate;

use crate::protocol::*;

/// The audit record of a billing change, in its transaction.
pub(crate) fn audit(
    tx: &chartroom_store::Tx<'_>,
    now: chrono::DateTime<chrono::Utc>,
    actor: &chartroom_core::Actor,
    action: AuditAction,
    patient: Option<chartroom_types::PatientId>,
    record: String,
    detail: impl Into<String>,
) -> Result<()> {
    chartroom_store::audit::append(
        tx,
        now,
        &actor.event(action, DataCategory::Billing, patient, record, detail),
    )?;
    Ok(())
}

/// A typed amount of money; `positive` refuses zero and less.
pub(crate) fn money(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    typed: &str,
    positive: bool,
) -> Money {
    match Money::parse(typed) {
        Ok(m) if m.is_negative() => {
            errs.add(field, format!("{label} cannot be negative"));
            Money::ZERO
        }
        Ok(m) if positive && m == Money::ZERO => {
            errs.add(field, format!("{label} must be more than $0.00"));
            Money::ZERO
        }
        Ok(m) => m,
        Err(e) => {
            errs.add(field, format!("{label} {e}"));
            Money::ZERO
        }
    }
}

/// A typed day, or `default` when left empty.
pub(crate) fn day_or(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    typed: &str,
    default: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if typed.trim().is_empty() {
        if default.is_none() {
            errs.add(field, format!("Give the {}", label.to_lowercase()));
        }
        return default;
    }
    let d = validate::typed_date(errs, field, label, typed, true)?;
    if !(2000..=2200).contains(&chrono::Datelike::year(&d)) {
        errs.add(field, format!("{label} must fall between 2000 and 2200"));
        return None;
    }
    Some(d)
}

/// A mailing address and phone as checked (a payer's, a guarantor's).
pub(crate) struct Address {
    pub(crate) line1: String,
    pub(crate) line2: String,
    pub(crate) city: String,
    pub(crate) region: String,
    pub(crate) postal_code: String,
    pub(crate) phone: String,
}

/// Checks a typed address: `[line1, line2, city, state, ZIP, phone]`.
pub(crate) fn address(errs: &mut FieldErrors, typed: [&str; 6]) -> Address {
    let [line1, line2, city, region, postal, phone] = typed;
    Address {
        line1: chartroom_chart::sheets::printed_text(errs, "address_line1", "Address", line1, 80),
        line2: chartroom_chart::sheets::printed_text(errs, "address_line2", "Address", line2, 80),
        city: chartroom_chart::sheets::printed_text(errs, "city", "City", city, 60),
        region: chartroom_chart::sheets::printed_text(errs, "region", "State", region, 30),
        postal_code: chartroom_chart::sheets::printed_text(
            errs,
            "postal_code",
            "ZIP code",
            postal,
            12,
        ),
        phone: validate::phone(errs, "phone", "Phone", phone),
    }
}

/// A procedure code: CPT (five digits, or four digits and F or T) or
/// HCPCS level II (a letter and four digits), upper-cased.
pub fn procedure_code(errs: &mut FieldErrors, field: &str, typed: &str) -> String {
    let code = typed.trim().to_ascii_uppercase();
    let b = code.as_bytes();
    let ok = b.len() == 5
        && ((b.iter().all(u8::is_ascii_digit))
            || (b[..4].iter().all(u8::is_ascii_digit) && matches!(b[4], b'F' | b'T'))
            || (b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)));
    if !ok {
        errs.add(
            field,
            if code.is_empty() {
                "Give the procedure code (CPT or HCPCS)".to_string()
            } else {
                format!(
                    "\"{code}\" is not a CPT or HCPCS code (five digits such as 99213, or a letter and four digits such as G0439)"
                )
            },
        );
    }
    code
}

fn fee_view(r: FeeRow) -> FeeView {
    FeeView {
        id: r.id,
        code: r.fields.code,
        level: r.fields.level,
        description: r.fields.description,
        price: r.fields.price,
        from_day: r.fields.from_day.to_string(),
        to_day: r.fields.to_day.map(|d| d.to_string()),
        version: r.version,
    }
}

/// The whole fee schedule.
pub fn fees(ctx: &Ctx<'_>) -> Result<Vec<FeeView>> {
    Ok(store::fees(ctx.read())?.into_iter().map(fee_view).collect())
}

/// Sets a code's price at a level from a day. The price in force until
/// then ends the day before; a price from the same day is refused (end it
/// or choose another day).
pub fn save_fee(ctx: &mut Ctx<'_>, form: &FeeForm) -> Result<FeeView> {
    let mut errs = FieldErrors::default();
    let code = procedure_code(&mut errs, "code", &form.code);
    let description = chartroom_chart::sheets::printed_text(
        &mut errs,
        "description",
        "Description",
        &form.description,
        60,
    );
    if description.is_empty() {
        errs.add(
            "description",
            "Give the practice's own short description (Office visit, est. 20 min)",
        );
    }
    let price = money(&mut errs, "price", "The price", &form.price, false);
    let from = day_or(
        &mut errs,
        "from",
        "First day",
        &form.from,
        Some(ctx.today()),
    );
    errs.finish()?;
    let from = from.ok_or_else(|| Error::Internal("checked above".into()))?;
    let current = store::fees(ctx.read())?.into_iter().find(|f| {
        f.fields.code == code
            && f.fields.level == form.level
            && f.fields.to_day.is_none_or(|t| t >= from)
            && f.fields.from_day <= from
    });
    if let Some(c) = &current {
        if c.fields.from_day == from {
            return Err(Error::field(
                "from",
                format!(
                    "{code} already has a {} price from that day",
                    form.level.label().to_lowercase()
                ),
            ));
        }
    }
    if store::fees(ctx.read())?
        .iter()
        .any(|f| f.fields.code == code && f.fields.level == form.level && f.fields.from_day > from)
    {
        return Err(Error::field(
            "from",
            format!("{code} has a later price already: a new price starts after the last one"),
        ));
    }
    let actor = ctx.actor();
    let user = actor.user()?;
    let fields = FeeFields {
        code: code.clone(),
        level: form.level,
        description,
        price,
        from_day: from,
        to_day: None,
    };
    let row = ctx.write(|tx, now| {
        if let Some(c) = &current {
            let day_before = from
                .pred_opt()
                .ok_or_else(|| Error::Internal("day out of range".into()))?;
            store::end_fee(tx, c.id, Some(c.version), day_before, now, user)?;
        }
        let row = store::insert_fee(tx, &fields, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Create,
            None,
            format!("fee/{}", row.id),
            format!("{code} {} {price} from {from}", form.level.as_str()),
        )?;
        Ok(row)
    })?;
    Ok(fee_view(row))
}

/// Ends a price on a day (the code is no longer billed at that level).
pub fn end_fee(
    ctx: &mut Ctx<'_>,
    id: FeeId,
    expected_version: i64,
    last_day: &str,
) -> Result<FeeView> {
    let mut errs = FieldErrors::default();
    let last = day_or(&mut errs, "last_day", "Last day", last_day, None);
    errs.finish()?;
    let last = last.ok_or_else(|| Error::Internal("checked above".into()))?;
    let fee = store::fee(ctx.read(), id)?;
    if last < fee.fields.from_day {
        return Err(Error::field(
            "last_day",
            "The last day is before the price starts",
        ));
    }
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = store::end_fee(tx, id, Some(expected_version), last, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            None,
            format!("fee/{id}"),
            format!("ended on {last}"),
        )?;
        Ok(row)
    })?;
    Ok(fee_view(row))
}

pub(crate) fn payer_view(r: PayerRow) -> PayerView {
    let f = r.fields;
    PayerView {
        id: r.id,
        name: f.name,
        payer_code: f.payer_code,
        address_line1: f.address_line1,
        address_line2: f.address_line2,
        city: f.city,
        region: f.region,
        postal_code: f.postal_code,
        phone: f.phone,
        plan_type: f.plan_type,
        active: f.active,
        version: r.version,
    }
}

/// Every payer, active ones first.
pub fn payers(ctx: &Ctx<'_>) -> Result<Vec<PayerView>> {
    Ok(store::payers(ctx.read())?
        .into_iter()
        .map(payer_view)
        .collect())
}

/// Adds a payer or changes one at `expected_version`.
pub fn save_payer(
    ctx: &mut Ctx<'_>,
    id: Option<PayerId>,
    expected_version: i64,
    form: &PayerForm,
) -> Result<PayerView> {
    let mut errs = FieldErrors::default();
    let name = chartroom_chart::sheets::printed_text(&mut errs, "name", "Name", &form.name, 80);
    if name.is_empty() {
        errs.add("name", "Give the payer's name");
    }
    let payer_code = chartroom_chart::sheets::printed_text(
        &mut errs,
        "payer_code",
        "Payer ID",
        &form.payer_code,
        20,
    );
    let a = address(
        &mut errs,
        [
            &form.address_line1,
            &form.address_line2,
            &form.city,
            &form.region,
            &form.postal_code,
            &form.phone,
        ],
    );
    let fields = PayerFields {
        name,
        payer_code,
        address_line1: a.line1,
        address_line2: a.line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        phone: a.phone,
        plan_type: form.plan_type,
        active: form.active,
    };
    errs.finish()?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let row = ctx.write(|tx, now| {
        let row = match id {
            None => store::insert_payer(tx, &fields, now, user)?,
            Some(id) => store::update_payer(tx, id, expected_version, &fields, now, user)?,
        };
        audit(
            tx,
            now,
            actor,
            if id.is_none() {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            None,
            format!("payer/{}", row.id),
            "payer saved",
        )?;
        Ok(row)
    })?;
    Ok(payer_view(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procedure_codes_are_cpt_or_hcpcs() {
        for ok in ["99213", "0001F", "0042T", "G0439", "j1100"] {
            let mut e = FieldErrors::default();
            let c = procedure_code(&mut e, "code", ok);
            assert!(e.is_empty(), "{ok}");
            assert_eq!(c, ok.to_ascii_uppercase());
        }
        for bad in ["", "9921", "992133", "9921X", "GG439", "99 13"] {
            let mut e = FieldErrors::default();
            procedure_code(&mut e, "code", bad);
            assert!(!e.is_empty(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn amounts_are_exact_and_never_negative() {
        let mut e = FieldErrors::default();
        assert_eq!(
            money(&mut e, "price", "The price", "$1,234.50", false),
            Money::from_cents(123_450)
        );
        assert!(e.is_empty());
        money(&mut e, "price", "The price", "-3", false);
        money(&mut e, "paid", "The payment", "0", true);
        money(&mut e, "paid", "The payment", "12.345", true);
        let Err(Error::Validation(v)) = e.finish() else {
            panic!("expected field errors")
        };
        let msgs: Vec<String> = v.into_iter().map(|f| f.message).collect();
        assert_eq!(
            msgs,
            vec![
                "The price cannot be negative",
                "The payment must be more than $0.00",
                "The payment has more than two digits after the decimal point",
            ]
        );
    }
}
