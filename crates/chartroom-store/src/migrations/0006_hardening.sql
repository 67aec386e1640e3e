    -- The database refuses what the rules refuse, also to someone at a SQLite
    -- shell with the key (who can still drop these triggers: what detects
    -- that is the chain checked against an anchor kept outside the file).
    -- The connection runs with recursive_triggers on, so a REPLACE that would
    -- remove a row fires that table's delete trigger and is refused too.

    -- The audit log: records are only ever appended at the head, in order,
    -- and never changed or removed; record 1 is the practice set-up.
    -- Records from here on say how they were hashed (1: fields joined by a
    -- separator, before this migration; 2: each field length-prefixed).
    ALTER TABLE audit_log ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1;
    CREATE TRIGGER audit_log_never_changed BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is never changed'); END;
    CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is never deleted'); END;
    CREATE TRIGGER audit_log_appends_at_the_head BEFORE INSERT ON audit_log
        WHEN NEW.id IS NOT coalesce((SELECT last_id FROM audit_head WHERE id = 1), 0) + 1
          OR NEW.prev_hash IS NOT coalesce((SELECT last_hash FROM audit_head WHERE id = 1), zeroblob(32))
          OR (NEW.id = 1 AND NEW.action IS NOT 'setup')
        BEGIN SELECT RAISE(ABORT, 'an audit record only continues the chain at its head'); END;
    CREATE TRIGGER audit_head_never_deleted BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'the audit chain head is never removed'); END;
    CREATE TRIGGER audit_head_starts_at_record_1 BEFORE INSERT ON audit_head
        WHEN NEW.last_id IS NOT 1
          OR NEW.last_hash IS NOT (SELECT hash FROM audit_log WHERE id = 1)
        BEGIN SELECT RAISE(ABORT, 'the audit chain head starts at record 1'); END;
    CREATE TRIGGER audit_head_moves_forward BEFORE UPDATE ON audit_head
        WHEN NEW.id IS NOT OLD.id
          OR NEW.last_id IS NOT OLD.last_id + 1
          OR NEW.last_hash IS NOT (SELECT hash FROM audit_log WHERE id = NEW.last_id)
        BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward, one record at a time'); END;

    -- History rows are written once.
    CREATE TRIGGER chart_entry_version_never_changed BEFORE UPDATE ON chart_entry_version
        BEGIN SELECT RAISE(ABORT, 'history cannot be changed'); END;
    CREATE TRIGGER patient_history_never_changed BEFORE UPDATE ON patient_history
        BEGIN SELECT RAISE(ABORT, 'history cannot be changed'); END;
    CREATE TRIGGER patient_history_never_deleted BEFORE DELETE ON patient_history
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER disclosure_never_changed BEFORE UPDATE ON disclosure
        BEGIN SELECT RAISE(ABORT, 'the disclosure log is never changed'); END;

    -- Safety overrides, patients and users are never removed (a user is
    -- disabled, a patient's chart is kept for good).
    CREATE TRIGGER safety_override_never_changed BEFORE UPDATE ON safety_override
        BEGIN SELECT RAISE(ABORT, 'a recorded safety override cannot be changed'); END;
    CREATE TRIGGER safety_override_never_deleted BEFORE DELETE ON safety_override
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER patient_never_deleted BEFORE DELETE ON patient
        BEGIN SELECT RAISE(ABORT, 'a patient is never deleted'); END;
    CREATE TRIGGER user_account_never_deleted BEFORE DELETE ON user_account
        BEGIN SELECT RAISE(ABORT, 'a user is never deleted; disable the account'); END;

    -- A visit whose note is signed keeps its date, type and reason, and a
    -- visit belongs to one patient and provider for good.
    CREATE TRIGGER encounter_signed_is_final
        BEFORE UPDATE OF encounter_date, kind, reason ON encounter
        WHEN EXISTS (SELECT 1 FROM note WHERE encounter_id = OLD.id AND status <> 'draft')
        BEGIN SELECT RAISE(ABORT, 'the visit''s note is signed; its date, type and reason are final'); END;
    CREATE TRIGGER encounter_written_once
        BEFORE UPDATE OF patient_id, provider_id, created_at, created_by ON encounter
        BEGIN SELECT RAISE(ABORT, 'a visit''s patient and provider cannot be changed'); END;

    -- A document marked entered in error stays so.
    CREATE TRIGGER document_in_error_is_final
        BEFORE UPDATE ON document
        WHEN OLD.status = 'entered_in_error'
        BEGIN SELECT RAISE(ABORT, 'a document marked entered in error cannot change'); END;
