"""The samarbeidsmøte (and the other kinds of meeting): when, where, who attends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.domain.people import Role
from bot.domain.typed import clean, visible

DURATIONS_MINUTES = (30, 45, 60, 90)
PLACE_MAX_LENGTH = 200


class MeetingStatus(Enum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class MeetingKind(Enum):
    """Local practice differs (product.md, "Meetings"); the fixed agenda follows the kind."""

    SAMARBEIDSMOTE = "samarbeidsmote"  # the job seeker, jobbspesialist, behandler, Nav-veileder
    TREPARTSMOTE = "trepartsmote"  # the job seeker, jobbspesialist and behandler
    FELLESSAMTALE = (
        "fellessamtale"  # a joint conversation with the job seeker, often at short notice
    )
    TEAMMOTE = "teammote"  # the team, without the job seeker, who may send points to it

    @property
    def with_jobseeker(self) -> bool:
        """The job seeker attends (a team meeting: no reminders, pin or follow-up for them)."""
        return self is not MeetingKind.TEAMMOTE

    def offers(self, role: Role) -> bool:
        """Whether someone in ``role`` may be asked to come (a trepartsmøte has no Nav)."""
        return not (self is MeetingKind.TREPARTSMOTE and role is Role.NAVVEILEDER)

    def proposes(self, role: Role) -> bool:
        """Whether someone in ``role`` is ticked at first when the jobbspesialist chooses who
        comes: everyone for a samarbeidsmøte, the behandler otherwise."""
        if self is MeetingKind.SAMARBEIDSMOTE:
            return True
        return role is Role.BEHANDLER


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
    kind: MeetingKind = MeetingKind.SAMARBEIDSMOTE

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def attends(self, person_id: int) -> bool:
        return any(a.person_id == person_id for a in self.attendees)

    def upcoming(self, now: datetime) -> bool:
        return self.status is MeetingStatus.PLANNED and self.ends_at > now

    def held(self, now: datetime) -> bool:
        """It took place (as far as Møteklar knows): planned, not cancelled, and begun."""
        return self.status is MeetingStatus.PLANNED and self.starts_at <= now

    @property
    def jobseeker_attends(self) -> bool:
        return any(a.person_id == self.jobseeker_id and not a.cannot_come for a in self.attendees)


def clean_place(text: str) -> str | None:
    place = " ".join(clean(text).split())
    if not visible(place) or len(place) > PLACE_MAX_LENGTH or place.startswith("/"):
        return None
    return place
