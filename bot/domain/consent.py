"""Consent: which of the job seeker's agenda items a recipient may receive. The one place that
decides it; every copy that is sent is made by ``approved_items``.

What is proposed (ticked in the preview) follows product.md, "Sharing", and the research behind
it (health information and Nav are separate worlds; the therapist holds back unless told what
the job seeker wants said):

- an item is always proposed to whoever is to raise it ("we do it together": the jobbspesialist,
  who leads the meeting);
- items about health, treatment or åpenhet are otherwise proposed only to recipients employed
  in the health service: the behandler, and the jobbspesialist when her employer is ``helse``;
- how things are going and "Noe annet" (the job seeker's free text) are shown to the
  Nav-veileder unticked;
- "not this time" is proposed only to the jobbspesialist;
- words that brought the safety note are never proposed;
- everything else (the purpose, other topics) is proposed to everyone.

The job seeker can tick or untick anything for each recipient. Consent binds one recipient to
one agenda version: a copy holds exactly the approved items of exactly that version.

What was agreed after a meeting (``bot.domain.agreements``) is the job seeker's too, and shared
by the same rules, version by version: a task is always proposed to its owner; the rest of the
job seeker's and others' tasks to the jobbspesialist (who leads the follow-up), not to the
behandler or the Nav-veileder unless the job seeker ticks them; the next meeting to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Protocol, TypeVar

from bot.domain.agenda import NOT_THIS_TIME, SITUATION, AgendaVersion, Item
from bot.domain.agreements import AgreedItem, Agreement, Task
from bot.domain.people import Employer, Role
from bot.domain.preparation import OTHER, Raiser


class Keyed(Protocol):
    """A point that can be shared, named by a key stable across versions."""

    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=Keyed, covariant=True)
T = TypeVar("T", bound=Keyed)


class Version(Protocol[K]):
    """Something consent binds to: an agenda version, or a version of what was agreed."""

    @property
    def id(self) -> int: ...
    @property
    def items(self) -> tuple[K, ...]: ...


# Who raises an item, as the role that is asked to.
_RAISED_BY = {
    Raiser.JOBBSPESIALIST.value: Role.JOBBSPESIALIST,
    Raiser.BEHANDLER.value: Role.BEHANDLER,
    Raiser.TOGETHER.value: Role.JOBBSPESIALIST,
}


class ConsentMismatch(Exception):
    """A consent used for another recipient or another version than it was given for."""


@dataclass(frozen=True)
class Recipient:
    """Someone in the circle who may receive a copy."""

    person_id: int
    role: Role
    employer: Employer | None = None

    @property
    def health_service(self) -> bool:
        """Employed in the health service: may be proposed health, treatment and åpenhet."""
        if self.role is Role.BEHANDLER:
            return True
        return self.role is Role.JOBBSPESIALIST and self.employer is Employer.HELSE


@dataclass(frozen=True)
class Consent:
    """The job seeker's yes: these items of this version, to this recipient."""

    recipient_id: int
    version_id: int
    keys: frozenset[str]
    journal: bool = False  # also a copyable text for the recipient's own record system

    def toggled(self, key: str) -> Consent:
        return replace(self, keys=self.keys ^ {key})


def asked_of(item: Item, recipient: Recipient) -> bool:
    """Whether the job seeker asks this recipient to raise (or explain) the item."""
    return item.raiser is not None and _RAISED_BY.get(item.raiser) is recipient.role


def proposed(item: Item, recipient: Recipient) -> bool:
    """Whether the item is ticked for this recipient before the job seeker changes anything."""
    if item.crisis:
        return False
    if asked_of(item, recipient):
        return True
    if item.kind == NOT_THIS_TIME:
        return recipient.role is Role.JOBBSPESIALIST
    if item.health:
        return recipient.health_service
    free_text = item.kind == SITUATION or item.topic == OTHER
    return not (free_text and recipient.role is Role.NAVVEILEDER)


def proposal(version: AgendaVersion, recipient: Recipient) -> Consent:
    """What the preview shows ticked at first, for one recipient and one version."""
    return Consent(
        recipient.person_id,
        version.id,
        frozenset(item.key for item in version.items if proposed(item, recipient)),
        journal=recipient.health_service,
    )


def carried_over(
    previous: Consent, before: AgendaVersion, version: AgendaVersion, recipient: Recipient
) -> Consent:
    """A new version for someone who has an earlier one: the same choices for the points that
    were there before; new points as proposed. Still only a proposal: the job seeker confirms."""
    return _carried(previous, before, version, recipient, proposed)


def approved_items(version: Version[T], consent: Consent, recipient_id: int) -> tuple[T, ...]:
    """The items a copy holds: exactly those approved, of exactly the approved version, for the
    recipient it was given for — in the version's order. The one place that decides, for the
    agenda and for what was agreed alike."""
    if consent.version_id != version.id or consent.recipient_id != recipient_id:
        raise ConsentMismatch
    return tuple(item for item in version.items if item.key in consent.keys)


# -- what was agreed ---------------------------------------------------------------------------


def agreed_proposed(item: AgreedItem, recipient: Recipient) -> bool:
    """Whether a part of what was agreed is ticked for this recipient at first."""
    if not isinstance(item, Task):
        return True  # the next meeting: everyone who may come needs to know when it is
    if item.owner_id == recipient.person_id:
        return True  # one's own task
    return recipient.role is Role.JOBBSPESIALIST


def agreed_proposal(agreement: Agreement, recipient: Recipient) -> Consent:
    """What the preview of what was agreed shows ticked at first."""
    return Consent(
        recipient.person_id,
        agreement.id,
        frozenset(item.key for item in agreement.items if agreed_proposed(item, recipient)),
        journal=recipient.health_service,
    )


def agreed_carried_over(
    previous: Consent, before: Agreement, agreement: Agreement, recipient: Recipient
) -> Consent:
    """A newer version of what was agreed, for someone who has an earlier one."""
    return _carried(previous, before, agreement, recipient, agreed_proposed)


def _carried(
    previous: Consent,
    before: Version[T],
    version: Version[T],
    recipient: Recipient,
    propose: Callable[[T, Recipient], bool],
) -> Consent:
    if previous.version_id != before.id:
        raise ConsentMismatch
    known = {item.key for item in before.items}
    keys = {
        item.key
        for item in version.items
        if (item.key in previous.keys if item.key in known else propose(item, recipient))
    }
    return Consent(recipient.person_id, version.id, frozenset(keys), previous.journal)


class ShareStatus(Enum):
    SHARED = "shared"
    WITHDRAWN = "withdrawn"  # taken back by the job seeker (or as the recipient left)
    REPLACED = "replaced"  # a newer version was shared with the same person


@dataclass(frozen=True)
class Share:
    """One copy given to one recipient: the share log's entry.

    ``recipient_id`` is None once the recipient's account is deleted; the role stays.
    """

    id: int
    jobseeker_id: int
    recipient_id: int | None
    recipient_role: Role
    meeting_id: int | None
    version_id: int
    keys: frozenset[str]
    journal: bool
    status: ShareStatus
    shared_at: datetime
    read_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status is ShareStatus.SHARED

    @property
    def consent(self) -> Consent:
        """The consent this copy was made from."""
        return Consent(self.recipient_id or 0, self.version_id, self.keys, self.journal)
