"""The samarbeidsmøte: when, where, who attends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.domain.typed import clean, visible

DURATIONS_MINUTES = (30, 45, 60, 90)
PLACE_MAX_LENGTH = 200


class MeetingStatus(Enum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Attendee:
    person_id: int
    cannot_come: bool = False


@dataclass(frozen=True)
class Meeting:
    id: int
    jobseeker_id: int
    organiser_id: int | None
    starts_at: datetime
    ends_at: datetime
    place: str
    status: MeetingStatus
    sequence: int  # bumped on every change, so calendar files update the same event
    attendees: tuple[Attendee, ...] = ()

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def attends(self, person_id: int) -> bool:
        return any(a.person_id == person_id for a in self.attendees)

    def upcoming(self, now: datetime) -> bool:
        return self.status is MeetingStatus.PLANNED and self.ends_at > now


def clean_place(text: str) -> str | None:
    place = " ".join(clean(text).split())
    if not visible(place) or len(place) > PLACE_MAX_LENGTH or place.startswith("/"):
        return None
    return place
