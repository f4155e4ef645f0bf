"""The job seeker's follow-up after a meeting, as changes: each answer is saved the moment it is
given, and the team's anonymous counters move with it (an answer changed is moved, never counted
twice). The first answer about a newer meeting replaces the carry-over of an older one: from
then on the newer meeting is "last time".
"""

from __future__ import annotations

from bot.core.access import NotAllowed
from bot.core.services import Change, counters
from bot.domain.agenda import Item, agenda_items
from bot.domain.followup import Answers, FollowUp, Heard, asked_items, changes
from bot.domain.meetings import Meeting
from bot.domain.people import Role
from bot.domain.prep_steps import Bank


async def followed_meeting(change: Change, meeting_id: int) -> Meeting:
    """The job seeker's own meeting that has taken place (and that they attended)."""
    me = change.actor
    meeting = await change.gate.meeting(me, meeting_id)
    if me.role is not Role.JOBBSOKER or meeting.jobseeker_id != me.id:
        raise NotAllowed
    if not meeting.held(change.now) or not meeting.kind.with_jobseeker:
        raise NotAllowed
    return meeting


async def asked(change: Change, meeting: Meeting, bank: Bank) -> list[Item]:
    """The points of the job seeker's agenda for the meeting that the follow-up asks about."""
    preparation = await change.gate.preparation_for(change.actor, meeting)
    if preparation is None:
        return []
    return asked_items(agenda_items(preparation.answers, bank))


async def current(change: Change, meeting: Meeting) -> Answers:
    found = await change.gate.own_followup(change.actor, meeting)
    return found.answers if found else Answers()


async def answer_heard(change: Change, meeting: Meeting, heard: Heard) -> FollowUp:
    """ "Fikk du tatt opp det som var viktigst for deg?" """
    before = await change.gate.own_followup(change.actor, meeting)
    answers = _copy(before)
    answers.heard = heard
    if before is None or before.answers.heard is None:
        await _replace_older_carry_over(change, meeting)
    return await _save(change, meeting, before, answers)


async def answer_item(change: Change, meeting: Meeting, key: str, talked: bool | None) -> None:
    """ "Ble dette snakket om?" for one point; None takes an answer back (skipped)."""
    before = await change.gate.own_followup(change.actor, meeting)
    answers = _copy(before)
    if talked is None:
        answers.talked.pop(key, None)
    else:
        answers.talked[key] = talked
    await _save(change, meeting, before, answers)


async def save_words(change: Change, meeting: Meeting, words: str) -> None:
    """The job seeker's own words about the meeting (only for them)."""
    before = await change.gate.own_followup(change.actor, meeting)
    answers = _copy(before)
    answers.words = words
    await _save(change, meeting, before, answers)


def _copy(found: FollowUp | None) -> Answers:
    if found is None:
        return Answers()
    return Answers.from_json(found.answers.to_json())


async def _save(
    change: Change, meeting: Meeting, before: FollowUp | None, answers: Answers
) -> FollowUp:
    saved = await change.uow.followups.save(
        meeting_id=meeting.id, jobseeker_id=change.actor.id, answers=answers, at=change.now
    )
    moved = changes(before.answers if before else None, answers)
    if moved and change.reminders is not None:
        await counters.count(change.uow, meeting, change.actor, moved, change.reminders.zone)
    return saved


async def _replace_older_carry_over(change: Change, meeting: Meeting) -> None:
    """The next follow-up replaces the carry-over of an earlier meeting."""
    carried = await change.gate.carry_over(change.actor, change.actor.id)
    if carried is not None and carried.last_time.meeting_start < meeting.starts_at:
        await change.uow.carryovers.delete(change.actor.id)
