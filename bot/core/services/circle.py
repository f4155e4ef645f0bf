"""Changes to the circle around a job seeker: asking to join, yes, no, removal, hand-over, the end.

Each returns the messages it owes other people; the caller adds its own reply.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.access import Member
from bot.core.buttons import button
from bot.core.messages import Button, Reply
from bot.core.services import Change, reminders, sharing
from bot.core.text import N_
from bot.domain.circle import Status
from bot.domain.meetings import MeetingStatus
from bot.domain.people import Person, Role


async def ask_to_join(
    change: Change, jobseeker: Person, member: Person
) -> tuple[tuple[Button, ...], ...]:
    """Put ``member`` in the circle as waiting; the job seeker's yes and no buttons for it."""
    membership = await change.uow.memberships.add(
        jobseeker_id=jobseeker.id,
        member_id=member.id,
        role=member.role,
        status=Status.PENDING,
        at=change.now,
    )
    return (
        (button(N_("Yes, let them in"), "cq", "ok", membership.id),),
        (button(N_("No"), "cq", "no", membership.id),),
    )


async def request_approval(change: Change, jobseeker: Person) -> Reply:
    """A registered professional asks to join the job seeker's circle."""
    member = change.actor
    rows = await ask_to_join(change, jobseeker, member)
    return change.notify(
        jobseeker,
        "circle/approve.html",
        rows,
        name=member.name,
        role=member.role.value,
        workplace=member.workplace or "",
    )


async def add_inviting_specialist(change: Change, specialist: Person) -> list[Reply]:
    """A job seeker who joined through their jobbspesialist's link has her in the circle."""
    await change.uow.memberships.add(
        jobseeker_id=change.actor.id,
        member_id=specialist.id,
        role=specialist.role,
        status=Status.APPROVED,
        at=change.now,
    )
    return [change.notify(specialist, "circle/jobseeker_joined.html", name=change.actor.name)]


async def approve(change: Change, member: Member) -> list[Reply]:
    """The job seeker's yes. A jobbspesialist's yes completes a hand-over."""
    await change.uow.memberships.set_status(member.membership.id, Status.APPROVED, change.now)
    notices = [
        change.notify(member.person, "circle/you_were_approved.html", name=change.actor.name)
    ]
    if member.person.role is Role.JOBBSPESIALIST:
        notices += await _previous_specialists_leave(change, member.person)
    await _replan(change)  # someone put on a meeting before, or a successor, gets reminders
    return notices


async def decline(change: Change, member: Member) -> list[Reply]:
    await change.uow.memberships.set_status(member.membership.id, Status.DECLINED, change.now)
    return [change.notify(member.person, "circle/you_were_declined.html")]


async def remove(change: Change, member: Member) -> list[Reply]:
    """The job seeker takes someone out of the circle: what was shared with them is withdrawn
    first, and they lose access at once."""
    notices = await sharing.withdraw_from(change, change.actor, member.person, by_jobseeker=True)
    await change.uow.memberships.set_status(member.membership.id, Status.REMOVED, change.now)
    await _replan(change)  # their reminders go with them
    notice = change.notify(member.person, "circle/you_were_removed.html", name=change.actor.name)
    return [*notices, notice]


async def hand_over(change: Change, jobseeker: Person, colleague: Person) -> list[Reply]:
    """The colleague joins as waiting; the job seeker decides, as for anyone new."""
    rows = await ask_to_join(change, jobseeker, colleague)
    return [
        change.notify(
            jobseeker,
            "circle/handover_request.html",
            rows,
            name=colleague.name,
            previous=change.actor.name,
        )
    ]


async def end_participation(change: Change, jobseeker: Person) -> list[Reply]:
    """Everyone leaves the circle and upcoming meetings are cancelled in Møteklar. The job
    seeker is told that only Møteklar ends (IPS and treatment go on), and how to see and delete
    what stays stored; each member is told once, with the meetings taken out, which may still
    take place outside Møteklar, and whether what was shared with them is taken away — never
    that the job seeker took it back: the jobbspesialist ended it."""
    notices = [change.notify(jobseeker, "circle/participation_ended.html", name=change.actor.name)]
    members = await change.gate.managed_circle(change.actor, jobseeker.id)
    withdrawn: set[int] = set()
    for member in members:  # what was shared with them is withdrawn before they leave
        taken = await sharing.withdraw_from(change, jobseeker, member.person, by_jobseeker=False)
        if taken:
            withdrawn.add(member.person.id)
        notices += taken
    taken_out: dict[int, list[datetime]] = {}
    for meeting in await change.gate.meetings_about(change.actor, jobseeker.id):
        if meeting.upcoming(change.now):
            for person in await change.gate.recipients(meeting):
                taken_out.setdefault(person.id, []).append(meeting.starts_at)
            await change.uow.meetings.cancel(meeting.id)
            await reminders.replan(change, replace(meeting, status=MeetingStatus.CANCELLED))
    if change.actor.id in withdrawn:  # her own reply says only that it ended
        notices.append(
            change.notify(change.actor, "share/removed_notice.html", name=jobseeker.name)
        )
    for member in members:
        await change.uow.memberships.set_status(member.membership.id, Status.ENDED, change.now)
        person = member.person
        if member.membership.approved and person.id not in {change.actor.id, jobseeker.id}:
            notices.append(
                change.notify(
                    person,
                    "circle/member_ended.html",
                    name=jobseeker.name,
                    meetings=taken_out.get(person.id, []),
                    withdrawn=person.id in withdrawn,
                )
            )
    return notices


async def _replan(change: Change) -> None:
    """The job seeker (acting) changed their circle: every meeting ahead is replanned."""
    jobseeker = change.actor
    await reminders.replan_all(change, await change.gate.meetings_about(jobseeker, jobseeker.id))


async def _previous_specialists_leave(change: Change, newcomer: Person) -> list[Reply]:
    """The jobbspesialister before the newcomer leave; the upcoming meetings move to her."""
    jobseeker = change.actor
    notices = []
    meetings = [
        m
        for m in await change.gate.meetings_about(jobseeker, jobseeker.id)
        if m.upcoming(change.now)
    ]
    for member in await change.gate.circle(jobseeker, jobseeker.id):
        previous = member.person
        if (
            member.membership.role is not Role.JOBBSPESIALIST
            or not member.membership.approved
            or previous.id == newcomer.id
        ):
            continue
        # Ola said yes to a colleague; he took nothing back: handover_done says it went.
        taken = await sharing.withdraw_from(change, jobseeker, previous, by_jobseeker=False)
        notices += taken
        await change.uow.memberships.set_status(member.membership.id, Status.ENDED, change.now)
        for meeting in meetings:
            await change.uow.meetings.hand_over(meeting.id, previous.id, newcomer.id)
        notices.append(
            change.notify(
                previous,
                "circle/handover_done.html",
                name=jobseeker.name,
                colleague=newcomer.name,
                withdrawn=bool(taken),
            )
        )
    return notices
