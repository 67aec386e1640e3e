//! The administrator opens the audit log, sees the practice's records
//! (set-up, logins, the demo data) and verifies that the hash chain is intact.

use chartroom_e2e::{demo_practice, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

#[test]
fn administrator_verifies_audit_chain() {
    let app = App::launch_in(demo_practice(20), &[]);
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("admin", DEMO_PASSWORD);

    app.click("nav-admin-audit");
    app.wait_for("audit-table");
    // This very login is audited.
    app.wait_for_with_text("audit-row", "login");
    let rows = app.texts("audit-row");
    app.check(
        rows.len() >= 3,
        &format!(
            "the audit log shows {} row(s); the demo practice has more: {rows:?}",
            rows.len()
        ),
    );
    app.check(
        rows.iter().any(|r| r.contains("admin")),
        &format!("no audit row names the user admin: {rows:?}"),
    );

    app.click("audit-verify");
    let result = app.wait_text(
        "audit-verify-result",
        "a result saying the chain is intact",
        |t| t.to_lowercase().contains("intact"),
    );
    let lower = result.to_lowercase();
    app.check(
        !lower.contains("broken") && !lower.contains("not intact"),
        &format!("the verification result reads {result:?}"),
    );
    app.screenshot("audit-01-chain-verified");
}
