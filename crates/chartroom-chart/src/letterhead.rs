//! The practice's identity as every printed document shows it: name,
//! address, phone, fax, NPI and logo (and the tax id billing prints). The
//! settings keys live here, one copy; administration edits them, and every
//! document (prescriptions, records out, later statements and claims) takes
//! its letterhead from [`header`].

use base64::Engine as _;
use chartroom_core::{validate, Error, FieldErrors, Result};
use chartroom_pdf::PracticeHeader;
use chartroom_store::{settings, Connection};

pub const ADDRESS_KEY: &str = "practice_address";
pub const PHONE_KEY: &str = "practice_phone";
pub const FAX_KEY: &str = "practice_fax";
pub const NPI_KEY: &str = "practice_npi";
pub const TAX_ID_KEY: &str = "practice_tax_id";
/// The logo's bytes, base64.
pub const LOGO_KEY: &str = "practice_logo";

/// The largest logo accepted: 512 KiB, far more than a letterhead needs.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The letterhead of practice `name`, from the settings.
pub fn header(conn: &Connection, name: &str) -> Result<PracticeHeader> {
    let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
    Ok(PracticeHeader {
        name: name.to_string(),
        address_lines: get(ADDRESS_KEY)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        phone: validate::phone_display(&get(PHONE_KEY)?),
        fax: validate::phone_display(&get(FAX_KEY)?),
        npi: get(NPI_KEY)?,
        logo: logo(conn)?,
    })
}

/// The logo's bytes, if one is set.
pub fn logo(conn: &Connection) -> Result<Option<Vec<u8>>> {
    match settings::get(conn, LOGO_KEY)?.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map(Some)
            .map_err(|_| Error::Internal("the stored logo is not base64".into())),
    }
}

/// Checks a logo to be saved: a PNG or JPEG that can be printed, no larger
/// than [`MAX_LOGO_BYTES`]; returns it as stored (base64).
pub fn check_logo(errs: &mut FieldErrors, field: &str, bytes: &[u8]) -> String {
    if bytes.len() > MAX_LOGO_BYTES {
        errs.add(
            field,
            format!(
                "The logo is {} KB; the largest is {} KB (a letterhead logo needs far less)",
                bytes.len() / 1024,
                MAX_LOGO_BYTES / 1024
            ),
        );
        return String::new();
    }
    match chartroom_pdf::check_image(bytes) {
        Ok((w, h)) if w >= 16 && h >= 16 => base64::engine::general_purpose::STANDARD.encode(bytes),
        Ok((w, h)) => {
            errs.add(field, format!("The logo is only {w}×{h} pixels"));
            String::new()
        }
        Err(_) => {
            errs.add(field, "The logo must be a PNG or JPEG image");
            String::new()
        }
    }
}
