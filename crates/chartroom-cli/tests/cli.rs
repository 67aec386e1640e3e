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
    let o = chartroom(
        &data,
        &["setup", "--practice-name", "CLI Clinic"],
        &[("CHARTROOM_ADMIN_PASSWORD", "admin-password-1"), pass[0]],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let code = out
        .lines()
        .find_map(|l| l.strip_prefix("RECOVERY CODE (print it or write it down, keep it safe): "))
        .unwrap()
        .to_string();
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
