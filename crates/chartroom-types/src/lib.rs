//! Types that say what they are, shared by every Chartroom crate and
//! exported to TypeScript once (`ui/src/bindings`):
//!
//! - [`ids`]: a newtype per kind of record ([`PatientId`], [`UserId`],
//!   [`EntryId`], [`NoteId`], ...), so an encounter id cannot be passed
//!   where a patient id is meant;
//! - [`money`]: [`Money`], integer cents, never a float;
//! - [`value_sets`]: every closed list of values (roles, statuses,
//!   categories, visit types, units) as an enum with its stored code and its
//!   label, so the UI shows the backend's words and keeps no copy.

#![forbid(unsafe_code)]

pub mod ids;
pub mod money;
#[cfg(feature = "sql")]
mod sql;
pub mod value_sets;

pub use ids::*;
pub use money::{Money, MoneyError};
pub use value_sets::*;
