"""Short, versioned button data: ``v1:<flow>:<step>:<value>``, at most 64 bytes.

A button is a request, not a permission: the engine checks it against the person's current
state when it arrives, so a stale or forged button is refused, never obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.messages import Button
from bot.core.text import Label

VERSION = "v1"


@dataclass(frozen=True)
class ButtonData:
    flow: str
    step: str
    value: str

    def encode(self) -> str:
        return f"{VERSION}:{self.flow}:{self.step}:{self.value}"

    @classmethod
    def decode(cls, data: str) -> ButtonData | None:
        parts = data.split(":", 3)
        if len(parts) != 4 or parts[0] != VERSION or not all(parts[1:3]):
            return None
        return cls(parts[1], parts[2], parts[3])


def button(label: Label, flow: str, step: str, value: object) -> Button:
    return Button(label, ButtonData(flow, step, str(value)).encode())
