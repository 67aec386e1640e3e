//! Practice-wide billing reports: accounts receivable aged by the day of
//! service (0-30, 31-60, 61-90, 91-120, over 120 days) by payer and by
//! guarantor, on screen and as a PDF. The figures come from the ledger
//! itself: what each party still owes on each charge, so the report's
//! total is the sum of every account's balance less their credit.

use std::collections::{BTreeMap, HashMap};

use chartroom_chart::sheets::{self, Listed, SheetDone, SheetKind, SheetOutput};
use chartroom_core::{validate, Ctx, Permission, Result};
use chartroom_pdf::{Block, Column};
use chartroom_store::billing as store;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_types::{AccountId, DisclosurePurpose, Money, PacketKind, PayerId, RecordSection};

use crate::ledger::add;
use crate::protocol::*;
use crate::statements::{account_number, age_into};

fn total_of(a: &Aging) -> Money {
    [
        a.current,
        a.days_31_60,
        a.days_61_90,
        a.days_91_120,
        a.over_120,
    ]
    .into_iter()
    .fold(Money::ZERO, add)
}

fn sum_into(into: &mut Aging, a: &Aging) {
    into.current = add(into.current, a.current);
    into.days_31_60 = add(into.days_31_60, a.days_31_60);
    into.days_61_90 = add(into.days_61_90, a.days_61_90);
    into.days_91_120 = add(into.days_91_120, a.days_91_120);
    into.over_120 = add(into.over_120, a.over_120);
}

/// Works out the A/R aging as of the clinic's today (not audited: the
/// caller does).
fn aging_report(ctx: &Ctx<'_>) -> Result<ArAging> {
    let conn = ctx.read();
    let today = ctx.today();
    let mut by_payer: BTreeMap<PayerId, Aging> = BTreeMap::new();
    let mut by_account: BTreeMap<AccountId, Aging> = BTreeMap::new();
    for o in store::open_amounts(conn)? {
        let bucket = match o.payer_id {
            Some(p) => by_payer.entry(p).or_default(),
            None => by_account.entry(o.account_id).or_default(),
        };
        age_into(bucket, today, o.service_day, o.amount);
    }
    let credits: HashMap<AccountId, Money> = store::credits_by_account(conn)?.into_iter().collect();
    for a in credits.keys() {
        by_account.entry(*a).or_default();
    }
    let payer_names: HashMap<PayerId, String> = store::payers(conn)?
        .into_iter()
        .map(|p| (p.id, p.fields.name))
        .collect();
    let account_names: HashMap<AccountId, String> =
        store::account_names(conn)?.into_iter().collect();
    let mut insurance = Aging::default();
    let payers: Vec<AgingRow> = by_payer
        .into_iter()
        .map(|(id, aging)| {
            sum_into(&mut insurance, &aging);
            AgingRow {
                name: payer_names.get(&id).cloned().unwrap_or_default(),
                payer_id: Some(id),
                account_id: None,
                total: total_of(&aging),
                credit: Money::ZERO,
                aging,
            }
        })
        .collect();
    let mut patients = Aging::default();
    let mut credit_total = Money::ZERO;
    let mut guarantors: Vec<AgingRow> = by_account
        .into_iter()
        .map(|(id, aging)| {
            sum_into(&mut patients, &aging);
            let credit = credits.get(&id).copied().unwrap_or(Money::ZERO);
            credit_total = add(credit_total, credit);
            AgingRow {
                name: account_names.get(&id).cloned().unwrap_or_default(),
                payer_id: None,
                account_id: Some(id),
                total: total_of(&aging),
                credit,
                aging,
            }
        })
        .collect();
    guarantors.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));
    let mut all = insurance;
    sum_into(&mut all, &patients);
    Ok(ArAging {
        as_of: today.to_string(),
        insurance_total: total_of(&insurance),
        patient_total: total_of(&patients),
        credit_total,
        total: total_of(&all),
        insurance,
        patients,
        all,
        payers,
        guarantors,
        can_print: ctx.actor().may(Permission::BillingReports),
    })
}

/// The A/R aging report (an audited read of every account's balance).
pub fn ar_aging(ctx: &mut Ctx<'_>) -> Result<ArAging> {
    let report = aging_report(ctx)?;
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        None,
        "report/ar_aging",
        format!(
            "A/R aging: {} payer(s), {} guarantor(s), total {}",
            report.payers.len(),
            report.guarantors.len(),
            report.total
        ),
    ))?;
    Ok(report)
}

fn aging_cells(a: &Aging, total: Money) -> Vec<String> {
    [
        a.current,
        a.days_31_60,
        a.days_61_90,
        a.days_91_120,
        a.over_120,
        total,
    ]
    .iter()
    .map(Money::to_string)
    .collect()
}

fn aging_columns(first: &str) -> Vec<Column> {
    vec![
        Column::new(first, 2.6),
        Column::right("0-30", 1.0),
        Column::right("31-60", 1.0),
        Column::right("61-90", 1.0),
        Column::right("91-120", 1.0),
        Column::right("Over 120", 1.0),
        Column::right("Total", 1.1),
    ]
}

/// Prints or saves the A/R aging report. Each patient on an account it
/// lists is a disclosure (purpose: operations).
pub fn print_ar_aging(ctx: &mut Ctx<'_>, out: &SheetOutput) -> Result<SheetDone> {
    let r = aging_report(ctx)?;
    let day = validate::date_text(ctx.today());
    let mut payer_rows: Vec<Vec<String>> = r
        .payers
        .iter()
        .map(|p| {
            let mut row = vec![p.name.clone()];
            row.extend(aging_cells(&p.aging, p.total));
            row
        })
        .collect();
    let mut insurance_row = vec!["All payers".to_string()];
    insurance_row.extend(aging_cells(&r.insurance, r.insurance_total));
    payer_rows.push(insurance_row);
    let mut guarantor_rows: Vec<Vec<String>> = r
        .guarantors
        .iter()
        .map(|g| {
            let number = g.account_id.map(account_number).unwrap_or_default();
            let credit = if g.credit == Money::ZERO {
                String::new()
            } else {
                format!(" (credit {})", g.credit)
            };
            let mut row = vec![format!("{} · {number}{credit}", g.name)];
            row.extend(aging_cells(&g.aging, g.total));
            row
        })
        .collect();
    let mut patients_row = vec!["All guarantors".to_string()];
    patients_row.extend(aging_cells(&r.patients, r.patient_total));
    guarantor_rows.push(patients_row);
    let blocks = vec![
        Block::Title(format!("Accounts receivable aging as of {day}")),
        Block::Note(
            "Aged by the day of service. What payers owe is pending with them; what guarantors \
             owe is the patient's side, before their credit."
                .into(),
        ),
        Block::Fields(vec![
            ("Owed by payers".into(), r.insurance_total.to_string()),
            ("Owed by guarantors".into(), r.patient_total.to_string()),
            ("Credit held".into(), r.credit_total.to_string()),
            ("Total receivable".into(), r.total.to_string()),
        ]),
        Block::Heading("By payer".into()),
        Block::Table {
            columns: aging_columns("Payer"),
            rows: payer_rows,
            empty: String::new(),
        },
        Block::Heading("By guarantor".into()),
        Block::Table {
            columns: aging_columns("Guarantor · account"),
            rows: guarantor_rows,
            empty: String::new(),
        },
    ];
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, "A/R aging", blocks)?).map_err(|e| {
        chartroom_core::Error::Internal(format!("the report could not be drawn: {e}"))
    })?;
    let conn = ctx.read();
    let mut listed = Vec::new();
    for g in &r.guarantors {
        if let Some(a) = g.account_id {
            for p in store::patients_of_account(conn, a)? {
                listed.push(Listed {
                    patient: p,
                    what: format!("account/{a}"),
                });
            }
        }
    }
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("ar-aging-{}", ctx.today()),
            title: "A/R aging",
            kind: PacketKind::Report,
            recipient: "The practice (A/R aging report)",
            purpose: DisclosurePurpose::Operations,
            description: "A/R aging report",
            sections: &[RecordSection::Demographics],
            category: DataCategory::Billing,
        },
        &pdf,
        &listed,
        |_, _, _, _| Ok(()),
    )
}
