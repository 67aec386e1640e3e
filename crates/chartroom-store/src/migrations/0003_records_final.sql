
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
    