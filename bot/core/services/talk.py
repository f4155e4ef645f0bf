"""``/snakke``: the job seeker asks their jobbspesialist for a talk now. Only what the job seeker
ticked in the preview is passed on; the jobbspesialist is told at once (a notice: at most once,
and the job seeker is told if it cannot arrive). Nothing of it is stored beyond the message.
"""

from __future__ import annotations

from bot.core.access import NotAllowed
from bot.core.messages import Reply
from bot.core.services import Change
from bot.domain.agenda import Item
from bot.domain.meetings import Meeting
from bot.domain.people import Person


async def ask(
    change: Change,
    words: str,
    missed: list[Item],
    meeting: Meeting | None,
) -> tuple[list[Person], list[Reply]]:
    """Tell the job seeker's jobbspesialist(er) that they would like to talk; with their words
    and the points not talked about at ``meeting``, if they chose to pass them on."""
    specialists = await change.gate.specialists_of(change.actor)
    if not specialists:
        raise NotAllowed
    notices = [
        change.notify(
            person,
            "talk/request.html",
            name=change.actor.name,
            words=words,
            missed=missed,
            meeting_start=meeting.starts_at if meeting else None,
            kind=meeting.kind.value if meeting else None,
            asked_at=change.now,
        )
        for person in specialists
    ]
    return specialists, notices
