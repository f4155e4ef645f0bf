-- After the meeting and between meetings: meeting kinds, the job seeker's follow-up, what was
-- agreed (tasks, shared by the job seeker's consent), the carry-over into the next preparation,
-- and the team's anonymous counters.

-- What kind of meeting it is (product.md, Meetings); a team meeting has no job seeker attending.
-- tallied: the meeting was counted in the team's anonymous counters once it had ended.
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'samarbeidsmote'
    CHECK (kind IN ('samarbeidsmote', 'trepartsmote', 'fellessamtale', 'teammote'));
ALTER TABLE meetings ADD COLUMN tallied INTEGER NOT NULL DEFAULT 0;

-- The job seeker's reflection after a meeting: "Fikk du tatt opp det som var viktigst for deg?",
-- per agenda item "Ble dette snakket om?", and own words. All of it encrypted as one JSON
-- document: only the job seeker sees it, unless they pass something on.
CREATE TABLE followups (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    jobseeker_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    data_enc      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX followups_by_jobseeker ON followups (jobseeker_id);

-- What was agreed at a meeting, as the jobbspesialist wrote it down: numbered versions per
-- meeting (a draft, then sent to the job seeker, who decides who else gets it).
CREATE TABLE agreements (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    jobseeker_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    author_id        INTEGER REFERENCES people (id) ON DELETE SET NULL,
    number           INTEGER NOT NULL CHECK (number >= 1),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'sent')),
    next_meeting_id  INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE UNIQUE INDEX agreements_by_meeting ON agreements (meeting_id, number);
CREATE INDEX agreements_by_jobseeker ON agreements (jobseeker_id);
CREATE INDEX agreements_by_author ON agreements (author_id);
CREATE INDEX agreements_by_next_meeting ON agreements (next_meeting_id);

-- Who does what by when. number: the task's stable key within the meeting, the same in every
-- version (consent names it); the words are encrypted.
CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    owner_role    TEXT NOT NULL CHECK (owner_role IN ('jobbsoker', 'jobbspesialist', 'behandler', 'navveileder')),
    owner_id      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    text_enc      TEXT NOT NULL,
    due_on        TEXT,                    -- a local date (YYYY-MM-DD), or none
    UNIQUE (agreement_id, number)
);
CREATE INDEX tasks_by_owner ON tasks (owner_id);

-- What the job seeker shared of what was agreed: the same share log as for the agenda, per
-- recipient and version, with the keys of the items it carried (encrypted).
CREATE TABLE agreement_shares (
    id              INTEGER PRIMARY KEY,
    jobseeker_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    recipient_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    recipient_role  TEXT NOT NULL CHECK (recipient_role IN ('jobbspesialist', 'behandler', 'navveileder')),
    meeting_id      INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    version_id      INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    keys_enc        TEXT NOT NULL,
    journal         INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('shared', 'withdrawn', 'replaced')),
    shared_at       TEXT NOT NULL,
    read_at         TEXT,
    ended_at        TEXT
);
CREATE INDEX agreement_shares_by_jobseeker ON agreement_shares (jobseeker_id, id);
CREATE INDEX agreement_shares_by_recipient ON agreement_shares (recipient_id);
CREATE INDEX agreement_shares_by_meeting ON agreement_shares (meeting_id);
CREATE INDEX agreement_shares_by_version ON agreement_shares (version_id);

-- One per job seeker: what was agreed and the items not talked about at a meeting whose
-- preparation retention has deleted, kept for the next preparation until the next follow-up
-- replaces it, and at most until expires_at (180 days).
CREATE TABLE carryovers (
    jobseeker_id   INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    meeting_id     INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    meeting_start  TEXT NOT NULL,
    data_enc       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);

-- The team's anonymous counters (moteklar report): counts per team and month, nothing that
-- names or points at a person, so they outlive retention.
CREATE TABLE counters (
    team   TEXT NOT NULL,                  -- '' for no team
    month  TEXT NOT NULL,                  -- YYYY-MM, the meeting's month in local time
    name   TEXT NOT NULL,
    value  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team, month, name)
);

-- Two more kinds of reminder: the follow-up after a meeting, and a task's date. SQLite cannot
-- change a CHECK constraint, so the table is rebuilt; its AUTOINCREMENT counter is carried over,
-- so no id is ever used twice. task_id names the task (no foreign key: a task that retention
-- moved into the carry-over is still reminded of, from there).
CREATE TABLE reminders_rebuilt (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('prep', 'meeting', 'pin', 'unpin', 'followup', 'task')),
    label       TEXT NOT NULL DEFAULT '',
    due_at      TEXT NOT NULL,
    for_start   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'skipped')),
    reason      TEXT,
    about       INTEGER,
    task_id     INTEGER,
    created_at  TEXT NOT NULL,
    settled_at  TEXT
);
INSERT INTO reminders_rebuilt
    (id, meeting_id, person_id, kind, label, due_at, for_start, status, reason, about,
     created_at, settled_at)
    SELECT id, meeting_id, person_id, kind, label, due_at, for_start, status, reason, about,
           created_at, settled_at
    FROM reminders;
DELETE FROM sqlite_sequence WHERE name = 'reminders_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'reminders_rebuilt', seq FROM sqlite_sequence
    WHERE name = 'reminders';
DROP TABLE reminders;
ALTER TABLE reminders_rebuilt RENAME TO reminders;
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
CREATE INDEX reminders_by_meeting ON reminders (meeting_id);
CREATE INDEX reminders_by_person ON reminders (person_id);

CREATE TABLE reminders_off_rebuilt (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('prep', 'meeting', 'pin', 'followup', 'task')),
    PRIMARY KEY (person_id, kind)
);
INSERT INTO reminders_off_rebuilt (person_id, kind) SELECT person_id, kind FROM reminders_off;
DROP TABLE reminders_off;
ALTER TABLE reminders_off_rebuilt RENAME TO reminders_off;
