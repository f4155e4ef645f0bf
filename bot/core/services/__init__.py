"""Use cases: one function per change (schedule a meeting, approve a member, save an answer).

Flows keep the conversation; services keep the change. A service writes through the unit of
work, reads other people's data only through the Gate, and returns the messages the change owes
other people, so reminders and sharing hook in at one place each, whoever calls: a flow now, a
reminder job or the command line later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.access import Gate
from bot.core.messages import Button, Reply
from bot.core.ports import UnitOfWork
from bot.domain.people import Person
from bot.domain.reminders import Policy


@dataclass(frozen=True)
class Change:
    """One use case being carried out: its unit of work, its moment, who does it."""

    uow: UnitOfWork
    now: datetime
    actor: Person
    # The installation's reminder settings: a change that plans reminders needs them.
    reminders: Policy | None = None

    @property
    def gate(self) -> Gate:
        return Gate(self.uow)

    def notify(
        self,
        person: Person,
        template: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
        **context: object,
    ) -> Reply:
        """A message to someone else, in their language."""
        return Reply(template, person.locale, context, buttons, address=person.address)
