//! [`PdfError`]: the one error type of this crate.
//!
//! Messages name fields and reasons, never the values typed into them, so an
//! error can be logged or shown without carrying patient data.

/// Why a document could not be rendered.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// A field the document cannot be printed without is empty.
    #[error("{0} is required")]
    MissingField(&'static str),

    /// A field holds something the document cannot print, e.g. a quantity
    /// that is not a whole number between 1 and 9999.
    #[error("{field} is not valid: {reason}")]
    InvalidField {
        /// Which field, e.g. `"quantity"`.
        field: &'static str,
        /// What is wrong with it, in words.
        reason: &'static str,
    },

    /// The text holds a character the embedded font cannot draw (it would
    /// print as an empty box). Only the code point is reported.
    #[error("the embedded font has no glyph for character U+{codepoint:04X}")]
    UnsupportedCharacter {
        /// The Unicode scalar value that has no glyph.
        codepoint: u32,
    },

    /// Something would have been drawn outside the printable area
    /// (below the bottom margin or past the right margin).
    #[error("the content does not fit on the page")]
    PageOverflow,

    /// The embedded font could not be read or subset. This is a defect in
    /// the shipped asset or in the font libraries, not in the input.
    #[error("the embedded font could not be used: {0}")]
    Font(String),

    /// printpdf reported an error while writing the file.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
