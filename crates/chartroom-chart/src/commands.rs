//! The chart's commands, each declared once: its fields, the one answer it
//! returns, the guard it needs and the patient it concerns, next to the
//! handler it runs. The API crate lists them in its registry.

use chartroom_codes::CodeHit;
use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Secret, Subject};
use chartroom_store::disclosures::Disclosure;
use chartroom_store::model::{ObservationKind, Section};
use chartroom_types::{DocumentId, EntryId, NoteId, ObservationId, PatientId, TemplateId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::protocol::*;
use crate::{chart, documents, measurements, notes, prescriptions, reference};

/// The chart's first screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetChartSummary {
    pub patient_id: PatientId,
}

impl Command for GetChartSummary {
    type Answer = ChartSummary;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for GetChartSummary {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::summary(ctx, self.patient_id)
    }
}

/// Every entry of one section, entered-in-error ones included.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListEntries {
    pub patient_id: PatientId,
    pub section: Section,
}

impl Command for ListEntries {
    type Answer = Vec<ChartEntry>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListEntries {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::list(ctx, self.patient_id, self.section)
    }
}

/// Adds (`entry_id` null) or edits an entry. Medications, allergies and
/// prescriptions run the safety checks; with findings the answer is
/// `needs_override` unless `override_reason` is given.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveEntry {
    pub patient_id: PatientId,
    pub entry_id: Option<EntryId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub entry: EntryInput,
    pub override_reason: Option<String>,
}

impl Command for SaveEntry {
    type Answer = SaveOutcome;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for SaveEntry {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::save(
            ctx,
            self.patient_id,
            self.entry_id,
            self.expected_version,
            &self.entry,
            self.override_reason.as_deref(),
        )
    }
}

/// "Still taking?" for a medication: yes keeps it active, no stops it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReconcileMedication {
    pub entry_id: EntryId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub still_taking: bool,
    pub note: String,
}

impl Command for ReconcileMedication {
    type Answer = ChartEntry;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Entry(self.entry_id)
    }
}

impl Handler for ReconcileMedication {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::reconcile(
            ctx,
            self.entry_id,
            self.expected_version,
            self.still_taking,
            &self.note,
        )
    }
}

/// Every saved state of an entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntryHistory {
    pub entry_id: EntryId,
}

impl Command for EntryHistory {
    type Answer = Vec<EntryVersionView>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Entry(self.entry_id)
    }
}

impl Handler for EntryHistory {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::history(ctx, self.entry_id)
    }
}

/// Retracts a chart entry with a reason; it stays readable.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarkEntryInError {
    pub entry_id: EntryId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
}

impl Command for MarkEntryInError {
    type Answer = ChartEntry;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Entry(self.entry_id)
    }
}

impl Handler for MarkEntryInError {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::mark_in_error(ctx, self.entry_id, self.expected_version, &self.reason)
    }
}

/// Retracts a vital sign or lab value with a reason; it stays readable.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarkObservationInError {
    pub observation_id: ObservationId,
    pub reason: String,
}

impl Command for MarkObservationInError {
    type Answer = ObservationView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Observation(self.observation_id)
    }
}

impl Handler for MarkObservationInError {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::mark_in_error(ctx, self.observation_id, &self.reason)
    }
}

/// Retracts several values of one patient (a vitals set, or part of it)
/// with one reason, in one transaction.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarkObservationsInError {
    pub observation_ids: Vec<ObservationId>,
    pub reason: String,
}

impl Command for MarkObservationsInError {
    type Answer = Vec<ObservationView>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        match self.observation_ids.first() {
            Some(id) => Subject::Observation(*id),
            None => Subject::None,
        }
    }
}

impl Handler for MarkObservationsInError {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::mark_all_in_error(ctx, &self.observation_ids, &self.reason)
    }
}

/// Retracts a note with a reason; it stays readable, with its hash check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarkNoteInError {
    pub note_id: NoteId,
    pub reason: String,
}

impl Command for MarkNoteInError {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for MarkNoteInError {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::mark_in_error(ctx, self.note_id, &self.reason)
    }
}

/// Retracts a document with a reason; it stays readable.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarkDocumentInError {
    pub document_id: DocumentId,
    pub reason: String,
}

impl Command for MarkDocumentInError {
    type Answer = DocumentView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Document(self.document_id)
    }
}

impl Handler for MarkDocumentInError {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::mark_in_error(ctx, self.document_id, &self.reason)
    }
}

/// ICD-10-CM search for the problem list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchCodes {
    pub query: String,
    #[ts(type = "number")]
    pub limit: u32,
}

impl Command for SearchCodes {
    type Answer = Vec<CodeHit>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SearchCodes {
    fn run(self, _ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        Ok(reference::get()?
            .icd10
            .search(&self.query, self.limit.clamp(1, 100) as usize))
    }
}

/// Pickers' lists: vaccines, lab tests, drug names, vital signs.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetReferenceData {}

impl Command for GetReferenceData {
    type Answer = ReferenceData;
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetReferenceData {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        reference::data(ctx)
    }
}

/// Runs the allergy and interaction checks for a drug.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckDrug {
    pub patient_id: PatientId,
    pub drug: String,
}

impl Command for CheckDrug {
    type Answer = DrugCheck;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for CheckDrug {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::check_drug(ctx, self.patient_id, &self.drug)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordVitals {
    pub patient_id: PatientId,
    pub vitals: VitalsInput,
}

impl Command for RecordVitals {
    type Answer = Vec<ObservationView>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for RecordVitals {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::record_vitals(ctx, self.patient_id, &self.vitals)
    }
}

/// Records a lab result; with `replaces`, corrects an earlier one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordLab {
    pub patient_id: PatientId,
    pub lab: LabInput,
    pub replaces: Option<ObservationId>,
}

impl Command for RecordLab {
    type Answer = ObservationView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for RecordLab {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::record_lab(ctx, self.patient_id, &self.lab, self.replaces)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListObservations {
    pub patient_id: PatientId,
    pub kind: ObservationKind,
}

impl Command for ListObservations {
    type Answer = Vec<ObservationView>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListObservations {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::list(ctx, self.patient_id, self.kind)
    }
}

/// Values of some codes over time (one query), with their ranges.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Trend {
    pub patient_id: PatientId,
    pub codes: Vec<String>,
    /// `YYYY-MM-DD`; empty for no bound.
    pub from: String,
    pub to: String,
}

impl Command for Trend {
    type Answer = Vec<TrendSeries>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for Trend {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        measurements::trend(ctx, self.patient_id, &self.codes, &self.from, &self.to)
    }
}

/// Opens a visit and its draft note, from a template if given.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StartEncounter {
    pub patient_id: PatientId,
    pub date: String,
    pub kind: String,
    pub reason: String,
    pub template_id: Option<TemplateId>,
}

impl Command for StartEncounter {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for StartEncounter {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::start_encounter(
            ctx,
            self.patient_id,
            &self.date,
            &self.kind,
            &self.reason,
            self.template_id,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListNotes {
    pub patient_id: PatientId,
}

impl Command for ListNotes {
    type Answer = Vec<NoteSummary>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListNotes {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::list(ctx, self.patient_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetNote {
    pub note_id: NoteId,
}

impl Command for GetNote {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for GetNote {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::get(ctx, self.note_id)
    }
}

/// Autosave of a draft.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveNoteDraft {
    pub note_id: NoteId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub body: NoteBody,
}

impl Command for SaveNoteDraft {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for SaveNoteDraft {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::save_draft(ctx, self.note_id, self.expected_version, &self.body)
    }
}

/// Signs and locks a draft; the password is asked again.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignNote {
    pub note_id: NoteId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub password: Secret,
}

impl Command for SignNote {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for SignNote {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::sign(ctx, self.note_id, self.expected_version, &self.password)
    }
}

/// Adds a signed addendum to a signed note.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddAddendum {
    pub note_id: NoteId,
    pub text: String,
    pub password: Secret,
}

impl Command for AddAddendum {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for AddAddendum {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::addendum(ctx, self.note_id, &self.text, &self.password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListTemplates {}

impl Command for ListTemplates {
    type Answer = Vec<NoteTemplate>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListTemplates {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::templates(ctx)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveTemplate {
    pub template_id: Option<TemplateId>,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub name: String,
    pub body: NoteBody,
    pub active: bool,
}

impl Command for SaveTemplate {
    type Answer = Vec<NoteTemplate>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SaveTemplate {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::save_template(
            ctx,
            self.template_id,
            self.expected_version,
            &self.name,
            &self.body,
            self.active,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttachDocument {
    pub patient_id: PatientId,
    pub file_name: String,
    pub mime: String,
    pub data_base64: String,
    pub category: String,
    pub doc_date: String,
    pub description: String,
}

impl Command for AttachDocument {
    type Answer = DocumentView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for AttachDocument {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::attach(
            ctx,
            self.patient_id,
            &documents::AttachForm {
                file_name: &self.file_name,
                data_base64: &self.data_base64,
                category: &self.category,
                doc_date: &self.doc_date,
                description: &self.description,
            },
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListDocuments {
    pub patient_id: PatientId,
}

impl Command for ListDocuments {
    type Answer = Vec<DocumentView>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListDocuments {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::list(ctx, self.patient_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetDocument {
    pub document_id: DocumentId,
}

impl Command for GetDocument {
    type Answer = DocumentContent;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Document(self.document_id)
    }
}

impl Handler for GetDocument {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::get(ctx, self.document_id)
    }
}

/// Prints a prescription to a PDF in the practice's export folder; the
/// print is recorded as a disclosure.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintPrescription {
    pub entry_id: EntryId,
}

impl Command for PrintPrescription {
    type Answer = PrintedFile;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Entry(self.entry_id)
    }
}

impl Handler for PrintPrescription {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        prescriptions::print(ctx, self.entry_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListDisclosures {
    pub patient_id: PatientId,
}

impl Command for ListDisclosures {
    type Answer = Vec<Disclosure>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for ListDisclosures {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        chart::disclosures(ctx, self.patient_id)
    }
}

/// Corrects a visit's date, type or reason while its note is a draft
/// (after signing, an addendum says what was wrong).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateVisit {
    pub note_id: NoteId,
    /// The visit's version (`NoteView.encounter_version`).
    #[ts(type = "number")]
    pub expected_version: i64,
    pub date: String,
    pub kind: String,
    pub reason: String,
}

impl Command for UpdateVisit {
    type Answer = NoteView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for UpdateVisit {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::update_visit(
            ctx,
            self.note_id,
            self.expected_version,
            (&self.date, &self.kind, &self.reason),
        )
    }
}

/// Corrects a document's category, date or description.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateDocument {
    pub document_id: DocumentId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub category: String,
    pub doc_date: String,
    pub description: String,
}

impl Command for UpdateDocument {
    type Answer = DocumentView;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalWrite);
    fn subject(&self) -> Subject {
        Subject::Document(self.document_id)
    }
}

impl Handler for UpdateDocument {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::update(
            ctx,
            self.document_id,
            self.expected_version,
            (&self.category, &self.doc_date, &self.description),
        )
    }
}

/// The replaced states of a visit (date, type, reason), oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VisitHistory {
    pub note_id: NoteId,
}

impl Command for VisitHistory {
    type Answer = Vec<RecordVersion>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Note(self.note_id)
    }
}

impl Handler for VisitHistory {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        notes::visit_history(ctx, self.note_id).map(record_versions)
    }
}

/// The replaced states of a document's description, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentHistory {
    pub document_id: DocumentId,
}

impl Command for DocumentHistory {
    type Answer = Vec<RecordVersion>;
    const GUARD: Guard = Guard::Needs(Permission::ClinicalRead);
    fn subject(&self) -> Subject {
        Subject::Document(self.document_id)
    }
}

impl Handler for DocumentHistory {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        documents::history(ctx, self.document_id).map(record_versions)
    }
}
