//! The embedded typeface: DejaVu Sans, regular and bold, compiled into the
//! binary from `assets/fonts/` (see the README there for source and licence).
//!
//! [`Fonts`] answers the layout's questions (glyph advances, ascent, whether a
//! character can be drawn) from the full fonts, and cuts each face down to the
//! glyphs a document actually uses before it is embedded ([`Fonts::subset`]).
//! printpdf 0.12 only subsets with its `text_layout` feature, which pulls an
//! HTML layout engine; doing it here with the same subsetter (allsorts) keeps
//! a one-page prescription at tens of kilobytes instead of about 700 KB.

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tag;
use printpdf::ParsedFont;

use crate::PdfError;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Tables kept in a subset: allsorts' PDF profile plus `OS/2`, from which
/// printpdf derives the descriptor's stem width (so bold reads as bold when a
/// viewer has to substitute).
const SUBSET_TABLES: &[u32] = &[
    tag::CMAP,
    tag::HEAD,
    tag::CVT,
    tag::FPGM,
    tag::HHEA,
    tag::HMTX,
    tag::MAXP,
    tag::NAME,
    tag::OS_2,
    tag::POST,
    tag::PREP,
];

/// One face of the embedded family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Face {
    Regular,
    Bold,
}

impl Face {
    /// Every face, in a fixed order.
    #[cfg(test)]
    pub(crate) const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR_TTF,
            Face::Bold => BOLD_TTF,
        }
    }

    fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
        }
    }
}

/// The parsed faces, used for measuring and for subsetting.
pub(crate) struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

impl Fonts {
    /// Parses the embedded faces (about a millisecond each).
    pub(crate) fn load() -> Result<Self, PdfError> {
        Ok(Self {
            regular: parse(Face::Regular.bytes())?,
            bold: parse(Face::Bold.bytes())?,
        })
    }

    fn face(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Width of `text` set in `face`, in em (multiply by the size).
    ///
    /// The sum of the glyphs' advances: printpdf draws each character's
    /// glyph with that advance and no kerning, so this is exact. A character
    /// without a glyph counts as the `.notdef` box it would print as.
    pub(crate) fn width_em(&self, face: Face, text: &str) -> f32 {
        let font = self.face(face);
        let upm = f32::from(font.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(font.get_glyph_width(gid).unwrap_or(0))
            })
            .sum();
        units as f32 / upm
    }

    /// Height above the baseline of the tallest glyphs, in em.
    pub(crate) fn ascent_em(&self, face: Face) -> f32 {
        let font = self.face(face);
        f32::from(font.font_metrics.ascent) / f32::from(font.units_per_em.max(1))
    }

    /// Whether `face` has a glyph for `c`.
    pub(crate) fn has_glyph(&self, face: Face, c: char) -> bool {
        self.face(face).lookup_glyph_index(u32::from(c)).is_some()
    }

    /// `face` reduced to the glyphs for `chars`, ready for
    /// `PdfDocument::add_font`. Fails with
    /// [`PdfError::UnsupportedCharacter`] if a character has no glyph.
    pub(crate) fn subset(
        &self,
        face: Face,
        chars: &BTreeSet<char>,
    ) -> Result<ParsedFont, PdfError> {
        let font = self.face(face);
        let mut used = BTreeSet::new();
        for &c in chars {
            let gid =
                font.lookup_glyph_index(u32::from(c))
                    .ok_or(PdfError::UnsupportedCharacter {
                        codepoint: u32::from(c),
                    })?;
            used.insert(gid);
        }
        // allsorts requires .notdef first and no duplicates.
        let ids: Vec<u16> = std::iter::once(0)
            .chain(used.into_iter().filter(|&gid| gid != 0))
            .collect();

        let data = ReadScope::new(face.bytes())
            .read::<FontData<'_>>()
            .map_err(|e| PdfError::Font(e.to_string()))?;
        let provider = data
            .table_provider(0)
            .map_err(|e| PdfError::Font(e.to_string()))?;
        let bytes = subset(
            &provider,
            &ids,
            &SubsetProfile::Custom(SUBSET_TABLES.to_vec()),
            CmapTarget::Unicode,
        )
        .map_err(|e| PdfError::Font(e.to_string()))?;

        let mut parsed = parse(&bytes)?;
        // ISO 32000-1 9.6.4: a subset font's name carries a six-letter tag.
        parsed.font_name = Some(format!("{}+{}", subset_tag(&ids), face.postscript_name()));
        Ok(parsed)
    }
}

fn parse(bytes: &[u8]) -> Result<ParsedFont, PdfError> {
    let mut warnings = Vec::new();
    ParsedFont::from_bytes(bytes, 0, &mut warnings)
        .ok_or_else(|| PdfError::Font(format!("not a readable TrueType font ({warnings:?})")))
}

/// Six capital letters derived from the glyph set (FNV-1a), so different
/// subsets of one face get different names.
fn subset_tag(ids: &[u16]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in ids.iter().flat_map(|id| id.to_le_bytes()) {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + u8::try_from(hash % 26).unwrap_or(0));
            hash /= 26;
            letter
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    #[test]
    fn both_faces_cover_the_names_and_symbols_we_print() {
        let fonts = fonts();
        for face in Face::ALL {
            for c in "Nguyễn Thị Ánh Łukasz Żółć Müller Ørsted ℞ — ·".chars() {
                assert!(fonts.has_glyph(face, c), "{face:?} lacks {c:?}");
            }
        }
    }

    #[test]
    fn bold_is_wider_than_regular() {
        let fonts = fonts();
        let text = "Amoxicillin 500 mg";
        assert!(fonts.width_em(Face::Bold, text) > fonts.width_em(Face::Regular, text));
        assert!(fonts.width_em(Face::Regular, text) > 5.0);
        assert_eq!(fonts.width_em(Face::Regular, ""), 0.0);
    }

    #[test]
    fn a_subset_keeps_only_the_used_glyphs_and_their_widths() {
        let fonts = fonts();
        let chars: BTreeSet<char> = "Nguyễn Thị Ánh".chars().collect();
        let small = fonts.subset(Face::Regular, &chars).unwrap();
        // Most of what is left is the name table and the hinting programs.
        let (kept, whole) = (small.original_bytes.len(), Face::Regular.bytes().len());
        assert!(kept * 20 < whole, "{kept} of {whole} bytes kept");
        for c in &chars {
            let gid = small.lookup_glyph_index(u32::from(*c)).unwrap();
            let full = fonts.face(Face::Regular);
            let full_gid = full.lookup_glyph_index(u32::from(*c)).unwrap();
            assert_eq!(
                small.get_glyph_width(gid),
                full.get_glyph_width(full_gid),
                "{c:?}"
            );
        }
        let name = small.font_name.unwrap();
        assert!(
            name.ends_with("+DejaVuSans") && name.len() == 7 + 10,
            "{name}"
        );
    }

    #[test]
    fn a_character_without_a_glyph_is_an_error() {
        let fonts = fonts();
        let chars: BTreeSet<char> = "Ann 李".chars().collect();
        assert_eq!(
            fonts.subset(Face::Regular, &chars).unwrap_err(),
            PdfError::UnsupportedCharacter { codepoint: 0x674E }
        );
    }
}
