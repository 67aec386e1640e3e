//! Printed sheets: a calendar's day sheet (time, patient, type, reason,
//! phone, a column for notes) and appointment reminder letters for a chosen
//! week, one letter a patient with the address where a #10 window envelope
//! shows it. Drawn with `chartroom_pdf`'s document layer, saved to the
//! practice's export folder or printed through the computer's print
//! service. Each patient on a sheet is a disclosure (purpose: operations
//! for a day sheet, treatment for a reminder) with its audit record, in the
//! transaction that publishes or prints the file.

use std::collections::BTreeMap;

use chartroom_chart::{letterhead, prescriptions, printer, printing};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_pdf::{Block, Column, FlowDoc, Footer, Paper};
use chartroom_store::disclosures::{self, NewDisclosure};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::scheduling::{self as store, AppointmentRow};
use chartroom_store::{audit, patients, users, Tx};
use chartroom_types::{
    AppointmentStatus, CalendarId, DisclosurePurpose, PacketKind, PatientId, RecordSection,
    ReleaseMethod,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::setup::local_text;

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

/// Reminder letters printed or saved, and how many patients were left out
/// for want of a postal address.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemindersDone {
    pub done: SheetDone,
    #[ts(type = "number")]
    pub without_address: u32,
}

fn printed_by(ctx: &Ctx<'_>) -> Result<String> {
    let actor = ctx.actor();
    Ok(match actor.user_id {
        Some(u) => users::get(ctx.read(), u)?.full_name,
        None => actor.username.clone(),
    })
}

fn long_day(d: NaiveDate) -> String {
    d.format("%A, %B %-d, %Y").to_string()
}

fn hm(tz: chrono_tz::Tz, t: DateTime<Utc>) -> String {
    local_text(tz, t)[11..16].to_string()
}

/// One patient on a sheet: who, and the appointment(s) it shows.
struct Listed {
    patient: PatientId,
    what: String,
}

/// Publishes or prints `pdf` and records, in the same transaction, a
/// disclosure for each patient listed and one audit record for the sheet.
#[allow(clippy::too_many_arguments)]
fn release(
    ctx: &mut Ctx<'_>,
    out: &SheetOutput,
    stem: &str,
    title: &str,
    pdf: &[u8],
    kind_detail: (PacketKind, &str, DisclosurePurpose, &str),
    listed: &[Listed],
) -> Result<SheetDone> {
    let (kind, recipient, purpose, description) = kind_detail;
    let pages = chartroom_pdf::raster::page_count(pdf)
        .map_err(|e| Error::Internal(format!("the sheet could not be read back: {e}")))?;
    let digest = Sha256::digest(pdf);
    let actor = ctx.actor();
    let user = actor.user()?;
    let record =
        |tx: &Tx<'_>, now: DateTime<Utc>, method: ReleaseMethod, file_name: &str| -> Result<()> {
            for l in listed {
                disclosures::insert(
                    tx,
                    &NewDisclosure {
                        patient_id: l.patient,
                        kind,
                        record_id: &l.what,
                        recipient,
                        recipient_address: "",
                        purpose,
                        purpose_detail: "",
                        description,
                        sections: &[RecordSection::Demographics],
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
                    DataCategory::Schedule,
                    None,
                    stem.to_string(),
                    format!(
                        "{description}: {} patient(s), {pages} page(s)",
                        listed.len()
                    ),
                ),
            )?;
            Ok(())
        };
    let patients = u32::try_from(listed.len()).unwrap_or(u32::MAX);
    let pages = u32::try_from(pages).unwrap_or(u32::MAX);
    match out.method {
        ReleaseMethod::Saved => {
            let dir = prescriptions::export_dir(ctx)?;
            let file = printing::publish(ctx, &dir, stem, pdf, |tx, now, name| {
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
                queued = Some(printer::submit(out.printer.trim(), title, "Letter", pdf)?);
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

fn doc(
    ctx: &Ctx<'_>,
    title: &str,
    window: Option<Vec<String>>,
    blocks: Vec<Block>,
) -> Result<FlowDoc> {
    let now = ctx.now();
    Ok(FlowDoc {
        paper: Paper::Letter,
        title: title.into(),
        author: ctx.env().practice_name.clone(),
        created_unix: now.timestamp(),
        letterhead: Some(letterhead::header(ctx.read(), &ctx.env().practice_name)?),
        window_address: window,
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

/// A calendar's day sheet.
pub fn day_sheet(
    ctx: &mut Ctx<'_>,
    calendar_id: CalendarId,
    day: &str,
    out: &SheetOutput,
) -> Result<SheetDone> {
    let tz = ctx.zone();
    let mut errs = FieldErrors::default();
    let day = {
        let typed = validate::typed_date(&mut errs, "day", "The day", day, true);
        crate::appointments::in_years(&mut errs, "day", typed)
    };
    errs.finish()?;
    let day = day.ok_or_else(|| Error::Internal("checked above".into()))?;
    let conn = ctx.read();
    let cal = store::calendar(conn, calendar_id)?;
    let types: BTreeMap<_, _> = store::appointment_types(conn)?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    let rooms: BTreeMap<_, _> = store::rooms(conn)?
        .into_iter()
        .map(|r| (r.id, r.fields.name))
        .collect();
    let rows: Vec<AppointmentRow> = store::appointments_on_days(conn, day, day)?
        .into_iter()
        .filter(|a| {
            a.booking.calendar_id == calendar_id && a.status != AppointmentStatus::Cancelled
        })
        .collect();
    let mut table = Vec::with_capacity(rows.len());
    let mut listed = Vec::with_capacity(rows.len());
    for a in &rows {
        let phone = crate::appointments::phone_to_call(conn, a.booking.patient_id)?;
        table.push(vec![
            format!(
                "{}-{}",
                hm(tz, a.booking.starts_at),
                hm(tz, a.booking.ends_at)
            ),
            format!(
                "{}\nMRN {} · DOB {}",
                a.patient_name,
                a.patient_mrn,
                a.patient_birth_date
                    .map(validate::date_text)
                    .unwrap_or_default()
            ),
            {
                // The type, and under it the room the visit holds.
                let ty = types.get(&a.booking.type_id).cloned().unwrap_or_default();
                match a.booking.room_id.and_then(|r| rooms.get(&r)) {
                    Some(room) => format!("{ty}\n{room}"),
                    None => ty,
                }
            },
            a.booking.reason.clone(),
            phone,
            String::new(),
        ]);
        listed.push(Listed {
            patient: a.booking.patient_id,
            what: format!("appointment/{}", a.id),
        });
    }
    let title = format!("Day sheet: {}, {}", cal.fields.name, long_day(day));
    let blocks = vec![
        Block::Title(title.clone()),
        Block::Note(format!(
            "{} appointment{}. Times in {}.",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            tz.name()
        )),
        Block::Table {
            columns: vec![
                Column::new("Time", 1.35),
                Column::new("Patient", 2.6),
                Column::new("Type, room", 2.0),
                Column::new("Reason", 1.5),
                Column::new("Phone", 1.65),
                Column::new("Notes", 1.4),
            ],
            rows: table,
            empty: "No appointments.".into(),
        },
    ];
    let pdf = chartroom_pdf::render_flow(&doc(ctx, "Day sheet", None, blocks)?)
        .map_err(|e| Error::Internal(format!("the day sheet could not be drawn: {e}")))?;
    release(
        ctx,
        out,
        &format!("day-sheet-{day}-calendar-{calendar_id}"),
        &title,
        &pdf,
        (
            PacketKind::DaySheet,
            "The practice (day sheet)",
            DisclosurePurpose::Operations,
            "day sheet",
        ),
        &listed,
    )
}

/// Reminder letters for the open appointments of the week from `from`
/// (seven days), one page a patient with all their visits that week,
/// addressed for a #10 window envelope. Patients with no postal address
/// are left out and counted.
pub fn reminders(ctx: &mut Ctx<'_>, from: &str, out: &SheetOutput) -> Result<RemindersDone> {
    let tz = ctx.zone();
    let mut errs = FieldErrors::default();
    let first = {
        let typed = validate::typed_date(&mut errs, "from", "The first day", from, true);
        crate::appointments::in_years(&mut errs, "from", typed)
    };
    errs.finish()?;
    let first = first.ok_or_else(|| Error::Internal("checked above".into()))?;
    let last = first + Duration::days(6);
    let conn = ctx.read();
    let names: BTreeMap<_, _> = store::calendars(conn)?
        .into_iter()
        .map(|c| (c.id, c.fields.name))
        .collect();
    let types: BTreeMap<_, _> = store::appointment_types(conn)?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    let mut by_patient: BTreeMap<PatientId, Vec<AppointmentRow>> = BTreeMap::new();
    for a in store::appointments_on_days(conn, first, last)? {
        // Open visits still to come (one earlier in the week is not mailed).
        if crate::status::is_open(a.status) && a.booking.starts_at > ctx.now() {
            by_patient.entry(a.booking.patient_id).or_default().push(a);
        }
    }
    let practice = letterhead::header(conn, &ctx.env().practice_name)?;
    let phone = practice.phone.clone();
    let mut letters: Vec<(Vec<String>, Vec<Block>)> = Vec::new();
    let mut listed = Vec::new();
    let mut no_address = 0u32;
    for (pid, visits) in &by_patient {
        let p = patients::get(conn, *pid)?;
        let f = &p.fields;
        let city_line = [
            f.city.as_str(),
            &[f.region.as_str(), f.postal_code.as_str()].join(" "),
        ]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        let lines: Vec<String> = [
            format!("{} {}", f.given_name, f.family_name),
            f.address_line1.clone(),
            f.address_line2.clone(),
            city_line,
        ]
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
        if f.address_line1.trim().is_empty() {
            no_address += 1;
            continue;
        }
        let mut blocks = vec![
            Block::Paragraph(format!("Dear {} {},", f.given_name, f.family_name)),
            Block::Paragraph(if visits.len() == 1 {
                "This is a reminder of your appointment:".to_string()
            } else {
                "This is a reminder of your appointments:".to_string()
            }),
        ];
        blocks.push(Block::Fields(
            visits
                .iter()
                .map(|a| {
                    let local = a.booking.starts_at.with_timezone(&tz);
                    (
                        local.format("%A, %B %-d").to_string(),
                        format!(
                            "{} with {} ({})",
                            local.format("%H:%M"),
                            names
                                .get(&a.booking.calendar_id)
                                .cloned()
                                .unwrap_or_default(),
                            types.get(&a.booking.type_id).cloned().unwrap_or_default()
                        ),
                    )
                })
                .collect(),
        ));
        blocks.push(Block::Paragraph(format!(
            "If you cannot come, please call us{} so that we can offer the time to another patient.",
            if phone.is_empty() { String::new() } else { format!(" at {phone}") }
        )));
        blocks.push(Block::Paragraph(ctx.env().practice_name.clone()));
        letters.push((lines, blocks));
        listed.push(Listed {
            patient: *pid,
            what: format!("patient/{pid}"),
        });
    }
    if letters.is_empty() {
        return Err(Error::field(
            "from",
            format!(
                "No reminder to print for the week of {}: no open appointment{}",
                validate::date_text(first),
                if no_address > 0 {
                    format!(" with a postal address ({no_address} without one)")
                } else {
                    String::new()
                }
            ),
        ));
    }
    // One document: each letter starts a page with the letterhead and its
    // address in the envelope window.
    let blocks: Vec<Block> = letters
        .into_iter()
        .flat_map(|(lines, body)| std::iter::once(Block::Letter(lines)).chain(body))
        .collect();
    let pdf = chartroom_pdf::render_flow(&doc(ctx, "Appointment reminders", None, blocks)?)
        .map_err(|e| Error::Internal(format!("the reminders could not be drawn: {e}")))?;
    let done = release(
        ctx,
        out,
        &format!("reminders-week-of-{first}"),
        "Appointment reminders",
        &pdf,
        (
            PacketKind::Reminder,
            "The patient (appointment reminder, mailed)",
            DisclosurePurpose::Treatment,
            "appointment reminder",
        ),
        &listed,
    )?;
    Ok(RemindersDone {
        done,
        without_address: no_address,
    })
}
