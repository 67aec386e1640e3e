//! A writer killed mid-stream (SIGKILL, no chance to close or checkpoint)
//! loses none of the writes it acknowledged: the next open recovers them
//! from the encrypted WAL, the file passes SQLite's integrity check and the
//! audit chain verifies. The writer is killed again and again on the same
//! file, each time after a different number of commits and at a different
//! moment of the next one: [`ROUNDS_VAR`] rounds (10 in CI; the figure in
//! `RELIABILITY.md` is from 100).
//!
//! The writer is this test binary run again by the parent test with
//! `--ignored --exact writer_process` and the database's path in
//! [`DB_VAR`]: `writer_process` is `#[ignore]`d so it never runs (or passes)
//! on its own, and it refuses to run without that variable.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_types::{PatientId, UserId};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use chartroom_store::audit::{self, AuditEvent};
use chartroom_store::model::{
    AuditAction, DataCategory, PatientFields, PreferredContact, Role, Sex,
};
use chartroom_store::{patients, users, Store};
use chrono::{NaiveDate, TimeZone, Utc};

const KEY: [u8; 32] = [3u8; 32];

/// The database the writer process writes to; set only by the parent.
const DB_VAR: &str = "CHARTROOM_CRASH_DB";

/// How many times the writer is killed (default 10).
const ROUNDS_VAR: &str = "CHARTROOM_CRASH_ROUNDS";

fn fields(i: usize) -> PatientFields {
    PatientFields {
        family_name: "Crash".into(),
        given_name: format!("Number{i}"),
        middle_name: String::new(),
        preferred_name: String::new(),
        birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        sex: Sex::Unknown,
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
    }
}

/// The writer process: registers patients one transaction at a time, each
/// with its audit record, as the app does, and acknowledges each commit on
/// stdout (`ack <n> <patient id>`) once `Store::write` has returned, until
/// it is killed. Numbering goes on from the patients already there. Not a
/// test by itself: `acknowledged_writes_survive_a_killed_process` starts it.
#[test]
#[ignore = "the writer half of acknowledged_writes_survive_a_killed_process, which runs it in a child process"]
fn writer_process() {
    let path = std::env::var(DB_VAR).unwrap_or_else(|_| {
        panic!(
            "writer_process is the child of acknowledged_writes_survive_a_killed_process \
             and runs only when that test sets {DB_VAR}; run that test instead"
        )
    });
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut store = Store::open(std::path::Path::new(&path), &KEY).unwrap();
    let first = patients::count(store.read()).unwrap() as usize;
    let mut out = std::io::stdout().lock();
    // The harness may have printed "test writer_process ... " without a
    // line break: start the acknowledgements on a line of their own.
    writeln!(out).unwrap();
    for i in first.. {
        let p = store
            .write(|tx| {
                let p = patients::insert(tx, &fields(i), UserId(1), at)?;
                audit::append(
                    tx,
                    at,
                    &AuditEvent {
                        user_id: Some(UserId(1)),
                        username: "w".into(),
                        patient_id: Some(p.id),
                        action: Some(AuditAction::Create),
                        category: Some(DataCategory::Demographics),
                        record_id: format!("patient/{}", p.id),
                        ..Default::default()
                    },
                )?;
                Ok::<_, chartroom_store::StoreError>(p)
            })
            .unwrap();
        writeln!(out, "ack {i} {}", p.id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn acknowledged_writes_survive_a_killed_process() {
    let rounds: usize = std::env::var(ROUNDS_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chartroom.db");
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    {
        let mut store = Store::create(&path, &KEY).unwrap();
        store
            .write(|tx| {
                users::insert(
                    tx,
                    &users::NewUser {
                        username: "w",
                        full_name: "Writer",
                        credentials: "",
                        password_hash: "-",
                        roles: &[Role::FrontDesk],
                        can_emergency_access: false,
                    },
                    at,
                )?;
                audit::append(
                    tx,
                    at,
                    &AuditEvent {
                        username: "setup".into(),
                        action: Some(AuditAction::Setup),
                        category: Some(DataCategory::Administration),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        store.close().unwrap();
    }
    // (sequence number, patient id) of every acknowledged commit, in order,
    // over all rounds.
    let mut acked: Vec<(usize, i64)> = Vec::new();
    // A fixed sequence of kill points: after 1 to 120 commits of a round,
    // then 0 to 3 ms into the next one.
    let mut seed: u64 = 0x2026_1202;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    // The number the writer gives its next patient: the patients already
    // there (a round's writer may commit more after the last ack the parent
    // read, before the kill lands).
    let mut expected = 0;
    for round in 0..rounds {
        let kill_after = 1 + next(120) as usize;
        let delay = std::time::Duration::from_micros(next(3000));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "writer_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_VAR, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut this_round = 0;
        let mut killed = false;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let Some(ack) = line.strip_prefix("ack ") else {
                continue;
            };
            let (n, id) = ack.split_once(' ').unwrap();
            let (n, id): (usize, i64) = (n.parse().unwrap(), id.parse().unwrap());
            assert_eq!(n, expected, "acknowledgements out of order: {line:?}");
            expected += 1;
            acked.push((n, id));
            this_round += 1;
            if this_round >= kill_after {
                std::thread::sleep(delay);
                // SIGKILL on Unix, while the writer is still writing.
                child.kill().unwrap();
                killed = true;
                break;
            }
        }
        let status = child.wait().unwrap();
        if !killed {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            panic!(
                "round {round}: the writer stopped by itself ({status}) after {this_round} acknowledgements:\n{err}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(
                status.signal(),
                Some(9),
                "the writer was not SIGKILLed: {status}"
            );
        }
        let store = Store::open(&path, &KEY).unwrap();
        for &(n, id) in &acked {
            let p = patients::get(store.read(), PatientId(id)).unwrap_or_else(|e| {
                panic!("round {round}: acknowledged write {n} (patient {id}) is lost: {e}")
            });
            assert_eq!(p.fields.given_name, format!("Number{n}"), "patient {id}");
        }
        let count = patients::count(store.read()).unwrap() as usize;
        assert!(
            count >= acked.len(),
            "round {round}: acknowledged {} writes, found {count}",
            acked.len()
        );
        assert_eq!(store.integrity_check().unwrap(), None, "round {round}");
        let chain = audit::verify(store.read()).unwrap();
        assert_eq!(chain.first_broken, None, "round {round}");
        assert_eq!(
            chain.records as usize,
            count + 1,
            "round {round}: one record per patient"
        );
        expected = count;
        store.close().unwrap();
    }
    eprintln!(
        "crash harness: {rounds} SIGKILLs, {} acknowledged writes, 0 lost, 0 integrity failures, 0 broken chains",
        acked.len()
    );
}
