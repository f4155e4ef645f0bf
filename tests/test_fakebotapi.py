"""Tests of the fake Telegram Bot API server, over raw HTTP and through python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from tests.fakebotapi import FakeBotApi, SentMessage, parse_html

USER = 424242
OTHER_USER = 515151
GROUP = -4_001_234_567
CANT_DELETE = "Bad Request: message can't be deleted for everyone"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def call(http: httpx.Client, api: FakeBotApi, method: str, **params: Any) -> httpx.Response:
    """POST like python-telegram-bot: form-urlencoded, non-string values JSON-encoded."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return http.post(f"{api.base_url}{api.token}/{method}", data=data)


def ok(response: httpx.Response) -> Any:
    """The result of a successful response (asserting it succeeded)."""
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] is True
    return body["result"]


def error(response: httpx.Response, status: int = 400) -> str:
    """The description of an error response (asserting its shape and status)."""
    body = response.json()
    assert response.status_code == status, body
    assert body["ok"] is False
    assert body["error_code"] == status
    return str(body["description"])


def keyboard(*buttons: tuple[str, str]) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": t, "callback_data": d}] for t, d in buttons]}


def send(http: httpx.Client, api: FakeBotApi, text: str, **params: Any) -> httpx.Response:
    return call(http, api, "sendMessage", chat_id=USER, text=text, **params)


# --------------------------------------------------------------------------- transport


def test_token_and_method_routing(api: FakeBotApi, http: httpx.Client) -> None:
    assert api.base_url.startswith("http://127.0.0.1:") and api.base_url.endswith("/bot")
    assert error(http.post(f"{api.base_url}654321:wrong/getMe"), 401) == "Unauthorized"
    assert error(call(http, api, "getNothing"), 404) == "Not Found"
    assert error(http.get(api.base_url.removesuffix("/bot") + "/favicon.ico"), 404) == "Not Found"
    assert ok(call(http, api, "getme"))["is_bot"] is True  # method names ignore case
    assert [(c.method, c.status) for c in api.calls] == [
        ("getMe", 401),
        ("getNothing", 404),
        ("/favicon.ico", 404),
        ("getMe", 200),
    ]


def test_get_me(api: FakeBotApi, http: httpx.Client) -> None:
    me = ok(http.post(f"{api.base_url}{api.token}/getMe"))  # empty body
    assert me == {
        "id": 123456,
        "is_bot": True,
        "first_name": "Møteklar",
        "username": "moteklar_test_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def test_json_bodies_typed_or_string_encoded(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    url = f"{api.base_url}{api.token}/sendMessage"
    typed = {"chat_id": USER, "text": "123", "reply_markup": keyboard(("A", "a"))}
    assert ok(http.post(url, json=typed))["text"] == "123"
    as_strings = {"chat_id": str(USER), "text": "[1]", "protect_content": "true"}
    assert ok(http.post(url, json=as_strings))["text"] == "[1]"
    first, second = api.messages_to(USER)
    assert first.reply_markup == keyboard(("A", "a"))
    assert second.protect_content is True
    assert api.calls[-1].params == {"chat_id": USER, "text": "[1]", "protect_content": True}


def test_form_values_are_typed(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    send(http, api, "42", disable_notification=True, link_preview_options={"is_disabled": True})
    assert api.calls_to("sendMessage")[0].params == {
        "chat_id": USER,
        "text": "42",
        "disable_notification": True,
        "link_preview_options": {"is_disabled": True},
    }


def test_no_access_log_on_stderr(api: FakeBotApi, http: httpx.Client, capfd: Any) -> None:
    ok(call(http, api, "getMe"))
    error(call(http, api, "nope"), 404)
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------- updates


def test_updates_are_kept_until_confirmed_by_offset(api: FakeBotApi, http: httpx.Client) -> None:
    first = api.send_text(USER, "/start")
    second = api.send_text(USER, "hei")
    assert (first, second) == (100_000, 100_001)
    assert api.pending_update_count == 2

    assert [u["update_id"] for u in ok(call(http, api, "getUpdates"))] == [first, second]
    assert [u["update_id"] for u in ok(call(http, api, "getUpdates", limit=1))] == [first]
    assert api.pending_update_count == 2  # delivering is not confirming

    assert [u["update_id"] for u in ok(call(http, api, "getUpdates", offset=second))] == [second]
    assert api.pending_update_count == 1
    assert ok(call(http, api, "getUpdates", offset=second + 1, timeout=0)) == []
    assert api.pending_update_count == 0


def test_negative_offset_keeps_only_the_newest(api: FakeBotApi, http: httpx.Client) -> None:
    ids = [api.send_text(USER, str(n)) for n in range(3)]
    assert [u["update_id"] for u in ok(call(http, api, "getUpdates", offset=-1))] == ids[-1:]
    assert api.pending_update_count == 1


def test_message_update_shape(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "/start@moteklar_test_bot abc", first_name="Kari", language_code="nn")
    api.send_text(USER, "hei /start")
    api.send_sticker(OTHER_USER)
    command, plain, sticker = (u["message"] for u in ok(call(http, api, "getUpdates")))
    assert command["from"] == {
        "id": USER,
        "is_bot": False,
        "first_name": "Kari",
        "language_code": "nn",
    }
    assert command["chat"] == {"id": USER, "type": "private", "first_name": "Kari"}
    assert command["text"] == "/start@moteklar_test_bot abc"
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 24}]
    assert "entities" not in plain
    assert plain["message_id"] == command["message_id"] + 1
    assert "text" not in sticker and sticker["sticker"]["type"] == "regular"
    assert sticker["chat"]["id"] == OTHER_USER


def test_long_poll_returns_as_soon_as_an_update_arrives(
    api: FakeBotApi, http: httpx.Client
) -> None:
    timer = threading.Timer(0.3, api.send_text, (USER, "hei"))
    timer.start()
    started = time.monotonic()
    updates = ok(call(http, api, "getUpdates", timeout=10))
    elapsed = time.monotonic() - started
    timer.join()
    assert [u["message"]["text"] for u in updates] == ["hei"]
    assert 0.2 < elapsed < 5


def test_long_poll_waits_for_timeout_when_idle(api: FakeBotApi, http: httpx.Client) -> None:
    started = time.monotonic()
    assert ok(call(http, api, "getUpdates", timeout=1)) == []
    assert time.monotonic() - started >= 0.9


def test_stop_wakes_a_long_poller(http: httpx.Client) -> None:
    api = FakeBotApi()
    api.start()
    with ThreadPoolExecutor(1) as pool:
        poll = pool.submit(call, http, api, "getUpdates", timeout=30)
        time.sleep(0.3)  # let the poll reach the server and start waiting
        started = time.monotonic()
        api.stop()
        response = poll.result(timeout=10)
    assert time.monotonic() - started < 5
    assert ok(response) == []


def test_newer_get_updates_terminates_older_one(api: FakeBotApi, http: httpx.Client) -> None:
    with ThreadPoolExecutor(1) as pool:
        older = pool.submit(call, http, api, "getUpdates", timeout=10)
        time.sleep(0.3)  # let the first poll reach the server and start waiting
        assert ok(call(http, api, "getUpdates", timeout=0)) == []
        assert error(older.result(timeout=10), 409).startswith("Conflict: terminated by other")


def test_allowed_updates_filters_later_updates(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    ok(send(http, api, "Velg", reply_markup=keyboard(("Ja", "yes"))))
    api.press_button(USER, 2, "yes")  # created before the filter: still delivered
    assert ok(call(http, api, "getUpdates", allowed_updates=["message"], offset=0))
    api.press_button(USER, 2, "yes")  # filtered out, like on Telegram
    api.send_text(USER, "igjen")
    kinds = [next(k for k in u if k != "update_id") for u in ok(call(http, api, "getUpdates"))]
    assert kinds == ["message", "callback_query", "message"]
    ok(call(http, api, "getUpdates", allowed_updates=[]))  # [] means the default set again
    api.press_button(USER, 2, "yes")
    assert api.pending_update_count == 4


def test_delete_webhook_can_drop_pending_updates(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    assert ok(call(http, api, "deleteWebhook")) is True
    assert api.pending_update_count == 1
    assert ok(call(http, api, "deleteWebhook", drop_pending_updates=True)) is True
    assert api.pending_update_count == 0


# --------------------------------------------------------------------------- sending


def test_send_message_needs_a_known_chat(api: FakeBotApi, http: httpx.Client) -> None:
    assert error(send(http, api, "hei")) == "Bad Request: chat not found"
    assert error(call(http, api, "sendMessage", text="hei")) == "Bad Request: chat_id is empty"
    api.send_text(USER, "hei")
    message = ok(send(http, api, "Hallo"))
    assert message["chat"] == {"id": USER, "type": "private", "first_name": "Test"}
    assert message["from"]["is_bot"] is True and message["from"]["id"] == 123456
    assert message["message_id"] == 2  # the user's message was 1
    assert "reply_markup" not in message


def test_blocked_user_gives_forbidden(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    api.block_user(USER)
    assert error(send(http, api, "hei"), 403) == "Forbidden: bot was blocked by the user"
    api.send_text(USER, "jeg er tilbake")
    ok(send(http, api, "Velkommen"))


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<b>Møte</b> &amp; <i>plan</i>", "Møte & plan"),
        ("<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike>", "abcdef"),
        ('<del>g</del><tg-spoiler>h</tg-spoiler><span class="tg-spoiler">i</span>', "ghi"),
        ('<a href="https://example.org/?a=1&amp;b=2">lenke</a>', "lenke"),
        ("<code>x &lt; y</code> <pre>z &gt; 0</pre>", "x < y z > 0"),
        ('<pre><code class="language-python">print()</code></pre>', "print()"),
        ("<blockquote>sitat</blockquote><blockquote expandable>mer</blockquote>", "sitatmer"),
        ("&quot;hei&quot; &#39;du&#x27; &#x1F600;", "\"hei\" 'du' 😀"),
        ("<B>stor</B> <b >mellomrom</b >", "stor mellomrom"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("  \n<b>trimmet</b>\n\n", "trimmet"),
    ],
)
def test_html_is_stored_as_plain_text(
    api: FakeBotApi, http: httpx.Client, html: str, text: str
) -> None:
    api.send_text(USER, "hei")
    assert ok(send(http, api, html, parse_mode="HTML"))["text"] == text
    stored = api.messages_to(USER)[0]
    assert (stored.text, stored.html) == (text, html)


def test_html_entities_are_reported_in_utf16(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    message = ok(send(http, api, '😀 <b>æ</b> <a href="https://x.no">y</a>', parse_mode="HTML"))
    assert message["entities"] == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "text_link", "offset": 5, "length": 1, "url": "https://x.no"},
    ]


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("Hei <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 4'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>fet", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("æ <p>", 'Unsupported start tag "p" at byte offset 3'),
        ("Tom & Jerry", 'Unsupported HTML entity "&" at byte offset 4'),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("&amp without semicolon", 'Unsupported HTML entity "&amp" at byte offset 0'),
        ('<a href="?a=1&b=2">x</a>', 'Unsupported HTML entity "&b"'),
        ("<a>x</a>", 'Tag "a" must have a non-empty "href" at byte offset 0'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_invalid_html_is_rejected(
    api: FakeBotApi, http: httpx.Client, html: str, problem: str
) -> None:
    api.send_text(USER, "hei")
    description = error(send(http, api, html, parse_mode="HTML"))
    assert description.startswith(f"Bad Request: can't parse entities: {problem}")
    assert api.messages_to(USER) == []


def test_html_is_only_parsed_with_parse_mode(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    assert ok(send(http, api, "1 < 2 & <b>"))["text"] == "1 < 2 & <b>"
    assert "only implements parse_mode HTML" in error(send(http, api, "*x*", parse_mode="Markdown"))
    assert "unsupported parse_mode" in error(send(http, api, "x", parse_mode="XML"))


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>", "<i> </i>"])
def test_empty_text_is_rejected(api: FakeBotApi, http: httpx.Client, text: str) -> None:
    api.send_text(USER, "hei")
    assert error(send(http, api, text, parse_mode="HTML")) == "Bad Request: message text is empty"


def test_length_limit_counts_utf16_after_parsing(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    ok(send(http, api, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML"))
    ok(send(http, api, "&amp;" * 4096, parse_mode="HTML"))
    ok(send(http, api, "😀" * 2048))  # 4096 UTF-16 code units
    assert error(send(http, api, "😀" * 2048 + "a")) == "Bad Request: message is too long"
    assert error(send(http, api, "a" * 4097)) == "Bad Request: message is too long"


@pytest.mark.parametrize(
    ("button", "problem"),
    [
        ({"text": "x", "callback_data": "a" * 65}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": "æ" * 33}, "BUTTON_DATA_INVALID"),  # 66 bytes
        ({"text": "x", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "x"}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "x", "callback_data": "a", "url": "https://x.no"}, "exactly one"),
        ({"text": "", "callback_data": "a"}, "BUTTON_TEXT_INVALID"),
        ({"callback_data": "a"}, 'Can\'t find field "text"'),
        ({"text": "x", "url": "javascript:alert(1)"}, "BUTTON_URL_INVALID"),
    ],
)
def test_invalid_inline_buttons_are_rejected(
    api: FakeBotApi, http: httpx.Client, button: dict[str, Any], problem: str
) -> None:
    api.send_text(USER, "hei")
    description = error(send(http, api, "Velg", reply_markup={"inline_keyboard": [[button]]}))
    assert problem in description


def test_valid_inline_keyboard_is_stored(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    markup = {
        "inline_keyboard": [
            [{"text": "<b>Ja</b> & ok", "callback_data": "ø" * 32}],  # 64 bytes; HTML is text
            [{"text": "Les mer", "url": "https://example.org"}],
        ]
    }
    message = ok(send(http, api, "Velg", reply_markup=markup, protect_content=True))
    assert message["reply_markup"] == markup
    assert message["has_protected_content"] is True
    stored = api.messages_to(USER)[0]
    assert stored.protect_content is True
    assert api.buttons(stored) == [("<b>Ja</b> & ok", "ø" * 32), ("Les mer", "https://example.org")]


def test_reply_keyboards_are_accepted_but_not_inline(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    message = ok(send(http, api, "Velg", reply_markup={"keyboard": [[{"text": "Ja"}]]}))
    assert "reply_markup" not in message
    ok(send(http, api, "Borte", reply_markup={"remove_keyboard": True}))
    assert "can't parse reply keyboard" in error(send(http, api, "x", reply_markup={"x": 1}))


# --------------------------------------------------------------------------- editing


def test_edit_message_text(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    markup = keyboard(("Ja", "yes"))
    sent = ok(send(http, api, "<b>Spørsmål</b>", parse_mode="HTML", reply_markup=markup))
    mid = sent["message_id"]

    def edit(text: str, **params: Any) -> httpx.Response:
        return call(http, api, "editMessageText", chat_id=USER, message_id=mid, text=text, **params)

    not_modified = error(edit("<b>Spørsmål</b>", parse_mode="HTML", reply_markup=markup))
    assert not_modified.startswith("Bad Request: message is not modified: specified new message")
    edited = ok(edit("<b>Spørsmål</b>", parse_mode="HTML", reply_markup=keyboard(("Nei", "no"))))
    assert edited["text"] == "Spørsmål" and "edit_date" in edited
    ok(edit("Spørsmål", reply_markup=keyboard(("Nei", "no"))))  # formatting differs
    ok(edit("Spørsmål"))  # omitting reply_markup removes the keyboard, as on Telegram
    [stored] = api.messages_to(USER)
    assert (stored.text, stored.html, stored.reply_markup) == ("Spørsmål", "Spørsmål", None)
    assert error(edit("Spørsmål")).startswith("Bad Request: message is not modified")

    assert "can't parse entities" in error(edit("<x>", parse_mode="HTML"))
    assert "inline keyboard expected" in error(edit("ny", reply_markup={"keyboard": [["a"]]}))
    missing = call(http, api, "editMessageText", chat_id=USER, message_id=99, text="x")
    assert error(missing) == "Bad Request: message to edit not found"
    user_message = call(http, api, "editMessageText", chat_id=USER, message_id=1, text="x")
    assert error(user_message) == "Bad Request: message to edit not found"


def test_edit_message_reply_markup(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    mid = ok(send(http, api, "Velg", reply_markup=keyboard(("Ja", "yes"))))["message_id"]

    def edit(**params: Any) -> httpx.Response:
        return call(http, api, "editMessageReplyMarkup", chat_id=USER, message_id=mid, **params)

    assert "not modified" in error(edit(reply_markup=keyboard(("Ja", "yes"))))
    assert ok(edit(reply_markup=keyboard(("Nei", "no"))))["reply_markup"] == keyboard(("Nei", "no"))
    assert "reply_markup" not in ok(edit())
    assert api.messages_to(USER)[0].reply_markup is None
    assert "not modified" in error(edit())


def test_delete_message(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    mid = ok(send(http, api, "Slett meg"))["message_id"]
    assert ok(call(http, api, "deleteMessage", chat_id=USER, message_id=mid)) is True
    again = call(http, api, "deleteMessage", chat_id=USER, message_id=mid)
    assert error(again) == "Bad Request: message to delete not found"
    assert ok(call(http, api, "deleteMessage", chat_id=USER, message_id=1)) is True  # user's
    [stored] = api.messages_to(USER)
    assert stored.deleted is True
    edit = call(http, api, "editMessageText", chat_id=USER, message_id=mid, text="x")
    assert error(edit) == "Bad Request: message to edit not found"


# --------------------------------------------------------------------------- callbacks


def test_press_button_and_answer_callback_query(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    mid = ok(
        send(http, api, "<i>Klar?</i>", parse_mode="HTML", reply_markup=keyboard(("Ja", "y")))
    )["message_id"]
    new_markup = keyboard(("Ja!", "y2"))
    edit = call(
        http,
        api,
        "editMessageText",
        chat_id=USER,
        message_id=mid,
        text="Klar nå?",
        reply_markup=new_markup,
    )
    ok(edit)
    with pytest.raises(ValueError, match="no button"):
        api.press_button(USER, mid, "y")  # that button is gone
    with pytest.raises(ValueError, match="no bot message"):
        api.press_button(USER, 1, "y2")

    update_id = api.press_button(USER, mid, "y2")
    [update] = ok(call(http, api, "getUpdates", offset=update_id))
    query = update["callback_query"]
    assert query["id"] == api.callback_query_id(update_id)
    assert query["data"] == "y2" and query["from"]["id"] == USER
    assert query["message"]["text"] == "Klar nå?"
    assert query["message"]["reply_markup"] == keyboard(("Ja!", "y2"))

    too_long = call(http, api, "answerCallbackQuery", callback_query_id=query["id"], text="x" * 201)
    assert error(too_long) == "Bad Request: MESSAGE_TOO_LONG"
    answer = call(http, api, "answerCallbackQuery", callback_query_id=query["id"], text="Ok")
    assert ok(answer) is True
    assert api.wait_for_callback_answer(update_id, timeout=1).params["text"] == "Ok"
    twice = call(http, api, "answerCallbackQuery", callback_query_id=query["id"])
    assert error(twice).startswith("Bad Request: query is too old")
    bogus = call(http, api, "answerCallbackQuery", callback_query_id="12345")
    assert error(bogus).startswith("Bad Request: query is too old")


# --------------------------------------------------------------------------- commands & misc


def test_set_my_commands(api: FakeBotApi, http: httpx.Client) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "hjelp", "description": "Hjelp"},
    ]
    scope = {"type": "all_private_chats"}
    assert ok(call(http, api, "setMyCommands", commands=commands)) is True
    ok(call(http, api, "setMyCommands", commands=commands[:1], scope=scope, language_code="nb"))
    assert api.registered_commands == {
        ('{"type":"default"}', ""): commands,
        ('{"type":"all_private_chats"}', "nb"): commands[:1],
    }
    assert api.commands() == ["start", "hjelp"]
    assert api.commands("nb", {"type": "all_private_chats"}) == ["start"]
    assert ok(call(http, api, "getMyCommands", scope=scope, language_code="nb")) == commands[:1]
    assert ok(call(http, api, "getMyCommands", language_code="en")) == []
    assert ok(call(http, api, "deleteMyCommands")) is True
    assert api.commands() == []


@pytest.mark.parametrize(
    ("commands", "problem"),
    [
        ([{"command": "Start", "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "/start", "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "a" * 33, "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "møte", "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "start", "description": " "}], "command description must be non-empty"),
        ([{"command": "start", "description": "x" * 257}], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": f"c{n}", "description": "x"} for n in range(101)], "too many commands"),
    ],
)
def test_invalid_commands_are_rejected(
    api: FakeBotApi, http: httpx.Client, commands: list[dict[str, str]], problem: str
) -> None:
    assert problem in error(call(http, api, "setMyCommands", commands=commands))
    assert api.registered_commands == {}


def test_other_accepted_methods(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    assert ok(call(http, api, "sendChatAction", chat_id=USER, action="typing")) is True
    assert "wrong parameter action" in error(
        call(http, api, "sendChatAction", chat_id=USER, action="dancing")
    )
    menu = {"type": "commands"}
    assert ok(call(http, api, "setChatMenuButton", chat_id=USER, menu_button=menu)) is True
    assert ok(call(http, api, "getChatMenuButton", chat_id=USER)) == menu
    assert ok(call(http, api, "pinChatMessage", chat_id=USER, message_id=1)) is True
    assert "message to pin not found" in error(
        call(http, api, "pinChatMessage", chat_id=USER, message_id=7)
    )
    assert ok(call(http, api, "close")) is True
    assert ok(call(http, api, "logOut")) is True


def test_send_document_multipart(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    response = http.post(
        f"{api.base_url}{api.token}/sendDocument",
        data={"chat_id": str(USER), "caption": "<b>Plan</b>", "parse_mode": "HTML"},
        files={"document": ("plan.txt", b"innhold", "text/plain")},
    )
    message = ok(response)
    assert message["document"]["file_name"] == "plan.txt"
    assert message["document"]["file_size"] == 7
    assert message["caption"] == "Plan"
    assert message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    upload = api.calls_to("sendDocument")[0].params["document"]
    assert (upload.filename, upload.content_type, upload.data) == (
        "plan.txt",
        "text/plain",
        b"innhold",
    )
    stored = api.messages_to(USER)[0]
    assert stored.document is not None and stored.text == "Plan"
    edit = call(http, api, "editMessageText", chat_id=USER, message_id=2, text="x")
    assert error(edit) == "Bad Request: there is no text in the message to edit"
    no_file = call(http, api, "sendDocument", chat_id=USER)
    assert error(no_file) == "Bad Request: there is no document in the request"


# --------------------------------------------------------------------------- test helpers


def test_inject_error(api: FakeBotApi, http: httpx.Client) -> None:
    api.inject_error(
        "getMe", status=429, description="Too Many Requests: retry after 5", retry_after=5, times=2
    )
    api.inject_error("getMe", status=502, description="Bad Gateway")
    for _ in range(2):
        response = call(http, api, "getMe")
        assert response.status_code == 429
        assert response.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 5",
            "parameters": {"retry_after": 5},
        }
    assert response.json()["parameters"] == {"retry_after": 5}
    assert call(http, api, "getMe").json() == {
        "ok": False,
        "error_code": 502,
        "description": "Bad Gateway",
    }
    ok(call(http, api, "getMe"))
    assert [c.status for c in api.calls_to("getMe")] == [429, 429, 502, 200]
    with pytest.raises(ValueError, match="unknown method"):
        api.inject_error("sendMesage", status=400, description="x")


def test_injected_error_takes_precedence(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    api.inject_error(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    assert error(send(http, api, "hei"), 403) == "Forbidden: bot was blocked by the user"
    assert api.messages_to(USER) == []
    ok(send(http, api, "hei"))


def test_wait_for_call_and_message(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    ok(send(http, api, "første"))
    seen = len(api.messages_to(USER))
    after = len(api.calls)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: time.sleep(0.2) or send(http, api, "andre <b>", parse_mode="HTML"))
        failed = api.wait_for_call("sendMessage", after=after, timeout=5)
        assert failed.status == 400 and "can't parse entities" in failed.response["description"]
        pool.submit(lambda: time.sleep(0.2) or send(http, api, "andre"))
        message = api.wait_for_message(USER, after=seen, timeout=5)
        assert isinstance(message, SentMessage) and message.text == "andre"
    match = api.wait_for_message(USER, lambda m: m.text == "første", timeout=0.1)
    assert match.message_id == 2


def test_wait_timeout_summarises_calls(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    ok(call(http, api, "getUpdates"))
    ok(send(http, api, "bare dette"))
    with pytest.raises(AssertionError) as raised:
        api.wait_for_message(USER, lambda m: m.text == "noe annet", timeout=0.2)
    summary = str(raised.value)
    assert "timed out after 0.2s waiting for a message to chat 424242" in summary
    assert "(1 x getUpdates)" in summary and "'text': 'bare dette'" in summary
    with pytest.raises(AssertionError, match="waiting for a editMessageText call"):
        api.wait_for_call("editMessageText", timeout=0.1)


def test_concurrent_sends_get_unique_message_ids(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda n: ok(send(http, api, f"melding {n}")), range(40)))
    assert sorted(r["message_id"] for r in results) == list(range(2, 42))
    assert len(api.messages_to(USER)) == 40


def test_parse_html_directly() -> None:
    assert parse_html("<b>a</b>b") == ("ab", [{"type": "bold", "offset": 0, "length": 1}])


def test_texts_to_skips_deleted_messages(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    for text in ("én", "to", "to"):
        ok(send(http, api, text))
    ok(call(http, api, "deleteMessage", chat_id=USER, message_id=3))
    files = {"document": ("plan.txt", b"x", "text/plain")}
    ok(
        http.post(
            f"{api.base_url}{api.token}/sendDocument",
            data={"chat_id": str(USER), "caption": "Plan"},
            files=files,
        )
    )
    assert api.texts_to(USER) == ["én", "to", "Plan"]
    assert len(api.messages_to(USER)) == 4
    assert api.texts_to(OTHER_USER) == []


# --------------------------------------------------------------------------- clock, deleting, pins


def test_dates_follow_the_movable_clock(api: FakeBotApi, http: httpx.Client) -> None:
    assert abs(api.now() - time.time()) < 1
    three_days = 3 * 86_400
    api.advance_clock(three_days)
    assert abs(api.now() - time.time() - three_days) < 1
    api.send_text(USER, "hei")
    [update] = ok(call(http, api, "getUpdates"))
    sent = ok(send(http, api, "Hallo"))
    api.advance_clock(60)
    edit = call(http, api, "editMessageText", chat_id=USER, message_id=2, text="Hallo igjen")
    edited = ok(edit)
    expected = time.time() + three_days
    assert abs(update["message"]["date"] - expected) < 2
    assert abs(sent["date"] - expected) < 2
    assert edited["date"] == sent["date"]
    assert abs(edited["edit_date"] - expected - 60) < 2
    stored = api.messages_to(USER)[0]
    assert (stored.date, stored.edit_date) == (sent["date"], edited["edit_date"])
    with pytest.raises(ValueError, match="forward"):
        api.advance_clock(-1)


def test_delete_message_only_within_48_hours(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")  # message 1, the user's

    def delete(message_id: int) -> httpx.Response:
        return call(http, api, "deleteMessage", chat_id=USER, message_id=message_id)

    old = ok(send(http, api, "gammel"))["message_id"]
    api.advance_clock(47 * 3600)
    newer = ok(send(http, api, "nyere"))["message_id"]
    api.advance_clock(3600 + 5)  # "gammel" and the user's message: 48 h 5 s; "nyere": 1 h
    assert error(delete(old)) == CANT_DELETE
    assert error(delete(1)) == CANT_DELETE
    assert ok(delete(newer)) is True
    assert api.texts_to(USER) == ["gammel"]
    edit = call(http, api, "editMessageText", chat_id=USER, message_id=old, text="endret")
    assert ok(edit)["text"] == "endret"  # bots may edit old messages

    assert error(delete(newer)) == "Bad Request: message to delete not found"
    edit = call(http, api, "editMessageText", chat_id=USER, message_id=newer, text="x")
    assert error(edit) == "Bad Request: message to edit not found"
    assert error(delete(99)) == "Bad Request: message to delete not found"


def test_pin_and_unpin(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")  # message 1, the user's
    for text in ("a", "b", "c"):  # messages 2, 3, 4
        ok(send(http, api, text))

    def pin(message_id: int) -> httpx.Response:
        return call(http, api, "pinChatMessage", chat_id=USER, message_id=message_id)

    def unpin(**params: Any) -> httpx.Response:
        return call(http, api, "unpinChatMessage", chat_id=USER, **params)

    for message_id in (3, 2, 3, 1):  # pinning a pinned message again changes nothing
        assert ok(pin(message_id)) is True
    assert api.pinned(USER) == [1, 2, 3]
    assert ok(unpin()) is True  # without message_id: the newest pinned message
    assert api.pinned(USER) == [1, 2]
    assert ok(unpin(message_id=4)) is True  # exists, not pinned
    assert error(unpin(message_id=99)) == "Bad Request: message to unpin not found"

    ok(call(http, api, "deleteMessage", chat_id=USER, message_id=2))
    assert api.pinned(USER) == [1]  # deleting unpins
    assert error(pin(2)) == "Bad Request: message to pin not found"
    assert error(unpin(message_id=2)) == "Bad Request: message to unpin not found"
    assert ok(unpin(message_id=1)) is True
    assert api.pinned(USER) == []
    assert error(unpin()) == "Bad Request: message to unpin not found"
    assert api.pinned(OTHER_USER) == []


# --------------------------------------------------------------------------- flood control, faults


def test_rate_limit_chat_answers_429_for_that_chat_only(
    api: FakeBotApi, http: httpx.Client
) -> None:
    for user in (USER, OTHER_USER):
        api.send_text(user, "hei")
    started = time.monotonic()
    api.rate_limit_chat(USER, 0.6)
    response = send(http, api, "for fort")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert error(call(http, api, "sendChatAction", chat_id=USER, action="typing"), 429)
    ok(call(http, api, "sendMessage", chat_id=OTHER_USER, text="annen chat"))
    ok(call(http, api, "getMe"))

    api.rate_limit_chat(OTHER_USER, 29.5)
    limited = call(http, api, "sendMessage", chat_id=OTHER_USER, text="x")
    assert error(limited, 429) == "Too Many Requests: retry after 30"  # whole seconds, rounded up
    assert limited.json()["parameters"] == {"retry_after": 30}
    api.rate_limit_chat(OTHER_USER, 0)
    ok(call(http, api, "sendMessage", chat_id=OTHER_USER, text="igjen"))

    time.sleep(max(0.0, 0.65 - (time.monotonic() - started)))
    ok(send(http, api, "nå"))
    assert api.texts_to(USER) == ["nå"]
    assert api.texts_to(OTHER_USER) == ["annen chat", "igjen"]


def test_flood_control_counts_messages_per_second_overall_and_per_chat(
    api: FakeBotApi, http: httpx.Client
) -> None:
    users = [700 + n for n in range(5)]
    for user in users:
        api.add_user(user)  # they talked to the bot before: no update is queued
    assert api.pending_update_count == 0
    api.flood_control(3)
    for user in users[:3]:
        ok(call(http, api, "sendMessage", chat_id=user, text="hei"))
    limited = call(http, api, "sendMessage", chat_id=users[3], text="for mye")
    assert error(limited, 429) == "Too Many Requests: retry after 1"
    assert limited.json()["parameters"] == {"retry_after": 1}
    ok(call(http, api, "getMe"))  # not a message: not counted, not limited
    time.sleep(1.05)
    ok(call(http, api, "sendMessage", chat_id=users[3], text="nå"))
    assert api.texts_to(users[3]) == ["nå"]  # the refused one did nothing

    api.flood_control(None, per_chat=1)
    ok(call(http, api, "sendMessage", chat_id=users[4], text="1", disable_notification=True))
    error(call(http, api, "sendMessage", chat_id=users[4], text="2"), 429)
    ok(call(http, api, "sendMessage", chat_id=users[0], text="annen chat"))
    [message] = api.messages_to(users[4])
    assert message.silent and not api.messages_to(users[0])[-1].silent
    api.flood_control(None)
    ok(call(http, api, "sendMessage", chat_id=users[4], text="2"))


def test_inject_error_for_one_chat(api: FakeBotApi, http: httpx.Client) -> None:
    for user in (USER, OTHER_USER):
        api.send_text(user, "hei")
    blocked = "Forbidden: bot was blocked by the user"
    api.inject_error("sendMessage", status=403, description=blocked, chat_id=USER)
    ok(call(http, api, "sendMessage", chat_id=OTHER_USER, text="går"))  # does not use it up
    assert error(send(http, api, "stopper"), 403) == blocked
    ok(send(http, api, "går igjen"))

    # Flood control comes first; the injected error waits for it.
    api.inject_error("sendMessage", status=400, description="Bad Request: x", chat_id=USER)
    api.rate_limit_chat(USER, 0.3)
    assert error(send(http, api, "1"), 429).startswith("Too Many Requests")
    time.sleep(0.35)
    assert error(send(http, api, "2")) == "Bad Request: x"
    ok(send(http, api, "3"))
    assert api.texts_to(USER) == ["går igjen", "3"]


def test_disconnect_fault(api: FakeBotApi, http: httpx.Client) -> None:
    for user in (USER, OTHER_USER):
        api.send_text(user, "hei")
    api.inject_fault("sendMessage", kind="disconnect", processed=True, chat_id=USER)
    ok(call(http, api, "sendMessage", chat_id=OTHER_USER, text="annen chat"))
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        send(http, api, "kom fram")
    assert api.texts_to(USER) == ["kom fram"]  # the request reached Telegram

    api.inject_fault("sendMessage", kind="disconnect", processed=False)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        send(http, api, "kom aldri")
    assert api.texts_to(USER) == ["kom fram"]  # the request never arrived
    assert ok(send(http, api, "neste"))["message_id"] == 3  # and used no message id

    faulted = [c for c in api.calls_to("sendMessage") if c.fault is not None]
    assert [(c.fault, c.status, c.ok) for c in faulted] == [("disconnect", 0, False)] * 2
    assert faulted[0].response["result"]["text"] == "kom fram"  # the lost answer
    assert faulted[1].response == {}
    assert all(c.fault is None for c in api.calls_to("sendMessage") if c.status)


def test_delay_fault_times_out_a_client_while_others_are_served(api: FakeBotApi) -> None:
    api.send_text(USER, "hei")
    api.inject_fault("sendMessage", kind="delay", processed=True, delay=1.0)
    with (
        httpx.Client(timeout=0.3) as impatient,
        httpx.Client(timeout=5) as other,
        ThreadPoolExecutor(1) as pool,
    ):
        started = time.monotonic()
        late = pool.submit(send, impatient, api, "sendt")
        assert api.wait_for_message(USER, timeout=0.5).text == "sendt"  # took effect at once
        assert ok(call(other, api, "getMe"))["is_bot"] is True  # served during the delay
        ok(call(other, api, "sendMessage", chat_id=USER, text="mens vi venter"))
        assert time.monotonic() - started < 0.9  # before the delayed answer is due
        with pytest.raises(httpx.ReadTimeout):
            late.result(timeout=5)
    assert api.texts_to(USER) == ["sendt", "mens vi venter"]
    assert [c.fault for c in api.calls_to("sendMessage")] == ["delay", None]


def test_delay_fault_with_a_patient_client(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    api.inject_fault("sendMessage", kind="delay", processed=True, delay=0.3)
    api.inject_fault("sendMessage", kind="delay", processed=False, delay=0.3)
    started = time.monotonic()
    assert ok(send(http, api, "sent, men sendt"))["text"] == "sent, men sendt"
    assert time.monotonic() - started >= 0.29
    started = time.monotonic()
    with pytest.raises(httpx.RemoteProtocolError):  # never processed: no answer ever comes
        send(http, api, "borte")
    assert time.monotonic() - started >= 0.29
    assert api.texts_to(USER) == ["sent, men sendt"]
    assert [(c.fault, c.status) for c in api.calls_to("sendMessage")] == [("delay", 0)] * 2


def test_stop_cuts_a_delayed_answer_short(http: httpx.Client) -> None:
    api = FakeBotApi()
    api.start()
    api.inject_fault("getMe", kind="delay", processed=True, delay=30)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(call, http, api, "getMe")
        api.wait_for_call("getMe", timeout=2)
        started = time.monotonic()
        api.stop()
        response = pending.result(timeout=5)
    assert time.monotonic() - started < 2
    assert ok(response)["is_bot"] is True


def test_lost_get_updates_answer_still_confirms(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "a")
    second = api.send_text(USER, "b")
    api.inject_fault("getUpdates", kind="disconnect", processed=False)
    with pytest.raises(httpx.RemoteProtocolError):
        call(http, api, "getUpdates", offset=second)
    assert api.pending_update_count == 2
    api.inject_fault("getUpdates", kind="disconnect", processed=True)
    with pytest.raises(httpx.RemoteProtocolError):
        call(http, api, "getUpdates", offset=second)
    assert api.pending_update_count == 1


def test_inject_fault_is_validated(api: FakeBotApi) -> None:
    with pytest.raises(ValueError, match="unknown method"):
        api.inject_fault("sendMesage", kind="disconnect", processed=True)
    with pytest.raises(ValueError, match="kind must be one of"):
        api.inject_fault("sendMessage", kind="timeout", processed=True)
    with pytest.raises(ValueError, match="positive"):
        api.inject_fault("sendMessage", kind="delay", processed=True)
    with pytest.raises(ValueError, match="times"):
        api.inject_fault("sendMessage", kind="disconnect", processed=True, times=0)


# --------------------------------------------------------------------------- odd updates, groups


def test_enqueue_raw(api: FakeBotApi, http: httpx.Client) -> None:
    raw: dict[str, Any] = {"future_update": {"x": 1}}
    assert api.enqueue_raw(raw) == 100_000
    raw["future_update"]["x"] = 2  # a copy was queued
    api.send_text(USER, "hei")
    no_chat = {"update_id": 100_010, "message": {"message_id": 1, "date": 0}}
    assert api.enqueue_raw(no_chat) == 100_010
    assert api.send_text(USER, "etter") == 100_011  # an explicit id moves the sequence on
    assert api.enqueue_raw({"update_id": 100_005, "message": {}}) == 100_005  # a replay
    assert api.send_text(USER, "igjen") == 100_012  # does not

    updates = ok(call(http, api, "getUpdates"))
    assert updates[0] == {"update_id": 100_000, "future_update": {"x": 1}}
    assert updates[2] == {"update_id": 100_005, "message": {}}
    assert [u["update_id"] for u in updates] == [
        100_000,
        100_001,
        100_005,
        100_010,
        100_011,
        100_012,
    ]
    with pytest.raises(ValueError, match="already queued"):
        api.enqueue_raw({"update_id": 100_010})
    with pytest.raises(ValueError, match="JSON"):
        api.enqueue_raw({"message": object()})
    with pytest.raises(ValueError, match="update_id must be"):
        api.enqueue_raw({"update_id": "1"})

    ok(call(http, api, "getUpdates", offset=100_013, allowed_updates=["message"]))
    api.enqueue_raw({"callback_query": {"id": "1"}})  # excluded by allowed_updates
    api.enqueue_raw({"future_update": {}})  # unknown types are not filtered
    kinds = [next(k for k in u if k != "update_id") for u in ok(call(http, api, "getUpdates"))]
    assert kinds == ["future_update"]


def test_update_ids_may_jump_down_after_a_quiet_week(api: FakeBotApi, http: httpx.Client) -> None:
    last = api.send_text(USER, "før")
    ok(call(http, api, "getUpdates", offset=last + 1))  # the bot confirms it
    api.jump_update_ids(5_000)
    assert api.send_text(USER, "etter") == 5_000
    # The bot's old offset is now "in the future": it confirms nothing, the queue is served.
    assert [u["update_id"] for u in ok(call(http, api, "getUpdates", offset=last + 1))] == [5_000]
    assert api.pending_update_count == 1
    assert ok(call(http, api, "getUpdates", offset=5_001)) == []
    assert api.pending_update_count == 0
    assert api.send_text(USER, "igjen") == 5_001

    with pytest.raises(ValueError, match="empty queue"):
        api.jump_update_ids(5_001)  # 5_001 is still queued
    with pytest.raises(ValueError, match="update ids are in"):
        api.jump_update_ids(0)


def test_long_poll_with_the_old_offset_gets_the_update_after_a_jump(
    api: FakeBotApi, http: httpx.Client
) -> None:
    last = api.send_text(USER, "før")
    ok(call(http, api, "getUpdates", offset=last + 1))

    def quiet_week() -> None:
        api.jump_update_ids(7_000)
        api.send_text(USER, "etter")

    timer = threading.Timer(0.3, quiet_week)
    timer.start()
    updates = ok(call(http, api, "getUpdates", offset=last + 1, timeout=5))
    timer.join()
    assert [(u["update_id"], u["message"]["text"]) for u in updates] == [(7_000, "etter")]


def test_an_offset_at_most_ten_above_the_next_id_still_confirms(
    api: FakeBotApi, http: httpx.Client
) -> None:
    api.jump_update_ids(1_000)
    api.send_text(USER, "a")  # 1_000; the next id is 1_001
    assert ok(call(http, api, "getUpdates", offset=1_011)) == []  # confirmed away
    api.send_text(USER, "b")  # 1_001; the next id is 1_002
    assert [u["update_id"] for u in ok(call(http, api, "getUpdates", offset=1_013))] == [1_001]

    # Also while long polling: the offset applies again to updates arriving meanwhile.
    ok(call(http, api, "getUpdates", offset=1_002))

    def near_jump() -> None:
        api.jump_update_ids(1_000)
        for text in ("c", "d", "e", "f"):  # 1_000 and 1_001 are below the offset
            api.send_text(USER, text)

    timer = threading.Timer(0.2, near_jump)
    timer.start()
    updates = ok(call(http, api, "getUpdates", offset=1_002, timeout=5))
    timer.join()
    assert updates[0]["message"]["text"] == "e"  # "c" and "d" were confirmed away unseen


def test_message_from_a_group_chat(api: FakeBotApi, http: httpx.Client) -> None:
    api.send_text(USER, "hei")
    api.send_text(USER, "/start@moteklar_test_bot", group_id=GROUP)
    _, update = ok(call(http, api, "getUpdates"))
    message = update["message"]
    assert message["chat"] == {"id": GROUP, "type": "group", "title": "Testgruppe"}
    assert message["from"]["id"] == USER
    assert message["message_id"] == 1  # message ids count per chat
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 24}]

    sent = ok(call(http, api, "sendMessage", chat_id=GROUP, text="Bare i privat chat"))
    assert sent["chat"]["type"] == "group"
    assert api.texts_to(GROUP) == ["Bare i privat chat"]
    assert api.texts_to(USER) == []

    api.block_user(USER)
    api.send_text(USER, "skriver i gruppa", group_id=GROUP)  # does not unblock the bot
    assert error(send(http, api, "x"), 403) == "Forbidden: bot was blocked by the user"
    with pytest.raises(ValueError, match="negative"):
        api.send_text(USER, "x", group_id=5)


# --------------------------------------------------------------------------- through PTB


async def test_python_telegram_bot_round_trip(api: FakeBotApi) -> None:
    async with Bot(api.token, base_url=api.base_url) as bot:
        assert bot.username == "moteklar_test_bot"
        assert (await bot.get_me()).id == 123456
        assert await bot.delete_webhook(drop_pending_updates=False) is True

        asyncio.get_running_loop().call_later(0.3, api.send_text, USER, "/start")
        updates = await bot.get_updates(timeout=10, allowed_updates=["message", "callback_query"])
        assert [u.message.text for u in updates if u.message] == ["/start"]
        assert updates[0].message is not None
        assert list(updates[0].message.parse_entities(["bot_command"]).values()) == ["/start"]
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        assert api.pending_update_count == 0

        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ja <3", callback_data="yes")]])
        sent = await bot.send_message(
            USER,
            "<b>Hei</b> &amp; velkommen",
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            protect_content=True,
        )
        assert sent.text == "Hei & velkommen" and sent.reply_markup == markup
        stored = api.wait_for_message(USER, timeout=1)
        assert stored.html == "<b>Hei</b> &amp; velkommen" and stored.protect_content
        assert api.buttons(stored) == [("Ja <3", "yes")]

        update_id = api.press_button(USER, sent.message_id, "yes")
        [update] = await bot.get_updates(offset=update_id, timeout=5)
        assert update.callback_query is not None and update.callback_query.data == "yes"
        assert await update.callback_query.answer("Takk") is True
        assert api.wait_for_callback_answer(update_id, timeout=1).params["text"] == "Takk"

        edited = await bot.edit_message_text("Ferdig", chat_id=USER, message_id=sent.message_id)
        assert isinstance(edited, Message) and edited.text == "Ferdig"
        assert edited.reply_markup is None
        assert api.messages_to(USER)[-1].text == "Ferdig"

        commands = [BotCommand("start", "Start møteforberedelsen")]
        scope = BotCommandScopeAllPrivateChats()
        assert await bot.set_my_commands(commands, scope=scope, language_code="nb") is True
        assert await bot.get_my_commands(scope=scope, language_code="nb") == tuple(commands)
        assert api.commands("nb", {"type": "all_private_chats"}) == ["start"]

        document = await bot.send_document(USER, InputFile(b"%PDF-1.4", filename="plan.pdf"))
        assert document.document is not None and document.document.file_name == "plan.pdf"
        assert api.calls_to("sendDocument")[0].params["document"].data == b"%PDF-1.4"


async def test_python_telegram_bot_sees_errors(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.send_text(USER, "hei")
    async with Bot(api.token, base_url=api.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
            await bot.send_message(USER, "<foo>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            too_long = InlineKeyboardButton("x", callback_data="x" * 65)
            await bot.send_message(USER, "x", reply_markup=InlineKeyboardMarkup([[too_long]]))
        sent = await bot.send_message(USER, "Samme")
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("Samme", chat_id=USER, message_id=sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query("999")

        api.inject_error("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(USER, "x")
        api.inject_error(
            "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
        )
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(USER, "x")
        api.inject_error(
            "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
        )
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "x")
        assert raised.value.retry_after == dtm.timedelta(seconds=7)

        await bot.send_message(USER, "Nå går det")
    assert [c.status for c in api.calls_to("sendMessage")] == [400, 400, 200, 400, 403, 429, 200]


async def test_python_telegram_bot_sees_faults(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    for user in (USER, OTHER_USER):
        api.send_text(user, "hei")
    async with Bot(api.token, base_url=api.base_url) as bot:
        api.inject_fault("sendMessage", kind="disconnect", processed=True)
        with pytest.raises(NetworkError, match="RemoteProtocolError"):
            await bot.send_message(USER, "nådde fram")
        api.inject_fault("sendMessage", kind="delay", processed=False, delay=1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "kom aldri", read_timeout=0.3)

        api.inject_error("sendMessage", status=502, description="Bad Gateway")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "502")
        api.inject_error("sendMessage", status=500, description="Internal Server Error")
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(USER, "500")
        assert api.texts_to(USER) == ["nådde fram"]

        api.rate_limit_chat(USER, 5)
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "for fort")
        assert raised.value.retry_after == dtm.timedelta(seconds=5)
        await bot.send_message(OTHER_USER, "annen chat")
        api.rate_limit_chat(USER, 0)

        sent = await bot.send_message(USER, "Agenda")
        assert await bot.pin_chat_message(USER, sent.message_id) is True
        assert api.pinned(USER) == [sent.message_id]
        assert await bot.unpin_chat_message(USER) is True
        assert api.pinned(USER) == []
    assert api.texts_to(USER) == ["nådde fram", "Agenda"]
    assert [(c.status, c.fault) for c in api.calls_to("sendMessage")] == [
        (0, "disconnect"),
        (0, "delay"),
        (502, None),
        (500, None),
        (429, None),
        (200, None),
        (200, None),
    ]
