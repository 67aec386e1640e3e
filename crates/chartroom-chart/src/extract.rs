//! The chart as a released record reads it: the same views the chart's
//! screens show, read inside the caller's transaction and not audited here,
//! because the caller (records out) writes one audit record and one
//! disclosure for the whole release. Nothing here writes.

use chartroom_core::{Actor, Result};
use chartroom_store::chart as entries;
use chartroom_store::model::{EntryStatus, ObservationKind, RecordStatus, Section};
use chartroom_store::{documents as doc_store, notes as note_store, observations, Connection};
use chartroom_types::{DocumentId, NoteId, PatientId};
use chrono::NaiveDate;

use crate::measurements::{self, stored_bounds};
use crate::protocol::{
    ChartEntry, DocumentView, NoteSummary, NoteView, ObservationView, TrendSeries,
};
use crate::vitals::Units;
use crate::{chart, documents, notes};

/// The entries of one section that are not entered in error, as listed.
pub fn entries(
    conn: &Connection,
    patient_id: PatientId,
    section: Section,
    actor: &Actor,
) -> Result<Vec<ChartEntry>> {
    entries::list_entries(conn, patient_id, Some(section))?
        .into_iter()
        .filter(|r| r.data.status != EntryStatus::EnteredInError)
        .map(|r| chart::view(conn, r, actor))
        .collect()
}

/// Valid vitals or labs taken between two clinic days (both included),
/// newest first, in the practice's units.
pub fn observations(
    conn: &Connection,
    patient_id: PatientId,
    kind: ObservationKind,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    units: Units,
) -> Result<Vec<ObservationView>> {
    let (from_s, to_s) = stored_bounds(from, to);
    observations::list(conn, patient_id, kind, 5000)?
        .into_iter()
        .filter(|o| {
            o.status == RecordStatus::Final
                && o.effective_at.as_str() >= from_s.as_str()
                && o.effective_at.as_str() <= to_s.as_str()
        })
        .map(|o| measurements::view(o, units))
        .collect()
}

/// Trends of `codes` between two clinic days, as the chart plots them.
pub fn trends(
    conn: &Connection,
    patient_id: PatientId,
    codes: &[String],
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    units: Units,
) -> Result<Vec<TrendSeries>> {
    let (from_s, to_s) = stored_bounds(from, to);
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let rows = observations::trend(conn, patient_id, &code_refs, &from_s, &to_s)?;
    measurements::series(codes, &rows, units)
}

/// A patient's notes, newest first, as the notes list shows them.
pub fn note_list(conn: &Connection, patient_id: PatientId) -> Result<Vec<NoteSummary>> {
    notes::summaries(conn, patient_id, 5000)
}

/// One note with its addenda and its signature checked.
pub fn note(conn: &Connection, note_id: NoteId, actor: &Actor) -> Result<NoteView> {
    notes::view(conn, note_store::get_note(conn, note_id)?, actor)
}

/// A patient's documents, newest first.
pub fn document_list(conn: &Connection, patient_id: PatientId) -> Result<Vec<DocumentView>> {
    Ok(doc_store::list(conn, patient_id)?
        .into_iter()
        .map(documents::view)
        .collect())
}

/// One document's description and its bytes (checked against their hash).
pub fn document(conn: &Connection, id: DocumentId) -> Result<(PatientId, DocumentView, Vec<u8>)> {
    let d = doc_store::get(conn, id)?;
    let bytes = doc_store::content(conn, id)?;
    Ok((d.patient_id, documents::view(d), bytes))
}
