-- Reminders, owned by the database: the transport schedules the ones due soon as jobs named
-- reminder:<id> and rebuilds them at start. Nothing here is free text.
-- AUTOINCREMENT: an id is never used twice, so a job named after a dropped reminder can never
-- fire a newer one, and the scheduler can pick up new reminders by id.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('prep', 'meeting', 'pin', 'unpin')),
    label       TEXT NOT NULL DEFAULT '',    -- the offset it was planned with (1d, 2h), or later
    due_at      TEXT NOT NULL,               -- UTC, already out of quiet hours
    for_start   TEXT NOT NULL,               -- the meeting start it was planned for (UTC)
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'skipped')),
    reason      TEXT,                        -- why it was skipped
    about       INTEGER,                     -- an unpin: the pin reminder it undoes
    created_at  TEXT NOT NULL,
    settled_at  TEXT
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
CREATE INDEX reminders_by_meeting ON reminders (meeting_id);
CREATE INDEX reminders_by_person ON reminders (person_id);

-- /varsler: the kinds of reminder a person has turned off (none by default).
CREATE TABLE reminders_off (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('prep', 'meeting', 'pin')),
    PRIMARY KEY (person_id, kind)
);
