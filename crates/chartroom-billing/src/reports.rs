//! Practice-wide billing reports, on screen and as a PDF:
//!
//! - accounts receivable aged by the day of service (0-30, 31-60, 61-90,
//!   91-120, over 120 days) by payer and by guarantor, from what each party
//!   still owes on each charge, so its total less the credit held is the
//!   sum of every account's balance;
//! - charges and collections by rendering provider over a period, from the
//!   entries posted on their charges in it.

use std::collections::{BTreeMap, HashMap};

use chartroom_chart::sheets::{self, Listed, SheetDone, SheetKind, SheetOutput};
use chartroom_core::{validate, Ctx, FieldErrors, Permission, Result};
use chartroom_pdf::{Block, Column};
use chartroom_store::billing as store;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_types::{
    AccountId, DisclosurePurpose, LedgerKind, Money, PacketKind, PayerId, RecordSection,
};
use chrono::{Datelike, NaiveDate};

use crate::ledger::{add, neg};
use crate::protocol::*;
use crate::setup::day_or;
use crate::statements::{account_number, age_into};

/// How many guarantors the on-screen A/R aging lists (owing most first);
/// the printed report lists them all.
pub const GUARANTORS_SHOWN: usize = 100;

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
    let mut credits: HashMap<AccountId, Money> = HashMap::new();
    for (a, credit) in store::credits_by_account(conn)? {
        let aging = by_account.entry(a).or_default();
        if credit.is_negative() {
            // Owed on the account itself (a payment reversed after its
            // credit was refunded): due now, aged as current.
            aging.current = add(aging.current, neg(credit));
        } else {
            credits.insert(a, credit);
        }
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
        guarantor_count: u32::try_from(guarantors.len()).unwrap_or(u32::MAX),
        guarantors,
        can_print: ctx.actor().may(Permission::BillingReports),
    })
}

/// The A/R aging report (an audited read of every account's balance).
pub fn ar_aging(ctx: &mut Ctx<'_>) -> Result<ArAging> {
    let mut report = aging_report(ctx)?;
    report.guarantors.truncate(GUARANTORS_SHOWN);
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        None,
        "report/ar_aging",
        format!(
            "A/R aging: {} payer(s), {} guarantor(s), total {}",
            report.payers.len(),
            report.guarantor_count,
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

/// Prints or saves a day's totals (the daily close report): charges,
/// payments by method, adjustments, refunds, the net on the ledger, and
/// whether the day is closed. Totals only: no patient is on it.
pub fn print_day(ctx: &mut Ctx<'_>, day: &str, out: &SheetOutput) -> Result<SheetDone> {
    let r = crate::view::day_report(ctx, day)?;
    let when = r
        .day
        .parse::<NaiveDate>()
        .map(validate::date_text)
        .unwrap_or_else(|_| r.day.clone());
    let mut rows = vec![vec!["Charges".to_string(), r.charges.to_string()]];
    for m in &r.payments {
        rows.push(vec![
            format!("Payments: {}", m.method.label()),
            m.amount.to_string(),
        ]);
    }
    rows.push(vec!["Payments in all".into(), r.payments_total.to_string()]);
    rows.push(vec!["Adjustments".into(), r.adjustments.to_string()]);
    rows.push(vec!["Refunds".into(), r.refunds.to_string()]);
    rows.push(vec![
        format!("Net on the ledger ({} entries)", r.entries),
        r.net.to_string(),
    ]);
    let blocks = vec![
        Block::Title(format!("Daily close: {when}")),
        Block::Note(match &r.closed {
            Some(c) => format!("{c}: the day's postings are final."),
            None => "The day is still open: these totals may change.".into(),
        }),
        Block::Table {
            columns: vec![Column::new("", 3.0), Column::right("Amount", 1.0)],
            rows,
            empty: String::new(),
        },
    ];
    let pdf =
        chartroom_pdf::render_flow(&sheets::doc(ctx, "Daily close", blocks)?).map_err(|e| {
            chartroom_core::Error::Internal(format!("the report could not be drawn: {e}"))
        })?;
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("daily-close-{}", r.day),
            title: "Daily close",
            kind: PacketKind::Report,
            recipient: "The practice (daily close)",
            purpose: DisclosurePurpose::Operations,
            description: "daily close report",
            sections: &[],
            category: DataCategory::Billing,
        },
        &pdf,
        &[],
        |_, _, _, _| Ok(()),
    )
}

/// The period a report covers: typed days (empty: the first of this month
/// to today), in order, at most ten years.
fn period(ctx: &Ctx<'_>, from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let today = ctx.today();
    let mut errs = FieldErrors::default();
    let first = today.with_day(1).unwrap_or(today);
    let from = day_or(&mut errs, "from", "From", from, Some(first));
    let to = day_or(&mut errs, "to", "To", to, Some(today));
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.add("to", "To must be on or after From");
        } else if (t - f).num_days() > 3653 {
            errs.add("to", "A report covers ten years at the most");
        }
    }
    errs.finish()?;
    match (from, to) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => Err(chartroom_core::Error::Internal("checked above".into())),
    }
}

fn provider_report(ctx: &Ctx<'_>, from: NaiveDate, to: NaiveDate) -> Result<ProviderReport> {
    let mut total = ProviderLine {
        name: "All providers".into(),
        ..ProviderLine::default()
    };
    let mut providers = Vec::new();
    let (totals, patients) = store::provider_totals(ctx.read(), from, to)?;
    total.patients = u32::try_from(patients).unwrap_or(u32::MAX);
    for t in totals {
        let mut line = ProviderLine {
            user_id: Some(t.user_id),
            name: t.name,
            patients: u32::try_from(t.patients).unwrap_or(u32::MAX),
            lines: t.charges,
            ..ProviderLine::default()
        };
        for (kind, patient_side, amount) in t.by_kind {
            match (kind, patient_side) {
                (LedgerKind::Charge, _) => line.charges = add(line.charges, amount),
                (LedgerKind::Payment, false) => {
                    line.insurance_paid = add(line.insurance_paid, neg(amount))
                }
                (LedgerKind::Payment, true) => {
                    line.patient_paid = add(line.patient_paid, neg(amount))
                }
                (LedgerKind::Adjustment, _) => {
                    line.adjustments = add(line.adjustments, neg(amount))
                }
                // Transfers move what is owed between parties; refunds
                // give back credit, which is on no charge.
                (LedgerKind::Transfer | LedgerKind::Refund, _) => {}
            }
        }
        line.collected = add(line.insurance_paid, line.patient_paid);
        total.lines += line.lines;
        total.charges = add(total.charges, line.charges);
        total.insurance_paid = add(total.insurance_paid, line.insurance_paid);
        total.patient_paid = add(total.patient_paid, line.patient_paid);
        total.adjustments = add(total.adjustments, line.adjustments);
        total.collected = add(total.collected, line.collected);
        providers.push(line);
    }
    Ok(ProviderReport {
        from: from.to_string(),
        to: to.to_string(),
        providers,
        total,
        can_print: ctx.actor().may(Permission::BillingReports),
    })
}

/// Charges and collections by rendering provider between two typed days
/// (an audited read).
pub fn providers(ctx: &mut Ctx<'_>, from: &str, to: &str) -> Result<ProviderReport> {
    let (from, to) = period(ctx, from, to)?;
    let report = provider_report(ctx, from, to)?;
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        None,
        "report/providers",
        format!(
            "charges and collections by provider, {from} to {to}: {} provider(s)",
            report.providers.len()
        ),
    ))?;
    Ok(report)
}

/// Prints or saves the charges and collections by provider. It lists no
/// patient: no disclosure, one audit record.
pub fn print_providers(
    ctx: &mut Ctx<'_>,
    from: &str,
    to: &str,
    out: &SheetOutput,
) -> Result<SheetDone> {
    let (from, to) = period(ctx, from, to)?;
    let r = provider_report(ctx, from, to)?;
    let row = |l: &ProviderLine| {
        vec![
            l.name.clone(),
            l.patients.to_string(),
            l.lines.to_string(),
            l.charges.to_string(),
            l.insurance_paid.to_string(),
            l.patient_paid.to_string(),
            l.adjustments.to_string(),
            l.collected.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = r.providers.iter().map(row).collect();
    rows.push(row(&r.total));
    let blocks = vec![
        Block::Title("Charges and collections by provider".into()),
        Block::Paragraph(format!(
            "{} to {}",
            validate::date_text(from),
            validate::date_text(to)
        )),
        Block::Note(
            "By the days entries were posted: what was charged for each rendering provider's \
             services, and what insurers and patients paid and what was written off on them."
                .into(),
        ),
        Block::Table {
            columns: vec![
                Column::new("Provider", 2.2),
                Column::right("Patients", 1.1),
                Column::right("Lines", 0.8),
                Column::right("Charges", 1.2),
                Column::right("Insurance paid", 1.2),
                Column::right("Patients paid", 1.2),
                Column::right("Written off", 1.2),
                Column::right("Collected", 1.2),
            ],
            rows,
            empty: String::new(),
        },
    ];
    let title = "Charges and collections by provider";
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, title, blocks)?).map_err(|e| {
        chartroom_core::Error::Internal(format!("the report could not be drawn: {e}"))
    })?;
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("providers-{from}-to-{to}"),
            title,
            kind: PacketKind::Report,
            recipient: "The practice (billing report)",
            purpose: DisclosurePurpose::Operations,
            description: "charges and collections by provider",
            sections: &[],
            category: DataCategory::Billing,
        },
        &pdf,
        &[],
        |_, _, _, _| Ok(()),
    )
}
