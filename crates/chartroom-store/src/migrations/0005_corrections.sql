
    -- One mechanism for corrections (see src/corrections.rs). Every replaced
    -- state of every kind of record goes to replaced_state, every mark of
    -- entered in error to entered_in_error. The rows of patient_history,
    -- chart_entry_version and record_history, and the reason, who and when
    -- of every record already entered in error, are copied here; those
    -- tables and columns stay as they were and are no longer written.
    CREATE TABLE replaced_state (
        kind TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        fields TEXT NOT NULL CHECK (json_valid(fields) AND json_type(fields) = 'object'),
        change TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        replaced_by INTEGER NOT NULL REFERENCES user_account(id),
        PRIMARY KEY (kind, record_id, version)
    ) WITHOUT ROWID;
    CREATE TRIGGER replaced_state_never_deleted BEFORE DELETE ON replaced_state
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER replaced_state_never_changed BEFORE UPDATE ON replaced_state
        BEGIN SELECT RAISE(ABORT, 'history cannot be changed'); END;
    CREATE TABLE entered_in_error (
        kind TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (trim(reason) <> ''),
        marked_at TEXT,
        marked_by INTEGER REFERENCES user_account(id),
        PRIMARY KEY (kind, record_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER entered_in_error_never_deleted BEFORE DELETE ON entered_in_error
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END;
    CREATE TRIGGER entered_in_error_never_changed BEFORE UPDATE ON entered_in_error
        BEGIN SELECT RAISE(ABORT, 'entered in error is final'); END;

    -- A patient's replaced details: the whole patient, as kept.
    INSERT INTO replaced_state (kind, record_id, version, fields, change, replaced_at, replaced_by)
    SELECT 'patient', patient_id, version, snapshot, 'edited', replaced_at, replaced_by
    FROM patient_history;

    -- Every saved state of a chart entry but its current one (its row):
    -- state n was replaced by the change that saved state n + 1.
    INSERT INTO replaced_state (kind, record_id, version, fields, change, replaced_at, replaced_by)
    SELECT 'chart_entry', v.entry_id, v.version,
        json_object('status', v.status, 'label', v.label, 'code', v.code,
                    'effective_date', v.effective_date, 'body', v.body),
        n.change, n.saved_at, n.saved_by
    FROM chart_entry_version v
    JOIN chart_entry_version n ON n.entry_id = v.entry_id AND n.version = v.version + 1;

    -- A visit's or document's replaced fields: [name, value] pairs become
    -- an object with the keys in the same order.
    INSERT INTO replaced_state (kind, record_id, version, fields, change, replaced_at, replaced_by)
    SELECT h.kind, h.record_id, h.version,
        (SELECT json_group_object(json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]'))
         FROM (SELECT value FROM json_each(h.snapshot) ORDER BY key) p),
        CASE h.kind WHEN 'encounter' THEN 'visit corrected'
                    WHEN 'document' THEN 'description corrected'
                    ELSE 'corrected' END,
        h.replaced_at, h.replaced_by
    FROM record_history h;

    -- Records already entered in error. Entries and notes were last saved
    -- by their mark; values and documents retracted before schema 4 did not
    -- record who or when (null).
    INSERT INTO entered_in_error (kind, record_id, reason, marked_at, marked_by)
    SELECT kind, id,
        CASE WHEN trim(reason) = '' THEN '(no reason recorded)' ELSE reason END,
        at, by_user
    FROM (
        SELECT 'chart_entry' AS kind, id, error_reason AS reason, updated_at AS at,
            updated_by AS by_user
        FROM chart_entry WHERE status = 'entered_in_error'
        UNION ALL SELECT 'observation', id, error_reason, error_at, error_by
        FROM observation WHERE status = 'entered_in_error'
        UNION ALL SELECT 'note', id, error_reason, updated_at, updated_by
        FROM note WHERE status = 'entered_in_error'
        UNION ALL SELECT 'document', id, error_reason, error_at, error_by
        FROM document WHERE status = 'entered_in_error'
        UNION ALL SELECT 'encounter', id, error_reason, NULL, NULL
        FROM encounter WHERE status = 'entered_in_error'
    );
