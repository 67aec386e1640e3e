//! What billing shows: an account's ledger with its running balance, its
//! charges with who still owes what on each, its payments with the credit
//! not yet applied, and who owes the balance (the patient's side apart from
//! what is pending with payers). A long ledger shows its newest
//! [`LEDGER_ROWS`] entries (with every charge pending with a payer, every
//! payment holding credit, and those the rows shown are on) unless all are
//! asked for; its balances are summed in SQL either way. Every ledger read proves the ledger adds
//! up ([`crate::ledger::Balances::check`]) before answering, and is audited.
//! Also a day's postings added up, and its close.

use std::collections::HashMap;

use chartroom_core::{Ctx, Error, Permission, Result};
use chartroom_store::billing::{self as store, ChargeRow, ChargeStatus, DayTotals, EntryRow};
use chartroom_store::model::AuditAction;
use chartroom_store::Connection;
use chartroom_types::{AccountId, LedgerKind, Money, PatientId, PayerId, PaymentId, PaymentMethod};
use chrono::NaiveDate;

use crate::accounts::account_view;
use crate::ledger::{by_charge, owed_on, Balances, Party, Posting};
use crate::posting::postings;
use crate::protocol::*;
use crate::setup::{audit, day_or};

fn payer_names(conn: &Connection) -> Result<HashMap<PayerId, String>> {
    Ok(store::payers(conn)?
        .into_iter()
        .map(|p| (p.id, p.fields.name))
        .collect())
}

fn party_name(names: &HashMap<PayerId, String>, p: Party) -> String {
    match p {
        Party::Patient => "Patient".into(),
        Party::Payer(id) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("payer {id}")),
    }
}

/// The credit each payment of the account still holds, oldest first.
pub(crate) fn credits(conn: &Connection, account: AccountId) -> Result<Vec<(PaymentId, Money)>> {
    Ok(store::credit_by_payment(conn, account)?)
}

/// One charge as shown, from its account's ledger.
pub(crate) fn one_charge_view(
    ctx: &Ctx<'_>,
    r: &ChargeRow,
    entries: &[EntryRow],
) -> Result<ChargeView> {
    let on_it: Vec<Posting> = postings(entries)
        .into_iter()
        .filter(|p| p.charge == Some(r.id))
        .collect();
    let claimed = !chartroom_store::claims::claims_of_charge(ctx.read(), r.id)?.is_empty();
    charge_view(ctx, &payer_names(ctx.read())?, r, &on_it, claimed)
}

/// A charge as shown, with who owes what on it (`on_it`: its postings).
fn charge_view(
    ctx: &Ctx<'_>,
    names: &HashMap<PayerId, String>,
    r: &ChargeRow,
    on_it: &[Posting],
    claimed: bool,
) -> Result<ChargeView> {
    let ps = on_it;
    let mut parties: Vec<Party> = ps
        .iter()
        .filter(|p| p.charge == Some(r.id))
        .map(|p| p.party)
        .collect();
    parties.sort();
    parties.dedup();
    let owed = parties
        .into_iter()
        .map(|p| (p, owed_on(ps, r.id, p)))
        .filter(|(_, m)| *m != Money::ZERO)
        .map(|(p, amount)| Owed {
            party: party_name(names, p),
            payer_id: p.payer(),
            amount,
        })
        .collect();
    let touched = crate::ledger::paid_or_adjusted(ps, r.id);
    let f = &r.fields;
    Ok(ChargeView {
        id: r.id,
        patient_id: f.patient_id,
        encounter_id: f.encounter_id,
        service_day: f.service_day.to_string(),
        code: f.code.clone(),
        description: f.description.clone(),
        modifiers: f.modifiers.clone(),
        units: f.units,
        unit_price: f.unit_price,
        amount: f.amount(),
        place: f.place,
        diagnoses: f.diagnoses.clone(),
        rendering_user_id: f.rendering_user_id,
        status: match r.status {
            ChargeStatus::Open => "open",
            ChargeStatus::Billed => "billed",
            ChargeStatus::Void => "void",
        }
        .into(),
        void_reason: r.void_reason.clone(),
        owed,
        can_void: r.status != ChargeStatus::Void
            && !touched
            && ctx.actor().may(Permission::ChargeEntry),
        can_edit: r.status == ChargeStatus::Open
            && !touched
            && !claimed
            && ctx.actor().may(Permission::ChargeEntry),
        version: r.version,
    })
}

fn payment_view(
    ctx: &Ctx<'_>,
    names: &HashMap<PayerId, String>,
    p: store::PaymentRow,
    credit: Money,
) -> PaymentView {
    let posting = ctx.actor().may(Permission::InsurancePosting);
    PaymentView {
        id: p.id,
        paid_by: party_name(names, Party::of(p.fields.payer_id)),
        payer_id: p.fields.payer_id,
        method: p.fields.method,
        reference: p.fields.reference,
        amount: p.fields.amount,
        received_day: p.fields.received_day.to_string(),
        unapplied: credit,
        can_reverse: !p.reversed && posting,
        can_print_receipt: p.fields.payer_id.is_none()
            && ctx.actor().may(Permission::PatientPayment),
        can_refund: !p.reversed && credit.cents() > 0 && posting,
        reversed: p.reversed,
        reversed_reason: p.reversed_reason,
    }
}

/// One payment as shown (after it was taken).
pub(crate) fn payment_of(ctx: &Ctx<'_>, account: AccountId, id: PaymentId) -> Result<PaymentView> {
    let conn = ctx.read();
    let credit = credits(conn, account)?
        .into_iter()
        .find(|(p, _)| *p == id)
        .map_or(Money::ZERO, |(_, m)| m);
    Ok(payment_view(
        ctx,
        &payer_names(conn)?,
        store::payment(conn, id)?,
        credit,
    ))
}

fn describe(
    e: &EntryRow,
    charges: &HashMap<chartroom_types::ChargeId, ChargeRow>,
    payments: &HashMap<PaymentId, store::PaymentRow>,
    names: &HashMap<PayerId, String>,
) -> String {
    let n = &e.entry;
    let charge = n.charge_id.and_then(|c| charges.get(&c));
    let on = charge.map_or(String::new(), |c| {
        format!(
            " on {} of {}",
            c.fields.code,
            chartroom_core::validate::date_text(c.fields.service_day)
        )
    });
    let mut s = match n.kind {
        LedgerKind::Charge => match charge {
            Some(c) => {
                let mods = if c.fields.modifiers.is_empty() {
                    String::new()
                } else {
                    format!("-{}", c.fields.modifiers.join("-"))
                };
                let units = if c.fields.units > 1 {
                    format!(" x{}", c.fields.units)
                } else {
                    String::new()
                };
                format!("{}{mods} {}{units}", c.fields.code, c.fields.description)
            }
            None => "Charge".into(),
        },
        LedgerKind::Payment => {
            let p = n.payment_id.and_then(|p| payments.get(&p));
            let how = p.map_or(String::new(), |p| {
                let m = p.fields.method;
                let r = &p.fields.reference;
                match (m, r.is_empty()) {
                    (PaymentMethod::Check, false) => format!(", check {r}"),
                    (PaymentMethod::Insurance, false) => format!(", EOB check {r}"),
                    (_, false) => format!(", {} {r}", m.label().to_lowercase()),
                    (_, true) => format!(", {}", m.label().to_lowercase()),
                }
            });
            let who = party_name(names, Party::of(n.payer_id));
            format!("Payment by {who}{how}{on}")
        }
        LedgerKind::Adjustment => format!(
            "{}-{} adjustment by {}{on}",
            n.group.map_or("", |g| g.as_str()).to_ascii_uppercase(),
            n.reason_code,
            party_name(names, Party::of(n.payer_id))
        ),
        LedgerKind::Transfer => {
            if n.amount.is_negative() {
                format!(
                    "Moved from {}{on}",
                    party_name(names, Party::of(n.payer_id))
                )
            } else {
                format!("Moved to {}{on}", party_name(names, Party::of(n.payer_id)))
            }
        }
        LedgerKind::Refund => "Refund".into(),
    };
    if !n.memo.is_empty() {
        s.push_str(&format!(" ({})", n.memo));
    }
    s
}

/// The ledger of the account `patient` is billed to (an audited read).
pub fn ledger(ctx: &mut Ctx<'_>, patient: PatientId, all: bool) -> Result<LedgerView> {
    let conn = ctx.read();
    chartroom_store::patients::get(conn, patient)?;
    let actor = ctx.actor();
    let actions = LedgerActions {
        can_take_payment: actor.may(Permission::PatientPayment),
        can_apply_credit: false,
        can_post_insurance: actor.may(Permission::InsurancePosting),
        can_enter_charge: actor.may(Permission::ChargeEntry),
    };
    let view = match store::account_of_patient(conn, patient)? {
        None => empty_ledger(conn, patient, actions)?,
        Some(account) => account_ledger(ctx, account, actions, all)?,
    };
    ctx.audit(actor.event(
        AuditAction::Read,
        chartroom_store::model::DataCategory::Billing,
        Some(patient),
        format!("account/{}", view.account.id),
        format!(
            "ledger read: {} of {} entries; patients {}",
            view.rows.len(),
            view.rows_total,
            view.account
                .patients
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
    ))?;
    Ok(view)
}

fn empty_ledger(
    conn: &Connection,
    patient: PatientId,
    actions: LedgerActions,
) -> Result<LedgerView> {
    let p = chartroom_store::patients::get(conn, patient)?;
    Ok(LedgerView {
        account: AccountView {
            id: AccountId(0),
            name: format!("{} {}", p.fields.given_name, p.fields.family_name),
            address_line1: p.fields.address_line1,
            address_line2: p.fields.address_line2,
            city: p.fields.city,
            region: p.fields.region,
            postal_code: p.fields.postal_code,
            phone: String::new(),
            patients: vec![patient],
            version: 0,
        },
        rows: Vec::new(),
        rows_total: 0,
        charges: Vec::new(),
        payments: Vec::new(),
        balance: Money::ZERO,
        patient_due: Money::ZERO,
        pending: Vec::new(),
        unapplied: Money::ZERO,
        charges_total: Money::ZERO,
        payments_total: Money::ZERO,
        adjustments_total: Money::ZERO,
        refunds_total: Money::ZERO,
        actions,
    })
}

/// Entries the ledger shows unless all are asked for: the newest.
pub const LEDGER_ROWS: usize = 100;

fn account_ledger(
    ctx: &Ctx<'_>,
    account: AccountId,
    mut actions: LedgerActions,
    all: bool,
) -> Result<LedgerView> {
    let conn = ctx.read();
    let names = payer_names(conn)?;
    // The balances from the entries added up in SQL by kind, party and
    // whether on a charge (the fold is linear, so the sums give the same
    // figures), proved before anything is shown.
    let sums = store::account_sums(conn, account)?;
    let ps: Vec<Posting> = sums
        .iter()
        .map(|x| Posting {
            kind: x.kind,
            party: Party::of(x.payer_id),
            amount: x.amount,
            charge: x.on_charge.then_some(chartroom_types::ChargeId(0)),
        })
        .collect();
    let b = Balances::of(&ps);
    b.check()
        .map_err(|e| Error::Internal(format!("account {account}: {e}")))?;
    let rows_total: i64 = sums.iter().map(|x| x.count).sum();
    let whole = all || rows_total <= LEDGER_ROWS as i64;
    let entries = if whole {
        store::entries_of_account(conn, account)?
    } else {
        store::newest_entries(conn, account, LEDGER_ROWS)?
    };
    // The charges shown: every one still pending with a payer (the EOB
    // form posts on them), and those the entries shown are on (all of them
    // when the whole ledger is). What the patient's side owes on older
    // visits is in `patient_due` and on the statement.
    let charge_rows: Vec<ChargeRow> = if whole {
        store::charges_of_account(conn, account)?
    } else {
        let mut ids: Vec<chartroom_types::ChargeId> = store::owed_on_charges(conn, account, false)?
            .iter()
            .map(|o| o.0)
            .chain(entries.iter().filter_map(|e| e.entry.charge_id))
            .collect();
        ids.sort();
        ids.dedup();
        let mut rows = ids
            .into_iter()
            .map(|id| store::charge(conn, id))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        rows.sort_by_key(|c| (c.fields.service_day, c.id));
        rows
    };
    // Each shown charge's postings (added up by kind and party when only
    // some are shown: all that who owes what on it, and whether anything
    // but its charge touched it, need).
    let grouped: HashMap<chartroom_types::ChargeId, Vec<Posting>> = if whole {
        by_charge(&postings(&entries))
    } else {
        let mut g = HashMap::new();
        for c in &charge_rows {
            let on: Vec<Posting> = store::charge_sums(conn, c.id)?
                .into_iter()
                .map(|(kind, payer, amount)| Posting {
                    kind,
                    party: Party::of(payer),
                    amount,
                    charge: Some(c.id),
                })
                .collect();
            g.insert(c.id, on);
        }
        g
    };
    let held = credits(conn, account)?;
    let payment_rows: Vec<store::PaymentRow> = if whole {
        store::payments_of_account(conn, account)?
    } else {
        let mut ids: Vec<PaymentId> = held
            .iter()
            .map(|h| h.0)
            .chain(entries.iter().filter_map(|e| e.entry.payment_id))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| store::payment(conn, id))
            .collect::<std::result::Result<Vec<_>, _>>()?
    };
    let charges: HashMap<_, _> = charge_rows.iter().map(|c| (c.id, c.clone())).collect();
    let payments: HashMap<_, _> = payment_rows.iter().map(|p| (p.id, p.clone())).collect();
    // The running balance of the first row shown is what the entries
    // before it left.
    let shown: i64 = entries.iter().map(|e| e.entry.amount.cents()).sum();
    let mut running = Money::from_cents(b.total.cents().saturating_sub(shown));
    let rows = entries
        .iter()
        .map(|e| {
            running = Money::from_cents(running.cents().saturating_add(e.entry.amount.cents()));
            LedgerRow {
                id: e.id,
                day: e.posted_day.to_string(),
                kind: e.entry.kind,
                party: party_name(&names, Party::of(e.entry.payer_id)),
                description: describe(e, &charges, &payments, &names),
                patient_id: e.entry.patient_id,
                charge_id: e.entry.charge_id,
                payment_id: e.entry.payment_id,
                amount: e.entry.amount,
                balance: running,
                by: e.posted_by_name.clone(),
            }
        })
        .collect();
    let none: Vec<Posting> = Vec::new();
    let on = |c: &ChargeRow| grouped.get(&c.id).unwrap_or(&none);
    // Which shown charges are on a claim (an index look-up each).
    let mut claimed = std::collections::HashSet::new();
    for c in &charge_rows {
        if !chartroom_store::claims::claims_of_charge(conn, c.id)?.is_empty() {
            claimed.insert(c.id);
        }
    }
    actions.can_apply_credit = actions.can_take_payment
        && b.unapplied.cents() > 0
        && store::owed_on_charges(conn, account, true)?
            .iter()
            .any(|o| o.2.cents() > 0);
    let credit_of: HashMap<PaymentId, Money> = held.into_iter().collect();
    Ok(LedgerView {
        account: account_view(conn, store::account(conn, account)?)?,
        rows,
        rows_total: u32::try_from(rows_total).unwrap_or(u32::MAX),
        charges: charge_rows
            .iter()
            .map(|c| charge_view(ctx, &names, c, on(c), claimed.contains(&c.id)))
            .collect::<Result<_>>()?,
        payments: payment_rows
            .into_iter()
            .map(|p| {
                let credit = credit_of.get(&p.id).copied().unwrap_or(Money::ZERO);
                payment_view(ctx, &names, p, credit)
            })
            .collect(),
        balance: b.total,
        patient_due: b.patient_due,
        pending: b
            .pending
            .iter()
            .map(|(id, amount)| Pending {
                payer_id: *id,
                payer_name: names.get(id).cloned().unwrap_or_default(),
                amount: *amount,
            })
            .collect(),
        unapplied: b.unapplied,
        charges_total: b.charges,
        payments_total: b.payments,
        adjustments_total: b.adjustments,
        refunds_total: b.refunds,
        actions,
    })
}

// ---------------------------------------------------------------- the day

/// A day's postings added up (typed day; empty: today).
pub fn day_report(ctx: &Ctx<'_>, day: &str) -> Result<DayReport> {
    let mut errs = chartroom_core::FieldErrors::default();
    let day = day_or(&mut errs, "day", "Day", day, Some(ctx.today()));
    errs.finish()?;
    let day = day.ok_or_else(|| Error::Internal("checked above".into()))?;
    report(ctx, day)
}

fn report(ctx: &Ctx<'_>, day: NaiveDate) -> Result<DayReport> {
    let conn = ctx.read();
    let entries = store::entries_of_day(conn, day)?;
    let ps = postings(&entries);
    let b = Balances::of(&ps);
    b.check()
        .map_err(|e| Error::Internal(format!("the day {day}: {e}")))?;
    let mut by_method: Vec<MethodTotal> = Vec::new();
    let mut methods: HashMap<PaymentId, PaymentMethod> = HashMap::new();
    for e in entries
        .iter()
        .filter(|e| e.entry.kind == LedgerKind::Payment)
    {
        let Some(pid) = e.entry.payment_id else {
            continue;
        };
        let method = match methods.get(&pid) {
            Some(m) => *m,
            None => {
                let m = store::payment(conn, pid)?.fields.method;
                methods.insert(pid, m);
                m
            }
        };
        let received = -e.entry.amount.cents();
        match by_method.iter_mut().find(|t| t.method == method) {
            Some(t) => t.amount = Money::from_cents(t.amount.cents() + received),
            None => by_method.push(MethodTotal {
                method,
                amount: Money::from_cents(received),
            }),
        }
    }
    by_method.retain(|t| t.amount != Money::ZERO);
    by_method.sort_by_key(|t| t.method);
    let closed = store::closed_day(conn, day)?.map(|(_, at, by)| {
        format!(
            "Closed {} by {by}",
            at.with_timezone(&ctx.zone()).format("%m/%d/%Y %H:%M")
        )
    });
    Ok(DayReport {
        day: day.to_string(),
        charges: b.charges,
        payments: by_method,
        payments_total: b.payments,
        adjustments: b.adjustments,
        refunds: b.refunds,
        net: b.total,
        entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        can_close: closed.is_none() && day <= ctx.today() && ctx.actor().may(Permission::CloseDay),
        closed,
    })
}

/// Closes a day: its totals are kept and its postings are final.
pub fn close_day(ctx: &mut Ctx<'_>, day: &str) -> Result<DayReport> {
    let mut errs = chartroom_core::FieldErrors::default();
    let day = day_or(&mut errs, "day", "Day", day, Some(ctx.today()));
    errs.finish()?;
    let day = day.ok_or_else(|| Error::Internal("checked above".into()))?;
    if day > ctx.today() {
        return Err(Error::field("day", "A day is closed once it has come"));
    }
    if store::closed_day(ctx.read(), day)?.is_some() {
        return Err(Error::field("day", format!("{day} is closed already")));
    }
    // Refuses to close a day whose entries do not add up.
    report(ctx, day)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        // The totals are read again inside the transaction that closes
        // the day: nothing posted in between is left out.
        let entries = store::entries_of_day(tx, day)?;
        let b = Balances::of(&postings(&entries));
        let t = DayTotals {
            charges: b.charges,
            payments: b.payments,
            adjustments: b.adjustments,
            refunds: b.refunds,
        };
        store::close_day(tx, day, &t, now, user)?;
        audit(
            tx,
            now,
            actor,
            AuditAction::Update,
            None,
            format!("day/{day}"),
            format!(
                "closed: charges {}, payments {}, adjustments {}, refunds {}",
                t.charges, t.payments, t.adjustments, t.refunds
            ),
        )
    })?;
    report(ctx, day)
}
