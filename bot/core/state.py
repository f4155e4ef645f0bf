"""Where a person is in a conversation, and each flow's own typed data.

The state is stored between turns (as JSON, encrypted), so a restart continues where the person
was. A flow reads and changes its data as a dataclass (``state.view(ScheduleData)``); the
engine writes it back before the state is saved.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self, TypeVar

from bot.domain.people import Locale


@dataclass
class FlowData:
    """Base of a flow's typed data (subclasses are dataclasses): stored as a JSON object."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        # Keys a newer or older version wrote are ignored; missing ones take their defaults.
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


D = TypeVar("D", bound=FlowData)

# The mark retention leaves where it let go of a conversation idle longer than the retention
# period (what was typed in it deleted): the person's next message starts afresh, and is told so.
LET_GO = "let_go"


@dataclass
class ConversationState:
    """Where a person is in a flow. ``flow`` empty means: not in any flow."""

    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    locale: Locale | None = None  # chosen before the person is registered
    # Set when nothing about this address may be kept (a job seeker who said no): not stored.
    forget: bool = False
    # What the engine remembers across flows: the message of the last press it took (a second
    # tap on it is a double tap) and the last edited message it explained (told once).
    marks: dict[str, int] = field(default_factory=dict)
    _view: FlowData | None = field(default=None, repr=False, compare=False)

    @property
    def active(self) -> bool:
        return bool(self.flow)

    def go(self, flow: str, step: str) -> None:
        """Move to ``step`` of ``flow``; entering another flow starts with fresh data."""
        if flow != self.flow:
            self.data, self._view = {}, None
        self.flow, self.step = flow, step

    def view(self, kind: type[D]) -> D:
        """This flow's data, typed; changes to it are kept when the turn is stored."""
        if not isinstance(self._view, kind):
            self.flush()
            self._view = kind.from_json(self.data)
        return self._view

    def flush(self) -> None:
        """Write the typed data back into ``data`` (before the state is stored)."""
        if self._view is not None:
            self.data = self._view.to_json()

    def clear(self) -> None:
        self.flow, self.step, self.data, self._view = "", "", {}, None
