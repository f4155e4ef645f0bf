"""After the meeting: the job seeker's follow-ups, what was agreed (versions and tasks), the
carry-over into the next preparation, and the team's anonymous counters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime

import aiosqlite

from bot.domain.agreements import Agreement, AgreementStatus, Task
from bot.domain.carryover import CarryOver, LastTime
from bot.domain.followup import Answers, FollowUp
from bot.domain.people import Role
from bot.storage.repositories.base import Repository, dt, ts


class SqliteFollowUps(Repository):
    _COLUMNS = "id, meeting_id, jobseeker_id, data_enc, updated_at"

    async def for_meeting(self, meeting_id: int) -> FollowUp | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM followups WHERE meeting_id = ?", (meeting_id,)
        )
        return self._followup(row) if row else None

    async def save(
        self, *, meeting_id: int, jobseeker_id: int, answers: Answers, at: datetime
    ) -> FollowUp:
        data = self._cipher.encrypt(json.dumps(answers.to_json(), ensure_ascii=False))
        await self._db.execute(
            "INSERT INTO followups (meeting_id, jobseeker_id, data_enc, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO UPDATE SET"
            " data_enc = excluded.data_enc, updated_at = excluded.updated_at",
            (meeting_id, jobseeker_id, data, ts(at), ts(at)),
        )
        found = await self.for_meeting(meeting_id)
        assert found is not None
        return found

    async def delete_for_meeting(self, meeting_id: int) -> None:
        await self._db.execute("DELETE FROM followups WHERE meeting_id = ?", (meeting_id,))
        self._changes.deleted = True

    def _followup(self, row: aiosqlite.Row) -> FollowUp:
        updated = dt(row[4])
        assert updated is not None
        answers = Answers.from_json(json.loads(self._cipher.decrypt(row[3])))
        return FollowUp(row[0], row[1], row[2], answers, updated)


class SqliteAgreements(Repository):
    _COLUMNS = (
        "id, meeting_id, jobseeker_id, author_id, number, status, next_meeting_id, created_at,"
        " sent_at"
    )

    async def add(
        self,
        *,
        meeting_id: int,
        jobseeker_id: int,
        author_id: int,
        at: datetime,
        copy_of: Agreement | None = None,
    ) -> Agreement:
        cursor = await self._db.execute(
            "INSERT INTO agreements (meeting_id, jobseeker_id, author_id, number, status,"
            " next_meeting_id, created_at) SELECT ?, ?, ?, COALESCE(MAX(number), 0) + 1,"
            " 'draft', ?, ? FROM agreements WHERE meeting_id = ?",
            (
                meeting_id,
                jobseeker_id,
                author_id,
                copy_of.next_meeting_id if copy_of else None,
                ts(at),
                meeting_id,
            ),
        )
        agreement_id = cursor.lastrowid
        assert agreement_id is not None
        for task in copy_of.tasks if copy_of else ():
            await self._insert_task(agreement_id, task.number, task)
        found = await self.get(agreement_id)
        assert found is not None
        return found

    async def get(self, agreement_id: int) -> Agreement | None:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM agreements WHERE id = ?", (agreement_id,)
        )
        found = await self._agreements(rows)
        return found[0] if found else None

    async def of_meeting(self, meeting_id: int) -> list[Agreement]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM agreements WHERE meeting_id = ? ORDER BY number",
            (meeting_id,),
        )
        return await self._agreements(rows)

    async def of_jobseeker(self, jobseeker_id: int) -> list[Agreement]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM agreements WHERE jobseeker_id = ? ORDER BY id DESC",
            (jobseeker_id,),
        )
        return await self._agreements(rows)

    async def of_author(self, author_id: int) -> list[Agreement]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM agreements WHERE author_id = ? ORDER BY id",
            (author_id,),
        )
        return await self._agreements(rows)

    async def add_task(
        self,
        agreement_id: int,
        *,
        owner_role: Role,
        owner_id: int | None,
        text: str,
        due_on: date | None,
    ) -> Task:
        # Numbered over every version of the meeting, so a removed task's number is never
        # given to another (a consent or a reminder that names it would then mean that one).
        row = await self._one(
            "SELECT COALESCE(MAX(t.number), 0) + 1 FROM tasks t JOIN agreements a"
            " ON a.id = t.agreement_id WHERE a.meeting_id ="
            " (SELECT meeting_id FROM agreements WHERE id = ?)",
            (agreement_id,),
        )
        assert row is not None
        task = Task(0, int(row[0]), owner_role, owner_id, text, due_on)
        task_id = await self._insert_task(agreement_id, task.number, task)
        return Task(task_id, task.number, owner_role, owner_id, text, due_on)

    async def remove_task(self, agreement_id: int, number: int) -> None:
        await self._db.execute(
            "DELETE FROM tasks WHERE agreement_id = ? AND number = ?", (agreement_id, number)
        )
        self._changes.deleted = True

    async def set_next_meeting(self, agreement_id: int, meeting_id: int | None) -> None:
        await self._db.execute(
            "UPDATE agreements SET next_meeting_id = ? WHERE id = ?", (meeting_id, agreement_id)
        )

    async def mark_sent(self, agreement_id: int, at: datetime) -> None:
        await self._db.execute(
            "UPDATE agreements SET status = 'sent', sent_at = ? WHERE id = ?",
            (ts(at), agreement_id),
        )

    async def task(self, task_id: int) -> tuple[Agreement, Task] | None:
        row = await self._one("SELECT agreement_id FROM tasks WHERE id = ?", (task_id,))
        if row is None:
            return None
        agreement = await self.get(int(row[0]))
        if agreement is None:
            return None
        task = next((t for t in agreement.tasks if t.id == task_id), None)
        return (agreement, task) if task is not None else None

    async def delete_for_meeting(self, meeting_id: int) -> None:
        # Tasks and the share log of what was agreed go by cascade.
        await self._db.execute("DELETE FROM agreements WHERE meeting_id = ?", (meeting_id,))
        self._changes.deleted = True

    async def _insert_task(self, agreement_id: int, number: int, task: Task) -> int:
        cursor = await self._db.execute(
            "INSERT INTO tasks (agreement_id, number, owner_role, owner_id, text_enc, due_on)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                agreement_id,
                number,
                task.owner_role.value,
                task.owner_id,
                self._cipher.encrypt(task.text),
                task.due_on.isoformat() if task.due_on else None,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def _agreements(self, rows: list[aiosqlite.Row]) -> list[Agreement]:
        ids = [row[0] for row in rows]
        tasks: dict[int, list[Task]] = {agreement_id: [] for agreement_id in ids}
        if ids:
            marks = ",".join("?" * len(ids))
            for task in await self._all(
                "SELECT id, agreement_id, number, owner_role, owner_id, text_enc, due_on"
                f" FROM tasks WHERE agreement_id IN ({marks}) ORDER BY number",
                tuple(ids),
            ):
                tasks[task[1]].append(
                    Task(
                        task[0],
                        task[2],
                        Role(task[3]),
                        task[4],
                        self._cipher.decrypt(task[5]),
                        date.fromisoformat(task[6]) if task[6] else None,
                    )
                )
        return [
            Agreement(
                id=row[0],
                meeting_id=row[1],
                jobseeker_id=row[2],
                author_id=row[3],
                number=row[4],
                status=AgreementStatus(row[5]),
                tasks=tuple(tasks[row[0]]),
                next_meeting_id=row[6],
                created_at=dt(row[7]),
                sent_at=dt(row[8]),
            )
            for row in rows
        ]


class SqliteCarryOvers(Repository):
    _COLUMNS = "jobseeker_id, meeting_id, meeting_start, data_enc, created_at, expires_at"

    async def get(self, jobseeker_id: int) -> CarryOver | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM carryovers WHERE jobseeker_id = ?", (jobseeker_id,)
        )
        if row is None:
            return None
        start, created, expires = dt(row[2]), dt(row[4]), dt(row[5])
        assert start is not None and created is not None and expires is not None
        data = json.loads(self._cipher.decrypt(row[3]))
        return CarryOver(row[0], row[1], LastTime.from_json(start, data), created, expires)

    async def put(
        self,
        *,
        jobseeker_id: int,
        meeting_id: int | None,
        last_time: LastTime,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        data = self._encrypt(last_time)
        await self._db.execute(
            "INSERT INTO carryovers (jobseeker_id, meeting_id, meeting_start, data_enc,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (jobseeker_id)"
            " DO UPDATE SET meeting_id = excluded.meeting_id, meeting_start ="
            " excluded.meeting_start, data_enc = excluded.data_enc, created_at ="
            " excluded.created_at, expires_at = excluded.expires_at",
            (
                jobseeker_id,
                meeting_id,
                ts(last_time.meeting_start),
                data,
                ts(at),
                ts(expires_at),
            ),
        )
        self._changes.deleted = True  # the one it replaced

    async def delete(self, jobseeker_id: int) -> None:
        await self._db.execute("DELETE FROM carryovers WHERE jobseeker_id = ?", (jobseeker_id,))
        self._changes.deleted = True

    async def forget_person(self, person_id: int) -> int:
        """Take someone who deleted their data out of every other job seeker's carry-over (a
        task's owner, who may be reminded of it): their id is inside the encrypted JSON, where
        no foreign key reaches it. Returns how many records changed."""
        # Only the circles they were ever in can name them (a task's owner is a member, and a
        # membership row goes only with a person): a job seeker's /slett reads none, and a
        # professional's reads their own job seekers', not every record on the bot.
        rows = await self._all(
            "SELECT jobseeker_id, meeting_start, data_enc FROM carryovers WHERE jobseeker_id IN"
            " (SELECT jobseeker_id FROM memberships WHERE member_id = ?)",
            (person_id,),
        )
        changed = 0
        for jobseeker_id, start, data in rows:
            moment = dt(start)
            assert moment is not None
            last = LastTime.from_json(moment, json.loads(self._cipher.decrypt(data)))
            if not last.names(person_id):
                continue
            await self._db.execute(
                "UPDATE carryovers SET data_enc = ? WHERE jobseeker_id = ?",
                (self._encrypt(last.without(person_id)), jobseeker_id),
            )
            changed += 1
        if changed:
            self._changes.deleted = True  # the values it replaced
        return changed

    def _encrypt(self, last_time: LastTime) -> str:
        return self._cipher.encrypt(json.dumps(last_time.to_json(), ensure_ascii=False))

    async def expired(self, now: datetime) -> list[int]:
        rows = await self._all(
            "SELECT jobseeker_id FROM carryovers WHERE expires_at <= ? LIMIT 500", (ts(now),)
        )
        return [int(row[0]) for row in rows]


class SqliteCounters(Repository):
    """Anonymous counts per team and month: no person, no meeting, nothing to delete."""

    async def add(self, team: str, month: str, changes: Mapping[str, int]) -> None:
        for name, change in sorted(changes.items()):
            if change:
                await self._db.execute(
                    "INSERT INTO counters (team, month, name, value) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (team, month, name) DO UPDATE SET value = value + excluded.value",
                    (team, month, name, change),
                )

    async def counts(self, team: str, first: str, last: str) -> dict[tuple[str, str], int]:
        rows = await self._all(
            "SELECT month, name, value FROM counters WHERE team = ? AND month BETWEEN ? AND ?",
            (team, first, last),
        )
        return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}

    async def teams(self) -> list[str]:
        rows = await self._all("SELECT DISTINCT team FROM counters ORDER BY team", ())
        return [str(row[0]) for row in rows]
