"""SQLite implementations of the core's repository Protocols. Free text is encrypted here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.ports import ConversationState
from bot.domain.circle import Membership, Status
from bot.domain.invitations import Invitation
from bot.domain.meetings import Attendee, Meeting, MeetingStatus
from bot.domain.people import Employer, Locale, Person, Role
from bot.domain.preparation import Answers, Preparation, PrepStatus
from bot.storage.crypto import Cipher


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class _Repository:
    def __init__(self, connection: aiosqlite.Connection, cipher: Cipher) -> None:
        self._db = connection
        self._cipher = cipher

    async def _one(self, sql: str, params: tuple[Any, ...]) -> aiosqlite.Row | None:
        async with self._db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[aiosqlite.Row]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class SqlitePeople(_Repository):
    _COLUMNS = "id, role, name_enc, locale, address, employer, team, created_at, workplace_enc"

    async def get(self, person_id: int) -> Person | None:
        row = await self._one(f"SELECT {self._COLUMNS} FROM people WHERE id = ?", (person_id,))
        return self._person(row) if row else None

    async def by_address(self, address: str) -> Person | None:
        row = await self._one(f"SELECT {self._COLUMNS} FROM people WHERE address = ?", (address,))
        return self._person(row) if row else None

    async def add(
        self,
        *,
        role: Role,
        name: str,
        locale: Locale,
        address: str,
        created_at: datetime,
        employer: Employer | None = None,
        team: str | None = None,
        workplace: str | None = None,
    ) -> Person:
        cursor = await self._db.execute(
            "INSERT INTO people"
            " (role, name_enc, locale, address, employer, team, created_at, workplace_enc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                role.value,
                self._cipher.encrypt(name),
                locale.value,
                address,
                employer.value if employer else None,
                team,
                _ts(created_at),
                self._cipher.encrypt(workplace) if workplace else None,
            ),
        )
        assert cursor.lastrowid is not None
        return Person(
            cursor.lastrowid, role, name, locale, address, created_at, employer, team, workplace
        )

    async def set_locale(self, person_id: int, locale: Locale) -> None:
        await self._db.execute(
            "UPDATE people SET locale = ? WHERE id = ?", (locale.value, person_id)
        )

    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM people", ())
        return int(row[0]) if row else 0

    async def all(self) -> list[Person]:
        return [self._person(r) for r in await self._all(f"SELECT {self._COLUMNS} FROM people", ())]

    async def with_role(self, role: Role) -> list[Person]:
        rows = await self._all(f"SELECT {self._COLUMNS} FROM people WHERE role = ?", (role.value,))
        return [self._person(row) for row in rows]

    async def delete(self, person_id: int) -> None:
        await self._db.execute("DELETE FROM people WHERE id = ?", (person_id,))

    def _person(self, row: aiosqlite.Row) -> Person:
        created = _dt(row[7])
        assert created is not None
        return Person(
            id=row[0],
            role=Role(row[1]),
            name=self._cipher.decrypt(row[2]),
            locale=Locale(row[3]),
            address=row[4],
            employer=Employer(row[5]) if row[5] else None,
            team=row[6],
            created_at=created,
            workplace=self._cipher.decrypt(row[8]) if row[8] else None,
        )


class SqliteInvitations(_Repository):
    _COLUMNS = (
        "id, role, name_enc, created_at, expires_at, employer, team, claimed_by, used_at,"
        " revoked_at, jobseeker_id, created_by"
    )

    async def add(
        self,
        *,
        token_hash: str,
        role: Role,
        name: str | None,
        created_at: datetime,
        expires_at: datetime,
        employer: Employer | None = None,
        team: str | None = None,
        jobseeker_id: int | None = None,
        created_by: int | None = None,
    ) -> Invitation:
        cursor = await self._db.execute(
            "INSERT INTO invitations (token_hash, role, name_enc, employer, team, created_at,"
            " expires_at, jobseeker_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                token_hash,
                role.value,
                self._cipher.encrypt(name) if name else None,
                employer.value if employer else None,
                team,
                _ts(created_at),
                _ts(expires_at),
                jobseeker_id,
                created_by,
            ),
        )
        assert cursor.lastrowid is not None
        return Invitation(
            cursor.lastrowid,
            role,
            name,
            created_at,
            expires_at,
            employer,
            team,
            jobseeker_id=jobseeker_id,
            created_by=created_by,
        )

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM invitations WHERE id = ?", (invitation_id,)
        )
        return self._invitation(row) if row else None

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM invitations WHERE token_hash = ?", (token_hash,)
        )
        return self._invitation(row) if row else None

    async def claim(self, invitation_id: int, address: str) -> None:
        await self._db.execute(
            "UPDATE invitations SET claimed_by = ? WHERE id = ? AND claimed_by IS NULL",
            (address, invitation_id),
        )

    async def mark_used(self, invitation_id: int, at: datetime) -> None:
        await self._db.execute(
            "UPDATE invitations SET used_at = ? WHERE id = ?", (_ts(at), invitation_id)
        )

    async def release(self, invitation_id: int) -> None:
        await self._db.execute(
            "UPDATE invitations SET claimed_by = NULL WHERE id = ?", (invitation_id,)
        )

    async def revoke(self, invitation_id: int, at: datetime) -> None:
        await self._db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE id = ?", (_ts(at), invitation_id)
        )

    async def open(self, now: datetime) -> list[Invitation]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM invitations WHERE used_at IS NULL"
            " AND revoked_at IS NULL AND expires_at > ? ORDER BY id",
            (_ts(now),),
        )
        return [self._invitation(row) for row in rows]

    def _invitation(self, row: aiosqlite.Row) -> Invitation:
        created, expires = _dt(row[3]), _dt(row[4])
        assert created is not None and expires is not None
        return Invitation(
            id=row[0],
            role=Role(row[1]),
            name=self._cipher.decrypt(row[2]) if row[2] else None,
            created_at=created,
            expires_at=expires,
            employer=Employer(row[5]) if row[5] else None,
            team=row[6],
            claimed_by=row[7],
            used_at=_dt(row[8]),
            revoked_at=_dt(row[9]),
            jobseeker_id=row[10],
            created_by=row[11],
        )


class SqliteConversations(_Repository):
    async def get(self, address: str) -> ConversationState:
        row = await self._one(
            "SELECT flow, step, data_enc, last_sequence, locale FROM conversations"
            " WHERE address = ?",
            (address,),
        )
        if row is None:
            return ConversationState()
        data = json.loads(self._cipher.decrypt(row[2])) if row[2] else {}
        return ConversationState(row[0], row[1], data, row[3], Locale(row[4]) if row[4] else None)

    async def save(self, address: str, state: ConversationState) -> None:
        data = self._cipher.encrypt(json.dumps(state.data)) if state.data else None
        await self._db.execute(
            "INSERT INTO conversations"
            " (address, flow, step, data_enc, last_sequence, locale, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (address) DO UPDATE SET flow = excluded.flow, step = excluded.step,"
            " data_enc = excluded.data_enc, last_sequence = excluded.last_sequence,"
            " locale = excluded.locale, updated_at = excluded.updated_at",
            (
                address,
                state.flow,
                state.step,
                data,
                state.last_sequence,
                state.locale.value if state.locale else None,
                _ts(datetime.now(UTC)),
            ),
        )

    async def forget(self, address: str) -> None:
        await self._db.execute("DELETE FROM conversations WHERE address = ?", (address,))


class SqliteMeta(_Repository):
    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class SqliteMemberships(_Repository):
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
            (jobseeker_id, member_id, role.value, status.value, _ts(at)),
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
            (status.value, _ts(at), membership_id),
        )

    @staticmethod
    def _membership(row: aiosqlite.Row) -> Membership:
        created = _dt(row[5])
        assert created is not None
        return Membership(row[0], row[1], row[2], Role(row[3]), Status(row[4]), created)


class SqliteMeetings(_Repository):
    _COLUMNS = "id, jobseeker_id, organiser_id, starts_at, ends_at, place_enc, status, sequence"

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
    ) -> Meeting:
        cursor = await self._db.execute(
            "INSERT INTO meetings (jobseeker_id, organiser_id, starts_at, ends_at, place_enc,"
            " status, created_at) VALUES (?, ?, ?, ?, ?, 'planned', ?)",
            (
                jobseeker_id,
                organiser_id,
                _ts(starts_at),
                _ts(ends_at),
                self._cipher.encrypt(place),
                _ts(at),
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
            (_ts(starts_at), _ts(ends_at), meeting_id),
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
            starts, ends = _dt(row[3]), _dt(row[4])
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
                )
            )
        return meetings


class SqlitePreparations(_Repository):
    _COLUMNS = "id, jobseeker_id, meeting_id, status, data_enc, updated_at"

    async def add(self, *, jobseeker_id: int, meeting_id: int | None, at: datetime) -> Preparation:
        answers = Answers()
        cursor = await self._db.execute(
            "INSERT INTO preparations (jobseeker_id, meeting_id, status, data_enc, created_at,"
            " updated_at) VALUES (?, ?, 'in_progress', ?, ?, ?)",
            (jobseeker_id, meeting_id, self._encrypt(answers), _ts(at), _ts(at)),
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
            (self._encrypt(answers), status.value, _ts(at), preparation_id),
        )

    async def attach(self, preparation_id: int, meeting_id: int) -> None:
        await self._db.execute(
            "UPDATE preparations SET meeting_id = ? WHERE id = ?", (meeting_id, preparation_id)
        )

    def _encrypt(self, answers: Answers) -> str:
        return self._cipher.encrypt(json.dumps(answers.to_json(), ensure_ascii=False))

    def _preparation(self, row: aiosqlite.Row) -> Preparation:
        updated = _dt(row[5])
        assert updated is not None
        answers = Answers.from_json(json.loads(self._cipher.decrypt(row[4])))
        return Preparation(row[0], row[1], row[2], PrepStatus(row[3]), answers, updated)
