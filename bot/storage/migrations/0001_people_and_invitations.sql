-- People, their invitations, and where each person is in a conversation.
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('jobbsoker', 'jobbspesialist', 'behandler', 'navveileder')),
    name_enc    TEXT NOT NULL,              -- encrypted: a name is personal data
    locale      TEXT NOT NULL CHECK (locale IN ('nb', 'nn', 'en')),
    address     TEXT NOT NULL UNIQUE,       -- how a transport reaches them, e.g. telegram:12345
    employer    TEXT CHECK (employer IN ('nav', 'helse', 'kommune')),
    team        TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,       -- sha256 of the token; the token itself is never stored
    role        TEXT NOT NULL CHECK (role IN ('jobbsoker', 'jobbspesialist', 'behandler', 'navveileder')),
    name_enc    TEXT,
    employer    TEXT CHECK (employer IN ('nav', 'helse', 'kommune')),
    team        TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    claimed_by  TEXT,                       -- the first account that opened it
    used_at     TEXT,
    revoked_at  TEXT
);

CREATE TABLE conversations (
    address        TEXT PRIMARY KEY,
    flow           TEXT NOT NULL DEFAULT '',
    step           TEXT NOT NULL DEFAULT '',
    data_enc       TEXT,                    -- encrypted JSON: answers in progress are free text
    last_sequence  INTEGER,
    updated_at     TEXT NOT NULL
);
