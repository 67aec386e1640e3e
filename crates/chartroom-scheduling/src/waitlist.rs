//! The waitlist and recalls, the lists the front desk works from.
//!
//! - The **waitlist**: patients who want an earlier slot, for a type of
//!   visit, on a calendar or any that offers it, at a time of day, between
//!   two days. When a slot frees (an appointment is cancelled), the entries
//!   it suits are offered, first come first served
//!   ([`offers_for`]); booking one closes the entry in the same
//!   transaction (`Fills`).
//! - **Recalls**: "see again in 3 months" makes a recall due on a day; the
//!   list shows what is due, soonest first; booking closes it the same way.
//!
//! Neither is ever deleted: an entry is closed once, booked (with its
//! appointment) or with a reason, and then stays as it was closed. Every
//! read of a list is audited with the patients it shows.

use chartroom_core::{validate, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::scheduling::{
    self as store, AppointmentRow, Closing, RecallFields, RecallRow, WaitlistFields, WaitlistRow,
};
use chartroom_store::{patients, Connection};
use chartroom_types::{
    AppointmentId, ListEntryStatus, PatientId, RecallId, TimeOfDay, WaitlistEntryId,
};
use chrono::{Datelike, Duration, Months, NaiveDate, Timelike};
use chrono_tz::Tz;

use crate::appointments::{self, Names, Slot};
use crate::protocol::*;
use crate::setup;

/// How far ahead the recall list looks by default (days).
pub const RECALL_LOOKAHEAD_DAYS: u32 = 30;
/// The most months ahead a recall may be due ("see again in 3 months").
pub const MAX_RECALL_MONTHS: u32 = 60;

fn optional_day(errs: &mut FieldErrors, field: &str, label: &str, text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match chartroom_store::search::parse_typed_date(t) {
        None => {
            errs.add(field, format!("{label}: type a date as MM/DD/YYYY"));
            None
        }
        Some(d) if !(appointments::MIN_YEAR..=appointments::MAX_YEAR).contains(&d.year()) => {
            errs.add(
                field,
                format!(
                    "{label}: choose a date between {} and {}",
                    appointments::MIN_YEAR,
                    appointments::MAX_YEAR
                ),
            );
            None
        }
        d => d,
    }
}

fn closing_text(c: &Closing) -> String {
    match c.status {
        ListEntryStatus::Open => String::new(),
        ListEntryStatus::Booked => "Booked".into(),
        ListEntryStatus::Closed => c.reason.clone(),
    }
}

fn entry_view(
    conn: &Connection,
    names: &Names,
    tz: Tz,
    today: NaiveDate,
    may_write: bool,
    r: WaitlistRow,
) -> Result<WaitlistEntryView> {
    let f = &r.fields;
    Ok(WaitlistEntryView {
        id: r.id,
        patient_id: f.patient_id,
        patient_name: r.patient_name,
        mrn: r.patient_mrn,
        phone: appointments::phone_to_call(conn, f.patient_id)?,
        type_id: f.type_id,
        type_name: names.type_name(f.type_id),
        calendar_id: f.calendar_id,
        calendar_name: f
            .calendar_id
            .map_or_else(|| "Any calendar".to_string(), |c| names.calendar_name(c)),
        time_of_day: f.time_of_day,
        earliest_day: f.earliest_day.map(|d| d.to_string()),
        before_day: f.before_day.map(|d| d.to_string()),
        note: f.note.clone(),
        status: r.closing.status,
        appointment_id: r.closing.appointment_id,
        outcome: closing_text(&r.closing),
        added: setup::local_text(tz, r.created_at),
        waiting_days: u32::try_from(
            (today - r.created_at.with_timezone(&tz).date_naive())
                .num_days()
                .max(0),
        )
        .unwrap_or(0),
        can_change: may_write && r.closing.status == ListEntryStatus::Open,
        version: r.version,
    })
}

fn recall_view(
    conn: &Connection,
    names: &Names,
    today: NaiveDate,
    may_write: bool,
    r: RecallRow,
) -> Result<RecallView> {
    let f = &r.fields;
    Ok(RecallView {
        id: r.id,
        patient_id: f.patient_id,
        patient_name: r.patient_name,
        mrn: r.patient_mrn,
        phone: appointments::phone_to_call(conn, f.patient_id)?,
        due_day: f.due_day.to_string(),
        overdue: r.closing.status == ListEntryStatus::Open && f.due_day < today,
        reason: f.reason.clone(),
        type_id: f.type_id,
        type_name: f.type_id.map(|t| names.type_name(t)).unwrap_or_default(),
        calendar_id: f.calendar_id,
        calendar_name: f
            .calendar_id
            .map(|c| names.calendar_name(c))
            .unwrap_or_default(),
        status: r.closing.status,
        appointment_id: r.closing.appointment_id,
        outcome: closing_text(&r.closing),
        can_change: may_write && r.closing.status == ListEntryStatus::Open,
        version: r.version,
    })
}

fn audit_write(
    actor: &chartroom_core::Actor,
    tx: &chartroom_store::Tx<'_>,
    now: chrono::DateTime<chrono::Utc>,
    action: AuditAction,
    patient_id: PatientId,
    what: String,
    detail: String,
) -> Result<()> {
    chartroom_store::audit::append(
        tx,
        now,
        &actor.event(
            action,
            DataCategory::Schedule,
            Some(patient_id),
            what,
            detail,
        ),
    )?;
    Ok(())
}

/// Puts a patient on the waitlist.
pub fn add_to_waitlist(ctx: &mut Ctx<'_>, form: &WaitlistForm) -> Result<WaitlistEntryView> {
    let conn = ctx.read();
    patients::get(conn, form.patient_id)?;
    let mut errs = FieldErrors::default();
    let ty = match store::appointment_type(conn, form.type_id) {
        Ok(t) if t.fields.active => Some(t),
        Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
            errs.add("type_id", "Choose an active appointment type");
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(c) = form.calendar_id {
        match store::calendar(conn, c) {
            Ok(cal) if cal.fields.active => {
                if let Some(t) = &ty {
                    if !setup::offered_on(t, c) {
                        errs.add(
                            "calendar_id",
                            format!(
                                "{} is not offered on {}'s calendar",
                                t.fields.name, cal.fields.name
                            ),
                        );
                    }
                }
            }
            Ok(_) | Err(chartroom_store::StoreError::NotFound { .. }) => {
                errs.add("calendar_id", "Choose an active calendar, or any");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let earliest = optional_day(&mut errs, "earliest", "From", &form.earliest);
    let before = optional_day(&mut errs, "before", "Before", &form.before);
    if let (Some(e), Some(b)) = (earliest, before) {
        if b <= e {
            errs.add("before", "The last day must come after the first");
        }
    }
    if let Some(b) = before {
        if b <= ctx.today() {
            errs.add("before", "That day has passed");
        }
    }
    let note = validate::short_text(&mut errs, "note", "Note", &form.note, 200);
    errs.finish()?;
    let fields = WaitlistFields {
        patient_id: form.patient_id,
        type_id: form.type_id,
        calendar_id: form.calendar_id,
        time_of_day: form.time_of_day,
        earliest_day: earliest,
        before_day: before,
        note,
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let id = ctx.write(|tx, now| {
        let id = store::insert_waitlist(tx, &fields, now, user)?;
        audit_write(
            actor,
            tx,
            now,
            AuditAction::Create,
            fields.patient_id,
            format!("waitlist/{id}"),
            "put on the waitlist".into(),
        )?;
        Ok(id)
    })?;
    let names = Names::read(ctx.read())?;
    entry_view(
        ctx.read(),
        &names,
        ctx.zone(),
        ctx.today(),
        true,
        store::waitlist_entry(ctx.read(), id)?,
    )
}

/// The open waitlist, oldest first.
pub fn waitlist(ctx: &mut Ctx<'_>) -> Result<Vec<WaitlistEntryView>> {
    let conn = ctx.read();
    let names = Names::read(conn)?;
    let may = ctx.actor().may(Permission::ScheduleWrite);
    let rows = store::open_waitlist(conn)?;
    let who = appointments::patients_shown(rows.iter().map(|r| r.fields.patient_id));
    let views = rows
        .into_iter()
        .map(|r| entry_view(conn, &names, ctx.zone(), ctx.today(), may, r))
        .collect::<Result<Vec<_>>>()?;
    ctx.audit(ctx.actor().event(
        AuditAction::Read,
        DataCategory::Schedule,
        None,
        "waitlist",
        format!("waitlist: {} entries shown; patients {who}", views.len()),
    ))?;
    Ok(views)
}

/// Takes a patient off the waitlist with a reason (nothing is deleted).
pub fn close_waitlist_entry(
    ctx: &mut Ctx<'_>,
    id: WaitlistEntryId,
    expected_version: i64,
    reason: &str,
) -> Result<WaitlistEntryView> {
    let row = store::waitlist_entry(ctx.read(), id)?;
    let reason = closing_reason(&row.closing, reason)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        store::close_waitlist(tx, id, expected_version, None, &reason, now, user)?;
        audit_write(
            actor,
            tx,
            now,
            AuditAction::Update,
            row.fields.patient_id,
            format!("waitlist/{id}"),
            format!("taken off the waitlist: {reason}"),
        )
    })?;
    let names = Names::read(ctx.read())?;
    entry_view(
        ctx.read(),
        &names,
        ctx.zone(),
        ctx.today(),
        true,
        store::waitlist_entry(ctx.read(), id)?,
    )
}

fn closing_reason(closing: &Closing, reason: &str) -> Result<String> {
    if closing.status != ListEntryStatus::Open {
        return Err(Error::field("status", "It is already closed"));
    }
    let mut errs = FieldErrors::default();
    let reason = validate::short_text(&mut errs, "reason", "Reason", reason, 200);
    if reason.is_empty() {
        errs.add(
            "reason",
            "Say why (booked elsewhere, no longer needed, could not reach)",
        );
    }
    errs.finish()?;
    Ok(reason)
}

/// Whether an entry would take `slot` on `calendar` with a visit of
/// `minutes` (its type's length).
fn suits(tz: Tz, e: &WaitlistFields, slot: &Slot, calendar: chartroom_types::CalendarId) -> bool {
    let day = slot.start.with_timezone(&tz).date_naive();
    // The whole visit in the part of the day asked for: a morning visit
    // ends by noon, an afternoon one starts at noon or later.
    let end = slot.end.with_timezone(&tz).naive_local();
    let noon = day.and_hms_opt(12, 0, 0);
    e.calendar_id.is_none_or(|c| c == calendar)
        && match e.time_of_day {
            TimeOfDay::Any => true,
            TimeOfDay::Morning => noon.is_some_and(|n| end <= n),
            TimeOfDay::Afternoon => slot.local.hour() >= 12,
        }
        && e.earliest_day.is_none_or(|d| day >= d)
        && e.before_day.is_none_or(|d| day < d)
}

/// The waitlist entries that could take the time `appointment` held (it
/// was cancelled, or moved away), oldest first: on its calendar or any,
/// a type offered there that fits in the time, at the time of day and
/// between the days asked for, still free, still to come, and not the
/// appointment's own patient.
pub fn offers_for(ctx: &mut Ctx<'_>, appointment: AppointmentId) -> Result<Vec<WaitlistOffer>> {
    let tz = ctx.zone();
    let conn = ctx.read();
    let a: AppointmentRow = store::appointment(conn, appointment)?;
    let now = ctx.now();
    let b = &a.booking;
    if b.starts_at <= now {
        return Ok(Vec::new());
    }
    let names = Names::read(conn)?;
    let Some(cal) = names
        .calendars
        .get(&b.calendar_id)
        .filter(|c| c.fields.active)
    else {
        return Ok(Vec::new());
    };
    let room = (b.ends_at - b.starts_at).num_minutes();
    let local = b.starts_at.with_timezone(&tz).naive_local();
    let may = ctx.actor().may(Permission::ScheduleWrite);
    let mut offers = Vec::new();
    for e in store::open_waitlist(conn)? {
        if e.fields.patient_id == b.patient_id {
            continue;
        }
        let Some(t) = names.types.get(&e.fields.type_id) else {
            continue;
        };
        if !t.fields.active || !setup::offered_on(t, cal.id) || t.fields.minutes > room {
            continue;
        }
        let slot = Slot {
            local,
            start: b.starts_at,
            end: b.starts_at + Duration::minutes(t.fields.minutes),
        };
        if !suits(tz, &e.fields, &slot, cal.id) || !appointments::is_free(ctx, cal, &slot)? {
            continue;
        }
        offers.push(WaitlistOffer {
            calendar_id: cal.id,
            calendar_name: cal.fields.name.clone(),
            start_local: local.format("%Y-%m-%dT%H:%M").to_string(),
            minutes: u32::try_from(t.fields.minutes).unwrap_or(0),
            entry: entry_view(conn, &names, tz, ctx.today(), may, e)?,
        });
    }
    if !offers.is_empty() {
        ctx.audit(ctx.actor().event(
            AuditAction::Read,
            DataCategory::Schedule,
            None,
            "waitlist",
            format!(
                "waitlist offers for the time of appointment/{appointment}: patients {}",
                appointments::patients_shown(offers.iter().map(|o| o.entry.patient_id))
            ),
        ))?;
    }
    Ok(offers)
}

/// Adds a recall: due on a day, or in so many months from today.
pub fn add_recall(ctx: &mut Ctx<'_>, form: &RecallForm) -> Result<RecallView> {
    let conn = ctx.read();
    patients::get(conn, form.patient_id)?;
    let mut errs = FieldErrors::default();
    let today = ctx.today();
    let due = match form.after_months {
        Some(m) if (1..=MAX_RECALL_MONTHS).contains(&m) => today.checked_add_months(Months::new(m)),
        Some(_) => {
            errs.add(
                "after_months",
                format!("Choose between 1 and {MAX_RECALL_MONTHS} months"),
            );
            None
        }
        None => {
            let d = optional_day(&mut errs, "due", "Due", &form.due);
            if form.due.trim().is_empty() {
                errs.add("due", "Say when: a date, or in so many months");
            }
            if d.is_some_and(|d| d <= today) {
                errs.add("due", "A recall is due after today");
            }
            d
        }
    };
    let reason = validate::short_text(&mut errs, "reason", "Reason", &form.reason, 200);
    if reason.is_empty() {
        errs.add(
            "reason",
            "Say what the visit is for (blood pressure check, lab review)",
        );
    }
    if let (Some(d), Some(last)) = (
        due,
        today.checked_add_months(Months::new(MAX_RECALL_MONTHS)),
    ) {
        if d > last {
            errs.add(
                "due",
                format!("A recall is due within {MAX_RECALL_MONTHS} months"),
            );
        }
    }
    let ty = form.type_id.map(|t| {
        store::appointment_type(conn, t)
            .ok()
            .filter(|t| t.fields.active)
    });
    if let Some(None) = ty {
        errs.add("type_id", "Choose an active appointment type, or none");
    }
    if let Some(c) = form.calendar_id {
        match store::calendar(conn, c).ok().filter(|c| c.fields.active) {
            None => errs.add("calendar_id", "Choose an active calendar, or none"),
            Some(cal) => {
                if let Some(Some(t)) = &ty {
                    if !setup::offered_on(t, c) {
                        errs.add(
                            "calendar_id",
                            format!(
                                "{} is not offered on {}'s calendar",
                                t.fields.name, cal.fields.name
                            ),
                        );
                    }
                }
            }
        }
    }
    errs.finish()?;
    let due_day = due.ok_or_else(|| Error::Internal("checked above".into()))?;
    let fields = RecallFields {
        patient_id: form.patient_id,
        due_day,
        reason,
        type_id: form.type_id,
        calendar_id: form.calendar_id,
        source: "staff".into(),
    };
    let actor = ctx.actor();
    let user = actor.user()?;
    let id = ctx.write(|tx, now| {
        let id = store::insert_recall(tx, &fields, now, user)?;
        audit_write(
            actor,
            tx,
            now,
            AuditAction::Create,
            fields.patient_id,
            format!("recall/{id}"),
            format!("recall due {due_day}: {}", fields.reason),
        )?;
        Ok(id)
    })?;
    let names = Names::read(ctx.read())?;
    recall_view(
        ctx.read(),
        &names,
        today,
        true,
        store::recall(ctx.read(), id)?,
    )
}

/// Open recalls due within `days` of today (overdue ones first).
pub fn recalls(ctx: &mut Ctx<'_>, days: u32) -> Result<RecallList> {
    let today = ctx.today();
    let days = days.clamp(0, 366);
    let until = today + Duration::days(i64::from(days));
    let conn = ctx.read();
    let names = Names::read(conn)?;
    let may = ctx.actor().may(Permission::ScheduleWrite);
    let rows = store::open_recalls(conn, until)?;
    let who = appointments::patients_shown(rows.iter().map(|r| r.fields.patient_id));
    let recalls = rows
        .into_iter()
        .map(|r| recall_view(conn, &names, today, may, r))
        .collect::<Result<Vec<_>>>()?;
    ctx.audit(ctx.actor().event(
        AuditAction::Read,
        DataCategory::Schedule,
        None,
        "recalls",
        format!(
            "recalls due by {until}: {} shown; patients {who}",
            recalls.len()
        ),
    ))?;
    Ok(RecallList {
        today: today.to_string(),
        until: until.to_string(),
        recalls,
        can_book: may,
        can_override: ctx.actor().may(Permission::ScheduleOverride),
    })
}

/// Closes a recall with a reason (declined, could not reach).
pub fn close_recall(
    ctx: &mut Ctx<'_>,
    id: RecallId,
    expected_version: i64,
    reason: &str,
) -> Result<RecallView> {
    let row = store::recall(ctx.read(), id)?;
    let reason = closing_reason(&row.closing, reason)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        store::close_recall(tx, id, expected_version, None, &reason, now, user)?;
        audit_write(
            actor,
            tx,
            now,
            AuditAction::Update,
            row.fields.patient_id,
            format!("recall/{id}"),
            format!("recall closed: {reason}"),
        )
    })?;
    let names = Names::read(ctx.read())?;
    recall_view(
        ctx.read(),
        &names,
        ctx.today(),
        true,
        store::recall(ctx.read(), id)?,
    )
}

/// Checks that what a booking fills (a waitlist entry or a recall) is
/// open, at its version, and the booked patient's; the patient's id.
pub fn check_fills(
    conn: &Connection,
    fills: &Fills,
    patient_id: PatientId,
    type_id: chartroom_types::AppointmentTypeId,
) -> Result<()> {
    let (closing, patient, version, expected, wanted) = match fills {
        Fills::Waitlist {
            entry_id,
            expected_version,
        } => {
            let r = store::waitlist_entry(conn, *entry_id)?;
            let t = Some(r.fields.type_id);
            (
                r.closing,
                r.fields.patient_id,
                r.version,
                *expected_version,
                t,
            )
        }
        Fills::Recall {
            recall_id,
            expected_version,
        } => {
            let r = store::recall(conn, *recall_id)?;
            let t = r.fields.type_id;
            (
                r.closing,
                r.fields.patient_id,
                r.version,
                *expected_version,
                t,
            )
        }
    };
    if patient != patient_id {
        return Err(Error::field("fills", "It is another patient's"));
    }
    if wanted.is_some_and(|t| t != type_id) {
        return Err(Error::field(
            "type_id",
            "Book the type of visit the patient is waiting for",
        ));
    }
    if closing.status != ListEntryStatus::Open {
        return Err(Error::field("fills", "It is already closed"));
    }
    if version != expected {
        return Err(chartroom_store::StoreError::Conflict {
            what: "waitlist entry or recall",
            expected,
            found: version,
        }
        .into());
    }
    Ok(())
}

/// Closes what a booking filled, in the booking's transaction.
pub fn close_filled(
    tx: &chartroom_store::Tx<'_>,
    fills: &Fills,
    appointment: AppointmentId,
    now: chrono::DateTime<chrono::Utc>,
    user: chartroom_types::UserId,
) -> Result<String> {
    Ok(match fills {
        Fills::Waitlist {
            entry_id,
            expected_version,
        } => {
            store::close_waitlist(
                tx,
                *entry_id,
                *expected_version,
                Some(appointment),
                "",
                now,
                user,
            )?;
            format!("; fills waitlist/{entry_id}")
        }
        Fills::Recall {
            recall_id,
            expected_version,
        } => {
            store::close_recall(
                tx,
                *recall_id,
                *expected_version,
                Some(appointment),
                "",
                now,
                user,
            )?;
            format!("; fills recall/{recall_id}")
        }
    })
}
