//! The `chartroom` binary as a practice manager would use it: set up,
//! unlock check, verify, backup and restore, and a tampered audit log that
//! `verify` catches and names.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::Path;
use std::process::{Command, Output};

const PASSPHRASE: &str = "cli test passphrase 1";

fn chartroom(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chartroom"));
    c.arg("--data-dir").arg(data).arg("--no-keyring").args(args);
    c.env_remove("CHARTROOM_PASSPHRASE")
        .env_remove("CHARTROOM_RECOVERY_CODE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// `chartroom setup` of "CLI Clinic" in `data` (passphrase mode); gives the
/// recovery code it printed once.
fn set_up(data: &Path) -> String {
    let o = chartroom(
        data,
        &["setup", "--practice-name", "CLI Clinic"],
        &[
            ("CHARTROOM_ADMIN_PASSWORD", "admin-password-1"),
            ("CHARTROOM_PASSPHRASE", PASSPHRASE),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .find_map(|l| l.strip_prefix("RECOVERY CODE (print it or write it down, keep it safe): "))
        .unwrap()
        .to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn setup_verify_backup_restore_and_tamper_detection() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("practice");
    let pass = [("CHARTROOM_PASSPHRASE", PASSPHRASE)];

    // Set-up prints the recovery code once.
    let code = set_up(&data);
    assert_eq!(code.len(), 29);

    // Without a secret it refuses, saying which variables to set.
    let o = chartroom(&data, &["unlock-check"], &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("CHARTROOM_PASSPHRASE"),
        "{}",
        stderr(&o)
    );
    // Wrong passphrase: a clear error.
    let o = chartroom(
        &data,
        &["unlock-check"],
        &[("CHARTROOM_PASSPHRASE", "wrong passphrase!")],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("passphrase is not correct"),
        "{}",
        stderr(&o)
    );
    let o = chartroom(&data, &["unlock-check"], &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok: CLI Clinic unlocks"));

    let o = chartroom(&data, &["verify"], &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("audit chain: ok"), "{}", stdout(&o));

    // Backup, then restore into a new folder with the recovery code only.
    let backup = tmp.path().join("practice.crbak");
    let o = chartroom(&data, &["backup", "--out", backup.to_str().unwrap()], &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    let restored = tmp.path().join("restored");
    let o = chartroom(
        &data,
        &[
            "restore",
            "--backup",
            backup.to_str().unwrap(),
            "--into",
            restored.to_str().unwrap(),
        ],
        &[("CHARTROOM_RECOVERY_CODE", &code)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("chain intact"));
    let o = chartroom(&restored, &["verify"], &pass);
    assert!(o.status.success(), "{}", stderr(&o));

    // Someone with the key edits an audit record: verify fails and names it.
    let kf = chartroom_keys::KeyFile::read(&data.join("chartroom.key")).unwrap();
    let key = kf.unwrap_with_passphrase(PASSPHRASE).unwrap();
    {
        let store =
            chartroom_store::Store::open(&data.join("chartroom.db"), key.as_bytes()).unwrap();
        chartroom_store::audit::tamper_with_detail(store.read(), 2, "nothing to see").unwrap();
        store.close().unwrap();
    }
    let o = chartroom(&data, &["verify"], &pass);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("audit chain: BROKEN at record 2"),
        "{}",
        stdout(&o)
    );
}

/// Someone with the key erases the newest audit records and moves the head
/// back behind the triggers' back: the chain alone still verifies, but
/// `verify --against-backup` (the head in an earlier backup's header) and
/// `verify --seal` (a printed seal typed back) name the first missing record.
#[test]
fn verify_against_a_backup_or_a_seal_catches_an_erased_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("practice");
    let pass = [("CHARTROOM_PASSPHRASE", PASSPHRASE)];
    set_up(&data);
    for _ in 0..2 {
        assert!(chartroom(&data, &["verify"], &pass).status.success());
    }
    let backup = tmp.path().join("monday.crbak");
    let o = chartroom(&data, &["backup", "--out", backup.to_str().unwrap()], &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    let kf = chartroom_keys::KeyFile::read(&data.join("chartroom.key")).unwrap();
    let key = kf.unwrap_with_passphrase(PASSPHRASE).unwrap();
    let db = data.join("chartroom.db");
    let (anchor, seal) = {
        let store = chartroom_store::Store::open(&db, key.as_bytes()).unwrap();
        let head = chartroom_store::audit::head(store.read(), "")
            .unwrap()
            .unwrap();
        (head.id, format!("{}: {}", head.id, head.hash_text()))
    };
    // The backup's own record and a few more after it.
    for _ in 0..3 {
        assert!(chartroom(&data, &["verify"], &pass).status.success());
    }
    let o = chartroom(
        &data,
        &[
            "verify",
            "--against-backup",
            backup.to_str().unwrap(),
            "--seal",
            &seal,
        ],
        &pass,
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("2 of 2 anchors matched"),
        "{}",
        stdout(&o)
    );

    // The backup's header holds the head as its snapshot began, before the
    // backup's own record.
    let in_backup = chartroom_keys::read_backup_audit_head(std::fs::File::open(&backup).unwrap())
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(in_backup, anchor - 1);
    let keep = in_backup - 1;
    {
        let store = chartroom_store::Store::open(&db, key.as_bytes()).unwrap();
        chartroom_store::audit::tamper_erase_after(store.read(), keep).unwrap();
        store.close().unwrap();
    }
    let o = chartroom(&data, &["verify"], &pass);
    assert!(
        o.status.success(),
        "the chain alone cannot tell: {}",
        stdout(&o)
    );
    // Each anchor names its own record, which now holds something else
    // (the unlocks and verifications since).
    for (anchor_args, first_wrong) in [
        (
            vec!["--against-backup", backup.to_str().unwrap()],
            in_backup,
        ),
        (vec!["--seal", &seal], anchor),
    ] {
        let mut args = vec!["verify"];
        args.extend(anchor_args);
        let o = chartroom(&data, &args, &pass);
        assert!(!o.status.success(), "{}", stdout(&o));
        assert!(
            stdout(&o).contains(&format!("audit chain: BROKEN at record {first_wrong}")),
            "{}",
            stdout(&o)
        );
    }
    // A seal typed wrong is refused with what to fix.
    let o = chartroom(&data, &["verify", "--seal", "12"], &pass);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("record number, a colon and the hash"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn demo_practice_has_a_login_per_role_and_refuses_a_used_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    let pass = [("CHARTROOM_PASSPHRASE", PASSPHRASE)];
    let o = chartroom(&data, &["demo", "--patients", "120", "--seed", "5"], &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("120 patients"));
    let o = chartroom(&data, &["demo", "--patients", "10"], &pass);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already holds a practice"));
    let kf = chartroom_keys::KeyFile::read(&data.join("chartroom.key")).unwrap();
    let key = kf.unwrap_with_passphrase(PASSPHRASE).unwrap();
    let store = chartroom_store::Store::open(&data.join("chartroom.db"), key.as_bytes()).unwrap();
    let mut names: Vec<String> = chartroom_store::users::list(store.read())
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    names.sort();
    assert_eq!(names, ["admin", "billing", "desk", "doctor", "manager"]);
    assert_eq!(chartroom_store::patients::count(store.read()).unwrap(), 120);
}
