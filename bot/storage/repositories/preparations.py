"""The job seeker's preparations (answers encrypted as one JSON document)."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

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

    def _encrypt(self, answers: Answers) -> str:
        return self._cipher.encrypt(json.dumps(answers.to_json(), ensure_ascii=False))

    def _preparation(self, row: aiosqlite.Row) -> Preparation:
        updated = dt(row[5])
        assert updated is not None
        answers = Answers.from_json(json.loads(self._cipher.decrypt(row[4])))
        return Preparation(row[0], row[1], row[2], PrepStatus(row[3]), answers, updated)
