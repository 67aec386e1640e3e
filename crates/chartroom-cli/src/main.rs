//! `chartroom`: the practice's command-line tool. It drives the same API as
//! the desktop app (`chartroom_api`): set up a practice, check that it
//! unlocks, make and restore encrypted backups, verify the database and the
//! audit chain, generate a demo practice, and run the benchmark.
//!
//! Secrets never go on the command line (where `ps` would show them): they
//! are read from environment variables named by flags, or from standard input.

#![forbid(unsafe_code)]

mod bench;
mod bench_billing;
mod bench_chart;
mod bench_open;
mod bench_records;
mod bench_schedule;

use chartroom_types::PatientId;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chartroom_admin::commands::{CreateUser, GetSettings, UpdateSettings};
use chartroom_api::commands::{
    Login, Logout, SetupPractice, Status, UnlockWithPassphrase, UnlockWithRecovery,
};
use chartroom_api::practice::{config_for, restore, RestoreKey};
use chartroom_api::protocol::{AppStatus, Phase};
use chartroom_api::{ApiError, Chartroom, SystemClock};
use chartroom_demo as demo;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chartroom",
    version,
    about = "Chartroom practice tools (offline EMR)"
)]
struct Cli {
    /// The practice's data folder.
    #[arg(long, global = true, env = "CHARTROOM_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Do not use the OS keyring (passphrase mode).
    #[arg(long, global = true)]
    no_keyring: bool,
    /// Environment variable holding the practice passphrase.
    #[arg(long, global = true, default_value = "CHARTROOM_PASSPHRASE")]
    passphrase_env: String,
    /// Environment variable holding the recovery code.
    #[arg(long, global = true, default_value = "CHARTROOM_RECOVERY_CODE")]
    recovery_env: String,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Set up a new practice: database, key, recovery code, first administrator.
    Setup {
        #[arg(long)]
        practice_name: String,
        #[arg(long, default_value = "admin")]
        admin_username: String,
        #[arg(long, default_value = "Practice Administrator")]
        admin_full_name: String,
        /// Environment variable holding the administrator's password.
        #[arg(long, default_value = "CHARTROOM_ADMIN_PASSWORD")]
        admin_password_env: String,
    },
    /// Check that the practice unlocks (keyring, passphrase or recovery code).
    UnlockCheck,
    /// Write an encrypted backup of a consistent snapshot.
    Backup {
        /// The backup file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into a new folder, verifying it before anything is put in place.
    Restore {
        #[arg(long)]
        backup: PathBuf,
        /// A folder with no practice in it.
        #[arg(long)]
        into: PathBuf,
    },
    /// Integrity check of the database and of the audit chain, checked
    /// against anchors kept outside the file: the audit head in backups'
    /// headers, and audit seals as printed ("1234: 3f2a…").
    Verify {
        /// A backup whose header's audit head the log must still hold
        /// (repeatable).
        #[arg(long = "against-backup")]
        backups: Vec<PathBuf>,
        /// An audit seal, typed as printed: the record number, a colon and
        /// the hash (repeatable).
        #[arg(long = "seal")]
        seals: Vec<String>,
    },
    /// Create a demo practice with synthetic patients and one login per role.
    Demo {
        #[arg(long, default_value_t = 500)]
        patients: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How many patients get a clinical history (the first one a long one:
        /// 1,000 visits and 5,000 vital and lab values).
        #[arg(long, default_value_t = 300)]
        charts: usize,
    },
    /// Measure chart open, trends and ICD-10-CM search on a generated practice
    /// holding a patient with 1,000 visits and 5,000 vital and lab values.
    BenchChart {
        /// Patients in the practice besides the long history.
        #[arg(long, default_value_t = 2000)]
        patients: usize,
        /// Chart opens to time.
        #[arg(long, default_value_t = 300)]
        rounds: usize,
    },
    /// Measure records out on a generated chart: a referral packet of
    /// `pages` pages (three trend plots, a 5-page scanned attachment)
    /// released to a file, and the preview of its first page.
    BenchRecords {
        /// The packet's least number of pages.
        #[arg(long, default_value_t = 20)]
        pages: u32,
        /// Releases and previews to time.
        #[arg(long, default_value_t = 30)]
        rounds: usize,
    },
    /// Measure the front desk's reads on a generated practice (five
    /// calendars, three years of history, a year ahead with recurring
    /// series): the day view of 150 appointments, the next free slot on a
    /// calendar booked solid for 90 days, today's flow board.
    BenchSchedule {
        /// Patients in the practice.
        #[arg(long, default_value_t = 5000)]
        patients: usize,
        /// Reads of each kind to time.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
    /// Measure billing's practice-wide reads on a generated practice
    /// (years of charges, payments, write-offs and transfers): the A/R
    /// aging, the longest guarantor's ledger, a batch of 500 statements.
    BenchBilling {
        /// Patients in the practice.
        #[arg(long, default_value_t = 100_000)]
        patients: usize,
        /// Years of history.
        #[arg(long, default_value_t = 10)]
        years: u32,
        /// Visits charged each weekday.
        #[arg(long, default_value_t = 120)]
        visits: u32,
        /// Reads of each kind to time.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Measure open time against file size: a practice holding GiBs of
    /// scanned documents, opened cold or warm.
    BenchOpen {
        /// GiB of documents in the file.
        #[arg(long, default_value_t = 5.0)]
        gib: f64,
        /// Where to keep the generated file (default: a temporary folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Drop the OS page cache before each open (needs root).
        #[arg(long)]
        cold: bool,
    },
    /// Measure search and open times on generated practices.
    Bench {
        /// Practice sizes to generate, e.g. 10000,100000.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
        patients: Vec<usize>,
        /// Where to put the generated practices (default: a temporary folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long, default_value_t = 400)]
        typists: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chartroom: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult = Result<(), String>;

fn err(e: ApiError) -> String {
    let w = e.to_wire();
    let mut s = w.message;
    for f in w.fields {
        s.push_str(&format!("\n  {}: {}", f.field, f.message));
    }
    s
}

fn data_dir(cli: &Cli) -> Result<PathBuf, String> {
    cli.data_dir
        .clone()
        .ok_or_else(|| "say which practice: --data-dir DIR (or CHARTROOM_DATA_DIR)".to_string())
}

fn secret(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

fn status(app: &mut Chartroom) -> Result<AppStatus, String> {
    app.run(Status {}).map_err(err)
}

/// Starts the API on the data folder and unlocks it by keyring, passphrase
/// or recovery code, in that order.
fn unlocked(cli: &Cli) -> Result<Chartroom, String> {
    let cfg = config_for(data_dir(cli)?, !cli.no_keyring);
    let mut app = Chartroom::start(cfg, Arc::new(SystemClock));
    let st = status(&mut app)?;
    match st.phase {
        Phase::LoggedOut | Phase::Active | Phase::Locked => Ok(app),
        Phase::NeedsSetup => Err(format!(
            "no practice in {}; run `chartroom setup` first",
            st.data_dir
        )),
        Phase::CannotOpen => Err(st
            .problem
            .map(|p| p.message)
            .unwrap_or_else(|| "the practice cannot be opened".into())),
        Phase::NeedsUnlock => {
            if let Some(p) = secret(&cli.passphrase_env) {
                app.run(UnlockWithPassphrase {
                    passphrase: p.into(),
                })
                .map_err(err)?;
                eprintln!("unlocked with the practice passphrase");
            } else if let Some(c) = secret(&cli.recovery_env) {
                app.run(UnlockWithRecovery {
                    code: c.into(),
                    new_passphrase: secret(&cli.passphrase_env).map(Into::into),
                })
                .map_err(err)?;
                eprintln!("unlocked with the recovery code");
            } else {
                return Err(format!(
                    "the key is not in the keyring ({}); set {} or {}",
                    st.keyring.detail, cli.passphrase_env, cli.recovery_env
                ));
            }
            Ok(app)
        }
    }
}

fn progress_bytes(total_hint: u64) -> impl FnMut(u64) {
    let mut last = 0u64;
    move |n: u64| {
        if n - last >= 8 << 20 || (total_hint > 0 && n >= total_hint) {
            last = n;
            eprint!("\r  {:.1} MiB", n as f64 / 1048576.0);
            let _ = std::io::stderr().flush();
        }
    }
}

fn run(cli: Cli) -> CliResult {
    match &cli.cmd {
        Cmd::Setup {
            practice_name,
            admin_username,
            admin_full_name,
            admin_password_env,
        } => {
            let password = secret(admin_password_env).ok_or_else(|| {
                format!("set the administrator's password in {admin_password_env}")
            })?;
            let cfg = config_for(data_dir(&cli)?, !cli.no_keyring);
            let mut app = Chartroom::start(cfg, Arc::new(SystemClock));
            let r = app
                .run(SetupPractice {
                    practice_name: practice_name.clone(),
                    admin_username: admin_username.clone(),
                    admin_full_name: admin_full_name.clone(),
                    admin_password: password.into(),
                    passphrase: secret(&cli.passphrase_env).map(Into::into),
                })
                .map_err(err)?;
            {
                let s = r;
                println!("Practice set up. The key is kept in: {}", s.key_storage);
                println!(
                    "RECOVERY CODE (print it or write it down, keep it safe): {}",
                    s.recovery_code
                );
            }
            Ok(())
        }
        Cmd::UnlockCheck => {
            let mut app = unlocked(&cli)?;
            let st = status(&mut app)?;
            println!(
                "ok: {} unlocks ({:?})",
                st.practice_name.unwrap_or_default(),
                st.phase
            );
            Ok(())
        }
        Cmd::Backup { out } => {
            let mut app = unlocked(&cli)?;
            let n = app
                .backup(out, "cli", &mut progress_bytes(0))
                .map_err(err)?;
            eprintln!();
            println!(
                "backup written: {} ({n} bytes of database, encrypted)",
                out.display()
            );
            Ok(())
        }
        Cmd::Restore { backup, into } => {
            let key = if let Some(c) = secret(&cli.recovery_env) {
                c
            } else {
                return restore_with_passphrase(&cli, backup, into);
            };
            let report = restore(
                backup,
                into,
                RestoreKey::RecoveryCode(&key),
                &SystemClock,
                &mut progress_bytes(0),
            )
            .map_err(err)?;
            eprintln!();
            println!(
                "restored into {} and verified: {} audit records, chain intact",
                into.display(),
                report.chain.records
            );
            Ok(())
        }
        Cmd::Verify { backups, seals } => {
            let mut anchors = Vec::new();
            for b in backups {
                match chartroom_api::practice::backup_anchor(b).map_err(err)? {
                    Some(a) => anchors.push(a),
                    None => eprintln!(
                        "{}: made before backups carried the audit head; not an anchor",
                        b.display()
                    ),
                }
            }
            for (i, s) in seals.iter().enumerate() {
                let a = chartroom_store::audit::Anchor::parse_seal(s, &format!("seal {}", i + 1))
                    .map_err(|e| format!("--seal {s:?}: {e}"))?;
                anchors.push(a);
            }
            let mut app = unlocked(&cli)?;
            let r = app.verify("cli", &anchors).map_err(err)?;
            match &r.integrity_problem {
                None => println!("database integrity: ok"),
                Some(p) => println!("database integrity: FAILED: {p}"),
            }
            match &r.chain.first_broken {
                None => println!(
                    "audit chain: ok ({} records; {} of {} anchors matched)",
                    r.chain.records,
                    r.chain.anchors_matched,
                    anchors.len()
                ),
                Some(b) => println!("audit chain: BROKEN at record {}: {}", b.id, b.reason),
            }
            if r.ok() {
                Ok(())
            } else {
                Err("verification failed".into())
            }
        }
        Cmd::Demo {
            patients,
            seed,
            charts,
        } => demo_practice(&cli, *patients, *seed, *charts),
        Cmd::BenchChart { patients, rounds } => bench_chart::run(*patients, *rounds),
        Cmd::BenchRecords { pages, rounds } => bench_records::run(*pages, *rounds),
        Cmd::BenchSchedule { patients, rounds } => bench_schedule::run(*patients, *rounds),
        Cmd::BenchBilling {
            patients,
            years,
            visits,
            rounds,
        } => bench_billing::run(*patients, *years, *visits, *rounds),
        Cmd::Bench {
            patients,
            work_dir,
            typists,
        } => bench::run(patients, work_dir.clone(), *typists),
        Cmd::BenchOpen {
            gib,
            work_dir,
            rounds,
            cold,
        } => bench_open::run(*gib, work_dir.clone(), *rounds, *cold),
    }
}

fn restore_with_passphrase(
    cli: &Cli,
    backup: &std::path::Path,
    into: &std::path::Path,
) -> CliResult {
    let p = secret(&cli.passphrase_env).ok_or_else(|| {
        format!(
            "set {} (recovery code) or {} (passphrase)",
            cli.recovery_env, cli.passphrase_env
        )
    })?;
    let report = restore(
        backup,
        into,
        RestoreKey::Passphrase(&p),
        &SystemClock,
        &mut progress_bytes(0),
    )
    .map_err(err)?;
    println!(
        "restored into {} and verified: {} audit records, chain intact",
        into.display(),
        report.chain.records
    );
    Ok(())
}

/// Sets up a demo practice (if the folder is empty) with one login per role.
/// The demo's schedule: the practice manager sets up the doctor's calendar
/// and a nurse-visit line (weekdays 8-12 and 13-17, Saturday mornings) and
/// four appointment types; the front desk books today and the next five
/// days. A slot that is not a working time (Sunday) is skipped.
fn demo_schedule(
    app: &mut Chartroom,
    doctor: chartroom_types::UserId,
    patients: usize,
) -> Result<(), ApiError> {
    use chartroom_scheduling::commands::{BookAppointment, SaveAppointmentType, SaveCalendar};
    use chartroom_scheduling::hours::WeekHoursForm;
    use chartroom_scheduling::protocol::{AppointmentTypeForm, CalendarForm};
    use chartroom_types::EncounterKind;
    app.run(Login {
        username: "manager".into(),
        password: demo::DEMO_PASSWORD.into(),
    })?;
    let day = "08:00-12:00, 13:00-17:00".to_string();
    let week = WeekHoursForm {
        mon: day.clone(),
        tue: day.clone(),
        wed: day.clone(),
        thu: day.clone(),
        fri: day,
        sat: "09:00-12:00".into(),
        sun: String::new(),
    };
    let mut calendars = Vec::new();
    for (name, user_id, chart_user_id, colour) in [
        ("Dr Maya Patel", Some(doctor), None, "#2f6fb0"),
        ("Nurse visits", None, Some(doctor), "#2f8f6a"),
    ] {
        calendars.push(
            app.run(SaveCalendar {
                id: None,
                expected_version: 0,
                form: CalendarForm {
                    name: name.into(),
                    user_id,
                    chart_user_id,
                    colour: colour.into(),
                    hours: week.clone(),
                    active: true,
                },
            })?
            .id,
        );
    }
    let mut types = Vec::new();
    for (name, minutes, colour, kind, on) in [
        (
            "New patient",
            40,
            "#8a4fbf",
            EncounterKind::OfficeVisit,
            vec![calendars[0]],
        ),
        (
            "Follow-up",
            20,
            "#2f6fb0",
            EncounterKind::FollowUp,
            vec![calendars[0]],
        ),
        (
            "Annual physical",
            30,
            "#c07a1e",
            EncounterKind::AnnualPhysical,
            vec![calendars[0]],
        ),
        (
            "Nurse visit",
            15,
            "#2f8f6a",
            EncounterKind::OfficeVisit,
            vec![calendars[1]],
        ),
    ] {
        types.push(
            app.run(SaveAppointmentType {
                id: None,
                expected_version: 0,
                form: AppointmentTypeForm {
                    name: name.into(),
                    minutes,
                    colour: colour.into(),
                    visit_kind: kind,
                    calendars: on,
                    active: true,
                },
            })?
            .id,
        );
    }
    app.run(Logout {})?;
    app.run(Login {
        username: "desk".into(),
        password: demo::DEMO_PASSWORD.into(),
    })?;
    let today = chartroom_api::Clock::today(&SystemClock);
    let doctor_day = [
        ("08:00", 1),
        ("08:20", 1),
        ("08:40", 0),
        ("09:20", 1),
        ("09:40", 2),
        ("10:10", 1),
        ("10:30", 1),
        ("11:00", 0),
        ("13:00", 1),
        ("13:20", 2),
        ("14:00", 1),
        ("14:20", 1),
        ("15:00", 0),
        ("15:40", 1),
        ("16:00", 1),
    ];
    let nurse_day = [
        "08:30", "09:00", "10:00", "11:15", "13:30", "14:45", "16:15",
    ];
    let mut next_patient = 0usize;
    let mut patient = || {
        next_patient = next_patient % patients.max(1) + 1;
        PatientId(next_patient as i64)
    };
    for offset in 0..6u64 {
        let Some(d) = today.checked_add_days(chrono::Days::new(offset)) else {
            continue;
        };
        let slots = doctor_day
            .iter()
            .map(|(t, k)| (calendars[0], types[*k], *t))
            .chain(nurse_day.iter().map(|t| (calendars[1], types[3], *t)));
        for (calendar_id, type_id, t) in slots {
            let booked = app.run(BookAppointment {
                patient_id: patient(),
                calendar_id,
                type_id,
                room_id: None,
                start: format!("{d}T{t}"),
                minutes: None,
                reason: String::new(),
                repeat: None,
                override_reason: String::new(),
                fills: None,
            });
            match booked {
                Ok(_) => {}
                Err(e) if e.code() == chartroom_api::ErrorCode::Validation => {} // not a working time
                Err(e) => return Err(e),
            }
        }
    }
    app.run(Logout {})?;
    Ok(())
}

fn demo_practice(cli: &Cli, patients: usize, seed: u64, charts: usize) -> CliResult {
    let dir = data_dir(cli)?;
    let cfg = config_for(dir.clone(), !cli.no_keyring);
    let mut app = Chartroom::start(cfg, Arc::new(SystemClock));
    let st = status(&mut app)?;
    if st.phase != Phase::NeedsSetup {
        return Err(format!(
            "{} already holds a practice; the demo needs an empty folder",
            dir.display()
        ));
    }
    let passphrase = secret(&cli.passphrase_env);
    let r = app
        .run(SetupPractice {
            practice_name: "Riverside Family Medicine (demo)".into(),
            admin_username: "admin".into(),
            admin_full_name: "Alex Admin".into(),
            admin_password: demo::DEMO_PASSWORD.into(),
            passphrase: passphrase.map(Into::into),
        })
        .map_err(err)?;
    let setup = r;
    app.run(Login {
        username: "admin".into(),
        password: demo::DEMO_PASSWORD.into(),
    })
    .map_err(err)?;
    let mut clinician = None;
    for (username, full_name, credentials, roles) in demo::DEMO_USERS {
        let u = app
            .run(CreateUser {
                username: username.to_string(),
                full_name: full_name.to_string(),
                credentials: credentials.to_string(),
                password: demo::DEMO_PASSWORD.into(),
                roles: roles.to_vec(),
                can_emergency_access: false,
            })
            .map_err(err)?;
        if roles.contains(&chartroom_store::model::Role::Clinician) {
            clinician.get_or_insert(u.id);
        }
    }
    // The letterhead printed on prescriptions.
    {
        let mut settings = app.run(GetSettings {}).map_err(err)?;
        settings.practice_address = "1200 Harbor Boulevard, Suite 210\nPortland, OR 97201".into();
        settings.practice_phone = "(503) 555-0142".into();
        settings.practice_fax = "(503) 555-0143".into();
        settings.practice_npi = "1234567893".into();
        settings.practice_tax_id = "93-1234567".into();
        app.run(UpdateSettings { settings }).map_err(err)?;
    }
    app.run(Logout {}).map_err(err)?;
    // The referral address book, kept by the practice manager.
    app.run(Login {
        username: "manager".into(),
        password: demo::DEMO_PASSWORD.into(),
    })
    .map_err(err)?;
    for (name, specialty, practice, address, phone, fax, npi) in demo::DEMO_REFERRAL_PROVIDERS {
        app.run(chartroom_records::commands::SaveReferralProvider {
            provider_id: None,
            expected_version: 0,
            provider: chartroom_records::protocol::ProviderForm {
                name: name.to_string(),
                specialty: specialty.to_string(),
                practice: practice.to_string(),
                address: address.to_string(),
                phone: phone.to_string(),
                fax: fax.to_string(),
                npi: npi.to_string(),
                active: true,
            },
        })
        .map_err(err)?;
    }
    // The doctor's NPI, for the claims billing prints.
    if let Some(doctor) = clinician {
        app.run(chartroom_billing::commands::SetProviderNpi {
            user_id: doctor,
            npi: demo::DEMO_CLINICIAN_NPI.into(),
        })
        .map_err(err)?;
    }
    app.run(Logout {}).map_err(err)?;
    app.add_demo_patients(patients, seed, &mut |n| {
        if n % 10_000 == 0 || n == patients {
            eprint!("\r  {n} of {patients} patients");
            let _ = std::io::stderr().flush();
        }
    })
    .map_err(err)?;
    eprintln!();
    for id in 1..=charts.min(patients) as i64 {
        let size = if id == 1 {
            demo::ChartSize {
                encounters: 1000,
                observations: 5000,
            }
        } else {
            demo::ChartSize {
                encounters: 4 + (id as usize % 9),
                observations: 30 + (id as usize % 40),
            }
        };
        app.add_demo_chart(PatientId(id), size, seed).map_err(err)?;
    }
    if charts > 0 {
        eprintln!(
            "  clinical histories for {} patients (MRN 100001 has 1,000 visits)",
            charts.min(patients)
        );
    }
    if let Some(doctor) = clinician {
        demo_schedule(&mut app, doctor, patients).map_err(err)?;
    }
    std::fs::write(dir.join("DEMO-RECOVERY-CODE.txt"), format!("Demo practice recovery code (demo only; a real practice prints it and keeps it offline):\n{}\n", setup.recovery_code))
        .map_err(|e| e.to_string())?;
    println!(
        "demo practice ready in {} ({patients} patients); key kept in: {}",
        dir.display(),
        setup.key_storage
    );
    Ok(())
}
