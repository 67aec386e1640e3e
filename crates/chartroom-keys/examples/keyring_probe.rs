//! Diagnose the system keyring: `cargo run -p chartroom-keys --example keyring_probe [timeout-seconds]`.
//!
//! Prints whether [`SystemKeyring::open`] finds a working keyring, how long
//! it took, and why not when it fails.

use std::time::{Duration, Instant};

use chartroom_keys::{KeyStore, SystemKeyring};

fn main() {
    let secs = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(SystemKeyring::DEFAULT_TIMEOUT.as_secs());
    let started = Instant::now();
    let result = SystemKeyring::open_with_timeout(Duration::from_secs(secs));
    let elapsed = started.elapsed();
    match result {
        Ok(kr) => println!("ok: {} works ({elapsed:.2?})", kr.name()),
        Err(e) => {
            println!("{}: {e} ({elapsed:.2?})", e.code());
            std::process::exit(1);
        }
    }
}
