"""The job seeker's preparation, in seven visible steps; every step can be skipped, gone back
to, left and resumed (also after a restart), and edited afterwards from the review.

```mermaid
stateDiagram-v2
    [*] --> good: /forbered (1 av 7: what is going well)
    [*] --> resume: begun before
    resume --> review: see what I have so far
    resume --> good: continue where I stopped (at any step)
    good --> hard: (1 av 7: what is hard right now)
    hard --> topics: (2 av 7: choose topics)
    topics --> other: "Noe annet" chosen
    topics --> questions: (3 av 7, per topic: tick questions, own words)
    other --> questions
    questions --> knows: åpenhet: does the employer know?
    knows --> phrasing: help with words
    phrasing --> questions: next topic
    questions --> who: (4 av 7, per topic: who raises it)
    who --> order: (5 av 7: what matters most)
    order --> purpose: (5 av 7: what I want from the meeting)
    purpose --> not_now: (6 av 7: not this time)
    not_now --> review: (7 av 7: the agenda as it will look)
    review --> [*]: Ferdig: ready, and a new agenda version (nothing is shared)
```
The order of the steps, "next" and "back" are in ``bot.domain.prep_steps``; what each step
shows is in ``views``; what its answer buttons do is in ``choices``. Every answer is saved the
moment it is given (``bot.core.services.preparation``), so nothing is lost if the person stops.
"""

from __future__ import annotations

from bot.core.access import NotAllowed
from bot.core.flows.base import StaleButton, Turn, in_place
from bot.core.flows.preparation import views
from bot.core.flows.preparation.choices import Then, choose
from bot.core.flows.preparation.state import NAME, LastText, PrepData
from bot.core.messages import Reply
from bot.core.services import preparation as preparations
from bot.core.text import N_
from bot.domain.prep_steps import (
    EDIT_TARGETS,
    REVIEW,
    STEPS,
    TEXT_STEPS,
    TOPIC_STEPS,
    Place,
    edit_start,
    forward,
    previous_place,
    settle,
    write_text,
)
from bot.domain.preparation import Answers, Preparation, PrepStatus

NAVIGATION = {"back", "skip", "done", "keep"}


class PreparationFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        preparation = await current_preparation(turn, turn.me.id)
        ready = preparation is not None and preparation.status is not PrepStatus.IN_PROGRESS
        if command == "agenda" or ready:
            # A finished preparation opens at the review, where any part can be changed.
            if preparation is None or preparation.answers.empty:
                return [turn.reply("prep/no_agenda.html")]
            self._enter(turn, preparation, REVIEW.step)
            return await self.prompt(turn)
        if preparation is None:
            meeting_id = await _next_meeting_id(turn)
            preparation = await preparations.start(turn.change, meeting_id)
        elif not preparation.answers.empty:
            self._enter(turn, preparation, "resume")
            return [views.resume_question(turn)]
        self._enter(turn, preparation, "good")
        return [turn.reply("prep/intro.html"), *await self.prompt(turn)]

    async def prompt(self, turn: Turn) -> list[Reply]:
        preparation = await self._preparation(turn)
        if turn.state.step == "resume":
            return [views.resume_question(turn)]
        if turn.state.step not in STEPS:
            raise StaleButton(turn.state.step)  # a state from another version: start afresh
        answers, data = preparation.answers, self._data(turn)
        place = data.place(turn.state.step)
        settled = settle(place, answers)
        if settled != place:
            self._go(turn, settled)  # no topic to ask about: on to the purpose
            return await self.prompt(turn)
        if (answers.step, answers.index) != (place.step, place.index):
            # Where "continue where I stopped" goes.
            answers.step, answers.index = place.step, place.index
            await preparations.save_answers(turn.change, preparation, answers)
        page = views.Page(preparation, place, tuple(data.placed))
        return views.show(turn, page)

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers, data = preparation.answers, self._data(turn)
        joined = data.continuation(turn.now)
        if joined is not None:
            write_text(answers, joined, text, append=True)
            await preparations.save_answers(turn.change, preparation, answers)
            return [turn.reply("prep/joined.html"), *await self.prompt(turn)]
        step = turn.state.step
        if step not in TEXT_STEPS:
            return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]
        place = data.place(step)
        write_text(answers, place, text)
        await preparations.save_answers(turn.change, preparation, answers)
        if step in {"questions", "phrasing"}:
            # Own words on a tick step: saved; the person may still tick, then press Done.
            replies = [turn.reply("prep/saved_words.html"), *await self.prompt(turn)]
        else:
            replies = await self._advance(turn, answers)
        # Remembered after moving on: a second part of a split text still joins this answer.
        data.last_text = LastText(step, place.index, turn.now, len(text))
        return replies

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers, data = preparation.answers, self._data(turn)
        if step in TOPIC_STEPS:
            # A per-topic button names its topic: one left on an earlier topic's message is stale.
            value, at, index = value.rpartition("@")
            if not at or index != str(data.i):
                raise StaleButton(step)
        if step == "resume":
            return await self._on_resume(turn, answers, value)
        if step == "review":
            return await self._on_review(turn, preparation, value)
        if value == "back":
            return await self._back(turn, answers)
        if value in NAVIGATION:
            return await self._advance(turn, answers)
        then = choose(step, value, answers, data, views.bank_of(turn.installation))
        await preparations.save_answers(turn.change, preparation, answers)
        if then is Then.NEXT:
            return await self._advance(turn, answers)
        return in_place(await self.prompt(turn))

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("prep/paused.html")]

    async def _on_resume(self, turn: Turn, answers: Answers, value: str) -> list[Reply]:
        if value == "continue":
            self._go(turn, Place(answers.step, answers.index))
        elif value == "review":
            turn.state.go(NAME, REVIEW.step)
        else:
            raise StaleButton("resume")
        return await self.prompt(turn)

    async def _on_review(self, turn: Turn, preparation: Preparation, value: str) -> list[Reply]:
        answers = preparation.answers
        if value == "done":
            await preparations.finish(
                turn.change, preparation, answers, views.bank_of(turn.installation)
            )
            turn.state.clear()
            shared = {s.recipient_id for s in await turn.gate.own_shares(turn.me) if s.active}
            return [turn.reply("prep/ready.html", shared=len(shared))]
        target = value.removeprefix("edit-")
        if not value.startswith("edit-") or target not in EDIT_TARGETS:
            raise StaleButton("review")
        place, editing = edit_start(target, answers, views.bank_of(turn.installation))
        self._go(turn, place)
        # Back to the review once this part is done (choosing topics goes on through them).
        self._data(turn).editing = editing
        return await self.prompt(turn)

    # -- moving between steps ----------------------------------------------------------------

    async def _advance(self, turn: Turn, answers: Answers) -> list[Reply]:
        data = self._data(turn)
        bank = views.bank_of(turn.installation)
        after, editing = forward(data.place(turn.state.step), answers, bank, data.editing)
        self._go(turn, after)
        data.editing = editing
        return await self.prompt(turn)

    async def _back(self, turn: Turn, answers: Answers) -> list[Reply]:
        data = self._data(turn)
        bank = views.bank_of(turn.installation)
        self._go(turn, previous_place(data.place(turn.state.step), answers, bank))
        return await self.prompt(turn)

    def _go(self, turn: Turn, place: Place) -> None:
        turn.state.go(NAME, place.step)
        data = self._data(turn)
        data.i, data.last_text = place.index, None
        if place.step == "order":
            data.placed = []

    def _enter(self, turn: Turn, preparation: Preparation, step: str) -> None:
        turn.state.go(NAME, step)  # entering the flow starts with fresh data: view it after
        data = self._data(turn)
        data.prep, data.i = preparation.id, 0

    @staticmethod
    def _data(turn: Turn) -> PrepData:
        return turn.state.view(PrepData)

    async def _preparation(self, turn: Turn) -> Preparation:
        """The preparation the conversation is about; gone (or not the person's) is stale."""
        preparation_id = self._data(turn).prep
        preparation = (
            await turn.gate.own_preparation(turn.me, preparation_id) if preparation_id else None
        )
        if preparation is None:
            raise StaleButton("preparation")
        return preparation


async def current_preparation(turn: Turn, jobseeker_id: int) -> Preparation | None:
    """The preparation for the next meeting (or the newest one not tied to a past meeting)."""
    if jobseeker_id != turn.me.id:
        raise NotAllowed  # a job seeker's preparations are their own
    next_meeting = await _next_meeting_id(turn)
    for preparation in await turn.gate.own_preparations(turn.me):
        if preparation.meeting_id is None or preparation.meeting_id == next_meeting:
            if preparation.meeting_id is None and next_meeting is not None:
                return await preparations.attach(turn.change, preparation, next_meeting)
            return preparation
    return None


async def _next_meeting_id(turn: Turn) -> int | None:
    meetings = [m for m in await turn.gate.meetings_of(turn.me) if m.upcoming(turn.now)]
    mine = [m for m in meetings if m.jobseeker_id == turn.me.id]
    return mine[0].id if mine else None
