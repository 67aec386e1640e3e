//! The schema's history. Append-only: never edit a migration that has shipped,
//! only add the next one. All pending migrations run in one transaction and
//! `PRAGMA user_version` records how far a file has come, so an older binary
//! refuses a newer file (see [`crate::StoreError::NewerSchema`]).

use rusqlite::Connection;

use crate::Result;

/// Each entry moves the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: practice, settings, users, patients, search index, audit chain.
    r#"
    CREATE TABLE practice (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        practice_id TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE user_account (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        full_name TEXT NOT NULL,
        credentials TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        can_emergency_access INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE patient (
        id INTEGER PRIMARY KEY,
        mrn TEXT NOT NULL UNIQUE,
        family_name TEXT NOT NULL,
        given_name TEXT NOT NULL,
        middle_name TEXT NOT NULL DEFAULT '',
        preferred_name TEXT NOT NULL DEFAULT '',
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL,
        gender_identity TEXT NOT NULL DEFAULT '',
        address_line1 TEXT NOT NULL DEFAULT '',
        address_line2 TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        phone_mobile TEXT NOT NULL DEFAULT '',
        phone_home TEXT NOT NULL DEFAULT '',
        phone_work TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        preferred_contact TEXT NOT NULL DEFAULT 'phone',
        emergency_name TEXT NOT NULL DEFAULT '',
        emergency_relationship TEXT NOT NULL DEFAULT '',
        emergency_phone TEXT NOT NULL DEFAULT '',
        sort_name TEXT NOT NULL,
        search_tokens TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX patient_birth_date ON patient(birth_date);
    CREATE TABLE patient_search (
        token TEXT NOT NULL,
        sort_name TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        PRIMARY KEY (token, sort_name, patient_id)
    ) WITHOUT ROWID;
    CREATE INDEX patient_search_by_patient ON patient_search(patient_id);
    CREATE TABLE patient_history (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        version INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX patient_history_by_patient ON patient_history(patient_id, version);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        username TEXT NOT NULL,
        patient_id INTEGER,
        action TEXT NOT NULL,
        category TEXT NOT NULL,
        record_id TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        emergency INTEGER NOT NULL DEFAULT 0,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL
    );
    CREATE INDEX audit_by_patient ON audit_log(patient_id, id);
    CREATE INDEX audit_by_user ON audit_log(user_id, id);
    CREATE INDEX audit_by_at ON audit_log(at);
    CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_id INTEGER NOT NULL,
        last_hash BLOB NOT NULL
    );
    "#,
    // 2: the clinical chart. Nothing clinical is ever deleted (triggers
    // refuse it); signed notes cannot change (trigger); every version of a
    // chart entry is kept in `chart_entry_version`.
    r#"
    CREATE TABLE chart_entry (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        section TEXT NOT NULL,
        status TEXT NOT NULL,
        label TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        effective_date TEXT,
        body TEXT NOT NULL,
        error_reason TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX chart_entry_by_patient ON chart_entry(patient_id, section, status);
    CREATE TABLE chart_entry_version (
        entry_id INTEGER NOT NULL REFERENCES chart_entry(id),
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        label TEXT NOT NULL,
        code TEXT NOT NULL,
        effective_date TEXT,
        body TEXT NOT NULL,
        error_reason TEXT NOT NULL,
        change TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        saved_by INTEGER NOT NULL REFERENCES user_account(id),
        PRIMARY KEY (entry_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE safety_override (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        entry_id INTEGER NOT NULL REFERENCES chart_entry(id),
        findings TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        by_user INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX safety_override_by_patient ON safety_override(patient_id);
    CREATE TABLE encounter (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        encounter_date TEXT NOT NULL,
        provider_id INTEGER NOT NULL REFERENCES user_account(id),
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        error_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX encounter_by_patient ON encounter(patient_id, encounter_date);
    CREATE TABLE observation (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        flag TEXT NOT NULL DEFAULT '',
        effective_at TEXT NOT NULL,
        group_id INTEGER,
        encounter_id INTEGER REFERENCES encounter(id),
        replaces_id INTEGER REFERENCES observation(id),
        comment TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        error_reason TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX observation_trend ON observation(patient_id, code, effective_at);
    CREATE INDEX observation_recent ON observation(patient_id, kind, effective_at);
    CREATE TABLE note (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        encounter_id INTEGER NOT NULL REFERENCES encounter(id),
        parent_id INTEGER REFERENCES note(id),
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        version INTEGER NOT NULL,
        signed_at TEXT,
        signed_by INTEGER REFERENCES user_account(id),
        content_hash BLOB,
        error_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX note_by_patient ON note(patient_id, created_at);
    CREATE INDEX note_by_encounter ON note(encounter_id);
    CREATE INDEX note_by_parent ON note(parent_id);
    CREATE TRIGGER note_signed_is_locked
        BEFORE UPDATE OF patient_id, encounter_id, parent_id, kind, body, signed_at, signed_by, content_hash ON note
        WHEN OLD.status <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed'); END;
    CREATE TRIGGER note_in_error_is_final
        BEFORE UPDATE OF status ON note
        WHEN OLD.status = 'entered_in_error'
        BEGIN SELECT RAISE(ABORT, 'a note marked entered in error cannot change'); END;
    CREATE TABLE note_template (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        body TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES user_account(id)
    );
    CREATE TABLE document (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        category TEXT NOT NULL,
        doc_date TEXT NOT NULL,
        description TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 BLOB NOT NULL,
        status TEXT NOT NULL,
        error_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX document_by_patient ON document(patient_id, doc_date);
    CREATE TABLE document_content (
        document_id INTEGER PRIMARY KEY REFERENCES document(id),
        content BLOB NOT NULL
    );
    CREATE TABLE disclosure (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        description TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 BLOB NOT NULL,
        at TEXT NOT NULL,
        by_user INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX disclosure_by_patient ON disclosure(patient_id, at);
    CREATE TRIGGER chart_entry_never_deleted BEFORE DELETE ON chart_entry
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER chart_entry_version_never_deleted BEFORE DELETE ON chart_entry_version
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER observation_never_deleted BEFORE DELETE ON observation
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER note_never_deleted BEFORE DELETE ON note
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER encounter_never_deleted BEFORE DELETE ON encounter
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER document_never_deleted BEFORE DELETE ON document
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER document_content_never_deleted BEFORE DELETE ON document_content
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER document_content_never_changed BEFORE UPDATE ON document_content
        BEGIN SELECT RAISE(ABORT, 'a stored document cannot be changed'); END;
    CREATE TRIGGER disclosure_never_deleted BEFORE DELETE ON disclosure
        BEGIN SELECT RAISE(ABORT, 'the disclosure log is never deleted'); END;
    INSERT INTO note_template (name, body, active, version, updated_at) VALUES
      ('Follow-up visit', '{"subjective":"Here for follow-up of: \nSince last visit: \nMedications: taking as prescribed / missed doses: ","objective":"General: well appearing, no distress.\nHeart: regular rate and rhythm, no murmur.\nLungs: clear to auscultation bilaterally.","assessment":"","plan":"Continue current medications.\nReturn in 3 months, sooner if needed.","text":""}', 1, 1, '2026-01-01T00:00:00Z'),
      ('Annual physical', '{"subjective":"Annual exam. Concerns today: \nDiet / exercise: \nTobacco / alcohol: ","objective":"General: well appearing.\nHEENT: normal.\nHeart: regular rate and rhythm.\nLungs: clear.\nAbdomen: soft, non-tender.\nSkin: no concerning lesions.","assessment":"Healthy adult, annual exam.","plan":"Age-appropriate screening reviewed.\nImmunizations reviewed.","text":""}', 1, 1, '2026-01-01T00:00:00Z'),
      ('Acute visit', '{"subjective":"Chief complaint: \nOnset / duration: \nAssociated symptoms: ","objective":"","assessment":"","plan":"Return if worse or not improving.","text":""}', 1, 1, '2026-01-01T00:00:00Z');
    "#,
    // 3: the database itself keeps clinical records final: a signed note
    // only moves to entered in error, an observation's value never changes,
    // an entry in error stays so.
    r#"
    CREATE TRIGGER note_signed_stays_signed
        BEFORE UPDATE OF status ON note
        WHEN OLD.status = 'signed' AND NEW.status <> 'entered_in_error'
        BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed'); END;
    CREATE TRIGGER observation_written_once
        BEFORE UPDATE OF patient_id, kind, code, value, unit, effective_at, recorded_at, recorded_by ON observation
        BEGIN SELECT RAISE(ABORT, 'an observation is written once; correct it with a new one'); END;
    CREATE TRIGGER observation_in_error_is_final
        BEFORE UPDATE OF status ON observation
        WHEN OLD.status = 'entered_in_error'
        BEGIN SELECT RAISE(ABORT, 'an observation marked entered in error cannot change'); END;
    CREATE TRIGGER chart_entry_in_error_is_final
        BEFORE UPDATE ON chart_entry
        WHEN OLD.status = 'entered_in_error'
        BEGIN SELECT RAISE(ABORT, 'an entry marked entered in error cannot change'); END;
    CREATE TRIGGER document_written_once
        BEFORE UPDATE OF patient_id, file_name, mime, size, sha256, created_at, created_by ON document
        BEGIN SELECT RAISE(ABORT, 'a stored document cannot be changed'); END;
    "#,
    // 4: visits and documents keep every replaced description; retracted
    // observations and documents say who retracted them and when.
    r#"
    ALTER TABLE observation ADD COLUMN error_at TEXT;
    ALTER TABLE observation ADD COLUMN error_by INTEGER REFERENCES user_account(id);
    ALTER TABLE document ADD COLUMN error_at TEXT;
    ALTER TABLE document ADD COLUMN error_by INTEGER REFERENCES user_account(id);
    ALTER TABLE document ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE encounter ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE record_history (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX record_history_by_record ON record_history(kind, record_id, version);
    CREATE TRIGGER record_history_never_deleted BEFORE DELETE ON record_history
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER record_history_never_changed BEFORE UPDATE ON record_history
        BEGIN SELECT RAISE(ABORT, 'history cannot be changed'); END;
    "#,
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Runs every pending migration in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema, as SQLite reports it, after all migrations. A change here
    /// must come with a new migration, never an edit of an old one.
    #[test]
    fn schema_snapshot() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            tables.join("\n"),
            "index audit_by_at
index audit_by_patient
index audit_by_user
table audit_head
table audit_log
table chart_entry
index chart_entry_by_patient
trigger chart_entry_in_error_is_final
trigger chart_entry_never_deleted
table chart_entry_version
trigger chart_entry_version_never_deleted
table disclosure
index disclosure_by_patient
trigger disclosure_never_deleted
table document
index document_by_patient
table document_content
trigger document_content_never_changed
trigger document_content_never_deleted
trigger document_never_deleted
trigger document_written_once
table encounter
index encounter_by_patient
trigger encounter_never_deleted
table note
index note_by_encounter
index note_by_parent
index note_by_patient
trigger note_in_error_is_final
trigger note_never_deleted
trigger note_signed_is_locked
trigger note_signed_stays_signed
table note_template
table observation
trigger observation_in_error_is_final
trigger observation_never_deleted
index observation_recent
index observation_trend
trigger observation_written_once
table patient
index patient_birth_date
table patient_history
index patient_history_by_patient
table patient_search
index patient_search_by_patient
table practice
table record_history
index record_history_by_record
trigger record_history_never_changed
trigger record_history_never_deleted
table safety_override
index safety_override_by_patient
table setting
table user_account"
        );
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
    }

    /// A file written by the first release (schema 1) moves to the latest
    /// schema on open, keeping its rows.
    #[test]
    fn a_version_1_file_upgrades_in_place() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('idle_lock_minutes', '7')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
        let kept: String = conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'idle_lock_minutes'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, "7");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM chart_entry", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
