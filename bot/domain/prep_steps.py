"""The preparation's steps as data: their order, their visible numbers, and where "next" and
"back" lead, from the job seeker's answers and the question bank alone.

Product.md names seven visible steps; some are asked as several internal steps ("steg 1 av 7"
asks what goes well, then what is hard), and steps 3 and 4 are asked once per chosen topic.
``TABLE`` lists the internal steps in order, each with the rule for when it is asked. The
**route** is every place the person passes through for the answers they have given; "next" is
the route's next place and "back" the one before, so going back retraces the way forward.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from bot.domain.agenda import NOT_THIS_TIME, PURPOSE, SITUATION, TOPIC
from bot.domain.preparation import OPENNESS, OTHER, Answers, TopicAnswer, TopicSpec, join_parts

Bank = Mapping[str, TopicSpec]  # the question bank's topics by id
# When a step is asked: from the answers, the topic it is about (per-topic steps) and the bank.
Rule = Callable[[Answers, TopicAnswer | None, Bank], bool]


@dataclass(frozen=True)
class Place:
    """Where the person is: a step, and for a per-topic step the topic's position in the list."""

    step: str
    index: int = 0


def _always(answers: Answers, topic: TopicAnswer | None, bank: Bank) -> bool:
    return True


def _other_chosen(answers: Answers, topic: TopicAnswer | None, bank: Bank) -> bool:
    return answers.topic(OTHER) is not None


def _has_questions(answers: Answers, topic: TopicAnswer | None, bank: Bank) -> bool:
    return topic is not None and asks_questions(topic, bank)


def _openness(answers: Answers, topic: TopicAnswer | None, bank: Bank) -> bool:
    # Åpenhet's own steps follow its questions, so they are asked only when it has some.
    return topic is not None and topic.topic == OPENNESS and asks_questions(topic, bank)


def _several_topics(answers: Answers, topic: TopicAnswer | None, bank: Bank) -> bool:
    # With one topic there is nothing to put in order.
    return len(answers.topics) > 1


@dataclass(frozen=True)
class Step:
    """One internal step of the preparation."""

    name: str
    number: int  # the visible step, "steg <number> av 7"
    text: bool = False  # a typed message answers it
    per_topic: bool = False  # asked once for each chosen topic
    asked: Rule = field(default=_always, compare=False)


# In order. Consecutive per-topic steps with the same number are asked topic by topic: all of
# step 3 for the first topic, then for the next; then step 4 for each topic in turn.
TABLE: tuple[Step, ...] = (
    Step("good", 1, text=True),
    Step("hard", 1, text=True),
    Step("topics", 2),
    Step("other", 2, text=True, asked=_other_chosen),  # "Noe annet": the person's own words
    Step("questions", 3, text=True, per_topic=True, asked=_has_questions),
    Step("knows", 3, per_topic=True, asked=_openness),  # does the employer know anything?
    Step("phrasing", 3, text=True, per_topic=True, asked=_openness),  # words that are true
    Step("who", 4, per_topic=True),
    Step("order", 5, asked=_several_topics),
    Step("purpose", 5, text=True),
    Step("not_now", 6, text=True),
    Step("review", 7),
)
STEPS: Mapping[str, Step] = {step.name: step for step in TABLE}
VISIBLE_STEPS = 7
FIRST = Place(TABLE[0].name)
REVIEW = Place("review")
TEXT_STEPS = frozenset(step.name for step in TABLE if step.text)
TOPIC_STEPS = frozenset(step.name for step in TABLE if step.per_topic)
_POSITION = {step.name: n for n, step in enumerate(TABLE)}
# The review's "change" buttons: each opens the first internal step of a visible step.
EDIT_TARGETS = ("good", "topics", "questions", "who", "order", "not_now")

assert TABLE[-1].number == VISIBLE_STEPS
assert all(  # a visible step is asked per topic in all its parts, or in none
    len({step.per_topic for step in group}) == 1
    for _, group in groupby(TABLE, key=lambda step: step.number)
)


def asks_questions(topic: TopicAnswer, bank: Bank) -> bool:
    """The bank has questions to tick for this topic ("Noe annet" has none)."""
    spec = bank.get(topic.topic)
    return spec is not None and bool(spec.questions)


def route(answers: Answers, bank: Bank) -> list[Place]:
    """Every place the person passes through, in order, for the answers given so far."""
    places: list[Place] = []
    for _, steps in groupby(TABLE, key=lambda step: step.number):
        group = list(steps)
        if group[0].per_topic:
            for index, topic in enumerate(answers.topics):
                places += [Place(s.name, index) for s in group if s.asked(answers, topic, bank)]
        else:
            places += [Place(s.name) for s in group if s.asked(answers, None, bank)]
    return places


def _rank(place: Place) -> tuple[int, int, int]:
    # Places compare in the order the table asks them, so a place off the route (a step
    # reached from the review) still has a next and a previous place on it.
    step = STEPS[place.step]
    return step.number, place.index if step.per_topic else 0, _POSITION[place.step]


def next_place(place: Place, answers: Answers, bank: Bank) -> Place:
    """The place after ``place`` on the route (the review stays the review)."""
    here = _rank(place)
    return next((p for p in route(answers, bank) if _rank(p) > here), REVIEW)


def previous_place(place: Place, answers: Answers, bank: Bank) -> Place:
    """The place before ``place`` on the route (the first question stays the first)."""
    here = _rank(place)
    return next((p for p in reversed(route(answers, bank)) if _rank(p) < here), FIRST)


def forward(
    place: Place, answers: Answers, bank: Bank, editing: int | None
) -> tuple[Place, int | None]:
    """Where "next" leads, and which visible step is still being edited afterwards.

    Changing one part from the review returns to the review once that visible step is done,
    rather than going through every step after it.
    """
    after = next_place(place, answers, bank)
    if editing and STEPS[after.step].number != editing:
        after = REVIEW
    return after, editing if after != REVIEW else None


def settle(place: Place, answers: Answers) -> Place:
    """The place to ask: a per-topic step with no topic chosen goes on to the purpose."""
    if STEPS[place.step].per_topic and not answers.topics:
        return Place("purpose")
    return place


def edit_start(target: str, answers: Answers, bank: Bank) -> tuple[Place, int | None]:
    """Where changing one part from the review begins, and the visible step being edited.

    Choosing topics is not "editing": new topics bring their own questions, so the person goes
    on through the steps after it (``None``).
    """
    if target not in EDIT_TARGETS:
        raise ValueError(target)
    with_questions = [n for n, t in enumerate(answers.topics) if asks_questions(t, bank)]
    if target == "questions" and not with_questions:
        target = "topics"  # no topic has questions to change: choose topics instead
    index = with_questions[0] if target == "questions" else 0
    return Place(target, index), STEPS[target].number if target != "topics" else None


def read_text(answers: Answers, place: Place) -> str:
    """What the person has written at ``place`` ("" for a step that takes no text)."""
    step = place.step
    if step in _SIMPLE_TEXT:
        return str(getattr(answers, _SIMPLE_TEXT[step]))
    if step == "other":
        other = answers.topic(OTHER)
        return other.own_words if other else ""
    if step in {"questions", "phrasing"} and answers.topics:
        topic = answers.topics[min(place.index, len(answers.topics) - 1)]
        return topic.own_words if step == "questions" else topic.phrasing_words
    return ""


def write_text(answers: Answers, place: Place, text: str, *, append: bool = False) -> None:
    """Put a typed answer where ``place`` keeps it (appended: the next part of a split text).

    The questions of a topic and åpenhet's own words are kept apart, so each shows under its
    own heading.
    """
    if append:
        text = join_parts(read_text(answers, place), text)
    step = place.step
    if step in _SIMPLE_TEXT:
        setattr(answers, _SIMPLE_TEXT[step], text)
    elif step == "other":
        other = answers.topic(OTHER)
        if other is None:
            other = TopicAnswer(OTHER)
            answers.topics.append(other)
        other.own_words = text
    elif step in {"questions", "phrasing"} and answers.topics:
        topic = answers.topics[min(place.index, len(answers.topics) - 1)]
        if step == "questions":
            topic.own_words = text
        else:
            topic.phrasing_words = text


def item_key(answers: Answers, place: Place) -> str | None:
    """The agenda item (``bot.domain.agenda``) the words written at ``place`` belong to."""
    step = place.step
    if step in {"good", "hard"}:
        return SITUATION
    if step == "purpose":
        return PURPOSE
    if step == "not_now":
        return NOT_THIS_TIME
    if step == "other":
        return f"{TOPIC}:{OTHER}"
    if step in {"questions", "phrasing"} and answers.topics:
        return f"{TOPIC}:{answers.topics[min(place.index, len(answers.topics) - 1)].topic}"
    return None


def item_texts(answers: Answers, key: str) -> list[str]:
    """Every text the person wrote that goes into the item ``key``."""
    if key == SITUATION:
        return [answers.going_well, answers.hard]
    if key == PURPOSE:
        return [answers.purpose]
    if key == NOT_THIS_TIME:
        return [answers.not_this_time]
    topic = answers.topic(key.removeprefix(f"{TOPIC}:"))
    return [topic.own_words, topic.phrasing_words] if topic else []


_SIMPLE_TEXT = {
    "good": "going_well",
    "hard": "hard",
    "purpose": "purpose",
    "not_now": "not_this_time",
}
