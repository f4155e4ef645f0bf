-- A language chosen before registering is remembered; facts about the installation
-- (the bot's username from getMe, a check value for the secret key) get a home.
ALTER TABLE conversations ADD COLUMN locale TEXT CHECK (locale IN ('nb', 'nn', 'en'));

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
