//! The administration commands (accounts, one's own password, settings,
//! the audit report and chain check), each declared once: its fields, the
//! one answer it returns, the guard it needs, next to the handler it runs.
//! The API crate lists them in its registry. Saving the settings renames
//! the practice on the workstation too, so the API runs `UpdateSettings`
//! (its rules and its write are [`admin::update_settings`]).

use chartroom_core::{Command, Ctx, Guard, Handler, Permission, Result, Secret, Subject};
use chartroom_store::audit::ChainReport;
use chartroom_store::model::{AuditRecord, Role, UserAccount};
use chartroom_types::UserId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::admin;
use crate::protocol::*;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeOwnPassword {
    pub current_password: Secret,
    pub new_password: Secret,
}

impl Command for ChangeOwnPassword {
    type Answer = ();
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ChangeOwnPassword {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::change_own_password(ctx, &self.current_password, &self.new_password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListUsers {}

impl Command for ListUsers {
    type Answer = Vec<UserAccount>;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListUsers {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::list_users(ctx)
    }
}

/// Names of users, for filters (audit report).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListUserNames {}

impl Command for ListUserNames {
    type Answer = Vec<UserName>;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ListUserNames {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::list_user_names(ctx)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreateUser {
    pub username: String,
    pub full_name: String,
    pub credentials: String,
    pub password: Secret,
    pub roles: Vec<Role>,
    pub can_emergency_access: bool,
}

impl Command for CreateUser {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for CreateUser {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::create_user(
            ctx,
            &admin::UserForm {
                username: &self.username,
                full_name: &self.full_name,
                credentials: &self.credentials,
                roles: &self.roles,
                can_emergency_access: self.can_emergency_access,
            },
            &self.password,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateUser {
    pub user_id: UserId,
    pub full_name: String,
    pub credentials: String,
    pub roles: Vec<Role>,
    pub can_emergency_access: bool,
}

impl Command for UpdateUser {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for UpdateUser {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::update_user(
            ctx,
            self.user_id,
            &admin::UserForm {
                username: "",
                full_name: &self.full_name,
                credentials: &self.credentials,
                roles: &self.roles,
                can_emergency_access: self.can_emergency_access,
            },
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetUserDisabled {
    pub user_id: UserId,
    pub disabled: bool,
}

impl Command for SetUserDisabled {
    type Answer = UserAccount;
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SetUserDisabled {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::set_disabled(ctx, self.user_id, self.disabled)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResetPassword {
    pub user_id: UserId,
    pub new_password: Secret,
}

impl Command for ResetPassword {
    type Answer = ();
    const GUARD: Guard = Guard::Needs(Permission::UserAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for ResetPassword {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::reset_password(ctx, self.user_id, &self.new_password)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetSettings {}

impl Command for GetSettings {
    type Answer = Settings;
    const GUARD: Guard = Guard::Active;
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for GetSettings {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::get_settings(ctx)
    }
}

/// Sets the practice's logo (a PNG or JPEG, base64, up to 512 KB), or
/// removes it with `null`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetPracticeLogo {
    pub image_base64: Option<String>,
}

impl Command for SetPracticeLogo {
    type Answer = Settings;
    const GUARD: Guard = Guard::Needs(Permission::SettingsAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for SetPracticeLogo {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::set_logo(ctx, self.image_base64.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateSettings {
    pub settings: Settings,
}

impl Command for UpdateSettings {
    type Answer = Settings;
    const GUARD: Guard = Guard::Needs(Permission::SettingsAdmin);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyAudit {}

impl Command for VerifyAudit {
    type Answer = ChainReport;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for VerifyAudit {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::verify_audit(ctx)
    }
}

/// Prints the audit seal (the newest record and its hash) to the export
/// folder.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintAuditSeal {}

impl Command for PrintAuditSeal {
    type Answer = chartroom_chart::protocol::PrintedFile;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for PrintAuditSeal {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::print_audit_seal(ctx)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditReport {
    pub filter: AuditQuery,
}

impl Command for AuditReport {
    type Answer = Vec<AuditRecord>;
    const GUARD: Guard = Guard::Needs(Permission::AuditRead);
    fn subject(&self) -> Subject {
        Subject::None
    }
}

impl Handler for AuditReport {
    fn run(self, ctx: &mut Ctx<'_>) -> Result<Self::Answer> {
        admin::audit_report(ctx, &self.filter)
    }
}
