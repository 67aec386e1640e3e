//! Records out's commands, each declared once: its fields, the one answer
//! it returns, the guard it needs and the patient it concerns, next to the
//! handler it runs. The API crate lists them in its registry. Every one
//! needs [`Permission::ReleaseRecords`] (held by clinicians and practice
//! managers), except the practice-wide log
//! ([`Permission::DisclosureReport`], managers).

use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Subject};
use chartroom_store::disclosures::Disclosure;
use chartroom_types::{DisclosurePurpose, PatientId, ProviderId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::protocol::*;
use crate::{choices, referrals, release};
use chartroom_chart::printer;

const RELEASE: Guard = Guard::Needs(Permission::ReleaseRecords);

/// What a record of this patient can hold: signed notes, documents, the
/// measures that can be plotted.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetRecordChoices {
    pub patient_id: PatientId,
}

impl Command for GetRecordChoices {
    type Answer = RecordChoices;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetRecordChoices {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        choices::of(ctx, self.patient_id)
    }
}

/// One page of a record as it would be released.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRecord {
    pub request: RecordRequest,
    pub recipient: Recipient,
    /// From 1.
    #[ts(type = "number")]
    pub page: u32,
}

impl Command for PreviewRecord {
    type Answer = RecordPreview;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.request.patient_id)
    }
}

impl Handler for PreviewRecord {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        release::preview(ctx, &self.request, &self.recipient, self.page)
    }
}

/// Prints or saves a record and records the disclosure.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReleaseRecord {
    pub request: RecordRequest,
    pub recipient: Recipient,
    pub purpose: DisclosurePurpose,
    /// Required when the purpose is `other`.
    pub purpose_detail: String,
    pub output: ReleaseOutput,
}

impl Command for ReleaseRecord {
    type Answer = Released;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.request.patient_id)
    }
}

impl Handler for ReleaseRecord {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        release::release(
            ctx,
            &self.request,
            &self.recipient,
            (self.purpose, &self.purpose_detail),
            &self.output,
        )
    }
}

/// The computer's print queues (no patient data: any user at work may see
/// them, for whatever they print).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListPrinters {}

impl Command for ListPrinters {
    type Answer = Vec<Printer>;
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListPrinters {
    fn run(self, _ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        printer::printers()
    }
}

/// The referral address book.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListReferralProviders {}

impl Command for ListReferralProviders {
    type Answer = Vec<ReferralProvider>;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListReferralProviders {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        referrals::list(ctx)
    }
}

/// Adds a provider to the address book (`provider_id` null) or changes one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveReferralProvider {
    pub provider_id: Option<ProviderId>,
    /// The version being changed (ignored when adding).
    #[ts(type = "number")]
    pub expected_version: i64,
    pub provider: ProviderForm,
}

impl Command for SaveReferralProvider {
    type Answer = ReferralProvider;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveReferralProvider {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        referrals::save(ctx, self.provider_id, self.expected_version, &self.provider)
    }
}

/// A patient's accounting of disclosures (the last six years).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetAccounting {
    pub patient_id: PatientId,
}

impl Command for GetAccounting {
    type Answer = Accounting;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetAccounting {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        release::accounting(ctx, self.patient_id)
    }
}

/// Prints or saves a patient's accounting of disclosures for them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReleaseAccounting {
    pub patient_id: PatientId,
    pub output: ReleaseOutput,
}

impl Command for ReleaseAccounting {
    type Answer = Released;
    const GUARD: Guard = RELEASE;
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ReleaseAccounting {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        release::release_accounting(ctx, self.patient_id, &self.output)
    }
}

/// The practice-wide disclosure log, filtered and sorted.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisclosureLog {
    pub query: DisclosureQuery,
}

impl Command for DisclosureLog {
    type Answer = Vec<Disclosure>;
    const GUARD: Guard = Guard::Needs(Permission::DisclosureReport);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for DisclosureLog {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        release::log(ctx, &self.query)
    }
}
