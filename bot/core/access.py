"""The Gate: every read of a job seeker's data, and every choice of who is told, goes through here.

Flows never read another person's meetings or circle from the repositories themselves: they ask
the Gate, which applies ``bot.domain.circle`` on every call. A button only carries ids; whether
the person pressing it may act on them is decided here, when it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.ports import UnitOfWork
from bot.domain.agenda import AgendaVersion
from bot.domain.agreements import Agreement, Task
from bot.domain.carryover import CarriedTask, CarryOver
from bot.domain.circle import Membership, Status, may_manage, may_see
from bot.domain.consent import Share
from bot.domain.followup import FollowUp
from bot.domain.invitations import Invitation
from bot.domain.meetings import Meeting
from bot.domain.people import Person, Role
from bot.domain.preparation import Preparation, PrepStatus
from bot.domain.reminders import Kind, Reminder


class NotAllowed(Exception):
    """The person may not see or do this (any more); answered kindly, never obeyed."""


@dataclass(frozen=True)
class Member:
    membership: Membership
    person: Person


@dataclass(frozen=True)
class RetainedMeeting:
    """What retention finds for one meeting."""

    jobseeker: Person | None
    preparations: list[Preparation]
    followup: FollowUp | None
    agreements: list[Agreement]


class Gate:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def person_at(self, address: str) -> Person | None:
        """Who is at ``address``: the person acting, or one a message is for."""
        return await self._uow.people.by_address(address)

    async def jobseeker(self, viewer: Person, jobseeker_id: int) -> Person:
        """The job seeker, if ``viewer`` may see them."""
        if not await self._may_see(viewer, jobseeker_id):
            raise NotAllowed
        jobseeker = await self._uow.people.get(jobseeker_id)
        if jobseeker is None or jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return jobseeker

    async def managed_jobseeker(self, viewer: Person, jobseeker_id: int) -> Person:
        """The job seeker, if ``viewer`` is their approved jobbspesialist."""
        memberships = await self._uow.memberships.of_jobseeker(jobseeker_id)
        if not may_manage(viewer, jobseeker_id, memberships):
            raise NotAllowed
        return await self.jobseeker(viewer, jobseeker_id)

    async def jobseekers_of(self, viewer: Person) -> list[Person]:
        """The job seekers whose circle ``viewer`` is an approved member of."""
        found = []
        for membership in await self._uow.memberships.of_member(viewer.id):
            if membership.approved:
                person = await self._uow.people.get(membership.jobseeker_id)
                if person is not None:
                    found.append(person)
        return found

    async def circle(self, viewer: Person, jobseeker_id: int) -> list[Member]:
        """Everyone in the circle with their status; approved members see only approved ones."""
        await self.jobseeker(viewer, jobseeker_id)
        members = []
        for membership in await self._uow.memberships.of_jobseeker(jobseeker_id):
            visible = membership.status in {Status.APPROVED, Status.PENDING}
            if viewer.id != jobseeker_id and not membership.approved:
                visible = False
            person = await self._uow.people.get(membership.member_id)
            if visible and person is not None:
                members.append(Member(membership, person))
        return members

    async def managed_circle(self, viewer: Person, jobseeker_id: int) -> list[Member]:
        """Everyone approved or waiting in the circle, for the jobbspesialist who manages it."""
        await self.managed_jobseeker(viewer, jobseeker_id)
        return await self._members(jobseeker_id, {Status.APPROVED, Status.PENDING})

    async def own_member(self, jobseeker: Person, membership_id: int) -> Member:
        """A membership in the job seeker's own circle, with its member; NotAllowed otherwise
        (a button with someone else's membership id is refused, never obeyed)."""
        membership = await self._uow.memberships.get(membership_id)
        if membership is None or membership.jobseeker_id != jobseeker.id:
            raise NotAllowed
        person = await self._uow.people.get(membership.member_id)
        if person is None or jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return Member(membership, person)

    async def colleagues(
        self, viewer: Person, jobseeker_id: int, page: int, size: int
    ) -> tuple[list[Person], bool]:
        """Jobbspesialister on the viewer's own team who could take over the job seeker (not the
        viewer, not already in the circle): one page, and whether more follow."""
        await self.managed_jobseeker(viewer, jobseeker_id)
        busy = {m.membership.member_id for m in await self.managed_circle(viewer, jobseeker_id)}
        found = await self._uow.people.colleagues(
            Role.JOBBSPESIALIST,
            viewer.team,
            exclude=busy | {viewer.id},
            offset=page * size,
            limit=size + 1,
        )
        return found[:size], len(found) > size

    async def colleague(self, viewer: Person, jobseeker_id: int, colleague_id: int) -> Person:
        """One of ``colleagues``; NotAllowed for anyone else (another team, oneself, ...)."""
        await self.managed_jobseeker(viewer, jobseeker_id)
        colleague = await self._uow.people.get(colleague_id)
        busy = {m.membership.member_id for m in await self.managed_circle(viewer, jobseeker_id)}
        if (
            colleague is None
            or colleague.role is not Role.JOBBSPESIALIST
            or colleague.team != viewer.team
            or colleague.id in busy | {viewer.id}
        ):
            raise NotAllowed
        return colleague

    async def inviter(self, invitation: Invitation) -> Person | None:
        """Who made an invitation: a job seeker's jobbspesialist joins their circle with them."""
        if invitation.created_by is None:
            return None
        return await self._uow.people.get(invitation.created_by)

    async def circle_owner(self, invitation: Invitation) -> Person | None:
        """The job seeker whose circle a circle invitation is for."""
        if invitation.jobseeker_id is None:
            return None
        person = await self._uow.people.get(invitation.jobseeker_id)
        return person if person is not None and person.role is Role.JOBBSOKER else None

    async def specialists_of(self, jobseeker: Person) -> list[Person]:
        """The job seeker's own approved jobbspesialist(er): whom ``/snakke`` tells."""
        if jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return [
            p for p in await self.approved_members(jobseeker.id) if p.role is Role.JOBBSPESIALIST
        ]

    async def approved_members(self, jobseeker_id: int) -> list[Person]:
        """Who may be told about the job seeker's meetings (besides the job seeker)."""
        people = []
        for membership in await self._uow.memberships.of_jobseeker(jobseeker_id):
            if membership.approved:
                person = await self._uow.people.get(membership.member_id)
                if person is not None:
                    people.append(person)
        return people

    async def meeting(self, viewer: Person, meeting_id: int) -> Meeting:
        """A meeting the viewer attends (or manages) and may still see."""
        meeting = await self._uow.meetings.get(meeting_id)
        if meeting is None or not await self._may_see(viewer, meeting.jobseeker_id):
            raise NotAllowed
        if viewer.id == meeting.jobseeker_id:
            return meeting  # their own, also a team meeting they do not attend
        memberships = await self._uow.memberships.of_jobseeker(meeting.jobseeker_id)
        if not meeting.attends(viewer.id) and not may_manage(
            viewer, meeting.jobseeker_id, memberships
        ):
            raise NotAllowed
        return meeting

    async def managed_meeting(self, viewer: Person, meeting_id: int) -> Meeting:
        meeting = await self.meeting(viewer, meeting_id)
        await self.managed_jobseeker(viewer, meeting.jobseeker_id)
        return meeting

    async def meetings_about(self, viewer: Person, jobseeker_id: int) -> list[Meeting]:
        """Every meeting of a job seeker, for the job seeker and their jobbspesialist."""
        if viewer.id != jobseeker_id:
            await self.managed_jobseeker(viewer, jobseeker_id)
        elif viewer.role is not Role.JOBBSOKER:
            raise NotAllowed
        return await self._uow.meetings.of_jobseeker(jobseeker_id)

    async def meetings_of(self, viewer: Person) -> list[Meeting]:
        """Every meeting the viewer attends, in the circles they may still see; for a job
        seeker also their team meetings (which they do not attend, but may send points to)."""
        if viewer.role is Role.JOBBSOKER:
            return await self._uow.meetings.of_jobseeker(viewer.id)
        visible = []
        for meeting in await self._uow.meetings.of_attendee(viewer.id):
            if await self._may_see(viewer, meeting.jobseeker_id):
                visible.append(meeting)
        return visible

    async def recipients(self, meeting: Meeting) -> list[Person]:
        """Attendees who may be told about this meeting now: the job seeker and approved members.

        Someone removed from the circle after being put on the meeting is left out here.
        """
        allowed = {meeting.jobseeker_id} | {
            m.member_id
            for m in await self._uow.memberships.of_jobseeker(meeting.jobseeker_id)
            if m.approved
        }
        people = []
        for attendee in meeting.attendees:
            if attendee.person_id in allowed:
                person = await self._uow.people.get(attendee.person_id)
                if person is not None:
                    people.append(person)
        return people

    async def preparation_status(self, viewer: Person, meeting: Meeting) -> str | None:
        """How far the job seeker has come with preparing this meeting — the status only,
        never the content — for the job seeker and their jobbspesialist ("hidden" when the
        job seeker chose so); None for others."""
        memberships = await self._uow.memberships.of_jobseeker(meeting.jobseeker_id)
        if viewer.id != meeting.jobseeker_id:
            if not may_manage(viewer, meeting.jobseeker_id, memberships):
                return None
            jobseeker = await self._uow.people.get(meeting.jobseeker_id)
            if jobseeker is None or not jobseeker.shows_prep_status:
                return "hidden"
        preparation = await self._uow.preparations.for_meeting(meeting.id)
        if preparation is None or (
            preparation.status is PrepStatus.IN_PROGRESS and preparation.answers.empty
        ):
            return "not_started"
        return preparation.status.value

    # -- sharing --------------------------------------------------------------------------------

    async def share_recipients(self, jobseeker: Person, meeting: Meeting) -> list[Person]:
        """Who the job seeker may share this meeting's agenda with: approved members attending."""
        if meeting.jobseeker_id != jobseeker.id:
            raise NotAllowed
        return [p for p in await self.recipients(meeting) if p.id != jobseeker.id]

    async def own_shares(self, jobseeker: Person) -> list[Share]:
        """The job seeker's share log, newest first."""
        if jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return await self._uow.shares.of_jobseeker(jobseeker.id)

    async def own_share(self, jobseeker: Person, share_id: int) -> Share:
        return _owned(await self._uow.shares.get(share_id), jobseeker)

    async def managed_shares(self, viewer: Person, jobseeker_id: int) -> list[Share]:
        """The job seeker's shares, for withdrawing them when the jobbspesialist ends the
        participation (everyone leaves the circle); never their content."""
        await self.managed_jobseeker(viewer, jobseeker_id)
        return await self._uow.shares.of_jobseeker(jobseeker_id)

    async def received_share(self, viewer: Person, share_id: int) -> Share:
        """A copy shared with the viewer, still active, from a circle they are still in."""
        share = await self._uow.shares.get(share_id)
        if (
            share is None
            or share.recipient_id != viewer.id
            or not share.active
            or not await self._may_see(viewer, share.jobseeker_id)
        ):
            raise NotAllowed
        return share

    async def shared_with(self, viewer: Person, meeting: Meeting) -> bool | None:
        """Whether the job seeker has shared this meeting's agenda with the viewer (a
        jobbspesialist's /moeter says so); None for anyone else."""
        if viewer.role is not Role.JOBBSPESIALIST or viewer.id == meeting.jobseeker_id:
            return None
        return any(
            share.active and share.recipient_id == viewer.id and share.meeting_id == meeting.id
            for share in await self._uow.shares.of_recipient(viewer.id)
        )

    async def shared_version(self, viewer: Person, share: Share) -> AgendaVersion:
        """The version a share carried, to rebuild that same copy (when the meeting moves): for
        the job seeker and their jobbspesialist, and only ever sent where the consent says."""
        if viewer.id != share.jobseeker_id:
            await self.managed_jobseeker(viewer, share.jobseeker_id)
        version = await self._uow.agendas.get(share.version_id)
        if version is None or version.jobseeker_id != share.jobseeker_id:
            raise NotAllowed
        return version

    async def own_versions(self, jobseeker: Person, preparation_id: int) -> list[AgendaVersion]:
        """The versions of the job seeker's own agenda, oldest first."""
        if await self.own_preparation(jobseeker, preparation_id) is None:
            raise NotAllowed
        return await self._uow.agendas.of_preparation(preparation_id)

    async def own_version(self, jobseeker: Person, version_id: int) -> AgendaVersion:
        version = await self._uow.agendas.get(version_id)
        if version is None or version.jobseeker_id != jobseeker.id:
            raise NotAllowed
        return version

    # -- reminders ------------------------------------------------------------------------------

    async def reminded_meeting(self, meeting_id: int) -> Meeting | None:
        """A meeting as the bot itself sees it when one of its reminders is due (no viewer: it
        acts for nobody). Who may still be told about it is decided by ``recipients``."""
        return await self._uow.meetings.get(meeting_id)

    async def reminded_person(self, person_id: int) -> Person | None:
        """Whose chat an unpin is for: only ever to undo, in their own chat, what was done there."""
        return await self._uow.people.get(person_id)

    async def turned_off(self, person: Person) -> frozenset[Kind]:
        """The kinds of reminder the person turned off with /varsler (their own choice)."""
        return await self._uow.reminders.turned_off(person.id)

    async def preparation_for(self, jobseeker: Person, meeting: Meeting) -> Preparation | None:
        """The job seeker's own preparation for their meeting (for the agenda pinned that day)."""
        if jobseeker.role is not Role.JOBBSOKER or meeting.jobseeker_id != jobseeker.id:
            raise NotAllowed
        return await self._uow.preparations.for_meeting(meeting.id)

    # -- the job seeker's own preparations ------------------------------------------------------

    async def own_preparations(self, jobseeker: Person) -> list[Preparation]:
        """The job seeker's own preparations, newest first."""
        if jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return await self._uow.preparations.of_jobseeker(jobseeker.id)

    async def own_preparation(self, jobseeker: Person, preparation_id: int) -> Preparation | None:
        """One of the job seeker's own preparations; None if it is gone (or not theirs)."""
        preparation = await self._uow.preparations.get(preparation_id)
        if preparation is None or preparation.jobseeker_id != jobseeker.id:
            return None
        return preparation

    # -- the person's own data (/mine_data, /slett) ------------------------------------------

    async def everything_about(
        self, person: Person | None, address: str
    ) -> dict[str, list[dict[str, Any]]]:
        """Every row stored about the person acting (or, before they registered, about their
        address), table by table: only ever their own. A professional's own tasks in someone
        else's record carry their words where the message and ``/avtalt`` show them (shared
        with them and not taken back, or written by them), as the file must say no less."""
        tables = await self._uow.personal.export(person.id if person else 0, address)
        if person is not None and person.role is not Role.JOBBSOKER:
            words = {task.id: task.text for task, _ in await self.own_tasks(person)}
            for row in tables.get("tasks", []):
                if row.get("text") is None and row.get("id") in words:
                    row["text"] = words[row["id"]]
        return tables

    async def own_reminders(self, person: Person) -> list[Reminder]:
        """The reminders planned for the person themself, soonest first."""
        return await self._uow.reminders.of_person(person.id)

    async def own_memberships(self, member: Person) -> list[tuple[Membership, Person | None]]:
        """The professional's place in each circle, with the job seeker where they may still
        see them (approved); None where they no longer may."""
        found: list[tuple[Membership, Person | None]] = []
        for membership in await self._uow.memberships.of_member(member.id):
            jobseeker = (
                await self._uow.people.get(membership.jobseeker_id) if membership.approved else None
            )
            found.append((membership, jobseeker))
        return found

    async def received_shares(self, recipient: Person) -> list[Share]:
        """The copies shared with the person (the log of them, never their content)."""
        return await self._uow.shares.of_recipient(recipient.id)

    async def received_agreement_shares(self, recipient: Person) -> list[Share]:
        """The copies of what was agreed shared with the person (the log, never the content)."""
        return await self._uow.agreement_shares.of_recipient(recipient.id)

    async def sole_specialist_for(self, specialist: Person) -> list[Person]:
        """The job seekers who have no other approved jobbspesialist than ``specialist``."""
        if specialist.role is not Role.JOBBSPESIALIST:
            return []
        alone = []
        for jobseeker in await self.jobseekers_of(specialist):
            others = [
                m
                for m in await self._uow.memberships.of_jobseeker(jobseeker.id)
                if m.approved and m.role is Role.JOBBSPESIALIST and m.member_id != specialist.id
            ]
            if not others:
                alone.append(jobseeker)
        return alone

    # -- after the meeting: the follow-up, what was agreed, what carries over -----------------

    async def own_followup(self, jobseeker: Person, meeting: Meeting) -> FollowUp | None:
        """The job seeker's own follow-up of their meeting (private to them)."""
        if jobseeker.role is not Role.JOBBSOKER or meeting.jobseeker_id != jobseeker.id:
            raise NotAllowed
        return await self._uow.followups.for_meeting(meeting.id)

    async def agreements(self, viewer: Person, meeting: Meeting) -> list[Agreement]:
        """What was agreed at the meeting, oldest version first: every version for the
        jobbspesialist who writes it down; for the job seeker those sent to them."""
        if viewer.id == meeting.jobseeker_id and viewer.role is Role.JOBBSOKER:
            return [a for a in await self._uow.agreements.of_meeting(meeting.id) if a.sent]
        await self.managed_jobseeker(viewer, meeting.jobseeker_id)
        return await self._uow.agreements.of_meeting(meeting.id)

    async def agreement(self, viewer: Person, agreement_id: int) -> Agreement:
        """One version of what was agreed, for the job seeker (once sent to them) and their
        jobbspesialist."""
        agreement = await self._uow.agreements.get(agreement_id)
        if agreement is None:
            raise NotAllowed
        if viewer.id == agreement.jobseeker_id and viewer.role is Role.JOBBSOKER:
            if not agreement.sent:
                raise NotAllowed
            return agreement
        await self.managed_jobseeker(viewer, agreement.jobseeker_id)
        return agreement

    async def own_agreement_shares(self, jobseeker: Person) -> list[Share]:
        """The share log of what was agreed, newest first (the job seeker's own)."""
        if jobseeker.role is not Role.JOBBSOKER:
            raise NotAllowed
        return await self._uow.agreement_shares.of_jobseeker(jobseeker.id)

    async def own_agreement_share(self, jobseeker: Person, share_id: int) -> Share:
        return _owned(await self._uow.agreement_shares.get(share_id), jobseeker)

    async def managed_agreement_shares(self, viewer: Person, jobseeker_id: int) -> list[Share]:
        """For withdrawing them when someone leaves the circle; never their content."""
        await self.managed_jobseeker(viewer, jobseeker_id)
        return await self._uow.agreement_shares.of_jobseeker(jobseeker_id)

    async def received_agreements(self, viewer: Person) -> list[tuple[Share, Agreement]]:
        """What was agreed that job seekers shared with the viewer, still active, newest first."""
        found = []
        for share in await self._uow.agreement_shares.of_recipient(viewer.id):
            if share.active and await self._may_see(viewer, share.jobseeker_id):
                agreement = await self._uow.agreements.get(share.version_id)
                if agreement is not None:
                    found.append((share, agreement))
        return found

    async def received_agreement_share(self, viewer: Person, share_id: int) -> Share:
        share = await self._uow.agreement_shares.get(share_id)
        if (
            share is None
            or share.recipient_id != viewer.id
            or not share.active
            or not await self._may_see(viewer, share.jobseeker_id)
        ):
            raise NotAllowed
        return share

    async def written_agreements(self, author: Person) -> list[tuple[Agreement, Meeting | None]]:
        """Per meeting, the newest version of what was agreed that the person wrote down, with
        the meeting while they may still see its job seeker (None once they may not)."""
        newest: dict[int, Agreement] = {}
        for agreement in await self._uow.agreements.of_author(author.id):  # oldest first
            newest[agreement.meeting_id] = agreement
        found: list[tuple[Agreement, Meeting | None]] = []
        for agreement in newest.values():
            meeting = None
            if await self._may_see(author, agreement.jobseeker_id):
                meeting = await self._uow.meetings.get(agreement.meeting_id)
            found.append((agreement, meeting))
        return found

    async def own_tasks(self, owner: Person) -> list[tuple[Task, Meeting]]:
        """The person's own tasks in what was agreed, as ``/avtalt`` shows them: per meeting,
        from the newest version they wrote down or that was shared with them and not taken
        back (of that one, only the tasks shared), in circles they may still see."""
        # Each version with the keys shared of it (None: all of it, they wrote it down).
        held: list[tuple[Agreement, frozenset[str] | None]] = [
            (a, None) for a in await self._uow.agreements.of_author(owner.id)
        ]
        for share in await self._uow.agreement_shares.of_recipient(owner.id):
            version = await self._uow.agreements.get(share.version_id) if share.active else None
            if version is not None:
                held.append((version, share.keys))
        newest: dict[int, tuple[Agreement, frozenset[str] | None]] = {}
        # Oldest first (of one version, the whole of what they wrote after a share of it):
        # the last one per meeting wins.
        for agreement, keys in sorted(held, key=lambda h: (h[0].number, h[1] is None)):
            newest[agreement.meeting_id] = (agreement, keys)
        found: list[tuple[Task, Meeting]] = []
        for agreement, shared in newest.values():
            if not await self._may_see(owner, agreement.jobseeker_id):
                continue
            meeting = await self._uow.meetings.get(agreement.meeting_id)
            if meeting is None:
                continue
            found += [
                (task, meeting)
                for task in agreement.tasks
                if task.owner_id == owner.id and (shared is None or task.key in shared)
            ]
        return sorted(found, key=lambda pair: (pair[1].starts_at, pair[0].number))

    async def carry_over(self, viewer: Person, jobseeker_id: int) -> CarryOver | None:
        """What carries over to the job seeker's next preparation: theirs alone (it holds what
        their follow-up said was not talked about, which is private to them)."""
        if viewer.id != jobseeker_id or viewer.role is not Role.JOBBSOKER:
            raise NotAllowed
        return await self._uow.carryovers.get(jobseeker_id)

    async def names(self, viewer: Person, jobseeker_id: int) -> dict[int, Person]:
        """The people the viewer may name in the job seeker's circle (to say whose a task is):
        the job seeker and the members the viewer may see."""
        jobseeker = await self.jobseeker(viewer, jobseeker_id)
        people = {jobseeker.id: jobseeker}
        for member in await self.circle(viewer, jobseeker_id):
            if member.membership.approved:
                people[member.person.id] = member.person
        return people

    # -- the bot itself: task reminders, the team's counters, retention ------------------------

    async def task_visible(
        self, person: Person, meeting: Meeting, number: int, due_on: date
    ) -> Task | None:
        """Whether the person is to be reminded of task ``number`` (with this date) of what was
        agreed at the meeting: their own task, still in what they have — for the job seeker and
        the jobbspesialist who wrote it, the newest version sent; for anyone else a version
        shared with them and not taken back — in a circle they are still in."""
        if not await self._may_see(person, meeting.jobseeker_id):
            return None

        def theirs(agreement: Agreement) -> Task | None:
            task = agreement.task(number)
            if task is not None and task.owner_id == person.id and task.due_on == due_on:
                return task
            return None

        sent = [a for a in await self._uow.agreements.of_meeting(meeting.id) if a.sent]
        if not sent:
            return None
        if person.id in {meeting.jobseeker_id, sent[-1].author_id}:
            return theirs(sent[-1])
        by_id = {a.id: a for a in sent}
        key = f"task:{number}"
        for share in await self._uow.agreement_shares.of_recipient(person.id):
            if share.active and share.version_id in by_id and key in share.keys:
                task = theirs(by_id[share.version_id])
                if task is not None:
                    return task
        return None

    async def carried_task(
        self, person: Person, meeting: Meeting, number: int, due_on: date
    ) -> CarriedTask | None:
        """The same, for a task retention moved into the job seeker's carry-over: reminded of
        only if it was shared with its owner when it carried over."""
        if not await self._may_see(person, meeting.jobseeker_id):
            return None
        carried = await self._uow.carryovers.get(meeting.jobseeker_id)
        if carried is None or carried.meeting_id != meeting.id:
            return None
        return next(
            (
                t
                for t in carried.last_time.tasks
                if t.number == number and t.due_on == due_on and person.id in t.remind
            ),
            None,
        )

    async def untallied_meetings(self, ended_before: datetime) -> list[Meeting]:
        return await self._uow.meetings.untallied(ended_before)

    async def meetings_past_retention(self, ended_before: datetime) -> list[Meeting]:
        return await self._uow.meetings.past_retention(ended_before)

    async def stale_preparations(self, before: datetime) -> list[Preparation]:
        return await self._uow.preparations.stale(before)

    async def expired_carry_overs(self, now: datetime) -> list[int]:
        return await self._uow.carryovers.expired(now)

    async def retained_meeting(self, meeting: Meeting) -> RetainedMeeting:
        """Everything retention deletes or carries over for one meeting, as the bot sees it."""
        jobseeker = await self._uow.people.get(meeting.jobseeker_id)
        return RetainedMeeting(
            jobseeker=jobseeker,
            preparations=[
                p
                for p in await self._uow.preparations.of_jobseeker(meeting.jobseeker_id)
                if p.meeting_id == meeting.id
            ],
            followup=await self._uow.followups.for_meeting(meeting.id),
            agreements=await self._uow.agreements.of_meeting(meeting.id),
        )

    async def retained_shares(self, jobseeker_id: int) -> tuple[list[Share], list[Share]]:
        """A job seeker's shares of the agenda and of what was agreed (retention withdraws the
        copies of what it deletes)."""
        return (
            await self._uow.shares.of_jobseeker(jobseeker_id),
            await self._uow.agreement_shares.of_jobseeker(jobseeker_id),
        )

    async def retained_versions(self, preparation_id: int) -> list[AgendaVersion]:
        return await self._uow.agendas.of_preparation(preparation_id)

    async def someone(self, person_id: int) -> Person | None:
        """A person the bot must reach on its own (a recipient whose copy retention takes back)."""
        return await self._uow.people.get(person_id)

    async def _members(self, jobseeker_id: int, statuses: set[Status]) -> list[Member]:
        members = []
        for membership in await self._uow.memberships.of_jobseeker(jobseeker_id):
            person = await self._uow.people.get(membership.member_id)
            if membership.status in statuses and person is not None:
                members.append(Member(membership, person))
        return members

    async def _may_see(self, viewer: Person, jobseeker_id: int) -> bool:
        return may_see(viewer, jobseeker_id, await self._uow.memberships.of_jobseeker(jobseeker_id))


def _owned(share: Share | None, jobseeker: Person) -> Share:
    """A share from the job seeker's own log; anyone else's (or none) is refused."""
    if share is None or share.jobseeker_id != jobseeker.id:
        raise NotAllowed
    return share
