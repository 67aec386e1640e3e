//! Statements: one per guarantor (a billing account) across every visit of
//! every patient on the account, never one per visit. A statement shows
//! each visit with a balance (what was charged, what insurance paid or
//! adjusted, what is still pending with a payer, what the patient's side
//! owes), the credit held, the amount due now, the aging of what is owed,
//! and, apart and not due, what is pending with insurance. The
//! guarantor's address sits in a #10 envelope's window and a remittance
//! stub closes the last page. A batch prints one for every guarantor owing
//! more than an amount. Each statement sent is kept (the history) with a
//! disclosure (purpose: payment) for each patient on it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chartroom_chart::letterhead;
use chartroom_chart::sheets::{self, Listed, SheetKind, SheetOutput};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_pdf::{Block, Column, PracticeHeader, RemittanceStub};
use chartroom_store::billing::{self as store, StatementFields, StatementRow};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{patients, Connection, Tx};
use chartroom_types::{
    AccountId, DisclosurePurpose, LedgerKind, Money, PacketKind, PatientId, RecordSection,
    ReleaseMethod,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::accounts::account_view;
use crate::ledger::{add, by_charge, neg, owed_on, Balances, Party};
use crate::posting::postings;
use crate::protocol::*;
use crate::setup::money;

/// Which aging bucket a debt `days` old falls in: 0-30, 31-60, 61-90,
/// 91-120, over 120 days.
pub fn aging_bucket(days: i64) -> usize {
    match days {
        i64::MIN..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=120 => 3,
        _ => 4,
    }
}

/// Adds `amount`, owed since `since`, to its bucket as of `on`.
pub fn age_into(aging: &mut Aging, on: NaiveDate, since: NaiveDate, amount: Money) {
    let slot = match aging_bucket((on - since).num_days()) {
        0 => &mut aging.current,
        1 => &mut aging.days_31_60,
        2 => &mut aging.days_61_90,
        3 => &mut aging.days_91_120,
        _ => &mut aging.over_120,
    };
    *slot = add(*slot, amount);
}

/// An account's statement as of `day`, worked out from its ledger (which
/// is proved to add up first).
pub(crate) fn statement_of(
    conn: &Connection,
    account: AccountId,
    day: NaiveDate,
) -> Result<StatementPreview> {
    let entries = store::entries_of_account(conn, account)?;
    let ps = postings(&entries);
    let b = Balances::of(&ps);
    b.check()
        .map_err(|e| Error::Internal(format!("account {account}: {e}")))?;
    let mut names: HashMap<PatientId, String> = HashMap::new();
    let mut lines = Vec::new();
    let mut aging = Aging::default();
    let grouped = by_charge(&ps);
    let none = Vec::new();
    for c in store::charges_of_account(conn, account)? {
        if c.status == store::ChargeStatus::Void {
            continue;
        }
        let on_it = grouped.get(&c.id).unwrap_or(&none);
        let you_owe = owed_on(on_it, c.id, Party::Patient);
        let mut pending = Money::ZERO;
        let (mut insurance, mut patient) = (Money::ZERO, Money::ZERO);
        for p in on_it {
            let paid_or_adjusted = matches!(p.kind, LedgerKind::Payment | LedgerKind::Adjustment);
            match p.party {
                Party::Payer(_) => {
                    pending = add(pending, p.amount);
                    if paid_or_adjusted {
                        insurance = add(insurance, neg(p.amount));
                    }
                }
                Party::Patient if paid_or_adjusted => patient = add(patient, neg(p.amount)),
                Party::Patient => {}
            }
        }
        if you_owe == Money::ZERO && pending == Money::ZERO {
            continue;
        }
        let f = &c.fields;
        if let Entry::Vacant(slot) = names.entry(f.patient_id) {
            let p = patients::get(conn, f.patient_id)?.fields;
            slot.insert(format!("{} {}", p.given_name, p.family_name));
        }
        age_into(&mut aging, day, f.service_day, you_owe);
        lines.push(StatementLine {
            service_day: f.service_day.to_string(),
            patient_id: f.patient_id,
            patient_name: names.get(&f.patient_id).cloned().unwrap_or_default(),
            code: f.code.clone(),
            description: f.description.clone(),
            charged: f.amount(),
            insurance_paid: insurance,
            patient_paid: patient,
            pending,
            you_owe,
        });
    }
    // Credit held is the patient side's money on no charge; below zero it
    // is money owed on the account itself (a payment reversed after its
    // credit was refunded), added to what is due, never shown as credit.
    let credit = Money::from_cents(b.unapplied.cents().max(0));
    let owed_on_account = Money::from_cents(b.unapplied.cents().saturating_neg().max(0));
    let amount_due = Money::from_cents(
        (b.patient_due.cents() + owed_on_account.cents() - credit.cents()).max(0),
    );
    let account_row = store::account(conn, account)?;
    Ok(StatementPreview {
        account: account_view(conn, account_row)?,
        statement_day: day.to_string(),
        lines,
        patient_due: b.patient_due,
        credit,
        owed_on_account,
        amount_due,
        pending: b.insurance_pending(),
        aging,
        history: store::statements_of_account(conn, account)?
            .into_iter()
            .map(history_view)
            .collect(),
        can_print: false,
        missing: String::new(),
    })
}

fn history_view(r: StatementRow) -> StatementView {
    StatementView {
        id: r.id,
        statement_day: r.fields.statement_day.to_string(),
        amount_due: r.fields.amount_due,
        pending: r.fields.pending,
        method: r.fields.method,
        at: r.at.to_rfc3339(),
        by: r.by_name,
    }
}

/// Why `s` cannot be sent, in words; empty when it can.
fn missing(s: &StatementPreview) -> String {
    if s.account.address_line1.trim().is_empty() {
        "The guarantor has no postal address: add one under Guarantor".into()
    } else if s.amount_due == Money::ZERO {
        "Nothing is due from the patient's side".into()
    } else {
        String::new()
    }
}

/// The statement the guarantor of `patient`'s account would be sent today
/// (an audited read).
pub fn preview(ctx: &mut Ctx<'_>, patient: PatientId) -> Result<StatementPreview> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let Some(account) = store::account_of_patient(conn, patient)? else {
        return Err(Error::field(
            "patient_id",
            "This patient has no billing account yet: nothing has been charged",
        ));
    };
    let mut s = statement_of(conn, account, ctx.today())?;
    s.missing = missing(&s);
    s.can_print = s.missing.is_empty() && ctx.actor().may(Permission::Statements);
    let actor = ctx.actor();
    ctx.audit(actor.event(
        AuditAction::Read,
        DataCategory::Billing,
        Some(patient),
        format!("account/{account}"),
        format!(
            "statement previewed: {} line(s), amount due {}",
            s.lines.len(),
            s.amount_due
        ),
    ))?;
    Ok(s)
}

fn window_lines(a: &AccountView) -> Vec<String> {
    let city = [
        a.city.trim(),
        &[a.region.trim(), a.postal_code.trim()].join(" "),
    ]
    .iter()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    [
        a.name.clone(),
        a.address_line1.clone(),
        a.address_line2.clone(),
        city,
    ]
    .into_iter()
    .map(|l| l.trim().to_string())
    .filter(|l| !l.is_empty())
    .collect()
}

/// The account number as printed (and as the stub returns it).
pub fn account_number(id: AccountId) -> String {
    format!("{:06}", id.0)
}

/// One statement's pages: the letter's address, then its blocks.
fn statement_blocks(s: &StatementPreview, practice: &PracticeHeader) -> Vec<Block> {
    let day = NaiveDate::parse_from_str(&s.statement_day, "%Y-%m-%d").ok();
    let day_text = day.map(validate::date_text).unwrap_or_default();
    let number = account_number(s.account.id);
    let mut blocks =
        vec![
            Block::Letter(window_lines(&s.account)),
            Block::Title(format!("Statement of {day_text} · account {number}")),
            Block::Heading("Visits with a balance".into()),
            Block::Table {
                columns: vec![
                    Column::new("Date", 1.2),
                    Column::new("Patient", 1.5),
                    Column::new("Service", 2.0),
                    Column::right("Charged", 1.05),
                    Column::right("Insurance paid or adjusted", 1.2),
                    Column::right("Pending with insurance", 1.15),
                    Column::right("You paid or adjusted", 1.1),
                    Column::right("You owe", 1.05),
                ],
                rows: s
                    .lines
                    .iter()
                    .map(|l| {
                        vec![
                            NaiveDate::parse_from_str(&l.service_day, "%Y-%m-%d")
                                .map(validate::date_text)
                                .unwrap_or_default(),
                            l.patient_name.clone(),
                            format!("{} {}", l.code, l.description).trim().to_string(),
                            l.charged.to_string(),
                            l.insurance_paid.to_string(),
                            l.pending.to_string(),
                            l.patient_paid.to_string(),
                            l.you_owe.to_string(),
                        ]
                    })
                    .collect(),
                empty: "No visit has a balance.".into(),
            },
            Block::Fields(
                [
                    Some(("You owe on these visits", s.patient_due.to_string())),
                    (s.owed_on_account != Money::ZERO).then(|| {
                        (
                            "Owed on your account (a payment reversed after its refund)",
                            s.owed_on_account.to_string(),
                        )
                    }),
                    Some(("Less credit on your account", s.credit.to_string())),
                    Some(("Amount due now", s.amount_due.to_string())),
                    Some((
                        "Pending with insurance",
                        format!("{} (not due now)", s.pending),
                    )),
                ]
                .into_iter()
                .flatten()
                .map(|(label, value)| (label.to_string(), value))
                .collect(),
            ),
            Block::Heading("How long what you owe on visits has been owed (before credit)".into()),
            Block::Table {
                columns: vec![
                    Column::right("0-30 days", 1.0),
                    Column::right("31-60 days", 1.0),
                    Column::right("61-90 days", 1.0),
                    Column::right("91-120 days", 1.0),
                    Column::right("Over 120 days", 1.0),
                ],
                rows: vec![vec![
                    s.aging.current.to_string(),
                    s.aging.days_31_60.to_string(),
                    s.aging.days_61_90.to_string(),
                    s.aging.days_91_120.to_string(),
                    s.aging.over_120.to_string(),
                ]],
                empty: String::new(),
            },
            Block::Note(format!(
            "Amounts pending with insurance are not due now: we have billed your insurer and will \
             bill you only for what it does not pay.{}",
            if practice.phone.is_empty() {
                String::new()
            } else {
                format!(" Questions about this statement? Call us at {}.", practice.phone)
            }
        )),
        ];
    let mut pay_to = vec![practice.name.clone()];
    pay_to.extend(practice.address_lines.iter().cloned());
    blocks.push(Block::Stub(RemittanceStub {
        instruction: "Please detach and return this part with your payment.".into(),
        fields: vec![
            ("Account".into(), number),
            ("Name".into(), s.account.name.clone()),
            ("Statement date".into(), day_text),
            ("Amount due".into(), s.amount_due.to_string()),
            ("Amount enclosed".into(), "$ ______________".into()),
        ],
        pay_to_title: "Make checks payable to and mail to:".into(),
        pay_to,
    }));
    blocks
}

/// Prints or saves `statements` as one document and records each: its
/// history row and a disclosure for each patient on it.
fn send(
    ctx: &mut Ctx<'_>,
    statements: &[StatementPreview],
    out: &SheetOutput,
    stem: &str,
) -> Result<chartroom_chart::sheets::SheetDone> {
    let practice = letterhead::header(ctx.read(), &ctx.env().practice_name)?;
    let blocks: Vec<Block> = statements
        .iter()
        .flat_map(|s| statement_blocks(s, &practice))
        .collect();
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, "Statements", blocks)?)
        .map_err(|e| Error::Internal(format!("the statement could not be drawn: {e}")))?;
    let mut listed = Vec::new();
    for s in statements {
        let mut on: Vec<PatientId> = s.lines.iter().map(|l| l.patient_id).collect();
        on.sort();
        on.dedup();
        for p in on {
            listed.push(Listed {
                patient: p,
                what: format!("account/{}/statement", s.account.id),
            });
        }
    }
    let day = ctx.today();
    let user = ctx.actor().user()?;
    let record = |tx: &Tx<'_>, now: DateTime<Utc>, method: ReleaseMethod, digest: &[u8; 32]| {
        for s in statements {
            store::insert_statement(
                tx,
                &StatementFields {
                    account_id: s.account.id,
                    statement_day: day,
                    patient_due: s.patient_due,
                    credit: s.credit,
                    amount_due: s.amount_due,
                    pending: s.pending,
                    method,
                    sha256: *digest,
                },
                now,
                user,
            )?;
        }
        Ok(())
    };
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem,
            title: "Statements",
            kind: PacketKind::Statement,
            recipient: "The guarantor (statement, mailed)",
            purpose: DisclosurePurpose::Payment,
            description: "statement",
            sections: &[RecordSection::Demographics],
            category: DataCategory::Billing,
        },
        &pdf,
        &listed,
        record,
    )
}

/// Prints or saves the statement of `patient`'s account.
pub fn print_one(
    ctx: &mut Ctx<'_>,
    patient: PatientId,
    out: &SheetOutput,
) -> Result<StatementSent> {
    let conn = ctx.read();
    patients::get(conn, patient)?;
    let Some(account) = store::account_of_patient(conn, patient)? else {
        return Err(Error::field(
            "patient_id",
            "This patient has no billing account yet: nothing has been charged",
        ));
    };
    let s = statement_of(conn, account, ctx.today())?;
    let why = missing(&s);
    if !why.is_empty() {
        return Err(Error::field("statement", why));
    }
    let done = send(
        ctx,
        std::slice::from_ref(&s),
        out,
        &format!(
            "statement-{}-account-{}",
            ctx.today(),
            account_number(account)
        ),
    )?;
    Ok(StatementSent {
        done,
        statement: preview(ctx, patient)?,
    })
}

/// Prints or saves a statement for every guarantor whose amount due is
/// more than `more_than` (typed money), in account order.
pub fn print_batch(
    ctx: &mut Ctx<'_>,
    more_than: &str,
    out: &SheetOutput,
) -> Result<StatementBatch> {
    let mut errs = FieldErrors::default();
    let floor = money(&mut errs, "more_than", "The amount", more_than, false);
    errs.finish()?;
    let conn = ctx.read();
    let day = ctx.today();
    let mut chosen = Vec::new();
    let mut without_address = 0u32;
    for (account, due, credit) in store::patient_side_by_account(conn)? {
        if due.cents() - credit.cents() <= floor.cents() {
            continue;
        }
        let s = statement_of(conn, account, day)?;
        if s.account.address_line1.trim().is_empty() {
            without_address += 1;
            continue;
        }
        chosen.push(s);
    }
    if chosen.is_empty() {
        return Err(Error::field(
            "more_than",
            format!(
                "No guarantor owes more than {floor}{}",
                if without_address > 0 {
                    format!(" with a postal address ({without_address} without one)")
                } else {
                    String::new()
                }
            ),
        ));
    }
    let total = chosen.iter().fold(Money::ZERO, |a, s| add(a, s.amount_due));
    let done = send(
        ctx,
        &chosen,
        out,
        &format!("statements-{day}-over-{}", floor.cents()),
    )?;
    Ok(StatementBatch {
        done,
        statements: u32::try_from(chosen.len()).unwrap_or(u32::MAX),
        without_address,
        total_due: total,
    })
}
