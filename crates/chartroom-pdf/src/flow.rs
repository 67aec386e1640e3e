//! The document layer every multi-page PDF uses: a [`FlowDoc`] of
//! [`Block`]s poured onto pages with the practice's letterhead on the
//! first, a footer on every page (the patient, "Page N of M", who printed
//! it and when) and the rules a mailed record needs:
//!
//! - text wraps and breaks across pages line by line;
//! - a heading is kept with the first line of what follows it (never alone
//!   at the foot of a page);
//! - a table repeats its header row at the top of each new page, and a row
//!   is never split;
//! - no blank page: a page break is only taken on a page that has
//!   something on it, and a document with no blocks is refused;
//! - scanned pages (PNG, JPEG) on pages of their own, scaled to fit;
//! - US letter or A4; the document information carries a title, the author
//!   and the creation date; every font is embedded (subset).
//!
//! Page numbers are known only once everything is laid out, so footers are
//! drawn last, into a band [`PageWriter::reserve_bottom`] kept free.

use crate::layout::{Align, Info, PageSize, PageWriter, Style, A4, US_LETTER};
use crate::{PdfError, PracticeHeader};

/// The paper a document is laid out for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paper {
    /// US letter, 8.5 × 11 in.
    #[default]
    Letter,
    /// A4, 210 × 297 mm.
    A4,
}

impl Paper {
    fn size(self) -> PageSize {
        match self {
            Paper::Letter => US_LETTER,
            Paper::A4 => A4,
        }
    }
}

/// How a table column's cells sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellAlign {
    Left,
    Right,
}

/// A table column: its title and its share of the width (the shares of a
/// table are scaled to the page).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub share: f32,
    pub align: CellAlign,
}

impl Column {
    /// A left-aligned column.
    pub fn new(title: impl Into<String>, share: f32) -> Self {
        Column {
            title: title.into(),
            share,
            align: CellAlign::Left,
        }
    }

    /// A right-aligned column (numbers).
    pub fn right(title: impl Into<String>, share: f32) -> Self {
        Column {
            align: CellAlign::Right,
            ..Column::new(title, share)
        }
    }
}

/// One piece of a document, drawn in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The document's title, large.
    Title(String),
    /// A section heading, kept with what follows it.
    Heading(String),
    /// A paragraph, wrapped.
    Paragraph(String),
    /// A paragraph in small grey type (notes, explanations).
    Note(String),
    /// "Label: value" lines, the labels in a column of their own.
    Fields(Vec<(String, String)>),
    /// A table; `empty` is printed instead when it has no rows.
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
        empty: String,
    },
    /// A scanned page (PNG or JPEG) on a page of its own, as large as fits
    /// below its caption.
    Image { caption: String, bytes: Vec<u8> },
    /// A scanned PDF: each of its pages on a page of its own, drawn as an
    /// image (at [`SCAN_DPI`]) as large as fits below its caption.
    PdfPages { caption: String, bytes: Vec<u8> },
    /// A trend plot of one vital or lab, kept whole on a page.
    Plot(TrendPlot),
    /// Vertical space, in mm (dropped at the top of a page).
    Space(f32),
    /// Starts a new page, unless the current one is still empty.
    PageBreak,
    /// Starts a letter of a batch (reminders): a new page, unless the
    /// current one is still empty, with the letterhead and this address in
    /// the envelope window, as the document's first page has them.
    Letter(Vec<String>),
    /// A remittance stub at the foot of the page (a new page when it does
    /// not fit below what is there): a dashed line to cut along, the
    /// fields the payer returns with a payment ("Account", "Amount due",
    /// "Amount enclosed") on the left and where to send it on the right.
    Stub(RemittanceStub),
}

/// What a remittance stub says ([`Block::Stub`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemittanceStub {
    /// The line above the cut, e.g. "Please detach and return this part
    /// with your payment."
    pub instruction: String,
    /// "Label: value" lines.
    pub fields: Vec<(String, String)>,
    /// e.g. "Make checks payable to and mail to:".
    pub pay_to_title: String,
    /// The practice's name and address.
    pub pay_to: Vec<String>,
}

/// The height a remittance stub takes at the foot of a page, mm.
pub const STUB_HEIGHT: f32 = 46.0;

/// A trend of one measure over time, drawn as vectors: axes with ticks,
/// the values joined and marked, and the reference (or target) band
/// shaded behind them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrendPlot {
    /// e.g. "Systolic blood pressure".
    pub title: String,
    /// e.g. "mmHg".
    pub unit: String,
    /// (day, value), the day any increasing day number (days since 1970).
    pub points: Vec<(i64, f64)>,
    /// Date labels for the x axis at the days given (the caller formats
    /// them); first and last at least.
    pub x_ticks: Vec<(i64, String)>,
    /// The reference or target range, and what to call it ("target
    /// < 130", "reference 3.5-5.1").
    pub band: Option<(f64, f64, String)>,
}

/// What the footer of every page says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footer {
    /// Who the pages are about, e.g. "Nguyễn Thị Ánh · DOB 03/12/1984 ·
    /// MRN 100001"; empty for documents about no patient.
    pub patient: String,
    /// e.g. "Printed by Mia Manager on 12/02/2026 09:14".
    pub printed: String,
}

/// A whole document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowDoc {
    pub paper: Paper,
    /// The document information's title (no patient data: file lists
    /// show it).
    pub title: String,
    /// The document information's author (the practice).
    pub author: String,
    /// Seconds since 1970, UTC: the creation date recorded in the file.
    pub created_unix: i64,
    /// Printed at the top of the first page.
    pub letterhead: Option<PracticeHeader>,
    /// The recipient's address, printed on the first page where a #10
    /// window envelope shows it ([`window_envelope`]); letter paper only.
    pub window_address: Option<Vec<String>>,
    pub footer: Footer,
    pub blocks: Vec<Block>,
}

const MARGIN: f32 = 19.05;
const FOOTER_BAND: f32 = 12.0;
const PRACTICE_NAME: Style = Style::bold(16.0);
const LETTERHEAD: Style = Style::regular(9.0).grey(0.25);
const TITLE: Style = Style::bold(15.0);
const HEADING: Style = Style::bold(11.5);
const BODY: Style = Style::regular(10.0);
const NOTE: Style = Style::regular(8.5).grey(0.35);
const LABEL: Style = Style::regular(9.0).grey(0.4);
const CELL: Style = Style::regular(9.0);
const HEAD_CELL: Style = Style::bold(8.5).grey(0.25);
const FOOT: Style = Style::regular(7.5).grey(0.3);
const ADDRESS: Style = Style::regular(10.0);
const STUB_VALUE: Style = Style::bold(10.0);
use crate::prescription::LOGO_BOX;
/// Space between table cells, mm.
const GUTTER: f32 = 2.5;

/// Lays `doc` out and renders it, or says why it cannot be printed.
pub fn render(doc: &FlowDoc) -> Result<Vec<u8>, PdfError> {
    if doc.blocks.is_empty() {
        return Err(PdfError::MissingField("blocks"));
    }
    let mut w = PageWriter::new(doc.paper.size(), MARGIN)?;
    w.reserve_bottom(FOOTER_BAND);
    // A batch of letters draws each letter's head itself.
    let batch = matches!(doc.blocks.first(), Some(Block::Letter(_)));
    if let (Some(l), false) = (&doc.letterhead, batch) {
        letterhead(&mut w, l)?;
    }
    if let Some(lines) = &doc.window_address {
        if doc.paper != Paper::Letter {
            return Err(PdfError::InvalidField {
                field: "paper",
                reason: "must be US letter for a #10 window envelope",
            });
        }
        window_address(&mut w, lines)?;
    }
    // The first page of each letter of a batch: each letter's pages are
    // numbered on their own ("Page 1 of 2" is the patient's, not the
    // batch's).
    let mut starts = vec![0];
    let mut i = 0;
    while i < doc.blocks.len() {
        if let Block::Letter(lines) = &doc.blocks[i] {
            if doc.paper != Paper::Letter {
                return Err(PdfError::InvalidField {
                    field: "paper",
                    reason: "must be US letter for a #10 window envelope",
                });
            }
            if !w.page_is_empty() {
                w.new_page();
                starts.push(w.page_count() - 1);
            }
            if let Some(l) = &doc.letterhead {
                letterhead(&mut w, l)?;
            }
            window_address(&mut w, lines)?;
            i += 1;
            continue;
        }
        let next = doc.blocks.get(i + 1);
        block(&mut w, &doc.blocks[i], next)?;
        i += 1;
    }
    w.drop_trailing_empty_pages();
    footers(&mut w, &doc.footer, &starts);
    w.finish_with(&Info {
        title: doc.title.clone(),
        author: doc.author.clone(),
        created_unix: doc.created_unix,
    })
}

fn letterhead(w: &mut PageWriter, practice: &PracticeHeader) -> Result<(), PdfError> {
    let (mut left, mut width) = (w.left(), w.content_width());
    let top = w.y();
    let mut logo_bottom = top;
    if let Some(logo) = &practice.logo {
        let (lw, lh) = w.image_top_left(logo, (left, top), LOGO_BOX)?;
        logo_bottom = top + lh;
        left += lw + 5.0;
        width -= lw + 5.0;
    }
    w.paragraph(PRACTICE_NAME, left, width, Align::Left, &practice.name);
    w.paragraph(
        LETTERHEAD,
        left,
        width,
        Align::Left,
        &practice.address_lines.join(" · "),
    );
    let contact = practice.contact_line();
    if !contact.is_empty() {
        w.paragraph(LETTERHEAD, left, width, Align::Left, &contact);
    }
    w.set_y(w.y().max(logo_bottom));
    w.space(2.0);
    w.rule(w.left(), w.right(), 1.0, 0.0);
    w.space(5.0);
    Ok(())
}

/// Where a standard #10 window envelope shows the address of a US letter
/// folded in three, in mm from the page's top left corner.
///
/// The envelope (ANSI/USPS #10) is 9 1/2 × 4 1/8 in; its standard window is
/// 4 1/2 × 1 1/8 in, 7/8 in from the envelope's left edge and 1/2 in from
/// its bottom. A letter folded in three has a top panel of 11/3 in that
/// rests on the bottom of the envelope, so the window shows the page from
/// 11/3 - 1/2 - 1 1/8 = 2.04 in to 11/3 - 1/2 = 3.17 in below its top edge.
/// Sideways the 8 1/2 in page can slide an inch in the envelope, so only
/// what the window shows in both extreme positions is used: 7/8 in to
/// 7/8 + 4 1/2 - 1 = 4 3/8 in from the page's left edge. The address is set
/// inside that area with 1/16 in to spare on every side.
pub mod window_envelope {
    const MM: f32 = 25.4;
    /// The envelope, width × height, in.
    pub const ENVELOPE_IN: (f32, f32) = (9.5, 4.125);
    /// The window, width × height, in.
    pub const WINDOW_IN: (f32, f32) = (4.5, 1.125);
    /// The window's distance from the envelope's left and bottom edges, in.
    pub const WINDOW_FROM_LEFT_BOTTOM_IN: (f32, f32) = (0.875, 0.5);
    /// The top panel of a US letter folded in three, in.
    pub const PANEL_IN: f32 = 11.0 / 3.0;
    /// The page area the window shows whatever the letter's position:
    /// (left, top, right, bottom), mm from the page's top left corner.
    pub const VISIBLE_MM: (f32, f32, f32, f32) = (
        WINDOW_FROM_LEFT_BOTTOM_IN.0 * MM,
        (PANEL_IN - WINDOW_FROM_LEFT_BOTTOM_IN.1 - WINDOW_IN.1) * MM,
        (WINDOW_FROM_LEFT_BOTTOM_IN.0 + WINDOW_IN.0 - (ENVELOPE_IN.0 - 8.5)) * MM,
        (PANEL_IN - WINDOW_FROM_LEFT_BOTTOM_IN.1) * MM,
    );
    /// Space kept inside the visible area, mm (1/16 in).
    pub const INSET_MM: f32 = 0.0625 * MM;
}

/// The recipient's address in the envelope window (first page only).
fn window_address(w: &mut PageWriter, lines: &[String]) -> Result<(), PdfError> {
    let (l, t, r, b) = window_envelope::VISIBLE_MM;
    let inset = window_envelope::INSET_MM;
    let (left, top, width) = (l + inset, t + inset, r - l - 2.0 * inset);
    let lines: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let height = lines.len() as f32 * w.line_height(ADDRESS);
    if lines.is_empty() || top + height > b - inset {
        return Err(PdfError::InvalidField {
            field: "recipient_address",
            reason: "must be one to five lines to show in a window envelope",
        });
    }
    if w.y() > top {
        return Err(PdfError::InvalidField {
            field: "letterhead",
            reason: "is too tall to leave room for the envelope window",
        });
    }
    w.set_y(top);
    for line in lines {
        if w.measure(ADDRESS, line) > width {
            return Err(PdfError::InvalidField {
                field: "recipient_address",
                reason: "has a line too long for the envelope window",
            });
        }
        w.text(ADDRESS, left, Align::Left, line);
        w.space(w.line_height(ADDRESS));
    }
    w.set_y(b + 4.0);
    Ok(())
}

/// Starts a new page if `height` mm do not fit below the cursor (and the
/// page has something on it already: a block taller than a page is
/// broken by its caller, never pushed to a blank page).
fn room(w: &mut PageWriter, height: f32) {
    if w.y() + height > w.bottom() && !w.page_is_empty() {
        w.new_page();
    }
}

/// The height of what must stay with a heading: the first line (or row)
/// of the block after it.
fn first_unit_height(w: &PageWriter, next: Option<&Block>) -> f32 {
    match next {
        Some(Block::Paragraph(_)) | Some(Block::Fields(_)) => w.line_height(BODY),
        Some(Block::Note(_)) => w.line_height(NOTE),
        Some(Block::Table { .. }) => w.line_height(HEAD_CELL) + 2.0 + w.line_height(CELL) + 1.5,
        _ => 0.0,
    }
}

fn block(w: &mut PageWriter, b: &Block, next: Option<&Block>) -> Result<(), PdfError> {
    let (left, width) = (w.left(), w.content_width());
    match b {
        Block::Title(t) => {
            room(w, w.line_height(TITLE) + first_unit_height(w, next));
            w.paragraph(TITLE, left, width, Align::Left, t);
            w.space(2.0);
        }
        Block::Heading(t) => {
            let h = w.line_height(HEADING) + 3.0;
            room(w, h + first_unit_height(w, next));
            w.space(1.0);
            w.paragraph(HEADING, left, width, Align::Left, t);
            w.rule(left, w.right(), 0.4, 0.6);
            w.space(2.0);
        }
        Block::Paragraph(t) => lines(w, BODY, left, width, t),
        Block::Note(t) => lines(w, NOTE, left, width, t),
        Block::Fields(fields) => {
            let label_w = fields
                .iter()
                .map(|(l, _)| w.measure(LABEL, l))
                .fold(0.0_f32, f32::max)
                .min(width * 0.35)
                + 3.0;
            for (label, value) in fields {
                let value_lines = wrapped(w, BODY, width - label_w, value);
                let label_lines = wrapped(w, LABEL, label_w - 3.0, label);
                let line_h = w.line_height(BODY);
                // A field is kept whole on a page when it fits one (up to
                // a third of a page); a longer value breaks line by line.
                let h = value_lines.len().max(label_lines.len()).max(1) as f32 * line_h;
                let page_h = w.bottom() - w.margin();
                room(w, if h <= page_h / 3.0 { h } else { line_h });
                let top = w.y();
                for (i, line) in label_lines.iter().enumerate() {
                    w.set_y(top + i as f32 * w.line_height(LABEL));
                    w.text(LABEL, left, Align::Left, line);
                }
                w.set_y(top);
                for line in &value_lines {
                    room(w, line_h);
                    w.text(BODY, left + label_w, Align::Left, line);
                    w.space(line_h);
                }
                if value_lines.is_empty() {
                    w.space(line_h);
                }
                if w.y() >= top {
                    let label_h = label_lines.len() as f32 * w.line_height(LABEL);
                    w.set_y(w.y().max(top + line_h).max(top + label_h));
                }
            }
            w.space(1.5);
        }
        Block::Table {
            columns,
            rows,
            empty,
        } => table(w, columns, rows, empty),
        Block::Plot(p) => plot(w, p),
        Block::Image { caption, bytes } => scanned_page(w, caption, bytes)?,
        Block::PdfPages { caption, bytes } => {
            let pages = crate::raster::all_pages_pictures(bytes, SCAN_DPI)?;
            let n = pages.len();
            for (i, picture) in pages.iter().enumerate() {
                let caption = format!("{caption} · page {} of {n}", i + 1);
                let (left, top, width, h) = scanned_page_box(w, &caption);
                w.picture(picture.clone(), (left, top), (width, h));
                w.set_y(w.bottom());
            }
        }
        Block::Space(mm) => {
            if !w.page_is_empty() && w.y() + mm <= w.bottom() {
                w.space(*mm);
            }
        }
        Block::PageBreak => {
            if !w.page_is_empty() {
                w.new_page();
            }
        }
        // Drawn by `render`, which knows the letterhead.
        Block::Letter(_) => {}
        Block::Stub(stub) => remittance_stub(w, stub),
    }
    Ok(())
}

/// A remittance stub at the foot of the page ([`Block::Stub`]).
fn remittance_stub(w: &mut PageWriter, stub: &RemittanceStub) {
    if w.y() + STUB_HEIGHT > w.bottom() {
        w.new_page();
    }
    let (left, right) = (w.left(), w.right());
    let top = w.bottom() - STUB_HEIGHT;
    w.set_y(top);
    // The cut: a dashed line across the page.
    let (dash, gap) = (3.0, 2.0);
    let mut x = left;
    while x < right {
        w.rule(x, (x + dash).min(right), 0.6, 0.35);
        x += dash + gap;
    }
    w.space(2.5);
    w.text(NOTE, left, Align::Left, &stub.instruction);
    w.space(w.line_height(NOTE) + 3.0);
    let fields_top = w.y();
    let half = (right - left) / 2.0;
    let label_w = stub
        .fields
        .iter()
        .map(|(l, _)| w.measure(LABEL, l))
        .fold(0.0_f32, f32::max)
        + 4.0;
    let line_h = w.line_height(BODY) + 1.5;
    for (label, value) in &stub.fields {
        w.text(LABEL, left, Align::Left, label);
        w.text(STUB_VALUE, left + label_w, Align::Left, value);
        w.space(line_h);
    }
    w.set_y(fields_top);
    let px = left + half + 6.0;
    w.text(LABEL, px, Align::Left, &stub.pay_to_title);
    w.space(w.line_height(LABEL) + 1.0);
    for line in &stub.pay_to {
        w.text(ADDRESS, px, Align::Left, line);
        w.space(w.line_height(ADDRESS));
    }
    w.set_y(w.bottom());
}

/// How finely a scanned PDF's pages are drawn to be placed in a document:
/// enough for typed and handwritten text on paper.
pub const SCAN_DPI: f32 = 150.0;

/// Starts a page of its own for a scanned page and prints its caption;
/// the box left below it: (left, top, width, height), mm.
fn scanned_page_box(w: &mut PageWriter, caption: &str) -> (f32, f32, f32, f32) {
    let (left, width) = (w.left(), w.content_width());
    if !w.page_is_empty() {
        w.new_page();
    }
    w.paragraph(NOTE, left, width, Align::Left, caption);
    w.space(2.0);
    let top = w.y();
    (left, top, width, w.bottom() - top)
}

/// An image on a page of its own, below its caption, as large as fits.
fn scanned_page(w: &mut PageWriter, caption: &str, bytes: &[u8]) -> Result<(), PdfError> {
    let (left, top, width, h) = scanned_page_box(w, caption);
    w.image(bytes, (left, top), (width, h))?;
    w.set_y(w.bottom());
    Ok(())
}

fn wrapped(w: &PageWriter, style: Style, width: f32, text: &str) -> Vec<String> {
    // Each line of the text wraps on its own; empty lines are kept.
    text.lines()
        .flat_map(|line| {
            let l = crate::wrap::wrap(&crate::layout::clean(line), width, |s| w.measure(style, s));
            if l.is_empty() {
                vec![String::new()]
            } else {
                l
            }
        })
        .collect()
}

/// A paragraph broken across pages line by line.
fn lines(w: &mut PageWriter, style: Style, left: f32, width: f32, text: &str) {
    for line in wrapped(w, style, width, text) {
        room(w, w.line_height(style));
        if !line.is_empty() {
            w.text(style, left, Align::Left, &line);
        }
        w.space(w.line_height(style));
    }
    w.space(1.5);
}

fn table(w: &mut PageWriter, columns: &[Column], rows: &[Vec<String>], empty: &str) {
    let (left, width) = (w.left(), w.content_width());
    if rows.is_empty() {
        lines(w, NOTE, left, width, empty);
        return;
    }
    let total: f32 = columns.iter().map(|c| c.share.max(0.01)).sum();
    let widths: Vec<f32> = columns
        .iter()
        .map(|c| (width + GUTTER) * c.share.max(0.01) / total - GUTTER)
        .collect();
    let xs: Vec<f32> = widths
        .iter()
        .scan(left, |x, cw| {
            let at = *x;
            *x += cw + GUTTER;
            Some(at)
        })
        .collect();
    let header = |w: &mut PageWriter| {
        let top = w.y();
        let mut bottom = top;
        for ((c, &x), &cw) in columns.iter().zip(&xs).zip(&widths) {
            w.set_y(top);
            let (anchor, align) = cell_anchor(c.align, x, cw);
            for line in wrapped(w, HEAD_CELL, cw, &c.title) {
                w.text(HEAD_CELL, anchor, align, &line);
                w.space(w.line_height(HEAD_CELL));
            }
            bottom = bottom.max(w.y());
        }
        w.set_y(bottom + 0.8);
        w.rule(left, w.right(), 0.6, 0.3);
        w.space(1.2);
    };
    let header_h = w.line_height(HEAD_CELL) + 2.0;
    let mut first = true;
    for row in rows {
        let cells: Vec<Vec<String>> = columns
            .iter()
            .enumerate()
            .map(|(i, _)| {
                wrapped(
                    w,
                    CELL,
                    widths[i],
                    row.get(i).map(String::as_str).unwrap_or(""),
                )
            })
            .collect();
        let row_h =
            cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * w.line_height(CELL) + 1.5;
        let need = if first { header_h + row_h } else { row_h };
        let before = w.page_count();
        room(w, need);
        if first || w.page_count() != before {
            header(w);
        }
        first = false;
        let top = w.y();
        for (i, c) in columns.iter().enumerate() {
            w.set_y(top);
            let (anchor, align) = cell_anchor(c.align, xs[i], widths[i]);
            for line in &cells[i] {
                if !line.is_empty() {
                    w.text(CELL, anchor, align, line);
                }
                w.space(w.line_height(CELL));
            }
        }
        w.set_y(top + row_h - 0.75);
        w.rule(left, w.right(), 0.25, 0.8);
        w.set_y(top + row_h);
    }
    w.space(2.5);
}

const PLOT_HEIGHT: f32 = 48.0;
const AXIS: Style = Style::regular(7.0).grey(0.35);

/// Round tick steps: 1, 2 or 5 times a power of ten, about `n` of them.
fn tick_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

fn tick_text(v: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{v:.0}")
    } else {
        let digits = (-step.log10().floor()) as usize;
        format!("{v:.digits$}")
    }
}

fn plot(w: &mut PageWriter, p: &TrendPlot) {
    let title_h = w.line_height(HEADING) + 1.0;
    room(w, title_h + PLOT_HEIGHT + w.line_height(AXIS) + 4.0);
    let (left, width) = (w.left(), w.content_width());
    let title = if p.unit.is_empty() {
        p.title.clone()
    } else {
        format!("{} ({})", p.title, p.unit)
    };
    let baseline = w.baseline(Style::bold(9.5));
    let end = w.text_on(baseline, Style::bold(9.5), left, Align::Left, &title);
    // The band's name beside the title, where no line can cross it.
    if let Some((_, _, label)) = &p.band {
        w.text_on(
            baseline,
            AXIS,
            end + 3.0,
            Align::Left,
            &format!("shaded: {label}"),
        );
    }
    w.space(w.line_height(Style::bold(9.5)));
    w.space(1.0);
    if p.points.is_empty() {
        lines(w, NOTE, left, width, "No values recorded.");
        return;
    }
    let top = w.y();
    let axis_x = left + 12.0;
    let (x0, x1) = (axis_x, w.right() - 2.0);
    let (y0, y1) = (top + PLOT_HEIGHT, top + 2.0);
    // The value range: the data and the band, with a little room.
    let mut lo = p
        .points
        .iter()
        .map(|&(_, v)| v)
        .fold(f64::INFINITY, f64::min);
    let mut hi = p
        .points
        .iter()
        .map(|&(_, v)| v)
        .fold(f64::NEG_INFINITY, f64::max);
    if let Some((a, b, _)) = &p.band {
        lo = lo.min(*a);
        hi = hi.max(*b);
    }
    if (hi - lo).abs() < f64::EPSILON {
        lo -= 1.0;
        hi += 1.0;
    }
    let step = tick_step(hi - lo, 5.0);
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;
    let first = p.points.iter().map(|&(d, _)| d).min().unwrap_or(0);
    let last = p
        .points
        .iter()
        .map(|&(d, _)| d)
        .max()
        .unwrap_or(0)
        .max(first + 1);
    let x_of = |d: i64| x0 + (x1 - x0) * ((d - first) as f32 / (last - first) as f32);
    let y_of = |v: f64| y0 - (y0 - y1) * (((v - lo) / (hi - lo)) as f32);
    if let Some((a, b, _)) = &p.band {
        let (ya, yb) = (y_of(*a), y_of(*b));
        w.fill(vec![(x0, ya), (x1, ya), (x1, yb), (x0, yb)], 0.9);
    }
    // Axes and the value ticks with light grid lines.
    w.polyline(vec![(x0, y1), (x0, y0), (x1, y0)], 0.6, 0.2);
    let mut v = lo;
    while v <= hi + step / 2.0 {
        let y = y_of(v);
        w.polyline(vec![(x0, y), (x1, y)], 0.2, 0.85);
        let baseline = y + w.ascent(AXIS) / 2.0;
        w.text_on(baseline, AXIS, x0 - 1.5, Align::Right, &tick_text(v, step));
        v += step;
    }
    // Date ticks: labels that would collide with the one before are left out.
    let mut last_end = f32::NEG_INFINITY;
    for (d, label) in &p.x_ticks {
        let x = x_of((*d).clamp(first, last));
        let lw = w.measure(AXIS, label);
        let start = (x - lw / 2.0).clamp(x0, x1 - lw);
        if start < last_end + 2.0 {
            continue;
        }
        w.polyline(vec![(x, y0), (x, y0 + 1.2)], 0.4, 0.2);
        let baseline = y0 + 1.5 + w.ascent(AXIS);
        w.text_on(baseline, AXIS, start, Align::Left, label);
        last_end = start + lw;
    }
    // The values, joined, each marked.
    let mut pts: Vec<(f32, f32)> = p.points.iter().map(|&(d, v)| (x_of(d), y_of(v))).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    if pts.len() > 1 {
        w.polyline(pts.clone(), 1.0, 0.0);
    }
    for (x, y) in pts {
        let r = 0.7;
        w.fill(
            vec![
                (x - r, y - r),
                (x + r, y - r),
                (x + r, y + r),
                (x - r, y + r),
            ],
            0.0,
        );
    }
    w.set_y(y0 + 2.0 + w.line_height(AXIS) + 3.0);
}

fn cell_anchor(align: CellAlign, x: f32, width: f32) -> (f32, Align) {
    match align {
        CellAlign::Left => (x, Align::Left),
        CellAlign::Right => (x + width, Align::Right),
    }
}

/// The footer of every page, drawn once the page count is known; pages
/// are numbered from each of `starts` (the first page of each letter of a
/// batch; `[0]` for one document).
fn footers(w: &mut PageWriter, footer: &Footer, starts: &[usize]) {
    w.reserve_bottom(0.0);
    let n = w.page_count();
    let (left, right) = (w.left(), w.right());
    let band_top = w.page_height() - w.margin() - FOOTER_BAND;
    for i in 0..n {
        w.select_page(i);
        w.set_y(band_top + 2.5);
        w.rule(left, right, 0.4, 0.6);
        w.space(1.5);
        let first = starts
            .iter()
            .copied()
            .filter(|&s| s <= i)
            .max()
            .unwrap_or(0);
        let end = starts.iter().copied().find(|&s| s > i).unwrap_or(n).min(n);
        let page = format!("Page {} of {}", i - first + 1, end - first);
        let page_w = w.measure(FOOT, &page);
        let room_for_patient = right - left - page_w - 6.0;
        let patient = fit(w, FOOT, &footer.patient, room_for_patient);
        let baseline = w.baseline(FOOT);
        w.text_on(baseline, FOOT, left, Align::Left, &patient);
        w.text_on(baseline, FOOT, right, Align::Right, &page);
        w.space(w.line_height(FOOT));
        let printed = fit(w, FOOT, &footer.printed, right - left);
        w.text(FOOT, left, Align::Left, &printed);
    }
}

/// `text` cut with an ellipsis to fit `width` mm.
fn fit(w: &PageWriter, style: Style, text: &str, width: f32) -> String {
    if w.measure(style, text) <= width {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && w.measure(style, &format!("{out}…")) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}
