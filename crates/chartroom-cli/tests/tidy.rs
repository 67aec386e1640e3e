//! House rules checked over the whole workspace: every Rust module opens
//! with a `//!` doc saying what it owns, and no core crate depends on Tauri.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
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
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
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
    for krate in [
        "chartroom-keys",
        "chartroom-store",
        "chartroom-api",
        "chartroom-cli",
        "chartroom-codes",
    ] {
        let manifest =
            std::fs::read_to_string(root.join("crates").join(krate).join("Cargo.toml")).unwrap();
        assert!(!manifest.contains("tauri"), "{krate} depends on tauri");
    }
}

#[test]
fn no_sql_outside_the_store() {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "crates/chartroom-api/src",
        "crates/chartroom-cli/src",
        "src-tauri/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in [
            "rusqlite",
            "SELECT ",
            "INSERT INTO",
            "UPDATE patient",
            "DELETE FROM",
        ] {
            assert!(
                !text.contains(needle),
                "{} contains {needle:?}",
                f.display()
            );
        }
    }
}
