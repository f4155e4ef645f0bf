"""The .ics file for a meeting, read back with icalendar the way a calendar app would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.rendering.ics import CalendarEvent, event_ics

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 1, 12, 30, 15, tzinfo=OSLO)


def meeting(**changes: object) -> CalendarEvent:
    fields: dict[str, object] = {
        "uid": "meeting-42@moteklar",
        "sequence": 0,
        "start": datetime(2026, 12, 10, 10, 0, tzinfo=OSLO),
        "end": datetime(2026, 12, 10, 11, 0, tzinfo=OSLO),
        "summary": "Samarbeidsmøte",
        "location": "DPS Solvang, rom 2",
        "description": "Agenda følger.",
    }
    fields.update(changes)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def parsed(event: CalendarEvent, now: datetime = NOW) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(event_ics(event, "Europe/Oslo", now))
    assert isinstance(calendar, Calendar)
    assert len(calendar.events) == 1
    return calendar, calendar.events[0]


def test_every_field() -> None:
    calendar, event = parsed(meeting(sequence=3))
    assert str(calendar["PRODID"]) == "-//Møteklar//NONSGML Møteklar//NB"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == "meeting-42@moteklar"
    assert event["SEQUENCE"] == 3
    # DTSTAMP is now, in UTC (12.30.15 in Oslo in November is 11.30.15 UTC).
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 1, 11, 30, 15, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event["DTEND"].params["TZID"] == "Europe/Oslo"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 10, 0, tzinfo=OSLO)
    assert event.decoded("DTEND") == datetime(2026, 12, 10, 11, 0, tzinfo=OSLO)
    assert str(event["SUMMARY"]) == "Samarbeidsmøte"
    assert str(event["LOCATION"]) == "DPS Solvang, rom 2"
    assert str(event["DESCRIPTION"]) == "Agenda følger."
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_raw_lines_a_calendar_app_reads() -> None:
    ics = event_ics(meeting(sequence=3), "Europe/Oslo", NOW)
    lines = ics.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert b"METHOD:PUBLISH" in lines
    assert b"DTSTART;TZID=Europe/Oslo:20261210T100000" in lines
    assert b"DTEND;TZID=Europe/Oslo:20261210T110000" in lines
    assert b"DTSTAMP:20261101T113015Z" in lines
    assert b"SEQUENCE:3" in lines
    assert b"STATUS:CONFIRMED" in lines
    # The zone is defined before the event that uses it (some importers read top to bottom).
    assert ics.index(b"BEGIN:VTIMEZONE") < ics.index(b"BEGIN:VEVENT")


@pytest.mark.parametrize(
    ("start_utc", "local_day", "offset"),
    [
        (datetime(2026, 12, 10, 9, 0, tzinfo=UTC), date(2026, 12, 10), timedelta(hours=1)),
        (datetime(2026, 10, 24, 8, 0, tzinfo=UTC), date(2026, 10, 24), timedelta(hours=2)),
        (datetime(2026, 10, 26, 9, 0, tzinfo=UTC), date(2026, 10, 26), timedelta(hours=1)),
    ],
)
def test_ten_oclock_stays_ten_oclock_in_summer_and_winter(
    start_utc: datetime, local_day: date, offset: timedelta
) -> None:
    # The caller may hand over UTC (as stored); the file says 10.00 in Oslo either way.
    ics = event_ics(
        meeting(start=start_utc, end=start_utc + timedelta(hours=1)), "Europe/Oslo", NOW
    )
    stamp = local_day.strftime("%Y%m%d").encode()
    assert b"DTSTART;TZID=Europe/Oslo:" + stamp + b"T100000" in ics.split(b"\r\n")
    assert b"DTEND;TZID=Europe/Oslo:" + stamp + b"T110000" in ics.split(b"\r\n")
    calendar = Calendar.from_ical(ics)
    start = calendar.events[0].decoded("DTSTART")
    assert (start.date(), start.hour, start.minute) == (local_day, 10, 0)
    assert start.utcoffset() == offset
    # The VTIMEZONE itself (not just the zone's name) puts 10.00 at the right instant.
    own_zone = calendar.timezones[0].to_tz(lookup_tzid=False)
    wall = datetime.combine(local_day, datetime.min.time()).replace(hour=10, tzinfo=own_zone)
    assert wall.astimezone(UTC) == start_utc


def test_a_meeting_moved_across_the_dst_change_keeps_its_local_time() -> None:
    before = parsed(
        meeting(
            start=datetime(2026, 10, 24, 10, 0, tzinfo=OSLO),
            end=datetime(2026, 10, 24, 11, 0, tzinfo=OSLO),
        )
    )[1].decoded("DTSTART")
    moved = parsed(
        meeting(
            sequence=1,
            start=datetime(2026, 10, 26, 10, 0, tzinfo=OSLO),
            end=datetime(2026, 10, 26, 11, 0, tzinfo=OSLO),
        )
    )[1].decoded("DTSTART")
    assert (before.hour, moved.hour) == (10, 10)
    assert moved.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=2, hours=1)


def test_the_vtimezone_describes_oslo() -> None:
    calendar, _ = parsed(meeting())
    assert len(calendar.timezones) == 1
    zone = calendar.timezones[0]
    assert zone.tz_name == "Europe/Oslo"
    assert timedelta(hours=1) in {part.TZOFFSETTO for part in zone.standard}
    assert timedelta(hours=2) in {part.TZOFFSETTO for part in zone.daylight}


def test_a_meeting_over_new_year_has_a_zone_for_both_years() -> None:
    start = datetime(2026, 12, 31, 23, 30, tzinfo=OSLO)
    calendar, event = parsed(meeting(start=start, end=start + timedelta(hours=1)))
    own_zone = calendar.timezones[0].to_tz(lookup_tzid=False)
    # Summer 2027 must be described too, or the zone would end at the meeting's first year.
    assert datetime(2027, 7, 1, 12, 0, tzinfo=own_zone).utcoffset() == timedelta(hours=2)
    assert event.decoded("DTEND") == datetime(2027, 1, 1, 0, 30, tzinfo=OSLO)


def test_cancelled() -> None:
    calendar, event = parsed(meeting(cancelled=True, sequence=2))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["UID"]) == "meeting-42@moteklar"


@pytest.mark.parametrize("sequence", [0, 1, 7, 123])
def test_sequence_is_kept(sequence: int) -> None:
    assert parsed(meeting(sequence=sequence))[1]["SEQUENCE"] == sequence


def test_no_description_means_no_description_property() -> None:
    assert "DESCRIPTION" not in parsed(meeting(description=""))[1]


SPECIAL = [
    "Čáhppes, ŋ",
    "DPS Solvang, rom 2; inngang B",
    "første linje\nandre linje\n\ntredje",
    "<b>fet</b> & <i>kursiv</i> &amp; &lt;",
    "😊 møte 🙂👍🏽 👨‍👩‍👧",
    "Ærlig, ørlite, åpent: ÆØÅ æøå",
    "Sámi: Áá Čč Đđ Ŋŋ Šš Ŧŧ Žž",
    r"C:\mapper\ny; \n er ikke linjeskift",
    "Sitat: \"hei\" og 'hei' og: kolon",
    "  mellomrom foran og bak  ",
    "Lang " + "øæå😊" * 60,  # folded over many lines, never inside a character
]


@pytest.mark.parametrize("text", SPECIAL)
def test_special_text_round_trips_exactly(text: str) -> None:
    ics = event_ics(meeting(summary=text, location=text, description=text), "Europe/Oslo", NOW)
    event = Calendar.from_ical(ics).events[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["LOCATION"]) == text
    assert str(event["DESCRIPTION"]) == text
    # RFC 5545: lines end in CRLF and are at most 75 octets; the file is valid UTF-8.
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    assert b"\n" not in ics.replace(b"\r\n", b"")
    ics.decode("utf-8")


def test_windows_line_breaks_come_back_as_plain_line_breaks() -> None:
    # iCalendar has one escape for a line break (\n); a carriage return cannot survive.
    event = parsed(meeting(location="rom 2\r\nbygg B"))[1]
    assert str(event["LOCATION"]) == "rom 2\nbygg B"


def test_the_same_meeting_gives_the_same_bytes() -> None:
    # Nothing random (such as a calendar UID) sneaks into the file.
    assert event_ics(meeting(), "Europe/Oslo", NOW) == event_ics(meeting(), "Europe/Oslo", NOW)


def test_another_zone_is_honoured() -> None:
    ics = event_ics(meeting(), "Europe/Helsinki", NOW)
    assert b"DTSTART;TZID=Europe/Helsinki:20261210T110000" in ics.split(b"\r\n")
    assert b"TZID:Europe/Helsinki" in ics.split(b"\r\n")


@pytest.mark.parametrize(
    "changes",
    [
        {"start": datetime(2026, 12, 10, 10, 0)},
        {"end": datetime(2026, 12, 10, 11, 0)},
        {"end": datetime(2026, 12, 10, 10, 0, tzinfo=OSLO)},
        {"end": datetime(2026, 12, 10, 9, 0, tzinfo=OSLO)},
    ],
)
def test_naive_or_backwards_times_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        event_ics(meeting(**changes), "Europe/Oslo", NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        event_ics(meeting(), "Europe/Oslo", datetime(2026, 11, 1, 12, 0))


def test_a_norwegian_file_carries_no_english_sentence() -> None:
    """Issue 10: icalendar wrote "COMMENT:This timezone only works from …" into the zone."""
    from bot.core.messages import CalendarFile
    from bot.domain.people import Locale
    from bot.rendering.renderer import Renderer

    file = CalendarFile(
        7,
        0,
        datetime(2026, 12, 10, 9, tzinfo=UTC),
        datetime(2026, 12, 10, 10, tzinfo=UTC),
        "DPS Solvang",
    )
    for locale, summary in ((Locale.NB, "Samarbeidsmøte"), (Locale.NN, "Samarbeidsmøte")):
        _, data = Renderer("Europe/Oslo").calendar_file(locale, file, NOW)
        text = data.decode()
        assert "COMMENT" not in text and "This timezone" not in text
        assert f"SUMMARY:{summary}" in text
