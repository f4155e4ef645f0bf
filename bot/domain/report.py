"""The team's report (``moteklar report``): anonymous counts, and which of them may be shown.

Counts are kept per team and month, apart from any person (``counters``), so they outlive
retention. A report covers whole months only, from ``--since`` to the last month that is over:
a day-by-day window, or a month still running, would let two reports be subtracted to reveal
one person. For the same reason a figure is shown only if it is at least 5 **and** no other
report could cut it into a part under 5: counting month by month from its first month, or back
from its last, the running total never stops at 1 to 4 (a total of 12 whose first month holds 3
is hidden: the report from the next month on would show 9, and the difference, 3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

SMALLEST = 5  # figures under this are hidden
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

# What is counted. A meeting "held" had the job seeker attending and was not cancelled.
HELD = "held"
PREPARED = "prepared"  # the job seeker's agenda was ready when the meeting began
FOLLOWED_UP = "followed_up"
HEARD_YES, HEARD_PARTLY, HEARD_NO = "heard_yes", "heard_partly", "heard_no"
ITEMS_ASKED = "items_asked"
ITEMS_NOT_DISCUSSED = "items_not_discussed"
NAMES = (
    HELD,
    PREPARED,
    FOLLOWED_UP,
    HEARD_YES,
    HEARD_PARTLY,
    HEARD_NO,
    ITEMS_ASKED,
    ITEMS_NOT_DISCUSSED,
)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``YYYY-MM``, a whole month; anything else (a day, a week) is refused."""
        match = _MONTH.match(text.strip())
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months(first: Month, last: Month) -> list[Month]:
    found, month = [], first
    while month <= last:
        found.append(month)
        month = month.next()
    return found


def shown(by_month: Sequence[int]) -> int | None:
    """The total of these monthly figures (in order), or None when it must be hidden: under 5,
    or with a running total of 1 to 4 from either end (another report could subtract it)."""
    total = sum(by_month)
    if total < SMALLEST:
        return None
    for ordered in (by_month, list(reversed(by_month))):
        running = 0
        for value in ordered:
            running += value
            if 0 < running < SMALLEST or 0 < total - running < SMALLEST:
                return None
    return total


@dataclass(frozen=True)
class Figure:
    name: str
    value: int | None  # None: hidden


@dataclass(frozen=True)
class Report:
    team: str | None  # None: every team
    first: Month
    last: Month
    figures: Mapping[str, int | None]

    def share(self, part: str, whole: str) -> int | None:
        """A proportion in whole per cent, only when both figures are shown."""
        numerator, denominator = self.figures.get(part), self.figures.get(whole)
        if numerator is None or not denominator:
            return None
        return round(100 * numerator / denominator)


def report(
    counts: Mapping[tuple[str, str], int],
    *,
    team: str | None,
    first: Month,
    last: Month,
) -> Report:
    """The report from counts by (month, name), for the months ``first`` … ``last``."""
    period = [str(m) for m in months(first, last)]
    figures = {name: shown([counts.get((m, name), 0) for m in period]) for name in NAMES}
    return Report(team, first, last, figures)
