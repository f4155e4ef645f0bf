"""What carries over from one meeting to the next preparation, and for how long — pure rules.

Retention deletes a meeting's preparation, agenda versions and shares ``MOTEKLAR_RETENTION_DAYS``
after it (a preparation without a meeting, or for a cancelled one, counts from its last change).
Before that, what was agreed and the points not talked about move to a **carry-over** record,
one per job seeker: kept until the next follow-up replaces it, and at most 180 days. The next
``/forbered`` opens with it ("Sist ble dere enige om: …"), and offers the points first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.domain.agenda import PURPOSE, TOPIC, Item
from bot.domain.agreements import Task
from bot.domain.people import Role

CARRY_OVER_KEPT = timedelta(days=180)


@dataclass(frozen=True)
class CarriedTask:
    """A task as it carries over; ``remind``: who may still be reminded of it (its owner, if
    the task was shared with them when it carried over)."""

    task_id: int
    number: int
    owner_role: Role
    owner_id: int | None
    text: str
    due_on: date | None = None
    remind: tuple[int, ...] = ()

    @classmethod
    def of(cls, task: Task, remind: bool) -> CarriedTask:
        owner = (task.owner_id,) if remind and task.owner_id is not None else ()
        return cls(
            task.id, task.number, task.owner_role, task.owner_id, task.text, task.due_on, owner
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "number": self.number,
            "owner_role": self.owner_role.value,
            "owner_id": self.owner_id,
            "text": self.text,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "remind": list(self.remind),
        }

    def names(self, person_id: int) -> bool:
        """Whether the task names this person: as its owner, or as someone to remind."""
        return self.owner_id == person_id or person_id in self.remind

    def without(self, person_id: int) -> CarriedTask:
        """The task with the person taken out (they deleted their data): it keeps its owner's
        role and words, as the task does in the job seeker's record, and reminds nobody of it
        on their behalf."""
        owner = None if self.owner_id == person_id else self.owner_id
        remind = tuple(i for i in self.remind if i != person_id)
        return replace(self, owner_id=owner, remind=remind)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CarriedTask:
        due = data.get("due_on")
        return cls(
            int(data["task_id"]),
            int(data["number"]),
            Role(data["owner_role"]),
            data.get("owner_id"),
            str(data["text"]),
            date.fromisoformat(due) if due else None,
            tuple(int(i) for i in data.get("remind", ())),
        )


@dataclass(frozen=True)
class LastTime:
    """What the job seeker's next preparation opens with: what was agreed at their last meeting,
    and the points that were not talked about there."""

    meeting_start: datetime
    tasks: tuple[CarriedTask, ...] = ()
    not_discussed: tuple[Item, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.tasks and not self.not_discussed

    @property
    def offered(self) -> tuple[Item, ...]:
        """The points that can go into the new preparation: topics and what they wanted from
        the meeting (how things were going then is not how they are now)."""
        return tuple(item for item in self.not_discussed if item.kind in {TOPIC, PURPOSE})

    def names(self, person_id: int) -> bool:
        return any(task.names(person_id) for task in self.tasks)

    def without(self, person_id: int) -> LastTime:
        """The same, with nothing left that names the person (see ``CarriedTask.without``)."""
        return replace(self, tasks=tuple(task.without(person_id) for task in self.tasks))

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": [task.to_json() for task in self.tasks],
            "not_discussed": [item.to_json() for item in self.not_discussed],
        }

    @classmethod
    def from_json(cls, meeting_start: datetime, data: Mapping[str, Any]) -> LastTime:
        return cls(
            meeting_start,
            tuple(CarriedTask.from_json(t) for t in data.get("tasks", ())),
            tuple(Item.from_json(i) for i in data.get("not_discussed", ())),
        )


@dataclass(frozen=True)
class CarryOver:
    """The stored record (one per job seeker)."""

    jobseeker_id: int
    meeting_id: int | None
    last_time: LastTime
    created_at: datetime
    expires_at: datetime


def expires(created_at: datetime) -> datetime:
    return created_at + CARRY_OVER_KEPT


def retention_due(end: datetime, days: int) -> datetime:
    """When a meeting's preparation, agenda and shares are deleted: ``days`` after it."""
    return end + timedelta(days=days)
