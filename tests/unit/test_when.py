"""Typed dates and times: only the strict form, never guessed, right across both DST changes."""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain import when
from bot.domain.when import Problem, Rejected, combine, parse_date_time, parse_time

OSLO = ZoneInfo("Europe/Oslo")
# Well before every date used below, so only tests about the past are about the past.
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=OSLO)
WINTER = timedelta(hours=1)
SUMMER = timedelta(hours=2)


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.12.2026 10:00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 10.00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026    10:00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026\t10:00", at(2026, 12, 10, 10, 0)),
        ("1.2.2027 9:05", at(2027, 2, 1, 9, 5)),
        ("01.02.2027 09.05", at(2027, 2, 1, 9, 5)),
        ("1.02.2027 0:00", at(2027, 2, 1, 0, 0)),
        ("31.12.2026 23:59", at(2026, 12, 31, 23, 59)),
        ("29.02.2028 12:00", at(2028, 2, 29, 12, 0)),
        ("10.12.2026 kl. 10.00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 kl 10.00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 kl. 10:00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 kl.10.00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 kl10.00", at(2026, 12, 10, 10, 0)),
        ("10.12.2026 Kl. 9.30", at(2026, 12, 10, 9, 30)),
        ("10.12.2026  kl.   14.15", at(2026, 12, 10, 14, 15)),
        ("  10.12.2026 10:00  ", at(2026, 12, 10, 10, 0)),
        ("\n10.12.2026 kl. 10.00\n", at(2026, 12, 10, 10, 0)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    result = parse_date_time(text, OSLO, NOW)
    assert isinstance(result, datetime)
    assert result == expected
    assert result.tzinfo is OSLO
    assert (result.hour, result.minute, result.second, result.microsecond) == (
        expected.hour,
        expected.minute,
        0,
        0,
    )


@pytest.mark.parametrize(
    "text",
    [
        "i morgen kl 10",
        "12. desember kl. 10",
        "12. desember 2026 kl. 10.00",
        "2026-12-10 10:00",
        "10.12.26 10:00",
        "10/12/2026 10:00",
        "10-12-2026 10:00",
        "10.12.2026",
        "10.12.2026 10",
        "10.12.2026 kl. 10",
        "10.12.2026 kl 10",
        "10.12.2026 10:0",
        "10.12.2026 10:000",
        "10.12.2026 100:00",
        "10.12.2026 10:00:00",
        "10.12.2026 10,00",
        "10.12.2026 10 00",
        "10.12.2026 1000",
        "10.12.20266 10:00",
        "10.12.026 10:00",
        "010.12.2026 10:00",
        "10.012.2026 10:00",
        "10.12.2026.10:00",
        "10.12.2026kl. 10.00",
        "10.12.2026 klokka 10.00",
        "10.12.2026 kl.. 10.00",
        "10.12.2026 10:00 i morgen",
        "torsdag 10.12.2026 10:00",
        "10.12 10:00",
        "10:00 10.12.2026",
        "10:00",
        "10.00",
        "",
        "   ",
        "١٠.١٢.٢٠٢٦ ١٠:٠٠",  # Arabic-Indic digits: int() would read them, we do not
        "１０.１２.２０２６ １０:００",  # fullwidth digits
    ],
)
def test_anything_else_is_a_format_problem(text: str) -> None:
    assert parse_date_time(text, OSLO, NOW) == Rejected(Problem.FORMAT)


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2026 10:00",
        "29.02.2027 10:00",
        "00.01.2026 10:00",
        "32.12.2026 10:00",
        "10.13.2026 10:00",
        "10.00.2026 10:00",
        "31.04.2026 10:00",
        "10.12.0000 10:00",
        "31.02.2026 24:00",  # the date is checked first
    ],
)
def test_impossible_dates(text: str) -> None:
    assert parse_date_time(text, OSLO, NOW) == Rejected(Problem.IMPOSSIBLE_DATE)


@pytest.mark.parametrize(
    "text",
    ["10.12.2026 24:00", "10.12.2026 10:60", "10.12.2026 kl. 25.00", "10.12.2026 99.99"],
)
def test_impossible_times(text: str) -> None:
    assert parse_date_time(text, OSLO, NOW) == Rejected(Problem.IMPOSSIBLE_TIME)


# Summer time starts Sunday 29 March 2026: the clock jumps from 02.00 to 03.00.
@pytest.mark.parametrize("text", ["29.03.2026 02:00", "29.03.2026 02:30", "29.03.2026 kl. 2.59"])
def test_wall_times_skipped_in_spring_do_not_exist(text: str) -> None:
    assert parse_date_time(text, OSLO, NOW) == Rejected(Problem.NO_SUCH_TIME)


# Summer time ends Sunday 25 October 2026: the clock goes back from 03.00 to 02.00.
@pytest.mark.parametrize("text", ["25.10.2026 02:00", "25.10.2026 02:30", "25.10.2026 kl. 2.59"])
def test_wall_times_doubled_in_autumn_are_asked_again(text: str) -> None:
    assert parse_date_time(text, OSLO, NOW) == Rejected(Problem.AMBIGUOUS_TIME)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("29.03.2026 01:59", WINTER),
        ("29.03.2026 03:00", SUMMER),
        ("25.10.2026 01:59", SUMMER),
        ("25.10.2026 03:00", WINTER),
        ("10.12.2026 10:00", WINTER),
        ("24.06.2026 10:00", SUMMER),
        ("24.10.2026 10:00", SUMMER),
        ("26.10.2026 10:00", WINTER),
    ],
)
def test_offsets_next_to_the_changes_and_in_each_season(text: str, offset: timedelta) -> None:
    result = parse_date_time(text, OSLO, NOW)
    assert isinstance(result, datetime)
    assert result.utcoffset() == offset
    # The wall time typed is the wall time kept.
    assert result.strftime("%H:%M") == text[-5:]


def test_an_hour_across_the_spring_change_is_one_hour_apart() -> None:
    before = parse_date_time("29.03.2026 01:30", OSLO, NOW)
    after = parse_date_time("29.03.2026 03:30", OSLO, NOW)
    assert isinstance(before, datetime) and isinstance(after, datetime)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "text", "expected_problem"),
    [
        # Equal to now is the past: a meeting cannot start at this very minute.
        (at(2026, 12, 10, 10, 0), "10.12.2026 10:00", Problem.PAST),
        (at(2026, 12, 10, 10, 0), "10.12.2026 09:59", Problem.PAST),
        (at(2026, 12, 10, 10, 0), "10.12.2026 10:01", None),
        (at(2026, 12, 10, 10, 0), "09.12.2027 10:00", None),
        (at(2026, 12, 10, 10, 0), "10.12.2025 10:00", Problem.PAST),
        # Seconds count: half a minute past 10.00 makes 10.00 past.
        (at(2026, 12, 10, 10, 0) + timedelta(seconds=30), "10.12.2026 10:00", Problem.PAST),
        (at(2026, 12, 10, 9, 59) + timedelta(seconds=59), "10.12.2026 10:00", None),
        # `now` in another zone is compared as the same instant.
        (datetime(2026, 12, 10, 9, 0, tzinfo=UTC), "10.12.2026 10:00", Problem.PAST),
        (datetime(2026, 12, 10, 8, 59, tzinfo=UTC), "10.12.2026 10:00", None),
        (datetime(2026, 6, 24, 8, 0, tzinfo=UTC), "24.06.2026 10:00", Problem.PAST),
        (datetime(2026, 6, 24, 7, 59, tzinfo=UTC), "24.06.2026 10:00", None),
        (
            datetime(2026, 12, 10, 4, 0, tzinfo=ZoneInfo("America/New_York")),
            "10.12.2026 10:00",
            Problem.PAST,
        ),
        (
            datetime(2026, 12, 10, 3, 59, tzinfo=ZoneInfo("America/New_York")),
            "10.12.2026 10:00",
            None,
        ),
        # `now` inside the doubled hour: the second 02.30 is 01.30 UTC, after 01.59 and before 03.00.
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO), "25.10.2026 01:59", Problem.PAST),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO), "25.10.2026 03:00", None),
        # Year 1 cannot even be converted to UTC; it is still just the past.
        (NOW, "01.01.0001 00:30", Problem.PAST),
    ],
)
def test_past(now: datetime, text: str, expected_problem: Problem | None) -> None:
    result = parse_date_time(text, OSLO, now)
    if expected_problem is None:
        assert isinstance(result, datetime)
        assert result.astimezone(UTC) > now.astimezone(UTC)
    else:
        assert result == Rejected(expected_problem)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        parse_date_time("10.12.2026 10:00", OSLO, datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        combine(date(2026, 12, 10), 10, 0, OSLO, datetime(2026, 1, 1))


def test_the_result_is_in_the_zone_asked_for() -> None:
    helsinki = ZoneInfo("Europe/Helsinki")
    result = parse_date_time("10.12.2026 10:00", helsinki, NOW)
    assert isinstance(result, datetime)
    assert result.tzinfo is helsinki
    assert result.astimezone(UTC) == datetime(2026, 12, 10, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:15", (10, 15)),
        ("10.15", (10, 15)),
        (" 9.05 ", (9, 5)),
        ("09:05", (9, 5)),
        ("0:00", (0, 0)),
        ("00.00", (0, 0)),
        ("23:59", (23, 59)),
        ("kl. 10.15", (10, 15)),
        ("kl 8:30", (8, 30)),
        ("KL.7.45", (7, 45)),
    ],
)
def test_times(text: str, expected: tuple[int, int]) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "10",
        "9",
        "kl 10",
        "kl. 10",
        "10:5",
        "10.5",
        "10 15",
        "1015",
        "10:15:00",
        "10,15",
        "",
        "  ",
        "ti over ti",
        "10.12.2026 10:00",
        "100:00",
        "-1:00",
        "١٠:١٥",
    ],
)
def test_time_format_problems(text: str) -> None:
    assert parse_time(text) == Rejected(Problem.FORMAT)


@pytest.mark.parametrize("text", ["24:00", "24.00", "10:60", "25.30", "99:99"])
def test_impossible_time_alone(text: str) -> None:
    assert parse_time(text) == Rejected(Problem.IMPOSSIBLE_TIME)


def test_combine_keeps_the_wall_time_in_winter_and_summer() -> None:
    winter = combine(date(2026, 12, 10), 10, 0, OSLO, NOW)
    summer = combine(date(2026, 10, 24), 10, 0, OSLO, NOW)
    assert winter == at(2026, 12, 10, 10, 0)
    assert summer == at(2026, 10, 24, 10, 0)
    assert isinstance(winter, datetime) and isinstance(summer, datetime)
    assert (winter.utcoffset(), summer.utcoffset()) == (WINTER, SUMMER)
    assert winter.tzinfo is OSLO


@pytest.mark.parametrize(
    ("day", "hour", "minute", "problem"),
    [
        (date(2026, 3, 29), 2, 0, Problem.NO_SUCH_TIME),
        (date(2026, 3, 29), 2, 30, Problem.NO_SUCH_TIME),
        (date(2026, 10, 25), 2, 0, Problem.AMBIGUOUS_TIME),
        (date(2026, 10, 25), 2, 45, Problem.AMBIGUOUS_TIME),
        (date(2026, 1, 15), 12, 0, Problem.PAST),  # exactly NOW
        (date(2026, 1, 14), 18, 0, Problem.PAST),
        (date(2026, 12, 10), 24, 0, Problem.IMPOSSIBLE_TIME),
        (date(2026, 12, 10), 10, 60, Problem.IMPOSSIBLE_TIME),
        (date(2026, 12, 10), -1, 0, Problem.IMPOSSIBLE_TIME),
        (date(2026, 12, 10), 10, -1, Problem.IMPOSSIBLE_TIME),
    ],
)
def test_combine_problems(day: date, hour: int, minute: int, problem: Problem) -> None:
    assert combine(day, hour, minute, OSLO, NOW) == Rejected(problem)


def test_combine_next_to_the_gap_and_the_fold() -> None:
    assert combine(date(2026, 3, 29), 3, 0, OSLO, NOW) == at(2026, 3, 29, 3, 0)
    assert combine(date(2026, 3, 29), 1, 59, OSLO, NOW) == at(2026, 3, 29, 1, 59)
    assert combine(date(2026, 10, 25), 3, 0, OSLO, NOW) == at(2026, 10, 25, 3, 0)
    assert combine(date(2026, 10, 25), 1, 59, OSLO, NOW) == at(2026, 10, 25, 1, 59)
    # The minute just after now is fine.
    assert combine(date(2026, 1, 15), 12, 1, OSLO, NOW) == at(2026, 1, 15, 12, 1)


def test_a_zone_without_dst_has_no_gap_or_fold() -> None:
    assert combine(date(2026, 3, 29), 2, 30, ZoneInfo("UTC"), NOW) == datetime(
        2026, 3, 29, 2, 30, tzinfo=ZoneInfo("UTC")
    )


def test_rejected_is_a_frozen_value() -> None:
    rejected = Rejected(Problem.PAST)
    assert rejected == Rejected(Problem.PAST)
    assert rejected != Rejected(Problem.FORMAT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rejected.problem = Problem.FORMAT  # type: ignore[misc]


def test_the_domain_module_uses_only_the_standard_library() -> None:
    source = Path(when.__file__).read_text("utf-8")
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert modules <= {"__future__", "re", "dataclasses", "datetime", "enum", "zoneinfo"}
