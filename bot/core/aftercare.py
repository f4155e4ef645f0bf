"""After meetings, on the bot's own clock: the team's counters, and retention.

A transport runs ``Aftercare.run`` now and then (Telegram: at start and every ten minutes), on
the clock the runtime was given, so tests move time instead of waiting for it.

- **Counting**: a meeting that has ended is counted once (held, and whether the job seeker's
  agenda was ready) in the team's anonymous counters.
- **Retention** (``MOTEKLAR_RETENTION_DAYS`` after a meeting's end): what was agreed and the
  points not talked about move to the job seeker's carry-over record (unless a newer meeting's
  follow-up has already replaced it); then the meeting's preparation, agenda versions, shares,
  follow-up and agreements are deleted, and every copy still out there is withdrawn as sharing
  withdraws it (deleted while Telegram allows it, else overwritten). A preparation without a
  meeting, or for a cancelled one, counts from its last change; what was agreed at a meeting
  cancelled after it began counts from the meeting's end, and never carries over. A carry-over
  goes after 180 days. A conversation idle that long is let go of, with whatever was typed in
  it (the person's next message starts afresh, and says so). Each deleting commit purges the
  WAL (``Changes.deleted``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.core.access import Gate
from bot.core.delivery import enqueue
from bot.core.flows.base import Installation
from bot.core.messages import Reply
from bot.core.ports import Clock, Composer, UnitOfWorkFactory
from bot.core.services import Change, aftercare, counters, sharing
from bot.domain.agreements import Agreement
from bot.domain.carryover import expires
from bot.domain.consent import Share, ShareStatus
from bot.domain.followup import FollowUp
from bot.domain.meetings import Meeting, MeetingStatus
from bot.domain.people import Person
from bot.domain.preparation import Preparation, PrepStatus
from bot.domain.report import HELD, PREPARED, Month, Report, report

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    """What one run did (counts only: nothing about anyone)."""

    tallied: int = 0
    meetings: int = 0  # meetings whose preparation and aftercare were deleted
    preparations: int = 0  # preparations deleted (with and without a meeting)
    withdrawn: int = 0  # copies withdrawn
    carried: int = 0  # carry-over records written
    expired: int = 0  # carry-over records deleted after 180 days
    conversations: int = 0  # conversations let go of, idle longer than retention
    addresses: tuple[str, ...] = ()


class Aftercare:
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

    async def run(self) -> Swept:
        tallied = await self.tally()
        swept = await self.retain()
        return Swept(
            tallied,
            swept.meetings,
            swept.preparations,
            swept.withdrawn,
            swept.carried,
            swept.expired,
            swept.conversations,
            swept.addresses,
        )

    async def tally(self) -> int:
        """Count every meeting that has ended and is not counted yet."""
        zone = self._installation.reminders.zone
        counted = 0
        async with self._uow_factory() as uow:
            gate = Gate(uow)
            for meeting in await gate.untallied_meetings(self._clock.now()):
                if meeting.kind.with_jobseeker and meeting.jobseeker_attends:
                    jobseeker = await gate.someone(meeting.jobseeker_id)
                    prepared = False
                    if jobseeker is not None:
                        preparation = await gate.preparation_for(jobseeker, meeting)
                        prepared = (
                            preparation is not None and preparation.status is PrepStatus.READY
                        )
                    changes = {HELD: 1, PREPARED: int(prepared)}
                    await counters.count(uow, meeting, jobseeker, changes, zone)
                    counted += 1
                await uow.meetings.mark_tallied(meeting.id)
            await uow.commit()
        return counted

    async def report(self, team: str | None, first: Month | None) -> list[Report]:
        """The team's report (each team's, if none is named) from ``first`` (twelve months back
        if not given) to the last month that is over: counts only."""
        zone = self._installation.reminders.zone
        last = Month.of(self._clock.now().astimezone(zone).date()).previous()
        start = first or Month(last.year - 1, last.month).next()
        if start > last:
            raise ValueError("a report covers whole months that are over")
        async with self._uow_factory() as uow:
            teams = [team or ""] if team is not None else await uow.counters.teams()
            reports = []
            for name in teams:
                counts = await uow.counters.counts(name, str(start), str(last))
                reports.append(report(counts, team=name or None, first=start, last=last))
        return reports

    async def retain(self) -> Swept:
        """Delete what is past retention; carry over what the next preparation needs first."""
        now = self._clock.now()
        cutoff = now - timedelta(days=self._installation.retention_days)
        replies: list[Reply] = []
        meetings = preparations = carried = 0
        async with self._uow_factory() as uow:
            gate = Gate(uow)
            for meeting in await gate.meetings_past_retention(cutoff):
                found = await gate.retained_meeting(meeting)
                # Cancelled after it began (/avtalt was open): what was agreed goes like any
                # meeting's, but never carries over (the next preparation never offered it),
                # and the preparation counts from its last change (below).
                held = meeting.status is MeetingStatus.PLANNED
                retained = found.preparations if held else []
                if found.jobseeker is not None:
                    change = Change(uow, now, found.jobseeker, self._installation.reminders)
                    sent = [a for a in found.agreements if a.sent]
                    if held and await self._carry_over(change, meeting, sent, found.followup):
                        carried += 1
                    replies += await self._withdraw(change, retained, found.agreements)
                for preparation in retained:
                    await uow.preparations.delete(preparation.id)
                    preparations += 1
                await uow.followups.delete_for_meeting(meeting.id)
                await uow.agreements.delete_for_meeting(meeting.id)
                meetings += 1
            for preparation in await gate.stale_preparations(cutoff):
                jobseeker = await gate.someone(preparation.jobseeker_id)
                if jobseeker is not None:
                    change = Change(uow, now, jobseeker, self._installation.reminders)
                    replies += await self._withdraw(change, [preparation], [])
                await uow.preparations.delete(preparation.id)
                preparations += 1
            expired = await gate.expired_carry_overs(now)
            for jobseeker_id in expired:
                await uow.carryovers.delete(jobseeker_id)
            idle = await uow.conversations.let_go(cutoff, now)
            queued = await enqueue(uow, self._composer, now, replies, actor=None)
            await uow.commit()
        if meetings or preparations or expired or idle:
            logger.info(
                "retention: %d meetings, %d preparations, %d copies withdrawn, %d carried over,"
                " %d carry-overs expired, %d idle conversations let go",
                meetings,
                preparations,
                len(replies),
                carried,
                len(expired),
                idle,
            )
        return Swept(
            0,
            meetings,
            preparations,
            len(replies),
            carried,
            len(expired),
            idle,
            queued.addresses,
        )

    async def _carry_over(
        self,
        change: Change,
        meeting: Meeting,
        sent: list[Agreement],
        followup: FollowUp | None,
    ) -> bool:
        """Move what was agreed and the points not talked about to the carry-over record,
        unless a newer meeting already took its place (its follow-up replaced it)."""
        answered = followup is not None and followup.answered
        if not sent and not answered:
            return False
        jobseeker = change.actor
        gate = change.gate
        existing = await gate.carry_over(jobseeker, jobseeker.id)
        if existing is not None and existing.last_time.meeting_start > meeting.starts_at:
            return False
        for other in await gate.meetings_about(jobseeker, jobseeker.id):
            if other.starts_at <= meeting.starts_at:
                continue
            newer = await gate.own_followup(jobseeker, other)
            if newer is not None and newer.answered:
                return False
        latest = sent[-1] if sent else None
        reminded: set[int] = set()
        people = await gate.names(jobseeker, jobseeker.id)
        for task in latest.tasks if latest else ():
            owner = people.get(task.owner_id) if task.owner_id is not None else None
            if owner is None or task.due_on is None:
                continue
            if await gate.task_visible(owner, meeting, task.number, task.due_on):
                reminded.add(task.number)
        bank = {topic.id: topic for topic in self._installation.topics}
        last = await aftercare.live(
            change, meeting, latest, followup, bank, reminded=frozenset(reminded)
        )
        if last.empty:
            return False
        await change.uow.carryovers.put(
            jobseeker_id=jobseeker.id,
            meeting_id=meeting.id,
            last_time=last,
            at=change.now,
            expires_at=expires(change.now),
        )
        return True

    async def _withdraw(
        self,
        change: Change,
        preparations: list[Preparation],
        agreements: list[Agreement],
    ) -> list[Reply]:
        """Every copy still out there of what is about to be deleted, withdrawn."""
        gate = change.gate
        jobseeker = change.actor
        versions = {
            version.id
            for preparation in preparations
            for version in await gate.retained_versions(preparation.id)
        }
        agreed = {agreement.id for agreement in agreements}
        shares, agreed_shares = await gate.retained_shares(jobseeker.id)
        replies: list[Reply] = []
        for share, ref in [
            *((s, sharing.ref_of(s.id)) for s in shares if s.version_id in versions),
            *((s, sharing.agreed_ref(s.id)) for s in agreed_shares if s.version_id in agreed),
        ]:
            recipient = await self._recipient(gate, share)
            if share.active and recipient is not None:
                replies += await sharing.withdraw_copies(
                    change, jobseeker, recipient, ref, ShareStatus.WITHDRAWN, retained=True
                )
        return replies

    @staticmethod
    async def _recipient(gate: Gate, share: Share) -> Person | None:
        return await gate.someone(share.recipient_id) if share.recipient_id else None
