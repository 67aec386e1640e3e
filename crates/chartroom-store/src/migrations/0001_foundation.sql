
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
    