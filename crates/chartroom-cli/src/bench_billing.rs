//! `chartroom bench-billing`: billing's practice-wide reads on a generated
//! practice the size the issue names, through `Chartroom::run` (the
//! shell's path without the webview's IPC), each with its audit record
//! committed. The practice: `patients` patients, two clinicians, three
//! payers and `years` years of weekdays with `visits` visits charged each
//! (`chartroom_demo::DemoBillingHistory`: insurers' payments, write-offs,
//! patients' shares and payments; one family of eight on one account with
//! a visit every weekday). It times, as the practice manager:
//! - the A/R aging by payer and by guarantor;
//! - a typical guarantor's ledger, and the family's (the longest) as the
//!   screen opens it (the newest entries) and whole;
//! - a batch of the statements of the 500 guarantors owing most (and any
//!   tied with the 500th), saved as one PDF.
//!
//! Figures go in BENCHMARKS.md.

use std::time::Instant;

use chartroom_admin::commands::CreateUser;
use chartroom_api::commands::{Login, Logout};
use chartroom_api::{Chartroom, Routed};
use chartroom_billing::commands::{GetArAging, GetLedger, PrintStatements, SavePayer};
use chartroom_billing::protocol::PayerForm;
use chartroom_chart::sheets::SheetOutput;
use chartroom_store::model::Role;
use chartroom_types::{Money, PatientId, ReleaseMethod};

use crate::bench_chart::PW;
use crate::bench_schedule::{line, time};

fn ok<C: Routed>(app: &mut Chartroom, c: C) -> Result<C::Answer, String> {
    app.run(c).map_err(|e| format!("{e:?}"))
}

fn user(app: &mut Chartroom, name: &str, role: Role) -> Result<chartroom_types::UserId, String> {
    Ok(ok(
        app,
        CreateUser {
            username: name.into(),
            full_name: format!("{name} user"),
            credentials: String::new(),
            password: PW.into(),
            roles: vec![role],
            can_emergency_access: false,
        },
    )?
    .id)
}

pub fn run(patients: usize, years: u32, visits: u32, rounds: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("chartroom-bench-billing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut app = crate::bench_chart::bench_practice(&dir)?;
    let clinicians = vec![
        user(&mut app, "doc0", Role::Clinician)?,
        user(&mut app, "doc1", Role::Clinician)?,
    ];
    user(&mut app, "mia", Role::PracticeManager)?;
    user(&mut app, "desk", Role::FrontDesk)?;
    ok(&mut app, Logout {})?;
    let started = Instant::now();
    app.add_demo_patients(patients, 2026, &mut |_| {})
        .map_err(|e| e.to_string())?;
    eprintln!(
        "{patients} patients in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    ok(
        &mut app,
        Login {
            username: "mia".into(),
            password: PW.into(),
        },
    )?;
    let mut payers = Vec::new();
    for (name, code) in [
        ("Aetna", "60054"),
        ("Blue Cross", "00570"),
        ("Medicare Part B", "02402"),
    ] {
        payers.push(
            ok(
                &mut app,
                SavePayer {
                    id: None,
                    expected_version: 0,
                    form: PayerForm {
                        name: name.into(),
                        payer_code: code.into(),
                        address_line1: "PO Box 14079".into(),
                        address_line2: String::new(),
                        city: "Lexington".into(),
                        region: "KY".into(),
                        postal_code: "40512".into(),
                        phone: String::new(),
                        plan_type: chartroom_types::PlanType::GroupHealth,
                        active: true,
                    },
                },
            )?
            .id,
        );
    }
    let started = Instant::now();
    let written = app
        .add_demo_billing_history(&chartroom_demo::BillingSpec {
            visits_per_day: visits,
            days: years * 365 + years / 4,
            patients: patients as i64,
            payers,
            clinicians,
        })
        .map_err(|e| e.to_string())?;
    eprintln!(
        "billing history: {} charges, {} payments, {} ledger entries in {:.1} s",
        written.charges,
        written.payments,
        written.entries,
        started.elapsed().as_secs_f64()
    );

    let (aging_t, aging) = time(rounds, || ok(&mut app, GetArAging {}))?;
    if aging.payers.is_empty() || aging.guarantor_count < 500 {
        return Err(format!(
            "the A/R aging lists {} payers and {} guarantors",
            aging.payers.len(),
            aging.guarantor_count
        ));
    }
    // A typical guarantor (one patient, a few visits) and the family's
    // account, the longest ledger.
    let (typical_t, typical) = time(rounds, || {
        ok(
            &mut app,
            GetLedger {
                patient_id: PatientId(patients as i64 / 2),
                all: false,
            },
        )
    })?;
    let (ledger_t, ledger) = time(rounds, || {
        ok(
            &mut app,
            GetLedger {
                patient_id: PatientId(1),
                all: false,
            },
        )
    })?;
    // The same ledger with every entry (the screen's "show all").
    let (whole_t, whole) = time(rounds, || {
        ok(
            &mut app,
            GetLedger {
                patient_id: PatientId(1),
                all: true,
            },
        )
    })?;
    // At least 500 statements: the amount is lowered from $1,000 by a
    // tenth at a time until that many guarantors owe more (untimed).
    let saved = || SheetOutput {
        method: ReleaseMethod::Saved,
        printer: String::new(),
    };
    let mut floor = Money::from_cents(100_000);
    loop {
        match app.run(PrintStatements {
            more_than: floor.to_string(),
            output: saved(),
        }) {
            Ok(b) if b.statements >= 500 => break,
            _ if floor.cents() > 100 => floor = Money::from_cents(floor.cents() * 9 / 10),
            other => return Err(format!("no amount gives 500 statements: {other:?}")),
        }
    }
    let batch_rounds = rounds.clamp(1, 3);
    let (batch_t, batch) = time(batch_rounds, || {
        ok(
            &mut app,
            PrintStatements {
                more_than: floor.to_string(),
                output: saved(),
            },
        )
    })?;
    println!(
        "patients: {patients}; {years} years of weekdays, {visits} visits a day and the family's: \
         {} charges, {} payments, {} ledger entries; guarantors owing: {}; rounds: {rounds} \
         ({batch_rounds} for the batch)",
        written.charges, written.payments, written.entries, aging.guarantor_count
    );
    println!(
        "A/R total {} (payers {}, guarantors {}, credit {})",
        aging.total, aging.insurance_total, aging.patient_total, aging.credit_total
    );
    println!("| measurement | n | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!(
        "{}",
        line(
            &format!(
                "A/R aging: {} payers, {} guarantors",
                aging.payers.len(),
                aging.guarantor_count
            ),
            aging_t
        )
    );
    println!(
        "{}",
        line(
            &format!(
                "a typical guarantor's ledger: {} entries, {} charges",
                typical.rows.len(),
                typical.charges.len()
            ),
            typical_t
        )
    );
    println!(
        "{}",
        line(
            &format!(
                "the family's ledger (the longest, {} entries): the newest {}, {} charges",
                ledger.rows_total,
                ledger.rows.len(),
                ledger.charges.len()
            ),
            ledger_t
        )
    );
    println!(
        "{}",
        line(
            &format!(
                "the family's whole ledger: {} entries, {} charges",
                whole.rows.len(),
                whole.charges.len()
            ),
            whole_t
        )
    );
    println!(
        "{}",
        line(
            &format!(
                "a batch of {} statements owing more than {floor}, saved ({} pages)",
                batch.statements, batch.done.pages
            ),
            batch_t
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
