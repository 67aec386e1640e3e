//! Every table has exactly one owner: the one module of `src/` whose SQL may
//! write it (`INSERT`, `INSERT OR ... INTO`, `REPLACE INTO`, `UPDATE`,
//! `DELETE FROM`). Other modules read it freely, but a change to a table goes
//! through its owner's functions, so the rules that guard it (versions,
//! history rows, search index upkeep) live in one place.
//!
//! The test scans the Rust source of `src/` (the SQL of `src/migrations/*.sql`
//! is the schema's history, not a writer; comment lines and `#[cfg(test)]`
//! modules are skipped) and fails, naming file, line, table and owner, for a
//! write from a module that does not own the table, a write to a table that
//! has no owner, a write to a table that is `RETIRED`, or an `OWNERS` or
//! `RETIRED` table that no longer matches the schema.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// Table -> the module that owns it, named by its file under `src/`
/// (`patients.rs` also stands for anything under `src/patients/`). Sorted by
/// table; a new table gets its line here. Today no table has a second writer.
const OWNERS: &[(&str, &str)] = &[
    ("account", "billing.rs"),
    ("appointment", "scheduling.rs"),
    ("appointment_event", "scheduling.rs"),
    ("appointment_series", "scheduling.rs"),
    ("appointment_type", "scheduling.rs"),
    ("audit_head", "audit.rs"),
    ("audit_log", "audit.rs"),
    ("calendar", "scheduling.rs"),
    ("charge", "billing.rs"),
    ("chart_entry", "chart.rs"),
    ("claim", "claims.rs"),
    ("claim_line", "claims.rs"),
    ("closed_day", "billing.rs"),
    ("closure", "scheduling.rs"),
    ("coverage", "billing.rs"),
    ("disclosure", "disclosures.rs"),
    ("document", "documents.rs"),
    ("document_content", "documents.rs"),
    ("encounter", "notes.rs"),
    ("entered_in_error", "corrections.rs"),
    ("fee", "billing.rs"),
    ("ledger_entry", "billing.rs"),
    ("note", "notes.rs"),
    ("note_template", "notes.rs"),
    ("observation", "observations.rs"),
    ("patient", "patients.rs"),
    ("patient_account", "billing.rs"),
    ("patient_search", "patients.rs"),
    ("payer", "billing.rs"),
    ("payment", "billing.rs"),
    ("practice", "settings.rs"),
    ("recall", "scheduling.rs"),
    ("referral_provider", "referrals.rs"),
    ("replaced_state", "corrections.rs"),
    ("room", "scheduling.rs"),
    ("safety_override", "chart.rs"),
    ("setting", "settings.rs"),
    ("signing_key", "signing_keys.rs"),
    ("statement", "billing.rs"),
    ("user_account", "users.rs"),
    ("waitlist_entry", "scheduling.rs"),
];

/// Tables kept as they were but no longer written by anything, with the
/// migration whose table took their place. Sorted by table. Nothing in
/// `src/` may write them.
const RETIRED: &[(&str, &str)] = &[
    (
        "chart_entry_version",
        "0005_corrections.sql: replaced_state",
    ),
    ("patient_history", "0005_corrections.sql: replaced_state"),
    ("record_history", "0005_corrections.sql: replaced_state"),
];

/// One SQL write found in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Write {
    /// Path under `src/`, with `/` separators.
    file: String,
    line: usize,
    /// Lower-cased table name, or `{` for a table name built at run time.
    table: String,
}

/// The patterns of a write. Words may be separated by any whitespace,
/// newlines included, and by the `\` of a Rust string continuation.
fn write_patterns() -> Vec<Regex> {
    const SEP: &str = r"[\s\\]+";
    // `main.patient` counts as `patient`; `{` is a name from `format!`.
    const NAME: &str = r#"(?:\w+\.)?(\w+|\{)"#;
    [
        format!(r"\b(?:INSERT(?:{SEP}OR{SEP}\w+)?|REPLACE){SEP}INTO{SEP}{NAME}"),
        // `UPDATE t SET`, or `UPDATE t` at the end of a line (SET follows).
        format!(r"\bUPDATE(?:{SEP}OR{SEP}\w+)?{SEP}{NAME}(?:{SEP}SET\b|[ \t]*\\?[ \t]*\r?\n)"),
        format!(r"\bDELETE{SEP}FROM{SEP}{NAME}"),
    ]
    .iter()
    .map(|p| Regex::new(&format!("(?i){p}")).unwrap())
    .collect()
}

/// The source as the scan sees it: comment lines blanked (line numbers kept)
/// and everything from a `#[cfg(test)]` module on dropped (unit tests may set
/// up any table they need).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if !t.starts_with("//") {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Every write in one file's text.
fn writes_in(file: &str, text: &str, patterns: &[Regex]) -> Vec<Write> {
    let code = code_only(text);
    let mut found = Vec::new();
    for re in patterns {
        for caps in re.captures_iter(&code) {
            let name = caps.get(1).unwrap();
            let table = name.as_str().to_ascii_lowercase();
            // `ON CONFLICT ... DO UPDATE SET` is the upsert half of an
            // INSERT, whose table is already counted.
            if table == "set" {
                continue;
            }
            let line = code[..name.start()].matches('\n').count() + 1;
            found.push(Write {
                file: file.to_owned(),
                line,
                table,
            });
        }
    }
    found.sort_by(|a, b| (a.line, &a.table).cmp(&(b.line, &b.table)));
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every write in `src/**/*.rs`.
fn all_writes() -> Vec<Write> {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let patterns = write_patterns();
    files
        .iter()
        .flat_map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            writes_in(&rel, &std::fs::read_to_string(p).unwrap(), &patterns)
        })
        .collect()
}

/// The module a file belongs to, named by its top-level file:
/// `patients.rs` for `patients.rs` and for anything under `patients/`.
fn module_of(file: &str) -> String {
    match file.split_once('/') {
        Some((dir, _)) => format!("{dir}.rs"),
        None => file.to_owned(),
    }
}

/// Tables of the schema after all migrations.
fn schema_tables() -> BTreeSet<String> {
    let mut conn = chartroom_store::Connection::open_in_memory().unwrap();
    chartroom_store::migrations::migrate(&mut conn).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
}

#[test]
fn every_table_is_written_only_by_its_owner() {
    let owners: BTreeMap<&str, &str> = OWNERS.iter().copied().collect();
    let retired: BTreeMap<&str, &str> = RETIRED.iter().copied().collect();
    let writes = all_writes();
    assert!(
        writes.len() >= 30,
        "the scan found only {} writes in src/; is the pattern broken?",
        writes.len()
    );
    let mut problems = Vec::new();
    for w in &writes {
        let module = module_of(&w.file);
        if w.table == "{" {
            problems.push(format!(
                "src/{}:{}: writes a table whose name is built at run time; name the table in the SQL so its owner can be checked",
                w.file, w.line
            ));
            continue;
        }
        if let Some(successor) = retired.get(w.table.as_str()) {
            problems.push(format!(
                "src/{}:{}: writes table `{}`, which is retired (see {successor}); write its successor instead",
                w.file, w.line, w.table
            ));
            continue;
        }
        match owners.get(w.table.as_str()) {
            None => problems.push(format!(
                "src/{}:{}: writes table `{}`, which has no owner: add it to OWNERS in tests/owners.rs",
                w.file, w.line, w.table
            )),
            Some(&owner) if owner == module => {}
            Some(&owner) => problems.push(format!(
                "src/{}:{}: writes table `{}`, which is owned by {owner}: call a function of {owner} instead",
                w.file, w.line, w.table
            )),
        }
    }
    // Each owner really writes what it owns: a stale line, or a write the
    // patterns fail to see, shows up here.
    for (table, owner) in OWNERS {
        if !writes
            .iter()
            .any(|w| w.table == *table && module_of(&w.file) == *owner)
        {
            problems.push(format!(
                "OWNERS says {owner} owns `{table}`, but nothing in {owner} writes it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "table ownership broken:\n{}",
        problems.join("\n")
    );
}

/// The tables of a list, which must be sorted by table, each once.
fn tables_of(list: &[(&'static str, &str)], name: &str) -> Vec<&'static str> {
    let tables: Vec<&str> = list.iter().map(|(t, _)| *t).collect();
    let mut sorted = tables.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(tables, sorted, "{name} must be sorted by table, each once");
    tables
}

#[test]
fn owners_match_the_schema() {
    let declared = tables_of(OWNERS, "OWNERS");
    let retired = tables_of(RETIRED, "RETIRED");
    for t in &retired {
        assert!(
            !declared.contains(t),
            "`{t}` is both owned and retired in tests/owners.rs"
        );
    }
    let declared: BTreeSet<String> = declared
        .iter()
        .chain(&retired)
        .map(|t| t.to_string())
        .collect();
    let schema = schema_tables();
    let unowned: Vec<&String> = schema.difference(&declared).collect();
    let gone: Vec<&String> = declared.difference(&schema).collect();
    assert!(
        unowned.is_empty(),
        "tables neither owned nor retired in tests/owners.rs: {unowned:?}"
    );
    assert!(
        gone.is_empty(),
        "OWNERS or RETIRED name tables the schema does not have: {gone:?}"
    );
    for (table, owner) in OWNERS {
        assert!(
            src().join(owner).is_file(),
            "`{table}` is given to {owner}, which is not a file in src/"
        );
    }
}

/// The scan itself: every spelling of a write is seen, comments and the
/// upsert's `DO UPDATE SET` are not.
#[test]
fn the_scan_sees_every_form_of_write() {
    let text = r#"//! Writes the doc header's table: UPDATE doc_header SET x = 1
fn f(tx: &Tx) {
    tx.execute("INSERT INTO alpha (a) VALUES (?1) \
                ON CONFLICT(a) DO UPDATE SET a = excluded.a", [])?;
    tx.execute("insert or replace into beta (b) values (1)", [])?;
    tx.execute("REPLACE INTO gamma (c) VALUES (1)", [])?;
    tx.execute("UPDATE delta SET d = 1", [])?;
    tx.execute(
        "UPDATE OR IGNORE epsilon \
         SET e = 1",
        [],
    )?;
    tx.execute("update
        zeta set z = 1", [])?;
    tx.execute("UPDATE eta
        SET h = 1", [])?;
    tx.execute("DELETE
        FROM theta WHERE id = ?1", [id])?;
    tx.execute("INSERT INTO main.iota DEFAULT VALUES", [])?;
    tx.execute(&format!("DELETE FROM {table}"), [])?;
    // tx.execute("DELETE FROM commented_out")
    /// UPDATE documented SET x = 1
    let s = "a SELECT from kappa"; // reads are not writes
}

#[cfg(test)]
mod tests {
    fn g(tx: &Tx) {
        tx.execute("DELETE FROM in_a_unit_test", []).unwrap();
    }
}
"#;
    let found: Vec<(usize, String)> = writes_in("x.rs", text, &write_patterns())
        .into_iter()
        .map(|w| (w.line, w.table))
        .collect();
    let want: Vec<(usize, String)> = [
        (3, "alpha"),
        (5, "beta"),
        (6, "gamma"),
        (7, "delta"),
        (9, "epsilon"),
        (14, "zeta"),
        (15, "eta"),
        (18, "theta"),
        (19, "iota"),
        (20, "{"),
    ]
    .iter()
    .map(|(l, t)| (*l, t.to_string()))
    .collect();
    assert_eq!(found, want);
}
