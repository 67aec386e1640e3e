//! Synthetic data for the demo practice and the benchmarks: no real
//! person's data, the same people for the same seed.
//!
//! - [`practice`]: one login per role ([`DEMO_USERS`], [`DEMO_PASSWORD`]),
//!   synthetic patients ([`patient`], and [`DemoPatients`] to register
//!   many in a [`chartroom_core::Ctx`]).
//! - [`chart`]: clinical histories of a chosen size ([`ChartSize`],
//!   [`DemoChart`]): problems, medications, allergies, immunizations,
//!   vitals, labs and signed notes, written through the store's own
//!   functions and audited as bulk creations.
//! - [`schedule`]: a practice's past on its calendars ([`HistorySpec`],
//!   [`DemoScheduleHistory`]) for the scheduling benchmark.
//! - [`billing`]: years of charges, insurers' and patients' payments,
//!   write-offs and transfers ([`BillingSpec`], [`DemoBillingHistory`]) for
//!   the billing benchmark.
//!
//! The API runs them in a context of its own (`Chartroom::add_demo_patients`,
//! `Chartroom::add_demo_chart`) for the CLI's `demo` and `bench-chart`.

#![forbid(unsafe_code)]

pub mod billing;
pub mod chart;
pub mod practice;
pub mod schedule;

pub use billing::{BillingCounts, BillingSpec, DemoBillingHistory};
pub use chart::{ChartSize, DemoChart};
pub use practice::{
    patient, DemoPatients, DEMO_CLINICIAN_NPI, DEMO_PASSWORD, DEMO_REFERRAL_PROVIDERS, DEMO_USERS,
};
pub use schedule::{DemoScheduleHistory, HistorySpec};
