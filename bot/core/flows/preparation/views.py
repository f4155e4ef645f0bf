"""What each step of the preparation shows: one small function per step, building its Reply.

Views only read: they never change the answers or the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.buttons import button
from bot.core.flows.base import Installation, Turn
from bot.core.flows.preparation.controls import (
    EDIT_LABELS,
    KNOWS_LABELS,
    RAISER_LABELS,
    checklist,
    marked,
    nav_row,
    topic_label,
)
from bot.core.flows.preparation.state import AGENDA, CARRY, CRISIS, NAME, WORDS, Held
from bot.core.messages import Button, Reply
from bot.core.text import N_
from bot.domain.agenda import agenda_items
from bot.domain.prep_steps import REVIEW, STEPS, VISIBLE_STEPS, Bank, Place
from bot.domain.preparation import (
    OPENNESS,
    OTHER,
    Answers,
    Preparation,
    PrepStatus,
    Raiser,
    TopicAnswer,
)


@dataclass(frozen=True)
class Page:
    """What a step's view is built from: the preparation and where the person is in it."""

    preparation: Preparation
    place: Place
    placed: tuple[str, ...] = ()  # "what matters most": the topics placed so far
    peek: bool = False  # the review opened to look at the agenda so far
    again: bool = False  # asked again (after help): short, without the whole agenda
    raisers: tuple[Raiser, ...] = ()  # step 4: the roles offered (those who attend)

    @property
    def answers(self) -> Answers:
        return self.preparation.answers

    @property
    def topic(self) -> TopicAnswer:
        """The topic a per-topic step is about (the caller made sure there is one)."""
        topics = self.answers.topics
        return topics[min(self.place.index, len(topics) - 1)]

    @property
    def at(self) -> str:
        return f"@{self.place.index}"

    @property
    def numbering(self) -> dict[str, object]:
        return {"step": STEPS[self.place.step].number, "steps": VISIBLE_STEPS}


def bank_of(installation: Installation) -> Bank:
    """The question bank's topics by id."""
    return {topic.id: topic for topic in installation.topics}


def show(turn: Turn, page: Page) -> list[Reply]:
    """The question of the step the person is at."""
    return VIEWS[page.place.step](turn, page)


# -- steps 1, 2, 5 and 6: own words ---------------------------------------------------------


def _written(turn: Turn, page: Page, current: str) -> list[Reply]:
    """A question answered in own words, showing what was written before."""
    step = page.place.step
    rows = (nav_row(step, keep=bool(current)),)
    return [turn.reply(f"prep/{step}.html", rows, current=current, ticks=False, **page.numbering)]


def good(turn: Turn, page: Page) -> list[Reply]:
    return _written(turn, page, page.answers.going_well)


def hard(turn: Turn, page: Page) -> list[Reply]:
    return _written(turn, page, page.answers.hard)


def other(turn: Turn, page: Page) -> list[Reply]:
    return _written(turn, page, (page.answers.topic(OTHER) or TopicAnswer(OTHER)).own_words)


def purpose(turn: Turn, page: Page) -> list[Reply]:
    return _written(turn, page, page.answers.purpose)


def not_now(turn: Turn, page: Page) -> list[Reply]:
    return _written(turn, page, page.answers.not_this_time)


# -- step 2: topics ---------------------------------------------------------------------------


def topics(turn: Turn, page: Page) -> list[Reply]:
    chosen = {t.topic for t in page.answers.topics}
    rows: list[tuple[Button, ...]] = [
        (button(marked(topic_label(t.id), t.id in chosen), NAME, "topics", t.id),)
        for t in turn.installation.topics
    ]
    rows.append(nav_row("topics", done=True))
    return [turn.reply("prep/topics.html", tuple(rows), **page.numbering)]


# -- step 3, per topic: questions; for åpenhet what the employer knows, and words to use ------


def questions(turn: Turn, page: Page) -> list[Reply]:
    topic = page.topic
    spec = turn.installation.topic(topic.topic)
    offered = spec.questions if spec else ()
    rows = checklist("questions", offered, topic.questions, page.at)
    if topic.own_words:
        rows.append((button(N_("Remove what I wrote"), NAME, "questions", "clear" + page.at),))
    rows.append(nav_row("questions", done=True, at=page.at))
    keys = [f"topics.{topic.topic}.questions.{q}" for q in offered]
    return [
        turn.reply(
            "prep/questions.html",
            tuple(rows),
            topic=topic.topic,
            questions=list(enumerate(keys, 1)),
            current=topic.own_words,
            ticks=True,
            **page.numbering,
        )
    ]


def knows(turn: Turn, page: Page) -> list[Reply]:
    rows: list[tuple[Button, ...]] = [
        (button(label, NAME, "knows", value.value + page.at),)
        for value, label in KNOWS_LABELS.items()
    ]
    rows.append(nav_row("knows", at=page.at))
    current = page.topic.employer_knows
    return [turn.reply("prep/knows.html", tuple(rows), current=current, **page.numbering)]


def phrasing(turn: Turn, page: Page) -> list[Reply]:
    spec = turn.installation.topic(OPENNESS)
    offered = spec.phrasings if spec else ()
    rows = checklist("phrasing", offered, page.topic.phrasings, page.at)
    if page.topic.phrasing_words:
        rows.append((button(N_("Remove what I wrote"), NAME, "phrasing", "clear" + page.at),))
    rows.append(nav_row("phrasing", done=True, at=page.at))
    keys = [(n, f"topics.{OPENNESS}.phrasings.{p}") for n, p in enumerate(offered, 1)]
    return [
        turn.reply(
            "prep/phrasing.html",
            tuple(rows),
            phrasings=keys,
            current=page.topic.phrasing_words,
            ticks=True,
            **page.numbering,
        )
    ]


# -- step 4, per topic: who raises it ----------------------------------------------------------


def who(turn: Turn, page: Page) -> list[Reply]:
    topic = page.topic
    # Only roles who attend are offered; an earlier choice stays visible, so it can be changed.
    rows: list[tuple[Button, ...]] = [
        (button(marked(label, topic.raiser == value.value), NAME, "who", value.value + page.at),)
        for value, label in RAISER_LABELS.items()
        if value in page.raisers or topic.raiser == value.value
    ]
    rows.append(nav_row("who", at=page.at))
    own = topic.own_words if topic.topic == OTHER else ""
    return [turn.reply("prep/who.html", tuple(rows), topic=topic.topic, own=own, **page.numbering)]


# -- step 5: what matters most -----------------------------------------------------------------


def order(turn: Turn, page: Page) -> list[Reply]:
    chosen = page.answers.topics
    rest = [t for t in chosen if t.topic not in page.placed]
    rows: list[tuple[Button, ...]] = [
        (button(topic_label(t.topic), NAME, "order", t.topic),) for t in rest
    ]
    rows.append(nav_row("order"))
    placed = [topic_label(t.topic).key for t in chosen if t.topic in page.placed]
    return [turn.reply("prep/order.html", tuple(rows), placed=placed, **page.numbering)]


# -- step 7: the review ------------------------------------------------------------------------


def review(turn: Turn, page: Page) -> list[Reply]:
    ready = page.preparation.status is PrepStatus.READY
    rows: list[tuple[Button, ...]] = []
    stopped = Place(page.answers.step, page.answers.index)
    peek = page.peek and not ready and stopped != REVIEW
    if peek:
        # Looking at the agenda so far: the way back to where one stopped.
        rows.append((button(N_("Continue where I stopped"), NAME, "review", "continue"),))
    rows += [
        (button(label, NAME, "review", f"edit-{target}"),) for target, label in EDIT_LABELS.items()
    ]
    done = N_("Done, save the changes") if ready else N_("Done, my agenda is ready")
    rows.append((button(done, NAME, "review", "done"),))
    question = turn.reply(
        "prep/review.html", tuple(rows), ready=ready, peek=peek, again=page.again, **page.numbering
    )
    if page.again:
        return [question]  # the agenda is just above: not all of it once more
    return [*agenda_replies(turn, page.preparation), question]


VIEWS: dict[str, Callable[[Turn, Page], list[Reply]]] = {
    "good": good,
    "hard": hard,
    "topics": topics,
    "other": other,
    "questions": questions,
    "knows": knows,
    "phrasing": phrasing,
    "who": who,
    "order": order,
    "purpose": purpose,
    "not_now": not_now,
    "review": review,
}
assert set(VIEWS) == set(STEPS)


# -- coming back, and the agenda itself -------------------------------------------------


def resume_question(turn: Turn, answers: Answers) -> Reply:
    """Asked when the job seeker comes back to a preparation in progress."""
    rows = (
        (button(N_("Continue where I stopped"), NAME, "resume", "continue"),),
        (button(N_("See what I have so far"), NAME, "resume", "review"),),
    )
    step = STEPS[answers.step].number if answers.step in STEPS else 1
    return turn.reply("prep/resume.html", rows, step=step, steps=VISIBLE_STEPS)


def held(turn: Turn, step: str, words: Held) -> Reply:
    """The one question about words the person just wrote (see the flow)."""
    if step == CRISIS:
        rows = (
            (button(N_("No, leave it out"), NAME, CRISIS, "drop"),),
            (button(N_("Yes, keep it, only for me"), NAME, CRISIS, "keep"),),
        )
        return turn.reply("prep/crisis_question.html", rows)
    choice = (
        (button(N_("Add it"), NAME, WORDS, "add"), button(N_("Replace"), NAME, WORDS, "replace")),
    )
    return turn.reply("prep/add_or_replace.html", choice, before=words.before, new=words.text)


def last_time(turn: Turn, shown: dict[str, object], *, offer: bool) -> Reply:
    """What was agreed last time, and the points not talked about (offered first)."""
    rows: tuple[tuple[Button, ...], ...] = ()
    if offer:
        rows = (
            (button(N_("Yes, put them first"), NAME, CARRY, "yes"),),
            (button(N_("No, not this time"), NAME, CARRY, "no"),),
        )
    return Reply("prep/last_time.html", turn.locale, {**shown, "offer": offer}, rows)


def show_again_button(place: Place) -> Button:
    """After a pause: the question the person was at, when they want to go on."""
    at = f"@{place.index}" if STEPS[place.step].per_topic else ""
    return button(N_("Go on"), NAME, place.step, "show" + at)


def agenda_view(turn: Turn, preparation: Preparation) -> list[Reply]:
    """``/agenda``: the agenda, and what one can do with it (no step to answer)."""
    ready = preparation.status is PrepStatus.READY
    if ready:
        action = button(N_("Change the agenda"), AGENDA, "edit", preparation.id)
    else:
        action = button(N_("Continue where I stopped"), AGENDA, "go", preparation.id)
    return [
        *agenda_replies(turn, preparation),
        turn.reply("prep/agenda_actions.html", ((action,),), ready=ready),
    ]


def agenda_replies(turn: Turn, preparation: Preparation) -> list[Reply]:
    """The agenda as it will look: the team's structure with the job seeker's items first."""
    items = agenda_items(preparation.answers, bank_of(turn.installation))
    team = turn.me.team or "default"
    return [turn.reply("agenda.html", items=items, team=team, name=turn.me.name)]
