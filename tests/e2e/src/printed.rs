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

/// The words on page `page` of a PDF with where `pdftotext -bbox` finds
/// them: (text, left edge, bottom of its box), in points from the page's
/// top-left corner.
pub fn words(path: &Path, page: u32) -> Vec<(String, f32, f32)> {
    let p = path.to_str().expect("a UTF-8 path");
    let n = page.to_string();
    let html = run("pdftotext", &["-bbox", "-f", &n, "-l", &n, p, "-"]);
    let attr = |w: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        w.find(&key)
            .and_then(|at| w[at + key.len()..].split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f32::NAN)
    };
    html.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("<word"))
        .filter_map(|w| {
            let text = w.split('>').nth(1)?.split('<').next()?;
            Some((text.to_string(), attr(w, "xMin"), attr(w, "yMax")))
        })
        .collect()
}

/// Whether `word` stands at `line` and `col` of the CMS-1500 grid as
/// Chartroom prints it with no offset: 12-point Courier, column C from
/// 24 + 7.2(C-1) points, line L's baseline 20 + 12L points down (a word's
/// box ends a little below its baseline).
pub fn on_claim_grid(words: &[(String, f32, f32)], word: &str, line: u8, col: u8) -> bool {
    let x = 24.0 + 7.2 * (f32::from(col) - 1.0);
    let baseline = 20.0 + 12.0 * f32::from(line);
    words.iter().any(|(w, wx, wy)| {
        w == word && (wx - x).abs() < 1.0 && *wy >= baseline - 0.5 && *wy <= baseline + 4.0
    })
}
