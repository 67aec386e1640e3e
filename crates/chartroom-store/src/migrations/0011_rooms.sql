-- Issue 10, section 1: rooms, for practices that book them (exam rooms, a
-- procedure room). A room is never deleted, only taken out of use; every
-- edit keeps the state it replaces (replaced_state). An appointment may
-- hold a room: no two appointments that hold their time hold the same room
-- at once unless booked over that conflict with a reason (checked by the
-- scheduling crate, like a calendar's own overlaps).

CREATE TABLE room (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user_account(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user_account(id)
);
CREATE TRIGGER room_never_deleted BEFORE DELETE ON room
    BEGIN SELECT RAISE(ABORT, 'a room is never deleted; take it out of use'); END;

ALTER TABLE appointment ADD COLUMN room_id INTEGER REFERENCES room(id);
CREATE INDEX appointment_by_room ON appointment(room_id, starts_at) WHERE room_id IS NOT NULL;
