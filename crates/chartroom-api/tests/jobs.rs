//! Background jobs: a backup runs on its own thread and connection, so the
//! window's requests go on while it runs; it ends with a file that restores,
//! and with its audit record; bad folders are refused by field.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_api::protocol::AuditQuery;

mod common;

use std::time::{Duration, Instant};

use chartroom_admin::commands::*;
use chartroom_api::commands::*;
use chartroom_api::jobs::{JobPhase, JobView};
use chartroom_api::practice::{restore, RestoreKey};
use chartroom_api::ErrorCode;
use chartroom_patients::commands::*;
use chartroom_store::model::{AuditAction, Role};
use common::*;

/// Patients in the practice the backup copies: enough that the backup
/// takes a while even on a fast machine. `CHARTROOM_BACKUP_TEST_PATIENTS`
/// sets another size (BENCHMARKS.md records a run at 100,000).
fn patients() -> usize {
    std::env::var("CHARTROOM_BACKUP_TEST_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn status(fx: &mut Fx, job: &JobView) -> JobView {
    ok(&mut fx.app, JobStatus { job_id: job.id })
}

#[test]
fn patient_search_answers_while_a_backup_runs() {
    let mut fx = practice(true);
    // An office manager who both runs backups and finds patients.
    add_user(
        &mut fx.app,
        "office",
        &[Role::Administrator, Role::FrontDesk],
        false,
    );
    fx.app
        .add_demo_patients(patients(), 7, &mut |_| {})
        .unwrap();
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "office");
    let out = tempfile::tempdir().unwrap();
    let job = ok(
        &mut fx.app,
        StartBackup {
            folder: out.path().display().to_string(),
        },
    );
    assert_eq!(job.phase, JobPhase::Running);
    let queries = ["ng", "smi", "john", "gar", "lee", "mar", "pat", "wil"];
    let mut during = Vec::new();
    let started = Instant::now();
    let last = loop {
        let q = queries[during.len() % queries.len()];
        let t = Instant::now();
        let hits = ok(
            &mut fx.app,
            SearchPatients {
                query: q.into(),
                limit: 50,
            },
        );
        let took = t.elapsed();
        let s = status(&mut fx, &job);
        if s.phase != JobPhase::Running {
            break s;
        }
        assert!(!hits.is_empty() || q == "ng", "no hits for {q}");
        during.push(took);
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the backup did not finish"
        );
    };
    assert_eq!(last.phase, JobPhase::Done, "{:?}", last.error);
    assert!(
        during.len() >= 10,
        "only {} searches ran while the backup ran",
        during.len()
    );
    during.sort();
    let p99 = during[(during.len() * 99 / 100).min(during.len() - 1)];
    println!(
        "{} searches during a {:.2} s backup of {} patients: p50 {:?}, p99 {p99:?}, max {:?}",
        during.len(),
        started.elapsed().as_secs_f64(),
        patients(),
        during[during.len() / 2],
        during[during.len() - 1]
    );
    assert!(
        p99 < Duration::from_millis(100),
        "search p99 {p99:?} while a backup runs"
    );

    // The file it wrote restores, with every patient, and the job is audited.
    let file = std::path::PathBuf::from(last.output.clone().unwrap());
    assert!(file.starts_with(out.path()), "{}", file.display());
    // The progress counted the snapshot's bytes; the file holds them
    // encrypted, with a header and a tag per chunk.
    let written = std::fs::metadata(&file).unwrap().len();
    assert!(
        last.done_bytes > 1_000_000 && written > last.done_bytes,
        "progress {} bytes, file {written} bytes",
        last.done_bytes
    );
    let into = tempfile::tempdir().unwrap();
    let target = into.path().join("restored");
    restore(
        &file,
        &target,
        RestoreKey::RecoveryCode(&fx.recovery),
        &*fx.clock,
        &mut |_| {},
    )
    .unwrap();
    assert!(target.join("chartroom.db").exists());
    let audit = ok(
        &mut fx.app,
        AuditReport {
            filter: AuditQuery {
                limit: 50,
                ..Default::default()
            },
        },
    );
    let backup = audit
        .iter()
        .find(|r| r.action == AuditAction::Backup)
        .expect("the backup is audited");
    assert_eq!(backup.username, "office");
    assert!(backup.detail.contains("background"), "{}", backup.detail);
}

#[test]
fn a_backup_needs_a_real_folder_and_the_settings_permission() {
    let mut fx = practice(true);
    let missing = fx.dir.path().join("no-such-folder");
    for (folder, why) in [
        (String::new(), "Choose the folder"),
        ("relative/path".to_string(), "full path"),
        (missing.display().to_string(), "There is no folder"),
    ] {
        let e = fx.app.run(StartBackup { folder }).unwrap_err();
        let w = e.to_wire();
        assert_eq!(w.code, ErrorCode::Validation);
        assert_eq!(w.fields[0].field, "folder");
        assert!(w.fields[0].message.contains(why), "{}", w.fields[0].message);
    }
    assert_eq!(
        code(fx.app.run(JobStatus { job_id: 42 })),
        ErrorCode::Validation
    );
    add_user(&mut fx.app, "desk", &[Role::FrontDesk], false);
    ok(&mut fx.app, Logout {});
    login(&mut fx.app, "desk");
    assert_eq!(
        code(fx.app.run(StartBackup {
            folder: fx.dir.path().display().to_string(),
        })),
        ErrorCode::PermissionDenied
    );
}
