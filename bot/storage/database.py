"""Opening the database: pragmas, versioned migrations (PRAGMA user_version), the key check."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.storage.crypto import Cipher, KeyError_

logger = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Decrypting this proves the configured key is the database's key, before any real data is read.
_KEY_CHECK = "key_check"
_KEY_CHECK_TEXT = "moteklar"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The migrations shipped in ``bot/storage/migrations``, in version order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, ... without gaps")
    return found


class Database:
    """One aiosqlite connection; a lock gives each unit of work the connection to itself."""

    def __init__(self, connection: aiosqlite.Connection, cipher: Cipher) -> None:
        self.connection = connection
        self.cipher = cipher
        self.lock = asyncio.Lock()
        self._rewrite_owed = False  # a rewrite that could not run yet (the file was busy)

    async def purge(self, *, rewrite: bool = False) -> None:
        """Copy the WAL into the main file and empty it, so deleted rows survive in neither.

        With secure_delete on, deleted content is overwritten in the main file; until a
        checkpoint, the WAL still holds the pages as they were before the delete. But
        secure_delete zeroes only what it frees: when SQLite rebalances a b-tree it rebuilds
        pages and the gap between their cells can keep bytes of a row that was moved, updated
        or deleted since (found by tests/e2e/test_privacy.py). ``rewrite`` (after a person is
        erased) runs VACUUM first, which writes every page afresh from the rows that exist.
        """
        if rewrite or self._rewrite_owed:
            try:
                await self.connection.execute("VACUUM")
                self._rewrite_owed = False
            except sqlite3.OperationalError:
                # Another process holds the file (`moteklar invite`): what was deleted is
                # committed; the rewrite is tried again with the next purge (every ten minutes).
                logger.warning("could not rewrite the database now; trying again later")
                self._rewrite_owed = True
        await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self.purge()
        await self.connection.close()


async def open_database(path: str | Path, cipher: Cipher, *, up_to: int | None = None) -> Database:
    """Open (creating if needed), migrate to the newest version (or ``up_to``), check the key."""
    connection = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA secure_delete = ON",  # deleted rows are overwritten, not left in free pages
            "PRAGMA busy_timeout = 5000",  # `moteklar invite` may write while `run` does
            "PRAGMA synchronous = NORMAL",
        ):
            await connection.execute(pragma)
        await migrate(connection, up_to=up_to)
        database = Database(connection, cipher)
        if up_to is None:
            await _check_key(database)
        return database
    except BaseException:
        await connection.close()
        raise


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, *, up_to: int | None = None) -> int:
    """Apply every migration newer than the database, each in its own transaction."""
    current = await schema_version(connection)
    available = migrations()
    newest = available[-1].version if available else 0
    if current > newest:
        raise RuntimeError(
            f"the database is at schema version {current}, newer than this Møteklar ({newest})"
        )
    for migration in available:
        if migration.version <= current or (up_to is not None and migration.version > up_to):
            continue
        await connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                await connection.execute(statement)
            await connection.execute(f"PRAGMA user_version = {migration.version}")
            await connection.execute("COMMIT")
        except BaseException:
            await connection.execute("ROLLBACK")
            raise
        logger.info("database migrated to version %d (%s)", migration.version, migration.name)
        current = migration.version
    return current


def _statements(sql: str) -> list[str]:
    # executescript() would commit on its own; split so the migration stays one transaction.
    # Migrations hold no string literals with "--" or ";", so this simple split is exact.
    without_comments = re.sub(r"--[^\n]*", "", sql)
    return [s.strip() for s in without_comments.split(";") if s.strip()]


async def _check_key(database: Database) -> None:
    async with database.lock:
        connection = database.connection
        async with connection.execute("SELECT value FROM meta WHERE key = ?", (_KEY_CHECK,)) as c:
            row = await c.fetchone()
        if row is None:
            await connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                (_KEY_CHECK, database.cipher.encrypt(_KEY_CHECK_TEXT)),
            )
            return
        try:
            ok = database.cipher.decrypt(str(row[0])) == _KEY_CHECK_TEXT
        except KeyError_ as error:
            raise KeyError_(f"MOTEKLAR_SECRET_KEY does not open this database: {error}") from error
        if not ok:
            raise KeyError_("MOTEKLAR_SECRET_KEY does not open this database")
