//! The crate's one error type. The embedded assets are checked by the tests,
//! so these errors mean a damaged or hand-edited asset, never bad user input:
//! a search never fails, it returns fewer hits, and a safety check on a drug
//! the data does not know returns no findings.

use thiserror::Error;

/// Why a code set or a clinical reference asset could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodesError {
    /// The ICD-10-CM asset does not start with its `# ` provenance line.
    #[error("code set asset has no header line")]
    MissingHeader,
    /// An ICD-10-CM data line is not `code<TAB>billable<TAB>description`.
    #[error("code set asset line {line}: {reason}")]
    MalformedLine { line: usize, reason: &'static str },
    /// A line of a clinical reference table (`assets/clinical/*.tsv`) is
    /// damaged: wrong number of columns, a bad number, a duplicate code.
    #[error("{asset} line {line}: {reason}")]
    BadRow {
        asset: &'static str,
        line: usize,
        reason: String,
    },
    /// A clinical reference asset is damaged as a whole: not valid JSON, no
    /// header row, or an entry naming a drug, class or source the file does
    /// not define.
    #[error("{asset}: {reason}")]
    BadAsset { asset: &'static str, reason: String },
}
