//! The referral address book: providers the practice sends patients to,
//! kept by the practice (name, specialty, practice, address, phone, fax,
//! NPI). Never deleted; a provider who left is made inactive. Every change
//! is audited and keeps the state it replaces (the store's corrections).

use chartroom_core::{validate, Ctx, FieldErrors, Result};
use chartroom_store::audit;
use chartroom_store::model::{AuditAction, DataCategory};
use chartroom_store::referrals::{self as store, ProviderFields, ProviderRow};
use chartroom_types::ProviderId;

use crate::protocol::{ProviderForm, ReferralProvider};

fn view(r: ProviderRow) -> ReferralProvider {
    ReferralProvider {
        id: r.id,
        name: r.fields.name,
        specialty: r.fields.specialty,
        practice: r.fields.practice,
        address: r.fields.address,
        phone: validate::phone_display(&r.fields.phone),
        fax: validate::phone_display(&r.fields.fax),
        npi: r.fields.npi,
        active: r.fields.active,
        version: r.version,
        updated_at: r.updated_at.to_rfc3339(),
        updated_by: r.updated_by_name,
    }
}

/// The address book, active providers first.
pub fn list(ctx: &mut Ctx<'_>) -> Result<Vec<ReferralProvider>> {
    Ok(store::list(ctx.read())?.into_iter().map(view).collect())
}

/// One provider.
pub fn get(ctx: &Ctx<'_>, id: ProviderId) -> Result<ReferralProvider> {
    Ok(view(store::get(ctx.read(), id)?))
}

/// The form's rules: a name; the address five lines at most (it must show
/// in an envelope window); phone and fax numbers; the NPI's check digit.
pub fn check(f: &ProviderForm) -> Result<ProviderFields> {
    let mut errs = FieldErrors::default();
    let name = validate::short_text(&mut errs, "name", "Name", &f.name, 120);
    if name.is_empty() {
        errs.add("name", "Give the provider's name");
    }
    let specialty = validate::short_text(&mut errs, "specialty", "Specialty", &f.specialty, 80);
    let practice = validate::short_text(&mut errs, "practice", "Practice", &f.practice, 120);
    let lines = validate::clean_lines(&f.address);
    if lines.len() > 4 {
        errs.add(
            "address",
            "An address is at most four lines (with the name, five show in an envelope window)",
        );
    }
    if lines.iter().any(|l| l.chars().any(char::is_control)) {
        errs.add("address", "The address cannot contain control characters");
    }
    for (field, text) in [
        ("name", &name),
        ("practice", &practice),
        ("address", &f.address),
    ] {
        crate::compose::printable(&mut errs, field, text);
    }
    if lines.iter().any(|l| l.chars().count() > 45) {
        errs.add(
            "address",
            "Each address line is at most 45 characters, to fit an envelope window",
        );
    }
    let phone = validate::phone(&mut errs, "phone", "Phone", &f.phone);
    let fax = validate::phone(&mut errs, "fax", "Fax", &f.fax);
    let npi = validate::npi(&mut errs, "npi", &f.npi);
    errs.finish()?;
    Ok(ProviderFields {
        name,
        specialty,
        practice,
        address: lines.join("\n"),
        phone,
        fax,
        npi,
        active: f.active,
    })
}

/// Adds a provider (`id` none) or changes one at `expected_version`.
pub fn save(
    ctx: &mut Ctx<'_>,
    id: Option<ProviderId>,
    expected_version: i64,
    form: &ProviderForm,
) -> Result<ReferralProvider> {
    let fields = check(form)?;
    let actor = ctx.actor();
    let user = actor.user()?;
    ctx.write(|tx, now| {
        let (row, what) = match id {
            None => (store::insert(tx, &fields, now, user)?, "added"),
            Some(id) => (
                store::update(tx, id, expected_version, &fields, now, user)?,
                "changed",
            ),
        };
        audit::append(
            tx,
            now,
            &actor.event(
                if id.is_none() {
                    AuditAction::Create
                } else {
                    AuditAction::Update
                },
                DataCategory::Administration,
                None,
                format!("referral_provider/{}", row.id),
                format!("referral address book: provider {what}"),
            ),
        )?;
        Ok(view(row))
    })
}
