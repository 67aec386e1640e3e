//! Where the database key is remembered between runs: the [`KeyStore`] trait,
//! the operating system's keyring ([`SystemKeyring`]) and an in-process
//! [`MemoryKeyStore`] for tests and `--no-keyring`.
//!
//! Entries use service `"chartroom"` and the practice id as the user name;
//! the secret is the raw 32-byte key. The keyring is a convenience: the key
//! file plus the recovery code (or passphrase) can always rebuild the entry.
//!
//! [`SystemKeyring`] uses keyring 4's platform store (Secret Service on
//! Linux and the BSDs, Keychain on macOS, Credential Manager on Windows).
//! Every call runs on a helper thread with a time limit, so a keyring daemon
//! that never answers (or an unlock prompt nobody can see) turns into an
//! error instead of a frozen app.

use std::collections::HashMap;
use std::sync::{mpsc, Mutex};
use std::thread;
use std::time::Duration;

use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::key::DB_KEY_LEN;
use crate::{DbKey, KeyError};

/// Keyring service name for all Chartroom entries.
pub const KEYRING_SERVICE: &str = "chartroom";

/// Somewhere to remember a practice's database key.
pub trait KeyStore: Send + Sync {
    /// A name for messages, e.g. "Secret Service".
    fn name(&self) -> &str;
    /// The stored key, or `Ok(None)` when there is no entry.
    fn load(&self, practice_id: &str) -> Result<Option<DbKey>, KeyError>;
    /// Store (or replace) the key.
    fn save(&self, practice_id: &str, key: &DbKey) -> Result<(), KeyError>;
    /// Remove the entry; succeeds when there was none.
    fn forget(&self, practice_id: &str) -> Result<(), KeyError>;
}

/// An in-process key store. Keys vanish when the process ends.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, DbKey>>,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, DbKey>> {
        // A panic elsewhere cannot leave a HashMap of keys half-updated in a
        // way that matters here, so a poisoned lock is still usable.
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for MemoryKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryKeyStore")
            .field("entries", &self.map().len())
            .finish()
    }
}

impl KeyStore for MemoryKeyStore {
    fn name(&self) -> &str {
        "in-memory key store"
    }

    fn load(&self, practice_id: &str) -> Result<Option<DbKey>, KeyError> {
        Ok(self.map().get(practice_id).cloned())
    }

    fn save(&self, practice_id: &str, key: &DbKey) -> Result<(), KeyError> {
        self.map().insert(practice_id.to_string(), key.clone());
        Ok(())
    }

    fn forget(&self, practice_id: &str) -> Result<(), KeyError> {
        self.map().remove(practice_id);
        Ok(())
    }
}

/// The operating system's keyring, through keyring 4.
#[derive(Debug, Clone)]
pub struct SystemKeyring {
    name: &'static str,
    timeout: Duration,
}

impl SystemKeyring {
    /// How long [`SystemKeyring::open`] and each call wait for the keyring.
    /// Generous, because the first use may show an unlock prompt.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Open the platform keyring and prove it works by writing, reading back
    /// and deleting a probe entry. Without a working keyring (e.g. Linux with
    /// no Secret Service daemon or no D-Bus session) this returns
    /// [`KeyError::NoKeyring`].
    pub fn open() -> Result<SystemKeyring, KeyError> {
        Self::open_with_timeout(Self::DEFAULT_TIMEOUT)
    }

    /// [`SystemKeyring::open`] with a different time limit per keyring call.
    pub fn open_with_timeout(timeout: Duration) -> Result<SystemKeyring, KeyError> {
        let kr = SystemKeyring {
            name: platform_store_name(),
            timeout,
        };
        let no_keyring = |reason: String| KeyError::NoKeyring { reason };
        let status = kr
            .bounded(|| {
                keyring::Entry::store_status()
                    .as_ref()
                    .map_err(|e| e.to_string())
                    .map(|_| ())
            })
            .map_err(|e| no_keyring(timeout_reason(&e, kr.timeout)))?;
        status.map_err(|e| no_keyring(format!("the {} could not be opened ({e})", kr.name)))?;

        let mut id = [0u8; 8];
        OsRng.fill_bytes(&mut id);
        let probe_user = format!("chartroom-probe-{}", hex::encode(id));
        let mut probe_secret = [0u8; 16];
        OsRng.fill_bytes(&mut probe_secret);
        let probe = kr
            .bounded(move || -> Result<(), String> {
                let entry =
                    keyring::Entry::new(KEYRING_SERVICE, &probe_user).map_err(|e| e.to_string())?;
                entry
                    .set_secret(&probe_secret)
                    .map_err(|e| format!("writing a test entry failed: {e}"))?;
                let read = entry
                    .get_secret()
                    .map_err(|e| format!("reading a test entry back failed: {e}"));
                let deleted = entry
                    .delete_credential()
                    .map_err(|e| format!("deleting a test entry failed: {e}"));
                if read? != probe_secret {
                    return Err(
                        "a test entry read back differently from what was written".to_string()
                    );
                }
                deleted
            })
            .map_err(|e| no_keyring(timeout_reason(&e, kr.timeout)))?;
        probe.map_err(|e| no_keyring(format!("the {} does not work ({e})", kr.name)))?;
        Ok(kr)
    }

    /// Run `f` on a helper thread, waiting at most `self.timeout`.
    fn bounded<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, KeyError> {
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("chartroom-keyring".to_string())
            .spawn(move || {
                // The receiver may have given up waiting; nothing to do then.
                let _ = tx.send(f());
            })
            .map_err(|e| self.failed(format!("could not start a helper thread: {e}")))?;
        match rx.recv_timeout(self.timeout) {
            Ok(v) => Ok(v),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(self.failed(timeout_text(self.timeout))),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(self.failed("the keyring library stopped unexpectedly".to_string()))
            }
        }
    }

    fn failed(&self, reason: String) -> KeyError {
        KeyError::Keyring {
            store: self.name.to_string(),
            reason,
        }
    }

    fn entry_call<T: Send + 'static>(
        &self,
        practice_id: &str,
        f: impl FnOnce(keyring::Entry) -> Result<T, keyring::Error> + Send + 'static,
    ) -> Result<Result<T, keyring::Error>, KeyError> {
        let user = practice_id.to_string();
        self.bounded(move || keyring::Entry::new(KEYRING_SERVICE, &user).and_then(f))
    }
}

impl KeyStore for SystemKeyring {
    fn name(&self) -> &str {
        self.name
    }

    fn load(&self, practice_id: &str) -> Result<Option<DbKey>, KeyError> {
        match self.entry_call(practice_id, |e| e.get_secret().map(Zeroizing::new))? {
            Ok(secret) => {
                decode_entry(&secret)
                    .map(Some)
                    .ok_or_else(|| KeyError::KeyringEntryInvalid {
                        store: self.name.to_string(),
                    })
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(self.failed(e.to_string())),
        }
    }

    fn save(&self, practice_id: &str, key: &DbKey) -> Result<(), KeyError> {
        let key = key.clone();
        self.entry_call(practice_id, move |e| e.set_secret(key.as_bytes()))?
            .map_err(|e| self.failed(e.to_string()))
    }

    fn forget(&self, practice_id: &str) -> Result<(), KeyError> {
        match self.entry_call(practice_id, |e| e.delete_credential())? {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(self.failed(e.to_string())),
        }
    }
}

/// Accept the raw 32 bytes this crate writes, or 64 hex digits (written by
/// hand or by another tool).
fn decode_entry(secret: &[u8]) -> Option<DbKey> {
    if let Ok(bytes) = <[u8; DB_KEY_LEN]>::try_from(secret) {
        return Some(DbKey::from_bytes(bytes));
    }
    let mut bytes = Zeroizing::new([0u8; DB_KEY_LEN]);
    hex::decode_to_slice(secret, bytes.as_mut()).ok()?;
    Some(DbKey::from_bytes(*bytes))
}

fn platform_store_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service"
    }
}

fn timeout_text(timeout: Duration) -> String {
    format!(
        "the system keyring did not answer within {} seconds (it may be locked or its service may not be running)",
        timeout.as_secs()
    )
}

fn timeout_reason(err: &KeyError, timeout: Duration) -> String {
    match err {
        KeyError::Keyring { reason, .. } => reason.clone(),
        _ => timeout_text(timeout),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_load_save_forget() {
        let store = MemoryKeyStore::new();
        assert!(store.load("p1").unwrap().is_none());
        let k1 = DbKey::generate();
        let k2 = DbKey::generate();
        store.save("p1", &k1).unwrap();
        store.save("p2", &k2).unwrap();
        assert_eq!(store.load("p1").unwrap(), Some(k1.clone()));
        assert_eq!(store.load("p2").unwrap(), Some(k2.clone()));
        store.save("p1", &k2).unwrap();
        assert_eq!(store.load("p1").unwrap(), Some(k2.clone()));
        store.forget("p1").unwrap();
        assert!(store.load("p1").unwrap().is_none());
        store.forget("p1").unwrap();
        assert_eq!(store.load("p2").unwrap(), Some(k2));
        assert!(!format!("{store:?}").contains(&hex::encode(k1.as_bytes())));
    }

    #[test]
    fn memory_store_is_a_usable_trait_object() {
        let store: Box<dyn KeyStore> = Box::new(MemoryKeyStore::default());
        assert_eq!(store.name(), "in-memory key store");
        store.save("p", &DbKey::from_bytes([1; 32])).unwrap();
        assert_eq!(store.load("p").unwrap().unwrap().as_bytes(), &[1; 32]);
    }

    #[test]
    fn keyring_entries_decode_raw_or_hex() {
        let raw = [0xabu8; 32];
        assert_eq!(decode_entry(&raw).unwrap().as_bytes(), &raw);
        let hexed = hex::encode(raw);
        assert_eq!(decode_entry(hexed.as_bytes()).unwrap().as_bytes(), &raw);
        assert!(decode_entry(b"short").is_none());
        assert!(decode_entry(&[0u8; 33]).is_none());
    }
}
