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
        }),
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
