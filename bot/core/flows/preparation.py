"""The job seeker's preparation, in seven visible steps; every step can be skipped, gone back
to, left and resumed (also after a restart), and edited afterwards from the review.

```mermaid
stateDiagram-v2
    [*] --> good: /forbered (1 av 7: what is going well)
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
    review --> [*]: ready (nothing is shared)
```
Every answer is saved the moment it is given, so nothing is lost if the person stops.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, grid, in_place
from bot.core.messages import Button, Reply
from bot.core.text import N_, BankText, Checked, Label, Plain, Text
from bot.domain.preparation import (
    OTHER,
    Answers,
    EmployerKnows,
    Preparation,
    PrepStatus,
    Raiser,
    TopicAnswer,
    agenda_items,
    join_parts,
)

NAME = "prep"
OPENNESS = "openness"
# The visible step number of each internal step ("steg 3 av 7").
STEP_NUMBER = {
    "good": 1,
    "hard": 1,
    "topics": 2,
    "other": 2,
    "questions": 3,
    "knows": 3,
    "phrasing": 3,
    "who": 4,
    "order": 5,
    "purpose": 5,
    "not_now": 6,
    "review": 7,
}
STEPS = 7
TEXT_STEPS = {"good", "hard", "other", "questions", "phrasing", "purpose", "not_now"}
TOPIC_STEPS = {"questions", "knows", "phrasing", "who"}  # asked once per chosen topic
NAVIGATION = {"back", "skip", "done", "keep"}
# Telegram splits a long text into parts that arrive within about a second; a part this long
# followed so soon by more text is taken as one answer.
_SPLIT_PART = 3500
_SPLIT_WINDOW = timedelta(seconds=5)
RAISER_LABELS = {
    Raiser.ME: N_("I will"),
    Raiser.JOBBSPESIALIST: N_("My jobbspesialist"),
    Raiser.BEHANDLER: N_("My behandler explains it for me"),
    Raiser.TOGETHER: N_("We do it together"),
}
KNOWS_LABELS = {
    EmployerKnows.YES: N_("Yes, they know something"),
    EmployerKnows.NO: N_("No"),
    EmployerKnows.UNDECIDED: N_("I have not decided"),
}
# The review's "change" buttons: the first internal step of each visible step.
EDIT_TARGETS = (
    ("good", N_("Change: how things are going")),
    ("topics", N_("Change: topics")),
    ("questions", N_("Change: questions")),
    ("who", N_("Change: who raises what")),
    ("order", N_("Change: what matters most")),
    ("not_now", N_("Change: not this time")),
)


class PreparationFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        preparation = await current_preparation(turn, me.id)
        ready = preparation is not None and preparation.status is not PrepStatus.IN_PROGRESS
        if command == "agenda" or ready:
            # A finished preparation opens at the review, where any part can be changed.
            if preparation is None or preparation.answers.empty:
                return [turn.reply("prep/no_agenda.html")]
            turn.state.go(NAME, "review", prep=preparation.id, i=0)
            return await self.prompt(turn)
        if preparation is None:
            preparation = await turn.uow.preparations.add(
                jobseeker_id=me.id, meeting_id=await _next_meeting_id(turn), at=turn.now
            )
        elif not preparation.answers.empty and preparation.status is PrepStatus.IN_PROGRESS:
            turn.state.go(NAME, "resume", prep=preparation.id, i=0)
            return [resume_question(turn)]
        turn.state.go(NAME, "good", prep=preparation.id, i=0)
        return [turn.reply("prep/intro.html"), *await self.prompt(turn)]

    # -- asking ----------------------------------------------------------------------------

    async def prompt(self, turn: Turn) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers = preparation.answers
        step = turn.state.step
        number = STEP_NUMBER.get(step, 1)
        common: dict[str, object] = {"step": number, "steps": STEPS}
        rows: list[tuple[Button, ...]]
        if step == "resume":
            return [resume_question(turn)]
        i = int(turn.state.data.get("i", 0))
        if (answers.step, answers.index) != (step, i):
            answers.step, answers.index = step, i  # where "continue where I stopped" goes
            await self._save(turn, preparation, answers)
        if step in {"good", "hard", "purpose", "not_now", "other"}:
            current = {
                "good": answers.going_well,
                "hard": answers.hard,
                "purpose": answers.purpose,
                "not_now": answers.not_this_time,
                "other": (answers.topic(OTHER) or TopicAnswer(OTHER)).own_words,
            }[step]
            return [
                turn.reply(
                    f"prep/{step}.html",
                    self._nav(step, keep=bool(current)),
                    current=current,
                    **common,
                )
            ]
        if step == "topics":
            chosen = {t.topic for t in answers.topics}
            rows = [
                (
                    button(
                        _ticked(BankText(f"topics.{t.id}.label"), t.id in chosen),
                        NAME,
                        "topics",
                        t.id,
                    ),
                )
                for t in turn.installation.topics
            ]
            rows.append(self._nav_row(step, done=True))
            return [turn.reply("prep/topics.html", tuple(rows), **common)]
        if step in TOPIC_STEPS and not answers.topics:
            # No topic left to ask about: on to what the person wants from the meeting.
            self._go(turn, "purpose", 0)
            return await self.prompt(turn)
        if step not in TOPIC_STEPS:
            return self._overview(turn, preparation, step, common)
        topic = self._topic(turn, answers)
        at = f"@{i}"  # per-topic buttons say which topic they are for
        if step == "questions":
            spec = turn.installation.topic(topic.topic)
            questions = spec.questions if spec else ()
            rows = _checklist(step, questions, topic.questions, at)
            rows.append(self._nav_row(step, done=True, at=at))
            keys = [f"topics.{topic.topic}.questions.{q}" for q in questions]
            return [
                turn.reply(
                    "prep/questions.html",
                    tuple(rows),
                    topic=topic.topic,
                    questions=list(enumerate(keys, 1)),
                    current=topic.own_words,
                    **common,
                )
            ]
        if step == "knows":
            rows = [
                (button(label, NAME, "knows", value.value + at),)
                for value, label in KNOWS_LABELS.items()
            ]
            rows.append(self._nav_row(step, at=at))
            return [
                turn.reply("prep/knows.html", tuple(rows), current=topic.employer_knows, **common)
            ]
        if step == "phrasing":
            spec = turn.installation.topic(OPENNESS)
            phrasings = spec.phrasings if spec else ()
            rows = _checklist(step, phrasings, topic.phrasings, at)
            rows.append(self._nav_row(step, done=True, at=at))
            return [
                turn.reply(
                    "prep/phrasing.html",
                    tuple(rows),
                    phrasings=[
                        (n, f"topics.{OPENNESS}.phrasings.{p}") for n, p in enumerate(phrasings, 1)
                    ],
                    current=topic.own_words,
                    **common,
                )
            ]
        if step == "who":
            rows = [
                (
                    button(
                        _ticked(label, topic.raiser == value.value), NAME, "who", value.value + at
                    ),
                )
                for value, label in RAISER_LABELS.items()
            ]
            rows.append(self._nav_row(step, at=at))
            return [
                turn.reply(
                    "prep/who.html",
                    tuple(rows),
                    topic=topic.topic,
                    own=topic.own_words if topic.topic == OTHER else "",
                    **common,
                )
            ]
        raise StaleButton(step)

    def _overview(
        self, turn: Turn, preparation: Preparation, step: str, common: dict[str, object]
    ) -> list[Reply]:
        """The steps about all topics at once: what matters most, and the review."""
        answers = preparation.answers
        rows: list[tuple[Button, ...]]
        if step == "order":
            placed = turn.state.data.get("placed", [])
            rest = [t for t in answers.topics if t.topic not in placed]
            rows = [(button(_topic_label(t), NAME, "order", t.topic),) for t in rest]
            rows.append(self._nav_row(step))
            return [
                turn.reply(
                    "prep/order.html",
                    tuple(rows),
                    placed=[_topic_key(t) for t in answers.topics if t.topic in placed],
                    **common,
                )
            ]
        rows = [
            (button(label, NAME, "review", f"edit-{target}"),) for target, label in EDIT_TARGETS
        ]
        rows.append((button(N_("Done, my agenda is ready"), NAME, "review", "done"),))
        return [
            *agenda_replies(turn, preparation),
            turn.reply("prep/review.html", tuple(rows), **common),
        ]

    # -- answers -----------------------------------------------------------------------------

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step = turn.state.step
        preparation = await self._preparation(turn)
        answers = preparation.answers
        joined = self._continuation(turn)
        if joined is not None:
            field_step, index = joined
            self._write(turn, answers, field_step, index, text, append=True)
            await self._save(turn, preparation, answers)
            return [turn.reply("prep/joined.html"), *await self.prompt(turn)]
        if step not in TEXT_STEPS:
            return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]
        index = int(turn.state.data.get("i", 0))
        self._write(turn, answers, step, index, text, append=False)
        await self._save(turn, preparation, answers)
        if step in {"questions", "phrasing"}:
            # Own words on a tick step: saved; the person may still tick, then press Done.
            replies = [turn.reply("prep/saved_words.html"), *await self.prompt(turn)]
        else:
            replies = await self._advance(turn, answers)
        # Remembered after moving on: a second part of a split text still joins this answer.
        turn.state.data["last_text"] = {
            "step": step,
            "i": index,
            "at": turn.now.isoformat(),
            "length": len(text),
        }
        return replies

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        preparation = await self._preparation(turn)
        answers = preparation.answers
        if step in TOPIC_STEPS:
            # A per-topic button names its topic: one left on an earlier topic's message is stale.
            value, at, index = value.rpartition("@")
            if not at or index != str(turn.state.data.get("i", 0)):
                raise StaleButton(step)
        if (step == "resume" and value in NAVIGATION) or (
            step == "review" and value in NAVIGATION - {"done"}
        ):
            raise StaleButton(step)
        if value == "back":
            return await self._back(turn, answers)
        if value in {"skip", "done", "keep"} and step != "review":
            return await self._advance(turn, answers)
        if step == "resume":
            if value == "continue":
                self._go(turn, answers.step, answers.index)
                return await self.prompt(turn)
            if value == "review":
                turn.state.go(NAME, "review")
                return await self.prompt(turn)
        if step == "topics" and turn.installation.topic(value) is not None:
            if answers.topic(value) is None:
                answers.topics.append(TopicAnswer(value))
            else:
                answers.topics = [t for t in answers.topics if t.topic != value]
            await self._save(turn, preparation, answers)
            return in_place(await self.prompt(turn))
        topic = self._topic(turn, answers) if answers.topics else None
        if step in {"questions", "phrasing"} and topic is not None:
            spec = turn.installation.topic(topic.topic if step == "questions" else OPENNESS)
            offered = (spec.questions if step == "questions" else spec.phrasings) if spec else ()
            if value not in offered:
                raise StaleButton(step)
            if step == "questions":
                topic.questions = _toggled(offered, topic.questions, value)
            else:
                topic.phrasings = _toggled(offered, topic.phrasings, value)
            await self._save(turn, preparation, answers)
            return in_place(await self.prompt(turn))
        if step == "knows" and topic is not None and value in {k.value for k in EmployerKnows}:
            topic.employer_knows = value
            await self._save(turn, preparation, answers)
            return await self._advance(turn, answers)
        if step == "who" and topic is not None and value in {r.value for r in Raiser}:
            topic.raiser = value
            await self._save(turn, preparation, answers)
            return await self._advance(turn, answers)
        already = turn.state.data.get("placed", [])
        if step == "order" and answers.topic(value) is not None and value not in already:
            placed = [*already, value]
            turn.state.data["placed"] = placed
            # The chosen order is the agenda's order: placed topics first, the rest after.
            answers.topics.sort(
                key=lambda t: placed.index(t.topic) if t.topic in placed else len(placed)
            )
            await self._save(turn, preparation, answers)
            if len(placed) >= len(answers.topics) - 1:
                return await self._advance(turn, answers)
            return in_place(await self.prompt(turn))
        if step == "review" and value.startswith("edit-"):
            target = value.removeprefix("edit-")
            if target not in {t for t, _ in EDIT_TARGETS}:
                raise StaleButton(step)
            if target == "questions" and not any(
                self._asks_questions(turn, t) for t in answers.topics
            ):
                target = "topics"
            first = next(
                (n for n, t in enumerate(answers.topics) if self._asks_questions(turn, t)), 0
            )
            self._go(turn, target, first if target == "questions" else 0)
            # Back to the review once this part is done (choosing topics goes on through them).
            turn.state.data["editing"] = STEP_NUMBER[target] if target != "topics" else None
            return await self.prompt(turn)
        if step == "review" and value == "done":
            await turn.uow.preparations.save(preparation.id, answers, PrepStatus.READY, turn.now)
            turn.state.clear()
            return [turn.reply("prep/ready.html")]
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("prep/paused.html")]

    # -- moving between steps ----------------------------------------------------------------

    async def _advance(self, turn: Turn, answers: Answers) -> list[Reply]:
        step, i = turn.state.step, int(turn.state.data.get("i", 0))
        nxt, index = self._next(turn, answers, step, i)
        editing = turn.state.data.get("editing")
        if editing and STEP_NUMBER[nxt] != editing:
            nxt, index = "review", 0
        self._go(turn, nxt, index)
        turn.state.data["editing"] = editing if nxt != "review" else None
        return await self.prompt(turn)

    async def _back(self, turn: Turn, answers: Answers) -> list[Reply]:
        step, i = turn.state.step, int(turn.state.data.get("i", 0))
        previous, index = self._previous(turn, answers, step, i)
        self._go(turn, previous, index)
        return await self.prompt(turn)

    def _go(self, turn: Turn, step: str, index: int) -> None:
        if step == "order":
            turn.state.data["placed"] = []
        turn.state.data.pop("last_text", None)
        turn.state.go(NAME, step, i=index)

    def _next(self, turn: Turn, answers: Answers, step: str, i: int) -> tuple[str, int]:
        topics = answers.topics
        with_questions = [n for n, t in enumerate(topics) if self._asks_questions(turn, t)]
        if step == "good":
            return "hard", 0
        if step == "hard":
            return "topics", 0
        if step == "topics":
            if not topics:
                return "purpose", 0
            if answers.topic(OTHER) is not None:
                return "other", 0
            return self._first_questions(with_questions)
        if step == "other":
            return self._first_questions(with_questions)
        if step == "questions":
            if topics[i].topic == OPENNESS:
                return "knows", i
            return self._after_questions(with_questions, i)
        if step == "knows":
            return "phrasing", i
        if step == "phrasing":
            return self._after_questions(with_questions, i)
        if step == "who":
            if i + 1 < len(topics):
                return "who", i + 1
            return ("order", 0) if len(topics) > 1 else ("purpose", 0)
        if step == "order":
            return "purpose", 0
        if step == "purpose":
            return "not_now", 0
        return "review", 0

    def _previous(self, turn: Turn, answers: Answers, step: str, i: int) -> tuple[str, int]:
        topics = answers.topics
        with_questions = [n for n, t in enumerate(topics) if self._asks_questions(turn, t)]
        if step in {"good", "hard"}:
            return "good", 0
        if step == "topics":
            return "hard", 0
        if step == "other":
            return "topics", 0
        if step == "questions":
            earlier = [n for n in with_questions if n < i]
            if earlier:
                last = earlier[-1]
                return ("phrasing", last) if topics[last].topic == OPENNESS else ("questions", last)
            return ("other", 0) if answers.topic(OTHER) is not None else ("topics", 0)
        if step == "knows":
            return "questions", i
        if step == "phrasing":
            return "knows", i
        if step == "who":
            if i > 0:
                return "who", i - 1
            if with_questions:
                last = with_questions[-1]
                return ("phrasing", last) if topics[last].topic == OPENNESS else ("questions", last)
            return "topics", 0
        if step == "order":
            return "who", max(len(topics) - 1, 0)
        if step == "purpose":
            if len(topics) > 1:
                return "order", 0
            return ("who", len(topics) - 1) if topics else ("topics", 0)
        if step == "not_now":
            return "purpose", 0
        return "not_now", 0

    @staticmethod
    def _first_questions(with_questions: list[int]) -> tuple[str, int]:
        return ("questions", with_questions[0]) if with_questions else ("who", 0)

    @staticmethod
    def _after_questions(with_questions: list[int], i: int) -> tuple[str, int]:
        later = [n for n in with_questions if n > i]
        return ("questions", later[0]) if later else ("who", 0)

    def _asks_questions(self, turn: Turn, topic: TopicAnswer) -> bool:
        spec = turn.installation.topic(topic.topic)
        return spec is not None and bool(spec.questions)

    # -- helpers -----------------------------------------------------------------------------

    def _write(
        self, turn: Turn, answers: Answers, step: str, i: int, text: str, *, append: bool
    ) -> None:
        def put(old: str) -> str:
            return join_parts(old, text) if append else text

        if step == "good":
            answers.going_well = put(answers.going_well)
        elif step == "hard":
            answers.hard = put(answers.hard)
        elif step == "purpose":
            answers.purpose = put(answers.purpose)
        elif step == "not_now":
            answers.not_this_time = put(answers.not_this_time)
        elif step == "other":
            other = answers.topic(OTHER)
            if other is None:
                other = TopicAnswer(OTHER)
                answers.topics.append(other)
            other.own_words = put(other.own_words)
        elif step in {"questions", "phrasing"} and answers.topics:
            topic = answers.topics[min(i, len(answers.topics) - 1)]
            topic.own_words = put(topic.own_words)

    def _continuation(self, turn: Turn) -> tuple[str, int] | None:
        """Where a text goes if it is the next part of a long text Telegram split."""
        last = turn.state.data.get("last_text")
        if not isinstance(last, dict) or last.get("length", 0) < _SPLIT_PART:
            return None
        if turn.now - datetime.fromisoformat(str(last["at"])) > _SPLIT_WINDOW:
            return None
        last["at"] = turn.now.isoformat()
        return str(last["step"]), int(last["i"])

    def _topic(self, turn: Turn, answers: Answers) -> TopicAnswer:
        i = int(turn.state.data.get("i", 0))
        if not answers.topics:
            raise StaleButton("no topics")
        return answers.topics[min(i, len(answers.topics) - 1)]

    async def _preparation(self, turn: Turn) -> Preparation:
        preparation_id = turn.state.data.get("prep")
        preparation = (
            await turn.uow.preparations.get(int(preparation_id)) if preparation_id else None
        )
        if preparation is None or preparation.jobseeker_id != turn.me.id:
            raise StaleButton("preparation")
        return preparation

    async def _save(self, turn: Turn, preparation: Preparation, answers: Answers) -> None:
        status = (
            PrepStatus.IN_PROGRESS
            if preparation.status is PrepStatus.IN_PROGRESS
            else preparation.status
        )
        await turn.uow.preparations.save(preparation.id, answers, status, turn.now)

    def _nav(self, step: str, *, keep: bool = False) -> tuple[tuple[Button, ...], ...]:
        return (self._nav_row(step, keep=keep),)

    def _nav_row(
        self, step: str, *, done: bool = False, keep: bool = False, at: str = ""
    ) -> tuple[Button, ...]:
        forward = N_("Done →") if done else (N_("Keep and go on →") if keep else N_("Skip →"))
        value = "done" if done else ("keep" if keep else "skip")
        row = [button(forward, NAME, step, value + at)]
        if step != "good":
            row.insert(0, button(N_("‹ Back"), NAME, step, "back" + at))
        return tuple(row)


def resume_question(turn: Turn) -> Reply:
    rows = (
        (button(N_("Continue where I stopped"), NAME, "resume", "continue"),),
        (button(N_("See what I have so far"), NAME, "resume", "review"),),
    )
    return turn.reply("prep/resume.html", rows)


async def current_preparation(turn: Turn, jobseeker_id: int) -> Preparation | None:
    """The preparation for the next meeting (or the newest one not tied to a past meeting)."""
    next_meeting = await _next_meeting_id(turn)
    for preparation in await turn.uow.preparations.of_jobseeker(jobseeker_id):
        if preparation.meeting_id is None or preparation.meeting_id == next_meeting:
            if preparation.meeting_id is None and next_meeting is not None:
                await turn.uow.preparations.attach(preparation.id, next_meeting)
            return preparation
    return None


async def _next_meeting_id(turn: Turn) -> int | None:
    meetings = [m for m in await turn.gate.meetings_of(turn.me) if m.upcoming(turn.now)]
    mine = [m for m in meetings if m.jobseeker_id == turn.me.id]
    return mine[0].id if mine else None


def agenda_replies(turn: Turn, preparation: Preparation) -> list[Reply]:
    """The agenda as it will look: the team's structure with the job seeker's items first."""
    bank = {t.id: t for t in turn.installation.topics}
    items = agenda_items(preparation.answers, bank)
    team = turn.me.team or "default"
    return [turn.reply("agenda.html", items=items, team=team, name=turn.me.name)]


def _ticked(label: Text | BankText, ticked: bool) -> Label:
    return Checked(label) if ticked else label


def _checklist(
    step: str, offered: tuple[str, ...], ticked: list[str], at: str
) -> list[tuple[Button, ...]]:
    """Numbered tick boxes for a list shown in the message ("☑ 1", "☐ 2" …)."""
    boxes = [
        button(Plain(("☑ " if item in ticked else "☐ ") + str(n)), NAME, step, item + at)
        for n, item in enumerate(offered, 1)
    ]
    return grid(boxes, 3)


def _toggled(offered: tuple[str, ...], ticked: list[str], item: str) -> list[str]:
    """``ticked`` with ``item`` ticked or unticked, kept in the order offered."""
    chosen = set(ticked) ^ {item}
    return [i for i in offered if i in chosen]


def _topic_label(topic: TopicAnswer) -> BankText:
    return BankText(_topic_key(topic))


def _topic_key(topic: TopicAnswer) -> str:
    return f"topics.{topic.topic}.label"
