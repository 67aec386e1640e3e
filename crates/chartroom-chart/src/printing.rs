//! Publishing a printed PDF: every document the practice prints (a
//! prescription, an audit seal, and the records-out documents to come)
//! reaches the export folder the same way.
//!
//! Invariant: a PDF under its final name always has its record (the
//! disclosure and audit record the caller writes) committed. The bytes are
//! written and synced under a hidden temporary name, the record committed,
//! and only then the file renamed; on any error the temporary file is
//! removed and no record stays. A new file each time: an earlier print is
//! never overwritten.

use std::io::Write;
use std::path::Path;

use chartroom_store::{create_private_file, StoreError, Tx};
use chrono::{DateTime, Utc};

use crate::protocol::PrintedFile;
use chartroom_core::{Ctx, Error, Result};

fn io_err(path: &Path, source: std::io::Error) -> Error {
    Error::Store(StoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = create_private_file(path)?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    f.sync_all().map_err(|e| io_err(path, e))?;
    Ok(())
}

/// Writes `pdf` to `dir` as `{stem}.pdf` (or `{stem}-2.pdf`... if taken),
/// committing `record` (given the file's name) before the file gets it.
pub fn publish(
    ctx: &mut Ctx<'_>,
    dir: &Path,
    stem: &str,
    pdf: &[u8],
    record: impl FnOnce(&Tx<'_>, DateTime<Utc>, &str) -> Result<()>,
) -> Result<PrintedFile> {
    std::fs::create_dir_all(dir).map_err(|err| io_err(dir, err))?;
    let mut n = 1;
    let path = loop {
        let name = if n == 1 {
            format!("{stem}.pdf")
        } else {
            format!("{stem}-{n}.pdf")
        };
        let candidate = dir.join(name);
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = dir.join(format!(".{file_name}.partial"));
    let published = (|| -> Result<()> {
        write_new(&partial, pdf)?;
        ctx.write(|tx, now| record(tx, now, &file_name))?;
        std::fs::rename(&partial, &path).map_err(|e| io_err(&path, e))
    })();
    if let Err(e) = published {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(PrintedFile {
        path: path.display().to_string(),
        file_name,
        bytes: pdf.len() as u64,
    })
}
