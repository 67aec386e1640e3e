//! `chartroom bench`: generates practices of the requested sizes twice, once
//! encrypted (SQLCipher) and once as plain SQLite with the same data, and
//! measures open time and search-as-you-type latency on both, the search
//! alone and with the audit record the app writes for every search. Prints
//! a Markdown table for `BENCHMARKS.md`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chartroom_demo as demo;
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory, Role};
use chartroom_store::search::fold_words;
use chartroom_store::{patients, users, Store, StoreOptions};
use chrono::{TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub(crate) const KEY: [u8; 32] = [0x42; 32];
/// Measurement rounds per file.
const ROUNDS: usize = 5;

#[derive(Clone)]
struct Figures {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
    total: Duration,
    queries: usize,
}

/// A new bench practice at `path`: its user and the set-up record every
/// practice's log starts with.
pub(crate) fn new_practice(
    path: &std::path::Path,
    opts: &StoreOptions,
) -> Result<(Store, chartroom_types::UserId), String> {
    let at = bench_time();
    let mut store = Store::create_with(path, &KEY, opts).map_err(|e| e.to_string())?;
    let user = store
        .write(|tx| {
            users::insert(
                tx,
                &users::NewUser {
                    username: "bench",
                    full_name: "Bench",
                    credentials: "",
                    password_hash: "-",
                    roles: &[Role::FrontDesk],
                    can_emergency_access: false,
                },
                at,
            )
        })
        .map_err(|e| e.to_string())?
        .id;
    // Record 1 of a practice's log is its set-up (the triggers insist).
    store
        .write(|tx| {
            audit::append(
                tx,
                at,
                &audit::AuditEvent {
                    username: "setup".into(),
                    action: Some(AuditAction::Setup),
                    category: Some(DataCategory::Administration),
                    record_id: "practice".into(),
                    ..Default::default()
                },
            )
        })
        .map_err(|e| e.to_string())?;
    Ok((store, user))
}

fn build(path: &std::path::Path, n: usize, opts: &StoreOptions) -> Result<(), String> {
    let at = bench_time();
    let (mut store, user) = new_practice(path, opts)?;
    let mut rng = StdRng::seed_from_u64(2026);
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(1000);
        store
            .write(|tx| {
                for _ in 0..batch {
                    patients::insert(tx, &demo::patient(&mut rng), user, at)?;
                }
                Ok::<_, chartroom_store::StoreError>(())
            })
            .map_err(|e| e.to_string())?;
        done += batch;
    }
    store.close().map_err(|e| e.to_string())
}

/// What a front desk types while looking for someone: the family name one
/// letter at a time, then a space and the given name's first letters.
fn typing_queries(n: usize, typists: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(2026);
    let people: Vec<_> = (0..n).map(|_| demo::patient(&mut rng)).collect();
    let mut pick = StdRng::seed_from_u64(7);
    let mut out = Vec::new();
    for _ in 0..typists {
        let p = &people[pick.gen_range(0..people.len())];
        let fam = fold_words(&p.family_name).join("");
        let giv = fold_words(&p.given_name).join("");
        for k in 1..=fam.len().min(6) {
            out.push(fam[..k].to_string());
        }
        for k in 1..=giv.len().min(3) {
            out.push(format!("{fam} {}", &giv[..k]));
        }
    }
    out
}

/// The instant the bench's records carry (a fixed one: no test or bench
/// depends on today's date).
pub(crate) fn bench_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Runs every query; with `audited`, each search also writes its audit
/// record as the app does (`Store::write_relaxed`, the patients area's
/// `search`), and the time is the search's plus its record's.
fn pass(
    store: &mut Store,
    queries: &[String],
    audited: bool,
    times: &mut Vec<Duration>,
) -> Result<Duration, String> {
    let all = Instant::now();
    for q in queries {
        let t = Instant::now();
        let r = patients::search(store.read(), q, 25).map_err(|e| e.to_string())?;
        if audited {
            let ev = audit::AuditEvent {
                username: "bench".into(),
                action: Some(AuditAction::Query),
                category: Some(DataCategory::Demographics),
                record_id: "patient_search".into(),
                detail: format!("search \"{q}\": {} shown", r.len()),
                ..Default::default()
            };
            store
                .write_relaxed(|tx| audit::append(tx, bench_time(), &ev))
                .map_err(|e| e.to_string())?;
        }
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    Ok(all.elapsed())
}

fn figures(mut times: Vec<Duration>, total: Duration) -> Figures {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    Figures {
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        max: *times.last().unwrap_or(&Duration::ZERO),
        total,
        queries: times.len(),
    }
}

/// What one file measured over all rounds.
struct Measured {
    open_median: Duration,
    first: Figures,
    steady: Figures,
    audited: Figures,
}

/// Opens the file and runs the typing workload twice per round: "first"
/// right after opening (every page decrypted for the first time), then
/// "steady" with the page cache holding what the day's searches touch.
fn measure_round(
    path: &std::path::Path,
    opts: &StoreOptions,
    queries: &[String],
    acc: &mut Acc,
) -> Result<(), String> {
    let t = Instant::now();
    let mut store = Store::open_with(path, &KEY, opts).map_err(|e| e.to_string())?;
    acc.opens.push(t.elapsed());
    acc.first_total += pass(&mut store, queries, false, &mut acc.first)?;
    acc.steady_total += pass(&mut store, queries, false, &mut acc.steady)?;
    acc.audited_total += pass(&mut store, queries, true, &mut acc.audited)?;
    store.close().map_err(|e| e.to_string())
}

#[derive(Default)]
struct Acc {
    opens: Vec<Duration>,
    first: Vec<Duration>,
    steady: Vec<Duration>,
    audited: Vec<Duration>,
    first_total: Duration,
    steady_total: Duration,
    audited_total: Duration,
}

impl Acc {
    fn finish(mut self) -> Measured {
        self.opens.sort();
        Measured {
            open_median: self.opens[self.opens.len() / 2],
            first: figures(self.first, self.first_total),
            steady: figures(self.steady, self.steady_total),
            audited: figures(self.audited, self.audited_total),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

pub fn run(sizes: &[usize], work_dir: Option<PathBuf>, typists: usize) -> Result<(), String> {
    let tmp;
    let dir = match work_dir {
        Some(d) => d,
        None => {
            tmp = std::env::temp_dir().join(format!("chartroom-bench-{}", std::process::id()));
            tmp
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for &n in sizes {
        let queries = typing_queries(n, typists);
        let variants = [("encrypted", false), ("plain", true)];
        for (label, plain) in variants {
            let opts = StoreOptions {
                plaintext_for_benchmark: plain,
                // Search is measured alone, not against the page check.
                background_check: false,
                ..StoreOptions::default()
            };
            let path = dir.join(format!("{label}-{n}.db"));
            if !path.exists() {
                eprintln!("generating {n} patients ({label})...");
                let t = Instant::now();
                build(&path, n, &opts)?;
                eprintln!(
                    "  generated in {:.1} s, {:.1} MiB",
                    t.elapsed().as_secs_f64(),
                    std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0
                );
            }
        }
        // Rounds alternate encrypted and plain so that noise from the rest
        // of the machine falls on both alike.
        let mut accs = [Acc::default(), Acc::default()];
        for round in 0..ROUNDS {
            for (i, (label, plain)) in variants.iter().enumerate() {
                let opts = StoreOptions {
                    plaintext_for_benchmark: *plain,
                    background_check: false,
                    ..StoreOptions::default()
                };
                measure_round(
                    &dir.join(format!("{label}-{n}.db")),
                    &opts,
                    &queries,
                    &mut accs[i],
                )?;
            }
            eprintln!("{n} patients: round {} of {ROUNDS} done", round + 1);
        }
        let [e, p] = accs.map(Acc::finish);
        for (label, ef, pf) in [
            ("first pass after open", &e.first, &p.first),
            ("steady", &e.steady, &p.steady),
            ("steady, with its audit record", &e.audited, &p.audited),
        ] {
            rows.push(format!(
                "| {n} | {label} | {} | {} / {} / {} / {} | {} / {} / {} / {} | {:.2}x | {:.2}x |",
                ef.queries,
                ms(ef.p50),
                ms(ef.p95),
                ms(ef.p99),
                ms(ef.max),
                ms(pf.p50),
                ms(pf.p95),
                ms(pf.p99),
                ms(pf.max),
                ef.total.as_secs_f64() / pf.total.as_secs_f64(),
                ef.p99.as_secs_f64() / pf.p99.as_secs_f64(),
            ));
        }
        rows.push(format!(
            "| {n} | open, median of {ROUNDS} (ms) | | {} | {} | {:.2}x | |",
            ms(e.open_median),
            ms(p.open_median),
            e.open_median.as_secs_f64() / p.open_median.as_secs_f64()
        ));
    }
    println!("| patients | pass | queries | encrypted p50 / p95 / p99 / max (ms) | plain p50 / p95 / p99 / max (ms) | encrypted/plain, total time | encrypted/plain, p99 |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
