//! Chartroom's desktop shell. It owns the window and the process, and
//! forwards every call from the web UI to [`chartroom_api::Chartroom::handle`]
//! through one Tauri command, `api`. No SQL, no clinical rule and no
//! permission logic live here: the API crate checks every request.
//!
//! Command line (all optional; the environment variable in brackets):
//! `--data-dir DIR` [`CHARTROOM_DATA_DIR`], `--no-keyring`
//! [`CHARTROOM_KEYRING=off`], `--idle-lock-secs N` [`CHARTROOM_IDLE_LOCK_SECS`]
//! (end-to-end tests use a few seconds).

#![forbid(unsafe_code)]
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chartroom_api::practice::{config_for, default_data_dir};
use chartroom_api::{Chartroom, Request, SystemClock, WireError};

struct AppState(Mutex<Chartroom>);

/// The one command: a request in, a response or a `{code, message}` error out.
#[tauri::command(async)]
fn api(
    state: tauri::State<'_, AppState>,
    request: Request,
) -> Result<serde_json::Value, WireError> {
    let mut app = state
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    app.handle(request).map_err(|e| e.to_wire())
}

struct Options {
    data_dir: PathBuf,
    keyring: bool,
    idle_lock_secs: Option<u64>,
    export_dir: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        data_dir: std::env::var_os("CHARTROOM_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_data_dir),
        keyring: std::env::var("CHARTROOM_KEYRING")
            .map(|v| v != "off")
            .unwrap_or(true),
        idle_lock_secs: std::env::var("CHARTROOM_IDLE_LOCK_SECS")
            .ok()
            .and_then(|v| v.parse().ok()),
        export_dir: std::env::var_os("CHARTROOM_EXPORT_DIR").map(PathBuf::from),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data-dir" => {
                if let Some(v) = args.next() {
                    o.data_dir = PathBuf::from(v);
                }
            }
            "--no-keyring" => o.keyring = false,
            "--idle-lock-secs" => o.idle_lock_secs = args.next().and_then(|v| v.parse().ok()),
            "--export-dir" => o.export_dir = args.next().map(PathBuf::from),
            _ => {}
        }
    }
    o
}

/// WebKitGTK takes `navigator.language` from the environment; with no locale
/// (`LANG` unset, `C` or `POSIX`, as on a bare session or under Xvfb) it
/// reports "C", which is not a language tag and makes `Intl` throw in the
/// page. Such a session gets US English, the app's own language.
fn usable_locale() {
    let unusable = |k: &str| {
        std::env::var(k)
            .map(|v| v.is_empty() || v == "C" || v == "POSIX" || v.starts_with("C."))
            .unwrap_or(true)
    };
    if std::env::var_os("LC_ALL").is_some() && unusable("LC_ALL") {
        std::env::remove_var("LC_ALL");
    }
    if unusable("LANG") && std::env::var_os("LC_ALL").is_none() {
        std::env::set_var("LANG", "en_US.UTF-8");
    }
}

/// WebKitGTK paints the page with the GPU by default. A machine without
/// one (no DRM render node: a virtual machine, a remote session, Xvfb) then
/// paints through Mesa's software emulation of a GPU, which is slower than
/// painting on the CPU itself: measured here, keystroke to painted search
/// results p95 66 ms that way and 45 ms on the CPU, a chart opened p95
/// 185 ms and 50 ms (BENCHMARKS.md, "Search and chart latency in the real window"). Such a machine
/// paints on the CPU; a setting already in the environment wins.
#[cfg(target_os = "linux")]
fn paint_on_cpu_without_gpu() {
    const KEY: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if std::env::var_os(KEY).is_some() {
        return;
    }
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|d| {
        d.filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if !render_node {
        std::env::set_var(KEY, "1");
    }
}

fn main() {
    usable_locale();
    #[cfg(target_os = "linux")]
    paint_on_cpu_without_gpu();
    let o = options();
    let mut cfg = config_for(o.data_dir, o.keyring);
    cfg.idle_lock_override_secs = o.idle_lock_secs;
    if let Some(d) = o.export_dir {
        cfg.export_dir = d;
    }
    let app = Chartroom::start(cfg, Arc::new(SystemClock));
    let result = tauri::Builder::default()
        .manage(AppState(Mutex::new(app)))
        .invoke_handler(tauri::generate_handler![api])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("chartroom: the window could not start: {e}");
        std::process::exit(1);
    }
}
