-- Paper claims (CMS-1500, 02/12). A claim asks one payer to pay a
-- patient's service lines; its lines are written once. Its status moves
-- draft -> printed (and mailed) -> paid, partly paid or denied; a claim
-- sent again is a new claim that names the one it replaces (which is then
-- 'resubmitted' and final); a draft never sent may be withdrawn (final).
-- Nothing is deleted.

-- The kind of plan, for item 1 of the form.
ALTER TABLE payer ADD COLUMN plan_type TEXT NOT NULL DEFAULT 'group_health'
    CHECK (plan_type IN ('medicare', 'medicaid', 'tricare', 'champva', 'group_health',
                         'feca', 'other'));

-- A clinician's own NPI, for item 24J (the rendering provider).
ALTER TABLE user_account ADD COLUMN npi TEXT NOT NULL DEFAULT ''
    CHECK (npi = '' OR (length(npi) = 10 AND npi NOT GLOB '*[^0-9]*'));

CREATE TABLE claim (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    payer_id INTEGER NOT NULL REFERENCES payer(id),
    coverage_id INTEGER NOT NULL REFERENCES coverage(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'printed', 'paid', 'partly_paid',
                                           'denied', 'resubmitted', 'withdrawn')),
    -- The claim this one replaces (item 22: resubmission code 7), and the
    -- payer's number for it as the practice typed it from the EOB.
    original_claim_id INTEGER REFERENCES claim(id),
    payer_reference TEXT NOT NULL DEFAULT '',
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    status_note TEXT NOT NULL DEFAULT '',
    print_count INTEGER NOT NULL DEFAULT 0 CHECK (print_count >= 0),
    first_printed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id),
    CHECK (original_claim_id IS NOT NULL OR payer_reference = '')
);
CREATE INDEX claim_by_patient ON claim(patient_id, id);
CREATE INDEX claim_by_status ON claim(status, id);
CREATE TRIGGER claim_never_deleted BEFORE DELETE ON claim
    BEGIN SELECT RAISE(ABORT, 'a claim is never deleted'); END;
CREATE TRIGGER claim_fixed BEFORE UPDATE ON claim
    WHEN NEW.account_id <> OLD.account_id OR NEW.patient_id <> OLD.patient_id
        OR NEW.payer_id <> OLD.payer_id OR NEW.coverage_id <> OLD.coverage_id
        OR NEW.total_cents <> OLD.total_cents
        OR NEW.original_claim_id IS NOT OLD.original_claim_id
        OR OLD.status IN ('resubmitted', 'withdrawn')
        OR (OLD.status <> 'draft' AND NEW.status IN ('draft', 'withdrawn'))
    BEGIN SELECT RAISE(ABORT, 'a claim keeps what it asked; a resubmitted or withdrawn claim is final'); END;

-- A claim's service lines, in the order printed (six to a form).
CREATE TABLE claim_line (
    claim_id INTEGER NOT NULL REFERENCES claim(id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    charge_id INTEGER NOT NULL REFERENCES charge(id),
    cents INTEGER NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (claim_id, line_no)
) WITHOUT ROWID;
CREATE INDEX claim_line_by_charge ON claim_line(charge_id);
CREATE TRIGGER claim_line_final BEFORE UPDATE ON claim_line
    BEGIN SELECT RAISE(ABORT, 'a claim line is written once'); END;
CREATE TRIGGER claim_line_never_deleted BEFORE DELETE ON claim_line
    BEGIN SELECT RAISE(ABORT, 'a claim line is never deleted'); END;
