//! A command, declared once: its request fields (the struct), the one
//! answer it returns, the guard it needs and the patient it concerns.
//!
//! Area crates implement [`Command`] and [`Handler`] for each of their
//! requests; the API crate lists them once in its registry, which builds the
//! wire `Request` enum, the dispatcher and the TypeScript map from each
//! command to its answer. Every method is required, so a new command cannot
//! forget its guard or its subject.

use serde::Serialize;

use crate::permission::{Guard, Subject};
use crate::{Ctx, Result};

/// What a command is, as the dispatcher and the UI see it.
pub trait Command {
    /// The one answer type this command returns.
    type Answer: Serialize + ts_rs::TS + 'static;
    /// The guard checked before the command runs.
    const GUARD: Guard;
    /// The patient (or the record whose patient) this request concerns, for
    /// emergency-access scoping.
    fn subject(&self) -> Subject;
}

/// A command an area runs on the open practice.
pub trait Handler: Command {
    /// Runs the command for `ctx.actor()`.
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer>;
}
