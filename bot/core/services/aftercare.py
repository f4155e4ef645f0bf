"""What carries over from the last meeting into the next preparation: what was agreed there,
and the points the job seeker said were not talked about — from the meeting itself while its
data is kept, and from the carry-over record once retention has moved it there.
"""

from __future__ import annotations

from bot.core.services import Change
from bot.core.services.agreements import task_lines
from bot.domain.agenda import agenda_items
from bot.domain.agreements import Agreement
from bot.domain.carryover import CarriedTask, LastTime
from bot.domain.followup import FollowUp, asked_items
from bot.domain.meetings import Meeting
from bot.domain.people import Person
from bot.domain.prep_steps import Bank


async def last_time(change: Change, bank: Bank) -> LastTime | None:
    """For the job seeker acting: their last meeting's agreements and unmet points, or None."""
    me = change.actor
    held = sorted(
        (m for m in await change.gate.meetings_about(me, me.id) if m.held(change.now)),
        key=lambda m: m.starts_at,
        reverse=True,
    )
    for meeting in held:
        sent = await change.gate.agreements(me, meeting)
        followup = await change.gate.own_followup(me, meeting)
        if sent or (followup is not None and followup.answered):
            return await live(change, meeting, sent[-1] if sent else None, followup, bank)
    carried = await change.gate.carry_over(me, me.id)
    return carried.last_time if carried is not None else None


async def live(
    change: Change,
    meeting: Meeting,
    agreement: Agreement | None,
    followup: FollowUp | None,
    bank: Bank,
    *,
    reminded: frozenset[int] = frozenset(),
) -> LastTime:
    """A meeting's last time, from its own data (``reminded``: the task numbers whose owner may
    still be reminded of them, for a carry-over)."""
    missed: list[str] = followup.answers.not_discussed if followup is not None else []
    items = []
    if missed:
        preparation = await change.gate.preparation_for(change.actor, meeting)
        if preparation is not None:
            asked = asked_items(agenda_items(preparation.answers, bank))
            items = [item for item in asked if item.key in set(missed)]
    tasks = tuple(
        CarriedTask.of(task, task.number in reminded)
        for task in (agreement.tasks if agreement else ())
    )
    return LastTime(meeting.starts_at, tasks, tuple(items))


def shown(last: LastTime, people: dict[int, Person], viewer: Person) -> dict[str, object]:
    """What a template shows of it (``viewer``: the job seeker, whose last time it is)."""
    return {
        "meeting_start": last.meeting_start,
        "tasks": task_lines(last.tasks, people, viewer.id, viewer.id),
        "not_discussed": list(last.offered),
    }
