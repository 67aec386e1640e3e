//! The user form's rules: a login name, at least one role (the password's
//! rule is shared: `chartroom_core::validate::password`). Set-up
//! (in the API) checks the first administrator with them too. The rules
//! every form shares are `chartroom_core::validate`, re-exported here.

use chartroom_core::FieldErrors;
use chartroom_store::model::Role;

pub use chartroom_core::validate::*;

/// A login name: 3 to 32 of a-z, 0-9, `.`, `_`, `-`.
pub fn username(errs: &mut FieldErrors, value: &str) -> String {
    let v = value.trim().to_lowercase();
    if v.len() < 3 || v.len() > 32 {
        errs.add("username", "Username must be 3 to 32 characters");
    } else if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        errs.add(
            "username",
            format!("Username cannot contain \"{bad}\"; use letters, digits, . _ -"),
        );
    }
    v
}

/// A person's full name: required, at most 100 characters; given back
/// cleaned.
pub fn full_name(errs: &mut FieldErrors, field: &str, value: &str) -> String {
    let v = clean(value);
    if v.is_empty() {
        errs.add(field, "Full name is required");
    } else if v.chars().count() > 100 {
        errs.add(field, "Full name is longer than 100 characters");
    }
    v
}

/// At least one role.
pub fn roles(errs: &mut FieldErrors, roles: &[Role]) {
    if roles.is_empty() {
        errs.add("roles", "Choose at least one role");
    }
}
