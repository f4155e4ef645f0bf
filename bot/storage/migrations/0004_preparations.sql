-- The job seeker's preparation for a meeting: their answers, encrypted as one JSON document.
CREATE TABLE preparations (
    id            INTEGER PRIMARY KEY,
    jobseeker_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    meeting_id    INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('in_progress', 'ready', 'shared')),
    data_enc      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX preparations_by_jobseeker ON preparations (jobseeker_id, id);
