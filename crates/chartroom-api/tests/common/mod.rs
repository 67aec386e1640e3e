//! Fixtures shared by the API's integration tests: a practice set up in a
//! temporary folder with a fixed clock, users, and a registered patient.

#![allow(clippy::unwrap_used, dead_code)] // tests fail loudly by design

use chartroom_types::PatientId;
use std::path::Path;
use std::sync::Arc;

use chartroom_admin::commands::*;
use chartroom_api::commands::*;
use chartroom_api::protocol::{EntryInput, PatientInput, RegisterOutcome};
use chartroom_api::{ApiError, Chartroom, Config, ErrorCode, FixedClock, Routed};
use chartroom_keys::{KdfParams, KeyStore, MemoryKeyStore};
use chartroom_patients::commands::*;
use chartroom_store::model::Role;
use chrono::{TimeZone, Utc};

pub const PW: &str = "correct-horse-9";
pub const PASSPHRASE: &str = "practice passphrase 2026";

pub struct Fx {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub keystore: Option<Arc<MemoryKeyStore>>,
    pub app: Chartroom,
    pub recovery: String,
}

pub fn config(dir: &Path, keystore: Option<Arc<MemoryKeyStore>>) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        keystore: keystore.map(|k| k as Arc<dyn KeyStore>),
        keyring_detail: "no keyring in tests".into(),
        kdf: KdfParams::fast_for_tests(),
        idle_lock_override_secs: None,
        export_dir: dir.join("exports"),
    }
}

pub fn clock() -> Arc<FixedClock> {
    // 17:00 UTC = 09:00 in a clinic at UTC-8.
    Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap(),
        -8,
    ))
}

/// Runs a command that must succeed, and gives its answer.
pub fn ok<C: Routed + std::fmt::Debug>(app: &mut Chartroom, cmd: C) -> C::Answer {
    let name = format!("{cmd:?}");
    app.run(cmd).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The error code of a command that must fail.
pub fn code<T: std::fmt::Debug>(r: Result<T, ApiError>) -> ErrorCode {
    match r {
        Ok(resp) => panic!("expected an error, got {resp:?}"),
        Err(e) => e.code(),
    }
}

/// The fields named by a command that must be refused for its input.
pub fn field_names<T: std::fmt::Debug>(r: Result<T, ApiError>) -> Vec<String> {
    match r {
        Ok(resp) => panic!("expected field errors, got {resp:?}"),
        Err(e) => e.to_wire().fields.into_iter().map(|f| f.field).collect(),
    }
}

/// A practice set up with a keyring (or, with `keyring = false`, a passphrase),
/// its administrator logged in.
pub fn practice(keyring: bool) -> Fx {
    practice_at(keyring, clock())
}

/// [`practice`] on a clock of the test's choosing (a clinic's zone).
pub fn practice_at(keyring: bool, clock: Arc<FixedClock>) -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let keystore = keyring.then(|| Arc::new(MemoryKeyStore::new()));
    let mut app = Chartroom::start(config(dir.path(), keystore.clone()), clock.clone());
    let s = ok(
        &mut app,
        SetupPractice {
            practice_name: "Riverside Clinic".into(),
            admin_username: "admin".into(),
            admin_full_name: "Alex Admin".into(),
            admin_password: PW.into(),
            passphrase: (!keyring).then(|| PASSPHRASE.into()),
        },
    );
    login(&mut app, "admin");
    Fx {
        dir,
        clock,
        keystore,
        app,
        recovery: s.recovery_code,
    }
}

pub fn login(app: &mut Chartroom, user: &str) {
    ok(
        app,
        Login {
            username: user.into(),
            password: PW.into(),
        },
    );
}

pub fn add_user(app: &mut Chartroom, username: &str, roles: &[Role], emergency: bool) {
    ok(
        app,
        CreateUser {
            username: username.into(),
            full_name: format!("{username} user"),
            credentials: String::new(),
            password: PW.into(),
            roles: roles.to_vec(),
            can_emergency_access: emergency,
        },
    );
}

pub fn anh() -> PatientInput {
    PatientInput {
        family_name: "Nguyễn".into(),
        given_name: "Thị Ánh".into(),
        birth_date: "1984-03-12".into(),
        sex: "female".into(),
        phone_mobile: "(503) 555-0134".into(),
        preferred_contact: "phone".into(),
        ..Default::default()
    }
}

pub fn register(app: &mut Chartroom, p: PatientInput) -> PatientId {
    match ok(
        app,
        RegisterPatient {
            patient: p,
            acknowledge_duplicates: false,
        },
    ) {
        RegisterOutcome::Registered { chart } => chart.patient.id,
        other => panic!("not registered: {other:?}"),
    }
}

/// A chart summary as a clinician reads it: the allergy status, then each
/// section's entries ("label code date [status]"), the last vitals and
/// recent labs with their ranges and flags, the recent notes, and what the
/// vitals form offers. One line an item, for `expect!` snapshots.
pub fn summary_text(s: &chartroom_api::protocol::ChartSummary) -> String {
    use chartroom_api::protocol::{ChartEntry, ObservationView};
    let mut out = format!("allergies: {}\n", s.allergy_status);
    let entry = |e: &ChartEntry| {
        let mut line = format!("  {}", e.label);
        for part in [&e.code, e.effective_date.as_ref().unwrap_or(&String::new())] {
            if !part.is_empty() {
                line.push_str(&format!(" {part}"));
            }
        }
        line + &format!(" [{:?}]\n", e.status)
    };
    let value = |o: &ObservationView| {
        let mut line = format!("  {}: {} {}", o.name, o.display_value, o.display_unit);
        if !o.reference_range.is_empty() {
            line.push_str(&format!(" (range {})", o.reference_range));
        }
        if let Some(f) = o.flag {
            line.push_str(&format!(" {f:?}"));
        }
        line + "\n"
    };
    let sections: [(&str, &Vec<ChartEntry>); 5] = [
        ("allergy list", &s.allergies),
        ("problems", &s.problems),
        ("medications", &s.medications),
        ("immunizations", &s.immunizations),
        ("prescriptions", &s.prescriptions),
    ];
    for (title, list) in sections {
        if !list.is_empty() {
            out.push_str(&format!("{title}:\n"));
            list.iter().for_each(|e| out.push_str(&entry(e)));
        }
    }
    for (title, list) in [
        ("last vitals", &s.last_vitals),
        ("recent labs", &s.recent_labs),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("{title}:\n"));
            list.iter().for_each(|o| out.push_str(&value(o)));
        }
    }
    if !s.recent_notes.is_empty() {
        out.push_str("recent notes:\n");
        for n in &s.recent_notes {
            out.push_str(&format!(
                "  {} {} by {} [{:?}]: {}\n",
                n.encounter_date, n.encounter_kind, n.provider, n.status, n.preview
            ));
        }
    }
    if s.measures_head_circumference {
        out.push_str("head circumference: measured\n");
    }
    out
}

/// Compares a patient's chart summary, as [`summary_text`] renders it,
/// with a snapshot (`UPDATE_EXPECT=1 cargo test` rewrites it).
pub fn check_summary(app: &mut Chartroom, patient_id: PatientId, expected: expect_test::Expect) {
    let s = ok(
        app,
        chartroom_chart::commands::GetChartSummary { patient_id },
    );
    expected.assert_eq(&summary_text(&s));
}

/// The text of a PDF as `pdftotext -layout` extracts it, each line's
/// whitespace folded and blank lines dropped: what a reader of the printed
/// page sees, for `expect!` snapshots.
pub fn pdf_text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext could not run ({e}); install poppler-utils to test printed PDFs")
        });
    assert!(
        out.status.success(),
        "pdftotext could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    chartroom_core::validate::clean_lines(&String::from_utf8(out.stdout).unwrap()).join("\n")
}

/// The practice's database opened beside the app, as someone holding the
/// database key at a SQLite shell would.
pub fn raw_store(fx: &Fx) -> chartroom_store::Store {
    let kf = chartroom_keys::KeyFile::read(&fx.dir.path().join("chartroom.key")).unwrap();
    let key = fx
        .keystore
        .as_ref()
        .unwrap()
        .load(&kf.practice_id)
        .unwrap()
        .unwrap();
    chartroom_store::Store::open(&fx.dir.path().join("chartroom.db"), key.as_bytes()).unwrap()
}

/// A prescription a clinic writes every day.
pub fn amoxicillin_rx() -> EntryInput {
    EntryInput::Prescription {
        drug: "Amoxicillin".into(),
        strength: "500 mg".into(),
        form: "capsule".into(),
        directions: "Take 1 capsule by mouth three times daily for 10 days".into(),
        quantity: "30".into(),
        quantity_unit: "capsules".into(),
        refills: "0".into(),
        substitution_allowed: true,
    }
}
