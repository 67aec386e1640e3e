//! The crate's one error type. The embedded asset is checked by the tests, so
//! these errors mean a damaged or hand-edited asset, never bad user input:
//! a search never fails, it returns fewer hits.

use thiserror::Error;

/// Why the code set could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodesError {
    /// The asset does not start with its `# ` provenance line.
    #[error("code set asset has no header line")]
    MissingHeader,
    /// A data line is not `code<TAB>billable<TAB>description`.
    #[error("code set asset line {line}: {reason}")]
    MalformedLine { line: usize, reason: &'static str },
}
