"""Reminders as changes: kept in step with their meeting and its circle, "remind me tomorrow",
and /varsler. Sending a due reminder is ``bot.core.reminders``.

Every change to a meeting or a circle calls ``replan`` for the meetings it touched (one place
each, in ``meetings`` and ``circle``): the pending reminders become what the rules in
``bot.domain.reminders`` say they should be now — for the people who attend and may be told, at
the meeting's current time. A moved meeting gets new reminders; a cancelled one, someone who left
the circle or cannot come, loses theirs; an agenda already pinned for a time that no longer holds
is taken down at once. What was sent stays recorded, so nothing is sent twice for the same time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.core.access import NotAllowed
from bot.core.services import Change
from bot.domain.meetings import Meeting, MeetingStatus
from bot.domain.people import Role
from bot.domain.reminders import (
    JOBSEEKER_KINDS,
    PROFESSIONAL_KINDS,
    SNOOZE_LABEL,
    SPECIALIST_KINDS,
    Kind,
    Planned,
    Reminder,
    ReminderStatus,
    plan,
    snoozed,
)


async def replan(change: Change, meeting: Meeting) -> None:
    """Bring the meeting's reminders in line with the meeting and its circle as they are now."""
    if meeting.status is MeetingStatus.PLANNED and meeting.starts_at <= change.now:
        return  # under way or over: nothing to remind of; a pinned agenda comes down at the end
    existing = await change.uow.reminders.of_meeting(meeting.id)
    attendees = await _attendees(change, meeting)
    wanted: dict[tuple[int, Kind, str, datetime], Planned] = {}
    if attendees:
        if change.reminders is None:
            raise ValueError("a change that plans reminders needs the reminder settings")
        for planned in plan(
            meeting.starts_at,
            attendees.items(),
            change.reminders,
            change.now,
            end=meeting.ends_at,
            organiser=meeting.organiser_id,
        ):
            wanted[planned.key] = planned
    # "Remind me tomorrow" stays while the job seeker still attends at that time.
    snooze_holds = {person for person, jobseeker in attendees.items() if jobseeker}
    for reminder in existing:
        if reminder.kind in {Kind.UNPIN, Kind.TASK}:
            continue  # an unpin follows its pin; tasks are planned with what was agreed
        keep = reminder.key in wanted or (
            reminder.label == SNOOZE_LABEL
            and reminder.person_id in snooze_holds
            and reminder.for_start == meeting.starts_at
        )
        if reminder.pending and not keep:
            await change.uow.reminders.drop(reminder.id)
        if reminder.kind is Kind.PIN and reminder.status is ReminderStatus.SENT and not keep:
            await _unpin_now(change, meeting, reminder, existing)
    known = {reminder.key for reminder in existing}
    for key, planned in wanted.items():
        if key not in known:
            await change.uow.reminders.add(meeting.id, planned, change.now)


async def replan_all(change: Change, meetings: Iterable[Meeting]) -> None:
    """``replan`` for each meeting still ahead (after a change to the circle)."""
    for meeting in meetings:
        if meeting.ends_at > change.now:
            await replan(change, meeting)


async def snooze(change: Change, reminder_id: int) -> datetime | None:
    """ "Remind me tomorrow" on a prep invitation: another one a day later, if that still leaves
    time to prepare. Returns when, or None when the meeting is too close (or gone)."""
    reminder = await change.uow.reminders.get(reminder_id)
    if (
        reminder is None
        or reminder.person_id != change.actor.id
        or reminder.kind is not Kind.PREP
        or change.reminders is None
    ):
        raise NotAllowed
    meeting = await change.gate.meeting(change.actor, reminder.meeting_id)
    if (
        meeting.status is not MeetingStatus.PLANNED
        or meeting.starts_at != reminder.for_start
        or not meeting.upcoming(change.now)
    ):
        return None
    due = snoozed(change.now, meeting.starts_at, change.reminders)
    if due is None:
        return None
    for other in await change.uow.reminders.of_meeting(meeting.id):
        if other.pending and other.label == SNOOZE_LABEL and other.person_id == change.actor.id:
            await change.uow.reminders.drop(other.id)  # one "tomorrow" at a time
    planned = Planned(change.actor.id, Kind.PREP, SNOOZE_LABEL, due, meeting.starts_at)
    await change.uow.reminders.add(meeting.id, planned, change.now)
    return due


def kinds_for(role: Role) -> tuple[Kind, ...]:
    """What a person in ``role`` gets, and can turn off or on with /varsler."""
    if role is Role.JOBBSOKER:
        return JOBSEEKER_KINDS
    return SPECIALIST_KINDS if role is Role.JOBBSPESIALIST else PROFESSIONAL_KINDS


async def turn(change: Change, kind: Kind, on: bool) -> None:
    """/varsler: a kind of reminder off or on, for the person acting. Checked when each one is
    due, so turning it on again brings back what is still ahead."""
    if kind not in kinds_for(change.actor.role):
        raise NotAllowed
    await change.uow.reminders.turn(change.actor.id, kind, on)


async def _attendees(change: Change, meeting: Meeting) -> dict[int, bool]:
    """Who gets reminders for the meeting now ({person id: is the job seeker}): attendees who
    may be told about it and have not said they cannot come; nobody for a meeting not ahead."""
    if meeting.status is not MeetingStatus.PLANNED:
        return {}
    cannot = {a.person_id for a in meeting.attendees if a.cannot_come}
    return {
        person.id: person.id == meeting.jobseeker_id
        for person in await change.gate.recipients(meeting)
        if person.id not in cannot
    }


async def _unpin_now(
    change: Change, meeting: Meeting, pin: Reminder, existing: list[Reminder]
) -> None:
    """An agenda pinned for a time (or a person) that no longer holds comes down now."""
    for reminder in existing:
        if reminder.kind is Kind.UNPIN and reminder.about == pin.id:
            if not reminder.pending or reminder.due_at <= change.now:
                return  # taken down already, or about to be
            await change.uow.reminders.drop(reminder.id)
    now = Planned(pin.person_id, Kind.UNPIN, "", change.now, pin.for_start)
    # A new row (a new id): the scheduler picks up new reminders by id.
    await change.uow.reminders.add(meeting.id, now, change.now, about=pin.id)
