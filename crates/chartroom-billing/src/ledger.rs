//! The ledger's arithmetic, on plain values: who owes what.
//!
//! Every entry is signed by its effect on the balance and belongs to a
//! [`Party`]: the patient's side (the guarantor) or a payer. A charge adds
//! to the party that is to pay it first; a payment and an adjustment
//! subtract from the party that made or granted them; a refund gives back
//! part of a credit; a transfer moves responsibility between two parties in
//! a pair that nets to zero. So, for any history:
//!
//! - the balance is the sum of every entry;
//! - the balance is charges minus payments minus adjustments plus refunds;
//! - the balance is what the patient's side owes plus what each payer has
//!   pending.
//!
//! [`Balances::of`] folds entries into those figures and [`Balances::check`]
//! proves the identities (the property tests run it on generated histories,
//! and every ledger read runs it before answering).

use std::collections::{BTreeMap, HashMap};

use chartroom_types::{ChargeId, LedgerKind, Money, PayerId};

/// Who an entry concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    /// The patient's side: the guarantor of the account.
    Patient,
    /// An insurer.
    Payer(PayerId),
}

impl Party {
    /// The party of a stored entry (`payer_id` none: the patient's side).
    pub fn of(payer: Option<PayerId>) -> Party {
        payer.map_or(Party::Patient, Party::Payer)
    }

    /// The stored `payer_id`.
    pub fn payer(self) -> Option<PayerId> {
        match self {
            Party::Patient => None,
            Party::Payer(p) => Some(p),
        }
    }
}

/// An entry as the arithmetic needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub kind: LedgerKind,
    pub party: Party,
    /// Signed by its effect on the balance.
    pub amount: Money,
    /// The charge it concerns; none for credit not yet applied.
    pub charge: Option<ChargeId>,
}

/// What a set of entries adds up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    /// Everything owed (negative: the account is in credit).
    pub total: Money,
    /// Owed by the patient's side on charges.
    pub patient_due: Money,
    /// Pending with each payer (payers with nothing pending left out).
    pub pending: BTreeMap<PayerId, Money>,
    /// Paid by the patient's side and not yet applied to a charge (a
    /// positive amount of credit).
    pub unapplied: Money,
    /// Sum of the charges (voids count against them).
    pub charges: Money,
    /// Sum of the payments received (reversals count against them).
    pub payments: Money,
    /// Sum of the adjustments (write-offs).
    pub adjustments: Money,
    /// Sum of the refunds given.
    pub refunds: Money,
    /// Sum of the transfers: zero when every transfer is a pair.
    pub transfers: Money,
}

/// Why a set of entries does not add up (a defect: refused, never shown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the ledger does not add up: {0}")]
pub struct Imbalance(pub String);

/// `a + b`, saturating (amounts are bounded far below `i64`).
pub(crate) fn add(a: Money, b: Money) -> Money {
    Money::from_cents(a.cents().saturating_add(b.cents()))
}

/// `-a`, saturating.
pub(crate) fn neg(a: Money) -> Money {
    Money::from_cents(a.cents().saturating_neg())
}

impl Balances {
    /// Folds `entries` into balances.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a Posting>) -> Balances {
        let mut b = Balances::default();
        for e in entries {
            b.total = add(b.total, e.amount);
            match e.kind {
                LedgerKind::Charge => b.charges = add(b.charges, e.amount),
                LedgerKind::Payment => b.payments = add(b.payments, neg(e.amount)),
                LedgerKind::Adjustment => b.adjustments = add(b.adjustments, neg(e.amount)),
                LedgerKind::Refund => b.refunds = add(b.refunds, e.amount),
                LedgerKind::Transfer => b.transfers = add(b.transfers, e.amount),
            }
            match (e.party, e.charge) {
                (Party::Patient, Some(_)) => b.patient_due = add(b.patient_due, e.amount),
                (Party::Patient, None) => b.unapplied = add(b.unapplied, neg(e.amount)),
                (Party::Payer(p), _) => {
                    let v = b.pending.entry(p).or_insert(Money::ZERO);
                    *v = add(*v, e.amount);
                }
            }
        }
        b.pending.retain(|_, v| *v != Money::ZERO);
        b
    }

    /// Everything pending with payers.
    pub fn insurance_pending(&self) -> Money {
        self.pending.values().fold(Money::ZERO, |a, v| add(a, *v))
    }

    /// Proves the identities of the module's header.
    pub fn check(&self) -> Result<(), Imbalance> {
        let by_kind = self.charges.cents() - self.payments.cents() - self.adjustments.cents()
            + self.refunds.cents()
            + self.transfers.cents();
        if by_kind != self.total.cents() {
            return Err(Imbalance(format!(
                "charges {} - payments {} - adjustments {} + refunds {} is not the balance {}",
                self.charges, self.payments, self.adjustments, self.refunds, self.total
            )));
        }
        if self.transfers != Money::ZERO {
            return Err(Imbalance(format!(
                "transfers add up to {}, not zero",
                self.transfers
            )));
        }
        let by_party =
            self.patient_due.cents() - self.unapplied.cents() + self.insurance_pending().cents();
        if by_party != self.total.cents() {
            return Err(Imbalance(format!(
                "patient due {} - credit {} + insurance pending {} is not the balance {}",
                self.patient_due,
                self.unapplied,
                self.insurance_pending(),
                self.total
            )));
        }
        Ok(())
    }
}

/// The postings of each charge (credit not yet applied left out), in
/// ledger order: what a view of many charges looks at, one charge at a
/// time.
pub fn by_charge(entries: &[Posting]) -> HashMap<ChargeId, Vec<Posting>> {
    let mut out: HashMap<ChargeId, Vec<Posting>> = HashMap::new();
    for e in entries {
        if let Some(c) = e.charge {
            out.entry(c).or_default().push(*e);
        }
    }
    out
}

/// What `party` owes on `charge` (its entries on that charge summed).
pub fn owed_on<'a>(
    entries: impl IntoIterator<Item = &'a Posting>,
    charge: ChargeId,
    party: Party,
) -> Money {
    entries
        .into_iter()
        .filter(|e| e.charge == Some(charge) && e.party == party)
        .fold(Money::ZERO, |a, e| add(a, e.amount))
}

/// Whether payments, adjustments or refunds still stand on `charge`: any
/// of them whose entries (with their reversals) do not net to zero for a
/// party. A charge nothing stands on may be voided, edited or corrected.
pub fn paid_or_adjusted<'a>(
    entries: impl IntoIterator<Item = &'a Posting>,
    charge: ChargeId,
) -> bool {
    let mut net: BTreeMap<(u8, Party), i64> = BTreeMap::new();
    for e in entries.into_iter().filter(|e| e.charge == Some(charge)) {
        let k = match e.kind {
            LedgerKind::Payment => 0,
            LedgerKind::Adjustment => 1,
            LedgerKind::Refund => 2,
            LedgerKind::Charge | LedgerKind::Transfer => continue,
        };
        *net.entry((k, e.party)).or_default() += e.amount.cents();
    }
    net.values().any(|v| *v != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(c: i64) -> Money {
        Money::from_cents(c)
    }

    fn p(kind: LedgerKind, party: Party, amount: i64, charge: Option<i64>) -> Posting {
        Posting {
            kind,
            party,
            amount: m(amount),
            charge: charge.map(ChargeId),
        }
    }

    #[test]
    fn an_office_visit_billed_paid_and_adjusted() {
        let aetna = Party::Payer(PayerId(1));
        let entries = [
            // $200 office visit, pending with Aetna.
            p(LedgerKind::Charge, aetna, 20_000, Some(1)),
            // Copay taken at check-in, not yet applied.
            p(LedgerKind::Payment, Party::Patient, -2_500, None),
            // EOB: allowed 120, paid 96, CO-45 80, PR-2 24 to the patient.
            p(LedgerKind::Payment, aetna, -9_600, Some(1)),
            p(LedgerKind::Adjustment, aetna, -8_000, Some(1)),
            p(LedgerKind::Transfer, aetna, -2_400, Some(1)),
            p(LedgerKind::Transfer, Party::Patient, 2_400, Some(1)),
        ];
        let b = Balances::of(&entries);
        b.check().unwrap();
        assert_eq!(b.total, m(-100));
        assert_eq!(b.patient_due, m(2_400));
        assert_eq!(b.unapplied, m(2_500));
        assert_eq!(b.insurance_pending(), Money::ZERO);
        assert_eq!(b.payments, m(12_100));
        assert_eq!(owed_on(&entries, ChargeId(1), Party::Patient), m(2_400));
        assert_eq!(owed_on(&entries, ChargeId(1), aetna), Money::ZERO);
    }

    #[test]
    fn an_unpaired_transfer_is_caught() {
        let entries = [
            p(LedgerKind::Charge, Party::Patient, 1_000, Some(1)),
            p(LedgerKind::Transfer, Party::Patient, -500, Some(1)),
        ];
        let err = Balances::of(&entries).check().unwrap_err();
        assert!(err.0.contains("transfers add up to -$5.00"), "{err}");
    }

    fn party() -> impl Strategy<Value = Party> {
        prop_oneof![
            Just(Party::Patient),
            (1i64..4).prop_map(|p| Party::Payer(PayerId(p)))
        ]
    }

    fn posting() -> impl Strategy<Value = Vec<Posting>> {
        let amount = 1i64..100_000;
        let charge = proptest::option::of(1i64..6);
        prop_oneof![
            (party(), amount.clone(), 1i64..6).prop_map(|(pt, a, c)| vec![p(
                LedgerKind::Charge,
                pt,
                a,
                Some(c)
            )]),
            (party(), amount.clone(), charge.clone()).prop_map(|(pt, a, c)| vec![p(
                LedgerKind::Payment,
                pt,
                -a,
                c
            )]),
            (party(), amount.clone(), charge.clone()).prop_map(|(pt, a, c)| vec![p(
                LedgerKind::Adjustment,
                pt,
                -a,
                c
            )]),
            (amount.clone(), charge.clone()).prop_map(|(a, c)| vec![p(
                LedgerKind::Refund,
                Party::Patient,
                a,
                c
            )]),
            (party(), party(), amount, 1i64..6).prop_map(|(from, to, a, c)| vec![
                p(LedgerKind::Transfer, from, -a, Some(c)),
                p(LedgerKind::Transfer, to, a, Some(c)),
            ]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any history of charges, payments, adjustments, refunds and paired
        /// transfers adds up three ways, and reversing all of it (every
        /// entry negated, as a reversal posts) brings every figure to zero.
        #[test]
        fn any_history_adds_up_and_its_reversal_cancels_it(
            groups in proptest::collection::vec(posting(), 0..60)
        ) {
            let entries: Vec<Posting> = groups.into_iter().flatten().collect();
            let b = Balances::of(&entries);
            prop_assert!(b.check().is_ok(), "{:?}", b.check());
            let sum: i64 = entries.iter().map(|e| e.amount.cents()).sum();
            prop_assert_eq!(b.total.cents(), sum);
            let mut both = entries.clone();
            both.extend(entries.iter().map(|e| Posting { amount: neg(e.amount), ..*e }));
            let z = Balances::of(&both);
            prop_assert!(z.check().is_ok());
            prop_assert_eq!(z.total, Money::ZERO);
            prop_assert_eq!(z.patient_due, Money::ZERO);
            prop_assert_eq!(z.unapplied, Money::ZERO);
            prop_assert!(z.pending.is_empty());
        }
    }
}
