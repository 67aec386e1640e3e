//! An idle session locks itself, hides the screen behind the lock overlay,
//! refuses a wrong password, and resumes with the right one without losing
//! what was typed.

use std::time::{Duration, Instant};

use chartroom_e2e::{demo_practice, App, DEMO_PASSPHRASE, DEMO_PASSWORD};

/// The app is started with `--idle-lock-secs 4`.
const IDLE_SECS: u64 = 4;

#[test]
fn session_locks_after_idle_and_resumes() {
    let app = App::launch_in(
        demo_practice(20),
        &["--idle-lock-secs", &IDLE_SECS.to_string()],
    );
    app.wait_for("unlock-passphrase");
    app.unlock(DEMO_PASSPHRASE);
    app.login("desk", DEMO_PASSWORD);
    // The sidebar tells the delay in seconds when it is under a minute.
    let info = app.text("idle-lock-info");
    app.check(
        info.contains(&format!("{IDLE_SECS} sec")),
        &format!("the sidebar reads {info:?} for an idle lock of {IDLE_SECS} s"),
    );

    // Start registering someone, and leave the form half done.
    app.click("nav-register");
    app.type_into("reg-family_name", "Idlewild");
    let last_input = Instant::now();
    app.check(
        !app.is_shown("lock-screen"),
        "the lock screen is up right after typing",
    );

    // No input for a while (polling the page is not user input): the lock
    // comes after about IDLE_SECS seconds, not before.
    let limit = Duration::from_secs(IDLE_SECS + 6);
    loop {
        if app.is_shown("lock-screen") {
            break;
        }
        if last_input.elapsed() > limit {
            app.fail(&format!(
                "no `lock-screen` {} s after the last keystroke (idle lock set to {IDLE_SECS} s)",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = last_input.elapsed();
    app.check(
        after >= Duration::from_secs(IDLE_SECS - 1),
        &format!(
            "the session locked {:.1} s after the last keystroke; the idle limit is {IDLE_SECS} s",
            after.as_secs_f64()
        ),
    );
    eprintln!(
        "locked {:.1} s after the last keystroke",
        after.as_secs_f64()
    );
    app.screenshot("idle-01-lock-screen");

    // A wrong password is refused and the lock stays.
    app.type_into("lock-password", "not-the-password");
    app.click("lock-submit");
    // The lock screen asks for no username, so its message names none.
    app.wait_text("lock-error", "\"Wrong password\"", |t| {
        t.starts_with("Wrong password")
    });
    app.check(
        app.is_shown("lock-screen"),
        "the lock screen went away after a wrong password",
    );
    app.screenshot("idle-02-wrong-password");

    // The right password: the overlay goes, the half-typed form is intact.
    app.type_into("lock-password", DEMO_PASSWORD);
    app.click("lock-submit");
    app.wait_gone("lock-screen");
    let family = app.value("reg-family_name");
    app.check(
        family == "Idlewild",
        &format!(
            "after resuming, the family name field holds {family:?}, not the typed \"Idlewild\""
        ),
    );
    app.screenshot("idle-03-resumed");
}
