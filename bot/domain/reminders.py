"""Reminders: when each is due, and whether a due one still makes sense — pure rules, no I/O.

Four kinds, all tied to one meeting and one person:

- ``prep``: the job seeker's invitation to prepare (``MOTEKLAR_PREP_REMINDER`` before the
  meeting), only while they have not finished; "remind me tomorrow" makes another one;
- ``meeting``: to everyone attending, at each ``MOTEKLAR_MEETING_REMINDERS`` offset;
- ``pin``: the job seeker's agenda pinned in their chat on the meeting day, when quiet hours end
  (sent silently: it is there when they look; the meeting reminders are the ones that ring);
- ``unpin``: the pin taken down again when the meeting has ended (made when the pin is sent);
- ``followup``: ``MOTEKLAR_FOLLOWUP_AFTER`` after the meeting's end, the job seeker's reflection
  ("Fikk du tatt opp det som var viktigst for deg?") and the organiser's nudge to write down
  what was agreed;
- ``task``: on a task's date, to its owner, only while the task is shared with them (planned
  by ``bot.core.services.agreements``, not with the meeting).

Times are planned in the meeting's local time zone. Quiet hours move a reminder to the end of the
quiet window if that is still at least an hour before the meeting, otherwise to just before the
window starts. A reminder is checked again when it is due: late ones are sent only while they
still make sense, and a later reminder that is also due makes an earlier one superfluous.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from bot.domain.durations import Duration, QuietHours, Unit

# Quiet hours may move a reminder to the end of the window only if that leaves this much time
# before the meeting (product.md: "at least an hour").
QUIET_MARGIN = timedelta(hours=1)
# "Just before the window starts".
JUST_BEFORE = timedelta(minutes=1)
# "Remind me tomorrow": one calendar day later, and only while that is this long before the
# meeting (time enough to prepare).
SNOOZE = Duration(1, Unit.DAYS)
SNOOZE_LABEL = "later"


class Kind(Enum):
    PREP = "prep"
    MEETING = "meeting"
    PIN = "pin"
    UNPIN = "unpin"
    FOLLOWUP = "followup"
    TASK = "task"


# What a person can turn off with /varsler (an unpin always follows its pin). The follow-up
# after a meeting goes to the job seeker and to the jobbspesialist who organised it.
JOBSEEKER_KINDS = (Kind.PREP, Kind.MEETING, Kind.PIN, Kind.FOLLOWUP, Kind.TASK)
SPECIALIST_KINDS = (Kind.MEETING, Kind.FOLLOWUP, Kind.TASK)
PROFESSIONAL_KINDS = (Kind.MEETING, Kind.TASK)
# A follow-up is worth sending for a week after the meeting; later it only nags.
FOLLOWUP_WINDOW = timedelta(days=7)


class ReminderStatus(Enum):
    PENDING = "pending"
    SENT = "sent"  # handed to the outbox (which records whether it arrived)
    SKIPPED = "skipped"  # due, but it no longer made sense (see Reason)


class Reason(Enum):
    """Why a due reminder was not sent."""

    GONE = "gone"  # the meeting is cancelled or moved, or the person may no longer be told
    CANNOT_COME = "cannot_come"
    LATE = "late"  # past the moment it could help (the bot was down)
    QUIET = "quiet"  # due in quiet hours, and no time left after them
    OFF = "off"  # turned off with /varsler
    PREPARED = "prepared"  # a prep invitation to someone who has finished preparing
    SUPERSEDED = "superseded"  # a later reminder for the same meeting is due as well
    NOTHING = "nothing"  # an unpin with nothing pinned


@dataclass(frozen=True)
class Policy:
    """The installation's reminder settings (from MOTEKLAR_*), with product.md's defaults."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Oslo"))
    prep: Duration = field(default_factory=lambda: Duration(3, Unit.DAYS))
    meeting: tuple[Duration, ...] = field(
        default_factory=lambda: (Duration(1, Unit.DAYS), Duration(2, Unit.HOURS))
    )
    quiet: QuietHours | None = field(default_factory=lambda: QuietHours(time(21), time(8)))
    followup: Duration = field(default_factory=lambda: Duration(2, Unit.HOURS))

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def days_until(self, start: datetime, now: datetime) -> int:
        """Calendar days from ``now`` to ``start``, in local time: 0 today, 1 tomorrow."""
        return (self.local(start).date() - self.local(now).date()).days


@dataclass(frozen=True)
class Planned:
    """A reminder to be stored: for whom, what, when; ``for_start`` is the meeting's start it
    was planned for (a moved meeting gets new reminders; the old ones are dropped)."""

    person_id: int
    kind: Kind
    label: str
    due_at: datetime
    for_start: datetime
    task_id: int | None = None  # a task reminder: the task it is about

    @property
    def key(self) -> tuple[int, Kind, str, datetime]:
        return (self.person_id, self.kind, self.label, self.for_start.astimezone(UTC))


@dataclass(frozen=True)
class Reminder:
    id: int
    meeting_id: int
    person_id: int
    kind: Kind
    label: str
    due_at: datetime
    for_start: datetime
    status: ReminderStatus = ReminderStatus.PENDING
    reason: Reason | None = None
    about: int | None = None  # an unpin: the pin reminder it undoes
    task_id: int | None = None  # a task reminder: the task it is about

    @property
    def key(self) -> tuple[int, Kind, str, datetime]:
        return (self.person_id, self.kind, self.label, self.for_start.astimezone(UTC))

    @property
    def pending(self) -> bool:
        return self.status is ReminderStatus.PENDING


# -- quiet hours -------------------------------------------------------------------------------


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """``clock`` on ``day`` in ``zone``, as an instant. A wall time that a DST change skips
    (02.30 on the spring night) is read with the offset before the change: 03.30."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def quiet_window(moment: datetime, quiet: QuietHours, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The quiet window that contains ``moment`` (which must lie in one): its start and end."""
    local = moment.astimezone(zone)
    day = local.date()
    wraps = quiet.start > quiet.end
    if wraps and local.time() < quiet.end:
        start_day, end_day = day - timedelta(days=1), day
    elif wraps:
        start_day, end_day = day, day + timedelta(days=1)
    else:
        start_day = end_day = day
    return _wall(start_day, quiet.start, zone), _wall(end_day, quiet.end, zone)


def in_quiet_hours(moment: datetime, policy: Policy) -> bool:
    return policy.quiet is not None and policy.quiet.contains(policy.local(moment).time())


def out_of_quiet_hours(due: datetime, start: datetime, policy: Policy) -> datetime:
    """``due``, or where quiet hours move it: to the end of the window if that is still at least
    an hour before the meeting ``start``, otherwise to just before the window starts."""
    if policy.quiet is None or not in_quiet_hours(due, policy):
        return due
    window_start, window_end = quiet_window(due, policy.quiet, policy.zone)
    if window_end <= start - QUIET_MARGIN:
        return window_end
    return window_start - JUST_BEFORE


def after_quiet_hours(due: datetime, policy: Policy) -> datetime:
    """``due``, or the end of the quiet window it falls in (nothing after a meeting is urgent:
    it waits for the morning)."""
    if policy.quiet is None or not in_quiet_hours(due, policy):
        return due
    return quiet_window(due, policy.quiet, policy.zone)[1]


# -- planning ---------------------------------------------------------------------------------


def prep_deadline(due: datetime, start: datetime) -> datetime:
    """Until when a prep invitation planned for ``due`` can still help: halfway from then to the
    meeting. A late invitation still leaves at least half the time meant for preparing; past
    that, the meeting reminders and /forbered are enough."""
    return due + (start - due) / 2


def planned_prep(start: datetime, policy: Policy, offset: Duration | None = None) -> datetime:
    """When the prep invitation for a meeting at ``start`` is meant to come."""
    before = (offset or policy.prep).before(policy.local(start))
    return out_of_quiet_hours(before, start, policy)


def deadline(
    kind: Kind, label: str, due: datetime, start: datetime, end: datetime, policy: Policy
) -> datetime | None:
    """Past this moment a reminder is not sent (and its message, if queued, expires).

    A prep invitation counts from when it was meant to come (its label is the offset it was
    planned with), even when it was made late; "remind me tomorrow" counts from tomorrow.
    """
    if kind is Kind.PREP:
        meant = due
        if label != SNOOZE_LABEL:
            with suppress(ValueError):  # a label from older settings: count from its due
                meant = min(due, planned_prep(start, policy, Duration.parse(label)))
        return prep_deadline(meant, start)
    if kind is Kind.MEETING:
        return start
    if kind is Kind.PIN:
        return end
    if kind is Kind.FOLLOWUP:
        return end + FOLLOWUP_WINDOW
    if kind is Kind.TASK:
        return task_deadline(task_date(label), policy)
    return None  # an unpin is never too late


def day_start(start: datetime, policy: Policy) -> datetime:
    """The beginning of the meeting's day, in local time."""
    return _wall(policy.local(start).date(), time(0), policy.zone)


def followup_due(end: datetime, policy: Policy) -> datetime:
    """When the follow-up after a meeting ending at ``end`` is due: ``MOTEKLAR_FOLLOWUP_AFTER``
    later, and out of quiet hours (in the morning, if that falls in the night)."""
    return after_quiet_hours(policy.followup.after(policy.local(end)), policy)


def plan(
    start: datetime,
    attendees: Iterable[tuple[int, bool]],
    policy: Policy,
    now: datetime,
    *,
    end: datetime | None = None,
    organiser: int | None = None,
) -> list[Planned]:
    """The reminders for a meeting at ``start`` and its attendees ((person id, is the job
    seeker)), as of ``now``.

    A meeting reminder whose time has already passed is not made: the message that the meeting
    was planned or moved says it all. A prep invitation that is already due is made for now while
    it can still help. The pin is due when the meeting day begins, out of quiet hours (at once, if
    that is past). Given the meeting's ``end``, the follow-up is planned for the job seeker (if
    attending) and the ``organiser``.
    """
    local_start = policy.local(start)
    planned: list[Planned] = []
    for person_id, jobseeker in attendees:
        if end is not None and (jobseeker or person_id == organiser):
            due = followup_due(end, policy)
            planned.append(Planned(person_id, Kind.FOLLOWUP, str(policy.followup), due, start))
        if jobseeker:
            meant = planned_prep(start, policy)
            due = meant if meant > now else out_of_quiet_hours(now, start, policy)
            if now <= due < prep_deadline(meant, start):
                planned.append(Planned(person_id, Kind.PREP, str(policy.prep), due, start))
            pin = max(out_of_quiet_hours(day_start(start, policy), start, policy), now)
            if pin < start:
                planned.append(Planned(person_id, Kind.PIN, "", pin, start))
        seen: set[datetime] = set()
        for offset in policy.meeting:
            due = out_of_quiet_hours(offset.before(local_start), start, policy)
            if due <= now or due >= start or due in seen:
                continue  # past, or two offsets moved to the same moment by quiet hours
            seen.add(due)
            planned.append(Planned(person_id, Kind.MEETING, str(offset), due, start))
    return planned


def snoozed(now: datetime, start: datetime, policy: Policy) -> datetime | None:
    """When "remind me tomorrow" reminds: a calendar day from now, out of quiet hours; None when
    that would not leave time to prepare before the meeting."""
    due = out_of_quiet_hours(SNOOZE.after(policy.local(now)), start, policy)
    if due <= now or due > start - QUIET_MARGIN:
        return None
    return due


def task_due(due_on: date, policy: Policy, now: datetime) -> datetime | None:
    """When a task's reminder comes: the morning of its date (the start of the day, out of quiet
    hours), or now if that has passed and it is still the day; None once the day is over."""
    morning = after_quiet_hours(_wall(due_on, time(0), policy.zone), policy)
    if morning > now:
        return morning
    if task_deadline(due_on, policy) <= now:
        return None
    return after_quiet_hours(now, policy)


def task_deadline(due_on: date, policy: Policy) -> datetime:
    """A task's reminder is not sent after its day (it would only say it is too late)."""
    return _wall(due_on + timedelta(days=1), time(0), policy.zone)


def task_label(number: int, due_on: date) -> str:
    """A task reminder's label: the task's number and date, so a new date is a new reminder."""
    return f"task:{number}@{due_on.isoformat()}"


def task_date(label: str) -> date:
    """The date in a task reminder's label."""
    return date.fromisoformat(label.rpartition("@")[2])


# -- when it is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send it now."""


@dataclass(frozen=True)
class Skip:
    reason: Reason


@dataclass(frozen=True)
class Later:
    """Due in quiet hours (it was late): send it at ``at`` instead."""

    at: datetime


Verdict = Send | Skip | Later


@dataclass(frozen=True)
class Facts:
    """What the core found out about a due reminder (through the Gate)."""

    meeting_planned: bool  # the meeting exists, is not cancelled, and starts when planned for
    starts_at: datetime
    ends_at: datetime
    may_tell: bool  # the person attends and may still be told about the meeting
    cannot_come: bool = False
    turned_off: bool = False  # /varsler
    prepared: bool = False  # the job seeker has finished preparing
    later_due: bool = False  # a later meeting reminder for the same meeting is due too


def deadline_of(
    reminder: Reminder, start: datetime, end: datetime, policy: Policy
) -> datetime | None:
    """:func:`deadline` for a planned reminder of a meeting from ``start`` to ``end``."""
    return deadline(reminder.kind, reminder.label, reminder.due_at, start, end, policy)


def verdict(reminder: Reminder, facts: Facts, now: datetime, policy: Policy) -> Verdict:
    """Whether a due reminder is sent now, later, or not at all (and why not)."""
    if not facts.meeting_planned or not facts.may_tell:
        return Skip(Reason.GONE)
    if facts.cannot_come:
        return Skip(Reason.CANNOT_COME)
    until = deadline_of(reminder, facts.starts_at, facts.ends_at, policy)
    if until is not None and now >= until:
        return Skip(Reason.LATE)
    if facts.turned_off:
        return Skip(Reason.OFF)
    if reminder.kind is Kind.PREP and facts.prepared:
        return Skip(Reason.PREPARED)
    if reminder.kind is Kind.MEETING and facts.later_due:
        return Skip(Reason.SUPERSEDED)
    if reminder.kind is not Kind.PIN and in_quiet_hours(now, policy):
        # Only a late reminder gets here (planned ones are out of quiet hours): nobody is woken.
        # A late pin goes at once: it arrives silently, and the agenda should be there.
        after = reminder.kind in {Kind.FOLLOWUP, Kind.TASK}  # the meeting is over: the morning
        moved = (
            after_quiet_hours(now, policy)
            if after
            else out_of_quiet_hours(now, facts.starts_at, policy)
        )
        if now < moved and (until is None or moved < until):
            return Later(moved)
        return Skip(Reason.QUIET)
    return Send()


def later_due(reminder: Reminder, others: Iterable[Reminder], now: datetime) -> bool:
    """Whether another meeting reminder to the same person for the same meeting time, meant for
    after this one, is due as well (both were missed): only the latest is worth sending. Of two
    moved to the same moment (by quiet hours), the one planned closer to the meeting counts as
    the later: it was made after it (ids grow in the order offsets are planned, largest first)."""
    return any(
        other.kind is Kind.MEETING
        and other.person_id == reminder.person_id
        and other.for_start == reminder.for_start
        and (reminder.due_at, reminder.id) < (other.due_at, other.id)
        and other.due_at <= now
        for other in others
    )
