"""The job seeker's preparation as use cases: start it, save answers, attach it to a meeting,
finish it (ready, with a new agenda version).

The actor is the job seeker: a preparation is only ever changed by its own job seeker.
Nothing here knows about steps or conversations; the flow keeps those.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.access import NotAllowed
from bot.core.services import Change
from bot.domain.agenda import AgendaVersion, agenda_items
from bot.domain.people import Role
from bot.domain.prep_steps import Bank
from bot.domain.preparation import Answers, Preparation, PrepStatus


async def start(change: Change, meeting_id: int | None) -> Preparation:
    """A new, empty preparation, for the job seeker's next meeting if there is one."""
    if change.actor.role is not Role.JOBBSOKER:
        raise NotAllowed
    if meeting_id is not None:
        await _own_meeting(change, meeting_id)
    return await change.uow.preparations.add(
        jobseeker_id=change.actor.id, meeting_id=meeting_id, at=change.now
    )


async def save_answers(change: Change, preparation: Preparation, answers: Answers) -> None:
    """Keep the answers as they are now; the status stays what it was.

    A finished preparation changed afterwards stays ready: the agenda versions made so far keep
    what they said, and the next "Ferdig" makes a new one.
    """
    _own(change, preparation)
    await change.uow.preparations.save(preparation.id, answers, preparation.status, change.now)


async def attach(change: Change, preparation: Preparation, meeting_id: int) -> Preparation:
    """Tie a preparation made before any meeting was planned to the job seeker's next one."""
    _own(change, preparation)
    await _own_meeting(change, meeting_id)
    await change.uow.preparations.attach(preparation.id, meeting_id)
    return replace(preparation, meeting_id=meeting_id)


async def finish(
    change: Change, preparation: Preparation, answers: Answers, bank: Bank
) -> AgendaVersion:
    """The job seeker's agenda is ready: the answers are kept and a new version is made of it.

    Nothing is shared here: sharing asks for consent per recipient, for this version.
    """
    _own(change, preparation)
    await change.uow.preparations.save(preparation.id, answers, PrepStatus.READY, change.now)
    return await change.uow.agendas.add(
        preparation_id=preparation.id,
        jobseeker_id=preparation.jobseeker_id,
        items=agenda_items(answers, bank),
        at=change.now,
    )


async def snapshot(change: Change, preparation: Preparation, bank: Bank) -> AgendaVersion | None:
    """The agenda as it is now, as a version: the latest one if nothing changed since, else a
    new one (sharing binds consent to a version). None when there is nothing to share."""
    _own(change, preparation)
    items = agenda_items(preparation.answers, bank)
    if not items:
        return None
    versions = await change.gate.own_versions(change.actor, preparation.id)
    if versions and list(versions[-1].items) == items:
        return versions[-1]
    return await change.uow.agendas.add(
        preparation_id=preparation.id,
        jobseeker_id=preparation.jobseeker_id,
        items=items,
        at=change.now,
    )


def _own(change: Change, preparation: Preparation) -> None:
    if preparation.jobseeker_id != change.actor.id:
        raise NotAllowed


async def _own_meeting(change: Change, meeting_id: int) -> None:
    meeting = await change.gate.meeting(change.actor, meeting_id)
    if meeting.jobseeker_id != change.actor.id:
        raise NotAllowed
