"""What a recipient receives: one copy built for them, the same whether it is sent or previewed.

The items come only from ``bot.domain.consent.approved_items`` (the one place that decides).
The copy leads with what the job seeker asks of this recipient — the research found that
consent alone did not unlock dialogue, because the behandler did not know what the job seeker
wanted said — then the rest, with the meeting's time and place, in the recipient's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.buttons import button
from bot.core.messages import Button, Reply
from bot.core.text import N_
from bot.domain.agenda import NOT_THIS_TIME, PURPOSE, SITUATION, AgendaVersion, Item
from bot.domain.consent import Consent, Recipient, approved_items, asked_of
from bot.domain.meetings import Meeting
from bot.domain.people import Person
from bot.domain.preparation import Raiser

# The sections of a copy, in order. The first ones depend on who reads it.
ASKED = "asked"  # what the job seeker asks of this recipient
ASKED_TOGETHER = "asked_together"  # what the job seeker brings up together with this recipient
PURPOSE_SECTION = "purpose"
SELF = "self"  # the job seeker brings it up
BY_JOBBSPESIALIST = "by_jobbspesialist"
BY_BEHANDLER = "by_behandler"
TOGETHER = "together"
OPEN = "open"  # no one named
SITUATION_SECTION = "situation"
NOT_NOW = "not_this_time"


@dataclass(frozen=True)
class Section:
    kind: str
    items: tuple[Item, ...]


def sections(items: tuple[Item, ...], recipient: Recipient) -> list[Section]:
    """The copy's items grouped for reading: what is asked of this person first."""
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        by_kind.setdefault(_section_of(item, recipient), []).append(item)
    order = (
        ASKED,
        ASKED_TOGETHER,
        PURPOSE_SECTION,
        SELF,
        BY_JOBBSPESIALIST,
        BY_BEHANDLER,
        TOGETHER,
        OPEN,
        SITUATION_SECTION,
        NOT_NOW,
    )
    return [Section(kind, tuple(by_kind[kind])) for kind in order if kind in by_kind]


def _section_of(item: Item, recipient: Recipient) -> str:
    if asked_of(item, recipient):
        return ASKED_TOGETHER if item.raiser == Raiser.TOGETHER.value else ASKED
    if item.kind == PURPOSE:
        return PURPOSE_SECTION
    if item.kind == SITUATION:
        return SITUATION_SECTION
    if item.kind == NOT_THIS_TIME:
        return NOT_NOW
    return {
        Raiser.ME.value: SELF,
        Raiser.JOBBSPESIALIST.value: BY_JOBBSPESIALIST,
        Raiser.BEHANDLER.value: BY_BEHANDLER,
        Raiser.TOGETHER.value: TOGETHER,
    }.get(item.raiser or "", OPEN)


def recipient_of(person: Person) -> Recipient:
    return Recipient(person.id, person.role, person.employer)


def copy_context(
    jobseeker: Person,
    recipient: Person,
    version: AgendaVersion,
    consent: Consent,
    meeting: Meeting,
    attending: list[Person],
) -> dict[str, object]:
    """Everything the copy's template shows: the approved items only, grouped for reading."""
    items = approved_items(version, consent, recipient.id)
    return {
        "name": jobseeker.name,
        "role": recipient.role.value,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "sections": sections(items, recipient_of(recipient)),
        "roles": sorted({p.role.value for p in attending}),
        "team": jobseeker.team or "default",
        "kind": meeting.kind.value,
        "journal": consent.journal and bool(items),
        "items": items,
    }


def copy_replies(
    jobseeker: Person,
    recipient: Person,
    version: AgendaVersion,
    consent: Consent,
    meeting: Meeting,
    attending: list[Person],
    *,
    share_id: int,
) -> list[Reply]:
    """The messages a share sends: the copy (protected from forwarding, with "Lest"), and the
    copyable text for the recipient's own record when the job seeker allowed it."""
    context = copy_context(jobseeker, recipient, version, consent, meeting, attending)
    read = ((button(N_("Read"), "sr", "read", share_id),),)
    return delivered("share", recipient, context, read, f"share:{share_id}")


def delivered(
    folder: str,
    recipient: Person,
    context: dict[str, object],
    read: tuple[tuple[Button, ...], ...],
    ref: str,
) -> list[Reply]:
    """A copy as it goes out (``<folder>/copy.html``, protected from forwarding, with its
    "Lest" button) and, where ``context["journal"]`` says the job seeker allowed it, the text
    for the recipient's own record (``<folder>/journal.html``)."""
    replies = [
        Reply(
            f"{folder}/copy.html",
            recipient.locale,
            context,
            read,
            address=recipient.address,
            protect=True,
            ref=ref,
        )
    ]
    if context["journal"]:
        # Copyable on purpose: not protected (the preview says it cannot be taken back).
        replies.append(
            Reply(
                f"{folder}/journal.html",
                recipient.locale,
                context,
                address=recipient.address,
                ref=ref,
            )
        )
    return replies


def preview_reply(
    jobseeker: Person,
    recipient: Person,
    version: AgendaVersion,
    consent: Consent,
    meeting: Meeting,
    attending: list[Person],
    buttons: tuple[tuple[Button, ...], ...],
) -> Reply:
    """What the job seeker sees before saying yes: the same copy, from the same template.

    Shown in the recipient's language when the job seeker reads that one too; otherwise in the
    job seeker's, with a line saying which language the recipient gets it in.
    """
    context = copy_context(jobseeker, recipient, version, consent, meeting, attending)
    same = recipient.locale is jobseeker.locale
    locale = recipient.locale if same else jobseeker.locale
    return Reply(
        "share/preview.html",
        locale,
        {
            **context,
            "recipient": recipient.name,
            "recipient_role": recipient.role.value,
            "other_language": None if same else recipient.locale.value,
        },
        buttons,
    )


def take_back(
    jobseeker: Person,
    recipient: Person,
    delivery_id: int,
    ref: str,
    *,
    replaced: bool,
    left: bool = False,
    retained: bool = False,
    outside: bool = False,
) -> Reply:
    """Withdraw what one delivery sent: deleted, or overwritten with this short notice once it
    can no longer be deleted (``left``: the recipient deleted their own data; ``retained``:
    deleted after the meeting, as retention does; ``outside``: the recipient is no longer in
    the group, and the job seeker took nothing back)."""
    return Reply(
        "share/overwritten.html",
        recipient.locale,
        {
            "name": jobseeker.name,
            "replaced": replaced,
            "left": left,
            "retained": retained,
            "outside": outside,
        },
        address=recipient.address,
        ref=ref,
        withdraws=delivery_id,
    )
