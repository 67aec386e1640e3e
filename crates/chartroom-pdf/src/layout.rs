//! Drawing documents: a [`PageWriter`] with a cursor that moves down the
//! page, text in a [`Style`] (face, size, grey), wrapped paragraphs and ruled
//! lines. Documents (prescriptions today; statements and referral letters
//! later) describe *what* goes where; this module knows printpdf.
//!
//! Positions are millimetres from the page's top-left corner, the way one
//! measures a printed page; the flip to PDF's bottom-left origin happens only
//! in [`PageWriter::finish`]. Nothing is written to printpdf until then, so
//! the fonts can be cut down to the characters the document actually uses.
//!
//! Everything drawn is checked against the margins: text that would run past
//! the right margin or below the bottom margin makes `finish` fail with
//! [`PdfError::PageOverflow`] instead of printing a clipped document. Use
//! [`PageWriter::paragraph`] for anything typed by a person, so long values
//! wrap rather than overflow.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, TextItem,
};
use unicode_normalization::UnicodeNormalization;

use crate::fonts::{Face, Fonts};
use crate::picture::Picture;
use crate::wrap::wrap;
use crate::PdfError;

/// Millimetres per typographic point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

/// Line spacing as a multiple of the font size.
const LEADING: f32 = 1.25;

/// Slack for floating-point rounding in the margin checks, in mm.
const EPSILON: f32 = 0.01;

/// A page size in millimetres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PageSize {
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// US letter, 8.5 × 11 inches.
pub(crate) const US_LETTER: PageSize = PageSize {
    width: 215.9,
    height: 279.4,
};

/// A4, 210 × 297 mm.
pub(crate) const A4: PageSize = PageSize {
    width: 210.0,
    height: 297.0,
};

/// What the document information says (title, author, creation date).
/// Keep patient data out of it: viewers show it in lists of files.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Info {
    pub(crate) title: String,
    pub(crate) author: String,
    /// Seconds since 1970 (UTC); 0 leaves printpdf's default.
    pub(crate) created_unix: i64,
}

/// How text is set: face, size in points, and grey (0 black … 1 white).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Style {
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) grey: f32,
}

impl Style {
    /// Regular black text of `size` points.
    pub(crate) const fn regular(size: f32) -> Self {
        Self {
            face: Face::Regular,
            size,
            grey: 0.0,
        }
    }

    /// Bold black text of `size` points.
    pub(crate) const fn bold(size: f32) -> Self {
        Self {
            face: Face::Bold,
            size,
            grey: 0.0,
        }
    }

    /// The same style in a grey (0 black … 1 white), for labels and notes.
    pub(crate) const fn grey(self, grey: f32) -> Self {
        Self { grey, ..self }
    }
}

/// Where a line of text sits relative to the x it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    /// The text starts at x.
    Left,
    /// The text is centred on x.
    Center,
    /// The text ends at x.
    Right,
}

/// One thing drawn on a page, in page millimetres from the top-left.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Text {
        style: Style,
        x: f32,
        baseline: f32,
        text: String,
    },
    /// Fixed-pitch text in the PDF's built-in Courier (every character
    /// 0.6 em wide, so it sits on a 10-per-inch grid at 12 pt); printable
    /// ASCII only, checked when drawn.
    Mono {
        size: f32,
        x: f32,
        baseline: f32,
        text: String,
    },
    Stroke {
        points: Vec<(f32, f32)>,
        closed: bool,
        thickness_pt: f32,
        grey: f32,
    },
    Fill {
        points: Vec<(f32, f32)>,
        grey: f32,
    },
    /// Image `index` of [`PageWriter::images`] in the box from (x, top),
    /// w × h mm.
    Image {
        index: usize,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
    },
}

/// Lays out a document top to bottom; see the module docs.
pub(crate) struct PageWriter {
    fonts: Fonts,
    page: PageSize,
    margin: f32,
    y: f32,
    pages: Vec<Vec<Item>>,
    /// The page drawn on (the last, unless [`Self::select_page`] chose).
    current: usize,
    /// Height kept free above the bottom margin (for a footer drawn later).
    reserve: f32,
    /// The images drawn by [`Item::Image`], ready for the PDF.
    images: Vec<Picture>,
    overflow: bool,
    /// The first character [`Self::mono`] could not draw.
    bad_char: Option<u32>,
}

impl PageWriter {
    /// A writer for pages of `page` size with `margin` mm on every side,
    /// its cursor at the top margin of the first page.
    pub(crate) fn new(page: PageSize, margin: f32) -> Result<Self, PdfError> {
        Ok(Self {
            fonts: Fonts::load()?,
            page,
            margin,
            y: margin,
            pages: vec![Vec::new()],
            current: 0,
            reserve: 0.0,
            images: Vec::new(),
            overflow: false,
            bad_char: None,
        })
    }

    /// Keeps `mm` free above the bottom margin on every page: [`Self::bottom`]
    /// moves up by that much, for a footer drawn after the flow (set it back
    /// to 0 to draw the footer there).
    pub(crate) fn reserve_bottom(&mut self, mm: f32) {
        self.reserve = mm;
    }

    /// The number of pages so far.
    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Whether nothing has been drawn on the current page.
    pub(crate) fn page_is_empty(&self) -> bool {
        self.pages.get(self.current).is_none_or(|p| p.is_empty())
    }

    /// Draws on page `i` (0-based) from now on, e.g. its footer once the
    /// page count is known. The cursor does not move.
    pub(crate) fn select_page(&mut self, i: usize) {
        self.current = i.min(self.pages.len().saturating_sub(1));
    }

    /// Removes empty pages at the end (a page break with nothing after it),
    /// keeping at least one page.
    pub(crate) fn drop_trailing_empty_pages(&mut self) {
        while self.pages.len() > 1 && self.pages.last().is_some_and(Vec::is_empty) {
            self.pages.pop();
        }
        self.current = self.current.min(self.pages.len() - 1);
    }

    /// The page's height in mm.
    pub(crate) fn page_height(&self) -> f32 {
        self.page.height
    }

    /// The margin on every side, in mm.
    pub(crate) fn margin(&self) -> f32 {
        self.margin
    }

    /// The left margin's x.
    pub(crate) fn left(&self) -> f32 {
        self.margin
    }

    /// The right margin's x.
    pub(crate) fn right(&self) -> f32 {
        self.page.width - self.margin
    }

    /// The width between the margins.
    pub(crate) fn content_width(&self) -> f32 {
        self.right() - self.left()
    }

    /// The bottom margin's y: the lowest a baseline may sit.
    pub(crate) fn bottom(&self) -> f32 {
        self.page.height - self.margin - self.reserve
    }

    /// The cursor: the top of the next line, in mm from the page top.
    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    /// Moves the cursor to `y` (e.g. back up, to fill a second column).
    pub(crate) fn set_y(&mut self, y: f32) {
        self.y = y;
    }

    /// Moves the cursor down by `mm`.
    pub(crate) fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// The distance from one line's top to the next's in `style`, in mm.
    pub(crate) fn line_height(&self, style: Style) -> f32 {
        style.size * LEADING * MM_PER_PT
    }

    /// The distance from a line's top to its baseline in `style`, in mm.
    pub(crate) fn ascent(&self, style: Style) -> f32 {
        self.fonts.ascent_em(style.face) * style.size * MM_PER_PT
    }

    /// The printed width of `text` in `style`, in mm.
    pub(crate) fn measure(&self, style: Style, text: &str) -> f32 {
        self.fonts.width_em(style.face, &clean(text)) * style.size * MM_PER_PT
    }

    /// The baseline a line of `style` starting at the cursor sits on.
    pub(crate) fn baseline(&self, style: Style) -> f32 {
        self.y + self.ascent(style)
    }

    /// Draws one line of text at the cursor, anchored at `x` as `align`
    /// says, without moving the cursor. For short fixed text; use
    /// [`Self::paragraph`] for anything that may be long.
    pub(crate) fn text(&mut self, style: Style, x: f32, align: Align, text: &str) {
        let baseline = self.baseline(style);
        self.text_on(baseline, style, x, align, text);
    }

    /// Like [`Self::text`], but on a given baseline (to set a label beside
    /// a value of another size, or two styles on one line). Returns the
    /// x where the text ends.
    pub(crate) fn text_on(
        &mut self,
        baseline: f32,
        style: Style,
        x: f32,
        align: Align,
        text: &str,
    ) -> f32 {
        let text = clean(text);
        let width = self.fonts.width_em(style.face, &text) * style.size * MM_PER_PT;
        let start = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        if start < self.left() - EPSILON
            || start + width > self.right() + EPSILON
            || baseline > self.bottom() + EPSILON
        {
            self.overflow = true;
        }
        if !text.trim().is_empty() {
            self.current_page().push(Item::Text {
                style,
                x: start,
                baseline,
                text,
            });
        }
        start + width
    }

    /// Wraps `text` to `width` mm and draws it line by line from the cursor,
    /// each line aligned within the column `x..x + width`; the cursor ends
    /// below the last line. Returns the number of lines (0 for blank text,
    /// which draws nothing and does not move the cursor).
    pub(crate) fn paragraph(
        &mut self,
        style: Style,
        x: f32,
        width: f32,
        align: Align,
        text: &str,
    ) -> usize {
        let text = clean(text);
        let fonts = &self.fonts;
        let lines = wrap(&text, width, |s| {
            fonts.width_em(style.face, s) * style.size * MM_PER_PT
        });
        let anchor = match align {
            Align::Left => x,
            Align::Center => x + width / 2.0,
            Align::Right => x + width,
        };
        for line in &lines {
            self.text(style, anchor, align, line);
            self.y += self.line_height(style);
        }
        lines.len()
    }

    /// Draws `text` in Courier at `size` points from `x` on `baseline`
    /// (page mm), for forms filled on a character grid. Only printable
    /// ASCII is drawn; anything else is [`PdfError::UnsupportedCharacter`].
    /// Checked against the margins like everything drawn.
    pub(crate) fn mono(&mut self, size: f32, x: f32, baseline: f32, text: &str) {
        if let Some(c) = text.chars().find(|c| !(' '..='~').contains(c)) {
            self.bad_char.get_or_insert(u32::from(c));
            return;
        }
        let width = text.chars().count() as f32 * 0.6 * size * MM_PER_PT;
        if x < self.left() - EPSILON
            || x + width > self.right() + EPSILON
            || baseline > self.page.height - self.margin + EPSILON
        {
            self.overflow = true;
        }
        self.current_page().push(Item::Mono {
            size,
            x,
            baseline,
            text: text.to_owned(),
        });
    }

    /// A horizontal line from `x1` to `x2` at the cursor, `thickness_pt`
    /// points thick, in `grey`. The cursor does not move.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, thickness_pt: f32, grey: f32) {
        let y = self.y;
        self.stroke(vec![(x1, y), (x2, y)], false, thickness_pt, grey);
    }

    /// The outline of the rectangle from (`x1`, `y1`) to (`x2`, `y2`).
    pub(crate) fn frame(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), thickness_pt: f32) {
        self.stroke(
            vec![(x1, y1), (x2, y1), (x2, y2), (x1, y2)],
            true,
            thickness_pt,
            0.0,
        );
    }

    /// A polyline through `points` (page mm), `thickness_pt` thick, in
    /// `grey`; checked against the margins like everything drawn.
    pub(crate) fn polyline(&mut self, points: Vec<(f32, f32)>, thickness_pt: f32, grey: f32) {
        self.stroke(points, false, thickness_pt, grey);
    }

    /// Decodes a PNG or JPEG and draws it as large as fits the box from
    /// (`x`, `top`), `w` × `h` mm, centred, its proportions kept. Fails with
    /// [`PdfError::InvalidField`] for bytes that are not an image.
    pub(crate) fn image(
        &mut self,
        bytes: &[u8],
        (x, top): (f32, f32),
        (w, h): (f32, f32),
    ) -> Result<(), PdfError> {
        self.place_image(bytes, (x, top), (w, h), true).map(|_| ())
    }

    /// Like [`PageWriter::image`], but set in the box's top left corner;
    /// returns the width and height drawn, mm.
    pub(crate) fn image_top_left(
        &mut self,
        bytes: &[u8],
        (x, top): (f32, f32),
        (w, h): (f32, f32),
    ) -> Result<(f32, f32), PdfError> {
        self.place_image(bytes, (x, top), (w, h), false)
    }

    fn place_image(
        &mut self,
        bytes: &[u8],
        (x, top): (f32, f32),
        (w, h): (f32, f32),
        centred: bool,
    ) -> Result<(f32, f32), PdfError> {
        let picture = Picture::from_raw(&decode_image(bytes)?)?;
        Ok(self.place_picture(picture, (x, top), (w, h), centred))
    }

    /// Draws a prepared picture as large as fits the box from (`x`,
    /// `top`), `w` × `h` mm, centred, its proportions kept.
    pub(crate) fn picture(&mut self, picture: Picture, (x, top): (f32, f32), (w, h): (f32, f32)) {
        self.place_picture(picture, (x, top), (w, h), true);
    }

    fn place_picture(
        &mut self,
        picture: Picture,
        (x, top): (f32, f32),
        (w, h): (f32, f32),
        centred: bool,
    ) -> (f32, f32) {
        let scale = (w / picture.width as f32).min(h / picture.height as f32);
        let (iw, ih) = (picture.width as f32 * scale, picture.height as f32 * scale);
        let (ix, itop) = if centred {
            (x + (w - iw) / 2.0, top + (h - ih) / 2.0)
        } else {
            (x, top)
        };
        self.check_inside(&[(ix, itop), (ix + iw, itop + ih)]);
        self.images.push(picture);
        let index = self.images.len() - 1;
        self.current_page().push(Item::Image {
            index,
            x: ix,
            top: itop,
            w: iw,
            h: ih,
        });
        (iw, ih)
    }

    /// Notes an overflow if any of `points` lies outside the margins.
    fn check_inside(&mut self, points: &[(f32, f32)]) {
        let inside = |&(x, y): &(f32, f32)| {
            x >= self.left() - EPSILON
                && x <= self.right() + EPSILON
                && y >= self.margin - EPSILON
                && y <= self.bottom() + EPSILON
        };
        if !points.iter().all(inside) {
            self.overflow = true;
        }
    }

    /// A filled polygon (a band, a marker) in `grey`.
    pub(crate) fn fill(&mut self, points: Vec<(f32, f32)>, grey: f32) {
        self.check_inside(&points);
        self.current_page().push(Item::Fill { points, grey });
    }

    fn stroke(&mut self, points: Vec<(f32, f32)>, closed: bool, thickness_pt: f32, grey: f32) {
        self.check_inside(&points);
        self.current_page().push(Item::Stroke {
            points,
            closed,
            thickness_pt,
            grey,
        });
    }

    fn current_page(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let i = self.current.min(self.pages.len() - 1);
        &mut self.pages[i]
    }

    /// Starts a new page, the cursor at its top margin.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.current = self.pages.len() - 1;
        self.y = self.margin;
    }

    /// Embeds the fonts (subset to the characters used) and writes the PDF.
    ///
    /// `title` goes into the document information; keep patient data out of
    /// it. Fails with [`PdfError::PageOverflow`] if anything was drawn
    /// outside the margins and [`PdfError::UnsupportedCharacter`] if a
    /// character has no glyph.
    pub(crate) fn finish(self, title: &str) -> Result<Vec<u8>, PdfError> {
        self.finish_with(&Info {
            title: title.to_string(),
            ..Info::default()
        })
    }

    /// [`Self::finish`] with the document information in full.
    pub(crate) fn finish_with(self, info: &Info) -> Result<Vec<u8>, PdfError> {
        if self.overflow {
            return Err(PdfError::PageOverflow);
        }
        if let Some(codepoint) = self.bad_char {
            return Err(PdfError::UnsupportedCharacter { codepoint });
        }
        let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
        for item in self.pages.iter().flatten() {
            if let Item::Text { style, text, .. } = item {
                used.entry(style.face).or_default().extend(text.chars());
            }
        }

        let mut doc = PdfDocument::new(&info.title);
        doc.metadata.info.author = info.author.clone();
        doc.metadata.info.creator = "Chartroom".into();
        if info.created_unix > 0 {
            if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(info.created_unix) {
                doc.metadata.info.creation_date = t;
                doc.metadata.info.modification_date = t;
                doc.metadata.info.metadata_date = t;
            }
        }
        let mut font_ids: BTreeMap<Face, FontId> = BTreeMap::new();
        for (face, chars) in &used {
            let font = self.fonts.subset(*face, chars)?;
            font_ids.insert(*face, doc.add_font(&font));
        }

        let image_ids: Vec<printpdf::XObjectId> = self
            .images
            .iter()
            .map(|p| doc.add_xobject(&p.xobject))
            .collect();
        let height = self.page.height;
        let point = |x: f32, y: f32| Point::new(Mm(x), Mm(height - y));
        let mut pages = Vec::with_capacity(self.pages.len());
        for items in &self.pages {
            let mut ops = Vec::new();
            for item in items {
                match item {
                    Item::Text {
                        style,
                        x,
                        baseline,
                        text,
                    } => {
                        let font = font_ids.get(&style.face).ok_or_else(|| {
                            PdfError::Font("a face was used but not embedded".into())
                        })?;
                        ops.extend([
                            Op::StartTextSection,
                            Op::SetFillColor {
                                col: grey(style.grey),
                            },
                            Op::SetFont {
                                font: PdfFontHandle::External(font.clone()),
                                size: Pt(style.size),
                            },
                            Op::SetTextCursor {
                                pos: point(*x, *baseline),
                            },
                            Op::ShowText {
                                items: vec![TextItem::Text(text.clone())],
                            },
                            Op::EndTextSection,
                        ]);
                    }
                    Item::Mono {
                        size,
                        x,
                        baseline,
                        text,
                    } => {
                        ops.extend([
                            Op::StartTextSection,
                            Op::SetFillColor { col: grey(0.0) },
                            Op::SetFont {
                                font: PdfFontHandle::Builtin(printpdf::BuiltinFont::Courier),
                                size: Pt(*size),
                            },
                            Op::SetTextCursor {
                                pos: point(*x, *baseline),
                            },
                            Op::ShowText {
                                items: vec![TextItem::Text(text.clone())],
                            },
                            Op::EndTextSection,
                        ]);
                    }
                    Item::Image {
                        index,
                        x,
                        top,
                        w,
                        h,
                    } => {
                        let picture = &self.images[*index];
                        // At 72 dpi a pixel is a point; scale from there.
                        let w_pt = Pt::from(Mm(*w)).0;
                        let h_pt = Pt::from(Mm(*h)).0;
                        ops.push(Op::UseXobject {
                            id: image_ids[*index].clone(),
                            transform: printpdf::XObjectTransform {
                                translate_x: Some(Pt::from(Mm(*x))),
                                translate_y: Some(Pt::from(Mm(height - top - h))),
                                scale_x: Some(w_pt / picture.width as f32),
                                scale_y: Some(h_pt / picture.height as f32),
                                dpi: Some(72.0),
                                ..Default::default()
                            },
                        });
                    }
                    Item::Fill {
                        points,
                        grey: level,
                    } => {
                        ops.extend([
                            Op::SetFillColor { col: grey(*level) },
                            Op::DrawPolygon {
                                polygon: printpdf::Polygon {
                                    rings: vec![printpdf::PolygonRing {
                                        points: points
                                            .iter()
                                            .map(|&(x, y)| LinePoint {
                                                p: point(x, y),
                                                bezier: false,
                                            })
                                            .collect(),
                                    }],
                                    mode: printpdf::PaintMode::Fill,
                                    winding_order: printpdf::WindingOrder::NonZero,
                                },
                            },
                        ]);
                    }
                    Item::Stroke {
                        points,
                        closed,
                        thickness_pt,
                        grey: level,
                    } => {
                        ops.extend([
                            Op::SetOutlineColor { col: grey(*level) },
                            Op::SetOutlineThickness {
                                pt: Pt(*thickness_pt),
                            },
                            Op::DrawLine {
                                line: Line {
                                    points: points
                                        .iter()
                                        .map(|&(x, y)| LinePoint {
                                            p: point(x, y),
                                            bezier: false,
                                        })
                                        .collect(),
                                    is_closed: *closed,
                                },
                            },
                        ]);
                    }
                }
            }
            pages.push(PdfPage::new(Mm(self.page.width), Mm(height), ops));
        }

        let options = PdfSaveOptions {
            // Already subset above; printpdf cannot without `text_layout`.
            subset_fonts: false,
            ..PdfSaveOptions::default()
        };
        let mut warnings = Vec::new();
        let bytes = doc.with_pages(pages).save(&options, &mut warnings);
        if let Some(error) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            return Err(PdfError::Write(error.msg.clone()));
        }
        Ok(bytes)
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

/// Decodes a PNG or JPEG, or says it is not one; the one check of image
/// bytes (a logo when it is saved, a scanned page when it is drawn).
pub(crate) fn decode_image(bytes: &[u8]) -> Result<printpdf::RawImage, PdfError> {
    let mut warnings = Vec::new();
    let raw = printpdf::RawImage::decode_from_bytes(bytes, &mut warnings).map_err(|_| {
        PdfError::InvalidField {
            field: "image",
            reason: "is not a PNG or JPEG image that can be read",
        }
    })?;
    if raw.width == 0 || raw.height == 0 {
        return Err(PdfError::InvalidField {
            field: "image",
            reason: "has no pixels",
        });
    }
    Ok(raw)
}

/// Text as it will be drawn: composed (NFC, so "e" + combining marks becomes
/// one glyph), any whitespace as a plain space, invisible formatting
/// characters (soft hyphen, zero-width space/joiners, BOM) and other
/// control characters dropped.
pub(crate) fn clean(text: &str) -> String {
    text.nfc()
        .filter_map(|c| match c {
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> PageWriter {
        PageWriter::new(US_LETTER, 20.0).unwrap()
    }

    #[test]
    fn clean_composes_and_strips_invisible_characters() {
        assert_eq!(clean("Nguye\u{0302}\u{0303}n"), "Nguyễn");
        assert_eq!(clean("a\tb\nc\u{200B}d\u{00AD}e\u{7}"), "a b cde");
    }

    #[test]
    fn paragraphs_wrap_inside_their_column_and_move_the_cursor() {
        let mut w = writer();
        let style = Style::regular(11.0);
        let top = w.y();
        let text = "Take one capsule by mouth three times a day with food until the whole course is finished";
        let lines = w.paragraph(style, w.left(), 60.0, Align::Left, text);
        assert!(lines >= 3, "{lines}");
        let expected = top + lines as f32 * w.line_height(style);
        assert!((w.y() - expected).abs() < 1e-3);
        for item in &w.pages[0] {
            if let Item::Text { x, text, .. } = item {
                assert!(*x >= w.left() && x + w.measure(style, text) <= w.left() + 60.0 + EPSILON);
            }
        }
        assert!(w.finish("test").is_ok());
    }

    #[test]
    fn blank_paragraphs_draw_nothing() {
        let mut w = writer();
        let top = w.y();
        assert_eq!(
            w.paragraph(Style::regular(10.0), w.left(), 50.0, Align::Left, "  "),
            0
        );
        assert_eq!(w.y(), top);
        assert!(w.pages[0].is_empty());
    }

    #[test]
    fn alignment_anchors_text() {
        let mut w = writer();
        let style = Style::bold(12.0);
        let right = w.right();
        w.text(style, right, Align::Right, "Date: 11/22/2026");
        let Some(Item::Text { x, .. }) = w.pages[0].first() else {
            panic!("no text drawn");
        };
        let width = w.measure(style, "Date: 11/22/2026");
        assert!((x + width - right).abs() < 1e-3);
    }

    #[test]
    fn text_past_the_right_margin_is_an_overflow() {
        let mut w = writer();
        let right = w.right();
        w.text(
            Style::regular(10.0),
            right - 5.0,
            Align::Left,
            "too long for the space",
        );
        assert_eq!(w.finish("test").unwrap_err(), PdfError::PageOverflow);
    }

    #[test]
    fn text_below_the_bottom_margin_is_an_overflow() {
        let mut w = writer();
        let bottom = w.bottom();
        w.set_y(bottom);
        let left = w.left();
        w.text(Style::regular(10.0), left, Align::Left, "below");
        assert_eq!(w.finish("test").unwrap_err(), PdfError::PageOverflow);
    }
}
