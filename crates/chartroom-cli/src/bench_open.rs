//! `chartroom bench-open`: open time against the size of the file. Builds
//! (once, in the work folder) a practice whose file holds `--gib` GiB of
//! scanned documents (1 MiB of random bytes each, as a scan does not
//! compress), then opens it `--rounds` times: the time `Store::open` takes
//! (what the app waits for at unlock), the first patient search after it,
//! and how long the background check of every page then takes. With
//! `--cold`, the operating system's page cache is dropped before each
//! round (needs root; otherwise said and skipped). Prints a Markdown table
//! for `BENCHMARKS.md`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chartroom_store::documents::{self, DocumentMeta};
use chartroom_store::{patients, Integrity, Store, StoreOptions};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use crate::bench::{bench_time, new_practice, KEY};

const MIB: usize = 1024 * 1024;

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn build(path: &Path, gib: f64) -> Result<(), String> {
    let opts = StoreOptions {
        background_check: false,
        ..StoreOptions::default()
    };
    let (mut store, user) = new_practice(path, &opts)?;
    let at = bench_time();
    let mut rng = StdRng::seed_from_u64(2026);
    let patient = store
        .write(|tx| patients::insert(tx, &chartroom_demo::patient(&mut rng), user, at))
        .map_err(|e| e.to_string())?;
    let target = (gib * 1024.0 * 1024.0 * 1024.0) as u64;
    let mut scan = vec![0u8; MIB];
    let started = Instant::now();
    let mut n = 0usize;
    while file_size(path) < target {
        store
            .write(|tx| {
                for _ in 0..64 {
                    rng.fill_bytes(&mut scan);
                    n += 1;
                    let meta = DocumentMeta {
                        category: "scan".into(),
                        doc_date: at.date_naive(),
                        description: format!("Scanned letter {n}"),
                        file_name: format!("scan-{n}.pdf"),
                        mime: "application/pdf".into(),
                    };
                    documents::insert(tx, patient.id, &meta, &scan, at, user)?;
                }
                Ok::<_, chartroom_store::StoreError>(())
            })
            .map_err(|e| e.to_string())?;
        eprint!(
            "\r  {n} documents, {:.2} GiB, {:.0} s",
            file_size(path) as f64 / (1u64 << 30) as f64,
            started.elapsed().as_secs_f64()
        );
    }
    eprintln!();
    store.close().map_err(|e| e.to_string())
}

/// Drops the OS page cache, so the next open reads the disk; `false` when
/// not allowed (not root).
fn drop_caches() -> bool {
    let synced = std::process::Command::new("sync").status().is_ok();
    synced && std::fs::write("/proc/sys/vm/drop_caches", "3\n").is_ok()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn run(gib: f64, work_dir: Option<PathBuf>, rounds: usize, cold: bool) -> Result<(), String> {
    let dir = work_dir.unwrap_or_else(|| std::env::temp_dir().join("chartroom-bench-open"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("documents-{gib}gib.db"));
    if !path.exists() {
        eprintln!("generating {gib} GiB of documents in {}...", path.display());
        build(&path, gib)?;
    }
    let size = file_size(&path);
    println!(
        "| file | round | cache | open (ms) | first search (ms) | background check of every page (s) | finding |"
    );
    println!("|---|---|---|---|---|---|---|");
    for round in 1..=rounds {
        let cache = if cold {
            if drop_caches() {
                "cold"
            } else {
                "warm (could not drop the cache)"
            }
        } else {
            "warm"
        };
        let t = Instant::now();
        let store = Store::open(&path, &KEY).map_err(|e| e.to_string())?;
        let open = t.elapsed();
        let t = Instant::now();
        patients::search(store.read(), "smi", 25).map_err(|e| e.to_string())?;
        let search = t.elapsed();
        let t = Instant::now();
        let found = store.wait_for_integrity(Duration::from_secs(3600));
        let check = match &found {
            // The check started with the open.
            Integrity::Healthy { took } => *took,
            _ => t.elapsed() + open,
        };
        let finding = match found {
            Integrity::Healthy { .. } => "healthy".to_string(),
            other => format!("{other:?}"),
        };
        store.close().map_err(|e| e.to_string())?;
        println!(
            "| {:.2} GiB | {round} | {cache} | {} | {} | {:.1} | {finding} |",
            size as f64 / (1u64 << 30) as f64,
            ms(open),
            ms(search),
            check.as_secs_f64()
        );
    }
    Ok(())
}
