//! The multi-page document layer read back with poppler's tools: page
//! count, paper size and document information from `pdfinfo`, each page's
//! text from `pdftotext`, `qpdf --check` on every file. Set
//! `CHARTROOM_PDF_OUT` to a folder to keep the files for a look.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::Command;

use chartroom_pdf::{
    render_flow, Block, Column, FlowDoc, Footer, Paper, PdfError, PracticeHeader, TrendPlot,
};

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` could not run ({e}); run scripts/setup-debian.sh"));
    assert!(
        out.status.success(),
        "`{cmd} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(pdf: &[u8], dir: &Path, name: &str) -> PathBuf {
    let out = std::env::var_os("CHARTROOM_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.to_path_buf());
    std::fs::create_dir_all(&out).unwrap();
    let path = out.join(name);
    std::fs::write(&path, pdf).unwrap();
    run("qpdf", &["--check", path.to_str().unwrap()]);
    path
}

fn info(path: &Path) -> String {
    run("pdfinfo", &[path.to_str().unwrap()])
}

fn pages(path: &Path) -> usize {
    info(path)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn page_text(path: &Path, n: usize) -> String {
    let n = n.to_string();
    run(
        "pdftotext",
        &["-layout", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
    )
}

/// The dark pixels of page `n` rendered in grey at 40 dpi (a page with
/// none is blank).
fn dark_pixels(path: &Path, n: usize) -> usize {
    let n = n.to_string();
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", "40", "-f", &n, "-l", &n, "-singlefile"])
        .arg(path)
        .output()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(out.status.success());
    // PGM: "P5", width, height, maxval, then one byte a pixel.
    let data = out.stdout;
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    data[i + 1..].iter().filter(|&&p| p < 160).count()
}

fn summary_doc(rows: usize, paper: Paper) -> FlowDoc {
    FlowDoc {
        paper,
        title: "Chart summary".into(),
        author: "Riverside Family Medicine".into(),
        created_unix: 1_796_220_000,
        letterhead: Some(PracticeHeader {
            name: "Riverside Family Medicine".into(),
            address_lines: vec![
                "1200 Harbor Boulevard, Suite 210".into(),
                "Portland, OR 97201".into(),
            ],
            phone: "(503) 555-0142".into(),
            fax: "(503) 555-0143".into(),
            npi: "1234567893".into(),
            logo: None,
        }),
        window_address: None,
        footer: Footer {
            patient: "Nguyễn Thị Ánh · DOB 03/12/1984 · MRN 100001".into(),
            printed: "Printed by Mia Manager on 12/02/2026 09:14".into(),
        },
        blocks: vec![
            Block::Title("Chart summary".into()),
            Block::Fields(vec![
                ("Patient".into(), "Nguyễn Thị Ánh".into()),
                ("Also seen".into(), "Søren Ødegård; Zoë Ağaoğlu".into()),
                ("Range".into(), "01/01/2020 to 12/02/2026".into()),
            ]),
            Block::Heading("Vital signs".into()),
            Block::Table {
                columns: vec![
                    Column::new("Date", 1.2),
                    Column::new("Measure", 2.0),
                    Column::right("Value", 1.0),
                    Column::new("Unit", 0.8),
                ],
                rows: (0..rows)
                    .map(|i| {
                        vec![
                            format!("{:02}/01/2026", i % 12 + 1),
                            "Blood pressure, systolic".into(),
                            format!("{}", 120 + i % 30),
                            "mmHg".into(),
                        ]
                    })
                    .collect(),
                empty: "No vital signs recorded.".into(),
            },
            Block::Heading("Notes".into()),
            Block::Paragraph(
                "Seen for follow-up of hypertension. Home readings reviewed. ".repeat(40),
            ),
        ],
    }
}

#[test]
fn a_long_document_breaks_into_numbered_pages_with_footers_and_repeated_table_headers() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_flow(&summary_doc(120, Paper::Letter)).unwrap();
    let path = write(&pdf, dir.path(), "flow-letter.pdf");
    let n = pages(&path);
    assert!(n >= 3, "{n} pages");
    let mut table_pages = 0;
    for p in 1..=n {
        let text = page_text(&path, p);
        assert!(
            text.contains(&format!("Page {p} of {n}")),
            "page {p}:\n{text}"
        );
        assert!(
            text.contains("Nguyễn Thị Ánh · DOB 03/12/1984 · MRN 100001"),
            "page {p}"
        );
        assert!(
            text.contains("Printed by Mia Manager on 12/02/2026 09:14"),
            "page {p}"
        );
        // Something besides the footer on every page: no blank pages.
        let body = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter(|l| !l.contains("Page ") && !l.contains("Printed by"))
            .count();
        assert!(body >= 3, "page {p} is blank but for its footer:\n{text}");
        assert!(dark_pixels(&path, p) > 200, "page {p} renders blank");
        if text.contains("Blood pressure, systolic") {
            table_pages += 1;
            assert!(
                text.contains("Date") && text.contains("Measure") && text.contains("Value"),
                "page {p} continues the table without its header:\n{text}"
            );
        }
    }
    assert!(table_pages >= 2, "the table fits one page: {table_pages}");
    let first = page_text(&path, 1);
    assert!(first.contains("Riverside Family Medicine") && first.contains("(503) 555-0142"));
    assert!(first.contains("Søren Ødegård; Zoë Ağaoğlu"), "{first}");
    // Every row is there once.
    let all = run("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    assert_eq!(all.matches("Blood pressure, systolic").count(), 120);
    let i = info(&path);
    assert!(i.contains("Title:") && i.contains("Chart summary"), "{i}");
    assert!(
        i.contains("Author:") && i.contains("Riverside Family Medicine"),
        "{i}"
    );
    assert!(
        i.contains("Page size:") && i.contains("612 x 792 pts (letter)"),
        "{i}"
    );
    assert!(i.contains("CreationDate:") && i.contains("2026"), "{i}");
}

#[test]
fn a4_pages_are_a4() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_flow(&summary_doc(10, Paper::A4)).unwrap();
    let path = write(&pdf, dir.path(), "flow-a4.pdf");
    let i = info(&path);
    assert!(i.contains("(A4)"), "{i}");
}

#[test]
fn a_heading_is_never_left_alone_at_the_foot_of_a_page() {
    let dir = tempfile::tempdir().unwrap();
    // Fill the first page to various depths, then a heading and a table:
    // wherever the heading falls, its first row is on the same page.
    for filler in 30..60 {
        let doc = FlowDoc {
            title: "Test".into(),
            footer: Footer {
                patient: "Test Patient".into(),
                printed: "Printed by test".into(),
            },
            blocks: vec![
                Block::Paragraph("Line of filler text.\n".repeat(filler)),
                Block::Heading("Medications".into()),
                Block::Table {
                    columns: vec![Column::new("Drug", 2.0), Column::new("Sig", 3.0)],
                    rows: vec![vec!["Lisinopril 10 mg".into(), "1 tablet daily".into()]; 3],
                    empty: String::new(),
                },
            ],
            ..FlowDoc::default()
        };
        let pdf = render_flow(&doc).unwrap();
        let path = write(&pdf, dir.path(), &format!("orphan-{filler}.pdf"));
        for p in 1..=pages(&path) {
            let text = page_text(&path, p);
            if text.contains("Medications") {
                assert!(
                    text.contains("Lisinopril 10 mg"),
                    "filler {filler}: the heading sits on page {p} without its first row:\n{text}"
                );
            }
        }
    }
}

#[test]
fn page_breaks_never_make_a_blank_page_and_an_empty_document_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let doc = FlowDoc {
        title: "Test".into(),
        blocks: vec![
            Block::PageBreak,
            Block::Space(20.0),
            Block::Paragraph("Only page.".into()),
            Block::PageBreak,
            Block::PageBreak,
        ],
        ..FlowDoc::default()
    };
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "breaks.pdf");
    assert_eq!(pages(&path), 1);
    assert!(matches!(
        render_flow(&FlowDoc::default()),
        Err(PdfError::MissingField("blocks"))
    ));
    // An empty table prints what it is told to instead.
    let doc = FlowDoc {
        blocks: vec![Block::Table {
            columns: vec![Column::new("Vaccine", 1.0)],
            rows: vec![],
            empty: "No immunizations recorded.".into(),
        }],
        ..FlowDoc::default()
    };
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "empty-table.pdf");
    assert!(page_text(&path, 1).contains("No immunizations recorded."));
}

#[test]
fn a_trend_plot_draws_its_axes_dates_band_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let day0 = 20_000;
    let points: Vec<(i64, f64)> = (0..24)
        .map(|i| (day0 + i * 30, 150.0 - i as f64 * 1.5))
        .collect();
    let doc = FlowDoc {
        title: "Trend".into(),
        footer: Footer {
            patient: "Test Patient".into(),
            printed: "Printed by test".into(),
        },
        blocks: vec![
            Block::Heading("Trends".into()),
            Block::Plot(TrendPlot {
                title: "Systolic blood pressure".into(),
                unit: "mmHg".into(),
                points,
                x_ticks: vec![
                    (day0, "10/04/2024".into()),
                    (day0 + 360, "09/29/2025".into()),
                    (day0 + 690, "08/25/2026".into()),
                ],
                band: Some((90.0, 130.0, "target < 130".into())),
            }),
            Block::Plot(TrendPlot {
                title: "Potassium".into(),
                unit: "mmol/L".into(),
                points: vec![(day0, 4.1), (day0 + 40, 4.4), (day0 + 90, 5.6)],
                x_ticks: vec![
                    (day0, "10/04/2024".into()),
                    (day0 + 90, "01/02/2025".into()),
                ],
                band: Some((3.5, 5.1, "reference 3.5-5.1".into())),
            }),
        ],
        ..FlowDoc::default()
    };
    let pdf = render_flow(&doc).unwrap();
    let path = write(&pdf, dir.path(), "trend.pdf");
    let text = page_text(&path, 1);
    for needle in [
        "Systolic blood pressure (mmHg)",
        "10/04/2024",
        "08/25/2026",
        "shaded: target < 130",
        "Potassium (mmol/L)",
        "shaded: reference 3.5-5.1",
        "160",
        "140",
        "4.0",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    assert!(dark_pixels(&path, 1) > 500);
}

#[test]
fn scanned_images_become_pages_of_their_own_scaled_to_fit() {
    let dir = tempfile::tempdir().unwrap();
    // A tall scan and a wide photo, made by ImageMagick.
    let scan = dir.path().join("scan.png");
    let photo = dir.path().join("photo.jpg");
    run(
        "convert",
        &[
            "-size",
            "850x1100",
            "xc:white",
            "-fill",
            "black",
            "-draw",
            "rectangle 80,80 770,260",
            scan.to_str().unwrap(),
        ],
    );
    run(
        "convert",
        &["-size", "1600x900", "xc:gray40", photo.to_str().unwrap()],
    );
    let doc = FlowDoc {
        title: "Packet".into(),
        footer: Footer {
            patient: "Test Patient".into(),
            printed: "Printed by test".into(),
        },
        blocks: vec![
            Block::Paragraph("Cover page.".into()),
            Block::Image {
                caption: "Attached: letter from Dr Okafor, 03/01/2026".into(),
                bytes: std::fs::read(&scan).unwrap(),
            },
            Block::Image {
                caption: "Attached: wound photo, 02/11/2026".into(),
                bytes: std::fs::read(&photo).unwrap(),
            },
            Block::Paragraph("After the attachments.".into()),
        ],
        ..FlowDoc::default()
    };
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "images.pdf");
    assert_eq!(pages(&path), 4);
    assert!(page_text(&path, 2).contains("letter from Dr Okafor"));
    assert!(page_text(&path, 3).contains("wound photo"));
    assert!(page_text(&path, 4).contains("After the attachments."));
    // The scan's black band and the grey photo are drawn.
    assert!(dark_pixels(&path, 2) > 2_000, "{}", dark_pixels(&path, 2));
    assert!(dark_pixels(&path, 3) > 20_000, "{}", dark_pixels(&path, 3));
    // Bytes that are not an image are refused by name.
    let bad = FlowDoc {
        blocks: vec![Block::Image {
            caption: "x".into(),
            bytes: b"%PDF-1.4 not an image".to_vec(),
        }],
        ..FlowDoc::default()
    };
    assert!(matches!(
        render_flow(&bad),
        Err(PdfError::InvalidField { field: "image", .. })
    ));
}

/// The words of page `n` with their boxes, from `pdftotext -bbox`
/// (points, from the page's top left corner).
fn word_boxes(path: &Path, n: usize) -> Vec<(String, f32, f32, f32, f32)> {
    let n = n.to_string();
    let html = run(
        "pdftotext",
        &["-bbox", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"],
    );
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word ")?;
            let attr = |name: &str| -> f32 {
                let key = format!("{name}=\"");
                let start = rest.find(&key).unwrap() + key.len();
                let end = rest[start..].find('"').unwrap() + start;
                rest[start..end].parse().unwrap()
            };
            let word = rest[rest.find('>')? + 1..rest.find("</word>")?].to_string();
            Some((word, attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")))
        })
        .collect()
}

fn a_png(dir: &Path, name: &str, size: &str, colour: &str) -> Vec<u8> {
    let path = dir.join(name);
    run("convert", &["-size", size, colour, path.to_str().unwrap()]);
    std::fs::read(path).unwrap()
}

#[test]
fn the_recipient_sits_in_a_10_window_envelope_and_the_logo_beside_the_letterhead() {
    use chartroom_pdf::window_envelope::{INSET_MM, VISIBLE_MM};
    let dir = tempfile::tempdir().unwrap();
    let mut doc = summary_doc(3, Paper::Letter);
    if let Some(l) = doc.letterhead.as_mut() {
        l.logo = Some(a_png(dir.path(), "logo.png", "300x200", "xc:navy"));
    }
    doc.window_address = Some(vec![
        "Dr Ada Heartwell".into(),
        "Springfield Heart Associates".into(),
        "12 Cardiac Way, Suite 4".into(),
        "Springfield, IL 62701".into(),
    ]);
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "window.pdf");
    let words = word_boxes(&path, 1);
    let mm = |pt: f32| pt * 25.4 / 72.0;
    let (l, t, r, b) = VISIBLE_MM;
    for w in ["Heartwell", "Springfield", "Cardiac", "62701"] {
        let (_, x0, y0, x1, y1) = words
            .iter()
            .find(|(t, ..)| t == w)
            .unwrap_or_else(|| panic!("{w} not on page 1"));
        assert!(
            mm(*x0) >= l + INSET_MM - 0.5 && mm(*x1) <= r && mm(*y0) >= t && mm(*y1) <= b,
            "{w} at x {:.1}-{:.1} mm, y {:.1}-{:.1} mm, outside the window area {l:.1}-{r:.1} x {t:.1}-{b:.1}",
            mm(*x0), mm(*x1), mm(*y0), mm(*y1)
        );
    }
    // Published #10 figures: window 4.5 x 1.125 in, 7/8 in from the left
    // and 1/2 in from the bottom of a 9.5 x 4.125 in envelope.
    assert!(
        (l - 22.225).abs() < 0.01 && (b - 80.43).abs() < 0.05,
        "{l} {b}"
    );
    // The letterhead's contact line, and the logo drawn at the top left.
    let text = page_text(&path, 1);
    assert!(
        text.contains("Fax (503) 555-0143") && text.contains("NPI 1234567893"),
        "{text}"
    );
    // The body starts below the window.
    let body = words.iter().find(|(t, ..)| t == "Chart").unwrap();
    assert!(mm(body.2) > b, "the title starts at {:.1} mm", mm(body.2));
    // An address too long for the window, or on A4, is refused by name.
    let mut long = doc.clone();
    long.window_address = Some(vec!["x".into(); 9]);
    assert!(matches!(
        render_flow(&long),
        Err(PdfError::InvalidField {
            field: "recipient_address",
            ..
        })
    ));
    let mut a4 = doc.clone();
    a4.paper = Paper::A4;
    assert!(matches!(
        render_flow(&a4),
        Err(PdfError::InvalidField { field: "paper", .. })
    ));
}

#[test]
fn a_scanned_pdf_becomes_pages_and_any_page_can_be_drawn_for_a_preview() {
    let dir = tempfile::tempdir().unwrap();
    // A three-page "scanned" PDF: made by this layer, read back as pages.
    let scan = render_flow(&summary_doc(150, Paper::Letter)).unwrap();
    let scan_pages = chartroom_pdf::raster::page_count(&scan).unwrap();
    assert!(scan_pages >= 3, "{scan_pages}");
    let doc = FlowDoc {
        title: "Packet".into(),
        footer: Footer {
            patient: "Test Patient".into(),
            printed: "Printed by test".into(),
        },
        blocks: vec![
            Block::Paragraph("Cover page.".into()),
            Block::PdfPages {
                caption: "Outside cardiology letter".into(),
                bytes: scan.clone(),
            },
        ],
        ..FlowDoc::default()
    };
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "pdf-pages.pdf");
    assert_eq!(pages(&path), 1 + scan_pages);
    for p in 2..=1 + scan_pages {
        let t = page_text(&path, p);
        assert!(
            t.contains(&format!(
                "Outside cardiology letter · page {} of {scan_pages}",
                p - 1
            )),
            "page {p}: {t}"
        );
        assert!(dark_pixels(&path, p) > 2_000, "page {p} is blank");
    }
    // The preview: a page drawn from the bytes, white with dark text.
    let (png, w, h) = chartroom_pdf::raster::page_png(&scan, 0, 96.0).unwrap();
    assert_eq!((w, h), (816, 1056), "letter at 96 dpi");
    let png_path = dir.path().join("page1.png");
    std::fs::write(&png_path, &png).unwrap();
    let mean = run(
        "convert",
        &[
            png_path.to_str().unwrap(),
            "-colorspace",
            "gray",
            "-format",
            "%[fx:mean]",
            "info:",
        ],
    );
    let mean: f32 = mean.trim().parse().unwrap();
    assert!(
        mean > 0.8 && mean < 0.995,
        "a white page with text: mean {mean}"
    );
    assert!(chartroom_pdf::raster::page_png(&scan, 99, 96.0).is_err());
    // Bytes that are not a PDF are refused by name.
    let bad = FlowDoc {
        blocks: vec![Block::PdfPages {
            caption: "x".into(),
            bytes: b"not a pdf".to_vec(),
        }],
        ..FlowDoc::default()
    };
    assert!(matches!(
        render_flow(&bad),
        Err(PdfError::InvalidField { field: "pdf", .. })
    ));
}

/// A scanned page keeps every pixel it was scanned with: printpdf's
/// default image pass shrank anything over 2 MB of pixels (a letter page
/// at 200 dpi is 3.7 million), silently blurring scans.
#[test]
fn a_large_scanned_page_is_placed_at_its_full_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let page = render_flow(&FlowDoc {
        blocks: vec![Block::Paragraph("A scanned letter, typed small.".into())],
        ..FlowDoc::default()
    })
    .unwrap();
    let (png, w, h) = chartroom_pdf::raster::page_png(&page, 0, 200.0).unwrap();
    assert_eq!((w, h), (1700, 2200));
    let doc = FlowDoc {
        blocks: vec![Block::Image {
            caption: "Scan at 200 dpi".into(),
            bytes: png,
        }],
        ..FlowDoc::default()
    };
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "scan-200dpi.pdf");
    let list = run("pdfimages", &["-list", path.to_str().unwrap()]);
    let sizes: Vec<(String, String, String)> = list
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[3].to_string(), f[4].to_string(), f[5].to_string())
        })
        .collect();
    // Drawn grey text on white: stored grey, every pixel kept.
    assert_eq!(
        sizes,
        [("1700".to_string(), "2200".to_string(), "gray".to_string())],
        "{list}"
    );
}

/// Found in review: a batch of letters (reminders) numbered its pages over
/// the whole batch, so the second patient's letter said "Page 3 of 3".
/// Each letter's pages are numbered on their own.
#[test]
fn each_letter_of_a_batch_numbers_its_own_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = summary_doc(0, Paper::Letter);
    doc.footer.patient = String::new();
    doc.blocks = vec![
        Block::Letter(vec![
            "Søren Ødegård".into(),
            "12 Elm Street".into(),
            "Portland, OR 97201".into(),
        ]),
        Block::Paragraph("A long letter that runs over onto a second page. ".repeat(120)),
        Block::Letter(vec![
            "Zoë Ağaoğlu".into(),
            "4 Oak Avenue".into(),
            "Portland, OR 97202".into(),
        ]),
        Block::Paragraph("A short one.".into()),
    ];
    let path = write(&render_flow(&doc).unwrap(), dir.path(), "letters.pdf");
    assert_eq!(pages(&path), 3);
    let footers: Vec<String> = (1..=3)
        .map(|n| {
            page_text(&path, n)
                .lines()
                .find_map(|l| l.find("Page ").map(|i| l[i..].trim().to_string()))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(footers, vec!["Page 1 of 2", "Page 2 of 2", "Page 1 of 1"]);
    assert!(page_text(&path, 3).contains("Zoë Ağaoğlu"));
}
