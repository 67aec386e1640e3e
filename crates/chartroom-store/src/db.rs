//! Opening, keying, probing and migrating the SQLCipher database file.
//!
//! Invariants:
//! - A file that exists is only ever opened, never created; a missing file is
//!   an error ([`StoreError::Missing`]), not an invitation to start afresh.
//! - Before anything is written to an existing file (journal mode, migrations)
//!   the key is proven by a read and the schema version is checked, so a wrong
//!   key, a damaged file or a newer schema leave the file byte-for-byte as it was.
//! - Open time does not grow with the file. Open checks what is cheap and
//!   catches the common damage: the key, the schema, a file shorter than
//!   its pages (cut short), and the first page of every table and index
//!   ([`bounded_check`]). Every page is then checked in the background
//!   ([`Integrity`], `PRAGMA quick_check` on a read-only connection of its
//!   own); damage found there stops every write ([`StoreError::Damaged`]).
//!   Until it finishes, a write can only build on pages it reads, and
//!   SQLCipher authenticates each page (HMAC) as it is read: a damaged page
//!   fails that read and the write rolls back.
//! - Temporary tables and sorts stay in memory (`temp_store = MEMORY`): SQLite
//!   writes no temp files. The WAL is encrypted page by page like the database.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, InterruptHandle, OpenFlags, Transaction, TransactionBehavior};
use zeroize::Zeroizing;

use crate::{migrations, Result, StoreError};

/// Tuning knobs for an open database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Page cache in KiB. Decrypted pages live here, so a cache that holds the
    /// working set makes the encrypted store nearly as fast as a plain one.
    pub cache_kib: i64,
    /// Store plaintext (benchmarks only: comparing against plain SQLite).
    pub plaintext_for_benchmark: bool,
    /// Check every page in the background after opening ([`Integrity`]).
    /// Off for short-lived second connections (background jobs) whose
    /// file the app's own store is already checking.
    pub background_check: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            cache_kib: 256 * 1024,
            plaintext_for_benchmark: false,
            background_check: true,
        }
    }
}

/// What the background check of every page has found so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integrity {
    /// Not run (a new file, or turned off in [`StoreOptions`]).
    NotRun,
    /// Running since the store was opened.
    Checking,
    /// Every page read back whole.
    Healthy { took: Duration },
    /// Damage found: every write is refused from now on.
    Damaged(String),
    /// The check could not finish (the store closed first, or the file
    /// could not be read by a second connection); nothing was found.
    Unfinished(String),
}

/// The background check: its thread, a handle to stop it and its finding.
struct BackgroundCheck {
    state: Arc<Mutex<Integrity>>,
    interrupt: Arc<Mutex<Option<InterruptHandle>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundCheck {
    fn start(path: &Path, key: &[u8; 32], opts: &StoreOptions) -> BackgroundCheck {
        let state = Arc::new(Mutex::new(Integrity::Checking));
        let interrupt = Arc::new(Mutex::new(None));
        let (path, key, opts) = (path.to_path_buf(), Zeroizing::new(*key), opts.clone());
        let (st, int) = (state.clone(), interrupt.clone());
        let thread = std::thread::Builder::new()
            .name("integrity-check".into())
            .spawn(move || {
                let started = Instant::now();
                let found = (|| -> rusqlite::Result<Option<String>> {
                    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let conn = open_connection(&path, flags)?;
                    if !opts.plaintext_for_benchmark {
                        conn.pragma_update(None, "key", key_literal(&key).as_str())?;
                    }
                    drop(key);
                    conn.pragma_update(None, "cache_size", -8 * 1024)?;
                    *lock(&int) = Some(conn.get_interrupt_handle());
                    quick_check(&conn)
                })();
                *lock(&int) = None;
                *lock(&st) = match found {
                    Ok(None) => Integrity::Healthy {
                        took: started.elapsed(),
                    },
                    Ok(Some(detail)) => Integrity::Damaged(detail),
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if matches!(
                            e.code,
                            rusqlite::ErrorCode::DatabaseCorrupt
                                | rusqlite::ErrorCode::NotADatabase
                        ) =>
                    {
                        Integrity::Damaged(e.to_string())
                    }
                    Err(e) => Integrity::Unfinished(e.to_string()),
                };
            })
            .ok();
        if thread.is_none() {
            *lock(&state) = Integrity::Unfinished("the check could not be started".into());
        }
        BackgroundCheck {
            state,
            interrupt,
            thread,
        }
    }
}

impl Drop for BackgroundCheck {
    fn drop(&mut self) {
        if let Some(h) = lock(&self.interrupt).as_ref() {
            h.interrupt();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open, keyed and migrated chart store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    check: Option<BackgroundCheck>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// SQLCipher logs decryption failures to stderr; the app reports them itself.
fn quiet(conn: &Connection) {
    let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
}

/// Opens a connection to `path` once SQLCipher is ready for keys, quietly.
/// Every connection the store makes is opened here.
fn open_connection(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    sqlcipher_ready();
    let conn = Connection::open_with_flags(path, flags)?;
    quiet(&conn);
    Ok(conn)
}

/// Waits, once per process, until SQLCipher accepts a key.
///
/// SQLite marks itself initialised and only then, outside its own mutex,
/// runs SQLCipher's set-up (`sqlcipher_extra_init`: its heap, the OpenSSL
/// provider). A second thread that opens a connection in that window finds
/// SQLite initialised and has its `PRAGMA key` refused ("An error occurred
/// with PRAGMA key or rekey"): two stores opened at once by a fresh process
/// could fail. The first open in the process therefore keys a throw-away
/// in-memory database, trying again briefly until a key is accepted, and
/// every other open waits for it. If SQLCipher never becomes ready the real
/// open below reports its own error.
fn sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        for _ in 0..200 {
            let keyed = Connection::open_in_memory().and_then(|c| {
                quiet(&c);
                c.pragma_update(None, "key", "x'00'")
            });
            if keyed.is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    });
}

fn key_literal(key: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(format!("x'{}'", hex::encode(key)))
}

impl Store {
    /// Creates a new encrypted database at `path`. Fails if anything exists there.
    pub fn create(path: &Path, key: &[u8; 32]) -> Result<Store> {
        Self::create_with(path, key, &StoreOptions::default())
    }

    /// [`Store::create`] with options.
    pub fn create_with(path: &Path, key: &[u8; 32], opts: &StoreOptions) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // An empty file is an empty database: creating it ourselves makes it
        // readable by this user only (SQLite gives the WAL the same mode).
        create_private_file(path)?;
        let conn = keyed_connection(path, key, opts)?;
        Store::finish(conn, path, opts)
    }

    /// Opens an existing database. A wrong key, a damaged file or a newer
    /// schema is reported without writing to the file.
    pub fn open(path: &Path, key: &[u8; 32]) -> Result<Store> {
        Self::open_with(path, key, &StoreOptions::default())
    }

    /// [`Store::open`] with options.
    pub fn open_with(path: &Path, key: &[u8; 32], opts: &StoreOptions) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = keyed_connection(path, key, opts)?;
        // Prove the key with a read before anything can be written.
        let probe: rusqlite::Result<i64> =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
        match probe {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                ) =>
            {
                return Err(StoreError::CannotDecrypt {
                    path: path.to_path_buf(),
                })
            }
            Err(e) => return Err(e.into()),
        }
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > migrations::LATEST {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: migrations::LATEST,
            });
        }
        if found == 0 {
            // A keyed file with no schema is not a Chartroom database.
            return Err(StoreError::CannotDecrypt {
                path: path.to_path_buf(),
            });
        }
        // What is cheap to check is checked before any write; every page
        // is checked in the background once the store is open.
        if let Some(detail) = bounded_check(&conn, path) {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail,
            });
        }
        let mut store = Store::finish(conn, path, opts)?;
        if opts.background_check {
            store.check = Some(BackgroundCheck::start(path, key, opts));
        }
        Ok(store)
    }

    /// Sets the connection up for work and brings the schema up to date.
    fn finish(conn: Connection, path: &Path, opts: &StoreOptions) -> Result<Store> {
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            check: None,
        };
        store.configure(opts)?;
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    fn configure(&mut self, opts: &StoreOptions) -> Result<()> {
        let c = &self.conn;
        c.pragma_update(None, "temp_store", "MEMORY")?;
        c.pragma_update(None, "cache_size", -opts.cache_kib)?;
        let mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Decode(format!(
                "journal mode is {mode}, not WAL"
            )));
        }
        // FULL: a commit is on disk (WAL fsynced) before it is acknowledged.
        c.pragma_update(None, "synchronous", "FULL")?;
        c.pragma_update(None, "foreign_keys", "ON")?;
        // A REPLACE that removes a row fires its delete triggers, so the
        // triggers that refuse deleting a record refuse replacing it too.
        c.pragma_update(None, "recursive_triggers", "ON")?;
        c.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in an immediate transaction and commits when it returns `Ok`.
    /// Callers append their audit record inside `f`.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if let Integrity::Damaged(detail) = self.integrity() {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                detail,
            }
            .into());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Like [`Store::write`], but the commit is not synced to disk before it
    /// returns (`synchronous = NORMAL` for this one transaction): it survives
    /// the app crashing, and the next ordinary write's sync takes it to disk
    /// with its own, but a power cut in between may lose it. Only for audit
    /// records of reads that happen at every keystroke (patient search),
    /// never for a change the user is told was saved.
    pub fn write_relaxed<T, E>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        // Nor does it run the WAL's automatic checkpoint (copying up to
        // 1,000 pages into the database and syncing it, a second at 100k
        // patients): the next ordinary write does.
        let autocheckpoint: i64 = self
            .conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .map_err(StoreError::from)?;
        let set = |c: &Connection, sync: &str, every: i64| {
            c.pragma_update(None, "synchronous", sync)?;
            c.pragma_update(None, "wal_autocheckpoint", every)
        };
        set(&self.conn, "NORMAL", 0).map_err(StoreError::from)?;
        let out = self.write(f);
        // Back to FULL whatever happened: every other write stays synced.
        let restored = set(&self.conn, "FULL", autocheckpoint);
        let out = out?;
        restored.map_err(StoreError::from)?;
        Ok(out)
    }

    /// Read-only access outside a transaction (searches that are not audited
    /// per keystroke, reports).
    pub fn read(&self) -> &Connection {
        &self.conn
    }

    /// What the background check of every page has found so far.
    pub fn integrity(&self) -> Integrity {
        match &self.check {
            Some(c) => lock(&c.state).clone(),
            None => Integrity::NotRun,
        }
    }

    /// Waits up to `timeout` for the background check to finish; returns
    /// its finding then (still [`Integrity::Checking`] on timeout).
    pub fn wait_for_integrity(&self, timeout: Duration) -> Integrity {
        let deadline = Instant::now() + timeout;
        loop {
            let now = self.integrity();
            if now != Integrity::Checking || Instant::now() >= deadline {
                return now;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Full integrity check (`PRAGMA integrity_check`): `None` when healthy.
    pub fn integrity_check(&self) -> Result<Option<String>> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(None)
        } else {
            Ok(Some(rows.join("; ")))
        }
    }

    /// Writes a consistent, encrypted snapshot of the database to `dest`
    /// (same key) with `sqlcipher_export`; SQLCipher disables the backup API.
    pub fn snapshot_to(&self, dest: &Path, key: &[u8; 32]) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::AlreadyExists {
                path: dest.to_path_buf(),
            });
        }
        let dest_str = dest.to_str().ok_or_else(|| StoreError::Io {
            path: dest.to_path_buf(),
            source: std::io::Error::other("path is not valid UTF-8"),
        })?;
        // The connection may not create files; attach an empty one instead
        // (SQLite treats a zero-length file as an empty database).
        create_private_file(dest)?;
        let lit = key_literal(key);
        // The app holds the only connection and runs one command at a time,
        // so nothing writes while the export runs: the copy is consistent.
        self.conn.execute(
            "ATTACH DATABASE ?1 AS snapshot KEY ?2",
            [dest_str, lit.as_str()],
        )?;
        let result = (|| -> Result<()> {
            let v: i64 = self
                .conn
                .query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
            self.conn
                .query_row("SELECT sqlcipher_export('snapshot')", [], |_| Ok(()))?;
            self.conn
                .execute_batch(&format!("PRAGMA snapshot.user_version = {v}"))?;
            Ok(())
        })();
        self.conn.execute("DETACH DATABASE snapshot", [])?;
        result
    }

    /// Closes the database, checkpointing the WAL into the main file.
    pub fn close(self) -> Result<()> {
        // Stop the background check first: its connection would keep the
        // WAL from being checkpointed and removed.
        drop(self.check);
        self.conn.close().map_err(|(_, e)| StoreError::from(e))
    }
}

/// Opens an existing file read-write (never creating it) and applies the key.
fn keyed_connection(path: &Path, key: &[u8; 32], opts: &StoreOptions) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = open_connection(path, flags)?;
    if !opts.plaintext_for_benchmark {
        conn.pragma_update(None, "key", key_literal(key).as_str())?;
        ensure_cipher(&conn)?;
    }
    Ok(conn)
}

/// Creates a new, empty file readable and writable by this user only (mode
/// 0600 on Unix). Fails if the file exists.
pub fn create_private_file(path: &Path) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn ensure_cipher(conn: &Connection) -> Result<()> {
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    match version {
        Some(v) if !v.is_empty() => Ok(()),
        _ => Err(StoreError::NoEncryption),
    }
}

/// The checks that cost the same for any size of file: the file is at
/// least as long as its pages say (with the WAL's pages), and the first
/// page of every table and index reads back (SQLCipher authenticates each
/// page as it reads it). `Some(reason)` when damaged.
fn bounded_check(conn: &Connection, path: &Path) -> Option<String> {
    let run = || -> rusqlite::Result<Option<String>> {
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        // SQLCipher answers `page_size` with its own `cipher_page_size`, as
        // text; a plain build as an integer.
        let page_size: i64 = match conn.query_row("PRAGMA page_size", [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })? {
            rusqlite::types::Value::Integer(n) => n,
            rusqlite::types::Value::Text(t) => t.trim().parse().unwrap_or(0),
            _ => 0,
        };
        let len = |p: &Path| std::fs::metadata(p).map(|m| m.len() as i64).unwrap_or(0);
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let on_disk = len(path) + len(Path::new(&wal));
        if pages * page_size > on_disk {
            return Ok(Some(format!(
                "the file is shorter than its {pages} pages: it was probably cut short"
            )));
        }
        let names: Vec<(String, String)> = conn
            .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name) in names {
            let sql = if kind == "table" {
                format!("SELECT 1 FROM \"{}\" LIMIT 1", name.replace('"', "\"\""))
            } else {
                // An index is read through a query that can only use it.
                let table: String = conn.query_row(
                    "SELECT tbl_name FROM sqlite_master WHERE name = ?1",
                    [&name],
                    |r| r.get(0),
                )?;
                format!(
                    "SELECT 1 FROM \"{}\" INDEXED BY \"{}\" LIMIT 1",
                    table.replace('"', "\"\""),
                    name.replace('"', "\"\"")
                )
            };
            // An index the planner cannot use this way is left to the
            // background check.
            match conn.prepare(&sql) {
                Ok(mut stmt) => {
                    stmt.query_map([], |_| Ok(()))?.for_each(drop);
                }
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::Unknown => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    };
    match run() {
        Ok(found) => found,
        Err(e) => Some(e.to_string()),
    }
}

fn quick_check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let rows: Vec<String> = conn
        .prepare("PRAGMA quick_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(None)
    } else {
        Ok(Some(rows.join("; ")))
    }
}
