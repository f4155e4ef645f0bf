"""The job seeker's follow-up after a meeting, started from its reminder (prefix ``fq``).

```mermaid
stateDiagram-v2
    [*] --> items: "Fikk du tatt opp det som var viktigst for deg?" ja / delvis / nei
    items --> items: "Ble dette snakket om?" ja / nei / hopp over, one point at a time
    items --> words: the last point
    words --> after: own words, or skip
    after --> [*]: ja: thanks
    after --> talk: delvis / nei: tell the jobbspesialist now (/snakke, with what was missed)
```
Every answer is saved at once, and is only the job seeker's. A "nei" gets a kind and useful
answer: what was not talked about is offered first in the next preparation, and they can tell
the jobbspesialist now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, in_place
from bot.core.flows.preparation.views import bank_of
from bot.core.flows.record import RecordFlow
from bot.core.flows.talk import TalkFlow
from bot.core.messages import Button, Reply
from bot.core.reminders import FOLLOWUP
from bot.core.services import followups
from bot.core.state import FlowData
from bot.core.text import N_
from bot.domain.agenda import Item
from bot.domain.followup import WORDS_MAX, Heard
from bot.domain.meetings import Meeting

NAME = "fu"


@dataclass
class FollowData(FlowData):
    meeting: int | None = None
    keys: list[str] = field(default_factory=list)  # the points asked about, in order
    i: int = 0


class FollowupActions:
    """The buttons on the follow-up reminder: the job seeker's answer, and the jobbspesialist's
    way to write down what was agreed."""

    prefix = FOLLOWUP

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        if verb == "record":
            turn.state.clear()
            return await RecordFlow().open(turn, button_id(value))
        if verb != "heard":
            raise StaleButton(verb)
        meeting_id, _, answer = value.partition("-")
        if answer not in {h.value for h in Heard}:
            raise StaleButton(value)
        meeting = await followups.followed_meeting(turn.change, button_id(meeting_id))
        await followups.answer_heard(turn.change, meeting, Heard(answer))
        turn.state.clear()  # like a command: whatever was going on is left
        turn.state.go(NAME, "items")
        data = turn.state.view(FollowData)
        data.meeting = meeting.id
        data.keys = [
            i.key for i in await followups.asked(turn.change, meeting, bank_of(turn.installation))
        ]
        if not data.keys:
            turn.state.go(NAME, "words")
        return await FollowupFlow().prompt(turn)


class FollowupFlow:
    name = NAME

    async def prompt(self, turn: Turn) -> list[Reply]:
        step = turn.state.step
        if step == "items":
            return [await self._item(turn)]
        if step == "words":
            rows = ((button(N_("Skip"), NAME, "words", "skip"),),)
            return [turn.reply("followup/words.html", rows)]
        return [await self._after(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        if turn.state.step != "words":
            hint = turn.say(N_("Here you answer by tapping one of the buttons."))
            return [hint, *await self.prompt(turn)]
        meeting = await self._meeting(turn)
        words = (await followups.current(turn.change, meeting)).words
        joined = f"{words}\n{text}" if words else text
        await followups.save_words(turn.change, meeting, joined[:WORDS_MAX])
        turn.state.go(NAME, "after")
        return [turn.reply("followup/words_saved.html"), *await self.prompt(turn)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(FollowData)
        if step == "items":
            answer, at, index = value.rpartition("@")
            if not at or index != str(data.i) or data.i >= len(data.keys):
                raise StaleButton(step)
            if answer not in {"yes", "no", "skip"}:
                raise StaleButton(step)
            meeting = await self._meeting(turn)
            talked = None if answer == "skip" else answer == "yes"
            await followups.answer_item(turn.change, meeting, data.keys[data.i], talked)
            data.i += 1
            if data.i >= len(data.keys):
                turn.state.go(NAME, "words")
            return in_place(await self.prompt(turn))
        if step == "words" and value == "skip":
            turn.state.go(NAME, "after")
            return await self.prompt(turn)
        if step == "after" and value in {"tell", "no"}:
            meeting = await self._meeting(turn)
            if value == "no":
                turn.state.clear()
                return [turn.reply("followup/not_now.html")]
            missed = await self._not_discussed(turn, meeting)
            turn.state.clear()
            return await TalkFlow().begin_after_meeting(turn, meeting, missed)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("followup/not_now.html")]

    async def _item(self, turn: Turn) -> Reply:
        data = turn.state.view(FollowData)
        meeting = await self._meeting(turn)
        items = {
            i.key: i
            for i in await followups.asked(turn.change, meeting, bank_of(turn.installation))
        }
        if data.i >= len(data.keys) or data.keys[data.i] not in items:
            raise StaleButton("items")  # the agenda changed meanwhile: start afresh
        at = f"@{data.i}"
        rows = (
            (
                button(N_("Yes"), NAME, "items", "yes" + at),
                button(N_("No"), NAME, "items", "no" + at),
            ),
            (button(N_("Skip"), NAME, "items", "skip" + at),),
        )
        return turn.reply(
            "followup/item.html",
            rows,
            item=items[data.keys[data.i]],
            number=data.i + 1,
            count=len(data.keys),
        )

    async def _after(self, turn: Turn) -> Reply:
        meeting = await self._meeting(turn)
        answers = await followups.current(turn.change, meeting)
        missed = await self._not_discussed(turn, meeting)
        heard = answers.heard.value if answers.heard else None
        if heard == Heard.YES.value and not missed:
            turn.state.clear()
            return turn.reply("followup/done.html", heard=heard, missed=[], specialist=None)
        specialists = await turn.gate.specialists_of(turn.me)
        rows: tuple[tuple[Button, ...], ...] = ()
        if specialists:
            name = specialists[0].name
            rows = (
                (button(N_("Tell %(name)s now", name=name), NAME, "after", "tell"),),
                (button(N_("No, thank you"), NAME, "after", "no"),),
            )
        else:
            turn.state.clear()
        return turn.reply(
            "followup/done.html",
            rows,
            heard=heard,
            missed=missed,
            specialist=specialists[0].name if specialists else None,
        )

    async def _not_discussed(self, turn: Turn, meeting: Meeting) -> list[Item]:
        answers = await followups.current(turn.change, meeting)
        missing = set(answers.not_discussed)
        items = await followups.asked(turn.change, meeting, bank_of(turn.installation))
        return [item for item in items if item.key in missing]

    async def _meeting(self, turn: Turn) -> Meeting:
        meeting_id = turn.state.view(FollowData).meeting
        if meeting_id is None:
            raise StaleButton("meeting")
        try:
            return await followups.followed_meeting(turn.change, meeting_id)
        except NotAllowed:
            raise StaleButton("meeting") from None
