"""Buttons about shared copies that work at any time, checked on arrival by the Gate:
"Lest" under a copy (prefix ``sr``, the recipient's), and the job seeker's answer when a
meeting they shared for is cancelled (prefix ``sw``)."""

from __future__ import annotations

from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.messages import Reply
from bot.core.services import sharing


class ReadActions:
    prefix = "sr"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        if verb != "read":
            raise StaleButton(verb)
        share = await turn.gate.received_share(turn.me, button_id(value))
        jobseeker = await turn.gate.jobseeker(turn.me, share.jobseeker_id)
        notices = await sharing.mark_read(turn.change, share, jobseeker)
        return [turn.reply("share/marked_read.html", name=jobseeker.name), *notices]


class WithdrawActions:
    """After a cancellation: take back everything shared for that meeting, or leave it."""

    prefix = "sw"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        meeting = await turn.gate.meeting(turn.me, button_id(value))
        if meeting.jobseeker_id != turn.me.id:
            raise StaleButton(verb)
        if verb == "keep":
            return [turn.reply("share/kept.html")]
        if verb != "all":
            raise StaleButton(verb)
        notices = await sharing.withdraw_meeting(turn.change, meeting)
        return [turn.reply("share/withdrawn_all.html"), *notices]
