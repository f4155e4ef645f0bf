"""Changes to meetings: schedule, move, cancel, "I can't come".

Everyone attending is told, each with a copy made for them (``meeting_details`` for that
person: a behandler's copy never carries what only the jobbspesialist may see). Each change
brings the meeting's reminders in line (``reminders.replan``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.access import Gate
from bot.core.buttons import button
from bot.core.messages import Button, Reply
from bot.core.services import Change, reminders, sharing
from bot.core.text import N_
from bot.domain.meetings import Meeting, MeetingKind, MeetingStatus
from bot.domain.people import Person, Role


async def schedule(
    change: Change,
    jobseeker: Person,
    starts_at: datetime,
    minutes: int,
    place: str,
    attendee_ids: list[int],
    *,
    kind: MeetingKind = MeetingKind.SAMARBEIDSMOTE,
) -> tuple[Meeting, list[Reply]]:
    """A new meeting organised by the person acting; everyone else attending is told. A team
    meeting has no job seeker attending: they are told of it, and may send points to it."""
    with_jobseeker = [jobseeker.id] if kind.with_jobseeker else []
    created = await change.uow.meetings.add(
        jobseeker_id=jobseeker.id,
        organiser_id=change.actor.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        place=place,
        attendee_ids=[*with_jobseeker, change.actor.id, *attendee_ids],
        at=change.now,
        kind=kind,
    )
    meeting = await change.gate.meeting(change.actor, created.id)
    await reminders.replan(change, meeting)
    return meeting, await _tell_attendees(change, meeting, "meeting/new.html")


async def move(
    change: Change, meeting: Meeting, starts_at: datetime
) -> tuple[Meeting, list[Reply]]:
    """The same meeting at another time (same length, place and people); everyone is told, and
    the copies shared for it show the new time."""
    await change.uow.meetings.reschedule(meeting.id, starts_at, starts_at + meeting.duration)
    moved = await change.gate.meeting(change.actor, meeting.id)
    await reminders.replan(change, moved)
    # Everyone is told the old time too: "moved" alone leaves one wondering which meeting.
    notices = await _tell_attendees(change, moved, "meeting/moved.html", was=meeting.starts_at)
    return moved, [*notices, *await sharing.refresh_after_move(change, moved)]


async def cancel(change: Change, meeting: Meeting) -> list[Reply]:
    """The meeting is off; everyone else attending is told, and the job seeker is asked whether
    to take back what they shared for it."""
    recipients = await change.gate.recipients(meeting)
    if not meeting.kind.with_jobseeker:
        recipients.append(await change.gate.jobseeker(change.actor, meeting.jobseeker_id))
    await change.uow.meetings.cancel(meeting.id)
    await reminders.replan(change, replace(meeting, status=MeetingStatus.CANCELLED))
    name = next((p.name for p in recipients if p.id == meeting.jobseeker_id), "")
    if not name:
        name = (await change.gate.jobseeker(change.actor, meeting.jobseeker_id)).name
    notices = [
        change.notify(
            person,
            "meeting/cancelled.html",
            starts_at=meeting.starts_at,
            jobseeker=name,
            role=person.role.value,
            kind=meeting.kind.value,
        )
        for person in recipients
        if person.id != change.actor.id
    ]
    jobseeker = await change.gate.jobseeker(change.actor, meeting.jobseeker_id)
    return [*notices, *await sharing.ask_after_cancel(change, meeting, jobseeker)]


async def cannot_come(change: Change, meeting: Meeting) -> tuple[list[Person], list[Reply]]:
    """Someone attending cannot come (the job seeker, or a professional): the jobbspesialist is
    told, and their reminders for it stop. Returns who was told."""
    await change.uow.meetings.set_cannot_come(meeting.id, change.actor.id)
    specialists = [
        p
        for p in await change.gate.recipients(meeting)
        if p.role is Role.JOBBSPESIALIST and p.id != change.actor.id
    ]
    notices = [
        change.notify(
            p,
            "meeting/cant_come.html",
            name=change.actor.name,
            role=change.actor.role.value,
            starts_at=meeting.starts_at,
        )
        for p in specialists
    ]
    await reminders.replan(change, await change.gate.meeting(change.actor, meeting.id))
    return specialists, notices


async def meeting_details(gate: Gate, viewer: Person, meeting: Meeting) -> dict[str, object]:
    """What a message about a meeting shows ``viewer``: when, where, who (only those still
    allowed), and the preparation's status only for those who may see it."""
    people = await gate.recipients(meeting)
    cannot = {a.person_id for a in meeting.attendees if a.cannot_come}
    jobseeker = next((p for p in people if p.id == meeting.jobseeker_id), None)
    if jobseeker is None and viewer.id == meeting.jobseeker_id:
        jobseeker = viewer  # a team meeting: about them, without them
    elif jobseeker is None:
        found = await gate.jobseeker(viewer, meeting.jobseeker_id)
        jobseeker = found
    return {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "kind": meeting.kind.value,
        "people": people_shown(people, cannot),
        "jobseeker": jobseeker.name if jobseeker else "",
        "prep": await gate.preparation_status(viewer, meeting),
        "shared": await gate.shared_with(viewer, meeting),
        "role": viewer.role.value,  # whose meeting the heading names
    }


def people_shown(people: list[Person], cannot: set[int] | None = None) -> list[dict[str, object]]:
    return [
        {"name": p.name, "role": p.role.value, "cannot_come": p.id in (cannot or set())}
        for p in people
    ]


def meeting_buttons(person: Person, meeting: Meeting) -> tuple[tuple[Button, ...], ...]:
    """What ``person`` can do from a message about the meeting."""
    rows: list[tuple[Button, ...]] = [(button(N_("Add to my calendar"), "mt", "ics", meeting.id),)]
    organiser = person.role is Role.JOBBSPESIALIST and person.id == meeting.organiser_id
    if not meeting.attends(person.id) and not organiser:
        return ()  # a team meeting, for the job seeker: nothing to add or decline
    if not organiser and any(
        a.person_id == person.id and not a.cannot_come for a in meeting.attendees
    ):
        rows.append((button(N_("I can't come"), "mt", "cant", meeting.id),))
    if organiser:
        rows.append(
            (
                button(N_("Move"), "mt", "move", meeting.id),
                button(N_("Cancel meeting"), "mt", "cancel", meeting.id),
            )
        )
    return tuple(rows)


async def _tell_attendees(
    change: Change, meeting: Meeting, template: str, **context: object
) -> list[Reply]:
    """Everyone attending but the person acting, each with their own copy; for a team meeting
    also the job seeker, who does not attend it but may send points to it."""
    notices = []
    told = await change.gate.recipients(meeting)
    if not meeting.kind.with_jobseeker:
        told.append(await change.gate.jobseeker(change.actor, meeting.jobseeker_id))
    for person in told:
        if person.id != change.actor.id:
            notices.append(
                change.notify(
                    person,
                    template,
                    meeting_buttons(person, meeting),
                    **await meeting_details(change.gate, person, meeting),
                    **context,
                )
            )
    return notices
