//! Integration tests of the encrypted store: opening rules, encryption at
//! rest, patients and search, and the audit chain.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_types::{PatientId, UserId};
use std::path::{Path, PathBuf};

use chartroom_store::audit::{self, AuditEvent};
use chartroom_store::model::{AuditAction, DataCategory, PatientFields, PreferredContact, Sex};
use chartroom_store::{patients, users, Store, StoreError};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

const KEY: [u8; 32] = [7u8; 32];
const OTHER_KEY: [u8; 32] = [9u8; 32];

fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + chrono::Duration::minutes(min)
}

fn fields(family: &str, given: &str, dob: (i32, u32, u32)) -> PatientFields {
    PatientFields {
        family_name: family.into(),
        given_name: given.into(),
        middle_name: String::new(),
        preferred_name: String::new(),
        birth_date: NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2).unwrap(),
        sex: Sex::Female,
        gender_identity: String::new(),
        address_line1: "12 Elm St".into(),
        address_line2: String::new(),
        city: "Portland".into(),
        region: "OR".into(),
        postal_code: "97201".into(),
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

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    user: UserId,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chartroom.db");
    let mut store = Store::create(&path, &KEY).unwrap();
    let user = store
        .write(|tx| {
            users::insert(
                tx,
                &users::NewUser {
                    username: "desk",
                    full_name: "Front Desk",
                    credentials: "",
                    password_hash: "x",
                    roles: &[chartroom_store::model::Role::FrontDesk],
                    can_emergency_access: false,
                },
                at(0),
            )
        })
        .unwrap()
        .id;
    Fixture {
        _dir: dir,
        path,
        store,
        user,
    }
}

fn register(fx: &mut Fixture, f: PatientFields) -> PatientId {
    let user = fx.user;
    fx.store
        .write(|tx| patients::insert(tx, &f, user, at(1)))
        .unwrap()
        .id
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn dir_listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn check_search(store: &Store, query: &str, expect: &[&str]) {
    let got: Vec<String> = patients::search(store.read(), query, 20)
        .unwrap()
        .into_iter()
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .collect();
    assert_eq!(got, expect, "search {query:?}");
}

#[test]
fn marker_name_never_appears_in_any_file() {
    let mut fx = fixture();
    let marker = "Zqxmarkerwy";
    for i in 0..200 {
        register(&mut fx, fields(marker, &format!("Given{i}"), (1980, 1, 1)));
    }
    // Leave WAL content in place (no checkpoint on close) by reading the
    // directory while the store is still open, then again after close.
    let dir = fx.path.parent().unwrap().to_path_buf();
    let scan = |label: &str| {
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            files += 1;
            let hit = bytes
                .windows(marker.len())
                .any(|w| w.eq_ignore_ascii_case(marker.as_bytes()));
            assert!(!hit, "{label}: marker found in {}", p.display());
        }
        files
    };
    let open_files = scan("while open");
    assert!(
        open_files >= 2,
        "expected the database and its WAL, saw {open_files} files"
    );
    let Fixture { store, .. } = fx;
    store.close().unwrap();
    scan("after close");
    // The data is really there: the right key finds it.
    let store = Store::open(&dir.join("chartroom.db"), &KEY).unwrap();
    assert_eq!(
        patients::search(store.read(), marker, 500).unwrap().len(),
        200
    );
}

#[test]
fn wrong_key_is_refused_and_the_file_is_untouched() {
    let fx = fixture();
    let path = fx.path.clone();
    let dir = path.parent().unwrap().to_path_buf();
    let Fixture { store, _dir, .. } = fx;
    store.close().unwrap();
    let before = file_bytes(&path);
    let listing = dir_listing(&dir);
    let err = Store::open(&path, &OTHER_KEY).unwrap_err();
    assert!(matches!(err, StoreError::CannotDecrypt { .. }), "{err:?}");
    assert!(err.to_string().contains("key is wrong"), "{err}");
    assert_eq!(file_bytes(&path), before);
    assert_eq!(dir_listing(&dir), listing);
    // And the right key still opens it.
    Store::open(&path, &KEY).unwrap();
}

#[test]
fn damaged_and_truncated_files_are_refused_untouched() {
    let fx = fixture();
    let path = fx.path.clone();
    let Fixture {
        mut store,
        _dir,
        user,
        ..
    } = fx;
    for i in 0..300 {
        let f = fields("Damaged", &format!("P{i}"), (1970, 1, 1));
        store
            .write(|tx| patients::insert(tx, &f, user, at(2)))
            .unwrap();
    }
    store.close().unwrap();
    let original = file_bytes(&path);
    assert!(original.len() > 40_000, "test needs a multi-page file");

    // Truncated to half.
    std::fs::write(&path, &original[..original.len() / 2]).unwrap();
    let before = file_bytes(&path);
    let err = Store::open(&path, &KEY).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Damaged { .. } | StoreError::CannotDecrypt { .. }
        ),
        "{err:?}"
    );
    assert_eq!(file_bytes(&path), before, "truncated file was modified");

    // A flipped byte in a later page.
    let mut bad = original.clone();
    let i = bad.len() - 5000;
    bad[i] ^= 0xff;
    std::fs::write(&path, &bad).unwrap();
    let err = Store::open(&path, &KEY).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Damaged { .. } | StoreError::CannotDecrypt { .. }
        ),
        "{err:?}"
    );
    assert_eq!(file_bytes(&path), bad, "damaged file was modified");

    // Garbage that is not a database at all.
    std::fs::write(&path, b"hello, this is not a database").unwrap();
    let err = Store::open(&path, &KEY).unwrap_err();
    assert!(matches!(err, StoreError::CannotDecrypt { .. }), "{err:?}");
    assert_eq!(file_bytes(&path), b"hello, this is not a database");
}

#[test]
fn a_missing_file_is_an_error_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chartroom.db");
    let err = Store::open(&path, &KEY).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains("will not create"));
    assert!(dir_listing(dir.path()).is_empty());
}

#[test]
fn create_refuses_to_overwrite() {
    let fx = fixture();
    let before = file_bytes(&fx.path);
    let err = Store::create(&fx.path, &OTHER_KEY).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }));
    assert_eq!(file_bytes(&fx.path), before);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let fx = fixture();
    let path = fx.path.clone();
    let Fixture {
        mut store, _dir, ..
    } = fx;
    store
        .write(|tx| {
            tx.pragma_update(None, "user_version", 99)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store.close().unwrap();
    let before = file_bytes(&path);
    let err = Store::open(&path, &KEY).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer Chartroom"));
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn search_by_name_in_any_order_prefix_and_without_accents() {
    let mut fx = fixture();
    register(&mut fx, fields("Nguyễn", "Thị Ánh", (1984, 3, 12)));
    register(&mut fx, fields("Nguyen", "Bao", (1990, 7, 1)));
    register(&mut fx, fields("Smith", "Anh", (1975, 1, 30)));
    let mut o = fields("O'Brien", "Mary", (1962, 11, 5));
    o.phone_mobile = "5035550134".into();
    register(&mut fx, o);

    check_search(&fx.store, "nguy", &["Bao Nguyen", "Thị Ánh Nguyễn"]);
    check_search(&fx.store, "nguyen anh", &["Thị Ánh Nguyễn"]);
    check_search(&fx.store, "ANH NGUY", &["Thị Ánh Nguyễn"]);
    check_search(&fx.store, "anh", &["Thị Ánh Nguyễn", "Anh Smith"]);
    check_search(&fx.store, "obrien", &["Mary O'Brien"]);
    check_search(&fx.store, "o'bri", &["Mary O'Brien"]);
    check_search(&fx.store, "03/12/1984", &["Thị Ánh Nguyễn"]);
    check_search(&fx.store, "1984-03-12", &["Thị Ánh Nguyễn"]);
    check_search(&fx.store, "(503) 555-0134", &["Mary O'Brien"]);
    check_search(&fx.store, "555-0134", &["Mary O'Brien"]);
    check_search(&fx.store, "100001", &["Thị Ánh Nguyễn"]);
    check_search(&fx.store, "zzz", &[]);
    check_search(&fx.store, "", &[]);
}

#[test]
fn updates_keep_history_and_detect_conflicts() {
    let mut fx = fixture();
    let id = register(&mut fx, fields("Alvarez", "Rosa", (1950, 5, 5)));
    let user = fx.user;
    let mut f = fields("Alvarez-Diaz", "Rosa", (1950, 5, 5));
    f.city = "Salem".into();
    let p = fx
        .store
        .write(|tx| patients::update(tx, id, 1, &f, user, at(5)))
        .unwrap();
    assert_eq!(p.version, 2);
    assert_eq!(p.fields.city, "Salem");
    check_search(&fx.store, "diaz", &["Rosa Alvarez-Diaz"]);

    // A second edit started from version 1 is refused, nothing changes.
    let stale = fields("Alvarez", "Rose", (1950, 5, 5));
    let err = fx
        .store
        .write(|tx| patients::update(tx, id, 1, &stale, user, at(6)))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        patients::get(fx.store.read(), id)
            .unwrap()
            .fields
            .given_name,
        "Rosa"
    );

    let hist = patients::history(fx.store.read(), id).unwrap();
    assert_eq!(hist.len(), 1);
    assert_eq!(hist[0].0.fields.family_name, "Alvarez");
    assert_eq!(hist[0].0.version, 1);
}

#[test]
fn duplicates_are_found_by_birth_date_and_similar_name_or_phone() {
    let mut fx = fixture();
    register(&mut fx, fields("Nguyễn", "Ánh", (1984, 3, 12)));
    let mut other = fields("Okafor", "Chidi", (1971, 2, 2));
    other.phone_home = "5035559876".into();
    register(&mut fx, other);
    let names = |f: PatientFields| -> Vec<String> {
        patients::possible_duplicates(fx.store.read(), &f, None)
            .unwrap()
            .into_iter()
            .map(|p| p.family_name)
            .collect()
    };
    assert_eq!(names(fields("Nguyen", "Anh", (1984, 3, 12))), ["Nguyễn"]);
    assert_eq!(
        names(fields("Nguyen", "Anh", (1984, 3, 13))),
        Vec::<String>::new()
    );
    assert_eq!(
        names(fields("Smith", "Anh", (1984, 3, 12))),
        Vec::<String>::new()
    );
    let mut by_phone = fields("Someone", "Else", (2000, 1, 1));
    by_phone.phone_mobile = "5035559876".into();
    assert_eq!(names(by_phone), ["Okafor"]);
}

fn audit_some(store: &mut Store, n: i64) {
    for i in 0..n {
        store
            .write(|tx| {
                audit::append(
                    tx,
                    at(i),
                    &AuditEvent {
                        user_id: Some(UserId(1)),
                        username: "desk".into(),
                        patient_id: Some(PatientId(i % 3 + 1)),
                        action: Some(AuditAction::Read),
                        category: Some(DataCategory::Demographics),
                        record_id: format!("patient/{}", i % 3 + 1),
                        ..Default::default()
                    },
                )
            })
            .unwrap();
    }
}

fn check_tamper(sql: &str, expect_id: i64) {
    let mut fx = fixture();
    audit_some(&mut fx.store, 6);
    assert_eq!(audit::verify(fx.store.read()).unwrap().first_broken, None);
    fx.store.read().execute_batch(sql).unwrap();
    let report = audit::verify(fx.store.read()).unwrap();
    let broken = report
        .first_broken
        .unwrap_or_else(|| panic!("not detected: {sql}"));
    assert_eq!(broken.id, expect_id, "{sql}: {}", broken.reason);
}

#[test]
fn audit_chain_detects_edit_delete_insert_reorder_and_truncation() {
    check_tamper("UPDATE audit_log SET username = 'someone' WHERE id = 3", 3);
    check_tamper("UPDATE audit_log SET patient_id = 2 WHERE id = 4", 4);
    check_tamper("DELETE FROM audit_log WHERE id = 2", 2);
    check_tamper(
        "INSERT INTO audit_log SELECT 7, at, user_id, username, patient_id, action, category, \
         record_id, detail, emergency, hash, hash FROM audit_log WHERE id = 6",
        7,
    );
    // Swap the contents of records 2 and 3 (keeping ids and hashes).
    check_tamper(
        "UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE id = 3), \
         patient_id = (SELECT patient_id FROM audit_log WHERE id = 3), \
         record_id = (SELECT record_id FROM audit_log WHERE id = 3) WHERE id = 2",
        2,
    );
    // Renumber: records 4 and 5 trade places.
    check_tamper(
        "UPDATE audit_log SET id = 100 WHERE id = 4; UPDATE audit_log SET id = 4 WHERE id = 5; \
         UPDATE audit_log SET id = 5 WHERE id = 100;",
        4,
    );
    check_tamper("DELETE FROM audit_log WHERE id = 6", 6);
}

#[test]
fn audit_chain_survives_reopen_and_filters() {
    let mut fx = fixture();
    audit_some(&mut fx.store, 9);
    let path = fx.path.clone();
    let Fixture { store, _dir, .. } = fx;
    store.close().unwrap();
    let mut store = Store::open(&path, &KEY).unwrap();
    audit_some(&mut store, 2);
    let report = audit::verify(store.read()).unwrap();
    assert_eq!(report.records, 11);
    assert_eq!(report.first_broken, None);
    let for_patient_2 = audit::query(
        store.read(),
        &audit::AuditFilter {
            patient_id: Some(PatientId(2)),
            limit: 100,
            ..Default::default()
        },
    )
    .unwrap();
    let ids: Vec<i64> = for_patient_2.iter().map(|r| r.id).collect();
    assert_eq!(ids, [11, 8, 5, 2]);
    let window = audit::query(
        store.read(),
        &audit::AuditFilter {
            from: Some(at(2)),
            to: Some(at(4)),
            oldest_first: true,
            limit: 100,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(window.iter().map(|r| r.id).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn snapshot_is_encrypted_and_opens_with_the_same_key() {
    let mut fx = fixture();
    register(&mut fx, fields("Snapshotmarker", "Una", (1999, 9, 9)));
    let dest = fx.path.with_file_name("snap.db");
    fx.store.snapshot_to(&dest, &KEY).unwrap();
    let bytes = file_bytes(&dest);
    assert!(!bytes.windows(14).any(|w| w == b"Snapshotmarker"));
    let copy = Store::open(&dest, &KEY).unwrap();
    assert_eq!(patients::count(copy.read()).unwrap(), 1);
    assert!(Store::open(&dest, &OTHER_KEY).is_err());
}

#[cfg(unix)]
#[test]
fn database_files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let mut fx = fixture();
    register(&mut fx, fields("Private", "Pat", (1990, 1, 1)));
    let dir = fx.path.parent().unwrap().to_path_buf();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", p.display());
    }
}
