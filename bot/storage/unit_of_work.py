"""The unit of work: one SQLite transaction, holding the connection for its duration."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from bot.storage.database import Database
from bot.storage.repositories import (
    Changes,
    SqliteAgendas,
    SqliteAgreements,
    SqliteAgreementShares,
    SqliteCarryOvers,
    SqliteConversations,
    SqliteCounters,
    SqliteFollowUps,
    SqliteInbox,
    SqliteInvitations,
    SqliteMeetings,
    SqliteMemberships,
    SqliteMeta,
    SqliteOutbox,
    SqlitePeople,
    SqlitePersonalData,
    SqlitePreparations,
    SqliteReminders,
    SqliteShares,
)


class SqliteUnitOfWork:
    """Commits only when asked; anything else (an exception, a forgotten commit) rolls back."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._changes = Changes()
        shared = (database.connection, database.cipher, self._changes)
        self.people = SqlitePeople(*shared)
        self.invitations = SqliteInvitations(*shared)
        self.conversations = SqliteConversations(*shared)
        self.meta = SqliteMeta(*shared)
        self.memberships = SqliteMemberships(*shared)
        self.meetings = SqliteMeetings(*shared)
        self.preparations = SqlitePreparations(*shared)
        self.agendas = SqliteAgendas(*shared)
        self.inbox = SqliteInbox(*shared)
        self.outbox = SqliteOutbox(*shared)
        self.shares = SqliteShares(*shared)
        self.reminders = SqliteReminders(*shared)
        self.personal = SqlitePersonalData(*shared)
        self.followups = SqliteFollowUps(*shared)
        self.agreements = SqliteAgreements(*shared)
        self.agreement_shares = SqliteAgreementShares(*shared)
        self.carryovers = SqliteCarryOvers(*shared)
        self.counters = SqliteCounters(*shared)
        self._open = False

    async def __aenter__(self) -> Self:
        # One connection serves every coroutine, so a transaction must have it to itself.
        await self._database.lock.acquire()
        try:
            await self._database.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._database.lock.release()
            raise
        self._open = True
        return self

    async def commit(self) -> None:
        await self._database.connection.execute("COMMIT")
        self._open = False
        if self._changes.deleted or self._changes.erased:
            # Deleting means gone: not left behind in the WAL, in free pages or anywhere else.
            await self._database.purge(rewrite=self._changes.erased)
            self._changes.deleted = self._changes.erased = False

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._open:
                await self._database.connection.execute("ROLLBACK")
                self._open = False
        finally:
            self._database.lock.release()


def unit_of_work_factory(database: Database) -> Callable[[], SqliteUnitOfWork]:
    """A zero-argument callable making units of work on ``database``."""
    return lambda: SqliteUnitOfWork(database)
