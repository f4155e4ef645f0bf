"""The job seeker's yes, no and removal: buttons that work at any time (prefix ``cq``), checked
on arrival by the Gate: only the job seeker can press them, and only for their own circle."""

from __future__ import annotations

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.messages import Reply
from bot.core.services import circle as circles
from bot.core.text import N_
from bot.domain.circle import Status

_OPEN = {Status.APPROVED, Status.PENDING}


class CircleActions:
    prefix = "cq"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        member = await turn.gate.own_member(turn.me, button_id(value))
        status, name = member.membership.status, member.person.name
        if verb == "ok" and status is Status.PENDING:
            notices = await circles.approve(turn.change, member)
            return [turn.reply("circle/approved.html", name=name), *notices]
        if verb == "no" and status is Status.PENDING:
            notices = await circles.decline(turn.change, member)
            return [turn.reply("circle/declined.html", name=name), *notices]
        if verb == "rm" and status in _OPEN:
            # One tap on a bus should not remove someone: ask once more.
            membership_id = member.membership.id
            rows = (
                (button(N_("Yes, remove %(name)s", name=name), "cq", "rmyes", membership_id),),
                (button(N_("No, keep %(name)s", name=name), "cq", "keep", membership_id),),
            )
            return [turn.reply("circle/confirm_remove.html", rows, name=name)]
        if verb == "keep":
            return [turn.reply("circle/kept.html", name=name)]
        if verb == "rmyes" and status in _OPEN:
            notices = await circles.remove(turn.change, member)
            return [turn.reply("circle/removed.html", name=name), *notices]
        raise StaleButton(verb)
