//! Billing through the API, as the practice manager, a clinician, the
//! billing clerk and the front desk use it: the fee schedule and payers,
//! coverage and guarantors, charges priced from the schedule, a copay taken
//! before the visit's charges, an EOB posted with a contractual adjustment
//! and the patient's share moved to them, reversals, refunds and the day's
//! close. Each defect the issue names from the best-known open-source EMR
//! has a test here that shows Chartroom does it right; a property test
//! drives generated histories through the real commands and checks that
//! the ledger always balances and labels every payment with its real payer.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use std::cell::RefCell;

use chartroom_api::{Chartroom, ErrorCode};
use chartroom_billing::commands::*;
use chartroom_billing::protocol::*;
use chartroom_store::model::Role;
use chartroom_types::{
    AdjustmentGroup, ChargeId, CoverageRank, LedgerKind, Money, PatientId, PayerId, PaymentMethod,
    PlaceOfService, PriceLevel, SubscriberRelationship,
};
use common::*;
use proptest::prelude::*;

struct Office {
    fx: Fx,
    aetna: PayerId,
    medigap: PayerId,
    patient: PatientId,
}

fn as_user(app: &mut Chartroom, username: &str) {
    let _ = app.run(chartroom_api::commands::Logout {});
    login(app, username);
}

fn fee(app: &mut Chartroom, code: &str, level: PriceLevel, price: &str) {
    ok(
        app,
        SaveFee {
            form: FeeForm {
                code: code.into(),
                level,
                description: format!("Service {code}"),
                price: price.into(),
                from: "01/01/2026".into(),
            },
        },
    );
}

fn payer(app: &mut Chartroom, name: &str) -> PayerId {
    ok(
        app,
        SavePayer {
            id: None,
            expected_version: 0,
            form: PayerForm {
                name: name.into(),
                payer_code: "60054".into(),
                address_line1: "PO Box 14079".into(),
                address_line2: String::new(),
                city: "Lexington".into(),
                region: "KY".into(),
                postal_code: "40512".into(),
                phone: String::new(),
                active: true,
            },
        },
    )
    .id
}

/// A practice with a manager, a clinician, a billing clerk and the front
/// desk; a fee schedule (99213 $200, self-pay $120; 99214 $280); two
/// payers; one patient with Aetna primary. Logged in as the front desk.
fn office() -> Office {
    let mut fx = practice(true);
    add_user(&mut fx.app, "mia", &[Role::PracticeManager], false);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    add_user(&mut fx.app, "bill", &[Role::Billing], false);
    add_user(&mut fx.app, "fred", &[Role::FrontDesk], false);
    as_user(&mut fx.app, "mia");
    fee(&mut fx.app, "99213", PriceLevel::Standard, "200.00");
    fee(&mut fx.app, "99213", PriceLevel::SelfPay, "120.00");
    fee(&mut fx.app, "99214", PriceLevel::Standard, "280.00");
    let aetna = payer(&mut fx.app, "Aetna");
    let medigap = payer(&mut fx.app, "Medigap Plan F");
    as_user(&mut fx.app, "fred");
    let patient = register(&mut fx.app, anh());
    cover(&mut fx.app, patient, aetna, CoverageRank::Primary);
    Office {
        fx,
        aetna,
        medigap,
        patient,
    }
}

fn cover(app: &mut Chartroom, patient: PatientId, payer: PayerId, rank: CoverageRank) {
    ok(
        app,
        SaveCoverage {
            id: None,
            expected_version: 0,
            form: CoverageForm {
                patient_id: patient,
                payer_id: payer,
                rank,
                member_id: "W1234567".into(),
                group_number: "G-88".into(),
                relationship: SubscriberRelationship::SelfInsured,
                subscriber_name: String::new(),
                subscriber_birth_date: String::new(),
                copay: "25.00".into(),
                from: "01/01/2026".into(),
                to: String::new(),
            },
        },
    );
}

fn charge(app: &mut Chartroom, patient: PatientId, code: &str) -> ChargeView {
    ok(
        app,
        EnterCharge {
            patient_id: patient,
            form: ChargeForm {
                encounter_id: None,
                service_day: "03/02/2026".into(),
                code: code.into(),
                modifiers: vec![],
                units: 1,
                place: PlaceOfService::Office,
                diagnoses: vec!["I10".into(), "E11.9".into()],
                rendering_user_id: None,
            },
        },
    )
}

fn pay(app: &mut Chartroom, patient: PatientId, amount: &str, apply: ApplyTo) -> PaymentView {
    ok(
        app,
        TakePayment {
            patient_id: patient,
            method: PaymentMethod::Cash,
            reference: String::new(),
            amount: amount.into(),
            note: String::new(),
            apply,
        },
    )
}

fn ledger(app: &mut Chartroom, patient: PatientId) -> LedgerView {
    ok(
        app,
        GetLedger {
            patient_id: patient,
        },
    )
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// The ledger as lines: "kind party description amount balance".
fn lines(l: &LedgerView) -> Vec<String> {
    l.rows
        .iter()
        .map(|r| {
            format!(
                "{} | {} | {} | {} | {}",
                r.kind.as_str(),
                r.party,
                r.description,
                r.amount,
                r.balance
            )
        })
        .collect()
}

fn eob(charge: ChargeId, paid: &str, adjustments: &[(AdjustmentGroup, &str, &str)]) -> EobLine {
    EobLine {
        charge_id: charge,
        paid: paid.into(),
        adjustments: adjustments
            .iter()
            .map(|(g, r, a)| AdjustmentForm {
                group: *g,
                reason_code: (*r).into(),
                amount: (*a).into(),
            })
            .collect(),
    }
}

#[test]
fn a_visit_billed_a_copay_taken_and_the_eob_posted_leaves_the_patient_their_share() {
    let mut o = office();
    // The copay, taken at check-in before the charges exist: credit,
    // shown on the ledger (a payment with no visit does not vanish).
    let copay = pay(&mut o.fx.app, o.patient, "25.00", ApplyTo::Credit);
    assert_eq!(copay.unapplied, m("25.00"));
    assert_eq!(copay.paid_by, "Patient");

    as_user(&mut o.fx.app, "doc");
    let visit = charge(&mut o.fx.app, o.patient, "99213");
    assert_eq!(visit.amount, m("200.00"), "the standard price: covered");
    assert_eq!(visit.diagnoses, vec!["I10", "E11.9"]);
    assert_eq!(visit.owed.len(), 1);
    assert_eq!(visit.owed[0].party, "Aetna");

    // The insurance-pending amount is not shown as patient-due.
    as_user(&mut o.fx.app, "fred");
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!(l.balance, m("175.00"));
    assert_eq!(l.patient_due, Money::ZERO);
    assert_eq!(l.unapplied, m("25.00"));
    assert_eq!(l.pending.len(), 1);
    assert_eq!(
        (l.pending[0].payer_name.as_str(), l.pending[0].amount),
        ("Aetna", m("200.00"))
    );

    // Billing posts the EOB: allowed 120, paid 96, CO-45 80, PR-2 24.
    as_user(&mut o.fx.app, "bill");
    let l = ok(
        &mut o.fx.app,
        PostInsurancePayment {
            patient_id: o.patient,
            payer_id: o.aetna,
            reference: "EFT1042".into(),
            amount: "96.00".into(),
            lines: vec![eob(
                visit.id,
                "96.00",
                &[
                    (AdjustmentGroup::Co, "45", "80.00"),
                    (AdjustmentGroup::Pr, "2", "24.00"),
                ],
            )],
        },
    );
    assert_eq!(
        lines(&l),
        vec![
            "payment | Patient | Payment by Patient, cash (credit) | -$25.00 | -$25.00",
            "charge | Aetna | 99213 Service 99213 | $200.00 | $175.00",
            "payment | Aetna | Payment by Aetna, EOB check EFT1042 on 99213 of 03/02/2026 | -$96.00 | $79.00",
            "adjustment | Aetna | CO-45 adjustment by Aetna on 99213 of 03/02/2026 | -$80.00 | -$1.00",
            "transfer | Aetna | Moved from Aetna on 99213 of 03/02/2026 (PR-2) | -$24.00 | -$25.00",
            "transfer | Patient | Moved to Patient on 99213 of 03/02/2026 (PR-2) | $24.00 | -$1.00",
        ]
    );
    // What remains is the patient's, and the credit still waits.
    assert_eq!(l.patient_due, m("24.00"));
    assert!(l.pending.is_empty());
    assert_eq!(l.balance, m("-1.00"));
    // The insurer's payment is labelled with the insurer, not "Patient".
    let aetna_paid = l
        .payments
        .iter()
        .find(|p| p.method == PaymentMethod::Insurance)
        .unwrap();
    assert_eq!(aetna_paid.paid_by, "Aetna");

    // The front desk applies the copay: the patient's $24 is paid, $1 of
    // credit stays (a partial prepayment applies, it does not hang).
    as_user(&mut o.fx.app, "fred");
    assert!(ledger(&mut o.fx.app, o.patient).actions.can_apply_credit);
    let l = ok(
        &mut o.fx.app,
        ApplyCredit {
            patient_id: o.patient,
        },
    );
    assert!(
        !l.actions.can_apply_credit,
        "nothing left owed to apply it to"
    );
    assert_eq!(l.patient_due, Money::ZERO);
    assert_eq!(l.unapplied, m("1.00"));
    assert_eq!(l.balance, m("-1.00"));
    assert_eq!(
        (l.charges_total, l.payments_total, l.adjustments_total),
        (m("200.00"), m("121.00"), m("80.00"))
    );
}

#[test]
fn an_eob_line_must_balance_and_the_secondary_payer_gets_the_patients_share() {
    let mut o = office();
    cover(&mut o.fx.app, o.patient, o.medigap, CoverageRank::Secondary);
    as_user(&mut o.fx.app, "doc");
    let visit = charge(&mut o.fx.app, o.patient, "99214");
    as_user(&mut o.fx.app, "bill");
    // Paid 150 and CO 80 make 230, not the 280 pending: refused, nothing
    // posted (the manual posting that "does not reduce what remains").
    let r = o.fx.app.run(PostInsurancePayment {
        patient_id: o.patient,
        payer_id: o.aetna,
        reference: "1001".into(),
        amount: "150.00".into(),
        lines: vec![eob(
            visit.id,
            "150.00",
            &[(AdjustmentGroup::Co, "45", "80.00")],
        )],
    });
    let wire = r.unwrap_err().to_wire();
    assert_eq!(wire.fields[0].field, "lines.0.paid");
    assert!(
        wire.fields[0]
            .message
            .contains("$280.00 is pending with Aetna"),
        "{}",
        wire.fields[0].message
    );
    assert_eq!(ledger(&mut o.fx.app, o.patient).rows.len(), 1);
    // Balanced: the PR share goes to the secondary payer, not the patient.
    let l = ok(
        &mut o.fx.app,
        PostInsurancePayment {
            patient_id: o.patient,
            payer_id: o.aetna,
            reference: "1001".into(),
            amount: "150.00".into(),
            lines: vec![eob(
                visit.id,
                "150.00",
                &[
                    (AdjustmentGroup::Co, "45", "80.00"),
                    (AdjustmentGroup::Pr, "1", "50.00"),
                ],
            )],
        },
    );
    assert_eq!(l.patient_due, Money::ZERO);
    assert_eq!(l.pending.len(), 1);
    assert_eq!(
        (l.pending[0].payer_name.as_str(), l.pending[0].amount),
        ("Medigap Plan F", m("50.00"))
    );
    // Nothing more is pending with Aetna on that line.
    let again = o.fx.app.run(PostInsurancePayment {
        patient_id: o.patient,
        payer_id: o.aetna,
        reference: "1002".into(),
        amount: "1.00".into(),
        lines: vec![eob(visit.id, "1.00", &[])],
    });
    assert_eq!(field_names(again), vec!["lines.0.charge_id"]);
}

#[test]
fn two_payments_of_the_same_amount_are_both_kept_and_a_reversal_is_new_entries() {
    let mut o = office();
    let a = pay(&mut o.fx.app, o.patient, "40.00", ApplyTo::Credit);
    let b = ok(
        &mut o.fx.app,
        TakePayment {
            patient_id: o.patient,
            method: PaymentMethod::Check,
            reference: "311".into(),
            amount: "40.00".into(),
            note: String::new(),
            apply: ApplyTo::Credit,
        },
    );
    assert_ne!(a.id, b.id);
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!(l.payments.len(), 2, "both $40.00 payments are listed");
    assert_eq!(l.unapplied, m("80.00"));
    // A check without its number is refused by field.
    let r = o.fx.app.run(TakePayment {
        patient_id: o.patient,
        method: PaymentMethod::Check,
        reference: String::new(),
        amount: "10".into(),
        note: String::new(),
        apply: ApplyTo::Credit,
    });
    assert_eq!(field_names(r), vec!["reference"]);
    // The front desk may not reverse; billing may. The check bounced.
    let r = o.fx.app.run(ReversePayment {
        payment_id: b.id,
        reason: "returned unpaid".into(),
    });
    assert_eq!(code(r), ErrorCode::PermissionDenied);
    as_user(&mut o.fx.app, "bill");
    let reversed = ok(
        &mut o.fx.app,
        ReversePayment {
            payment_id: b.id,
            reason: "returned unpaid".into(),
        },
    );
    assert!(reversed.reversed && !reversed.can_reverse);
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!(l.rows.len(), 3, "the reversal is an entry of its own");
    assert_eq!(
        lines(&l)[2],
        "payment | Patient | Payment by Patient, check 311 (reversal: returned unpaid) | $40.00 | -$40.00"
    );
    assert_eq!(l.unapplied, m("40.00"));
    // Refund of part of the remaining credit; more than it holds is refused.
    let r = o.fx.app.run(RefundCredit {
        payment_id: a.id,
        amount: "50.00".into(),
        method: PaymentMethod::Check,
        reference: "5001".into(),
        reason: "overpaid".into(),
    });
    assert_eq!(field_names(r), vec!["amount"]);
    let refunded = ok(
        &mut o.fx.app,
        RefundCredit {
            payment_id: a.id,
            amount: "15.00".into(),
            method: PaymentMethod::Check,
            reference: "5001".into(),
            reason: "overpaid".into(),
        },
    );
    assert_eq!(refunded.unapplied, m("25.00"));
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!((l.balance, l.refunds_total), (m("-25.00"), m("15.00")));
}

#[test]
fn prices_follow_the_schedule_and_bad_lines_are_refused_by_field() {
    let mut o = office();
    // A patient without coverage pays the self-pay price.
    let ben = register(
        &mut o.fx.app,
        chartroom_api::protocol::PatientInput {
            family_name: "Ødegård".into(),
            given_name: "Søren".into(),
            birth_date: "1971-06-02".into(),
            sex: "male".into(),
            phone_mobile: "(503) 555-0177".into(),
            preferred_contact: "phone".into(),
            ..Default::default()
        },
    );
    as_user(&mut o.fx.app, "doc");
    let self_pay = charge(&mut o.fx.app, ben, "99213");
    assert_eq!(self_pay.amount, m("120.00"));
    assert_eq!(self_pay.owed[0].party, "Patient");
    // Bad lines are refused by field, nothing written.
    let r = o.fx.app.run(EnterCharge {
        patient_id: ben,
        form: ChargeForm {
            encounter_id: None,
            service_day: "12/31/2027".into(),
            code: "9921".into(),
            modifiers: vec!["255".into()],
            units: 0,
            place: PlaceOfService::Office,
            diagnoses: vec!["E11".into()],
            rendering_user_id: None,
        },
    });
    assert_eq!(
        field_names(r),
        vec!["code", "modifiers", "units", "diagnoses", "service_day"]
    );
    let r = o.fx.app.run(EnterCharge {
        patient_id: ben,
        form: ChargeForm {
            encounter_id: None,
            service_day: String::new(),
            code: "99215".into(),
            modifiers: vec![],
            units: 1,
            place: PlaceOfService::Office,
            diagnoses: vec!["I10".into()],
            rendering_user_id: None,
        },
    });
    assert_eq!(field_names(r), vec!["code"]);
    // A new price from a later day ends the old one the day before.
    as_user(&mut o.fx.app, "mia");
    ok(
        &mut o.fx.app,
        SaveFee {
            form: FeeForm {
                code: "99213".into(),
                level: PriceLevel::Standard,
                description: "Office visit, est.".into(),
                price: "210.00".into(),
                from: "04/01/2026".into(),
            },
        },
    );
    let fees = ok(&mut o.fx.app, ListFees {});
    let standard: Vec<String> = fees
        .iter()
        .filter(|f| f.code == "99213" && f.level == PriceLevel::Standard)
        .map(|f| format!("{} {} {:?}", f.price, f.from_day, f.to_day))
        .collect();
    assert_eq!(
        standard,
        vec![
            "$200.00 2026-01-01 Some(\"2026-03-31\")",
            "$210.00 2026-04-01 None"
        ]
    );
    // (The database's own refusals of raw changes to billing rows are
    // chartroom-store's tests/refusals.rs.)
}

#[test]
fn a_closed_day_matches_the_ledger_and_takes_no_more_postings() {
    let mut o = office();
    pay(&mut o.fx.app, o.patient, "25.00", ApplyTo::Credit);
    as_user(&mut o.fx.app, "doc");
    let visit = charge(&mut o.fx.app, o.patient, "99213");
    as_user(&mut o.fx.app, "bill");
    ok(
        &mut o.fx.app,
        PostInsurancePayment {
            patient_id: o.patient,
            payer_id: o.aetna,
            reference: "77".into(),
            amount: "96.00".into(),
            lines: vec![eob(
                visit.id,
                "96.00",
                &[
                    (AdjustmentGroup::Co, "45", "80.00"),
                    (AdjustmentGroup::Pr, "2", "24.00"),
                ],
            )],
        },
    );
    as_user(&mut o.fx.app, "mia");
    let day = ok(&mut o.fx.app, GetDayReport { day: String::new() });
    assert_eq!(
        (
            day.charges,
            day.payments_total,
            day.adjustments,
            day.refunds,
            day.net
        ),
        (
            m("200.00"),
            m("121.00"),
            m("80.00"),
            Money::ZERO,
            m("-1.00")
        )
    );
    assert_eq!(
        day.payments
            .iter()
            .map(|t| format!("{} {}", t.method.as_str(), t.amount))
            .collect::<Vec<_>>(),
        vec!["cash $25.00", "insurance $96.00"]
    );
    assert!(day.can_close && day.closed.is_none());
    let closed = ok(&mut o.fx.app, CloseDay { day: String::new() });
    assert!(closed.closed.as_deref().unwrap().contains("by mia user"));
    assert!(!closed.can_close);
    // The day's ledger and the close agree to the cent; no more postings.
    as_user(&mut o.fx.app, "fred");
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!(l.balance, closed.net);
    let r = o.fx.app.run(TakePayment {
        patient_id: o.patient,
        method: PaymentMethod::Cash,
        reference: String::new(),
        amount: "5".into(),
        note: String::new(),
        apply: ApplyTo::Credit,
    });
    assert_eq!(field_names(r), vec!["day"]);
    // The next day is open.
    o.fx.clock.advance(chrono::Duration::days(1));
    as_user(&mut o.fx.app, "fred");
    pay(&mut o.fx.app, o.patient, "5.00", ApplyTo::Oldest);
    let l = ledger(&mut o.fx.app, o.patient);
    assert_eq!(l.patient_due, m("19.00"), "applied to the oldest due");
}

/// One step of a generated billing history.
#[derive(Debug, Clone)]
enum Step {
    Charge {
        covered: bool,
        code: usize,
    },
    Pay {
        cents: i64,
        oldest: bool,
    },
    Eob {
        charge: usize,
        paid_pct: u8,
        pr_pct: u8,
    },
    Reverse {
        payment: usize,
    },
    Refund {
        payment: usize,
        cents: i64,
    },
    ApplyCredit,
    Void {
        charge: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (any::<bool>(), 0usize..2).prop_map(|(covered, code)| Step::Charge { covered, code }),
        (100i64..30_000, any::<bool>()).prop_map(|(cents, oldest)| Step::Pay { cents, oldest }),
        (0usize..8, 0u8..=100, 0u8..=100).prop_map(|(charge, paid_pct, pr_pct)| Step::Eob {
            charge,
            paid_pct,
            pr_pct
        }),
        (0usize..8).prop_map(|payment| Step::Reverse { payment }),
        (0usize..8, 1i64..5_000).prop_map(|(payment, cents)| Step::Refund { payment, cents }),
        Just(Step::ApplyCredit),
        (0usize..8).prop_map(|charge| Step::Void { charge }),
    ]
}

/// A patient of its own for each generated case: a letters-only name and a
/// birth date no other case has (so no duplicate check stops it).
fn case_patient() -> chartroom_api::protocol::PatientInput {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut name = String::new();
    let mut k = n;
    loop {
        name.push(char::from(b'a' + (k % 26) as u8));
        k /= 26;
        if k == 0 {
            break;
        }
    }
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()
        + chrono::Duration::days(i64::from(n) * 3);
    chartroom_api::protocol::PatientInput {
        family_name: format!("Case{name}"),
        given_name: "Generated".into(),
        birth_date: born.to_string(),
        sex: "unknown".into(),
        phone_mobile: format!("(503) 555-{:04}", n % 10_000),
        preferred_contact: "phone".into(),
        ..Default::default()
    }
}

fn money_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Generated histories of charges (covered or self-pay), patients'
    /// payments, EOBs (paid, contractual and patient shares), reversals,
    /// refunds, credit applied and voids, through the real commands: after
    /// every step the ledger balances three ways, the running balance ends
    /// at the balance, every payment is labelled with who really paid it,
    /// and the totals equal the model's own bookkeeping of what was
    /// accepted.
    #[test]
    fn the_ledger_always_balances_and_labels_every_payment(
        steps in proptest::collection::vec(step(), 1..14)
    ) {
        thread_local! {
            static OFFICE: RefCell<Option<Office>> = const { RefCell::new(None) };
        }
        OFFICE.with(|cell| {
            let mut guard = cell.borrow_mut();
            let o = guard.get_or_insert_with(office);
            // A fresh patient per case: a ledger of its own.
            as_user(&mut o.fx.app, "fred");
            let insured = register(&mut o.fx.app, case_patient());
            cover(&mut o.fx.app, insured, o.aetna, CoverageRank::Primary);
            let bare = register(&mut o.fx.app, case_patient());
            // The second patient is billed to the first's account.
            ok(&mut o.fx.app, SetGuarantor {
                patient_id: bare,
                guarantor: Guarantor::SameAs { patient_id: insured },
            });
            let mut charges: Vec<ChargeView> = Vec::new();
            let mut payments: Vec<PaymentView> = Vec::new();
            let (mut charged, mut paid, mut adjusted, mut refunded) = (0i64, 0i64, 0i64, 0i64);
            for s in &steps {
                match s {
                    Step::Charge { covered, code } => {
                        as_user(&mut o.fx.app, "doc");
                        let c = charge(&mut o.fx.app, if *covered { insured } else { bare },
                            ["99213", "99214"][*code]);
                        charged += c.amount.cents();
                        charges.push(c);
                    }
                    Step::Pay { cents, oldest } => {
                        as_user(&mut o.fx.app, "fred");
                        let p = pay(&mut o.fx.app, insured, &money_text(*cents),
                            if *oldest { ApplyTo::Oldest } else { ApplyTo::Credit });
                        paid += cents;
                        payments.push(p);
                    }
                    Step::Eob { charge: i, paid_pct, pr_pct } => {
                        let Some(c) = charges.get(*i) else { continue };
                        let l = ledger(&mut o.fx.app, insured);
                        let Some(pending) = l.charges.iter().find(|x| x.id == c.id)
                            .and_then(|x| x.owed.iter().find(|w| w.payer_id == Some(o.aetna)))
                            .map(|w| w.amount.cents()) else { continue };
                        let pay_c = pending * i64::from(*paid_pct) / 100;
                        let pr = (pending - pay_c) * i64::from(*pr_pct) / 100;
                        let co = pending - pay_c - pr;
                        let mut adj = Vec::new();
                        if co > 0 { adj.push((AdjustmentGroup::Co, "45", money_text(co))); }
                        if pr > 0 { adj.push((AdjustmentGroup::Pr, "2", money_text(pr))); }
                        as_user(&mut o.fx.app, "bill");
                        let adj_ref: Vec<(AdjustmentGroup, &str, &str)> =
                            adj.iter().map(|(g, r, a)| (*g, *r, a.as_str())).collect();
                        ok(&mut o.fx.app, PostInsurancePayment {
                            patient_id: insured,
                            payer_id: o.aetna,
                            reference: "EFT".into(),
                            amount: money_text(pay_c),
                            lines: vec![eob(c.id, &money_text(pay_c), &adj_ref)],
                        });
                        paid += pay_c;
                        adjusted += co;
                        if pay_c > 0 {
                            let l = ledger(&mut o.fx.app, insured);
                            payments.push(l.payments.last().unwrap().clone());
                        }
                    }
                    Step::Reverse { payment: i } => {
                        let Some(p) = payments.get(*i) else { continue };
                        as_user(&mut o.fx.app, "bill");
                        let before = ledger(&mut o.fx.app, insured);
                        let r = o.fx.app.run(ReversePayment {
                            payment_id: p.id, reason: "returned".into() });
                        if r.is_ok() {
                            let after = ledger(&mut o.fx.app, insured);
                            paid -= before.payments_total.cents() - after.payments_total.cents();
                            adjusted -= before.adjustments_total.cents() - after.adjustments_total.cents();
                        }
                    }
                    Step::Refund { payment: i, cents } => {
                        let Some(p) = payments.get(*i) else { continue };
                        as_user(&mut o.fx.app, "bill");
                        let r = o.fx.app.run(RefundCredit {
                            payment_id: p.id, amount: money_text(*cents),
                            method: PaymentMethod::Cash, reference: String::new(),
                            reason: "overpaid".into() });
                        if r.is_ok() { refunded += cents; }
                    }
                    Step::ApplyCredit => {
                        as_user(&mut o.fx.app, "fred");
                        let _ = o.fx.app.run(ApplyCredit { patient_id: insured });
                    }
                    Step::Void { charge: i } => {
                        let Some(c) = charges.get(*i) else { continue };
                        as_user(&mut o.fx.app, "doc");
                        let l = ledger(&mut o.fx.app, insured);
                        let cur = l.charges.iter().find(|x| x.id == c.id).unwrap();
                        let r = o.fx.app.run(VoidCharge {
                            charge_id: c.id, expected_version: cur.version,
                            reason: "entered in error".into() });
                        if r.is_ok() { charged -= c.amount.cents(); }
                    }
                }
                as_user(&mut o.fx.app, "fred");
                let l = ledger(&mut o.fx.app, insured);
                // Three ways to the same balance.
                prop_assert_eq!(
                    l.balance.cents(),
                    l.charges_total.cents() - l.payments_total.cents()
                        - l.adjustments_total.cents() + l.refunds_total.cents()
                );
                let pending: i64 = l.pending.iter().map(|p| p.amount.cents()).sum();
                prop_assert_eq!(l.balance.cents(), l.patient_due.cents() + pending - l.unapplied.cents());
                prop_assert_eq!(l.rows.last().map_or(0, |r| r.balance.cents()), l.balance.cents());
                // The model's bookkeeping of what was accepted.
                prop_assert_eq!(l.charges_total.cents(), charged);
                prop_assert_eq!(l.payments_total.cents(), paid);
                prop_assert_eq!(l.adjustments_total.cents(), adjusted);
                prop_assert_eq!(l.refunds_total.cents(), refunded);
                // Every payment row names who paid it.
                for r in l.rows.iter().filter(|r| r.kind == LedgerKind::Payment) {
                    let p = l.payments.iter().find(|p| Some(p.id) == r.payment_id).unwrap();
                    prop_assert_eq!(&r.party, &p.paid_by);
                    let expected = if p.method == PaymentMethod::Insurance { "Aetna" } else { "Patient" };
                    prop_assert_eq!(r.party.as_str(), expected);
                }
            }
            Ok(())
        })?;
    }
}
