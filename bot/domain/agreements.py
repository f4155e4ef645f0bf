"""What was agreed at a meeting: who does what by when, and the next meeting — pure rules.

The jobbspesialist writes it down (``/avtalt``), during or after the meeting. It is the job
seeker's: they see it first, and decide who else gets which part of it, by the same consent rules
as their agenda (``bot.domain.consent``). Each version is numbered per meeting; a task keeps its
number from version to version, so consent and the share log name it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from bot.domain.people import Role

TASK_MAX_LENGTH = 500
NEXT = "next"  # the key of "the next meeting" in an agreement
_TASK = "task:"


class AgreementStatus(Enum):
    DRAFT = "draft"  # the jobbspesialist is writing it
    SENT = "sent"  # the job seeker has it, and decides who else gets it


@dataclass(frozen=True)
class Task:
    """One thing someone does, perhaps by a date."""

    id: int
    number: int  # the same in every version of the meeting's agreement
    owner_role: Role
    owner_id: int | None  # None once the person is gone (the role stays)
    text: str
    due_on: date | None = None

    @property
    def key(self) -> str:
        return f"{_TASK}{self.number}"


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting, as agreed (booked straight from ``/avtalt``)."""

    meeting_id: int

    @property
    def key(self) -> str:
        return NEXT


AgreedItem = Task | NextMeeting


@dataclass(frozen=True)
class Agreement:
    """One version of what was agreed at a meeting."""

    id: int
    meeting_id: int
    jobseeker_id: int
    author_id: int | None
    number: int
    status: AgreementStatus
    tasks: tuple[Task, ...] = ()
    next_meeting_id: int | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None

    @property
    def items(self) -> tuple[AgreedItem, ...]:
        """What can be shared, in order: the tasks, then the next meeting."""
        nxt = (NextMeeting(self.next_meeting_id),) if self.next_meeting_id is not None else ()
        return (*self.tasks, *nxt)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def sent(self) -> bool:
        return self.status is AgreementStatus.SENT

    @property
    def empty(self) -> bool:
        return not self.tasks and self.next_meeting_id is None

    def task(self, number: int) -> Task | None:
        return next((t for t in self.tasks if t.number == number), None)


def clean_task(text: str) -> str | None:
    """A task as typed, whitespace tidied; None when it is empty, too long or a command."""
    task = " ".join(text.split())
    if not task or len(task) > TASK_MAX_LENGTH or task.startswith("/"):
        return None
    return task


def owner_order(owner_role: Role, number: int) -> tuple[int, int]:
    """Tasks shown grouped by whose they are: the job seeker's first, then by role."""
    roles = (Role.JOBBSOKER, Role.JOBBSPESIALIST, Role.BEHANDLER, Role.NAVVEILEDER)
    return roles.index(owner_role), number
