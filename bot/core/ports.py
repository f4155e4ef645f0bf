"""What the core needs from the outside world, as Protocols. Storage and tests implement them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bot.core.messages import Delivery, Envelope, Menu, Reply
from bot.core.state import ConversationState
from bot.domain.agenda import AgendaVersion, Item
from bot.domain.agreements import Agreement, Task
from bot.domain.carryover import CarryOver, LastTime
from bot.domain.circle import Membership, Status
from bot.domain.consent import Share, ShareStatus
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.domain.followup import Answers as FollowUpAnswers
from bot.domain.followup import FollowUp
from bot.domain.invitations import Invitation
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.people import Employer, Locale, Person, Role
from bot.domain.preparation import Answers, Preparation, PrepStatus
from bot.domain.reminders import Kind, Planned, Reason, Reminder, ReminderStatus


class PeopleRepository(Protocol):
    async def get(self, person_id: int) -> Person | None: ...
    async def by_address(self, address: str) -> Person | None: ...
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
    ) -> Person: ...
    async def set_locale(self, person_id: int, locale: Locale) -> None: ...
    async def set_shows_prep_status(self, person_id: int, shows: bool) -> None:
        """Whether the job seeker's jobbspesialist sees how far the preparation has come."""
        ...

    async def count(self) -> int: ...
    async def all(self) -> list[Person]: ...
    async def with_role(self, role: Role) -> list[Person]: ...
    async def colleagues(
        self, role: Role, team: str | None, *, exclude: set[int], offset: int, limit: int
    ) -> list[Person]:
        """People with ``role`` on ``team`` (None: no team), in order of registration."""
        ...

    async def delete(self, person_id: int) -> None: ...


class InvitationRepository(Protocol):
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
    ) -> Invitation: ...
    async def get(self, invitation_id: int) -> Invitation | None: ...
    async def by_token_hash(self, token_hash: str) -> Invitation | None: ...
    async def claim(self, invitation_id: int, address: str) -> None: ...
    async def mark_used(self, invitation_id: int, at: datetime) -> None: ...
    async def release(self, invitation_id: int) -> None:
        """Forget which account opened it (after a no, nothing about the person is kept)."""
        ...

    async def revoke(self, invitation_id: int, at: datetime) -> None: ...
    async def open(self, now: datetime) -> list[Invitation]:
        """Not used, not revoked, not expired."""
        ...

    async def attempt(self, address: str, kind: str, at: datetime) -> None:
        """Count one opening of a link by ``address``: "failed" (the link did not work) or
        "told" (the account was asked to wait)."""
        ...

    async def attempts(self, address: str, kind: str, since: datetime) -> list[datetime]:
        """When ``address`` made attempts of ``kind`` since then, oldest first."""
        ...

    async def forget_attempts(self, before: datetime) -> int:
        """Forget attempts older than ``before``; how many went."""
        ...


class MembershipRepository(Protocol):
    async def add(
        self, *, jobseeker_id: int, member_id: int, role: Role, status: Status, at: datetime
    ) -> Membership: ...
    async def get(self, membership_id: int) -> Membership | None: ...
    async def of_jobseeker(self, jobseeker_id: int) -> list[Membership]: ...
    async def of_member(self, member_id: int) -> list[Membership]: ...
    async def set_status(self, membership_id: int, status: Status, at: datetime) -> None: ...


class PreparationRepository(Protocol):
    async def add(
        self, *, jobseeker_id: int, meeting_id: int | None, at: datetime
    ) -> Preparation: ...
    async def get(self, preparation_id: int) -> Preparation | None: ...
    async def of_jobseeker(self, jobseeker_id: int) -> list[Preparation]:
        """Newest first."""
        ...

    async def for_meeting(self, meeting_id: int) -> Preparation | None:
        """The (newest) preparation for a meeting."""
        ...

    async def save(
        self, preparation_id: int, answers: Answers, status: PrepStatus, at: datetime
    ) -> None: ...
    async def attach(self, preparation_id: int, meeting_id: int) -> None: ...
    async def stale(self, before: datetime) -> list[Preparation]:
        """Preparations without a meeting, or for a cancelled one, last changed before
        ``before`` (retention counts them from their last change)."""
        ...

    async def delete(self, preparation_id: int) -> None:
        """With its agenda versions and their shares (purged from the WAL after the commit)."""
        ...


class AgendaRepository(Protocol):
    """Agenda versions: added, never changed (consent and the share log point at them)."""

    async def add(
        self, *, preparation_id: int, jobseeker_id: int, items: Sequence[Item], at: datetime
    ) -> AgendaVersion:
        """A new version, numbered after the preparation's latest (1 for the first)."""
        ...

    async def get(self, version_id: int) -> AgendaVersion | None: ...
    async def latest(self, preparation_id: int) -> AgendaVersion | None: ...
    async def of_preparation(self, preparation_id: int) -> list[AgendaVersion]:
        """Oldest first."""
        ...


class ShareRepository(Protocol):
    """The share log."""

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
    ) -> Share: ...
    async def get(self, share_id: int) -> Share | None: ...
    async def of_jobseeker(self, jobseeker_id: int) -> list[Share]:
        """Newest first."""
        ...

    async def of_recipient(self, recipient_id: int) -> list[Share]:
        """Newest first."""
        ...

    async def mark_read(self, share_id: int, at: datetime) -> None: ...
    async def end(self, share_id: int, status: ShareStatus, at: datetime) -> None:
        """Withdrawn or replaced (only a share still active changes)."""
        ...


class MeetingRepository(Protocol):
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
    ) -> Meeting: ...
    async def get(self, meeting_id: int) -> Meeting | None: ...
    async def of_jobseeker(self, jobseeker_id: int) -> list[Meeting]: ...
    async def of_attendee(self, person_id: int) -> list[Meeting]: ...
    async def reschedule(self, meeting_id: int, starts_at: datetime, ends_at: datetime) -> None: ...
    async def cancel(self, meeting_id: int) -> None: ...
    async def set_cannot_come(self, meeting_id: int, person_id: int) -> None: ...
    async def hand_over(self, meeting_id: int, previous_id: int, successor_id: int) -> None:
        """The successor takes the previous person's place as attendee and organiser."""
        ...

    async def untallied(self, ended_before: datetime) -> list[Meeting]:
        """Meetings that ended before ``ended_before`` and are not yet in the team's counters."""
        ...

    async def mark_tallied(self, meeting_id: int) -> None: ...
    async def past_retention(self, ended_before: datetime) -> list[Meeting]:
        """Meetings that ended before ``ended_before`` and still have a preparation, a
        follow-up or something agreed: retention's work."""
        ...


class FollowUpRepository(Protocol):
    """The job seeker's follow-up after each meeting (one per meeting)."""

    async def for_meeting(self, meeting_id: int) -> FollowUp | None: ...
    async def save(
        self, *, meeting_id: int, jobseeker_id: int, answers: FollowUpAnswers, at: datetime
    ) -> FollowUp:
        """Store the answers (the first save makes the record)."""
        ...

    async def delete_for_meeting(self, meeting_id: int) -> None: ...


class AgreementRepository(Protocol):
    """What was agreed at a meeting: numbered versions with their tasks."""

    async def add(
        self,
        *,
        meeting_id: int,
        jobseeker_id: int,
        author_id: int,
        at: datetime,
        copy_of: Agreement | None = None,
    ) -> Agreement:
        """A new draft version, numbered after the meeting's latest; with the tasks and the next
        meeting of ``copy_of`` (their numbers kept), if given."""
        ...

    async def get(self, agreement_id: int) -> Agreement | None: ...
    async def of_meeting(self, meeting_id: int) -> list[Agreement]:
        """Oldest first."""
        ...

    async def of_jobseeker(self, jobseeker_id: int) -> list[Agreement]:
        """Newest first."""
        ...

    async def of_author(self, author_id: int) -> list[Agreement]:
        """The versions the person wrote down, oldest first."""
        ...

    async def add_task(
        self,
        agreement_id: int,
        *,
        owner_role: Role,
        owner_id: int | None,
        text: str,
        due_on: date | None,
    ) -> Task:
        """A task, numbered after every task of the meeting so far (a number is never reused)."""
        ...

    async def remove_task(self, agreement_id: int, number: int) -> None: ...
    async def set_next_meeting(self, agreement_id: int, meeting_id: int | None) -> None: ...
    async def mark_sent(self, agreement_id: int, at: datetime) -> None: ...
    async def task(self, task_id: int) -> tuple[Agreement, Task] | None:
        """A task and the version it belongs to (a task reminder names it)."""
        ...

    async def delete_for_meeting(self, meeting_id: int) -> None:
        """Every version, with its tasks and shares (purged from the WAL after the commit)."""
        ...


class CarryOverRepository(Protocol):
    """One per job seeker: what carries over from a meeting whose preparation is deleted."""

    async def get(self, jobseeker_id: int) -> CarryOver | None: ...
    async def put(
        self,
        *,
        jobseeker_id: int,
        meeting_id: int | None,
        last_time: LastTime,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        """Store it, replacing the job seeker's earlier one."""
        ...

    async def delete(self, jobseeker_id: int) -> None: ...
    async def expired(self, now: datetime) -> list[int]:
        """The job seekers whose carry-over has expired."""
        ...


class CounterRepository(Protocol):
    """The team's anonymous counters: numbers per team and month, nothing about a person."""

    async def add(self, team: str, month: str, changes: Mapping[str, int]) -> None: ...
    async def counts(self, team: str, first: str, last: str) -> dict[tuple[str, str], int]:
        """(month, name) -> value for the months ``first`` … ``last`` (YYYY-MM)."""
        ...

    async def teams(self) -> list[str]: ...


class ConversationRepository(Protocol):
    async def get(self, address: str) -> ConversationState: ...
    async def save(
        self, address: str, state: ConversationState, at: datetime | None = None
    ) -> None: ...
    async def forget(self, address: str) -> None: ...
    async def let_go(self, idle_since: datetime, at: datetime) -> int:
        """Retention: let go of conversations idle since before ``idle_since`` and what was
        typed in them (a registered person in a flow keeps only the ``LET_GO`` mark)."""
        ...


class InboxRepository(Protocol):
    """Updates as received: stored before the transport acknowledges them, kept until handled."""

    async def add(self, update_id: int, lane: str, body: str, at: datetime) -> bool:
        """Store a received update; False when it was received before (a redelivery)."""
        ...

    async def claim(self, update_id: int, at: datetime, status: str = "handled") -> bool:
        """Settle the update as handled (or failed), dropping its body; an id never stored is
        recorded now. False if it was settled before: a redelivery."""
        ...

    async def body(self, update_id: int) -> str | None:
        """The raw update, while it waits to be handled."""
        ...

    async def waiting(self) -> list[tuple[int, str]]:
        """(update_id, lane) of every update not yet handled, oldest first."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget settled updates older than ``before``; how many went."""
        ...


class OutboxRepository(Protocol):
    """Messages owed to people, each with what became of it."""

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
    ) -> int: ...
    async def get(self, delivery_id: int) -> Delivery | None: ...
    async def next_for(self, address: str) -> Delivery | None:
        """The oldest unsettled delivery for ``address``: deliveries go out in order."""
        ...

    async def set_status(self, delivery_id: int, status: DeliveryStatus) -> None: ...
    async def progress(self, delivery_id: int, parts_done: int, message_ids: list[int]) -> None:
        """Some parts of a long message went out; the rest follow."""
        ...

    async def settle(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        at: datetime,
        message_ids: list[int] | None = None,
    ) -> None:
        """The delivery's end (its body is dropped): sent, failed, unreachable, unknown, expired."""
        ...

    async def by_ref(self, ref: str) -> list[Delivery]:
        """Every delivery that belongs to ``ref`` (a share's copies), oldest first."""
        ...

    async def unsettled(self) -> list[Delivery]:
        """Every delivery not yet settled, oldest first (at start-up)."""
        ...

    async def unsettled_addresses(self) -> list[str]: ...
    async def prune(self, before: datetime) -> int:
        """Forget settled deliveries older than ``before`` that nothing refers to."""
        ...

    async def forget_settled(self) -> int:
        """Delete the settled deliveries kept under ``FORGET`` (what was left of someone who
        deleted their data) that no withdrawal still needs; how many went."""
        ...

    async def sent_message(self, address: str, ref: str) -> int | None:
        """The transport's id of the (first part of the) message sent to ``address`` with
        ``ref``; None if it was not sent (a pin pins it, an unpin takes it down)."""
        ...

    async def mark_unreachable(self, address: str, at: datetime) -> None: ...
    async def is_unreachable(self, address: str) -> bool: ...
    async def reachable(self, address: str) -> None:
        """The person wrote: they can be reached again."""
        ...


class ReminderRepository(Protocol):
    """Reminders (``bot.domain.reminders``) and the kinds each person turned off."""

    async def add(
        self, meeting_id: int, planned: Planned, at: datetime, *, about: int | None = None
    ) -> Reminder: ...
    async def get(self, reminder_id: int) -> Reminder | None: ...
    async def of_meeting(self, meeting_id: int) -> list[Reminder]:
        """Every reminder of a meeting (pending and settled), oldest first."""
        ...

    async def of_person(self, person_id: int) -> list[Reminder]:
        """Every reminder for a person (pending and settled), soonest first."""
        ...

    async def drop(self, reminder_id: int) -> None:
        """Forget a pending reminder (the meeting moved, or the person no longer attends)."""
        ...

    async def settle(
        self, reminder_id: int, status: ReminderStatus, reason: Reason | None, at: datetime
    ) -> None: ...
    async def move(self, reminder_id: int, due_at: datetime) -> None: ...
    async def due(
        self, until: datetime, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, datetime]]:
        """(id, due) of pending reminders due before ``until`` with an id above ``after_id``,
        soonest first."""
        ...

    async def last_id(self) -> int: ...
    async def turned_off(self, person_id: int) -> frozenset[Kind]: ...
    async def turn(self, person_id: int, kind: Kind, on: bool) -> None: ...


class PersonalDataRepository(Protocol):
    """Everything stored about one person, for ``/mine_data`` and ``/slett``."""

    async def export(self, person_id: int, address: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, table by table, every column (decrypted)."""
        ...

    async def erase(
        self, person_id: int, address: str, *, keep: Collection[int], at: datetime
    ) -> None:
        """Delete everything about the person; the deliveries in ``keep`` (copies being
        withdrawn) and withdrawals under way stay until they are settled (``FORGET``)."""
        ...


class MetaRepository(Protocol):
    """Small facts about this installation (the bot's username, ...)."""

    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it is committed together or not at all."""

    # Read-only properties, so an implementation may hold more specific repository types.
    @property
    def people(self) -> PeopleRepository: ...
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def meta(self) -> MetaRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def preparations(self) -> PreparationRepository: ...
    @property
    def agendas(self) -> AgendaRepository: ...
    @property
    def shares(self) -> ShareRepository: ...
    @property
    def inbox(self) -> InboxRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def reminders(self) -> ReminderRepository: ...
    @property
    def personal(self) -> PersonalDataRepository: ...
    @property
    def followups(self) -> FollowUpRepository: ...
    @property
    def agreements(self) -> AgreementRepository: ...
    @property
    def agreement_shares(self) -> ShareRepository: ...
    @property
    def carryovers(self) -> CarryOverRepository: ...
    @property
    def counters(self) -> CounterRepository: ...

    async def commit(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class Composer(Protocol):
    """Renders messages when they are committed (the renderer implements it)."""

    def compose(self, reply: Reply, now: datetime) -> Envelope: ...
    def menu(self, menu: Menu) -> Envelope: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...
