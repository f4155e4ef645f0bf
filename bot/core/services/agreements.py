"""What was agreed, as changes: the jobbspesialist writes it down (tasks, the next meeting) and
sends it to the job seeker, who sees it first and shares each part with whom they choose — by
the consent rules in ``bot.domain.consent``, one recipient and one version at a time, every copy
made from ``approved_items`` and nothing else. A task with a date is reminded of to its owner
only while it is shared with them (``replan_tasks``).

A share's deliveries carry ``ref="agreed:<id>"``, so a withdrawal finds them as for the agenda.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.messages import Reply
from bot.core.services import Change, sharing
from bot.core.services.copies import delivered
from bot.core.text import N_
from bot.domain.agreements import Agreement, NextMeeting, Task, owner_order
from bot.domain.carryover import CarriedTask
from bot.domain.consent import Consent, Share, ShareStatus, approved_items
from bot.domain.meetings import Meeting
from bot.domain.people import Person
from bot.domain.reminders import Kind, Planned, task_due, task_label

READ = "ar"  # "Lest" under a copy of what was agreed
OPEN = "ao"  # the job seeker's buttons on "Kari has written down what was agreed"


async def latest(change: Change, meeting: Meeting) -> Agreement | None:
    """The newest version the acting person may see (a draft only for its writer)."""
    versions = await change.gate.agreements(change.actor, meeting)
    return versions[-1] if versions else None


async def latest_sent(change: Change, meeting: Meeting) -> Agreement | None:
    sent = [a for a in await change.gate.agreements(change.actor, meeting) if a.sent]
    return sent[-1] if sent else None


async def _draft(change: Change, meeting: Meeting) -> Agreement:
    """The version the jobbspesialist writes in: the newest while it is a draft; after it was
    sent, a new draft with the same tasks (the job seeker sees the change before anyone else)."""
    await change.gate.managed_jobseeker(change.actor, meeting.jobseeker_id)
    newest = await latest(change, meeting)
    if newest is not None and not newest.sent:
        return newest
    return await change.uow.agreements.add(
        meeting_id=meeting.id,
        jobseeker_id=meeting.jobseeker_id,
        author_id=change.actor.id,
        at=change.now,
        copy_of=newest,
    )


async def owners(change: Change, meeting: Meeting) -> list[Person]:
    """Who a task can be for: the job seeker, the jobbspesialist herself, and the others who
    attend (and may still be told)."""
    jobseeker = await change.gate.managed_jobseeker(change.actor, meeting.jobseeker_id)
    people = [jobseeker, change.actor]
    for person in await change.gate.recipients(meeting):
        if person.id not in {p.id for p in people}:
            people.append(person)
    return people


async def add_task(
    change: Change, meeting: Meeting, owner_id: int, text: str, due_on: date | None
) -> Agreement:
    owner = next((p for p in await owners(change, meeting) if p.id == owner_id), None)
    if owner is None:
        raise NotAllowed
    draft = await _draft(change, meeting)
    await change.uow.agreements.add_task(
        draft.id, owner_role=owner.role, owner_id=owner.id, text=text, due_on=due_on
    )
    return await change.gate.agreement(change.actor, draft.id)


async def remove_task(change: Change, meeting: Meeting, number: int) -> Agreement:
    draft = await _draft(change, meeting)
    if draft.task(number) is None:
        raise NotAllowed
    await change.uow.agreements.remove_task(draft.id, number)
    return await change.gate.agreement(change.actor, draft.id)


async def set_next_meeting(change: Change, meeting: Meeting, next_meeting: Meeting) -> None:
    """The next meeting, booked from ``/avtalt``, becomes part of what was agreed."""
    if next_meeting.jobseeker_id != meeting.jobseeker_id:
        raise NotAllowed
    draft = await _draft(change, meeting)
    await change.uow.agreements.set_next_meeting(draft.id, next_meeting.id)


async def send(change: Change, meeting: Meeting) -> tuple[Person, list[Reply]]:
    """The draft goes to the job seeker, who sees it first and decides who else gets it."""
    draft = await latest(change, meeting)
    if draft is None or draft.sent or draft.empty:
        raise NotAllowed
    jobseeker = await change.gate.managed_jobseeker(change.actor, meeting.jobseeker_id)
    await change.uow.agreements.mark_sent(draft.id, change.now)
    sent = await change.gate.agreement(change.actor, draft.id)
    await replan_tasks(change, meeting)
    context = await view_context(change, jobseeker, sent, meeting, viewer=jobseeker)
    del context["name"]  # it is to them: "you"
    rows = tuple(
        (
            button(
                N_("See what %(name)s gets", name=person.name),
                OPEN,
                "pick",
                f"{sent.id}-{person.id}",
            ),
        )
        for person in await recipients(change, meeting, sent)
    )
    notice = change.notify(
        jobseeker,
        "agreed/for_jobseeker.html",
        rows,
        **context,
        author=change.actor.name,
        again=sent.number > 1,
    )
    return jobseeker, [notice]


async def recipients(change: Change, meeting: Meeting, agreement: Agreement) -> list[Person]:
    """Who the job seeker may share what was agreed with: those who attend the meeting and may
    still be told, but not the jobbspesialist who wrote it down (she has it)."""
    return [
        p
        for p in await change.gate.recipients(meeting)
        if p.id not in {meeting.jobseeker_id, agreement.author_id}
    ]


# -- the job seeker shares it --------------------------------------------------------------


async def share(
    change: Change, agreement: Agreement, recipient: Person, consent: Consent
) -> tuple[Share, list[Reply]]:
    """Send the approved parts of this version to one recipient; an earlier copy to the same
    person for the same meeting is replaced (taken back, then the new one sent)."""
    jobseeker = change.actor
    meeting = await change.gate.meeting(jobseeker, agreement.meeting_id)
    allowed = await recipients(change, meeting, agreement)
    if recipient.id not in {p.id for p in allowed} or agreement.jobseeker_id != jobseeker.id:
        raise NotAllowed
    notices: list[Reply] = []
    for earlier in await change.gate.own_agreement_shares(jobseeker):
        same = earlier.recipient_id == recipient.id and earlier.meeting_id == meeting.id
        if earlier.active and same:
            notices += await sharing.take_back_copy(
                change,
                earlier,
                jobseeker,
                recipient,
                ShareStatus.REPLACED,
                sharing.agreed_ref(earlier.id),
            )
    made = await change.uow.agreement_shares.add(
        jobseeker_id=jobseeker.id,
        recipient_id=recipient.id,
        recipient_role=recipient.role,
        meeting_id=meeting.id,
        version_id=agreement.id,
        keys=consent.keys,
        journal=consent.journal,
        at=change.now,
    )
    notices += await copy_replies(change, jobseeker, recipient, agreement, consent, made.id)
    await replan_tasks(change, meeting)
    return made, notices


async def withdraw(change: Change, share: Share, recipient: Person) -> list[Reply]:
    """The job seeker takes a copy back (deleted, or overwritten when too old to delete); the
    recipient is told, and their task reminders stop."""
    jobseeker = change.actor
    notices = await sharing.take_back_copy(
        change, share, jobseeker, recipient, ShareStatus.WITHDRAWN, sharing.agreed_ref(share.id)
    )
    notices.append(change.notify(recipient, "agreed/withdrawn_notice.html", name=jobseeker.name))
    if share.meeting_id is not None:
        await replan_tasks(change, await change.gate.meeting(jobseeker, share.meeting_id))
    return notices


async def mark_read(change: Change, share: Share, jobseeker: Person) -> list[Reply]:
    """The recipient has read it; the job seeker is told, once."""
    if share.read_at is not None:
        return []
    await change.uow.agreement_shares.mark_read(share.id, change.now)
    return [change.notify(jobseeker, "share/read_notice.html", name=change.actor.name)]


async def copy_replies(
    change: Change,
    jobseeker: Person,
    recipient: Person,
    agreement: Agreement,
    consent: Consent,
    share_id: int,
) -> list[Reply]:
    """The copy (protected, with "Lest") and, where the job seeker allowed it, a text to paste
    into the recipient's own record system."""
    context = await copy_context(change, jobseeker, recipient, agreement, consent)
    read = ((button(N_("Read"), READ, "read", share_id),),)
    return delivered("agreed", recipient, context, read, sharing.agreed_ref(share_id))


async def copy_context(
    change: Change,
    jobseeker: Person,
    recipient: Person,
    agreement: Agreement,
    consent: Consent,
) -> dict[str, object]:
    """What a copy shows: the approved parts only, the recipient's own tasks first."""
    items = approved_items(agreement, consent, recipient.id)
    meeting = await change.gate.meeting(jobseeker, agreement.meeting_id)
    people = await change.gate.names(jobseeker, jobseeker.id)
    tasks = [item for item in items if isinstance(item, Task)]
    nxt = next((item for item in items if isinstance(item, NextMeeting)), None)
    return {
        **await _shown(change, jobseeker, meeting, tasks, nxt, people, viewer=recipient),
        "role": recipient.role.value,
        "journal": consent.journal and bool(items),
    }


async def view_context(
    change: Change,
    jobseeker: Person,
    agreement: Agreement,
    meeting: Meeting,
    *,
    viewer: Person,
) -> dict[str, object]:
    """All of one version, as the job seeker or the jobbspesialist sees it."""
    people = await change.gate.names(viewer, jobseeker.id)
    nxt = NextMeeting(agreement.next_meeting_id) if agreement.next_meeting_id else None
    return await _shown(change, jobseeker, meeting, list(agreement.tasks), nxt, people, viewer)


async def _shown(
    change: Change,
    jobseeker: Person,
    meeting: Meeting,
    tasks: list[Task],
    nxt: NextMeeting | None,
    people: dict[int, Person],
    viewer: Person,
) -> dict[str, object]:
    next_meeting = None
    if nxt is not None:
        try:
            found = await change.gate.meeting(jobseeker, nxt.meeting_id)
        except NotAllowed:
            found = None
        if found is not None and found.upcoming(change.now):
            next_meeting = {
                "starts_at": found.starts_at,
                "ends_at": found.ends_at,
                "place": found.place,
                "kind": found.kind.value,
            }
    return {
        "name": jobseeker.name,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "kind": meeting.kind.value,
        "tasks": task_lines(tasks, people, jobseeker.id, viewer.id),
        "next_meeting": next_meeting,
        "viewer_role": viewer.role.value,
    }


def task_lines(
    tasks: Sequence[Task | CarriedTask],
    people: dict[int, Person],
    jobseeker_id: int,
    viewer_id: int,
) -> list[dict[str, object]]:
    """Tasks for a template, grouped by owner (the viewer's own first, then the job seeker's,
    then by role), each with whose it is."""
    ordered = sorted(
        tasks, key=lambda t: (t.owner_id != viewer_id, *owner_order(t.owner_role, t.number))
    )
    lines = []
    for task in ordered:
        owner = people.get(task.owner_id) if task.owner_id is not None else None
        lines.append(
            {
                "number": task.number,
                "text": task.text,
                "due_on": task.due_on,
                "owner": owner.name if owner else None,
                "owner_role": task.owner_role.value,
                "mine": task.owner_id == viewer_id,
                "jobseeker": task.owner_id == jobseeker_id,
            }
        )
    return lines


# -- task reminders ------------------------------------------------------------------------


async def replan_tasks(change: Change, meeting: Meeting) -> None:
    """The task reminders of a meeting's agreements become what they should be now: one for
    each dated task whose owner may see it (their own, sent, and shared with them), on its
    date; dropped for a task no longer shared. What was sent stays sent."""
    policy = change.reminders
    if policy is None:
        raise ValueError("a change that plans reminders needs the reminder settings")
    existing = [r for r in await change.uow.reminders.of_meeting(meeting.id) if r.kind is Kind.TASK]
    people = await change.gate.names(change.actor, meeting.jobseeker_id)
    wanted: dict[tuple[object, ...], Planned] = {}
    for agreement in await change.gate.agreements(change.actor, meeting):
        for task in agreement.tasks:
            owner = people.get(task.owner_id) if task.owner_id is not None else None
            if owner is None or task.due_on is None:
                continue
            if not await change.gate.task_visible(owner, meeting, task.number, task.due_on):
                continue
            due = task_due(task.due_on, policy, change.now)
            if due is None:
                continue
            label = task_label(task.number, task.due_on)
            planned = Planned(owner.id, Kind.TASK, label, due, meeting.starts_at, task.id)
            wanted[planned.key] = planned  # a newer version names the task by its newer row
    for reminder in existing:
        if reminder.pending and reminder.key not in wanted:
            await change.uow.reminders.drop(reminder.id)
    known = {reminder.key for reminder in existing}
    for key, planned in wanted.items():
        if key not in known:
            await change.uow.reminders.add(meeting.id, planned, change.now)
