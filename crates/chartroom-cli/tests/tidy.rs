//! House rules checked over the whole workspace: every Rust module opens
//! with a `//!` doc saying what it owns, no core crate depends on Tauri, and
//! no SQL is written outside `chartroom-store`.
//!
//! The crates are found by listing `crates/`, so a new crate is checked from
//! the moment it exists.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};

use regex::Regex;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy();
        if p.is_dir() {
            // Build output, if a crate was ever built with its own target.
            if name != "target" && !name.starts_with('.') {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap().display().to_string()
}

/// Every crate under `crates/` (a folder with a `Cargo.toml`), sorted.
fn core_crates(root: &Path) -> Vec<PathBuf> {
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    let names: Vec<String> = crates
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // A sanity check on the listing, not the list: crates come and go.
    for known in ["chartroom-cli", "chartroom-pdf", "chartroom-store"] {
        assert!(
            names.iter().any(|n| n == known),
            "{known} not found under crates/ (found {names:?})"
        );
    }
    crates
}

fn toml_file(path: &Path) -> toml::Table {
    std::fs::read_to_string(path)
        .unwrap()
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The packages a manifest depends on, normal, dev and build, also the
/// platform-specific ones, as (table, package name). A renamed dependency
/// (`package = "..."`, here or in `[workspace.dependencies]`) gives the real
/// package's name.
fn dependencies(manifest: &toml::Table, workspace: &toml::Table) -> Vec<(String, String)> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<(String, &toml::Table)> = Vec::new();
    for kind in KINDS {
        if let Some(t) = manifest.get(kind).and_then(|v| v.as_table()) {
            tables.push((kind.to_owned(), t));
        }
    }
    if let Some(targets) = manifest.get("target").and_then(|v| v.as_table()) {
        for (cfg, target) in targets {
            for kind in KINDS {
                if let Some(t) = target.get(kind).and_then(|v| v.as_table()) {
                    tables.push((format!("target.{cfg}.{kind}"), t));
                }
            }
        }
    }
    let workspace_deps = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    let mut out = Vec::new();
    for (table, deps) in tables {
        for (key, spec) in deps {
            let inherited = spec.get("workspace").and_then(|w| w.as_bool()) == Some(true);
            let package = spec
                .get("package")
                .or_else(|| {
                    inherited
                        .then(|| workspace_deps?.get(key)?.get("package"))
                        .flatten()
                })
                .and_then(|p| p.as_str())
                .unwrap_or(key);
            out.push((table.clone(), package.to_owned()));
        }
    }
    out
}

/// Tauri and the window and web-view crates under it.
fn is_tauri(package: &str) -> bool {
    package == "tauri" || package.starts_with("tauri-") || package == "wry" || package == "tao"
}

#[test]
fn every_module_has_a_doc_header() {
    let root = root();
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri/src", "tests/e2e"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 30, "found only {} Rust files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|p| relative(&root, p))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! header:\n{}",
        missing.join("\n")
    );
}

#[test]
fn core_crates_do_not_depend_on_tauri() {
    let root = root();
    let workspace = toml_file(&root.join("Cargo.toml"));
    let mut offenders = Vec::new();
    for krate in core_crates(&root) {
        let manifest = toml_file(&krate.join("Cargo.toml"));
        let deps = dependencies(&manifest, &workspace);
        assert!(
            manifest.contains_key("package"),
            "{}/Cargo.toml has no [package]",
            relative(&root, &krate)
        );
        for (table, package) in deps {
            if is_tauri(&package) {
                offenders.push(format!(
                    "{}/Cargo.toml: [{table}] {package}",
                    relative(&root, &krate)
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "core crates must build without a window, but depend on Tauri:\n{}",
        offenders.join("\n")
    );
}

/// The dependency check reads names, renames and every kind of dependency
/// table, not text.
#[test]
fn the_dependency_check_reads_the_manifest() {
    let workspace: toml::Table = r#"
        [workspace.dependencies]
        shell = { package = "tauri", version = "2" }
        serde = "1"
    "#
    .parse()
    .unwrap();
    let manifest: toml::Table = r#"
        [package]
        name = "x"
        description = "not a tauri app"
        [dependencies]
        serde.workspace = true
        window = { package = "tauri-runtime-wry", version = "2" }
        [dev-dependencies]
        shell = { workspace = true }
        [target.'cfg(unix)'.build-dependencies]
        tauri-build = "2"
        [features]
        tauri = []
    "#
    .parse()
    .unwrap();
    let tauri: Vec<(String, String)> = dependencies(&manifest, &workspace)
        .into_iter()
        .filter(|(_, p)| is_tauri(p))
        .collect();
    let want = [
        ("dependencies", "tauri-runtime-wry"),
        ("dev-dependencies", "tauri"),
        ("target.cfg(unix).build-dependencies", "tauri-build"),
    ]
    .map(|(t, p)| (t.to_owned(), p.to_owned()));
    assert_eq!(tauri, want);
}

/// SQL statements and the SQLite crate, case-insensitive. Words may be split
/// over lines and by the `\` of a Rust string continuation.
fn sql_patterns() -> Vec<(&'static str, Regex)> {
    const SEP: &str = r"[\s\\]+";
    [
        // Within one literal and one statement: no quote or `;` between.
        ("SELECT ... FROM", format!(r#"\bSELECT{SEP}[^";]{{0,600}}?{SEP}FROM{SEP}\w"#)),
        ("INSERT INTO", format!(r"\b(?:INSERT(?:{SEP}OR{SEP}\w+)?|REPLACE){SEP}INTO{SEP}\w")),
        ("UPDATE ... SET", format!(r"\bUPDATE(?:{SEP}OR{SEP}\w+)?{SEP}\w+{SEP}SET\b")),
        ("DELETE FROM", format!(r"\bDELETE{SEP}FROM{SEP}\w")),
        (
            "CREATE/ALTER/DROP",
            format!(
                r"\b(?:CREATE(?:{SEP}(?:UNIQUE|TEMP|TEMPORARY|VIRTUAL))?|ALTER|DROP){SEP}(?:TABLE|INDEX|TRIGGER|VIEW)\b"
            ),
        ),
        ("PRAGMA", format!(r"\bPRAGMA{SEP}\w")),
        ("rusqlite", r"\brusqlite\b".to_owned()),
    ]
    .into_iter()
    .map(|(what, p)| (what, Regex::new(&format!("(?i){p}")).unwrap()))
    .collect()
}

/// The SQL in one file, as `line: what: text`. Comment lines (`//`, `///`,
/// `//!`) are blanked first, keeping line numbers.
fn sql_in(text: &str, patterns: &[(&str, Regex)]) -> Vec<(usize, String)> {
    let code: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (what, re) in patterns {
        for m in re.find_iter(&code) {
            let line = code[..m.start()].matches('\n').count() + 1;
            let excerpt: String = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
            found.push((line, format!("{what}: {excerpt}")));
        }
    }
    found.sort();
    found
}

/// The one file outside the store that names rusqlite: `ToSql`/`FromSql`
/// for the typed ids, compiled only with the feature the store turns on
/// (see `only_the_store_depends_on_sqlite`). It may name the crate, nothing
/// more: any SQL text in it is still refused.
const SQL_IDS: &str = "crates/chartroom-types/src/sql.rs";

/// SQL outside the store tolerated for now, as (file, the SQL found).
/// Each entry is a known violation to remove, not a precedent.
const KNOWN_SQL_OUTSIDE_THE_STORE: &[(&str, &str)] = &[];

#[test]
fn no_sql_outside_the_store() {
    let root = root();
    let mut files = Vec::new();
    for krate in core_crates(&root) {
        if krate.file_name().is_some_and(|n| n == "chartroom-store") {
            continue;
        }
        rust_files(&krate, &mut files);
    }
    rust_files(&root.join("src-tauri/src"), &mut files);
    rust_files(&root.join("tests/e2e"), &mut files);
    files.sort();
    // This file spells the patterns out (and tests them on samples).
    let this = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tidy.rs")
        .canonicalize()
        .unwrap();
    assert!(files.contains(&this), "the scan misses {}", this.display());
    assert!(files.len() > 30, "found only {} Rust files", files.len());
    let patterns = sql_patterns();
    let mut offenders = Vec::new();
    let mut known_seen = vec![false; KNOWN_SQL_OUTSIDE_THE_STORE.len()];
    for f in files.iter().filter(|f| **f != this) {
        let rel = relative(&root, f);
        for (line, sql) in sql_in(&std::fs::read_to_string(f).unwrap(), &patterns) {
            if rel == SQL_IDS && sql == "rusqlite: rusqlite" {
                continue;
            }
            match KNOWN_SQL_OUTSIDE_THE_STORE
                .iter()
                .position(|&(file, known)| file == rel && known == sql)
            {
                Some(i) if !known_seen[i] => known_seen[i] = true,
                _ => offenders.push(format!("{rel}:{line}: {sql}")),
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "SQL outside chartroom-store (call a function of the store instead):\n{}",
        offenders.join("\n")
    );
    let fixed: Vec<String> = KNOWN_SQL_OUTSIDE_THE_STORE
        .iter()
        .zip(&known_seen)
        .filter(|(_, seen)| !**seen)
        .map(|((file, sql), _)| format!("{file}: {sql}"))
        .collect();
    assert!(
        fixed.is_empty(),
        "no longer found, remove from KNOWN_SQL_OUTSIDE_THE_STORE:\n{}",
        fixed.join("\n")
    );
}

/// The SQL scan on samples: what it must find and what it must not.
#[test]
fn the_sql_scan_finds_sql_and_not_prose() {
    let text = r#"//! Never SELECT name FROM patient here.
use rusqlite::Connection;
fn f() {
    let a = "SELECT id, name \
             FROM patient WHERE id = ?1";
    let b = "insert or ignore into t (a) values (1)";
    let c = "update patient set name = ?1";
    let d = "DELETE FROM note";
    let e = "CREATE UNIQUE INDEX i ON t(a)";
    let g = "PRAGMA user_version";
    // tx.execute("DELETE FROM commented_out")
    /// UPDATE documented SET x = 1
    let h = String::from(select(x));
    let i = "Choose a patient from the list";
    let j = items.select(|x| x).collect::<Vec<_>>(); let k = Vec::from(j);
}
"#;
    let found: Vec<String> = sql_in(text, &sql_patterns())
        .into_iter()
        .map(|(line, sql)| format!("{line}: {sql}"))
        .collect();
    assert_eq!(
        found,
        [
            "2: rusqlite: rusqlite",
            "4: SELECT ... FROM: SELECT id, name \\ FROM p",
            "6: INSERT INTO: insert or ignore into t",
            "7: UPDATE ... SET: update patient set",
            "8: DELETE FROM: DELETE FROM n",
            "9: CREATE/ALTER/DROP: CREATE UNIQUE INDEX",
            "10: PRAGMA: PRAGMA u",
        ]
    );
}

/// Only the store may link SQLite.
#[test]
fn only_the_store_depends_on_sqlite() {
    let root = root();
    let workspace = toml_file(&root.join("Cargo.toml"));
    let mut manifests: Vec<PathBuf> = core_crates(&root)
        .into_iter()
        .filter(|k| !k.ends_with("chartroom-store"))
        .map(|k| k.join("Cargo.toml"))
        .collect();
    manifests.push(root.join("src-tauri/Cargo.toml"));
    manifests.push(root.join("tests/e2e/Cargo.toml"));
    let types = root.join("crates/chartroom-types/Cargo.toml");
    let mut offenders = Vec::new();
    for m in manifests {
        let manifest = toml_file(&m);
        for (table, package) in dependencies(&manifest, &workspace) {
            // The types crate may declare rusqlite, optional, for its ids'
            // `ToSql`; only the store may turn that feature on (below).
            let optional = manifest
                .get(&table)
                .and_then(|t| t.get("rusqlite"))
                .and_then(|d| d.get("optional"))
                .and_then(|o| o.as_bool())
                == Some(true);
            if m == types && table == "dependencies" && package == "rusqlite" && optional {
                continue;
            }
            if package == "rusqlite" || package.starts_with("libsqlite3") {
                offenders.push(format!("{}: [{table}] {package}", relative(&root, &m)));
            }
        }
        // Nobody but the store asks for the types crate's SQL side.
        let text = std::fs::read_to_string(&m).unwrap();
        for line in text.lines() {
            let l = line.replace(' ', "");
            if l.starts_with("chartroom-types") && l.contains("\"sql\"")
                || l.contains("\"chartroom-types/sql\"")
            {
                offenders.push(format!(
                    "{}: enables chartroom-types/sql",
                    relative(&root, &m)
                ));
            }
        }
    }
    let store = std::fs::read_to_string(root.join("crates/chartroom-store/Cargo.toml")).unwrap();
    assert!(
        store.contains("chartroom-types = { workspace = true, features = [\"sql\"] }"),
        "the store binds typed ids through chartroom-types' sql feature"
    );
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
