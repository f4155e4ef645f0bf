-- A delivery withdrawn before it went out is settled as 'cancelled' (bot.domain.delivery), but
-- the outbox's CHECK did not allow that status: withdrawing a copy still in the queue (removing
-- someone, taking back, deleting) failed the whole change. SQLite cannot change a CHECK in place,
-- so the table is built anew with the same columns and indexes; nothing refers to it.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    address      TEXT NOT NULL,
    op           TEXT NOT NULL,
    guarantee    TEXT NOT NULL CHECK (guarantee IN ('at_least_once', 'at_most_once')),
    body_enc     TEXT,
    status       TEXT NOT NULL CHECK (status IN
                     ('queued', 'sending', 'sent', 'failed', 'unreachable', 'unknown', 'expired',
                      'cancelled')),
    target_id    INTEGER,
    origin       TEXT,
    ref          TEXT,
    not_after    TEXT,
    parts_done   INTEGER NOT NULL DEFAULT 0,
    message_ids  TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    settled_at   TEXT
);
INSERT INTO outbox_new (id, address, op, guarantee, body_enc, status, target_id, origin, ref,
                        not_after, parts_done, message_ids, created_at, settled_at)
    SELECT id, address, op, guarantee, body_enc, status, target_id, origin, ref,
           not_after, parts_done, message_ids, created_at, settled_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_unsettled ON outbox (address, id) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_by_address ON outbox (address);
CREATE INDEX outbox_settled ON outbox (settled_at) WHERE ref IS NULL AND status NOT IN ('queued', 'sending');
CREATE INDEX outbox_by_ref ON outbox (ref) WHERE ref IS NOT NULL;
