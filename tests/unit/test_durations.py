from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.durations import Duration, QuietHours, Unit, parse_durations

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("90s", 90, Unit.SECONDS),
        ("15m", 15, Unit.MINUTES),
        ("2h", 2, Unit.HOURS),
        ("3d", 3, Unit.DAYS),
    ],
)
def test_durations_parse(text: str, amount: int, unit: Unit) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize("text", ["", "3", "d", "0h", "-1d", "2 h", "1w", "1.5h", "3dd"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Duration.parse(text)


def test_days_are_calendar_days_across_daylight_saving() -> None:
    # Summer time ends 25 October 2026 at 03.00: 10.00 three days before stays 10.00.
    meeting = datetime(2026, 10, 27, 10, 0, tzinfo=OSLO)
    before = Duration.parse("3d").before(meeting)
    assert (before.day, before.hour, before.utcoffset()) == (24, 10, timedelta(hours=2))
    assert (meeting.astimezone(UTC) - before.astimezone(UTC)) == timedelta(days=3, hours=1)


def test_hours_are_absolute_across_daylight_saving() -> None:
    # 03.30 CET on the night summer time ends; two real hours earlier it was 02.30 CEST
    # (wall-clock arithmetic would say 01.30).
    meeting = datetime(2026, 10, 25, 3, 30, tzinfo=OSLO)
    before = Duration.parse("2h").before(meeting)
    assert meeting.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=2)
    assert (before.hour, before.minute, before.utcoffset()) == (2, 30, timedelta(hours=2))
    assert Duration.parse("90s").after(before).astimezone(UTC) == before.astimezone(
        UTC
    ) + timedelta(seconds=90)


def test_lists_are_sorted_largest_first_without_duplicates() -> None:
    assert [str(d) for d in parse_durations("2h, 1d,2h,90s")] == ["1d", "2h", "90s"]
    with pytest.raises(ValueError):
        parse_durations(" , ")


def test_quiet_hours_wrap_midnight() -> None:
    quiet = QuietHours.parse("21-08")
    assert quiet is not None
    assert quiet.contains(time(22)) and quiet.contains(time(7, 59)) and quiet.contains(time(21))
    assert not quiet.contains(time(8)) and not quiet.contains(time(12))
    day = QuietHours.parse("9-17")
    assert day is not None and day.contains(time(9)) and not day.contains(time(17))
    assert QuietHours.parse("none") is None
    for bad in ("21", "25-08", "8-8", "a-b"):
        with pytest.raises(ValueError):
            QuietHours.parse(bad)
