-- Opening invitation links, per account: a link that does not work (unknown, used, expired,
-- taken) is counted, and an account with many in a short while is asked to wait. Kept a day.
CREATE TABLE invitation_attempts (
    id       INTEGER PRIMARY KEY,
    address  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('failed', 'told')),
    at       TEXT NOT NULL
);
CREATE INDEX invitation_attempts_by_address ON invitation_attempts (address, kind, at);
CREATE INDEX invitation_attempts_by_time ON invitation_attempts (at);
