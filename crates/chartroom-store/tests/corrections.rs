//! The one mechanism for corrections (`chartroom_store::corrections`):
//! entered in error is final for every clinical table, replaced states come
//! back in order with who and when for every kind of record, and migration
//! 5 carries every history row and every mark of a version-4 file over.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_store::chart::{self, EntryData};
use chartroom_store::corrections::{self, Fields, Table};
use chartroom_store::documents::{self, DocumentMeta};
use chartroom_store::model::{
    EntryStatus, NoteKind, ObservationKind, Patient, PatientFields, Role, Section,
};
use chartroom_store::observations::{self, NewObservation};
use chartroom_store::{migrations, notes, patients, users, Connection, Store, StoreError, Tx};
use chartroom_types::{DocumentId, EncounterId, EntryId, NoteId, ObservationId, PatientId, UserId};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::params;

fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + chrono::Duration::minutes(min)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A patient's details as registered, with another family name and city.
fn person(conn: &Connection, id: PatientId, family: &str, city: &str) -> PatientFields {
    let mut f = patients::get(conn, id).unwrap().fields;
    f.family_name = family.into();
    f.city = city.into();
    f
}

fn problem(label: &str) -> EntryData {
    EntryData {
        status: EntryStatus::Active,
        label: label.into(),
        code: "I10".into(),
        effective_date: Some(day(2020, 5, 1)),
        body: "{\"comment\":\"\"}".into(),
    }
}

fn letter() -> DocumentMeta {
    DocumentMeta {
        category: "letter".into(),
        doc_date: day(2026, 2, 1),
        description: "Cardiology letter".into(),
        file_name: "letter.pdf".into(),
        mime: "application/pdf".into(),
    }
}

fn vital(value: f64) -> NewObservation {
    NewObservation {
        kind: ObservationKind::Vital,
        code: "8480-6".into(),
        value,
        unit: "mm[Hg]".into(),
        flag: String::new(),
        effective_at: "2026-03-02T09:00".into(),
        comment: String::new(),
    }
}

/// Two users (Dana Doc and Nick Nurse) and a patient.
fn people(tx: &Tx<'_>) -> (UserId, UserId, PatientId) {
    let user = |username: &str, full_name: &str| {
        users::insert(
            tx,
            &users::NewUser {
                username,
                full_name,
                credentials: "",
                password_hash: "x",
                roles: &[Role::Clinician],
                can_emergency_access: false,
            },
            at(0),
        )
        .unwrap()
        .id
    };
    let (doc, nurse) = (user("doc", "Dana Doc"), user("nurse", "Nick Nurse"));
    // Registration is not what these tests are about: one row will do.
    tx.execute(
        "INSERT INTO patient (mrn, family_name, given_name, city, birth_date, sex, sort_name, \
         search_tokens, version, created_at, created_by, updated_at, updated_by) \
         VALUES ('100001', 'Ng', 'Ann', 'Portland', '1960-01-02', 'female', 'ng ann', '', 1, \
         ?1, ?2, ?1, ?2)",
        params![at(0), doc],
    )
    .unwrap();
    (doc, nurse, PatientId(tx.last_insert_rowid()))
}

struct Fx {
    _dir: tempfile::TempDir,
    store: Store,
    doc: UserId,
    nurse: UserId,
    patient: PatientId,
}

fn fx() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("c.db"), &[5u8; 32]).unwrap();
    let (doc, nurse, patient) = store.write(|tx| Ok::<_, StoreError>(people(tx))).unwrap();
    Fx {
        _dir: dir,
        store,
        doc,
        nurse,
        patient,
    }
}

/// One record of every kind that can be entered in error: its table, id
/// and version (for the versioned mark of chart entries).
fn markables(f: &mut Fx) -> Vec<(Table, i64, Option<i64>)> {
    let (p, u) = (f.patient, f.doc);
    f.store
        .write(|tx| {
            let entry = chart::insert_entry(tx, p, Section::Problem, &problem("HTN"), at(1), u)?;
            let obs = observations::insert(tx, p, None, None, &[vital(120.0)], at(1), u)?[0];
            let enc =
                notes::insert_encounter(tx, p, day(2026, 3, 2), u, "office_visit", "BP", at(1), u)?;
            let draft = notes::insert_note(tx, p, enc, None, NoteKind::Soap, "{}", at(1), u)?;
            let signed = notes::insert_note(tx, p, enc, None, NoteKind::Soap, "{}", at(1), u)?;
            notes::sign(tx, signed, 1, at(1), u, hash_only)?;
            let doc = documents::insert(tx, p, &letter(), b"%PDF-1.4", at(1), u)?;
            Ok::<_, StoreError>(vec![
                (chart::ENTRY, entry.get(), Some(1)),
                (observations::OBSERVATION, obs.get(), None),
                (notes::NOTE, draft.get(), None),
                (notes::NOTE, signed.get(), None),
                (documents::DOCUMENT, doc.get(), None),
            ])
        })
        .unwrap()
}

/// The reason a record's own row reads back, through its owner.
fn reason_of(conn: &Connection, table: &Table, id: i64) -> String {
    match table.name() {
        "chart_entry" => chart::get_entry(conn, EntryId(id)).unwrap().error_reason,
        "observation" => {
            observations::get(conn, ObservationId(id))
                .unwrap()
                .error_reason
        }
        "note" => notes::get_note(conn, NoteId(id)).unwrap().error_reason,
        "document" => documents::get(conn, DocumentId(id)).unwrap().error_reason,
        other => panic!("no reader for {other}"),
    }
}

/// Changes a record the way its owner does (an observation: by a new one
/// replacing it).
fn change(tx: &Tx<'_>, table: &Table, id: i64, by: UserId) -> chartroom_store::Result<()> {
    let when = at(3);
    match table.name() {
        "chart_entry" => {
            let id = EntryId(id);
            let v = chart::get_entry(tx, id)?.version;
            chart::update_entry(tx, id, v, &problem("x"), when, by, "edited").map(drop)
        }
        "observation" => {
            let id = ObservationId(id);
            let p = observations::get(tx, id)?.patient_id;
            observations::insert(tx, p, None, Some(id), &[vital(1.0)], when, by).map(drop)
        }
        "note" => {
            let id = NoteId(id);
            let v = notes::get_note(tx, id)?.version;
            notes::save_draft(tx, id, v, "{\"text\":\"x\"}", when, by).map(drop)
        }
        "document" => {
            let d = day(2026, 2, 2);
            documents::update_meta(tx, DocumentId(id), 1, ("letter", d, "x"), when, by).map(drop)
        }
        other => panic!("no change for {other}"),
    }
}

#[test]
fn entered_in_error_is_final_for_every_clinical_table_through_the_one_helper() {
    let mut f = fx();
    let (doc, nurse) = (f.doc, f.nurse);
    for (table, id, version) in markables(&mut f) {
        let kind = table.name();
        // A stale version is refused and marks nothing.
        if let Some(v) = version {
            let err = f
                .store
                .write(|tx| {
                    corrections::mark_in_error(tx, &table, id, Some(v + 1), "why", at(2), doc)
                })
                .unwrap_err();
            assert!(matches!(err, StoreError::Conflict { .. }), "{kind}: {err}");
        }
        f.store
            .write(|tx| {
                corrections::mark_in_error(tx, &table, id, version, "wrong chart", at(2), doc)
            })
            .unwrap();
        let read = f.store.read();
        assert_eq!(reason_of(read, &table, id), "wrong chart", "{kind}");
        let mark = corrections::mark(read, &table, id).unwrap().unwrap();
        assert_eq!(
            (
                mark.reason.as_str(),
                mark.marked_at,
                mark.marked_by,
                mark.marked_by_name.as_str()
            ),
            ("wrong chart", Some(at(2)), Some(doc), "Dana Doc"),
            "{kind}"
        );
        // A second mark fails and leaves the first as it was.
        let err = f
            .store
            .write(|tx| corrections::mark_in_error(tx, &table, id, None, "again", at(3), nurse))
            .unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{kind}: {err}");
        // So does any change by the owner's own functions.
        let err = f
            .store
            .write(|tx| change(tx, &table, id, nurse))
            .unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{kind}: {err}");
        // And in SQL: the mark can be neither changed, deleted nor made twice.
        for sql in [
            "UPDATE entered_in_error SET reason = 'x' WHERE kind = ?1 AND record_id = ?2",
            "DELETE FROM entered_in_error WHERE kind = ?1 AND record_id = ?2",
            "INSERT INTO entered_in_error (kind, record_id, reason) VALUES (?1, ?2, 'again')",
        ] {
            let err = f
                .store
                .write(|tx| tx.execute(sql, params![kind, id]).map_err(StoreError::from))
                .unwrap_err();
            assert!(matches!(err, StoreError::Sqlite(_)), "{kind}: {sql}: {err}");
        }
        let read = f.store.read();
        assert_eq!(reason_of(read, &table, id), "wrong chart", "{kind}");
        assert_eq!(
            corrections::mark(read, &table, id).unwrap().unwrap(),
            mark,
            "{kind}"
        );
    }
    // Patients and visits keep replaced states but are never marked.
    for (table, id) in [(patients::PATIENT, f.patient.get()), (notes::ENCOUNTER, 1)] {
        let err = f
            .store
            .write(|tx| corrections::mark_in_error(tx, &table, id, None, "x", at(4), doc))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Locked(_)),
            "{}: {err}",
            table.name()
        );
    }
    // A reason is required in the database too.
    let e = f
        .store
        .write(|tx| chart::insert_entry(tx, f.patient, Section::Problem, &problem("y"), at(5), doc))
        .unwrap();
    let err = f
        .store
        .write(|tx| corrections::mark_in_error(tx, &chart::ENTRY, e, None, "  ", at(5), doc))
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    assert_eq!(
        chart::get_entry(f.store.read(), e).unwrap().data.status,
        EntryStatus::Active
    );
}

/// `(version, change, when, by whom)` of each replaced state.
fn stamps<T>(rows: &[corrections::Replaced<T>]) -> Vec<(i64, &str, DateTime<Utc>, &str)> {
    rows.iter()
        .map(|r| {
            (
                r.version,
                r.change.as_str(),
                r.replaced_at,
                r.replaced_by_name.as_str(),
            )
        })
        .collect()
}

#[test]
fn replaced_states_come_back_in_order_with_who_and_when_for_every_kind() {
    let mut f = fx();
    let (p, doc, nurse) = (f.patient, f.doc, f.nurse);
    let (entry, enc, document) = f
        .store
        .write(|tx| {
            patients::update(tx, p, 1, &person(tx, p, "Ng", "Salem"), nurse, at(1))?;
            patients::update(tx, p, 2, &person(tx, p, "Nguyen", "Salem"), doc, at(2))?;
            let entry = chart::insert_entry(tx, p, Section::Problem, &problem("HTN"), at(1), doc)?;
            chart::update_entry(
                tx,
                entry,
                1,
                &problem("Hypertension"),
                at(2),
                nurse,
                "edited",
            )?;
            corrections::mark_in_error(tx, &chart::ENTRY, entry, Some(2), "dup", at(3), doc)?;
            let enc = notes::insert_encounter(
                tx,
                p,
                day(2026, 3, 1),
                doc,
                "office_visit",
                "BP",
                at(1),
                doc,
            )?;
            notes::update_encounter(
                tx,
                enc,
                1,
                (day(2026, 3, 2), "follow_up", "BP"),
                at(2),
                nurse,
            )?;
            notes::update_encounter(
                tx,
                enc,
                2,
                (day(2026, 3, 2), "follow_up", "HTN"),
                at(3),
                doc,
            )?;
            let d = documents::insert(tx, p, &letter(), b"%PDF-1.4", at(1), doc)?;
            documents::update_meta(tx, d, 1, ("lab", day(2026, 2, 2), "Labs"), at(4), nurse)?;
            Ok::<_, StoreError>((entry, enc, d))
        })
        .unwrap();
    let read = f.store.read();

    // Patients: the whole patient as it was, with who replaced it and when.
    let h = corrections::history::<Patient>(read, &patients::PATIENT, p).unwrap();
    assert_eq!(
        stamps(&h),
        [
            (1, "edited", at(1), "Nick Nurse"),
            (2, "edited", at(2), "Dana Doc")
        ]
    );
    let cities: Vec<(&str, &str)> = h
        .iter()
        .map(|r| {
            (
                r.fields.fields.family_name.as_str(),
                r.fields.fields.city.as_str(),
            )
        })
        .collect();
    assert_eq!(cities, [("Ng", "Portland"), ("Ng", "Salem")]);
    let old = patients::history(read, p).unwrap();
    assert_eq!(
        old.iter()
            .map(|(p, at, by)| (p.version, *at, *by))
            .collect::<Vec<_>>(),
        [(1, at(1), nurse), (2, at(2), doc)]
    );

    // Chart entries: each replaced state with the change that replaced it,
    // and as a timeline of who saved each version.
    let h = corrections::history::<EntryData>(read, &chart::ENTRY, entry).unwrap();
    assert_eq!(
        stamps(&h),
        [
            (1, "edited", at(2), "Nick Nurse"),
            (2, "marked entered in error", at(3), "Dana Doc")
        ]
    );
    let versions: Vec<_> = chart::entry_versions(read, entry)
        .unwrap()
        .into_iter()
        .map(|v| {
            (
                v.version,
                v.data.label,
                v.data.status,
                v.change,
                v.saved_at,
                v.saved_by_name,
                v.error_reason,
            )
        })
        .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        versions,
        [
            (
                1,
                s("HTN"),
                EntryStatus::Active,
                s("created"),
                at(1),
                s("Dana Doc"),
                s("")
            ),
            (
                2,
                s("Hypertension"),
                EntryStatus::Active,
                s("edited"),
                at(2),
                s("Nick Nurse"),
                s("")
            ),
            (
                3,
                s("Hypertension"),
                EntryStatus::EnteredInError,
                s("marked entered in error"),
                at(3),
                s("Dana Doc"),
                s("dup")
            ),
        ]
    );

    // Visits and documents: named fields, in the order they were kept.
    let h = corrections::history::<Fields>(read, &notes::ENCOUNTER, enc).unwrap();
    assert_eq!(
        stamps(&h),
        [
            (1, "visit corrected", at(2), "Nick Nurse"),
            (2, "visit corrected", at(3), "Dana Doc")
        ]
    );
    assert_eq!(
        h.iter().map(|r| r.fields.clone()).collect::<Vec<_>>(),
        [
            Fields::of([
                ("date", s("2026-03-01")),
                ("type", s("office_visit")),
                ("reason", s("BP"))
            ]),
            Fields::of([
                ("date", s("2026-03-02")),
                ("type", s("follow_up")),
                ("reason", s("BP"))
            ]),
        ]
    );
    let h = corrections::history::<Fields>(read, &documents::DOCUMENT, document).unwrap();
    assert_eq!(
        stamps(&h),
        [(1, "description corrected", at(4), "Nick Nurse")]
    );
    assert_eq!(
        h[0].fields,
        Fields::of([
            ("category", s("letter")),
            ("date", s("2026-02-01")),
            ("description", s("Cardiology letter"))
        ])
    );

    // The history is final: no replaced state can be changed or deleted.
    for sql in [
        "UPDATE replaced_state SET change = 'x'",
        "DELETE FROM replaced_state",
    ] {
        let err = f
            .store
            .write(|tx| tx.execute(sql, []).map_err(StoreError::from))
            .unwrap_err();
        assert!(matches!(err, StoreError::Sqlite(_)), "{sql}: {err}");
    }
}

/// A version-4 file as the release that wrote it left it: its rows written
/// by that release's SQL (the three history tables, the per-table
/// entered-in-error columns).
struct Version4 {
    conn: Connection,
    doc: UserId,
    nurse: UserId,
    patient: PatientId,
    /// Entries: one never edited, one edited twice, one edited and marked.
    entries: [EntryId; 3],
    encounter: EncounterId,
    document: DocumentId,
    /// Values: retracted at schema 4, retracted before it (no who/when).
    observations: [ObservationId; 2],
    note: NoteId,
    /// The patient as each `patient_history` row kept it.
    patient_was: Vec<Patient>,
}

fn version_4_file() -> Version4 {
    let mut conn = Connection::open_in_memory().unwrap();
    for m in &migrations::MIGRATIONS[..4] {
        conn.execute_batch(m.sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 4).unwrap();
    let tx = conn.transaction().unwrap();
    let (doc, nurse, patient) = people(&tx);
    // Two edits of the patient, as patient_history kept them.
    let mut was: Patient = patients::get(&tx, patient).unwrap();
    let mut patient_was = Vec::new();
    for (version, city, when, by) in [(1, "Salem", at(1), nurse), (2, "Eugene", at(2), doc)] {
        tx.execute(
            "INSERT INTO patient_history (patient_id, version, snapshot, replaced_at, replaced_by) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![patient, version, serde_json::to_string(&was).unwrap(), when, by],
        )
        .unwrap();
        patient_was.push(was.clone());
        was.version += 1;
        was.fields.city = city.into();
    }
    tx.execute(
        "UPDATE patient SET version = 3, city = 'Eugene' WHERE id = ?1",
        [patient],
    )
    .unwrap();
    // Entries with every saved state in chart_entry_version.
    type State<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a str,
        DateTime<Utc>,
        UserId,
    );
    let entry = |states: &[State<'_>]| -> EntryId {
        let (status, label, date, reason, _, _, _) = *states.last().unwrap();
        let (first, last) = (states[0], states[states.len() - 1]);
        tx.execute(
            "INSERT INTO chart_entry (patient_id, section, status, label, code, effective_date, \
             body, error_reason, version, created_at, created_by, updated_at, updated_by) \
             VALUES (?1, 'problem', ?2, ?3, 'I10', ?4, '{}', ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                patient,
                status,
                label,
                date,
                reason,
                states.len() as i64,
                first.5,
                first.6,
                last.5,
                last.6
            ],
        )
        .unwrap();
        let id = EntryId(tx.last_insert_rowid());
        for (i, (status, label, date, reason, change, when, by)) in states.iter().enumerate() {
            tx.execute(
                "INSERT INTO chart_entry_version (entry_id, version, status, label, code, \
                 effective_date, body, error_reason, change, saved_at, saved_by) \
                 VALUES (?1, ?2, ?3, ?4, 'I10', ?5, '{}', ?6, ?7, ?8, ?9)",
                params![
                    id,
                    i as i64 + 1,
                    status,
                    label,
                    date,
                    reason,
                    change,
                    when,
                    by
                ],
            )
            .unwrap();
        }
        id
    };
    let once = entry(&[("active", "HTN", None, "", "created", at(1), doc)]);
    let twice = entry(&[
        ("active", "HTN", None, "", "created", at(1), doc),
        (
            "active",
            "Hypertension",
            Some("2020-05-01"),
            "",
            "edited",
            at(2),
            nurse,
        ),
        (
            "resolved",
            "Hypertension",
            Some("2020-05-01"),
            "",
            "edited",
            at(3),
            doc,
        ),
    ]);
    let marked = entry(&[
        ("active", "Asthma", None, "", "created", at(1), nurse),
        (
            "active",
            "Asthma, mild",
            None,
            "",
            "reconciled: still taking",
            at(2),
            doc,
        ),
        (
            "entered_in_error",
            "Asthma, mild",
            None,
            "wrong patient",
            "marked entered in error",
            at(4),
            nurse,
        ),
    ]);
    // A visit corrected twice and a document once, as record_history kept them.
    let encounter = notes::insert_encounter(
        &tx,
        patient,
        day(2026, 3, 3),
        doc,
        "follow_up",
        "HTN",
        at(1),
        doc,
    )
    .unwrap();
    let document = documents::insert(&tx, patient, &letter(), b"%PDF-1.4", at(1), doc).unwrap();
    let kept = |kind: &str, id: i64, version: i64, fields: &[(&str, &str)], when, by: UserId| {
        tx.execute(
            "INSERT INTO record_history (kind, record_id, version, snapshot, replaced_at, replaced_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![kind, id, version, serde_json::to_string(fields).unwrap(), when, by],
        )
        .unwrap();
    };
    let visit = |date, kind, reason| [("date", date), ("type", kind), ("reason", reason)];
    kept(
        "encounter",
        encounter.get(),
        1,
        &visit("2026-03-01", "office_visit", "BP"),
        at(2),
        nurse,
    );
    kept(
        "encounter",
        encounter.get(),
        2,
        &visit("2026-03-02", "office_visit", "BP"),
        at(3),
        doc,
    );
    tx.execute(
        "UPDATE encounter SET version = 3 WHERE id = ?1",
        [encounter],
    )
    .unwrap();
    kept(
        "document",
        document.get(),
        1,
        &[
            ("category", "other"),
            ("date", "2026-01-31"),
            ("description", "Letter"),
        ],
        at(2),
        nurse,
    );
    tx.execute(
        "UPDATE document SET version = 2, status = 'entered_in_error', \
         error_reason = 'another patient''s letter', error_at = ?2, error_by = ?3 WHERE id = ?1",
        params![document, at(5), doc],
    )
    .unwrap();
    // Values and a note entered in error the way schema 4 recorded it.
    let obs = observations::insert(
        &tx,
        patient,
        None,
        None,
        &[vital(120.0), vital(80.0)],
        at(1),
        doc,
    )
    .unwrap();
    tx.execute(
        "UPDATE observation SET status = 'entered_in_error', error_reason = 'cuff too small', \
         error_at = ?2, error_by = ?3 WHERE id = ?1",
        params![obs[0], at(6), nurse],
    )
    .unwrap();
    tx.execute(
        "UPDATE observation SET status = 'entered_in_error', error_reason = 'typo' WHERE id = ?1",
        [obs[1]],
    )
    .unwrap();
    let note = notes::insert_note(
        &tx,
        patient,
        encounter,
        None,
        NoteKind::Soap,
        "{}",
        at(1),
        doc,
    )
    .unwrap();
    tx.execute(
        "UPDATE note SET status = 'entered_in_error', error_reason = 'wrong visit', \
         version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
        params![note, at(7), doc],
    )
    .unwrap();
    tx.commit().unwrap();
    Version4 {
        conn,
        doc,
        nurse,
        patient,
        entries: [once, twice, marked],
        encounter,
        document,
        observations: [obs[0], obs[1]],
        note,
        patient_was,
    }
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// What the old tables said of an entry's versions: `(version, status,
/// label, effective date, error reason, change, saved at, saved by name)`.
type OldVersion = (
    i64,
    String,
    String,
    Option<NaiveDate>,
    String,
    String,
    DateTime<Utc>,
    String,
);

fn old_entry_versions(conn: &Connection, id: EntryId) -> Vec<OldVersion> {
    let mut stmt = conn
        .prepare(
            "SELECT v.version, v.status, v.label, v.effective_date, v.error_reason, v.change, \
             v.saved_at, u.full_name FROM chart_entry_version v \
             JOIN user_account u ON u.id = v.saved_by WHERE v.entry_id = ?1 ORDER BY v.version",
        )
        .unwrap();
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    rows
}

#[test]
fn migration_5_copies_every_history_row_and_mark_of_a_version_4_file() {
    let Version4 {
        mut conn,
        doc,
        nurse,
        patient,
        entries,
        encounter,
        document,
        observations: obs,
        note,
        patient_was,
    } = version_4_file();
    let old_tables = ["patient_history", "chart_entry_version", "record_history"];
    let before: Vec<i64> = old_tables.iter().map(|t| count(&conn, t)).collect();
    let old_versions: Vec<Vec<OldVersion>> = entries
        .iter()
        .map(|&e| old_entry_versions(&conn, e))
        .collect();

    migrations::migrate(&mut conn).unwrap();
    assert_eq!(
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        migrations::LATEST
    );

    // The old tables are still there, every row in them.
    let after: Vec<i64> = old_tables.iter().map(|t| count(&conn, t)).collect();
    assert_eq!(after, before);
    // Every old row has its replaced state: each patient and record
    // history row, and each entry version but the current one (its row).
    assert_eq!(before, [2, 7, 3]);
    assert_eq!(count(&conn, "replaced_state"), 2 + (7 - 3) + 3);

    // Patients: the same snapshots, who and when.
    let h = patients::history(&conn, patient).unwrap();
    assert_eq!(
        h,
        vec![
            (patient_was[0].clone(), at(1), nurse),
            (patient_was[1].clone(), at(2), doc)
        ]
    );
    assert_eq!(h[1].0.fields.city, "Salem");

    // Entries: every version reads back through the new mechanism exactly
    // as chart_entry_version held it.
    for (id, old) in entries.iter().zip(&old_versions) {
        let new: Vec<OldVersion> = chart::entry_versions(&conn, *id)
            .unwrap()
            .into_iter()
            .map(|v| {
                (
                    v.version,
                    v.data.status.as_str().to_owned(),
                    v.data.label,
                    v.data.effective_date,
                    v.error_reason,
                    v.change,
                    v.saved_at,
                    v.saved_by_name,
                )
            })
            .collect();
        assert_eq!(&new, old, "entry {id}");
    }

    // Visits and documents: the same fields, in the same order.
    let fields = |table: &Table, id: i64| -> Vec<(Fields, DateTime<Utc>, UserId)> {
        corrections::history::<Fields>(&conn, table, id)
            .unwrap()
            .into_iter()
            .map(|r| (r.fields, r.replaced_at, r.replaced_by))
            .collect()
    };
    let pairs = |p: &[(&str, &str)]| {
        Fields(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    };
    assert_eq!(
        fields(&notes::ENCOUNTER, encounter.get()),
        [
            (
                pairs(&[
                    ("date", "2026-03-01"),
                    ("type", "office_visit"),
                    ("reason", "BP")
                ]),
                at(2),
                nurse
            ),
            (
                pairs(&[
                    ("date", "2026-03-02"),
                    ("type", "office_visit"),
                    ("reason", "BP")
                ]),
                at(3),
                doc
            ),
        ]
    );
    assert_eq!(
        fields(&documents::DOCUMENT, document.get()),
        [(
            pairs(&[
                ("category", "other"),
                ("date", "2026-01-31"),
                ("description", "Letter")
            ]),
            at(2),
            nurse
        )]
    );

    // Every record entered in error keeps its reason, who and when (none
    // recorded for a value retracted before schema 4), and stays final.
    let marks: Vec<(String, Option<DateTime<Utc>>, Option<UserId>)> = [
        (chart::ENTRY, entries[2].get()),
        (documents::DOCUMENT, document.get()),
        (observations::OBSERVATION, obs[0].get()),
        (observations::OBSERVATION, obs[1].get()),
        (notes::NOTE, note.get()),
    ]
    .iter()
    .map(|(t, id)| {
        let m = corrections::mark(&conn, t, *id).unwrap().unwrap();
        (m.reason, m.marked_at, m.marked_by)
    })
    .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        marks,
        [
            (s("wrong patient"), Some(at(4)), Some(nurse)),
            (s("another patient's letter"), Some(at(5)), Some(doc)),
            (s("cuff too small"), Some(at(6)), Some(nurse)),
            (s("typo"), None, None),
            (s("wrong visit"), Some(at(7)), Some(doc)),
        ]
    );
    assert_eq!(count(&conn, "entered_in_error"), 5);
    assert_eq!(
        documents::get(&conn, document).unwrap().error_by_name,
        "Dana Doc"
    );
    let tx = conn.transaction().unwrap();
    let err =
        corrections::mark_in_error(&tx, &notes::NOTE, note, None, "again", at(8), doc).unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
    // And the next correction of a migrated record follows on from its history.
    chart::update_entry(
        &tx,
        entries[1],
        3,
        &problem("HTN, resolved"),
        at(9),
        nurse,
        "edited",
    )
    .unwrap();
    let v = chart::entry_versions(&tx, entries[1]).unwrap();
    assert_eq!(
        v.iter()
            .map(|v| (v.version, v.change.as_str(), v.saved_by_name.as_str()))
            .collect::<Vec<_>>(),
        [
            (1, "created", "Dana Doc"),
            (2, "edited", "Nick Nurse"),
            (3, "edited", "Dana Doc"),
            (4, "edited", "Nick Nurse")
        ]
    );
}

/// Signs with the hash alone (the store does not make signatures; the API
/// signs with the clinician's key).
fn hash_only(
    _: &[u8; 32],
) -> Result<Option<(chartroom_types::SigningKeyId, Vec<u8>)>, chartroom_store::StoreError> {
    Ok(None)
}
