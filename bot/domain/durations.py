"""Durations like ``90s``, ``15m``, ``2h``, ``3d`` and quiet-hour windows like ``21-08``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import Enum

_DURATION = re.compile(r"^(\d{1,5})([smhd])$")


class Unit(Enum):
    SECONDS = "s"
    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"


@dataclass(frozen=True)
class Duration:
    """An amount of time; days are calendar days in local time, the rest are absolute."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text.strip())
        if match is None or int(match.group(1)) == 0:
            raise ValueError(text)
        return cls(int(match.group(1)), Unit(match.group(2)))

    def before(self, moment: datetime) -> datetime:
        """The moment this long before ``moment`` (an aware local datetime)."""
        return self._shift(moment, -1)

    def after(self, moment: datetime) -> datetime:
        """The moment this long after ``moment`` (an aware local datetime)."""
        return self._shift(moment, +1)

    def _shift(self, moment: datetime, sign: int) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("an aware datetime is needed")
        if self.unit is Unit.DAYS:
            # Calendar days: 10.00 three days before stays 10.00 across a DST change.
            # Wall-clock arithmetic on the aware datetime keeps tzinfo and re-resolves the offset.
            local = moment.replace(tzinfo=None) + sign * timedelta(days=self.amount)
            return local.replace(tzinfo=moment.tzinfo)
        seconds = {Unit.SECONDS: 1, Unit.MINUTES: 60, Unit.HOURS: 3600}[self.unit]
        # Python adds to an aware datetime on the wall clock; absolute time needs UTC.
        shifted = moment.astimezone(UTC) + sign * timedelta(seconds=self.amount * seconds)
        return shifted.astimezone(moment.tzinfo)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"


def parse_durations(text: str) -> tuple[Duration, ...]:
    """A comma-separated list of durations, largest first, without duplicates."""
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    if not parts:
        raise ValueError(text)
    unique = {str(d): d for d in (Duration.parse(p) for p in parts)}
    return tuple(sorted(unique.values(), key=_rough_seconds, reverse=True))


def _rough_seconds(duration: Duration) -> int:
    factor = {Unit.SECONDS: 1, Unit.MINUTES: 60, Unit.HOURS: 3600, Unit.DAYS: 86400}
    return duration.amount * factor[duration.unit]


_QUIET = re.compile(r"^(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class QuietHours:
    """A daily window (local time) in which no reminder is sent; may wrap past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """``21-08`` → 21.00 to 08.00; ``none`` → no quiet hours."""
        if text.strip().lower() == "none":
            return None
        match = _QUIET.match(text.strip())
        if match is None:
            raise ValueError(text)
        start, end = int(match.group(1)), int(match.group(2))
        if start > 23 or end > 23 or start == end:
            raise ValueError(text)
        return cls(time(start), time(end))

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end
