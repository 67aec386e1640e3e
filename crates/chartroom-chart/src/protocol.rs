//! The clinical chart's part of the API boundary: what the chart screens
//! send and receive. Re-exported from [`crate::protocol`]; TypeScript twins
//! are generated into `ui/src/bindings/`.
//!
//! Inputs are text, as typed, so that a bad value comes back as a field
//! error; outputs carry values already converted to the practice's units.

/// A lab value against its reference range (re-exported: observations carry it).
pub use chartroom_codes::LabFlag;
use chartroom_codes::{CodeHit, DrugName, LabTest, SafetyFinding, Vaccine};
use chartroom_core::signing::SignatureCheck;
use chartroom_store::disclosures::Disclosure;
use chartroom_store::model::{EntryStatus, NoteKind, NoteStatus, RecordStatus, Section};
use chartroom_types::{
    DocumentId, EncounterId, EntryId, NoteId, ObservationId, PatientId, TemplateId,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A chart entry as a form sends it. Dates are `YYYY-MM-DD` or `MM/DD/YYYY`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "section", rename_all = "snake_case")]
#[ts(export)]
pub enum EntryInput {
    Problem {
        /// ICD-10-CM code from the code search ("I10").
        code: String,
        /// Wording; defaults to the code's description when empty.
        description: String,
        /// `active`, `inactive` or `resolved`.
        status: String,
        onset: String,
        comment: String,
    },
    Medication {
        name: String,
        strength: String,
        form: String,
        dose: String,
        route: String,
        frequency: String,
        start: String,
        stop: String,
        prescriber: String,
        /// `active` or `stopped`.
        status: String,
    },
    Allergy {
        substance: String,
        /// `drug`, `drug_class`, `food` or `environmental`.
        category: String,
        reaction: String,
        /// `mild`, `moderate`, `severe` or `unknown`.
        severity: String,
        /// `active` or `inactive`.
        status: String,
    },
    /// "No known allergies", asked and recorded.
    NoKnownAllergies,
    Immunization {
        cvx: String,
        /// `administered`, `historical` (reported by the patient) or `refused`.
        kind: String,
        date: String,
        lot: String,
        manufacturer: String,
        site: String,
        route: String,
        dose_number: String,
        note: String,
    },
    Prescription {
        drug: String,
        strength: String,
        form: String,
        directions: String,
        quantity: String,
        quantity_unit: String,
        refills: String,
        substitution_allowed: bool,
    },
}

/// The details of an entry beyond its common columns, as stored and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "section", rename_all = "snake_case")]
#[ts(export)]
pub enum EntryDetails {
    Problem {
        comment: String,
    },
    Medication {
        strength: String,
        form: String,
        dose: String,
        route: String,
        frequency: String,
        stop: Option<String>,
        prescriber: String,
        /// Last "still taking?" answer: date and what was said.
        last_reconciled: Option<String>,
    },
    Allergy {
        category: String,
        reaction: String,
        severity: String,
        /// True for the "no known allergies" statement.
        no_known_allergies: bool,
    },
    Immunization {
        kind: String,
        lot: String,
        manufacturer: String,
        site: String,
        route: String,
        dose_number: String,
        note: String,
    },
    Prescription {
        strength: String,
        form: String,
        directions: String,
        #[ts(type = "number")]
        quantity: u32,
        quantity_unit: String,
        #[ts(type = "number")]
        refills: u32,
        substitution_allowed: bool,
        prescriber_name: String,
        prescriber_credentials: String,
    },
}

/// A chart entry as the chart shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChartEntry {
    pub id: EntryId,
    pub patient_id: PatientId,
    pub section: Section,
    pub status: EntryStatus,
    pub label: String,
    pub code: String,
    pub effective_date: Option<String>,
    pub details: EntryDetails,
    pub error_reason: String,
    #[ts(type = "number")]
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    /// Reasons given for going ahead despite safety warnings.
    pub override_reasons: Vec<String>,
    /// What the user looking at it may do with it.
    pub actions: EntryActions,
}

/// What the current user may do with a chart entry, decided by the
/// backend (the UI shows the buttons these allow, and nothing else).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntryActions {
    /// Edit it in place (not a prescription, which is retracted and written
    /// again; not "no known allergies", which a real allergy replaces).
    pub edit: bool,
    /// Mark it entered in error.
    pub retract: bool,
    /// Answer "still taking?" (an active medication).
    pub reconcile: bool,
    /// Print it (a prescription not in error).
    pub print: bool,
}

/// One saved state of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntryVersionView {
    #[ts(type = "number")]
    pub version: i64,
    pub status: EntryStatus,
    pub label: String,
    pub code: String,
    pub effective_date: Option<String>,
    pub details: EntryDetails,
    pub error_reason: String,
    pub change: String,
    pub saved_at: String,
    pub saved_by: String,
}

/// What saving an entry led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum SaveOutcome {
    Saved {
        entry: Box<ChartEntry>,
    },
    /// Not saved: the safety checks found these. Save again with an
    /// `override_reason` to go ahead; the reason is audited.
    NeedsOverride {
        findings: Vec<SafetyFinding>,
    },
}

/// The safety checks for a drug, before it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DrugCheck {
    /// Whether the drug is in the offline drug list (if not, no checks ran).
    pub known: bool,
    pub generic: Option<String>,
    pub findings: Vec<SafetyFinding>,
}

/// Which record an "entered in error" or lookup concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum RecordRef {
    Entry {
        id: EntryId,
        #[ts(type = "number")]
        expected_version: i64,
    },
    Observation {
        id: ObservationId,
    },
    Note {
        id: NoteId,
    },
    Document {
        id: DocumentId,
    },
}

/// A set of vital signs as typed. Empty means not taken.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VitalsInput {
    /// Clinic-local `YYYY-MM-DDTHH:MM`.
    pub taken_at: String,
    pub systolic: String,
    pub diastolic: String,
    pub pulse: String,
    pub respiration: String,
    pub temperature: String,
    /// `F` or `C`.
    pub temperature_unit: String,
    pub spo2: String,
    pub height: String,
    /// `in` or `cm`.
    pub height_unit: String,
    pub weight: String,
    /// `lb` or `kg`.
    pub weight_unit: String,
    pub head_circumference: String,
    /// `in` or `cm`.
    pub head_circumference_unit: String,
    pub pain: String,
}

/// A lab result as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LabInput {
    pub loinc: String,
    pub value: String,
    /// `YYYY-MM-DD` or `MM/DD/YYYY`.
    pub collected_on: String,
    pub comment: String,
}

/// A vital sign's definition: its code, name, SI unit and display unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VitalDef {
    pub code: String,
    pub key: String,
    pub name: String,
    pub si_unit: String,
    /// The unit the practice reads it in.
    pub display_unit: String,
    /// Target range in display units, for plots.
    pub target_low: Option<f64>,
    pub target_high: Option<f64>,
}

/// One recorded value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ObservationView {
    pub id: ObservationId,
    pub kind: chartroom_store::model::ObservationKind,
    pub code: String,
    pub name: String,
    /// As stored (SI or the lab catalogue's unit).
    pub value: f64,
    pub unit: String,
    /// In the practice's units, formatted ("98.6").
    pub display_value: String,
    pub display_unit: String,
    pub flag: Option<LabFlag>,
    pub reference_range: String,
    pub effective_at: String,
    pub group_id: Option<ObservationId>,
    pub replaces_id: Option<ObservationId>,
    pub comment: String,
    pub status: RecordStatus,
    pub error_reason: String,
    /// When and by whom it was marked entered in error.
    pub error_at: Option<String>,
    pub error_by: String,
    pub recorded_by: String,
}

/// The values of one code over time, for a plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrendSeries {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Reference (labs) or target (vitals) range, in `unit`.
    pub range_low: Option<f64>,
    pub range_high: Option<f64>,
    /// The same range as text ("3.5–5.0 mmol/L", "≥ 60 mL/min"), empty
    /// when there is none: the UI shows it as it is.
    pub range_text: String,
    pub points: Vec<TrendPoint>,
}

/// One point of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrendPoint {
    pub at: String,
    pub value: f64,
    pub flag: Option<LabFlag>,
}

/// The sections of a SOAP note (an addendum uses `text` only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteBody {
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
    pub text: String,
}

/// A note with its addenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteView {
    pub id: NoteId,
    pub patient_id: PatientId,
    pub encounter_id: EncounterId,
    pub encounter_date: String,
    pub encounter_kind: String,
    pub reason: String,
    /// The visit's own version (its date, type and reason can be edited
    /// while the note is a draft).
    #[ts(type = "number")]
    pub encounter_version: i64,
    pub provider: String,
    pub kind: NoteKind,
    pub status: NoteStatus,
    pub body: NoteBody,
    #[ts(type = "number")]
    pub version: i64,
    pub signed_at: Option<String>,
    pub signed_by: String,
    /// The content still matches the hash taken at signing.
    pub hash_ok: bool,
    /// Whether the signer's signature verifies over the content as stored
    /// now, checked at this read.
    pub signature: SignatureCheck,
    /// [`SignatureCheck::label`], the words shown.
    pub signature_label: String,
    /// Hex SHA-256 sealed at signing.
    pub content_hash: String,
    pub error_reason: String,
    pub created_by: String,
    pub updated_at: String,
    pub addenda: Vec<NoteView>,
    /// Whether the current user may edit and sign this draft (its author,
    /// holding the clinical write permission).
    pub can_edit: bool,
}

/// A note in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteSummary {
    pub id: NoteId,
    pub encounter_date: String,
    pub encounter_kind: String,
    pub reason: String,
    pub provider: String,
    pub status: NoteStatus,
    /// The assessment's first line, or the start of the note.
    pub preview: String,
    #[ts(type = "number")]
    pub addenda: u32,
}

/// A note template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NoteTemplate {
    pub id: TemplateId,
    pub name: String,
    pub body: NoteBody,
    pub active: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// An attached document's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentView {
    pub id: DocumentId,
    pub category: String,
    pub doc_date: String,
    pub description: String,
    pub file_name: String,
    pub mime: String,
    #[ts(type = "number")]
    pub size: i64,
    pub status: RecordStatus,
    pub error_reason: String,
    /// When and by whom it was marked entered in error.
    pub error_at: Option<String>,
    pub error_by: String,
    pub added_at: String,
    pub added_by: String,
    /// Increments when its description is edited.
    #[ts(type = "number")]
    pub version: i64,
}

/// A replaced state of a visit's or a document's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordVersion {
    #[ts(type = "number")]
    pub version: i64,
    /// The fields as they were, in order: ("reason", "BP check").
    pub fields: Vec<FieldValue>,
    pub replaced_at: String,
    pub replaced_by: String,
}

/// One field of a [`RecordVersion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldValue {
    pub field: String,
    pub value: String,
}

/// Whose description history to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryRef {
    /// The visit a note belongs to.
    Visit {
        note_id: NoteId,
    },
    Document {
        id: DocumentId,
    },
}

/// A document with its content, for the viewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentContent {
    pub document: DocumentView,
    pub data_base64: String,
}

/// What the chart shows first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChartSummary {
    /// `not_asked`, `no_known_allergies` or `listed`.
    pub allergy_status: String,
    pub allergies: Vec<ChartEntry>,
    pub problems: Vec<ChartEntry>,
    pub medications: Vec<ChartEntry>,
    pub immunizations: Vec<ChartEntry>,
    pub prescriptions: Vec<ChartEntry>,
    pub last_vitals: Vec<ObservationView>,
    pub recent_labs: Vec<ObservationView>,
    pub recent_notes: Vec<NoteSummary>,
    /// Whether the vitals form offers head circumference (children under 3).
    pub measures_head_circumference: bool,
    /// Preventive care that is due (filled by a later release).
    pub care_due: Vec<String>,
}

/// Reference lists for the chart's pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferenceData {
    pub vaccines: Vec<Vaccine>,
    pub labs: Vec<LabTest>,
    pub drugs: Vec<DrugName>,
    pub vitals: Vec<VitalDef>,
    /// `us` or `metric`.
    pub units: String,
}

/// Code search results.
pub type CodeHits = Vec<CodeHit>;

/// Where a printed PDF was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintedFile {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The disclosure log of a patient.
pub type Disclosures = Vec<Disclosure>;

/// The replaced states of a record, as the history dialog shows them.
pub fn record_versions(
    rows: Vec<chartroom_store::corrections::Replaced<chartroom_store::corrections::Fields>>,
) -> Vec<RecordVersion> {
    rows.into_iter()
        .map(|h| RecordVersion {
            version: h.version,
            fields: h
                .fields
                .into_iter()
                .map(|(field, value)| FieldValue { field, value })
                .collect(),
            replaced_at: h.replaced_at.to_rfc3339(),
            replaced_by: h.replaced_by_name,
        })
        .collect()
}

/// A print queue of the computer's print service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Printer {
    pub name: String,
    pub is_default: bool,
}
