"""``/moeter`` and the buttons on every message about a meeting: calendar file, "I can't come",
move, cancel (prefix ``mt``), checked on arrival by the Gate."""

from __future__ import annotations

from bot.core.flows import schedule
from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.messages import CalendarFile, Reply
from bot.core.services import meetings
from bot.domain.meetings import MeetingStatus

_MAX_LISTED = 10


class MeetingsList:
    """``/moeter``: upcoming meetings, one message each, with what this person can do."""

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        upcoming = [m for m in await turn.gate.meetings_of(me) if m.upcoming(turn.now)]
        replies = [turn.reply("meeting/list_header.html", count=len(upcoming), role=me.role.value)]
        for meeting in upcoming[:_MAX_LISTED]:
            replies.append(
                turn.reply(
                    "meeting/item.html",
                    meetings.meeting_buttons(me, meeting),
                    **await meetings.meeting_details(turn.gate, me, meeting),
                )
            )
        return replies


class MeetingActions:
    prefix = "mt"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        me = turn.me
        meeting = await turn.gate.meeting(me, button_id(value))
        if verb == "ics":
            cancelled = meeting.status is MeetingStatus.CANCELLED
            file = CalendarFile(
                meeting.id,
                meeting.sequence,
                meeting.starts_at,
                meeting.ends_at,
                meeting.place,
                cancelled=cancelled,
            )
            context = {"starts_at": meeting.starts_at}
            turn.keeps_buttons = True  # a file to keep; "I can't come", "Move" … stay
            return [Reply("meeting/calendar_file.html", turn.locale, context, attachment=file)]
        if not meeting.upcoming(turn.now):
            raise StaleButton(verb)
        if verb == "cant" and meeting.attends(me.id) and me.id != meeting.organiser_id:
            # Anyone attending may say so (the organiser moves or cancels instead).
            told, notices = await meetings.cannot_come(turn.change, meeting)
            sent = turn.reply("meeting/cant_come_sent.html", names=[p.name for p in told])
            return [sent, *notices]
        if verb in {"move", "cancel"}:
            await turn.gate.managed_meeting(me, meeting.id)
            turn.state.clear()
            step = "day" if verb == "move" else "cancel"
            schedule.enter(turn, step, jobseeker=meeting.jobseeker_id, meeting=meeting.id)
            return await schedule.ScheduleFlow().prompt(turn)
        raise StaleButton(verb)
