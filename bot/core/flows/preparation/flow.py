"""The job seeker's preparation, in seven visible steps; every step can be skipped, gone back
to, left and resumed (also after a restart), and edited afterwards from the review.

```mermaid
stateDiagram-v2
    [*] --> good: /forbered (1 av 7: what is going well)
    [*] --> carry: "Sist ble dere enige om: …", and the points not talked about last time
    carry --> good: put them first, or not this time
    [*] --> resume: begun before
    resume --> review: see what I have so far (and from there: continue)
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
    good --> words: written where something was: add to it or replace it?
    words --> hard: either way, on to the next question
    good --> crisis: words that bring the safety note: keep them, only for me?
    crisis --> good: either way, the same question when the person wants to go on
```
The order of the steps, "next" and "back" are in ``bot.domain.prep_steps``; what each step
shows is in ``views``; what its answer buttons do is in ``choices``. Every answer is saved the
moment it is given (``bot.core.services.preparation``), so nothing is lost if the person stops.

Nobody loses words without choosing to: a second message on a step where one ticks and writes
is added to the first; words written where something was written before are added, and the
person is asked whether to replace the old instead. Words that bring the safety note are not
saved at all until the person says to keep them (then only for them: ``Answers.crisis``).
"""

from __future__ import annotations

from bot.core.access import NotAllowed
from bot.core.flows.base import StaleButton, Turn, in_place
from bot.core.flows.preparation import views
from bot.core.flows.preparation.choices import Then, choose
from bot.core.flows.preparation.state import (
    CARRY,
    CRISIS,
    NAME,
    WORDS,
    Held,
    LastText,
    PrepData,
)
from bot.core.messages import Reply
from bot.core.services import aftercare
from bot.core.services import preparation as preparations
from bot.core.smalltalk import yes_or_no
from bot.core.text import N_
from bot.domain.people import Role
from bot.domain.prep_steps import (
    EDIT_TARGETS,
    REVIEW,
    STEPS,
    TEXT_STEPS,
    TOPIC_STEPS,
    Place,
    edit_start,
    forward,
    item_key,
    item_texts,
    previous_place,
    read_text,
    settle,
    write_text,
)
from bot.domain.preparation import (
    Answers,
    Preparation,
    PrepStatus,
    Raiser,
    add_words,
    carry_first,
    join_parts,
)
from bot.domain.typed import utf16_len

NAVIGATION = {"back", "skip", "done", "keep"}
# Steps where one ticks and writes: a new message is added to what was written there.
TICK_AND_WRITE = frozenset({"questions", "phrasing"})
HOLDING = frozenset({CRISIS, WORDS})


class PreparationFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        preparation = await current_preparation(turn, turn.me.id)
        ready = preparation is not None and preparation.status is not PrepStatus.IN_PROGRESS
        if command == "agenda" or ready:
            # The agenda itself, with a way to change it (or go on): not a step to answer.
            if preparation is None or preparation.answers.empty:
                return [turn.reply("prep/no_agenda.html")]
            return views.agenda_view(turn, preparation)
        if preparation is None:
            meeting_id = await _next_meeting_id(turn)
            preparation = await preparations.start(turn.change, meeting_id)
        elif not preparation.answers.empty:
            self._enter(turn, preparation, "resume")
            return [views.resume_question(turn, preparation.answers)]
        # What was agreed last time comes first, and what was not talked about is offered.
        last = await aftercare.last_time(turn.change, views.bank_of(turn.installation))
        opening: list[Reply] = []
        if last is not None and not last.empty:
            people = await turn.gate.names(turn.me, turn.me.id)
            shown = aftercare.shown(last, people, turn.me)
            if last.offered:
                self._enter(turn, preparation, CARRY)
                return [views.last_time(turn, shown, offer=True)]
            opening.append(views.last_time(turn, shown, offer=False))
        self._enter(turn, preparation, "good")
        return [*opening, turn.reply("prep/intro.html"), *await self._show(turn)]

    async def resume(self, turn: Turn, preparation: Preparation, *, review: bool) -> list[Reply]:
        """From the agenda's buttons: change it (at the review), or go on where one stopped."""
        turn.state.clear()  # whatever was going on before is left, as a command would
        if review:
            self._enter(turn, preparation, REVIEW.step)
        else:
            self._enter(turn, preparation, "resume")
            return await self._on_resume(turn, preparation.answers, "continue")
        return await self._show(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        """The question again (after help, a language change): at the review, not the whole
        agenda once more."""
        return await self._show(turn, again=True)

    async def _show(self, turn: Turn, *, again: bool = False) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers, data = preparation.answers, self._data(turn)
        step = turn.state.step
        if step == "resume":
            return [views.resume_question(turn, answers)]
        if step == CARRY:
            last = await aftercare.last_time(turn.change, views.bank_of(turn.installation))
            if last is None or not last.offered:
                raise StaleButton(step)
            people = await turn.gate.names(turn.me, turn.me.id)
            return [views.last_time(turn, aftercare.shown(last, people, turn.me), offer=True)]
        if step in HOLDING:
            if data.held is None:
                raise StaleButton(step)
            return [views.held(turn, step, data.held)]
        if step not in STEPS:
            raise StaleButton(step)  # a state from another version: start afresh
        place = data.place(step)
        settled = settle(place, answers)
        if settled != place:
            self._go(turn, settled)  # no topic to ask about: on to the purpose
            return await self._show(turn, again=again)
        really_here = data.editing is None and not (data.peek and place == REVIEW)
        if really_here and (answers.step, answers.index) != (place.step, place.index):
            # Where "continue where I stopped" goes: only where the person really was, not a
            # look at the review or a part changed from it.
            answers.step, answers.index = place.step, place.index
            await preparations.save_answers(turn.change, preparation, answers)
        page = views.Page(
            preparation,
            place,
            tuple(data.placed),
            peek=data.peek,
            again=again,
            raisers=await offered_raisers(turn) if place.step == "who" else (),
        )
        return views.show(turn, page)

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers, data = preparation.answers, self._data(turn)
        step = turn.state.step
        if step in HOLDING:
            return await self._more_held(turn, preparation, text)
        joined = data.continuation(turn.now)
        if joined is not None:
            write_text(answers, joined, text, append=True)
            await self._save(turn, preparation, joined)
            return [turn.reply("prep/joined.html"), *await self._show(turn)]
        if step not in TEXT_STEPS:
            hint = turn.say(N_("Here you answer by tapping one of the buttons."))
            return [hint, *await self._show(turn, again=True)]
        # (CARRY takes no text: it is not a text step.)
        place = data.place(step)
        before = read_text(answers, place)
        if step in TICK_AND_WRITE:
            # One writes here as one ticks: each message is added (two questions stay two).
            write_text(answers, place, add_words(before, text))
            await self._save(turn, preparation, place)
            replies = [turn.reply("prep/saved_words.html"), *await self._show(turn)]
        elif before:
            # Something was written here before: keep both for now, and ask.
            write_text(answers, place, add_words(before, text))
            await self._save(turn, preparation, place)
            data.held = Held(place.step, place.index, text, turn.now, utf16_len(text), before)
            turn.state.go(NAME, WORDS)
            return [views.held(turn, WORDS, data.held)]
        else:
            write_text(answers, place, text)
            await self._save(turn, preparation, place)
            replies = await self._advance(turn, answers)
        # Remembered after moving on: a second part of a split text still joins this answer.
        data.last_text = LastText(step, place.index, turn.now, utf16_len(text), before)
        return replies

    async def on_crisis(self, turn: Turn, text: str) -> list[Reply]:
        """Words that brought the safety note: held, not saved, and one quiet question."""
        preparation = await self._preparation(turn)
        answers, data = preparation.answers, self._data(turn)
        step, held = turn.state.step, data.held
        if step in HOLDING and held is not None:
            if step == WORDS:
                # The new words were added for now: take them out again, with these.
                write_text(answers, held.place, held.before)
                await self._save(turn, preparation, held.place)
            joined = held.split_part(turn.now)
            words = join_parts(held.text, text) if joined else add_words(held.text, text)
            return self._hold(turn, held.place, words, utf16_len(text))
        joined_place = data.continuation(turn.now)
        last = data.last_text
        if joined_place is not None and last is not None:
            # The next part of a long answer saved a moment ago: the whole of it is held.
            written = read_text(answers, joined_place)
            start = len(last.before) + 1 if last.before else 0
            write_text(answers, joined_place, last.before)
            await self._save(turn, preparation, joined_place)
            return self._hold(
                turn, joined_place, join_parts(written[start:], text), utf16_len(text)
            )
        if step in TEXT_STEPS:
            return self._hold(turn, data.place(step), text, utf16_len(text))
        return []  # at the review or a step of buttons: after the note, nothing more

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
        if step == CARRY:
            return await self._on_carry(turn, preparation, value)
        if step == "review":
            return await self._on_review(turn, preparation, value)
        if step in HOLDING:
            return await self._on_held(turn, preparation, step, value)
        if value == "show":
            return await self._show(turn)  # after a pause: the question again
        if value == "back":
            return await self._back(turn, answers)
        if value in NAVIGATION:
            return await self._advance(turn, answers)
        if value == "clear" and step in TICK_AND_WRITE:
            place = data.place(step)
            if not read_text(answers, place):
                raise StaleButton(step)
            write_text(answers, place, "")
            await self._save(turn, preparation, place)
            return in_place(await self._show(turn))
        if step == "who" and value not in {r.value for r in await offered_raisers(turn)}:
            raise StaleButton(step)  # a role that does not come to the meeting
        then = choose(step, value, answers, data, views.bank_of(turn.installation))
        await preparations.save_answers(turn.change, preparation, answers)
        if then is Then.NEXT:
            return await self._advance(turn, answers)
        return in_place(await self._show(turn))

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        # Words held after the safety note are not kept unless the person said so.
        dropped = turn.state.step == CRISIS
        return [turn.reply("prep/paused.html", dropped=dropped)]

    async def _on_carry(self, turn: Turn, preparation: Preparation, value: str) -> list[Reply]:
        """What was not talked about last time: first in this preparation, or not this time."""
        if value not in {"yes", "no"}:
            raise StaleButton(CARRY)
        if value == "yes":
            last = await aftercare.last_time(turn.change, views.bank_of(turn.installation))
            if last is None:
                raise StaleButton(CARRY)
            carry_first(preparation.answers, last.offered)
            await preparations.save_answers(turn.change, preparation, preparation.answers)
        self._go(turn, Place("good"))
        taken = turn.reply("prep/carried.html", taken=value == "yes")
        return [taken, turn.reply("prep/intro.html"), *await self._show(turn)]

    async def _on_resume(self, turn: Turn, answers: Answers, value: str) -> list[Reply]:
        data = self._data(turn)
        if value == "continue":
            self._go(turn, Place(answers.step, answers.index))
            data.peek = False
        elif value == "review":
            turn.state.go(NAME, REVIEW.step)
            data.peek = True  # a look at the agenda so far: not where the person stopped
        else:
            raise StaleButton("resume")
        return await self._show(turn)

    async def _on_review(self, turn: Turn, preparation: Preparation, value: str) -> list[Reply]:
        answers = preparation.answers
        if value == "continue" and self._data(turn).peek:
            return await self._on_resume(turn, answers, "continue")
        if value == "done":
            again = preparation.status is PrepStatus.READY
            await preparations.finish(
                turn.change, preparation, answers, views.bank_of(turn.installation)
            )
            turn.state.clear()
            shared = {s.recipient_id for s in await turn.gate.own_shares(turn.me) if s.active}
            return [turn.reply("prep/ready.html", again=again, shared=len(shared))]
        target = value.removeprefix("edit-")
        if not value.startswith("edit-") or target not in EDIT_TARGETS:
            raise StaleButton("review")
        place, editing = edit_start(target, answers, views.bank_of(turn.installation))
        self._go(turn, place)
        # Back to the review once this part is done (choosing topics goes on through them).
        self._data(turn).editing = editing
        return await self._show(turn)

    # -- words waiting for the person's choice -----------------------------------------------

    def _hold(self, turn: Turn, place: Place, words: str, length: int) -> list[Reply]:
        data = self._data(turn)
        data.held = Held(place.step, place.index, words, turn.now, length)
        data.last_text = None
        turn.state.go(NAME, CRISIS)
        return [views.held(turn, CRISIS, data.held)]

    async def _more_held(self, turn: Turn, preparation: Preparation, text: str) -> list[Reply]:
        """A text while the person is asked about held words: nothing of it is lost or used
        without their choice."""
        data, step = self._data(turn), turn.state.step
        held = data.held
        if held is None:
            raise StaleButton(step)
        if step == CRISIS and not held.split_part(turn.now):
            said = yes_or_no(text)
            if said is not None:  # a typed "ja" or "nei" to the question
                return await self._on_held(turn, preparation, step, "keep" if said else "drop")
        joined = held.split_part(turn.now)
        held.text = join_parts(held.text, text) if joined else add_words(held.text, text)
        held.at, held.length = turn.now, utf16_len(text)
        if step == WORDS:
            answers = preparation.answers
            write_text(answers, held.place, add_words(held.before, held.text))
            await self._save(turn, preparation, held.place)
        if joined:
            return []  # the rest of the same message: the question stands
        return [views.held(turn, step, held)]

    async def _on_held(
        self, turn: Turn, preparation: Preparation, step: str, value: str
    ) -> list[Reply]:
        answers, data = preparation.answers, self._data(turn)
        held = data.held
        if held is None:
            raise StaleButton(step)
        place = held.place
        if step == CRISIS and value in {"keep", "drop"}:
            if value == "keep":
                write_text(answers, place, add_words(read_text(answers, place), held.text))
                key = item_key(answers, place)
                if key is not None and key not in answers.crisis:
                    answers.crisis.append(key)
                await preparations.save_answers(turn.change, preparation, answers)
            data.held = None
            self._go(turn, place)
            go_on = (views.show_again_button(place),)
            return [turn.reply("prep/crisis_choice.html", (go_on,), kept=value == "keep")]
        if step == WORDS and value in {"add", "replace"}:
            if value == "replace":
                write_text(answers, place, held.text)
                await self._save(turn, preparation, place)
            data.held = None
            self._go(turn, place)
            return await self._advance(turn, answers)
        raise StaleButton(step)

    async def _save(self, turn: Turn, preparation: Preparation, place: Place) -> None:
        """Save the answers; an item whose words no longer bring the safety note is no longer
        marked for it (the person replaced them)."""
        answers = preparation.answers
        key = item_key(answers, place)
        if key in answers.crisis:
            crisis = turn.installation.crisis
            if not any(crisis.suggest_crisis(words) for words in item_texts(answers, key)):
                answers.crisis.remove(key)
        await preparations.save_answers(turn.change, preparation, answers)

    # -- moving between steps ----------------------------------------------------------------

    async def _advance(self, turn: Turn, answers: Answers) -> list[Reply]:
        data = self._data(turn)
        bank = views.bank_of(turn.installation)
        after, editing = forward(data.place(turn.state.step), answers, bank, data.editing)
        self._go(turn, after)
        data.editing = editing
        return await self._show(turn)

    async def _back(self, turn: Turn, answers: Answers) -> list[Reply]:
        data = self._data(turn)
        bank = views.bank_of(turn.installation)
        self._go(turn, previous_place(data.place(turn.state.step), answers, bank))
        return await self._show(turn)

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


async def offered_raisers(turn: Turn) -> tuple[Raiser, ...]:
    """Step 4 offers only roles who attend the next meeting (before there is one: the roles in
    the job seeker's circle). The job seeker can always raise a point themself."""
    me = turn.me
    upcoming = [m for m in await turn.gate.meetings_of(me) if m.upcoming(turn.now)]
    meeting = next((m for m in upcoming if m.jobseeker_id == me.id), None)
    if meeting is not None:
        roles = {p.role for p in await turn.gate.share_recipients(me, meeting)}
    else:
        members = await turn.gate.circle(me, me.id)
        roles = {m.person.role for m in members if m.membership.approved}
    needs = {
        Raiser.JOBBSPESIALIST: Role.JOBBSPESIALIST,
        Raiser.BEHANDLER: Role.BEHANDLER,
        Raiser.TOGETHER: Role.JOBBSPESIALIST,
    }
    return tuple(r for r in Raiser if r not in needs or needs[r] in roles)


async def _next_meeting_id(turn: Turn) -> int | None:
    meetings = [m for m in await turn.gate.meetings_of(turn.me) if m.upcoming(turn.now)]
    mine = [m for m in meetings if m.jobseeker_id == turn.me.id]
    return mine[0].id if mine else None
