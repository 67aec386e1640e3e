//! Disk faults through the API: the practice's folder on a small
//! filesystem made by the test (a tmpfs, so the test needs root, as the CI
//! machine has), filled during registrations, printing and a backup; then
//! made read-only. Each fault gives a clear error (its own code, saying
//! nothing was saved), nothing already saved is lost or damaged, no
//! half-written file is left, and once the fault is gone the app works
//! again without a restart.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::Command;

use chartroom_api::commands::*;
use chartroom_api::jobs::JobPhase;
use chartroom_api::protocol::{PatientInput, RegisterOutcome, SaveOutcome};
use chartroom_api::{Chartroom, ErrorCode};
use chartroom_chart::commands::*;
use chartroom_patients::commands::*;
use chartroom_store::model::Role;
use chartroom_types::PatientId;

mod common;
use common::*;

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs and needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {mode}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Fills the disk but for about `leave` bytes, with a file that can be
/// removed to free the space again.
fn fill(disk: &Path, leave: u64) -> PathBuf {
    let filler = disk.join("filler");
    let stat = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(disk)
        .output()
        .unwrap();
    let avail: u64 = String::from_utf8_lossy(&stat.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let size = avail.saturating_sub(leave);
    std::fs::write(&filler, vec![0u8; size as usize]).unwrap();
    filler
}

fn patient(i: usize) -> PatientInput {
    let name: String = i
        .to_string()
        .chars()
        .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
        .collect();
    PatientInput {
        family_name: "Diskfull".into(),
        given_name: format!("Ann{name}"),
        ..anh()
    }
}

fn try_register(app: &mut Chartroom, i: usize) -> Result<PatientId, chartroom_api::ApiError> {
    app.run(RegisterPatient {
        patient: patient(i),
        acknowledge_duplicates: true,
    })
    .map(|o| match o {
        RegisterOutcome::Registered { chart } => chart.patient.id,
        other => panic!("not registered: {other:?}"),
    })
}

/// A practice whose folder (database, key file, exports) is on `disk`.
fn practice_on(disk: &Path) -> Chartroom {
    let mut app = Chartroom::start(config(&disk.join("practice"), None), clock());
    ok(
        &mut app,
        SetupPractice {
            practice_name: "Riverside Clinic".into(),
            admin_username: "admin".into(),
            admin_full_name: "Alex Admin".into(),
            admin_password: PW.into(),
            passphrase: Some(PASSPHRASE.into()),
        },
    );
    login(&mut app, "admin");
    add_user(
        &mut app,
        "doc",
        &[Role::Clinician, Role::Administrator],
        false,
    );
    ok(&mut app, Logout {});
    login(&mut app, "doc");
    app
}

fn partial_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        let name = e.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("partial") {
            out.push(e.display().to_string());
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_full_disk_gives_a_clear_error_loses_nothing_and_the_app_works_once_space_is_freed() {
    let disk = SmallDisk::mount("24m");
    let mut app = practice_on(disk.path());
    let first = try_register(&mut app, 0).unwrap();
    // A prescription to print later.
    let saved = ok(
        &mut app,
        SaveEntry {
            patient_id: first,
            entry_id: None,
            expected_version: 0,
            entry: amoxicillin_rx(),
            override_reason: Some("no allergies recorded".into()),
        },
    );
    let rx = match saved {
        SaveOutcome::Saved { entry } => entry.id,
        other => panic!("not saved: {other:?}"),
    };
    let filler = fill(disk.path(), 512 * 1024);

    // Registrations until the disk is full.
    let mut acked = vec![first];
    let full = loop {
        match try_register(&mut app, acked.len()) {
            Ok(p) => acked.push(p),
            Err(e) => break e,
        }
        assert!(acked.len() < 20_000, "the disk never filled");
    };
    assert_eq!(full.code(), ErrorCode::DiskFull, "{full:?}");
    let wire = full.to_wire();
    assert!(
        wire.message
            .starts_with("The disk is full, so nothing was saved"),
        "{}",
        wire.message
    );

    // Printing and a backup on the full disk: the same clear error, and
    // no half-written file left behind.
    let print = app.run(PrintPrescription { entry_id: rx });
    assert!(
        matches!(
            print.as_ref().map_err(|e| e.code()),
            Err(ErrorCode::DiskFull)
        ),
        "{print:?}"
    );
    let backups = disk.path().join("backups");
    std::fs::create_dir_all(&backups).ok();
    match app.run(StartBackup {
        folder: backups.display().to_string(),
    }) {
        Ok(job) => {
            let v = loop {
                let v = ok(&mut app, JobStatus { job_id: job.id });
                if v.phase != JobPhase::Running {
                    break v;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            };
            assert_eq!(v.phase, JobPhase::Failed, "{v:?}");
            let err = v.error.unwrap();
            assert_eq!(err.code, ErrorCode::DiskFull, "{err:?}");
        }
        // Refused before it starts (no room even for the folder's check).
        Err(e) => assert_eq!(e.code(), ErrorCode::DiskFull, "{e:?}"),
    }
    assert_eq!(partial_files(disk.path()), Vec::<String>::new());

    // Space freed: the same app, without a restart, works again, and
    // nothing acknowledged is lost.
    std::fs::remove_file(&filler).unwrap();
    let after = try_register(&mut app, acked.len()).unwrap();
    acked.push(after);
    for &p in &acked {
        ok(
            &mut app,
            OpenPatient {
                patient_id: p,
                from_search: None,
            },
        );
    }
    let printed = ok(&mut app, PrintPrescription { entry_id: rx });
    assert!(Path::new(&printed.path).is_file());
    let report = app.verify("faults", &[]).unwrap();
    assert!(report.ok(), "{report:?}");
    eprintln!(
        "full disk: {} registrations acknowledged before the disk filled; the next refused with DiskFull; after freeing space all {} there, integrity and chain ok",
        acked.len() - 1,
        acked.len()
    );
}

#[test]
fn a_read_only_folder_gives_a_clear_error_and_no_partial_write() {
    let disk = SmallDisk::mount("24m");
    let mut app = practice_on(disk.path());
    let first = try_register(&mut app, 0).unwrap();
    let saved = ok(
        &mut app,
        SaveEntry {
            patient_id: first,
            entry_id: None,
            expected_version: 0,
            entry: amoxicillin_rx(),
            override_reason: Some("no allergies recorded".into()),
        },
    );
    let rx = match saved {
        SaveOutcome::Saved { entry } => entry.id,
        other => panic!("not saved: {other:?}"),
    };
    // A backup drive and the export folder that are read-only (a locked
    // USB stick, a share mounted read-only): clear refusals, nothing left.
    let stick = SmallDisk::mount("4m");
    stick.remount("ro");
    let e = app
        .run(StartBackup {
            folder: stick.path().display().to_string(),
        })
        .map(|job| loop {
            let v = ok(&mut app, JobStatus { job_id: job.id });
            if v.phase != JobPhase::Running {
                break v;
            }
        });
    let code = match &e {
        Ok(v) => v.error.as_ref().map(|w| w.code),
        Err(err) => Some(err.code()),
    };
    assert_eq!(code, Some(ErrorCode::CannotWrite), "{e:?}");
    let exports = disk.path().join("practice").join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let ro_exports = SmallDisk::mount("4m");
    ro_exports.remount("ro");
    ok(&mut app, Logout {});
    login(&mut app, "admin");
    let mut settings = ok(&mut app, chartroom_admin::commands::GetSettings {});
    settings.export_dir = ro_exports.path().display().to_string();
    ok(
        &mut app,
        chartroom_admin::commands::UpdateSettings { settings },
    );
    ok(&mut app, Logout {});
    login(&mut app, "doc");
    let print = app.run(PrintPrescription { entry_id: rx });
    let err = print.unwrap_err();
    assert_eq!(err.code(), ErrorCode::CannotWrite, "{err:?}");
    assert!(
        err.to_wire()
            .message
            .starts_with("The disk could not be written"),
        "{}",
        err.to_wire().message
    );
    assert_eq!(partial_files(disk.path()), Vec::<String>::new());
    let report = app.verify("faults", &[]).unwrap();
    assert!(report.ok(), "{report:?}");

    // The practice's own folder read-only at start: unlocking says so, and
    // the files are left as they were.
    drop(app);
    let db = disk.path().join("practice").join("chartroom.db");
    let before = std::fs::read(&db).unwrap();
    disk.remount("ro");
    let mut app = Chartroom::start(config(&disk.path().join("practice"), None), clock());
    let r = app.run(UnlockWithPassphrase {
        passphrase: PASSPHRASE.into(),
    });
    let e = r.unwrap_err();
    assert_eq!(e.code(), ErrorCode::CannotWrite, "{e:?}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    drop(app);
    disk.remount("rw");
}
