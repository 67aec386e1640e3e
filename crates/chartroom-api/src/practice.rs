//! A practice's files and keys: first-run set-up, unlocking, backup and
//! restore, verification.
//!
//! Files in the data folder: `chartroom.db` (SQLCipher, keyed with a random
//! 256-bit key) and `chartroom.key` (that key wrapped by the recovery code
//! and, in passphrase mode, by the practice passphrase). The key itself is
//! kept in the OS keyring when there is one and is never written in
//! plaintext. Set-up writes the keyring entry, then the key file, then the
//! database under a temporary name that is renamed into place last, so an
//! interrupted set-up never leaves a database without its key.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use chartroom_keys::{
    read_backup_audit_head, read_backup_key_file, restore_backup, write_backup, AuditHead, DbKey,
    KeyFile, RecoveryCode,
};
use chartroom_store::audit::{self, Anchor, ChainReport};
use chartroom_store::model::{AuditAction, DataCategory, Role};
use chartroom_store::settings::{self, Practice};
use chartroom_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::protocol::SetupResult;
use chartroom_core::Env;

use chartroom_admin::{admin, validate};

use crate::{Actor, ApiError, Chartroom, Config, FieldErrors, Open, Result};

/// Opens the practice at start-up when the keyring holds its key.
pub(crate) fn auto_open(app: &mut Chartroom) -> Result<()> {
    let db = app.cfg.db_path();
    let key_path = app.cfg.key_path();
    match (db.exists(), key_path.exists()) {
        (false, false) => return Ok(()),
        (true, false) => {
            return Err(ApiError::BadState(format!(
                "the key file {} is missing. Copy it back from where it was saved, or restore the practice from a backup with the recovery code",
                key_path.display()
            )))
        }
        (false, true) => return Err(StoreError::Missing { path: db }.into()),
        (true, true) => {}
    }
    let kf = KeyFile::read(&key_path)?;
    app.key_file = Some(kf.clone());
    let Some(ks) = app.cfg.keystore.clone() else {
        return Err(ApiError::NeedsUnlock);
    };
    let key = match ks.load(&kf.practice_id) {
        Ok(Some(k)) => k,
        Ok(None) => return Err(ApiError::NeedsUnlock),
        Err(_) => return Err(ApiError::NeedsUnlock),
    };
    if kf.verify_key(&key).is_err() {
        // The keyring holds a key for another database: ask for the
        // recovery code rather than touching the file with the wrong key.
        return Err(ApiError::NeedsUnlock);
    }
    open_with_key(app, key, kf)?;
    locked_again_unless(app, record_failed_unlocks)
}

/// Runs the writes an unlock ends with (its audit record, the refusals
/// noted while locked); if any fails, the database is closed again: an
/// unlock that could not be recorded did not happen (fail closed).
fn locked_again_unless(
    app: &mut Chartroom,
    record: impl FnOnce(&mut Chartroom) -> Result<()>,
) -> Result<()> {
    let recorded = record(app);
    if recorded.is_err() {
        if let Some(open) = app.open.take() {
            let _ = open.store.close();
        }
    }
    recorded
}

fn open_with_key(app: &mut Chartroom, key: DbKey, kf: KeyFile) -> Result<()> {
    kf.verify_key(&key)?;
    let store = Store::open(&app.cfg.db_path(), key.as_bytes())?;
    let practice = settings::practice(store.read())?
        .ok_or_else(|| ApiError::BadState("the database has no practice record".into()))?;
    app.key_file = Some(kf.clone());
    let env = Env {
        practice_name: practice.name.clone(),
        default_export_dir: app.cfg.export_dir.clone(),
        data_dir: app.cfg.data_dir.clone(),
        time_zone: settings::get(store.read(), chartroom_core::clock::TIME_ZONE_KEY)?
            .as_deref()
            .and_then(chartroom_core::clock::parse_zone),
    };
    app.open = Some(Open {
        store,
        key,
        key_file: kf,
        practice,
        env,
        session: None,
    });
    app.problem = None;
    Ok(())
}

fn random_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// First run: creates key, key file, database and the first administrator.
pub(crate) fn setup(
    app: &mut Chartroom,
    practice_name: &str,
    admin_username: &str,
    admin_full_name: &str,
    admin_password: &str,
    passphrase: Option<&str>,
) -> Result<SetupResult> {
    let db = app.cfg.db_path();
    let key_path = app.cfg.key_path();
    if app.open.is_some() || db.exists() || key_path.exists() {
        return Err(ApiError::AlreadySetUp);
    }
    let mut errs = FieldErrors::default();
    let name = validate::clean(practice_name);
    if name.is_empty() {
        errs.add("practice_name", "Practice name is required");
    }
    // The administrator is checked with the user form's own rules, so
    // that nothing can fail after the files exist.
    let username = validate::username(&mut errs, admin_username);
    validate::full_name(&mut errs, "admin_full_name", admin_full_name);
    validate::password(
        &mut errs,
        "admin_password",
        admin_password,
        &[admin_username, admin_full_name, practice_name],
    );
    let passphrase = passphrase.filter(|p| !p.is_empty());
    match (app.cfg.keystore.is_some(), passphrase) {
        (false, None) => errs.add(
            "passphrase",
            "No system keyring is available, so a practice passphrase is needed to protect the key",
        ),
        (_, Some(p)) => {
            if let Err(e) = chartroom_keys::check_passphrase_strength(p) {
                errs.add("passphrase", e.to_string());
            }
        }
        _ => {}
    }
    errs.finish()?;

    let key = DbKey::generate();
    let code = RecoveryCode::generate();
    let practice_id = random_id();
    let now = app.clock.now();
    let kf = KeyFile::create(
        &practice_id,
        &key,
        &code,
        passphrase,
        app.cfg.kdf,
        &now.to_rfc3339(),
    )?;
    let key_storage = match &app.cfg.keystore {
        Some(ks) => {
            ks.save(&practice_id, &key)?;
            ks.name().to_string()
        }
        None => "passphrase".to_string(),
    };
    std::fs::create_dir_all(&app.cfg.data_dir).map_err(|source| StoreError::Io {
        path: app.cfg.data_dir.clone(),
        source,
    })?;
    kf.write_atomic(&key_path)?;
    let creating = db.with_extension("db.creating");
    let built = (|| -> Result<()> {
        let _ = std::fs::remove_file(&creating);
        let mut store = Store::create(&creating, key.as_bytes())?;
        store.write(|tx| {
            settings::init_practice(
                tx,
                &Practice {
                    practice_id: practice_id.clone(),
                    name: name.clone(),
                    created_at: now,
                },
            )?;
            audit::append(
                tx,
                now,
                &Actor::system("setup").event(
                    AuditAction::Setup,
                    DataCategory::Administration,
                    None,
                    "practice",
                    format!("practice set up; key kept in {key_storage}"),
                ),
            )?;
            Ok::<_, ApiError>(())
        })?;
        store.close()?;
        std::fs::rename(&creating, &db).map_err(|source| StoreError::Io {
            path: db.clone(),
            source,
        })?;
        Ok(())
    })();
    if let Err(e) = built {
        // Nothing was acknowledged: take the half-made practice away again.
        let _ = std::fs::remove_file(&creating);
        let _ = std::fs::remove_file(&key_path);
        if let Some(ks) = &app.cfg.keystore {
            let _ = ks.forget(&practice_id);
        }
        return Err(e);
    }
    open_with_key(app, key, kf)?;
    app.in_ctx(&Actor::system("setup"), |ctx| {
        admin::create_user(
            ctx,
            &admin::UserForm {
                username: &username,
                full_name: admin_full_name,
                credentials: "",
                roles: &[Role::Administrator],
                can_emergency_access: true,
            },
            admin_password,
        )
    })?;
    Ok(SetupResult {
        recovery_code: code.display().to_string(),
        key_storage,
        practice_id,
    })
}

fn locked_key_file(app: &Chartroom) -> Result<KeyFile> {
    if app.open.is_some() {
        return Err(ApiError::BadState(
            "the database is already unlocked".into(),
        ));
    }
    app.key_file.clone().ok_or(ApiError::NeedsSetup)
}

/// Unlocks with the practice passphrase (passphrase mode).
pub(crate) fn unlock_with_passphrase(app: &mut Chartroom, passphrase: &str) -> Result<()> {
    let kf = locked_key_file(app)?;
    let key = kf
        .unwrap_with_passphrase(passphrase)
        .map_err(|e| note_failed_unlock(app, e, "passphrase"))?;
    open_with_key(app, key, kf)?;
    locked_again_unless(app, |app| {
        audit_unlock(app, "unlocked with the practice passphrase")
    })
}

/// Notes a wrong passphrase or recovery code where the next unlock finds it
/// (the audit log needs the key this attempt lacked): a line of time and
/// method in the data folder, nothing else. Gives the error back.
fn note_failed_unlock(app: &Chartroom, e: chartroom_keys::KeyError, method: &str) -> ApiError {
    use chartroom_keys::KeyError as K;
    if matches!(e, K::WrongPassphrase | K::WrongRecoveryCode) {
        let line = format!("{}\t{method}\n", app.clock.now().to_rfc3339());
        let path = app.cfg.failed_unlocks_path();
        // Refused either way; a note that cannot be written is not a reason
        // to tell the person at the keyboard anything else.
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| {
                f.write_all(line.as_bytes())?;
                f.sync_all()
            });
    }
    e.into()
}

/// Moves the failed unlocks noted since the last unlock into the audit log,
/// one refusal each, then removes the note.
fn record_failed_unlocks(app: &mut Chartroom) -> Result<()> {
    let path = app.cfg.failed_unlocks_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(10_000) {
        let (at, method) = line.split_once('\t').unwrap_or((line, "?"));
        let at: String = at.chars().take(40).collect();
        let method: String = method.chars().take(20).collect();
        app.audit(Actor::system("workstation").event(
            AuditAction::Refused,
            DataCategory::Security,
            None,
            "database",
            format!("unlock refused at {at}: wrong {method}"),
        ))?;
    }
    std::fs::remove_file(&path).map_err(|source| StoreError::Io { path, source })?;
    Ok(())
}

/// Unlocks with the recovery code, then puts the key back in the keyring (or
/// wraps it with a new passphrase where there is no keyring).
pub(crate) fn unlock_with_recovery(
    app: &mut Chartroom,
    code: &str,
    new_passphrase: Option<&str>,
) -> Result<()> {
    let mut kf = locked_key_file(app)?;
    let code = RecoveryCode::parse(code)?;
    let new_passphrase = new_passphrase.filter(|p| !p.is_empty());
    if app.cfg.keystore.is_none() && new_passphrase.is_none() && !kf.has_passphrase() {
        return Err(ApiError::field(
            "new_passphrase",
            "No system keyring is available: choose a practice passphrase to protect the key",
        ));
    }
    if let Some(p) = new_passphrase {
        chartroom_keys::check_passphrase_strength(p)
            .map_err(|e| ApiError::field("new_passphrase", e.to_string()))?;
    }
    let key = kf
        .unwrap_with_recovery(&code)
        .map_err(|e| note_failed_unlock(app, e, "recovery code"))?;
    let mut detail = String::from("unlocked with the recovery code");
    if let Some(ks) = app.cfg.keystore.clone() {
        ks.save(&kf.practice_id, &key)?;
        detail.push_str(&format!("; key stored in {} again", ks.name()));
    }
    if let Some(p) = new_passphrase {
        kf.set_passphrase(&key, p, app.cfg.kdf)?;
        kf.write_atomic(&app.cfg.key_path())?;
        detail.push_str("; new practice passphrase set");
    }
    open_with_key(app, key, kf)?;
    locked_again_unless(app, |app| audit_unlock(app, &detail))
}

fn audit_unlock(app: &mut Chartroom, detail: &str) -> Result<()> {
    record_failed_unlocks(app)?;
    app.audit(Actor::system("workstation").event(
        AuditAction::Unlock,
        DataCategory::Security,
        None,
        "database",
        detail,
    ))
}

/// What `chartroom verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// `None` when SQLite's integrity check passes.
    pub integrity_problem: Option<String>,
    pub chain: ChainReport,
}

impl VerifyReport {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.integrity_problem.is_none() && self.chain.first_broken.is_none()
    }
}

impl Chartroom {
    /// Integrity check of the database plus the audit chain, checked
    /// against `anchors` kept outside the file (backups' headers, typed
    /// audit seals; see [`audit::verify_against`]) (CLI, tools).
    pub fn verify(&mut self, who: &str, anchors: &[Anchor]) -> Result<VerifyReport> {
        let open = self.open_mut()?;
        let integrity_problem = open.store.integrity_check()?;
        let chain = audit::verify_against(open.store.read(), anchors)?;
        let report = VerifyReport {
            integrity_problem,
            chain,
        };
        let detail = if report.ok() {
            format!(
                "database and audit chain verified ({} of {} anchors matched)",
                report.chain.anchors_matched,
                anchors.len()
            )
        } else {
            "verification FAILED".to_string()
        };
        self.audit(Actor::system(who).event(
            AuditAction::Verify,
            DataCategory::Audit,
            None,
            "database",
            detail,
        ))?;
        Ok(report)
    }

    /// Writes an encrypted backup of a consistent snapshot to `out` (the
    /// CLI; the window runs it as a background job, [`crate::jobs`]).
    pub fn backup(&mut self, out: &Path, who: &str, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let dir = self.cfg.data_dir.clone();
        let open = self.open_mut()?;
        let n = write_backup_file(&open.store, &dir, &open.key, &open.key_file, out, progress)?;
        self.audit(Actor::system(who).event(
            AuditAction::Backup,
            DataCategory::Administration,
            None,
            "database",
            format!("encrypted backup written ({n} bytes)"),
        ))?;
        Ok(n)
    }
}

/// Writes an encrypted backup of a consistent snapshot of `store` to `out`.
/// The snapshot is itself a SQLCipher file (same key) in the data folder and
/// is removed afterwards; the backup carries the wrapped key file so it
/// restores on a new machine with the recovery code. `out` appears only
/// when complete (written as `.partial`, synced, renamed).
pub(crate) fn write_backup_file(
    store: &Store,
    data_dir: &Path,
    key: &DbKey,
    key_file: &KeyFile,
    out: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    if out.exists() {
        return Err(ApiError::BadState(format!(
            "{} already exists; choose a new file name",
            out.display()
        )));
    }
    let snap = data_dir.join(format!(".backup-snapshot-{}.db", random_id()));
    // The head as the snapshot starts: every record up to it is in the
    // snapshot and stays in the log for good, so it anchors the chain.
    let head = audit::head(store.read(), "")?.map(|a| AuditHead {
        id: a.id,
        hash: hex::encode(a.hash),
    });
    store.snapshot_to(&snap, key.as_bytes())?;
    let partial = partial_name(out);
    let result = (|| -> Result<u64> {
        let input = BufReader::new(File::open(&snap).map_err(|source| StoreError::Io {
            path: snap.clone(),
            source,
        })?);
        let file = chartroom_store::create_private_file(&partial)?;
        let mut w = BufWriter::new(file);
        let n = write_backup(input, &mut w, key, key_file, head.as_ref(), progress)?;
        let file = w.into_inner().map_err(|e| StoreError::Io {
            path: partial.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(|source| StoreError::Io {
            path: partial.clone(),
            source,
        })?;
        std::fs::rename(&partial, out).map_err(|source| StoreError::Io {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(n)
    })();
    let _ = std::fs::remove_file(&snap);
    let _ = std::fs::remove_file(&partial);
    result
}

/// The audit chain's head recorded in a backup's header, as an anchor
/// (`None` for a backup made before backups carried one).
pub fn backup_anchor(backup: &Path) -> Result<Option<Anchor>> {
    let file = File::open(backup).map_err(|source| StoreError::Io {
        path: backup.to_path_buf(),
        source,
    })?;
    let Some(head) = read_backup_audit_head(BufReader::new(file))? else {
        return Ok(None);
    };
    let mut hash = [0u8; 32];
    hex::decode_to_slice(&head.hash, &mut hash).map_err(|_| {
        ApiError::BadState(format!(
            "{}: the audit head in its header is not readable",
            backup.display()
        ))
    })?;
    Ok(Some(Anchor {
        id: head.id,
        hash,
        source: format!("the backup {}", backup.display()),
    }))
}

/// Where a file is written before it is complete: its own name plus
/// `.partial`, so that no name the user chooses (even `x.partial`) is the
/// temporary one, removed after the rename.
pub(crate) fn partial_name(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

/// How a restore unlocks the backup's key.
pub enum RestoreKey<'a> {
    RecoveryCode(&'a str),
    Passphrase(&'a str),
}

/// Restores `backup` into `into` (a folder without a practice in it):
/// decrypts to a temporary file, opens it, checks integrity and the audit
/// chain, and only then moves it into place beside its key file.
pub fn restore(
    backup: &Path,
    into: &Path,
    unlock: RestoreKey<'_>,
    clock: &dyn crate::Clock,
    progress: &mut dyn FnMut(u64),
) -> Result<VerifyReport> {
    let cfg_db = into.join("chartroom.db");
    let cfg_key = into.join("chartroom.key");
    if cfg_db.exists() || cfg_key.exists() {
        return Err(ApiError::BadState(format!(
            "{} already holds a practice; restore into a new folder",
            into.display()
        )));
    }
    let open_backup = || {
        File::open(backup)
            .map(BufReader::new)
            .map_err(|source| StoreError::Io {
                path: backup.to_path_buf(),
                source,
            })
    };
    let kf = read_backup_key_file(open_backup()?)?;
    let key = match unlock {
        RestoreKey::RecoveryCode(c) => kf.unwrap_with_recovery(&RecoveryCode::parse(c)?)?,
        RestoreKey::Passphrase(p) => kf.unwrap_with_passphrase(p)?,
    };
    std::fs::create_dir_all(into).map_err(|source| StoreError::Io {
        path: into.to_path_buf(),
        source,
    })?;
    let tmp: PathBuf = into.join("chartroom.db.restoring");
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<VerifyReport> {
        let file = chartroom_store::create_private_file(&tmp)?;
        let mut w = BufWriter::new(file);
        restore_backup(open_backup()?, &mut w, &key, progress)?;
        w.flush().map_err(|source| StoreError::Io {
            path: tmp.clone(),
            source,
        })?;
        drop(w);
        let store = Store::open(&tmp, key.as_bytes())?;
        // The restored log must reach the head the backup's header recorded.
        let anchors: Vec<Anchor> = backup_anchor(backup)?.into_iter().collect();
        let report = VerifyReport {
            integrity_problem: store.integrity_check()?,
            chain: audit::verify_against(store.read(), &anchors)?,
        };
        store.close()?;
        Ok(report)
    })();
    let report = match result {
        Ok(r) if r.ok() => r,
        Ok(r) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(ApiError::BadState(format!(
                "the restored copy failed verification ({:?}); nothing was put in place",
                r
            )));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            for ext in ["db.restoring-wal", "db.restoring-shm"] {
                let _ = std::fs::remove_file(into.join(format!("chartroom.{ext}")));
            }
            return Err(e);
        }
    };
    kf.write_atomic(&cfg_key)?;
    std::fs::rename(&tmp, &cfg_db).map_err(|source| StoreError::Io {
        path: cfg_db.clone(),
        source,
    })?;
    let mut store = Store::open(&cfg_db, key.as_bytes())?;
    store.write(|tx| {
        audit::append(
            tx,
            clock.now(),
            &Actor::system("restore").event(
                AuditAction::Backup,
                DataCategory::Administration,
                None,
                "database",
                "restored from an encrypted backup",
            ),
        )?;
        Ok::<_, ApiError>(())
    })?;
    Ok(report)
}

/// Builds the usual configuration for a data folder, with the system keyring
/// when one works (or none when `use_keyring` is false).
pub fn config_for(data_dir: PathBuf, use_keyring: bool) -> Config {
    let (keystore, keyring_detail) = if use_keyring {
        match chartroom_keys::SystemKeyring::open() {
            Ok(k) => (
                Some(std::sync::Arc::new(k) as std::sync::Arc<dyn chartroom_keys::KeyStore>),
                String::new(),
            ),
            // The library's own wording (D-Bus addresses, "zbus error") means
            // nothing at the front desk.
            Err(_) => (
                None,
                "the operating system's keyring could not be opened on this computer".to_string(),
            ),
        }
    } else {
        (None, "the keyring is turned off for this run".to_string())
    };
    Config {
        data_dir,
        keystore,
        keyring_detail,
        kdf: chartroom_keys::KdfParams::interactive(),
        idle_lock_override_secs: None,
        export_dir: default_export_dir(),
    }
}

/// Where printed PDFs go by default: `~/Chartroom exports`.
pub fn default_export_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join("Chartroom exports")
}

/// Where a practice lives by default: the platform's per-user data folder
/// (`$XDG_DATA_HOME/chartroom`, `~/.local/share/chartroom`,
/// `~/Library/Application Support/Chartroom`, `%APPDATA%\Chartroom`).
pub fn default_data_dir() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(target_os = "windows") {
        if let Some(p) = env("APPDATA") {
            return p.join("Chartroom");
        }
    } else if cfg!(target_os = "macos") {
        if let Some(h) = env("HOME") {
            return h.join("Library/Application Support/Chartroom");
        }
    } else if let Some(x) = env("XDG_DATA_HOME") {
        return x.join("chartroom");
    } else if let Some(h) = env("HOME") {
        return h.join(".local/share/chartroom");
    }
    PathBuf::from("chartroom-data")
}
