-- Issue 11: billing. Money is integer cents. Nothing financial is ever
-- changed or deleted once it counts: a ledger entry is written once, a
-- payment is reversed by new entries (and marked reversed), a billed
-- charge is voided by a reversing entry and replaced by a new line. Set-up
-- records (fees, payers, coverage, accounts) keep their replaced states
-- (replaced_state). A day's postings are final once the day is closed.

-- The practice's fee schedule: a code's price at a level from a day. A new
-- price is a new row; the row it replaces gets its last day.
CREATE TABLE fee (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CHECK (length(code) = 5),
    level TEXT NOT NULL CHECK (level IN ('standard', 'self_pay')),
    description TEXT NOT NULL CHECK (length(trim(description)) > 0),
    cents INTEGER NOT NULL CHECK (cents >= 0),
    from_day TEXT NOT NULL,
    to_day TEXT CHECK (to_day IS NULL OR to_day >= from_day),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE INDEX fee_by_code ON fee(code, level, from_day);
CREATE TRIGGER fee_never_deleted BEFORE DELETE ON fee
    BEGIN SELECT RAISE(ABORT, 'a fee is never deleted; end it'); END;

-- Insurance companies and plans the practice bills, with the address
-- paper claims are mailed to.
CREATE TABLE payer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    payer_code TEXT NOT NULL DEFAULT '',
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE TRIGGER payer_never_deleted BEFORE DELETE ON payer
    BEGIN SELECT RAISE(ABORT, 'a payer is never deleted; make it inactive'); END;

-- A billing account: its guarantor (who receives statements and owes what
-- the patients on it owe) and their mailing address.
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE TRIGGER account_never_deleted BEFORE DELETE ON account
    BEGIN SELECT RAISE(ABORT, 'a billing account is never deleted'); END;

-- The account a patient's visits are billed to.
CREATE TABLE patient_account (
    patient_id INTEGER PRIMARY KEY REFERENCES patient(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE INDEX patient_account_by_account ON patient_account(account_id);
CREATE TRIGGER patient_account_never_deleted BEFORE DELETE ON patient_account
    BEGIN SELECT RAISE(ABORT, 'a patient keeps a billing account'); END;

-- A patient's coverage with a payer.
CREATE TABLE coverage (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    payer_id INTEGER NOT NULL REFERENCES payer(id),
    rank TEXT NOT NULL CHECK (rank IN ('primary', 'secondary')),
    member_id TEXT NOT NULL CHECK (length(trim(member_id)) > 0),
    group_number TEXT NOT NULL DEFAULT '',
    subscriber_name TEXT NOT NULL DEFAULT '',
    subscriber_birth_date TEXT,
    relationship TEXT NOT NULL CHECK (relationship IN ('self', 'spouse', 'child', 'other')),
    copay_cents INTEGER NOT NULL DEFAULT 0 CHECK (copay_cents >= 0),
    from_day TEXT NOT NULL,
    to_day TEXT CHECK (to_day IS NULL OR to_day >= from_day),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE INDEX coverage_by_patient ON coverage(patient_id, rank);
CREATE TRIGGER coverage_never_deleted BEFORE DELETE ON coverage
    BEGIN SELECT RAISE(ABORT, 'coverage is never deleted; end it'); END;

-- A service line of a visit. Its price is fixed when entered; until it
-- is billed (an insurer answered it; claims come with their own
-- migration), an edit keeps the state it replaces; after that it is voided
-- (a reversing ledger entry) and a new line replaces it.
CREATE TABLE charge (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    encounter_id INTEGER REFERENCES encounter(id),
    service_day TEXT NOT NULL,
    code TEXT NOT NULL CHECK (length(code) = 5),
    modifiers TEXT NOT NULL DEFAULT '',
    units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 999),
    unit_cents INTEGER NOT NULL CHECK (unit_cents >= 0),
    cents INTEGER NOT NULL CHECK (cents = units * unit_cents),
    place TEXT NOT NULL,
    rendering_user_id INTEGER NOT NULL REFERENCES user_account(id),
    diagnoses TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'billed', 'void')),
    void_reason TEXT NOT NULL DEFAULT '',
    replaces_charge_id INTEGER REFERENCES charge(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE INDEX charge_by_account ON charge(account_id, service_day);
CREATE INDEX charge_by_patient ON charge(patient_id, service_day);
CREATE INDEX charge_by_encounter ON charge(encounter_id) WHERE encounter_id IS NOT NULL;
CREATE TRIGGER charge_never_deleted BEFORE DELETE ON charge
    BEGIN SELECT RAISE(ABORT, 'a charge is never deleted; void it'); END;
CREATE TRIGGER charge_void_final BEFORE UPDATE ON charge WHEN OLD.status = 'void'
    BEGIN SELECT RAISE(ABORT, 'a voided charge is final'); END;
CREATE TRIGGER charge_billed_amount_final BEFORE UPDATE ON charge
    WHEN OLD.status = 'billed' AND (NEW.cents <> OLD.cents OR NEW.code <> OLD.code
        OR NEW.units <> OLD.units OR NEW.service_day <> OLD.service_day)
    BEGIN SELECT RAISE(ABORT, 'a billed charge is corrected by a new line, not changed'); END;

-- Money received: from the patient or guarantor (payer_id NULL) or from a
-- payer (an EOB's check). Written once; a reversal marks it reversed and
-- writes reversing ledger entries.
CREATE TABLE payment (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    patient_id INTEGER REFERENCES patient(id),
    payer_id INTEGER REFERENCES payer(id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'check', 'card', 'insurance')),
    reference TEXT NOT NULL DEFAULT '',
    cents INTEGER NOT NULL CHECK (cents > 0),
    received_day TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reversed INTEGER NOT NULL DEFAULT 0 CHECK (reversed IN (0, 1)),
    reversed_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    CHECK ((method = 'insurance') = (payer_id IS NOT NULL))
);
CREATE INDEX payment_by_account ON payment(account_id, received_day);
CREATE TRIGGER payment_never_deleted BEFORE DELETE ON payment
    BEGIN SELECT RAISE(ABORT, 'a payment is never deleted; reverse it'); END;
CREATE TRIGGER payment_final BEFORE UPDATE ON payment
    WHEN OLD.reversed = 1 OR NEW.reversed = 0 OR NEW.cents <> OLD.cents
        OR NEW.account_id <> OLD.account_id OR NEW.method <> OLD.method
        OR NEW.payer_id IS NOT OLD.payer_id OR NEW.received_day <> OLD.received_day
    BEGIN SELECT RAISE(ABORT, 'a payment is written once; only a reversal marks it'); END;

-- A closed day: its totals, matched to the ledger when it was closed.
CREATE TABLE closed_day (
    day TEXT PRIMARY KEY,
    charges_cents INTEGER NOT NULL,
    payments_cents INTEGER NOT NULL,
    adjustments_cents INTEGER NOT NULL,
    refunds_cents INTEGER NOT NULL,
    closed_at TEXT NOT NULL,
    closed_by INTEGER NOT NULL REFERENCES user_account(id)
) WITHOUT ROWID;
CREATE TRIGGER closed_day_final BEFORE UPDATE ON closed_day
    BEGIN SELECT RAISE(ABORT, 'a closed day stays closed'); END;
CREATE TRIGGER closed_day_never_deleted BEFORE DELETE ON closed_day
    BEGIN SELECT RAISE(ABORT, 'a closed day stays closed'); END;

-- The ledger: every amount that changes what an account owes, signed by
-- its effect on the balance (a charge and a refund add, a payment and an
-- adjustment subtract, a transfer moves responsibility between the
-- patient, payer_id NULL, and a payer, in pairs that net to zero). The
-- balance is the sum of the amounts. Written once.
CREATE TABLE ledger_entry (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    patient_id INTEGER REFERENCES patient(id),
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'payment', 'adjustment', 'transfer', 'refund')),
    payer_id INTEGER REFERENCES payer(id),
    cents INTEGER NOT NULL,
    charge_id INTEGER REFERENCES charge(id),
    payment_id INTEGER REFERENCES payment(id),
    group_code TEXT CHECK (group_code IS NULL OR group_code IN ('co', 'pr', 'oa', 'pi', 'cr')),
    reason_code TEXT NOT NULL DEFAULT '',
    memo TEXT NOT NULL DEFAULT '',
    reverses_entry_id INTEGER REFERENCES ledger_entry(id),
    posted_day TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    posted_by INTEGER NOT NULL REFERENCES user_account(id),
    CHECK ((kind = 'adjustment') = (group_code IS NOT NULL)),
    CHECK (kind <> 'charge' OR charge_id IS NOT NULL),
    CHECK (kind NOT IN ('payment', 'refund') OR payment_id IS NOT NULL)
);
CREATE INDEX ledger_by_account ON ledger_entry(account_id, id);
CREATE INDEX ledger_by_charge ON ledger_entry(charge_id) WHERE charge_id IS NOT NULL;
CREATE INDEX ledger_by_payment ON ledger_entry(payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX ledger_by_day ON ledger_entry(posted_day);
CREATE TRIGGER ledger_entry_final BEFORE UPDATE ON ledger_entry
    BEGIN SELECT RAISE(ABORT, 'a ledger entry is written once; post a reversal'); END;
CREATE TRIGGER ledger_entry_never_deleted BEFORE DELETE ON ledger_entry
    BEGIN SELECT RAISE(ABORT, 'a ledger entry is never deleted; post a reversal'); END;
CREATE TRIGGER ledger_entry_day_open BEFORE INSERT ON ledger_entry
    WHEN EXISTS (SELECT 1 FROM closed_day WHERE day = NEW.posted_day)
    BEGIN SELECT RAISE(ABORT, 'that day is closed: its postings are final'); END;
