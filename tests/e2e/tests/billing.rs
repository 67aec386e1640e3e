//! Billing in the real app (issue 11), on the demo practice: the practice
//! manager sets the price of 99213 and adds a payer on the billing set-up
//! screen; the front desk adds the patient's coverage and takes $20 of the
//! $25 copay as credit before the visit is billed; the clinician enters the
//! visit's charge (priced from the schedule, pending with the insurer, not
//! shown as owed by the patient), marked on the visit's superbill under
//! its note; the billing clerk makes the CMS-1500
//! claim and prints it (plain paper saved, its boxes read back at their
//! places on the form's grid; the red form to the CUPS queue), then posts
//! the insurer's EOB, which marks the claim paid (paid $96, $80 contractual, $24 to the patient)
//! after an unbalanced line is refused; the front desk applies the $20 she
//! paid (she owes $4) and prints the guarantor's statement, saved (its
//! text read back) and to the CUPS queue; the manager's day totals
//! match the ledger and closing the day makes them final (the daily close
//! printed, its text read back); the A/R aging
//! shows the $4 she owes, and charges and collections by provider the
//! visit, the insurer's payment and the write-off. Screenshots of the
//! ledger, the EOB form, the statement and the day looked at.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::Path;
use std::time::Duration;

use chartroom_e2e::printed::{self, QUEUE};
use chartroom_e2e::{demo_practice_with, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

/// A demo patient.
const PATIENT: i64 = 3;

fn billing_tab(app: &App) {
    app.go_hash(&format!("#/patient/{PATIENT}/billing"));
    app.wait_for("billing-summary");
}

#[test]
fn a_visit_is_billed_paid_by_the_insurer_and_the_patient_and_the_day_closes() {
    let app = App::launch_in(demo_practice_with(20, 0), &[]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);

    // The manager sets the price and adds the payer.
    app.login("manager", DEMO_PASSWORD);
    app.click("nav-admin-billing");
    app.wait_for("setup-fees");
    // The panels that load on their own first, so the page no longer moves
    // under the click.
    for panel in ["ar-total", "provider-total", "setup-claims"] {
        app.wait_for(panel);
    }
    app.click("fee-add");
    app.wait_for("fee-dialog");
    app.type_into("fee-code", "99213");
    app.type_into("fee-description", "Office visit, established");
    app.type_into("fee-price", "200.00");
    app.set_value("fee-from", "01/01/2026");
    app.click("fee-save");
    app.wait_gone("fee-dialog");
    app.wait_for_with_text("fee-row", "$200.00");
    app.click("payer-add");
    app.wait_for("payer-dialog");
    app.type_into("payer-name", "Aetna");
    app.type_into("payer-code", "60054");
    app.type_into("payer-address", "PO Box 14079");
    app.type_into("payer-city", "Lexington");
    app.type_into("payer-region", "KY");
    app.type_into("payer-postal", "40512");
    app.click("payer-save");
    app.wait_gone("payer-dialog");
    app.wait_for_with_text("payer-row", "Aetna");
    app.screenshot("billing-01-setup");
    app.logout();

    // The front desk adds the coverage and takes the copay as credit.
    app.login("desk", DEMO_PASSWORD);
    billing_tab(&app);
    app.click("billing-add-coverage");
    app.wait_for("coverage-dialog");
    app.select_labelled("coverage-payer", "Aetna");
    app.type_into("coverage-member", "W1234567");
    app.type_into("coverage-copay", "25.00");
    app.set_value("coverage-from", "01/01/2026");
    app.click("coverage-save");
    app.wait_gone("coverage-dialog");
    app.wait_for_with_text("coverage-row", "Aetna");
    app.click("billing-take-payment");
    app.wait_for("payment-dialog");
    // She has $20 of her $25 copay with her today.
    app.type_into("payment-amount", "20.00");
    app.select("payment-apply", "credit");
    app.click("payment-save");
    app.wait_gone("payment-dialog");
    app.wait_text("billing-credit", "the copay as credit", |t| t == "$20.00");
    app.logout();

    // The clinician sees the patient, writes the visit's note and marks
    // its superbill: the service and the diagnosis become its charge.
    app.login("doctor", DEMO_PASSWORD);
    app.go_hash(&format!("#/patient/{PATIENT}/notes"));
    app.click("note-new");
    app.type_into("encounter-reason", "Blood pressure check");
    app.click("encounter-start");
    app.wait_for("note-assessment");
    app.wait_for("superbill");
    app.click("superbill-service-99213");
    app.type_into("superbill-other-dx", "I10");
    app.click("superbill-enter");
    app.wait_text("superbill-total", "the visit's charge", |t| t == "$200.00");
    app.screenshot("billing-00-superbill");
    billing_tab(&app);
    app.wait_for_with_text("charge-row", "99213");
    app.wait_text("billing-pending", "the charge pending with Aetna", |t| {
        t == "Aetna $200.00"
    });
    app.check(
        app.text("billing-patient-due") == "$0.00",
        "a charge pending with the insurer is not owed by the patient",
    );
    app.logout();

    // The billing clerk makes the visit's claim to Aetna and prints it:
    // on plain paper, saved (the boxes read back where the form has them,
    // the page looked at), then on the red form to the CUPS queue.
    app.login("billing", DEMO_PASSWORD);
    billing_tab(&app);
    app.wait_for_with_text("claimable", "Aetna");
    app.click("claim-create");
    app.wait_for_with_text("claim-row", "Draft");
    app.click("claim-print");
    app.wait_for("claim-dialog");
    app.select("claim-paper", "plain");
    app.click("claim-dialog-submit");
    let done = app.wait_text("claim-dialog-done", "the saved claim", |t| {
        t.contains("saved to")
    });
    let claim = printed::saved_path(&done).unwrap();
    let text = printed::text(Path::new(&claim));
    app.check(
        text.contains("HEALTH INSURANCE CLAIM FORM") && text.contains("SIGNATURE OF PHYSICIAN"),
        &format!("the form is drawn on plain paper:\n{text}"),
    );
    let w = printed::words(Path::new(&claim), 1);
    for (word, line, col, box_) in [
        ("AETNA", 2, 41, "the payer's address"),
        ("W1234567", 8, 50, "1a insured's id"),
        ("0", 37, 42, "21 ICD-10 indicator"),
        ("I10", 38, 3, "21A"),
        ("99213", 44, 25, "24D"),
        ("A", 44, 45, "24E pointer"),
        ("200", 44, 52, "24F charges"),
        ("1245319508", 44, 68, "24J rendering NPI"),
        ("931234567", 56, 1, "25 tax id"),
        ("200", 56, 54, "28 total"),
        ("1234567893", 61, 50, "33a billing NPI"),
    ] {
        app.check(
            printed::on_claim_grid(&w, word, line, col),
            &format!("{box_}: {word:?} at line {line}, column {col}; the page has {w:?}"),
        );
    }
    printed::first_page_png(&claim, "billing-06-claim");
    let before = printed::before_printing();
    app.select("claim-paper", "preprinted");
    app.select("print-method", "printed");
    app.select("print-printer", QUEUE);
    app.click("claim-dialog-submit");
    app.wait_text("claim-dialog-done", "the claim's print job", |t| {
        t.contains("sent to the printer")
    });
    let Some(job) = printed::new_print(&before, Duration::from_secs(60)) else {
        app.fail("cups-pdf wrote no file for the claim within 60 s");
    };
    app.check(printed::pages(&job) == 1, "the claim prints on one form");
    app.click("claim-dialog-close");
    app.wait_gone("claim-dialog");
    app.wait_for_with_text("claim-row", "Printed and mailed");
    app.screenshot("billing-07-claim-printed");

    // The EOB; an unbalanced line is refused first.
    app.click("billing-post-eob");
    app.wait_for("eob-dialog");
    app.type_into("eob-reference", "EFT1042");
    app.type_into("eob-amount", "96.00");
    app.type_into("eob-paid", "96.00");
    app.type_into("eob-co", "80.00");
    app.click("eob-save");
    let refused = app.wait_text("eob-line-error", "the unbalanced line", |t| {
        t.contains("must balance")
    });
    app.check(
        refused.contains("$200.00 is pending with Aetna"),
        &format!("the refusal says what is pending: {refused}"),
    );
    app.type_into("eob-pr", "24.00");
    app.screenshot("billing-02-eob");
    app.click("eob-save");
    app.wait_gone("eob-dialog");
    app.wait_text("billing-patient-due", "the patient's share", |t| {
        t == "$24.00"
    });
    app.check(
        app.text("billing-pending") == "$0.00",
        "nothing is pending with the insurer after the EOB",
    );
    let rows = app.texts("ledger-row");
    app.check(
        rows.iter()
            .any(|r| r.contains("Payment by Aetna, EOB check EFT1042")),
        &format!("the insurer's payment is labelled with the insurer: {rows:?}"),
    );
    app.wait_for_with_text("claim-row", "Paid");
    app.logout();

    // The front desk applies the copay and prints the guarantor's
    // statement: saved (its text read back) and printed to the CUPS queue.
    app.login("desk", DEMO_PASSWORD);
    billing_tab(&app);
    app.click("billing-apply-credit");
    app.wait_text("billing-patient-due", "the share less the credit", |t| {
        t == "$4.00"
    });
    app.check(
        app.text("billing-credit") == "$0.00",
        "the credit is used up",
    );
    app.check(
        app.text("billing-balance") == "$4.00",
        "the balance is what she owes",
    );
    app.wait_text("statement-amount-due", "the statement's amount due", |t| {
        t == "$4.00"
    });
    app.screenshot("billing-03-ledger");
    app.click("billing-print-statement");
    app.wait_for("statement-dialog");
    app.click("statement-dialog-submit");
    let done = app.wait_text("statement-dialog-done", "the saved statement", |t| {
        t.contains("saved to")
    });
    let path = printed::saved_path(&done).unwrap();
    let text = printed::text(Path::new(&path));
    for want in [
        "Statement of",
        "Amount due now",
        "$4.00",
        "99213",
        "Please detach and return this part with your payment.",
        "Amount enclosed",
    ] {
        app.check(
            text.contains(want),
            &format!("{want:?} in the statement:\n{text}"),
        );
    }
    printed::first_page_png(&path, "billing-05-statement");
    let before = printed::before_printing();
    app.select("print-method", "printed");
    app.select("print-printer", QUEUE);
    app.click("statement-dialog-submit");
    app.wait_text("statement-dialog-done", "the print job", |t| {
        t.contains("sent to the printer")
    });
    let Some(job) = printed::new_print(&before, Duration::from_secs(60)) else {
        app.fail("cups-pdf wrote no file within 60 s");
    };
    app.check(
        printed::pages(&job) == printed::pages(Path::new(&path)),
        "the printed statement has the saved one's pages",
    );
    app.click("statement-dialog-close");
    app.wait_gone("statement-dialog");
    app.wait_text("statement-history-row", "the statements sent", |t| {
        t.contains("Printed")
    });
    app.check(
        app.texts("statement-history-row").len() == 2,
        "both statements are in the history",
    );
    app.logout();

    // The manager's day matches the ledger, and closes.
    app.login("manager", DEMO_PASSWORD);
    app.click("nav-admin-billing");
    app.wait_for("billing-day");
    app.check(
        app.text("day-charges") == "$200.00"
            && app.text("day-payments") == "$116.00"
            && app.text("day-net") == "$4.00",
        "the day's totals are the ledger's",
    );
    app.click("day-close");
    app.wait_for("day-closed");
    app.check(
        !app.is_shown("day-close"),
        "a closed day cannot be closed again",
    );
    app.click("day-print");
    app.wait_for("day-dialog");
    app.click("day-dialog-submit");
    let done = app.wait_text("day-dialog-done", "the saved daily close", |t| {
        t.contains("saved to")
    });
    let close = printed::saved_path(&done).unwrap();
    let text = printed::text(Path::new(&close));
    for want in [
        "Daily close",
        "Charges",
        "$200.00",
        "$116.00",
        "$4.00",
        "final",
    ] {
        app.check(
            text.contains(want),
            &format!("{want:?} in the daily close:\n{text}"),
        );
    }
    app.click("day-dialog-close");
    app.wait_gone("day-dialog");
    app.wait_text("ar-total", "the receivable", |t| t == "$4.00");
    app.check(
        app.texts("ar-guarantor-row").len() == 1 && app.text("ar-insurance-total") == "$0.00",
        "one guarantor owes; nothing is pending with payers",
    );
    let providers = app.wait_text("provider-total", "charges and collections", |t| {
        t.contains("$200.00")
    });
    app.check(
        providers.contains("$96.00") && providers.contains("$80.00"),
        &format!("the insurer's payment and write-off in the provider report: {providers}"),
    );
    app.screenshot("billing-04-day-closed");
    // How claims are filled: offsets, items 12/13/25/27, the NPIs.
    app.centre("setup-claims");
    app.check(
        app.texts("provider-npi-row").len() == 1,
        "the demo doctor's NPI row",
    );
    app.screenshot("billing-08-claim-settings");
    app.logout();
    app.close();
}
