"""The job seeker's follow-up after a meeting: were they heard? — pure rules, no I/O.

"Fikk du tatt opp det som var viktigst for deg?" (ja / delvis / nei), then for each point of their
agenda "Ble dette snakket om?", then own words if they want. In primary care, a list of concerns
before the visit and asking afterwards which were *not* addressed is the standard way to measure
unmet concerns; here the person sees it, and what was not talked about is offered first next time.

Private: only the job seeker sees it, unless they pass something on (``/snakke``). The team sees
only anonymous counts (``counts``), kept apart from the person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from bot.domain.agenda import NOT_THIS_TIME, Item

WORDS_MAX = 4000


class Heard(Enum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


@dataclass
class Answers:
    """What the job seeker has answered so far (all optional)."""

    heard: Heard | None = None
    talked: dict[str, bool] = field(default_factory=dict)  # item key -> talked about
    words: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "heard": self.heard.value if self.heard else None,
            "talked": dict(self.talked),
            "words": self.words,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answers:
        heard = data.get("heard")
        return cls(
            Heard(heard) if heard else None,
            {str(k): bool(v) for k, v in dict(data.get("talked") or {}).items()},
            str(data.get("words", "")),
        )

    @property
    def not_discussed(self) -> list[str]:
        """The keys of the points the job seeker said were not talked about."""
        return [key for key, talked in self.talked.items() if not talked]


@dataclass(frozen=True)
class FollowUp:
    id: int
    meeting_id: int
    jobseeker_id: int
    answers: Answers
    updated_at: datetime

    @property
    def answered(self) -> bool:
        return self.answers.heard is not None


def asked_items(items: Iterable[Item]) -> list[Item]:
    """The points asked about: all of the agenda but "not this time" (which was not meant to be
    talked about)."""
    return [item for item in items if item.kind != NOT_THIS_TIME]


# The anonymous counters a follow-up adds to (see bot.domain.report).
FOLLOWED_UP = "followed_up"
ITEMS_ASKED = "items_asked"
NOT_DISCUSSED = "items_not_discussed"


def heard_counter(heard: Heard) -> str:
    return f"heard_{heard.value}"


def counts(answers: Answers | None) -> Counter[str]:
    """What these answers add to the team's counters: followed up once the main question is
    answered; each point answered, and those not talked about."""
    found: Counter[str] = Counter()
    if answers is None:
        return found
    if answers.heard is not None:
        found[FOLLOWED_UP] += 1
        found[heard_counter(answers.heard)] += 1
    found[ITEMS_ASKED] += len(answers.talked)
    found[NOT_DISCUSSED] += len(answers.not_discussed)
    return found


def changes(before: Answers | None, after: Answers) -> dict[str, int]:
    """How the counters change when ``before`` becomes ``after`` (an answer changed is moved,
    never counted twice)."""
    old, new = counts(before), counts(after)
    return {name: new[name] - old[name] for name in set(old) | set(new) if new[name] != old[name]}
