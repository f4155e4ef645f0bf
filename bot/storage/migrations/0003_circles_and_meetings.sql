-- The circle around each job seeker, and their meetings.
ALTER TABLE people ADD COLUMN workplace_enc TEXT;
ALTER TABLE invitations ADD COLUMN jobseeker_id INTEGER REFERENCES people (id) ON DELETE CASCADE;
ALTER TABLE invitations ADD COLUMN created_by INTEGER REFERENCES people (id) ON DELETE SET NULL;

CREATE TABLE memberships (
    id            INTEGER PRIMARY KEY,
    jobseeker_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role          TEXT NOT NULL CHECK (role IN ('jobbspesialist', 'behandler', 'navveileder')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'removed', 'ended')),
    created_at    TEXT NOT NULL,
    decided_at    TEXT,
    UNIQUE (jobseeker_id, member_id)
);
CREATE INDEX memberships_by_member ON memberships (member_id);

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    jobseeker_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organiser_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    starts_at     TEXT NOT NULL,           -- UTC; shown in MOTEKLAR_TIMEZONE
    ends_at       TEXT NOT NULL,
    place_enc     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'cancelled')),
    sequence      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE INDEX meetings_by_jobseeker ON meetings (jobseeker_id, starts_at);

CREATE TABLE attendees (
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    cannot_come  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, person_id)
);
