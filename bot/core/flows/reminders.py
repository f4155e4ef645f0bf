"""``/varsler`` (every registered role: each kind of reminder on or off) and the buttons on the
job seeker's prep invitation ("Jeg vil forberede meg nå", "Minn meg på det i morgen").

Both are buttons that work at any time, checked when they arrive: a press on another person's
reminder, or on one for a meeting that is gone, is refused kindly.
"""

from __future__ import annotations

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, in_place
from bot.core.flows.preparation import PreparationFlow
from bot.core.messages import Reply
from bot.core.reminders import ACTIONS
from bot.core.services import reminders
from bot.core.text import N_, Text
from bot.domain.people import Role
from bot.domain.reminders import Kind

SETTINGS = "vs"

LABELS: dict[tuple[Kind, bool], Text] = {
    (Kind.PREP, True): N_("Invitation to prepare: on"),
    (Kind.PREP, False): N_("Invitation to prepare: off"),
    (Kind.MEETING, True): N_("Meeting reminders: on"),
    (Kind.MEETING, False): N_("Meeting reminders: off"),
    (Kind.PIN, True): N_("Agenda pinned on the day: on"),
    (Kind.PIN, False): N_("Agenda pinned on the day: off"),
    (Kind.FOLLOWUP, True): N_("Questions after the meeting: on"),
    (Kind.FOLLOWUP, False): N_("Questions after the meeting: off"),
    (Kind.TASK, True): N_("Reminders of tasks: on"),
    (Kind.TASK, False): N_("Reminders of tasks: off"),
}
# For the jobbspesialist, the follow-up is the offer to write down what was agreed.
SPECIALIST_LABELS: dict[tuple[Kind, bool], Text] = {
    (Kind.FOLLOWUP, True): N_("After the meeting, writing down what was agreed: on"),
    (Kind.FOLLOWUP, False): N_("After the meeting, writing down what was agreed: off"),
}


class ReminderSettings:
    """``/varsler``: which reminders this person gets; a press turns one off or on."""

    prefix = SETTINGS

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        return [await self._view(turn)]

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        me = turn.me
        kind = next((k for k in reminders.kinds_for(me.role) if k.value == value), None)
        if verb != "turn" or kind is None:
            raise StaleButton(value)
        was_off = kind in await turn.gate.turned_off(me)
        await reminders.turn(turn.change, kind, on=was_off)
        return in_place([await self._view(turn)])

    async def _view(self, turn: Turn) -> Reply:
        me = turn.me
        off = await turn.gate.turned_off(me)
        kinds = reminders.kinds_for(me.role)
        labels = {**LABELS, **SPECIALIST_LABELS} if me.role is Role.JOBBSPESIALIST else LABELS
        rows = tuple(
            (button(labels[(kind, kind not in off)], SETTINGS, "turn", kind.value),)
            for kind in kinds
        )
        return turn.reply(
            "reminders/settings.html",
            rows,
            jobseeker=me.role is Role.JOBBSOKER,
            specialist=me.role is Role.JOBBSPESIALIST,
            all_off=all(kind in off for kind in kinds),
        )


class ReminderActions:
    """The buttons on a prep invitation."""

    prefix = ACTIONS

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        me = turn.me
        if verb == "prep":
            meeting = await turn.gate.meeting(me, button_id(value))
            if meeting.jobseeker_id != me.id or not meeting.upcoming(turn.now):
                raise StaleButton(verb)
            turn.state.clear()  # like the command: whatever was going on is left
            return await PreparationFlow().begin(turn, "forbered", "")
        if verb == "later":
            due = await reminders.snooze(turn.change, button_id(value))
            return [turn.reply("reminders/snoozed.html", due=due)]
        raise StaleButton(verb)
