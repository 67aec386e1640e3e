//! Printed sheets that list patients: a calendar's day sheet, reminder
//! letters, statements and claims. Each is drawn with `chartroom_pdf`'s
//! document layer under the practice's letterhead, then saved to the
//! export folder ([`crate::printing::publish`]) or printed through the
//! computer's print service ([`crate::printer`]). Each patient on a sheet
//! is a disclosure (to whom and for what purpose the caller says), with
//! one audit record for the sheet, in the transaction that publishes or
//! prints the file: a sheet out of the practice always has its record.

use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_pdf::{Block, FlowDoc, Footer, Paper};
use chartroom_store::disclosures::{self, NewDisclosure};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{audit, users, Tx};
use chartroom_types::{DisclosurePurpose, PacketKind, PatientId, RecordSection, ReleaseMethod};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{letterhead, prescriptions, printer, printing};

/// How a sheet leaves: saved to the export folder, or printed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SheetOutput {
    pub method: ReleaseMethod,
    /// A print queue; empty for the default one.
    pub printer: String,
}

/// What was printed or saved.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SheetDone {
    pub method: ReleaseMethod,
    /// The saved file's path, when saved.
    pub path: Option<String>,
    /// The print job, when printed.
    pub job: Option<String>,
    #[ts(type = "number")]
    pub pages: u32,
    /// Patients on it (each a disclosure).
    #[ts(type = "number")]
    pub patients: u32,
}

/// One patient on a sheet: who, and the record it shows of them (e.g.
/// `appointment/12`).
pub struct Listed {
    pub patient: PatientId,
    pub what: String,
}

/// What a sheet is, for its disclosures and its audit record.
pub struct SheetKind<'a> {
    /// The file's name without `.pdf` (no patient data: folders list it).
    pub stem: &'a str,
    /// The print job's title.
    pub title: &'a str,
    pub kind: PacketKind,
    /// To whom, as the accounting of disclosures shows it.
    pub recipient: &'a str,
    pub purpose: DisclosurePurpose,
    /// e.g. "day sheet", "statement".
    pub description: &'a str,
    /// What of the record it shows.
    pub sections: &'a [RecordSection],
    /// The audit record's category.
    pub category: DataCategory,
}

/// Adds an error to `field` when `text` holds a character the printed font
/// cannot show (it would print as an empty box).
pub fn printable(errs: &mut FieldErrors, field: &str, text: &str) {
    if let Some(c) = chartroom_pdf::unprintable(text) {
        errs.add(
            field,
            format!(
                "\"{c}\" (U+{:04X}) cannot be printed; remove or replace it",
                u32::from(c)
            ),
        );
    }
}

/// [`validate::short_text`] for text that will be printed (on a statement,
/// a receipt, a report, a claim): also refused when it cannot be printed.
pub fn printed_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = validate::short_text(errs, field, label, value, max);
    printable(errs, field, &v);
    v
}

/// The name of the user printing, as the footer shows it.
pub fn printed_by(ctx: &Ctx<'_>) -> Result<String> {
    let actor = ctx.actor();
    Ok(match actor.user_id {
        Some(u) => users::get(ctx.read(), u)?.full_name,
        None => actor.username.clone(),
    })
}

/// A letter-size document under the letterhead, with "Printed by ... on
/// ..." in its footer.
pub fn doc(ctx: &Ctx<'_>, title: &str, blocks: Vec<Block>) -> Result<FlowDoc> {
    let now = ctx.now();
    Ok(FlowDoc {
        paper: Paper::Letter,
        title: title.into(),
        author: ctx.env().practice_name.clone(),
        created_unix: now.timestamp(),
        letterhead: Some(letterhead::header(ctx.read(), &ctx.env().practice_name)?),
        window_address: None,
        footer: Footer {
            patient: String::new(),
            printed: format!(
                "Printed by {} on {}",
                printed_by(ctx)?,
                now.with_timezone(&ctx.zone()).format("%m/%d/%Y %H:%M")
            ),
        },
        blocks,
    })
}

/// Publishes or prints `pdf` and records, in the same transaction, a
/// disclosure for each patient listed, one audit record for the sheet,
/// and whatever `also` writes (a statement's history, a claim's status).
pub fn release(
    ctx: &mut Ctx<'_>,
    out: &SheetOutput,
    sheet: &SheetKind<'_>,
    pdf: &[u8],
    listed: &[Listed],
    also: impl Fn(&Tx<'_>, DateTime<Utc>, ReleaseMethod, &[u8; 32]) -> Result<()>,
) -> Result<SheetDone> {
    let pages = chartroom_pdf::raster::page_count(pdf)
        .map_err(|e| Error::Internal(format!("the sheet could not be read back: {e}")))?;
    let digest: [u8; 32] = Sha256::digest(pdf).into();
    let actor = ctx.actor();
    let user = actor.user()?;
    let record =
        |tx: &Tx<'_>, now: DateTime<Utc>, method: ReleaseMethod, file_name: &str| -> Result<()> {
            for l in listed {
                disclosures::insert(
                    tx,
                    &NewDisclosure {
                        patient_id: l.patient,
                        kind: sheet.kind,
                        record_id: &l.what,
                        recipient: sheet.recipient,
                        recipient_address: "",
                        purpose: sheet.purpose,
                        purpose_detail: "",
                        description: sheet.description,
                        sections: sheet.sections,
                        dates: (None, None),
                        page_count: i64::try_from(pages).unwrap_or(1).max(1),
                        method,
                        file_name,
                        sha256: &digest,
                    },
                    now,
                    user,
                )?;
            }
            audit::append(
                tx,
                now,
                &actor.event(
                    if method == ReleaseMethod::Printed {
                        AuditAction::Print
                    } else {
                        AuditAction::Export
                    },
                    sheet.category,
                    None,
                    sheet.stem.to_string(),
                    format!(
                        "{}: {} patient(s), {pages} page(s)",
                        sheet.description,
                        listed.len()
                    ),
                ),
            )?;
            also(tx, now, method, &digest)
        };
    let patients = u32::try_from(listed.len()).unwrap_or(u32::MAX);
    let pages = u32::try_from(pages).unwrap_or(u32::MAX);
    match out.method {
        ReleaseMethod::Saved => {
            let dir = prescriptions::export_dir(ctx)?;
            let file = printing::publish(ctx, &dir, sheet.stem, pdf, |tx, now, name| {
                record(tx, now, ReleaseMethod::Saved, name)
            })?;
            Ok(SheetDone {
                method: ReleaseMethod::Saved,
                path: Some(file.path),
                job: None,
                pages,
                patients,
            })
        }
        ReleaseMethod::Printed => {
            let mut queued: Option<String> = None;
            let written = ctx.write(|tx, now| {
                record(tx, now, ReleaseMethod::Printed, "")?;
                queued = Some(printer::submit(
                    out.printer.trim(),
                    sheet.title,
                    "Letter",
                    pdf,
                )?);
                Ok(())
            });
            if let Err(e) = written {
                if let Some(job) = &queued {
                    printer::cancel(job);
                }
                return Err(e);
            }
            Ok(SheetDone {
                method: ReleaseMethod::Printed,
                path: None,
                job: queued,
                pages,
                patients,
            })
        }
    }
}
