//! Records out through the API, as a practice manager would use it: the
//! referral address book, a referral packet to a cardiologist (letter,
//! problems, medications, allergies, the blood-pressure trend, the last two
//! notes) previewed and saved, read back with `pdftotext` and `qpdf`; the
//! disclosure in the patient's accounting with the recipient's address and
//! purpose; the accounting's 164.528 rule; and who may do it.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use chartroom_admin::commands::{ListUsers, SetUserDisabled};
use chartroom_api::commands::*;
use chartroom_api::ErrorCode;
use chartroom_chart::commands::*;
use chartroom_chart::vitals::{DIASTOLIC, SYSTOLIC};
use chartroom_records::commands::*;
use chartroom_records::protocol::*;
use chartroom_store::model::Role;
use chartroom_types::{DisclosurePurpose, PacketKind, RecordSection, ReleaseMethod};
use common::*;

fn heartwell() -> ProviderForm {
    ProviderForm {
        name: "Dr Ada Heartwell".into(),
        specialty: "Cardiology".into(),
        practice: "Springfield Heart Associates".into(),
        address: "12 Cardiac Way, Suite 4\nSpringfield, IL 62701".into(),
        phone: "(217) 555-0142".into(),
        fax: "(217) 555-0143".into(),
        npi: "1234567893".into(),
        active: true,
    }
}

fn referral(
    patient: chartroom_types::PatientId,
    notes: Vec<chartroom_types::NoteId>,
) -> RecordRequest {
    RecordRequest {
        patient_id: patient,
        kind: PacketKind::Referral,
        sections: vec![
            RecordSection::Problems,
            RecordSection::Medications,
            RecordSection::Allergies,
            RecordSection::Vitals,
            RecordSection::Notes,
        ],
        from: String::new(),
        to: String::new(),
        note_ids: notes,
        document_ids: vec![],
        trend_codes: vec![SYSTOLIC.into(), DIASTOLIC.into()],
        paper: PaperSize::Letter,
        letter: Some(ReferralLetter {
            reason: "Exertional chest pressure for three weeks; hypertension not at target.".into(),
            question: "Is a stress test indicated, and would you adjust her treatment?".into(),
            sender: None,
        }),
    }
}

/// `r` with its cover letter signed by `sender`.
fn signed_by(mut r: RecordRequest, sender: chartroom_types::UserId) -> RecordRequest {
    if let Some(l) = r.letter.as_mut() {
        l.sender = Some(sender);
    }
    r
}

fn saved(path: &std::path::Path) -> ReleaseOutput {
    ReleaseOutput {
        method: ReleaseMethod::Saved,
        path: path.display().to_string(),
        printer: String::new(),
    }
}

fn qpdf_ok(path: &str) {
    let out = std::process::Command::new("qpdf")
        .args(["--check", path])
        .output()
        .expect("qpdf runs (scripts/setup-debian.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_manager_sends_a_referral_packet_and_it_is_accounted_for() {
    let mut fx = practice(true);
    add_user(&mut fx.app, "mia", &[Role::PracticeManager], false);
    add_user(&mut fx.app, "fred", &[Role::FrontDesk], false);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    add_user(&mut fx.app, "retired", &[Role::Clinician], false);
    let retired = ok(&mut fx.app, ListUsers {})
        .into_iter()
        .find(|u| u.username == "retired")
        .unwrap();
    ok(
        &mut fx.app,
        SetUserDisabled {
            user_id: retired.id,
            disabled: true,
        },
    );
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "fred");
    let patient = register(&mut fx.app, anh());
    fx.app
        .add_demo_chart(
            patient,
            chartroom_demo::ChartSize {
                encounters: 6,
                observations: 120,
            },
            7,
        )
        .unwrap();
    // Front desk cannot reach any of it.
    for e in [
        code(fx.app.run(ListReferralProviders {})),
        code(fx.app.run(GetRecordChoices {
            patient_id: patient,
        })),
        code(fx.app.run(GetAccounting {
            patient_id: patient,
        })),
    ] {
        assert_eq!(e, ErrorCode::PermissionDenied);
    }
    ok(&mut fx.app, Logout {});

    login(&mut fx.app, "mia");
    // The manager may release records but not read or edit the chart.
    assert_eq!(
        code(fx.app.run(GetChartSummary {
            patient_id: patient
        })),
        ErrorCode::PermissionDenied
    );
    // The address book checks what it keeps.
    let bad = ProviderForm {
        npi: "1234567890".into(),
        address: "1\n2\n3\n4\n5".into(),
        ..heartwell()
    };
    let mut fields = field_names(fx.app.run(SaveReferralProvider {
        provider_id: None,
        expected_version: 0,
        provider: bad,
    }));
    fields.sort();
    assert_eq!(fields, ["address", "npi"]);
    let dr = ok(
        &mut fx.app,
        SaveReferralProvider {
            provider_id: None,
            expected_version: 0,
            provider: heartwell(),
        },
    );
    assert_eq!(dr.phone, "(217) 555-0142");

    let choices = ok(
        &mut fx.app,
        GetRecordChoices {
            patient_id: patient,
        },
    );
    assert!(choices.notes.len() >= 2, "{:?}", choices.notes);
    assert!(choices.measures.iter().any(|m| m.code == SYSTOLIC));
    let last_two: Vec<_> = choices.notes.iter().take(2).map(|n| n.id).collect();
    let recipient = Recipient {
        provider_id: Some(dr.id),
        ..Recipient::default()
    };
    // A manager is no physician: the letter needs one to sign it, an
    // enabled clinician of the practice.
    let senders: Vec<_> = choices.senders.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(senders, ["doc user"]);
    assert_eq!(choices.default_sender, None);
    let unsigned = fx.app.run(PreviewRecord {
        request: referral(patient, last_two.clone()),
        recipient: recipient.clone(),
        page: 1,
    });
    assert_eq!(field_names(unsigned), ["letter.sender"]);
    let by_retired = fx.app.run(PreviewRecord {
        request: signed_by(referral(patient, vec![]), retired.id),
        recipient: recipient.clone(),
        page: 1,
    });
    assert_eq!(field_names(by_retired), ["letter.sender"]);
    let doc = choices.senders[0].user_id;
    let preview = ok(
        &mut fx.app,
        PreviewRecord {
            request: signed_by(referral(patient, last_two.clone()), doc),
            recipient: recipient.clone(),
            page: 1,
        },
    );
    assert!(preview.page_count >= 3, "{}", preview.page_count);
    assert_eq!((preview.width_px, preview.height_px), (816, 1056));
    assert!(preview.suggested_path.ends_with(".pdf"));

    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("referral-heartwell");
    let sent = ok(
        &mut fx.app,
        ReleaseRecord {
            request: signed_by(referral(patient, last_two), doc),
            recipient: recipient.clone(),
            purpose: DisclosurePurpose::Treatment,
            purpose_detail: String::new(),
            output: saved(&target),
        },
    );
    let path = sent.path.clone().unwrap();
    assert!(path.ends_with("referral-heartwell.pdf"), "{path}");
    // CHARTROOM_PDF_OUT keeps a copy to look at.
    if let Some(keep) = std::env::var_os("CHARTROOM_PDF_OUT") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&path, std::path::Path::new(&keep).join("referral.pdf")).unwrap();
    }
    qpdf_ok(&path);
    let text = pdf_text(&path);
    for want in [
        "Riverside Clinic",
        "Dr Ada Heartwell",
        "Springfield Heart Associates",
        "12 Cardiac Way, Suite 4",
        "Dear Dr Ada Heartwell,",
        "Reason for referral",
        "Exertional chest pressure",
        "Is a stress test indicated",
        "mia user",
        "doc user\nRiverside Clinic",
        "Sent for doc user by mia user.",
        "Problems",
        "Medications",
        "Allergies",
        "Vital signs",
        "Visit notes",
        "Signed by",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    // The footer on every page: the patient and "Page N of M".
    let pages = sent.disclosure.page_count;
    assert_eq!(pages, i64::from(preview.page_count));
    for n in 1..=pages {
        assert!(
            text.contains(&format!("Page {n} of {pages}")),
            "page {n} footer"
        );
    }
    assert!(
        text.matches("Nguyễn").count() as i64 >= pages,
        "the patient on every page"
    );
    // A second save never replaces the first.
    let again = ok(
        &mut fx.app,
        ReleaseRecord {
            request: signed_by(referral(patient, vec![]), doc),
            recipient: recipient.clone(),
            purpose: DisclosurePurpose::Treatment,
            purpose_detail: String::new(),
            output: saved(&target),
        },
    );
    assert!(again.path.unwrap().ends_with("referral-heartwell-2.pdf"));
    // Never into the data folder.
    let into_data = fx.app.run(ReleaseRecord {
        request: signed_by(referral(patient, vec![]), doc),
        recipient: recipient.clone(),
        purpose: DisclosurePurpose::Treatment,
        purpose_detail: String::new(),
        output: saved(&fx.dir.path().join("leak.pdf")),
    });
    assert_eq!(field_names(into_data), ["output.path"]);
    assert!(!fx.dir.path().join("leak.pdf").exists());

    // A disclosure to a lawyer, which the patient's accounting lists.
    let legal = ok(
        &mut fx.app,
        ReleaseRecord {
            request: RecordRequest {
                kind: PacketKind::Summary,
                sections: vec![RecordSection::Problems],
                letter: None,
                trend_codes: vec![],
                note_ids: vec![],
                ..referral(patient, vec![])
            },
            recipient: Recipient {
                provider_id: None,
                name: "Cole & Partners LLP".into(),
                address: "400 Court St\nSpringfield, IL 62701".into(),
            },
            purpose: DisclosurePurpose::Legal,
            purpose_detail: "subpoena 26-CV-118".into(),
            output: saved(&out_dir.path().join("legal")),
        },
    );
    assert!(legal.disclosure.accountable);

    let acc = ok(
        &mut fx.app,
        GetAccounting {
            patient_id: patient,
        },
    );
    assert_eq!(acc.disclosures.len(), 3);
    assert_eq!(acc.accountable, 1);
    let first = acc
        .disclosures
        .iter()
        .find(|d| d.id == sent.disclosure.id)
        .unwrap();
    assert_eq!(first.recipient, "Dr Ada Heartwell");
    assert!(first.recipient_address.contains("12 Cardiac Way"));
    assert_eq!(first.purpose, DisclosurePurpose::Treatment);
    assert!(!first.accountable, "treatment is logged, not accounted");
    assert_eq!(first.sha256.len(), 64);
    assert!(first.sections.contains(&RecordSection::Notes));

    // The patient's accounting as a PDF lists the legal disclosure only.
    let handed = ok(
        &mut fx.app,
        ReleaseAccounting {
            patient_id: patient,
            output: saved(&out_dir.path().join("accounting")),
        },
    );
    let acc_text = pdf_text(handed.path.as_ref().unwrap());
    qpdf_ok(handed.path.as_ref().unwrap());
    assert!(acc_text.contains("Accounting of disclosures"), "{acc_text}");
    assert!(acc_text.contains("Cole & Partners LLP"), "{acc_text}");
    assert!(acc_text.contains("subpoena 26-CV-118"), "{acc_text}");
    assert!(!acc_text.contains("Heartwell"), "{acc_text}");
    assert_eq!(handed.disclosure.purpose, DisclosurePurpose::PatientRequest);

    // The practice-wide log: everything, filterable.
    let all = ok(
        &mut fx.app,
        DisclosureLog {
            query: DisclosureQuery::default(),
        },
    );
    assert_eq!(all.len(), 4);
    let only = ok(
        &mut fx.app,
        DisclosureLog {
            query: DisclosureQuery {
                accountable_only: true,
                ..DisclosureQuery::default()
            },
        },
    );
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].recipient, "Cole & Partners LLP");

    // The cardiologist retires: taken out of the address book (kept, not
    // deleted), records can no longer go to her; an edit made from a stale
    // copy is refused.
    let retired = ok(
        &mut fx.app,
        SaveReferralProvider {
            provider_id: Some(dr.id),
            expected_version: dr.version,
            provider: ProviderForm {
                active: false,
                ..heartwell()
            },
        },
    );
    assert!(!retired.active);
    assert_eq!(retired.version, dr.version + 1);
    assert_eq!(
        code(fx.app.run(SaveReferralProvider {
            provider_id: Some(dr.id),
            expected_version: dr.version,
            provider: heartwell(),
        })),
        ErrorCode::Conflict
    );
    let listed = ok(&mut fx.app, ListReferralProviders {});
    assert!(listed.iter().any(|p| p.id == dr.id && !p.active));
    let to_retired = fx.app.run(ReleaseRecord {
        request: signed_by(referral(patient, vec![]), doc),
        recipient: recipient.clone(),
        purpose: DisclosurePurpose::Treatment,
        purpose_detail: String::new(),
        output: saved(&out_dir.path().join("to-retired")),
    });
    assert_eq!(field_names(to_retired), ["recipient.provider_id"]);
}

#[test]
fn a_referral_needs_its_letter_and_an_address_for_the_window() {
    let mut fx = practice(true);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    let patient = register(&mut fx.app, anh());
    let mut r = referral(patient, vec![]);
    r.letter = Some(ReferralLetter::default());
    r.paper = PaperSize::A4;
    r.sections.clear();
    let mut f = field_names(fx.app.run(PreviewRecord {
        request: r,
        recipient: Recipient::default(),
        page: 1,
    }));
    f.sort();
    // (Plots need the vitals or labs section, which went with the rest.)
    assert_eq!(f, ["letter.reason", "paper", "sections", "trend_codes"]);
    let f = field_names(fx.app.run(PreviewRecord {
        request: referral(patient, vec![]),
        recipient: Recipient {
            provider_id: None,
            name: "Dr Someone".into(),
            address: String::new(),
        },
        page: 1,
    }));
    assert_eq!(f, ["recipient.address"]);
    // Other purposes need words.
    let f = field_names(fx.app.run(ReleaseRecord {
        request: referral(patient, vec![]),
        recipient: Recipient {
            provider_id: None,
            name: "Dr Someone".into(),
            address: "1 Main St\nTown".into(),
        },
        purpose: DisclosurePurpose::Other,
        purpose_detail: " ".into(),
        output: saved(std::path::Path::new("/nonexistent-folder/x.pdf")),
    }));
    assert_eq!(f, ["purpose_detail"]);
}

#[test]
fn the_patients_own_copy_goes_to_them_at_their_request_and_the_logo_prints() {
    let mut fx = practice(true);
    // A logo: bytes that are not an image are refused by field; a PNG is
    // kept and printed on the letterhead.
    assert_eq!(
        field_names(fx.app.run(chartroom_admin::commands::SetPracticeLogo {
            image_base64: Some("bm90IGFuIGltYWdl".into()),
        })),
        ["logo"]
    );
    let png = std::process::Command::new("convert")
        .args(["-size", "240x120", "xc:navy", "png:-"])
        .output()
        .expect("ImageMagick's convert (scripts/setup-debian.sh)")
        .stdout;
    use base64::Engine as _;
    let s = ok(
        &mut fx.app,
        chartroom_admin::commands::SetPracticeLogo {
            image_base64: Some(base64::engine::general_purpose::STANDARD.encode(&png)),
        },
    );
    assert!(s.has_logo);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    let patient = register(&mut fx.app, anh());
    let out = tempfile::tempdir().unwrap();
    let copy = ok(
        &mut fx.app,
        ReleaseRecord {
            request: RecordRequest {
                patient_id: patient,
                kind: PacketKind::PatientCopy,
                // No sections chosen: the whole record.
                sections: vec![],
                from: String::new(),
                to: String::new(),
                note_ids: vec![],
                document_ids: vec![],
                trend_codes: vec![],
                paper: PaperSize::A4,
                letter: None,
            },
            recipient: Recipient::default(),
            // Whatever is asked, a patient's copy is at their request.
            purpose: DisclosurePurpose::Legal,
            purpose_detail: String::new(),
            output: saved(&out.path().join("copy")),
        },
    );
    let d = &copy.disclosure;
    assert_eq!(d.purpose, DisclosurePurpose::PatientRequest);
    assert!(!d.accountable);
    assert_eq!(d.recipient, "Thị Ánh Nguyễn");
    assert_eq!(d.sections.len(), RecordSection::ALL.len());
    let path = copy.path.unwrap();
    qpdf_ok(&path);
    let text = pdf_text(&path);
    assert!(text.contains("Your health record"), "{text}");
    assert!(
        text.contains("Demographics") && text.contains("Attached documents"),
        "{text}"
    );
    // The logo is drawn: the letterhead's corner has ink.
    let info = std::process::Command::new("pdfimages")
        .args(["-list", &path])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&info.stdout);
    assert!(list.lines().count() > 2, "no image in the copy: {list}");
}

/// A PDF's text as `pdftotext -layout` extracts it, page by page, each
/// line's whitespace folded and blank lines dropped.
fn pages_text(path: &str) -> (usize, String) {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext runs (scripts/setup-debian.sh installs poppler-utils)");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // pdftotext ends every page with a form feed.
    let pages: Vec<&str> = text.trim_end_matches('\u{c}').split('\u{c}').collect();
    let mut shown = String::new();
    for (i, page) in pages.iter().enumerate() {
        let lines = chartroom_core::validate::clean_lines(page);
        assert!(!lines.is_empty(), "page {} has no text", i + 1);
        shown.push_str(&format!("=== page {} ===\n", i + 1));
        for l in lines {
            shown.push_str(&l);
            shown.push('\n');
        }
    }
    (pages.len(), shown)
}

/// What a referral packet and the patient's accounting say, page by page,
/// against their snapshots (`UPDATE_EXPECT=1 cargo test -p chartroom-api
/// --test records snapshot` rewrites them): the letter with the recipient
/// in the window and the physician's signature, each section under its
/// heading, where the pages break, the footer on every page.
#[test]
fn a_referral_packet_and_an_accounting_read_as_their_snapshots() {
    let mut fx = practice(true);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "doc");
    let patient = register(&mut fx.app, anh());
    fx.app
        .add_demo_chart(
            patient,
            chartroom_demo::ChartSize {
                encounters: 3,
                observations: 40,
            },
            11,
        )
        .unwrap();
    let dr = ok(
        &mut fx.app,
        SaveReferralProvider {
            provider_id: None,
            expected_version: 0,
            provider: heartwell(),
        },
    );
    let choices = ok(
        &mut fx.app,
        GetRecordChoices {
            patient_id: patient,
        },
    );
    // The clinician releasing it signs it.
    assert_eq!(choices.default_sender, Some(choices.senders[0].user_id));
    let last_two: Vec<_> = choices.notes.iter().take(2).map(|n| n.id).collect();
    let out_dir = tempfile::tempdir().unwrap();
    let sent = ok(
        &mut fx.app,
        ReleaseRecord {
            request: referral(patient, last_two),
            recipient: Recipient {
                provider_id: Some(dr.id),
                ..Recipient::default()
            },
            purpose: DisclosurePurpose::Treatment,
            purpose_detail: String::new(),
            output: saved(&out_dir.path().join("referral")),
        },
    );
    let path = sent.path.unwrap();
    qpdf_ok(&path);
    let (pages, text) = pages_text(&path);
    assert_eq!(pages as i64, sent.disclosure.page_count);
    expect_test::expect_file!["snapshots/referral-packet.txt"].assert_eq(&text);

    let handed = ok(
        &mut fx.app,
        ReleaseAccounting {
            patient_id: patient,
            output: saved(&out_dir.path().join("accounting")),
        },
    );
    let path = handed.path.unwrap();
    qpdf_ok(&path);
    let (pages, text) = pages_text(&path);
    assert_eq!(pages as i64, handed.disclosure.page_count);
    expect_test::expect_file!["snapshots/accounting.txt"].assert_eq(&text);
}
