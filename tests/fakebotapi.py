"""A fake Telegram Bot API HTTP server for end-to-end tests.

The real bot (python-telegram-bot over httpx) talks to it exactly as it talks to
``api.telegram.org``: ``POST {base_url}{token}/{method}``. Tests drive it as a user would
(:meth:`FakeBotApi.send_text`, :meth:`FakeBotApi.press_button`) and inspect what the bot did
(:attr:`FakeBotApi.calls`, :meth:`FakeBotApi.messages_to`).

Validation is deliberately strict: whatever this server accepts, real Telegram accepts too.
In a few places it is *stricter* than Telegram (a bare ``&`` or an unknown ``&name;`` in HTML,
``<a>`` without ``href``, an entity without ``;``, Markdown parse modes) so that escaping bugs
surface in tests instead of as garbled text in production.

Tests can also make it misbehave the way Telegram and the network do: error responses for a
method or one chat (:meth:`FakeBotApi.inject_error`), flood control for one chat
(:meth:`FakeBotApi.rate_limit_chat`) or for the whole bot past a number of messages a second
(:meth:`FakeBotApi.flood_control`), dropped or late answers to calls that did or did not take
effect (:meth:`FakeBotApi.inject_fault`), a clock that jumps days ahead
(:meth:`FakeBotApi.advance_clock`), raw updates and update ids that jump
(:meth:`FakeBotApi.enqueue_raw`, :meth:`FakeBotApi.jump_update_ids`).

Only the standard library is used: ``http.server.ThreadingHTTPServer`` in a daemon thread and
one ``threading.Condition`` guarding all state (long polling and delayed answers wait on it, which
releases it).
"""

from __future__ import annotations

import bisect
import copy
import email.parser
import email.policy
import json
import math
import re
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, urlsplit

__all__ = ["ApiError", "Call", "FakeBotApi", "SentMessage", "UploadedFile", "parse_html"]

_T = TypeVar("_T")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
FIRST_UPDATE_ID = 100_000
# Update ids are positive int32 below this (tdlib's TQueue::EventId::MAX_ID).
MAX_UPDATE_ID = 2_000_000_000
# telegram-bot-api treats a getUpdates offset more than this above the next update id as "in
# the future" and serves the queue from its head instead, confirming nothing.
FUTURE_OFFSET_SLACK = 10
# Bots may delete (for everyone) a private-chat message at most this old (tdlib's
# revoke_pm_time_limit for bots: 2 * 86400, compared with <=).
DELETE_TIME_LIMIT = 2 * 86_400
GROUP_TITLE = "Testgruppe"
# The calls that flood control counts: the ones that put something in a chat.
FLOOD_METHODS = frozenset(
    [
        "sendMessage",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "pinChatMessage",
        "unpinChatMessage",
    ]
)
FAULT_KINDS = frozenset(["disconnect", "delay"])
# The calls that show a person something new in their chat.
_CONTENT_METHODS = frozenset(
    ["sendMessage", "sendDocument", "editMessageText", "editMessageCaption"]
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CANT_DELETE_FOR_EVERYONE = "Bad Request: message can't be deleted for everyone"

# Parameters whose form-encoded value is a raw string; every other value is JSON-decoded
# (python-telegram-bot JSON-encodes all non-string values).
STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "language_code",
        "callback_data",
        "inline_message_id",
        "action",
        "url",
        "description",
        "short_description",
        "name",
        "message_effect_id",
        "business_connection_id",
        "secret_token",
        "ip_address",
    ]
)

UPDATE_TYPES = frozenset(
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    ]
)
# What Telegram delivers when allowed_updates was never set or set to [].
DEFAULT_UPDATE_TYPES = UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}

CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
COMMAND_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)
INLINE_BUTTON_ACTIONS = [
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
]
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")


class ApiError(Exception):
    """A Bot API error response: ``{"ok": false, "error_code": status, ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _too_many(seconds: float) -> ApiError:
    retry_after = max(1, math.ceil(seconds))
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def _bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One API call the bot made, in the order the server answered them.

    A call hit by :meth:`FakeBotApi.inject_fault` has ``fault`` set ("disconnect" or "delay")
    and ``status`` 0, as the bot got no answer in time (or none at all); ``response`` is then
    the answer that was lost or late when the call took effect, and ``{}`` when it did not.
    """

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    fault: str | None = None
    at: float = field(default_factory=time.monotonic)  # when it was answered (monotonic)

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.status == 200


@dataclass
class SentMessage:
    """A message the bot sent, as the fake server currently stores it (edits applied)."""

    message_id: int
    chat_id: int
    text: str
    html: str
    reply_markup: dict[str, Any] | None
    protect_content: bool = False
    silent: bool = False  # sent with disable_notification
    entities: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    file_data: bytes | None = None  # an uploaded document's bytes, to read what was sent
    deleted: bool = False
    date: int = 0
    edit_date: int | None = None


@dataclass
class _User:
    """A user and, under the same id, their private chat with the bot."""

    user_id: int
    first_name: str
    language_code: str | None
    blocked: bool = False
    incoming: dict[int, int] = field(default_factory=dict)  # their message_id -> date

    @property
    def chat_id(self) -> int:
        return self.user_id

    def to_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}


@dataclass
class _Group:
    """A basic group the bot is a member of (negative id); only users' messages come from it."""

    chat_id: int
    title: str = GROUP_TITLE
    blocked: bool = False  # only users block bots
    incoming: dict[int, int] = field(default_factory=dict)  # users' message_id -> date
    type: str = "group"  # or "supergroup", "channel"
    left: bool = False  # the bot left it (leaveChat): nothing can be sent there any more

    def chat_json(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": self.type, "title": self.title}


_Chat = _User | _Group


class _Targeted(Protocol):
    chat_id: int | None


_R = TypeVar("_R", bound=_Targeted)


@dataclass
class _InjectedError:
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None = None


@dataclass
class _Fault:
    kind: str  # "disconnect" or "delay"
    processed: bool
    delay: float
    chat_id: int | None = None


class _NoAnswer(Exception):
    """Raised to the HTTP handler: close the connection without sending any response."""


def _take(rules: deque[_R] | None, params: dict[str, Any]) -> _R | None:
    """Remove and return the first rule that applies to a call with ``params``."""
    if rules:
        for index, rule in enumerate(rules):
            if rule.chat_id is None or rule.chat_id == params.get("chat_id"):
                del rules[index]
                return rule
    return None


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_SPACES = b" \t\r\n\0\v"  # tdlib's is_space(); NUL doubles as the end-of-text sentinel
_TAG_ENTITY = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_HTML_TAGS = frozenset(_TAG_ENTITY)
_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_HEX = b"0123456789abcdefABCDEF"


def _entity_error(message: str) -> ApiError:
    return _bad_request(f"can't parse entities: {message}")


def _decode_html_entity(data: bytes, pos: int) -> tuple[str, int]:
    """Decode the character reference starting at ``data[pos] == '&'``.

    Returns the character and the position after the ``;``. Telegram itself keeps an
    undecodable ``&`` literally; we reject it so that missing escaping is caught.
    """
    end = pos + 1
    if data[end : end + 1] == b"#":
        end += 1
        base, digits = 10, b"0123456789"
        if data[end : end + 1] == b"x":
            end += 1
            base, digits = 16, _HEX
        start = end
        while data[end] in digits and end - start < 7:
            end += 1
        code = int(data[start:end], base) if end > start else 0
        if 0xD800 <= code <= 0xDFFF:
            raise _entity_error(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(code) if 0 < code < 0x10FFFF else ""
    else:
        start = end
        while chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(data[start:end], "")
    if not char or data[end : end + 1] != b";":
        snippet = data[pos : end + (data[end] == ord(";"))].decode("utf-8", "replace")
        raise _entity_error(
            f'Unsupported HTML entity "{snippet}" at byte offset {pos}; escape "&" as "&amp;"'
        )
    return char, end + 1


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML subset the way tdlib does; return (plain text, entities).

    Raises :class:`ApiError` 400 "Bad Request: can't parse entities: ..." with tdlib's wording
    and byte offsets.
    """
    data = html.encode("utf-8") + b"\0"
    size = len(data) - 1
    out: list[str] = []
    utf16_offset = 0
    open_tags: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0

    def emit(chunk: str) -> None:
        nonlocal utf16_offset
        out.append(chunk)
        utf16_offset += utf16_len(chunk)

    while i < size:
        byte = data[i]
        if byte == ord("&"):
            char, i = _decode_html_entity(data, i)
            emit(char)
            continue
        if byte != ord("<"):
            start = i
            while i < size and data[i] not in b"<&":
                i += 1
            emit(data[start:i].decode("utf-8"))
            continue

        begin = i
        i += 1
        if data[i] != ord("/"):
            i, tag = _parse_start_tag(data, begin)
            open_tags.append(_OpenTag(tag[0], tag[1], utf16_offset))
            i += 1  # skip '>'
            continue

        if not open_tags:
            raise _entity_error(f"Unexpected end tag at byte offset {begin}")
        while data[i] not in _SPACES and data[i] != ord(">"):
            i += 1
        end_name = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while data[i] in _SPACES and i < size:
            i += 1
        if data[i] != ord(">"):
            raise _entity_error(f"Unclosed end tag at byte offset {begin}")
        i += 1
        tag_open = open_tags.pop()
        if end_name and end_name != tag_open.name:
            raise _entity_error(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag_open.name}>", '
                f'found "</{end_name}>"'
            )
        parent = open_tags[-1] if open_tags else None
        if (
            tag_open.name == "code"
            and tag_open.argument
            and parent is not None
            and parent.name == "pre"
            and parent.utf16_offset == tag_open.utf16_offset
        ):
            parent.argument = tag_open.argument  # <pre><code class="language-x"> → pre(x)
            continue
        length = utf16_offset - tag_open.utf16_offset
        if length > 0:
            entities.append(_make_entity(tag_open, length))

    if open_tags:
        raise _entity_error(
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_start_tag(data: bytes, begin: int) -> tuple[int, tuple[str, str]]:
    """Parse ``<name attr="value" ...>`` starting at ``begin``; return (index of '>', tag)."""
    i = begin + 1
    while data[i] not in _SPACES and data[i] != ord(">"):
        i += 1
    if data[i] == 0:
        raise _entity_error(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1 : i].decode("utf-8", "replace").lower()
    if name not in _HTML_TAGS:
        raise _entity_error(f'Unsupported start tag "{name}" at byte offset {begin}')

    argument = ""
    has_href = False
    while data[i] != ord(">"):
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] == ord(">"):
            break
        attr_begin = i
        while data[i] not in _SPACES and data[i] not in b"=>/'\"":
            i += 1
        attr = data[attr_begin:i].decode("utf-8", "replace")
        if not attr:
            raise _entity_error(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] != ord("="):  # an attribute without a value
            if data[i] == 0:
                raise _entity_error(f'Unclosed start tag "{name}" at byte offset {begin}')
            if name == "blockquote" and attr == "expandable":
                argument = "expandable"
            continue
        i += 1
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] == 0:
            raise _entity_error(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _parse_attribute_value(data, i)
        if data[i] == 0:
            raise _entity_error(f"Unclosed start tag at byte offset {begin}")

        if name == "a" and attr == "href":
            argument, has_href = value, True
        elif name == "code" and attr == "class" and value.startswith("language-"):
            argument = value.removeprefix("language-")
        elif name == "span" and attr == "class" and value.startswith("tg-"):
            argument = value.removeprefix("tg-")
        elif name == "tg-emoji" and attr == "emoji-id":
            argument = value

    if name == "span" and argument != "spoiler":
        raise _entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    if name == "a" and not (has_href and argument.strip()):
        # Telegram would fall back to using the link text as URL; we insist on href.
        raise _entity_error(f'Tag "a" must have a non-empty "href" at byte offset {begin}')
    if name == "tg-emoji" and not argument.isdigit():
        raise _entity_error("Invalid custom emoji identifier specified")
    return i, (name, argument)


def _parse_attribute_value(data: bytes, i: int) -> tuple[str, int]:
    """Parse a quoted string or a name token at ``i``; return (value, next index)."""
    quote = data[i]
    if quote not in b"'\"":
        start = i
        while chr(data[i]).isascii() and (chr(data[i]).isalnum() or data[i] in b".-"):
            i += 1
        if data[i] not in _SPACES and data[i] != ord(">"):
            raise _entity_error(f"Unexpected end of name token at byte offset {start}")
        return data[start:i].decode("ascii").lower(), i

    i += 1
    value: list[str] = []
    while data[i] != quote and data[i] != 0:
        if data[i] == ord("&"):
            char, i = _decode_html_entity(data, i)
            value.append(char)
            continue
        start = i
        while data[i] not in (quote, 0, ord("&")):
            i += 1
        value.append(data[start:i].decode("utf-8"))
    if data[i] == quote:
        i += 1
    return "".join(value), i


def _make_entity(tag: _OpenTag, length: int) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "type": _TAG_ENTITY[tag.name],
        "offset": tag.utf16_offset,
        "length": length,
    }
    if tag.name == "a":
        entity["url"] = tag.argument
    elif tag.name == "pre" and tag.argument:
        entity["language"] = tag.argument
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.argument
    elif tag.name == "blockquote" and tag.argument:
        entity["type"] = "expandable_blockquote"
    return entity


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace like Telegram does, shifting and clipping entities."""
    stripped = text.strip(" \t\r\n")
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip(" \t\r\n"))])
    end = lead + utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            result.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, result


# --------------------------------------------------------------------------------------------
# Request parsing
# --------------------------------------------------------------------------------------------


def _normalize(key: str, value: Any) -> Any:
    """JSON-decode a string value unless ``key`` is a plain-string parameter."""
    if isinstance(value, str) and key not in STRING_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def parse_request_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode a form-urlencoded, JSON or multipart request body into typed parameters."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    raw: dict[str, Any] = {}
    if not body.strip():
        return raw
    if media_type == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise _bad_request("JSON object expected")
        raw = decoded
    elif media_type == "multipart/form-data":
        header = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if not isinstance(name, str) or not isinstance(payload, bytes):
                continue
            filename = part.get_filename()
            if filename is None:
                raw[name] = payload.decode("utf-8")
            else:
                raw[name] = UploadedFile(filename, part.get_content_type(), payload)
    else:  # application/x-www-form-urlencoded (also the fallback)
        raw = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    return {key: _normalize(key, value) for key, value in raw.items()}


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Telegram never refuses a connection: with the default backlog of 5, a burst of new
    # connections (a bot answering 50 people at once) overflowed it, and the kernel dropped
    # them, to be tried again a second later or lost ("httpx.ReadError").
    request_queue_size = 1024
    fake: FakeBotApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client (e.g. a killed bot) drops its connection mid-poll."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Keep-alive, as Telegram's server: clients reuse their connections. Without TCP_NODELAY
    # the headers and the body, written separately, would wait on delayed ACKs (~40 ms each).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        try:
            status, payload = self.server.fake.handle_request(
                url.path, url.query, self.headers.get("Content-Type", ""), body
            )
        except _NoAnswer:
            self.close_connection = True  # the socket closes with nothing written
            return
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


MethodHandler = Callable[[dict[str, Any]], Any]


class FakeBotApi:
    """An in-process fake of the Telegram Bot API, served over real HTTP on 127.0.0.1."""

    def __init__(
        self, token: str = "123456:TEST-token", bot_username: str = "moteklar_test_bot"
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.base_url = ""
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = FIRST_UPDATE_ID
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._users: dict[int, _User] = {}
        self._groups: dict[int, _Group] = {}
        self._messages: dict[int, list[SentMessage]] = {}
        self._pinned: dict[int, list[int]] = {}  # chat_id -> pinned message ids, ascending
        self._next_message_id: dict[int, int] = {}
        self._callback_ids: dict[int, str] = {}  # update_id -> callback_query id
        self._open_callbacks: set[str] = set()
        self._next_callback = 0
        self._errors: dict[str, deque[_InjectedError]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._rate_limits: dict[int, float] = {}  # chat_id -> time.monotonic() deadline
        self._flood: tuple[int | None, int | None] = (None, None)  # (overall, per chat) a second
        self._flood_calls: deque[tuple[float, int]] = deque()  # (monotonic time, chat_id)
        self._clock_offset = 0.0
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._stopped = False
        self._webhook: dict[str, Any] | None = None  # url, secret_token, set by setWebhook
        self.webhook_posts: list[tuple[int, int]] = []  # (update_id, HTTP status or 0)
        self._pusher: threading.Thread | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._handlers: dict[str, MethodHandler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_text("description", 512),
            "setMyShortDescription": self._set_my_text("short_description", 120),
            "setMyName": self._set_my_text("name", 64),
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "pinChatMessage": self._pin_chat_message,
            "leaveChat": self._leave_chat,
            "unpinChatMessage": self._unpin_chat_message,
            "close": lambda params: True,
            "logOut": lambda params: True,
        }
        self._method_names = {name.lower(): name for name in self._handlers}

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}/bot"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Shut down and wake any long-poller (it gets an empty result)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- driving the bot

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Test",
        language_code: str | None = "nb",
        group_id: int | None = None,
    ) -> int:
        """Queue a text message from ``user_id``; return its update_id.

        It comes from their private chat, or with ``group_id`` (negative) from a basic group
        (chat type "group", title :data:`GROUP_TITLE`) that the bot then also can write to.
        Whether the bot could see it there (privacy mode) is up to the test.
        """
        if group_id is not None and group_id >= 0:
            raise ValueError(f"group ids are negative, got {group_id}")
        message: dict[str, Any] = {"text": text}
        command = _BOT_COMMAND_RE.match(text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}
            ]
        return self._user_message(user_id, message, first_name, language_code, group_id)

    def send_sticker(self, user_id: int) -> int:
        """Queue a private message with a sticker and no text; return its update_id."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAIBfakeSticker",
            "file_unique_id": "AgADfakeSticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._user_message(user_id, {"sticker": sticker}, None, None)

    def press_button(
        self, user_id: int, message_id: int, data: str, *, check_button: bool = True
    ) -> int:
        """Queue a callback_query for a button of a message the bot sent; return update_id.

        With ``check_button`` (the default) ``data`` must be the callback_data of a button the
        message currently shows, as a real user could not press anything else.
        """
        with self._cond:
            user = self._users.get(user_id)
            message = self._find_message(user_id, message_id)
            if user is None or message is None:
                raise ValueError(f"no bot message {message_id} in chat {user_id}")
            if check_button and data not in {d for _, d in self.buttons(message)}:
                raise ValueError(
                    f"message {message_id} has no button with callback_data {data!r}; "
                    f"buttons: {self.buttons(message)}"
                )
            user.blocked = False
            self._next_callback += 1
            query_id = str(4_000_000_000_000_000 + self._next_callback)
            query = {
                "id": query_id,
                "from": user.to_json(),
                "message": self._message_json(message),
                "chat_instance": str(-7_000_000_000_000 - user_id),
                "data": data,
            }
            update_id = self._enqueue("callback_query", query)
            self._callback_ids[update_id] = query_id
            self._open_callbacks.add(query_id)
            return update_id

    def add_user(self, user_id: int, *, first_name: str = "Test") -> None:
        """A user who talked to the bot before (their chat exists), without a new update."""
        with self._cond:
            self._users.setdefault(user_id, _User(user_id, first_name, "nb"))

    def block_user(self, user_id: int, *, announce: bool = False) -> None:
        """Make the user block the bot: sends to that chat fail with 403 until they write.

        With ``announce`` a ``my_chat_member`` update says so (status "kicked"), as Telegram
        sends one when ``allowed_updates`` asks for it.
        """
        with self._cond:
            user = self._known_user(user_id)
            user.blocked = True
            if announce:
                self._member_update(user, user.chat_json(), "member", "kicked")

    def unblock_user(self, user_id: int) -> int:
        """The user lets the bot write again (without writing themselves): a ``my_chat_member``
        update (status "member"); returns its update_id."""
        with self._cond:
            user = self._known_user(user_id)
            user.blocked = False
            return self._member_update(user, user.chat_json(), "kicked", "member")

    def add_bot_to_chat(self, user_id: int, chat_id: int, *, kind: str = "group") -> int:
        """``user_id`` adds the bot to a group, supergroup or (as an administrator) a channel:
        a ``my_chat_member`` update; returns its update_id. The bot can then write there."""
        if chat_id >= 0 or kind not in {"group", "supergroup", "channel"}:
            raise ValueError("a group or channel, with a negative id")
        with self._cond:
            user = self._users.setdefault(user_id, _User(user_id, "Test", "nb"))
            chat = self._groups.setdefault(chat_id, _Group(chat_id, type=kind))
            chat.type, chat.left = kind, False
            status = "administrator" if kind == "channel" else "member"
            return self._member_update(user, chat.chat_json(), "left", status)

    def edit_text(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits a message they sent in their private chat with the bot: an
        ``edited_message`` update; returns its update_id."""
        with self._cond:
            user = self._known_user(user_id)
            date = user.incoming.get(message_id)
            if date is None:
                raise ValueError(f"user {user_id} sent no message {message_id}")
            message = {
                "message_id": message_id,
                "from": user.to_json(),
                "chat": user.chat_json(),
                "date": date,
                "edit_date": self._date(),
                "text": text,
            }
            return self._enqueue("edited_message", message)

    def sent_by(self, user_id: int) -> list[int]:
        """The ids of the messages ``user_id`` sent in their private chat, in order."""
        with self._cond:
            return sorted(self._known_user(user_id).incoming)

    def left_chats(self) -> list[int]:
        """Group and channel chats the bot has left (leaveChat), in id order."""
        with self._cond:
            return sorted(chat_id for chat_id, chat in self._groups.items() if chat.left)

    def _member_update(self, user: _User, chat: dict[str, Any], old: str, new: str) -> int:
        """Queue a my_chat_member update about the bot (lock held)."""
        bot = {"id": self.bot_id, "is_bot": True, "first_name": "Møteklar"}
        change = {
            "chat": chat,
            "from": user.to_json(),
            "date": self._date(),
            "old_chat_member": {"user": bot, "status": old},
            "new_chat_member": {"user": bot, "status": new},
        }
        for member in (change["old_chat_member"], change["new_chat_member"]):
            if member["status"] == "kicked":
                member["until_date"] = 0  # banned for ever, as Telegram writes it
        if new == "administrator":
            change["new_chat_member"].update(
                can_be_edited=False,
                can_manage_chat=True,
                can_change_info=False,
                can_delete_messages=False,
                can_invite_users=False,
                can_restrict_members=False,
                can_promote_members=False,
                can_manage_video_chats=False,
                is_anonymous=False,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        return self._enqueue("my_chat_member", change)

    def enqueue_raw(self, update: dict[str, Any]) -> int:
        """Queue a copy of ``update`` as given, e.g. one python-telegram-bot cannot parse.

        Without an ``update_id`` it gets the next one. An explicit id is kept: one at or above
        the next id advances the sequence past it (as any new update does on Telegram); a lower
        one (a replay) leaves the sequence alone and is confirmed away, undelivered, by the next
        getUpdates whose offset is above it. The queue stays ordered by id. Like every update it
        is dropped when allowed_updates excludes its (known) type. Returns the update_id.
        """
        try:
            payload = json.loads(json.dumps(update))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"an update must be JSON-serialisable: {exc}") from exc
        if not isinstance(payload, dict):
            raise ValueError("an update must be a JSON object")
        with self._cond:
            update_id = payload.pop("update_id", None)
            if update_id is None:
                update_id = self._take_update_id()
            elif type(update_id) is not int or not 0 < update_id < MAX_UPDATE_ID:
                raise ValueError(f"update_id must be an int in 1..{MAX_UPDATE_ID - 1}")
            elif any(queued["update_id"] == update_id for queued in self._updates):
                raise ValueError(f"update {update_id} is already queued")
            else:
                self._next_update_id = max(self._next_update_id, update_id + 1)
            if set(payload) & UPDATE_TYPES <= self._allowed_updates:
                self._queue({"update_id": update_id, **payload})
            return update_id

    def jump_update_ids(self, to: int) -> None:
        """Make the next update's id ``to``, even lower than earlier ones.

        Telegram: "If there are no new updates for at least a week, then identifier of the
        next update will be chosen randomly instead of sequentially" (telegram-bot-api picks it
        in 2,000,001..1,000,000,000 once its queue is empty). Hence ``to`` must be above every
        update still queued. A bot that keeps polling with its old offset still gets the new
        update, because getUpdates ignores an offset more than :data:`FUTURE_OFFSET_SLACK` above
        the next update id, as telegram-bot-api does. But a jump to at most 10 below the bot's
        offset makes that offset confirm the new update away unseen, here as on Telegram; the
        real random choice practically never lands there.
        """
        if not 0 < to < MAX_UPDATE_ID:
            raise ValueError(f"update ids are in 1..{MAX_UPDATE_ID - 1}")
        with self._cond:
            if self._updates and to <= self._updates[-1]["update_id"]:
                raise ValueError(
                    "Telegram renumbers only an empty queue: confirm the pending updates first"
                )
            self._next_update_id = to

    # ---------------------------------------------------------------- time and faults

    def now(self) -> float:
        """The fake's unix time: real time plus :meth:`advance_clock` offsets.

        Every ``date`` and ``edit_date`` the server writes, and the 48-hour limit of
        deleteMessage, use this clock.
        """
        with self._cond:
            return time.time() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock ahead (never back, as message dates only grow)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._cond:
            self._clock_offset += seconds

    def rate_limit_chat(self, chat_id: int, seconds: float) -> None:
        """Flood control for one chat: for ``seconds`` of real (monotonic) time from now, every
        call with this ``chat_id`` answers 429 "Too Many Requests: retry after N", where N
        (also ``parameters.retry_after``) is the whole seconds left, rounded up.

        Nothing the call asked for happens. Calls for other chats are unaffected. The limit is
        checked before injected errors, which therefore wait for it to pass. ``seconds=0``
        lifts it.
        """
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._cond:
            self._rate_limits[chat_id] = time.monotonic() + seconds

    def flood_control(self, per_second: int | None, *, per_chat: int | None = None) -> None:
        """Telegram's broadcast limits: past ``per_second`` calls that put something in a chat
        (:data:`FLOOD_METHODS`) in the last second of real time, or past ``per_chat`` for one
        chat, such a call answers 429 "Too Many Requests: retry after N" (N: whole seconds until
        the oldest counted call leaves the window, at least 1) and does nothing. Only calls
        that took effect count. ``None`` lifts a limit.
        """
        with self._cond:
            self._flood = (per_second, per_chat)
            self._flood_calls.clear()

    def inject_fault(
        self,
        method: str,
        *,
        kind: str,
        processed: bool,
        times: int = 1,
        chat_id: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (for ``chat_id``, if given) hit a
        network fault instead of a clean answer.

        ``kind="disconnect"``: after ``delay`` seconds (default at once) the server closes the
        connection without any HTTP response (httpx: ``RemoteProtocolError``;
        python-telegram-bot: ``NetworkError``). ``kind="delay"``: the answer comes after
        ``delay`` (> 0) seconds, so a client with a shorter read timeout gives up
        (``TimedOut``); other requests are served meanwhile. With ``processed=True`` the call
        takes effect at once ("it reached Telegram", only the answer is lost or late); with
        ``processed=False`` nothing happens ("it never arrived"), and a delayed call then ends
        with a disconnect too. Faults come before flood control and injected errors. Each
        faulted call is recorded in :attr:`calls` with ``fault`` set and status 0.
        """
        if method not in self._handlers:
            raise ValueError(f"unknown method {method!r}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {sorted(FAULT_KINDS)}, got {kind!r}")
        if delay < 0 or (kind == "delay" and delay == 0):
            raise ValueError("a delay must be positive")
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._cond:
            queue = self._faults.setdefault(method, deque())
            queue.extend(_Fault(kind, processed, delay, chat_id) for _ in range(times))

    def clear_faults(self, method: str | None = None) -> None:
        """Forget the faults still waiting (for ``method``, or all of them)."""
        with self._cond:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    # ---------------------------------------------------------------- what the bot did

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every API call so far, in the order they were answered."""
        with self._cond:
            return list(self._calls)

    @property
    def call_count(self) -> int:
        """How many calls so far: an index to wait from (``after``)."""
        with self._cond:
            return len(self._calls)

    def wait_for_content(
        self,
        chat_id: int,
        predicate: Callable[[Call], bool] | None = None,
        *,
        after: int,
        timeout: float = 30.0,
    ) -> Call:
        """Block until a successful call with index >= ``after`` put something in ``chat_id``
        (a message sent or edited, a document) and matches ``predicate``. Cheap enough to wait
        on from many threads at once (the benchmark does): only new calls are looked at."""
        seen = after

        def find() -> Call | None:
            nonlocal seen
            for call in self._calls[seen:]:
                seen += 1
                if (
                    call.ok
                    and call.method in _CONTENT_METHODS
                    and str(call.params.get("chat_id")) == str(chat_id)
                    and (predicate is None or predicate(call))
                ):
                    return call
            return None

        return self._wait(find, timeout, f"a message to chat {chat_id} (after #{after})")

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one method (canonical camelCase name)."""
        with self._cond:
            return [call for call in self._calls if call.method == method]

    def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        after: int = 0,
        timeout: float = 10.0,
    ) -> Call:
        """Block until a call of ``method`` with index >= ``after`` matches ``predicate``."""

        def find() -> Call | None:
            for call in self._calls[after:]:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        return self._wait(find, timeout, f"a {method} call (after #{after})")

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Copies of the bot's messages in ``chat_id``, in order, edits applied.

        Deleted messages stay in the list (``deleted=True``) so that counts used as ``after``
        remain stable.
        """
        with self._cond:
            return [copy.deepcopy(m) for m in self._messages.get(chat_id, [])]

    def texts_to(self, chat_id: int) -> list[str]:
        """The texts (captions for documents) of the bot's messages in ``chat_id`` that are not
        deleted, in order: what the user sees, e.g. to count duplicates."""
        with self._cond:
            return [m.text for m in self._messages.get(chat_id, []) if not m.deleted]

    def pinned(self, chat_id: int) -> list[int]:
        """Ids of the messages pinned in ``chat_id``, ascending (the last is the newest)."""
        with self._cond:
            return list(self._pinned.get(chat_id, []))

    def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        after: int = 0,
        timeout: float = 10.0,
    ) -> SentMessage:
        """Block until a bot message in ``chat_id`` with index >= ``after`` matches."""

        def find() -> SentMessage | None:
            for message in self._messages.get(chat_id, [])[after:]:
                snapshot = copy.deepcopy(message)
                if predicate is None or predicate(snapshot):
                    return snapshot
            return None

        return self._wait(find, timeout, f"a message to chat {chat_id} (after #{after})")

    @staticmethod
    def buttons(message: SentMessage) -> list[tuple[str, str]]:
        """The inline buttons as (label, callback_data) in order; url buttons give their url."""
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        return [
            (button["text"], button.get("callback_data", button.get("url", "")))
            for row in rows
            for button in row
        ]

    def callback_query_id(self, update_id: int) -> str:
        """The callback_query id issued by :meth:`press_button` for ``update_id``."""
        with self._cond:
            return self._callback_ids[update_id]

    def wait_for_callback_answer(self, update_id: int, *, timeout: float = 10.0) -> Call:
        """Block until the bot successfully answers the callback query of ``update_id``."""
        query_id = self.callback_query_id(update_id)
        return self.wait_for_call(
            "answerCallbackQuery",
            lambda call: call.ok and call.params.get("callback_query_id") == query_id,
            timeout=timeout,
        )

    def inject_error(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with this error.

        With ``chat_id`` only calls for that chat fail; other chats' calls pass through and do
        not use the error up. Nothing the failing call asked for happens.
        """
        if method not in self._handlers:
            raise ValueError(f"unknown method {method!r}")
        with self._cond:
            queue = self._errors.setdefault(method, deque())
            queue.extend(
                _InjectedError(status, description, retry_after, chat_id) for _ in range(times)
            )

    @property
    def pending_update_count(self) -> int:
        """Updates queued but not yet confirmed by a getUpdates offset."""
        with self._cond:
            return len(self._updates)

    @property
    def registered_commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """Last setMyCommands per (scope JSON, language_code).

        The scope key is ``json.dumps(scope, sort_keys=True, separators=(",", ":"))``, e.g.
        ``'{"type":"default"}'``; language_code is ``""`` when not given.
        """
        with self._cond:
            return copy.deepcopy(self._commands)

    def commands(self, language_code: str = "", scope: dict[str, Any] | None = None) -> list[str]:
        """Command names registered for a scope (default scope) and language."""
        key = (_scope_key(scope or {"type": "default"}), language_code)
        with self._cond:
            return [command["command"] for command in self._commands.get(key, [])]

    # ---------------------------------------------------------------- HTTP entry point

    def handle_request(
        self, path: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        """Answer one HTTP request; return (status, JSON payload). Called by handler threads.

        An injected fault may make it wait (releasing the lock) before returning, or raise
        :class:`_NoAnswer` so that the handler closes the connection without answering.
        """
        method, params, refused = self._parse(path, query, content_type, body)
        with self._cond:
            if refused is not None:
                return self._record(method, params, refused)
            fault = _take(self._faults.get(method), params)
            if fault is None:
                return self._record(method, params, self._process(method, params))
            outcome = self._process(method, params) if fault.processed else None
            answer = self._record(method, params, outcome, fault=fault)
            if fault.delay > 0:
                # Condition.wait releases the lock, so other requests are served meanwhile;
                # stop() cuts the wait short.
                self._cond.wait_for(lambda: self._stopped, timeout=fault.delay)
        if fault.kind == "disconnect" or not fault.processed:
            raise _NoAnswer
        return answer

    def _parse(
        self, path: str, query: str, content_type: str, body: bytes
    ) -> tuple[str, dict[str, Any], ApiError | None]:
        """Route and decode a request; return (method, params, error refusing it or None)."""
        method = path
        params: dict[str, Any] = {}
        try:
            if not path.startswith("/bot"):
                raise ApiError(404, "Not Found")
            token, _, method = path.removeprefix("/bot").partition("/")
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            canonical = self._method_names.get(method.lower())
            if canonical is None:
                raise ApiError(404, "Not Found")
            method = canonical
            try:
                params = {k: _normalize(k, v) for k, v in parse_qsl(query)}
                params.update(parse_request_body(content_type, body))
            except (ValueError, UnicodeDecodeError) as exc:
                raise _bad_request(f"can't parse request: {exc}") from exc
        except ApiError as error:
            return method, params, error
        return method, params, None

    def _process(self, method: str, params: dict[str, Any]) -> Any:
        """What Telegram does with a call that reached it (lock held): a result or ApiError."""
        limited = self._rate_limit_error(params) or self._flood_error(method, params)
        if limited is not None:
            return limited
        injected = _take(self._errors.get(method), params)
        if injected is not None:
            return ApiError(injected.status, injected.description, injected.retry_after)
        try:
            result = self._handlers[method](params)
        except ApiError as error:
            return error
        except Exception as exc:  # a bug in the fake itself: make it loud
            traceback.print_exc()
            return ApiError(500, f"fake Bot API bug: {exc!r}")
        if method in FLOOD_METHODS and isinstance(params.get("chat_id"), int):
            self._flood_calls.append((time.monotonic(), params["chat_id"]))
        return result

    def _flood_error(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """The 429 for a call past :meth:`flood_control`'s limits, else None."""
        overall, per_chat = self._flood
        chat_id = params.get("chat_id")
        if method not in FLOOD_METHODS or (overall is None and per_chat is None):
            return None
        now = time.monotonic()
        while self._flood_calls and self._flood_calls[0][0] <= now - 1.0:
            self._flood_calls.popleft()
        counted = list(self._flood_calls)
        if per_chat is not None:
            mine = [t for t, chat in counted if chat == chat_id]
            if len(mine) >= per_chat:
                return _too_many(mine[0] + 1.0 - now)
        if overall is not None and len(counted) >= overall:
            return _too_many(counted[0][0] + 1.0 - now)
        return None

    def _rate_limit_error(self, params: dict[str, Any]) -> ApiError | None:
        """The 429 for a call whose chat is under :meth:`rate_limit_chat`, else None."""
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self._rate_limits:
            return None
        remaining = self._rate_limits[chat_id] - time.monotonic()
        if remaining <= 0:
            del self._rate_limits[chat_id]
            return None
        retry_after = max(1, math.ceil(remaining))
        return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        outcome: Any,
        *,
        fault: _Fault | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Store the call (lock held), wake waiters and build the response.

        ``outcome`` is a result, an :class:`ApiError`, or None for a faulted call that never
        took effect.
        """
        if outcome is None:
            status, payload = 0, {}
        elif isinstance(outcome, ApiError):
            status, payload = outcome.status, outcome.payload()
        else:
            status, payload = 200, {"ok": True, "result": outcome}
        if fault is None:
            self._calls.append(Call(method, params, status, copy.deepcopy(payload)))
        else:
            self._calls.append(Call(method, params, 0, copy.deepcopy(payload), fault.kind))
        self._cond.notify_all()
        return status, payload

    # ---------------------------------------------------------------- state helpers

    def _wait(self, find: Callable[[], _T | None], timeout: float, what: str) -> _T:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = find()
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {what}; calls seen:\n"
                        + self._summary()
                    )
                self._cond.wait(remaining)

    def _summary(self) -> str:
        lines: list[str] = []
        polls = 0
        for index, call in enumerate(self._calls):
            if call.method == "getUpdates" and call.ok:
                polls += 1
                continue
            if polls:
                lines.append(f"  ({polls} x getUpdates)")
                polls = 0
            shown = {k: v for k, v in call.params.items() if k in ("chat_id", "message_id")}
            text = call.params.get("text") or call.params.get("caption")
            if isinstance(text, str):
                shown["text"] = text if len(text) <= 80 else text[:77] + "..."
            if call.fault is not None:
                shown["fault"] = call.fault
            elif call.status != 200:
                shown["error"] = call.response.get("description")
            lines.append(f"  #{index} {call.method} {call.status} {shown}")
        if polls:
            lines.append(f"  ({polls} x getUpdates)")
        return "\n".join(lines) or "  (none)"

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update (lock held) unless allowed_updates excludes its type."""
        update_id = self._take_update_id()
        if kind in self._allowed_updates:
            self._queue({"update_id": update_id, kind: payload})
        return update_id

    def _take_update_id(self) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _queue(self, update: dict[str, Any]) -> None:
        """Insert an update in id order, as Telegram's queue is ordered (lock held)."""
        bisect.insort(self._updates, update, key=lambda queued: queued["update_id"])
        self._cond.notify_all()

    def _confirm(self, offset: int) -> None:
        """Forget the queued updates a positive getUpdates ``offset`` confirms (lock held).

        Like telegram-bot-api (TQueue::get with forget_previous): the queued updates with an id
        below ``offset`` are confirmed, unless ``offset`` is more than
        :data:`FUTURE_OFFSET_SLACK` above the next update id ("in the future"); such an offset
        confirms nothing and the queue is served from its head. That is how a bot still polling
        with its old offset receives the first update after the ids jumped down.
        """
        if offset <= self._next_update_id + FUTURE_OFFSET_SLACK:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _date(self) -> int:
        """The fake clock as a message date (lock held)."""
        return int(time.time() + self._clock_offset)

    def _user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        first_name: str | None,
        language_code: str | None,
        group_id: int | None = None,
    ) -> int:
        with self._cond:
            user = self._users.get(user_id)
            if user is None:
                user = _User(user_id, first_name or "Test", language_code)
                self._users[user_id] = user
            elif first_name is not None:
                user.first_name, user.language_code = first_name, language_code
            chat: _Chat = user
            if group_id is None:
                user.blocked = False  # writing to the bot unblocks it
            else:
                chat = self._groups.setdefault(group_id, _Group(group_id))
            date = self._date()
            message_id = self._new_message_id(chat.chat_id)
            chat.incoming[message_id] = date
            message = {
                "message_id": message_id,
                "from": user.to_json(),
                "chat": chat.chat_json(),
                "date": date,
                **content,
            }
            return self._enqueue("message", message)

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _known_user(self, user_id: int) -> _User:
        user = self._users.get(user_id)
        if user is None:
            raise ValueError(f"user {user_id} never wrote to the bot")
        return user

    def _known_chat(self, chat_id: int) -> _Chat:
        chat = self._groups.get(chat_id) if chat_id < 0 else self._users.get(chat_id)
        if chat is None:
            raise KeyError(f"no chat {chat_id}")
        return chat

    def _message_date(self, chat: _Chat, message_id: int) -> int | None:
        """The date of message ``message_id`` in ``chat``; None if unknown or deleted."""
        message = self._find_message(chat.chat_id, message_id)
        return message.date if message is not None else chat.incoming.get(message_id)

    def _message_id(self, params: dict[str, Any], what: str) -> int:
        """The message_id parameter; 400 "<what> not found" unless an integer (as on Telegram,
        which reads anything else as 0)."""
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise _bad_request(f"{what} not found")
        return message_id

    def _find_message(self, chat_id: int, message_id: Any) -> SentMessage | None:
        for message in self._messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Møteklar",
            "username": self.bot_username,
        }

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(),
            "chat": self._known_chat(message.chat_id).chat_json(),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        text_key, entities_key = "text", "entities"
        if message.document is not None:
            result["document"] = copy.deepcopy(message.document)
            text_key, entities_key = "caption", "caption_entities"
        if message.text:
            result[text_key] = message.text
        if message.entities:
            result[entities_key] = copy.deepcopy(message.entities)
        if message.protect_content:
            result["has_protected_content"] = True
        markup = message.reply_markup
        if markup is not None and "inline_keyboard" in markup:
            result["reply_markup"] = copy.deepcopy(markup)
        return result

    # ---------------------------------------------------------------- validation helpers

    def _chat(self, params: dict[str, Any]) -> _Chat:
        """The target chat; 400 when unknown, 403 when the user blocked the bot."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        try:
            chat = self._known_chat(chat_id) if isinstance(chat_id, int) else None
        except KeyError:
            chat = None
        if chat is None:
            raise _bad_request("chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if isinstance(chat, _Group) and chat.left:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _optional_chat(self, params: dict[str, Any]) -> int | None:
        """Like :meth:`_chat` but chat_id may be omitted."""
        if params.get("chat_id") in (None, ""):
            return None
        return self._chat(params).chat_id

    def _formatted(
        self, params: dict[str, Any], key: str, limit: int, *, required: bool
    ) -> tuple[str, str, list[dict[str, Any]]]:
        """Validate text/caption + parse_mode; return (plain text, html as sent, entities)."""
        raw = params.get(key)
        if raw is None or raw == "":
            if required:
                raise _bad_request("message text is empty")
            return "", "", []
        if not isinstance(raw, str):
            raise _bad_request(f'field "{key}" must be of type String')
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode in ("markdown", "markdownv2"):
            raise _bad_request("the fake Bot API only implements parse_mode HTML")
        elif mode:
            raise _bad_request(f'unsupported parse_mode "{params["parse_mode"]}"')
        else:
            given = params.get("entities")
            text, entities = raw, given if isinstance(given, list) else []
        text, entities = _trim(text, entities)
        if required and not text:
            raise _bad_request("message text is empty")
        if utf16_len(text) > limit:
            what = "message is too long" if key == "text" else "message caption is too long"
            raise _bad_request(what)
        return text, raw, entities

    @staticmethod
    def _reply_markup(params: dict[str, Any], *, inline_only: bool) -> dict[str, Any] | None:
        """Validate reply_markup; return it (None when absent or an empty inline keyboard)."""
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request('field "inline_keyboard" must be an Array of Arrays')
            buttons = [button for row in rows for button in row]
            if len(buttons) > MAX_INLINE_BUTTONS:
                raise _bad_request("reply markup is too long")
            for button in buttons:
                _check_inline_button(button)
            return copy.deepcopy(markup) if buttons else None
        if inline_only:
            raise _bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request('field "keyboard" must be an Array of Arrays')
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text.strip():
                        raise _bad_request("can't parse keyboard button: Text is empty")
            return copy.deepcopy(markup)
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return copy.deepcopy(markup)
        raise _bad_request("can't parse reply keyboard markup JSON object")

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")
        chat_id = self._chat(params).chat_id
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        message = self._find_message(chat_id, message_id)
        if message is None:
            raise _bad_request("message to edit not found")
        return message

    # ---------------------------------------------------------------- method handlers

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = params.get("timeout", 0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool):
            raise _bad_request("bad timeout")
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise _bad_request("can't parse allowed_updates")
            self._allowed_updates = frozenset(allowed) & UPDATE_TYPES or DEFAULT_UPDATE_TYPES
        if offset < 0:
            self._updates = self._updates[offset:]
        if offset <= 0:  # from the head; like telegram-bot-api, keep that while long polling
            offset = self._updates[0]["update_id"] if self._updates else self._next_update_id

        # A newer getUpdates terminates an older one still waiting, as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        deadline = time.monotonic() + max(float(timeout), 0.0)
        while True:
            self._confirm(offset)  # again after waking: the next update id may have jumped
            if self._updates or self._stopped:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT)
        return copy.deepcopy(self._updates[:limit])

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = None
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        """Start pushing updates to ``url`` (http allowed here: the test has no TLS), each
        until it is answered 2xx, with ``secret_token`` in the header, as Telegram does."""
        url = params.get("url")
        if not isinstance(url, str) or not re.match(r"https?://\S+", url):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("bad webhook: secret token contains unallowed characters")
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = frozenset(allowed) & UPDATE_TYPES or DEFAULT_UPDATE_TYPES
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = {"url": url, "secret_token": secret}
        if self._pusher is None:
            self._pusher = threading.Thread(target=self._push, daemon=True)
            self._pusher.start()
        self._cond.notify_all()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        hook = self._webhook or {}
        return {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _push(self) -> None:
        """Telegram's side of a webhook: the oldest update is POSTed until answered 2xx, then
        the next (one at a time, in order). A refused or failed POST is tried again shortly."""

        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._stopped or (self._webhook is not None and self._updates)
                )
                if self._stopped:
                    return
                assert self._webhook is not None
                update, hook = copy.deepcopy(self._updates[0]), dict(self._webhook)
            status = self.post_update(update, hook["url"], hook["secret_token"])
            with self._cond:
                self.webhook_posts.append((update["update_id"], status))
                if 200 <= status < 300 and self._updates and self._updates[0] == update:
                    self._updates.pop(0)
                self._cond.notify_all()
            if not 200 <= status < 300:
                time.sleep(0.2)

    @staticmethod
    def post_update(update: dict[str, Any], url: str, secret: str | None) -> int:
        """POST one update to a webhook as Telegram does; the HTTP status (0: no answer)."""
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            url,
            data=json.dumps(update, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"}
            | ({"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (OSError, urllib.error.URLError):
            return 0

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
            raise _bad_request("can't parse BotCommandScope JSON object")
        language = params.get("language_code") or ""
        if language and not _LANGUAGE_RE.fullmatch(language):
            raise _bad_request("invalid language code specified")
        return _scope_key(scope), language

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands specified")
        cleaned: list[dict[str, str]] = []
        for entry in commands:
            if not isinstance(entry, dict):
                raise _bad_request("can't parse BotCommand JSON object")
            command, description = entry.get("command"), entry.get("description")
            if not isinstance(command, str) or not _COMMAND_RE.fullmatch(command):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not description.strip():
                raise _bad_request("command description must be non-empty")
            if len(description) > 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description.strip()})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _set_my_text(key: str, limit: int) -> MethodHandler:
        def handler(params: dict[str, Any]) -> bool:
            value = params.get(key) or ""
            if not isinstance(value, str) or len(value) > limit:
                raise _bad_request(f"{key} is too long")
            return True

        return handler

    def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        chat_id = self._optional_chat(params)
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise _bad_request("can't parse MenuButton JSON object")
        self._menu_buttons[chat_id] = button
        return True

    def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._optional_chat(params)
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        if button is None or button.get("type") == "default":
            return {"type": "commands"}
        return copy.deepcopy(button)

    def _store(self, message: SentMessage) -> dict[str, Any]:
        self._messages.setdefault(message.chat_id, []).append(message)
        self._cond.notify_all()
        return self._message_json(message)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params).chat_id
        text, html, entities = self._formatted(params, "text", MAX_TEXT_LENGTH, required=True)
        markup = self._reply_markup(params, inline_only=False)
        message = SentMessage(
            message_id=self._new_message_id(chat_id),
            chat_id=chat_id,
            text=text,
            html=html,
            reply_markup=markup,
            protect_content=params.get("protect_content") is True,
            silent=params.get("disable_notification") is True,
            entities=entities,
            date=self._date(),
        )
        return self._store(message)

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat(params).chat_id
        upload = params.get("document")
        data = upload.data if isinstance(upload, UploadedFile) else None
        if isinstance(upload, UploadedFile):
            document: dict[str, Any] = {
                "file_name": upload.filename,
                "mime_type": upload.content_type,
                "file_size": len(upload.data),
            }
        elif isinstance(upload, str) and upload:
            document = {}
        else:
            raise _bad_request("there is no document in the request")
        unique = f"{chat_id}_{self._next_message_id.get(chat_id, 1)}"
        document.update(file_id=f"BQACAgfake{unique}", file_unique_id=f"AgADfake{unique}")
        caption, html, entities = self._formatted(
            params, "caption", MAX_CAPTION_LENGTH, required=False
        )
        message = SentMessage(
            message_id=self._new_message_id(chat_id),
            chat_id=chat_id,
            text=caption,
            html=html,
            reply_markup=self._reply_markup(params, inline_only=False),
            protect_content=params.get("protect_content") is True,
            entities=entities,
            document=document,
            file_data=data,
            date=self._date(),
        )
        return self._store(message)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.document is not None:
            raise _bad_request("there is no text in the message to edit")
        text, html, entities = self._formatted(params, "text", MAX_TEXT_LENGTH, required=True)
        markup = self._reply_markup(params, inline_only=True)
        if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        message.text, message.html, message.entities = text, html, entities
        message.reply_markup = markup
        message.edit_date = self._date()
        self._cond.notify_all()
        return self._message_json(message)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._reply_markup(params, inline_only=True)
        if markup == message.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        message.reply_markup = markup
        message.edit_date = self._date()
        self._cond.notify_all()
        return self._message_json(message)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        """Delete a bot or user message sent at most 48 hours ago by :meth:`now`."""
        chat = self._chat(params)
        message_id = self._message_id(params, "message to delete")
        date = self._message_date(chat, message_id)
        if date is None:
            raise _bad_request("message to delete not found")
        if self._date() - date > DELETE_TIME_LIMIT:
            raise ApiError(400, CANT_DELETE_FOR_EVERYONE)
        message = self._find_message(chat.chat_id, message_id)
        if message is not None:
            message.deleted = True
        else:
            del chat.incoming[message_id]
        pinned = self._pinned.get(chat.chat_id, [])
        if message_id in pinned:
            pinned.remove(message_id)
        self._cond.notify_all()
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callbacks:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _pin_chat_message(self, params: dict[str, Any]) -> bool:
        """Pin a message; pinning a pinned one again succeeds and changes nothing.

        Telegram also posts a "pinned" service message in the chat; that is not modelled (no
        message id is used up for it).
        """
        chat = self._chat(params)
        message_id = self._message_id(params, "message to pin")
        if self._message_date(chat, message_id) is None:
            raise _bad_request("message to pin not found")
        pinned = self._pinned.setdefault(chat.chat_id, [])
        if message_id not in pinned:
            bisect.insort(pinned, message_id)
        return True

    def _unpin_chat_message(self, params: dict[str, Any]) -> bool:
        """Unpin ``message_id`` or, without one, the newest pinned message.

        Unpinning a message that exists but is not pinned succeeds; a message that does not
        exist (or was deleted), or nothing pinned when no ``message_id`` is given, gives
        "message to unpin not found" (as telegram-bot-api answers both).
        """
        chat = self._chat(params)
        pinned = self._pinned.setdefault(chat.chat_id, [])
        if params.get("message_id") in (None, "", 0):  # telegram-bot-api reads "none" as 0
            if not pinned:
                raise _bad_request("message to unpin not found")
            pinned.pop()
            return True
        message_id = self._message_id(params, "message to unpin")
        if self._message_date(chat, message_id) is None:
            raise _bad_request("message to unpin not found")
        if message_id in pinned:
            pinned.remove(message_id)
        return True

    def _leave_chat(self, params: dict[str, Any]) -> bool:
        """Leave a group or channel; after that nothing can be sent there."""
        chat_id = params.get("chat_id")
        chat = self._groups.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            if isinstance(chat_id, int) and chat_id in self._users:
                raise _bad_request("chat member status can't be changed in private chats")
            raise _bad_request("chat not found")
        if chat.left:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        chat.left = True
        return True


def _scope_key(scope: dict[str, Any]) -> str:
    return json.dumps(scope, sort_keys=True, separators=(",", ":"))


def _int_param(params: dict[str, Any], key: str, default: int) -> int:
    value = params.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad_request(f'field "{key}" must be of type Integer')
    return value


def _check_inline_button(button: Any) -> None:
    """Validate one InlineKeyboardButton like Telegram does."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _bad_request("can't parse inline keyboard button: Can't find field \"text\"")
    if not button["text"].strip():
        raise _bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise _bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= (
            MAX_CALLBACK_DATA_BYTES
        ):
            raise _bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://\S", url):
            raise _bad_request("BUTTON_URL_INVALID")
