"""When reminders are due and whether a due one is sent: bot.domain.reminders, on clocks the
tests set, in Europe/Oslo, across both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.durations import Duration, QuietHours, parse_durations
from bot.domain.reminders import (
    Facts,
    Kind,
    Later,
    Policy,
    Reason,
    Reminder,
    Send,
    Skip,
    later_due,
    out_of_quiet_hours,
    plan,
    snoozed,
    verdict,
)

OSLO = ZoneInfo("Europe/Oslo")
POLICY = Policy(zone=OSLO)  # 3d, 1d+2h, quiet 21-08
OLA, KARI = 1, 2


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def due(planned: list, kind: Kind, person: int = OLA) -> list[datetime]:
    return sorted(
        p.due_at.astimezone(OSLO) for p in planned if p.kind is kind and p.person_id == person
    )


def test_the_defaults_for_a_meeting_at_ten() -> None:
    start = oslo(2026, 12, 10, 10, 0)
    planned = plan(start, [(OLA, True), (KARI, False)], POLICY, oslo(2026, 12, 1, 9, 0))
    assert due(planned, Kind.PREP) == [oslo(2026, 12, 7, 10, 0)]
    assert due(planned, Kind.MEETING) == [oslo(2026, 12, 9, 10, 0), oslo(2026, 12, 10, 8, 0)]
    assert due(planned, Kind.MEETING, KARI) == due(planned, Kind.MEETING)
    # The pin when the meeting day's quiet hours end; only the job seeker has one (and a prep).
    assert due(planned, Kind.PIN) == [oslo(2026, 12, 10, 8, 0)]
    assert due(planned, Kind.PREP, KARI) == due(planned, Kind.PIN, KARI) == []
    assert {p.for_start for p in planned} == {start}


def test_a_team_meeting_without_the_jobseeker_gives_them_nothing() -> None:
    planned = plan(oslo(2026, 12, 10, 10, 0), [(KARI, False)], POLICY, oslo(2026, 12, 1, 9, 0))
    assert {p.person_id for p in planned} == {KARI}
    assert {p.kind for p in planned} == {Kind.MEETING}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 2h before 09.00 is 07.00 (quiet): the window ends 08.00, a full hour before.
        (oslo(2026, 12, 10, 9, 0), oslo(2026, 12, 10, 8, 0)),
        # 2h before 08.30 is 06.30: 08.00 leaves only half an hour, so just before 21.00.
        (oslo(2026, 12, 10, 8, 30), oslo(2026, 12, 9, 20, 59)),
        # A meeting at 07.00 itself: the evening before.
        (oslo(2026, 12, 10, 7, 0), oslo(2026, 12, 9, 20, 59)),
        # 2h before 22.30 is 20.30: not quiet, unchanged.
        (oslo(2026, 12, 10, 22, 30), oslo(2026, 12, 10, 20, 30)),
    ],
)
def test_quiet_hours_move_a_reminder(start: datetime, expected: datetime) -> None:
    two_hours = Duration.parse("2h").before(start)
    assert out_of_quiet_hours(two_hours, start, POLICY) == expected


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    policy = Policy(zone=OSLO, quiet=QuietHours(time(12), time(14)))
    start = oslo(2026, 12, 10, 16, 0)
    assert out_of_quiet_hours(oslo(2026, 12, 10, 13, 0), start, policy) == oslo(2026, 12, 10, 14, 0)
    start = oslo(2026, 12, 10, 14, 30)
    assert out_of_quiet_hours(oslo(2026, 12, 10, 13, 0), start, policy) == oslo(
        2026, 12, 10, 11, 59
    )


def test_quiet_hours_from_midnight_are_read_in_local_time() -> None:
    # 00.30 in Oslo is still the day before in UTC: the window is the local night's.
    policy = Policy(zone=OSLO, quiet=QuietHours(time(0), time(6)))
    start = oslo(2026, 12, 10, 10, 0)
    assert out_of_quiet_hours(oslo(2026, 12, 10, 0, 30), start, policy) == oslo(2026, 12, 10, 6, 0)
    close = oslo(2026, 12, 10, 6, 30)
    assert out_of_quiet_hours(oslo(2026, 12, 10, 0, 30), close, policy) == oslo(2026, 12, 9, 23, 59)


def test_no_quiet_hours() -> None:
    policy = Policy(zone=OSLO, quiet=None)
    moment = oslo(2026, 12, 10, 3, 0)
    assert out_of_quiet_hours(moment, oslo(2026, 12, 10, 9, 0), policy) == moment


# -- across daylight saving ---------------------------------------------------------------------


def test_spring_forward() -> None:
    """Summer time begins Sunday 29 March 2026 at 02.00 (to 03.00): the night is an hour short."""
    start = oslo(2026, 3, 30, 9, 0)  # Monday, summer time (UTC+2)
    planned = plan(start, [(OLA, True)], POLICY, oslo(2026, 3, 1, 12, 0))
    # Days are calendar days: 09.00 the day before, in winter time's last day... now summer.
    assert due(planned, Kind.MEETING) == [oslo(2026, 3, 29, 9, 0), oslo(2026, 3, 30, 8, 0)]
    assert [d.utcoffset() for d in due(planned, Kind.MEETING)] == [timedelta(hours=2)] * 2
    assert due(planned, Kind.PREP) == [oslo(2026, 3, 27, 9, 0)]  # Friday, still winter time
    assert due(planned, Kind.PREP)[0].utcoffset() == timedelta(hours=1)

    # 12 hours (absolute) before Sunday 10.00 summer time is Saturday 21.00 winter time: quiet.
    # The window ends Sunday 08.00 summer time, two hours before.
    sunday = oslo(2026, 3, 29, 10, 0)
    twelve = Duration.parse("12h").before(sunday)
    assert twelve.astimezone(UTC) == datetime(2026, 3, 28, 20, 0, tzinfo=UTC)
    moved = out_of_quiet_hours(twelve, sunday, POLICY)
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # 08.00 CEST

    # Sunday 08.30: 2h before is 06.30, 08.00 is too close: just before Saturday's 21.00 (CET).
    early = oslo(2026, 3, 29, 8, 30)
    moved = out_of_quiet_hours(Duration.parse("2h").before(early), early, POLICY)
    assert moved.astimezone(UTC) == datetime(2026, 3, 28, 19, 59, tzinfo=UTC)


def test_fall_back() -> None:
    """Summer time ends Sunday 25 October 2026 at 03.00 (to 02.00): the night has 25 hours."""
    start = oslo(2026, 10, 25, 12, 0)  # Sunday, winter time (UTC+1)
    ten = Duration.parse("10h").before(start)  # 01.00 UTC: 02.00 winter time, the second 02.00
    assert ten.astimezone(UTC) == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    moved = out_of_quiet_hours(ten, start, POLICY)
    assert moved.astimezone(UTC) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # 08.00 CET

    close = oslo(2026, 10, 25, 8, 30)
    moved = out_of_quiet_hours(Duration.parse("2h").before(close), close, POLICY)
    # Just before Saturday's 21.00, still summer time (UTC+2).
    assert moved.astimezone(UTC) == datetime(2026, 10, 24, 18, 59, tzinfo=UTC)

    monday = oslo(2026, 10, 26, 9, 0)
    planned = plan(monday, [(OLA, True)], POLICY, oslo(2026, 10, 1, 12, 0))
    assert due(planned, Kind.MEETING) == [oslo(2026, 10, 25, 9, 0), oslo(2026, 10, 26, 8, 0)]
    assert due(planned, Kind.PREP) == [oslo(2026, 10, 23, 9, 0)]
    assert due(planned, Kind.PREP)[0].utcoffset() == timedelta(hours=2)


# -- planned late or close ------------------------------------------------------------------------


def test_a_meeting_planned_close_gets_only_what_is_still_ahead() -> None:
    start = oslo(2026, 12, 10, 10, 0)
    now = oslo(2026, 12, 9, 12, 0)  # the 1d reminder is past: the news of the meeting says it
    planned = plan(start, [(OLA, True)], POLICY, now)
    assert due(planned, Kind.MEETING) == [oslo(2026, 12, 10, 8, 0)]
    # The prep invitation (3d) could help until halfway to the meeting: past that, none.
    assert due(planned, Kind.PREP) == []


def test_a_prep_invitation_already_due_is_made_for_now_while_it_helps() -> None:
    start = oslo(2026, 12, 10, 10, 0)
    now = oslo(2026, 12, 8, 10, 0)  # two days before: 3d is past, halfway (1.5 days) is not
    assert due(plan(start, [(OLA, True)], POLICY, now), Kind.PREP) == [now]
    # Planned at 22.00 three days before, it waits for the morning (still before halfway).
    evening = oslo(2026, 12, 7, 22, 0)
    assert due(plan(start, [(OLA, True)], POLICY, evening), Kind.PREP) == [oslo(2026, 12, 8, 8, 0)]
    # At 22.00 two days before, the morning is past halfway: none.
    assert due(plan(start, [(OLA, True)], POLICY, oslo(2026, 12, 8, 22, 0)), Kind.PREP) == []


def test_offsets_moved_to_the_same_moment_are_one_reminder() -> None:
    policy = Policy(zone=OSLO, meeting=parse_durations("3h,2h"))
    start = oslo(2026, 12, 10, 9, 0)  # 06.00 and 07.00 both move to 08.00
    planned = plan(start, [(KARI, False)], policy, oslo(2026, 12, 1, 9, 0))
    assert due(planned, Kind.MEETING, KARI) == [oslo(2026, 12, 10, 8, 0)]


def test_seconds_for_the_tests() -> None:
    policy = Policy(
        zone=OSLO, prep=Duration.parse("90s"), meeting=parse_durations("60s,30s"), quiet=None
    )
    start = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    now = start - timedelta(minutes=5)
    planned = plan(start, [(OLA, True)], policy, now)
    assert {(p.kind, p.label): p.due_at for p in planned} == {
        (Kind.PREP, "90s"): start - timedelta(seconds=90),
        (Kind.MEETING, "60s"): start - timedelta(seconds=60),
        (Kind.MEETING, "30s"): start - timedelta(seconds=30),
        (Kind.PIN, ""): now,  # the meeting day began hours ago: pinned at once
    }


# -- due: sent, later or skipped --------------------------------------------------------------------


START = oslo(2026, 12, 10, 10, 0)
END = START + timedelta(hours=1)


def reminder(kind: Kind, at: datetime, *, rid: int = 1, person: int = OLA) -> Reminder:
    return Reminder(rid, 7, person, kind, "", at, START)


def facts(**changes: object) -> Facts:
    values: dict[str, object] = {
        "meeting_planned": True,
        "starts_at": START,
        "ends_at": END,
        "may_tell": True,
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def test_a_due_reminder_is_sent() -> None:
    at = oslo(2026, 12, 9, 10, 0)
    assert verdict(reminder(Kind.MEETING, at), facts(), at, POLICY) == Send()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"meeting_planned": False}, Reason.GONE),
        ({"may_tell": False}, Reason.GONE),
        ({"cannot_come": True}, Reason.CANNOT_COME),
        ({"turned_off": True}, Reason.OFF),
        ({"later_due": True}, Reason.SUPERSEDED),
    ],
)
def test_a_meeting_reminder_that_no_longer_makes_sense(changes: dict, reason: Reason) -> None:
    at = oslo(2026, 12, 9, 10, 0)
    assert verdict(reminder(Kind.MEETING, at), facts(**changes), at, POLICY) == Skip(reason)


def test_never_after_the_meeting_started() -> None:
    planned = oslo(2026, 12, 10, 8, 0)
    assert verdict(reminder(Kind.MEETING, planned), facts(), START, POLICY) == Skip(Reason.LATE)
    just_before = START - timedelta(minutes=1)
    assert verdict(reminder(Kind.MEETING, planned), facts(), just_before, POLICY) == Send()


def test_a_prep_invitation_late_or_to_someone_prepared() -> None:
    planned = oslo(2026, 12, 7, 10, 0)  # three days before: it can help until 8 Dec 22.00
    prep = reminder(Kind.PREP, planned)
    # Late and in quiet hours: the morning would be past the halfway mark.
    assert verdict(prep, facts(), oslo(2026, 12, 8, 21, 0), POLICY) == Skip(Reason.QUIET)
    assert verdict(prep, facts(), oslo(2026, 12, 8, 20, 0), POLICY) == Send()
    assert verdict(prep, facts(), oslo(2026, 12, 8, 22, 0), POLICY) == Skip(Reason.LATE)
    assert verdict(prep, facts(prepared=True), planned, POLICY) == Skip(Reason.PREPARED)


def test_a_late_reminder_in_quiet_hours_waits_for_the_morning_or_is_dropped() -> None:
    one_day = reminder(Kind.MEETING, oslo(2026, 12, 9, 10, 0))
    at_night = oslo(2026, 12, 10, 3, 0)  # the bot came back at 03.00
    assert verdict(one_day, facts(), at_night, POLICY) == Later(oslo(2026, 12, 10, 8, 0))
    # A meeting at 08.30: 08.00 is too close, and just before 21.00 is past. Nobody is woken.
    early = facts(starts_at=oslo(2026, 12, 10, 8, 30), ends_at=oslo(2026, 12, 10, 9, 30))
    assert verdict(one_day, early, at_night, POLICY) == Skip(Reason.QUIET)
    # A pin comes silently: it goes at once.
    pin = reminder(Kind.PIN, oslo(2026, 12, 9, 20, 59))
    assert verdict(pin, early, at_night, POLICY) == Send()


def test_only_the_latest_of_several_missed_meeting_reminders() -> None:
    first = reminder(Kind.MEETING, oslo(2026, 12, 9, 10, 0), rid=1)
    second = reminder(Kind.MEETING, oslo(2026, 12, 10, 8, 0), rid=2)
    other = reminder(Kind.MEETING, oslo(2026, 12, 10, 8, 0), rid=3, person=KARI)
    both = [first, second, other]
    assert later_due(first, both, oslo(2026, 12, 10, 9, 0))
    assert not later_due(second, both, oslo(2026, 12, 10, 9, 0))
    assert not later_due(first, both, oslo(2026, 12, 9, 10, 0))  # on time: the second not due


def test_remind_me_tomorrow() -> None:
    now = oslo(2026, 12, 7, 10, 5)
    assert snoozed(now, START, POLICY) == oslo(2026, 12, 8, 10, 5)
    # Asked at 22.30 (quiet hours tomorrow too): the morning after.
    assert snoozed(oslo(2026, 12, 7, 22, 30), START, POLICY) == oslo(2026, 12, 9, 8, 0)
    # Tomorrow at this time is less than an hour before the meeting: no.
    assert snoozed(oslo(2026, 12, 9, 9, 30), START, POLICY) is None
