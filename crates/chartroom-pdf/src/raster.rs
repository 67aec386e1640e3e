//! PDF pages as pixels, drawn by hayro (pure Rust): the preview of a
//! record is a page of the very PDF that will be printed, and a scanned
//! PDF from the chart is placed in a packet as images of its pages.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

use crate::PdfError;

/// The most pages of one attached PDF placed in a packet.
pub const MAX_ATTACHED_PAGES: usize = 100;

fn open(pdf: &[u8]) -> Result<Pdf, PdfError> {
    Pdf::new(pdf.to_vec()).map_err(|_| PdfError::InvalidField {
        field: "pdf",
        reason: "is not a PDF that can be read (damaged, or protected by a password)",
    })
}

/// How many pages a PDF has.
pub fn page_count(pdf: &[u8]) -> Result<usize, PdfError> {
    Ok(open(pdf)?.pages().len())
}

/// Page `index` (from 0) of `pdf` drawn at `dpi` on white, as a PNG, with
/// its size in pixels.
pub fn page_png(pdf: &[u8], index: usize, dpi: f32) -> Result<(Vec<u8>, u32, u32), PdfError> {
    let doc = open(pdf)?;
    let pages = doc.pages();
    let page = pages.get(index).ok_or(PdfError::InvalidField {
        field: "page",
        reason: "is past the last page",
    })?;
    let cache = RenderCache::new();
    png_of(page, &cache, dpi)
}

fn png_of<'a>(
    page: &'a hayro::hayro_syntax::page::Page<'a>,
    cache: &RenderCache<'a>,
    dpi: f32,
) -> Result<(Vec<u8>, u32, u32), PdfError> {
    let scale = dpi / 72.0;
    let pixmap = render(
        page,
        cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let png = pixmap
        .into_png()
        .map_err(|e| PdfError::Write(format!("a page could not be encoded: {e}")))?;
    Ok((png, w, h))
}

/// Every page of an attached PDF as a PNG at `dpi` (at most
/// [`MAX_ATTACHED_PAGES`]).
pub(crate) fn all_pages_png(pdf: &[u8], dpi: f32) -> Result<Vec<Vec<u8>>, PdfError> {
    let doc = open(pdf)?;
    let pages = doc.pages();
    if pages.len() > MAX_ATTACHED_PAGES {
        return Err(PdfError::InvalidField {
            field: "pdf",
            reason: "has more than 100 pages to include",
        });
    }
    let cache = RenderCache::new();
    pages
        .iter()
        .map(|p| png_of(p, &cache, dpi).map(|(png, _, _)| png))
        .collect()
}
