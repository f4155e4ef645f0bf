"""What crosses the edge between a transport and the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from bot.core.commands import Command
from bot.core.text import Label, Text
from bot.domain.people import Locale

# Telegram's limit on callback data, in bytes; the engine refuses to make a longer button.
CALLBACK_DATA_LIMIT = 64
# Telegram's own limit for one message; a longer text arrives as several messages, which the
# preparation joins. Only the terminal can send more, and gets a kind "too long".
TEXT_LIMIT = 4096


class Kind(Enum):
    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    START = "start"  # /start, with or without a payload
    UNSUPPORTED = "unsupported"  # stickers, photos, voice, files


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: typed text, sent a command, pressed a button, opened a link."""

    address: str  # transport-qualified, e.g. "telegram:12345" or "terminal:kari"
    kind: Kind
    text: str = ""  # the text; for a command its arguments; for START the payload
    command: str = ""  # without the slash, lower case
    data: str = ""  # a button's data
    sequence: int | None = (
        None  # increasing per transport (Telegram's update_id): redeliveries are ignored
    )


@dataclass(frozen=True)
class Button:
    label: Label
    data: str

    def __post_init__(self) -> None:
        if not 0 < len(self.data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise ValueError(f"button data must be 1-{CALLBACK_DATA_LIMIT} bytes: {self.data!r}")


@dataclass(frozen=True)
class CalendarFile:
    """An .ics file for one meeting, made by the renderer in the recipient's language."""

    meeting_id: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    place: str
    cancelled: bool = False


@dataclass(frozen=True)
class Reply:
    """A message to send: a template with its values, in a language, with buttons (rows).

    ``address`` None means the person who sent the Inbound; otherwise someone to notify.
    """

    template: str
    locale: Locale
    context: Mapping[str, object] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    address: str | None = None
    attachment: CalendarFile | None = None
    # Shown in place of the message whose button was pressed (a tick on a list), not anew.
    replace: bool = False


@dataclass(frozen=True)
class Menu:
    """The command menu one person should see now (after registering, or a language change)."""

    address: str
    locale: Locale
    commands: tuple[Command, ...]


@dataclass(frozen=True)
class Outcome:
    """The engine's answer to one Inbound.

    For a button press, ``accepted`` tells the transport whether the press was taken (it then
    marks the choice on the old message) or refused as stale or forged (``notice`` explains).
    """

    replies: tuple[Reply, ...] = ()
    accepted: bool = True
    notice: Text | None = None
    locale: Locale = Locale.NB
    menus: tuple[Menu, ...] = ()
