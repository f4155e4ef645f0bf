"""In-memory adapters for the core's ports: they record what happened, and roll back like SQL."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from types import TracebackType
from typing import Any, Self

from bot.core.messages import Delivery, Envelope
from bot.core.state import LET_GO, ConversationState
from bot.domain.agenda import AgendaVersion, Item
from bot.domain.agreements import Agreement, AgreementStatus, Task
from bot.domain.carryover import CarryOver, LastTime
from bot.domain.circle import Membership, Status
from bot.domain.consent import Share, ShareStatus
from bot.domain.delivery import FORGET, DeliveryStatus, Guarantee, Op
from bot.domain.followup import Answers as FollowUpAnswers
from bot.domain.followup import FollowUp
from bot.domain.invitations import Invitation
from bot.domain.meetings import Attendee, Meeting, MeetingKind, MeetingStatus
from bot.domain.people import Employer, Locale, Person, Role
from bot.domain.preparation import Answers, Preparation, PrepStatus
from bot.domain.reminders import Kind, Planned, Reason, Reminder, ReminderStatus


@dataclass
class Store:
    """Everything 'in the database'. A unit of work edits a copy and swaps it in on commit."""

    people: dict[int, Person] = field(default_factory=dict)
    invitations: dict[int, Invitation] = field(default_factory=dict)
    hashes: dict[str, int] = field(default_factory=dict)
    attempts: list[tuple[str, str, datetime]] = field(default_factory=list)
    conversations: dict[str, ConversationState] = field(default_factory=dict)
    conversations_at: dict[str, datetime] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    memberships: dict[int, Membership] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    preparations: dict[int, Preparation] = field(default_factory=dict)
    agendas: dict[int, AgendaVersion] = field(default_factory=dict)
    shares: dict[int, Share] = field(default_factory=dict)
    inbox: dict[int, str] = field(default_factory=dict)  # update_id -> status
    outbox: dict[int, Delivery] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)
    reminders: dict[int, Reminder] = field(default_factory=dict)
    reminders_off: set[tuple[int, Kind]] = field(default_factory=set)
    last_reminder: int = 0  # ids are never used twice (AUTOINCREMENT)
    followups: dict[int, FollowUp] = field(default_factory=dict)  # by meeting id
    agreements: dict[int, Agreement] = field(default_factory=dict)
    agreement_shares: dict[int, Share] = field(default_factory=dict)
    carryovers: dict[int, CarryOver] = field(default_factory=dict)  # by job seeker id
    counters: dict[tuple[str, str, str], int] = field(default_factory=dict)
    tallied: set[int] = field(default_factory=set)
    last_task: int = 0
    commits: int = 0


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class _People:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, person_id: int) -> Person | None:
        return self._data.people.get(person_id)

    async def by_address(self, address: str) -> Person | None:
        # Yield to the loop like real I/O, so a missing per-person lock would show.
        await asyncio.sleep(0)
        return next((p for p in self._data.people.values() if p.address == address), None)

    async def add(
        self,
        *,
        role: Role,
        name: str,
        locale: Locale,
        address: str,
        created_at: datetime,
        employer: Employer | None = None,
        team: str | None = None,
        workplace: str | None = None,
    ) -> Person:
        if any(p.address == address for p in self._data.people.values()):
            raise ValueError("UNIQUE constraint failed: people.address")
        person = Person(
            max(self._data.people, default=0) + 1,
            role,
            name,
            locale,
            address,
            created_at,
            employer,
            team,
            workplace,
        )
        self._data.people[person.id] = person
        return person

    async def set_locale(self, person_id: int, locale: Locale) -> None:
        self._data.people[person_id] = replace(self._data.people[person_id], locale=locale)

    async def set_shows_prep_status(self, person_id: int, shows: bool) -> None:
        person = self._data.people[person_id]
        self._data.people[person_id] = replace(person, shows_prep_status=shows)

    async def count(self) -> int:
        return len(self._data.people)

    async def all(self) -> list[Person]:
        return list(self._data.people.values())

    async def with_role(self, role: Role) -> list[Person]:
        return [p for p in self._data.people.values() if p.role is role]

    async def colleagues(
        self, role: Role, team: str | None, *, exclude: set[int], offset: int, limit: int
    ) -> list[Person]:
        found = [
            p
            for _, p in sorted(self._data.people.items())
            if p.role is role and p.team == team and p.id not in exclude
        ]
        return found[offset : offset + limit]

    async def delete(self, person_id: int) -> None:
        # As SQLite's foreign keys do: memberships, a job seeker's meetings and preparations.
        self._data.people.pop(person_id, None)
        for key, m in list(self._data.memberships.items()):
            if person_id in {m.jobseeker_id, m.member_id}:
                del self._data.memberships[key]
        for key, meeting in list(self._data.meetings.items()):
            if meeting.jobseeker_id == person_id:
                del self._data.meetings[key]
        for key, preparation in list(self._data.preparations.items()):
            if preparation.jobseeker_id == person_id:
                del self._data.preparations[key]
        for key, version in list(self._data.agendas.items()):
            if version.jobseeker_id == person_id:
                del self._data.agendas[key]


class _Invitations:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self,
        *,
        token_hash: str,
        role: Role,
        name: str | None,
        created_at: datetime,
        expires_at: datetime,
        employer: Employer | None = None,
        team: str | None = None,
        jobseeker_id: int | None = None,
        created_by: int | None = None,
    ) -> Invitation:
        invitation = Invitation(
            len(self._data.invitations) + 1,
            role,
            name,
            created_at,
            expires_at,
            employer,
            team,
            jobseeker_id=jobseeker_id,
            created_by=created_by,
        )
        self._data.invitations[invitation.id] = invitation
        self._data.hashes[token_hash] = invitation.id
        return invitation

    async def get(self, invitation_id: int) -> Invitation | None:
        return self._data.invitations.get(invitation_id)

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        invitation_id = self._data.hashes.get(token_hash)
        return self._data.invitations.get(invitation_id) if invitation_id else None

    async def claim(self, invitation_id: int, address: str) -> None:
        invitation = self._data.invitations[invitation_id]
        if invitation.claimed_by is None:
            self._data.invitations[invitation_id] = replace(invitation, claimed_by=address)

    async def mark_used(self, invitation_id: int, at: datetime) -> None:
        invitation = self._data.invitations[invitation_id]
        self._data.invitations[invitation_id] = replace(invitation, used_at=at)

    async def release(self, invitation_id: int) -> None:
        invitation = self._data.invitations[invitation_id]
        self._data.invitations[invitation_id] = replace(invitation, claimed_by=None)

    async def revoke(self, invitation_id: int, at: datetime) -> None:
        invitation = self._data.invitations[invitation_id]
        self._data.invitations[invitation_id] = replace(invitation, revoked_at=at)

    async def open(self, now: datetime) -> list[Invitation]:
        return [
            i
            for i in self._data.invitations.values()
            if i.used_at is None and i.revoked_at is None and i.expires_at > now
        ]

    async def attempt(self, address: str, kind: str, at: datetime) -> None:
        self._data.attempts.append((address, kind, at))

    async def attempts(self, address: str, kind: str, since: datetime) -> list[datetime]:
        return sorted(
            at for a, k, at in self._data.attempts if (a, k) == (address, kind) and at >= since
        )

    async def forget_attempts(self, before: datetime) -> int:
        kept = [row for row in self._data.attempts if row[2] >= before]
        gone = len(self._data.attempts) - len(kept)
        self._data.attempts = kept
        return gone


class _Conversations:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, address: str) -> ConversationState:
        await asyncio.sleep(0)
        return copy.deepcopy(self._data.conversations.get(address, ConversationState()))

    async def save(
        self, address: str, state: ConversationState, at: datetime | None = None
    ) -> None:
        self._data.conversations[address] = copy.deepcopy(state)
        self._data.conversations_at[address] = at or datetime.now(UTC)

    async def forget(self, address: str) -> None:
        self._data.conversations.pop(address, None)
        self._data.conversations_at.pop(address, None)

    async def let_go(self, idle_since: datetime, at: datetime) -> int:
        registered = {p.address for p in self._data.people.values()}
        let_go = 0
        for address, when in list(self._data.conversations_at.items()):
            if when >= idle_since:
                continue
            state = self._data.conversations[address]
            let_go += state.active
            if state.active and address in registered:
                await self.save(address, ConversationState(locale=state.locale), at)
                self._data.conversations[address].marks = {LET_GO: 1}
            else:
                await self.forget(address)
        return let_go


class _Memberships:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self, *, jobseeker_id: int, member_id: int, role: Role, status: Status, at: datetime
    ) -> Membership:
        existing = next(
            (
                m
                for m in self._data.memberships.values()
                if (m.jobseeker_id, m.member_id) == (jobseeker_id, member_id)
            ),
            None,
        )
        membership_id = existing.id if existing else len(self._data.memberships) + 1
        membership = Membership(membership_id, jobseeker_id, member_id, role, status, at)
        self._data.memberships[membership_id] = membership
        return membership

    async def get(self, membership_id: int) -> Membership | None:
        return self._data.memberships.get(membership_id)

    async def of_jobseeker(self, jobseeker_id: int) -> list[Membership]:
        return [m for m in self._data.memberships.values() if m.jobseeker_id == jobseeker_id]

    async def of_member(self, member_id: int) -> list[Membership]:
        return [m for m in self._data.memberships.values() if m.member_id == member_id]

    async def set_status(self, membership_id: int, status: Status, at: datetime) -> None:
        membership = self._data.memberships[membership_id]
        self._data.memberships[membership_id] = replace(membership, status=status)


class _Meetings:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self,
        *,
        jobseeker_id: int,
        organiser_id: int,
        starts_at: datetime,
        ends_at: datetime,
        place: str,
        attendee_ids: list[int],
        at: datetime,
        kind: MeetingKind = MeetingKind.SAMARBEIDSMOTE,
    ) -> Meeting:
        meeting = Meeting(
            len(self._data.meetings) + 1,
            jobseeker_id,
            organiser_id,
            starts_at,
            ends_at,
            place,
            MeetingStatus.PLANNED,
            0,
            tuple(Attendee(i) for i in dict.fromkeys(attendee_ids)),
            kind,
        )
        self._data.meetings[meeting.id] = meeting
        return meeting

    async def untallied(self, ended_before: datetime) -> list[Meeting]:
        return sorted(
            (
                m
                for m in self._data.meetings.values()
                if m.id not in self._data.tallied
                and m.status is MeetingStatus.PLANNED
                and m.ends_at < ended_before
            ),
            key=lambda m: m.ends_at,
        )

    async def mark_tallied(self, meeting_id: int) -> None:
        self._data.tallied.add(meeting_id)

    async def past_retention(self, ended_before: datetime) -> list[Meeting]:
        data = self._data
        return sorted(
            (
                m
                for m in data.meetings.values()
                if m.ends_at < ended_before
                and (
                    (
                        m.status is MeetingStatus.PLANNED
                        and any(p.meeting_id == m.id for p in data.preparations.values())
                    )
                    or m.id in data.followups
                    or any(a.meeting_id == m.id for a in data.agreements.values())
                )
            ),
            key=lambda m: m.ends_at,
        )

    async def get(self, meeting_id: int) -> Meeting | None:
        return self._data.meetings.get(meeting_id)

    async def of_jobseeker(self, jobseeker_id: int) -> list[Meeting]:
        return sorted(
            (m for m in self._data.meetings.values() if m.jobseeker_id == jobseeker_id),
            key=lambda m: m.starts_at,
        )

    async def of_attendee(self, person_id: int) -> list[Meeting]:
        return sorted(
            (m for m in self._data.meetings.values() if m.attends(person_id)),
            key=lambda m: m.starts_at,
        )

    async def reschedule(self, meeting_id: int, starts_at: datetime, ends_at: datetime) -> None:
        m = self._data.meetings[meeting_id]
        attendees = tuple(Attendee(a.person_id) for a in m.attendees)
        self._data.meetings[meeting_id] = replace(
            m, starts_at=starts_at, ends_at=ends_at, sequence=m.sequence + 1, attendees=attendees
        )

    async def cancel(self, meeting_id: int) -> None:
        m = self._data.meetings[meeting_id]
        self._data.meetings[meeting_id] = replace(
            m, status=MeetingStatus.CANCELLED, sequence=m.sequence + 1
        )

    async def hand_over(self, meeting_id: int, previous_id: int, successor_id: int) -> None:
        m = self._data.meetings[meeting_id]
        if not m.attends(previous_id):
            return
        ids = [successor_id if a.person_id == previous_id else a.person_id for a in m.attendees]
        attendees = tuple(
            Attendee(i) if i == successor_id else next(a for a in m.attendees if a.person_id == i)
            for i in dict.fromkeys(ids)
        )
        organiser = successor_id if m.organiser_id == previous_id else m.organiser_id
        self._data.meetings[meeting_id] = replace(m, attendees=attendees, organiser_id=organiser)

    async def set_cannot_come(self, meeting_id: int, person_id: int) -> None:
        m = self._data.meetings[meeting_id]
        attendees = tuple(
            Attendee(a.person_id, a.cannot_come or a.person_id == person_id) for a in m.attendees
        )
        self._data.meetings[meeting_id] = replace(m, attendees=attendees)


class _Meta:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, key: str) -> str | None:
        return self._data.meta.get(key)

    async def set(self, key: str, value: str) -> None:
        self._data.meta[key] = value


class _Preparations:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(self, *, jobseeker_id: int, meeting_id: int | None, at: datetime) -> Preparation:
        preparation = Preparation(
            len(self._data.preparations) + 1,
            jobseeker_id,
            meeting_id,
            PrepStatus.IN_PROGRESS,
            Answers(),
            at,
        )
        self._data.preparations[preparation.id] = preparation
        return copy.deepcopy(preparation)

    async def get(self, preparation_id: int) -> Preparation | None:
        return copy.deepcopy(self._data.preparations.get(preparation_id))

    async def of_jobseeker(self, jobseeker_id: int) -> list[Preparation]:
        found = [p for p in self._data.preparations.values() if p.jobseeker_id == jobseeker_id]
        return copy.deepcopy(sorted(found, key=lambda p: p.id, reverse=True))

    async def for_meeting(self, meeting_id: int) -> Preparation | None:
        found = [p for p in self._data.preparations.values() if p.meeting_id == meeting_id]
        return copy.deepcopy(max(found, key=lambda p: p.id)) if found else None

    async def save(
        self, preparation_id: int, answers: Answers, status: PrepStatus, at: datetime
    ) -> None:
        p = self._data.preparations[preparation_id]
        self._data.preparations[preparation_id] = replace(
            p, answers=copy.deepcopy(answers), status=status, updated_at=at
        )

    async def attach(self, preparation_id: int, meeting_id: int) -> None:
        p = self._data.preparations[preparation_id]
        self._data.preparations[preparation_id] = replace(p, meeting_id=meeting_id)

    async def stale(self, before: datetime) -> list[Preparation]:
        data = self._data
        found = [
            p
            for p in data.preparations.values()
            if p.updated_at < before
            and (
                p.meeting_id is None
                or (
                    p.meeting_id in data.meetings
                    and data.meetings[p.meeting_id].status is MeetingStatus.CANCELLED
                )
            )
        ]
        return copy.deepcopy(sorted(found, key=lambda p: p.id))

    async def delete(self, preparation_id: int) -> None:
        """With its versions and their shares, as the cascade does."""
        data = self._data
        data.preparations.pop(preparation_id, None)
        versions = {v.id for v in data.agendas.values() if v.preparation_id == preparation_id}
        for version_id in versions:
            del data.agendas[version_id]
        for share_id in [i for i, s in data.shares.items() if s.version_id in versions]:
            del data.shares[share_id]


class _Agendas:
    """Agenda versions; like the table, refuses a version of a preparation that is not there."""

    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self, *, preparation_id: int, jobseeker_id: int, items: Sequence[Item], at: datetime
    ) -> AgendaVersion:
        if preparation_id not in self._data.preparations:
            raise ValueError("FOREIGN KEY constraint failed")
        versions = await self.of_preparation(preparation_id)
        version = AgendaVersion(
            max(self._data.agendas, default=0) + 1,
            preparation_id,
            jobseeker_id,
            versions[-1].number + 1 if versions else 1,
            tuple(items),
            at,
        )
        self._data.agendas[version.id] = version
        return version

    async def get(self, version_id: int) -> AgendaVersion | None:
        return self._data.agendas.get(version_id)

    async def latest(self, preparation_id: int) -> AgendaVersion | None:
        versions = await self.of_preparation(preparation_id)
        return versions[-1] if versions else None

    async def of_preparation(self, preparation_id: int) -> list[AgendaVersion]:
        found = [v for v in self._data.agendas.values() if v.preparation_id == preparation_id]
        return sorted(found, key=lambda v: v.number)


class _Shares:
    def __init__(self, data: Store, log: str = "shares") -> None:
        self._data = data
        self._log = log

    @property
    def _shares(self) -> dict[int, Share]:
        shares: dict[int, Share] = getattr(self._data, self._log)
        return shares

    async def add(
        self,
        *,
        jobseeker_id: int,
        recipient_id: int,
        recipient_role: Role,
        meeting_id: int | None,
        version_id: int,
        keys: frozenset[str],
        journal: bool,
        at: datetime,
    ) -> Share:
        share = Share(
            max(self._shares, default=0) + 1,
            jobseeker_id,
            recipient_id,
            recipient_role,
            meeting_id,
            version_id,
            frozenset(keys),
            journal,
            ShareStatus.SHARED,
            at,
        )
        self._shares[share.id] = share
        return share

    async def get(self, share_id: int) -> Share | None:
        return self._shares.get(share_id)

    async def of_jobseeker(self, jobseeker_id: int) -> list[Share]:
        found = [s for s in self._shares.values() if s.jobseeker_id == jobseeker_id]
        return sorted(found, key=lambda s: s.id, reverse=True)

    async def of_recipient(self, recipient_id: int) -> list[Share]:
        found = [s for s in self._shares.values() if s.recipient_id == recipient_id]
        return sorted(found, key=lambda s: s.id, reverse=True)

    async def mark_read(self, share_id: int, at: datetime) -> None:
        share = self._shares[share_id]
        if share.read_at is None:
            self._shares[share_id] = replace(share, read_at=at)

    async def end(self, share_id: int, status: ShareStatus, at: datetime) -> None:
        share = self._shares[share_id]
        if share.active:
            self._shares[share_id] = replace(share, status=status, ended_at=at)


class _Inbox:
    """Only what the engine uses: which updates were handled."""

    def __init__(self, data: Store) -> None:
        self._data = data

    async def claim(self, update_id: int, at: datetime, status: str = "handled") -> bool:
        if self._data.inbox.get(update_id, "received") != "received":
            return False
        self._data.inbox[update_id] = status
        return True


class _Outbox:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self,
        *,
        address: str,
        op: Op,
        guarantee: Guarantee,
        envelope: Envelope,
        at: datetime,
        target_id: int | None = None,
        origin: str | None = None,
        ref: str | None = None,
        not_after: datetime | None = None,
    ) -> int:
        delivery_id = max(self._data.outbox, default=0) + 1
        self._data.outbox[delivery_id] = Delivery(
            delivery_id,
            address,
            op,
            guarantee,
            envelope,
            DeliveryStatus.QUEUED,
            at,
            target_id,
            origin,
            ref,
            not_after,
        )
        return delivery_id

    async def get(self, delivery_id: int) -> Delivery | None:
        return self._data.outbox.get(delivery_id)

    async def next_for(self, address: str) -> Delivery | None:
        return next(
            (
                d
                for _, d in sorted(self._data.outbox.items())
                if d.address == address and not d.status.settled
            ),
            None,
        )

    async def set_status(self, delivery_id: int, status: DeliveryStatus) -> None:
        self._data.outbox[delivery_id] = replace(self._data.outbox[delivery_id], status=status)

    async def progress(self, delivery_id: int, parts_done: int, message_ids: list[int]) -> None:
        self._data.outbox[delivery_id] = replace(
            self._data.outbox[delivery_id], parts_done=parts_done, message_ids=tuple(message_ids)
        )

    async def settle(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        at: datetime,
        message_ids: list[int] | None = None,
    ) -> None:
        delivery = replace(
            self._data.outbox[delivery_id], status=status, envelope=Envelope(), settled_at=at
        )
        if message_ids is not None:
            delivery = replace(delivery, message_ids=tuple(message_ids))
        self._data.outbox[delivery_id] = delivery

    async def by_ref(self, ref: str) -> list[Delivery]:
        return [d for _, d in sorted(self._data.outbox.items()) if d.ref == ref]

    async def unsettled(self) -> list[Delivery]:
        return [d for _, d in sorted(self._data.outbox.items()) if not d.status.settled]

    async def unsettled_addresses(self) -> list[str]:
        return list(dict.fromkeys(d.address for d in await self.unsettled()))

    async def sent_message(self, address: str, ref: str) -> int | None:
        for _, d in sorted(self._data.outbox.items()):
            if d.address == address and d.ref == ref and d.op is Op.SEND:
                sent = d.status is DeliveryStatus.SENT and d.message_ids
                return d.message_ids[0] if sent else None
        return None

    async def forget_settled(self) -> int:
        needed = {
            d.target_id
            for d in self._data.outbox.values()
            if d.op is Op.WITHDRAW and not d.status.settled
        }
        gone = [
            i
            for i, d in self._data.outbox.items()
            if d.ref == FORGET and d.status.settled and i not in needed
        ]
        for delivery_id in gone:
            del self._data.outbox[delivery_id]
        return len(gone)

    async def mark_unreachable(self, address: str, at: datetime) -> None:
        self._data.unreachable.add(address)

    async def is_unreachable(self, address: str) -> bool:
        return address in self._data.unreachable

    async def reachable(self, address: str) -> None:
        self._data.unreachable.discard(address)


class _Reminders:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self, meeting_id: int, planned: Planned, at: datetime, *, about: int | None = None
    ) -> Reminder:
        if meeting_id not in self._data.meetings:
            raise ValueError("FOREIGN KEY constraint failed")
        self._data.last_reminder += 1
        reminder = Reminder(
            self._data.last_reminder,
            meeting_id,
            planned.person_id,
            planned.kind,
            planned.label,
            planned.due_at,
            planned.for_start,
            about=about,
        )
        self._data.reminders[reminder.id] = reminder
        return reminder

    async def get(self, reminder_id: int) -> Reminder | None:
        return self._data.reminders.get(reminder_id)

    async def of_meeting(self, meeting_id: int) -> list[Reminder]:
        return [r for _, r in sorted(self._data.reminders.items()) if r.meeting_id == meeting_id]

    async def of_person(self, person_id: int) -> list[Reminder]:
        found = [r for r in self._data.reminders.values() if r.person_id == person_id]
        return sorted(found, key=lambda r: (r.due_at, r.id))

    async def drop(self, reminder_id: int) -> None:
        reminder = self._data.reminders.get(reminder_id)
        if reminder is not None and reminder.pending:
            del self._data.reminders[reminder_id]

    async def settle(
        self, reminder_id: int, status: ReminderStatus, reason: Reason | None, at: datetime
    ) -> None:
        reminder = self._data.reminders[reminder_id]
        self._data.reminders[reminder_id] = replace(reminder, status=status, reason=reason)

    async def move(self, reminder_id: int, due_at: datetime) -> None:
        reminder = self._data.reminders[reminder_id]
        if reminder.pending:
            self._data.reminders[reminder_id] = replace(reminder, due_at=due_at)

    async def due(
        self, until: datetime, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, datetime]]:
        found = [
            (r.due_at, r.id)
            for r in self._data.reminders.values()
            if r.pending and r.due_at < until and r.id > after_id
        ]
        return [(i, due) for due, i in sorted(found)[:limit]]

    async def last_id(self) -> int:
        return self._data.last_reminder

    async def turned_off(self, person_id: int) -> frozenset[Kind]:
        return frozenset(kind for who, kind in self._data.reminders_off if who == person_id)

    async def turn(self, person_id: int, kind: Kind, on: bool) -> None:
        if on:
            self._data.reminders_off.discard((person_id, kind))
        else:
            self._data.reminders_off.add((person_id, kind))


def _row(record: object) -> dict[str, Any]:
    """A dataclass as a row of plain values (what SQLite would hold)."""
    plain = {Enum: lambda v: v.value, datetime: lambda v: v.isoformat()}
    return {
        key: next((f(value) for kind, f in plain.items() if isinstance(value, kind)), value)
        for key, value in asdict(record).items()  # type: ignore[call-overload]
    }


class _Personal:
    """What the SQLite export and erasure do, on the in-memory store (the rows it can hold)."""

    def __init__(self, data: Store) -> None:
        self._data = data

    async def export(self, person_id: int, address: str) -> dict[str, list[dict[str, Any]]]:
        data = self._data
        person = data.people.get(person_id)
        return {
            "people": [_row(person)] if person else [],
            "memberships": [
                _row(m)
                for m in data.memberships.values()
                if person_id in {m.jobseeker_id, m.member_id}
            ],
            "conversations": [{"address": address}] if address in data.conversations else [],
            "invitations": [],
            "outbox": [{"id": i} for i, d in data.outbox.items() if d.address == address],
            "inbox": [],
        }

    async def erase(
        self, person_id: int, address: str, *, keep: Collection[int], at: datetime
    ) -> None:
        data = self._data
        for delivery_id in keep:
            data.outbox[delivery_id] = replace(data.outbox[delivery_id], ref=FORGET)
        shares = {
            s.id for s in data.shares.values() if person_id in {s.jobseeker_id, s.recipient_id}
        }
        refs = {f"share:{i}" for i in shares}
        for key, delivery in list(data.outbox.items()):
            if delivery.ref in refs or (delivery.address == address and delivery.ref != FORGET):
                del data.outbox[key]
            elif delivery.origin == address:
                data.outbox[key] = replace(delivery, origin=None)
        data.conversations.pop(address, None)
        data.unreachable.discard(address)
        for key, share in list(data.shares.items()):
            if share.jobseeker_id == person_id:
                del data.shares[key]
            elif share.recipient_id == person_id:
                data.shares[key] = replace(share, recipient_id=None)
        for key, reminder in list(data.reminders.items()):
            meeting = data.meetings.get(reminder.meeting_id)
            if reminder.person_id == person_id or (meeting and meeting.jobseeker_id == person_id):
                del data.reminders[key]
        data.reminders_off = {(p, k) for p, k in data.reminders_off if p != person_id}
        for key, meeting in list(data.meetings.items()):
            if meeting.jobseeker_id != person_id and meeting.attends(person_id):
                attendees = tuple(a for a in meeting.attendees if a.person_id != person_id)
                organiser = None if meeting.organiser_id == person_id else meeting.organiser_id
                data.meetings[key] = replace(meeting, attendees=attendees, organiser_id=organiser)
        await _People(data).delete(person_id)


class _FollowUps:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def for_meeting(self, meeting_id: int) -> FollowUp | None:
        return copy.deepcopy(self._data.followups.get(meeting_id))

    async def save(
        self, *, meeting_id: int, jobseeker_id: int, answers: FollowUpAnswers, at: datetime
    ) -> FollowUp:
        if meeting_id not in self._data.meetings:
            raise ValueError("FOREIGN KEY constraint failed")
        found = self._data.followups.get(meeting_id)
        followup = FollowUp(
            found.id if found else len(self._data.followups) + 1,
            meeting_id,
            jobseeker_id,
            copy.deepcopy(answers),
            at,
        )
        self._data.followups[meeting_id] = followup
        return copy.deepcopy(followup)

    async def delete_for_meeting(self, meeting_id: int) -> None:
        self._data.followups.pop(meeting_id, None)


class _Agreements:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(
        self,
        *,
        meeting_id: int,
        jobseeker_id: int,
        author_id: int,
        at: datetime,
        copy_of: Agreement | None = None,
    ) -> Agreement:
        if meeting_id not in self._data.meetings:
            raise ValueError("FOREIGN KEY constraint failed")
        versions = await self.of_meeting(meeting_id)
        tasks = ()
        if copy_of is not None:
            tasks = tuple(replace(t, id=self._task_id()) for t in copy_of.tasks)
        agreement = Agreement(
            max(self._data.agreements, default=0) + 1,
            meeting_id,
            jobseeker_id,
            author_id,
            versions[-1].number + 1 if versions else 1,
            AgreementStatus.DRAFT,
            tasks,
            copy_of.next_meeting_id if copy_of else None,
            at,
        )
        self._data.agreements[agreement.id] = agreement
        return agreement

    async def get(self, agreement_id: int) -> Agreement | None:
        return self._data.agreements.get(agreement_id)

    async def of_meeting(self, meeting_id: int) -> list[Agreement]:
        found = [a for a in self._data.agreements.values() if a.meeting_id == meeting_id]
        return sorted(found, key=lambda a: a.number)

    async def of_jobseeker(self, jobseeker_id: int) -> list[Agreement]:
        found = [a for a in self._data.agreements.values() if a.jobseeker_id == jobseeker_id]
        return sorted(found, key=lambda a: a.id, reverse=True)

    async def of_author(self, author_id: int) -> list[Agreement]:
        found = [a for a in self._data.agreements.values() if a.author_id == author_id]
        return sorted(found, key=lambda a: a.id)

    async def add_task(
        self,
        agreement_id: int,
        *,
        owner_role: Role,
        owner_id: int | None,
        text: str,
        due_on: date | None,
    ) -> Task:
        agreement = self._data.agreements[agreement_id]
        numbers = [
            t.number
            for a in self._data.agreements.values()
            if a.meeting_id == agreement.meeting_id
            for t in a.tasks
        ]
        task = Task(
            self._task_id(), max(numbers, default=0) + 1, owner_role, owner_id, text, due_on
        )
        self._data.agreements[agreement_id] = replace(agreement, tasks=(*agreement.tasks, task))
        return task

    async def remove_task(self, agreement_id: int, number: int) -> None:
        agreement = self._data.agreements[agreement_id]
        tasks = tuple(t for t in agreement.tasks if t.number != number)
        self._data.agreements[agreement_id] = replace(agreement, tasks=tasks)

    async def set_next_meeting(self, agreement_id: int, meeting_id: int | None) -> None:
        agreement = self._data.agreements[agreement_id]
        self._data.agreements[agreement_id] = replace(agreement, next_meeting_id=meeting_id)

    async def mark_sent(self, agreement_id: int, at: datetime) -> None:
        agreement = self._data.agreements[agreement_id]
        self._data.agreements[agreement_id] = replace(
            agreement, status=AgreementStatus.SENT, sent_at=at
        )

    async def task(self, task_id: int) -> tuple[Agreement, Task] | None:
        for agreement in self._data.agreements.values():
            for task in agreement.tasks:
                if task.id == task_id:
                    return agreement, task
        return None

    async def delete_for_meeting(self, meeting_id: int) -> None:
        gone = {i for i, a in self._data.agreements.items() if a.meeting_id == meeting_id}
        for agreement_id in gone:
            del self._data.agreements[agreement_id]
        shares = self._data.agreement_shares
        for share_id in [i for i, s in shares.items() if s.version_id in gone]:
            del shares[share_id]

    def _task_id(self) -> int:
        self._data.last_task += 1
        return self._data.last_task


class _CarryOvers:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def get(self, jobseeker_id: int) -> CarryOver | None:
        return self._data.carryovers.get(jobseeker_id)

    async def put(
        self,
        *,
        jobseeker_id: int,
        meeting_id: int | None,
        last_time: LastTime,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        self._data.carryovers[jobseeker_id] = CarryOver(
            jobseeker_id, meeting_id, last_time, at, expires_at
        )

    async def delete(self, jobseeker_id: int) -> None:
        self._data.carryovers.pop(jobseeker_id, None)

    async def expired(self, now: datetime) -> list[int]:
        return sorted(i for i, c in self._data.carryovers.items() if c.expires_at <= now)


class _Counters:
    def __init__(self, data: Store) -> None:
        self._data = data

    async def add(self, team: str, month: str, changes: Mapping[str, int]) -> None:
        for name, change in changes.items():
            key = (team, month, name)
            self._data.counters[key] = self._data.counters.get(key, 0) + change

    async def counts(self, team: str, first: str, last: str) -> dict[tuple[str, str], int]:
        return {
            (month, name): value
            for (t, month, name), value in self._data.counters.items()
            if t == team and first <= month <= last
        }

    async def teams(self) -> list[str]:
        return sorted({team for team, _, _ in self._data.counters})


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self._store = store
        # Deliveries are immutable: a shallow copy is enough, and keeps a long test fast.
        self._working = copy.deepcopy(
            replace(store, outbox={}, inbox={}, shares={}, agreement_shares={})
        )
        self._working.outbox, self._working.inbox = dict(store.outbox), dict(store.inbox)
        self._working.shares = dict(store.shares)
        self._working.agreement_shares = dict(store.agreement_shares)
        self.people = _People(self._working)
        self.invitations = _Invitations(self._working)
        self.conversations = _Conversations(self._working)
        self.meta = _Meta(self._working)
        self.memberships = _Memberships(self._working)
        self.meetings = _Meetings(self._working)
        self.preparations = _Preparations(self._working)
        self.agendas = _Agendas(self._working)
        self.inbox = _Inbox(self._working)
        self.outbox = _Outbox(self._working)
        self.shares = _Shares(self._working)
        self.reminders = _Reminders(self._working)
        self.personal = _Personal(self._working)
        self.followups = _FollowUps(self._working)
        self.agreements = _Agreements(self._working)
        self.agreement_shares = _Shares(self._working, "agreement_shares")
        self.carryovers = _CarryOvers(self._working)
        self.counters = _Counters(self._working)
        self.committed = False

    async def __aenter__(self) -> Self:
        return self

    async def commit(self) -> None:
        for name in (
            "people",
            "invitations",
            "hashes",
            "attempts",
            "conversations",
            "meta",
            "memberships",
            "meetings",
            "preparations",
            "agendas",
            "shares",
            "inbox",
            "outbox",
            "unreachable",
            "reminders",
            "reminders_off",
            "last_reminder",
            "followups",
            "agreements",
            "agreement_shares",
            "carryovers",
            "counters",
            "tallied",
            "last_task",
        ):
            value = getattr(self._working, name)
            shallow = name in {"outbox", "inbox", "shares", "agreement_shares"}
            setattr(self._store, name, copy.copy(value) if shallow else copy.deepcopy(value))
        self._store.commits += 1
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None
