-- Sharing: every copy given to a recipient, with the version and the items it carried. The rows
-- are the share log: kept with their status (shared, withdrawn, replaced) and when it was read.
CREATE TABLE shares (
    id              INTEGER PRIMARY KEY,
    jobseeker_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    recipient_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,  -- gone: the role stays
    recipient_role  TEXT NOT NULL CHECK (recipient_role IN ('jobbspesialist', 'behandler', 'navveileder')),
    meeting_id      INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    version_id      INTEGER NOT NULL REFERENCES agenda_versions (id) ON DELETE CASCADE,
    keys_enc        TEXT NOT NULL,          -- encrypted JSON: the keys of the items it carried
    journal         INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('shared', 'withdrawn', 'replaced')),
    shared_at       TEXT NOT NULL,
    read_at         TEXT,
    ended_at        TEXT
);
CREATE INDEX shares_by_jobseeker ON shares (jobseeker_id, id);
CREATE INDEX shares_by_recipient ON shares (recipient_id);
CREATE INDEX shares_by_meeting ON shares (meeting_id);
CREATE INDEX shares_by_version ON shares (version_id);

-- The job seeker decides whether the jobbspesialist sees how far the preparation has come.
ALTER TABLE people ADD COLUMN shows_prep_status INTEGER NOT NULL DEFAULT 1;
