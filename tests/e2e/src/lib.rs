//! Harness for Chartroom's end-to-end tests: it starts `tauri-driver`
//! (which starts Debian's `WebKitWebDriver`, which starts the real
//! `chartroom-desktop` binary named by `CHARTROOM_APP`), opens a WebDriver
//! session with fantoccini, and gives the tests a small synchronous API that
//! finds elements only by their `data-testid` (see `ui/TESTIDS.md`).
//!
//! Rules the harness follows (see `/work/shared/ENVIRONMENT.md`):
//! - ports 4444 (tauri-driver) and 4445 (WebKitWebDriver) are fixed, so one
//!   test runs at a time (`--test-threads=1`); a busy port is a clear failure,
//!   nothing is killed by name;
//! - the first connection is retried for up to 30 s;
//! - teardown ends the WebDriver session, stops tauri-driver with SIGTERM
//!   (a SIGKILL would leave WebKitWebDriver behind), then checks that every
//!   process it started (by id) is gone and that port 4445 is free;
//! - screenshots wait for the page to settle and land in
//!   `target/e2e-screenshots/`; any failure saves `FAILED-<test>.png` first.
//!
//! Run: `bash scripts/e2e.sh` (builds ui/ and the app, starts Xvfb, then
//! `cargo test -p chartroom-e2e -- --test-threads=1`). By hand, with an X
//! server on `$DISPLAY`: `CHARTROOM_APP=$PWD/target/debug/chartroom-desktop
//! cargo test -p chartroom-e2e -- --test-threads=1`. Optional: `CHARTROOM_CLI`
//! (the `chartroom` binary, default next to the app) and `TAURI_DRIVER`.
//! Driver and app output goes to `target/e2e-logs/<test>.log`.
//!
//! The API is synchronous (each `App` owns a small tokio runtime), so tests
//! are plain `#[test]` functions and `Drop` can clean up even after a panic.

use std::cell::Cell;
use std::fs::{self, File};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::elements::Element;
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::runtime::Runtime;

pub mod printed;

/// Where tauri-driver listens.
pub const DRIVER_PORT: u16 = 4444;
/// Where tauri-driver starts WebKitWebDriver.
pub const NATIVE_PORT: u16 = 4445;
/// How long `wait_for` and friends poll before failing.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long the first connection to tauri-driver is retried.
pub const CONNECT_WAIT: Duration = Duration::from_secs(30);
/// Password of every login in a demo practice (`chartroom demo`).
pub const DEMO_PASSWORD: &str = "chartroom-demo";
/// Passphrase the harness gives `chartroom demo` (passphrase mode, no keyring).
pub const DEMO_PASSPHRASE: &str = "e2e demo practice passphrase";

const POLL: Duration = Duration::from_millis(100);
const SETTLE: Duration = Duration::from_millis(300);
/// How long the app may take to end after its WebDriver session closes
/// before teardown counts it as left running (a loaded CI machine has
/// taken more than 10 s).
const APP_EXIT_GRACE: Duration = Duration::from_secs(30);

/// The CSS selector of the element(s) carrying `data-testid="<testid>"`.
pub fn by_id(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// `target/e2e-screenshots` of the workspace.
pub fn screenshot_dir() -> PathBuf {
    workspace_target().join("e2e-screenshots")
}

fn workspace_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("target")
}

/// The built desktop binary, from `CHARTROOM_APP`.
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("CHARTROOM_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
            "CHARTROOM_APP is not set: it must be the absolute path of the built chartroom-desktop \
             (run the tests through scripts/e2e.sh, which builds the app and sets it)"
        )
        });
    assert!(
        path.is_file(),
        "CHARTROOM_APP={} is not a file: build the app first (scripts/e2e.sh)",
        path.display()
    );
    path
}

/// The practice CLI (`chartroom`): `CHARTROOM_CLI`, or next to `CHARTROOM_APP`.
pub fn cli_binary() -> PathBuf {
    let path = std::env::var_os("CHARTROOM_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            app_binary()
                .parent()
                .map(|d| d.join("chartroom"))
                .unwrap_or_else(|| PathBuf::from("chartroom"))
        });
    assert!(
        path.is_file(),
        "the practice CLI {} is missing: `cargo build -p chartroom-cli` (scripts/e2e.sh does), or set CHARTROOM_CLI",
        path.display()
    );
    path
}

/// A fresh, empty data folder for one test.
pub fn fresh_data_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("chartroom-e2e-")
        .tempdir()
        .expect("create a temporary data folder")
}

/// A demo practice in a fresh folder, made by the CLI in passphrase mode
/// ([`DEMO_PASSPHRASE`]); logins admin, desk, doctor, billing, manager with
/// [`DEMO_PASSWORD`]. The app opens it at the unlock screen.
pub fn demo_practice(patients: usize) -> TempDir {
    demo_practice_with(patients, 0)
}

/// A demo practice whose first `charts` patients have clinical histories
/// (the first of them 1,000 visits and 5,000 vital and lab values).
pub fn demo_practice_with(patients: usize, charts: usize) -> TempDir {
    let dir = fresh_data_dir();
    let out = Command::new(cli_binary())
        .env("CHARTROOM_PASSPHRASE", DEMO_PASSPHRASE)
        .arg("demo")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--no-keyring")
        .arg("--patients")
        .arg(patients.to_string())
        .arg("--charts")
        .arg(charts.to_string())
        .output()
        .expect("run `chartroom demo`");
    assert!(
        out.status.success(),
        "`chartroom demo` failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// Today's date (UTC, like the test machine's clock) as (year, month, day).
/// The real app reads the system clock, so the test must too (the
/// workspace's injected-clock rule is for code under test, not for this).
#[allow(clippy::disallowed_methods)]
pub fn today_utc() -> (i64, u32, u32) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    civil_from_days(i64::try_from(secs / 86_400).expect("days since 1970 fit in i64"))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).expect("month 1..=12"),
        u32::try_from(d).expect("day 1..=31"),
    )
}

/// Whole years between a birth date and `today`.
pub fn age_years(birth: (i64, u32, u32), today: (i64, u32, u32)) -> i64 {
    let mut age = today.0 - birth.0;
    if (today.1, today.2) < (birth.1, birth.2) {
        age -= 1;
    }
    age
}

/// A WebDriver error with its status (WebKitWebDriver's messages are often empty).
fn why(e: &CmdError) -> String {
    match e {
        CmdError::Standard(w) => format!("{:?}: {:?}", w.error, w.message),
        other => other.to_string(),
    }
}

fn port_in_use(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok()
}

fn find_tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("tauri-driver");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let candidate = home.join(".cargo").join("bin").join("tauri-driver");
    assert!(
        candidate.is_file(),
        "tauri-driver not found on PATH nor in ~/.cargo/bin: `cargo install tauri-driver --version '^2' --locked`, or set TAURI_DRIVER"
    );
    candidate
}

/// A process the harness started (directly or through the driver), known by
/// id and start time so that a reused id is never signalled.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Proc {
    pid: u32,
    start: u64,
    name: String,
}

/// `(ppid, start time, name, state)` of a process from `/proc/<pid>/stat`.
fn proc_stat(pid: u32) -> Option<(u32, u64, String, char)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_string();
    let rest: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    // rest[0] is field 3 (state), rest[1] field 4 (ppid), rest[19] field 22 (starttime).
    let state = rest.first()?.chars().next()?;
    let ppid = rest.get(1)?.parse().ok()?;
    let start = rest.get(19)?.parse().ok()?;
    Some((ppid, start, name, state))
}

/// Every live descendant of `root`.
fn descendants(root: u32) -> Vec<Proc> {
    let mut all = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for e in entries.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) {
                if let Some((ppid, start, name, _)) = proc_stat(pid) {
                    all.push((pid, ppid, start, name));
                }
            }
        }
    }
    let mut out: Vec<Proc> = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, ppid, start, name) in &all {
            if *ppid == parent && !out.iter().any(|p| p.pid == *pid) {
                out.push(Proc {
                    pid: *pid,
                    start: *start,
                    name: name.clone(),
                });
                frontier.push(*pid);
            }
        }
    }
    out
}

fn still_running(p: &Proc) -> bool {
    matches!(proc_stat(p.pid), Some((_, start, _, state)) if start == p.start && state != 'Z' && state != 'X')
}

fn sigterm(pid: u32) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// One running desktop app under WebDriver, for one test.
pub struct App {
    name: String,
    rt: Runtime,
    client: Option<Client>,
    driver: Option<Child>,
    started: Vec<Proc>,
    data_dir: Option<TempDir>,
    log_path: PathBuf,
    failure_shot_taken: Cell<bool>,
}

impl App {
    /// Starts the app on a fresh, empty data folder with `--no-keyring`
    /// plus `args`. The test's name (for `FAILED-<test>.png` and the log) is
    /// the test thread's name.
    pub fn launch(args: &[&str]) -> App {
        Self::launch_in(fresh_data_dir(), args)
    }

    /// Starts the app on `data_dir` (for example a [`demo_practice`]) with
    /// `--no-keyring` plus `args`.
    pub fn launch_in(data_dir: TempDir, args: &[&str]) -> App {
        App::launch_in_env(data_dir, args, &[])
    }

    /// [`App::launch_in`] with extra environment for the driver, and so for
    /// the app it starts (a private `HOME`, say, to see every file the app
    /// and its webview write).
    pub fn launch_in_env(data_dir: TempDir, args: &[&str], env: &[(&str, &Path)]) -> App {
        let name = test_name();
        let app = app_binary();
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "DISPLAY is not set: the app needs an X server (scripts/e2e.sh starts Xvfb)"
        );
        for port in [DRIVER_PORT, NATIVE_PORT] {
            assert!(
                !port_in_use(port),
                "port {port} is already in use (a stale tauri-driver/WebKitWebDriver, or another e2e test running): \
                 end that process by its id and rerun; e2e tests must run one at a time (--test-threads=1)"
            );
        }
        let logs = workspace_target().join("e2e-logs");
        fs::create_dir_all(&logs).expect("create target/e2e-logs");
        fs::create_dir_all(screenshot_dir()).expect("create target/e2e-screenshots");
        let log_path = logs.join(format!("{name}.log"));
        let log = File::create(&log_path).expect("create the driver log");
        let log_err = log.try_clone().expect("clone the driver log handle");
        let driver = Command::new(find_tauri_driver())
            .arg("--port")
            .arg(DRIVER_PORT.to_string())
            .arg("--native-port")
            .arg(NATIVE_PORT.to_string())
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .expect("start tauri-driver");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("build a tokio runtime");
        let mut me = App {
            name,
            rt,
            client: None,
            driver: Some(driver),
            started: Vec::new(),
            data_dir: None,
            log_path,
            failure_shot_taken: Cell::new(false),
        };

        let mut full_args: Vec<String> = vec![
            "--data-dir".into(),
            data_dir.path().display().to_string(),
            "--no-keyring".into(),
        ];
        full_args.extend(args.iter().map(|a| (*a).to_string()));
        me.data_dir = Some(data_dir);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app.display().to_string(), "args": full_args }),
        );

        let url = format!("http://127.0.0.1:{DRIVER_PORT}");
        let deadline = Instant::now() + CONNECT_WAIT;
        let client = loop {
            let attempt = me.rt.block_on(
                ClientBuilder::native()
                    .capabilities(caps.clone())
                    .connect(&url),
            );
            match attempt {
                Ok(c) => break c,
                Err(e) => {
                    let exited = me.driver.as_mut().and_then(|d| d.try_wait().ok().flatten());
                    if let Some(status) = exited {
                        panic!(
                            "tauri-driver exited ({status}) before a session opened: {e}\n{}",
                            me.log_tail()
                        );
                    }
                    if Instant::now() >= deadline {
                        panic!(
                            "could not open a WebDriver session on {url} within {} s: {e}\n{}",
                            CONNECT_WAIT.as_secs(),
                            me.log_tail()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(300));
                }
            }
        };
        me.client = Some(client);
        me.remember_children();
        me
    }

    /// The test's name, used for failure screenshots and the log file.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The practice's data folder.
    pub fn data_dir(&self) -> &Path {
        self.data_dir
            .as_ref()
            .map(|d| d.path())
            .expect("the data folder lives as long as the app")
    }

    /// Every file under the data folder (database, `-wal`, `-shm`, key file,
    /// anything else), recursively, with its bytes as they are on disk now.
    pub fn data_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut dirs = vec![self.data_dir().to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let entries = fs::read_dir(&dir)
                .unwrap_or_else(|e| self.fail(&format!("listing {}: {e}", dir.display())));
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(bytes) = fs::read(&path) {
                    // A file removed between listing and reading has nothing to leak.
                    out.push((path, bytes));
                }
            }
        }
        out
    }

    /// Which `needles` occur, byte for byte, in which files of the data
    /// folder: `(file, needle, offset of the first hit)`.
    pub fn plaintext_in_data_dir(&self, needles: &[&str]) -> Vec<(PathBuf, String, usize)> {
        let mut hits = Vec::new();
        for (path, bytes) in self.data_files() {
            for needle in needles {
                let n = needle.as_bytes();
                if let Some(at) = bytes.windows(n.len()).position(|w| w == n) {
                    hits.push((path.clone(), (*needle).to_string(), at));
                }
            }
        }
        hits
    }

    fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the WebDriver session is open until the app is dropped")
    }

    fn remember_children(&mut self) {
        if let Some(pid) = self.driver.as_ref().map(Child::id) {
            for p in descendants(pid) {
                if !self.started.contains(&p) {
                    self.started.push(p);
                }
            }
        }
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let from = lines.len().saturating_sub(30);
        format!(
            "--- last lines of {} ---\n{}",
            self.log_path.display(),
            lines[from..].join("\n")
        )
    }

    // ----- failing with context ---------------------------------------------

    /// Saves `FAILED-<test>.png` and panics with `msg` plus what the page
    /// shows (hash, test ids present, start of the visible text).
    pub fn fail(&self, msg: &str) -> ! {
        let shot = self.failure_screenshot();
        let context = self.page_context();
        panic!("{msg}\n{context}\nscreenshot: {shot}");
    }

    /// Fails (with a screenshot) unless `cond` holds.
    pub fn check(&self, cond: bool, msg: &str) {
        if !cond {
            self.fail(msg);
        }
    }

    fn failure_screenshot(&self) -> String {
        if self.failure_shot_taken.replace(true) {
            return "(already saved)".into();
        }
        let path = screenshot_dir().join(format!("FAILED-{}.png", self.name));
        let Some(client) = self.client.as_ref() else {
            return "(no session)".into();
        };
        match self.rt.block_on(async {
            tokio::time::sleep(SETTLE).await;
            tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await
        }) {
            Ok(Ok(png)) => match fs::write(&path, png) {
                Ok(()) => path.display().to_string(),
                Err(e) => format!("(could not write {}: {e})", path.display()),
            },
            Ok(Err(e)) => format!("(screenshot failed: {e})"),
            Err(_) => "(screenshot timed out)".into(),
        }
    }

    /// Where the page stands, for failure messages.
    pub fn page_context(&self) -> String {
        let script = r#"
            const ids = [];
            for (const el of document.querySelectorAll('[data-testid]')) {
                const id = el.getAttribute('data-testid');
                const shown = !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
                const label = shown ? id : id + ' (hidden)';
                if (!ids.includes(label)) ids.push(label);
            }
            const text = (document.body && document.body.innerText || '').replace(/\s+/g, ' ').slice(0, 500);
            return { hash: location.hash, ids: ids, text: text };
        "#;
        let Some(client) = self.client.as_ref() else {
            return "(no session)".into();
        };
        match self.rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), client.execute(script, vec![])).await
        }) {
            Ok(Ok(v)) => format!(
                "page: hash={} \n  test ids present: {}\n  visible text: {}",
                v["hash"],
                v["ids"]
                    .as_array()
                    .map(|a| a
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default(),
                v["text"].as_str().unwrap_or_default()
            ),
            Ok(Err(e)) => format!("(could not read the page: {e})"),
            Err(_) => "(reading the page timed out)".into(),
        }
    }

    // ----- finding ----------------------------------------------------------

    /// All elements matching a CSS selector now (no waiting).
    pub fn find_all_css(&self, css: &str) -> Vec<Element> {
        match self.rt.block_on(self.client().find_all(Locator::Css(css))) {
            Ok(v) => v,
            Err(e) => self.fail(&format!("find_all({css}) failed: {}", why(&e))),
        }
    }

    /// How many elements carry `testid` in the DOM now (shown or not).
    pub fn count(&self, testid: &str) -> usize {
        self.find_all_css(&by_id(testid)).len()
    }

    /// Whether an element with `testid` is shown now.
    pub fn is_shown(&self, testid: &str) -> bool {
        self.first_shown(&by_id(testid)).is_some()
    }

    fn first_shown(&self, css: &str) -> Option<Element> {
        let found = self
            .rt
            .block_on(self.client().find_all(Locator::Css(css)))
            .ok()?;
        found
            .into_iter()
            .find(|el| self.rt.block_on(el.is_displayed()).unwrap_or(false))
    }

    /// Waits (up to [`WAIT`]) for a shown element matching `css`;
    /// `what` names it in the failure message.
    pub fn wait_for_css(&self, css: &str, what: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(el) = self.first_shown(css) {
                return el;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {} s waiting for {what} ({css}) to be shown",
                    WAIT.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits (up to [`WAIT`]) for the element `[data-testid=<testid>]` to be shown.
    pub fn wait_for(&self, testid: &str) -> Element {
        self.wait_for_css(&by_id(testid), &format!("test id `{testid}`"))
    }

    /// Like [`App::wait_for`] with a custom time limit.
    pub fn wait_for_within(&self, testid: &str, limit: Duration) -> Element {
        let css = by_id(testid);
        let deadline = Instant::now() + limit;
        loop {
            if let Some(el) = self.first_shown(&css) {
                return el;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {:.1} s waiting for test id `{testid}` to be shown",
                    limit.as_secs_f64()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for the first of `testids` to be shown and returns which.
    pub fn wait_for_any(&self, testids: &[&str]) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            for id in testids {
                if self.is_shown(id) {
                    return (*id).to_string();
                }
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {} s waiting for any of the test ids {testids:?}",
                    WAIT.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits (up to [`WAIT`]) until no element with `testid` is shown.
    pub fn wait_gone(&self, testid: &str) {
        let deadline = Instant::now() + WAIT;
        while self.is_shown(testid) {
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {} s waiting for test id `{testid}` to go away",
                    WAIT.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    // ----- acting -----------------------------------------------------------

    /// Clicks the shown element `testid` (retrying while it is covered or
    /// not yet interactable).
    pub fn click(&self, testid: &str) {
        self.click_css(&by_id(testid), &format!("test id `{testid}`"));
    }

    /// Clicks the first shown element matching `css`.
    pub fn click_css(&self, css: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let el = self.wait_for_css(css, what);
            match self.try_click(&el) {
                Ok(()) => return,
                Err(e) if Instant::now() >= deadline => {
                    self.fail(&format!("clicking {what} failed: {e}"))
                }
                Err(_) => std::thread::sleep(POLL),
            }
        }
    }

    /// Element Click, as a user's click: the page receives real mouse
    /// events. When another element covers the target (a toast, a dialog)
    /// or it is not interactable yet, the click is refused and the caller
    /// retries, as a user would wait; a cover is logged.
    fn try_click(&self, el: &Element) -> Result<(), String> {
        match self.rt.block_on(el.click()) {
            Ok(()) => Ok(()),
            Err(CmdError::Standard(w)) if w.error == ErrorStatus::ElementClickIntercepted => {
                let cover = self.what_covers(el);
                eprintln!("e2e: click intercepted; the element is covered by {cover}");
                Err(format!("the element is covered by {cover}"))
            }
            Err(e) => Err(why(&e)),
        }
    }

    /// Describes the element found at the centre of `el` (what a click hits).
    fn what_covers(&self, el: &Element) -> String {
        let script = r#"
            const r = arguments[0].getBoundingClientRect();
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            if (!top) return 'nothing';
            const tagged = top.closest('[data-testid]');
            const id = tagged ? '[data-testid=' + tagged.getAttribute('data-testid') + ']' : '';
            return '<' + top.tagName.toLowerCase() + ' class="' + top.className + '">' + id + ' "' + (top.textContent || '').trim().slice(0, 60) + '"';
        "#;
        let arg = serde_json::to_value(el).unwrap_or(Value::Null);
        match self.rt.block_on(self.client().execute(script, vec![arg])) {
            Ok(v) => v.as_str().unwrap_or("?").to_string(),
            Err(e) => format!("(unknown: {})", why(&e)),
        }
    }

    /// Clears the field `testid` and types `text` into it, key by key.
    pub fn type_into(&self, testid: &str, text: &str) {
        let el = self.wait_for(testid);
        if let Err(e) = self.rt.block_on(el.clear()) {
            self.fail(&format!("clearing test id `{testid}` failed: {}", why(&e)));
        }
        if let Err(e) = self.rt.block_on(el.send_keys(text)) {
            self.fail(&format!(
                "typing into test id `{testid}` failed: {}",
                why(&e)
            ));
        }
    }

    /// Types `keys` into an element found earlier, without clearing it
    /// (WebDriver keys such as Escape, `"\u{E00C}"`, work too).
    pub fn send_keys_to(&self, el: &Element, keys: &str, what: &str) {
        if let Err(e) = self.rt.block_on(el.send_keys(keys)) {
            self.fail(&format!("typing {keys:?} into {what} failed: {}", why(&e)));
        }
    }

    /// Chooses a file in the `<input type=file>` `testid`, as the file
    /// dialog would (WebDriver types the path into the control).
    pub fn choose_file(&self, testid: &str, path: &Path) {
        let el = self.wait_for(testid);
        if let Err(e) = self.rt.block_on(el.send_keys(&path.display().to_string())) {
            self.fail(&format!(
                "choosing {} in test id `{testid}` failed: {}",
                path.display(),
                why(&e)
            ));
        }
    }

    /// Sets an input's value from script and fires `input` and `change`,
    /// as the framework listens for them. For controls WebDriver cannot
    /// operate (a `<select>` whose `<option>` cannot be clicked).
    pub fn set_value(&self, testid: &str, value: &str) {
        self.wait_for(testid);
        let script = r#"
            const el = document.querySelector(arguments[0]);
            if (!el) return false;
            const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
            Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
        "#;
        match self.rt.block_on(
            self.client()
                .execute(script, vec![json!(by_id(testid)), json!(value)]),
        ) {
            Ok(Value::Bool(true)) => {}
            Ok(other) => self.fail(&format!(
                "setting the value of test id `{testid}` from script: element not found ({other})"
            )),
            Err(e) => self.fail(&format!(
                "setting the value of test id `{testid}` from script failed: {e}"
            )),
        }
    }

    /// Types a date as a user does (`MM/DD/YYYY`) into a date field, a
    /// plain text input, and checks the field holds it.
    pub fn set_date(&self, testid: &str, mm_dd_yyyy: &str) {
        self.type_into(testid, mm_dd_yyyy);
        let now = self.value(testid);
        self.check(
            now == mm_dd_yyyy,
            &format!("the date field `{testid}` holds {now:?} after typing {mm_dd_yyyy:?}"),
        );
    }

    /// Chooses `value` in the `<select>` `testid`.
    pub fn select(&self, testid: &str, value: &str) {
        let el = self.wait_for(testid);
        let picked = self.rt.block_on(el.select_by_value(value));
        if picked.is_err() || self.value(testid) != value {
            // Fall back to script when clicking an <option> is not supported.
            self.set_value(testid, value);
        }
        let now = self.value(testid);
        self.check(
            now == value,
            &format!("the select `{testid}` holds {now:?} after choosing {value:?}"),
        );
    }

    /// Scrolls the element `testid` to the middle of the window, as a user
    /// would before pressing it (the driver scrolls it to the top edge,
    /// under the sticky patient banner).
    pub fn centre(&self, testid: &str) {
        self.wait_for(testid);
        self.execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
            vec![json!(by_id(testid))],
        );
    }

    /// Chooses, in the `<select>` `testid`, the first option whose text
    /// holds `label`, as a user picks what they read.
    pub fn select_labelled(&self, testid: &str, label: &str) {
        self.wait_for(testid);
        let found = self.rt.block_on(self.client().execute(
            "const o = [...document.querySelectorAll(arguments[0] + ' option')]\
               .find((o) => o.textContent.includes(arguments[1])); return o ? o.value : null;",
            vec![json!(by_id(testid)), json!(label)],
        ));
        match found {
            Ok(Value::String(v)) => self.select(testid, &v),
            Ok(_) => self.fail(&format!("the select `{testid}` offers no {label:?}")),
            Err(e) => self.fail(&format!(
                "reading the options of `{testid}` failed: {}",
                why(&e)
            )),
        }
    }

    /// Sets `location.hash` (navigating as a typed address would).
    pub fn go_hash(&self, hash: &str) {
        if let Err(e) = self.rt.block_on(self.client().execute(
            "location.hash = arguments[0]; return true;",
            vec![json!(hash)],
        )) {
            self.fail(&format!(
                "setting location.hash to {hash} failed: {}",
                why(&e)
            ));
        }
    }

    /// The page's `location.hash`.
    pub fn hash(&self) -> String {
        match self
            .rt
            .block_on(self.client().execute("return location.hash;", vec![]))
        {
            Ok(v) => v.as_str().unwrap_or_default().to_string(),
            Err(e) => self.fail(&format!("reading location.hash failed: {}", why(&e))),
        }
    }

    // ----- reading ----------------------------------------------------------

    /// The shown text of `testid` (waits for it to be shown).
    pub fn text(&self, testid: &str) -> String {
        let el = self.wait_for(testid);
        match self.rt.block_on(el.text()) {
            Ok(t) => t.trim().to_string(),
            Err(e) => self.fail(&format!(
                "reading the text of test id `{testid}` failed: {e}"
            )),
        }
    }

    /// The shown texts of every element with `testid`.
    pub fn texts(&self, testid: &str) -> Vec<String> {
        self.find_all_css(&by_id(testid))
            .iter()
            .filter_map(|el| self.rt.block_on(el.text()).ok())
            .map(|t| t.trim().to_string())
            .collect()
    }

    /// Waits until the text of `testid` satisfies `pred`; `what` describes
    /// the expectation in the failure message.
    pub fn wait_text(&self, testid: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(el) = self.first_shown(&by_id(testid)) {
                if let Ok(t) = self.rt.block_on(el.text()) {
                    if pred(t.trim()) {
                        return t.trim().to_string();
                    }
                    if Instant::now() >= deadline {
                        self.fail(&format!(
                            "test id `{testid}` shows {:?}, expected {what}",
                            t.trim()
                        ));
                    }
                }
            } else if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {} s waiting for test id `{testid}` ({what})",
                    WAIT.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for a shown element with `testid` whose text contains `needle`
    /// (ignoring case, as CSS may upper-case it) and returns it.
    pub fn wait_for_with_text(&self, testid: &str, needle: &str) -> Element {
        let want = needle.to_lowercase();
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .rt
                .block_on(self.client().find_all(Locator::Css(&by_id(testid))))
                .unwrap_or_default();
            for el in found {
                let shown = self.rt.block_on(el.is_displayed()).unwrap_or(false);
                if shown && self.text_of(&el).to_lowercase().contains(&want) {
                    return el;
                }
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {} s waiting for a shown test id `{testid}` containing {needle:?}; texts now: {:?}",
                    WAIT.as_secs(),
                    self.texts(testid)
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Clicks an element found earlier.
    pub fn click_el(&self, el: &Element, what: &str) {
        if let Err(e) = self.try_click(el) {
            self.fail(&format!("clicking {what} failed: {e}"));
        }
    }

    /// Presses the mouse at `from` pixels from the centre of `el`, moves it
    /// by `by` pixels in small steps, as a hand does, and lets go: a drag
    /// (or, with `by` (0, 0), a click at that point).
    pub fn drag(&self, el: &Element, from: (f64, f64), by: (f64, f64), what: &str) {
        self.pointer(
            fantoccini::actions::PointerAction::MoveToElement {
                element: el.clone(),
                duration: None,
                x: from.0,
                y: from.1,
            },
            by,
            what,
        );
    }

    /// [`App::drag`] from a point of the window's viewport (CSS pixels from
    /// its top left), which the page is not scrolled to first.
    pub fn drag_at(&self, at: (f64, f64), by: (f64, f64), what: &str) {
        self.pointer(
            fantoccini::actions::PointerAction::MoveTo {
                duration: None,
                x: at.0,
                y: at.1,
            },
            by,
            what,
        );
    }

    fn pointer(&self, to: fantoccini::actions::PointerAction, by: (f64, f64), what: &str) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let steps = 8;
        let mut mouse = MouseActions::new("mouse".into())
            .then(to)
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            });
        if by != (0.0, 0.0) {
            for _ in 0..steps {
                mouse = mouse.then(PointerAction::MoveBy {
                    duration: Some(Duration::from_millis(40)),
                    x: by.0 / f64::from(steps),
                    y: by.1 / f64::from(steps),
                });
            }
        }
        mouse = mouse.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        let c = self.client();
        if let Err(e) = self.rt.block_on(async {
            c.perform_actions(mouse).await?;
            c.release_actions().await
        }) {
            self.fail(&format!("dragging {what} failed: {}", why(&e)));
        }
    }

    /// The `value` property of the field `testid`.
    pub fn value(&self, testid: &str) -> String {
        let el = self.wait_for(testid);
        match self.rt.block_on(el.prop("value")) {
            Ok(v) => v.unwrap_or_default(),
            Err(e) => self.fail(&format!(
                "reading the value of test id `{testid}` failed: {e}"
            )),
        }
    }

    /// An attribute of an element.
    pub fn attr_of(&self, el: &Element, name: &str) -> Option<String> {
        self.rt.block_on(el.attr(name)).ok().flatten()
    }

    /// The shown text of an element.
    pub fn text_of(&self, el: &Element) -> String {
        self.rt
            .block_on(el.text())
            .map(|t| t.trim().to_string())
            .unwrap_or_default()
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        match self.rt.block_on(self.client().execute(script, args)) {
            Ok(v) => v,
            Err(e) => self.fail(&format!("script failed: {}", why(&e))),
        }
    }

    /// Runs `script` in the page every few milliseconds until it returns
    /// something other than `null` or `false`, and returns that (fails after
    /// `limit`, naming `what`).
    pub fn wait_js(&self, script: &str, args: Vec<Value>, what: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let v = self.execute(script, args.clone());
            if !matches!(v, Value::Null | Value::Bool(false)) {
                return v;
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "timed out after {:.1} s waiting for {what}",
                    limit.as_secs_f64()
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    // ----- screenshots ------------------------------------------------------

    /// Waits for the page to settle, then saves the webview as
    /// `target/e2e-screenshots/<name>.png` and returns the path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        std::thread::sleep(SETTLE);
        let png = match self.rt.block_on(self.client().screenshot()) {
            Ok(png) => png,
            Err(e) => self.fail(&format!("screenshot {name} failed: {}", why(&e))),
        };
        let path = screenshot_dir().join(format!("{name}.png"));
        fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    /// Saves what the X display shows (ImageMagick `import`), for content
    /// WebKitWebDriver's screenshot leaves out (images from `blob:` URLs in
    /// a scrolled box come out blank there while the window shows them).
    pub fn screenshot_display(&self, name: &str) -> PathBuf {
        std::thread::sleep(SETTLE);
        let path = screenshot_dir().join(format!("{name}.png"));
        let ok = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        self.check(
            ok,
            &format!("`import` could not capture the display for {name}"),
        );
        path
    }

    /// Sleeps (a user doing nothing).
    pub fn idle(&self, d: Duration) {
        std::thread::sleep(d);
    }

    // ----- flows shared by several tests -------------------------------------

    /// At the unlock screen: enters the practice passphrase.
    pub fn unlock(&self, passphrase: &str) {
        self.type_into("unlock-passphrase", passphrase);
        self.click("unlock-submit");
        if self.wait_for_any(&["login-username", "unlock-error"]) == "unlock-error" {
            let msg = self.text("unlock-error");
            self.fail(&format!("unlocking with the passphrase failed: {msg}"));
        }
    }

    /// At the login screen: logs in and waits for the app shell.
    pub fn login(&self, username: &str, password: &str) {
        self.type_into("login-username", username);
        self.type_into("login-password", password);
        self.click("login-submit");
        if self.wait_for_any(&["current-user", "login-error"]) == "login-error" {
            let msg = self.text("login-error");
            self.fail(&format!("logging in as {username} failed: {msg}"));
        }
    }

    /// Logs out and waits for the login screen.
    pub fn logout(&self) {
        self.click("logout");
        self.wait_for("login-username");
    }

    /// Ends the session and stops the driver now (also done on drop).
    pub fn close(mut self) {
        self.teardown();
    }

    /// Ends the session and stops the app, and hands back its data folder
    /// (to look at what it left behind).
    pub fn close_keeping_data(mut self) -> TempDir {
        self.teardown();
        self.data_dir
            .take()
            .expect("the data folder lives as long as the app")
    }

    fn teardown(&mut self) {
        if std::thread::panicking() && self.client.is_some() {
            let shot = self.failure_screenshot();
            eprintln!(
                "e2e: {} failed; screenshot: {shot}; driver log: {}",
                self.name,
                self.log_path.display()
            );
        }
        // Processes may have been started after the session opened.
        self.remember_children();
        if let Some(client) = self.client.take() {
            let closed = self.rt.block_on(async {
                tokio::time::timeout(Duration::from_secs(15), client.close()).await
            });
            if !matches!(closed, Ok(Ok(()))) {
                eprintln!("e2e: ending the WebDriver session did not succeed cleanly: {closed:?}");
            }
        }
        // Ending the session closes the app's window; the app and its
        // WebKit processes then end by themselves. Wait for that while
        // tauri-driver (and the WebKitWebDriver under it, which ends the
        // app it launched) still runs: stopping the driver first orphaned
        // an app that was still closing on a loaded machine (CI on
        // 4c6d247, no_plaintext_outside, where 10 s after the driver
        // stopped was not enough).
        let closing = Instant::now();
        let deadline = closing + APP_EXIT_GRACE;
        while self.started.iter().any(still_running) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        if !self.started.iter().any(still_running) && closing.elapsed() > Duration::from_secs(5) {
            eprintln!(
                "e2e: {}: the app took {:.1} s to end after its session closed",
                self.name,
                closing.elapsed().as_secs_f64()
            );
        }
        let mut problems = Vec::new();
        if let Some(mut driver) = self.driver.take() {
            sigterm(driver.id());
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                match driver.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
                    _ => {
                        problems.push(format!(
                            "tauri-driver (pid {}) did not stop within 10 s of SIGTERM; killed",
                            driver.id()
                        ));
                        let _ = driver.kill();
                        let _ = driver.wait();
                        break;
                    }
                }
            }
        }
        // Everything the driver started must be gone; SIGTERM stragglers by
        // id.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left: Vec<&Proc> = self.started.iter().filter(|p| still_running(p)).collect();
            if left.is_empty() {
                break;
            }
            if Instant::now() >= deadline {
                for p in &left {
                    problems.push(format!(
                        "{} (pid {}) was still running {} s after its session closed and after tauri-driver stopped; sent SIGTERM",
                        p.name,
                        p.pid,
                        APP_EXIT_GRACE.as_secs()
                    ));
                    sigterm(p.pid);
                }
                std::thread::sleep(Duration::from_secs(1));
                break;
            }
            std::thread::sleep(POLL);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while port_in_use(NATIVE_PORT) || port_in_use(DRIVER_PORT) {
            if Instant::now() >= deadline {
                problems.push(format!(
                    "port {NATIVE_PORT} or {DRIVER_PORT} is still in use after teardown"
                ));
                break;
            }
            std::thread::sleep(POLL);
        }
        if !problems.is_empty() {
            let msg = format!(
                "e2e teardown of {}: {}\n{}",
                self.name,
                problems.join("; "),
                self.log_tail()
            );
            if std::thread::panicking() {
                eprintln!("{msg}");
            } else {
                panic!("{msg}");
            }
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.teardown();
    }
}

fn test_name() -> String {
    let raw = std::thread::current().name().unwrap_or("e2e").to_string();
    let short = raw.rsplit("::").next().unwrap_or("e2e");
    let name = if short == "main" { "e2e" } else { short };
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether `s` looks like a recovery code: five groups of five Crockford
/// base-32 characters joined by `-` (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`).
pub fn looks_like_recovery_code(s: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let groups: Vec<&str> = s.trim().split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .all(|g| g.chars().count() == 5 && g.chars().all(|c| ALPHABET.contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_524), (2026, 3, 12));
        assert_eq!(age_years((1984, 3, 12), (2026, 3, 11)), 41);
        assert_eq!(age_years((1984, 3, 12), (2026, 3, 12)), 42);
    }

    #[test]
    fn recovery_code_shape() {
        assert!(looks_like_recovery_code("7K2QM-9XH4T-B6W1P-RJ8ZC-0DNFV"));
        assert!(!looks_like_recovery_code("7K2QM-9XH4T-B6W1P-RJ8ZC"));
        assert!(!looks_like_recovery_code("7K2QM-9XH4T-B6W1P-RJ8ZC-0DNFU"));
    }
}
