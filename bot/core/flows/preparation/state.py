"""The preparation flow's own data between turns, typed (stored as JSON in the conversation).

The JSON names (``prep``, ``i``, ``placed``, ``editing``, ``last_text``) are those the flow
stored before it was typed, so a conversation stored then goes on unchanged; newer names
(``held``, ``peek``) take their defaults when missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Self

from bot.core.state import FlowData
from bot.domain.prep_steps import Place

NAME = "prep"
AGENDA = "pa"  # the agenda's own buttons (change it, go on), which work at any time
# Telegram splits a long text into parts that arrive within about a second; a part this long
# (in UTF-16 units, as Telegram counts: 2,048 emoji are a full part of 4,096)
# followed so soon by more text is taken as one answer.
SPLIT_PART = 3500
SPLIT_WINDOW = timedelta(seconds=5)
# The steps where the person is asked what to do with words they just wrote.
CRISIS = "crisis"  # words that brought the safety note: keep them (only for me) or not
WORDS = "words"  # written where something was written before: add to it, or replace it
CARRY = "carry"  # what was not talked about last time: put it first, or not this time


def _split(length: int, at: datetime, now: datetime) -> bool:
    """A text arriving now may be the next part of one this long that arrived ``at``."""
    return length >= SPLIT_PART and now - at <= SPLIT_WINDOW


@dataclass
class LastText:
    """The last typed answer and where it went: a next part of a split text joins it."""

    step: str
    i: int
    at: datetime  # when the last part arrived
    length: int  # of the first part: only a long part can have been split
    before: str = ""  # what the place held before this answer (the answer was added to it)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LastText:
        return cls(
            str(data["step"]),
            int(data["i"]),
            datetime.fromisoformat(str(data["at"])),
            int(data.get("length", 0)),
            str(data.get("before", "")),
        )


@dataclass
class Held:
    """Words the person wrote that wait for their choice (see ``CRISIS`` and ``WORDS``).

    Words that brought the safety note are held here only, never in the answers, until the
    person says to keep them. Words written over earlier ones are already added to them (so a
    person who never answers loses nothing); ``before`` is what was there before.
    """

    step: str
    i: int
    text: str
    at: datetime
    length: int  # of the last part, to join a split text
    before: str = ""

    @property
    def place(self) -> Place:
        return Place(self.step, self.i)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Held:
        return cls(
            str(data["step"]),
            int(data["i"]),
            str(data["text"]),
            datetime.fromisoformat(str(data["at"])),
            int(data.get("length", 0)),
            str(data.get("before", "")),
        )

    def split_part(self, now: datetime) -> bool:
        """A text arriving now is the next part of the held one (Telegram split it)."""
        return _split(self.length, self.at, now)


@dataclass
class PrepData(FlowData):
    """Which preparation, which topic, and what the current step is in the middle of."""

    prep: int | None = None  # the preparation's id
    i: int = 0  # the topic's position, on a per-topic step
    placed: list[str] = field(default_factory=list)  # "what matters most": topics placed so far
    editing: int | None = None  # the visible step changed from the review, if any
    last_text: LastText | None = None
    held: Held | None = None  # words waiting for the person's choice
    peek: bool = False  # the review was opened to look: it is not where the person stopped

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_text"] = self.last_text.to_json() if self.last_text else None
        data["held"] = self.held.to_json() if self.held else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        last = data.get("last_text")
        held = data.get("held")
        prep = data.get("prep")
        editing = data.get("editing")
        return cls(
            prep=int(prep) if prep else None,
            i=int(data.get("i", 0)),
            placed=[str(topic) for topic in data.get("placed") or []],
            editing=int(editing) if editing else None,
            last_text=LastText.from_json(last) if isinstance(last, dict) else None,
            held=Held.from_json(held) if isinstance(held, dict) else None,
            peek=bool(data.get("peek", False)),
        )

    def place(self, step: str) -> Place:
        """Where the person is, at ``step`` (the conversation keeps the step itself)."""
        return Place(step, self.i)

    def continuation(self, now: datetime) -> Place | None:
        """Where a text goes if it is the next part of a long text Telegram split."""
        last = self.last_text
        if last is None or not _split(last.length, last.at, now):
            return None
        last.at = now  # a third part may follow the second as closely
        return Place(last.step, last.i)
