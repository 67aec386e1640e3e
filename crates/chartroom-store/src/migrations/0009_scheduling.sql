    -- Scheduling. Nothing here is ever deleted (triggers refuse it):
    -- calendars and appointment types are made inactive, closures
    -- withdrawn, appointments cancelled; every edit keeps the state it
    -- replaces (replaced_state) and every status change is a row of
    -- appointment_event, written once.

    -- A calendar that takes appointments: a clinician's own (user_id), or a
    -- line without a login such as a nurse visit (user_id NULL). Check-in
    -- opens the visit under chart_user_id, the clinician whose chart list
    -- it joins. `hours` is the working week, one canonical line per
    -- weekday ("mon 08:00-12:00 13:00-17:00"); a gap between two blocks is
    -- a break.
    CREATE TABLE calendar (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        user_id INTEGER REFERENCES user_account(id),
        chart_user_id INTEGER NOT NULL REFERENCES user_account(id),
        colour TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
        hours TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE UNIQUE INDEX calendar_of_user ON calendar(user_id) WHERE user_id IS NOT NULL;
    CREATE TRIGGER calendar_never_deleted BEFORE DELETE ON calendar
        BEGIN SELECT RAISE(ABORT, 'a calendar is never deleted; make it inactive'); END;

    -- Kinds of appointment: name, default length, colour, the kind of visit
    -- check-in opens, and the calendars that offer it ("3,7"; empty: all).
    CREATE TABLE appointment_type (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
        colour TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
        visit_kind TEXT NOT NULL,
        calendars TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE TRIGGER appointment_type_never_deleted BEFORE DELETE ON appointment_type
        BEGIN SELECT RAISE(ABORT, 'an appointment type is never deleted; make it inactive'); END;

    -- Times a calendar (or, calendar_id NULL, the whole practice) takes no
    -- appointments: vacation, holidays, meetings. Instants in UTC.
    CREATE TABLE closure (
        id INTEGER PRIMARY KEY,
        calendar_id INTEGER REFERENCES calendar(id),
        kind TEXT NOT NULL CHECK (kind IN ('vacation', 'holiday', 'meeting', 'other')),
        label TEXT NOT NULL DEFAULT '',
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
        withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE INDEX closure_by_time ON closure(ends_at, starts_at);
    CREATE TRIGGER closure_never_deleted BEFORE DELETE ON closure
        BEGIN SELECT RAISE(ABORT, 'a closure is never deleted; withdraw it'); END;

    -- A recurring series: the rule it was booked with (as typed, checked)
    -- and its first visit's clinic wall-clock time. Each occurrence is its
    -- own appointment row.
    CREATE TABLE appointment_series (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        rule TEXT NOT NULL,
        first_local TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id)
    );
    CREATE TRIGGER appointment_series_never_deleted BEFORE DELETE ON appointment_series
        BEGIN SELECT RAISE(ABORT, 'a series is never deleted; cancel its appointments'); END;
    CREATE TRIGGER appointment_series_final BEFORE UPDATE ON appointment_series
        BEGIN SELECT RAISE(ABORT, 'a series is written once'); END;

    -- One appointment. `day` is the clinic's calendar day of starts_at (the
    -- day views read by it). An override (double-booking, outside hours,
    -- in a closure) carries its reason.
    CREATE TABLE appointment (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patient(id),
        calendar_id INTEGER NOT NULL REFERENCES calendar(id),
        type_id INTEGER NOT NULL REFERENCES appointment_type(id),
        series_id INTEGER REFERENCES appointment_series(id),
        series_index INTEGER,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
        day TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'arrived', 'in_room',
            'with_provider', 'checked_out', 'no_show', 'cancelled')),
        reason TEXT NOT NULL DEFAULT '',
        override_reason TEXT NOT NULL DEFAULT '',
        cancel_reason TEXT NOT NULL DEFAULT '',
        late_cancel INTEGER NOT NULL DEFAULT 0 CHECK (late_cancel IN (0, 1)),
        arrived_at TEXT,
        encounter_id INTEGER REFERENCES encounter(id),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES user_account(id),
        updated_at TEXT NOT NULL,
        updated_by INTEGER NOT NULL REFERENCES user_account(id),
        CHECK ((series_id IS NULL) = (series_index IS NULL))
    );
    CREATE INDEX appointment_by_calendar ON appointment(calendar_id, starts_at);
    CREATE INDEX appointment_by_day ON appointment(day, calendar_id, starts_at);
    CREATE INDEX appointment_by_patient ON appointment(patient_id, starts_at);
    CREATE INDEX appointment_by_series ON appointment(series_id, series_index) WHERE series_id IS NOT NULL;
    CREATE TRIGGER appointment_never_deleted BEFORE DELETE ON appointment
        BEGIN SELECT RAISE(ABORT, 'an appointment is never deleted; cancel it'); END;
    CREATE TRIGGER appointment_cancelled_final BEFORE UPDATE ON appointment
        WHEN OLD.status IN ('cancelled', 'no_show', 'checked_out') AND NEW.status <> OLD.status
        BEGIN SELECT RAISE(ABORT, 'a cancelled, missed or finished appointment keeps its status'); END;

    -- Every change of an appointment: the status it took (or 'moved', the
    -- old place in detail), with its time and user.
    CREATE TABLE appointment_event (
        id INTEGER PRIMARY KEY,
        appointment_id INTEGER NOT NULL REFERENCES appointment(id),
        status TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'arrived', 'in_room',
            'with_provider', 'checked_out', 'no_show', 'cancelled', 'moved')),
        at TEXT NOT NULL,
        by_user INTEGER NOT NULL REFERENCES user_account(id),
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX appointment_event_by_appointment ON appointment_event(appointment_id, id);
    CREATE TRIGGER appointment_event_never_deleted BEFORE DELETE ON appointment_event
        BEGIN SELECT RAISE(ABORT, 'appointment history is never deleted'); END;
    CREATE TRIGGER appointment_event_final BEFORE UPDATE ON appointment_event
        BEGIN SELECT RAISE(ABORT, 'appointment history is written once'); END;
