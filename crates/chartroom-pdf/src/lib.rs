//! PDF documents Chartroom prints, drawn with printpdf and an embedded font.
//!
//! Two one-page documents so far (the printed prescription and the audit
//! seal) and the layer for every multi-page one:
//!
//! - [`FlowDoc`] / [`render_flow`]: blocks (headings, paragraphs, fields,
//!   tables) poured onto letter or A4 pages with a letterhead, a footer on
//!   every page (patient, page N of M, printed by and when), headings kept
//!   with what follows, table headers repeated, no blank pages.
//!
//! - [`PrescriptionDoc`] (with [`PracticeHeader`], [`Prescriber`] and
//!   [`PatientBlock`]): everything printed on it, as already-formatted text.
//! - [`prescription()`]: checks the fields and renders a one-page US letter
//!   PDF, or says which field is missing or invalid.
//! - [`AuditSealDoc`] / [`audit_seal()`]: the audit log's newest record and
//!   hash on a page kept away from the computer (an anchor for `verify`).
//! - [`ClaimFormDoc`] / [`claim_form()`]: a paper claim (CMS-1500 02/12)
//!   as Courier text on the form's 10 × 6 per inch grid, for the red form
//!   (data only, with the practice's offsets) or plain paper (the form
//!   drawn as vectors).
//! - [`PdfError`]: the one error type; its messages never carry patient data.
//!
//! Text is set in DejaVu Sans (embedded, subset to the characters used), so
//! names outside Latin-1 ("Nguyễn Thị Ánh", "Łukasz Żółć") print and can be
//! extracted from the file. The crate does no I/O: it returns bytes.
//!
//! Internally, `layout` holds a `PageWriter` (a cursor that moves down the
//! page, styled text, wrapped paragraphs, rules) meant to be reused by later
//! documents; `fonts` owns the embedded faces, `wrap` the word wrapping and
//! `words` the numbers written in words.

#![forbid(unsafe_code)]

mod audit_seal;
mod claim_form;
mod error;
mod flow;
mod fonts;
mod layout;
mod picture;
mod prescription;
pub mod raster;
mod words;
mod wrap;

pub use audit_seal::{audit_seal, AuditSealDoc};
pub use claim_form::{
    claim_form, ClaimFormDoc, ClaimPaper, GridText, COLUMNS as CLAIM_COLUMNS, GRID_LEFT_PT,
    GRID_TOP_PT, MAX_OFFSET_PT,
};
pub use error::PdfError;
pub use flow::{
    render as render_flow, window_envelope, Block, CellAlign, Column, FlowDoc, Footer, Paper,
    RemittanceStub, TrendPlot, STUB_HEIGHT,
};

/// The first character of `text` the embedded font cannot print (it would
/// be an empty box), after the clean-up every drawn text gets; `None` when
/// all of it prints. For checking what a user typed before it is printed.
pub fn unprintable(text: &str) -> Option<char> {
    let fonts = fonts::Fonts::load().ok()?;
    layout::clean(text)
        .chars()
        .find(|c| !c.is_whitespace() && !fonts.has_glyph(fonts::Face::Regular, *c))
}

/// Checks that `bytes` are a PNG or JPEG image Chartroom can print (a
/// logo, a scanned page); returns its size in pixels.
pub fn check_image(bytes: &[u8]) -> Result<(usize, usize), PdfError> {
    let raw = layout::decode_image(bytes)?;
    Ok((raw.width, raw.height))
}
pub use prescription::{prescription, PatientBlock, PracticeHeader, Prescriber, PrescriptionDoc};
