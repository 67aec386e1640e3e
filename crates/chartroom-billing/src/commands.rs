//! Billing's commands, each declared once: its fields, the one answer it
//! returns, the guard it needs and the patient it concerns, next to the
//! handler it runs. Reading needs [`Permission::BillingRead`]; the fee
//! schedule and payers [`Permission::BillingSetup`]; guarantors and coverage
//! [`Permission::AccountWrite`]; charges [`Permission::ChargeEntry`]; a
//! patient's payment [`Permission::PatientPayment`]; insurers' payments,
//! reversals and refunds [`Permission::InsurancePosting`]; closing the day
//! [`Permission::CloseDay`]; printing statements [`Permission::Statements`];
//! a receipt [`Permission::PatientPayment`]; the A/R aging
//! [`Permission::BillingReports`]; paper claims [`Permission::Claims`] (the
//! claim settings and clinicians' NPIs [`Permission::BillingSetup`]).

use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Subject};
use chartroom_types::{
    AccountId, ChargeId, ClaimId, ClaimStatus, CoverageId, EncounterId, FeeId, PatientId, PayerId,
    PaymentId, PaymentMethod, UserId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::protocol::*;
use chartroom_chart::sheets::{SheetDone, SheetOutput};

use crate::{accounts, claims, posting, receipts, reports, setup, statements, superbill, view};

const READ: Guard = Guard::Needs(Permission::BillingRead);

/// The fee schedule, every price past and present.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListFees {}

impl Command for ListFees {
    type Answer = Vec<FeeView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListFees {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::fees(ctx)
    }
}

/// Sets a code's price at a level from a day (the price before it ends the day before).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveFee {
    pub form: FeeForm,
}

impl Command for SaveFee {
    type Answer = FeeView;
    const GUARD: Guard = Guard::Needs(Permission::BillingSetup);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveFee {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_fee(ctx, &self.form)
    }
}

/// Ends a price on its last day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EndFee {
    pub id: FeeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub last_day: String,
}

impl Command for EndFee {
    type Answer = FeeView;
    const GUARD: Guard = Guard::Needs(Permission::BillingSetup);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for EndFee {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::end_fee(ctx, self.id, self.expected_version, &self.last_day)
    }
}

/// Every payer, active ones first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListPayers {}

impl Command for ListPayers {
    type Answer = Vec<PayerView>;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListPayers {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::payers(ctx)
    }
}

/// Adds a payer (`id` none) or changes one at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavePayer {
    pub id: Option<PayerId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: PayerForm,
}

impl Command for SavePayer {
    type Answer = PayerView;
    const GUARD: Guard = Guard::Needs(Permission::BillingSetup);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SavePayer {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        setup::save_payer(ctx, self.id, self.expected_version, &self.form)
    }
}

/// A patient's billing account and coverage.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetPatientBilling {
    pub patient_id: PatientId,
}

impl Command for GetPatientBilling {
    type Answer = PatientBilling;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetPatientBilling {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        accounts::patient_billing(ctx, self.patient_id)
    }
}

/// Bills a patient to a guarantor from now on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetGuarantor {
    pub patient_id: PatientId,
    pub guarantor: Guarantor,
}

impl Command for SetGuarantor {
    type Answer = PatientBilling;
    const GUARD: Guard = Guard::Needs(Permission::AccountWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for SetGuarantor {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        accounts::set_guarantor(ctx, self.patient_id, &self.guarantor)
    }
}

/// Changes a guarantor's details (name, address, phone).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveAccount {
    pub id: AccountId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: AccountForm,
}

impl Command for SaveAccount {
    type Answer = AccountView;
    const GUARD: Guard = Guard::Needs(Permission::AccountWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveAccount {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        accounts::save_account(ctx, self.id, self.expected_version, &self.form)
    }
}

/// Adds a patient's coverage, or changes or ends it at `expected_version`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveCoverage {
    pub id: Option<CoverageId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: CoverageForm,
}

impl Command for SaveCoverage {
    type Answer = PatientBilling;
    const GUARD: Guard = Guard::Needs(Permission::AccountWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.form.patient_id)
    }
}

impl Handler for SaveCoverage {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        accounts::save_coverage(ctx, self.id, self.expected_version, &self.form)
    }
}

/// The ledger of the account a patient is billed to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetLedger {
    pub patient_id: PatientId,
    /// Every entry (else the newest, with every charge still owed on).
    #[serde(default)]
    pub all: bool,
}

impl Command for GetLedger {
    type Answer = LedgerView;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetLedger {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        view::ledger(ctx, self.patient_id, self.all)
    }
}

/// Enters a service line for a patient, priced from the fee schedule.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnterCharge {
    pub patient_id: PatientId,
    pub form: ChargeForm,
}

impl Command for EnterCharge {
    type Answer = ChargeView;
    const GUARD: Guard = Guard::Needs(Permission::ChargeEntry);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for EnterCharge {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::enter_charge(ctx, self.patient_id, &self.form)
    }
}

/// Voids a charge entered in error (nothing paid or adjusted on it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidCharge {
    pub charge_id: ChargeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
}

impl Command for VoidCharge {
    type Answer = ChargeView;
    const GUARD: Guard = Guard::Needs(Permission::ChargeEntry);
    fn subject(&self) -> Subject {
        Subject::Charge(self.charge_id)
    }
}

impl Handler for VoidCharge {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::void_charge(ctx, self.charge_id, self.expected_version, &self.reason)
    }
}

/// Edits a charge until it is claimed (open, on no claim, nothing paid or
/// adjusted on it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EditCharge {
    pub charge_id: ChargeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub form: ChargeForm,
}

impl Command for EditCharge {
    type Answer = ChargeView;
    const GUARD: Guard = Guard::Needs(Permission::ChargeEntry);
    fn subject(&self) -> Subject {
        Subject::Charge(self.charge_id)
    }
}

impl Handler for EditCharge {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::edit_charge(ctx, self.charge_id, self.expected_version, &self.form)
    }
}

/// Corrects a charge by a new line: the old one voided with the reason,
/// the corrected one entered in its place (a claim sent again takes it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CorrectCharge {
    pub charge_id: ChargeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
    pub form: ChargeForm,
}

impl Command for CorrectCharge {
    type Answer = ChargeView;
    const GUARD: Guard = Guard::Needs(Permission::ChargeEntry);
    fn subject(&self) -> Subject {
        Subject::Charge(self.charge_id)
    }
}

impl Handler for CorrectCharge {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::correct_charge(
            ctx,
            self.charge_id,
            self.expected_version,
            &self.reason,
            &self.form,
        )
    }
}

/// Takes a payment from the patient or guarantor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TakePayment {
    pub patient_id: PatientId,
    pub method: PaymentMethod,
    /// Check number or card reference.
    pub reference: String,
    pub amount: String,
    pub note: String,
    pub apply: ApplyTo,
}

impl Command for TakePayment {
    type Answer = PaymentView;
    const GUARD: Guard = Guard::Needs(Permission::PatientPayment);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for TakePayment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::take_payment(
            ctx,
            self.patient_id,
            self.method,
            &self.reference,
            &self.amount,
            &self.note,
            &self.apply,
        )
    }
}

/// Applies the account's credit to what the patient owes, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplyCredit {
    pub patient_id: PatientId,
}

impl Command for ApplyCredit {
    type Answer = LedgerView;
    const GUARD: Guard = Guard::Needs(Permission::PatientPayment);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ApplyCredit {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::apply_credit(ctx, self.patient_id)?;
        view::ledger(ctx, self.patient_id, false)
    }
}

/// Posts an insurer's payment from its paper EOB, line by line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PostInsurancePayment {
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    /// The insurer's check number.
    pub reference: String,
    /// What the check pays on these lines (0.00 for a denial).
    pub amount: String,
    pub lines: Vec<EobLine>,
}

impl Command for PostInsurancePayment {
    type Answer = LedgerView;
    const GUARD: Guard = Guard::Needs(Permission::InsurancePosting);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for PostInsurancePayment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::post_insurance(
            ctx,
            self.patient_id,
            self.payer_id,
            &self.reference,
            &self.amount,
            &self.lines,
        )?;
        view::ledger(ctx, self.patient_id, false)
    }
}

/// Reverses a payment (a returned check, a posting in error): new entries, never an edit.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReversePayment {
    pub payment_id: PaymentId,
    pub reason: String,
}

impl Command for ReversePayment {
    type Answer = PaymentView;
    const GUARD: Guard = Guard::Needs(Permission::InsurancePosting);
    fn subject(&self) -> Subject {
        Subject::Payment(self.payment_id)
    }
}

impl Handler for ReversePayment {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::reverse_payment(ctx, self.payment_id, &self.reason)?;
        let account = chartroom_store::billing::payment(ctx.read(), self.payment_id)?
            .fields
            .account_id;
        view::payment_of(ctx, account, self.payment_id)
    }
}

/// Refunds part or all of a payment's unapplied credit.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundCredit {
    pub payment_id: PaymentId,
    pub amount: String,
    pub method: PaymentMethod,
    pub reference: String,
    pub reason: String,
}

impl Command for RefundCredit {
    type Answer = PaymentView;
    const GUARD: Guard = Guard::Needs(Permission::InsurancePosting);
    fn subject(&self) -> Subject {
        Subject::Payment(self.payment_id)
    }
}

impl Handler for RefundCredit {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        posting::refund(
            ctx,
            self.payment_id,
            &self.amount,
            self.method,
            &self.reference,
            &self.reason,
        )?;
        let account = chartroom_store::billing::payment(ctx.read(), self.payment_id)?
            .fields
            .account_id;
        view::payment_of(ctx, account, self.payment_id)
    }
}

/// A day's postings added up (empty day: today).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetDayReport {
    pub day: String,
}

impl Command for GetDayReport {
    type Answer = DayReport;
    const GUARD: Guard = Guard::Needs(Permission::CloseDay);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetDayReport {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        view::day_report(ctx, &self.day)
    }
}

/// Prints or saves a day's totals (empty day: today).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintDayReport {
    pub day: String,
    pub output: SheetOutput,
}

impl Command for PrintDayReport {
    type Answer = SheetDone;
    const GUARD: Guard = Guard::Needs(Permission::CloseDay);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintDayReport {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reports::print_day(ctx, &self.day, &self.output)
    }
}

/// Closes a day: its totals kept, its postings final.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CloseDay {
    pub day: String,
}

impl Command for CloseDay {
    type Answer = DayReport;
    const GUARD: Guard = Guard::Needs(Permission::CloseDay);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for CloseDay {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        view::close_day(ctx, &self.day)
    }
}

/// The statement the guarantor of a patient's account would be sent
/// today, and the statements sent before.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetStatement {
    pub patient_id: PatientId,
}

impl Command for GetStatement {
    type Answer = StatementPreview;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetStatement {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        statements::preview(ctx, self.patient_id)
    }
}

/// Prints or saves the statement of a patient's account.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintStatement {
    pub patient_id: PatientId,
    pub output: SheetOutput,
}

impl Command for PrintStatement {
    type Answer = StatementSent;
    const GUARD: Guard = Guard::Needs(Permission::Statements);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for PrintStatement {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        statements::print_one(ctx, self.patient_id, &self.output)
    }
}

/// Prints or saves a statement for every guarantor owing more than an
/// amount.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintStatements {
    /// Typed money: guarantors whose amount due is more than this.
    pub more_than: String,
    pub output: SheetOutput,
}

impl Command for PrintStatements {
    type Answer = StatementBatch;
    const GUARD: Guard = Guard::Needs(Permission::Statements);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintStatements {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        statements::print_batch(ctx, &self.more_than, &self.output)
    }
}

/// Prints or saves the receipt for a patient's payments of a day (every
/// payment of that day on the account, one line each).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintReceipt {
    pub payment_id: PaymentId,
    pub output: SheetOutput,
}

impl Command for PrintReceipt {
    type Answer = SheetDone;
    const GUARD: Guard = Guard::Needs(Permission::PatientPayment);
    fn subject(&self) -> Subject {
        Subject::Payment(self.payment_id)
    }
}

impl Handler for PrintReceipt {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        receipts::receipt(ctx, self.payment_id, &self.output)
    }
}

/// Accounts receivable aged by the day of service, by payer and by
/// guarantor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetArAging {}

impl Command for GetArAging {
    type Answer = ArAging;
    const GUARD: Guard = Guard::Needs(Permission::BillingReports);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetArAging {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reports::ar_aging(ctx)
    }
}

/// Prints or saves the A/R aging report.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintArAging {
    pub output: SheetOutput,
}

impl Command for PrintArAging {
    type Answer = SheetDone;
    const GUARD: Guard = Guard::Needs(Permission::BillingReports);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintArAging {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reports::print_ar_aging(ctx, &self.output)
    }
}

/// Charges and collections by rendering provider between two days (empty:
/// the first of this month to today).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetProviderReport {
    pub from: String,
    pub to: String,
}

impl Command for GetProviderReport {
    type Answer = ProviderReport;
    const GUARD: Guard = Guard::Needs(Permission::BillingReports);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetProviderReport {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reports::providers(ctx, &self.from, &self.to)
    }
}

/// Prints or saves the charges and collections by provider.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintProviderReport {
    pub from: String,
    pub to: String,
    pub output: SheetOutput,
}

impl Command for PrintProviderReport {
    type Answer = SheetDone;
    const GUARD: Guard = Guard::Needs(Permission::BillingReports);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintProviderReport {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reports::print_providers(ctx, &self.from, &self.to, &self.output)
    }
}

/// A patient's paper claims and the charges a claim could ask for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetClaims {
    pub patient_id: PatientId,
}

impl Command for GetClaims {
    type Answer = PatientClaims;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetClaims {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::patient_claims(ctx, self.patient_id)
    }
}

/// Makes a draft claim to a payer for charges pending with it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateClaim {
    pub patient_id: PatientId,
    pub payer_id: PayerId,
    pub charge_ids: Vec<ChargeId>,
}

impl Command for CreateClaim {
    type Answer = ClaimView;
    const GUARD: Guard = Guard::Needs(Permission::Claims);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for CreateClaim {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::create(ctx, self.patient_id, self.payer_id, &self.charge_ids)
    }
}

/// Prints or saves a claim on the red form or plain paper (a disclosure
/// to the payer); a draft becomes printed, its charges billed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintClaim {
    pub claim_id: ClaimId,
    pub paper: ClaimPaperChoice,
    pub output: SheetOutput,
}

impl Command for PrintClaim {
    type Answer = ClaimPrinted;
    const GUARD: Guard = Guard::Needs(Permission::Claims);
    fn subject(&self) -> Subject {
        Subject::Claim(self.claim_id)
    }
}

impl Handler for PrintClaim {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::print(ctx, self.claim_id, self.paper, &self.output)
    }
}

/// Marks a claim paid, partly paid or denied by hand, with a note.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetClaimStatus {
    pub claim_id: ClaimId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub status: ClaimStatus,
    pub note: String,
}

impl Command for SetClaimStatus {
    type Answer = ClaimView;
    const GUARD: Guard = Guard::Needs(Permission::Claims);
    fn subject(&self) -> Subject {
        Subject::Claim(self.claim_id)
    }
}

impl Handler for SetClaimStatus {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::set_status(
            ctx,
            self.claim_id,
            self.expected_version,
            self.status,
            &self.note,
        )
    }
}

/// Sends a claim again: a new draft that replaces it (item 22, code 7).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResubmitClaim {
    pub claim_id: ClaimId,
    #[ts(type = "number")]
    pub expected_version: i64,
    /// The payer's number for the original claim, from its EOB.
    pub payer_reference: String,
}

impl Command for ResubmitClaim {
    type Answer = ClaimView;
    const GUARD: Guard = Guard::Needs(Permission::Claims);
    fn subject(&self) -> Subject {
        Subject::Claim(self.claim_id)
    }
}

impl Handler for ResubmitClaim {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::resubmit(
            ctx,
            self.claim_id,
            self.expected_version,
            &self.payer_reference,
        )
    }
}

/// How the practice fills its claims, and clinicians' NPIs.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetClaimSetup {}

impl Command for GetClaimSetup {
    type Answer = ClaimSetup;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetClaimSetup {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::setup(ctx)
    }
}

/// Keeps the claim settings (offsets for the red form, items 12, 13, 25
/// and 27).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveClaimSettings {
    pub settings: ClaimSettings,
}

impl Command for SaveClaimSettings {
    type Answer = ClaimSetup;
    const GUARD: Guard = Guard::Needs(Permission::BillingSetup);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveClaimSettings {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::save_settings(ctx, &self.settings)
    }
}

/// Keeps a clinician's NPI (item 24J of the lines they rendered).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetProviderNpi {
    pub user_id: UserId,
    pub npi: String,
}

impl Command for SetProviderNpi {
    type Answer = ClaimSetup;
    const GUARD: Guard = Guard::Needs(Permission::BillingSetup);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SetProviderNpi {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        claims::set_provider_npi(ctx, self.user_id, &self.npi)
    }
}

/// A visit's superbill: its charges, the services the practice prices and
/// the patient's problems to mark.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetSuperbill {
    pub patient_id: PatientId,
    pub encounter_id: EncounterId,
}

impl Command for GetSuperbill {
    type Answer = Superbill;
    const GUARD: Guard = READ;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetSuperbill {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        superbill::superbill(ctx, self.patient_id, self.encounter_id)
    }
}

/// Enters the services marked on a visit's superbill as its charges (all
/// or none).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnterVisitCharges {
    pub patient_id: PatientId,
    pub encounter_id: EncounterId,
    pub form: VisitChargesForm,
}

impl Command for EnterVisitCharges {
    type Answer = Superbill;
    const GUARD: Guard = Guard::Needs(Permission::ChargeEntry);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for EnterVisitCharges {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        superbill::enter_visit_charges(ctx, self.patient_id, self.encounter_id, &self.form)
    }
}
