"""A person's own data: deleting everything about them (``/slett``, GDPR art. 17).

What is deleted, row by row, is decided in storage (``bot.storage.repositories.personal``);
what must happen first is decided here, as sharing decides it: every copy still shared is
withdrawn (deleted within 47 hours of sending, overwritten after), and the people who worked
with the person are told in plain words. Those messages, the withdrawals and the goodbye are
all that is left of the person afterwards, kept under ``FORGET`` until they are settled.

A job seeker's meetings go with them (taken out of Møteklar: everyone attending is told, and
may still meet outside it). A professional leaves every circle; the job seekers keep their
share logs with the role only. A jobbspesialist who is the only one a job seeker has is asked
to hand over first (``/inviter``); if she deletes anyway, the job seeker is told kindly that
nothing changes in their IPS follow-up, and nothing of theirs is lost: their meetings,
preparations and what they shared with others stay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.access import NotAllowed
from bot.core.messages import Reply
from bot.core.ports import UnitOfWork
from bot.core.services import Change, sharing
from bot.domain.consent import ShareStatus
from bot.domain.delivery import FORGET
from bot.domain.people import Role


async def erase(change: Change) -> list[Reply]:
    """Delete everything about the person acting; the messages this owes other people."""
    person = change.actor
    if person.role is Role.JOBBSOKER:
        notices = await _jobseeker_leaves(change)
    else:
        notices = await _professional_leaves(change)
    keep = {n.withdraws for n in notices if n.withdraws is not None}
    await change.uow.personal.erase(person.id, person.address, keep=keep, at=change.now)
    return [replace(notice, ref=FORGET) for notice in notices]


@dataclass(frozen=True)
class Visitor:
    """Someone who is not registered: only what their address left behind (a language chosen,
    an invitation opened, messages on their way) can be stored about them."""

    uow: UnitOfWork
    now: datetime
    address: str

    async def forget(self) -> None:
        await self.uow.personal.erase(0, self.address, keep=(), at=self.now)


async def _jobseeker_leaves(change: Change) -> list[Reply]:
    """Copies withdrawn from everyone; each approved member told once, with the meetings taken
    out of Møteklar that they were to attend."""
    jobseeker = change.actor
    members = {
        m.person.id: m.person
        for m in await change.gate.circle(jobseeker, jobseeker.id)
        if m.membership.approved
    }
    notices: list[Reply] = []
    for share in await change.gate.own_shares(jobseeker):
        recipient = members.get(share.recipient_id or 0)
        if share.active and recipient is not None:
            notices += await sharing.take_back_share(
                change, share, jobseeker, recipient, ShareStatus.WITHDRAWN
            )
    for share in await change.gate.own_agreement_shares(jobseeker):
        recipient = members.get(share.recipient_id or 0)
        if share.active and recipient is not None:
            notices += await sharing.take_back_copy(
                change,
                share,
                jobseeker,
                recipient,
                ShareStatus.WITHDRAWN,
                sharing.agreed_ref(share.id),
            )
    taken_out: dict[int, list[datetime]] = {}
    for meeting in await change.gate.meetings_about(jobseeker, jobseeker.id):
        if meeting.upcoming(change.now):
            for person in await change.gate.recipients(meeting):
                taken_out.setdefault(person.id, []).append(meeting.starts_at)
    for member in members.values():
        notices.append(
            change.notify(
                member,
                "privacy/jobseeker_left.html",
                name=jobseeker.name,
                role=member.role.value,
                meetings=taken_out.get(member.id, []),
            )
        )
    return notices


async def _professional_leaves(change: Change) -> list[Reply]:
    """The copies in their own chat withdrawn; each job seeker whose circle they were in told
    (and whether they now have no jobbspesialist), and the other jobbspesialister there too."""
    me = change.actor
    notices: list[Reply] = []
    for share in await change.gate.received_shares(me):
        if not share.active:
            continue
        try:
            jobseeker = await change.gate.jobseeker(me, share.jobseeker_id)
        except NotAllowed:
            continue
        notices += await sharing.take_back_share(
            change, share, jobseeker, me, ShareStatus.WITHDRAWN, left=True
        )
    for share, _ in await change.gate.received_agreements(me):  # active ones only
        jobseeker = await change.gate.jobseeker(me, share.jobseeker_id)
        notices += await sharing.take_back_copy(
            change,
            share,
            jobseeker,
            me,
            ShareStatus.WITHDRAWN,
            sharing.agreed_ref(share.id),
            left=True,
        )
    alone = {p.id for p in await change.gate.sole_specialist_for(me)}
    for jobseeker in await change.gate.jobseekers_of(me):
        notices.append(
            change.notify(
                jobseeker,
                "privacy/member_left.html",
                name=me.name,
                role=me.role.value,
                alone=jobseeker.id in alone,
            )
        )
        for member in await change.gate.circle(me, jobseeker.id):
            other = member.person
            if other.id != me.id and member.membership.role is Role.JOBBSPESIALIST:
                notices.append(
                    change.notify(
                        other,
                        "privacy/member_left_specialist.html",
                        name=me.name,
                        role=me.role.value,
                        jobseeker=jobseeker.name,
                    )
                )
    return notices
