"""The preparation flow's own data between turns, typed (stored as JSON in the conversation).

The JSON names (``prep``, ``i``, ``placed``, ``editing``, ``last_text``) are those the flow
stored before it was typed, so a conversation stored then goes on unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Self

from bot.core.state import FlowData
from bot.domain.prep_steps import Place

NAME = "prep"
# Telegram splits a long text into parts that arrive within about a second; a part this long
# followed so soon by more text is taken as one answer.
SPLIT_PART = 3500
SPLIT_WINDOW = timedelta(seconds=5)


@dataclass
class LastText:
    """The last typed answer and where it went: a next part of a split text joins it."""

    step: str
    i: int
    at: datetime  # when the last part arrived
    length: int  # of the first part: only a long part can have been split

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LastText:
        return cls(
            str(data["step"]),
            int(data["i"]),
            datetime.fromisoformat(str(data["at"])),
            int(data.get("length", 0)),
        )


@dataclass
class PrepData(FlowData):
    """Which preparation, which topic, and what the current step is in the middle of."""

    prep: int | None = None  # the preparation's id
    i: int = 0  # the topic's position, on a per-topic step
    placed: list[str] = field(default_factory=list)  # "what matters most": topics placed so far
    editing: int | None = None  # the visible step changed from the review, if any
    last_text: LastText | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_text"] = self.last_text.to_json() if self.last_text else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        last = data.get("last_text")
        prep = data.get("prep")
        editing = data.get("editing")
        return cls(
            prep=int(prep) if prep else None,
            i=int(data.get("i", 0)),
            placed=[str(topic) for topic in data.get("placed") or []],
            editing=int(editing) if editing else None,
            last_text=LastText.from_json(last) if isinstance(last, dict) else None,
        )

    def place(self, step: str) -> Place:
        """Where the person is, at ``step`` (the conversation keeps the step itself)."""
        return Place(step, self.i)

    def continuation(self, now: datetime) -> Place | None:
        """Where a text goes if it is the next part of a long text Telegram split."""
        last = self.last_text
        if last is None or last.length < SPLIT_PART or now - last.at > SPLIT_WINDOW:
            return None
        last.at = now  # a third part may follow the second as closely
        return Place(last.step, last.i)
