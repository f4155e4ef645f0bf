"""The team's anonymous counters (``moteklar report``): what a change adds to them.

Counted per team (the job seeker's) and month (the meeting's, in local time), never with a
person or a meeting attached, so the counts outlive retention and name nobody. Counted in the
same unit of work as the change they count.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.ports import UnitOfWork
from bot.domain.meetings import Meeting
from bot.domain.people import Person
from bot.domain.report import Month


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    return str(Month.of(moment.astimezone(zone).date()))


async def count(
    uow: UnitOfWork,
    meeting: Meeting,
    jobseeker: Person | None,
    changes: Mapping[str, int],
    zone: ZoneInfo,
) -> None:
    """Add ``changes`` to the counters of the meeting's month and the job seeker's team."""
    team = (jobseeker.team if jobseeker else None) or ""
    await uow.counters.add(team, month_of(meeting.starts_at, zone), changes)
