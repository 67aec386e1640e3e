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
    // Record 1 of every practice's log is its set-up.
    store
        .write(|tx| {
            audit::append(
                tx,
                at(-60),
                &AuditEvent {
                    username: "setup".into(),
                    action: Some(AuditAction::Setup),
                    category: Some(DataCategory::Administration),
                    record_id: "practice".into(),
                    detail: "practice set up".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
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

    // A flipped byte in a page deep in the file: open does not read every
    // page (its time must not grow with the file), so it opens; the
    // background check finds the damage, every write is refused from then
    // on, and the file is left as it was.
    // Which pages open reads (the first of each table and index) depends
    // on the schema's layout, so the first page from the middle on that
    // open does not read is the one damaged.
    const PAGE: usize = 4096;
    let (bad, mut store) = (original.len() / PAGE / 2..original.len() / PAGE)
        .find_map(|page| {
            let mut bad = original.clone();
            bad[page * PAGE + 100] ^= 0xff;
            std::fs::write(&path, &bad).unwrap();
            Store::open(&path, &KEY).ok().map(|s| (bad, s))
        })
        .expect("opens: some page deep in the file is not read at open");
    match store.wait_for_integrity(std::time::Duration::from_secs(30)) {
        chartroom_store::Integrity::Damaged(detail) => assert!(!detail.is_empty()),
        other => panic!("the background check missed the damage: {other:?}"),
    }
    let f = fields("After", "Damage", (1970, 1, 1));
    let err = store
        .write(|tx| patients::insert(tx, &f, user, at(3)))
        .unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("restore from a backup"), "{err}");
    store.close().unwrap();
    assert_eq!(file_bytes(&path), bad, "damaged file was modified");

    // A healthy file: the check finds nothing and writes go on.
    std::fs::write(&path, &original).unwrap();
    let store = Store::open(&path, &KEY).unwrap();
    assert!(
        matches!(
            store.wait_for_integrity(std::time::Duration::from_secs(30)),
            chartroom_store::Integrity::Healthy { .. }
        ),
        "{:?}",
        store.integrity()
    );
    store.close().unwrap();

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

/// Every trigger that guards the log, as someone at a SQLite shell with the
/// key would drop them before rewriting it.
const DROP_AUDIT_TRIGGERS: &str = "DROP TRIGGER audit_log_never_changed; \
     DROP TRIGGER audit_log_never_deleted; DROP TRIGGER audit_log_appends_at_the_head; \
     DROP TRIGGER audit_head_never_deleted; DROP TRIGGER audit_head_starts_at_record_1; \
     DROP TRIGGER audit_head_moves_forward;";

/// The set-up record and five reads: records 1 to 6.
fn six_records() -> Fixture {
    let mut fx = fixture();
    audit_some(&mut fx.store, 5);
    let report = audit::verify(fx.store.read()).unwrap();
    assert_eq!((report.records, report.first_broken), (6, None));
    fx
}

/// Every record, as stored, to show a refused statement changed nothing.
fn log_rows(store: &Store) -> Vec<(i64, String, Vec<u8>)> {
    let mut stmt = store
        .read()
        .prepare("SELECT id, detail || username || coalesce(patient_id, ''), hash FROM audit_log ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

/// `sql` is refused by the triggers and leaves the log as it was; run again
/// with the triggers dropped, [`audit::verify`] names record `expect_id`.
fn check_tamper(sql: &str, expect_id: i64) {
    let fx = six_records();
    let before = log_rows(&fx.store);
    let refused = fx
        .store
        .read()
        .execute_batch(&format!("BEGIN; {sql} COMMIT;"));
    let _ = fx.store.read().execute_batch("ROLLBACK");
    assert!(refused.is_err(), "not refused by the triggers: {sql}");
    assert_eq!(log_rows(&fx.store), before, "{sql}");
    check_detected(sql, expect_id, true);
}

/// After `sql` (with the triggers dropped first, or not), `audit::verify`
/// names record `expect_id`.
fn check_detected(sql: &str, expect_id: i64, drop_triggers: bool) {
    let fx = six_records();
    if drop_triggers {
        fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    }
    fx.store.read().execute_batch(sql).unwrap();
    let report = audit::verify(fx.store.read()).unwrap();
    let broken = report
        .first_broken
        .unwrap_or_else(|| panic!("not detected: {sql}"));
    assert_eq!(broken.id, expect_id, "{sql}: {}", broken.reason);
}

#[test]
fn audit_chain_detects_edit_delete_insert_reorder_and_truncation() {
    check_tamper("UPDATE audit_log SET username = 'someone' WHERE id = 3;", 3);
    check_tamper("UPDATE audit_log SET patient_id = 2 WHERE id = 4;", 4);
    check_tamper("DELETE FROM audit_log WHERE id = 2;", 2);
    // A record slipped in at the head (where an append goes, so the
    // triggers allow it) without the head moving: the chain catches it.
    check_detected(
        "INSERT INTO audit_log SELECT 7, at, user_id, username, patient_id, action, category, \
         record_id, detail, emergency, hash, hash, encoding FROM audit_log WHERE id = 6;",
        7,
        false,
    );
    // Swap the contents of records 2 and 3 (keeping ids and hashes).
    check_tamper(
        "UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE id = 3), \
         patient_id = (SELECT patient_id FROM audit_log WHERE id = 3), \
         record_id = (SELECT record_id FROM audit_log WHERE id = 3) WHERE id = 2;",
        2,
    );
    // Renumber: records 4 and 5 trade places.
    check_tamper(
        "UPDATE audit_log SET id = 100 WHERE id = 4; UPDATE audit_log SET id = 4 WHERE id = 5; \
         UPDATE audit_log SET id = 5 WHERE id = 100;",
        4,
    );
    check_tamper("DELETE FROM audit_log WHERE id = 6;", 6);
    // An older encoding claimed for a record written in the new one.
    check_tamper("UPDATE audit_log SET encoding = 1 WHERE id = 5;", 5);
    // A REPLACE of a record (a delete and an insert to SQLite).
    check_tamper(
        "REPLACE INTO audit_log SELECT id, at, user_id, 'someone', patient_id, action, category, \
         record_id, detail, emergency, prev_hash, hash, encoding FROM audit_log WHERE id = 3;",
        3,
    );
}

/// Today's main let two statements erase the tail of the log undetected.
/// Now the triggers refuse both; with the triggers dropped, the chain alone
/// cannot tell (what is left is a whole chain), and an anchor taken before,
/// as every backup keeps, names the first missing record.
#[test]
fn erasing_the_tail_is_refused_and_caught_by_an_anchor() {
    let erase = "DELETE FROM audit_log WHERE id > 4; \
         UPDATE audit_head SET last_id = 4, last_hash = (SELECT hash FROM audit_log WHERE id = 4);";
    let fx = six_records();
    let before = log_rows(&fx.store);
    assert!(fx
        .store
        .read()
        .execute_batch(&format!("BEGIN; {erase} COMMIT;"))
        .is_err());
    let _ = fx.store.read().execute_batch("ROLLBACK");
    assert_eq!(log_rows(&fx.store), before);
    // The head cannot be moved back, or forward by more than one, either.
    for sql in [
        "UPDATE audit_head SET last_id = 5, last_hash = (SELECT hash FROM audit_log WHERE id = 5)",
        "UPDATE audit_head SET last_id = 7",
        "DELETE FROM audit_head",
        "REPLACE INTO audit_head (id, last_id, last_hash) SELECT 1, id, hash FROM audit_log WHERE id = 1",
    ] {
        assert!(fx.store.read().execute_batch(sql).is_err(), "not refused: {sql}");
    }
    assert_eq!(audit::verify(fx.store.read()).unwrap().first_broken, None);

    let anchor = audit::head(fx.store.read(), "the backup of 2 March")
        .unwrap()
        .unwrap();
    assert_eq!(anchor.id, 6);
    fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    fx.store.read().execute_batch(erase).unwrap();
    assert_eq!(audit::verify(fx.store.read()).unwrap().first_broken, None);
    let report = audit::verify_against(fx.store.read(), &[anchor]).unwrap();
    let broken = report
        .first_broken
        .expect("the anchor catches the erased tail");
    assert_eq!(broken.id, 5, "{}", broken.reason);
    assert!(
        broken.reason.contains("the backup of 2 March"),
        "{}",
        broken.reason
    );
}

/// A chain rewritten from record 3 on (every later hash recomputed, as
/// someone with the key and this code could) verifies on its own; anchors
/// name where it no longer matches.
#[test]
fn a_rewritten_chain_is_caught_by_an_anchor() {
    let mut fx = six_records();
    let early = audit::head(fx.store.read(), "the seal of 2 March")
        .unwrap()
        .unwrap();
    audit_some(&mut fx.store, 3); // records 7 to 9
    let late = audit::head(fx.store.read(), "the backup of 3 March")
        .unwrap()
        .unwrap();
    // Rewrite: drop the triggers, keep records 1 and 2, append different
    // records 3.. through the store's own append.
    fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    fx.store
        .read()
        .execute_batch(
            "DELETE FROM audit_log WHERE id > 2; \
             UPDATE audit_head SET last_id = 2, last_hash = (SELECT hash FROM audit_log WHERE id = 2);",
        )
        .unwrap();
    audit_some(&mut fx.store, 7); // a new 3 to 9, with other times
    let alone = audit::verify(fx.store.read()).unwrap();
    assert_eq!((alone.records, alone.first_broken), (9, None));
    let report = audit::verify_against(fx.store.read(), &[late.clone(), early.clone()]).unwrap();
    let broken = report.first_broken.expect("caught");
    assert_eq!(broken.id, 6, "{}", broken.reason);
    assert!(
        broken.reason.contains("the seal of 2 March"),
        "{}",
        broken.reason
    );
    // An anchor that still matches is counted, and names where the log was
    // last known to be whole.
    let first_two = audit::Anchor {
        id: 2,
        hash: log_rows(&fx.store)[1].2.clone().try_into().unwrap(),
        source: "the seal of 1 March".into(),
    };
    let report = audit::verify_against(fx.store.read(), &[first_two, early]).unwrap();
    assert_eq!(report.anchors_matched, 1);
    let broken = report.first_broken.expect("caught");
    assert!(
        broken.reason.contains("after record 2"),
        "{}",
        broken.reason
    );
}

#[test]
fn an_empty_log_a_missing_head_or_a_foreign_first_record_does_not_verify() {
    // A store with no records at all.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("empty.db"), &KEY).unwrap();
    let broken = audit::verify(store.read())
        .unwrap()
        .first_broken
        .expect("empty log");
    assert_eq!(broken.id, 1);
    assert!(broken.reason.contains("empty"), "{}", broken.reason);
    // Record 1 must be the set-up: the trigger refuses anything else.
    let mut store = store;
    let refused = store.write(|tx| {
        audit::append(
            tx,
            at(0),
            &AuditEvent {
                username: "desk".into(),
                action: Some(AuditAction::Read),
                category: Some(DataCategory::Demographics),
                ..Default::default()
            },
        )
    });
    assert!(refused.is_err());
    assert!(log_rows(&store).is_empty());

    // The head removed behind the triggers' back.
    let fx = six_records();
    fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    fx.store
        .read()
        .execute_batch("DELETE FROM audit_head")
        .unwrap();
    let broken = audit::verify(fx.store.read())
        .unwrap()
        .first_broken
        .expect("headless");
    assert!(
        broken.reason.contains("head is missing"),
        "{}",
        broken.reason
    );

    // The whole log replaced by one that starts with something else.
    let fx = six_records();
    fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    fx.store
        .read()
        .execute_batch("DELETE FROM audit_log WHERE id = 1")
        .unwrap();
    fx.store
        .read()
        .execute_batch(
            "INSERT INTO audit_log SELECT 1, at, user_id, username, patient_id, action, category, \
             record_id, detail, emergency, prev_hash, hash, encoding FROM audit_log WHERE id = 2",
        )
        .unwrap();
    let broken = audit::verify(fx.store.read())
        .unwrap()
        .first_broken
        .expect("foreign first");
    assert_eq!(broken.id, 1);
    assert!(broken.reason.contains("set-up"), "{}", broken.reason);
}

/// Free text is bounded, and a field boundary cannot be moved by the text:
/// under the old encoding, "a\u{1f}b" + "c" and "a" + "b\u{1f}c" hashed alike.
#[test]
fn audit_text_is_bounded_and_fields_cannot_run_into_each_other() {
    let mut fx = fixture();
    let long = "x".repeat(audit::MAX_TEXT + 500);
    let ev = |username: &str, record_id: &str, detail: &str| AuditEvent {
        username: username.into(),
        action: Some(AuditAction::Read),
        category: Some(DataCategory::Demographics),
        record_id: record_id.into(),
        detail: detail.into(),
        ..Default::default()
    };
    fx.store
        .write(|tx| audit::append(tx, at(1), &ev("desk", "r", &long)))
        .unwrap();
    let rec = &audit::query(
        fx.store.read(),
        &audit::AuditFilter {
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap()[0];
    assert!(rec.detail.starts_with(&"x".repeat(audit::MAX_TEXT)));
    assert!(
        rec.detail.ends_with("[500 more characters not kept]"),
        "{}",
        &rec.detail[audit::MAX_TEXT..]
    );

    // Two records whose fields differ only in where the separator falls.
    fx.store
        .write(|tx| audit::append(tx, at(2), &ev("desk", "a\u{1f}b", "c")))
        .unwrap();
    fx.store.read().execute_batch(DROP_AUDIT_TRIGGERS).unwrap();
    fx.store
        .read()
        .execute_batch(
            "UPDATE audit_log SET record_id = 'a', detail = 'b' || char(31) || 'c' WHERE id = 3",
        )
        .unwrap();
    let broken = audit::verify(fx.store.read())
        .unwrap()
        .first_broken
        .expect("moved boundary");
    assert_eq!(broken.id, 3, "{}", broken.reason);
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
    assert_eq!(report.records, 12);
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
    assert_eq!(ids, [12, 9, 6, 3]);
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
    assert_eq!(window.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 5]);
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

/// A relaxed write (a search's audit record) is committed without a sync
/// and without the WAL's automatic checkpoint, and leaves the connection as
/// it was for every other write, whether it succeeded or not.
#[test]
fn a_relaxed_write_leaves_every_other_write_synced_and_checkpointed() {
    let mut fx = fixture();
    let pragmas = |s: &Store| -> (i64, i64) {
        let c = s.read();
        (
            c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap(),
            c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap(),
        )
    };
    let before = pragmas(&fx.store);
    assert_eq!(before, (2, 1000), "FULL, and SQLite's default checkpoint");
    let inside = fx
        .store
        .write_relaxed(|tx| {
            let sync: i64 = tx.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
            let every: i64 = tx.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
            Ok::<_, StoreError>((sync, every))
        })
        .unwrap();
    assert_eq!(inside, (1, 0), "NORMAL, no automatic checkpoint");
    assert_eq!(pragmas(&fx.store), before);
    let failed = fx
        .store
        .write_relaxed(|_| Err::<(), _>(StoreError::Decode("refused".into())));
    assert!(failed.is_err());
    assert_eq!(pragmas(&fx.store), before);
}
