//! Temporary probe (to be deleted).
use chartroom_e2e::{demo_practice, App, DEMO_PASSPHRASE, DEMO_PASSWORD};
#[test]
fn probe() {
    let app = App::launch_in(demo_practice(5), &[]);
    app.unlock(DEMO_PASSPHRASE);
    app.login("desk", DEMO_PASSWORD);
    for round in 0..3 {
        app.go_hash("#/patients");
        app.wait_for("patient-search");
        app.click("nav-register");
        app.type_into("reg-family_name", "Nguyễn");
        app.type_into("reg-given_name", "Thị Ánh");
        app.set_date("reg-birth_date", "2027-01-15");
        app.select("reg-sex", "female");
        app.type_into("reg-phone_mobile", "(503) 555-0134");
        eprintln!(
            "round {round}: phone value {:?}",
            app.value("reg-phone_mobile")
        );
        let active = app.execute(
            "return document.activeElement && document.activeElement.getAttribute('data-testid')",
            vec![],
        );
        eprintln!("active before click {active}");
        app.click("reg-submit");
        app.idle(std::time::Duration::from_millis(1500));
        let active = app.execute(
            "return document.activeElement && document.activeElement.getAttribute('data-testid')",
            vec![],
        );
        eprintln!(
            "active after click {active}; error shown {}; form-error {}",
            app.is_shown("error-birth_date"),
            app.is_shown("form-error")
        );
        app.screenshot(&format!("probe-{round}"));
    }
}
