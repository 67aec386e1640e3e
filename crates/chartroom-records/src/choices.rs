//! What a record of a patient can hold, read for the record screen: the
//! signed notes, the documents, the measures with values to plot and the
//! clinicians who may sign a referral letter. Read
//! in one transaction with its audit record.

use std::collections::BTreeMap;

use chartroom_chart::{extract, measurements};
use chartroom_core::{Ctx, Result};
use chartroom_store::model::{NoteStatus, ObservationKind, RecordStatus};
use chartroom_store::{patients, users};
use chartroom_types::{PatientId, RecordSection};

use crate::compose;
use crate::protocol::{MeasureChoice, RecordChoices, Sender};

/// The choices for `patient_id`.
pub fn of(ctx: &mut Ctx<'_>, patient_id: PatientId) -> Result<RecordChoices> {
    let units = measurements::units(ctx)?;
    let me = ctx.actor().user_id;
    ctx.read_audited(
        patient_id,
        ("records", "listed what a record can include"),
        |tx| {
            let p = patients::get(tx, patient_id)?;
            let notes = extract::note_list(tx, patient_id)?
                .into_iter()
                .filter(|n| n.status == NoteStatus::Signed)
                .collect();
            let documents = extract::document_list(tx, patient_id)?
                .into_iter()
                .filter(|d| d.status == RecordStatus::Final)
                .collect();
            let mut measures: BTreeMap<(u8, String), MeasureChoice> = BTreeMap::new();
            for (kind, section, order) in [
                (ObservationKind::Vital, RecordSection::Vitals, 0u8),
                (ObservationKind::Lab, RecordSection::Labs, 1u8),
            ] {
                for o in extract::observations(tx, patient_id, kind, (None, None), units)? {
                    let m =
                        measures
                            .entry((order, o.name.clone()))
                            .or_insert_with(|| MeasureChoice {
                                code: o.code.clone(),
                                name: o.name.clone(),
                                section,
                                values: 0,
                            });
                    m.values += 1;
                }
            }
            let signers: Vec<_> = users::list(tx)?
                .into_iter()
                .filter(compose::may_sign)
                .collect();
            let default_sender = signers.iter().find(|u| Some(u.id) == me).map(|u| u.id);
            Ok(RecordChoices {
                patient_id,
                patient_name: format!("{}, {}", p.fields.family_name, p.fields.given_name),
                mrn: p.mrn,
                notes,
                documents,
                measures: measures.into_values().filter(|m| m.values >= 2).collect(),
                senders: signers
                    .iter()
                    .map(|u| Sender {
                        user_id: u.id,
                        name: compose::signed_name(u),
                    })
                    .collect(),
                default_sender,
            })
        },
    )
}
