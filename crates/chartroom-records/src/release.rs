//! Releasing a record: the preview, the print or the saved file, and the
//! disclosure log each leaves behind.
//!
//! Invariants:
//! - the preview is a page of the PDF that would be released, drawn from
//!   its bytes; previewing is audited (a read) and is not a disclosure;
//! - a saved file gets its final name only after its disclosure and audit
//!   record are committed (`chartroom_chart::printing::publish`), and never
//!   inside the data folder; an existing file is never replaced;
//! - a print job is handed to the print service inside the transaction
//!   that records it, and withdrawn if that transaction then fails;
//!   nothing is written to disk for it;
//! - the accounting a patient receives lists the disclosures of the last
//!   six years except those for treatment, payment and operations and
//!   those to the patient (45 CFR 164.528(a)(1)); the screen shows both,
//!   marked.

use chartroom_core::Clock as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chartroom_chart::{letterhead, measurements, prescriptions, printing};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_pdf::{Block, Column, FlowDoc, Footer, Paper};
use chartroom_store::disclosures::{self, Disclosure, LogFilter, LogOrder, NewDisclosure};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{audit, patients, referrals as provider_store, users, Connection, Tx};
use chartroom_types::{
    DisclosureId, DisclosurePurpose, PacketKind, PatientId, RecordSection, ReleaseMethod,
};
use chrono::{DateTime, Months, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::compose::{self, Checked, Context};
use crate::protocol::{
    Accounting, DisclosureQuery, PaperSize, Recipient, RecordPreview, RecordRequest, ReleaseOutput,
    Released,
};
use chartroom_chart::printer;

/// How finely the preview draws a page (the screen shows it at about
/// this size; the file itself is vectors).
pub const PREVIEW_DPI: f32 = 96.0;

/// The clinic's wall-clock time of `now`, `MM/DD/YYYY HH:MM`.
fn clinic_time(ctx: &Ctx<'_>, now: DateTime<Utc>) -> String {
    let today = ctx.today();
    let since_midnight = now - ctx.clock().day_start(today);
    let minutes = since_midnight.num_minutes().clamp(0, 24 * 60 - 1);
    format!(
        "{} {:02}:{:02}",
        today.format("%m/%d/%Y"),
        minutes / 60,
        minutes % 60
    )
}

/// The patient as the recipient of their own record: their name and
/// registered address.
fn the_patient(p: &chartroom_store::model::Patient) -> Recipient {
    let f = &p.fields;
    Recipient {
        provider_id: None,
        name: format!("{} {}", f.given_name, f.family_name),
        address: [
            f.address_line1.clone(),
            f.address_line2.clone(),
            format!("{}, {} {}", f.city, f.region, f.postal_code),
        ]
        .into_iter()
        .filter(|l| !l.trim().trim_matches(',').trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n"),
    }
}

/// The recipient as printed and logged: from the address book when one is
/// chosen, the patient for their own copy when left blank.
fn resolve_recipient(conn: &Connection, c: &Checked, r: &Recipient) -> Result<Recipient> {
    if let Some(id) = r.provider_id {
        let p = provider_store::get(conn, id)?;
        if !p.fields.active {
            return Err(Error::field(
                "recipient.provider_id",
                format!("{} is no longer active in the address book", p.fields.name),
            ));
        }
        let mut address = Vec::new();
        if !p.fields.practice.is_empty() {
            address.push(p.fields.practice.clone());
        }
        address.extend(p.fields.address.lines().map(str::to_string));
        return Ok(Recipient {
            provider_id: Some(id),
            name: p.fields.name,
            address: address.join("\n"),
        });
    }
    if c.request.kind == PacketKind::PatientCopy && r.name.trim().is_empty() {
        return Ok(the_patient(&patients::get(conn, c.request.patient_id)?));
    }
    Ok(Recipient {
        provider_id: None,
        name: validate::clean(&r.name),
        address: validate::clean_lines(&r.address).join("\n"),
    })
}

/// A recipient's name (120 characters at most) and address (six lines of
/// 60 at most), printable.
fn check_recipient(r: &Recipient) -> Result<()> {
    let mut errs = FieldErrors::default();
    validate::short_text(
        &mut errs,
        "recipient.name",
        "The recipient's name",
        &r.name,
        120,
    );
    compose::printable(&mut errs, "recipient.name", &r.name);
    let lines: Vec<&str> = r.address.lines().collect();
    if lines.len() > 6 || lines.iter().any(|l| l.chars().count() > 60) {
        errs.add(
            "recipient.address",
            "An address is at most six lines of 60 characters",
        );
    }
    if r.address.chars().any(|c| c.is_control() && c != '\n') {
        errs.add(
            "recipient.address",
            "The address cannot contain control characters",
        );
    }
    compose::printable(&mut errs, "recipient.address", &r.address);
    errs.finish()
}

/// A record drawn: its request checked, its recipient, its bytes.
struct Built {
    checked: Checked,
    recipient: Recipient,
    pdf: Vec<u8>,
    pages: u32,
}

fn build(ctx: &mut Ctx<'_>, req: &RecordRequest, recipient: &Recipient) -> Result<Built> {
    let checked = compose::check(req)?;
    let units = measurements::units(ctx)?;
    let (actor, today, now) = (ctx.actor(), ctx.today(), ctx.now());
    let printed_at = clinic_time(ctx, now);
    let practice_name = ctx.env().practice_name.clone();
    let conn = ctx.read();
    let recipient = resolve_recipient(conn, &checked, recipient)?;
    check_recipient(&recipient)?;
    if req.kind == PacketKind::Referral && compose::address_lines(&recipient).len() < 2 {
        return Err(Error::field(
            "recipient.address",
            "A referral letter needs the recipient's name and address for the envelope window",
        ));
    }
    let doc = compose::compose(
        conn,
        &checked,
        &Context {
            practice: letterhead::header(conn, &practice_name)?,
            recipient: &recipient,
            actor,
            units,
            today,
            now,
            printed_at,
        },
    )?;
    let pdf = render(&doc)?;
    let pages = chartroom_pdf::raster::page_count(&pdf).map_err(pdf_err)? as u32;
    Ok(Built {
        checked,
        recipient,
        pdf,
        pages,
    })
}

fn pdf_err(e: chartroom_pdf::PdfError) -> Error {
    match e {
        chartroom_pdf::PdfError::UnsupportedCharacter { codepoint } => Error::field(
            "sections",
            format!(
                "The chosen sections hold a character (U+{codepoint:04X}) the printed font \
                 cannot show; correct the entry that holds it, or leave its section out"
            ),
        ),
        chartroom_pdf::PdfError::InvalidField { field, reason } => {
            let field = match field {
                "recipient_address" => "recipient.address",
                other => other,
            };
            Error::field(field, format!("This cannot be printed: it {reason}"))
        }
        other => Error::Internal(format!("the record could not be drawn: {other}")),
    }
}

fn render(doc: &FlowDoc) -> Result<Vec<u8>> {
    chartroom_pdf::render_flow(doc).map_err(pdf_err)
}

/// Where the UI offers to save a record: the export folder, a name with
/// the kind, the MRN and the day.
fn suggested_path(ctx: &mut Ctx<'_>, kind: PacketKind, patient_id: PatientId) -> Result<String> {
    let dir = prescriptions::export_dir(ctx)?;
    let mrn = patients::get(ctx.read(), patient_id)?.mrn;
    Ok(dir
        .join(format!(
            "{}-{mrn}-{}.pdf",
            kind.as_str().replace('_', "-"),
            ctx.today().format("%Y%m%d")
        ))
        .display()
        .to_string())
}

/// Page `page` (from 1) of the record as it would be released.
pub fn preview(
    ctx: &mut Ctx<'_>,
    req: &RecordRequest,
    recipient: &Recipient,
    page: u32,
) -> Result<RecordPreview> {
    let b = build(ctx, req, recipient)?;
    let page = page.clamp(1, b.pages);
    let (png, w, h) =
        chartroom_pdf::raster::page_png(&b.pdf, page as usize - 1, PREVIEW_DPI).map_err(pdf_err)?;
    let actor = ctx.actor();
    let detail = format!(
        "previewed {} ({} pages)",
        req.kind.label().to_lowercase(),
        b.pages
    );
    ctx.write(|tx, now| {
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            req.patient_id,
            format!("patient/{}", req.patient_id),
            detail,
        )
    })?;
    Ok(RecordPreview {
        page_count: b.pages,
        page,
        png_base64: base64::engine::general_purpose::STANDARD.encode(png),
        width_px: w,
        height_px: h,
        suggested_path: suggested_path(ctx, req.kind, req.patient_id)?,
    })
}

/// Checks a chosen file: a full path, a folder that exists, outside the
/// data folder; returns the folder and the name without `.pdf`.
fn save_target(ctx: &Ctx<'_>, path: &str) -> Result<(PathBuf, String)> {
    let field = "output.path";
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::field(field, "Choose where to save the PDF"));
    }
    let p = Path::new(path);
    if !p.is_absolute() {
        return Err(Error::field(field, "Give the full path of the file"));
    }
    let (Some(dir), Some(name)) = (p.parent(), p.file_name()) else {
        return Err(Error::field(field, "Give a file name, not only a folder"));
    };
    let name = name.to_string_lossy();
    let stem = name
        .strip_suffix(".pdf")
        .or_else(|| name.strip_suffix(".PDF"))
        .unwrap_or(&name)
        .to_string();
    if stem.is_empty() || stem.starts_with('.') || stem.chars().any(|c| c.is_control()) {
        return Err(Error::field(
            field,
            "Give the file a name that does not start with a dot",
        ));
    }
    let dir = dir.canonicalize().map_err(|_| {
        Error::field(
            field,
            format!("The folder {} does not exist", dir.display()),
        )
    })?;
    if !dir.is_dir() {
        return Err(Error::field(
            field,
            format!("{} is not a folder", dir.display()),
        ));
    }
    let data = ctx
        .env()
        .data_dir
        .canonicalize()
        .unwrap_or(ctx.env().data_dir.clone());
    if dir.starts_with(&data) {
        return Err(Error::field(
            field,
            "A record cannot be saved in Chartroom's data folder; choose another folder",
        ));
    }
    Ok((dir, stem))
}

/// What the disclosure log says was sent.
fn description(b: &Built) -> String {
    let sections = b
        .checked
        .sections
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{}: {sections}; {} page{}",
        b.checked.request.kind.label(),
        b.pages,
        if b.pages == 1 { "" } else { "s" }
    )
}

/// The purpose given, checked against the kind of record.
fn purpose_of(
    kind: PacketKind,
    purpose: DisclosurePurpose,
    detail: &str,
) -> Result<(DisclosurePurpose, String)> {
    let detail = validate::clean(detail);
    let mut errs = FieldErrors::default();
    let purpose = match kind {
        // A copy for the patient is always at their request.
        PacketKind::PatientCopy | PacketKind::Accounting => DisclosurePurpose::PatientRequest,
        _ => purpose,
    };
    if purpose == DisclosurePurpose::Other && detail.is_empty() {
        errs.add("purpose_detail", "Say what the disclosure is for");
    }
    compose::printable(&mut errs, "purpose_detail", &detail);
    if detail.chars().count() > 300 {
        errs.add(
            "purpose_detail",
            "The purpose is longer than 300 characters",
        );
    }
    errs.finish()?;
    Ok((purpose, detail))
}

/// A document that leaves the practice, and what its log entry says.
struct Outgoing<'a> {
    patient_id: PatientId,
    kind: PacketKind,
    recipient: &'a Recipient,
    purpose: (DisclosurePurpose, String),
    description: String,
    sections: &'a [RecordSection],
    dates: (Option<NaiveDate>, Option<NaiveDate>),
    pdf: &'a [u8],
    pages: u32,
    paper: PaperSize,
}

/// Prints or saves `o` and records it; the one path of every release.
fn send(ctx: &mut Ctx<'_>, o: &Outgoing<'_>, output: &ReleaseOutput) -> Result<Released> {
    let mut errs = FieldErrors::default();
    if o.recipient.name.is_empty() {
        errs.add("recipient.name", "Say who receives the record");
    }
    compose::printable(&mut errs, "recipient.name", &o.recipient.name);
    compose::printable(&mut errs, "recipient.address", &o.recipient.address);
    // What is made for the patient may be handed to them in person.
    let to_patient = matches!(o.kind, PacketKind::PatientCopy | PacketKind::Accounting);
    if o.recipient.address.is_empty() && !to_patient {
        errs.add(
            "recipient.address",
            "Give the recipient's address (the accounting of disclosures needs it)",
        );
    }
    errs.finish()?;
    let actor = ctx.actor();
    let user = actor.user()?;
    let hash: [u8; 32] = Sha256::digest(o.pdf).into();
    let record = |tx: &Tx<'_>, now: DateTime<Utc>, method: ReleaseMethod, file_name: &str| {
        let id = disclosures::insert(
            tx,
            &NewDisclosure {
                patient_id: o.patient_id,
                kind: o.kind,
                record_id: &format!("patient/{}", o.patient_id),
                recipient: &o.recipient.name,
                recipient_address: &o.recipient.address,
                purpose: o.purpose.0,
                purpose_detail: &o.purpose.1,
                description: &o.description,
                sections: o.sections,
                dates: o.dates,
                page_count: i64::from(o.pages),
                method,
                file_name,
                sha256: &hash,
            },
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            if method == ReleaseMethod::Printed {
                AuditAction::Print
            } else {
                AuditAction::Export
            },
            o.patient_id,
            format!("disclosure/{id}"),
            format!(
                "{} to {} for {} ({} pages, sha256 {})",
                o.kind.label().to_lowercase(),
                o.recipient.name,
                o.purpose.0.label().to_lowercase(),
                o.pages,
                hex::encode(hash)
            ),
        )?;
        Ok::<DisclosureId, Error>(id)
    };
    let (id, path, job) = match output.method {
        ReleaseMethod::Saved => {
            let (dir, stem) = save_target(ctx, &output.path)?;
            let mut id = None;
            let file = printing::publish(ctx, &dir, &stem, o.pdf, |tx, now, file_name| {
                id = Some(record(tx, now, ReleaseMethod::Saved, file_name)?);
                Ok(())
            })?;
            let id = id.ok_or_else(|| Error::Internal("the disclosure was not recorded".into()))?;
            (id, Some(file.path), None)
        }
        ReleaseMethod::Printed => {
            let printer_name = output.printer.trim().to_string();
            let media = match o.paper {
                PaperSize::Letter => "Letter",
                PaperSize::A4 => "A4",
            };
            let mut queued: Option<String> = None;
            let title = format!("Chartroom {}", o.kind.label().to_lowercase());
            let written = ctx.write(|tx, now| {
                let id = record(tx, now, ReleaseMethod::Printed, "")?;
                queued = Some(printer::submit(&printer_name, &title, media, o.pdf)?);
                Ok(id)
            });
            match written {
                Ok(id) => (id, None, queued),
                Err(e) => {
                    if let Some(job) = &queued {
                        printer::cancel(job);
                    }
                    return Err(e);
                }
            }
        }
    };
    let disclosure = disclosures::of_patient(ctx.read(), o.patient_id, DateTime::<Utc>::MIN_UTC)?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Error::Internal("the disclosure just recorded was not found".into()))?;
    Ok(Released {
        disclosure,
        path,
        print_job: job,
    })
}

/// Prints or saves a record and logs the disclosure.
pub fn release(
    ctx: &mut Ctx<'_>,
    req: &RecordRequest,
    recipient: &Recipient,
    (purpose, detail): (DisclosurePurpose, &str),
    output: &ReleaseOutput,
) -> Result<Released> {
    let purpose = purpose_of(req.kind, purpose, detail)?;
    let b = build(ctx, req, recipient)?;
    send(
        ctx,
        &Outgoing {
            patient_id: req.patient_id,
            kind: req.kind,
            recipient: &b.recipient,
            purpose,
            description: description(&b),
            sections: &b.checked.sections,
            dates: (b.checked.from, b.checked.to),
            pdf: &b.pdf,
            pages: b.pages,
            paper: req.paper,
        },
        output,
    )
}

/// The first clinic day an accounting covers: six years before today.
fn six_years_before(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(72))
        .unwrap_or(NaiveDate::MIN)
}

/// A patient's disclosures of the last six years, each marked whether it
/// belongs in their accounting; audited.
pub fn accounting(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<Accounting> {
    let since = six_years_before(ctx.today());
    let since_at = ctx.clock().day_start(since);
    let rows = ctx.read_audited(
        patient_id,
        ("disclosures", "viewed the accounting of disclosures"),
        |tx| Ok(disclosures::of_patient(tx, patient_id, since_at)?),
    )?;
    let p = patients::get(ctx.read(), patient_id)?;
    Ok(Accounting {
        patient_id,
        patient_name: format!("{}, {}", p.fields.family_name, p.fields.given_name),
        since: since.to_string(),
        accountable: rows.iter().filter(|d| d.accountable).count() as u32,
        disclosures: rows,
    })
}

/// The accounting of disclosures as a PDF for the patient, printed or
/// saved (itself a disclosure to the patient, at their request).
pub fn release_accounting(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    output: &ReleaseOutput,
) -> Result<Released> {
    let acc = accounting(ctx, patient_id)?;
    let today = ctx.today();
    let now = ctx.now();
    let printed_at = clinic_time(ctx, now);
    let practice_name = ctx.env().practice_name.clone();
    let conn = ctx.read();
    let p = patients::get(conn, patient_id)?;
    let printed_by = match ctx.actor().user_id {
        Some(u) => users::get(conn, u)?.full_name,
        None => ctx.actor().username.clone(),
    };
    let dob = p.fields.birth_date.format("%m/%d/%Y").to_string();
    let since = six_years_before(today);
    let listed: Vec<&Disclosure> = acc.disclosures.iter().filter(|d| d.accountable).collect();
    let doc = FlowDoc {
        paper: Paper::Letter,
        title: format!("Accounting of disclosures from {practice_name}"),
        author: practice_name.clone(),
        created_unix: now.timestamp(),
        letterhead: Some(letterhead::header(conn, &practice_name)?),
        window_address: None,
        footer: Footer {
            patient: format!(
                "{} {} · DOB {dob} · MRN {}",
                p.fields.given_name, p.fields.family_name, p.mrn
            ),
            printed: format!("Printed by {printed_by} on {printed_at}"),
        },
        blocks: vec![
            Block::Title("Accounting of disclosures".into()),
            Block::Fields(vec![
                (
                    "Patient".into(),
                    format!("{} {}", p.fields.given_name, p.fields.family_name),
                ),
                ("Born".into(), dob.clone()),
                ("MRN".into(), p.mrn.clone()),
                (
                    "Period".into(),
                    format!(
                        "{} to {}",
                        since.format("%m/%d/%Y"),
                        today.format("%m/%d/%Y")
                    ),
                ),
            ]),
            Block::Paragraph(format!(
                "You asked who received your health information from us. These are the \
                 disclosures of the last six years that the HIPAA Privacy Rule (45 CFR \
                 164.528) asks us to list: {} in all.",
                listed.len()
            )),
            Block::Table {
                columns: vec![
                    Column::new("Date", 1.3),
                    Column::new("Recipient", 3.2),
                    Column::new("Purpose", 2.0),
                    Column::new("What was disclosed", 3.5),
                ],
                rows: listed
                    .iter()
                    .map(|d| {
                        vec![
                            d.at.format("%m/%d/%Y").to_string(),
                            format!("{}\n{}", d.recipient, d.recipient_address),
                            if d.purpose_detail.is_empty() {
                                d.purpose.label().to_string()
                            } else {
                                format!("{}: {}", d.purpose.label(), d.purpose_detail)
                            },
                            d.description.clone(),
                        ]
                    })
                    .collect(),
                empty: "There were no such disclosures in this period.".into(),
            },
            Block::Note(
                "Not listed, as the rule provides: disclosures for your treatment, for payment \
                 and for our health care operations, and those made to you or at your request."
                    .into(),
            ),
        ],
    };
    let pdf = render(&doc)?;
    let pages = chartroom_pdf::raster::page_count(&pdf).map_err(pdf_err)? as u32;
    let recipient = the_patient(&p);
    send(
        ctx,
        &Outgoing {
            patient_id,
            kind: PacketKind::Accounting,
            recipient: &recipient,
            purpose: (DisclosurePurpose::PatientRequest, String::new()),
            description: format!(
                "Accounting of disclosures: {} listed; {pages} page{}",
                listed.len(),
                if pages == 1 { "" } else { "s" }
            ),
            sections: &[],
            dates: (Some(since), Some(today)),
            pdf: &pdf,
            pages,
            paper: PaperSize::Letter,
        },
        output,
    )
}

/// The practice-wide disclosure log; audited (it names patients).
pub fn log(ctx: &mut Ctx<'_>, q: &DisclosureQuery) -> Result<Vec<Disclosure>> {
    let mut errs = FieldErrors::default();
    let (from, to) = validate::date_range(&mut errs, ("from", &q.from), ("to", &q.to));
    let text = validate::short_text(&mut errs, "text", "Search", &q.text, 100);
    errs.finish()?;
    let clock = ctx.clock();
    let filter = LogFilter {
        from: from.map(|d| clock.day_start(d)),
        to: to.and_then(|d| d.succ_opt()).map(|d| clock.day_start(d)),
        purpose: q.purpose,
        accountable_only: q.accountable_only,
        text,
        order: match q.order {
            crate::protocol::LogOrder::Newest => LogOrder::NewestFirst,
            crate::protocol::LogOrder::Oldest => LogOrder::OldestFirst,
            crate::protocol::LogOrder::Patient => LogOrder::Patient,
            crate::protocol::LogOrder::Recipient => LogOrder::Recipient,
        },
        limit: 2000,
    };
    let rows = disclosures::log(ctx.read(), &filter)?;
    let actor = ctx.actor();
    let n = rows.len();
    ctx.write(|tx, now| {
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Read,
                DataCategory::Audit,
                None,
                "disclosures",
                format!("viewed the practice's disclosure log ({n} shown)"),
            ),
        )?;
        Ok(())
    })?;
    Ok(rows)
}
