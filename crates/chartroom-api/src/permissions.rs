//! Roles and permissions, re-exported from `chartroom-core` where every
//! area declares its commands' guards.

pub use chartroom_core::permission::*;
