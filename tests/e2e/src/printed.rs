//! What the tests print and save, read back: the CUPS PDF queue that
//! `scripts/cups-pdf.sh` makes and the folder cups-pdf writes to, page
//! counts from `pdfinfo`, and the text from `pdftotext` (after
//! `qpdf --check`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The queue `scripts/cups-pdf.sh` makes.
pub const QUEUE: &str = "ChartroomPDF";

/// Runs `cmd` and returns its standard output; panics, with its output,
/// when it cannot run or fails.
pub fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` could not run ({e}); run scripts/setup-debian.sh"));
    assert!(
        out.status.success(),
        "`{cmd} {}` failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The page count `pdfinfo` reads, 0 while the file is not a whole PDF
/// (cups-pdf may still be writing it).
pub fn pages(path: &Path) -> usize {
    let out = match Command::new("pdfinfo").arg(path).output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => return 0,
    };
    out.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The text of a PDF (`pdftotext -layout`), once `qpdf --check` passes.
pub fn text(path: &Path) -> String {
    let p = path.to_str().expect("a UTF-8 path");
    run("qpdf", &["--check", p]);
    run("pdftotext", &["-layout", p, "-"])
}

/// Renders the first page of a PDF to `<screenshots>/<name>.png` (to look
/// at, as the screenshots are).
pub fn first_page_png(path: &str, name: &str) {
    let out = crate::screenshot_dir().join(name);
    let out = out.to_str().expect("a UTF-8 path");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path,
            out,
        ],
    );
}

/// The path a dialog's "saved to /path. Each patient ..." names.
pub fn saved_path(done: &str) -> Option<String> {
    Some(
        done.split("saved to ")
            .nth(1)?
            .split(". Each")
            .next()?
            .to_string(),
    )
}

/// Where cups-pdf writes a job printed by this user.
pub fn cups_pdf_dir() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join("PDF")
}

/// The PDFs in `dir`.
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default()
}

/// Checks that the print queue exists and returns the PDFs cups-pdf has
/// written so far (call before printing; then [`new_print`]).
pub fn before_printing() -> Vec<PathBuf> {
    let printers = run("lpstat", &["-e"]);
    assert!(
        printers.lines().any(|l| l.trim() == QUEUE),
        "the {QUEUE} queue is missing (scripts/cups-pdf.sh makes it): {printers}"
    );
    pdfs_in(&cups_pdf_dir())
}

/// The first whole PDF cups-pdf wrote that was not in `before`, within
/// `limit`; `None` when none came.
pub fn new_print(before: &[PathBuf], limit: Duration) -> Option<PathBuf> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(p) = pdfs_in(&cups_pdf_dir())
            .into_iter()
            .filter(|p| !before.contains(p))
            .find(|p| pages(p) > 0)
        {
            return Some(p);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
