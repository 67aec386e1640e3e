//! Billing's request parts and answers, exported to TypeScript. Amounts a
//! person types are text (`125.00`, `$1,234.50`), parsed exactly; amounts
//! answered are [`Money`] (integer cents). Days typed are `MM/DD/YYYY` (or
//! ISO); days answered are `YYYY-MM-DD`.

use chartroom_chart::sheets::SheetDone;
use chartroom_types::{
    AccountId, AdjustmentGroup, ChargeId, ClaimId, ClaimStatus, CoverageId, CoverageRank,
    EncounterId, FeeId, LedgerEntryId, LedgerKind, Money, PatientId, PayerId, PaymentId,
    PaymentMethod, PlaceOfService, PlanType, PriceLevel, ReleaseMethod, StatementId,
    SubscriberRelationship, UserId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A price as typed: a code's price at a level from a day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeeForm {
    /// CPT (five digits, or four and a letter) or HCPCS (a letter and four
    /// digits).
    pub code: String,
    pub level: PriceLevel,
    /// The practice's own short description.
    pub description: String,
    pub price: String,
    /// The first day of the price (empty: today).
    pub from: String,
}

/// A line of the fee schedule.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeeView {
    pub id: FeeId,
    pub code: String,
    pub level: PriceLevel,
    pub description: String,
    pub price: Money,
    pub from_day: String,
    /// Its last day, once a newer price or an end replaced it.
    pub to_day: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
}

/// A payer as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PayerForm {
    pub name: String,
    pub payer_code: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
    /// The kind of plan (item 1 of a paper claim).
    pub plan_type: PlanType,
    pub active: bool,
}

/// A payer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PayerView {
    pub id: PayerId,
    pub name: String,
    pub payer_code: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
    pub plan_type: PlanType,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// A guarantor's details as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountForm {
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
}

/// Who a patient's visits are billed to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Guarantor {
    /// The patient themself (their own account).
    Own,
    /// The account another patient is billed to (a child on a parent's).
    SameAs { patient_id: PatientId },
    /// Someone who is not a patient of the practice: a new account.
    Person { form: AccountForm },
}

/// A billing account.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountView {
    pub id: AccountId,
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub phone: String,
    /// The patients billed to it.
    pub patients: Vec<PatientId>,
    #[ts(type = "number")]
    pub version: i64,
}

/// Coverage as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoverageForm {
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    pub rank: CoverageRank,
    pub member_id: String,
    pub group_number: String,
    pub relationship: SubscriberRelationship,
    /// The subscriber when not the patient.
    pub subscriber_name: String,
    pub subscriber_birth_date: String,
    pub copay: String,
    /// First day (empty: today).
    pub from: String,
    /// Last day (empty: open).
    pub to: String,
}

/// A patient's coverage.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoverageView {
    pub id: CoverageId,
    pub payer_id: PayerId,
    pub payer_name: String,
    pub rank: CoverageRank,
    pub member_id: String,
    pub group_number: String,
    pub relationship: SubscriberRelationship,
    pub subscriber_name: String,
    pub subscriber_birth_date: Option<String>,
    pub copay: Money,
    pub from_day: String,
    pub to_day: Option<String>,
    /// In force on the clinic's today.
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// A patient's billing set-up: the account and the coverage.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientBilling {
    pub patient_id: PatientId,
    pub account: AccountView,
    pub coverage: Vec<CoverageView>,
    /// Whether this user may change the guarantor and coverage.
    pub can_edit: bool,
}

/// A service line as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChargeForm {
    /// The visit it belongs to, if entered from one.
    pub encounter_id: Option<EncounterId>,
    /// Day of service (empty: the visit's day, or today).
    pub service_day: String,
    pub code: String,
    /// Up to four two-character modifiers (25, 59, LT...).
    pub modifiers: Vec<String>,
    pub units: u32,
    pub place: PlaceOfService,
    /// ICD-10-CM codes, at most four, in the order they point.
    pub diagnoses: Vec<String>,
    /// The rendering clinician (none: the visit's, or the user).
    pub rendering_user_id: Option<UserId>,
}

/// Who a charge or part of it is with now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Owed {
    /// "Patient" or the payer's name.
    pub party: String,
    pub payer_id: Option<PayerId>,
    pub amount: Money,
}

/// A charge.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChargeView {
    pub id: ChargeId,
    pub patient_id: PatientId,
    pub encounter_id: Option<EncounterId>,
    pub service_day: String,
    pub code: String,
    pub description: String,
    pub modifiers: Vec<String>,
    #[ts(type = "number")]
    pub units: i64,
    pub unit_price: Money,
    pub amount: Money,
    pub place: PlaceOfService,
    pub diagnoses: Vec<String>,
    pub rendering_user_id: UserId,
    /// `open`, `billed` or `void`.
    pub status: String,
    pub void_reason: String,
    /// What is still owed on it, by whom (empty when settled).
    pub owed: Vec<Owed>,
    pub can_void: bool,
    /// It may still be edited: open, on no claim, nothing paid or adjusted
    /// on it, and the user enters charges.
    pub can_edit: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// How a patient's payment is applied.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ApplyTo {
    /// To what the patient owes, oldest charge first; the rest is credit.
    Oldest,
    /// To one charge; the rest is credit.
    Charge { charge_id: ChargeId },
    /// Kept as credit (a prepayment, a copay before the visit's charges).
    Credit,
}

/// An adjustment of an EOB line, as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdjustmentForm {
    pub group: AdjustmentGroup,
    /// The claim adjustment reason code as printed on the EOB (45, 2...).
    pub reason_code: String,
    pub amount: String,
}

/// One line of a paper EOB.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EobLine {
    pub charge_id: ChargeId,
    pub paid: String,
    pub adjustments: Vec<AdjustmentForm>,
}

/// A payment received.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentView {
    pub id: PaymentId,
    /// "Patient" or the payer's name: who paid.
    pub paid_by: String,
    pub payer_id: Option<PayerId>,
    pub method: PaymentMethod,
    pub reference: String,
    pub amount: Money,
    pub received_day: String,
    /// Not applied to any charge yet (credit).
    pub unapplied: Money,
    pub reversed: bool,
    pub reversed_reason: String,
    pub can_reverse: bool,
    pub can_refund: bool,
    /// A patient's payment, and the user may print its receipt.
    pub can_print_receipt: bool,
}

/// A line of the ledger, with the balance after it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LedgerRow {
    pub id: LedgerEntryId,
    pub day: String,
    pub kind: LedgerKind,
    /// "Patient" or the payer's name: whose share it is.
    pub party: String,
    /// What it is, in words: "99213 Office visit, established",
    /// "Payment, check 1042", "CO-45 adjustment", "To the patient (PR-2)".
    pub description: String,
    pub patient_id: Option<PatientId>,
    pub charge_id: Option<ChargeId>,
    pub payment_id: Option<PaymentId>,
    /// Signed by its effect on the balance.
    pub amount: Money,
    pub balance: Money,
    pub by: String,
}

/// A payer's share pending.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pending {
    pub payer_id: PayerId,
    pub payer_name: String,
    pub amount: Money,
}

/// What the user may do on a ledger.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LedgerActions {
    pub can_take_payment: bool,
    /// There is credit and something the patient owes, and the user may.
    pub can_apply_credit: bool,
    pub can_post_insurance: bool,
    pub can_enter_charge: bool,
}

/// A billing account's ledger: every entry with the running balance, the
/// charges and payments, and who owes what.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LedgerView {
    pub account: AccountView,
    /// The newest entries (all of them when asked, or when there are few),
    /// oldest first, with the running balance.
    pub rows: Vec<LedgerRow>,
    /// Entries on the account in all.
    #[ts(type = "number")]
    pub rows_total: u32,
    pub charges: Vec<ChargeView>,
    pub payments: Vec<PaymentView>,
    /// Everything owed (negative: in credit).
    pub balance: Money,
    /// Owed by the patient's side on charges.
    pub patient_due: Money,
    /// Pending with payers: not due from the patient.
    pub pending: Vec<Pending>,
    /// Credit not yet applied.
    pub unapplied: Money,
    pub charges_total: Money,
    pub payments_total: Money,
    pub adjustments_total: Money,
    pub refunds_total: Money,
    pub actions: LedgerActions,
}

/// A payment method's total on a day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MethodTotal {
    pub method: PaymentMethod,
    pub amount: Money,
}

/// A day's postings added up, and whether it is closed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayReport {
    pub day: String,
    pub charges: Money,
    pub payments: Vec<MethodTotal>,
    pub payments_total: Money,
    pub adjustments: Money,
    pub refunds: Money,
    /// The day's entries summed: charges - payments - adjustments + refunds.
    pub net: Money,
    #[ts(type = "number")]
    pub entries: u32,
    /// When it was closed and by whom; none while open.
    pub closed: Option<String>,
    pub can_close: bool,
}

/// What the patient's side owes, by how long it has been owed (from the
/// day of service): 0-30, 31-60, 61-90, 91-120 and over 120 days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Aging {
    pub current: Money,
    pub days_31_60: Money,
    pub days_61_90: Money,
    pub days_91_120: Money,
    pub over_120: Money,
}

/// A visit's service line on a statement.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementLine {
    pub service_day: String,
    pub patient_id: PatientId,
    pub patient_name: String,
    pub code: String,
    pub description: String,
    pub charged: Money,
    /// Paid or adjusted by payers.
    pub insurance_paid: Money,
    /// Paid or adjusted on the patient's side.
    pub patient_paid: Money,
    /// Still pending with payers (not due from the patient).
    pub pending: Money,
    pub you_owe: Money,
}

/// A statement sent, as the history lists it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementView {
    pub id: StatementId,
    pub statement_day: String,
    pub amount_due: Money,
    pub pending: Money,
    pub method: ReleaseMethod,
    /// When it was printed or saved (RFC 3339, UTC).
    pub at: String,
    pub by: String,
}

/// The statement a guarantor would be sent today, and those sent before.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementPreview {
    pub account: AccountView,
    pub statement_day: String,
    /// Visits with something owed or pending, oldest first.
    pub lines: Vec<StatementLine>,
    /// Owed by the patient's side on visits.
    pub patient_due: Money,
    /// Credit held on the account (never below zero).
    pub credit: Money,
    /// Owed on the account apart from visits: a payment reversed after its
    /// credit was refunded.
    pub owed_on_account: Money,
    /// What the guarantor is asked to pay now (owed on visits and on the
    /// account, less credit, never below zero).
    pub amount_due: Money,
    /// Pending with insurance: shown apart, not due.
    pub pending: Money,
    pub aging: Aging,
    /// Statements sent, newest first.
    pub history: Vec<StatementView>,
    /// The user may print it and it can be sent.
    pub can_print: bool,
    /// Why it cannot be sent ("no postal address", "nothing is due");
    /// empty when it can.
    pub missing: String,
}

/// A guarantor's statement printed or saved, and the statement as it now
/// stands (its history with the one just sent).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementSent {
    pub done: SheetDone,
    pub statement: StatementPreview,
}

/// A batch of statements printed or saved.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementBatch {
    pub done: SheetDone,
    #[ts(type = "number")]
    pub statements: u32,
    /// Guarantors owing that much left out for want of a postal address.
    #[ts(type = "number")]
    pub without_address: u32,
    pub total_due: Money,
}

/// One payer's or one guarantor's line of the A/R aging.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingRow {
    pub name: String,
    pub payer_id: Option<PayerId>,
    pub account_id: Option<AccountId>,
    pub aging: Aging,
    pub total: Money,
    /// A guarantor's credit held (not aged, not taken off the total).
    pub credit: Money,
}

/// Accounts receivable aged by the day of service, by payer and by
/// guarantor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArAging {
    pub as_of: String,
    pub payers: Vec<AgingRow>,
    /// Owing most first; on screen the first [`crate::reports::GUARANTORS_SHOWN`]
    /// (the printed report has them all).
    pub guarantors: Vec<AgingRow>,
    /// Guarantors owing or holding credit, all of them.
    #[ts(type = "number")]
    pub guarantor_count: u32,
    pub insurance: Aging,
    pub patients: Aging,
    pub all: Aging,
    pub insurance_total: Money,
    pub patient_total: Money,
    pub credit_total: Money,
    pub total: Money,
    pub can_print: bool,
}

/// One rendering provider's charges and what was collected on them in a
/// period (by the days the entries were posted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderLine {
    /// None on the totals line.
    pub user_id: Option<UserId>,
    pub name: String,
    /// Distinct patients charged.
    #[ts(type = "number")]
    pub patients: u32,
    /// Service lines charged (voids count against them).
    #[ts(type = "number")]
    pub lines: i64,
    pub charges: Money,
    /// Paid by insurers on these charges.
    pub insurance_paid: Money,
    /// Paid on the patient's side (applied to these charges).
    pub patient_paid: Money,
    /// Written off.
    pub adjustments: Money,
    /// Insurance and patient payments.
    pub collected: Money,
}

/// Charges and collections by rendering provider between two days.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderReport {
    pub from: String,
    pub to: String,
    pub providers: Vec<ProviderLine>,
    pub total: ProviderLine,
    pub can_print: bool,
}

// ------------------------------------------------------------------- claims

/// A service line on a claim.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimLineView {
    pub charge_id: ChargeId,
    pub service_day: String,
    pub code: String,
    pub modifiers: Vec<String>,
    #[ts(type = "number")]
    pub units: i64,
    /// What the claim asks for this line.
    pub amount: Money,
    /// Item 24E: the letters of its diagnoses in item 21.
    pub pointers: String,
    /// Still pending with this claim's payer.
    pub pending: Money,
    /// Paid by this claim's payer.
    pub paid: Money,
    /// The charge was voided after the claim was made.
    pub void: bool,
}

/// A paper claim.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimView {
    pub id: ClaimId,
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    pub payer_name: String,
    pub rank: CoverageRank,
    pub status: ClaimStatus,
    pub status_note: String,
    /// The claim this one replaces, and the payer's number for it.
    pub original_claim_id: Option<ClaimId>,
    pub payer_reference: String,
    /// The claim that replaced this one, if it was sent again.
    pub replaced_by: Option<ClaimId>,
    pub total: Money,
    /// Item 21, A to L in order, without the dot.
    pub diagnoses: Vec<String>,
    pub lines: Vec<ClaimLineView>,
    /// Forms it takes (six lines to a form).
    #[ts(type = "number")]
    pub forms: u32,
    #[ts(type = "number")]
    pub print_count: i64,
    /// When it was first printed (RFC 3339, UTC).
    pub first_printed_at: Option<String>,
    /// The day it was made (the clinic's day).
    pub created_day: String,
    /// What the practice must set before it can be printed (empty: none).
    pub missing: Vec<String>,
    pub can_print: bool,
    pub can_resubmit: bool,
    /// The statuses the user may set it to now.
    pub next_statuses: Vec<ClaimStatus>,
    #[ts(type = "number")]
    pub version: i64,
}

/// Charges pending with a payer that no claim asks for yet.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Claimable {
    pub payer_id: PayerId,
    pub payer_name: String,
    pub charges: Vec<ClaimLineView>,
}

/// A patient's claims and what could be claimed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientClaims {
    /// Newest first.
    pub claims: Vec<ClaimView>,
    pub claimable: Vec<Claimable>,
    /// The user may make, print and answer claims.
    pub can_claim: bool,
}

/// What a claim is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClaimPaperChoice {
    /// The red pre-printed form: the data only, moved by the practice's
    /// offsets.
    Preprinted,
    /// Plain paper, the form drawn.
    Plain,
}

/// A claim printed or saved, and the claim as it now stands.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimPrinted {
    pub done: SheetDone,
    pub claim: ClaimView,
}

/// A clinician and the NPI claims print for them (item 24J).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderNpi {
    pub user_id: UserId,
    pub name: String,
    pub npi: String,
}

/// How the practice fills its claims.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimSettings {
    /// Moves the data down (positive) or up on the red form, in points
    /// (72 to the inch).
    #[ts(type = "number")]
    pub offset_top_pt: i32,
    /// Moves the data right (positive) or left, in points.
    #[ts(type = "number")]
    pub offset_left_pt: i32,
    /// Item 25: the tax id is an EIN (else an SSN).
    pub tax_id_is_ein: bool,
    /// Item 27.
    pub accept_assignment: bool,
    /// Items 12 and 13 print "SIGNATURE ON FILE": the practice keeps every
    /// patient's signed release and assignment of benefits.
    pub signatures_on_file: bool,
}

/// The claim settings with what the practice's letterhead gives a claim.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimSetup {
    pub settings: ClaimSettings,
    /// From the practice settings (administration).
    pub tax_id: String,
    pub practice_npi: String,
    pub providers: Vec<ProviderNpi>,
    pub can_edit: bool,
}

// ---------------------------------------------------------------- superbill

/// A service the practice prices, as the superbill offers it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuperbillService {
    pub code: String,
    pub description: String,
    /// At the level the patient's coverage on the visit's day gives.
    pub price: Money,
}

/// A diagnosis the superbill offers: from the problem list, or already
/// on the visit's charges.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuperbillDiagnosis {
    pub code: String,
    pub label: String,
}

/// A visit's superbill (encounter form): its charges, and what the
/// clinician can mark to enter more.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Superbill {
    pub encounter_id: EncounterId,
    pub patient_id: PatientId,
    pub day: String,
    pub provider_name: String,
    /// The visit's charges, void ones included.
    pub charges: Vec<ChargeView>,
    /// What is charged for the visit (void charges left out).
    pub total: Money,
    pub services: Vec<SuperbillService>,
    pub diagnoses: Vec<SuperbillDiagnosis>,
    pub can_enter: bool,
}

/// A service marked on the superbill.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VisitServiceLine {
    pub code: String,
    pub units: u32,
    pub modifiers: Vec<String>,
}

/// The services and diagnoses marked on a visit's superbill: each service
/// becomes a charge pointing to the diagnoses, in order.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VisitChargesForm {
    pub lines: Vec<VisitServiceLine>,
    /// ICD-10-CM, at most four, primary first.
    pub diagnoses: Vec<String>,
    pub place: PlaceOfService,
}
