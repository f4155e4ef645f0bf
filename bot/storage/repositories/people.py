"""People and their invitations."""

from __future__ import annotations

from datetime import UTC, datetime

import aiosqlite

from bot.domain.invitations import Invitation
from bot.domain.people import Employer, Locale, Person, Role
from bot.storage.repositories.base import Repository, dt, ts
from bot.storage.repositories.personal import SqlitePersonalData

# The highest person id ever given (in meta): ids are never reused (migration 0011).
LAST_ID = "people_last_id"
_NEXT_ID = (
    f"(SELECT MAX(COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '{LAST_ID}'), 0),"
    " COALESCE((SELECT MAX(id) FROM people), 0)) + 1)"
)


class SqlitePeople(Repository):
    _COLUMNS = (
        "id, role, name_enc, locale, address, employer, team, created_at, workplace_enc,"
        " shows_prep_status"
    )

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
        # Never an id someone had before (see migration 0011): above the highest ever given.
        cursor = await self._db.execute(
            "INSERT INTO people"
            " (id, role, name_enc, locale, address, employer, team, created_at, workplace_enc)"
            f" VALUES ({_NEXT_ID}, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                role.value,
                self._cipher.encrypt(name),
                locale.value,
                address,
                employer.value if employer else None,
                team,
                ts(created_at),
                self._cipher.encrypt(workplace) if workplace else None,
            ),
        )
        assert cursor.lastrowid is not None
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (LAST_ID, str(cursor.lastrowid)),
        )
        return Person(
            cursor.lastrowid, role, name, locale, address, created_at, employer, team, workplace
        )

    async def set_locale(self, person_id: int, locale: Locale) -> None:
        await self._db.execute(
            "UPDATE people SET locale = ? WHERE id = ?", (locale.value, person_id)
        )

    async def set_shows_prep_status(self, person_id: int, shows: bool) -> None:
        await self._db.execute(
            "UPDATE people SET shows_prep_status = ? WHERE id = ?", (int(shows), person_id)
        )

    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM people", ())
        return int(row[0]) if row else 0

    async def all(self) -> list[Person]:
        return [self._person(r) for r in await self._all(f"SELECT {self._COLUMNS} FROM people", ())]

    async def with_role(self, role: Role) -> list[Person]:
        rows = await self._all(f"SELECT {self._COLUMNS} FROM people WHERE role = ?", (role.value,))
        return [self._person(row) for row in rows]

    async def colleagues(
        self, role: Role, team: str | None, *, exclude: set[int], offset: int, limit: int
    ) -> list[Person]:
        # Paged in SQL (people_by_role_and_team): a team may have thousands of members.
        marks = ",".join("?" * len(exclude))
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM people WHERE role = ? AND team IS ?"
            f" AND id NOT IN ({marks}) ORDER BY id LIMIT ? OFFSET ?",
            (role.value, team, *sorted(exclude), limit, offset),
        )
        return [self._person(row) for row in rows]

    async def delete(self, person_id: int) -> None:
        """Everything about the person, as ``/slett`` deletes it but without telling anyone or
        withdrawing copies (``bot.core.services.privacy.erase`` does that first). Purged from
        the WAL after the commit."""
        row = await self._one("SELECT address FROM people WHERE id = ?", (person_id,))
        if row is None:
            return
        personal = SqlitePersonalData(self._db, self._cipher, self._changes)
        await personal.erase(person_id, str(row[0]), keep=(), at=datetime.now(UTC))

    def _person(self, row: aiosqlite.Row) -> Person:
        created = dt(row[7])
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
            shows_prep_status=bool(row[9]),
        )


class SqliteInvitations(Repository):
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
                ts(created_at),
                ts(expires_at),
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
            "UPDATE invitations SET used_at = ? WHERE id = ?", (ts(at), invitation_id)
        )

    async def release(self, invitation_id: int) -> None:
        await self._db.execute(
            "UPDATE invitations SET claimed_by = NULL WHERE id = ?", (invitation_id,)
        )
        self._changes.deleted = True

    async def revoke(self, invitation_id: int, at: datetime) -> None:
        await self._db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE id = ?", (ts(at), invitation_id)
        )

    async def open(self, now: datetime) -> list[Invitation]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM invitations WHERE used_at IS NULL"
            " AND revoked_at IS NULL AND expires_at > ? ORDER BY id",
            (ts(now),),
        )
        return [self._invitation(row) for row in rows]

    def _invitation(self, row: aiosqlite.Row) -> Invitation:
        created, expires = dt(row[3]), dt(row[4])
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
            used_at=dt(row[8]),
            revoked_at=dt(row[9]),
            jobseeker_id=row[10],
            created_by=row[11],
        )

    async def attempt(self, address: str, kind: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO invitation_attempts (address, kind, at) VALUES (?, ?, ?)",
            (address, kind, ts(at)),
        )

    async def attempts(self, address: str, kind: str, since: datetime) -> list[datetime]:
        rows = await self._all(
            "SELECT at FROM invitation_attempts WHERE address = ? AND kind = ? AND at >= ?"
            " ORDER BY at",
            (address, kind, ts(since)),
        )
        return [moment for row in rows if (moment := dt(row[0])) is not None]

    async def forget_attempts(self, before: datetime) -> int:
        cursor = await self._db.execute(
            "DELETE FROM invitation_attempts WHERE at < ?", (ts(before),)
        )
        return cursor.rowcount
