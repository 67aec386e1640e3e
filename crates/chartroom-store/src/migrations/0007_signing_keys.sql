    -- Clinicians' signing keys (Ed25519). The public half is kept in the
    -- clear and recorded in the audit chain (audit_id names that record);
    -- the private half only wrapped by the clinician's password. A key is
    -- retired when an administrator resets the password (the new password
    -- cannot open the old wrap) and kept, so what it signed still verifies.
    CREATE TABLE signing_key (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES user_account(id),
        public_key BLOB NOT NULL CHECK (length(public_key) = 32),
        wrapped BLOB NOT NULL,
        created_at TEXT NOT NULL,
        audit_id INTEGER NOT NULL REFERENCES audit_log(id),
        retired_at TEXT,
        retired_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX signing_key_one_current ON signing_key(user_id) WHERE retired_at IS NULL;
    CREATE TRIGGER signing_key_never_deleted BEFORE DELETE ON signing_key
        BEGIN SELECT RAISE(ABORT, 'a signing key is never removed'); END;
    CREATE TRIGGER signing_key_public_half_is_final
        BEFORE UPDATE OF id, user_id, public_key, created_at, audit_id ON signing_key
        BEGIN SELECT RAISE(ABORT, 'a signing key''s public half is final'); END;
    CREATE TRIGGER signing_key_retired_is_final
        BEFORE UPDATE OF wrapped, retired_at, retired_reason ON signing_key
        WHEN OLD.retired_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a retired signing key is final'); END;

    -- A signed note carries its signature: the signer's key over the
    -- note's content hash. Notes signed before this migration have none.
    ALTER TABLE note ADD COLUMN signature BLOB;
    ALTER TABLE note ADD COLUMN signing_key_id INTEGER REFERENCES signing_key(id);
    CREATE TRIGGER note_signature_is_final
        BEFORE UPDATE OF signature, signing_key_id ON note
        WHEN OLD.status <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed'); END;
