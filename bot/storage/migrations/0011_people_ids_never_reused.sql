-- A person's id is never given to anyone else, also after they deleted their data. people.id is
-- not AUTOINCREMENT (rebuilding a table that fifteen others point at is a risk of its own), so
-- SQLite would give the highest id again once its owner is gone, and whatever still holds that
-- id (a task's owner inside a carry-over, a button in someone's chat, a half-finished flow)
-- would then point at a stranger. The highest id ever given is kept in meta, and
-- SqlitePeople.add gives the next one above it. Ids freed before this version cannot be known.
INSERT OR IGNORE INTO meta (key, value) SELECT 'people_last_id', COALESCE(MAX(id), 0) FROM people;
