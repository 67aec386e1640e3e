//! Attached documents: scanned letters and outside reports, stored inside
//! the encrypted database (never as loose files), with a size limit and a
//! check that the bytes are the type they claim to be.

use base64::Engine;
use chartroom_store::corrections::{self, Fields, Replaced};
use chartroom_store::documents::{self as store, DocumentMeta, DocumentRow};
use chartroom_store::model::AuditAction;

use crate::corrections::{retract, Retracted};
use crate::protocol::{DocumentContent, DocumentView};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_types::{DocumentCategory, DocumentId, PatientId, ValueSet};

/// The largest document Chartroom stores.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

fn record_id(id: DocumentId) -> String {
    format!("document/{id}")
}

pub(crate) fn view(d: DocumentRow) -> DocumentView {
    DocumentView {
        id: d.id,
        category: d.meta.category,
        doc_date: d.meta.doc_date.to_string(),
        description: d.meta.description,
        file_name: d.meta.file_name,
        mime: d.meta.mime,
        size: d.size,
        status: d.status,
        error_reason: d.error_reason,
        error_at: d.error_at.map(|t| t.to_rfc3339()),
        error_by: d.error_by_name,
        added_at: d.created_at.to_rfc3339(),
        added_by: d.created_by_name,
        version: d.version,
    }
}

/// The type the bytes really are, from their first bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A document's category, date and description as typed: the date and
/// the tidied description, with problems recorded in `errs`.
fn meta_fields(
    errs: &mut FieldErrors,
    category: &str,
    doc_date: &str,
    description: &str,
    today: chrono::NaiveDate,
) -> (Option<chrono::NaiveDate>, String) {
    if DocumentCategory::parse(category).is_none() {
        errs.add(
            "category",
            format!("Category must be one of {}", DocumentCategory::codes_text()),
        );
    }
    let date = validate::date_not_after(
        errs,
        "doc_date",
        doc_date,
        today,
        "The document date is in the future",
    );
    let description = validate::clean(description);
    if description.is_empty() {
        errs.add(
            "description",
            "Describe the document (who sent it, what it is)",
        );
    } else if description.chars().count() > 300 {
        errs.add("description", "Description is longer than 300 characters");
    }
    (date, description)
}

/// Corrects a document's category, date and description.
pub fn update(
    ctx: &mut Ctx<'_>,
    id: DocumentId,
    expected_version: i64,
    (category, doc_date, description): (&str, &str, &str),
) -> Result<DocumentView> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let (date, description) = meta_fields(&mut errs, category, doc_date, description, ctx.today());
    errs.finish()?;
    let date = date.ok_or_else(|| Error::Internal("validated date missing".into()))?;
    let user = actor.user()?;
    ctx.write(|tx, now| {
        let d = store::update_meta(
            tx,
            id,
            expected_version,
            (category, date, &description),
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Update,
            d.patient_id,
            record_id(id),
            "document description corrected",
        )?;
        Ok(view(d))
    })
}

/// The replaced descriptions of a document, audited as a read.
pub fn history(ctx: &mut Ctx<'_>, id: DocumentId) -> Result<Vec<Replaced<Fields>>> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let d = store::get(tx, id)?;
        let rows = corrections::history(tx, &store::DOCUMENT, id)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            d.patient_id,
            record_id(id),
            "viewed document history",
        )?;
        Ok(rows)
    })
}

/// What the attach form carries.
pub struct AttachForm<'a> {
    pub file_name: &'a str,
    pub data_base64: &'a str,
    pub category: &'a str,
    pub doc_date: &'a str,
    pub description: &'a str,
}

/// Stores a document.
pub fn attach(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    f: &AttachForm<'_>,
) -> Result<DocumentView> {
    let actor = ctx.actor();
    let today = ctx.today();
    let mut errs = FieldErrors::default();
    // Base64 is 4/3 of the size: refuse before decoding anything huge.
    let bytes = if f.data_base64.len() > MAX_BYTES / 3 * 4 + 8 {
        errs.add(
            "file",
            format!("The file is larger than the {} MB limit; scan it at a lower resolution or split it", MAX_BYTES / (1024 * 1024)),
        );
        Vec::new()
    } else {
        match base64::engine::general_purpose::STANDARD.decode(f.data_base64.trim()) {
            Ok(b) if b.is_empty() => {
                errs.add("file", "The file is empty");
                b
            }
            Ok(b) if b.len() > MAX_BYTES => {
                errs.add(
                    "file",
                    format!("The file is larger than the {} MB limit; scan it at a lower resolution or split it", MAX_BYTES / (1024 * 1024)),
                );
                Vec::new()
            }
            Ok(b) => b,
            Err(_) => {
                errs.add("file", "The file could not be read");
                Vec::new()
            }
        }
    };
    let mime = if bytes.is_empty() {
        None
    } else {
        let m = sniff(&bytes);
        if m.is_none() {
            errs.add("file", "Only PDF, PNG and JPEG files can be attached");
        }
        m
    };
    let (date, description) = meta_fields(&mut errs, f.category, f.doc_date, f.description, today);
    let file_name: String = f
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    errs.finish()?;
    let (Some(mime), Some(date)) = (mime, date) else {
        return Err(Error::Internal("validated document incomplete".into()));
    };
    let user = actor.user()?;
    let meta = DocumentMeta {
        category: f.category.to_string(),
        doc_date: date,
        description,
        file_name: if file_name.is_empty() {
            "document".into()
        } else {
            file_name
        },
        mime: mime.to_string(),
    };
    ctx.write(|tx, now| {
        let id = store::insert(tx, patient_id, &meta, &bytes, now, user)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Create,
            patient_id,
            record_id(id),
            format!(
                "document attached: {} ({} bytes)",
                meta.category,
                bytes.len()
            ),
        )?;
        Ok(view(store::get(tx, id)?))
    })
}

/// A patient's documents.
pub fn list(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<Vec<DocumentView>> {
    ctx.read_audited(patient_id, ("documents", "listed documents"), |tx| {
        Ok(store::list(tx, patient_id)?.into_iter().map(view).collect())
    })
}

/// A document's content, for the viewer.
pub fn get(ctx: &mut Ctx<'_>, id: DocumentId) -> Result<DocumentContent> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let d = store::get(tx, id)?;
        let bytes = store::content(tx, id)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            d.patient_id,
            record_id(id),
            "viewed document",
        )?;
        Ok(DocumentContent {
            document: view(d),
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    })
}

/// Retracts a document (filed to the wrong chart, ...).
pub fn mark_in_error(ctx: &mut Ctx<'_>, id: DocumentId, reason: &str) -> Result<DocumentView> {
    retract(ctx, reason, |r| {
        let d = r.mark(&store::DOCUMENT, (id, None), store::get, |d| {
            Retracted::of(d.patient_id, record_id(id), "document")
        })?;
        Ok(view(d))
    })
}
