"""``/mine_data`` (GDPR art. 15 and 20): everything stored about the person, in plain words in
their language, and as a JSON file with every row and every column exactly as stored.

The file is the whole truth (``Gate.everything_about``: the rows themselves, so a column or a
table added later is in it without anyone remembering); the message says the same in words.
A job seeker sees their preparations, follow-ups, what was agreed (the versions sent to them),
what carries over to the next preparation, and what they shared with whom. A professional sees
their own account and groups, when and from whom something (an agenda, what was agreed) was
shared with them, never what it held, and their own tasks as ``/avtalt`` shows them; a
jobbspesialist also what they wrote down of what was agreed, in short (counts, not the tasks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.flows.base import Turn
from bot.core.messages import DataFile, Reply
from bot.domain.agenda import agenda_items
from bot.domain.agreements import Agreement, Task
from bot.domain.carryover import CarriedTask
from bot.domain.consent import Share
from bot.domain.meetings import Meeting, MeetingStatus
from bot.domain.people import Person, Role
from bot.domain.reminders import ReminderStatus

FORMAT = "moteklar-mine-data"
VERSION = 1


def document(
    tables: dict[str, list[dict[str, Any]]], person: Person | None, now: datetime, controller: str
) -> dict[str, Any]:
    """The JSON file: every table's rows about the person (the same for ``moteklar users
    export``, an operator's answer to someone who can no longer use their chat)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "controller": controller,
        "person": {"id": person.id, "role": person.role.value} if person else None,
        "tables": tables,
    }


class MyData:
    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        person = turn.person
        tables = await turn.gate.everything_about(person, turn.address)
        data = document(tables, person, turn.now, turn.installation.controller)
        context: dict[str, Any] = {
            "person": None,
            "stored": {
                "conversation": bool(tables["conversations"]),
                "invitations": len(tables["invitations"]),
                "outbox": len(tables["outbox"]),
                "inbox": len(tables["inbox"]),
            },
        }
        if person is not None:
            context.update(await _about(turn, person))
        file = DataFile(data, turn.now)
        return [Reply("privacy/my_data.html", turn.locale, context, attachment=file)]


async def _about(turn: Turn, person: Person) -> dict[str, Any]:
    reminders = await turn.gate.own_reminders(person)
    context: dict[str, Any] = {
        "person": {
            "name": person.name,
            "role": person.role.value,
            "locale": person.locale.value,
            "created_at": person.created_at,
            "workplace": person.workplace,
            "employer": person.employer.value if person.employer else None,
            "shows_prep_status": person.shows_prep_status,
        },
        "reminders": [
            {"due_at": r.due_at, "kind": r.kind.value}
            for r in reminders
            if r.status is ReminderStatus.PENDING
        ],
        "settled": sum(1 for r in reminders if r.status is not ReminderStatus.PENDING),
        "off": sorted(k.value for k in await turn.gate.turned_off(person)),
    }
    if person.role is Role.JOBBSOKER:
        context.update(await _jobseeker(turn, person))
    else:
        context.update(await _professional(turn, person))
    return context


async def _jobseeker(turn: Turn, me: Person) -> dict[str, Any]:
    gate = turn.gate
    members = await gate.circle(me, me.id)
    names = {m.person.id: m.person.name for m in members} | {me.id: me.name}
    meetings = await gate.meetings_about(me, me.id)
    starts = {m.id: m.starts_at for m in meetings}
    people = await gate.names(me, me.id)
    bank = {topic.id: topic for topic in turn.installation.topics}
    preparations = []
    numbers: dict[int, int] = {}
    for preparation in await gate.own_preparations(me):
        versions = await gate.own_versions(me, preparation.id)
        numbers |= {v.id: v.number for v in versions}
        draft = tuple(agenda_items(preparation.answers, bank))
        preparations.append(
            {
                "status": preparation.status.value,
                "updated_at": preparation.updated_at,
                "meeting_at": starts.get(preparation.meeting_id or 0),
                "versions": [
                    {"number": v.number, "created_at": v.created_at, "points": v.items}
                    for v in versions
                ],
                # What is written but not (yet) in a version, shown as it stands.
                "draft": None if versions and versions[-1].items == draft else draft,
            }
        )
    return {
        "members": [
            {
                "name": m.person.name,
                "role": m.person.role.value,
                "status": m.membership.status.value,
            }
            for m in members
        ],
        "meetings": [
            _meeting(m, me, [names[a.person_id] for a in m.attendees if a.person_id in names])
            for m in meetings
        ],
        "preparations": preparations,
        **await _after(turn, me, meetings, people),
        "shares": sorted(
            [
                *(_sent(s, names, numbers) for s in await gate.own_shares(me)),
                *(_sent(s, names, {}, starts) for s in await gate.own_agreement_shares(me)),
            ],
            key=lambda entry: entry["shared_at"],
            reverse=True,
        ),
    }


async def _after(
    turn: Turn, me: Person, meetings: list[Meeting], people: dict[int, Person]
) -> dict[str, Any]:
    """After the meetings: the job seeker's follow-ups, what was agreed (the newest version sent
    to them; every version is in the file), and what carries over to the next preparation."""
    gate = turn.gate
    followups = []
    agreed = []
    for meeting in meetings:
        followup = await gate.own_followup(me, meeting)
        if followup is not None:
            answers = followup.answers
            followups.append(
                {
                    "meeting_at": meeting.starts_at,
                    "heard": answers.heard.value if answers.heard else None,
                    "not_discussed": len(answers.not_discussed),
                    "words": answers.words,
                }
            )
        sent = await gate.agreements(me, meeting)
        if sent:
            latest = sent[-1]
            agreed.append(
                {
                    "meeting_at": meeting.starts_at,
                    "number": latest.number,
                    "sent_at": latest.sent_at,
                    "tasks": [_task(t, me, people) for t in latest.tasks],
                    "next_meeting": latest.next_meeting_id is not None,
                }
            )
    carried = await gate.carry_over(me, me.id)
    carryover = None
    if carried is not None:
        carryover = {
            "meeting_at": carried.last_time.meeting_start,
            "until": carried.expires_at,
            "tasks": [_task(t, me, people) for t in carried.last_time.tasks],
            "points": carried.last_time.not_discussed,
        }
    return {"followups": followups, "agreed": agreed, "carryover": carryover}


def _task(task: Task | CarriedTask, me: Person, people: dict[int, Person]) -> dict[str, Any]:
    """A task as ``_tasks.html`` lists it: whose (by name while they are in the circle, else
    the role), what, by when."""
    owner = people.get(task.owner_id) if task.owner_id is not None else None
    return {
        "mine": task.owner_id == me.id,
        "owner": owner.name if owner else None,
        "owner_role": task.owner_role.value,
        "text": task.text,
        "due_on": task.due_on,
    }


async def _professional(turn: Turn, me: Person) -> dict[str, Any]:
    gate = turn.gate
    groups = await gate.own_memberships(me)
    names = {js.id: js.name for _, js in groups if js is not None}
    written = []
    if me.role is Role.JOBBSPESIALIST:
        found = sorted(await gate.written_agreements(me), key=lambda p: p[0].id, reverse=True)
        written = [_written(agreement, meeting, me, names) for agreement, meeting in found]
    return {
        "groups": [{"name": js.name if js else None, "status": m.status.value} for m, js in groups],
        "meetings": [
            _meeting(m, me, [], names.get(m.jobseeker_id)) for m in await gate.meetings_of(me)
        ],
        "received": sorted(
            [
                *(_received(s, names) for s in await gate.received_shares(me)),
                *(
                    _received(s, names, agreed=True)
                    for s in await gate.received_agreement_shares(me)
                ),
            ],
            key=lambda entry: entry["shared_at"],
            reverse=True,
        ),
        "written": written,
        "tasks": [
            {
                "text": task.text,
                "due_on": task.due_on,
                "jobseeker": names.get(meeting.jobseeker_id),
                "meeting_at": meeting.starts_at,
            }
            for task, meeting in await gate.own_tasks(me)
        ],
    }


def _meeting(
    meeting: Meeting, me: Person, people: list[str], jobseeker: str | None = None
) -> dict[str, Any]:
    """One meeting as the message lists it: when, where, whether it was cancelled or the
    person said they cannot come, and who attends (a job seeker's own) or whose it is."""
    return {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "cancelled": meeting.status is MeetingStatus.CANCELLED,
        "cannot_come": any(a.person_id == me.id and a.cannot_come for a in meeting.attendees),
        "people": people,
        "jobseeker": jobseeker,
    }


def _written(
    agreement: Agreement, meeting: Meeting | None, me: Person, names: dict[int, str]
) -> dict[str, Any]:
    """What the jobbspesialist wrote down for one meeting, in short: the newest version, whether
    the job seeker has it, and how many tasks (the tasks' words are in the file, and in
    ``/avtalt``; the message keeps to counts)."""
    return {
        "jobseeker": names.get(agreement.jobseeker_id) if meeting else None,
        "meeting_at": meeting.starts_at if meeting else None,
        "number": agreement.number,
        "sent_at": agreement.sent_at if agreement.sent else None,
        "tasks": len(agreement.tasks),
        "mine": sum(1 for t in agreement.tasks if t.owner_id == me.id),
        "next_meeting": agreement.next_meeting_id is not None,
    }


def _sent(
    share: Share,
    names: dict[int, str],
    numbers: dict[int, int],
    agreed: dict[int, datetime] | None = None,
) -> dict[str, Any]:
    """One line of the job seeker's share log: to whom (the role, if they left), what (their
    agenda's points, or what was agreed at a meeting: ``agreed`` gives the meetings' starts),
    when."""
    return {
        "agreed": agreed is not None,
        "meeting_at": agreed.get(share.meeting_id or 0) if agreed is not None else None,
        "shared_at": share.shared_at,
        "name": names.get(share.recipient_id or 0),
        "role": share.recipient_role.value,
        "count": len(share.keys),
        "version": numbers.get(share.version_id),
        "status": share.status.value,
        "read_at": share.read_at,
        "ended_at": share.ended_at,
    }


def _received(share: Share, names: dict[int, str], agreed: bool = False) -> dict[str, Any]:
    """A copy shared with a professional: from whom (while they may still see them), when, and
    whether it was an agenda or what was agreed, never what it held."""
    return {
        "agreed": agreed,
        "shared_at": share.shared_at,
        "name": names.get(share.jobseeker_id),
        "status": share.status.value,
        "read_at": share.read_at,
        "ended_at": share.ended_at,
    }
