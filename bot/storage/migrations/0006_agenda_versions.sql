-- Agenda versions, and no 'shared' status: consent binds one recipient to one agenda version,
-- so whether something was shared is told per recipient by the share log, not per preparation.

-- SQLite cannot change a CHECK constraint: the table is rebuilt and its rows copied, a shared
-- preparation as ready. Nothing references preparations yet, so dropping it cascades nowhere;
-- agenda_versions, which will, is created after the rebuild.
CREATE TABLE preparations_rebuilt (
    id            INTEGER PRIMARY KEY,
    jobseeker_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    meeting_id    INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('in_progress', 'ready')),
    data_enc      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO preparations_rebuilt
    (id, jobseeker_id, meeting_id, status, data_enc, created_at, updated_at)
    SELECT id, jobseeker_id, meeting_id,
           CASE status WHEN 'shared' THEN 'ready' ELSE status END,
           data_enc, created_at, updated_at
    FROM preparations;
DROP TABLE preparations;
ALTER TABLE preparations_rebuilt RENAME TO preparations;
CREATE INDEX preparations_by_jobseeker ON preparations (jobseeker_id, id);
CREATE INDEX preparations_by_meeting ON preparations (meeting_id);

-- The agenda as it stood when the job seeker finished the review (or shared): its items
-- encrypted as one JSON document, numbered 1, 2, 3 per preparation, never changed afterwards.
CREATE TABLE agenda_versions (
    id              INTEGER PRIMARY KEY,
    preparation_id  INTEGER NOT NULL REFERENCES preparations (id) ON DELETE CASCADE,
    jobseeker_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL CHECK (number >= 1),
    items_enc       TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX agenda_versions_by_preparation ON agenda_versions (preparation_id, number);
CREATE INDEX agenda_versions_by_jobseeker ON agenda_versions (jobseeker_id);
