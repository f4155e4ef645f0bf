"""What crosses the edge between a transport and the engine."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from bot.core.commands import Command
from bot.core.text import Label, Text
from bot.domain.agenda import Item
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
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
    EDITED = "edited"  # a message the person changed after sending it (not read)
    GROUP = "group"  # a group or channel: Møteklar works in private chats only, and leaves
    BLOCKED = "blocked"  # the person blocked the bot
    UNBLOCKED = "unblocked"  # and let it write again


@dataclass(frozen=True)
class Inbound:
    """One thing a person did: typed text, sent a command, pressed a button, opened a link."""

    address: str  # transport-qualified, e.g. "telegram:12345" or "terminal:kari"
    kind: Kind
    text: str = ""  # the text; for a command its arguments; for START the payload
    command: str = ""  # without the slash, lower case
    data: str = ""  # a button's data
    # The transport's id for this inbound (Telegram's update_id): a redelivery is recognised by
    # it and not handled twice. None where nothing is redelivered (the terminal).
    update_id: int | None = None
    # A button press: the message the button was on, so an answer can be shown in its place;
    # an edited message: which one.
    message_id: int | None = None
    # The language the person's app is set to ("nb", "en-GB"), where nothing else tells: the
    # one message to a group. A channel gives none and gets no message (``Kind.GROUP``).
    language: str = ""
    channel: bool = False  # ``Kind.GROUP`` from a channel: Møteklar leaves without a word


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
class AgendaFile:
    """The job seeker's own printable agenda (PDF), made by the renderer in their language."""

    name: str
    items: tuple[Item, ...]
    starts_at: datetime | None
    ends_at: datetime | None
    place: str
    team: str
    kind: str = "samarbeidsmote"  # the fixed part of the agenda follows the kind of meeting


@dataclass(frozen=True)
class DataFile:
    """Everything stored about a person, as a JSON document (``/mine_data``, GDPR art. 20)."""

    data: Mapping[str, Any]
    exported_at: datetime


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
    attachment: CalendarFile | AgendaFile | DataFile | None = None
    # Shown in place of the message whose button was pressed (a tick on a list), not anew.
    replace: bool = False
    protect: bool = False  # Telegram's protect_content: no forwarding or saving in its apps
    ref: str | None = None  # what the delivery belongs to ("share:12"), to find it again
    withdraws: int | None = None  # take back what this delivery sent (this text if it must stay)
    edits: int | None = None  # show this in place of that (sent) message, for its recipient
    silent: bool = False  # arrives without a sound (the agenda pinned on the meeting day)
    leave: bool = False  # not a message: Møteklar leaves this (group) chat; no template


@dataclass(frozen=True)
class Menu:
    """The command menu one person should see now (after registering, or a language change)."""

    address: str
    locale: Locale
    commands: tuple[Command, ...]
    ref: str | None = None  # what it belongs to (FORGET: the menu of someone who left)


@dataclass(frozen=True)
class Outcome:
    """The engine's answer to one Inbound, after its change and its messages were committed.

    The replies are already in the outbox: ``addresses`` says whose deliveries to start. For a
    button press, ``accepted`` tells the transport whether the press was taken (it then marks the
    choice on the old message, unless ``edited``: an answer replaces that message) or refused as
    stale or forged (``notice`` explains), and ``ends_choice`` whether the other buttons go.
    """

    replies: tuple[Reply, ...] = ()
    accepted: bool = True
    notice: Text | None = None
    locale: Locale = Locale.NB
    menus: tuple[Menu, ...] = ()
    addresses: tuple[str, ...] = ()
    edited: bool = False
    redelivered: bool = False  # handled before: nothing was done, nothing is to be done
    # A second tap on a button whose first tap was taken: answered quietly, nothing else done
    # (its message may already show the next question, whose buttons must stay).
    repeated: bool = False
    # A press that ends a choice closes its message's buttons; one that does not (a calendar
    # file next to "I can't come") leaves them all in place.
    ends_choice: bool = True


@dataclass(frozen=True)
class Document:
    """A file sent with a message (a calendar file)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Envelope:
    """A message rendered for one person: what the outbox stores and a transport sends.

    Rendered when the change is committed, so what is sent is exactly what was decided then.
    """

    parts: tuple[str, ...] = ()  # Telegram HTML, each part within one message's limit
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()  # rows of (label, data), on the last part
    document: Document | None = None  # sent after the parts; the caption when it fits
    caption: str | None = None
    commands: tuple[tuple[str, str], ...] = ()  # a command menu: (command, description)
    protect: bool = False  # Telegram's protect_content: no forwarding or saving
    silent: bool = False  # Telegram's disable_notification

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"parts": list(self.parts)}
        if self.buttons:
            data["buttons"] = [[list(b) for b in row] for row in self.buttons]
        if self.document is not None:
            data["document"] = {
                "filename": self.document.filename,
                "data": base64.b64encode(self.document.data).decode("ascii"),
            }
        if self.caption is not None:
            data["caption"] = self.caption
        if self.commands:
            data["commands"] = [list(c) for c in self.commands]
        if self.protect:
            data["protect"] = True
        if self.silent:
            data["silent"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Envelope:
        document = data.get("document")
        return cls(
            parts=tuple(data.get("parts", ())),
            buttons=tuple(
                tuple((str(label), str(value)) for label, value in row)
                for row in data.get("buttons", ())
            ),
            document=Document(document["filename"], base64.b64decode(document["data"]))
            if document
            else None,
            caption=data.get("caption"),
            commands=tuple((str(c), str(d)) for c, d in data.get("commands", ())),
            protect=bool(data.get("protect", False)),
            silent=bool(data.get("silent", False)),
        )


@dataclass(frozen=True)
class Delivery:
    """One message owed to one person, as the outbox holds it."""

    id: int
    address: str
    op: Op
    guarantee: Guarantee
    envelope: Envelope
    status: DeliveryStatus
    created_at: datetime
    # EDIT: the message shown in place; WITHDRAW: the delivery whose messages are taken back.
    target_id: int | None = None
    origin: str | None = None  # whose action caused it: told if it cannot be delivered
    ref: str | None = None
    not_after: datetime | None = None
    parts_done: int = 0
    message_ids: tuple[int, ...] = ()
    settled_at: datetime | None = None  # when it was sent (or otherwise settled)
