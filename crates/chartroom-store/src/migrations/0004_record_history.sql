
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
    