"""Circles (memberships) and meetings."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.circle import Membership, Status
from bot.domain.meetings import Attendee, Meeting, MeetingKind, MeetingStatus
from bot.domain.people import Role
from bot.storage.repositories.base import Repository, dt, ts


class SqliteMemberships(Repository):
    _COLUMNS = "id, jobseeker_id, member_id, role, status, created_at"

    async def add(
        self, *, jobseeker_id: int, member_id: int, role: Role, status: Status, at: datetime
    ) -> Membership:
        # One row per pair: joining again (after a removal) reopens it as a new request.
        await self._db.execute(
            "INSERT INTO memberships (jobseeker_id, member_id, role, status, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (jobseeker_id, member_id) DO UPDATE SET"
            " role = excluded.role, status = excluded.status, created_at = excluded.created_at,"
            " decided_at = NULL",
            (jobseeker_id, member_id, role.value, status.value, ts(at)),
        )
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM memberships WHERE jobseeker_id = ? AND member_id = ?",
            (jobseeker_id, member_id),
        )
        assert row is not None
        return self._membership(row)

    async def get(self, membership_id: int) -> Membership | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM memberships WHERE id = ?", (membership_id,)
        )
        return self._membership(row) if row else None

    async def of_jobseeker(self, jobseeker_id: int) -> list[Membership]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM memberships WHERE jobseeker_id = ? ORDER BY id",
            (jobseeker_id,),
        )
        return [self._membership(row) for row in rows]

    async def of_member(self, member_id: int) -> list[Membership]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM memberships WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        return [self._membership(row) for row in rows]

    async def set_status(self, membership_id: int, status: Status, at: datetime) -> None:
        await self._db.execute(
            "UPDATE memberships SET status = ?, decided_at = ? WHERE id = ?",
            (status.value, ts(at), membership_id),
        )

    @staticmethod
    def _membership(row: aiosqlite.Row) -> Membership:
        created = dt(row[5])
        assert created is not None
        return Membership(row[0], row[1], row[2], Role(row[3]), Status(row[4]), created)


class SqliteMeetings(Repository):
    _COLUMNS = (
        "id, jobseeker_id, organiser_id, starts_at, ends_at, place_enc, status, sequence, kind"
    )

    async def add(
        self,
        *,
        jobseeker_id: int,
        organiser_id: int,
        starts_at: datetime,
        ends_at: datetime,
        place: str,
        attendee_ids: list[int],
        at: datetime,
        kind: MeetingKind = MeetingKind.SAMARBEIDSMOTE,
    ) -> Meeting:
        cursor = await self._db.execute(
            "INSERT INTO meetings (jobseeker_id, organiser_id, starts_at, ends_at, place_enc,"
            " status, created_at, kind) VALUES (?, ?, ?, ?, ?, 'planned', ?, ?)",
            (
                jobseeker_id,
                organiser_id,
                ts(starts_at),
                ts(ends_at),
                self._cipher.encrypt(place),
                ts(at),
                kind.value,
            ),
        )
        meeting_id = cursor.lastrowid
        assert meeting_id is not None
        await self._db.executemany(
            "INSERT INTO attendees (meeting_id, person_id) VALUES (?, ?)",
            [(meeting_id, person_id) for person_id in dict.fromkeys(attendee_ids)],
        )
        meeting = await self.get(meeting_id)
        assert meeting is not None
        return meeting

    async def get(self, meeting_id: int) -> Meeting | None:
        rows = await self._all(f"SELECT {self._COLUMNS} FROM meetings WHERE id = ?", (meeting_id,))
        meetings = await self._meetings(rows)
        return meetings[0] if meetings else None

    async def of_jobseeker(self, jobseeker_id: int) -> list[Meeting]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM meetings WHERE jobseeker_id = ? ORDER BY starts_at",
            (jobseeker_id,),
        )
        return await self._meetings(rows)

    async def of_attendee(self, person_id: int) -> list[Meeting]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM meetings WHERE id IN"
            " (SELECT meeting_id FROM attendees WHERE person_id = ?) ORDER BY starts_at",
            (person_id,),
        )
        return await self._meetings(rows)

    async def reschedule(self, meeting_id: int, starts_at: datetime, ends_at: datetime) -> None:
        await self._db.execute(
            "UPDATE meetings SET starts_at = ?, ends_at = ?, sequence = sequence + 1 WHERE id = ?",
            (ts(starts_at), ts(ends_at), meeting_id),
        )
        await self._db.execute(
            "UPDATE attendees SET cannot_come = 0 WHERE meeting_id = ?", (meeting_id,)
        )

    async def cancel(self, meeting_id: int) -> None:
        await self._db.execute(
            "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1 WHERE id = ?",
            (meeting_id,),
        )

    async def set_cannot_come(self, meeting_id: int, person_id: int) -> None:
        await self._db.execute(
            "UPDATE attendees SET cannot_come = 1 WHERE meeting_id = ? AND person_id = ?",
            (meeting_id, person_id),
        )

    async def hand_over(self, meeting_id: int, previous_id: int, successor_id: int) -> None:
        await self._db.execute(
            "UPDATE OR IGNORE attendees SET person_id = ?, cannot_come = 0"
            " WHERE meeting_id = ? AND person_id = ?",
            (successor_id, meeting_id, previous_id),
        )
        await self._db.execute(
            "DELETE FROM attendees WHERE meeting_id = ? AND person_id = ?",
            (meeting_id, previous_id),
        )
        await self._db.execute(
            "UPDATE meetings SET organiser_id = ? WHERE id = ? AND organiser_id = ?",
            (successor_id, meeting_id, previous_id),
        )

    async def untallied(self, ended_before: datetime) -> list[Meeting]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM meetings WHERE tallied = 0 AND status = 'planned'"
            " AND ends_at < ? ORDER BY ends_at LIMIT 500",
            (ts(ended_before),),
        )
        return await self._meetings(rows)

    async def mark_tallied(self, meeting_id: int) -> None:
        await self._db.execute("UPDATE meetings SET tallied = 1 WHERE id = ?", (meeting_id,))

    async def past_retention(self, ended_before: datetime) -> list[Meeting]:
        rows = await self._all(
            # A cancelled meeting's preparation counts from its last change (stale), but what
            # was agreed once it had begun counts from its end, as for any meeting.
            f"SELECT {self._COLUMNS} FROM meetings m WHERE ends_at < ? AND ("
            " (status = 'planned' AND"
            " EXISTS (SELECT 1 FROM preparations p WHERE p.meeting_id = m.id))"
            " OR EXISTS (SELECT 1 FROM followups f WHERE f.meeting_id = m.id)"
            " OR EXISTS (SELECT 1 FROM agreements a WHERE a.meeting_id = m.id))"
            " ORDER BY ends_at LIMIT 200",
            (ts(ended_before),),
        )
        return await self._meetings(rows)

    async def _meetings(self, rows: list[aiosqlite.Row]) -> list[Meeting]:
        # All attendees in one query, not one per meeting.
        ids = [row[0] for row in rows]
        by_meeting: dict[int, list[aiosqlite.Row]] = {meeting_id: [] for meeting_id in ids}
        if ids:
            marks = ",".join("?" * len(ids))
            for attendee in await self._all(
                "SELECT meeting_id, person_id, cannot_come FROM attendees"
                f" WHERE meeting_id IN ({marks}) ORDER BY rowid",
                tuple(ids),
            ):
                by_meeting[attendee[0]].append(attendee)
        meetings = []
        for row in rows:
            starts, ends = dt(row[3]), dt(row[4])
            assert starts is not None and ends is not None
            meetings.append(
                Meeting(
                    id=row[0],
                    jobseeker_id=row[1],
                    organiser_id=row[2],
                    starts_at=starts,
                    ends_at=ends,
                    place=self._cipher.decrypt(row[5]),
                    status=MeetingStatus(row[6]),
                    sequence=row[7],
                    attendees=tuple(Attendee(a[1], bool(a[2])) for a in by_meeting[row[0]]),
                    kind=MeetingKind(row[8]),
                )
            )
        return meetings
