"""The agenda: its items, made from the job seeker's answers, and its versions.

An **item** is one agenda point: a topic with its ticked questions, own words and who raises it;
the purpose, how things are going and the "not this time" list are items too. Each item has a
stable key ("purpose", "situation", "not_this_time", "topic:<topic id>"), the same in every
version, so consent and the share log can name exactly which point went to whom.

An **agenda version** is the agenda as it stood when the job seeker finished the review (or
shared): numbered 1, 2, 3 … per preparation, and never changed afterwards. Consent binds one
recipient to one version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.domain.preparation import Answers, TopicSpec

PURPOSE = "purpose"
SITUATION = "situation"  # how things are going: what goes well, what is hard
TOPIC = "topic"
NOT_THIS_TIME = "not_this_time"
KINDS = (PURPOSE, SITUATION, TOPIC, NOT_THIS_TIME)
_TOPIC_KEY = TOPIC + ":"


@dataclass(frozen=True)
class Item:
    """One point of the agenda, as the job seeker wrote it."""

    kind: str  # one of KINDS
    topic: str | None = None  # the topic's id, for a "topic" item only
    questions: tuple[str, ...] = ()
    own_words: str = ""
    raiser: str | None = None  # a Raiser value
    employer_knows: str | None = None  # an EmployerKnows value (åpenhet only)
    phrasings: tuple[str, ...] = ()
    phrasing_words: str = ""  # åpenhet: own words to use with an employer
    going_well: str = ""
    hard: str = ""
    health: bool = False  # about health, treatment or åpenhet: proposed to health staff only
    crisis: bool = False  # its words brought the safety note: never proposed for sharing

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")
        # The key is made from kind and topic: a topic item without its topic would have none.
        if (self.kind == TOPIC) != bool(self.topic):
            raise ValueError("a topic item, and only a topic item, names its topic")

    @property
    def key(self) -> str:
        """Which point this is, the same in every version of the agenda."""
        return f"{_TOPIC_KEY}{self.topic}" if self.kind == TOPIC else self.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "questions": list(self.questions),
            "own_words": self.own_words,
            "raiser": self.raiser,
            "employer_knows": self.employer_knows,
            "phrasings": list(self.phrasings),
            "phrasing_words": self.phrasing_words,
            "going_well": self.going_well,
            "hard": self.hard,
            "health": self.health,
            "crisis": self.crisis,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Item:
        kind, _, topic = str(data["key"]).partition(":")
        return cls(
            kind,
            topic or None,
            questions=tuple(data.get("questions", ())),
            own_words=data.get("own_words", ""),
            raiser=data.get("raiser"),
            employer_knows=data.get("employer_knows"),
            phrasings=tuple(data.get("phrasings", ())),
            phrasing_words=data.get("phrasing_words", ""),
            going_well=data.get("going_well", ""),
            hard=data.get("hard", ""),
            health=bool(data.get("health", False)),
            crisis=bool(data.get("crisis", False)),
        )


def agenda_items(answers: Answers, bank: Mapping[str, TopicSpec]) -> list[Item]:
    """The job seeker's items, in their order: purpose, topics by importance, how it goes,
    and last what not to talk about this time. Empty answers make no item."""
    items: list[Item] = []
    if answers.purpose:
        items.append(Item(PURPOSE, own_words=answers.purpose))
    for topic in answers.topics:
        spec = bank.get(topic.topic)
        items.append(
            Item(
                TOPIC,
                topic=topic.topic,
                questions=tuple(topic.questions),
                own_words=topic.own_words,
                raiser=topic.raiser,
                employer_knows=topic.employer_knows,
                phrasings=tuple(topic.phrasings),
                phrasing_words=topic.phrasing_words,
                health=spec.health if spec else False,
            )
        )
    if answers.going_well or answers.hard:
        items.append(Item(SITUATION, going_well=answers.going_well, hard=answers.hard))
    if answers.not_this_time:
        items.append(Item(NOT_THIS_TIME, own_words=answers.not_this_time))
    crisis = set(answers.crisis)
    return [replace(item, crisis=True) if item.key in crisis else item for item in items]


@dataclass(frozen=True)
class AgendaVersion:
    """The agenda as it stood at one moment; never changed once made."""

    id: int
    preparation_id: int
    jobseeker_id: int
    number: int  # 1, 2, 3 … per preparation
    items: tuple[Item, ...]
    created_at: datetime

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError("agenda versions are numbered from 1")
        keys = self.keys
        if len(set(keys)) != len(keys):
            raise ValueError("an agenda names each point once")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


def items_to_json(items: Iterable[Item]) -> list[dict[str, Any]]:
    """Items as one JSON document (a version's, stored encrypted)."""
    return [item.to_json() for item in items]


def items_from_json(data: Iterable[Mapping[str, Any]]) -> tuple[Item, ...]:
    return tuple(Item.from_json(item) for item in data)
