//! The registry: every command, listed once, in two lists: the practice's
//! own (run on the whole app: set-up, unlocking, sessions, and for now
//! patients and administration) and the areas' (run in a
//! [`chartroom_core::Ctx`]).
//!
//! From these lists [`registry!`] builds the wire [`Request`] enum (tagged by
//! `cmd`), its redacting `Debug`, the typed route of each command, the
//! dispatcher from JSON to JSON, [`CommandName`] (so tests can cover every
//! command) and [`Answers`], the TypeScript map from each command to the
//! one answer type it returns. Adding a command is one line here.

use chartroom_chart::commands::*;
use chartroom_core::{Actor, Command, Guard, Handler, Subject};
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

macro_rules! registry {
    (app: [$($a:ident),* $(,)?], area: [$($c:ident),* $(,)?] $(,)?) => {
        /// A request to the backend: one variant per command, tagged by `cmd`
        /// (the command's name in snake case).
        #[derive(Clone, Serialize, Deserialize, TS)]
        #[serde(tag = "cmd", rename_all = "snake_case")]
        #[ts(export)]
        pub enum Request {
            $($a($a),)*
            $($c($c),)*
        }

        /// Every command's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CommandName {
            $($a,)*
            $($c,)*
        }

        impl CommandName {
            /// Every command, in registry order.
            pub const ALL: &'static [CommandName] = &[$(CommandName::$a,)* $(CommandName::$c,)*];

            /// The guard the command declares.
            pub fn guard(self) -> Guard {
                match self {
                    $(CommandName::$a => <$a as Command>::GUARD,)*
                    $(CommandName::$c => <$c as Command>::GUARD,)*
                }
            }
        }

        impl Request {
            /// Which command this is.
            pub fn name(&self) -> CommandName {
                match self {
                    $(Request::$a(_) => CommandName::$a,)*
                    $(Request::$c(_) => CommandName::$c,)*
                }
            }

            /// The patient or record the request concerns.
            pub fn subject(&self) -> Subject {
                match self {
                    $(Request::$a(c) => c.subject(),)*
                    $(Request::$c(c) => c.subject(),)*
                }
            }

            /// Guards and runs the request; the answer as JSON.
            pub(crate) fn dispatch(self, app: &mut Chartroom) -> Result<serde_json::Value> {
                match self {
                    $(Request::$a(c) => json(app.run(c)?),)*
                    $(Request::$c(c) => json(app.run(c)?),)*
                }
            }
        }

        // Secrets in requests are `Secret`s, whose `Debug` is redacted.
        impl std::fmt::Debug for Request {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(Request::$a(c) => c.fmt(f),)*
                    $(Request::$c(c) => c.fmt(f),)*
                }
            }
        }

        $(
            impl From<$a> for Request {
                fn from(c: $a) -> Request {
                    Request::$a(c)
                }
            }
            impl Routed for $a {
                fn route(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
                    AppHandler::run_app(self, app, actor)
                }
            }
        )*
        $(
            impl From<$c> for Request {
                fn from(c: $c) -> Request {
                    Request::$c(c)
                }
            }
            impl Routed for $c {
                fn route(self, app: &mut Chartroom, actor: &Actor) -> Result<Self::Answer> {
                    app.in_ctx(actor, |ctx| Handler::run(self, ctx))
                }
            }
        )*

        /// The answer type of every command, by the command's wire name.
        /// Only its TypeScript twin is used: `ui/src/api.ts` types each call
        /// by it, so the UI cannot expect a different answer.
        #[derive(TS)]
        #[ts(export, rename_all = "snake_case")]
        #[allow(non_snake_case, dead_code)]
        pub struct Answers {
            $($a: <$a as Command>::Answer,)*
            $($c: <$c as Command>::Answer,)*
        }
    };
}

registry! {
    app: [
        Status,
        SetupPractice,
        UnlockWithPassphrase,
        UnlockWithRecovery,
        Login,
        Logout,
        LockSession,
        ResumeSession,
        Heartbeat,
        ChangeOwnPassword,
        SearchPatients,
        OpenPatient,
        CheckDuplicates,
        RegisterPatient,
        UpdatePatient,
        PatientHistory,
        EmergencyAccess,
        ListUsers,
        ListUserNames,
        CreateUser,
        UpdateUser,
        SetUserDisabled,
        ResetPassword,
        GetSettings,
        UpdateSettings,
        VerifyAudit,
        AuditReport,
        StartBackup,
        JobStatus,
    ],
    area: [
        GetChartSummary,
        ListEntries,
        SaveEntry,
        ReconcileMedication,
        EntryHistory,
        MarkEntryInError,
        MarkObservationInError,
        MarkObservationsInError,
        MarkNoteInError,
        MarkDocumentInError,
        SearchCodes,
        GetReferenceData,
        CheckDrug,
        RecordVitals,
        RecordLab,
        ListObservations,
        Trend,
        StartEncounter,
        ListNotes,
        GetNote,
        SaveNoteDraft,
        SignNote,
        AddAddendum,
        ListTemplates,
        SaveTemplate,
        AttachDocument,
        ListDocuments,
        GetDocument,
        PrintPrescription,
        ListDisclosures,
        UpdateVisit,
        UpdateDocument,
        VisitHistory,
        DocumentHistory,
    ],
}
