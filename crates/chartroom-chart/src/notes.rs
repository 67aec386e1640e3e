//! Encounters and notes: start a visit from a template, autosave drafts,
//! sign with the password asked again (the note is then sealed by a hash,
//! signed with the clinician's Ed25519 key and locked; every read checks
//! the signature), signed addenda, templates, entered in error.

use chartroom_store::corrections::{history, Fields, Replaced};
use chartroom_store::model::{AuditAction, NoteKind, NoteStatus};
use chartroom_store::notes::{self as store, NoteRow};
use chartroom_store::Connection;

use crate::corrections::{self, Retracted};
use crate::protocol::{NoteBody, NoteSummary, NoteTemplate, NoteView};
use chartroom_core::signing::{self, Prepared, SignatureCheck};
use chartroom_core::{validate, Actor, Ctx, Error, FieldErrors, Permission, Result};
use chartroom_types::{EncounterKind, NoteId, PatientId, TemplateId, UserId, ValueSet};

const MAX_SECTION: usize = 20_000;

fn record_id(id: NoteId) -> String {
    format!("note/{id}")
}

fn body_of(json: &str) -> Result<NoteBody> {
    serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("a stored note could not be read: {e}")))
}

fn to_json(b: &NoteBody) -> Result<String> {
    serde_json::to_string(b).map_err(|e| Error::Internal(e.to_string()))
}

fn check_body(b: &NoteBody) -> Result<()> {
    let mut errs = FieldErrors::default();
    for (field, v) in [
        ("subjective", &b.subjective),
        ("objective", &b.objective),
        ("assessment", &b.assessment),
        ("plan", &b.plan),
        ("text", &b.text),
    ] {
        if v.chars().count() > MAX_SECTION {
            errs.add(
                field,
                format!("This section is longer than {MAX_SECTION} characters"),
            );
        }
    }
    errs.finish()
}

/// What a signed note's signature says: checked against the note's content
/// as stored now (recomputing its hash) and the signer's published key.
fn signature_of(conn: &Connection, n: &NoteRow) -> Result<SignatureCheck> {
    let (Some(by), Some(at)) = (n.signed_by, n.signed_at) else {
        return Ok(if n.content_hash.is_none() && n.signature.is_none() {
            SignatureCheck::Unsigned
        } else {
            SignatureCheck::DoesNotVerify
        });
    };
    let hash = store::content_hash(n, by, at);
    match (&n.signature, n.signing_key_id) {
        (Some(sig), Some(key)) => signing::check(conn, by, key, &hash, sig),
        (None, None) if n.hash_ok() => Ok(SignatureCheck::HashOnly),
        _ => Ok(SignatureCheck::DoesNotVerify),
    }
}

/// A note with its encounter and addenda, as `actor` sees it.
pub(crate) fn view(conn: &Connection, n: NoteRow, actor: &Actor) -> Result<NoteView> {
    let e = store::get_encounter(conn, n.encounter_id)?;
    let addenda = if n.parent_id.is_none() {
        store::addenda(conn, n.id)?
            .into_iter()
            .map(|a| view(conn, a, actor))
            .collect::<Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    // Only a draft's author edits and signs it.
    let can_edit = n.status == NoteStatus::Draft
        && actor.user_id == Some(n.created_by)
        && actor.may(Permission::ClinicalWrite);
    let signature = signature_of(conn, &n)?;
    Ok(NoteView {
        can_edit,
        signature,
        signature_label: signature.label().to_string(),
        hash_ok: n.hash_ok(),
        content_hash: n
            .content_hash
            .as_deref()
            .map(hex::encode)
            .unwrap_or_default(),
        id: n.id,
        patient_id: n.patient_id,
        encounter_id: n.encounter_id,
        encounter_date: e.encounter_date.to_string(),
        encounter_kind: e.kind,
        reason: e.reason,
        encounter_version: e.version,
        provider: e.provider_name,
        kind: n.kind,
        status: n.status,
        body: body_of(&n.body)?,
        version: n.version,
        signed_at: n.signed_at.map(|t| t.to_rfc3339()),
        signed_by: n.signed_by_name,
        error_reason: n.error_reason,
        created_by: n.created_by_name,
        updated_at: n.updated_at.to_rfc3339(),
        addenda,
    })
}

/// A patient's most recent notes as a list shows them (one query).
pub fn summaries(
    conn: &Connection,
    patient_id: PatientId,
    limit: usize,
) -> Result<Vec<NoteSummary>> {
    store::note_list(conn, patient_id, limit)?
        .into_iter()
        .map(|n| {
            let b = body_of(&n.body)?;
            let source = [&b.assessment, &b.subjective, &b.plan, &b.text]
                .into_iter()
                .find(|s| !s.trim().is_empty())
                .cloned()
                .unwrap_or_default();
            let preview: String = source
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
            Ok(NoteSummary {
                id: n.id,
                encounter_date: n.encounter_date.to_string(),
                encounter_kind: n.encounter_kind,
                reason: n.reason,
                provider: n.provider_name,
                status: n.status,
                preview,
                addenda: n.addenda as u32,
            })
        })
        .collect()
}

/// A visit's date, type and reason as typed: checked, or every field error.
fn visit_fields(
    date: &str,
    kind: &str,
    reason: &str,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, String)> {
    let mut errs = FieldErrors::default();
    let d = validate::date_not_after(
        &mut errs,
        "date",
        date,
        today,
        "A visit cannot be dated in the future",
    );
    if EncounterKind::parse(kind).is_none() {
        errs.add(
            "kind",
            format!("Visit type must be one of {}", EncounterKind::codes_text()),
        );
    }
    let reason = validate::clean(reason);
    if reason.is_empty() {
        errs.add("reason", "Reason for visit is required");
    } else if reason.chars().count() > 200 {
        errs.add("reason", "Reason for visit is longer than 200 characters");
    }
    errs.finish()?;
    let d = d.ok_or_else(|| Error::Internal("validated date missing".into()))?;
    Ok((d, reason))
}

/// Corrects the visit of a draft note (author only), keeping what it
/// replaces.
pub fn update_visit(
    ctx: &mut Ctx<'_>,
    note_id: NoteId,
    expected_version: i64,
    (date, kind, reason): (&str, &str, &str),
) -> Result<NoteView> {
    let actor = ctx.actor();
    let user = actor.user()?;
    let (d, reason) = visit_fields(date, kind, reason, ctx.today())?;
    ctx.write(|tx, now| {
        let n = author_only(tx, note_id, user)?;
        let before = store::get_encounter(tx, n.encounter_id)?;
        let e = store::update_encounter(
            tx,
            n.encounter_id,
            expected_version,
            (d, kind, &reason),
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Update,
            n.patient_id,
            format!("encounter/{}", e.id),
            format!(
                "visit corrected: {} {} -> {} {}",
                before.encounter_date, before.kind, e.encounter_date, e.kind
            ),
        )?;
        view(tx, store::get_note(tx, note_id)?, actor)
    })
}

/// The replaced states of a note's visit, audited as a read.
pub fn visit_history(ctx: &mut Ctx<'_>, note_id: NoteId) -> Result<Vec<Replaced<Fields>>> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let n = store::get_note(tx, note_id)?;
        let rows = history(tx, &store::ENCOUNTER, n.encounter_id)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            n.patient_id,
            format!("encounter/{}", n.encounter_id),
            "viewed visit history",
        )?;
        Ok(rows)
    })
}

/// Opens a visit with a draft note.
pub fn start_encounter(
    ctx: &mut Ctx<'_>,
    patient_id: PatientId,
    date: &str,
    kind: &str,
    reason: &str,
    template_id: Option<TemplateId>,
) -> Result<NoteView> {
    let actor = ctx.actor();
    let user = actor.user()?;
    let (d, reason) = visit_fields(date, kind, reason, ctx.today())?;
    ctx.write(|tx, now| {
        let body = match template_id {
            None => NoteBody::default(),
            Some(t) => {
                let tpl = store::templates(tx)?
                    .into_iter()
                    .find(|x| x.id == t)
                    .ok_or_else(|| Error::field("template_id", "That template does not exist"))?;
                body_of(&tpl.body)?
            }
        };
        let enc = store::insert_encounter(tx, patient_id, d, user, kind, &reason, now, user)?;
        let id = store::insert_note(
            tx,
            patient_id,
            enc,
            None,
            NoteKind::Soap,
            &to_json(&body)?,
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Create,
            patient_id,
            record_id(id),
            format!("encounter/{enc} started: {kind}"),
        )?;
        view(tx, store::get_note(tx, id)?, actor)
    })
}

/// Opens a visit for a patient who has arrived (scheduling's check-in),
/// inside the caller's transaction: the encounter under `clinician`, with
/// an empty draft note that is theirs to write, so it waits in their chart.
/// Returns the encounter.
#[allow(clippy::too_many_arguments)]
pub fn open_for_arrival(
    tx: &chartroom_store::Tx<'_>,
    patient_id: PatientId,
    date: chrono::NaiveDate,
    clinician: UserId,
    kind: EncounterKind,
    reason: &str,
    now: chrono::DateTime<chrono::Utc>,
    by: UserId,
) -> Result<chartroom_types::EncounterId> {
    let enc = store::insert_encounter(
        tx,
        patient_id,
        date,
        clinician,
        kind.as_str(),
        reason,
        now,
        by,
    )?;
    store::insert_note(
        tx,
        patient_id,
        enc,
        None,
        NoteKind::Soap,
        &to_json(&NoteBody::default())?,
        now,
        clinician,
    )?;
    Ok(enc)
}

/// A patient's notes.
pub fn list(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<Vec<NoteSummary>> {
    ctx.read_audited(patient_id, ("notes", "listed notes"), |tx| {
        summaries(tx, patient_id, 5000)
    })
}

/// One note, audited.
pub fn get(ctx: &mut Ctx<'_>, note_id: NoteId) -> Result<NoteView> {
    let actor = ctx.actor();
    ctx.write(|tx, now| {
        let n = store::get_note(tx, note_id)?;
        let p = n.patient_id;
        let v = view(tx, n, actor)?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Read,
            p,
            record_id(note_id),
            "read note",
        )?;
        Ok(v)
    })
}

/// Autosave. Drafts are not audited per keystroke: the draft's creation and
/// its signing are.
pub fn save_draft(
    ctx: &mut Ctx<'_>,
    note_id: NoteId,
    expected_version: i64,
    body: &NoteBody,
) -> Result<NoteView> {
    let actor = ctx.actor();
    check_body(body)?;
    let user = actor.user()?;
    let json = to_json(body)?;
    ctx.write(|tx, now| {
        let before = author_only(tx, note_id, user)?;
        let n = store::save_draft(tx, note_id, expected_version, &json, now, user)?;
        // Autosave writes often; the log gets one record per editing
        // session (a pause of ten minutes starts a new one).
        if (now - before.updated_at).num_minutes() >= 10 || before.version == 1 {
            actor.audit_clinical(
                tx,
                now,
                AuditAction::Update,
                n.patient_id,
                record_id(note_id),
                "draft edited",
            )?;
        }
        view(tx, n, actor)
    })
}

/// A draft is changed and signed by its author only.
fn author_only(conn: &Connection, note_id: NoteId, user: UserId) -> Result<NoteRow> {
    let n = store::get_note(conn, note_id)?;
    if n.status == NoteStatus::Draft && n.created_by != user {
        return Err(Error::PermissionDenied(format!(
            "this draft is {}'s; only its author can change or sign it",
            n.created_by_name
        )));
    }
    Ok(n)
}

/// Signs a draft after the password is given again.
pub fn sign(
    ctx: &mut Ctx<'_>,
    note_id: NoteId,
    expected_version: i64,
    password: &str,
) -> Result<NoteView> {
    let actor = ctx.actor();
    chartroom_core::password::confirm_password(ctx, password, "sign note")?;
    let user = actor.user()?;
    let key = Prepared::for_signing(ctx.read(), user, password)?;
    ctx.write(|tx, now| {
        let before = author_only(tx, note_id, user)?;
        let b = body_of(&before.body)?;
        if [&b.subjective, &b.objective, &b.assessment, &b.plan, &b.text]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            return Err(Error::field("note", "An empty note cannot be signed"));
        }
        let (key_id, key) = key.store(tx, actor, user, now, "first signature")?;
        let n = store::sign(tx, note_id, expected_version, now, user, |hash| {
            Ok::<_, Error>(Some((key_id, key.sign(hash).to_vec())))
        })?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Update,
            n.patient_id,
            record_id(note_id),
            format!(
                "note signed; sha256 {}; signing key {key_id}",
                n.content_hash
                    .as_deref()
                    .map(hex::encode)
                    .unwrap_or_default()
            ),
        )?;
        view(tx, n, actor)
    })
}

/// Adds a signed addendum to a signed note.
pub fn addendum(
    ctx: &mut Ctx<'_>,
    note_id: NoteId,
    text: &str,
    password: &str,
) -> Result<NoteView> {
    let actor = ctx.actor();
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::field("text", "The addendum is empty"));
    }
    check_body(&NoteBody {
        text: text.to_string(),
        ..Default::default()
    })?;
    chartroom_core::password::confirm_password(ctx, password, "sign addendum")?;
    let user = actor.user()?;
    let key = Prepared::for_signing(ctx.read(), user, password)?;
    let body = to_json(&NoteBody {
        text: text.to_string(),
        ..Default::default()
    })?;
    ctx.write(|tx, now| {
        let parent = store::get_note(tx, note_id)?;
        if parent.status != NoteStatus::Signed || parent.parent_id.is_some() {
            return Err(Error::field(
                "note_id",
                "Addenda are added to signed notes; edit the draft instead",
            ));
        }
        let id = store::insert_note(
            tx,
            parent.patient_id,
            parent.encounter_id,
            Some(note_id),
            NoteKind::Addendum,
            &body,
            now,
            user,
        )?;
        let (key_id, key) = key.store(tx, actor, user, now, "first signature")?;
        store::sign(tx, id, 1, now, user, |hash| {
            Ok::<_, Error>(Some((key_id, key.sign(hash).to_vec())))
        })?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Create,
            parent.patient_id,
            record_id(id),
            format!("signed addendum to note/{note_id}; signing key {key_id}"),
        )?;
        view(tx, store::get_note(tx, note_id)?, actor)
    })
}

/// Retracts a note (draft or signed); it stays readable.
pub fn mark_in_error(ctx: &mut Ctx<'_>, note_id: NoteId, reason: &str) -> Result<NoteView> {
    corrections::retract(ctx, reason, |r| {
        let n = r.mark(&store::NOTE, (note_id, None), store::get_note, |n| {
            Retracted::of(n.patient_id, record_id(note_id), "note")
        })?;
        view(r.tx, n, r.actor())
    })
}

/// The practice's templates.
pub fn templates(ctx: &mut Ctx<'_>) -> Result<Vec<NoteTemplate>> {
    store::templates(ctx.read())?
        .into_iter()
        .map(|t| {
            Ok(NoteTemplate {
                id: t.id,
                name: t.name,
                body: body_of(&t.body)?,
                active: t.active,
                version: t.version,
            })
        })
        .collect()
}

/// Adds or edits a template.
pub fn save_template(
    ctx: &mut Ctx<'_>,
    id: Option<TemplateId>,
    expected_version: i64,
    name: &str,
    body: &NoteBody,
    active: bool,
) -> Result<Vec<NoteTemplate>> {
    let actor = ctx.actor();
    let name = validate::clean(name);
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::field(
            "name",
            "Template name is required (up to 80 characters)",
        ));
    }
    check_body(body)?;
    let json = to_json(body)?;
    ctx.write(|tx, now| {
        let id = store::save_template(
            tx,
            id,
            expected_version,
            (&name, &json, active),
            now,
            actor.user_id,
        )?;
        chartroom_store::audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::SettingsChange,
                chartroom_store::model::DataCategory::Administration,
                None,
                format!("template/{id}"),
                format!("note template \"{name}\" saved"),
            ),
        )?;
        Ok(())
    })?;
    templates(ctx)
}
