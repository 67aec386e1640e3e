    -- Records out. The disclosure log gains what an accounting of
    -- disclosures (45 CFR 164.528) must say: the recipient's address, the
    -- purpose, what was sent (sections, date range, pages) and how. The
    -- rows written before (printed prescriptions: to the patient or their
    -- pharmacy, for treatment, one page, saved as a PDF) take the defaults;
    -- every new row names all of them.
    ALTER TABLE disclosure ADD COLUMN recipient_address TEXT NOT NULL DEFAULT '';
    ALTER TABLE disclosure ADD COLUMN purpose TEXT NOT NULL DEFAULT 'treatment'
        CHECK (purpose IN ('treatment', 'payment', 'operations', 'patient_request',
                           'legal', 'public_health', 'other'));
    ALTER TABLE disclosure ADD COLUMN purpose_detail TEXT NOT NULL DEFAULT '';
    ALTER TABLE disclosure ADD COLUMN sections TEXT NOT NULL DEFAULT '';
    ALTER TABLE disclosure ADD COLUMN date_from TEXT;
    ALTER TABLE disclosure ADD COLUMN date_to TEXT;
    ALTER TABLE disclosure ADD COLUMN page_count INTEGER NOT NULL DEFAULT 1 CHECK (page_count >= 1);
    ALTER TABLE disclosure ADD COLUMN method TEXT NOT NULL DEFAULT 'saved'
        CHECK (method IN ('printed', 'saved'));
    CREATE INDEX disclosure_by_time ON disclosure(at);

    -- The practice's address book of providers it refers to. Kept, never
    -- deleted: a provider who left is made inactive; every edit keeps the
    -- state it replaces (replaced_state, kind 'referral_provider').
    CREATE TABLE referral_provider (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        specialty TEXT NOT NULL DEFAULT '',
        practice TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        fax TEXT NOT NULL DEFAULT '',
        npi TEXT NOT NULL DEFAULT '' CHECK (npi = '' OR (length(npi) = 10 AND npi NOT GLOB '*[^0-9]*')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE TRIGGER referral_provider_never_deleted BEFORE DELETE ON referral_provider
        BEGIN SELECT RAISE(ABORT, 'a referral provider is never deleted; make it inactive'); END;
