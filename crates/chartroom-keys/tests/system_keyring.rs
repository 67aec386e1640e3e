//! The real OS keyring. Both tests are `#[ignore]`d because they need (or
//! need the absence of) a desktop session. Run them as:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; \
//!     cargo test -p chartroom-keys --test system_keyring -- --ignored'
//! env -u DBUS_SESSION_BUS_ADDRESS cargo test -p chartroom-keys --test system_keyring -- --ignored
//! ```
//!
//! Each test checks which situation it is in and says so when it does not
//! apply, because the keyring library picks its store once per process.

// Test helpers outside #[test] fns: a panic is how they report failure.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use chartroom_keys::{DbKey, KeyError, KeyStore, SystemKeyring};

fn has_session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || cfg!(any(target_os = "macos", target_os = "windows"))
}

#[test]
#[ignore = "needs a running Secret Service (see the module docs)"]
fn system_keyring_save_load_forget() {
    if !has_session_bus() {
        eprintln!(
            "skipped: no D-Bus session bus; run inside dbus-run-session with gnome-keyring-daemon"
        );
        return;
    }
    let kr = SystemKeyring::open().expect("keyring should open inside a Secret Service session");
    assert!(!kr.name().is_empty());
    let practice = format!("chartroom-test-{}", std::process::id());
    assert!(kr.load(&practice).unwrap().is_none());
    let key = DbKey::generate();
    kr.save(&practice, &key).unwrap();
    assert_eq!(kr.load(&practice).unwrap(), Some(key.clone()));
    let other = DbKey::generate();
    kr.save(&practice, &other).unwrap();
    assert_eq!(kr.load(&practice).unwrap(), Some(other));
    kr.forget(&practice).unwrap();
    assert!(kr.load(&practice).unwrap().is_none());
    kr.forget(&practice).unwrap();
}

#[test]
#[ignore = "needs no D-Bus session (run with env -u DBUS_SESSION_BUS_ADDRESS)"]
fn system_keyring_without_a_session_is_no_keyring_quickly() {
    if has_session_bus() {
        eprintln!("skipped: a session bus is present");
        return;
    }
    let started = Instant::now();
    let result = SystemKeyring::open_with_timeout(Duration::from_secs(20));
    let elapsed = started.elapsed();
    match result {
        Err(KeyError::NoKeyring { reason }) => eprintln!("NoKeyring after {elapsed:?}: {reason}"),
        other => panic!("expected NoKeyring, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}
