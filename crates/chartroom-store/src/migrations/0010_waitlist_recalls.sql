-- Issue 10, section 7: the waitlist (patients who want an earlier slot)
-- and recalls ("see again in 3 months"), which the front desk works from
-- lists. Nothing is deleted: an entry is closed once (booked, with the
-- appointment, or closed with a reason, by whom and when) and then stays
-- as it is.

CREATE TABLE waitlist_entry (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    type_id INTEGER NOT NULL REFERENCES appointment_type(id),
    -- NULL: any calendar that offers the type.
    calendar_id INTEGER REFERENCES calendar(id),
    time_of_day TEXT NOT NULL CHECK (time_of_day IN ('any', 'morning', 'afternoon')),
    -- A slot on or after this clinic day (NULL: any).
    earliest_day TEXT,
    -- A slot before this clinic day (the visit they hold; NULL: any).
    before_day TEXT,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'booked', 'closed')),
    appointment_id INTEGER REFERENCES appointment(id),
    closed_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES user_account(id),
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'booked') = (appointment_id IS NOT NULL)),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX waitlist_open ON waitlist_entry(status, created_at);
CREATE INDEX waitlist_by_patient ON waitlist_entry(patient_id);
CREATE TRIGGER waitlist_entry_never_deleted BEFORE DELETE ON waitlist_entry
    BEGIN SELECT RAISE(ABORT, 'a waitlist entry is never deleted; close it'); END;
CREATE TRIGGER waitlist_entry_closed_final BEFORE UPDATE ON waitlist_entry
    WHEN OLD.status <> 'open'
    BEGIN SELECT RAISE(ABORT, 'a closed waitlist entry stays as it was closed'); END;

CREATE TABLE recall (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    -- The clinic day the patient is due.
    due_day TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason <> ''),
    -- What to book, when known (NULL: the front desk chooses).
    type_id INTEGER REFERENCES appointment_type(id),
    calendar_id INTEGER REFERENCES calendar(id),
    -- Who asked for it: 'staff' here; preventive care adds its own.
    source TEXT NOT NULL DEFAULT 'staff',
    status TEXT NOT NULL CHECK (status IN ('open', 'booked', 'closed')),
    appointment_id INTEGER REFERENCES appointment(id),
    closed_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES user_account(id),
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'booked') = (appointment_id IS NOT NULL)),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX recall_open ON recall(status, due_day);
CREATE INDEX recall_by_patient ON recall(patient_id);
CREATE TRIGGER recall_never_deleted BEFORE DELETE ON recall
    BEGIN SELECT RAISE(ABORT, 'a recall is never deleted; close it'); END;
CREATE TRIGGER recall_closed_final BEFORE UPDATE ON recall
    WHEN OLD.status <> 'open'
    BEGIN SELECT RAISE(ABORT, 'a closed recall stays as it was closed'); END;
