//! Printing a prescription: a PDF (drawn by `chartroom-pdf`) written to the
//! practice's export folder, and the print recorded in the disclosure log
//! and the audit log in one transaction.

use chartroom_types::{DisclosurePurpose, EntryId, PacketKind, ReleaseMethod};

use chartroom_pdf::{PatientBlock, Prescriber, PrescriptionDoc};
use chartroom_store::chart as store;
use chartroom_store::disclosures::{self, NewDisclosure};
use chartroom_store::model::{AuditAction, EntryStatus, Section};
use chartroom_store::{patients, settings};
use sha2::{Digest, Sha256};

use crate::protocol::{EntryDetails, PrintedFile};
use chartroom_core::{Ctx, Error, Result};

pub const EXPORT_DIR_KEY: &str = "export_dir";

/// The folder printed PDFs go to.
pub fn export_dir(ctx: &mut Ctx<'_>) -> Result<std::path::PathBuf> {
    let set = settings::get(ctx.read(), EXPORT_DIR_KEY)?;
    Ok(match set.filter(|s| !s.trim().is_empty()) {
        Some(s) => s.into(),
        None => ctx.env().default_export_dir.clone(),
    })
}

/// Prints a prescription to a new PDF and records the disclosure.
pub fn print(ctx: &mut Ctx<'_>, entry_id: EntryId) -> Result<PrintedFile> {
    let actor = ctx.actor();
    let today = ctx.today();
    let dir = export_dir(ctx)?;
    let practice_name = ctx.env().practice_name.clone();
    let conn = ctx.read();
    let e = store::get_entry(conn, entry_id)?;
    if e.section != Section::Prescription {
        return Err(Error::field(
            "entry_id",
            "Only prescriptions are printed here",
        ));
    }
    if e.data.status == EntryStatus::EnteredInError {
        return Err(Error::field(
            "entry_id",
            "This prescription was marked entered in error and cannot be printed",
        ));
    }
    let EntryDetails::Prescription {
        strength,
        form,
        directions,
        quantity,
        quantity_unit,
        refills,
        substitution_allowed,
        prescriber_name,
        prescriber_credentials,
    } = serde_json::from_str(&e.data.body).map_err(|err| Error::Internal(err.to_string()))?
    else {
        return Err(Error::Internal("prescription details missing".into()));
    };
    let p = patients::get(conn, e.patient_id)?.fields;
    let written = e.data.effective_date.unwrap_or(today);
    let doc = PrescriptionDoc {
        practice: crate::letterhead::header(conn, &practice_name)?,
        prescriber: Prescriber {
            full_name: prescriber_name.clone(),
            credentials: prescriber_credentials,
            npi: String::new(),
            dea: String::new(),
        },
        patient: PatientBlock {
            full_name: [
                p.given_name.as_str(),
                p.middle_name.as_str(),
                p.family_name.as_str(),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
            birth_date: p.birth_date.format("%m/%d/%Y").to_string(),
            address_lines: [
                p.address_line1.clone(),
                p.address_line2.clone(),
                format!("{} {} {}", p.city, p.region, p.postal_code)
                    .trim()
                    .to_string(),
            ]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect(),
        },
        date: written.format("%m/%d/%Y").to_string(),
        rx_number: format!("RX-{entry_id:06}"),
        drug: e.data.label.clone(),
        strength: strength.clone(),
        form,
        directions,
        quantity: quantity.to_string(),
        quantity_unit,
        refills,
        substitution_allowed,
    };
    let pdf = chartroom_pdf::prescription(&doc)
        .map_err(|err| Error::Internal(format!("the prescription could not be drawn: {err}")))?;
    let hash: [u8; 32] = Sha256::digest(&pdf).into();
    let stem = format!(
        "rx-{}-{}-{}",
        patients::get(conn, e.patient_id)?.mrn,
        written.format("%Y%m%d"),
        entry_id
    );
    let description = format!("Prescription {} {}", e.data.label, strength)
        .trim()
        .to_string();
    let patient_id = e.patient_id;
    let user = actor.user()?;
    crate::printing::publish(ctx, &dir, &stem, &pdf, |tx, now, file_name| {
        disclosures::insert(
            tx,
            &NewDisclosure {
                patient_id,
                kind: PacketKind::Prescription,
                record_id: &format!("entry/{entry_id}"),
                recipient: "patient / pharmacy (printed)",
                recipient_address: "",
                purpose: DisclosurePurpose::Treatment,
                purpose_detail: "",
                description: &description,
                sections: &[],
                dates: (Some(written), Some(written)),
                page_count: 1,
                method: ReleaseMethod::Saved,
                file_name,
                sha256: &hash,
            },
            now,
            user,
        )?;
        actor.audit_clinical(
            tx,
            now,
            AuditAction::Print,
            patient_id,
            format!("entry/{entry_id}"),
            format!(
                "prescription printed to {file_name} (sha256 {})",
                hex::encode(hash)
            ),
        )?;
        Ok(())
    })
}
