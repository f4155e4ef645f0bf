"""SQLite implementations of the core's repository Protocols. Free text is encrypted here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.ports import ConversationState
from bot.domain.invitations import Invitation
from bot.domain.people import Employer, Locale, Person, Role
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


class SqlitePeople(_Repository):
    _COLUMNS = "id, role, name_enc, locale, address, employer, team, created_at"

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
    ) -> Person:
        cursor = await self._db.execute(
            "INSERT INTO people (role, name_enc, locale, address, employer, team, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                role.value,
                self._cipher.encrypt(name),
                locale.value,
                address,
                employer.value if employer else None,
                team,
                _ts(created_at),
            ),
        )
        assert cursor.lastrowid is not None
        return Person(cursor.lastrowid, role, name, locale, address, created_at, employer, team)

    async def set_locale(self, person_id: int, locale: Locale) -> None:
        await self._db.execute(
            "UPDATE people SET locale = ? WHERE id = ?", (locale.value, person_id)
        )

    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM people", ())
        return int(row[0]) if row else 0

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
        )


class SqliteInvitations(_Repository):
    _COLUMNS = (
        "id, role, name_enc, created_at, expires_at, employer, team, claimed_by, used_at,"
        " revoked_at"
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
    ) -> Invitation:
        cursor = await self._db.execute(
            "INSERT INTO invitations"
            " (token_hash, role, name_enc, employer, team, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                token_hash,
                role.value,
                self._cipher.encrypt(name) if name else None,
                employer.value if employer else None,
                team,
                _ts(created_at),
                _ts(expires_at),
            ),
        )
        assert cursor.lastrowid is not None
        return Invitation(cursor.lastrowid, role, name, created_at, expires_at, employer, team)

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
