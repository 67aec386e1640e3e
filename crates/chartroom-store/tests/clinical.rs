//! Integration tests of the clinical tables: versioned entries, the
//! never-delete and signed-note triggers, observations and trends, notes,
//! documents and disclosures.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_store::chart::{self, EntryData};
use chartroom_store::disclosures::{self, NewDisclosure};
use chartroom_store::documents::{self, DocumentMeta};
use chartroom_store::model::{
    EntryStatus, NoteKind, NoteStatus, ObservationKind, PatientFields, PreferredContact,
    RecordStatus, Role, Section, Sex,
};
use chartroom_store::observations::{self, NewObservation};
use chartroom_store::referrals;
use chartroom_store::{corrections, notes, patients, users, Store, StoreError};
use chartroom_types::{DisclosurePurpose, PacketKind, RecordSection, ReleaseMethod};
use chartroom_types::{PatientId, UserId};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + chrono::Duration::minutes(min)
}

struct Fx {
    _dir: tempfile::TempDir,
    store: Store,
    user: UserId,
    patient: PatientId,
}

fn fx() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("c.db"), &[3u8; 32]).unwrap();
    let (user, patient) = store
        .write(|tx| {
            let u = users::insert(
                tx,
                &users::NewUser {
                    username: "doc",
                    full_name: "Dana Doc",
                    credentials: "MD",
                    password_hash: "x",
                    roles: &[Role::Clinician],
                    can_emergency_access: false,
                },
                at(0),
            )?;
            let p = patients::insert(
                tx,
                &PatientFields {
                    family_name: "Ng".into(),
                    given_name: "Ann".into(),
                    middle_name: String::new(),
                    preferred_name: String::new(),
                    birth_date: NaiveDate::from_ymd_opt(1960, 1, 2).unwrap(),
                    sex: Sex::Female,
                    gender_identity: String::new(),
                    address_line1: String::new(),
                    address_line2: String::new(),
                    city: String::new(),
                    region: String::new(),
                    postal_code: String::new(),
                    phone_mobile: String::new(),
                    phone_home: String::new(),
                    phone_work: String::new(),
                    email: String::new(),
                    preferred_contact: PreferredContact::Phone,
                    emergency_name: String::new(),
                    emergency_relationship: String::new(),
                    emergency_phone: String::new(),
                },
                u.id,
                at(0),
            )?;
            Ok::<_, StoreError>((u.id, p.id))
        })
        .unwrap();
    Fx {
        _dir: dir,
        store,
        user,
        patient,
    }
}

fn problem(label: &str, status: EntryStatus) -> EntryData {
    EntryData {
        status,
        label: label.into(),
        code: "I10".into(),
        effective_date: NaiveDate::from_ymd_opt(2020, 5, 1),
        body: "{}".into(),
    }
}

#[test]
fn entries_keep_every_version_and_entered_in_error_is_final() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    let id = f
        .store
        .write(|tx| {
            chart::insert_entry(
                tx,
                p,
                Section::Problem,
                &problem("Hypertension", EntryStatus::Active),
                at(1),
                u,
            )
        })
        .unwrap();
    f.store
        .write(|tx| {
            chart::update_entry(
                tx,
                id,
                1,
                &problem("Essential hypertension", EntryStatus::Active),
                at(2),
                u,
                "edited",
            )
        })
        .unwrap();
    // A stale version is refused and changes nothing.
    let err = f
        .store
        .write(|tx| {
            chart::update_entry(
                tx,
                id,
                1,
                &problem("Other", EntryStatus::Resolved),
                at(3),
                u,
                "edited",
            )
        })
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict {
            expected: 1,
            found: 2,
            ..
        }
    ));
    let e = f
        .store
        .write(|tx| {
            corrections::mark_in_error(tx, &chart::ENTRY, id, Some(2), "wrong patient", at(4), u)?;
            chart::get_entry(tx, id)
        })
        .unwrap();
    assert_eq!(e.data.status, EntryStatus::EnteredInError);
    assert_eq!(e.data.label, "Essential hypertension");
    let err = f
        .store
        .write(|tx| {
            chart::update_entry(
                tx,
                id,
                3,
                &problem("x", EntryStatus::Active),
                at(5),
                u,
                "edited",
            )
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
    let versions = chart::entry_versions(f.store.read(), id).unwrap();
    let summary: Vec<(i64, &str, &str, &str)> = versions
        .iter()
        .map(|v| {
            (
                v.version,
                v.data.label.as_str(),
                v.change.as_str(),
                v.saved_by_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "Hypertension", "created", "Dana Doc"),
            (2, "Essential hypertension", "edited", "Dana Doc"),
            (
                3,
                "Essential hypertension",
                "marked entered in error",
                "Dana Doc"
            ),
        ]
    );
    assert_eq!(versions[2].error_reason, "wrong patient");
}

#[test]
fn clinical_rows_cannot_be_deleted_even_with_sql() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    f.store
        .write(|tx| {
            let id = chart::insert_entry(
                tx,
                p,
                Section::Allergy,
                &problem("Penicillin", EntryStatus::Active),
                at(1),
                u,
            )?;
            // A replaced state and a mark, and a row of the retired
            // per-entry history table as a version-4 file holds it.
            chart::update_entry(
                tx,
                id,
                1,
                &problem("Penicillin V", EntryStatus::Active),
                at(1),
                u,
                "edited",
            )?;
            corrections::mark_in_error(tx, &chart::ENTRY, id, Some(2), "wrong chart", at(1), u)?;
            tx.execute(
                "INSERT INTO chart_entry_version (entry_id, version, status, label, code, \
                 effective_date, body, error_reason, change, saved_at, saved_by) \
                 VALUES (?1, 1, 'active', 'Penicillin', '', NULL, '{}', '', 'created', ?2, ?3)",
                rusqlite::params![id, at(1), u],
            )?;
            observations::insert(
                tx,
                p,
                None,
                None,
                &[NewObservation {
                    kind: ObservationKind::Vital,
                    code: "8480-6".into(),
                    value: 120.0,
                    unit: "mm[Hg]".into(),
                    flag: String::new(),
                    effective_at: "2026-03-02T09:00".into(),
                    comment: String::new(),
                }],
                at(1),
                u,
            )
        })
        .unwrap();
    for table in [
        "chart_entry",
        "chart_entry_version",
        "observation",
        "replaced_state",
        "entered_in_error",
    ] {
        let err = f
            .store
            .write(|tx| {
                tx.execute(&format!("DELETE FROM {table}"), [])
                    .map_err(StoreError::from)
            })
            .unwrap_err();
        assert!(err.to_string().contains("never deleted"), "{table}: {err}");
    }
}

fn vital(code: &str, value: f64, when: &str) -> NewObservation {
    NewObservation {
        kind: ObservationKind::Vital,
        code: code.into(),
        value,
        unit: "mm[Hg]".into(),
        flag: String::new(),
        effective_at: when.into(),
        comment: String::new(),
    }
}

#[test]
fn observations_group_correct_and_trend_in_one_query() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    let first = f
        .store
        .write(|tx| {
            observations::insert(
                tx,
                p,
                None,
                None,
                &[
                    vital("8480-6", 150.0, "2026-01-05T09:00"),
                    vital("8462-4", 95.0, "2026-01-05T09:00"),
                ],
                at(1),
                u,
            )
        })
        .unwrap();
    let second = f
        .store
        .write(|tx| {
            observations::insert(
                tx,
                p,
                None,
                None,
                &[vital("8480-6", 140.0, "2026-02-05T09:00")],
                at(2),
                u,
            )
        })
        .unwrap();
    // The second reading was mistyped: correct it.
    f.store
        .write(|tx| {
            observations::insert(
                tx,
                p,
                None,
                Some(second[0]),
                &[vital("8480-6", 138.0, "2026-02-05T09:00")],
                at(3),
                u,
            )
        })
        .unwrap();
    let rows = observations::list(f.store.read(), p, ObservationKind::Vital, 10).unwrap();
    assert_eq!(rows.len(), 4);
    let g = observations::get(f.store.read(), first[1]).unwrap();
    assert_eq!(g.group_id, Some(first[0]));
    let old = observations::get(f.store.read(), second[0]).unwrap();
    assert_eq!(old.status, RecordStatus::EnteredInError);
    // Values are written once, and a retraction is final, even in SQL.
    for sql in [
        "UPDATE observation SET value = 99 WHERE id = ?1",
        "UPDATE observation SET status = 'final' WHERE id = ?1",
    ] {
        let err = f
            .store
            .write(|tx| tx.execute(sql, [second[0]]).map_err(StoreError::from))
            .unwrap_err();
        assert!(err.to_string().contains("observation"), "{sql}: {err}");
    }

    let trend = observations::trend(
        f.store.read(),
        p,
        &["8480-6", "8462-4"],
        "2026-01-01",
        "2026-12-31T23:59",
    )
    .unwrap();
    let pts: Vec<(&str, f64)> = trend.iter().map(|o| (o.code.as_str(), o.value)).collect();
    assert_eq!(
        pts,
        vec![("8480-6", 150.0), ("8462-4", 95.0), ("8480-6", 138.0)]
    );
    let latest =
        observations::latest_of_codes(f.store.read(), p, &["8480-6", "8462-4", "8867-4"]).unwrap();
    let l: Vec<(&str, f64)> = latest.iter().map(|o| (o.code.as_str(), o.value)).collect();
    assert_eq!(l, vec![("8480-6", 138.0), ("8462-4", 95.0)]);
    let set = observations::latest_set(f.store.read(), p, ObservationKind::Vital).unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].value, 138.0);
}

#[test]
fn signed_notes_are_locked_below_the_api_too() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    let (enc, note) = f
        .store
        .write(|tx| {
            let enc = notes::insert_encounter(
                tx,
                p,
                NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                u,
                "office_visit",
                "BP check",
                at(1),
                u,
            )?;
            let n =
                notes::insert_note(tx, p, enc, None, NoteKind::Soap, "{\"s\":\"a\"}", at(1), u)?;
            Ok::<_, StoreError>((enc, n))
        })
        .unwrap();
    let n = f
        .store
        .write(|tx| notes::save_draft(tx, note, 1, "{\"s\":\"ab\"}", at(2), u))
        .unwrap();
    assert_eq!(n.version, 2);
    assert!(n.hash_ok());
    let n = f
        .store
        .write(|tx| notes::sign(tx, note, 2, at(3), u, hash_only))
        .unwrap();
    assert_eq!(n.status, NoteStatus::Signed);
    assert!(n.hash_ok());
    let err = f
        .store
        .write(|tx| notes::save_draft(tx, note, 3, "{\"s\":\"changed\"}", at(4), u))
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)));
    // Even raw SQL cannot change a signed note's text.
    let err = f
        .store
        .write(|tx| {
            tx.execute("UPDATE note SET body = 'x' WHERE id = ?1", [note])
                .map_err(StoreError::from)
        })
        .unwrap_err();
    assert!(err.to_string().contains("signed note"), "{err}");
    // Nor can it be turned back into a draft to be edited.
    let err = f
        .store
        .write(|tx| {
            tx.execute("UPDATE note SET status = 'draft' WHERE id = ?1", [note])
                .map_err(StoreError::from)
        })
        .unwrap_err();
    assert!(err.to_string().contains("signed note"), "{err}");
    // An addendum is a new note that points at it.
    let add = f
        .store
        .write(|tx| {
            let a = notes::insert_note(
                tx,
                p,
                enc,
                Some(note),
                NoteKind::Addendum,
                "{\"text\":\"Labs reviewed\"}",
                at(5),
                u,
            )?;
            notes::sign(tx, a, 1, at(5), u, hash_only)
        })
        .unwrap();
    assert_eq!(notes::addenda(f.store.read(), note).unwrap()[0].id, add.id);
    assert_eq!(notes::notes(f.store.read(), p, 10).unwrap().len(), 1);
    // Entered in error keeps the note readable; it is then final.
    let n = f
        .store
        .write(|tx| {
            corrections::mark_in_error(tx, &notes::NOTE, note, None, "wrong chart", at(6), u)?;
            notes::get_note(tx, note)
        })
        .unwrap();
    assert_eq!(n.status, NoteStatus::EnteredInError);
    assert_eq!(n.body, "{\"s\":\"ab\"}");
    assert!(n.hash_ok());
    // A hash that no longer matches is detected on read (tamper with the
    // hash column itself is the only change the trigger lets through... it
    // does not: content_hash is locked too).
    let err = f
        .store
        .write(|tx| {
            tx.execute("UPDATE note SET content_hash = x'00' WHERE id = ?1", [note])
                .map_err(StoreError::from)
        })
        .unwrap_err();
    assert!(err.to_string().contains("cannot be changed"), "{err}");
}

#[test]
fn documents_are_stored_once_and_checked_on_read() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    let bytes = b"%PDF-1.4 scanned letter".to_vec();
    let id = f
        .store
        .write(|tx| {
            documents::insert(
                tx,
                p,
                &DocumentMeta {
                    category: "letter".into(),
                    doc_date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                    description: "Cardiology letter".into(),
                    file_name: "letter.pdf".into(),
                    mime: "application/pdf".into(),
                },
                &bytes,
                at(1),
                u,
            )
        })
        .unwrap();
    assert_eq!(documents::content(f.store.read(), id).unwrap(), bytes);
    assert_eq!(documents::list(f.store.read(), p).unwrap()[0].size, 23);
    let err = f
        .store
        .write(|tx| {
            tx.execute("UPDATE document_content SET content = x'00'", [])
                .map_err(StoreError::from)
        })
        .unwrap_err();
    assert!(err.to_string().contains("cannot be changed"), "{err}");
    let d = f
        .store
        .write(|tx| {
            corrections::mark_in_error(
                tx,
                &documents::DOCUMENT,
                id,
                None,
                "wrong patient",
                at(2),
                u,
            )?;
            documents::get(tx, id)
        })
        .unwrap();
    assert_eq!(d.status, RecordStatus::EnteredInError);
    assert_eq!(documents::content(f.store.read(), id).unwrap(), bytes);
}

fn disclosure<'a>(
    p: PatientId,
    purpose: DisclosurePurpose,
    recipient: &'a str,
) -> NewDisclosure<'a> {
    NewDisclosure {
        patient_id: p,
        kind: PacketKind::Referral,
        record_id: "patient/1",
        recipient,
        recipient_address: "12 Heart St\nSpringfield, IL 62701",
        purpose,
        purpose_detail: "",
        description: "Referral packet",
        sections: &[RecordSection::Problems, RecordSection::Medications],
        dates: (None, NaiveDate::from_ymd_opt(2026, 11, 30)),
        page_count: 4,
        method: ReleaseMethod::Printed,
        file_name: "",
        sha256: &[0xab, 0xcd],
    }
}

#[test]
fn disclosures_are_logged_listed_and_never_changed() {
    let mut f = fx();
    let (p, u) = (f.patient, f.user);
    f.store
        .write(|tx| {
            disclosures::insert(
                tx,
                &disclosure(p, DisclosurePurpose::Treatment, "Dr Heart"),
                at(1),
                u,
            )?;
            disclosures::insert(
                tx,
                &disclosure(p, DisclosurePurpose::Legal, "County Court"),
                at(2),
                u,
            )
        })
        .unwrap();
    let d = disclosures::of_patient(f.store.read(), p, at(0)).unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].recipient, "County Court", "newest first");
    assert!(d[0].accountable && !d[1].accountable);
    assert_eq!(d[1].by_name, "Dana Doc");
    assert_eq!(
        d[1].sections,
        vec![RecordSection::Problems, RecordSection::Medications]
    );
    assert_eq!(d[1].recipient_address, "12 Heart St\nSpringfield, IL 62701");
    assert_eq!((d[1].page_count, d[1].sha256.as_str()), (4, "abcd"));
    assert_eq!(
        disclosures::of_patient(f.store.read(), p, at(2))
            .unwrap()
            .len(),
        1,
        "the window starts where it is asked to"
    );
    let filter = |accountable_only, text: &str, order| disclosures::LogFilter {
        from: None,
        to: None,
        purpose: None,
        accountable_only,
        text: text.into(),
        order,
        limit: 100,
    };
    let all = disclosures::log(
        f.store.read(),
        &filter(false, "", disclosures::LogOrder::OldestFirst),
    )
    .unwrap();
    assert_eq!(
        all.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>(),
        ["Dr Heart", "County Court"]
    );
    let acc = disclosures::log(
        f.store.read(),
        &filter(true, "", disclosures::LogOrder::NewestFirst),
    )
    .unwrap();
    assert_eq!(acc.len(), 1);
    assert_eq!(acc[0].purpose, DisclosurePurpose::Legal);
    let by_text = disclosures::log(
        f.store.read(),
        &filter(false, "heart", disclosures::LogOrder::NewestFirst),
    )
    .unwrap();
    assert_eq!(by_text.len(), 1);
    for sql in [
        "UPDATE disclosure SET recipient = 'someone else'",
        "DELETE FROM disclosure",
    ] {
        let err: StoreError = f.store.write(|tx| Ok(tx.execute(sql, [])?)).unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
}

#[test]
fn referral_providers_keep_every_edit_and_are_never_deleted() {
    let mut f = fx();
    let u = f.user;
    let mut fields = referrals::ProviderFields {
        name: "Ada Heart".into(),
        specialty: "Cardiology".into(),
        practice: "Springfield Heart".into(),
        address: "12 Heart St\nSpringfield, IL 62701".into(),
        phone: "2175550142".into(),
        fax: "2175550143".into(),
        npi: "1234567893".into(),
        active: true,
    };
    let r = f
        .store
        .write(|tx| referrals::insert(tx, &fields, at(1), u))
        .unwrap();
    assert_eq!(r.version, 1);
    fields.active = false;
    let r2 = f
        .store
        .write(|tx| referrals::update(tx, r.id, 1, &fields, at(2), u))
        .unwrap();
    assert_eq!((r2.version, r2.fields.active), (2, false));
    let stale = f
        .store
        .write(|tx| referrals::update(tx, r.id, 1, &fields, at(3), u))
        .unwrap_err();
    assert!(
        matches!(stale, chartroom_store::StoreError::Conflict { .. }),
        "{stale}"
    );
    let h: Vec<corrections::Replaced<corrections::Fields>> =
        corrections::history(f.store.read(), &referrals::PROVIDER, r.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].change, "made inactive");
    let bad_npi = referrals::ProviderFields {
        npi: "12345".into(),
        ..fields.clone()
    };
    assert!(f
        .store
        .write(|tx| referrals::insert(tx, &bad_npi, at(4), u))
        .is_err());
    let err: StoreError = f
        .store
        .write(|tx| Ok(tx.execute("DELETE FROM referral_provider", [])?))
        .unwrap_err();
    assert!(err.to_string().contains("never deleted"), "{err}");
    assert_eq!(referrals::list(f.store.read()).unwrap().len(), 1);
}

/// Signs with the hash alone (the store does not make signatures; the API
/// signs with the clinician's key).
fn hash_only(
    _: &[u8; 32],
) -> Result<Option<(chartroom_types::SigningKeyId, Vec<u8>)>, chartroom_store::StoreError> {
    Ok(None)
}
