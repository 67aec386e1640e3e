//! The computer's print service, for every printout (records out, day
//! sheets, reminder letters). On Linux and macOS that is CUPS: the
//! queues come from `lpstat`, and a job is handed to `lp` on its standard
//! input, so Chartroom writes no copy of the document anywhere (CUPS keeps
//! its own spool, as for every program that prints). Windows has no `lp`;
//! there a record is saved as a PDF and printed from the viewer.
//!
//! No network: `lp` and `lpstat` talk to the local print service only
//! (a CUPS queue that forwards to a network printer is the computer's own
//! configuration, as for any document printed on it).

use std::io::Write;
use std::process::{Command, Stdio};

use chartroom_core::{Error, Result};

use crate::protocol::Printer;

fn unavailable(detail: &str) -> Error {
    Error::field(
        "printer",
        format!(
            "This computer's print service (CUPS) could not be used: {detail}. Save the PDF \
             instead and print it from there."
        ),
    )
}

/// The print queues, and which is the default.
pub fn printers() -> Result<Vec<Printer>> {
    let out = Command::new("lpstat")
        .arg("-e")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| unavailable(&format!("lpstat did not run ({e})")))?;
    let default = Command::new("lpstat")
        .arg("-d")
        .stdin(Stdio::null())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .and_then(|s| s.split(':').nth(1).map(|d| d.trim().to_string()))
        .unwrap_or_default();
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|name| Printer {
            is_default: name == default,
            name: name.to_string(),
        })
        .collect())
}

/// Whether `name` may be handed to `lp` as a queue name: CUPS names are
/// printable characters without spaces, slashes or `#`.
fn queue_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '/' | '#' | '\\'))
}

/// Sends `pdf` to queue `printer` (blank: the default) as job `title` on
/// paper `media` (`Letter`, `A4`); returns the job id (`PDF-12`).
pub fn submit(printer: &str, title: &str, media: &str, pdf: &[u8]) -> Result<String> {
    let mut cmd = Command::new("lp");
    if !printer.is_empty() {
        if !queue_name_ok(printer) {
            return Err(Error::field(
                "printer",
                "That is not the name of a print queue",
            ));
        }
        cmd.arg("-d").arg(printer);
    }
    // The title shows in print queues: no patient data in it.
    cmd.arg("-t")
        .arg(title)
        .arg("-o")
        .arg(format!("media={media}"));
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| unavailable(&format!("lp did not run ({e})")))?;
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(pdf))
        .unwrap_or(Ok(()));
    let out = child
        .wait_with_output()
        .map_err(|e| unavailable(&format!("lp did not finish ({e})")))?;
    if let Err(e) = written {
        return Err(unavailable(&format!(
            "the document could not be handed over ({e})"
        )));
    }
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(Error::field(
            "printer",
            format!("The print service refused the job: {}", msg.trim()),
        ));
    }
    // "request id is PDF-3 (1 file(s))"
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(stdout
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or("")
        .to_string())
}

/// Withdraws a job (after it was queued but could not be recorded).
pub fn cancel(job: &str) {
    if queue_name_ok(job) {
        let _ = Command::new("cancel")
            .arg(job)
            .stdin(Stdio::null())
            .status();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_queue_names_reach_lp() {
        for ok in ["PDF", "Front_Desk-HP", "cups-pdf"] {
            assert!(queue_name_ok(ok), "{ok}");
        }
        for bad in ["", "-o evil", "a b", "x/y", "q#1", "é"] {
            assert!(!queue_name_ok(bad), "{bad}");
        }
    }
}
