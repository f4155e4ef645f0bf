"""The share log: every copy given to a recipient (the items it carried, encrypted)."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain.consent import Share, ShareStatus
from bot.domain.people import Role
from bot.storage.repositories.base import Repository, dt, ts


class SqliteShares(Repository):
    """The share log of the agenda (``shares``), or of what was agreed (``agreement_shares``,
    whose ``version_id`` names an agreement): the same columns, the same rules."""

    table = "shares"
    _COLUMNS = (
        "id, jobseeker_id, recipient_id, recipient_role, meeting_id, version_id, keys_enc,"
        " journal, status, shared_at, read_at, ended_at"
    )

    async def add(
        self,
        *,
        jobseeker_id: int,
        recipient_id: int,
        recipient_role: Role,
        meeting_id: int | None,
        version_id: int,
        keys: frozenset[str],
        journal: bool,
        at: datetime,
    ) -> Share:
        cursor = await self._db.execute(
            f"INSERT INTO {self.table} (jobseeker_id, recipient_id, recipient_role, meeting_id,"
            " version_id, keys_enc, journal, status, shared_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'shared', ?)",
            (
                jobseeker_id,
                recipient_id,
                recipient_role.value,
                meeting_id,
                version_id,
                self._cipher.encrypt(json.dumps(sorted(keys))),
                int(journal),
                ts(at),
            ),
        )
        assert cursor.lastrowid is not None
        share = await self.get(cursor.lastrowid)
        assert share is not None
        return share

    async def get(self, share_id: int) -> Share | None:
        row = await self._one(f"SELECT {self._COLUMNS} FROM {self.table} WHERE id = ?", (share_id,))
        return self._share(row) if row else None

    async def of_jobseeker(self, jobseeker_id: int) -> list[Share]:
        """Newest first."""
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM {self.table} WHERE jobseeker_id = ? ORDER BY id DESC",
            (jobseeker_id,),
        )
        return [self._share(row) for row in rows]

    async def of_recipient(self, recipient_id: int) -> list[Share]:
        """Newest first."""
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM {self.table} WHERE recipient_id = ? ORDER BY id DESC",
            (recipient_id,),
        )
        return [self._share(row) for row in rows]

    async def mark_read(self, share_id: int, at: datetime) -> None:
        await self._db.execute(
            f"UPDATE {self.table} SET read_at = ? WHERE id = ? AND read_at IS NULL",
            (ts(at), share_id),
        )

    async def end(self, share_id: int, status: ShareStatus, at: datetime) -> None:
        await self._db.execute(
            f"UPDATE {self.table} SET status = ?, ended_at = ? WHERE id = ? AND status = 'shared'",
            (status.value, ts(at), share_id),
        )

    def _share(self, row: aiosqlite.Row) -> Share:
        shared = dt(row[9])
        assert shared is not None
        return Share(
            id=row[0],
            jobseeker_id=row[1],
            recipient_id=row[2],
            recipient_role=Role(row[3]),
            meeting_id=row[4],
            version_id=row[5],
            keys=frozenset(json.loads(self._cipher.decrypt(row[6]))),
            journal=bool(row[7]),
            status=ShareStatus(row[8]),
            shared_at=shared,
            read_at=dt(row[10]),
            ended_at=dt(row[11]),
        )


class SqliteAgreementShares(SqliteShares):
    table = "agreement_shares"
