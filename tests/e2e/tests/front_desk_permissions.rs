//! A front-desk user sees no administration entries in the navigation, and
//! typing an administration address (`#/admin/...`) shows "not allowed"
//! instead of the screen.

use chartroom_e2e::{demo_practice, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

#[test]
fn front_desk_cannot_reach_admin_screens() {
    let app = App::launch_in(demo_practice(50), &[]);
    // The key is wrapped by a passphrase (no keyring): the app starts locked.
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("desk", DEMO_PASSWORD);

    // The navigation offers what the front desk does, and nothing of the admin.
    app.wait_for("nav-patients");
    app.check(
        app.is_shown("nav-register"),
        "the front desk has no `nav-register` entry",
    );
    for id in ["nav-admin-users", "nav-admin-settings", "nav-admin-audit"] {
        let n = app.count(id);
        app.check(
            n == 0,
            &format!("the front desk's navigation has `{id}` ({n} element(s))"),
        );
    }
    app.screenshot("desk-01-navigation");

    // Typed addresses: each shows `forbidden` and not the screen's content.
    let screens = [
        ("#/admin/users", ["users-table", "user-new"]),
        (
            "#/admin/settings",
            ["settings-practice-name", "settings-save"],
        ),
        ("#/admin/audit", ["audit-table", "audit-verify"]),
    ];
    for (i, (hash, contents)) in screens.iter().enumerate() {
        // Back to a screen the user may use, so each `forbidden` is fresh.
        app.go_hash("#/patients");
        app.wait_for("patient-search");
        app.check(
            !app.is_shown("forbidden"),
            "`forbidden` is shown on the patients screen",
        );
        app.go_hash(hash);
        app.wait_for("forbidden");
        // Give a late-loading screen the chance to appear before checking it did not.
        app.idle(std::time::Duration::from_millis(700));
        app.check(
            app.hash() == *hash,
            &format!("the app moved from {hash} to {}", app.hash()),
        );
        for id in contents {
            let n = app.count(id);
            app.check(
                n == 0,
                &format!(
                    "at {hash} the front desk gets `{id}` ({n} element(s)) next to `forbidden`"
                ),
            );
        }
        if i == 0 {
            app.screenshot("desk-02-forbidden-admin-users");
        }
    }
}
