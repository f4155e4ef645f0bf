-- Delivery you can count on: every update is stored before Telegram is told it arrived (inbox),
-- every message a change causes is stored with the change (outbox), and what became of it.

-- One row per update received. The raw update is kept (encrypted) only until it is handled;
-- the row itself stays a while longer, so a redelivered update is recognised by its id.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,
    lane         TEXT NOT NULL,             -- whose update: handled in order with that person's others
    body_enc     TEXT,                      -- encrypted raw update; NULL once handled
    status       TEXT NOT NULL CHECK (status IN ('received', 'handled', 'ignored', 'failed')),
    received_at  TEXT NOT NULL,
    settled_at   TEXT
);
CREATE INDEX inbox_open ON inbox (update_id) WHERE status = 'received';
CREATE INDEX inbox_by_lane ON inbox (lane);
CREATE INDEX inbox_settled ON inbox (settled_at) WHERE status != 'received';

-- One row per message (or menu, or edit) to one person, in the order they must arrive.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    address      TEXT NOT NULL,
    op           TEXT NOT NULL,             -- bot.domain.delivery.Op: send, edit, menu, …
    guarantee    TEXT NOT NULL CHECK (guarantee IN ('at_least_once', 'at_most_once')),
    body_enc     TEXT,                      -- encrypted rendered message; NULL once settled
    status       TEXT NOT NULL CHECK (status IN
                     ('queued', 'sending', 'sent', 'failed', 'unreachable', 'unknown', 'expired')),
    target_id    INTEGER,                   -- edit: the message shown in place
    origin       TEXT,                      -- whose action caused it (told if it cannot arrive)
    ref          TEXT,                      -- what it belongs to (a share, a reminder), if anything
    not_after    TEXT,                      -- past this, it is expired, not sent
    parts_done   INTEGER NOT NULL DEFAULT 0,
    message_ids  TEXT NOT NULL DEFAULT '[]', -- JSON: the transport's ids of the parts sent
    created_at   TEXT NOT NULL,
    settled_at   TEXT
);
CREATE INDEX outbox_unsettled ON outbox (address, id) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_by_address ON outbox (address);
CREATE INDEX outbox_settled ON outbox (settled_at) WHERE ref IS NULL AND status NOT IN ('queued', 'sending');
CREATE INDEX outbox_by_ref ON outbox (ref) WHERE ref IS NOT NULL;

-- People the transport could not reach (they blocked the bot); cleared when they write again.
CREATE TABLE unreachable (
    address  TEXT PRIMARY KEY,
    since    TEXT NOT NULL
);

-- Lookups by person that were table scans.
CREATE INDEX attendees_by_person ON attendees (person_id);
CREATE INDEX people_by_role_and_team ON people (role, team);
CREATE INDEX invitations_by_claimer ON invitations (claimed_by) WHERE claimed_by IS NOT NULL;
CREATE INDEX invitations_by_jobseeker ON invitations (jobseeker_id) WHERE jobseeker_id IS NOT NULL;
CREATE INDEX invitations_by_creator ON invitations (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX meetings_by_organiser ON meetings (organiser_id);
CREATE INDEX preparations_by_meeting ON preparations (meeting_id);

-- Telegram may start update ids anew, so redeliveries are recognised by the inbox, not by this.
ALTER TABLE conversations DROP COLUMN last_sequence;
