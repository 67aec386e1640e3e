//! First run to first chart, as a new practice lives it: set up the practice
//! (passphrase mode, no keyring), note the recovery code, log in as the
//! administrator, create a front-desk user, log in as that user, register a
//! patient (after one validation error), find her by typing part of her name,
//! open her chart, and check that nothing of her is readable in the data
//! folder (encryption at rest).

use chartroom_e2e::{age_years, looks_like_recovery_code, today_utc, App};

const ADMIN_PASSWORD: &str = "admin-e2e-password";
const DESK_PASSWORD: &str = "desk-e2e-password";
const PASSPHRASE: &str = "river stone lantern meadow";

#[test]
fn setup_login_register_and_find_patient() {
    let app = App::launch(&[]);

    // ---- First run: no database, no keyring → the set-up screen with a passphrase.
    app.wait_for("setup-practice-name");
    app.check(
        app.is_shown("setup-passphrase"),
        "started with --no-keyring, yet the set-up screen shows no passphrase field (`setup-passphrase`)",
    );
    app.type_into("setup-practice-name", "Riverside Family Medicine");
    app.type_into("setup-admin-username", "admin");
    app.type_into("setup-admin-fullname", "Alex Admin");
    app.type_into("setup-admin-password", ADMIN_PASSWORD);
    app.type_into("setup-passphrase", PASSPHRASE);
    app.type_into("setup-passphrase-confirm", PASSPHRASE);
    // The whole form fits a 1280×800 window: "Create practice" shows unscrolled.
    let fold = app.execute(
        r#"const r = document.querySelector('[data-testid="setup-submit"]').getBoundingClientRect();
           return { bottom: r.bottom, height: window.innerHeight, scrolled: window.scrollY };"#,
        vec![],
    );
    app.check(
        fold["scrolled"].as_f64() == Some(0.0)
            && fold["bottom"].as_f64().unwrap_or(f64::MAX)
                <= fold["height"].as_f64().unwrap_or(0.0),
        &format!("`setup-submit` is below the fold or the page scrolled: {fold}"),
    );
    app.screenshot("setup-01-first-run");
    app.click("setup-submit");

    // ---- The recovery code is shown once, to be written down.
    let code = app.wait_text(
        "recovery-code",
        "a recovery code shaped XXXXX-XXXXX-XXXXX-XXXXX-XXXXX",
        looks_like_recovery_code,
    );
    app.screenshot("setup-02-recovery-code");
    // "I have written the code down" must be ticked before Continue is enabled.
    app.click("recovery-confirm");
    app.click("recovery-continue");

    // ---- Log in as the administrator.
    app.wait_for("login-username");
    app.check(
        !app.is_shown("recovery-code"),
        "the recovery code is still shown on the login screen",
    );
    app.screenshot("setup-03-login");
    app.login("admin", ADMIN_PASSWORD);
    let who = app.text("current-user");
    app.check(
        who.contains("Alex Admin") || who.contains("admin"),
        &format!("the app shell shows the current user as {who:?}, not Alex Admin"),
    );

    // ---- The administrator creates a front-desk user.
    app.click("nav-admin-users");
    app.wait_for("users-table");
    app.wait_for_css(
        r#"[data-testid="user-row"][data-username="admin"]"#,
        "the users table row of admin",
    );
    app.click("user-new");
    app.type_into("user-username", "desk");
    app.type_into("user-fullname", "Dana Front");
    app.type_into("user-password", DESK_PASSWORD);
    app.click("user-role-front_desk");
    app.click("user-save");
    let row = app.wait_for_css(
        r#"[data-testid="user-row"][data-username="desk"]"#,
        "the users table row of the new user desk",
    );
    let row_text = app.text_of(&row);
    app.check(
        row_text.contains("Dana Front"),
        &format!("the new user's row reads {row_text:?}, without the full name Dana Front"),
    );

    let toast_was_up = app.is_shown("toast-success");

    // ---- Log out, log in as the front desk: the administrator's toasts go.
    app.logout();
    let toasts = app.count("toast-success") + app.count("toast-error") + app.count("toast-info");
    app.check(
        toasts == 0,
        &format!("{toasts} toast(s) survived the logout (one was up before it: {toast_was_up})"),
    );
    app.login("desk", DESK_PASSWORD);
    let who = app.text("current-user");
    app.check(
        who.contains("Dana Front") || who.contains("desk"),
        &format!("the app shell shows the current user as {who:?}, not Dana Front"),
    );

    // ---- Register: first with a birth date in the future (a field error).
    app.click("nav-register");
    app.type_into("reg-family_name", "Nguyễn");
    app.type_into("reg-given_name", "Thị Ánh");
    let (year, _, _) = today_utc();
    let future = format!("01/15/{}", year + 1);
    app.set_date("reg-birth_date", &future);
    app.select("reg-sex", "female");
    app.type_into("reg-phone_mobile", "(503) 555-0134");
    let phone = app.value("reg-phone_mobile");
    app.check(
        phone.contains("555"),
        &format!("the mobile phone field holds {phone:?} after typing (503) 555-0134"),
    );
    app.click("reg-submit");
    let err = app.wait_text(
        "error-birth_date",
        "an error about the future birth date",
        |t| !t.is_empty(),
    );
    app.check(
        !app.is_shown("patient-banner"),
        "a patient with a birth date in the future was registered",
    );
    app.check(
        app.value("reg-family_name") == "Nguyễn",
        "the form lost the family name after the validation error",
    );
    app.screenshot("setup-04-register-birth-date-error");
    eprintln!("birth date error shown: {err:?}");

    // ---- Correct the date and register.
    app.set_date("reg-birth_date", "03/12/1984");
    app.click("reg-submit");
    let outcome = app.wait_for_any(&["patient-banner", "duplicate-dialog", "form-error"]);
    if outcome != "patient-banner" {
        let shown = app.text(&outcome);
        app.fail(&format!(
            "registering Nguyễn, Thị Ánh did not open her chart: `{outcome}` shows {shown:?}"
        ));
    }
    app.wait_for_with_text("banner-name", "Nguyễn");
    // The confirmation toast sits over the navigation column, clear of the
    // form, its action bar and the patient banner.
    if let Some(place) = app
        .execute(
            r#"const t = document.querySelector('[data-testid="toast-success"]');
           if (!t) return null;
           const r = t.getBoundingClientRect();
           const nav = document.querySelector('nav.sidenav').getBoundingClientRect();
           return { right: r.right, nav_right: nav.right };"#,
            vec![],
        )
        .as_object()
        .cloned()
    {
        let right = place["right"].as_f64().unwrap_or(f64::MAX);
        let nav_right = place["nav_right"].as_f64().unwrap_or(0.0);
        app.check(
            right <= nav_right,
            &format!("the toast reaches over the page content: {place:?}"),
        );
    }
    let mrn = app.text("banner-mrn");
    app.check(
        mrn.chars().any(|c| c.is_ascii_digit()),
        &format!("the chart banner's MRN reads {mrn:?}"),
    );

    // ---- Find her again: Patients, type part of her name without the accent.
    app.click("nav-patients");
    app.type_into("patient-search", "nguy");
    app.wait_for("search-results");
    let hit = app.wait_for_with_text("search-result", "Nguyễn");
    let id = app.attr_of(&hit, "data-patient-id").unwrap_or_default();
    app.check(
        !id.is_empty(),
        "the search result row has no data-patient-id",
    );
    app.screenshot("setup-05-search-results");
    // The row's name is a link to the chart: click it as a user would.
    app.click_css(
        &format!(r#"[data-testid="search-result-open"][data-patient-id="{id}"]"#),
        "the name link of the search result for Nguyễn",
    );
    app.wait_for("patient-banner");
    app.check(
        app.hash() == format!("#/patient/{id}"),
        &format!(
            "the search result link for patient {id} led to {}",
            app.hash()
        ),
    );

    // ---- The chart banner: name, date of birth, age, MRN.
    app.wait_for("patient-banner");
    let name = app.wait_for_with_text("banner-name", "Nguyễn");
    let name = app.text_of(&name);
    app.check(
        name.to_lowercase().contains("thị ánh"),
        &format!("the banner name {name:?} lacks the given name Thị Ánh"),
    );
    let dob = app.text("banner-dob");
    let dob_formats = [
        "1984-03-12",
        "03/12/1984",
        "3/12/1984",
        "Mar 12, 1984",
        "March 12, 1984",
        "12 Mar 1984",
        "12 March 1984",
    ];
    app.check(
        dob_formats
            .iter()
            .any(|f| dob.to_lowercase().contains(&f.to_lowercase())),
        &format!("the banner's date of birth reads {dob:?}, not 12 March 1984"),
    );
    let age = app.text("banner-age");
    let expected = age_years((1984, 3, 12), today_utc());
    let shown_age: Option<i64> = age
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse().ok());
    app.check(
        shown_age == Some(expected),
        &format!("the banner's age reads {age:?}; expected {expected} years"),
    );
    let mrn_again = app.text("banner-mrn");
    app.check(
        mrn_again == mrn,
        &format!(
            "the chart found by search shows MRN {mrn_again:?}, the registered one was {mrn:?}"
        ),
    );
    app.screenshot("setup-06-chart-banner");
    eprintln!("recovery code shown: {code}; MRN {mrn}; banner: {name} | {dob} | {age}");

    // ---- Encryption at rest, through the real app: no file of the data
    // folder holds her name, its start, the typed search, or her phone.
    let files = app.data_files();
    let listing: Vec<String> = files
        .iter()
        .map(|(p, b)| format!("{} ({} bytes)", p.display(), b.len()))
        .collect();
    app.check(
        files.iter().any(|(_, b)| !b.is_empty()),
        &format!("the data folder holds no data: {listing:?}"),
    );
    let hits = app.plaintext_in_data_dir(&["Nguyễn", "Nguy", "nguy", "5035550134"]);
    app.check(
        hits.is_empty(),
        &format!("patient data in plain text in the data folder: {hits:?}; files: {listing:?}"),
    );
    eprintln!("data folder scanned, no plain text: {listing:?}");
}
