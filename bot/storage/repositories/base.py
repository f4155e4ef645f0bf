"""What every SQLite repository shares: the connection, the cipher, time as UTC text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.storage.crypto import Cipher


def ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass
class Changes:
    """What a unit of work did that matters once it is committed."""

    # Personal data was deleted: the database is purged after the commit, so nothing of it
    # stays in the WAL or in free pages.
    deleted: bool = False
    # A person was erased (/slett), or what was left of them went: the database is rewritten
    # too, since a page's unused space can keep a copy of a row SQLite moved (see Database.purge).
    erased: bool = False


class Repository:
    def __init__(
        self, connection: aiosqlite.Connection, cipher: Cipher, changes: Changes | None = None
    ) -> None:
        self._db = connection
        self._cipher = cipher
        self._changes = changes or Changes()

    # One trip to aiosqlite's thread per query: execute, fetch and close as cursor calls would
    # be three, and each trip costs more CPU than a simple query itself (see bench/).
    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
        rows = await self._db.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        return list(await self._db.execute_fetchall(sql, params))
