//! The clinical chart through the API: problems from the ICD-10-CM search,
//! allergies and the drug safety checks with audited overrides, vitals
//! plausibility and units, lab flags, trends, notes that lock when signed,
//! addenda, documents, printed prescriptions and entered-in-error.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_api::protocol::AuditQuery;
use chartroom_types::{NoteId, PatientId};

mod common;

use base64::Engine;
use chartroom_admin::commands::*;
use chartroom_api::commands::*;
use chartroom_api::protocol::{
    ChartEntry, EntryActions, EntryDetails, EntryInput, LabInput, NoteBody, NoteView, SaveOutcome,
    VitalsInput,
};
use chartroom_api::ErrorCode;
use chartroom_chart::commands::*;
use chartroom_core::signing::SignatureCheck;
use chartroom_patients::commands::*;
use chartroom_store::model::{
    AuditAction, EntryStatus, NoteStatus, ObservationKind, Role, Section,
};
use common::*;
use expect_test::expect;

/// A practice with a clinician "doc" logged in and one patient.
fn clinic() -> (Fx, PatientId) {
    let mut fx = practice(true);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    add_user(&mut fx.app, "desk", &[Role::FrontDesk], false);
    // A medical director: may read charts and the audit log with its detail.
    add_user(
        &mut fx.app,
        "director",
        &[Role::Clinician, Role::PracticeManager],
        false,
    );
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    let p = register(&mut fx.app, anh());
    (fx, p)
}

fn save(fx: &mut Fx, p: PatientId, entry: EntryInput, reason: Option<&str>) -> SaveOutcome {
    ok(
        &mut fx.app,
        SaveEntry {
            patient_id: p,
            entry_id: None,
            expected_version: 0,
            entry,
            override_reason: reason.map(str::to_string),
        },
    )
}

fn saved(o: SaveOutcome) -> ChartEntry {
    match o {
        SaveOutcome::Saved { entry } => *entry,
        other => panic!("not saved: {other:?}"),
    }
}

fn fields<T: std::fmt::Debug>(r: Result<T, chartroom_api::ApiError>) -> Vec<String> {
    match r {
        Err(e) => e.to_wire().fields.into_iter().map(|f| f.field).collect(),
        Ok(resp) => panic!("expected field errors, got {resp:?}"),
    }
}

fn penicillin() -> EntryInput {
    EntryInput::Allergy {
        substance: "Penicillin".into(),
        category: "drug_class".into(),
        reaction: "hives".into(),
        severity: "moderate".into(),
        status: "active".into(),
    }
}

fn entries(fx: &mut Fx, p: PatientId, section: Section) -> Vec<ChartEntry> {
    ok(
        &mut fx.app,
        ListEntries {
            patient_id: p,
            section,
        },
    )
}

fn audit_details(fx: &mut Fx, p: PatientId) -> Vec<String> {
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "director");
    let rows = ok(
        &mut fx.app,
        AuditReport {
            filter: AuditQuery {
                patient_id: p.to_string(),
                oldest_first: true,
                limit: 1000,
                ..Default::default()
            },
        },
    );
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    rows.iter()
        .map(|r| format!("{} {} {} {}", r.username, r.action, r.category, r.detail))
        .collect()
}

#[test]
fn hypertension_is_found_by_code_search_and_added() {
    let (mut fx, p) = clinic();
    for q in ["hypertension", "htn"] {
        let hits = ok(
            &mut fx.app,
            SearchCodes {
                query: q.into(),
                limit: 10,
            },
        );
        assert_eq!(hits[0].code, "I10", "{q}");
    }
    let e = saved(save(
        &mut fx,
        p,
        EntryInput::Problem {
            code: "i10".into(),
            description: String::new(),
            status: "active".into(),
            onset: "05/01/2020".into(),
            comment: "home readings high".into(),
        },
        None,
    ));
    assert_eq!(e.code, "I10");
    assert!(
        e.label.to_lowercase().contains("hypertension"),
        "{}",
        e.label
    );
    assert_eq!(e.effective_date.as_deref(), Some("2020-05-01"));
    // Bad input: a code that does not exist, a future onset, a bad status.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: None,
        expected_version: 0,
        entry: EntryInput::Problem {
            code: "ZZZ.9".into(),
            description: String::new(),
            status: "sleeping".into(),
            onset: "01/01/2030".into(),
            comment: String::new(),
        },
        override_reason: None,
    });
    assert_eq!(fields(r), vec!["code", "status", "onset"]);
    assert_eq!(entries(&mut fx, p, Section::Problem).len(), 1);
}

#[test]
fn prescribing_against_an_allergy_needs_an_audited_reason() {
    let (mut fx, p) = clinic();
    saved(save(&mut fx, p, penicillin(), None));
    // The check names both the drug and the allergy.
    let c = ok(
        &mut fx.app,
        CheckDrug {
            patient_id: p,
            drug: "Amoxicillin".into(),
        },
    );
    assert!(c.known);
    assert!(!c.findings.is_empty());
    let SaveOutcome::NeedsOverride { findings } = save(&mut fx, p, amoxicillin_rx(), None) else {
        panic!("prescribed without a warning")
    };
    let msg = &findings[0].message;
    assert!(
        msg.contains("Amoxicillin") || msg.contains("amoxicillin"),
        "{msg}"
    );
    assert!(
        msg.contains("Penicillin") || msg.contains("penicillin"),
        "{msg}"
    );
    assert!(
        entries(&mut fx, p, Section::Prescription).is_empty(),
        "nothing saved"
    );
    // A blank reason is refused; a real one saves and is kept and audited.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: None,
        expected_version: 0,
        entry: amoxicillin_rx(),
        override_reason: Some("  ".into()),
    });
    assert_eq!(fields(r), vec!["override_reason"]);
    let e = saved(save(
        &mut fx,
        p,
        amoxicillin_rx(),
        Some("tolerated amoxicillin in 2024 without reaction"),
    ));
    assert_eq!(
        e.override_reasons,
        vec!["tolerated amoxicillin in 2024 without reaction".to_string()]
    );
    let log = audit_details(&mut fx, p);
    assert!(
        log.iter().any(
            |l| l.starts_with("doc update clinical safety warning overridden")
                && l.contains("Penicillin")
                && l.contains("tolerated amoxicillin")
        ),
        "{log:#?}"
    );
    // An unrelated drug passes without a warning; an unknown one says so.
    assert!(matches!(
        save(
            &mut fx,
            p,
            EntryInput::Medication {
                name: "Lisinopril".into(),
                strength: "10 mg".into(),
                form: "tablet".into(),
                dose: "1 tablet".into(),
                route: "oral".into(),
                frequency: "daily".into(),
                start: "01/15/2026".into(),
                stop: String::new(),
                prescriber: String::new(),
                status: "active".into(),
            },
            None
        ),
        SaveOutcome::Saved { .. }
    ));
    let c = ok(
        &mut fx.app,
        CheckDrug {
            patient_id: p,
            drug: "Zzyzxamab".into(),
        },
    );
    assert!(!c.known && c.findings.is_empty());
}

#[test]
fn no_known_allergies_is_explicit_and_gives_way_to_a_real_allergy() {
    let (mut fx, p) = clinic();
    let status = |fx: &mut Fx| ok(&mut fx.app, GetChartSummary { patient_id: p }).allergy_status;
    assert_eq!(status(&mut fx), "not_asked");
    saved(save(&mut fx, p, EntryInput::NoKnownAllergies, None));
    assert_eq!(status(&mut fx), "no_known_allergies");
    saved(save(&mut fx, p, penicillin(), None));
    assert_eq!(status(&mut fx), "listed");
    // NKA cannot be recorded while an allergy is active.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: None,
        expected_version: 0,
        entry: EntryInput::NoKnownAllergies,
        override_reason: None,
    });
    assert_eq!(fields(r), vec!["allergies"]);
    let all = entries(&mut fx, p, Section::Allergy);
    let nka = all
        .iter()
        .find(|e| e.label == "No known allergies")
        .unwrap();
    assert_eq!(nka.status, EntryStatus::Inactive);
}

#[test]
fn edits_keep_history_and_entered_in_error_is_final() {
    let (mut fx, p) = clinic();
    let e = saved(save(&mut fx, p, penicillin(), None));
    let SaveOutcome::Saved { entry: e2 } = ok(
        &mut fx.app,
        SaveEntry {
            patient_id: p,
            entry_id: Some(e.id),
            expected_version: e.version,
            entry: EntryInput::Allergy {
                substance: "Penicillin".into(),
                category: "drug_class".into(),
                reaction: "anaphylaxis".into(),
                severity: "severe".into(),
                status: "active".into(),
            },
            override_reason: None,
        },
    ) else {
        panic!()
    };
    // A stale version conflicts.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: Some(e.id),
        expected_version: e.version,
        entry: penicillin(),
        override_reason: None,
    });
    assert_eq!(code(r), ErrorCode::Conflict);
    let r = fx.app.run(MarkEntryInError {
        entry_id: e.id,
        expected_version: e2.version,
        reason: " ".into(),
    });
    assert_eq!(fields(r), vec!["reason"]);
    let gone = ok(
        &mut fx.app,
        MarkEntryInError {
            entry_id: e.id,
            expected_version: e2.version,
            reason: "wrong patient".into(),
        },
    );
    assert_eq!(gone.status, EntryStatus::EnteredInError);
    assert_eq!(gone.error_reason, "wrong patient");
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: Some(e.id),
        expected_version: gone.version,
        entry: penicillin(),
        override_reason: None,
    });
    assert_eq!(code(r), ErrorCode::RecordLocked);
    let h = ok(&mut fx.app, EntryHistory { entry_id: e.id });
    let changes: Vec<&str> = h.iter().map(|v| v.change.as_str()).collect();
    assert_eq!(
        changes,
        vec!["created", "edited", "marked entered in error"]
    );
    assert!(matches!(
        &h[1].details,
        EntryDetails::Allergy { severity, .. } if severity == "severe"
    ));
    // Still listed (struck through in the UI), not in the summary.
    assert_eq!(entries(&mut fx, p, Section::Allergy).len(), 1);
    check_summary(
        &mut fx.app,
        p,
        expect![[r#"
        allergies: not_asked
    "#]],
    );
}

fn vitals() -> VitalsInput {
    VitalsInput {
        taken_at: "2026-03-02T08:45".into(),
        temperature_unit: "F".into(),
        height_unit: "in".into(),
        weight_unit: "lb".into(),
        head_circumference_unit: "cm".into(),
        ..Default::default()
    }
}

#[test]
fn vitals_are_checked_stored_in_si_and_trended() {
    let (mut fx, p) = clinic();
    let mut v = vitals();
    v.systolic = "1200".into();
    v.diastolic = "80".into();
    v.temperature = "98".into();
    v.temperature_unit = "C".into();
    let r = fx.app.run(RecordVitals {
        patient_id: p,
        vitals: v,
    });
    let e = r.unwrap_err().to_wire();
    assert_eq!(e.fields.len(), 2, "{e:?}");
    assert!(e.fields[0].message.contains("1200 mmHg is not plausible"));
    assert!(e.fields[1].message.contains("did you mean °F"));
    for (i, (sys, dia)) in [(150, 95), (142, 90), (131, 84)].iter().enumerate() {
        let mut v = vitals();
        v.taken_at = format!("2026-0{}-01T09:00", i + 1);
        v.systolic = sys.to_string();
        v.diastolic = dia.to_string();
        v.temperature = "98.6".into();
        v.height = "65".into();
        v.weight = "150".into();
        ok(
            &mut fx.app,
            RecordVitals {
                patient_id: p,
                vitals: v,
            },
        );
    }
    // The summary shows the latest set in the practice's units (US).
    check_summary(
        &mut fx.app,
        p,
        expect![[r#"
        allergies: not_asked
        last vitals:
          Systolic blood pressure: 131 mmHg (range 90–130 mmHg)
          Diastolic blood pressure: 84 mmHg (range 60–80 mmHg)
          Temperature: 98.6 °F (range 97–100 °F)
          Height: 65.0 in
          Weight: 150.0 lb
          Body mass index: 25.0 kg/m2 (range 18.5–25 kg/m2)
    "#]],
    );
    let series = ok(
        &mut fx.app,
        Trend {
            patient_id: p,
            codes: vec!["8480-6".into(), "8462-4".into()],
            from: "01/01/2026".into(),
            to: "12/31/2026".into(),
        },
    );
    let sys: Vec<f64> = series[0].points.iter().map(|p| p.value).collect();
    assert_eq!(sys, vec![150.0, 142.0, 131.0]);
    assert_eq!(series[1].points.len(), 3);
    assert_eq!(
        (series[0].range_low, series[0].range_high),
        (Some(90.0), Some(130.0))
    );
    // The plot's legend shows the range as the backend writes it.
    assert_eq!(series[0].range_text, "90–130 mmHg");
    let r = fx.app.run(Trend {
        patient_id: p,
        codes: vec!["8480-6".into()],
        from: "12/31/2026".into(),
        to: "01/01/2026".into(),
    });
    assert_eq!(fields(r), vec!["to"]);
}

#[test]
fn lab_results_are_flagged_and_corrected_not_overwritten() {
    let (mut fx, p) = clinic();
    let lab = |loinc: &str, value: &str| LabInput {
        loinc: loinc.into(),
        value: value.into(),
        collected_on: "02/20/2026".into(),
        comment: String::new(),
    };
    let a1c = ok(
        &mut fx.app,
        RecordLab {
            patient_id: p,
            lab: lab("4548-4", "8.1"),
            replaces: None,
        },
    );
    assert_eq!(a1c.flag, Some(chartroom_codes::LabFlag::High));
    let k = ok(
        &mut fx.app,
        RecordLab {
            patient_id: p,
            lab: lab("2823-3", "6.9"),
            replaces: None,
        },
    );
    assert_eq!(k.flag, Some(chartroom_codes::LabFlag::CriticalHigh));
    // Mistyped: correct it; the old value stays, marked.
    ok(
        &mut fx.app,
        RecordLab {
            patient_id: p,
            lab: lab("2823-3", "4.9"),
            replaces: Some(k.id),
        },
    );
    let all = ok(
        &mut fx.app,
        ListObservations {
            patient_id: p,
            kind: ObservationKind::Lab,
        },
    );
    assert_eq!(all.len(), 3);
    assert!(all
        .iter()
        .any(|o| o.id == k.id && o.error_reason.contains("corrected")));
    let r = fx.app.run(RecordLab {
        patient_id: p,
        lab: LabInput {
            loinc: "nope".into(),
            value: "abc".into(),
            collected_on: "02/30/2026".into(),
            comment: String::new(),
        },
        replaces: None,
    });
    assert_eq!(fields(r), vec!["loinc", "value", "collected_on"]);
}

#[test]
fn a_signed_note_is_locked_and_takes_signed_addenda() {
    let (mut fx, p) = clinic();
    let t = ok(&mut fx.app, ListTemplates {});
    let follow_up = t.iter().find(|t| t.name == "Follow-up visit").unwrap();
    let n = ok(
        &mut fx.app,
        StartEncounter {
            patient_id: p,
            date: "03/02/2026".into(),
            kind: "follow_up".into(),
            reason: "Blood pressure follow-up".into(),
            template_id: Some(follow_up.id),
        },
    );
    assert_eq!(n.status, NoteStatus::Draft);
    assert!(n.body.plan.contains("Continue current medications"));
    let mut body = n.body.clone();
    body.assessment = "Essential hypertension, improving".into();
    let n = ok(
        &mut fx.app,
        SaveNoteDraft {
            note_id: n.id,
            expected_version: n.version,
            body: body.clone(),
        },
    );
    let r = fx.app.run(SignNote {
        note_id: n.id,
        expected_version: n.version,
        password: "wrong-password".into(),
    });
    assert_eq!(code(r), ErrorCode::WrongPassword);
    let signed = ok(
        &mut fx.app,
        SignNote {
            note_id: n.id,
            expected_version: n.version,
            password: PW.into(),
        },
    );
    assert_eq!(signed.status, NoteStatus::Signed);
    assert!(signed.hash_ok);
    assert_eq!(signed.content_hash.len(), 64);
    let r = fx.app.run(SaveNoteDraft {
        note_id: n.id,
        expected_version: signed.version,
        body: NoteBody {
            assessment: "changed".into(),
            ..body.clone()
        },
    });
    assert_eq!(code(r), ErrorCode::RecordLocked);
    let with = ok(
        &mut fx.app,
        AddAddendum {
            note_id: n.id,
            text: "Potassium reviewed: normal.".into(),
            password: PW.into(),
        },
    );
    assert_eq!(with.addenda.len(), 1);
    assert_eq!(with.addenda[0].status, NoteStatus::Signed);
    assert_eq!(with.body.assessment, "Essential hypertension, improving");
    let gone = ok(
        &mut fx.app,
        MarkNoteInError {
            note_id: n.id,
            reason: "written in the wrong chart".into(),
        },
    );
    assert_eq!(gone.status, NoteStatus::EnteredInError);
    assert_eq!(gone.body.assessment, "Essential hypertension, improving");
    assert!(gone.hash_ok);
}

#[test]
fn documents_are_kept_inside_the_store_with_a_size_limit() {
    let (mut fx, p) = clinic();
    let png = [0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4];
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    let attach = |data: String, category: &str| AttachDocument {
        patient_id: p,
        file_name: "/home/scan/letter.png".into(),
        mime: "image/png".into(),
        data_base64: data,
        category: category.into(),
        doc_date: "02/28/2026".into(),
        description: "Cardiology letter".into(),
    };
    let d = ok(&mut fx.app, attach(b64.clone(), "letter"));
    assert_eq!(d.file_name, "letter.png");
    assert_eq!(d.mime, "image/png");
    let c = ok(&mut fx.app, GetDocument { document_id: d.id });
    assert_eq!(c.data_base64, b64);
    let big = base64::engine::general_purpose::STANDARD.encode(vec![0u8; 16 * 1024 * 1024]);
    let r = fx.app.run(attach(big, "letter"));
    let e = r.unwrap_err().to_wire();
    assert_eq!(e.fields[0].field, "file");
    assert!(e.fields[0].message.contains("15 MB"), "{e:?}");
    let text = base64::engine::general_purpose::STANDARD.encode(b"just text");
    assert_eq!(
        fields(fx.app.run(attach(text, "junk"))),
        vec!["file", "category"]
    );
    // Nothing was written outside the database.
    let names: Vec<String> = std::fs::read_dir(fx.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("chartroom.")),
        "{names:?}"
    );
}

#[test]
fn a_printed_prescription_is_a_pdf_and_a_logged_disclosure() {
    let (mut fx, p) = clinic();
    let e = saved(save(&mut fx, p, amoxicillin_rx(), None));
    let f = ok(&mut fx.app, PrintPrescription { entry_id: e.id });
    assert_eq!(std::fs::metadata(&f.path).unwrap().len(), f.bytes);
    // What is printed, read back from the PDF: practice, patient, drug,
    // directions, quantity and prescriber.
    expect![[r#"
        Riverside Clinic
        doc user Date 03/02/2026
        Rx # RX-000001
        Patient Thị Ánh Nguyễn DOB 03/12/1984
        ℞ Amoxicillin 500 mg capsule
        Sig: Take 1 capsule by mouth three times daily for 10 days
        Dispense: 30 (thirty) capsules
        Refills: 0 (zero)
        Substitution permitted (a generically equivalent product may be dispensed)
        doc user
        Prescriber's signature"#]]
    .assert_eq(&pdf_text(&f.path));
    // A second print is a new file, never an overwrite.
    let f2 = ok(&mut fx.app, PrintPrescription { entry_id: e.id });
    assert_ne!(f.path, f2.path);
    let d = ok(&mut fx.app, ListDisclosures { patient_id: p });
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].kind, chartroom_types::PacketKind::Prescription);
    assert_eq!(d[0].purpose, chartroom_types::DisclosurePurpose::Treatment);
    let log = audit_details(&mut fx, p);
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("doc print clinical prescription printed"))
            .count(),
        2,
        "{log:#?}"
    );
}

/// A printed PDF gets its name only once its disclosure is committed: when
/// the disclosure cannot be recorded (the audit write is made to fail by
/// removing the chain's head behind the app's back), no PDF is left, under
/// its name or a temporary one. Today's main wrote the file inside the
/// transaction, before the commit.
#[test]
fn a_print_whose_disclosure_fails_leaves_no_file() {
    let (mut fx, p) = clinic();
    let e = saved(save(&mut fx, p, amoxicillin_rx(), None));
    let f = ok(&mut fx.app, PrintPrescription { entry_id: e.id });
    let dir = std::path::Path::new(&f.path)
        .parent()
        .unwrap()
        .to_path_buf();
    let listing = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = listing();
    assert_eq!(
        before,
        std::slice::from_ref(&f.file_name),
        "no temporary file after a print"
    );
    {
        let store = raw_store(&fx);
        chartroom_store::audit::tamper_remove_head(store.read()).unwrap();
        store.close().unwrap();
    }
    assert!(fx.app.run(PrintPrescription { entry_id: e.id }).is_err());
    assert_eq!(listing(), before, "the failed print left a file");
}

#[test]
fn front_desk_sees_demographics_but_no_clinical_content() {
    let (mut fx, p) = clinic();
    saved(save(&mut fx, p, penicillin(), None));
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "desk");
    ok(
        &mut fx.app,
        OpenPatient {
            patient_id: p,
            from_search: None,
        },
    );
    let requests: [chartroom_api::Request; 3] = [
        GetChartSummary { patient_id: p }.into(),
        ListNotes { patient_id: p }.into(),
        ListEntries {
            patient_id: p,
            section: Section::Allergy,
        }
        .into(),
    ];
    for req in requests {
        assert_eq!(code(fx.app.handle(req)), ErrorCode::PermissionDenied);
    }
}

#[test]
fn emergency_access_reads_one_patients_chart_by_any_of_its_records() {
    let (mut fx, p) = clinic();
    let other = register(
        &mut fx.app,
        chartroom_api::protocol::PatientInput {
            family_name: "Okafor".into(),
            given_name: "Chidi".into(),
            birth_date: "1970-07-07".into(),
            sex: "male".into(),
            phone_mobile: "(971) 555-0188".into(),
            preferred_contact: "phone".into(),
            ..Default::default()
        },
    );
    saved(save(&mut fx, p, penicillin(), None));
    let note_of = |fx: &mut Fx, patient: PatientId| {
        ok(
            &mut fx.app,
            StartEncounter {
                patient_id: patient,
                date: "03/02/2026".into(),
                kind: "acute".into(),
                reason: "Cough".into(),
                template_id: None,
            },
        )
        .id
    };
    let mine = note_of(&mut fx, p);
    let theirs = note_of(&mut fx, other);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "admin");
    add_user(&mut fx.app, "erdoc", &[Role::FrontDesk], true);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "erdoc");
    assert_eq!(
        code(fx.app.run(GetChartSummary { patient_id: p })),
        ErrorCode::PermissionDenied
    );
    ok(
        &mut fx.app,
        EmergencyAccess {
            mrn: format!("{}", 100_000 + p.get()),
            reason: "collapsed in the waiting room, allergy list needed".into(),
        },
    );
    let s = ok(&mut fx.app, GetChartSummary { patient_id: p });
    assert_eq!(s.allergies[0].label, "Penicillin");
    ok(&mut fx.app, GetNote { note_id: mine });
    // The other patient's note, reached by its id, stays closed; writing too.
    assert_eq!(
        code(fx.app.run(GetNote { note_id: theirs })),
        ErrorCode::PermissionDenied
    );
    assert_eq!(
        code(fx.app.run(SaveEntry {
            patient_id: p,
            entry_id: None,
            expected_version: 0,
            entry: EntryInput::NoKnownAllergies,
            override_reason: None,
        })),
        ErrorCode::PermissionDenied
    );
    let log = audit_details(&mut fx, p);
    assert!(
        log.iter()
            .any(|l| l.starts_with("erdoc read clinical opened chart summary")),
        "{log:#?}"
    );
}

#[test]
fn immunizations_are_cvx_coded_and_refusals_recorded_as_such() {
    let (mut fx, p) = clinic();
    let imm = |cvx: &str, kind: &str, lot: &str, note: &str, date: &str| EntryInput::Immunization {
        cvx: cvx.into(),
        kind: kind.into(),
        date: date.into(),
        lot: lot.into(),
        manufacturer: "Sanofi Pasteur".into(),
        site: "left deltoid".into(),
        route: "IM".into(),
        dose_number: "1".into(),
        note: note.into(),
    };
    let e = saved(save(
        &mut fx,
        p,
        imm("115", "administered", "T12345", "", "03/02/2026"),
        None,
    ));
    assert_eq!(e.code, "115");
    assert!(e.label.to_lowercase().contains("tdap"), "{}", e.label);
    // Historical doses need no lot; refusals need the reason in the note.
    saved(save(
        &mut fx,
        p,
        imm("141", "historical", "", "", "10/01/2025"),
        None,
    ));
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: None,
        expected_version: 0,
        entry: imm("141", "refused", "", "", "03/02/2026"),
        override_reason: None,
    });
    assert_eq!(fields(r), vec!["note"]);
    let refused = saved(save(
        &mut fx,
        p,
        imm(
            "141",
            "refused",
            "",
            "declines flu vaccine this season",
            "03/02/2026",
        ),
        None,
    ));
    assert!(
        matches!(refused.details, EntryDetails::Immunization { ref kind, .. } if kind == "refused")
    );
    // An unknown code, no lot for a dose given, a date before birth.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: None,
        expected_version: 0,
        entry: imm("99999", "administered", "", "", "01/01/1980"),
        override_reason: None,
    });
    assert_eq!(fields(r), vec!["cvx", "date", "lot"]);
    assert_eq!(entries(&mut fx, p, Section::Immunization).len(), 3);
}

#[test]
fn medication_reconciliation_is_kept_in_history() {
    let (mut fx, p) = clinic();
    let med = saved(save(
        &mut fx,
        p,
        EntryInput::Medication {
            name: "Metformin".into(),
            strength: "500 mg".into(),
            form: "tablet".into(),
            dose: "1 tablet".into(),
            route: "oral".into(),
            frequency: "twice daily".into(),
            start: "06/01/2025".into(),
            stop: String::new(),
            prescriber: "Dr. Lee".into(),
            status: "active".into(),
        },
        None,
    ));
    let still = ok(
        &mut fx.app,
        ReconcileMedication {
            entry_id: med.id,
            expected_version: med.version,
            still_taking: true,
            note: "takes with breakfast and dinner".into(),
        },
    );
    assert_eq!(still.status, EntryStatus::Active);
    let stopped = ok(
        &mut fx.app,
        ReconcileMedication {
            entry_id: med.id,
            expected_version: still.version,
            still_taking: false,
            note: "stopped for GI upset".into(),
        },
    );
    assert_eq!(stopped.status, EntryStatus::Stopped);
    assert!(matches!(
        &stopped.details,
        EntryDetails::Medication { stop: Some(d), .. } if d == "2026-03-02"
    ));
    let h = ok(&mut fx.app, EntryHistory { entry_id: med.id });
    let changes: Vec<&str> = h.iter().map(|v| v.change.as_str()).collect();
    assert_eq!(
        changes,
        vec![
            "created",
            "reconciled: still taking: takes with breakfast and dinner",
            "reconciled: no longer taking: stopped for GI upset"
        ]
    );
    // A stopped medication is not reconciled again.
    let r = fx.app.run(ReconcileMedication {
        entry_id: med.id,
        expected_version: stopped.version,
        still_taking: true,
        note: String::new(),
    });
    assert_eq!(fields(r), vec!["entry_id"]);
}

#[test]
fn the_practice_edits_its_note_templates() {
    let (mut fx, _) = clinic();
    let body = NoteBody {
        subjective: "Diabetes follow-up. Home glucose: ".into(),
        plan: "A1c in 3 months.".into(),
        ..Default::default()
    };
    let t = ok(
        &mut fx.app,
        SaveTemplate {
            template_id: None,
            expected_version: 0,
            name: "Diabetes visit".into(),
            body: body.clone(),
            active: true,
        },
    );
    let mine = t
        .iter()
        .find(|t| t.name == "Diabetes visit")
        .unwrap()
        .clone();
    assert_eq!(mine.body, body);
    // Same name twice is refused; a stale edit conflicts; a real edit saves.
    let dup = fx.app.run(SaveTemplate {
        template_id: None,
        expected_version: 0,
        name: "diabetes VISIT".into(),
        body: body.clone(),
        active: true,
    });
    assert_eq!(code(dup), ErrorCode::Duplicate);
    let t = ok(
        &mut fx.app,
        SaveTemplate {
            template_id: Some(mine.id),
            expected_version: mine.version,
            name: "Diabetes visit".into(),
            body: NoteBody {
                plan: "A1c and urine albumin in 3 months.".into(),
                ..body.clone()
            },
            active: false,
        },
    );
    let edited = t.iter().find(|t| t.id == mine.id).unwrap();
    assert!(!edited.active);
    assert!(edited.body.plan.contains("urine albumin"));
    let stale = fx.app.run(SaveTemplate {
        template_id: Some(mine.id),
        expected_version: mine.version,
        name: "Diabetes visit".into(),
        body,
        active: true,
    });
    assert_eq!(code(stale), ErrorCode::Conflict);
}

fn rx(drug: &str) -> EntryInput {
    EntryInput::Prescription {
        drug: drug.into(),
        strength: String::new(),
        form: "tablet".into(),
        directions: "Take as directed".into(),
        quantity: "30".into(),
        quantity_unit: "tablets".into(),
        refills: "0".into(),
        substitution_allowed: true,
    }
}

#[test]
fn prescriptions_are_checked_against_each_other_and_never_edited() {
    let (mut fx, p) = clinic();
    let warfarin = saved(save(&mut fx, p, rx("Warfarin"), None));
    // Warfarin was prescribed here, never added to the medication list:
    // ibuprofen still warns.
    let SaveOutcome::NeedsOverride { findings } = save(&mut fx, p, rx("Ibuprofen"), None) else {
        panic!("ibuprofen with warfarin saved without a warning")
    };
    assert!(
        findings.iter().any(|f| f.conflicts_with == "Warfarin"),
        "{findings:?}"
    );
    // A drug the offline list does not know must be acknowledged.
    let SaveOutcome::NeedsOverride { findings } = save(&mut fx, p, rx("Zzyzxamab"), None) else {
        panic!("an unknown drug was prescribed without acknowledgement")
    };
    assert_eq!(findings[0].kind, chartroom_codes::FindingKind::Unchecked);
    // A written prescription is retracted, not edited.
    let r = fx.app.run(SaveEntry {
        patient_id: p,
        entry_id: Some(warfarin.id),
        expected_version: warfarin.version,
        entry: rx("Warfarin"),
        override_reason: None,
    });
    assert_eq!(fields(r), vec!["entry_id"]);
}

#[test]
fn a_drug_named_after_a_recorded_allergy_warns_even_if_unknown() {
    let (mut fx, p) = clinic();
    saved(save(
        &mut fx,
        p,
        EntryInput::Allergy {
            substance: "Zyflamend".into(),
            category: "drug".into(),
            reaction: "rash".into(),
            severity: "mild".into(),
            status: "active".into(),
        },
        None,
    ));
    let SaveOutcome::NeedsOverride { findings } = save(&mut fx, p, rx("Zyflamend capsules"), None)
    else {
        panic!("no warning")
    };
    assert!(
        findings
            .iter()
            .any(|f| f.kind == chartroom_codes::FindingKind::Allergy
                && f.conflicts_with == "Zyflamend"),
        "{findings:?}"
    );
}

#[test]
fn managers_see_who_opened_a_chart_but_not_what_it_says() {
    let (mut fx, p) = clinic();
    saved(save(&mut fx, p, penicillin(), None));
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "admin");
    add_user(&mut fx.app, "mgr1", &[Role::PracticeManager], false);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "mgr1");
    let rows = ok(
        &mut fx.app,
        AuditReport {
            filter: AuditQuery {
                patient_id: p.to_string(),
                limit: 100,
                ..Default::default()
            },
        },
    );
    let clinical: Vec<_> = rows
        .iter()
        .filter(|r| r.category == chartroom_store::model::DataCategory::Clinical)
        .collect();
    assert!(!clinical.is_empty());
    assert!(
        clinical.iter().all(|r| !r.detail.contains("Penicillin")),
        "{clinical:?}"
    );
    assert!(clinical.iter().any(|r| r.username == "doc"));
}

#[test]
fn retracting_a_weight_retracts_the_bmi_computed_from_it() {
    let (mut fx, p) = clinic();
    let mut v = vitals();
    v.height = "65".into();
    v.weight = "150".into();
    v.pulse = "70".into();
    let obs = ok(
        &mut fx.app,
        RecordVitals {
            patient_id: p,
            vitals: v,
        },
    );
    let weight = obs.iter().find(|o| o.code == "29463-7").unwrap();
    ok(
        &mut fx.app,
        MarkObservationInError {
            observation_id: weight.id,
            reason: "scale not zeroed".into(),
        },
    );
    let all = ok(
        &mut fx.app,
        ListObservations {
            patient_id: p,
            kind: ObservationKind::Vital,
        },
    );
    let status = |code: &str| {
        all.iter()
            .find(|o| o.code == code)
            .map(|o| o.status)
            .unwrap()
    };
    use chartroom_store::model::RecordStatus::*;
    assert_eq!(status("29463-7"), EnteredInError);
    assert_eq!(status("39156-5"), EnteredInError);
    assert_eq!(status("8302-2"), Final);
    assert_eq!(status("8867-4"), Final);
}

#[test]
fn visits_and_documents_are_corrected_with_their_history_kept() {
    let (mut fx, p) = clinic();
    let n = ok(
        &mut fx.app,
        StartEncounter {
            patient_id: p,
            date: "03/01/2026".into(),
            kind: "office_visit".into(),
            reason: "BP check".into(),
            template_id: None,
        },
    );
    let bad = fx.app.run(UpdateVisit {
        note_id: n.id,
        expected_version: n.encounter_version,
        date: "03/03/2099".into(),
        kind: "party".into(),
        reason: " ".into(),
    });
    assert_eq!(fields(bad), vec!["date", "kind", "reason"]);
    let n2 = ok(
        &mut fx.app,
        UpdateVisit {
            note_id: n.id,
            expected_version: n.encounter_version,
            date: "03/02/2026".into(),
            kind: "follow_up".into(),
            reason: "Blood pressure follow-up".into(),
        },
    );
    assert_eq!(
        (
            n2.encounter_date.as_str(),
            n2.encounter_kind.as_str(),
            n2.encounter_version
        ),
        ("2026-03-02", "follow_up", 2)
    );
    assert_eq!(n2.version, n.version, "the draft text is untouched");
    let h = ok(&mut fx.app, VisitHistory { note_id: n.id });
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].fields[2].value, "BP check");
    assert_eq!(h[0].replaced_by, "doc user");
    // Once signed, the visit is part of the signed record.
    let mut body = n2.body.clone();
    body.assessment = "Stable".into();
    let n3 = ok(
        &mut fx.app,
        SaveNoteDraft {
            note_id: n.id,
            expected_version: n2.version,
            body,
        },
    );
    ok(
        &mut fx.app,
        SignNote {
            note_id: n.id,
            expected_version: n3.version,
            password: PW.into(),
        },
    );
    let late = fx.app.run(UpdateVisit {
        note_id: n.id,
        expected_version: 2,
        date: "03/02/2026".into(),
        kind: "follow_up".into(),
        reason: "changed".into(),
    });
    assert_eq!(code(late), ErrorCode::RecordLocked);

    // A document's description is corrected; retracting it records who and when.
    let png = base64::engine::general_purpose::STANDARD
        .encode([0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    let d = ok(
        &mut fx.app,
        AttachDocument {
            patient_id: p,
            file_name: "scan.png".into(),
            mime: "image/png".into(),
            data_base64: png,
            category: "other".into(),
            doc_date: "02/01/2026".into(),
            description: "Letter".into(),
        },
    );
    let d2 = ok(
        &mut fx.app,
        UpdateDocument {
            document_id: d.id,
            expected_version: d.version,
            category: "letter".into(),
            doc_date: "02/02/2026".into(),
            description: "Cardiology letter, Dr. Lee".into(),
        },
    );
    assert_eq!(d2.version, 2);
    let stale = fx.app.run(UpdateDocument {
        document_id: d.id,
        expected_version: 1,
        category: "letter".into(),
        doc_date: "02/02/2026".into(),
        description: "x".into(),
    });
    assert_eq!(code(stale), ErrorCode::Conflict);
    let h = ok(&mut fx.app, DocumentHistory { document_id: d.id });
    assert_eq!(
        h[0].fields
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>(),
        vec!["other", "2026-02-01", "Letter"]
    );
    let gone = ok(
        &mut fx.app,
        MarkDocumentInError {
            document_id: d.id,
            reason: "another patient's letter".into(),
        },
    );
    assert_eq!(gone.error_by, "doc user");
    assert!(gone.error_at.is_some());
    let after = fx.app.run(UpdateDocument {
        document_id: d.id,
        expected_version: 2,
        category: "letter".into(),
        doc_date: "02/02/2026".into(),
        description: "y".into(),
    });
    assert_eq!(code(after), ErrorCode::RecordLocked);
}

#[test]
fn the_backend_says_what_each_entry_allows() {
    let (mut fx, p) = clinic();
    let rx = saved(save(&mut fx, p, amoxicillin_rx(), None));
    assert_eq!(
        rx.actions,
        EntryActions {
            edit: false,
            retract: true,
            reconcile: false,
            print: true
        },
        "a prescription is retracted and written again, never edited"
    );
    let nka = saved(save(&mut fx, p, EntryInput::NoKnownAllergies, None));
    assert!(
        !nka.actions.edit && nka.actions.retract,
        "{:?}",
        nka.actions
    );
    let med = saved(save(
        &mut fx,
        p,
        EntryInput::Medication {
            name: "Lisinopril".into(),
            strength: "10 mg".into(),
            form: "tablet".into(),
            dose: "1 tablet".into(),
            route: "oral".into(),
            frequency: "daily".into(),
            start: "01/15/2026".into(),
            stop: String::new(),
            prescriber: String::new(),
            status: "active".into(),
        },
        None,
    ));
    assert!(med.actions.edit && med.actions.reconcile && !med.actions.print);
    let stopped = ok(
        &mut fx.app,
        ReconcileMedication {
            entry_id: med.id,
            expected_version: med.version,
            still_taking: false,
            note: String::new(),
        },
    );
    assert!(
        !stopped.actions.reconcile,
        "a stopped medication is not reconciled"
    );
    let gone = ok(
        &mut fx.app,
        MarkEntryInError {
            entry_id: rx.id,
            expected_version: rx.version,
            reason: "wrong drug".into(),
        },
    );
    assert_eq!(
        gone.actions,
        EntryActions::default(),
        "nothing is done with a retracted entry"
    );
    // Emergency access reads the chart but may do nothing with it.
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "admin");
    add_user(&mut fx.app, "nurse-er", &[Role::FrontDesk], true);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "nurse-er");
    let mrn = ok(
        &mut fx.app,
        OpenPatient {
            patient_id: p,
            from_search: None,
        },
    )
    .patient
    .mrn;
    ok(
        &mut fx.app,
        EmergencyAccess {
            mrn,
            reason: "unconscious in the waiting room".into(),
        },
    );
    let seen = entries(&mut fx, p, Section::Medication);
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|e| e.actions == EntryActions::default()),
        "{:?}",
        seen.iter().map(|e| e.actions).collect::<Vec<_>>()
    );
}

#[test]
fn only_a_drafts_author_may_edit_it() {
    let (mut fx, p) = clinic();
    let n = ok(
        &mut fx.app,
        StartEncounter {
            patient_id: p,
            date: "03/02/2026".into(),
            kind: "acute".into(),
            reason: "Cough".into(),
            template_id: None,
        },
    );
    assert!(n.can_edit, "its author edits a draft");
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "director");
    let other = ok(&mut fx.app, GetNote { note_id: n.id });
    assert!(
        !other.can_edit,
        "another clinician reads the draft, read-only"
    );
    assert_eq!(
        code(fx.app.run(SaveNoteDraft {
            note_id: n.id,
            expected_version: n.version,
            body: n.body.clone(),
        })),
        ErrorCode::PermissionDenied,
        "and the backend refuses the edit it does not offer"
    );
    // The refusal is recorded, in its own transaction.
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "admin");
    let refused = ok(
        &mut fx.app,
        AuditReport {
            filter: AuditQuery {
                action: Some(AuditAction::Refused),
                limit: 10,
                ..Default::default()
            },
        },
    );
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0].username, "director");
    assert_eq!(refused[0].patient_id, Some(p));
    assert!(
        refused[0].detail.starts_with("SaveNoteDraft refused"),
        "{}",
        refused[0].detail
    );
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    let mut body = n.body.clone();
    body.assessment = "Acute bronchitis".into();
    let n = ok(
        &mut fx.app,
        SaveNoteDraft {
            note_id: n.id,
            expected_version: n.version,
            body,
        },
    );
    let signed = ok(
        &mut fx.app,
        SignNote {
            note_id: n.id,
            expected_version: n.version,
            password: PW.into(),
        },
    );
    assert!(!signed.can_edit, "a signed note is not edited");
}

#[test]
fn head_circumference_is_offered_for_children_under_3_only() {
    let (mut fx, p) = clinic();
    // An adult: no head circumference.
    check_summary(
        &mut fx.app,
        p,
        expect![[r#"
        allergies: not_asked
    "#]],
    );
    let baby = register(
        &mut fx.app,
        chartroom_api::protocol::PatientInput {
            family_name: "Okafor".into(),
            given_name: "Ada".into(),
            birth_date: "2025-01-10".into(),
            sex: "female".into(),
            phone_mobile: "(503) 555-0177".into(),
            preferred_contact: "phone".into(),
            ..Default::default()
        },
    );
    // A 13-month-old.
    check_summary(
        &mut fx.app,
        baby,
        expect![[r#"
        allergies: not_asked
        head circumference: measured
    "#]],
    );
}

/// A note started, written and signed by the logged-in clinician.
fn signed_note(fx: &mut Fx, p: PatientId, assessment: &str, password: &str) -> NoteView {
    let n = ok(
        &mut fx.app,
        StartEncounter {
            patient_id: p,
            date: "03/02/2026".into(),
            kind: "follow_up".into(),
            reason: "Blood pressure follow-up".into(),
            template_id: None,
        },
    );
    let n = ok(
        &mut fx.app,
        SaveNoteDraft {
            note_id: n.id,
            expected_version: n.version,
            body: NoteBody {
                assessment: assessment.into(),
                ..Default::default()
            },
        },
    );
    ok(
        &mut fx.app,
        SignNote {
            note_id: n.id,
            expected_version: n.version,
            password: password.into(),
        },
    )
}

fn signature_of(fx: &mut Fx, note_id: NoteId) -> (bool, SignatureCheck, String) {
    let n = ok(&mut fx.app, GetNote { note_id });
    (n.hash_ok, n.signature, n.signature_label)
}

#[test]
fn a_signed_note_changed_with_the_database_key_and_rehashed_no_longer_verifies() {
    let (mut fx, p) = clinic();
    let n = signed_note(&mut fx, p, "Essential hypertension, improving", PW);
    assert_eq!(n.signature, SignatureCheck::Verified);
    assert_eq!(n.signature_label, "signature verifies");
    let forged_body = serde_json::to_string(&NoteBody {
        assessment: "Hypertension resolved; stop all medications".into(),
        ..Default::default()
    })
    .unwrap();
    {
        // Someone with the key drops the lock, rewrites the note and seals
        // it again with a correct content hash.
        let store = raw_store(&fx);
        chartroom_store::notes::tamper_rewrite_signed(store.read(), n.id, &forged_body).unwrap();
        store.close().unwrap();
    }
    let (hash_ok, check, label) = signature_of(&mut fx, n.id);
    assert!(hash_ok, "the forger re-hashed the note");
    assert_eq!(check, SignatureCheck::DoesNotVerify);
    assert_eq!(label, "signature does not verify");

    // Signing the forgery with a key of the forger's own, put in as the
    // clinician's, does not verify either: the audit log never published it.
    let n2 = signed_note(&mut fx, p, "Second visit", PW);
    assert_eq!(n2.signature, SignatureCheck::Verified);
    {
        let store = raw_store(&fx);
        let c = store.read();
        let row = chartroom_store::notes::get_note(c, n2.id).unwrap();
        let by = row.signed_by.unwrap();
        let own = chartroom_keys::OpenSigningKey::generate();
        let real = chartroom_store::signing_keys::current(c, by)
            .unwrap()
            .unwrap();
        chartroom_store::signing_keys::tamper_set_public_key(c, real.id, &own.public_key())
            .unwrap();
        let hash = chartroom_store::notes::content_hash(&row, by, row.signed_at.unwrap());
        chartroom_store::notes::tamper_set_signature(c, n2.id, &own.sign(&hash)).unwrap();
        store.close().unwrap();
    }
    let (_, check, _) = signature_of(&mut fx, n2.id);
    assert_eq!(check, SignatureCheck::DoesNotVerify);
}

#[test]
fn a_password_reset_gives_a_new_key_and_what_the_old_one_signed_still_verifies() {
    let (mut fx, p) = clinic();
    let first = signed_note(&mut fx, p, "Signed with the first key", PW);
    assert_eq!(first.signature, SignatureCheck::Verified);
    let doc = {
        let store = raw_store(&fx);
        let by = chartroom_store::notes::get_note(store.read(), first.id)
            .unwrap()
            .signed_by
            .unwrap();
        store.close().unwrap();
        by
    };
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "admin");
    const RESET: &str = "after-the-reset-7";
    ok(
        &mut fx.app,
        ResetPassword {
            user_id: doc,
            new_password: RESET.into(),
        },
    );
    ok(&mut fx.app, Logout {});
    ok(
        &mut fx.app,
        Login {
            username: "doc".into(),
            password: RESET.into(),
        },
    );
    assert_eq!(signature_of(&mut fx, first.id).1, SignatureCheck::Verified);
    let second = signed_note(&mut fx, p, "Signed with the second key", RESET);
    assert_eq!(second.signature, SignatureCheck::Verified);

    // The user's own change keeps the key pair: only its wrap changes.
    const OWN: &str = "chosen-by-doc-3";
    ok(
        &mut fx.app,
        ChangeOwnPassword {
            current_password: RESET.into(),
            new_password: OWN.into(),
        },
    );
    let third = signed_note(&mut fx, p, "Signed after changing my password", OWN);
    assert_eq!(third.signature, SignatureCheck::Verified);

    let store = raw_store(&fx);
    let c = store.read();
    let keys = chartroom_store::signing_keys::of_user(c, doc).unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys[0].retired_at.is_some());
    assert_eq!(keys[0].retired_reason, "password reset by administrator");
    assert!(keys[1].retired_at.is_none());
    let key_of = |id| {
        chartroom_store::notes::get_note(c, id)
            .unwrap()
            .signing_key_id
    };
    assert_eq!(key_of(first.id), Some(keys[0].id));
    assert_eq!(key_of(second.id), Some(keys[1].id));
    assert_eq!(key_of(third.id), Some(keys[1].id));
    // Each key was published in the audit chain with its public half.
    for k in &keys {
        let r = chartroom_store::audit::record(c, k.audit_id)
            .unwrap()
            .unwrap();
        assert!(
            r.detail.ends_with(&hex::encode(&k.public_key)),
            "{}",
            r.detail
        );
    }
    // The old password opens nothing any more; the wrap is not the password hash.
    assert!(chartroom_core::signing::open_current(c, doc, PW)
        .unwrap()
        .is_none());
    assert!(chartroom_core::signing::open_current(c, doc, RESET)
        .unwrap()
        .is_none());
    assert!(chartroom_core::signing::open_current(c, doc, OWN)
        .unwrap()
        .is_some());
    store.close().unwrap();
}

/// The document sniffer and the upload's decoding, fed generated bytes
/// through the real request: whatever arrives (cut-short magic numbers,
/// random bytes behind a real one, a declared type that does not match,
/// text that is not base64), the answer is the document or a field
/// error, never a panic or an internal error; and a stored document is
/// always one of the types it was sniffed as.
#[test]
fn generated_uploads_get_the_document_or_a_field_error_never_a_panic() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let (mut fx, p) = clinic();
    let magics: [&[u8]; 5] = [
        b"",
        b"%PDF-",
        &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a],
        &[0xff, 0xd8, 0xff],
        b"%PD",
    ];
    let strategy = (
        0..magics.len(),
        0usize..=8,
        proptest::collection::vec(any::<u8>(), 0..2048),
        prop_oneof![
            Just("application/pdf".to_string()),
            Just("image/png".to_string()),
            Just("image/jpeg".to_string()),
            Just("text/plain".to_string()),
            ".{0,20}",
        ],
        prop_oneof![Just(None), ".{0,40}".prop_map(Some)],
    );
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        ..Config::default()
    });
    let (stored, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let app = std::cell::RefCell::new(&mut fx.app);
    runner
        .run(&strategy, |(m, cut, tail, mime, raw)| {
            let magic = magics[m];
            let mut bytes = magic[..cut.min(magic.len())].to_vec();
            bytes.extend_from_slice(&tail);
            let data =
                raw.unwrap_or_else(|| base64::engine::general_purpose::STANDARD.encode(&bytes));
            let r = app.borrow_mut().run(AttachDocument {
                patient_id: p,
                file_name: "scan.bin".into(),
                mime: mime.clone(),
                data_base64: data,
                category: "letter".into(),
                doc_date: "03/01/2026".into(),
                description: "Generated upload".into(),
            });
            match r {
                Ok(d) => {
                    prop_assert!(
                        ["application/pdf", "image/png", "image/jpeg"].contains(&d.mime.as_str()),
                        "stored as {}",
                        d.mime
                    );
                    stored.set(stored.get() + 1);
                }
                Err(e) => {
                    let w = e.to_wire();
                    prop_assert_eq!(w.code, ErrorCode::Validation, "{:?}", w);
                    prop_assert!(
                        !w.fields.is_empty() && w.fields.iter().all(|f| !f.message.is_empty())
                    );
                    refused.set(refused.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    let (stored, refused) = (stored.get(), refused.get());
    assert!(
        stored > 0 && refused > 0,
        "stored {stored}, refused {refused}"
    );
    eprintln!("generated uploads: {stored} stored, {refused} refused by field, 0 panics");
}
