"""Strict local dates and times as people type them: ``10.12.2026 10.00``, never guessed.

``dateparser`` read "12. desember kl. 10" as the year 2110, so only the unambiguous numeric form is
accepted; anything else is refused and the person is asked again (or offered buttons).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

# [0-9], not \d: \d also matches other scripts' digits ("١٠"), which int() would quietly accept.
_TIME = r"(?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})"
# "kl." / "kl" before the time is how Norwegians write it ("10.12.2026 kl. 10.00").
_KL = r"(?:kl\.?\s*)?"
_DATE_TIME = re.compile(
    r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})\s+" + _KL + _TIME,
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(_KL + _TIME, re.IGNORECASE)


class Problem(Enum):
    """Why a typed date or time was refused; each gets its own message."""

    FORMAT = "format"
    IMPOSSIBLE_DATE = "impossible_date"
    IMPOSSIBLE_TIME = "impossible_time"
    NO_SUCH_TIME = "no_such_time"
    AMBIGUOUS_TIME = "ambiguous_time"
    PAST = "past"


@dataclass(frozen=True)
class Rejected:
    """The input was not accepted, and why."""

    problem: Problem


def parse_date_time(text: str, zone: ZoneInfo, now: datetime) -> datetime | Rejected:
    """``dd.mm.åååå tt:mm`` (or ``tt.mm``, optionally ``kl.``) → an aware datetime in ``zone``."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        return Rejected(Problem.FORMAT)
    day = _day(match)
    if isinstance(day, Rejected):
        return day
    clock = _clock(match)
    if isinstance(clock, Rejected):
        return clock
    return combine(day, *clock, zone, now)


def _day(match: re.Match[str]) -> date | Rejected:
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:  # 31.02., or a year Python has no calendar for
        return Rejected(Problem.IMPOSSIBLE_DATE)


def parse_time(text: str) -> tuple[int, int] | Rejected:
    """``10:15`` / ``10.15`` / ``kl. 9.05`` → (hour, minute); a bare hour is refused."""
    match = _TIME_ONLY.fullmatch(text.strip())
    if match is None:
        return Rejected(Problem.FORMAT)
    return _clock(match)


def combine(
    day: date, hour: int, minute: int, zone: ZoneInfo, now: datetime
) -> datetime | Rejected:
    """Wall time on ``day`` in ``zone``; refused if skipped, doubled or not after ``now``."""
    if now.utcoffset() is None:
        raise ValueError("an aware datetime is needed")
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return Rejected(Problem.IMPOSSIBLE_TIME)
    wall = datetime(day.year, day.month, day.day, hour, minute)
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    try:
        # Round trip through UTC: a skipped wall time comes back as another wall time; a doubled
        # one comes back unchanged with both folds, but as two different instants.
        instants = (early.astimezone(UTC), late.astimezone(UTC))
        skipped = any(instant.astimezone(zone).replace(tzinfo=None) != wall for instant in instants)
    except OverflowError:
        # The offset pushed year 1 or 9999 out of datetime's range; still say which way it is off.
        past = day < now.astimezone(zone).date()
        return Rejected(Problem.PAST if past else Problem.IMPOSSIBLE_DATE)
    if skipped:
        return Rejected(Problem.NO_SUCH_TIME)
    if instants[0] != instants[1]:
        # We ask again rather than pick one of the two.
        return Rejected(Problem.AMBIGUOUS_TIME)
    # Compare in UTC: aware datetimes sharing a tzinfo are compared on the wall clock.
    if instants[0] <= now.astimezone(UTC):
        return Rejected(Problem.PAST)
    return early


def _clock(match: re.Match[str]) -> tuple[int, int] | Rejected:
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        return Rejected(Problem.IMPOSSIBLE_TIME)
    return hour, minute


_DATE_ONLY = re.compile(r"(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})")


def parse_date(text: str, today: date) -> date | Rejected:
    """``dd.mm.åååå`` → a date, today or later; nothing else is guessed."""
    match = _DATE_ONLY.fullmatch(text.strip())
    if match is None:
        return Rejected(Problem.FORMAT)
    day = _day(match)
    if isinstance(day, Rejected):
        return day
    if day < today:
        return Rejected(Problem.PAST)
    return day
