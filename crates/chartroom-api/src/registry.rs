//! The registry: every command, listed once, each marked by how it runs:
//! `app` for the practice's own (run on the whole app: set-up, unlocking,
//! sessions, backups, and the two area commands that change the session or
//! the workstation), `area` for an area's (run in a [`chartroom_core::Ctx`]
//! by its [`Handler`]), grouped by the crate that declares them.
//!
//! From this list [`registry!`] builds the wire [`Request`] enum (tagged by
//! `cmd`, in list order), its redacting `Debug`, the typed route of each
//! command, the dispatcher from JSON to JSON, [`CommandName`] (so tests can
//! cover every command) and [`Answers`], the TypeScript map from each
//! command to the one answer type it returns. Adding a command is one line
//! here.

use chartroom_admin::commands::*;
use chartroom_billing::commands::*;
use chartroom_chart::commands::*;
use chartroom_core::{Actor, Command, Guard, Handler, Subject};
use chartroom_patients::commands::*;
use chartroom_records::commands::*;
use chartroom_scheduling::commands::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::commands::*;
use crate::{ApiError, Chartroom, Result};

/// A practice-level command: runs on the whole app (it may open the
/// database, start or end a session).
pub(crate) trait AppHandler: Command {
    fn run_app(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer>;
}

/// A registered command: [`Chartroom::run`] guards it, then routes it to
/// its handler. Implemented by [`registry!`] for every command listed.
pub trait Routed: Command + Into<Request> {
    #[doc(hidden)]
    fn route(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer>;
}

fn json<T: Serialize>(v: T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| ApiError::internal(format!("answer not serialisable: {e}")))
}

/// The route of one command, by how it runs.
macro_rules! route {
    (app $c:ident) => {
        impl Routed for $c {
            fn route(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
                AppHandler::run_app(self, app, actor)
            }
        }
    };
    (area $c:ident) => {
        impl Routed for $c {
            fn route(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
                app.in_ctx(actor, |ctx| Handler::run(self, ctx))
            }
        }
    };
}

macro_rules! registry {
    ($($kind:ident $c:ident),* $(,)?) => {
        /// A request to the backend: one variant per command, tagged by `cmd`
        /// (the command's name in snake case).
        #[derive(Clone, Serialize, Deserialize, TS)]
        #[serde(tag = "cmd", rename_all = "snake_case")]
        #[ts(export)]
        pub enum Request {
            $($c($c),)*
        }

        /// Every command's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CommandName {
            $($c,)*
        }

        impl CommandName {
            /// Every command, in registry order.
            pub const ALL: &'static [CommandName] = &[$(CommandName::$c,)*];

            /// The guard the command declares.
            pub fn guard(self) -> Guard {
                match self {
                    $(CommandName::$c => <$c as Command>::GUARD,)*
                }
            }
        }

        impl Request {
            /// Which command this is.
            pub fn name(&self) -> CommandName {
                match self {
                    $(Request::$c(_) => CommandName::$c,)*
                }
            }

            /// The patient or record the request concerns.
            pub fn subject(&self) -> Subject {
                match self {
                    $(Request::$c(c) => c.subject(),)*
                }
            }

            /// Guards and runs the request; the answer as JSON.
            pub(crate) fn dispatch(self, app: &mut Chartroom) -> Result<serde_json::Value> {
                match self {
                    $(Request::$c(c) => json(app.run(c)?),)*
                }
            }
        }

        // Secrets in requests are `Secret`s, whose `Debug` is redacted.
        impl std::fmt::Debug for Request {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Request::$c(c) => c.fmt(f),)*
                }
            }
        }

        $(
            impl From<$c> for Request {
                fn from(c: $c) -> Request {
                    Request::$c(c)
                }
            }
            route!($kind $c);
        )*

        /// The answer type of every command, by the command's wire name.
        /// Only its TypeScript twin is used: `ui/src/api.ts` types each call
        /// by it, so the UI cannot expect a different answer.
        #[derive(TS)]
        #[ts(export, rename_all = "snake_case")]
        #[allow(non_snake_case, dead_code)]
        pub struct Answers {
            $($c: <$c as Command>::Answer,)*
        }
    };
}

registry! {
    // The practice (this crate): status, set-up, unlocking, sessions.
    app Status,
    app SetupPractice,
    app UnlockWithPassphrase,
    app UnlockWithRecovery,
    app Login,
    app Logout,
    app LockSession,
    app ResumeSession,
    app Heartbeat,
    // Administration (chartroom-admin): one's own password.
    area ChangeOwnPassword,
    // Patients (chartroom-patients); emergency access also grants the session.
    area SearchPatients,
    area OpenPatient,
    area CheckDuplicates,
    area RegisterPatient,
    area UpdatePatient,
    area PatientHistory,
    app EmergencyAccess,
    // Administration (chartroom-admin); saving the settings also renames
    // the practice on this workstation.
    area ListUsers,
    area ListUserNames,
    area CreateUser,
    area UpdateUser,
    area SetUserDisabled,
    area ResetPassword,
    area GetSettings,
    app UpdateSettings,
    area SetPracticeLogo,
    area VerifyAudit,
    area PrintAuditSeal,
    area AuditReport,
    // The practice: backups in the background.
    app StartBackup,
    app JobStatus,
    // The clinical chart (chartroom-chart).
    area GetChartSummary,
    area ListEntries,
    area SaveEntry,
    area ReconcileMedication,
    area EntryHistory,
    area MarkEntryInError,
    area MarkObservationInError,
    area MarkObservationsInError,
    area MarkNoteInError,
    area MarkDocumentInError,
    area SearchCodes,
    area GetReferenceData,
    area CheckDrug,
    area RecordVitals,
    area RecordLab,
    area ListObservations,
    area Trend,
    area StartEncounter,
    area ListNotes,
    area GetNote,
    area SaveNoteDraft,
    area SignNote,
    area AddAddendum,
    area ListTemplates,
    area SaveTemplate,
    area AttachDocument,
    area ListDocuments,
    area GetDocument,
    area PrintPrescription,
    area ListDisclosures,
    area UpdateVisit,
    area UpdateDocument,
    area VisitHistory,
    area DocumentHistory,
    // Records out (chartroom-records).
    area GetRecordChoices,
    area PreviewRecord,
    area ReleaseRecord,
    area ListPrinters,
    area ListReferralProviders,
    area SaveReferralProvider,
    area GetAccounting,
    area ReleaseAccounting,
    area DisclosureLog,
    // Scheduling (chartroom-scheduling).
    area ListCalendars,
    area SaveCalendar,
    area ListClinicians,
    area ListAppointmentTypes,
    area SaveAppointmentType,
    area ListRooms,
    area SaveRoom,
    area ListClosures,
    area SaveClosure,
    area GetSchedule,
    area BookAppointment,
    area MoveAppointment,
    area SetAppointmentRoom,
    area CancelAppointment,
    area SetAppointmentStatus,
    area CheckIn,
    area FindNextSlot,
    area GetFlowBoard,
    area ListPatientAppointments,
    area AppointmentHistory,
    area PrintDaySheet,
    area PrintReminders,
    area AddToWaitlist,
    area ListWaitlist,
    area CloseWaitlistEntry,
    area WaitlistOffers,
    area AddRecall,
    area ListRecalls,
    area CloseRecall,
    // Billing (chartroom-billing).
    area ListFees,
    area SaveFee,
    area EndFee,
    area ListPayers,
    area SavePayer,
    area GetPatientBilling,
    area SetGuarantor,
    area SaveAccount,
    area SaveCoverage,
    area GetLedger,
    area EnterCharge,
    area VoidCharge,
    area EditCharge,
    area CorrectCharge,
    area TakePayment,
    area ApplyCredit,
    area PostInsurancePayment,
    area ReversePayment,
    area RefundCredit,
    area GetDayReport,
    area CloseDay,
    area PrintDayReport,
    area GetStatement,
    area PrintStatement,
    area PrintStatements,
    area PrintReceipt,
    area GetArAging,
    area PrintArAging,
    area GetProviderReport,
    area PrintProviderReport,
    area GetClaims,
    area CreateClaim,
    area PrintClaim,
    area SetClaimStatus,
    area ResubmitClaim,
    area GetClaimSetup,
    area SaveClaimSettings,
    area SetProviderNpi,
    area GetSuperbill,
    area EnterVisitCharges,
}
