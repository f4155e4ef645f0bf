"""Where each person is in a conversation, and small facts about the installation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.core.state import LET_GO, ConversationState
from bot.domain.people import Locale
from bot.storage.repositories.base import Repository, ts

# The engine's marks travel with the flow's data, under a key no flow uses.
MARKS = "~marks"


class SqliteConversations(Repository):
    async def get(self, address: str) -> ConversationState:
        row = await self._one(
            "SELECT flow, step, data_enc, locale FROM conversations WHERE address = ?",
            (address,),
        )
        if row is None:
            return ConversationState()
        data = json.loads(self._cipher.decrypt(row[2])) if row[2] else {}
        marks = data.pop(MARKS, None)
        state = ConversationState(row[0], row[1], data, Locale(row[3]) if row[3] else None)
        if isinstance(marks, dict):
            state.marks = {str(k): int(v) for k, v in marks.items() if isinstance(v, int)}
        return state

    async def save(
        self, address: str, state: ConversationState, at: datetime | None = None
    ) -> None:
        """Store where the person is, as of ``at`` (the turn's time; idle is counted from it)."""
        payload = {**state.data, MARKS: state.marks} if state.marks else state.data
        data = self._cipher.encrypt(json.dumps(payload)) if payload else None
        await self._db.execute(
            "INSERT INTO conversations"
            " (address, flow, step, data_enc, locale, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (address) DO UPDATE SET flow = excluded.flow, step = excluded.step,"
            " data_enc = excluded.data_enc, locale = excluded.locale,"
            " updated_at = excluded.updated_at",
            (
                address,
                state.flow,
                state.step,
                data,
                state.locale.value if state.locale else None,
                ts(at or datetime.now(UTC)),
            ),
        )

    async def let_go(self, idle_since: datetime, at: datetime) -> int:
        """Retention: let go of every conversation idle since before ``idle_since``, and of what
        was typed in it. A registered person who was in a flow keeps only the mark that tells
        their next turn it starts afresh (``LET_GO``) and their language; any other idle row
        (nothing going on, or someone who never registered) is deleted. Returns how many flows
        were let go."""
        cutoff = ts(idle_since)
        flows = await self._one(
            "SELECT COUNT(*) FROM conversations WHERE updated_at < ? AND flow != ''", (cutoff,)
        )
        rows = await self._all(
            "SELECT address, locale FROM conversations WHERE updated_at < ? AND flow != ''"
            " AND address IN (SELECT address FROM people)",
            (cutoff,),
        )
        for address, locale in rows:
            marked = ConversationState(locale=Locale(locale) if locale else None)
            marked.marks = {LET_GO: 1}
            await self.save(address, marked, at)
        cursor = await self._db.execute(
            "DELETE FROM conversations WHERE updated_at < ?"
            " AND (flow = '' OR address NOT IN (SELECT address FROM people))",
            (cutoff,),
        )
        if rows or cursor.rowcount:
            self._changes.deleted = True
        return int(flows[0]) if flows else 0

    async def forget(self, address: str) -> None:
        cursor = await self._db.execute("DELETE FROM conversations WHERE address = ?", (address,))
        if cursor.rowcount:
            self._changes.deleted = True


class SqliteMeta(Repository):
    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
