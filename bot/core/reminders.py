"""Due reminders, sent through the outbox: the core side of the scheduler.

A transport owns its scheduler (Telegram: PTB's JobQueue); it asks ``Reminders.due`` for what is
due soon, runs ``fire`` when each one is due, and starts the deliveries ``fire`` returns.

``fire`` is one unit of work: it checks that the reminder still makes sense (the meeting is
planned, at the time the reminder was made for, and not yet begun; the person attends, may still
be told and has not said they cannot come; /varsler has not turned it off; a prep invitation only
while not prepared; see ``bot.domain.reminders.verdict``), stores the message in the outbox with
``ref="reminder:<id>"`` and ``not_after`` (the outbox records an ``unknown`` outcome), and marks
the reminder sent — all in one commit. A reminder is therefore handed to the outbox at most once,
however often its job runs, and a notice to someone else is never resent blindly.

```mermaid
stateDiagram-v2
    [*] --> pending: planned with the meeting (replanned with every change)
    pending --> sent: due, still makes sense: message in the outbox, same commit
    pending --> skipped: due, but cancelled, moved, late, off, prepared, superseded
    pending --> pending: due in quiet hours (late): moved to after them
    pending --> [*]: dropped (meeting moved or cancelled, person left)
```
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.access import Gate
from bot.core.buttons import button
from bot.core.delivery import enqueue
from bot.core.flows.base import Installation
from bot.core.messages import Button, Envelope, Reply
from bot.core.ports import Clock, Composer, UnitOfWork, UnitOfWorkFactory
from bot.core.services.meetings import meeting_buttons, meeting_details
from bot.core.text import N_
from bot.domain.agenda import agenda_items
from bot.domain.delivery import Guarantee, Op
from bot.domain.followup import Heard
from bot.domain.meetings import Meeting, MeetingStatus
from bot.domain.people import Person
from bot.domain.preparation import PrepStatus
from bot.domain.reminders import (
    Facts,
    Kind,
    Later,
    Planned,
    Reminder,
    ReminderStatus,
    Skip,
    Verdict,
    deadline_of,
    later_due,
    snoozed,
    task_date,
    verdict,
)

logger = logging.getLogger(__name__)

# A job may run a moment before the time stored (clocks, rounding): that still counts as due.
EARLY = timedelta(seconds=1)
ACTIONS = "rm"  # the buttons on reminders (bot.core.flows.reminders)
FOLLOWUP = "fq"  # the buttons on the follow-up after a meeting (bot.core.flows.followup)
HEARD_LABELS = {Heard.YES: N_("Yes"), Heard.PARTLY: N_("Partly"), Heard.NO: N_("No")}


@dataclass(frozen=True)
class Fired:
    """What became of a due reminder: whose deliveries to start, and when to run it again if
    quiet hours moved it (or it is not due yet)."""

    addresses: tuple[str, ...] = ()
    later: datetime | None = None


def ref_of(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


class Reminders:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        composer: Composer,
        installation: Installation,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._composer = composer
        self._installation = installation
        self._policy = installation.reminders

    async def due(
        self, until: datetime, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, datetime]]:
        """(id, due) of pending reminders due before ``until`` (and above ``after_id``)."""
        async with self._uow_factory() as uow:
            return await uow.reminders.due(until, after_id=after_id, limit=limit)

    async def last_id(self) -> int:
        async with self._uow_factory() as uow:
            return await uow.reminders.last_id()

    async def planned_since(
        self, after_id: int, until: datetime, *, limit: int = 1000
    ) -> tuple[int, list[tuple[int, datetime]]]:
        """The newest reminder id, and the reminders planned after ``after_id`` due before
        ``until`` (nothing is read when nothing new was planned)."""
        async with self._uow_factory() as uow:
            latest = await uow.reminders.last_id()
            if latest <= after_id:
                return latest, []
            return latest, await uow.reminders.due(until, after_id=after_id, limit=limit)

    async def fire(self, reminder_id: int, at: datetime | None = None) -> Fired:
        """Send the reminder if it still makes sense, in one commit; ``at`` judges it as of
        another moment than now (the demo, which does not wait for days)."""
        async with self._uow_factory() as uow:
            now = self._clock.now()
            moment = at or now
            reminder = await uow.reminders.get(reminder_id)
            if reminder is None or not reminder.pending:
                return Fired()  # dropped, or sent already: never twice
            if reminder.due_at > moment + EARLY:
                return Fired(later=reminder.due_at)
            if reminder.kind is Kind.UNPIN:
                addresses = await self._unpin(uow, reminder, now)
                await uow.commit()
                return Fired(addresses)
            fired = await self._judge(uow, reminder, moment, now)
            await uow.commit()
        return fired

    async def _judge(
        self, uow: UnitOfWork, reminder: Reminder, moment: datetime, now: datetime
    ) -> Fired:
        gate = Gate(uow)
        meeting = await gate.reminded_meeting(reminder.meeting_id)
        if meeting is None:
            return Fired()  # deleted: its reminders went with it
        if reminder.kind is Kind.TASK:
            return await self._judge_task(uow, reminder, meeting, moment, now)
        person = next(
            (p for p in await gate.recipients(meeting) if p.id == reminder.person_id), None
        )
        facts = Facts(
            meeting_planned=meeting.status is MeetingStatus.PLANNED
            and meeting.starts_at == reminder.for_start,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            may_tell=person is not None,
            cannot_come=any(
                a.person_id == reminder.person_id and a.cannot_come for a in meeting.attendees
            ),
            turned_off=person is not None and reminder.kind in await gate.turned_off(person),
            prepared=person is not None
            and reminder.kind is Kind.PREP
            and await gate.preparation_status(person, meeting) == PrepStatus.READY.value,
            later_due=later_due(reminder, await uow.reminders.of_meeting(meeting.id), moment),
        )
        held = await self._hold(uow, reminder, verdict(reminder, facts, moment, self._policy), now)
        if held is not None:
            return held
        assert person is not None
        addresses = await self._send(uow, reminder, meeting, person, moment, now)
        await uow.reminders.settle(reminder.id, ReminderStatus.SENT, None, now)
        return Fired(addresses)

    @staticmethod
    async def _hold(
        uow: UnitOfWork, reminder: Reminder, decided: Verdict, now: datetime
    ) -> Fired | None:
        """What a verdict that is not "send" does: a skip is settled (with its reason), a later
        time moves the reminder. None: send it."""
        if isinstance(decided, Skip):
            logger.info("reminder %d skipped: %s", reminder.id, decided.reason.value)
            await uow.reminders.settle(reminder.id, ReminderStatus.SKIPPED, decided.reason, now)
            return Fired()
        if isinstance(decided, Later):
            await uow.reminders.move(reminder.id, decided.at)
            return Fired(later=decided.at)
        return None

    async def _judge_task(
        self,
        uow: UnitOfWork,
        reminder: Reminder,
        meeting: Meeting,
        moment: datetime,
        now: datetime,
    ) -> Fired:
        """A task's date: sent only while the task is its owner's to see (still shared with
        them, or carried over as shared), and not turned off."""
        gate = Gate(uow)
        person = await gate.reminded_person(reminder.person_id)
        number = int(reminder.label.partition(":")[2].partition("@")[0])
        due_on = task_date(reminder.label)
        text = None
        if person is not None:
            live = await gate.task_visible(person, meeting, number, due_on)
            carried = None if live else await gate.carried_task(person, meeting, number, due_on)
            text = live.text if live else (carried.text if carried else None)
        facts = Facts(
            meeting_planned=True,  # the meeting is over; what matters is the task
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            may_tell=text is not None,
            turned_off=person is not None and Kind.TASK in await gate.turned_off(person),
        )
        held = await self._hold(uow, reminder, verdict(reminder, facts, moment, self._policy), now)
        if held is not None:
            return held
        assert person is not None and text is not None
        jobseeker = await gate.reminded_person(meeting.jobseeker_id)
        reply = Reply(
            "reminders/task.html",
            person.locale,
            {
                "name": person.name.split()[0],
                "text": text,
                "due_on": due_on,
                "days": self._policy.days_until(
                    datetime.combine(due_on, datetime.min.time(), self._policy.zone), moment
                ),
                "role": person.role.value,
                "jobseeker": jobseeker.name if jobseeker else "",
                "starts_at": meeting.starts_at,
                "kind": meeting.kind.value,
            },
            address=person.address,
        )
        until = deadline_of(reminder, meeting.starts_at, meeting.ends_at, self._policy)
        queued = await enqueue(
            uow, self._composer, now, [reply], actor=None, ref=ref_of(reminder.id), not_after=until
        )
        await uow.reminders.settle(reminder.id, ReminderStatus.SENT, None, now)
        return Fired(queued.addresses)

    async def _send(
        self,
        uow: UnitOfWork,
        reminder: Reminder,
        meeting: Meeting,
        person: Person,
        moment: datetime,
        now: datetime,
    ) -> tuple[str, ...]:
        gate = Gate(uow)
        days = self._policy.days_until(meeting.starts_at, moment)
        if reminder.kind is Kind.FOLLOWUP:
            reply = await self._followup(gate, meeting, person, days)
        elif reminder.kind is Kind.PREP:
            status = await gate.preparation_status(person, meeting)
            rows: list[tuple[Button, ...]] = [
                (button(N_("Prepare now"), ACTIONS, "prep", meeting.id),)
            ]
            if snoozed(moment, meeting.starts_at, self._policy) is not None:
                rows.append((button(N_("Remind me tomorrow"), ACTIONS, "later", reminder.id),))
            reply = Reply(
                "reminders/prep.html",
                person.locale,
                {
                    "name": person.name.split()[0],  # "Hei, Ola!": the first name
                    "days": days,
                    "starts_at": meeting.starts_at,
                    "ends_at": meeting.ends_at,
                    "place": meeting.place,
                    "started": status == PrepStatus.IN_PROGRESS.value,
                },
                tuple(rows),
                address=person.address,
            )
        elif reminder.kind is Kind.MEETING:
            details = await meeting_details(gate, person, meeting)
            reply = Reply(
                "reminders/meeting.html",
                person.locale,
                {**details, "days": days, "role": person.role.value, "kind": meeting.kind.value},
                meeting_buttons(person, meeting),
                address=person.address,
            )
        else:
            preparation = await gate.preparation_for(person, meeting)
            bank = {topic.id: topic for topic in self._installation.topics}
            items = agenda_items(preparation.answers, bank) if preparation else []
            reply = Reply(
                "reminders/agenda.html",
                person.locale,
                {
                    "days": days,
                    "starts_at": meeting.starts_at,
                    "ends_at": meeting.ends_at,
                    "place": meeting.place,
                    "items": items,
                    "team": person.team or "default",
                    "name": person.name,
                    "kind": meeting.kind.value,
                },
                address=person.address,
                silent=True,  # it is there when they look; the meeting reminders ring
            )
        until = deadline_of(reminder, meeting.starts_at, meeting.ends_at, self._policy)
        ref = ref_of(reminder.id)
        queued = await enqueue(
            uow, self._composer, now, [reply], actor=None, ref=ref, not_after=until
        )
        if reminder.kind is Kind.PIN:
            # Pinning is harmless to repeat (an answer lost is simply tried again).
            await uow.outbox.add(
                address=person.address,
                op=Op.PIN,
                guarantee=Guarantee.AT_LEAST_ONCE,
                envelope=Envelope(),
                at=now,
                ref=ref,
                not_after=until,
            )
            unpin = Planned(person.id, Kind.UNPIN, "", meeting.ends_at, reminder.for_start)
            await uow.reminders.add(meeting.id, unpin, now, about=reminder.id)
        return queued.addresses

    async def _followup(self, gate: Gate, meeting: Meeting, person: Person, days: int) -> Reply:
        """After the meeting: the job seeker is asked whether they were heard; the jobbspesialist
        who organised it is offered to write down what was agreed."""
        context: dict[str, object] = {
            "name": person.name.split()[0],
            "days": days,
            "starts_at": meeting.starts_at,
            "kind": meeting.kind.value,
        }
        if person.id == meeting.jobseeker_id:
            row = tuple(
                button(label, FOLLOWUP, "heard", f"{meeting.id}-{heard.value}")
                for heard, label in HEARD_LABELS.items()
            )
            return Reply(
                "reminders/followup.html", person.locale, context, (row,), address=person.address
            )
        jobseeker = await gate.reminded_person(meeting.jobseeker_id)
        rows = ((button(N_("Write down what was agreed"), FOLLOWUP, "record", meeting.id),),)
        return Reply(
            "reminders/record.html",
            person.locale,
            {**context, "jobseeker": jobseeker.name if jobseeker else ""},
            rows,
            address=person.address,
        )

    async def _unpin(self, uow: UnitOfWork, reminder: Reminder, now: datetime) -> tuple[str, ...]:
        """Take the pinned agenda down (the meeting is over, moved or cancelled)."""
        person = await Gate(uow).reminded_person(reminder.person_id)
        await uow.reminders.settle(reminder.id, ReminderStatus.SENT, None, now)
        if person is None or reminder.about is None:
            return ()
        await uow.outbox.add(
            address=person.address,
            op=Op.UNPIN,
            guarantee=Guarantee.AT_LEAST_ONCE,  # harmless to repeat, like the pin
            envelope=Envelope(),
            at=now,
            ref=ref_of(reminder.about),
        )
        return (person.address,)
