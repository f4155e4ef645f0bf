"""What the answer buttons of the preparation do to the answers: tick a topic, a question or a
phrasing, say what the employer knows, who raises a topic, which topic matters most.

Pure: nothing is saved here, and a value the step does not offer raises StaleButton before
anything is changed, so a refused press leaves everything exactly as it was.
"""

from __future__ import annotations

from enum import Enum

from bot.core.flows.base import StaleButton
from bot.core.flows.preparation.state import PrepData
from bot.domain.prep_steps import Bank
from bot.domain.preparation import OPENNESS, Answers, EmployerKnows, Raiser, TopicAnswer


class Then(Enum):
    """What follows a choice."""

    IN_PLACE = "in_place"  # a tick: the message the person looks at changes
    NEXT = "next"  # an answer: on to the next question


def choose(step: str, value: str, answers: Answers, data: PrepData, bank: Bank) -> Then:
    """Apply the press of ``value`` on ``step``'s answer buttons."""
    if step == "topics":
        return _topic(value, answers, bank)
    if step == "order":
        return _most_important(value, answers, data)
    topic = _current_topic(answers, data.i)
    if step == "questions":
        spec = bank.get(topic.topic)
        topic.questions = _toggled(spec.questions if spec else (), topic.questions, value)
        return Then.IN_PLACE
    if step == "phrasing":
        spec = bank.get(OPENNESS)
        topic.phrasings = _toggled(spec.phrasings if spec else (), topic.phrasings, value)
        return Then.IN_PLACE
    if step == "knows" and value in {k.value for k in EmployerKnows}:
        topic.employer_knows = value
        return Then.NEXT
    if step == "who" and value in {r.value for r in Raiser}:
        topic.raiser = value
        return Then.NEXT
    raise StaleButton(step)


def _topic(value: str, answers: Answers, bank: Bank) -> Then:
    if value not in bank:
        raise StaleButton("topics")
    if answers.topic(value) is None:
        answers.topics.append(TopicAnswer(value))
    else:
        answers.topics = [t for t in answers.topics if t.topic != value]
    return Then.IN_PLACE


def _most_important(value: str, answers: Answers, data: PrepData) -> Then:
    if answers.topic(value) is None or value in data.placed:
        raise StaleButton("order")  # not chosen, or placed already (a double tap)
    placed = data.placed = [*data.placed, value]
    # The chosen order is the agenda's order: placed topics first, the rest after.
    answers.topics.sort(key=lambda t: placed.index(t.topic) if t.topic in placed else len(placed))
    # With one topic left there is nothing more to choose.
    return Then.NEXT if len(placed) >= len(answers.topics) - 1 else Then.IN_PLACE


def _current_topic(answers: Answers, index: int) -> TopicAnswer:
    if not answers.topics:
        raise StaleButton("no topics")
    return answers.topics[min(index, len(answers.topics) - 1)]


def _toggled(offered: tuple[str, ...], ticked: list[str], item: str) -> list[str]:
    """``ticked`` with ``item`` ticked or unticked, kept in the order offered."""
    if item not in offered:
        raise StaleButton(item)
    chosen = set(ticked) ^ {item}
    return [i for i in offered if i in chosen]
