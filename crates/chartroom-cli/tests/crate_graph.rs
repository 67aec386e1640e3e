//! The crate graph is the one ARCHITECTURE.md draws: every dependency of a
//! Chartroom crate on another must be an edge listed in its "Crate graph"
//! block, and every listed edge must exist. Area crates depend on the
//! shared crates and the chart, never on each other and never on the API.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Every workspace manifest: `crates/*`, `src-tauri`, `tests/e2e`.
fn manifests(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path().join("Cargo.toml"))
        .filter(|p| p.exists())
        .collect();
    v.push(root.join("src-tauri/Cargo.toml"));
    v.push(root.join("tests/e2e/Cargo.toml"));
    v.sort();
    v
}

/// The package name and the `chartroom-*` names in `[dependencies]` and
/// `[build-dependencies]` (dev-dependencies may reach test kits).
fn edges_of(manifest: &str) -> (String, Vec<String>) {
    let mut name = String::new();
    let mut section = String::new();
    let mut deps = Vec::new();
    for line in manifest.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            section = l.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        let key = l.split(['=', '.', ' ']).next().unwrap_or("").trim();
        if section == "package" && key == "name" && name.is_empty() {
            name = l.split('"').nth(1).unwrap_or("").to_string();
        }
        if (section == "dependencies" || section == "build-dependencies")
            && key.starts_with("chartroom-")
        {
            deps.push(key.to_string());
        }
    }
    (name, deps)
}

/// The edges ARCHITECTURE.md allows: lines `a -> b, c` inside the block
/// after the "crate-graph" marker.
fn allowed(architecture: &str) -> BTreeSet<(String, String)> {
    let start = architecture
        .find("<!-- crate-graph")
        .expect("ARCHITECTURE.md has a <!-- crate-graph --> block");
    let block = &architecture[start..];
    let open = block.find("```").unwrap() + 3;
    let close = open + block[open..].find("```").unwrap();
    let mut out = BTreeSet::new();
    for line in block[open..close].lines() {
        let Some((from, to)) = line.split_once("->") else {
            continue;
        };
        for t in to.split(',') {
            let t = t.trim();
            if !t.is_empty() && t != "(nothing)" {
                out.insert((from.trim().to_string(), t.to_string()));
            }
        }
    }
    out
}

#[test]
fn dependencies_are_the_edges_architecture_md_lists() {
    let root = root();
    let arch = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let allowed = allowed(&arch);
    assert!(allowed.len() >= 10, "read only {} edges", allowed.len());
    let mut actual = BTreeSet::new();
    for m in manifests(&root) {
        let (name, deps) = edges_of(&std::fs::read_to_string(&m).unwrap());
        assert!(
            name.starts_with("chartroom-"),
            "{}: no package name",
            m.display()
        );
        for d in deps {
            actual.insert((name.clone(), d));
        }
    }
    let unlisted: Vec<String> = actual
        .difference(&allowed)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    let missing: Vec<String> = allowed
        .difference(&actual)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "dependencies ARCHITECTURE.md does not allow (add the edge there only if the layout really changes):\n{}",
        unlisted.join("\n")
    );
    assert!(
        missing.is_empty(),
        "edges ARCHITECTURE.md lists that no manifest has (keep the drawing true):\n{}",
        missing.join("\n")
    );
}

#[test]
fn areas_never_depend_on_each_other_or_on_the_api() {
    let root = root();
    let arch = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    // The shared crates every area may use; anything else under crates/
    // that is not the API, the CLI or a tool crate is an area.
    let shared = [
        "chartroom-types",
        "chartroom-store",
        "chartroom-core",
        "chartroom-codes",
        "chartroom-pdf",
        "chartroom-keys",
        "chartroom-chart",
    ];
    let composers = [
        "chartroom-api",
        "chartroom-cli",
        "chartroom-desktop",
        "chartroom-e2e",
    ];
    for (from, to) in allowed(&arch) {
        if composers.contains(&from.as_str()) {
            continue;
        }
        assert!(
            shared.contains(&to.as_str()),
            "{from} -> {to}: an area may depend only on the shared crates and the chart"
        );
        assert_ne!(to, "chartroom-api", "{from} depends on the API crate");
    }
}
