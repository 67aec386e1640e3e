//! Images made ready for a page once: pixels composited on white, kept
//! grey when they are grey, deflated quickly and written to the PDF as an
//! image XObject of our own, so printpdf neither re-examines nor
//! re-encodes them (its default pass resizes anything over 2 MB and
//! deflates at the slowest level, which made a 5-page scan cost most of a
//! second).

use std::collections::BTreeMap;
use std::io::Write as _;

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, Px, RawImage, RawImageData, RawImageFormat,
};

use crate::PdfError;

/// An image as it goes into the PDF: its size in pixels and its stream.
#[derive(Clone, Debug)]
pub struct Picture {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) xobject: ExternalXObject,
}

impl Picture {
    /// From 8-bit samples, `channels` per pixel (1 grey, 3 RGB), row by
    /// row; stored grey when every pixel of an RGB image is grey.
    pub(crate) fn from_samples(
        width: usize,
        height: usize,
        channels: usize,
        samples: Vec<u8>,
    ) -> Result<Picture, PdfError> {
        let (grey, samples) = if channels == 3
            && samples
                .chunks_exact(3)
                .all(|p| p[0] == p[1] && p[1] == p[2])
        {
            (true, samples.chunks_exact(3).map(|p| p[0]).collect())
        } else {
            (channels == 1, samples)
        };
        let mut z = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(samples.len() / 8),
            flate2::Compression::fast(),
        );
        z.write_all(&samples)
            .and_then(|()| z.flush())
            .map_err(|e| PdfError::Write(format!("an image could not be compressed: {e}")))?;
        let content = z
            .finish()
            .map_err(|e| PdfError::Write(format!("an image could not be compressed: {e}")))?;
        let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
        let dict = BTreeMap::from([
            ("Type".to_string(), name("XObject")),
            ("Subtype".to_string(), name("Image")),
            ("Width".to_string(), DictItem::Int(width as i64)),
            ("Height".to_string(), DictItem::Int(height as i64)),
            (
                "ColorSpace".to_string(),
                name(if grey { "DeviceGray" } else { "DeviceRGB" }),
            ),
            ("BitsPerComponent".to_string(), DictItem::Int(8)),
            ("Filter".to_string(), name("FlateDecode")),
        ]);
        Ok(Picture {
            width,
            height,
            xobject: ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content,
                    compress: false,
                },
                width: Some(Px(width)),
                height: Some(Px(height)),
                dpi: None,
            },
        })
    }

    /// From premultiplied RGBA pixels drawn on an opaque background.
    pub(crate) fn from_opaque_rgba(
        width: usize,
        height: usize,
        rgba: &[u8],
    ) -> Result<Picture, PdfError> {
        let rgb = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        Picture::from_samples(width, height, 3, rgb)
    }

    /// From a decoded PNG or JPEG: any transparency composited on white.
    pub(crate) fn from_raw(raw: &RawImage) -> Result<Picture, PdfError> {
        let to_u8: Vec<u8> = match &raw.pixels {
            RawImageData::U8(v) => v.clone(),
            RawImageData::U16(v) => v.iter().map(|x| (x >> 8) as u8).collect(),
            RawImageData::F32(v) => v
                .iter()
                .map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect(),
        };
        // (channels in the data, has alpha, blue first)
        let (n, alpha, bgr) = match raw.data_format {
            RawImageFormat::R8 | RawImageFormat::R16 => (1, false, false),
            RawImageFormat::RG8 | RawImageFormat::RG16 => (2, true, false),
            RawImageFormat::RGB8 | RawImageFormat::RGB16 | RawImageFormat::RGBF32 => {
                (3, false, false)
            }
            RawImageFormat::RGBA8 | RawImageFormat::RGBA16 | RawImageFormat::RGBAF32 => {
                (4, true, false)
            }
            RawImageFormat::BGR8 => (3, false, true),
            RawImageFormat::BGRA8 => (4, true, true),
        };
        if to_u8.len() != raw.width * raw.height * n {
            return Err(PdfError::InvalidField {
                field: "image",
                reason: "has fewer pixels than its size says",
            });
        }
        // Over white: c' = c·a + 255·(1 − a).
        let over_white = |c: u8, a: u8| {
            ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8
        };
        let colour = n >= 3;
        let mut out = Vec::with_capacity(raw.width * raw.height * if colour { 3 } else { 1 });
        for p in to_u8.chunks_exact(n) {
            let a = if alpha { p[n - 1] } else { 255 };
            if colour {
                let (r, b) = if bgr { (p[2], p[0]) } else { (p[0], p[2]) };
                out.extend([over_white(r, a), over_white(p[1], a), over_white(b, a)]);
            } else {
                out.push(over_white(p[0], a));
            }
        }
        Picture::from_samples(raw.width, raw.height, if colour { 3 } else { 1 }, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_rgb_is_stored_grey_and_colour_stays_colour() {
        let grey = Picture::from_samples(2, 1, 3, vec![10, 10, 10, 200, 200, 200]).unwrap();
        assert_eq!(
            grey.xobject.stream.dict["ColorSpace"],
            DictItem::Name(b"DeviceGray".to_vec())
        );
        let colour = Picture::from_samples(2, 1, 3, vec![10, 10, 10, 200, 0, 0]).unwrap();
        assert_eq!(
            colour.xobject.stream.dict["ColorSpace"],
            DictItem::Name(b"DeviceRGB".to_vec())
        );
    }

    #[test]
    fn transparency_is_composited_on_white() {
        let raw = RawImage {
            width: 2,
            height: 1,
            data_format: RawImageFormat::RGBA8,
            pixels: RawImageData::U8(vec![0, 0, 0, 0, 0, 0, 0, 255]),
            tag: Vec::new(),
        };
        let p = Picture::from_raw(&raw).unwrap();
        let mut d = flate2::read::ZlibDecoder::new(&p.xobject.stream.content[..]);
        let mut samples = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut samples).unwrap();
        // Fully transparent is white, opaque black stays black; grey.
        assert_eq!(samples, [255, 0]);
    }

    #[test]
    fn a_short_pixel_buffer_is_refused() {
        let raw = RawImage {
            width: 4,
            height: 4,
            data_format: RawImageFormat::RGB8,
            pixels: RawImageData::U8(vec![0; 5]),
            tag: Vec::new(),
        };
        assert!(Picture::from_raw(&raw).is_err());
    }
}
