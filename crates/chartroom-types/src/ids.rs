//! Typed ids: one newtype per kind of record. On the wire and in the
//! database an id is a plain integer (the store binds and reads it
//! directly: with the store's feature each id is `ToSql` and `FromSql`, see
//! `sql.rs`);
//! in Rust it says what it names, so a patient's id cannot be passed where
//! a note's is wanted.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[cfg(feature = "sql")]
use crate::sql::sql_id;

/// Without the store's feature an id has no SQL side.
#[cfg(not(feature = "sql"))]
macro_rules! sql_id {
    ($name:ident) => {};
}

macro_rules! ids {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(export)]
        pub struct $name(#[ts(type = "number")] pub i64);

        impl $name {
            /// The integer stored in the database.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v)
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.0
            }
        }

        sql_id!($name);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

ids! {
    /// A registered patient.
    PatientId,
    /// A user account.
    UserId,
    /// A chart entry (problem, medication, allergy, immunization, prescription).
    EntryId,
    /// A vital sign or lab value.
    ObservationId,
    /// A visit.
    EncounterId,
    /// A note or an addendum.
    NoteId,
    /// A note template.
    TemplateId,
    /// An attached document.
    DocumentId,
    /// A clinician's signing key.
    SigningKeyId,
    /// A provider in the practice's referral address book.
    ProviderId,
    /// A record of a print or export (the disclosure log).
    DisclosureId,
    /// A calendar that takes appointments: a clinician, or a line without a
    /// login such as a nurse visit.
    CalendarId,
    /// A kind of appointment (new patient, follow-up...).
    AppointmentTypeId,
    /// A booked appointment (one occurrence of a series is one too).
    AppointmentId,
    /// A recurring series of appointments.
    SeriesId,
    /// A time a calendar does not take appointments (vacation, holiday,
    /// meeting).
    ClosureId,
    /// A patient on the waitlist for an earlier appointment.
    WaitlistEntryId,
    /// A recall: a patient due to be seen again.
    RecallId,
    /// A room appointments can hold (an exam room, the procedure room).
    RoomId,
    /// A line of the practice's fee schedule (a code's price at a level
    /// from a day).
    FeeId,
    /// An insurance company or plan the practice bills.
    PayerId,
    /// A patient's insurance coverage with a payer.
    CoverageId,
    /// A billing account: the guarantor who receives statements, and the
    /// patients whose visits are billed to them.
    AccountId,
    /// A charge: one service line of a visit.
    ChargeId,
    /// Money received (from a patient, a guarantor or a payer).
    PaymentId,
    /// One entry of the ledger.
    LedgerEntryId,
    /// A statement sent to a guarantor.
    StatementId,
    /// A paper claim (CMS-1500) to a payer.
    ClaimId,
}
