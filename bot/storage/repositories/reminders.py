"""Reminders and who turned which kind off (/varsler). No free text: nothing to encrypt."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.reminders import Kind, Planned, Reason, Reminder, ReminderStatus
from bot.storage.repositories.base import Repository, dt, ts


class SqliteReminders(Repository):
    _COLUMNS = (
        "id, meeting_id, person_id, kind, label, due_at, for_start, status, reason, about, task_id"
    )

    async def add(
        self, meeting_id: int, planned: Planned, at: datetime, *, about: int | None = None
    ) -> Reminder:
        cursor = await self._db.execute(
            "INSERT INTO reminders (meeting_id, person_id, kind, label, due_at, for_start,"
            " status, about, task_id, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            (
                meeting_id,
                planned.person_id,
                planned.kind.value,
                planned.label,
                ts(planned.due_at),
                ts(planned.for_start),
                about,
                planned.task_id,
                ts(at),
            ),
        )
        assert cursor.lastrowid is not None
        return Reminder(
            cursor.lastrowid,
            meeting_id,
            planned.person_id,
            planned.kind,
            planned.label,
            planned.due_at,
            planned.for_start,
            about=about,
            task_id=planned.task_id,
        )

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self._one(f"SELECT {self._COLUMNS} FROM reminders WHERE id = ?", (reminder_id,))
        return self._reminder(row) if row else None

    async def of_meeting(self, meeting_id: int) -> list[Reminder]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM reminders WHERE meeting_id = ? ORDER BY id",
            (meeting_id,),
        )
        return [self._reminder(row) for row in rows]

    async def of_person(self, person_id: int) -> list[Reminder]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM reminders WHERE person_id = ? ORDER BY due_at, id",
            (person_id,),
        )
        return [self._reminder(row) for row in rows]

    async def drop(self, reminder_id: int) -> None:
        await self._db.execute(
            "DELETE FROM reminders WHERE id = ? AND status = 'pending'", (reminder_id,)
        )

    async def settle(
        self, reminder_id: int, status: ReminderStatus, reason: Reason | None, at: datetime
    ) -> None:
        await self._db.execute(
            "UPDATE reminders SET status = ?, reason = ?, settled_at = ? WHERE id = ?",
            (status.value, reason.value if reason else None, ts(at), reminder_id),
        )

    async def move(self, reminder_id: int, due_at: datetime) -> None:
        await self._db.execute(
            "UPDATE reminders SET due_at = ? WHERE id = ? AND status = 'pending'",
            (ts(due_at), reminder_id),
        )

    async def due(
        self, until: datetime, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, datetime]]:
        rows = await self._all(
            "SELECT id, due_at FROM reminders WHERE status = 'pending' AND due_at < ? AND id > ?"
            " ORDER BY due_at, id LIMIT ?",
            (ts(until), after_id, limit),
        )
        return [(int(row[0]), _moment(row[1])) for row in rows]

    async def last_id(self) -> int:
        row = await self._one("SELECT COALESCE(MAX(id), 0) FROM reminders", ())
        return int(row[0]) if row else 0

    async def turned_off(self, person_id: int) -> frozenset[Kind]:
        rows = await self._all("SELECT kind FROM reminders_off WHERE person_id = ?", (person_id,))
        return frozenset(Kind(row[0]) for row in rows)

    async def turn(self, person_id: int, kind: Kind, on: bool) -> None:
        if on:
            await self._db.execute(
                "DELETE FROM reminders_off WHERE person_id = ? AND kind = ?",
                (person_id, kind.value),
            )
        else:
            await self._db.execute(
                "INSERT OR IGNORE INTO reminders_off (person_id, kind) VALUES (?, ?)",
                (person_id, kind.value),
            )

    def _reminder(self, row: aiosqlite.Row) -> Reminder:
        return Reminder(
            id=row[0],
            meeting_id=row[1],
            person_id=row[2],
            kind=Kind(row[3]),
            label=row[4],
            due_at=_moment(row[5]),
            for_start=_moment(row[6]),
            status=ReminderStatus(row[7]),
            reason=Reason(row[8]) if row[8] else None,
            about=row[9],
            task_id=row[10],
        )


def _moment(text: str) -> datetime:
    moment = dt(text)
    assert moment is not None
    return moment
