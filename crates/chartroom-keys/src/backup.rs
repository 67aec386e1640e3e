//! Encrypted, streamed backups of a database snapshot.
//!
//! Layout of a backup file:
//!
//! ```text
//! b"CHRMBAK1"                      magic
//! u32 LE                           header length H
//! H bytes of JSON                  BackupHeader { format, chunk_size, nonce_prefix, key_file, audit_head }
//! 32 bytes                         SHA-256(magic || length || header JSON) = header digest
//! repeated: u32 LE length + AES-256-GCM ciphertext of up to 64 KiB of plaintext
//! ```
//!
//! The header carries the practice's [`KeyFile`], so a backup restores on a
//! new computer with nothing but the recovery code, and the head of the audit
//! chain when the snapshot was taken ([`AuditHead`]): an anchor outside the
//! database, against which `chartroom verify` checks the log later (backups
//! written before it was added have none). The header digest catches
//! accidental damage to the header and is the AAD of every chunk, so the
//! header cannot be altered without the chunks failing to authenticate.
//!
//! Chunks follow the STREAM construction: backup key =
//! SHA-256(`"chartroom-backup-v1"` || database key); nonce = 7-byte random
//! per-file prefix || u32 BE chunk counter || last-chunk flag (0 or 1). That
//! detects a flipped byte, reordered or dropped chunks, and truncation (the
//! final chunk is missing). Memory use is constant: two chunk buffers.
//!
//! A restore writes plaintext as it goes; an error can come after some output
//! has been written, so restore into a temporary file and keep it only on `Ok`.

use std::io::{self, Read, Write};

use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::kdf::{open, seal};
use crate::{DbKey, KeyError, KeyFile};

/// First bytes of every backup file.
pub const BACKUP_MAGIC: &[u8; 8] = b"CHRMBAK1";
/// Backup format version written by this crate.
pub const BACKUP_FORMAT: u32 = 1;
/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;

const TAG_LEN: usize = 16;
const NONCE_PREFIX_LEN: usize = 7;
const DIGEST_LEN: usize = 32;
/// Headers are a key file plus a few fields: anything larger is not ours.
const MAX_HEADER_LEN: u32 = 1024 * 1024;
const BACKUP_KEY_DOMAIN: &[u8] = b"chartroom-backup-v1";

#[derive(Serialize, Deserialize)]
struct BackupHeader {
    format: u32,
    chunk_size: u32,
    /// Hex, 7 bytes.
    nonce_prefix: String,
    key_file: KeyFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_head: Option<AuditHead>,
}

/// The newest audit record (id and chain hash) of the database a backup was
/// made from, kept in the backup's header as an anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub id: i64,
    /// Hex, 32 bytes.
    pub hash: String,
}

/// Encrypt `snapshot` into `out` as a backup. Calls `progress` with the
/// number of plaintext bytes written so far after every chunk, and returns
/// the total. `key` must be the key wrapped in `key_file`.
pub fn write_backup<R: Read, W: Write>(
    mut snapshot: R,
    mut out: W,
    key: &DbKey,
    key_file: &KeyFile,
    audit_head: Option<&AuditHead>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, KeyError> {
    key_file.verify_key(key)?;
    let mut prefix = [0u8; NONCE_PREFIX_LEN];
    OsRng.fill_bytes(&mut prefix);
    let header = BackupHeader {
        format: BACKUP_FORMAT,
        chunk_size: CHUNK_SIZE as u32,
        nonce_prefix: hex::encode(prefix),
        key_file: key_file.clone(),
        audit_head: audit_head.cloned(),
    };
    let json = serde_json::to_vec(&header).map_err(|e| KeyError::Encryption {
        reason: format!("could not encode the backup header: {e}"),
    })?;
    let len = u32::try_from(json.len())
        .ok()
        .filter(|l| *l <= MAX_HEADER_LEN)
        .ok_or_else(|| KeyError::Encryption {
            reason: "the backup header is too large".to_string(),
        })?;
    let digest = header_digest(&len.to_le_bytes(), &json);
    let io = |source| KeyError::StreamIo { source };
    out.write_all(BACKUP_MAGIC).map_err(io)?;
    out.write_all(&len.to_le_bytes()).map_err(io)?;
    out.write_all(&json).map_err(io)?;
    out.write_all(&digest).map_err(io)?;

    let backup_key = backup_key(key);
    let mut cur = Zeroizing::new(vec![0u8; CHUNK_SIZE]);
    let mut next = Zeroizing::new(vec![0u8; CHUNK_SIZE]);
    let mut cur_len = read_full(&mut snapshot, &mut cur).map_err(io)?;
    let mut counter: u32 = 0;
    let mut total: u64 = 0;
    loop {
        // A full chunk might be followed by more data: look ahead one chunk
        // to know whether this is the last one.
        let next_len = if cur_len == CHUNK_SIZE {
            read_full(&mut snapshot, &mut next).map_err(io)?
        } else {
            0
        };
        let last = next_len == 0;
        let ct = seal(
            &backup_key,
            &chunk_nonce(&prefix, counter, last),
            &digest,
            &cur[..cur_len],
        )?;
        let ct_len = u32::try_from(ct.len()).map_err(|_| KeyError::Encryption {
            reason: "a backup chunk is too large".to_string(),
        })?;
        out.write_all(&ct_len.to_le_bytes()).map_err(io)?;
        out.write_all(&ct).map_err(io)?;
        total += cur_len as u64;
        progress(total);
        if last {
            break;
        }
        counter = counter.checked_add(1).ok_or_else(|| KeyError::Encryption {
            reason: "the snapshot is too large for one backup file".to_string(),
        })?;
        std::mem::swap(&mut cur, &mut next);
        cur_len = next_len;
    }
    out.flush().map_err(io)?;
    Ok(total)
}

/// Read only the header of a backup and return the practice's key file, so
/// the key can be recovered (e.g. with the recovery code) before restoring.
pub fn read_backup_key_file<R: Read>(mut input: R) -> Result<KeyFile, KeyError> {
    Ok(read_header(&mut input)?.0.key_file)
}

/// Read only the header of a backup and return the audit chain's head it
/// carries (`None` for a backup made before backups carried it). Needs no
/// key: the head is an id and a hash, nothing about a patient.
pub fn read_backup_audit_head<R: Read>(mut input: R) -> Result<Option<AuditHead>, KeyError> {
    Ok(read_header(&mut input)?.0.audit_head)
}

/// Decrypt a backup from `input` into `out`. Calls `progress` with the number
/// of plaintext bytes written so far, and returns the total.
///
/// Output is written as chunks authenticate; on error, discard what was
/// written.
pub fn restore_backup<R: Read, W: Write>(
    mut input: R,
    mut out: W,
    key: &DbKey,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, KeyError> {
    let (header, digest) = read_header(&mut input)?;
    // The header is intact (its digest matched), so a different check value
    // means a different key, not damage.
    if header.key_file.verify_key(key).is_err() {
        return Err(KeyError::WrongKey);
    }
    let prefix: [u8; NONCE_PREFIX_LEN] = {
        let mut p = [0u8; NONCE_PREFIX_LEN];
        hex::decode_to_slice(&header.nonce_prefix, &mut p)
            .map_err(|_| corrupt("the header's nonce is malformed"))?;
        p
    };
    let chunk_size = usize::try_from(header.chunk_size)
        .ok()
        .filter(|c| (1..=16 * 1024 * 1024).contains(c))
        .ok_or_else(|| corrupt("the header's chunk size is out of range"))?;
    let max_ct = chunk_size + TAG_LEN;

    let backup_key = backup_key(key);
    let mut buf = Zeroizing::new(vec![0u8; max_ct]);
    let mut counter: u32 = 0;
    let mut total: u64 = 0;
    loop {
        let mut len_bytes = [0u8; 4];
        match read_full(&mut input, &mut len_bytes)
            .map_err(|source| KeyError::StreamIo { source })?
        {
            4 => {}
            // Clean end (or cut inside a length) before the final chunk.
            _ => return Err(KeyError::BackupTruncated),
        }
        let ct_len = u32::from_le_bytes(len_bytes) as usize;
        if !(TAG_LEN..=max_ct).contains(&ct_len) {
            return Err(corrupt(&format!(
                "chunk {counter} has an impossible length"
            )));
        }
        let got = read_full(&mut input, &mut buf[..ct_len])
            .map_err(|source| KeyError::StreamIo { source })?;
        if got < ct_len {
            return Err(KeyError::BackupTruncated);
        }
        let ct = &buf[..ct_len];
        let (plain, last) = if let Some(p) = open(
            &backup_key,
            &chunk_nonce(&prefix, counter, false),
            &digest,
            ct,
        ) {
            (p, false)
        } else if let Some(p) = open(
            &backup_key,
            &chunk_nonce(&prefix, counter, true),
            &digest,
            ct,
        ) {
            (p, true)
        } else {
            return Err(corrupt(&format!(
                "chunk {counter} failed its integrity check (altered, reordered or from another backup)"
            )));
        };
        if !last && plain.len() != chunk_size {
            return Err(corrupt(&format!(
                "chunk {counter} is shorter than a full chunk"
            )));
        }
        out.write_all(&plain)
            .map_err(|source| KeyError::StreamIo { source })?;
        total += plain.len() as u64;
        progress(total);
        if last {
            let mut extra = [0u8; 1];
            if read_full(&mut input, &mut extra).map_err(|source| KeyError::StreamIo { source })?
                != 0
            {
                return Err(corrupt("there is extra data after the end of the backup"));
            }
            break;
        }
        counter = counter
            .checked_add(1)
            .ok_or_else(|| corrupt("the backup has more chunks than any backup can have"))?;
    }
    out.flush()
        .map_err(|source| KeyError::StreamIo { source })?;
    Ok(total)
}

fn read_header<R: Read>(input: &mut R) -> Result<(BackupHeader, [u8; DIGEST_LEN]), KeyError> {
    let io = |source| KeyError::StreamIo { source };
    let mut magic = [0u8; 8];
    if read_full(input, &mut magic).map_err(io)? < magic.len() || &magic != BACKUP_MAGIC {
        return Err(KeyError::NotABackup);
    }
    let mut len_bytes = [0u8; 4];
    if read_full(input, &mut len_bytes).map_err(io)? < 4 {
        return Err(KeyError::BackupTruncated);
    }
    let len = u32::from_le_bytes(len_bytes);
    if len > MAX_HEADER_LEN {
        return Err(corrupt("the header length is impossible"));
    }
    let mut json = vec![0u8; len as usize];
    let mut stored = [0u8; DIGEST_LEN];
    if read_full(input, &mut json).map_err(io)? < json.len()
        || read_full(input, &mut stored).map_err(io)? < DIGEST_LEN
    {
        return Err(KeyError::BackupTruncated);
    }
    let digest = header_digest(&len_bytes, &json);
    if digest != stored {
        return Err(corrupt("the header does not match its checksum"));
    }
    // Peek at the version before insisting on the full structure, so a newer
    // format gets a clear "update Chartroom" message.
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version =
        serde_json::from_slice(&json).map_err(|_| corrupt("the header is not readable"))?;
    if version.format != BACKUP_FORMAT {
        return Err(KeyError::UnsupportedBackupVersion {
            found: version.format,
        });
    }
    let header: BackupHeader =
        serde_json::from_slice(&json).map_err(|_| corrupt("the header is not readable"))?;
    let key_file = KeyFile::from_json(&header.key_file.to_json()).map_err(|e| {
        corrupt(&format!(
            "the key file inside the backup is not valid ({e})"
        ))
    })?;
    Ok((BackupHeader { key_file, ..header }, digest))
}

fn header_digest(len_le: &[u8; 4], json: &[u8]) -> [u8; DIGEST_LEN] {
    let mut h = Sha256::new();
    h.update(BACKUP_MAGIC);
    h.update(len_le);
    h.update(json);
    h.finalize().into()
}

fn backup_key(key: &DbKey) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(BACKUP_KEY_DOMAIN);
    h.update(key.as_bytes());
    Zeroizing::new(h.finalize().into())
}

fn chunk_nonce(prefix: &[u8; NONCE_PREFIX_LEN], counter: u32, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..NONCE_PREFIX_LEN].copy_from_slice(prefix);
    n[NONCE_PREFIX_LEN..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    n
}

/// Fill `buf` from `r` until it is full or the input ends; returns the count.
fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn corrupt(reason: &str) -> KeyError {
    KeyError::BackupCorrupt {
        reason: reason.to_string(),
    }
}
