"""Where each person is in a conversation, and small facts about the installation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.core.state import ConversationState
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

    async def save(self, address: str, state: ConversationState) -> None:
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
                ts(datetime.now(UTC)),
            ),
        )

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
