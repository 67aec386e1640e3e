//! `chartroom bench-chart`: builds a practice through the API (encrypted,
//! as shipped) with `patients` ordinary patients, a few hundred short
//! clinical histories and one patient with 1,000 visits and 5,000 vital and
//! lab values, then times, through [`Chartroom::handle`] (the same path the
//! desktop shell takes, minus the webview's IPC):
//! the chart summary of the long history (read + audit write, committed),
//! the notes list, a blood-pressure trend, and ICD-10-CM searches as typed.
//! Prints a Markdown table for `BENCHMARKS.md`.

use chartroom_types::PatientId;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chartroom_admin::commands::CreateUser;
use chartroom_api::commands::{Login, Logout, SetupPractice};
use chartroom_api::practice::config_for;
use chartroom_api::{Chartroom, Routed, SystemClock};
use chartroom_chart::commands::{GetChartSummary, ListNotes, SearchCodes, Trend};
use chartroom_demo::ChartSize;
use chartroom_store::model::Role;

/// Every bench user's password.
pub const PW: &str = "bench-password-1";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn time<C: Routed>(
    app: &mut Chartroom,
    rounds: usize,
    mut req: impl FnMut(usize) -> C,
) -> Result<Vec<Duration>, String> {
    let mut v = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let r = req(i);
        let t = Instant::now();
        app.run(r).map_err(|e| e.to_string())?;
        v.push(t.elapsed());
    }
    v.sort();
    Ok(v)
}

/// Queries as a clinician types them into the problem picker.
fn icd_queries() -> Vec<String> {
    let words = [
        "hypertension",
        "type 2 diabetes",
        "hyperlipidemia",
        "asthma",
        "copd",
        "depression",
        "anxiety",
        "low back pain",
        "osteoarthritis knee",
        "gerd",
        "hypothyroidism",
        "obesity",
        "urinary tract infection",
        "otitis media",
        "pneumonia",
        "migraine",
        "atrial fibrillation",
        "chronic kidney disease",
        "htn",
        "t2dm",
        "E11.9",
        "I10",
        "J45",
        "acute bronchitis",
        "vitamin d deficiency",
        "insomnia",
        "allergic rhinitis",
        "sinusitis",
        "cellulitis leg",
        "gout",
        "anemia",
        "heart failure",
        "prostate",
        "pregnancy",
        "well child",
        "annual exam",
    ];
    let mut out = Vec::new();
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        for n in 1..=chars.len() {
            out.push(chars[..n].iter().collect());
        }
    }
    out
}

fn ok<C: Routed>(app: &mut Chartroom, c: C) -> Result<C::Answer, String> {
    app.run(c).map_err(|e| e.to_string())
}

/// A new encrypted practice in `dir` (fast key derivation: the benchmark
/// times requests, not unlocking), its administrator logged in.
pub fn bench_practice(dir: &std::path::Path) -> Result<Chartroom, String> {
    let mut cfg = config_for(dir.to_path_buf(), false);
    cfg.kdf = chartroom_keys::KdfParams::fast_for_tests();
    // What a benchmark saves stays in its own folder.
    cfg.export_dir = dir.join("exports");
    let mut app = Chartroom::start(cfg, Arc::new(SystemClock));
    ok(
        &mut app,
        SetupPractice {
            practice_name: "Bench Clinic".into(),
            admin_username: "admin".into(),
            admin_full_name: "Admin".into(),
            admin_password: PW.into(),
            passphrase: Some("bench passphrase 2026".into()),
        },
    )?;
    ok(
        &mut app,
        Login {
            username: "admin".into(),
            password: PW.into(),
        },
    )?;
    Ok(app)
}

pub fn run(patients: usize, rounds: usize) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("chartroom-bench-chart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut app = bench_practice(&dir)?;
    ok(
        &mut app,
        CreateUser {
            username: "doc".into(),
            full_name: "Dana Doc".into(),
            credentials: "MD".into(),
            password: PW.into(),
            roles: vec![Role::Clinician],
            can_emergency_access: false,
        },
    )?;
    ok(&mut app, Logout {})?;
    eprintln!("generating {patients} patients and their histories...");
    let t = Instant::now();
    app.add_demo_patients(patients.max(1), 2026, &mut |_| {})
        .map_err(|e| e.to_string())?;
    app.add_demo_chart(
        PatientId(1),
        ChartSize {
            encounters: 1000,
            observations: 5000,
        },
        2026,
    )
    .map_err(|e| e.to_string())?;
    for id in 2..=(patients.min(300) as i64) {
        app.add_demo_chart(
            PatientId(id),
            ChartSize {
                encounters: 8,
                observations: 60,
            },
            2026,
        )
        .map_err(|e| e.to_string())?;
    }
    let size = std::fs::metadata(dir.join("chartroom.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "  generated in {:.1} s, {:.1} MiB",
        t.elapsed().as_secs_f64(),
        size as f64 / 1048576.0
    );
    ok(
        &mut app,
        Login {
            username: "doc".into(),
            password: PW.into(),
        },
    )?;

    // Warm the reference data once (loaded on first use, like the app).
    let t = Instant::now();
    ok(
        &mut app,
        SearchCodes {
            query: "a".into(),
            limit: 20,
        },
    )?;
    let icd_load = t.elapsed();

    let summary_first = {
        let t = Instant::now();
        let r = ok(
            &mut app,
            GetChartSummary {
                patient_id: PatientId(1),
            },
        )?;
        let d = t.elapsed();
        {
            let s = r;
            eprintln!(
                "  long history: {} problems, {} medications, {} last vitals, {} recent labs, {} recent notes",
                s.problems.len(), s.medications.len(), s.last_vitals.len(), s.recent_labs.len(), s.recent_notes.len()
            );
        }
        d
    };
    let summary = time(&mut app, rounds, |_| GetChartSummary {
        patient_id: PatientId(1),
    })?;
    let notes = time(&mut app, rounds.min(50), |_| ListNotes {
        patient_id: PatientId(1),
    })?;
    let trend = time(&mut app, rounds, |_| Trend {
        patient_id: PatientId(1),
        codes: vec!["8480-6".into(), "8462-4".into()],
        from: String::new(),
        to: String::new(),
    })?;
    let small = time(&mut app, rounds, |i| GetChartSummary {
        patient_id: PatientId(2 + (i as i64 % 250)),
    })?;
    let queries = icd_queries();
    let mut icd = Vec::new();
    for _ in 0..3 {
        icd.extend(time(&mut app, queries.len(), |i| SearchCodes {
            query: queries[i].clone(),
            limit: 20,
        })?);
    }
    icd.sort();
    println!("| measurement | n | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    for (name, v) in [
        ("chart summary, 1,000 visits + 5,000 values", &summary),
        ("chart summary, short histories", &small),
        ("notes list, 1,000 notes", &notes),
        ("BP trend (2 series, ~2,000 points), one query", &trend),
        ("ICD-10-CM search as typed", &icd),
    ] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.95)),
            ms(percentile(v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        );
    }
    println!();
    println!(
        "first chart summary after start: {} ms; first code search: {} ms; database {:.1} MiB",
        ms(summary_first),
        ms(icd_load),
        size as f64 / 1048576.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
