//! A released record as a document: the request checked, the chart read
//! (through `chartroom_chart::extract`, in the caller's transaction) and
//! laid out as `chartroom_pdf` blocks: the referral letter with the
//! recipient in the envelope window, or a title page, then the chosen
//! sections in a fixed order, plots, notes with their signatures and
//! addenda, and attached documents as pages of their own.

use chartroom_chart::extract;
use chartroom_chart::protocol::{ChartEntry, EntryDetails, LabFlag, NoteView, TrendSeries};
use chartroom_chart::vitals::Units;
use chartroom_core::{validate, Actor, Error, FieldErrors, Result};
use chartroom_pdf::{Block, Column, FlowDoc, Footer, Paper, PracticeHeader, TrendPlot};
use chartroom_store::model::{ObservationKind, Patient, Role, Section, UserAccount};
use chartroom_store::{patients, users, Connection};
use chartroom_types::{DocumentCategory, EncounterKind, NoteStatus, PacketKind, RecordSection};
use chrono::{DateTime, NaiveDate, Utc};

use crate::protocol::{PaperSize, Recipient, RecordRequest, ReferralLetter};

/// The most plots one record holds.
pub const MAX_PLOTS: usize = 6;
/// The most notes or documents one record holds.
pub const MAX_CHOSEN: usize = 200;

/// A request whose fields have been checked: what [`compose`] lays out.
#[derive(Debug, Clone)]
pub struct Checked {
    pub request: RecordRequest,
    /// The sections, in print order, without repeats.
    pub sections: Vec<RecordSection>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub letter: Option<ReferralLetter>,
}

pub use chartroom_chart::sheets::printable;

/// Checks what can be checked without the chart: the kind, the sections,
/// the dates, the plots, the letter. Every problem is named by its field.
pub fn check(r: &RecordRequest) -> Result<Checked> {
    let mut errs = FieldErrors::default();
    if !matches!(
        r.kind,
        PacketKind::Summary | PacketKind::Referral | PacketKind::PatientCopy
    ) {
        errs.add("kind", format!("{} is not made here", r.kind.label()));
    }
    let mut sections: Vec<RecordSection> = RecordSection::ALL
        .iter()
        .copied()
        .filter(|s| r.sections.contains(s))
        .collect();
    if sections.is_empty() {
        if r.kind == PacketKind::PatientCopy {
            // The patient's copy is their whole record unless they chose.
            sections = RecordSection::ALL.to_vec();
        } else {
            errs.add("sections", "Choose at least one section to include");
        }
    }
    let (from, to) = validate::date_range(&mut errs, ("from", &r.from), ("to", &r.to));
    if r.trend_codes.len() > MAX_PLOTS {
        errs.add(
            "trend_codes",
            format!("Choose at most {MAX_PLOTS} values to plot"),
        );
    }
    if !r.trend_codes.is_empty()
        && !sections.contains(&RecordSection::Vitals)
        && !sections.contains(&RecordSection::Labs)
    {
        errs.add(
            "trend_codes",
            "Plots are printed with the vital signs or lab results section",
        );
    }
    if r.note_ids.len() > MAX_CHOSEN || r.document_ids.len() > MAX_CHOSEN {
        errs.add(
            "note_ids",
            format!("Choose at most {MAX_CHOSEN} notes and {MAX_CHOSEN} documents"),
        );
    }
    if !r.document_ids.is_empty() && !sections.contains(&RecordSection::Documents) {
        errs.add(
            "document_ids",
            "Documents are included with the attached documents section",
        );
    }
    let letter = match (&r.kind, &r.letter) {
        (PacketKind::Referral, None) => {
            errs.add("letter.reason", "A referral needs the reason for referral");
            None
        }
        (PacketKind::Referral, Some(l)) => {
            let reason = validate::clean(&l.reason);
            if reason.is_empty() {
                errs.add("letter.reason", "Give the reason for referral");
            } else if reason.chars().count() > 2000 {
                errs.add("letter.reason", "The reason is longer than 2000 characters");
            }
            printable(&mut errs, "letter.reason", &reason);
            let question = validate::clean(&l.question);
            printable(&mut errs, "letter.question", &question);
            if question.chars().count() > 2000 {
                errs.add(
                    "letter.question",
                    "The question is longer than 2000 characters",
                );
            }
            if r.paper != PaperSize::Letter {
                errs.add(
                    "paper",
                    "A referral letter is printed on US letter, to fit a #10 window envelope",
                );
            }
            Some(ReferralLetter {
                reason,
                question,
                sender: l.sender,
            })
        }
        _ => None,
    };
    errs.finish()?;
    Ok(Checked {
        request: r.clone(),
        sections,
        from,
        to,
        letter,
    })
}

/// Everything the layout needs besides the chart.
pub struct Context<'a> {
    pub practice: PracticeHeader,
    pub recipient: &'a Recipient,
    pub actor: &'a Actor,
    pub units: Units,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// "12/02/2026 14:05" at the clinic.
    pub printed_at: String,
}

/// "Family, Given Middle" as a chart header reads.
fn full_name(p: &Patient) -> String {
    [
        p.fields.given_name.as_str(),
        p.fields.middle_name.as_str(),
        p.fields.family_name.as_str(),
    ]
    .iter()
    .filter(|s| !s.trim().is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ")
}

fn us_date(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

/// A stored date or instant (`2026-11-02`, `2026-11-02T09:30:00Z`) as
/// `11/02/2026`; what cannot be read is printed as stored.
fn day_text(stored: &str) -> String {
    stored
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(us_date)
        .unwrap_or_else(|| stored.to_string())
}

fn day_of(stored: &str) -> Option<NaiveDate> {
    stored
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Lays a checked request out. Reads the chart in `conn` (one transaction,
/// audited by the caller) and refuses notes and documents of another
/// patient or marked entered in error.
pub fn compose(conn: &Connection, c: &Checked, cx: &Context<'_>) -> Result<FlowDoc> {
    let r = &c.request;
    let patient = patients::get(conn, r.patient_id)?;
    let name = full_name(&patient);
    let dob = us_date(patient.fields.birth_date);
    let mut blocks = Vec::new();
    let mut window_address = None;
    match (r.kind, &c.letter) {
        (PacketKind::Referral, Some(letter)) => {
            window_address = Some(address_lines(cx.recipient));
            cover_letter(
                conn,
                &mut blocks,
                c,
                cx,
                letter,
                (&name, &dob, &patient.mrn),
            )?;
        }
        _ => title_page(&mut blocks, c, cx, (&name, &dob, &patient.mrn)),
    }
    for section in &c.sections {
        section_blocks(conn, &mut blocks, c, cx, *section, &patient)?;
    }
    Ok(FlowDoc {
        paper: match r.paper {
            PaperSize::Letter => Paper::Letter,
            PaperSize::A4 => Paper::A4,
        },
        // No patient data in the document information: file lists show it.
        title: format!("{} from {}", r.kind.label(), cx.practice.name),
        author: cx.practice.name.clone(),
        created_unix: cx.now.timestamp(),
        letterhead: Some(cx.practice.clone()),
        window_address,
        footer: Footer {
            patient: format!("{name} · DOB {dob} · MRN {}", patient.mrn),
            printed: format!(
                "Printed by {} on {}",
                printed_by(conn, cx.actor)?,
                cx.printed_at
            ),
        },
        blocks,
    })
}

fn printed_by(conn: &Connection, actor: &Actor) -> Result<String> {
    Ok(match actor.user_id {
        Some(u) => users::get(conn, u)?.full_name,
        None => actor.username.clone(),
    })
}

/// The recipient's name and address lines, as the envelope shows them.
pub fn address_lines(r: &Recipient) -> Vec<String> {
    std::iter::once(r.name.trim().to_string())
        .chain(validate::clean_lines(&r.address))
        .filter(|l| !l.is_empty())
        .collect()
}

fn included(c: &Checked) -> String {
    c.sections
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A lab flag as a printed lab report marks it; blank when in range.
fn flag_mark(f: Option<LabFlag>) -> &'static str {
    match f {
        Some(LabFlag::Low) => "L",
        Some(LabFlag::High) => "H",
        Some(LabFlag::CriticalLow) => "LL critical",
        Some(LabFlag::CriticalHigh) => "HH critical",
        Some(LabFlag::Normal | LabFlag::NoRange) | None => "",
    }
}

fn range_text(c: &Checked) -> String {
    match (c.from, c.to) {
        (None, None) => "all dates on record".into(),
        (Some(f), None) => format!("from {}", us_date(f)),
        (None, Some(t)) => format!("up to {}", us_date(t)),
        (Some(f), Some(t)) => format!("{} to {}", us_date(f), us_date(t)),
    }
}

fn cover_letter(
    conn: &Connection,
    blocks: &mut Vec<Block>,
    c: &Checked,
    cx: &Context<'_>,
    letter: &ReferralLetter,
    (name, dob, mrn): (&str, &str, &str),
) -> Result<()> {
    let recipient = cx.recipient.name.trim();
    blocks.push(Block::Paragraph(cx.today.format("%B %-d, %Y").to_string()));
    blocks.push(Block::Space(2.0));
    blocks.push(Block::Fields(vec![(
        "Re:".into(),
        format!("{name}, born {dob}, MRN {mrn}"),
    )]));
    blocks.push(Block::Space(2.0));
    blocks.push(Block::Paragraph(format!("Dear {recipient},")));
    blocks.push(Block::Paragraph(format!(
        "Thank you for seeing {name}, whom I am referring to you. The reason for referral and \
         my question are below; the enclosed pages hold {} ({}).",
        included(c).to_lowercase(),
        range_text(c)
    )));
    blocks.push(Block::Heading("Reason for referral".into()));
    blocks.push(Block::Paragraph(letter.reason.clone()));
    if !letter.question.is_empty() {
        blocks.push(Block::Heading("Question".into()));
        blocks.push(Block::Paragraph(letter.question.clone()));
    }
    blocks.push(Block::Space(4.0));
    blocks.push(Block::Paragraph(
        "Please contact me with any questions. With thanks,".into(),
    ));
    blocks.push(Block::Space(12.0));
    let signer = sender(conn, letter, cx.actor)?;
    let mut sig = vec![signed_name(&signer)];
    sig.push(cx.practice.name.clone());
    if !cx.practice.contact_line().is_empty() {
        sig.push(cx.practice.contact_line());
    }
    blocks.push(Block::Paragraph("______________________________".into()));
    blocks.push(Block::Paragraph(sig.join("\n")));
    if cx.actor.user_id != Some(signer.id) {
        blocks.push(Block::Space(4.0));
        blocks.push(Block::Note(format!(
            "Sent for {} by {}.",
            signer.full_name,
            printed_by(conn, cx.actor)?
        )));
    }
    blocks.push(Block::PageBreak);
    Ok(())
}

/// A clinician's name as signed: "Maya Patel, MD".
pub fn signed_name(u: &UserAccount) -> String {
    let credentials = u.credentials.trim();
    if credentials.is_empty() {
        u.full_name.clone()
    } else {
        format!("{}, {credentials}", u.full_name)
    }
}

/// Whether `u` may sign a referral letter: an enabled clinician.
pub fn may_sign(u: &UserAccount) -> bool {
    !u.disabled && u.roles.contains(&Role::Clinician)
}

/// The physician who signs a referral letter: the one chosen, or the user
/// releasing it; either way an enabled clinician of the practice.
fn sender(conn: &Connection, letter: &ReferralLetter, actor: &Actor) -> Result<UserAccount> {
    let refuse = |reason: &str| Err(Error::field("letter.sender", reason));
    match (letter.sender, actor.user_id) {
        (Some(id), _) => match users::get(conn, id) {
            Ok(u) if may_sign(&u) => Ok(u),
            Ok(u) => refuse(&format!(
                "{} cannot sign a referral letter: only an active clinician can",
                u.full_name
            )),
            Err(chartroom_store::StoreError::NotFound { .. }) => {
                refuse("Choose the sending physician from the list")
            }
            Err(e) => Err(e.into()),
        },
        (None, Some(me)) => match users::get(conn, me)? {
            u if may_sign(&u) => Ok(u),
            _ => refuse("Choose the physician who signs the letter"),
        },
        (None, None) => refuse("Choose the physician who signs the letter"),
    }
}

fn title_page(
    blocks: &mut Vec<Block>,
    c: &Checked,
    cx: &Context<'_>,
    (name, dob, mrn): (&str, &str, &str),
) {
    let title = match c.request.kind {
        PacketKind::PatientCopy => "Your health record",
        _ => "Chart summary",
    };
    blocks.push(Block::Title(title.into()));
    let mut fields = vec![
        ("Patient".to_string(), name.to_string()),
        ("Born".into(), dob.to_string()),
        ("MRN".into(), mrn.to_string()),
        ("Covers".into(), range_text(c)),
        ("Sections".into(), included(c)),
    ];
    let to = address_lines(cx.recipient);
    if !to.is_empty() {
        fields.push(("Prepared for".into(), to.join(", ")));
    }
    fields.push(("Prepared on".into(), us_date(cx.today)));
    blocks.push(Block::Fields(fields));
    if c.request.kind == PacketKind::PatientCopy {
        blocks.push(Block::Note(
            "This is a copy of your health record, made at your request. If you think \
             something in it is wrong, you may ask us in writing to correct it."
                .into(),
        ));
    }
    blocks.push(Block::Space(4.0));
}

fn entries_table(
    blocks: &mut Vec<Block>,
    columns: Vec<Column>,
    entries: Vec<ChartEntry>,
    empty: &str,
    row: impl Fn(&ChartEntry) -> Vec<String>,
) {
    blocks.push(Block::Table {
        columns,
        rows: entries.iter().map(row).collect(),
        empty: empty.into(),
    });
}

fn date_or_blank(d: &Option<String>) -> String {
    d.as_deref().map(day_text).unwrap_or_default()
}

fn section_blocks(
    conn: &Connection,
    blocks: &mut Vec<Block>,
    c: &Checked,
    cx: &Context<'_>,
    section: RecordSection,
    patient: &Patient,
) -> Result<()> {
    let pid = patient.id;
    let range = (c.from, c.to);
    blocks.push(Block::Heading(section.label().into()));
    match section {
        RecordSection::Demographics => {
            let f = &patient.fields;
            let address = [
                f.address_line1.clone(),
                f.address_line2.clone(),
                format!("{} {} {}", f.city, f.region, f.postal_code)
                    .trim()
                    .to_string(),
            ]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            let phones = [
                ("mobile", &f.phone_mobile),
                ("home", &f.phone_home),
                ("work", &f.phone_work),
            ]
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(k, p)| format!("{} ({k})", validate::phone_display(p)))
            .collect::<Vec<_>>()
            .join(", ");
            let mut fields = vec![
                ("Name".to_string(), full_name(patient)),
                ("Born".into(), us_date(f.birth_date)),
                ("Sex".into(), f.sex.label().to_string()),
                ("MRN".into(), patient.mrn.clone()),
                ("Address".into(), address),
                ("Phone".into(), phones),
                ("Email".into(), f.email.clone()),
                ("Prefers".into(), f.preferred_contact.label().to_string()),
            ];
            if !f.emergency_name.is_empty() {
                fields.push((
                    "Emergency contact".into(),
                    format!(
                        "{} ({}) {}",
                        f.emergency_name,
                        f.emergency_relationship,
                        validate::phone_display(&f.emergency_phone)
                    ),
                ));
            }
            fields.retain(|(_, v)| !v.trim().is_empty());
            blocks.push(Block::Fields(fields));
        }
        RecordSection::Problems => entries_table(
            blocks,
            vec![
                Column::new("Problem", 5.0),
                Column::new("ICD-10-CM", 1.6),
                Column::new("Status", 1.4),
                Column::new("Since", 1.5),
            ],
            extract::entries(conn, pid, Section::Problem, cx.actor)?,
            "No problems recorded.",
            |e| {
                vec![
                    with_comment(e),
                    e.code.clone(),
                    e.status.label().into(),
                    date_or_blank(&e.effective_date),
                ]
            },
        ),
        RecordSection::Medications => entries_table(
            blocks,
            vec![
                Column::new("Medication", 3.4),
                Column::new("How taken", 3.6),
                Column::new("Status", 1.3),
                Column::new("Started", 1.5),
            ],
            extract::entries(conn, pid, Section::Medication, cx.actor)?,
            "No medications recorded.",
            |e| {
                let (what, how) = match &e.details {
                    EntryDetails::Medication {
                        strength,
                        form,
                        dose,
                        route,
                        frequency,
                        ..
                    } => (
                        join(&[&e.label, strength, form]),
                        join(&[dose, route, frequency]),
                    ),
                    _ => (e.label.clone(), String::new()),
                };
                vec![
                    what,
                    how,
                    e.status.label().into(),
                    date_or_blank(&e.effective_date),
                ]
            },
        ),
        RecordSection::Allergies => {
            let all = extract::entries(conn, pid, Section::Allergy, cx.actor)?;
            let nka = all.iter().any(|e| {
                matches!(
                    e.details,
                    EntryDetails::Allergy {
                        no_known_allergies: true,
                        ..
                    }
                )
            });
            let listed: Vec<ChartEntry> = all
                .into_iter()
                .filter(|e| {
                    !matches!(
                        e.details,
                        EntryDetails::Allergy {
                            no_known_allergies: true,
                            ..
                        }
                    )
                })
                .collect();
            let empty = if nka {
                "No known allergies."
            } else {
                "Allergies have not been recorded."
            };
            entries_table(
                blocks,
                vec![
                    Column::new("Substance", 3.0),
                    Column::new("Reaction", 3.4),
                    Column::new("Severity", 1.5),
                    Column::new("Status", 1.3),
                ],
                listed,
                empty,
                |e| match &e.details {
                    EntryDetails::Allergy {
                        reaction, severity, ..
                    } => vec![
                        e.label.clone(),
                        reaction.clone(),
                        severity.clone(),
                        e.status.label().into(),
                    ],
                    _ => vec![e.label.clone(), String::new(), String::new(), String::new()],
                },
            );
        }
        RecordSection::Immunizations => entries_table(
            blocks,
            vec![
                Column::new("Vaccine", 4.0),
                Column::new("Given", 1.5),
                Column::new("Dose", 1.0),
                Column::new("Lot", 1.6),
                Column::new("Site", 1.6),
            ],
            extract::entries(conn, pid, Section::Immunization, cx.actor)?,
            "No immunizations recorded.",
            |e| match &e.details {
                EntryDetails::Immunization {
                    lot,
                    site,
                    dose_number,
                    ..
                } => vec![
                    e.label.clone(),
                    date_or_blank(&e.effective_date),
                    dose_number.clone(),
                    lot.clone(),
                    site.clone(),
                ],
                _ => vec![e.label.clone(), date_or_blank(&e.effective_date)],
            },
        ),
        RecordSection::Vitals | RecordSection::Labs => {
            let kind = if section == RecordSection::Vitals {
                ObservationKind::Vital
            } else {
                ObservationKind::Lab
            };
            let codes: Vec<String> = c
                .request
                .trend_codes
                .iter()
                .filter(|code| {
                    chartroom_chart::vitals::is_vital(code) == (kind == ObservationKind::Vital)
                })
                .cloned()
                .collect();
            if !codes.is_empty() {
                for s in extract::trends(conn, pid, &codes, range, cx.units)? {
                    blocks.push(Block::Plot(plot_of(&s)));
                }
            }
            let rows = extract::observations(conn, pid, kind, range, cx.units)?;
            // Vital signs carry no flag (the range is printed beside them);
            // lab results print theirs as a lab report does.
            let flagged = kind == ObservationKind::Lab;
            let mut columns = vec![
                Column::new("Date", 1.5),
                Column::new("Measure", 3.6),
                Column::right("Value", 1.6),
                Column::new("Unit", 1.2),
                Column::new("Range", 1.8),
            ];
            if flagged {
                columns.push(Column::new("Flag", 1.0));
            }
            blocks.push(Block::Table {
                columns,
                rows: rows
                    .iter()
                    .map(|o| {
                        let mut row = vec![
                            day_text(&o.effective_at),
                            o.name.clone(),
                            o.display_value.clone(),
                            o.display_unit.clone(),
                            o.reference_range.clone(),
                        ];
                        if flagged {
                            row.push(flag_mark(o.flag).into());
                        }
                        row
                    })
                    .collect(),
                empty: format!(
                    "No {} in {}.",
                    section.label().to_lowercase(),
                    range_text(c)
                ),
            });
        }
        RecordSection::Notes => notes(conn, blocks, c, cx, pid)?,
        RecordSection::Documents => documents(conn, blocks, c, pid)?,
    }
    Ok(())
}

fn join(parts: &[&String]) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_comment(e: &ChartEntry) -> String {
    match &e.details {
        EntryDetails::Problem { comment } if !comment.trim().is_empty() => {
            format!("{} ({})", e.label, comment.trim())
        }
        _ => e.label.clone(),
    }
}

fn plot_of(s: &TrendSeries) -> TrendPlot {
    let points: Vec<(i64, f64)> = s
        .points
        .iter()
        .filter_map(|p| day_of(&p.at).map(|d| (d.num_days_from_ce() as i64, p.value)))
        .collect();
    let ticks = match (points.first(), points.last()) {
        (Some(first), Some(last)) => {
            let span = (last.0 - first.0).max(1);
            (0..=4)
                .map(|i| first.0 + span * i / 4)
                .filter_map(|d| {
                    NaiveDate::from_num_days_from_ce_opt(d as i32).map(|day| (d, us_date(day)))
                })
                .collect()
        }
        _ => Vec::new(),
    };
    TrendPlot {
        title: s.name.clone(),
        unit: s.unit.clone(),
        points,
        x_ticks: ticks,
        band: match (s.range_low, s.range_high) {
            (Some(l), Some(h)) => Some((l, h, s.range_text.clone())),
            _ => None,
        },
    }
}

use chrono::Datelike as _;

fn notes(
    conn: &Connection,
    blocks: &mut Vec<Block>,
    c: &Checked,
    cx: &Context<'_>,
    pid: chartroom_types::PatientId,
) -> Result<()> {
    let ids: Vec<_> = if c.request.note_ids.is_empty() {
        extract::note_list(conn, pid)?
            .into_iter()
            .filter(|n| n.status == NoteStatus::Signed)
            .filter(|n| in_range(c, &n.encounter_date))
            .map(|n| n.id)
            .collect()
    } else {
        c.request.note_ids.clone()
    };
    if ids.is_empty() {
        blocks.push(Block::Note(format!(
            "No signed notes in {}.",
            range_text(c)
        )));
        return Ok(());
    }
    for id in ids {
        let n = extract::note(conn, id, cx.actor)?;
        if n.patient_id != pid {
            return Err(Error::field(
                "note_ids",
                format!("Note {id} is another patient's"),
            ));
        }
        if n.status != NoteStatus::Signed {
            return Err(Error::field(
                "note_ids",
                format!(
                    "The note of {} is {}; only signed notes are released",
                    day_text(&n.encounter_date),
                    n.status.label().to_lowercase()
                ),
            ));
        }
        note_blocks(blocks, &n);
    }
    Ok(())
}

fn in_range(c: &Checked, stored: &str) -> bool {
    match day_of(stored) {
        Some(d) => c.from.is_none_or(|f| d >= f) && c.to.is_none_or(|t| d <= t),
        None => true,
    }
}

fn note_blocks(blocks: &mut Vec<Block>, n: &NoteView) {
    let kind = EncounterKind::parse(&n.encounter_kind)
        .map(|k| k.label().to_string())
        .unwrap_or_else(|| n.encounter_kind.clone());
    blocks.push(Block::Heading(format!(
        "{} · {} · {}",
        day_text(&n.encounter_date),
        kind,
        n.provider
    )));
    if !n.reason.trim().is_empty() {
        blocks.push(Block::Fields(vec![("Reason".into(), n.reason.clone())]));
    }
    let b = &n.body;
    let parts = [
        ("Subjective", &b.subjective),
        ("Objective", &b.objective),
        ("Assessment", &b.assessment),
        ("Plan", &b.plan),
        ("Note", &b.text),
    ];
    let fields: Vec<(String, String)> = parts
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !fields.is_empty() {
        blocks.push(Block::Fields(fields));
    }
    blocks.push(Block::Note(signature_line(n)));
    for a in &n.addenda {
        if a.status != NoteStatus::Signed {
            continue;
        }
        blocks.push(Block::Fields(vec![(
            "Addendum".into(),
            a.body.text.clone(),
        )]));
        blocks.push(Block::Note(signature_line(a)));
    }
}

fn signature_line(n: &NoteView) -> String {
    let when = n.signed_at.as_deref().map(day_text).unwrap_or_default();
    format!(
        "Signed by {} on {} · {} · content SHA-256 {}",
        n.signed_by,
        when,
        n.signature_label,
        n.content_hash.get(..16).unwrap_or(&n.content_hash)
    )
}

fn documents(
    conn: &Connection,
    blocks: &mut Vec<Block>,
    c: &Checked,
    pid: chartroom_types::PatientId,
) -> Result<()> {
    if c.request.document_ids.is_empty() {
        let listed = extract::document_list(conn, pid)?;
        blocks.push(Block::Note(if listed.is_empty() {
            "No documents are attached to this chart.".into()
        } else {
            "No attached documents were chosen.".into()
        }));
        return Ok(());
    }
    for id in &c.request.document_ids {
        let (owner, d, bytes) = extract::document(conn, *id)?;
        if owner != pid {
            return Err(Error::field(
                "document_ids",
                format!("Document {id} is another patient's"),
            ));
        }
        if d.status != chartroom_store::model::RecordStatus::Final {
            return Err(Error::field(
                "document_ids",
                format!(
                    "\"{}\" was marked entered in error and is not released",
                    d.description
                ),
            ));
        }
        let category = DocumentCategory::parse(&d.category)
            .map(|c| c.label().to_string())
            .unwrap_or(d.category.clone());
        let caption = format!(
            "{} · {} · {} (attached document)",
            category,
            day_text(&d.doc_date),
            d.description
        );
        if d.mime == "application/pdf" {
            blocks.push(Block::PdfPages { caption, bytes });
        } else {
            blocks.push(Block::Image { caption, bytes });
        }
    }
    Ok(())
}
