//! Printed sheets: a calendar's day sheet (time, patient, type, reason,
//! phone, a column for notes) and appointment reminder letters for a chosen
//! week, one letter a patient with the address where a #10 window envelope
//! shows it. Drawn with `chartroom_pdf`'s document layer, saved to the
//! practice's export folder or printed through the computer's print
//! service. Each patient on a sheet is a disclosure (purpose: operations
//! for a day sheet, treatment for a reminder) with its audit record, in the
//! transaction that publishes or prints the file.

use std::collections::BTreeMap;

use chartroom_chart::letterhead;
use chartroom_chart::sheets::{self, Listed, SheetKind};
use chartroom_core::{validate, Ctx, Error, FieldErrors, Result};
use chartroom_pdf::{Block, Column};
use chartroom_store::model::DataCategory;
use chartroom_store::patients;
use chartroom_store::scheduling::{self as store, AppointmentRow};
use chartroom_types::{
    AppointmentStatus, CalendarId, DisclosurePurpose, PacketKind, PatientId, RecordSection,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::setup::local_text;

pub use chartroom_chart::sheets::{SheetDone, SheetOutput};

/// Reminder letters printed or saved, and how many patients were left out
/// for want of a postal address.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemindersDone {
    pub done: SheetDone,
    #[ts(type = "number")]
    pub without_address: u32,
}

fn long_day(d: NaiveDate) -> String {
    d.format("%A, %B %-d, %Y").to_string()
}

fn hm(tz: chrono_tz::Tz, t: DateTime<Utc>) -> String {
    local_text(tz, t)[11..16].to_string()
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
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, "Day sheet", blocks)?)
        .map_err(|e| Error::Internal(format!("the day sheet could not be drawn: {e}")))?;
    sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("day-sheet-{day}-calendar-{calendar_id}"),
            title: &title,
            kind: PacketKind::DaySheet,
            recipient: "The practice (day sheet)",
            purpose: DisclosurePurpose::Operations,
            description: "day sheet",
            sections: &[RecordSection::Demographics],
            category: DataCategory::Schedule,
        },
        &pdf,
        &listed,
        |_, _, _, _| Ok(()),
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
    let pdf = chartroom_pdf::render_flow(&sheets::doc(ctx, "Appointment reminders", blocks)?)
        .map_err(|e| Error::Internal(format!("the reminders could not be drawn: {e}")))?;
    let done = sheets::release(
        ctx,
        out,
        &SheetKind {
            stem: &format!("reminders-week-of-{first}"),
            title: "Appointment reminders",
            kind: PacketKind::Reminder,
            recipient: "The patient (appointment reminder, mailed)",
            purpose: DisclosurePurpose::Treatment,
            description: "appointment reminder",
            sections: &[RecordSection::Demographics],
            category: DataCategory::Schedule,
        },
        &pdf,
        &listed,
        |_, _, _, _| Ok(()),
    )?;
    Ok(RemindersDone {
        done,
        without_address: no_address,
    })
}
