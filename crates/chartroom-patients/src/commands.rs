//! The patient commands, each declared once: its fields, the one answer it
//! returns, the guard it needs and the patient it concerns, next to the
//! handler it runs. The API crate lists them in its registry. Emergency
//! access changes the session, so the API runs it (its audited read is
//! [`patients::emergency_access`]).

use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Subject};
use chartroom_store::model::PatientSummary;
use chartroom_types::PatientId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::patients;
use crate::protocol::*;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchPatients {
    pub query: String,
    #[ts(type = "number")]
    pub limit: u32,
}

impl Command for SearchPatients {
    type Answer = Vec<PatientSummary>;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SearchPatients {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::search(ctx, &self.query, self.limit)
    }
}

/// Open a chart. `from_search` carries the search that found it, which
/// is audited once here rather than at every keystroke.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenPatient {
    pub patient_id: PatientId,
    pub from_search: Option<String>,
}

impl Command for OpenPatient {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for OpenPatient {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::open(ctx, self.patient_id, self.from_search.as_deref())
    }
}

/// Patients who may be the same person, before registering.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckDuplicates {
    pub patient: PatientInput,
}

impl Command for CheckDuplicates {
    type Answer = Vec<PatientSummary>;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for CheckDuplicates {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::check_duplicates(ctx, &self.patient)
    }
}

/// Register; fails with the possible duplicates unless acknowledged.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterPatient {
    pub patient: PatientInput,
    pub acknowledge_duplicates: bool,
}

impl Command for RegisterPatient {
    type Answer = RegisterOutcome;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for RegisterPatient {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::register(ctx, &self.patient, self.acknowledge_duplicates)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdatePatient {
    pub patient_id: PatientId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub patient: PatientInput,
}

impl Command for UpdatePatient {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::Needs(Permission::PatientWrite);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for UpdatePatient {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::update(ctx, self.patient_id, self.expected_version, &self.patient)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientHistory {
    pub patient_id: PatientId,
}

impl Command for PatientHistory {
    type Answer = Vec<PatientVersion>;
    const GUARD: Guard = Guard::Needs(Permission::PatientRead);
    fn subject(&self) -> Subject {
        Subject::Patient(self.patient_id)
    }
}

impl Handler for PatientHistory {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        patients::history(ctx, self.patient_id)
    }
}

/// Break the glass: see one patient's chart outside one's role, with a reason.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmergencyAccess {
    pub mrn: String,
    pub reason: String,
}

impl Command for EmergencyAccess {
    type Answer = PatientChart;
    const GUARD: Guard = Guard::EmergencyAuthorised;
    fn subject(&self) -> Subject {
        Subject::None
    }
}
