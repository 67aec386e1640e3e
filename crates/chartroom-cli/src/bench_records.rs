//! `chartroom bench-records`: builds a practice through the API (encrypted,
//! as shipped) with one patient's long history and a 5-page scanned PDF
//! attached to it (each page a 150-dpi greyscale image, as a scanner
//! makes), then times, through [`Chartroom::run`] (the desktop shell's
//! path minus the webview's IPC), as a practice manager:
//! the release of a referral packet of at least `pages` pages (the letter,
//! problems, medications, allergies, vitals and labs with three trend
//! plots, notes, the scan) saved to a file with its disclosure committed
//! (with a scan no packet has drawn yet, and again with one drawn), and
//! the preview of its first page. Prints a Markdown table for
//! `BENCHMARKS.md`.

use std::time::{Duration, Instant};

use base64::Engine as _;
use chartroom_admin::commands::CreateUser;
use chartroom_api::commands::{Login, Logout};
use chartroom_api::{Chartroom, Clock as _, Routed, SystemClock};
use chartroom_chart::commands::AttachDocument;
use chartroom_demo::ChartSize;
use chartroom_pdf::{Block, FlowDoc, Footer, Paper};
use chartroom_records::commands::{
    GetRecordChoices, PreviewRecord, ReleaseRecord, SaveReferralProvider,
};
use chartroom_records::protocol::{
    PaperSize, ProviderForm, Recipient, RecordRequest, ReferralLetter, ReleaseOutput,
};
use chartroom_store::model::Role;
use chartroom_types::{
    DisclosurePurpose, NoteId, PacketKind, PatientId, RecordSection, ReleaseMethod,
};

use crate::bench_chart::PW;
/// The scan's resolution, as a desk scanner's "document" setting.
const SCAN_DPI: f32 = 150.0;
/// The scan's pages.
const SCAN_PAGES: usize = 5;
/// Releases timed with a scan drawn for the first time.
const COLD: usize = 5;

fn ok<C: Routed>(app: &mut Chartroom, c: C) -> Result<C::Answer, String> {
    // Debug: a refusal names its fields.
    app.run(c).map_err(|e| format!("{e:?}"))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len().max(1) as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// A 5-page "scanned" PDF: pages of text drawn, rasterised at
/// [`SCAN_DPI`] and put back as one image per page.
fn scanned_pdf(label: &str) -> Result<Vec<u8>, String> {
    let text: Vec<Block> = (0..SCAN_PAGES)
        .flat_map(|n| {
            let mut v = vec![Block::Heading(format!(
                "Outside record {label}, page {}",
                n + 1
            ))];
            v.extend((0..14).map(|i| {
                Block::Paragraph(format!(
                    "Paragraph {i}: the patient was seen at the outside clinic; blood pressure \
                     was reviewed, medications reconciled and a follow-up arranged. Findings \
                     are summarised here as an outside provider would type them."
                ))
            }));
            v.push(Block::PageBreak);
            v
        })
        .collect();
    let doc = |blocks| FlowDoc {
        paper: Paper::Letter,
        title: "Scan".into(),
        author: "Scanner".into(),
        created_unix: 0,
        letterhead: None,
        window_address: None,
        footer: Footer::default(),
        blocks,
    };
    let typed = chartroom_pdf::render_flow(&doc(text)).map_err(|e| e.to_string())?;
    let pages = chartroom_pdf::raster::page_count(&typed).map_err(|e| e.to_string())?;
    let mut images = Vec::new();
    for i in 0..pages.min(SCAN_PAGES) {
        let (png, _, _) =
            chartroom_pdf::raster::page_png(&typed, i, SCAN_DPI).map_err(|e| e.to_string())?;
        images.push(Block::Image {
            caption: String::new(),
            bytes: png,
        });
    }
    chartroom_pdf::render_flow(&doc(images)).map_err(|e| e.to_string())
}

fn request(
    patient: PatientId,
    notes: Vec<NoteId>,
    plots: Vec<String>,
    scan: Vec<chartroom_types::DocumentId>,
    sender: chartroom_types::UserId,
) -> RecordRequest {
    RecordRequest {
        patient_id: patient,
        kind: PacketKind::Referral,
        sections: vec![
            RecordSection::Problems,
            RecordSection::Medications,
            RecordSection::Allergies,
            RecordSection::Vitals,
            RecordSection::Labs,
            RecordSection::Notes,
            RecordSection::Documents,
        ],
        from: String::new(),
        to: String::new(),
        note_ids: notes,
        document_ids: scan,
        trend_codes: plots,
        paper: PaperSize::Letter,
        letter: Some(ReferralLetter {
            reason: "Exertional chest pressure for three weeks; hypertension not at target.".into(),
            question: "Is a stress test indicated, and would you adjust her treatment?".into(),
            sender: Some(sender),
        }),
    }
}

pub fn run(pages: u32, rounds: usize) -> Result<(), String> {
    let base = std::env::temp_dir().join(format!("chartroom-bench-records-{}", std::process::id()));
    // The saved packets go beside the data folder, never in it.
    let (dir, out) = (base.join("data"), base.join("out"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut app = crate::bench_chart::bench_practice(&dir)?;
    let login = |app: &mut Chartroom, user: &str| {
        ok(
            app,
            Login {
                username: user.into(),
                password: PW.into(),
            },
        )
        .map(|_| ())
    };
    for (username, full_name, credentials, role) in [
        ("doc", "Dana Doc", "MD", Role::Clinician),
        ("mia", "Mia Manager", "", Role::PracticeManager),
    ] {
        ok(
            &mut app,
            CreateUser {
                username: username.into(),
                full_name: full_name.into(),
                credentials: credentials.into(),
                password: PW.into(),
                roles: vec![role],
                can_emergency_access: false,
            },
        )?;
    }
    ok(&mut app, Logout {})?;
    let patient = PatientId(1);
    app.add_demo_patients(50, 2026, &mut |_| {})
        .map_err(|e| e.to_string())?;
    app.add_demo_chart(
        patient,
        ChartSize {
            encounters: 60,
            observations: 240,
        },
        2026,
    )
    .map_err(|e| e.to_string())?;

    login(&mut app, "doc")?;
    let scan = scanned_pdf("A")?;
    let scan_len = scan.len();
    let attach = |app: &mut Chartroom, scan: &[u8]| {
        ok(
            app,
            AttachDocument {
                patient_id: patient,
                file_name: "outside-records.pdf".into(),
                mime: "application/pdf".into(),
                data_base64: base64::engine::general_purpose::STANDARD.encode(scan),
                category: "letter".into(),
                doc_date: SystemClock.today().format("%m/%d/%Y").to_string(),
                description: format!("Outside records, scanned ({SCAN_PAGES} pages)"),
            },
        )
        .map(|d| d.id)
    };
    let doc = attach(&mut app, &scan)?;
    // Scans no packet has drawn yet, for the first-release figures.
    let mut fresh = Vec::new();
    for i in 0..COLD {
        fresh.push(attach(&mut app, &scanned_pdf(&format!("B{i}"))?)?);
    }
    ok(&mut app, Logout {})?;

    login(&mut app, "mia")?;
    let provider = ok(
        &mut app,
        SaveReferralProvider {
            provider_id: None,
            expected_version: 0,
            provider: ProviderForm {
                name: "Dr Ada Heartwell".into(),
                specialty: "Cardiology".into(),
                practice: "Springfield Heart Associates".into(),
                address: "12 Cardiac Way, Suite 4\nSpringfield, IL 62701".into(),
                phone: "(217) 555-0142".into(),
                fax: "(217) 555-0143".into(),
                npi: "1234567893".into(),
                active: true,
            },
        },
    )?;
    let choices = ok(
        &mut app,
        GetRecordChoices {
            patient_id: patient,
        },
    )?;
    let sender = choices
        .senders
        .first()
        .ok_or("no clinician to sign the letter")?
        .user_id;
    let plots: Vec<String> = choices
        .measures
        .iter()
        .take(3)
        .map(|m| m.code.clone())
        .collect();
    if plots.len() < 3 {
        return Err(format!("only {} measures to plot", plots.len()));
    }
    let recipient = Recipient {
        provider_id: Some(provider.id),
        ..Recipient::default()
    };
    // The fewest notes that make the packet `pages` long.
    let mut notes = Vec::new();
    let mut page_count = 0;
    for n in &choices.notes {
        notes.push(n.id);
        page_count = ok(
            &mut app,
            PreviewRecord {
                request: request(patient, notes.clone(), plots.clone(), vec![doc], sender),
                recipient: recipient.clone(),
                page: 1,
            },
        )?
        .page_count;
        if page_count >= pages {
            break;
        }
    }
    if page_count < pages {
        return Err(format!(
            "{} notes make only {page_count} pages",
            choices.notes.len()
        ));
    }
    let req = request(patient, notes.clone(), plots.clone(), vec![doc], sender);

    let save_to = |name: String| ReleaseOutput {
        method: ReleaseMethod::Saved,
        path: out.join(name).display().to_string(),
        printer: String::new(),
    };
    // First releases: the scan is drawn (rasterised) in the release.
    let mut cold = Vec::with_capacity(COLD);
    for (i, scan) in fresh.iter().enumerate() {
        let mut r = req.clone();
        r.document_ids = vec![*scan];
        let t = Instant::now();
        ok(
            &mut app,
            ReleaseRecord {
                request: r,
                recipient: recipient.clone(),
                purpose: DisclosurePurpose::Treatment,
                purpose_detail: String::new(),
                output: save_to(format!("first-{i}")),
            },
        )?;
        cold.push(t.elapsed());
    }
    let mut release = Vec::with_capacity(rounds);
    let mut preview = Vec::with_capacity(rounds);
    let mut bytes = 0;
    for i in 0..rounds {
        let t = Instant::now();
        let sent = ok(
            &mut app,
            ReleaseRecord {
                request: req.clone(),
                recipient: recipient.clone(),
                purpose: DisclosurePurpose::Treatment,
                purpose_detail: String::new(),
                output: save_to(format!("packet-{i}")),
            },
        )?;
        release.push(t.elapsed());
        if let Some(p) = &sent.path {
            bytes = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let _ = std::fs::remove_file(p);
        }
        let t = Instant::now();
        ok(
            &mut app,
            PreviewRecord {
                request: req.clone(),
                recipient: recipient.clone(),
                page: 1,
            },
        )?;
        preview.push(t.elapsed());
    }
    // The same packet without the scan, to tell its cost apart.
    let mut bare = req.clone();
    bare.sections.retain(|s| *s != RecordSection::Documents);
    bare.document_ids.clear();
    let mut without_scan = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        ok(
            &mut app,
            PreviewRecord {
                request: bare.clone(),
                recipient: recipient.clone(),
                page: 1,
            },
        )?;
        without_scan.push(t.elapsed());
    }
    cold.sort();
    release.sort();
    preview.sort();
    without_scan.sort();
    println!(
        "packet: {page_count} pages ({} notes, {} plots, a {SCAN_PAGES}-page scan of {} KiB); \
         file {} KiB",
        notes.len(),
        plots.len(),
        scan_len / 1024,
        bytes / 1024
    );
    println!();
    println!("| measurement | n | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (name, v) in [
        ("release, the scan drawn for the first time", &cold),
        (
            "release, the scan already drawn (after its preview)",
            &release,
        ),
        ("preview: first page of the same packet", &preview),
        (
            "preview: first page, the packet without the scan",
            &without_scan,
        ),
    ] {
        println!(
            "| {name} | {} | {} | {} | {} |",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.95)),
            ms(v.last().copied().unwrap_or_default())
        );
    }
    let _ = std::fs::remove_dir_all(&base);
    Ok(())
}
