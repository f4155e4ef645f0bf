"""The inbox (updates as received) and the outbox (messages owed to people)."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.core.messages import Delivery, Envelope
from bot.domain.delivery import FORGET, DeliveryStatus, Guarantee, Op
from bot.storage.repositories.base import Repository, dt, ts

_UNSETTLED = "('queued', 'sending')"

# The messages of a ref (what they belong to) are kept while something may still act on them:
# a copy still shared (a withdrawal needs its message ids, a moved meeting edits it, /deling
# shows whether it arrived), a reminder still pending, or one whose pinned agenda an unpin
# still pending will take down (by the pin's ref), and anything of the ref not settled yet (a
# withdrawal on its way needs what it takes back). Once the share was taken back or deleted
# (retention, /slett) and the reminder is over, they go a week after the last of them settled,
# with the addresses and message ids they hold. A ref of any other kind is kept; ``forget``
# has its own rule (``forget_settled``).
_ENDED = f"""
WITH needed (ref) AS (
    SELECT 'share:' || id FROM shares WHERE status = 'shared'
    UNION SELECT 'agreed:' || id FROM agreement_shares WHERE status = 'shared'
    UNION SELECT 'reminder:' || id FROM reminders WHERE status = 'pending'
    UNION SELECT 'reminder:' || about FROM reminders
        WHERE status = 'pending' AND about IS NOT NULL
    UNION SELECT ref FROM outbox WHERE status IN {_UNSETTLED} AND ref IS NOT NULL
),
settled (ref) AS (
    SELECT ref FROM outbox
    WHERE ref LIKE 'share:%' OR ref LIKE 'agreed:%' OR ref LIKE 'reminder:%'
    GROUP BY ref HAVING MAX(settled_at) < :before
)
DELETE FROM outbox
WHERE ref IN (SELECT ref FROM settled) AND ref NOT IN (SELECT ref FROM needed)
    AND id NOT IN (SELECT target_id FROM outbox WHERE op = 'withdraw'
        AND status IN {_UNSETTLED} AND target_id IS NOT NULL)
"""


class SqliteInbox(Repository):
    async def add(self, update_id: int, lane: str, body: str, at: datetime) -> bool:
        cursor = await self._db.execute(
            "INSERT OR IGNORE INTO inbox (update_id, lane, body_enc, status, received_at)"
            " VALUES (?, ?, ?, 'received', ?)",
            (update_id, lane, self._cipher.encrypt(body), ts(at)),
        )
        return cursor.rowcount == 1

    async def claim(self, update_id: int, at: datetime, status: str = "handled") -> bool:
        # An id never stored (a transport without an inbox) is recorded as settled now.
        cursor = await self._db.execute(
            "INSERT INTO inbox (update_id, lane, status, received_at, settled_at)"
            " VALUES (?, '', ?, ?, ?)"
            " ON CONFLICT (update_id) DO UPDATE SET status = excluded.status, body_enc = NULL,"
            " settled_at = excluded.settled_at WHERE inbox.status = 'received'",
            (update_id, status, ts(at), ts(at)),
        )
        return cursor.rowcount == 1

    async def body(self, update_id: int) -> str | None:
        row = await self._one(
            "SELECT body_enc FROM inbox WHERE update_id = ? AND status = 'received'",
            (update_id,),
        )
        return self._cipher.decrypt(row[0]) if row and row[0] else None

    async def waiting(self) -> list[tuple[int, str]]:
        rows = await self._all(
            "SELECT update_id, lane FROM inbox WHERE status = 'received' ORDER BY update_id", ()
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def prune(self, before: datetime) -> int:
        cursor = await self._db.execute(
            "DELETE FROM inbox WHERE status != 'received' AND settled_at < ?", (ts(before),)
        )
        return cursor.rowcount


class SqliteOutbox(Repository):
    _COLUMNS = (
        "id, address, op, guarantee, body_enc, status, created_at, target_id, origin, ref,"
        " not_after, parts_done, message_ids, settled_at"
    )

    async def add(
        self,
        *,
        address: str,
        op: Op,
        guarantee: Guarantee,
        envelope: Envelope,
        at: datetime,
        target_id: int | None = None,
        origin: str | None = None,
        ref: str | None = None,
        not_after: datetime | None = None,
    ) -> int:
        body = self._cipher.encrypt(json.dumps(envelope.to_json(), ensure_ascii=False))
        cursor = await self._db.execute(
            "INSERT INTO outbox (address, op, guarantee, body_enc, status, target_id, origin, ref,"
            " not_after, created_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)",
            (
                address,
                op.value,
                guarantee.value,
                body,
                target_id,
                origin,
                ref,
                ts(not_after) if not_after else None,
                ts(at),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self._one(f"SELECT {self._COLUMNS} FROM outbox WHERE id = ?", (delivery_id,))
        return self._delivery(row) if row else None

    async def next_for(self, address: str) -> Delivery | None:
        row = await self._one(
            f"SELECT {self._COLUMNS} FROM outbox WHERE address = ? AND status IN {_UNSETTLED}"
            " ORDER BY id LIMIT 1",
            (address,),
        )
        return self._delivery(row) if row else None

    async def set_status(self, delivery_id: int, status: DeliveryStatus) -> None:
        await self._db.execute(
            "UPDATE outbox SET status = ? WHERE id = ?", (status.value, delivery_id)
        )

    async def progress(self, delivery_id: int, parts_done: int, message_ids: list[int]) -> None:
        await self._db.execute(
            "UPDATE outbox SET parts_done = ?, message_ids = ? WHERE id = ?",
            (parts_done, json.dumps(message_ids), delivery_id),
        )

    async def settle(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        at: datetime,
        message_ids: list[int] | None = None,
    ) -> None:
        if message_ids is None:
            await self._db.execute(
                "UPDATE outbox SET status = ?, body_enc = NULL, settled_at = ? WHERE id = ?",
                (status.value, ts(at), delivery_id),
            )
            return
        await self._db.execute(
            "UPDATE outbox SET status = ?, body_enc = NULL, settled_at = ?, message_ids = ?,"
            " parts_done = ? WHERE id = ?",
            (status.value, ts(at), json.dumps(message_ids), len(message_ids), delivery_id),
        )

    async def by_ref(self, ref: str) -> list[Delivery]:
        """Every delivery that belongs to ``ref``, oldest first."""
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM outbox WHERE ref = ? ORDER BY id", (ref,)
        )
        return [self._delivery(row) for row in rows]

    async def unsettled(self) -> list[Delivery]:
        rows = await self._all(
            f"SELECT {self._COLUMNS} FROM outbox WHERE status IN {_UNSETTLED} ORDER BY id", ()
        )
        return [self._delivery(row) for row in rows]

    async def unsettled_addresses(self) -> list[str]:
        rows = await self._all(
            f"SELECT DISTINCT address FROM outbox WHERE status IN {_UNSETTLED}", ()
        )
        return [str(row[0]) for row in rows]

    async def prune(self, before: datetime) -> int:
        """Delete what was settled before ``before`` and nothing needs any more: a message that
        belongs to nothing, and every message of a ref whose share was taken back or deleted,
        or whose reminder is over (see ``_ENDED``)."""
        cursor = await self._db.execute(
            "DELETE FROM outbox WHERE ref IS NULL AND status NOT IN"
            f" {_UNSETTLED} AND settled_at < ?",
            (ts(before),),
        )
        pruned = cursor.rowcount
        await self._db.execute(_ENDED, {"before": ts(before)})
        # (sqlite3 counts no rows for a statement that begins with WITH: SQLite does.)
        row = await self._one("SELECT changes()", ())
        # Bodies dropped since the last purge (settled deliveries), and the rows pruned now:
        # the commit purges the WAL, so none of it lingers there.
        self._changes.deleted = True
        return pruned + (int(row[0]) if row else 0)

    async def forget_settled(self) -> int:
        cursor = await self._db.execute(
            f"DELETE FROM outbox WHERE ref = '{FORGET}' AND status NOT IN {_UNSETTLED}"
            " AND id NOT IN (SELECT target_id FROM outbox WHERE op = 'withdraw'"
            f" AND status IN {_UNSETTLED} AND target_id IS NOT NULL)"
        )
        if cursor.rowcount:
            self._changes.erased = True  # the last of someone who deleted their data
        return cursor.rowcount

    async def sent_message(self, address: str, ref: str) -> int | None:
        row = await self._one(
            "SELECT message_ids FROM outbox WHERE address = ? AND ref = ? AND op = 'send'"
            " AND status = 'sent' ORDER BY id LIMIT 1",
            (address, ref),
        )
        ids = json.loads(row[0]) if row else []
        return int(ids[0]) if ids else None

    async def mark_unreachable(self, address: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO unreachable (address, since) VALUES (?, ?)", (address, ts(at))
        )

    async def is_unreachable(self, address: str) -> bool:
        return (
            await self._one("SELECT 1 FROM unreachable WHERE address = ?", (address,)) is not None
        )

    async def reachable(self, address: str) -> None:
        await self._db.execute("DELETE FROM unreachable WHERE address = ?", (address,))

    def _delivery(self, row: aiosqlite.Row) -> Delivery:
        created = dt(row[6])
        assert created is not None
        envelope = (
            Envelope.from_json(json.loads(self._cipher.decrypt(row[4]))) if row[4] else Envelope()
        )
        return Delivery(
            id=row[0],
            address=row[1],
            op=Op(row[2]),
            guarantee=Guarantee(row[3]),
            envelope=envelope,
            status=DeliveryStatus(row[5]),
            created_at=created,
            target_id=row[7],
            origin=row[8],
            ref=row[9],
            not_after=dt(row[10]),
            parts_done=row[11],
            message_ids=tuple(json.loads(row[12])),
            settled_at=dt(row[13]),
        )
