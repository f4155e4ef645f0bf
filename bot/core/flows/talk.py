"""``/snakke``: "Noe har skjedd – jeg vil snakke med jobbspesialisten".

```mermaid
stateDiagram-v2
    [*] --> words: /snakke (honest about working hours; where to get help at once)
    [*] --> preview: from the follow-up: the points not talked about
    words --> preview: own words, or none
    preview --> preview: tick or untick what is passed on
    preview --> [*]: "Send til Kari": she is told at once
```
The job seeker sees exactly what the jobbspesialist gets, and nothing is passed on that they
did not leave ticked. Words that bring the safety note are never taken (the engine answers
them with the note, and the question stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, in_place
from bot.core.flows.preparation.views import bank_of
from bot.core.messages import Button, Reply
from bot.core.services import followups, talk
from bot.core.state import FlowData
from bot.core.text import N_, Boxed
from bot.domain.agenda import Item
from bot.domain.meetings import Meeting
from bot.domain.preparation import ANSWER_MAX

NAME = "talk"


@dataclass
class TalkData(FlowData):
    words: str = ""
    meeting: int | None = None  # after a follow-up: the meeting whose points were missed
    missed: list[str] = field(default_factory=list)
    with_words: bool = True
    with_missed: bool = True
    followup: str = ""  # what they wrote about the meeting: only theirs unless ticked
    with_followup: bool = False


class TalkFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        specialists = await turn.gate.specialists_of(turn.me)
        if not specialists:
            return [turn.reply("talk/no_one.html")]
        turn.state.go(NAME, "words")
        return await self.prompt(turn)

    async def begin_after_meeting(
        self, turn: Turn, meeting: Meeting, missed: list[Item]
    ) -> list[Reply]:
        """From the follow-up: tell the jobbspesialist now what was not talked about."""
        if not await turn.gate.specialists_of(turn.me):
            return [turn.reply("talk/no_one.html")]
        turn.state.go(NAME, "preview")
        data = turn.state.view(TalkData)
        data.meeting, data.missed = meeting.id, [item.key for item in missed]
        # What they wrote about the meeting is only theirs: offered, not ticked.
        data.followup = (await followups.current(turn.change, meeting)).words
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        specialists = await turn.gate.specialists_of(turn.me)
        if not specialists:
            turn.state.clear()
            return [turn.reply("talk/no_one.html")]
        name = specialists[0].name
        if turn.state.step == "words":
            rows = (
                (button(N_("Ask for a talk without writing"), NAME, "words", "none"),),
                (button(N_("Not now"), NAME, "words", "stop"),),
            )
            return [turn.reply("talk/start.html", rows, specialist=name)]
        data = turn.state.view(TalkData)
        missed = await self._missed(turn)
        rows_list: list[tuple[Button, ...]] = []
        if data.words:
            label = Boxed(N_("What I wrote"), data.with_words)
            rows_list.append((button(label, NAME, "preview", "words"),))
        if data.followup:
            label = Boxed(N_("What I wrote after the meeting"), data.with_followup)
            rows_list.append((button(label, NAME, "preview", "followup"),))
        if missed:
            label = Boxed(N_("The points that were not talked about"), data.with_missed)
            rows_list.append((button(label, NAME, "preview", "missed"),))
        rows_list.append((button(N_("Write something myself"), NAME, "preview", "write"),))
        rows_list.append(
            (
                button(N_("Not now"), NAME, "preview", "stop"),
                button(N_("Send to %(name)s", name=name), NAME, "preview", "send"),
            )
        )
        meeting = await self._meeting(turn)
        return [
            turn.reply(
                "talk/preview.html",
                tuple(rows_list),
                specialist=name,
                name=turn.me.name,
                words=_passed_on(data),
                missed=missed if data.with_missed else [],
                meeting_start=meeting.starts_at if meeting else None,
                kind=meeting.kind.value if meeting else None,
                asked_at=turn.now,
            )
        ]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        data = turn.state.view(TalkData)
        data.words = (f"{data.words}\n{text}" if data.words else text)[:ANSWER_MAX]
        data.with_words = True
        turn.state.go(NAME, "preview")
        return await self.prompt(turn)

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(TalkData)
        if value == "stop":
            turn.state.clear()
            return [turn.reply("talk/not_sent.html")]
        if step == "words" and value == "none":
            turn.state.go(NAME, "preview")
            return await self.prompt(turn)
        if step == "preview" and value == "words" and data.words:
            data.with_words = not data.with_words
            return in_place(await self.prompt(turn))
        if step == "preview" and value == "followup" and data.followup:
            data.with_followup = not data.with_followup
            return in_place(await self.prompt(turn))
        if step == "preview" and value == "missed" and data.missed:
            data.with_missed = not data.with_missed
            return in_place(await self.prompt(turn))
        if step == "preview" and value == "write":
            turn.state.go(NAME, "words")
            return await self.prompt(turn)
        if step == "preview" and value == "send":
            return await self._send(turn)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("talk/not_sent.html")]

    async def _send(self, turn: Turn) -> list[Reply]:
        data = turn.state.view(TalkData)
        missed = await self._missed(turn) if data.with_missed else []
        words = _passed_on(data)
        told, notices = await talk.ask(turn.change, words, missed, await self._meeting(turn))
        turn.state.clear()
        sent = turn.reply("talk/sent.html", specialist=told[0].name)
        return [sent, *notices]

    async def _meeting(self, turn: Turn) -> Meeting | None:
        meeting_id = turn.state.view(TalkData).meeting
        if meeting_id is None:
            return None
        return await followups.followed_meeting(turn.change, meeting_id)

    async def _missed(self, turn: Turn) -> list[Item]:
        data = turn.state.view(TalkData)
        meeting = await self._meeting(turn)
        if meeting is None or not data.missed:
            return []
        items = await followups.asked(turn.change, meeting, bank_of(turn.installation))
        return [item for item in items if item.key in set(data.missed)]


def _passed_on(data: TalkData) -> str:
    """The words that go: what they wrote now and what they wrote after the meeting, each only
    if ticked."""
    parts = [
        data.words if data.with_words else "",
        data.followup if data.with_followup else "",
    ]
    return "\n\n".join(part for part in parts if part)
