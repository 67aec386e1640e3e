//! Long jobs run in the background: a backup today; restores, multi-page
//! PDFs, practice-wide reports and imports reuse the same machinery later.
//!
//! A job runs on a thread of its own with its own SQLCipher connection (WAL
//! lets it read a consistent snapshot while the window's connection goes on
//! reading and writing), so no request waits behind it. Its progress lives
//! in a shared [`JobState`] the UI polls with `JobStatus`. The job writes
//! its own audit record through its connection when it ends, so a job
//! nobody watches is still recorded. Writes stay serialised: SQLite's
//! immediate transactions and the busy timeout order them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chartroom_core::Actor;
use chartroom_keys::{DbKey, KeyFile};
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::{Store, StoreOptions};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Clock, Result, WireError};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum JobKind {
    Backup,
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum JobPhase {
    Running,
    Done,
    Failed,
}

/// A job as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JobView {
    #[ts(type = "number")]
    pub id: u64,
    pub kind: JobKind,
    pub phase: JobPhase,
    /// Bytes written so far.
    #[ts(type = "number")]
    pub done_bytes: u64,
    /// The size expected (the database's), 0 when unknown.
    #[ts(type = "number")]
    pub total_bytes: u64,
    /// The file written, once done.
    pub output: Option<String>,
    /// Why it failed.
    pub error: Option<WireError>,
}

/// A running or finished job's shared state.
#[derive(Debug)]
pub struct JobState {
    view: JobView,
}

type Shared = Arc<Mutex<JobState>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, JobState> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// The jobs of this session of the app.
#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    all: BTreeMap<u64, Shared>,
}

impl Jobs {
    /// The job's view, or `None` for an unknown id.
    pub fn view(&self, id: u64) -> Option<JobView> {
        self.all.get(&id).map(|s| lock(s).view.clone())
    }

    fn add(&mut self, kind: JobKind, total_bytes: u64) -> (u64, Shared) {
        self.next += 1;
        let id = self.next;
        let state = Arc::new(Mutex::new(JobState {
            view: JobView {
                id,
                kind,
                phase: JobPhase::Running,
                done_bytes: 0,
                total_bytes,
                output: None,
                error: None,
            },
        }));
        self.all.insert(id, state.clone());
        (id, state)
    }
}

/// What a backup job needs, taken from the open practice.
pub(crate) struct BackupJob {
    pub db_path: PathBuf,
    pub data_dir: PathBuf,
    pub key: DbKey,
    pub key_file: KeyFile,
    pub out: PathBuf,
    pub actor: Actor,
    pub clock: Arc<dyn Clock>,
}

/// Starts a backup on its own thread; returns the job's id at once.
pub(crate) fn start_backup(jobs: &mut Jobs, job: BackupJob) -> Result<JobView> {
    if job.out.exists() {
        return Err(ApiError::field(
            "folder",
            format!(
                "{} already exists; choose another folder",
                job.out.display()
            ),
        ));
    }
    let total = std::fs::metadata(&job.db_path)
        .map(|m| m.len())
        .unwrap_or(0);
    let (id, state) = jobs.add(JobKind::Backup, total);
    let view = lock(&state).view.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("chartroom-backup-{id}"))
        .spawn(move || {
            let progress_state = state.clone();
            let mut progress = move |n: u64| lock(&progress_state).view.done_bytes = n;
            let result = run_backup(&job, &mut progress);
            let mut s = lock(&state);
            match result {
                Ok(n) => {
                    s.view.done_bytes = n;
                    s.view.phase = JobPhase::Done;
                    s.view.output = Some(job.out.display().to_string());
                }
                Err(e) => {
                    s.view.phase = JobPhase::Failed;
                    s.view.error = Some(e.to_wire());
                }
            }
        });
    if let Err(e) = spawned {
        return Err(ApiError::internal(format!(
            "could not start the backup: {e}"
        )));
    }
    Ok(view)
}

/// The backup itself, on the job's own connection: a consistent snapshot,
/// encrypted again into `out`, and the audit record of it.
fn run_backup(job: &BackupJob, progress: &mut dyn FnMut(u64)) -> Result<u64> {
    let opts = StoreOptions {
        // A sequential read: a small cache is enough, and the window's
        // connection keeps its own.
        cache_kib: 8 * 1024,
        // The window's store checks the same file already.
        background_check: false,
        ..StoreOptions::default()
    };
    let mut store = Store::open_with(&job.db_path, job.key.as_bytes(), &opts)?;
    let n = crate::practice::write_backup_file(
        &store,
        &job.data_dir,
        &job.key,
        &job.key_file,
        &job.out,
        progress,
    )?;
    let now = job.clock.now();
    let ev = job.actor.event(
        AuditAction::Backup,
        DataCategory::Administration,
        None,
        "database",
        format!("encrypted backup written in the background ({n} bytes)"),
    );
    store.write(|tx| {
        audit::append(tx, now, &ev)?;
        Ok::<_, ApiError>(())
    })?;
    Ok(n)
}

/// The backup file name for a clinic-local day and time.
pub(crate) fn backup_file_name(stamp: &str) -> String {
    format!("chartroom-{stamp}.crbak")
}

/// The folder typed for a backup, checked.
pub(crate) fn backup_folder(typed: &str) -> Result<PathBuf> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(ApiError::field(
            "folder",
            "Choose the folder the backup is written to (a USB drive, for example)",
        ));
    }
    let p = Path::new(t);
    if !p.is_absolute() {
        return Err(ApiError::field(
            "folder",
            "Give the folder's full path, starting with /",
        ));
    }
    if !p.is_dir() {
        return Err(ApiError::field("folder", format!("There is no folder {t}")));
    }
    Ok(p.to_path_buf())
}
