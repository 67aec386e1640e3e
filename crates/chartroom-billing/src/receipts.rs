//! Receipts for what a patient or guarantor paid: every payment the
//! account's patient side made on the payment's day, each on a line of its
//! own (two payments of the same amount are two lines), reversed ones
//! marked and left out of the total, and what the account owes after them.
//! An insurer's payment has no receipt: its EOB is the record. A receipt
//! handed over or saved is a disclosure (purpose: payment) for each patient
//! it names.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chartroom_chart::sheets::{self, Listed, SheetDone, SheetKind, SheetOutput};
use chartroom_core::{validate, Ctx, Error, Result};
use chartroom_pdf::{Block, Column};
use chartroom_store::billing as store;
use chartroom_store::model::DataCategory;
use chartroom_store::patients;
use chartroom_types::{
    DisclosurePurpose, Money, PacketKind, PatientId, PaymentId, PaymentMethod, RecordSection,
};

use crate::ledger::add;
use crate::statements::{account_number, statement_of};

/// How a payment was made, in words: "Check 1042", "Card ref 8841",
/// "Cash".
fn how(method: PaymentMethod, reference: &str) -> String {
    if reference.trim().is_empty() {
        method.label().to_string()
    } else {
        format!("{} {}", method.label(), reference.trim())
    }
}

/// Prints or saves the receipt for the patient-side payments made on the
/// day of `payment`, on its account.
pub fn receipt(ctx: &mut Ctx<'_>, payment: PaymentId, out: &SheetOutput) -> Result<SheetDone> {
    let conn = ctx.read();
    let p = store::payment(conn, payment)?;
    if p.fields.payer_id.is_some() {
        return Err(Error::field(
            "payment_id",
            "An insurer's payment has no receipt: its EOB is the record",
        ));
    }
    let account = p.fields.account_id;
    let day = p.fields.received_day;
    let paid: Vec<store::PaymentRow> = store::payments_of_account(conn, account)?
        .into_iter()
        .filter(|x| x.fields.payer_id.is_none() && x.fields.received_day == day)
        .collect();
    let tz = ctx.zone();
    let mut names: HashMap<PatientId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(paid.len());
    let mut total = Money::ZERO;
    let mut listed = Vec::new();
    for x in &paid {
        let who = match x.fields.patient_id {
            Some(pid) => match names.entry(pid) {
                Entry::Occupied(n) => n.get().clone(),
                Entry::Vacant(slot) => {
                    let f = patients::get(conn, pid)?.fields;
                    listed.push(Listed {
                        patient: pid,
                        what: format!("account/{account}/receipt"),
                    });
                    slot.insert(format!("{} {}", f.given_name, f.family_name))
                        .clone()
                }
            },
            None => String::new(),
        };
        if !x.reversed {
            total = add(total, x.fields.amount);
        }
        rows.push(vec![
            x.created_at.with_timezone(&tz).format("%H:%M").to_string(),
            format!("No. {}", x.id),
            how(x.fields.method, &x.fields.reference),
            who,
            if x.reversed {
                format!("reversed: {}", x.reversed_reason)
            } else {
                x.fields.note.clone()
            },
            x.fields.amount.to_string(),
        ]);
    }
    let s = statement_of(conn, account, ctx.today())?;
    if listed.is_empty() {
        for pid in store::patients_of_account(conn, account)? {
            listed.push(Listed {
                patient: pid,
                what: format!("account/{account}/receipt"),
            });
        }
    }
    let blocks = vec![
        Block::Title("Payment receipt".into()),
        Block::Fields(vec![
            ("Received from".into(), s.account.name.clone()),
            ("Account".into(), account_number(account)),
            ("Day".into(), validate::date_text(day)),
        ]),
        Block::Table {
            columns: vec![
                Column::new("Time", 0.8),
                Column::new("Payment", 1.0),
                Column::new("How", 1.6),
                Column::new("For", 1.8),
                Column::new("Note", 1.8),
                Column::right("Amount", 1.1),
            ],
            rows,
            empty: String::new(),
        },
        Block::Fields(vec![
            ("Received in all".into(), total.to_string()),
            ("Credit held on the account".into(), s.credit.to_string()),
            ("Still owed on visits".into(), s.patient_due.to_string()),
            (
                "Pending with insurance".into(),
                format!("{} (not due now)", s.pending),
            ),
        ]),
        Block::Note("Thank you. Please keep this receipt for your records.".into()),
    ];
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, "Payment receipt", blocks)?)
        .map_err(|e| Error::Internal(format!("the receipt could not be drawn: {e}")))?;
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("receipt-{day}-account-{}", account_number(account)),
            title: "Payment receipt",
            kind: PacketKind::Receipt,
            recipient: "The patient or guarantor (receipt, handed over)",
            purpose: DisclosurePurpose::Payment,
            description: "payment receipt",
            sections: &[RecordSection::Demographics],
            category: DataCategory::Billing,
        },
        &pdf,
        &listed,
        |_, _, _, _| Ok(()),
    )
}
