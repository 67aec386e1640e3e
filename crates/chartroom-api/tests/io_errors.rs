//! I/O errors: the app's own API in a child process run under `strace`,
//! which makes the disk fail (EIO) from the Kth write or sync the child
//! asks for, and every one after it. Whatever the child was doing
//! (unlocking, registering, signing a note), the API answers with the
//! clear `cannot_write` error, never a panic or an internal error; and once
//! the disk works again, every write it acknowledged is there, the
//! refused ones left nothing behind (SQLite's integrity check and the audit
//! chain pass, each signed note still verifies).
//!
//! The child is this test binary run again with `--ignored --exact
//! io_writer_process` and the practice's folder in [`DIR_VAR`].

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::io::Write;
use std::process::{Command, Stdio};

use chartroom_api::commands::*;
use chartroom_api::protocol::{NoteBody, PatientInput, RegisterOutcome};
use chartroom_api::{ApiError, Chartroom};
use chartroom_chart::commands::*;
use chartroom_core::signing::SignatureCheck;
use chartroom_patients::commands::*;
use chartroom_store::model::Role;
use chartroom_types::{NoteId, PatientId};

mod common;
use common::*;

const DIR_VAR: &str = "CHARTROOM_IO_ERRORS_DIR";

/// Writes and syncs (the calls SQLite makes to store a commit) that fail
/// from the injection point on.
const FAILING: &str = "pwrite64,pwritev,fdatasync,fsync";

fn name(i: u64) -> String {
    let letters: String = i
        .to_string()
        .chars()
        .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
        .collect();
    format!("Io{letters}")
}

fn code(e: &ApiError) -> String {
    serde_json::to_value(e.code())
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// The child: unlocks, logs in, registers patients and signs a note for
/// each, printing `ack patient N` / `ack note N` for each success and
/// `refused STEP CODE` for each failure; stops after three refusals.
#[test]
#[ignore = "the child half of io_errors_are_refused_clearly_and_leave_nothing_half_written"]
fn io_writer_process() {
    let dir = std::env::var(DIR_VAR).unwrap_or_else(|_| {
        panic!("io_writer_process runs only as the child of io_errors_are_refused_clearly_and_leave_nothing_half_written")
    });
    let mut out = std::io::stdout().lock();
    writeln!(out).unwrap();
    let mut refusals = 0;
    let mut refuse = |out: &mut std::io::StdoutLock<'_>, step: &str, e: ApiError| {
        writeln!(
            out,
            "refused {step} {} {}",
            code(&e),
            e.to_wire().message.replace('\n', " ")
        )
        .unwrap();
        out.flush().unwrap();
        refusals += 1;
        refusals >= 3
    };
    let mut app = Chartroom::start(config(std::path::Path::new(&dir), None), clock());
    loop {
        let r = app.run(UnlockWithPassphrase {
            passphrase: PASSPHRASE.into(),
        });
        match r {
            Ok(_) => break,
            Err(e) => {
                if refuse(&mut out, "unlock", e) {
                    return;
                }
            }
        }
    }
    if let Err(e) = app.run(Login {
        username: "doc".into(),
        password: PW.into(),
    }) {
        refuse(&mut out, "login", e);
        return;
    }
    for i in 0u64..10_000 {
        let p = match app.run(RegisterPatient {
            patient: PatientInput {
                family_name: "Ioerror".into(),
                given_name: name(i),
                ..anh()
            },
            acknowledge_duplicates: true,
        }) {
            Ok(RegisterOutcome::Registered { chart }) => chart.patient.id,
            Ok(other) => panic!("not registered: {other:?}"),
            Err(e) => {
                if refuse(&mut out, "register", e) {
                    return;
                }
                continue;
            }
        };
        writeln!(out, "ack patient {p}").unwrap();
        let signed = app
            .run(StartEncounter {
                patient_id: p,
                date: "03/02/2026".into(),
                kind: "follow_up".into(),
                reason: "I/O error test visit".into(),
                template_id: None,
            })
            .and_then(|n| {
                app.run(SaveNoteDraft {
                    note_id: n.id,
                    expected_version: n.version,
                    body: NoteBody {
                        assessment: format!("Visit {i}"),
                        ..Default::default()
                    },
                })
            })
            .and_then(|n| {
                app.run(SignNote {
                    note_id: n.id,
                    expected_version: n.version,
                    password: PW.into(),
                })
            });
        match signed {
            Ok(n) => writeln!(out, "ack note {}", n.id).unwrap(),
            Err(e) => {
                if refuse(&mut out, "sign", e) {
                    return;
                }
            }
        }
        out.flush().unwrap();
    }
}

#[test]
fn io_errors_are_refused_clearly_and_leave_nothing_half_written() {
    let mut fx = practice(false);
    add_user(&mut fx.app, "doc", &[Role::Clinician], false);
    let dir = fx.dir.path().to_path_buf();
    drop(fx.app);
    let (mut patients, mut notes, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    // The Kth failing call and every one after it: during unlock, early
    // and late in the writing.
    for k in [3u32, 12, 40, 90, 200, 450] {
        let out = Command::new("strace")
            .args([
                "-f",
                "-qq",
                "-o",
                "/dev/null",
                "-e",
                &format!("trace={FAILING}"),
                "-e",
                &format!("inject={FAILING}:error=EIO:when={k}+"),
            ])
            .arg(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "io_writer_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VAR, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("strace could not run ({e}); run scripts/setup-debian.sh"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "k={k}: the child failed ({}):\n{stdout}\n{stderr}",
            out.status
        );
        let mut this_round = 0;
        for line in stdout.lines() {
            if let Some(ack) = line.strip_prefix("ack ") {
                let (what, id) = ack.split_once(' ').unwrap();
                match what {
                    "patient" => patients.push(PatientId(id.parse().unwrap())),
                    "note" => notes.push(NoteId(id.parse().unwrap())),
                    _ => panic!("{line}"),
                }
            } else if let Some(r) = line.strip_prefix("refused ") {
                let mut parts = r.splitn(3, ' ');
                let (step, code, message) = (
                    parts.next().unwrap(),
                    parts.next().unwrap(),
                    parts.next().unwrap_or(""),
                );
                assert_eq!(
                    code, "cannot_write",
                    "k={k}: {step} refused with {line}\n{stdout}"
                );
                assert!(
                    message.starts_with("The disk could not be written"),
                    "k={k}: {line}"
                );
                refused.push((k, step.to_string()));
                this_round += 1;
            }
        }
        assert!(
            this_round > 0,
            "k={k}: the injected errors never reached the app:\n{stdout}"
        );

        let mut app = Chartroom::start(config(&dir, None), clock());
        ok(
            &mut app,
            UnlockWithPassphrase {
                passphrase: PASSPHRASE.into(),
            },
        );
        login(&mut app, "doc");
        for &p in &patients {
            ok(
                &mut app,
                OpenPatient {
                    patient_id: p,
                    from_search: None,
                },
            );
        }
        for &n in &notes {
            let v = ok(&mut app, GetNote { note_id: n });
            assert_eq!(v.signature, SignatureCheck::Verified, "k={k}: note {n}");
        }
        // Nothing refused was kept: every patient of the practice's test
        // name is one the child acknowledged.
        let found = ok(
            &mut app,
            SearchPatients {
                query: "ioerror".into(),
                limit: 500,
            },
        );
        assert_eq!(found.len(), patients.len(), "k={k}: {found:?}");
        let report = app.verify("io errors", &[]).unwrap();
        assert!(report.ok(), "k={k}: {report:?}");
    }
    eprintln!(
        "I/O errors: 6 injection points; {} registrations and {} signed notes acknowledged and intact; {} refusals, all cannot_write ({:?})",
        patients.len(),
        notes.len(),
        refused.len(),
        refused
    );
}
