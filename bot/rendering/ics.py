"""One meeting as an ``.ics`` file (RFC 5545) that calendar apps can import and later update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import STATUS, Calendar, Event

PRODID = "-//Møteklar//NONSGML Møteklar//NB"


@dataclass(frozen=True)
class CalendarEvent:
    """What goes into the file; the caller has already translated ``summary``."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str = ""
    cancelled: bool = False


def event_ics(event: CalendarEvent, timezone: str, now: datetime) -> bytes:
    """A VCALENDAR with one VEVENT in local time and the VTIMEZONE that explains it."""
    for moment in (event.start, event.end, now):
        if moment.utcoffset() is None:
            raise ValueError("aware datetimes are needed")
    if event.end <= event.start:
        raise ValueError("the meeting must end after it starts")
    zone = ZoneInfo(timezone)
    # Local wall time with a TZID, not UTC: a calendar then shows 10.00 for a 10.00 meeting even
    # when it imports the file before a DST change or its own zone rules differ.
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    vevent = Event()
    vevent.uid = event.uid
    # Calendars replace an event with the same UID only when SEQUENCE grows (RFC 5546).
    vevent.sequence = event.sequence
    vevent.stamp = now.astimezone(UTC)
    vevent.start = start
    vevent.end = end
    vevent.summary = event.summary
    vevent.location = event.location
    if event.description:
        vevent.description = event.description
    vevent.status = STATUS.CANCELLED if event.cancelled else STATUS.CONFIRMED
    # Calendar(), not Calendar.new(): .new() adds a random calendar UID on every call.
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.method = "CANCEL" if event.cancelled else "PUBLISH"
    calendar.add_component(vevent)
    # The default span (1970–2038) lists ~135 transitions as RDATEs, which Outlook is reported to
    # misread; the meeting's own year needs none (a meeting over New Year: one per observance).
    calendar.add_missing_timezones(
        first_date=date(start.year, 1, 1), last_date=date(end.year, 12, 31)
    )
    for zone_component in calendar.walk("VTIMEZONE"):
        # icalendar notes in English which years the zone covers: a sentence in a Norwegian
        # file that no calendar needs (the rules themselves say it).
        zone_component.pop("COMMENT", None)
    ics: bytes = calendar.to_ical()
    return ics
