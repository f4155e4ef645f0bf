"""What the core needs from the outside world, as Protocols. Storage and tests implement them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bot.domain.invitations import Invitation
from bot.domain.people import Employer, Locale, Person, Role


@dataclass
class ConversationState:
    """Where a person is in a flow. ``flow`` empty means: not in any flow."""

    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    last_sequence: int | None = None
    locale: Locale | None = None  # chosen before the person is registered

    @property
    def active(self) -> bool:
        return bool(self.flow)

    def go(self, flow: str, step: str, **data: Any) -> None:
        self.flow, self.step = flow, step
        self.data.update(data)

    def clear(self) -> None:
        self.flow, self.step, self.data = "", "", {}


class PeopleRepository(Protocol):
    async def get(self, person_id: int) -> Person | None: ...
    async def by_address(self, address: str) -> Person | None: ...
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
    ) -> Person: ...
    async def set_locale(self, person_id: int, locale: Locale) -> None: ...
    async def count(self) -> int: ...


class InvitationRepository(Protocol):
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
    ) -> Invitation: ...
    async def get(self, invitation_id: int) -> Invitation | None: ...
    async def by_token_hash(self, token_hash: str) -> Invitation | None: ...
    async def claim(self, invitation_id: int, address: str) -> None: ...
    async def mark_used(self, invitation_id: int, at: datetime) -> None: ...


class ConversationRepository(Protocol):
    async def get(self, address: str) -> ConversationState: ...
    async def save(self, address: str, state: ConversationState) -> None: ...


class MetaRepository(Protocol):
    """Small facts about this installation (the bot's username, ...)."""

    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    # Read-only properties, so an implementation may hold more specific repository types.
    @property
    def people(self) -> PeopleRepository: ...
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def meta(self) -> MetaRepository: ...

    async def commit(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...
