//! [`KeyFile`]: the `chartroom.key` JSON file kept beside the database.
//!
//! It holds the database key only in wrapped form: once under the recovery
//! code and, optionally, once under a practice passphrase. Each wrap is
//! Argon2id (fresh 16-byte salt) -> AES-256-GCM (fresh 12-byte nonce) of the
//! 32-byte key, with AAD `"chartroom-key-v1:" + practice_id`, so a wrap cannot
//! be moved to another practice's file. `key_check` (see
//! [`DbKey::check_value`]) lets the app confirm it has the right key without
//! the key file ever containing the key.
//!
//! Files are written with [`KeyFile::write_atomic`]: temporary file in the
//! same directory, fsync, rename, fsync of the directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::kdf::{open, seal, KdfParams};
use crate::{DbKey, KeyError, RecoveryCode};

/// Key file format version written by this crate.
pub const KEY_FILE_FORMAT: u32 = 1;
/// The only key-derivation function this version writes or reads.
pub const KDF_ARGON2ID: &str = "argon2id";
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = crate::strength::MIN_SECRET_CHARS;

const AAD_PREFIX: &[u8] = b"chartroom-key-v1:";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const WRAPPED_LEN: usize = 32 + 16;

/// The key file kept beside the database (`chartroom.key`, JSON). Holds the
/// database key only in wrapped form: once wrapped by the recovery code and,
/// optionally, once by a practice passphrase (Argon2id -> AES-256-GCM).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct KeyFile {
    /// Always [`KEY_FILE_FORMAT`] (1).
    pub format: u32,
    /// The practice this key belongs to; bound into every wrap.
    pub practice_id: String,
    /// [`DbKey::check_value`] of the wrapped key.
    pub key_check: String,
    /// When the key was created (RFC 3339, supplied by the caller's clock).
    pub created_at: String,
    /// The key wrapped under the recovery code.
    pub recovery: WrappedKey,
    /// The key wrapped under the practice passphrase, if one is set.
    pub passphrase: Option<WrappedKey>,
}

/// One wrapped copy of the database key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    /// Always `"argon2id"`.
    pub kdf: String,
    /// Argon2 memory cost in KiB.
    pub m_cost_kib: u32,
    /// Argon2 passes.
    pub t_cost: u32,
    /// Argon2 lanes.
    pub p_cost: u32,
    /// Hex, 16 bytes.
    pub salt: String,
    /// Hex, 12 bytes.
    pub nonce: String,
    /// Hex: AES-256-GCM of the 32-byte key plus the 16-byte tag,
    /// AAD = `b"chartroom-key-v1:" + practice_id`.
    pub ciphertext: String,
}

impl WrappedKey {
    fn wrap(
        practice_id: &str,
        key: &DbKey,
        secret: &[u8],
        kdf: KdfParams,
    ) -> Result<Self, KeyError> {
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut nonce);
        let wrapping_key = kdf.derive(secret, &salt)?;
        let ciphertext = seal(&wrapping_key, &nonce, &aad(practice_id), key.as_bytes())?;
        Ok(WrappedKey {
            kdf: KDF_ARGON2ID.to_string(),
            m_cost_kib: kdf.m_cost_kib,
            t_cost: kdf.t_cost,
            p_cost: kdf.p_cost,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        })
    }

    /// `Ok(None)` when the secret does not open this wrap.
    fn unwrap(&self, practice_id: &str, secret: &[u8]) -> Result<Option<DbKey>, KeyError> {
        let parts = self.decode()?;
        let wrapping_key = self.params().derive(secret, &parts.salt)?;
        let Some(plain) = open(
            &wrapping_key,
            &parts.nonce,
            &aad(practice_id),
            &parts.ciphertext,
        ) else {
            return Ok(None);
        };
        let bytes: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| invalid("a wrapped key has the wrong length"))?;
        Ok(Some(DbKey::from_bytes(bytes)))
    }

    fn params(&self) -> KdfParams {
        KdfParams {
            m_cost_kib: self.m_cost_kib,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
        }
    }

    fn decode(&self) -> Result<WrapParts, KeyError> {
        if self.kdf != KDF_ARGON2ID {
            return Err(invalid(&format!(
                "unknown key-derivation method \"{}\"",
                self.kdf
            )));
        }
        self.params()
            .validate()
            .map_err(|e| invalid(&e.to_string()))?;
        Ok(WrapParts {
            salt: decode_hex_array("salt", &self.salt)?,
            nonce: decode_hex_array("nonce", &self.nonce)?,
            ciphertext: decode_hex_array::<WRAPPED_LEN>("ciphertext", &self.ciphertext)?,
        })
    }
}

struct WrapParts {
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    ciphertext: [u8; WRAPPED_LEN],
}

impl KeyFile {
    /// Wrap `key` under `recovery` (and `passphrase`, if given) for a new
    /// key file. `created_at` comes from the caller's clock.
    pub fn create(
        practice_id: &str,
        key: &DbKey,
        recovery: &RecoveryCode,
        passphrase: Option<&str>,
        kdf: KdfParams,
        created_at: &str,
    ) -> Result<KeyFile, KeyError> {
        if practice_id.is_empty() {
            return Err(invalid("the practice id is empty"));
        }
        kdf.validate()?;
        if let Some(p) = passphrase {
            check_passphrase_strength(p)?;
        }
        let recovery_wrap = WrappedKey::wrap(practice_id, key, &recovery.canonical(), kdf)?;
        let passphrase_wrap = passphrase
            .map(|p| WrappedKey::wrap(practice_id, key, p.as_bytes(), kdf))
            .transpose()?;
        Ok(KeyFile {
            format: KEY_FILE_FORMAT,
            practice_id: practice_id.to_string(),
            key_check: key.check_value(),
            created_at: created_at.to_string(),
            recovery: recovery_wrap,
            passphrase: passphrase_wrap,
        })
    }

    /// Unwrap the database key with the recovery code.
    pub fn unwrap_with_recovery(&self, code: &RecoveryCode) -> Result<DbKey, KeyError> {
        match self.recovery.unwrap(&self.practice_id, &code.canonical())? {
            Some(key) => self.checked(key),
            None => Err(KeyError::WrongRecoveryCode),
        }
    }

    /// Unwrap the database key with the practice passphrase.
    pub fn unwrap_with_passphrase(&self, passphrase: &str) -> Result<DbKey, KeyError> {
        let wrap = self.passphrase.as_ref().ok_or(KeyError::NoPassphrase)?;
        match wrap.unwrap(&self.practice_id, passphrase.as_bytes())? {
            Some(key) => self.checked(key),
            None => Err(KeyError::WrongPassphrase),
        }
    }

    /// Set or replace the practice passphrase. `key` must be this file's key.
    pub fn set_passphrase(
        &mut self,
        key: &DbKey,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<(), KeyError> {
        self.verify_key(key)?;
        check_passphrase_strength(passphrase)?;
        kdf.validate()?;
        self.passphrase = Some(WrappedKey::wrap(
            &self.practice_id,
            key,
            passphrase.as_bytes(),
            kdf,
        )?);
        Ok(())
    }

    /// Whether a practice passphrase is set.
    pub fn has_passphrase(&self) -> bool {
        self.passphrase.is_some()
    }

    /// `Ok` when `key` is the key this file wraps (by its check value).
    pub fn verify_key(&self, key: &DbKey) -> Result<(), KeyError> {
        if key.check_value() == self.key_check {
            Ok(())
        } else {
            Err(KeyError::KeyMismatch)
        }
    }

    /// Read and validate a key file.
    pub fn read(path: &Path) -> Result<KeyFile, KeyError> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(KeyError::Missing {
                    path: path.to_path_buf(),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                return Err(KeyError::Corrupt {
                    path: path.to_path_buf(),
                    reason: "it is not text".to_string(),
                })
            }
            Err(source) => {
                return Err(KeyError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        KeyFile::from_json(&text).map_err(|e| match e {
            KeyError::InvalidKeyFile { reason } => KeyError::Corrupt {
                path: path.to_path_buf(),
                reason,
            },
            other => other,
        })
    }

    /// Replace the file at `path` with this key file without ever leaving a
    /// half-written file: write a temporary file in the same directory,
    /// fsync it, rename it over `path`, then fsync the directory.
    pub fn write_atomic(&self, path: &Path) -> Result<(), KeyError> {
        let io_err = |p: &Path| {
            let p = p.to_path_buf();
            move |source| KeyError::Io { path: p, source }
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = path
            .file_name()
            .ok_or_else(|| KeyError::Io {
                path: path.to_path_buf(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "not a file path"),
            })?
            .to_string_lossy()
            .into_owned();
        let mut suffix = [0u8; 6];
        OsRng.fill_bytes(&mut suffix);
        let tmp = dir.join(format!(".{file_name}.{}.tmp", hex::encode(suffix)));

        let result = (|| {
            let mut f = create_private(&tmp).map_err(io_err(&tmp))?;
            f.write_all(self.to_json().as_bytes())
                .map_err(io_err(&tmp))?;
            f.sync_all().map_err(io_err(&tmp))?;
            drop(f);
            fs::rename(&tmp, path).map_err(io_err(path))?;
            sync_dir(&dir).map_err(io_err(&dir))
        })();
        if result.is_err() {
            // Best effort: the temporary file may not exist or may already be renamed.
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain strings and integers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Parse and validate key-file JSON.
    pub fn from_json(s: &str) -> Result<KeyFile, KeyError> {
        let kf: KeyFile = serde_json::from_str(s)
            .map_err(|e| invalid(&format!("it is not a valid key file ({e})")))?;
        kf.validate()?;
        Ok(kf)
    }

    fn validate(&self) -> Result<(), KeyError> {
        if self.format != KEY_FILE_FORMAT {
            return Err(invalid(&format!(
                "format version {} is not supported by this version of Chartroom (expected {KEY_FILE_FORMAT})",
                self.format
            )));
        }
        if self.practice_id.is_empty() {
            return Err(invalid("the practice id is empty"));
        }
        let check_ok = self.key_check.len() == 16
            && self
                .key_check
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !check_ok {
            return Err(invalid(
                "the key check value is not 16 lowercase hex digits",
            ));
        }
        self.recovery.decode()?;
        if let Some(p) = &self.passphrase {
            p.decode()?;
        }
        Ok(())
    }

    fn checked(&self, key: DbKey) -> Result<DbKey, KeyError> {
        if key.check_value() == self.key_check {
            Ok(key)
        } else {
            Err(invalid(
                "the key check value does not match the wrapped key",
            ))
        }
    }
}

/// Refuse passphrases that are too short to resist guessing.
pub fn check_passphrase_strength(passphrase: &str) -> Result<(), KeyError> {
    match crate::strength::weakness(passphrase, &[]) {
        Some(reason) => Err(KeyError::WeakPassphrase { reason }),
        None => Ok(()),
    }
}

fn aad(practice_id: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(AAD_PREFIX.len() + practice_id.len());
    v.extend_from_slice(AAD_PREFIX);
    v.extend_from_slice(practice_id.as_bytes());
    v
}

fn invalid(reason: &str) -> KeyError {
    KeyError::InvalidKeyFile {
        reason: reason.to_string(),
    }
}

fn decode_hex_array<const N: usize>(field: &str, s: &str) -> Result<[u8; N], KeyError> {
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out)
        .map_err(|_| invalid(&format!("the {field} is not {N} bytes of hex")))?;
    Ok(out)
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows cannot open a directory as a file; NTFS journals the rename.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(passphrase: Option<&str>) -> (DbKey, RecoveryCode, KeyFile) {
        let key = DbKey::generate();
        let code = RecoveryCode::generate();
        let kf = KeyFile::create(
            "practice-1",
            &key,
            &code,
            passphrase,
            KdfParams::fast_for_tests(),
            "2026-01-02T03:04:05Z",
        )
        .unwrap();
        (key, code, kf)
    }

    #[test]
    fn recovery_code_round_trip() {
        let (key, code, kf) = fixture(None);
        assert_eq!(kf.unwrap_with_recovery(&code).unwrap(), key);
        assert!(!kf.has_passphrase());
        kf.verify_key(&key).unwrap();
    }

    #[test]
    fn recovery_code_typed_loosely_still_unwraps() {
        let (key, code, kf) = fixture(None);
        let typed = code.display().to_lowercase().replace('-', " ");
        let parsed = RecoveryCode::parse(&typed).unwrap();
        assert_eq!(kf.unwrap_with_recovery(&parsed).unwrap(), key);
    }

    #[test]
    fn passphrase_round_trip() {
        let (key, code, kf) = fixture(Some("correct horse battery"));
        assert!(kf.has_passphrase());
        assert_eq!(
            kf.unwrap_with_passphrase("correct horse battery").unwrap(),
            key
        );
        assert_eq!(kf.unwrap_with_recovery(&code).unwrap(), key);
    }

    #[test]
    fn wrong_recovery_code_is_wrong_recovery_code() {
        let (_, _, kf) = fixture(None);
        let other = RecoveryCode::generate();
        assert!(matches!(
            kf.unwrap_with_recovery(&other),
            Err(KeyError::WrongRecoveryCode)
        ));
    }

    #[test]
    fn wrong_passphrase_is_wrong_passphrase() {
        let (_, _, kf) = fixture(Some("correct horse battery"));
        assert!(matches!(
            kf.unwrap_with_passphrase("correct horse battery!"),
            Err(KeyError::WrongPassphrase)
        ));
        assert!(matches!(
            kf.unwrap_with_passphrase(""),
            Err(KeyError::WrongPassphrase)
        ));
    }

    #[test]
    fn no_passphrase_set_is_no_passphrase() {
        let (_, _, kf) = fixture(None);
        assert!(matches!(
            kf.unwrap_with_passphrase("anything at all"),
            Err(KeyError::NoPassphrase)
        ));
    }

    #[test]
    fn short_passphrase_is_weak() {
        let key = DbKey::generate();
        let code = RecoveryCode::generate();
        let err = KeyFile::create(
            "p",
            &key,
            &code,
            Some("123456789"),
            KdfParams::fast_for_tests(),
            "t",
        )
        .unwrap_err();
        assert!(matches!(err, KeyError::WeakPassphrase { .. }), "{err:?}");
        assert!(!err.to_string().contains("123456789"));
        let (key, _, mut kf) = fixture(None);
        assert!(matches!(
            kf.set_passphrase(&key, "          ", KdfParams::fast_for_tests()),
            Err(KeyError::WeakPassphrase { .. })
        ));
        assert!(!kf.has_passphrase());
    }

    #[test]
    fn set_passphrase_adds_and_replaces() {
        let (key, _, mut kf) = fixture(Some("first passphrase"));
        kf.set_passphrase(&key, "second passphrase", KdfParams::fast_for_tests())
            .unwrap();
        assert_eq!(kf.unwrap_with_passphrase("second passphrase").unwrap(), key);
        assert!(matches!(
            kf.unwrap_with_passphrase("first passphrase"),
            Err(KeyError::WrongPassphrase)
        ));
    }

    #[test]
    fn set_passphrase_with_another_key_is_key_mismatch() {
        let (_, _, mut kf) = fixture(None);
        let err = kf.set_passphrase(
            &DbKey::generate(),
            "a long passphrase",
            KdfParams::fast_for_tests(),
        );
        assert!(matches!(err, Err(KeyError::KeyMismatch)));
        assert!(matches!(
            kf.verify_key(&DbKey::generate()),
            Err(KeyError::KeyMismatch)
        ));
        assert!(!kf.has_passphrase());
    }

    #[test]
    fn wrap_is_bound_to_practice_id() {
        let (_, code, mut kf) = fixture(None);
        kf.practice_id = "practice-2".to_string();
        assert!(matches!(
            kf.unwrap_with_recovery(&code),
            Err(KeyError::WrongRecoveryCode)
        ));
    }

    #[test]
    fn json_round_trip() {
        let (key, code, kf) = fixture(Some("correct horse battery"));
        let json = kf.to_json();
        let back = KeyFile::from_json(&json).unwrap();
        assert_eq!(back, kf);
        assert_eq!(back.unwrap_with_recovery(&code).unwrap(), key);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["format"], 1);
        assert_eq!(v["recovery"]["kdf"], "argon2id");
        assert_eq!(v["recovery"]["salt"].as_str().unwrap().len(), 32);
        assert_eq!(v["recovery"]["nonce"].as_str().unwrap().len(), 24);
        assert_eq!(v["recovery"]["ciphertext"].as_str().unwrap().len(), 96);
    }

    #[test]
    fn key_file_never_contains_the_key_or_secrets() {
        let key = DbKey::generate();
        let code = RecoveryCode::generate();
        let kf = KeyFile::create(
            "p",
            &key,
            &code,
            Some("correct horse battery"),
            KdfParams::fast_for_tests(),
            "t",
        )
        .unwrap();
        let json = kf.to_json();
        let key_hex = hex::encode(key.as_bytes());
        assert!(!json.contains(&key_hex));
        assert!(!json.to_uppercase().contains(&key_hex.to_uppercase()));
        assert!(
            !json.contains(&key_hex[..16]),
            "even a fragment of the key hex"
        );
        assert!(!json.contains(code.display()));
        assert!(!json.contains(std::str::from_utf8(&code.canonical()).unwrap()));
        assert!(!json.contains("correct horse"));
        assert!(!format!("{kf:?}").contains(&key_hex));
    }

    #[test]
    fn damaged_json_is_invalid() {
        let (_, _, kf) = fixture(None);
        let json = kf.to_json();
        for bad in [
            String::new(),
            "{".to_string(),
            json.replace("\"format\": 1", "\"format\": 2"),
            json.replace("argon2id", "scrypt"),
            json.replacen(&kf.recovery.salt, "abcd", 1),
            json.replacen(&kf.recovery.nonce, "zz", 1),
            json.replacen(&kf.key_check, "nothex", 1),
        ] {
            assert!(
                matches!(
                    KeyFile::from_json(&bad),
                    Err(KeyError::InvalidKeyFile { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn tampered_key_check_is_detected_after_unwrap() {
        let (_, code, mut kf) = fixture(None);
        kf.key_check = "0000000000000000".to_string();
        assert!(matches!(
            kf.unwrap_with_recovery(&code),
            Err(KeyError::InvalidKeyFile { .. })
        ));
    }

    #[test]
    fn write_atomic_then_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chartroom.key");
        let (key, code, kf) = fixture(None);
        kf.write_atomic(&path).unwrap();
        let back = KeyFile::read(&path).unwrap();
        assert_eq!(back, kf);
        assert_eq!(back.unwrap_with_recovery(&code).unwrap(), key);
        // Overwrite in place; no temporary files are left behind.
        let (_, _, kf2) = fixture(None);
        kf2.write_atomic(&path).unwrap();
        assert_eq!(KeyFile::read(&path).unwrap(), kf2);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("chartroom.key")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key file must not be readable by others");
        }
    }

    #[test]
    fn write_atomic_into_missing_directory_is_io_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("chartroom.key");
        let (_, _, kf) = fixture(None);
        assert!(matches!(kf.write_atomic(&path), Err(KeyError::Io { .. })));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn read_missing_and_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chartroom.key");
        match KeyFile::read(&path) {
            Err(KeyError::Missing { path: p }) => assert_eq!(p, path),
            other => panic!("expected Missing, got {other:?}"),
        }
        let (_, _, kf) = fixture(None);
        let mut json = kf.to_json();
        json.truncate(json.len() / 2);
        fs::write(&path, &json).unwrap();
        match KeyFile::read(&path) {
            Err(KeyError::Corrupt { path: p, reason }) => {
                assert_eq!(p, path);
                assert!(!reason.is_empty());
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert!(matches!(
            KeyFile::read(&path),
            Err(KeyError::Corrupt { .. })
        ));
    }

    #[test]
    fn flipped_ciphertext_byte_reads_as_wrong_code_not_panic() {
        let (_, code, mut kf) = fixture(None);
        let mut ct = hex::decode(&kf.recovery.ciphertext).unwrap();
        ct[5] ^= 0x40;
        kf.recovery.ciphertext = hex::encode(ct);
        assert!(matches!(
            kf.unwrap_with_recovery(&code),
            Err(KeyError::WrongRecoveryCode)
        ));
    }
}
