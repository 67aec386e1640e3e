
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
    