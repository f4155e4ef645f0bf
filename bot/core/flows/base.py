"""What every flow gets for one turn, and what it must offer the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.messages import Button, Reply
from bot.core.ports import ConversationState, UnitOfWork
from bot.core.text import Text
from bot.domain.people import Locale, Person


@dataclass(frozen=True)
class Installation:
    """Facts about this Møteklar installation that messages need."""

    controller: str  # the organisation responsible for the data (behandlingsansvarlig)
    timezone: str


@dataclass
class Turn:
    """One Inbound being handled: the person, their state, one unit of work."""

    uow: UnitOfWork
    address: str
    person: Person | None
    state: ConversationState
    now: datetime
    locale: Locale
    installation: Installation

    def reply(
        self,
        template: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
        **context: object,
    ) -> Reply:
        return Reply(template, self.locale, context, buttons)

    def say(self, text: Text) -> Reply:
        """A one-line message without a template of its own."""
        return self.reply("notice.html", message=text)


class StaleButton(Exception):
    """A button that does not fit the person's current step: refused, never obeyed."""


class Flow(Protocol):
    name: str

    async def prompt(self, turn: Turn) -> list[Reply]:
        """The current step's question, again (after help, a language change, bad input)."""
        ...

    async def on_text(self, turn: Turn, text: str) -> list[Reply]: ...

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        """A press on a button of the current step (the engine has checked flow and step).

        Raises StaleButton for a value the step does not offer.
        """
        ...

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        """/avbryt: leave the flow; the engine clears the state afterwards."""
        ...
