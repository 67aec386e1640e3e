//! Years of a practice's billing, for the billing benchmark: every weekday
//! before today, visits charged (four office-visit codes), seven patients
//! in ten insured with one of the practice's payers; an insurer answers a
//! month later (60% paid, 25% written off CO-45, 15% moved to the patient
//! as PR-2) and the patient pays their share two months after the visit,
//! four times in five; self-pay visits are paid in full, two times in three,
//! three weeks later. Patients 1 to 8 are one family on one account that
//! has a visit every weekday (the longest ledger a guarantor has). Written
//! through the store's own functions as balanced ledger entries, a day to a
//! transaction, each day audited as one bulk creation. Entries are dated on
//! the days they would have been posted, never after today.

use std::collections::HashMap;

use chartroom_core::{Actor, Ctx, Error, Result};
use chartroom_store::billing::{
    self as store, AccountFields, ChargeFields, NewEntry, PaymentFields,
};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{audit, patients, Tx};
use chartroom_types::{
    AccountId, AdjustmentGroup, ChargeId, LedgerKind, Money, PatientId, PayerId, PaymentId,
    PaymentMethod, PlaceOfService, UserId,
};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};

/// What to fill.
#[derive(Debug, Clone)]
pub struct BillingSpec {
    /// Visits charged each weekday, besides the family's one.
    pub visits_per_day: u32,
    /// How many days back from yesterday.
    pub days: u32,
    /// Patients 9..=patients take the visits in turn (1 to 8 are the
    /// family).
    pub patients: i64,
    /// The payers insured patients are covered by (at least one).
    pub payers: Vec<PayerId>,
    /// The clinicians who render the visits (at least one).
    pub clinicians: Vec<UserId>,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BillingCounts {
    pub charges: usize,
    pub payments: usize,
    pub entries: usize,
}

/// The family sharing one account.
const FAMILY: i64 = 8;

const CODES: [(&str, &str, i64); 4] = [
    ("99213", "Office visit, established, low", 12_000),
    ("99214", "Office visit, established, moderate", 18_000),
    ("99212", "Office visit, established, short", 8_000),
    ("99203", "Office visit, new patient", 17_000),
];

/// Fills a practice's billing past (see the module's text).
pub trait DemoBillingHistory {
    fn add_demo_billing_history(&mut self, spec: &BillingSpec) -> Result<BillingCounts>;
}

struct Writer<'a, 'b> {
    tx: &'a Tx<'b>,
    now: DateTime<Utc>,
    user: UserId,
    today: NaiveDate,
    counts: BillingCounts,
}

impl Writer<'_, '_> {
    fn account(
        &self,
        accounts: &mut HashMap<PatientId, AccountId>,
        p: PatientId,
    ) -> Result<AccountId> {
        let owner = if p.0 <= FAMILY { PatientId(1) } else { p };
        if let Some(a) = accounts.get(&owner) {
            if owner != p && store::account_of_patient(self.tx, p)?.is_none() {
                store::set_patient_account(self.tx, p, *a, self.now, self.user)?;
            }
            return Ok(*a);
        }
        let f = patients::get(self.tx, owner)?.fields;
        let row = store::insert_account(
            self.tx,
            &AccountFields {
                name: format!("{} {}", f.given_name, f.family_name),
                address_line1: f.address_line1,
                address_line2: f.address_line2,
                city: f.city,
                region: f.region,
                postal_code: f.postal_code,
                phone: f.phone_mobile,
            },
            self.now,
            self.user,
        )?;
        store::set_patient_account(self.tx, owner, row.id, self.now, self.user)?;
        if owner != p {
            store::set_patient_account(self.tx, p, row.id, self.now, self.user)?;
        }
        accounts.insert(owner, row.id);
        Ok(row.id)
    }

    #[allow(clippy::too_many_arguments)]
    fn entry(
        &mut self,
        account: AccountId,
        patient: PatientId,
        kind: LedgerKind,
        payer: Option<PayerId>,
        cents: i64,
        charge: ChargeId,
        payment: Option<PaymentId>,
        adjustment: Option<(AdjustmentGroup, &str)>,
        memo: &str,
        day: NaiveDate,
    ) -> Result<()> {
        store::insert_entry(
            self.tx,
            &NewEntry {
                account_id: account,
                patient_id: Some(patient),
                kind,
                payer_id: payer,
                amount: Money::from_cents(cents),
                charge_id: Some(charge),
                payment_id: payment,
                group: adjustment.map(|(g, _)| g),
                reason_code: adjustment.map_or(String::new(), |(_, r)| r.to_string()),
                memo: memo.to_string(),
                reverses: None,
            },
            day.min(self.today),
            self.now,
            self.user,
        )?;
        self.counts.entries += 1;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn payment(
        &mut self,
        account: AccountId,
        patient: PatientId,
        payer: Option<PayerId>,
        method: PaymentMethod,
        reference: String,
        cents: i64,
        day: NaiveDate,
    ) -> Result<PaymentId> {
        let row = store::insert_payment(
            self.tx,
            &PaymentFields {
                account_id: account,
                patient_id: Some(patient),
                payer_id: payer,
                method,
                reference,
                amount: Money::from_cents(cents),
                received_day: day.min(self.today),
                note: String::new(),
            },
            self.now,
            self.user,
        )?;
        self.counts.payments += 1;
        Ok(row.id)
    }

    /// The patient side pays `cents` of `charge` on `day`: the payment and
    /// its entry on the charge.
    fn patient_pays(
        &mut self,
        account: AccountId,
        patient: PatientId,
        charge: ChargeId,
        (method, reference, cents): (PaymentMethod, String, i64),
        day: NaiveDate,
    ) -> Result<()> {
        let p = self.payment(account, patient, None, method, reference, cents, day)?;
        self.entry(
            account,
            patient,
            LedgerKind::Payment,
            None,
            -cents,
            charge,
            Some(p),
            None,
            "",
            day,
        )
    }

    /// One visit charged on `day`, and what followed it.
    fn visit(
        &mut self,
        accounts: &mut HashMap<PatientId, AccountId>,
        spec: &BillingSpec,
        patient: PatientId,
        day: NaiveDate,
        k: usize,
    ) -> Result<()> {
        let account = self.account(accounts, patient)?;
        let (code, description, cents) = CODES[k % CODES.len()];
        let payer =
            (patient.0 % 10 < 7).then(|| spec.payers[patient.0 as usize % spec.payers.len()]);
        let charge = store::insert_charge(
            self.tx,
            &ChargeFields {
                patient_id: patient,
                account_id: account,
                encounter_id: None,
                service_day: day,
                code: code.into(),
                modifiers: Vec::new(),
                units: 1,
                unit_price: Money::from_cents(cents),
                place: PlaceOfService::Office,
                rendering_user_id: spec.clinicians[k % spec.clinicians.len()],
                diagnoses: vec!["I10".into()],
                description: description.into(),
            },
            None,
            self.now,
            self.user,
        )?
        .id;
        self.counts.charges += 1;
        let age = (self.today - day).num_days();
        let later = |d: u64| day.checked_add_days(Days::new(d)).unwrap_or(day);
        self.entry(
            account,
            patient,
            LedgerKind::Charge,
            payer,
            cents,
            charge,
            None,
            None,
            "",
            day,
        )?;
        match payer {
            Some(payer) => {
                if age <= 30 {
                    return Ok(());
                }
                let paid = cents * 60 / 100;
                let written_off = cents * 25 / 100;
                let share = cents - paid - written_off;
                let eob = later(30);
                let p = self.payment(
                    account,
                    patient,
                    Some(payer),
                    PaymentMethod::Insurance,
                    format!("EFT{}{k:03}", day.format("%Y%m%d")),
                    paid,
                    eob,
                )?;
                self.entry(
                    account,
                    patient,
                    LedgerKind::Payment,
                    Some(payer),
                    -paid,
                    charge,
                    Some(p),
                    None,
                    "",
                    eob,
                )?;
                self.entry(
                    account,
                    patient,
                    LedgerKind::Adjustment,
                    Some(payer),
                    -written_off,
                    charge,
                    Some(p),
                    Some((AdjustmentGroup::Co, "45")),
                    "",
                    eob,
                )?;
                self.entry(
                    account,
                    patient,
                    LedgerKind::Transfer,
                    Some(payer),
                    -share,
                    charge,
                    Some(p),
                    None,
                    "PR-2",
                    eob,
                )?;
                self.entry(
                    account,
                    patient,
                    LedgerKind::Transfer,
                    None,
                    share,
                    charge,
                    Some(p),
                    None,
                    "PR-2",
                    eob,
                )?;
                if age > 75 && !k.is_multiple_of(5) {
                    let pays = (PaymentMethod::Card, String::new(), share);
                    self.patient_pays(account, patient, charge, pays, later(60))?;
                }
            }
            None => {
                if age > 45 && !k.is_multiple_of(3) {
                    let pays = (PaymentMethod::Check, format!("{}", 1000 + k), cents);
                    self.patient_pays(account, patient, charge, pays, later(21))?;
                }
            }
        }
        Ok(())
    }
}

impl DemoBillingHistory for Ctx<'_> {
    fn add_demo_billing_history(&mut self, spec: &BillingSpec) -> Result<BillingCounts> {
        if spec.payers.is_empty() || spec.clinicians.is_empty() || spec.patients <= FAMILY {
            return Err(Error::Internal(
                "billing history needs a payer, a clinician and more than the family".into(),
            ));
        }
        let today = self.today();
        let actor = Actor::system("demo-generator");
        let user = crate::practice::demo_creator(self)?;
        let mut accounts: HashMap<PatientId, AccountId> = HashMap::new();
        let mut next = FAMILY;
        let mut total = BillingCounts::default();
        for back in (1..=u64::from(spec.days)).rev() {
            let Some(day) = today.checked_sub_days(Days::new(back)) else {
                continue;
            };
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            let counts = self.write(|tx, now| {
                let mut w = Writer {
                    tx,
                    now,
                    user,
                    today,
                    counts: BillingCounts::default(),
                };
                // The family's visit of the day.
                let member = PatientId((back as i64) % FAMILY + 1);
                w.visit(&mut accounts, spec, member, day, back as usize)?;
                for k in 0..spec.visits_per_day as usize {
                    next = if next >= spec.patients {
                        FAMILY + 1
                    } else {
                        next + 1
                    };
                    w.visit(&mut accounts, spec, PatientId(next), day, k)?;
                }
                audit::append(
                    tx,
                    now,
                    &actor.event(
                        AuditAction::Create,
                        DataCategory::Billing,
                        None,
                        format!("billing/{day}"),
                        format!(
                            "demo data: {} charges, {} payments, {} ledger entries of {day}",
                            w.counts.charges, w.counts.payments, w.counts.entries
                        ),
                    ),
                )?;
                Ok(w.counts)
            })?;
            total.charges += counts.charges;
            total.payments += counts.payments;
            total.entries += counts.entries;
        }
        Ok(total)
    }
}
