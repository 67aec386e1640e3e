//! Records out's request and answer types: what a record holds (kind,
//! sections, dates, chosen notes, documents and plots), who receives it,
//! why, how it leaves (printed or saved), the preview, the referral address
//! book and the accounting of disclosures. Serialised to JSON, with
//! TypeScript twins generated into `ui/src/bindings/`.

use chartroom_store::disclosures::Disclosure;
use chartroom_types::{
    DisclosurePurpose, DocumentId, NoteId, PacketKind, PatientId, ProviderId, RecordSection,
    ReleaseMethod, UserId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The paper a record is printed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaperSize {
    /// US letter (the only size the #10 window envelope fits).
    #[default]
    Letter,
    A4,
}

/// The cover letter of a referral packet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferralLetter {
    /// Why the patient is referred.
    pub reason: String,
    /// What the sending physician asks the receiving one.
    pub question: String,
    /// The physician who signs the letter, a clinician of the practice;
    /// none for the user releasing it, who must then be one.
    pub sender: Option<UserId>,
}

/// What a released record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordRequest {
    pub patient_id: PatientId,
    /// `summary`, `referral` or `patient_copy`.
    pub kind: PacketKind,
    /// The sections, printed in the order of [`RecordSection::ALL`].
    pub sections: Vec<RecordSection>,
    /// Clinic days, typed (`MM/DD/YYYY` or `YYYY-MM-DD`), both included;
    /// blank for no bound. They limit vitals, labs, plots, notes and
    /// documents; problems, medications, allergies and immunizations are
    /// printed as they stand.
    pub from: String,
    pub to: String,
    /// The notes to print, with their signatures and addenda (the
    /// `notes` section); empty with that section means every signed note
    /// in the date range.
    pub note_ids: Vec<NoteId>,
    /// The attached documents to include as pages (the `documents`
    /// section).
    pub document_ids: Vec<DocumentId>,
    /// Vitals (LOINC) and labs to plot over time, up to six (with the
    /// `vitals` or `labs` section).
    pub trend_codes: Vec<String>,
    pub paper: PaperSize,
    /// The cover letter; required for a referral packet.
    pub letter: Option<ReferralLetter>,
}

/// Who receives a record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recipient {
    /// From the address book; its name and address are then used.
    pub provider_id: Option<ProviderId>,
    /// Typed in (or filled from the address book, or for the patient's own
    /// copy from their registration when blank).
    pub name: String,
    /// Postal address, one line per line.
    pub address: String,
}

/// How a record leaves the practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReleaseOutput {
    pub method: ReleaseMethod,
    /// For `saved`: the file to write, a full path outside the data folder
    /// (`.pdf` is added when missing; an existing file is never replaced,
    /// a number is added instead).
    pub path: String,
    /// For `printed`: the print queue; blank for the computer's default.
    pub printer: String,
}

/// The pages a record will have, and one of them as an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordPreview {
    #[ts(type = "number")]
    pub page_count: u32,
    /// The page shown, from 1.
    #[ts(type = "number")]
    pub page: u32,
    /// That page drawn from the PDF itself (PNG, base64).
    pub png_base64: String,
    #[ts(type = "number")]
    pub width_px: u32,
    #[ts(type = "number")]
    pub height_px: u32,
    /// Where saving would put it unless another file is chosen.
    pub suggested_path: String,
}

/// A record that left the practice, and its entry in the disclosure log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Released {
    pub disclosure: Disclosure,
    /// Where it was saved (`saved`).
    pub path: Option<String>,
    /// The print job (`printed`), e.g. `PDF-12`.
    pub print_job: Option<String>,
}

pub use chartroom_chart::protocol::Printer;

/// A provider in the referral address book, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderForm {
    pub name: String,
    pub specialty: String,
    pub practice: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub npi: String,
    pub active: bool,
}

/// A provider in the referral address book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferralProvider {
    pub id: ProviderId,
    pub name: String,
    pub specialty: String,
    pub practice: String,
    pub address: String,
    /// Formatted for display.
    pub phone: String,
    pub fax: String,
    pub npi: String,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// A patient's disclosures of the last six years (45 CFR 164.528).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Accounting {
    pub patient_id: PatientId,
    pub patient_name: String,
    /// The first clinic day covered (six years before today).
    pub since: String,
    /// Every disclosure since then, newest first; each says whether it
    /// belongs in the accounting the patient receives.
    pub disclosures: Vec<Disclosure>,
    /// How many of them the patient's accounting lists.
    #[ts(type = "number")]
    pub accountable: u32,
}

/// The practice-wide disclosure log's filters, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisclosureQuery {
    /// Clinic days, typed; blank for no bound.
    pub from: String,
    pub to: String,
    pub purpose: Option<DisclosurePurpose>,
    pub accountable_only: bool,
    /// Part of the recipient's or the patient's name.
    pub text: String,
    pub order: LogOrder,
}

/// How the practice-wide disclosure log is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LogOrder {
    #[default]
    Newest,
    Oldest,
    Patient,
    Recipient,
}

/// A vital or lab the patient has values of, to offer as a plot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeasureChoice {
    /// LOINC.
    pub code: String,
    pub name: String,
    /// `vitals` or `labs`: the section its plot is printed in.
    pub section: RecordSection,
    #[ts(type = "number")]
    pub values: u32,
}

/// What a record of this patient can hold, for the record screen (which
/// users who may release records but not read the chart also use).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordChoices {
    pub patient_id: PatientId,
    pub patient_name: String,
    pub mrn: String,
    /// Signed notes, newest first.
    pub notes: Vec<chartroom_chart::protocol::NoteSummary>,
    /// Documents not entered in error, newest first.
    pub documents: Vec<chartroom_chart::protocol::DocumentView>,
    pub measures: Vec<MeasureChoice>,
    /// The clinicians who may sign a referral letter, by name.
    pub senders: Vec<Sender>,
    /// The one offered first: the user, when they are a clinician.
    pub default_sender: Option<UserId>,
}

/// A clinician who may sign a referral letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Sender {
    pub user_id: UserId,
    /// As signed: "Maya Patel, MD".
    pub name: String,
}
