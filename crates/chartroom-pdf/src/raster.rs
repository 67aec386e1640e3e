//! PDF pages as pixels, drawn by hayro (pure Rust): the preview of a
//! record is a page of the very PDF that will be printed, and a scanned
//! PDF from the chart is placed in a packet as images of its pages
//! (drawn once per file and dpi, kept in memory).

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::picture::Picture;
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

/// `page` drawn at `dpi` on opaque white.
fn pixmap_of<'a>(
    page: &'a hayro::hayro_syntax::page::Page<'a>,
    cache: &RenderCache<'a>,
    dpi: f32,
) -> hayro::vello_cpu::Pixmap {
    let scale = dpi / 72.0;
    render(
        page,
        cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    )
}

fn png_of<'a>(
    page: &'a hayro::hayro_syntax::page::Page<'a>,
    cache: &RenderCache<'a>,
    dpi: f32,
) -> Result<(Vec<u8>, u32, u32), PdfError> {
    let pixmap = pixmap_of(page, cache, dpi);
    let (w, h) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let png = pixmap
        .into_png()
        .map_err(|e| PdfError::Write(format!("a page could not be encoded: {e}")))?;
    Ok((png, w, h))
}

/// The most bytes of prepared scanned pages kept in memory between
/// documents (compressed; a letter page at 150 dpi is about 0.1-0.4 MB).
const CACHE_BYTES: usize = 64 << 20;

/// Scanned PDFs already drawn, by the SHA-256 of their bytes and the dpi,
/// newest last: a record previewed page by page, then released, draws
/// each attachment once. Content-addressed, so never stale; in memory
/// only (nothing of a patient is written to disk for it).
type Drawn = Vec<([u8; 32], u32, Arc<Vec<Picture>>)>;
static DRAWN: Mutex<Drawn> = Mutex::new(Vec::new());

fn size_of(pictures: &[Picture]) -> usize {
    pictures
        .iter()
        .map(|p| p.xobject.stream.content.len())
        .sum()
}

/// Every page of an attached PDF drawn at `dpi`, ready to be placed (at
/// most [`MAX_ATTACHED_PAGES`]).
pub(crate) fn all_pages_pictures(pdf: &[u8], dpi: f32) -> Result<Arc<Vec<Picture>>, PdfError> {
    let key: [u8; 32] = Sha256::digest(pdf).into();
    let dpi_bits = dpi.to_bits();
    if let Ok(drawn) = DRAWN.lock() {
        if let Some((_, _, p)) = drawn.iter().find(|(k, d, _)| *k == key && *d == dpi_bits) {
            return Ok(Arc::clone(p));
        }
    }
    let doc = open(pdf)?;
    let pages = doc.pages();
    if pages.len() > MAX_ATTACHED_PAGES {
        return Err(PdfError::InvalidField {
            field: "pdf",
            reason: "has more than 100 pages to include",
        });
    }
    let cache = RenderCache::new();
    let pictures = pages
        .iter()
        .map(|page| {
            let pixmap = pixmap_of(page, &cache, dpi);
            // Drawn on opaque white: the premultiplied pixels are the colours.
            Picture::from_opaque_rgba(
                usize::from(pixmap.width()),
                usize::from(pixmap.height()),
                pixmap.data_as_u8_slice(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pictures = Arc::new(pictures);
    if let Ok(mut drawn) = DRAWN.lock() {
        drawn.push((key, dpi_bits, Arc::clone(&pictures)));
        while drawn.len() > 1
            && drawn.iter().map(|(_, _, p)| size_of(p)).sum::<usize>() > CACHE_BYTES
        {
            drawn.remove(0);
        }
    }
    Ok(pictures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Block, FlowDoc};

    fn one_page_pdf(text: &str) -> Vec<u8> {
        crate::render_flow(&FlowDoc {
            blocks: vec![Block::Paragraph(text.into())],
            ..FlowDoc::default()
        })
        .unwrap()
    }

    #[test]
    fn a_pdf_drawn_twice_is_drawn_once_and_a_different_one_is_not_mixed_up() {
        let one = one_page_pdf("first");
        let two = one_page_pdf("second");
        let a = all_pages_pictures(&one, 50.0).unwrap();
        let b = all_pages_pictures(&one, 50.0).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the second drawing came from memory");
        let c = all_pages_pictures(&two, 50.0).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert_ne!(a[0].xobject.stream.content, c[0].xobject.stream.content);
        let d = all_pages_pictures(&one, 72.0).unwrap();
        assert_ne!(a[0].width, d[0].width, "another dpi is drawn again");
    }
}
