"""Sharing as use cases: share a version with one recipient, withdraw, mark read, keep copies up
to date when a meeting moves. Every copy is built from the job seeker's consent by
``copies.copy_replies``, which takes its items from ``bot.domain.consent`` and nowhere else.

A share's deliveries carry ``ref="share:<id>"``: the outbox says whether each arrived, and a
withdrawal finds them there.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.messages import Reply
from bot.core.services import Change
from bot.core.services.copies import copy_replies, take_back
from bot.core.text import N_
from bot.domain.agenda import AgendaVersion
from bot.domain.consent import Consent, Share, ShareStatus
from bot.domain.delivery import DeliveryStatus, Op
from bot.domain.meetings import Meeting
from bot.domain.people import Person, Role


def ref_of(share_id: int) -> str:
    return f"share:{share_id}"


def agreed_ref(share_id: int) -> str:
    """What the deliveries of a share of what was agreed belong to."""
    return f"agreed:{share_id}"


async def share(
    change: Change, meeting: Meeting, version: AgendaVersion, recipient: Person, consent: Consent
) -> tuple[Share, list[Reply]]:
    """Send the job seeker's approved items of ``version`` to one recipient who attends.

    An earlier copy to the same person for this meeting is replaced: taken back, then the new
    one sent (a new version means a new preview and a new yes, which the caller has had).
    """
    jobseeker = change.actor
    attending = await change.gate.share_recipients(jobseeker, meeting)
    if recipient.id not in {p.id for p in attending} or version.jobseeker_id != jobseeker.id:
        raise NotAllowed
    notices: list[Reply] = []
    for earlier in await _active(change, recipient.id, meeting.id):
        notices += await take_back_share(
            change, earlier, jobseeker, recipient, ShareStatus.REPLACED
        )
    made = await change.uow.shares.add(
        jobseeker_id=jobseeker.id,
        recipient_id=recipient.id,
        recipient_role=recipient.role,
        meeting_id=meeting.id,
        version_id=version.id,
        keys=consent.keys,
        journal=consent.journal,
        at=change.now,
    )
    everyone = [jobseeker, *attending]
    notices += copy_replies(
        jobseeker, recipient, version, consent, meeting, everyone, share_id=made.id
    )
    return made, notices


async def withdraw(change: Change, share: Share, recipient: Person) -> list[Reply]:
    """The job seeker takes a copy back: unsent messages are cancelled, sent ones deleted (or
    overwritten when too old to delete); the recipient is told. It cannot undo that someone
    read it."""
    jobseeker = change.actor
    notices = await take_back_share(change, share, jobseeker, recipient, ShareStatus.WITHDRAWN)
    notices.append(change.notify(recipient, "share/withdrawn_notice.html", name=jobseeker.name))
    return notices


async def withdraw_from(
    change: Change, jobseeker: Person, member: Person, *, by_jobseeker: bool
) -> list[Reply]:
    """Everything the job seeker shared with ``member`` (the agenda, and what was agreed),
    withdrawn: they leave the circle. ``by_jobseeker``: the job seeker took them out, and the
    member is told that the job seeker took it back. Otherwise (a hand-over, the end of
    Møteklar) the job seeker took nothing back: an old copy's notice says neutrally why it went,
    and the caller's own message to the member says it was taken away if this returns any."""
    own = change.actor.id == jobseeker.id
    shares = (
        await change.gate.own_shares(jobseeker)
        if own
        else await change.gate.managed_shares(change.actor, jobseeker.id)
    )
    agreed = (
        await change.gate.own_agreement_shares(jobseeker)
        if own
        else await change.gate.managed_agreement_shares(change.actor, jobseeker.id)
    )
    outside = not by_jobseeker
    agenda: list[Reply] = []
    for found in shares:
        if found.active and found.recipient_id == member.id:
            agenda += await take_back_share(
                change, found, jobseeker, member, ShareStatus.WITHDRAWN, outside=outside
            )
    of_agreed: list[Reply] = []
    for found in agreed:
        if found.active and found.recipient_id == member.id:
            of_agreed += await take_back_copy(
                change,
                found,
                jobseeker,
                member,
                ShareStatus.WITHDRAWN,
                agreed_ref(found.id),
                outside=outside,
            )
    notices = [*agenda, *of_agreed]
    if notices and by_jobseeker:
        # Only what was agreed: the agenda's notice ("before the samarbeidsmøte") would be wrong.
        template = "share/withdrawn_notice.html" if agenda else "agreed/withdrawn_notice.html"
        notices.append(change.notify(member, template, name=jobseeker.name))
    return notices


async def withdraw_meeting(change: Change, meeting: Meeting) -> list[Reply]:
    """The job seeker takes back everything shared for a (cancelled) meeting."""
    jobseeker = change.actor
    notices: list[Reply] = []
    people = {p.id: p for p in await change.gate.share_recipients(jobseeker, meeting)}
    for found in await change.gate.own_shares(jobseeker):
        recipient = people.get(found.recipient_id or 0)
        if found.active and found.meeting_id == meeting.id and recipient is not None:
            notices += await withdraw(change, found, recipient)
    return notices


async def refresh_after_move(change: Change, meeting: Meeting) -> list[Reply]:
    """Copies shared for a meeting that moved show its new time: a copy not sent yet is made
    again; a sent one (one message) is changed in place. A long copy keeps its old text; its
    recipient is told of the new time like everyone attending."""
    jobseeker = await change.gate.jobseeker(change.actor, meeting.jobseeker_id)
    shares = (
        await change.gate.own_shares(jobseeker)
        if change.actor.id == jobseeker.id
        else await change.gate.managed_shares(change.actor, jobseeker.id)
    )
    people = {p.id: p for p in await change.gate.recipients(meeting)}
    attending = [jobseeker, *[p for p in people.values() if p.id != jobseeker.id]]
    notices: list[Reply] = []
    for found in shares:
        recipient = people.get(found.recipient_id or 0)
        if not found.active or found.meeting_id != meeting.id or recipient is None:
            continue
        version = await change.gate.shared_version(change.actor, found)
        consent = Consent(recipient.id, version.id, found.keys, found.journal)
        [copy, *_] = copy_replies(
            jobseeker, recipient, version, consent, meeting, attending, share_id=found.id
        )
        sends = [d for d in await change.uow.outbox.by_ref(ref_of(found.id)) if d.op is Op.SEND]
        if not sends:
            continue
        first = sends[0]
        if first.status is DeliveryStatus.QUEUED:
            await change.uow.outbox.settle(first.id, DeliveryStatus.CANCELLED, change.now)
            notices.append(copy)
        elif first.status is DeliveryStatus.SENT and len(first.message_ids) == 1:
            notices.append(replace(copy, edits=first.message_ids[0]))
    return notices


async def ask_after_cancel(change: Change, meeting: Meeting, jobseeker: Person) -> list[Reply]:
    """A meeting the job seeker shared for is cancelled: ask whether to take it back."""
    shares = await change.gate.managed_shares(change.actor, jobseeker.id)
    if not any(s.active and s.meeting_id == meeting.id for s in shares):
        return []
    rows = (
        (button(N_("Yes, take it back"), "sw", "all", meeting.id),),
        (button(N_("No, leave it"), "sw", "keep", meeting.id),),
    )
    return [change.notify(jobseeker, "share/cancelled.html", rows)]


async def undeliverable(change: Change, share_id: int, recipient: Person) -> list[Reply]:
    """A copy the job seeker shared did not arrive (the recipient blocked the bot): the job
    seeker and their jobbspesialist are told in plain words what they can do."""
    jobseeker = change.actor
    await change.gate.own_share(jobseeker, share_id)
    notices = [change.notify(jobseeker, "share/undeliverable.html", name=recipient.name)]
    for member in await change.gate.circle(jobseeker, jobseeker.id):
        specialist = member.person
        if (
            member.membership.approved
            and specialist.role is Role.JOBBSPESIALIST
            and specialist.id != recipient.id
        ):
            notices.append(
                change.notify(
                    specialist,
                    "share/undeliverable_specialist.html",
                    name=jobseeker.name,
                    recipient=recipient.name,
                )
            )
    return notices


async def mark_read(change: Change, share: Share, jobseeker: Person) -> list[Reply]:
    """The recipient says they have read it; the job seeker is told, once."""
    if share.read_at is not None:
        return []
    await change.uow.shares.mark_read(share.id, change.now)
    return [change.notify(jobseeker, "share/read_notice.html", name=change.actor.name)]


async def show_status(change: Change, shows: bool) -> None:
    """The job seeker decides whether their jobbspesialist sees how far they have come."""
    await change.uow.people.set_shows_prep_status(change.actor.id, shows)


async def delivery_status(change: Change, share: Share) -> DeliveryStatus | None:
    """How the copy's delivery stands (the worst of its messages): None before any is known."""
    deliveries = [d for d in await change.uow.outbox.by_ref(ref_of(share.id)) if d.op is Op.SEND]
    if not deliveries:
        return None
    worst = (
        DeliveryStatus.UNREACHABLE,
        DeliveryStatus.FAILED,
        DeliveryStatus.UNKNOWN,
        DeliveryStatus.EXPIRED,
        DeliveryStatus.CANCELLED,
        DeliveryStatus.SENDING,
        DeliveryStatus.QUEUED,
    )
    statuses = {d.status for d in deliveries}
    return next((s for s in worst if s in statuses), DeliveryStatus.SENT)


async def _active(change: Change, recipient_id: int, meeting_id: int) -> list[Share]:
    return [
        s
        for s in await change.gate.own_shares(change.actor)
        if s.active and s.recipient_id == recipient_id and s.meeting_id == meeting_id
    ]


async def take_back_share(
    change: Change,
    share: Share,
    jobseeker: Person,
    recipient: Person,
    status: ShareStatus,
    *,
    left: bool = False,
    outside: bool = False,
) -> list[Reply]:
    """End the share; cancel what was not sent yet, withdraw what was (or may have been).
    ``left``: the recipient deleted their own data; ``outside``: the recipient left the group
    without the job seeker taking it back (what replaces an old copy says so)."""
    await change.uow.shares.end(share.id, status, change.now)
    return await withdraw_copies(
        change, jobseeker, recipient, ref_of(share.id), status, left=left, outside=outside
    )


async def take_back_copy(
    change: Change,
    share: Share,
    jobseeker: Person,
    recipient: Person,
    status: ShareStatus,
    ref: str,
    *,
    left: bool = False,
    outside: bool = False,
) -> list[Reply]:
    """End a share of what was agreed, and withdraw its copies the same way."""
    await change.uow.agreement_shares.end(share.id, status, change.now)
    return await withdraw_copies(
        change, jobseeker, recipient, ref, status, left=left, outside=outside
    )


async def withdraw_copies(
    change: Change,
    jobseeker: Person,
    recipient: Person,
    ref: str,
    status: ShareStatus,
    *,
    retained: bool = False,
    left: bool = False,
    outside: bool = False,
) -> list[Reply]:
    """Cancel the deliveries of ``ref`` not sent yet, and withdraw those that were (or may
    have been): deleted while Telegram allows it, else overwritten with a short notice
    (``retained``: deleted after the meeting, as retention does; ``left``: the recipient
    deleted their own data; ``outside``: the recipient is no longer in the group)."""
    notices: list[Reply] = []
    for delivery in await change.uow.outbox.by_ref(ref):
        if delivery.op is not Op.SEND:
            continue
        if delivery.status is DeliveryStatus.QUEUED:
            await change.uow.outbox.settle(delivery.id, DeliveryStatus.CANCELLED, change.now)
        elif delivery.status in {
            DeliveryStatus.SENDING,
            DeliveryStatus.SENT,
            DeliveryStatus.UNKNOWN,
        }:
            # Queued after the copy in the recipient's own lane: it runs once the copy's send
            # has settled, so its message ids are known by then.
            replaced = status is ShareStatus.REPLACED
            notices.append(
                take_back(
                    jobseeker,
                    recipient,
                    delivery.id,
                    ref,
                    replaced=replaced,
                    retained=retained,
                    left=left,
                    outside=outside,
                )
            )
    return notices
