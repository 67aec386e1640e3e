//! Backups through the public API: round trip, and each kind of damage
//! (flipped byte, truncation, reordered chunks, wrong key, not a backup)
//! reported as its own error.

// Test helpers outside #[test] fns: a panic is how they report failure.
#![allow(clippy::unwrap_used)]

use chartroom_keys::{
    read_backup_audit_head, read_backup_key_file, restore_backup, write_backup, AuditHead, DbKey,
    KdfParams, KeyError, KeyFile, RecoveryCode, BACKUP_MAGIC, CHUNK_SIZE,
};
use rand::{Rng, RngCore, SeedableRng};

const MARKER: &[u8] = b"PATIENT-MARKER-Jane-Doe-1970-01-01";

struct Fixture {
    key: DbKey,
    code: RecoveryCode,
    key_file: KeyFile,
}

fn fixture() -> Fixture {
    let key = DbKey::generate();
    let code = RecoveryCode::generate();
    let key_file = KeyFile::create(
        "practice-7",
        &key,
        &code,
        None,
        KdfParams::fast_for_tests(),
        "2026-01-02T03:04:05Z",
    )
    .unwrap();
    Fixture {
        key,
        code,
        key_file,
    }
}

/// 300 KiB of seeded random data with plaintext markers sprinkled in.
fn payload(len: usize) -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut data = vec![0u8; len];
    rng.fill_bytes(&mut data);
    for _ in 0..10 {
        if len > MARKER.len() {
            let at = rng.gen_range(0..len - MARKER.len());
            data[at..at + MARKER.len()].copy_from_slice(MARKER);
        }
    }
    data
}

fn backup_of(f: &Fixture, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let n = write_backup(data, &mut out, &f.key, &f.key_file, None, &mut |_| {}).unwrap();
    assert_eq!(n, data.len() as u64);
    out
}

fn restore(bytes: &[u8], key: &DbKey) -> Result<Vec<u8>, KeyError> {
    let mut out = Vec::new();
    restore_backup(bytes, &mut out, key, &mut |_| {})?;
    Ok(out)
}

/// Offsets of each chunk's length field.
fn chunk_offsets(bytes: &[u8]) -> Vec<usize> {
    let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut at = 12 + header_len + 32;
    let mut offsets = Vec::new();
    while at < bytes.len() {
        offsets.push(at);
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        at += 4 + len;
    }
    assert_eq!(at, bytes.len());
    offsets
}

fn search(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn multi_chunk_round_trip_with_progress() {
    let f = fixture();
    let data = payload(300 * 1024);
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let n = write_backup(&data[..], &mut out, &f.key, &f.key_file, None, &mut |p| {
        seen.push(p)
    })
    .unwrap();
    assert_eq!(n, 300 * 1024);
    assert_eq!(seen, vec![65536, 131072, 196608, 262144, 307200]);
    assert_eq!(chunk_offsets(&out).len(), 5);

    let mut restored = Vec::new();
    let mut seen = Vec::new();
    let n = restore_backup(&out[..], &mut restored, &f.key, &mut |p| seen.push(p)).unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(seen.last(), Some(&(300 * 1024)));
    assert!(restored == data, "restored bytes differ");
}

#[test]
fn round_trip_edge_sizes() {
    let f = fixture();
    for len in [
        0,
        1,
        CHUNK_SIZE - 1,
        CHUNK_SIZE,
        CHUNK_SIZE + 1,
        2 * CHUNK_SIZE,
    ] {
        let data = payload(len);
        let bytes = backup_of(&f, &data);
        assert!(restore(&bytes, &f.key).unwrap() == data, "size {len}");
    }
}

#[test]
fn backup_does_not_contain_plaintext() {
    let f = fixture();
    let data = payload(300 * 1024);
    assert!(search(&data, MARKER));
    let bytes = backup_of(&f, &data);
    assert!(!search(&bytes, MARKER));
    assert!(!search(&bytes, hex::encode(f.key.as_bytes()).as_bytes()));
    assert!(!search(&bytes, f.key.as_bytes()));
}

#[test]
fn key_file_in_header_restores_with_only_the_recovery_code() {
    let f = fixture();
    let data = payload(100_000);
    let bytes = backup_of(&f, &data);
    let kf = read_backup_key_file(&bytes[..]).unwrap();
    assert_eq!(kf, f.key_file);
    let key = kf.unwrap_with_recovery(&f.code).unwrap();
    assert!(restore(&bytes, &key).unwrap() == data);
}

#[test]
fn the_audit_head_travels_in_the_header_and_reads_without_a_key() {
    let f = fixture();
    let head = AuditHead {
        id: 42,
        hash: "ab".repeat(32),
    };
    let data = payload(70_000);
    let mut out = Vec::new();
    write_backup(
        &data[..],
        &mut out,
        &f.key,
        &f.key_file,
        Some(&head),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(read_backup_audit_head(&out[..]).unwrap(), Some(head));
    assert!(restore(&out, &f.key).unwrap() == data);
    // A backup without one (as older builds wrote) says so.
    assert_eq!(
        read_backup_audit_head(&backup_of(&f, &data)[..]).unwrap(),
        None
    );
    // The head is covered by the header digest: changing it is corruption.
    let field = b"\"audit_head\":{\"id\":42";
    let at = out.windows(field.len()).position(|w| w == field).unwrap();
    let mut bad = out.clone();
    bad[at + field.len() - 1] = b'7';
    assert!(read_backup_audit_head(&bad[..]).is_err());
}

#[test]
fn read_backup_key_file_reads_only_the_header() {
    let f = fixture();
    let bytes = backup_of(&f, &payload(200_000));
    let header_end = chunk_offsets(&bytes)[0];
    // A reader that fails past the header proves the chunks are never read.
    struct Limited<'a>(&'a [u8], usize);
    impl std::io::Read for Limited<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 >= self.0.len() {
                return Err(std::io::Error::other("read past the header"));
            }
            let n = buf.len().min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }
    let kf = read_backup_key_file(Limited(&bytes[..header_end], 0)).unwrap();
    assert_eq!(kf.key_check, f.key.check_value());
}

#[test]
fn wrong_key_is_wrong_key() {
    let f = fixture();
    let bytes = backup_of(&f, &payload(100_000));
    assert!(matches!(
        restore(&bytes, &DbKey::generate()),
        Err(KeyError::WrongKey)
    ));
}

#[test]
fn writing_with_a_key_that_does_not_match_the_key_file_is_refused() {
    let f = fixture();
    let mut out = Vec::new();
    let err = write_backup(
        &b"data"[..],
        &mut out,
        &DbKey::generate(),
        &f.key_file,
        None,
        &mut |_| {},
    );
    assert!(matches!(err, Err(KeyError::KeyMismatch)));
}

#[test]
fn flipped_byte_anywhere_after_the_magic_is_corrupt() {
    let f = fixture();
    let data = payload(300 * 1024);
    let bytes = backup_of(&f, &data);
    let offsets = chunk_offsets(&bytes);
    let last = *offsets.last().unwrap();
    let mut positions = vec![
        9,                   // header length
        20,                  // header JSON
        offsets[0] - 40,     // header JSON end
        offsets[0] - 5,      // header digest
        offsets[0] + 4,      // first chunk body
        offsets[0] + 1,      // first chunk length
        offsets[2] + 30_000, // middle chunk body
        offsets[2] + 2,      // middle chunk length
        last + 10,           // final chunk body
        bytes.len() - 1,     // final chunk tag
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    positions.extend((0..20).map(|_| rng.gen_range(offsets[0]..bytes.len())));
    for at in positions {
        let mut bad = bytes.clone();
        bad[at] ^= 0x01;
        match restore(&bad, &f.key) {
            Err(KeyError::BackupCorrupt { .. }) => {}
            // A length byte flipped upward in the final chunk runs past the
            // end of the file, which reads as a cut-short copy.
            Err(KeyError::BackupTruncated) if (last..last + 4).contains(&at) => {}
            other => panic!(
                "flip at {at}: expected BackupCorrupt, got {:?}",
                other.map(|v| v.len())
            ),
        }
    }
}

#[test]
fn truncation_is_detected() {
    let f = fixture();
    let bytes = backup_of(&f, &payload(300 * 1024));
    let offsets = chunk_offsets(&bytes);
    let last = *offsets.last().unwrap();
    // Whole final chunk missing (clean chunk boundary), cut inside a chunk,
    // cut inside a length field, cut inside the header.
    for cut in [
        last,
        last + 100,
        offsets[1] + 2,
        bytes.len() - 1,
        30,
        offsets[0],
    ] {
        match restore(&bytes[..cut], &f.key) {
            Err(KeyError::BackupTruncated) => {}
            other => panic!(
                "cut at {cut}: expected BackupTruncated, got {:?}",
                other.map(|v| v.len())
            ),
        }
    }
}

#[test]
fn reordered_chunks_are_corrupt() {
    let f = fixture();
    let bytes = backup_of(&f, &payload(300 * 1024));
    let o = chunk_offsets(&bytes);
    // Swap chunks 1 and 2 (both full-size, so the lengths line up).
    let mut bad = bytes[..o[1]].to_vec();
    bad.extend_from_slice(&bytes[o[2]..o[3]]);
    bad.extend_from_slice(&bytes[o[1]..o[2]]);
    bad.extend_from_slice(&bytes[o[3]..]);
    assert_eq!(bad.len(), bytes.len());
    assert!(matches!(
        restore(&bad, &f.key),
        Err(KeyError::BackupCorrupt { .. })
    ));
    // Dropping a middle chunk is caught too.
    let mut dropped = bytes[..o[1]].to_vec();
    dropped.extend_from_slice(&bytes[o[2]..]);
    assert!(matches!(
        restore(&dropped, &f.key),
        Err(KeyError::BackupCorrupt { .. })
    ));
}

#[test]
fn chunk_from_another_backup_of_the_same_key_is_corrupt() {
    let f = fixture();
    let data = payload(300 * 1024);
    let a = backup_of(&f, &data);
    let b = backup_of(&f, &data);
    let (oa, ob) = (chunk_offsets(&a), chunk_offsets(&b));
    let mut spliced = a[..oa[1]].to_vec();
    spliced.extend_from_slice(&b[ob[1]..ob[2]]);
    spliced.extend_from_slice(&a[oa[2]..]);
    assert!(matches!(
        restore(&spliced, &f.key),
        Err(KeyError::BackupCorrupt { .. })
    ));
}

#[test]
fn trailing_data_is_corrupt() {
    let f = fixture();
    let mut bytes = backup_of(&f, &payload(1000));
    bytes.extend_from_slice(b"extra");
    assert!(matches!(
        restore(&bytes, &f.key),
        Err(KeyError::BackupCorrupt { .. })
    ));
}

#[test]
fn bad_magic_is_not_a_backup() {
    let f = fixture();
    let mut bytes = backup_of(&f, &payload(1000));
    bytes[0] = b'X';
    assert!(matches!(restore(&bytes, &f.key), Err(KeyError::NotABackup)));
    assert!(matches!(
        read_backup_key_file(&bytes[..]),
        Err(KeyError::NotABackup)
    ));
    assert!(matches!(
        restore(b"SQLite format 3\0", &f.key),
        Err(KeyError::NotABackup)
    ));
    assert!(matches!(restore(b"", &f.key), Err(KeyError::NotABackup)));
    assert_eq!(&backup_of(&f, b"x")[..8], BACKUP_MAGIC);
}

#[test]
fn newer_format_version_asks_for_an_update() {
    let f = fixture();
    let bytes = backup_of(&f, b"data");
    let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let json = std::str::from_utf8(&bytes[12..12 + header_len]).unwrap();
    let newer = json.replacen("\"format\":1", "\"format\":9", 1);
    assert_ne!(newer, json);
    // Rebuild a well-formed header (with a valid checksum) around it.
    let mut out = BACKUP_MAGIC.to_vec();
    out.extend_from_slice(&(newer.len() as u32).to_le_bytes());
    out.extend_from_slice(newer.as_bytes());
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(&out);
    out.extend_from_slice(&h.finalize());
    assert!(matches!(
        read_backup_key_file(&out[..]),
        Err(KeyError::UnsupportedBackupVersion { found: 9 })
    ));
}
