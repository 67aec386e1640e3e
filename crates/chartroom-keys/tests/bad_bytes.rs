//! Generated bad input for the two parsers that read files a person can
//! hand the app: the backup reader and the key file parser. Truncated,
//! flipped and random bytes, thousands of cases each: never a panic, never
//! a success on damaged input, always one of the errors the app explains.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::sync::OnceLock;

use chartroom_keys::{
    read_backup_audit_head, read_backup_key_file, restore_backup, write_backup, AuditHead, DbKey,
    KdfParams, KeyError, KeyFile, RecoveryCode, BACKUP_MAGIC,
};
use proptest::prelude::*;

const CASES: u32 = 2_000;

/// One practice's key, key file and a backup of 150 KiB (three chunks) that
/// carries an audit head: made once, shared by every case.
struct Sample {
    key: DbKey,
    key_file_json: String,
    backup: Vec<u8>,
    data: Vec<u8>,
}

fn sample() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| {
        let key = DbKey::generate();
        let kf = KeyFile::create(
            "practice-bad-bytes",
            &key,
            &RecoveryCode::generate(),
            Some("correct horse battery staple"),
            KdfParams::fast_for_tests(),
            "2026-01-02T03:04:05Z",
        )
        .unwrap();
        let data: Vec<u8> = (0..150 * 1024).map(|i| (i * 7 % 251) as u8).collect();
        let mut backup = Vec::new();
        let head = AuditHead {
            id: 9,
            hash: "cd".repeat(32),
        };
        write_backup(&data[..], &mut backup, &key, &kf, Some(&head), &mut |_| {}).unwrap();
        Sample {
            key,
            key_file_json: kf.to_json(),
            backup,
            data,
        }
    })
}

fn restore(bytes: &[u8], key: &DbKey) -> Result<Vec<u8>, KeyError> {
    let mut out = Vec::new();
    restore_backup(bytes, &mut out, key, &mut |_| {})?;
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Any backup cut short is refused (the last chunk carries a flag, so a
    /// cut on a chunk boundary is caught too), and so are its header reads
    /// when the cut falls in the header.
    #[test]
    fn a_truncated_backup_is_refused(cut in 0usize..150 * 1024 + 200) {
        let s = sample();
        let cut = cut.min(s.backup.len() - 1);
        let bytes = &s.backup[..cut];
        prop_assert!(restore(bytes, &s.key).is_err());
        let _ = read_backup_key_file(bytes);
        let _ = read_backup_audit_head(bytes);
    }

    /// One flipped byte anywhere after the magic: refused, never restored.
    #[test]
    fn a_flipped_byte_is_refused(at in 8usize..150 * 1024, bit in 0u8..8) {
        let s = sample();
        let mut bytes = s.backup.clone();
        let at = at.min(bytes.len() - 1);
        bytes[at] ^= 1 << bit;
        prop_assert!(restore(&bytes, &s.key).is_err());
    }

    /// Random bytes, with or without the magic in front: refused.
    #[test]
    fn random_bytes_are_not_a_backup(mut bytes in proptest::collection::vec(any::<u8>(), 0..4096), magic in any::<bool>()) {
        let s = sample();
        if magic {
            let mut with = BACKUP_MAGIC.to_vec();
            with.append(&mut bytes);
            bytes = with;
        }
        prop_assert!(restore(&bytes, &s.key).is_err());
        prop_assert!(read_backup_key_file(&bytes[..]).is_err());
        prop_assert!(read_backup_audit_head(&bytes[..]).is_err());
    }

    /// A key file cut short, with a character replaced, or random text: the
    /// parser answers with an error (or, for an edit JSON tolerates, such as
    /// whitespace, a key file), never a panic.
    #[test]
    fn a_damaged_key_file_never_panics(cut in 0usize..2000, at in 0usize..2000, c in any::<char>(), junk in ".{0,300}") {
        let s = sample();
        let json = &s.key_file_json;
        let cut = cut.min(json.len());
        let truncated: String = json.chars().take(cut).collect();
        if truncated.trim_end().len() < json.trim_end().len() {
            prop_assert!(KeyFile::from_json(&truncated).is_err());
        }
        let mut edited: Vec<char> = json.chars().collect();
        let at = at.min(edited.len() - 1);
        edited[at] = c;
        let edited: String = edited.into_iter().collect();
        let _ = KeyFile::from_json(&edited);
        prop_assert!(KeyFile::from_json(&junk).is_err());
    }
}

/// The sample itself restores: the cases above fail for their damage.
#[test]
fn the_undamaged_sample_restores() {
    let s = sample();
    assert_eq!(restore(&s.backup, &s.key).unwrap(), s.data);
    assert_eq!(
        read_backup_audit_head(&s.backup[..]).unwrap().unwrap().id,
        9
    );
    assert!(KeyFile::from_json(&s.key_file_json).is_ok());
}
