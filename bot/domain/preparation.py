"""The job seeker's preparation: their answers, as they give them step by step.

The agenda made from the answers (its items and versions) is in ``bot.domain.agenda``; the order
of the steps is in ``bot.domain.prep_steps``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # agenda imports this module; an Item is only named here
    from bot.domain.agenda import Item

# A long text that Telegram splits arrives as parts of up to 4096 characters; joined, an answer
# may be longer than one message, but not without end.
ANSWER_MAX = 16_000
OTHER = "other"  # the "Noe annet" topic: the job seeker's own words
OPENNESS = "openness"  # åpenhet: also asks what the employer knows, and offers words to use


class Raiser(Enum):
    """Who brings the point up in the meeting."""

    ME = "me"
    JOBBSPESIALIST = "jobbspesialist"
    BEHANDLER = "behandler"  # "the behandler explains it for me"
    TOGETHER = "together"


class EmployerKnows(Enum):
    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class PrepStatus(Enum):
    """How far the job seeker has come. What was shared, and with whom, is told by the agenda
    versions and the share log, per recipient: not by this status."""

    IN_PROGRESS = "in_progress"
    READY = "ready"


@dataclass(frozen=True)
class TopicSpec:
    """A topic of the question bank: ids only; the words live in templates/questions/."""

    id: str
    health: bool
    questions: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()


@dataclass
class TopicAnswer:
    topic: str
    questions: list[str] = field(default_factory=list)  # ticked question ids, in bank order
    own_words: str = ""
    raiser: str | None = None  # a Raiser value
    employer_knows: str | None = None  # an EmployerKnows value (åpenhet only)
    phrasings: list[str] = field(default_factory=list)
    phrasing_words: str = ""  # åpenhet: words of one's own to use, apart from own questions


@dataclass
class Answers:
    going_well: str = ""
    hard: str = ""
    topics: list[TopicAnswer] = field(default_factory=list)  # in order of importance
    purpose: str = ""
    not_this_time: str = ""
    # Keys of the items (see bot.domain.agenda) whose words brought the safety note and which
    # the person chose to keep anyway: such words are never proposed for sharing.
    crisis: list[str] = field(default_factory=list)
    # Where the person was, so "continue where I stopped" works after /avbryt or a restart.
    step: str = field(default="good", compare=False)
    index: int = field(default=0, compare=False)

    def topic(self, topic_id: str) -> TopicAnswer | None:
        return next((t for t in self.topics if t.topic == topic_id), None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answers:
        topics = [TopicAnswer(**t) for t in data.get("topics", [])]
        return cls(
            going_well=data.get("going_well", ""),
            hard=data.get("hard", ""),
            topics=topics,
            purpose=data.get("purpose", ""),
            not_this_time=data.get("not_this_time", ""),
            crisis=list(data.get("crisis", [])),
            step=data.get("step", "good"),
            index=int(data.get("index", 0)),
        )

    @property
    def empty(self) -> bool:
        return not (
            self.going_well or self.hard or self.topics or self.purpose or self.not_this_time
        )


@dataclass(frozen=True)
class Preparation:
    id: int
    jobseeker_id: int
    meeting_id: int | None
    status: PrepStatus
    answers: Answers
    updated_at: datetime


def join_parts(previous: str, part: str) -> str:
    """A text Telegram split into several messages, whole again."""
    return (previous + part)[:ANSWER_MAX]


def add_words(previous: str, more: str) -> str:
    """What was written, with a new message added on a line of its own (nothing replaced)."""
    return (f"{previous}\n{more}" if previous else more)[:ANSWER_MAX]


def carry_first(answers: Answers, items: Sequence[Item]) -> None:
    """Points not talked about last time, put first in a new preparation, in their own words:
    topics before any chosen already, and what they wanted from the meeting if nothing is
    written there yet. Words that brought the safety note stay only the person's own."""
    carried: list[TopicAnswer] = []
    for item in items:
        if item.kind == "topic" and item.topic and answers.topic(item.topic) is None:
            carried.append(
                TopicAnswer(
                    item.topic,
                    list(item.questions),
                    item.own_words,
                    item.raiser,
                    item.employer_knows,
                    list(item.phrasings),
                    item.phrasing_words,
                )
            )
        elif item.kind == "purpose" and not answers.purpose:
            answers.purpose = item.own_words
        else:
            continue
        if item.crisis and item.key not in answers.crisis:
            answers.crisis.append(item.key)
    answers.topics = [*carried, *answers.topics]
