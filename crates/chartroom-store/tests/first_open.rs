//! Stores opened at the same moment by a fresh process all open.
//!
//! SQLCipher finishes its process-wide set-up after SQLite has marked itself
//! initialised, outside SQLite's mutex; a connection keyed in that window had
//! its `PRAGMA key` refused. CI once failed that way (a store test keyed
//! while another test thread was the first to open SQLite). The race only
//! exists in a process that has not opened SQLite yet, so each round is this
//! test binary run again (`--ignored --exact opener_process`) as a fresh
//! process whose threads open stores together. Before the fix about one
//! round in 60 had refused keys (measured: 3 to 6 rounds of 200).

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};

use chartroom_store::{Store, StoreError};

/// Set by the parent test: the folder the child process creates stores in.
const DIR_VAR: &str = "CHARTROOM_FIRST_OPEN_DIR";

/// Threads in each fresh process, released together.
const THREADS: usize = 16;

/// Fresh processes started by the parent test.
const ROUNDS: usize = 400;

/// The child process: [`THREADS`] threads open a store each, at once.
/// Each opens an empty file of its own: keying it is all that can go
/// right or wrong (a keyed file with no schema is then reported as one
/// that cannot be decrypted, and nothing is written), so a round is cheap.
/// Not a test by itself: `stores_opened_at_once_by_a_fresh_process_all_open`
/// starts it.
#[test]
#[ignore = "the child half of stores_opened_at_once_by_a_fresh_process_all_open"]
fn opener_process() {
    let dir = std::env::var(DIR_VAR).unwrap_or_else(|_| {
        panic!("opener_process runs only as the child of stores_opened_at_once_by_a_fresh_process_all_open, which sets {DIR_VAR}")
    });
    let paths: Vec<PathBuf> = (0..THREADS)
        .map(|i| {
            let p = Path::new(&dir).join(format!("s{i}.db"));
            std::fs::write(&p, b"").unwrap();
            p
        })
        .collect();
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = paths
        .into_iter()
        .map(|path| {
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                match Store::open(&path, &[7u8; 32]) {
                    Err(StoreError::CannotDecrypt { .. }) => None,
                    Err(e) => Some(e.to_string()),
                    Ok(_) => Some("an empty file opened as a store".to_string()),
                }
            })
        })
        .collect();
    let failed: Vec<String> = threads
        .into_iter()
        .filter_map(|t| t.join().unwrap())
        .collect();
    assert!(failed.is_empty(), "stores that failed to open: {failed:?}");
}

#[test]
fn stores_opened_at_once_by_a_fresh_process_all_open() {
    let exe = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(&exe)
            .args(["--ignored", "--exact", "opener_process", "--nocapture"])
            .env(DIR_VAR, dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("test opener_process ... ok") || !out.status.success(),
            "the child ran no test: {stdout}"
        );
        if !out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            let why = text
                .lines()
                .find(|l| l.contains("failed to open"))
                .unwrap_or("no reason printed")
                .to_owned();
            failures.push(format!("round {round}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
