//! The app's own API in a child process, killed with SIGKILL at random
//! points while it registers patients, records allergies, signs notes and
//! runs backups: after every kill the practice unlocks, every write the
//! child acknowledged is there (each signed note still verifies), SQLite's
//! integrity check passes, the audit chain verifies and every backup the
//! child saw finish restores in full. [`ROUNDS_VAR`] rounds (10 in CI; the
//! figure in `RELIABILITY.md` is from 100).
//!
//! The child is this test binary run again with `--ignored --exact
//! api_writer_process` and the practice's folder in [`DIR_VAR`].

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use chartroom_api::commands::*;
use chartroom_api::jobs::JobPhase;
use chartroom_api::protocol::{EntryInput, NoteBody, PatientInput};
use chartroom_api::Chartroom;
use chartroom_chart::commands::*;
use chartroom_core::signing::SignatureCheck;
use chartroom_patients::commands::*;
use chartroom_store::model::Role;
use chartroom_types::{EntryId, NoteId, PatientId};

mod common;
use common::*;

/// The practice folder the child works in; set only by the parent.
const DIR_VAR: &str = "CHARTROOM_API_CRASH_DIR";
/// How many times the child is killed (default 10).
const ROUNDS_VAR: &str = "CHARTROOM_API_CRASH_ROUNDS";

fn open(dir: &std::path::Path) -> Chartroom {
    let mut app = Chartroom::start(config(dir, None), clock());
    ok(
        &mut app,
        UnlockWithPassphrase {
            passphrase: PASSPHRASE.into(),
        },
    );
    login(&mut app, "doc");
    app
}

/// A name for the `i`th patient (names hold no digits): a, b, ... ba, bb.
fn letters(mut i: u64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.reverse();
    let s = String::from_utf8(out).unwrap();
    format!("Ann{s}")
}

/// The child: writes until it is killed, acknowledging each write on
/// stdout once the API has answered it.
#[test]
#[ignore = "the child half of api_writes_survive_a_killed_process, which runs it"]
fn api_writer_process() {
    let dir = std::env::var(DIR_VAR).unwrap_or_else(|_| {
        panic!("api_writer_process runs only as the child of api_writes_survive_a_killed_process")
    });
    let dir = std::path::PathBuf::from(dir);
    let mut app = open(&dir);
    let mut out = std::io::stdout().lock();
    writeln!(out).unwrap();
    for i in 0u64.. {
        let p = match ok(
            &mut app,
            RegisterPatient {
                patient: PatientInput {
                    given_name: letters(i),
                    family_name: "Crash".into(),
                    ..anh()
                },
                acknowledge_duplicates: true,
            },
        ) {
            chartroom_api::protocol::RegisterOutcome::Registered { chart } => chart.patient.id,
            other => panic!("not registered: {other:?}"),
        };
        writeln!(out, "ack patient {p}").unwrap();
        let saved = ok(
            &mut app,
            SaveEntry {
                patient_id: p,
                entry_id: None,
                expected_version: 0,
                entry: EntryInput::Allergy {
                    substance: "Penicillin".into(),
                    category: "drug_class".into(),
                    reaction: "hives".into(),
                    severity: "moderate".into(),
                    status: "active".into(),
                },
                override_reason: None,
            },
        );
        let entry = match saved {
            chartroom_api::protocol::SaveOutcome::Saved { entry, .. } => entry.id,
            other => panic!("not saved: {other:?}"),
        };
        writeln!(out, "ack entry {entry}").unwrap();
        let n = ok(
            &mut app,
            StartEncounter {
                patient_id: p,
                date: "03/02/2026".into(),
                kind: "follow_up".into(),
                reason: "Crash test visit".into(),
                template_id: None,
            },
        );
        let n = ok(
            &mut app,
            SaveNoteDraft {
                note_id: n.id,
                expected_version: n.version,
                body: NoteBody {
                    assessment: format!("Visit {i}"),
                    ..Default::default()
                },
            },
        );
        let signed = ok(
            &mut app,
            SignNote {
                note_id: n.id,
                expected_version: n.version,
                password: PW.into(),
            },
        );
        writeln!(out, "ack note {}", signed.id).unwrap();
        out.flush().unwrap();
        if i % 4 == 3 {
            // The clock is fixed, so each backup gets a folder of its own.
            let backups = dir
                .join("backups")
                .join(format!("{}-{i}", std::process::id()));
            std::fs::create_dir_all(&backups).unwrap();
            let job = ok(
                &mut app,
                StartBackup {
                    folder: backups.display().to_string(),
                },
            );
            loop {
                let v = ok(&mut app, JobStatus { job_id: job.id });
                match v.phase {
                    JobPhase::Running => std::thread::sleep(std::time::Duration::from_millis(2)),
                    JobPhase::Done => {
                        writeln!(out, "ack backup {}", v.output.unwrap()).unwrap();
                        out.flush().unwrap();
                        break;
                    }
                    JobPhase::Failed => panic!("backup failed: {:?}", v.error),
                }
            }
        }
    }
}

#[test]
fn api_writes_survive_a_killed_process() {
    let rounds: usize = std::env::var(ROUNDS_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut fx = practice(false);
    // A clinician who also runs the backups.
    add_user(
        &mut fx.app,
        "doc",
        &[Role::Clinician, Role::Administrator],
        false,
    );
    let dir = fx.dir.path().to_path_buf();
    drop(fx.app);

    let (mut patients, mut entries, mut notes, mut backups) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut restored = 0;
    let mut seed: u64 = 0x2026_1202_0008;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for round in 0..rounds {
        // Killed after 1 to 40 acknowledgements, then 0 to 20 ms into
        // whatever comes next (a registration, a signature, a backup).
        let kill_after = 1 + next(40) as usize;
        let delay = std::time::Duration::from_micros(next(20_000));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "api_writer_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VAR, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut seen = 0;
        let mut killed = false;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let Some(ack) = line.strip_prefix("ack ") else {
                continue;
            };
            let (what, id) = ack.split_once(' ').unwrap();
            match what {
                "patient" => patients.push(PatientId(id.parse().unwrap())),
                "entry" => entries.push(EntryId(id.parse().unwrap())),
                "note" => notes.push(NoteId(id.parse().unwrap())),
                "backup" => backups.push(std::path::PathBuf::from(id)),
                _ => panic!("unknown acknowledgement {line:?}"),
            }
            seen += 1;
            if seen >= kill_after {
                std::thread::sleep(delay);
                child.kill().unwrap();
                killed = true;
                break;
            }
        }
        let status = child.wait().unwrap();
        if !killed {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!("round {round}: the child stopped by itself ({status}) after {seen} acknowledgements:\n{err}");
        }

        let mut app = open(&dir);
        for &p in &patients {
            ok(
                &mut app,
                OpenPatient {
                    patient_id: p,
                    from_search: None,
                },
            );
        }
        for &e in &entries {
            ok(&mut app, EntryHistory { entry_id: e });
        }
        for &n in &notes {
            let v = ok(&mut app, GetNote { note_id: n });
            assert_eq!(
                v.signature,
                SignatureCheck::Verified,
                "round {round}: acknowledged note {n}"
            );
        }
        let report = app.verify("crash harness", &[]).unwrap();
        assert!(report.ok(), "round {round}: {report:?}");
        drop(app);
        let kf = chartroom_keys::KeyFile::read(&dir.join("chartroom.key")).unwrap();
        let key = kf.unwrap_with_passphrase(PASSPHRASE).unwrap();
        // Each backup is restored in full once, after the round it was
        // made in (a finished backup file is never written again).
        for b in &backups[restored..] {
            let f = std::fs::File::open(b).unwrap();
            chartroom_keys::restore_backup(f, std::io::sink(), &key, &mut |_| {}).unwrap_or_else(
                |e| {
                    panic!(
                        "round {round}: backup {} does not restore: {e}",
                        b.display()
                    )
                },
            );
        }
        restored = backups.len();
    }
    eprintln!(
        "API crash harness: {rounds} SIGKILLs; acknowledged {} registrations, {} allergies, {} signed notes, {} backups; 0 lost, 0 integrity failures, 0 broken chains, every signature verified, every backup restored",
        patients.len(),
        entries.len(),
        notes.len(),
        backups.len()
    );
}
