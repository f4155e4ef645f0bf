"""The job seeker's preparations (answers encrypted as one JSON document) and the versions of
their agenda (items encrypted as one JSON document; added, never changed)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.domain.agenda import AgendaVersion, Item, items_from_json, items_to_json
from bot.domain.preparation import Answers, Preparation, PrepStatus
from bot.storage.repositories.base import Repository, dt, ts


class SqlitePreparations(Repository):
    _COLUMNS = "id, jobseeker_id, meeting_id, status, data_enc, updated_at"

    async def add(self, *, jobseeker_id: int, meeting_id: int | None, at: datetime) -> Preparation:
        answers = Answers()
        cursor = await self._db.execute(
            "INSERT INTO preparations (jobseeker_id, meeting_id, status, data_enc, created_at,"
            " updated_at) VALUES (?, ?, 'in_progress', ?, ?, ?)",
            (jobseeker_id, meeting_id, self._encrypt(answers), ts(at), ts(at)),
        )
        assert cursor.lastrowid is not None
        return Preparation(
            cursor.lastrowid, jobseeker_id, meeting_id, PrepStatus.IN_PROGRESS, answers, at
        )

    async def get(self, preparation_id: int) -> Preparation | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM preparations WHERE id = ?", (preparation_id,)
        )
        return self._preparation(row) if row else None

    async def of_jobseeker(self, jobseeker_id: int) -> list[Preparation]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM preparations WHERE jobseeker_id = ? ORDER BY id DESC",
            (jobseeker_id,),
        )
        return [self._preparation(row) for row in rows]

    async def for_meeting(self, meeting_id: int) -> Preparation | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM preparations WHERE meeting_id = ? ORDER BY id DESC"
            " LIMIT 1",
            (meeting_id,),
        )
        return self._preparation(row) if row else None

    async def save(
        self, preparation_id: int, answers: Answers, status: PrepStatus, at: datetime
    ) -> None:
        await self._db.execute(
            "UPDATE preparations SET data_enc = ?, status = ?, updated_at = ? WHERE id = ?",
            (self._encrypt(answers), status.value, ts(at), preparation_id),
        )

    async def attach(self, preparation_id: int, meeting_id: int) -> None:
        await self._db.execute(
            "UPDATE preparations SET meeting_id = ? WHERE id = ?", (meeting_id, preparation_id)
        )

    async def stale(self, before: datetime) -> list[Preparation]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM preparations p WHERE updated_at < ? AND"
            " (meeting_id IS NULL OR EXISTS (SELECT 1 FROM meetings m"
            " WHERE m.id = p.meeting_id AND m.status = 'cancelled')) ORDER BY id LIMIT 200",
            (ts(before),),
        )
        return [self._preparation(row) for row in rows]

    async def delete(self, preparation_id: int) -> None:
        # Its agenda versions and their shares go by cascade.
        await self._db.execute("DELETE FROM preparations WHERE id = ?", (preparation_id,))
        self._changes.deleted = True

    def _encrypt(self, answers: Answers) -> str:
        return self._cipher.encrypt(json.dumps(answers.to_json(), ensure_ascii=False))

    def _preparation(self, row: aiosqlite.Row) -> Preparation:
        updated = dt(row[5])
        assert updated is not None
        answers = Answers.from_json(json.loads(self._cipher.decrypt(row[4])))
        return Preparation(row[0], row[1], row[2], PrepStatus(row[3]), answers, updated)


class SqliteAgendas(Repository):
    """Agenda versions. There is no way to change one: a new version is added instead."""

    _COLUMNS = "id, preparation_id, jobseeker_id, number, items_enc, created_at"

    async def add(
        self, *, preparation_id: int, jobseeker_id: int, items: Sequence[Item], at: datetime
    ) -> AgendaVersion:
        """A new version, numbered after the preparation's latest."""
        # Numbered in the same statement: the unit of work holds the write lock, and the unique
        # index on (preparation_id, number) refuses a second version with the same number.
        items_enc = self._cipher.encrypt(json.dumps(items_to_json(items), ensure_ascii=False))
        cursor = await self._db.execute(
            "INSERT INTO agenda_versions"
            " (preparation_id, jobseeker_id, number, items_enc, created_at)"
            " SELECT ?, ?, COALESCE(MAX(number), 0) + 1, ?, ?"
            " FROM agenda_versions WHERE preparation_id = ?",
            (preparation_id, jobseeker_id, items_enc, ts(at), preparation_id),
        )
        assert cursor.lastrowid is not None
        version = await self.get(cursor.lastrowid)
        assert version is not None
        return version

    async def get(self, version_id: int) -> AgendaVersion | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM agenda_versions WHERE id = ?", (version_id,)
        )
        return self._version(row) if row else None

    async def latest(self, preparation_id: int) -> AgendaVersion | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM agenda_versions WHERE preparation_id = ?"
            " ORDER BY number DESC LIMIT 1",
            (preparation_id,),
        )
        return self._version(row) if row else None

    async def of_preparation(self, preparation_id: int) -> list[AgendaVersion]:
        """Oldest first."""
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM agenda_versions WHERE preparation_id = ? ORDER BY number",
            (preparation_id,),
        )
        return [self._version(row) for row in rows]

    def _version(self, row: aiosqlite.Row) -> AgendaVersion:
        created = dt(row[5])
        assert created is not None
        items = items_from_json(json.loads(self._cipher.decrypt(row[4])))
        return AgendaVersion(row[0], row[1], row[2], row[3], items, created)
