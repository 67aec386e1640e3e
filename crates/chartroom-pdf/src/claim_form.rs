//! The paper claim: the CMS-1500 (02/12) filled on its character grid.
//!
//! The form is read by payers' scanners as a grid of 10 characters to the
//! inch and 6 lines to the inch; billing software has long filled it in
//! 12-point Courier (every character 0.6 em, so exactly 0.1 inch). A
//! [`ClaimFormDoc`] is the pages of a claim as [`GridText`]s (line and
//! column, 1-based, as billing decided them); this module only places them:
//!
//! - line `L`'s baseline lies `top + 12·L` points below the page's top and
//!   column `C` starts `left + 7.2·(C−1)` points from its left edge, where
//!   `top` and `left` are [`GRID_TOP_PT`] and [`GRID_LEFT_PT`] plus the
//!   practice's offsets (set after a test print on its own printer);
//! - [`ClaimPaper::Preprinted`] draws the data only, for the red forms;
//!   [`ClaimPaper::Plain`] also draws the form's boxes, labels and shaded
//!   service-line bands as vectors (no raster image) on the same grid, so
//!   the data falls in its boxes on plain paper (the offsets do not apply).
//!
//! The drawn form follows the 02/12 layout's boxes and wording closely
//! enough to be read and filed; it is not the scannable red form.

use crate::layout::{Align, PageWriter, Style, MM_PER_PT, US_LETTER};
use crate::PdfError;

/// Where line 0 lies below the page's top, before the practice's offset.
pub const GRID_TOP_PT: f32 = 20.0;
/// Where column 1 starts from the page's left edge, before the offset.
pub const GRID_LEFT_PT: f32 = 24.0;
/// One line of the grid (6 to the inch).
pub const LINE_PT: f32 = 12.0;
/// One column of the grid (10 to the inch).
pub const COLUMN_PT: f32 = 7.2;
/// The grid's width in columns.
pub const COLUMNS: u8 = 80;
/// The grid's height in lines.
pub const LINES: u8 = 64;
/// The largest offset the practice may set, either way, in points.
pub const MAX_OFFSET_PT: f32 = 36.0;

/// Text at a place on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridText {
    /// 1 to [`LINES`].
    pub line: u8,
    /// 1 to [`COLUMNS`]; the text must end by column 80.
    pub col: u8,
    /// Printable ASCII (billing upper-cases and folds names first).
    pub text: String,
}

impl GridText {
    pub fn new(line: u8, col: u8, text: impl Into<String>) -> Self {
        GridText {
            line,
            col,
            text: text.into(),
        }
    }
}

/// What the claim is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimPaper {
    /// The pre-printed red form: the data only.
    Preprinted,
    /// Plain paper: the form drawn as vectors, then the data.
    Plain,
}

/// A claim ready to draw: one page per form.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimFormDoc {
    pub title: String,
    pub author: String,
    /// Seconds since 1970 (UTC); 0 leaves the PDF's default.
    pub created_unix: i64,
    pub paper: ClaimPaper,
    /// Moves everything down (positive) or up, in points.
    pub offset_top_pt: f32,
    /// Moves everything right (positive) or left, in points.
    pub offset_left_pt: f32,
    pub pages: Vec<Vec<GridText>>,
}

/// Draws the claim, or says what cannot be drawn: text off the grid, a
/// character Courier cannot print, an offset beyond [`MAX_OFFSET_PT`].
pub fn claim_form(doc: &ClaimFormDoc) -> Result<Vec<u8>, PdfError> {
    if doc.pages.is_empty() {
        return Err(PdfError::MissingField("pages"));
    }
    for offset in [doc.offset_top_pt, doc.offset_left_pt] {
        if !offset.is_finite() || offset.abs() > MAX_OFFSET_PT {
            return Err(PdfError::InvalidField {
                field: "offset",
                reason: "an offset is at most 36 points (half an inch) either way",
            });
        }
    }
    // The offsets align the data with a printed form; on plain paper the
    // form is drawn on the same grid as the data, so they do not apply.
    let grid = match doc.paper {
        ClaimPaper::Preprinted => Grid {
            top: GRID_TOP_PT + doc.offset_top_pt,
            left: GRID_LEFT_PT + doc.offset_left_pt,
        },
        ClaimPaper::Plain => Grid {
            top: GRID_TOP_PT,
            left: GRID_LEFT_PT,
        },
    };
    let mut w = PageWriter::new(US_LETTER, 0.0)?;
    for (i, page) in doc.pages.iter().enumerate() {
        if i > 0 {
            w.new_page();
        }
        if doc.paper == ClaimPaper::Plain {
            draw_form(&mut w, grid);
        }
        for t in page {
            let len = t.text.chars().count();
            if t.line == 0
                || t.line > LINES
                || t.col == 0
                || usize::from(t.col) + len > usize::from(COLUMNS) + 1
            {
                return Err(PdfError::InvalidField {
                    field: "grid",
                    reason: "text falls outside the form's 80 columns and 64 lines",
                });
            }
            if !t.text.trim().is_empty() {
                w.mono(12.0, grid.x(t.col), grid.baseline(t.line), &t.text);
            }
        }
    }
    w.finish_with(&crate::layout::Info {
        title: doc.title.clone(),
        author: doc.author.clone(),
        created_unix: doc.created_unix,
    })
}

/// The grid's origin on the page, in points.
#[derive(Clone, Copy)]
struct Grid {
    top: f32,
    left: f32,
}

impl Grid {
    /// Column `c`'s left edge, page mm.
    fn x(self, c: u8) -> f32 {
        (self.left + COLUMN_PT * (f32::from(c) - 1.0)) * MM_PER_PT
    }
    /// Line `l`'s baseline, page mm.
    fn baseline(self, l: u8) -> f32 {
        (self.top + LINE_PT * f32::from(l)) * MM_PER_PT
    }
    /// The rule under line `l` (just below its descenders), page mm.
    fn under(self, l: u8) -> f32 {
        self.baseline(l) + 3.0 * MM_PER_PT
    }
    /// A box edge left of column `c`, page mm.
    fn edge(self, c: u8) -> f32 {
        self.x(c) - 1.8 * MM_PER_PT
    }
}

/// A labelled box: from the rule under line `from` to the rule under line
/// `to`, columns `first..=last`.
struct Cell {
    from: u8,
    to: u8,
    first: u8,
    last: u8,
    label: &'static str,
}

const fn cell(from: u8, to: u8, first: u8, last: u8, label: &'static str) -> Cell {
    Cell {
        from,
        to,
        first,
        last,
        label,
    }
}

/// The 02/12 form's boxes, on the grid.
const CELLS: &[Cell] = &[
    cell(6, 8, 1, 49, "1. MEDICARE   MEDICAID   TRICARE   CHAMPVA   GROUP HEALTH PLAN   FECA BLK LUNG   OTHER"),
    cell(6, 8, 50, 80, "1a. INSURED'S I.D. NUMBER (For Program in Item 1)"),
    cell(8, 10, 1, 29, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
    cell(8, 10, 30, 49, "3. PATIENT'S BIRTH DATE (MM DD YY)   SEX  M   F"),
    cell(8, 10, 50, 80, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
    cell(10, 12, 1, 29, "5. PATIENT'S ADDRESS (No., Street)"),
    cell(10, 12, 30, 49, "6. PATIENT RELATIONSHIP TO INSURED: Self Spouse Child Other"),
    cell(10, 12, 50, 80, "7. INSURED'S ADDRESS (No., Street)"),
    cell(12, 14, 1, 24, "CITY"),
    cell(12, 14, 25, 29, "STATE"),
    cell(12, 16, 30, 49, "8. RESERVED FOR NUCC USE"),
    cell(12, 14, 50, 73, "CITY"),
    cell(12, 14, 74, 80, "STATE"),
    cell(14, 16, 1, 13, "ZIP CODE"),
    cell(14, 16, 14, 29, "TELEPHONE (Include Area Code)"),
    cell(14, 16, 50, 63, "ZIP CODE"),
    cell(14, 16, 64, 80, "TELEPHONE (Include Area Code)"),
    cell(16, 18, 1, 29, "9. OTHER INSURED'S NAME (Last Name, First Name, MI)"),
    cell(16, 18, 30, 49, "10. IS PATIENT'S CONDITION RELATED TO:"),
    cell(16, 18, 50, 80, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
    cell(18, 20, 1, 29, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
    cell(18, 20, 30, 49, "a. EMPLOYMENT? (Current or Previous) YES NO"),
    cell(18, 20, 50, 80, "a. INSURED'S DATE OF BIRTH (MM DD YY)        SEX  M     F"),
    cell(20, 22, 1, 29, "b. RESERVED FOR NUCC USE"),
    cell(20, 22, 30, 49, "b. AUTO ACCIDENT?  YES NO  PLACE (State)"),
    cell(20, 22, 50, 80, "b. OTHER CLAIM ID (Designated by NUCC)"),
    cell(22, 24, 1, 29, "c. RESERVED FOR NUCC USE"),
    cell(22, 24, 30, 49, "c. OTHER ACCIDENT?  YES NO"),
    cell(22, 24, 50, 80, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
    cell(24, 26, 1, 29, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
    cell(24, 26, 30, 49, "10d. CLAIM CODES (Designated by NUCC)"),
    cell(24, 26, 50, 80, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?  YES  NO"),
    cell(26, 29, 1, 49, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE (release of information)"),
    cell(26, 29, 50, 80, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE (payment)"),
    cell(29, 32, 1, 29, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)"),
    cell(29, 32, 30, 49, "15. OTHER DATE  QUAL."),
    cell(29, 32, 50, 80, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION"),
    cell(32, 34, 1, 29, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE"),
    cell(32, 34, 30, 49, "17a.  17b. NPI"),
    cell(32, 34, 50, 80, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES"),
    cell(34, 36, 1, 49, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"),
    cell(34, 36, 50, 80, "20. OUTSIDE LAB?  YES  NO      $ CHARGES"),
    cell(36, 40, 1, 49, "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)   ICD Ind."),
    cell(36, 38, 50, 80, "22. RESUBMISSION CODE    ORIGINAL REF. NO."),
    cell(38, 40, 50, 80, "23. PRIOR AUTHORIZATION NUMBER"),
    cell(54, 56, 1, 22, "25. FEDERAL TAX I.D. NUMBER  SSN EIN"),
    cell(54, 56, 23, 37, "26. PATIENT'S ACCOUNT NO."),
    cell(54, 56, 38, 49, "27. ACCEPT ASSIGNMENT? YES NO"),
    cell(54, 56, 50, 61, "28. TOTAL CHARGE"),
    cell(54, 56, 62, 71, "29. AMOUNT PAID"),
    cell(54, 56, 72, 80, "30. Rsvd for NUCC"),
    cell(56, 61, 1, 22, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER"),
    cell(56, 60, 23, 49, "32. SERVICE FACILITY LOCATION INFORMATION"),
    cell(56, 60, 50, 80, "33. BILLING PROVIDER INFO & PH #"),
    cell(60, 61, 23, 35, "32a. NPI"),
    cell(60, 61, 36, 49, "32b."),
    cell(60, 61, 50, 62, "33a. NPI"),
    cell(60, 61, 63, 80, "33b."),
];

/// Item 24's columns: the first column each starts at, and its heading.
const SERVICE_COLUMNS: &[(u8, &str)] = &[
    (1, "24. A. DATE(S) OF SERVICE  From  To"),
    (19, "B. POS"),
    (22, "C. EMG"),
    (25, "D. PROCEDURES  CPT/HCPCS  MODIFIER"),
    (45, "E. DX PTR"),
    (50, "F. $ CHARGES"),
    (59, "G. UNITS"),
    (63, "H. EPSDT"),
    (66, "I. QUAL."),
    (68, "J. RENDERING PROVIDER ID. #"),
];

/// Checkbox squares: (line, column) of each, where an `X` is printed.
const CHECKBOXES: &[(u8, &[u8])] = &[
    (8, &[1, 8, 15, 24, 31, 39, 45]),
    (10, &[42, 47]),
    (12, &[33, 38, 42, 47]),
    (20, &[35, 41, 68, 75]),
    (22, &[35, 41]),
    (24, &[35, 41]),
    (26, &[52, 57]),
    (36, &[52, 57]),
    (56, &[17, 19, 38, 43]),
];

fn draw_form(w: &mut PageWriter, g: Grid) {
    let label = Style::regular(4.6);
    let thin = 0.4;
    w.text_on(
        g.baseline(1),
        Style::bold(11.0),
        g.x(1),
        Align::Left,
        "HEALTH INSURANCE CLAIM FORM",
    );
    w.text_on(
        g.baseline(2),
        Style::regular(5.5),
        g.x(1),
        Align::Left,
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
    );
    w.text_on(
        g.baseline(5),
        Style::regular(5.5),
        g.x(1),
        Align::Left,
        "Form 1500 (02/12) layout, drawn on plain paper",
    );
    w.text_on(g.baseline(1), label, g.x(41), Align::Left, "PAYER");
    for c in CELLS {
        let (top, bottom) = (g.under(c.from), g.under(c.to));
        let (x1, x2) = (g.edge(c.first), g.edge(c.last + 1));
        w.frame((x1, top), (x2, bottom), thin);
        if c.to - c.from == 1 {
            // A one-line box (32a, 33a): its label at the right, clear of
            // the NPI printed from its left.
            w.text_on(
                bottom - 2.0 * MM_PER_PT,
                label,
                x2 - 0.5,
                Align::Right,
                c.label,
            );
        } else {
            w.text_on(top + 5.0 * MM_PER_PT, label, x1 + 0.5, Align::Left, c.label);
        }
    }
    // Item 21's letters, before each code's place.
    for (i, letter) in "ABCDEFGHIJKL".chars().enumerate() {
        let line = 38 + (i / 4) as u8;
        let col = 3 + 13 * (i % 4) as u8;
        w.text_on(
            g.baseline(line),
            Style::regular(6.0),
            g.x(col) - 1.6,
            Align::Right,
            &format!("{letter}."),
        );
    }
    // Item 24: headings, six shaded supplemental bands and their lines.
    let (head_top, head_bottom, end) = (g.under(40), g.under(42), g.under(54));
    w.frame((g.edge(1), head_top), (g.edge(COLUMNS + 1), end), thin);
    for (i, (col, heading)) in SERVICE_COLUMNS.iter().enumerate() {
        let x = g.edge(*col);
        if i > 0 {
            w.polyline(vec![(x, head_top), (x, end)], thin, 0.0);
        }
        w.text_on(
            head_top + 5.0 * MM_PER_PT,
            label,
            x + 0.5,
            Align::Left,
            heading,
        );
    }
    for k in 1..=6u8 {
        let shaded_top = g.under(2 * k + 40);
        let shaded_bottom = g.under(2 * k + 41);
        w.fill(
            vec![
                (g.edge(1), shaded_top),
                (g.edge(COLUMNS + 1), shaded_top),
                (g.edge(COLUMNS + 1), shaded_bottom),
                (g.edge(1), shaded_bottom),
            ],
            0.9,
        );
        let row_bottom = g.under(2 * k + 42);
        w.polyline(
            vec![(g.edge(1), row_bottom), (g.edge(COLUMNS + 1), row_bottom)],
            thin,
            0.0,
        );
        w.text_on(
            g.baseline(2 * k + 42),
            Style::regular(6.0),
            g.edge(1) - 0.6,
            Align::Right,
            &k.to_string(),
        );
    }
    // The fills covered the column rules: draw them again on top.
    for (col, _) in SERVICE_COLUMNS.iter().skip(1) {
        let x = g.edge(*col);
        w.polyline(vec![(x, head_bottom), (x, end)], thin, 0.0);
    }
    let side = 7.6 * MM_PER_PT;
    for (line, cols) in CHECKBOXES {
        for &c in *cols {
            let (x, y) = (
                g.x(c) - 0.3 * MM_PER_PT,
                g.baseline(*line) - 8.0 * MM_PER_PT,
            );
            w.frame((x, y), (x + side, y + side), thin);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paper: ClaimPaper, pages: Vec<Vec<GridText>>) -> ClaimFormDoc {
        ClaimFormDoc {
            title: "Claim".into(),
            author: "Test".into(),
            created_unix: 0,
            paper,
            offset_top_pt: 0.0,
            offset_left_pt: 0.0,
            pages,
        }
    }

    #[test]
    fn the_grid_is_ten_columns_and_six_lines_to_the_inch() {
        let g = Grid {
            top: GRID_TOP_PT,
            left: GRID_LEFT_PT,
        };
        let inch = 25.4;
        assert!((g.x(11) - g.x(1) - inch).abs() < 1e-3);
        assert!((g.baseline(7) - g.baseline(1) - inch).abs() < 1e-3);
        // Column 1 at 24 pt, line 1's baseline at 32 pt.
        assert!((g.x(1) - 24.0 * MM_PER_PT).abs() < 1e-3);
        assert!((g.baseline(1) - 32.0 * MM_PER_PT).abs() < 1e-3);
    }

    #[test]
    fn both_papers_draw_and_every_page_is_kept() {
        let page = vec![
            GridText::new(2, 41, "ACME HEALTH PLAN"),
            GridText::new(44, 1, "03 02 26"),
            GridText::new(56, 52, "  150 00"),
        ];
        for paper in [ClaimPaper::Preprinted, ClaimPaper::Plain] {
            let pdf = claim_form(&doc(paper, vec![page.clone(), page.clone()])).unwrap();
            assert_eq!(crate::raster::page_count(&pdf).unwrap(), 2, "{paper:?}");
        }
    }

    #[test]
    fn text_off_the_grid_or_not_ascii_is_refused() {
        let off = vec![GridText::new(10, 75, "TOO LONG FOR THE LINE")];
        assert!(matches!(
            claim_form(&doc(ClaimPaper::Preprinted, vec![off])),
            Err(PdfError::InvalidField { field: "grid", .. })
        ));
        let accented = vec![GridText::new(10, 1, "NGUYỄN")];
        assert!(matches!(
            claim_form(&doc(ClaimPaper::Preprinted, vec![accented])),
            Err(PdfError::UnsupportedCharacter { .. })
        ));
        let mut far = doc(ClaimPaper::Plain, vec![vec![GridText::new(1, 1, "X")]]);
        far.offset_left_pt = 40.0;
        assert!(matches!(
            claim_form(&far),
            Err(PdfError::InvalidField {
                field: "offset",
                ..
            })
        ));
    }
}
