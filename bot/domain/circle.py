"""The circle of trust (samarbeidsgruppe) around one job seeker, and who may see what.

The job seeker approves every member by name, role and workplace; a member who is not (or no
longer) approved sees and receives nothing about them. This module is the rule; the core's
``Gate`` is the one place that applies it to every read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.domain.people import Person, Role


class Status(Enum):
    PENDING = "pending"  # registered, waiting for the job seeker's yes
    APPROVED = "approved"
    DECLINED = "declined"
    REMOVED = "removed"  # taken out by the job seeker
    ENDED = "ended"  # handed over, or the participation ended


PROFESSIONAL_ROLES = (Role.JOBBSPESIALIST, Role.BEHANDLER, Role.NAVVEILEDER)
INVITABLE_ROLES = (Role.BEHANDLER, Role.NAVVEILEDER)


@dataclass(frozen=True)
class Membership:
    id: int
    jobseeker_id: int
    member_id: int
    role: Role
    status: Status
    created_at: datetime

    @property
    def approved(self) -> bool:
        return self.status is Status.APPROVED


def may_see(viewer: Person, jobseeker_id: int, memberships: Iterable[Membership]) -> bool:
    """Whether ``viewer`` may see anything about the job seeker: themself, or approved."""
    if viewer.id == jobseeker_id and viewer.role is Role.JOBBSOKER:
        return True
    return any(
        m.jobseeker_id == jobseeker_id and m.member_id == viewer.id and m.approved
        for m in memberships
    )


def may_manage(viewer: Person, jobseeker_id: int, memberships: Iterable[Membership]) -> bool:
    """Scheduling, inviting and handing over: the job seeker's approved jobbspesialist."""
    return viewer.role is Role.JOBBSPESIALIST and may_see(viewer, jobseeker_id, memberships)
