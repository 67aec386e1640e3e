//! Administration: user accounts, roles, settings, the audit report and the
//! chain check. Accounts are disabled, never deleted; the last enabled
//! administrator cannot be disabled or demoted.

use chartroom_core::Clock as _;
use chartroom_store::audit::{self, AuditFilter, ChainReport};
use chartroom_store::model::{AuditAction, AuditRecord, DataCategory, Role, UserAccount};
use chartroom_store::{settings, users, Connection};
use chartroom_types::{PatientId, UserId};

use crate::protocol::{AuditQuery, Settings, UserName};
use base64::Engine as _;
use chartroom_chart::protocol::PrintedFile;
use chartroom_chart::{letterhead, measurements, prescriptions};
use chartroom_core::password::hash_password;
use chartroom_core::signing::Prepared;

use crate::validate;
use chartroom_core::{Ctx, Error, FieldErrors, Permission, Result};

const IDLE_KEY: &str = "idle_lock_minutes";
/// Default minutes of inactivity before the session locks.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;

/// The idle-lock setting (minutes).
pub fn idle_lock_minutes(conn: &Connection) -> u32 {
    settings::get(conn, IDLE_KEY)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_IDLE_MINUTES)
}

/// What the user form carries.
pub struct UserForm<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub credentials: &'a str,
    pub roles: &'a [Role],
    pub can_emergency_access: bool,
}

fn validate_form(errs: &mut FieldErrors, f: &UserForm<'_>) -> (String, String) {
    let full_name = validate::full_name(errs, "full_name", f.full_name);
    let credentials = validate::clean(f.credentials);
    if credentials.chars().count() > 30 {
        errs.add("credentials", "Credentials are longer than 30 characters");
    }
    validate::roles(errs, f.roles);
    (full_name, credentials)
}

pub fn list_users(ctx: &mut Ctx<'_>) -> Result<Vec<UserAccount>> {
    Ok(users::list(ctx.read())?)
}

pub fn list_user_names(ctx: &mut Ctx<'_>) -> Result<Vec<UserName>> {
    Ok(users::list(ctx.read())?
        .into_iter()
        .map(|u| UserName {
            id: u.id,
            username: u.username,
            full_name: u.full_name,
        })
        .collect())
}

/// Creates an account (used by set-up too, with a system actor).
pub fn create_user(ctx: &mut Ctx<'_>, form: &UserForm<'_>, password: &str) -> Result<UserAccount> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let username = validate::username(&mut errs, form.username);
    let (full_name, credentials) = validate_form(&mut errs, form);
    validate::password(
        &mut errs,
        "password",
        password,
        &[form.username, form.full_name, &ctx.env().practice_name],
    );
    errs.finish()?;
    let hash = hash_password(password)?;
    let key = Prepared::new_key(password)?;
    ctx.write(|tx, now| {
        let u = users::insert(
            tx,
            &users::NewUser {
                username: &username,
                full_name: &full_name,
                credentials: &credentials,
                password_hash: &hash,
                roles: form.roles,
                can_emergency_access: form.can_emergency_access,
            },
            now,
        )
        .map_err(|e| match e {
            chartroom_store::StoreError::Duplicate { .. } => {
                Error::field("username", format!("The username {username} is taken"))
            }
            e => e.into(),
        })?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Create,
                DataCategory::Security,
                None,
                format!("user/{}", u.id),
                format!(
                    "created user {} with roles {}{}",
                    u.username,
                    Role::join(&u.roles),
                    if u.can_emergency_access {
                        " (emergency access)"
                    } else {
                        ""
                    }
                ),
            ),
        )?;
        key.store(tx, actor, u.id, now, "account created")?;
        Ok(u)
    })
}

fn ensure_admin_remains(ctx: &Ctx<'_>, user_id: UserId, still_admin: bool) -> Result<()> {
    let conn = ctx.read();
    let target = users::get(conn, user_id)?;
    if target.roles.contains(&Role::Administrator)
        && !target.disabled
        && !still_admin
        && users::count_enabled_with_role(conn, Role::Administrator)? <= 1
    {
        return Err(Error::field(
            "roles",
            "This is the last enabled administrator; make another administrator first",
        ));
    }
    Ok(())
}

pub fn update_user(ctx: &mut Ctx<'_>, user_id: UserId, form: &UserForm<'_>) -> Result<UserAccount> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let (full_name, credentials) = validate_form(&mut errs, form);
    errs.finish()?;
    ensure_admin_remains(ctx, user_id, form.roles.contains(&Role::Administrator))?;
    ctx.write(|tx, now| {
        let before = users::get(tx, user_id)?;
        let u = users::update_profile(
            tx,
            user_id,
            &full_name,
            &credentials,
            form.roles,
            form.can_emergency_access,
            now,
        )?;
        let mut changes = Vec::new();
        if before.roles != u.roles {
            changes.push(format!(
                "roles {} -> {}",
                Role::join(&before.roles),
                Role::join(&u.roles)
            ));
        }
        if before.can_emergency_access != u.can_emergency_access {
            changes.push(format!(
                "emergency access {} -> {}",
                before.can_emergency_access, u.can_emergency_access
            ));
        }
        let action = if changes.is_empty() {
            AuditAction::Update
        } else {
            AuditAction::PermissionChange
        };
        if changes.is_empty() {
            changes.push("profile".into());
        }
        audit::append(
            tx,
            now,
            &actor.event(
                action,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                format!("{}: {}", u.username, changes.join("; ")),
            ),
        )?;
        Ok(u)
    })
}

pub fn set_disabled(ctx: &mut Ctx<'_>, user_id: UserId, disabled: bool) -> Result<UserAccount> {
    let actor = ctx.actor();
    if disabled && actor.user_id == Some(user_id) {
        return Err(Error::field(
            "disabled",
            "You cannot disable your own account",
        ));
    }
    if disabled {
        ensure_admin_remains(ctx, user_id, false)?;
    }
    ctx.write(|tx, now| {
        users::set_disabled(tx, user_id, disabled, now)?;
        let u = users::get(tx, user_id)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::PermissionChange,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                format!(
                    "{} {}",
                    u.username,
                    if disabled { "disabled" } else { "enabled" }
                ),
            ),
        )?;
        Ok(u)
    })
}

pub fn reset_password(ctx: &mut Ctx<'_>, user_id: UserId, new_password: &str) -> Result<()> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let target = users::get(ctx.read(), user_id)?;
    validate::password(
        &mut errs,
        "new_password",
        new_password,
        &[
            &target.username,
            &target.full_name,
            &ctx.env().practice_name,
        ],
    );
    errs.finish()?;
    let hash = hash_password(new_password)?;
    // The old key's wrap needs the old password, which the administrator
    // does not have: the user gets a new key, and the old one is kept
    // (retired) so what it signed still verifies.
    let key = Prepared::new_key(new_password)?;
    ctx.write(|tx, now| {
        users::set_password(tx, user_id, &hash, now)?;
        key.store(tx, actor, user_id, now, "password reset by administrator")?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Update,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                "password reset by administrator",
            ),
        )?;
        Ok(())
    })
}

pub fn change_own_password(ctx: &mut Ctx<'_>, current: &str, new_password: &str) -> Result<()> {
    let actor = ctx.actor();
    let user_id = actor.user()?;
    let mut errs = FieldErrors::default();
    let me = users::get(ctx.read(), user_id)?;
    validate::password(
        &mut errs,
        "new_password",
        new_password,
        &[&me.username, &me.full_name, &ctx.env().practice_name],
    );
    if new_password == current {
        errs.add("new_password", "The new password is the current one");
    }
    errs.finish()?;
    // The current password counts towards the lockout and is recorded when
    // wrong, as at login: an unlocked session is no place to guess it.
    match chartroom_core::password::confirm_password(ctx, current, "password change") {
        Ok(_) => {}
        Err(Error::WrongPassword) => {
            return Err(Error::field(
                "current_password",
                "The current password is wrong",
            ))
        }
        Err(e) => return Err(e),
    }
    let new_hash = hash_password(new_password)?;
    // Same key pair, wrapped by the new password.
    let key = Prepared::rewrapped(ctx.read(), user_id, current, new_password)?;
    ctx.write(|tx, now| {
        users::set_password(tx, user_id, &new_hash, now)?;
        key.store(tx, actor, user_id, now, "password changed")?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Update,
                DataCategory::Security,
                None,
                format!("user/{user_id}"),
                "changed own password",
            ),
        )?;
        Ok(())
    })
}

pub fn get_settings(ctx: &mut Ctx<'_>) -> Result<Settings> {
    let units = measurements::units(ctx)?;
    let conn = ctx.read();
    let get = |k: &str| -> Result<String> { Ok(settings::get(conn, k)?.unwrap_or_default()) };
    Ok(Settings {
        // The stored name: the API's copy (`Env`) follows it after a change.
        practice_name: settings::practice(conn)?
            .map(|p| p.name)
            .unwrap_or_else(|| ctx.env().practice_name.clone()),
        units: units.as_str().to_string(),
        // Empty: the default folder (`Config::export_dir`).
        export_dir: get(prescriptions::EXPORT_DIR_KEY)?,
        practice_address: get(letterhead::ADDRESS_KEY)?,
        practice_phone: chartroom_core::validate::phone_display(&get(letterhead::PHONE_KEY)?),
        practice_fax: chartroom_core::validate::phone_display(&get(letterhead::FAX_KEY)?),
        practice_npi: get(letterhead::NPI_KEY)?,
        practice_tax_id: get(letterhead::TAX_ID_KEY)?,
        has_logo: !get(letterhead::LOGO_KEY)?.is_empty(),
        idle_lock_minutes: idle_lock_minutes(conn),
        time_zone: get(chartroom_core::clock::TIME_ZONE_KEY)?,
        workstation_time_zone: chartroom_core::SystemClock.zone().name().to_string(),
    })
}

/// Saves the settings; the API then gives the workstation the new
/// practice name.
pub fn update_settings(ctx: &mut Ctx<'_>, s: &Settings) -> Result<Settings> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let name = validate::clean(&s.practice_name);
    if name.is_empty() || name.chars().count() > 120 {
        errs.add(
            "practice_name",
            "Practice name is required (up to 120 characters)",
        );
    }
    if !(1..=60).contains(&s.idle_lock_minutes) {
        errs.add(
            "idle_lock_minutes",
            format!(
                "Idle lock must be between 1 and 60 minutes, not {}",
                s.idle_lock_minutes
            ),
        );
    }
    if chartroom_chart::vitals::Units::parse(&s.units).is_none() {
        errs.add("units", "Units must be \"us\" or \"metric\"");
    }
    let export_dir = s.export_dir.trim().to_string();
    if !export_dir.is_empty() && !std::path::Path::new(&export_dir).is_absolute() {
        errs.add(
            "export_dir",
            "Give the full path of the folder for printed PDFs",
        );
    }
    let mut address_lines = validate::clean_lines(&s.practice_address);
    address_lines.truncate(3);
    let address = address_lines.join("\n");
    if address.chars().count() > 200 {
        errs.add("practice_address", "Address is longer than 200 characters");
    }
    let phone = if s.practice_phone.trim().is_empty() {
        String::new()
    } else {
        validate::phone(
            &mut errs,
            "practice_phone",
            "Practice phone",
            &s.practice_phone,
        )
    };
    let fax = if s.practice_fax.trim().is_empty() {
        String::new()
    } else {
        validate::phone(&mut errs, "practice_fax", "Practice fax", &s.practice_fax)
    };
    let npi = validate::npi(&mut errs, "practice_npi", &s.practice_npi);
    let tax_id = validate::tax_id(&mut errs, "practice_tax_id", &s.practice_tax_id);
    let time_zone = s.time_zone.trim().to_string();
    if !time_zone.is_empty() && chartroom_core::clock::parse_zone(&time_zone).is_none() {
        errs.add(
            "time_zone",
            format!("\"{time_zone}\" is not a time zone name such as America/New_York"),
        );
    }
    errs.finish()?;
    let before = get_settings(ctx)?;
    // The zone the clinic will be in: the one named, or the workstation's.
    let zone_after =
        chartroom_core::clock::parse_zone(&time_zone).unwrap_or_else(|| ctx.clock().clock.zone());
    let zone_changes = zone_after != ctx.zone();
    ctx.write(|tx, now| {
        // Appointments keep their instants; the clinic day each falls on
        // (what the day views look up) follows the new zone.
        let redated = if zone_changes {
            chartroom_store::scheduling::redate(tx, |t| t.with_timezone(&zone_after).date_naive())?
        } else {
            0
        };
        settings::rename_practice(tx, &name)?;
        settings::set(tx, IDLE_KEY, &s.idle_lock_minutes.to_string())?;
        settings::set(tx, measurements::UNITS_KEY, &s.units)?;
        settings::set(tx, prescriptions::EXPORT_DIR_KEY, &export_dir)?;
        settings::set(tx, letterhead::ADDRESS_KEY, &address)?;
        settings::set(tx, letterhead::PHONE_KEY, &phone)?;
        settings::set(tx, letterhead::FAX_KEY, &fax)?;
        settings::set(tx, letterhead::NPI_KEY, &npi)?;
        settings::set(tx, letterhead::TAX_ID_KEY, &tax_id)?;
        settings::set(tx, chartroom_core::clock::TIME_ZONE_KEY, &time_zone)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::SettingsChange,
                DataCategory::Administration,
                None,
                "settings",
                format!(
                    "idle lock {} -> {} min; time zone {} -> {}{}; practice name {}",
                    before.idle_lock_minutes,
                    s.idle_lock_minutes,
                    if before.time_zone.is_empty() {
                        "workstation's"
                    } else {
                        &before.time_zone
                    },
                    if time_zone.is_empty() {
                        "workstation's"
                    } else {
                        &time_zone
                    },
                    if redated > 0 {
                        format!(" ({redated} appointment day(s) redated)")
                    } else {
                        String::new()
                    },
                    if before.practice_name == name {
                        "unchanged"
                    } else {
                        "changed"
                    }
                ),
            ),
        )?;
        Ok(())
    })?;
    get_settings(ctx)
}

/// Sets (or, with `None`, removes) the practice's logo, printed on every
/// document's letterhead.
pub fn set_logo(ctx: &mut Ctx<'_>, image_base64: Option<&str>) -> Result<Settings> {
    let actor = ctx.actor();
    let mut errs = FieldErrors::default();
    let stored = match image_base64 {
        None => String::new(),
        Some(b64) => match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
            Ok(bytes) => letterhead::check_logo(&mut errs, "logo", &bytes),
            Err(_) => {
                errs.add("logo", "The logo did not arrive as base64");
                String::new()
            }
        },
    };
    errs.finish()?;
    ctx.write(|tx, now| {
        settings::set(tx, letterhead::LOGO_KEY, &stored)?;
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::SettingsChange,
                DataCategory::Administration,
                None,
                "settings",
                if stored.is_empty() {
                    "practice logo removed".to_string()
                } else {
                    format!("practice logo set ({} bytes, base64)", stored.len())
                },
            ),
        )?;
        Ok(())
    })?;
    get_settings(ctx)
}

pub fn verify_audit(ctx: &mut Ctx<'_>) -> Result<ChainReport> {
    let actor = ctx.actor();
    let report = audit::verify(ctx.read())?;
    let detail = match &report.first_broken {
        None => format!("chain intact, {} records", report.records),
        Some(b) => format!("chain BROKEN at record {}: {}", b.id, b.reason),
    };
    ctx.audit(actor.event(
        AuditAction::Verify,
        DataCategory::Audit,
        None,
        "audit_log",
        detail,
    ))?;
    Ok(report)
}

/// Prints the audit seal: the chain is verified first (a seal vouches only
/// for a log that verifies), then its newest record and hash go on a page
/// for the practice to keep away from the computer, to be typed back into
/// `chartroom verify --seal`. The print is audited like any other.
pub fn print_audit_seal(ctx: &mut Ctx<'_>) -> Result<PrintedFile> {
    let actor = ctx.actor();
    let report = audit::verify(ctx.read())?;
    if let Some(b) = &report.first_broken {
        return Err(Error::field(
            "audit_log",
            format!(
                "The audit log does not verify (record {}: {}); a seal would vouch for a damaged log",
                b.id, b.reason
            ),
        ));
    }
    let head = audit::head(ctx.read(), "seal")?
        .ok_or_else(|| Error::field("audit_log", "The audit log has no records yet"))?;
    let printed_by = match actor.user_id {
        Some(id) => users::get(ctx.read(), id)?.full_name,
        None => actor.username.clone(),
    };
    let now = ctx.now();
    let doc = chartroom_pdf::AuditSealDoc {
        practice: ctx.env().practice_name.clone(),
        printed_at: format!(
            "{} (clinic date), {} UTC",
            ctx.today().format("%m/%d/%Y"),
            now.format("%H:%M")
        ),
        printed_by,
        head_id: head.id,
        head_hash: head.hash_text(),
        chain: format!(
            "{} records; the chain verified when this was printed",
            report.records
        ),
    };
    let pdf = chartroom_pdf::audit_seal(&doc)
        .map_err(|e| Error::Internal(format!("the audit seal could not be drawn: {e}")))?;
    let dir = prescriptions::export_dir(ctx)?;
    let stem = format!("audit-seal-{}-{}", ctx.today().format("%Y%m%d"), head.id);
    let hash = hex::encode(head.hash);
    chartroom_chart::printing::publish(ctx, &dir, &stem, &pdf, |tx, now, file_name| {
        audit::append(
            tx,
            now,
            &actor.event(
                AuditAction::Print,
                DataCategory::Audit,
                None,
                "audit_log",
                format!(
                    "audit seal printed to {file_name}: record {}, hash {hash}",
                    head.id
                ),
            ),
        )?;
        Ok(())
    })
}

/// The store's filter for a typed audit query, or every field's problem.
fn audit_filter(q: &AuditQuery, clock: &dyn chartroom_core::Clock) -> Result<AuditFilter> {
    let mut errs = FieldErrors::default();
    let (from, to) = validate::date_range(&mut errs, ("from", &q.from), ("to", &q.to));
    let pid = q.patient_id.trim();
    let patient_id = if pid.is_empty() {
        None
    } else {
        match pid.parse::<i64>() {
            Ok(id) if id > 0 => Some(PatientId(id)),
            _ => {
                errs.add("patient_id", "A patient id is a number");
                None
            }
        }
    };
    errs.finish()?;
    Ok(AuditFilter {
        from: from.map(|d| clock.day_start(d)),
        // The whole of the last day: up to the start of the next one.
        to: to.and_then(|d| d.succ_opt()).map(|d| clock.day_start(d)),
        user_id: q.user_id,
        patient_id,
        action: q.action,
        oldest_first: q.oldest_first,
        limit: i64::from(q.limit.clamp(1, 5000)),
    })
}

pub fn audit_report(ctx: &mut Ctx<'_>, query: &AuditQuery) -> Result<Vec<AuditRecord>> {
    let actor = ctx.actor();
    let filter = &audit_filter(query, &ctx.clock())?;
    let mut rows = audit::query(ctx.read(), filter)?;
    // The log says who touched which chart and how; what the chart says
    // (drug names, override reasons) is for those who may read charts.
    let clinical = actor.permissions.contains(&Permission::ClinicalRead);
    if !clinical {
        for r in rows
            .iter_mut()
            .filter(|r| r.category == DataCategory::Clinical)
        {
            r.detail = "(clinical detail: visible to clinicians)".into();
        }
    }
    // What was typed into patient search names people: for those who may
    // look patients up.
    if !actor.permissions.contains(&Permission::PatientRead) {
        for r in rows.iter_mut().filter(|r| {
            r.action == AuditAction::Query && r.record_id == chartroom_core::PATIENT_SEARCH_RECORD
        }) {
            r.detail = "(search text: visible to users who may find patients)".into();
        }
    }
    ctx.audit(actor.event(
        AuditAction::Query,
        DataCategory::Audit,
        filter.patient_id,
        "audit_log",
        format!("audit report: {} rows", rows.len()),
    ))?;
    Ok(rows)
}
