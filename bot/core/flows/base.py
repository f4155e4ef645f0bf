"""What every flow gets for one turn, and what it must offer the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.core.access import Gate, NotAllowed
from bot.core.invitations import Entry
from bot.core.messages import Button, Reply
from bot.core.ports import UnitOfWork
from bot.core.safety import CrisisWords
from bot.core.services import Change
from bot.core.state import ConversationState
from bot.core.text import Text
from bot.domain.people import Locale, Person
from bot.domain.preparation import TopicSpec
from bot.domain.reminders import Policy


@dataclass(frozen=True)
class Installation:
    """Facts and content of this Møteklar installation that flows need."""

    controller: str  # the organisation responsible for the data (behandlingsansvarlig)
    timezone: str
    topics: tuple[TopicSpec, ...] = ()  # the question bank's structure (templates/questions/)
    crisis: CrisisWords = field(default_factory=CrisisWords)
    reminders: Policy = field(default_factory=Policy)  # MOTEKLAR_* reminder settings
    retention_days: int = 30  # MOTEKLAR_RETENTION_DAYS

    def topic(self, topic_id: str) -> TopicSpec | None:
        return next((t for t in self.topics if t.id == topic_id), None)


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
    # A press that does not end a choice (a calendar file): its message keeps its buttons.
    keeps_buttons: bool = False

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

    @property
    def gate(self) -> Gate:
        return Gate(self.uow)

    @property
    def entry(self) -> Entry:
        """What this account may do with an invitation it opens."""
        return Entry(self.uow, self.now, self.address)

    @property
    def change(self) -> Change:
        """This turn as a use case carried out by the person acting."""
        return Change(self.uow, self.now, self.me, self.installation.reminders)

    @property
    def me(self) -> Person:
        """The registered person acting; flows for registered people only are started for them."""
        if self.person is None:
            raise NotAllowed
        return self.person


def grid(buttons: list[Button], width: int) -> list[tuple[Button, ...]]:
    """Buttons in rows of ``width`` (a phone shows three or four short ones side by side)."""
    return [tuple(buttons[i : i + width]) for i in range(0, len(buttons), width)]


# ASCII digits only, and short enough for SQLite's 64-bit integers: str.isdigit() accepts "²"
# and "٣", and int() of 23 nines overflows SQLite.
_ID = re.compile(r"[0-9]{1,18}")


def button_id(value: str) -> int:
    """The id a button carries; anything else is a forged or broken button."""
    if _ID.fullmatch(value) is None:
        raise StaleButton(value)
    return int(value)


def in_place(replies: list[Reply]) -> list[Reply]:
    """A tick or a page turn changes the message the person is looking at; not sent anew."""
    return [replace(replies[0], replace=True), *replies[1:]] if replies else replies


class StaleButton(Exception):
    """A button that does not fit the person's current step: refused, never obeyed."""


class Flow(Protocol):
    """A conversation over several steps; its state is stored between turns."""

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


@runtime_checkable
class Pausing(Protocol):
    """A flow that pauses, rather than goes on, when a person's words suggest a crisis."""

    async def on_crisis(self, turn: Turn, text: str) -> list[Reply]:
        """The words that brought the safety note: never taken as an answer. Returns what
        follows the note (one quiet question, or nothing); the engine sends the note first."""
        ...


class Starter(Protocol):
    """Something a command starts (``/nytt_moete``): may answer at once or enter a flow."""

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]: ...


class Actions(Protocol):
    """Buttons that work at any time (on a list, on a notification), checked on arrival.

    Raises StaleButton or NotAllowed for a press that does not (or no longer) fit.
    """

    prefix: str

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]: ...
