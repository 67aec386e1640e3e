//! A writer killed mid-stream (SIGKILL, no chance to close or checkpoint)
//! loses none of the writes it acknowledged: the next open recovers them
//! from the encrypted WAL.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use chartroom_store::model::{PatientFields, PreferredContact, Role, Sex};
use chartroom_store::{patients, users, Store};
use chrono::{NaiveDate, TimeZone, Utc};

const KEY: [u8; 32] = [3u8; 32];

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

/// The child: writes patients one transaction at a time and acknowledges
/// each commit on stdout, until it is killed.
#[test]
fn crash_writer_child() {
    let Ok(path) = std::env::var("CHARTROOM_CRASH_DB") else {
        return; // only runs when the parent test starts it
    };
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut store = Store::open(std::path::Path::new(&path), &KEY).unwrap();
    let mut out = std::io::stdout();
    for i in 0.. {
        store
            .write(|tx| patients::insert(tx, &fields(i), 1, at))
            .unwrap();
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn acknowledged_writes_survive_a_killed_process() {
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
                )
            })
            .unwrap();
        store.close().unwrap();
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CHARTROOM_CRASH_DB", &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("ack ") {
            let n: usize = n.parse().unwrap();
            acked = Some(n);
            if n >= 150 {
                child.kill().unwrap(); // SIGKILL on Unix
                break;
            }
        }
    }
    child.wait().unwrap();
    let acked = acked.expect("the writer acknowledged nothing");
    assert!(
        dir.path().join("chartroom.db-wal").exists(),
        "the WAL holds the unflushed commits"
    );
    let store = Store::open(&path, &KEY).unwrap();
    let count = patients::count(store.read()).unwrap() as usize;
    assert!(
        count > acked,
        "acknowledged {} writes, found {count}",
        acked + 1
    );
    assert_eq!(store.integrity_check().unwrap(), None);
}
