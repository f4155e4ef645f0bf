"""In-memory adapters for the core's ports: they record what happened, and roll back like SQL."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from bot.core.ports import ConversationState
from bot.domain.invitations import Invitation
from bot.domain.people import Employer, Locale, Person, Role


@dataclass
class Store:
    """Everything 'in the database'. A unit of work edits a copy and swaps it in on commit."""

    people: dict[int, Person] = field(default_factory=dict)
    invitations: dict[int, Invitation] = field(default_factory=dict)
    hashes: dict[str, int] = field(default_factory=dict)
    conversations: dict[str, ConversationState] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    commits: int = 0


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class _People:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, person_id: int) -> Person | None:
        return self._data.people.get(person_id)

    async def by_address(self, address: str) -> Person | None:
        # Yield to the loop like real I/O, so a missing per-person lock would show.
        await asyncio.sleep(0)
        return next((p for p in self._data.people.values() if p.address == address), None)

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
        if any(p.address == address for p in self._data.people.values()):
            raise ValueError("UNIQUE constraint failed: people.address")
        person = Person(
            len(self._data.people) + 1, role, name, locale, address, created_at, employer, team
        )
        self._data.people[person.id] = person
        return person

    async def set_locale(self, person_id: int, locale: Locale) -> None:
        self._data.people[person_id] = replace(self._data.people[person_id], locale=locale)

    async def count(self) -> int:
        return len(self._data.people)


class _Invitations:
    def __init__(self, data: Store) -> None:
        self._data = data

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
        invitation = Invitation(
            len(self._data.invitations) + 1, role, name, created_at, expires_at, employer, team
        )
        self._data.invitations[invitation.id] = invitation
        self._data.hashes[token_hash] = invitation.id
        return invitation

    async def get(self, invitation_id: int) -> Invitation | None:
        return self._data.invitations.get(invitation_id)

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        invitation_id = self._data.hashes.get(token_hash)
        return self._data.invitations.get(invitation_id) if invitation_id else None

    async def claim(self, invitation_id: int, address: str) -> None:
        invitation = self._data.invitations[invitation_id]
        if invitation.claimed_by is None:
            self._data.invitations[invitation_id] = replace(invitation, claimed_by=address)

    async def mark_used(self, invitation_id: int, at: datetime) -> None:
        invitation = self._data.invitations[invitation_id]
        self._data.invitations[invitation_id] = replace(invitation, used_at=at)


class _Conversations:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, address: str) -> ConversationState:
        await asyncio.sleep(0)
        return copy.deepcopy(self._data.conversations.get(address, ConversationState()))

    async def save(self, address: str, state: ConversationState) -> None:
        self._data.conversations[address] = copy.deepcopy(state)


class _Meta:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, key: str) -> str | None:
        return self._data.meta.get(key)

    async def set(self, key: str, value: str) -> None:
        self._data.meta[key] = value


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._working = copy.deepcopy(store)
        self.people = _People(self._working)
        self.invitations = _Invitations(self._working)
        self.conversations = _Conversations(self._working)
        self.meta = _Meta(self._working)
        self.committed = False

    async def __aenter__(self) -> Self:
        return self

    async def commit(self) -> None:
        for name in ("people", "invitations", "hashes", "conversations", "meta"):
            setattr(self._store, name, copy.deepcopy(getattr(self._working, name)))
        self._store.commits += 1
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None
