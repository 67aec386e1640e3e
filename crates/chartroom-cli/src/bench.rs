//! `chartroom bench`: generates practices of the requested sizes twice, once
//! encrypted (SQLCipher) and once as plain SQLite with the same data, and
//! measures open time and search-as-you-type latency on both. Prints a
//! Markdown table for `BENCHMARKS.md`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chartroom_api::demo;
use chartroom_store::model::Role;
use chartroom_store::search::fold_words;
use chartroom_store::{patients, users, Store, StoreOptions};
use chrono::{TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const KEY: [u8; 32] = [0x42; 32];

struct Figures {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
    total: Duration,
    queries: usize,
}

fn build(path: &std::path::Path, n: usize, opts: &StoreOptions) -> Result<(), String> {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
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

fn pass(store: &Store, queries: &[String]) -> Result<Figures, String> {
    let mut times = Vec::with_capacity(queries.len());
    let all = Instant::now();
    for q in queries {
        let t = Instant::now();
        let r = patients::search(store.read(), q, 25).map_err(|e| e.to_string())?;
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    let total = all.elapsed();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(Figures {
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        max: *times.last().unwrap_or(&Duration::ZERO),
        total,
        queries: times.len(),
    })
}

/// Opens the file and runs the typing workload twice: "first" right after
/// opening (every page decrypted for the first time), then "steady" with
/// the page cache holding what the day's searches touch.
fn measure(
    path: &std::path::Path,
    opts: &StoreOptions,
    queries: &[String],
) -> Result<(Duration, Figures, Figures), String> {
    let t = Instant::now();
    let store = Store::open_with(path, &KEY, opts).map_err(|e| e.to_string())?;
    let open = t.elapsed();
    let first = pass(&store, queries)?;
    let steady = pass(&store, queries)?;
    Ok((open, first, steady))
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
        let mut figs = Vec::new();
        for (label, plain) in [("encrypted", false), ("plain", true)] {
            let opts = StoreOptions {
                plaintext_for_benchmark: plain,
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
            let (open, first, steady) = measure(&path, &opts, &queries)?;
            eprintln!(
                "{label} {n}: open {} ms; first pass p50 {} p99 {} ms; steady p50 {} p99 {} ms",
                ms(open),
                ms(first.p50),
                ms(first.p99),
                ms(steady.p50),
                ms(steady.p99)
            );
            figs.push((open, first, steady));
        }
        let ((e_open, e_first, e_steady), (p_open, p_first, p_steady)) = (&figs[0], &figs[1]);
        for (label, e, p) in [
            ("first pass", e_first, p_first),
            ("steady", e_steady, p_steady),
        ] {
            rows.push(format!(
                "| {n} | {label} | {} | {} / {} / {} / {} | {} / {} / {} / {} | {:.2}x | {:.2}x |",
                e.queries,
                ms(e.p50),
                ms(e.p95),
                ms(e.p99),
                ms(e.max),
                ms(p.p50),
                ms(p.p95),
                ms(p.p99),
                ms(p.max),
                e.total.as_secs_f64() / p.total.as_secs_f64(),
                e.p99.as_secs_f64() / p.p99.as_secs_f64(),
            ));
        }
        rows.push(format!(
            "| {n} | open (ms) | | {} | {} | {:.2}x | |",
            ms(*e_open),
            ms(*p_open),
            e_open.as_secs_f64() / p_open.as_secs_f64()
        ));
    }
    println!("| patients | pass | queries | encrypted p50 / p95 / p99 / max (ms) | plain p50 / p95 / p99 / max (ms) | encrypted/plain, total time | encrypted/plain, p99 |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
