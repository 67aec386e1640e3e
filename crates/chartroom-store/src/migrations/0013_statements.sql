-- Statements sent to guarantors: what each said (what the patient's side
-- owed, the credit held, the amount due, what was still pending with
-- payers) and how it left (printed or saved, with the file's digest).
-- Written once: the statement history a front desk answers questions from.
CREATE TABLE statement (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    statement_day TEXT NOT NULL,
    patient_due_cents INTEGER NOT NULL,
    credit_cents INTEGER NOT NULL CHECK (credit_cents >= 0),
    amount_due_cents INTEGER NOT NULL CHECK (amount_due_cents >= 0),
    pending_cents INTEGER NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('printed', 'saved')),
    sha256 BLOB NOT NULL CHECK (length(sha256) = 32),
    at TEXT NOT NULL,
    by_user INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE INDEX statement_of_account ON statement(account_id, id);
CREATE TRIGGER statement_never_deleted BEFORE DELETE ON statement
    BEGIN SELECT RAISE(ABORT, 'a statement sent is never deleted'); END;
CREATE TRIGGER statement_final BEFORE UPDATE ON statement
    BEGIN SELECT RAISE(ABORT, 'a statement sent is never changed'); END;

-- What is still owed on each charge by each party, for A/R aging: read
-- from the index alone, in charge order.
CREATE INDEX ledger_open_by_charge ON ledger_entry(charge_id, payer_id, account_id, cents)
    WHERE charge_id IS NOT NULL;

-- Credit not yet applied (the patient side's entries on no charge), by
-- account: a few rows among millions.
CREATE INDEX ledger_credit_by_account ON ledger_entry(account_id, cents)
    WHERE charge_id IS NULL AND payer_id IS NULL;
