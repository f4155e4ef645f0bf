"""Updates through python-telegram-bot's real routing, with a request object that records calls.

No network: every Bot API call lands in RecordingRequest, which answers like Telegram would.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.request import BaseRequest, RequestData

from bot.bootstrap import open_runtime
from bot.config import Settings
from bot.core.invitations import BOT_USERNAME, create_invitation
from bot.domain.people import Role
from bot.storage.crypto import generate_key
from bot.transports.telegram.app import build_application, start_service
from bot.transports.telegram.service import TelegramService

TOKEN = "123456:SECRET-test-token"
KARI = 4242
BOT = {"id": 123456, "is_bot": True, "first_name": "Møteklar", "username": "moteklar_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class RecordingRequest(BaseRequest):
    """Answers Bot API calls from memory and records them; fails on anything unexpected."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.fail_next: dict[str, tuple[int, str]] = {}
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append(Call(name, dict(params)))
        if name in self.fail_next:
            status, description = self.fail_next.pop(name)
            body = {"ok": False, "error_code": status, "description": description}
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method in {"sendMessage", "editMessageText", "editMessageReplyMarkup"}:
            self._message_id += 1
            message = {
                "message_id": params.get("message_id", self._message_id),
                "date": 0,
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method in {"answerCallbackQuery", "setMyCommands", "deleteWebhook", "leaveChat"}:
            return True
        raise AssertionError(f"unexpected Bot API call {method}")


def message_update(
    update_id: int, text: str | None, *, chat_type: str = "private"
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": KARI if chat_type == "private" else -KARI, "type": chat_type},
        "from": {"id": KARI, "is_bot": False, "first_name": "Kari"},
    }
    if text is None:
        message["sticker"] = {
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    else:
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split(" ")[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": update_id, "message": message}


def button_update(update_id: int, data: str, sent: Call, message_id: int = 77) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "chat_instance": "c",
            "data": data,
            "from": {"id": KARI, "is_bot": False, "first_name": "Kari"},
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": KARI, "type": "private"},
                "from": BOT,
                "text": sent.params["text"],
                "reply_markup": sent.params["reply_markup"],
            },
        },
    }


@dataclass
class Harness:
    service: TelegramService
    request: RecordingRequest
    token: str

    async def send(self, payload: dict[str, Any]) -> list[Call]:
        """The update arrives as from getUpdates; returns the calls it led to, once all is sent."""
        before = len(self.request.calls)
        await self.service.receive([payload])
        await self.service.idle()
        return self.request.calls[before:]


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    settings = Settings.from_env(
        {"MOTEKLAR_SECRET_KEY": generate_key(), "MOTEKLAR_DB": str(tmp_path / "m.db")}, dotenv=None
    )
    request = RecordingRequest()
    runtime = await open_runtime(settings)
    service = await start_service(
        build_application(TOKEN, "http://127.0.0.1:9/bot", request=request), runtime
    )
    async with runtime.uow_factory() as uow:
        token = await create_invitation(
            uow, runtime.clock.now(), role=Role.JOBBSPESIALIST, name="Kari Nordmann"
        )
        await uow.commit()
    yield Harness(service, request, token)
    await service.stop()
    await runtime.close()


async def test_start_up_stores_the_username_and_sets_a_menu_per_language(harness: Harness) -> None:
    menus = harness.request.to("setMyCommands")
    assert [c.params.get("language_code") for c in menus] == [None, "nn", "en"]
    default = [(c["command"], c["description"]) for c in menus[0].params["commands"]]
    assert default[0] == ("start", "Start, eller se hva du kan gjøre her")
    runtime = harness.service.runtime
    async with runtime.uow_factory() as uow:
        assert await uow.meta.get(BOT_USERNAME) == "moteklar_test_bot"


async def test_start_with_an_invitation_asks_for_the_language(harness: Harness) -> None:
    calls = await harness.send(message_update(1, f"/start {harness.token}"))
    [sent] = [c for c in calls if c.method == "sendMessage"]
    assert sent.params["chat_id"] == KARI
    assert sent.params["parse_mode"] == "HTML"
    assert "Hvilket språk vil du at jeg skal bruke?" in sent.params["text"]
    keyboard = sent.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [
        "v1:join:lang:nb",
        "v1:join:lang:nn",
        "v1:join:lang:en",
    ]
    assert [row[0]["text"] for row in keyboard] == ["Bokmål", "Nynorsk", "English"]


async def test_a_button_press_is_answered_marked_and_moves_on(harness: Harness) -> None:
    [asked] = [
        c
        for c in await harness.send(message_update(1, f"/start {harness.token}"))
        if c.method == "sendMessage"
    ]
    calls = await harness.send(button_update(2, "v1:join:lang:nn", asked))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert calls[0].params["callback_query_id"] == "q2" and "text" not in calls[0].params
    assert (
        calls[1].params["text"].endswith("\n\n✓ Nynorsk") and "reply_markup" not in calls[1].params
    )
    assert "Heiter du <b>Kari Nordmann</b>?" in calls[2].params["text"]


async def test_a_stale_button_gets_a_notice_and_loses_its_keyboard(harness: Harness) -> None:
    [asked] = [
        c
        for c in await harness.send(message_update(1, f"/start {harness.token}"))
        if c.method == "sendMessage"
    ]
    await harness.send(button_update(2, "v1:join:lang:nb", asked))
    calls = await harness.send(button_update(3, "v1:join:lang:en", asked, message_id=70))
    assert calls[0].method == "answerCallbackQuery"
    assert calls[0].params["text"] == "Den knappen er ikke i bruk lenger."
    assert calls[1].method == "editMessageReplyMarkup"
    assert "Heter du <b>Kari Nordmann</b>?" in calls[2].params["text"]


async def test_a_double_tap_is_answered_once_and_the_question_not_sent_again(
    harness: Harness,
) -> None:
    [asked] = [
        c
        for c in await harness.send(message_update(1, f"/start {harness.token}"))
        if c.method == "sendMessage"
    ]
    first = await harness.send(button_update(2, "v1:join:lang:nb", asked))
    assert [c.method for c in first] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    again = await harness.send(button_update(3, "v1:join:lang:nb", asked))
    assert [c.method for c in again] == ["answerCallbackQuery"]
    assert again[0].params["text"] == "Jeg har allerede fått svaret ditt på dette."


async def test_stickers_get_a_kind_message_and_groups_are_told_and_left(harness: Harness) -> None:
    [reply] = await harness.send(message_update(1, None))
    assert reply.method == "sendMessage" and reply.params["text"].startswith(
        "Jeg kan bare lese tekst"
    )
    told, left = await harness.send(message_update(2, "hei", chat_type="group"))
    assert told.method == "sendMessage" and "privat" in told.params["text"]
    assert told.params["chat_id"] == left.params["chat_id"] == -KARI and left.method == "leaveChat"


async def test_a_blocked_bot_is_logged_without_text_or_token(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.request.fail_next["sendMessage"] = (403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.DEBUG):
        await harness.send(message_update(1, "mitt hemmelige svar"))
    assert "blocked the bot" in caplog.text
    assert "hemmelige" not in caplog.text and "SECRET-test-token" not in caplog.text


async def test_a_redelivered_update_is_not_answered_twice(harness: Harness) -> None:
    first = await harness.send(message_update(5, f"/start {harness.token}"))
    again = await harness.send(message_update(5, f"/start {harness.token}"))
    assert [c.method for c in first] == ["sendMessage"] and again == []


async def test_an_unexpected_failure_answers_the_press_and_sends_a_kind_word(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    [asked] = [
        c
        for c in await harness.send(message_update(1, f"/start {harness.token}"))
        if c.method == "sendMessage"
    ]
    engine = harness.service.runtime.engine
    real = engine.handle

    async def broken(inbound: Any) -> Any:
        raise RuntimeError("a bug in a flow")

    engine.handle = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR):
        calls = await harness.send(button_update(2, "v1:join:lang:nn", asked))
    engine.handle = real  # type: ignore[method-assign]

    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[0].params["text"] == "Beklager, noe gikk galt."
    assert calls[1].params["text"].startswith("Beklager, noe gikk galt hos meg.")
    assert "a bug in a flow" in caplog.text and "Kari" not in caplog.text
    # The state that may have caused it is cleared; the update is never retried in a loop.
    again = await harness.send(button_update(2, "v1:join:lang:nn", asked))
    assert again == []
    after = await harness.send(message_update(3, f"/start {harness.token}"))
    assert "Hvilket språk" in after[-1].params["text"]


async def test_an_update_that_cannot_be_read_is_set_aside_and_others_go_on(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    broken = {"update_id": 9, "message": {"message_id": "x", "text": "mitt hemmelige svar"}}
    with caplog.at_level(logging.DEBUG):
        assert await harness.send(broken) == []
    assert "could not be read" in caplog.text and "hemmelige" not in caplog.text
    runtime = harness.service.runtime
    async with runtime.uow_factory() as uow:
        assert await uow.inbox.waiting() == []
        assert not await uow.inbox.claim(9, runtime.clock.now())  # settled: never retried
    calls = await harness.send(message_update(10, f"/start {harness.token}"))
    assert [c.method for c in calls] == ["sendMessage"]


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (429, "Too Many Requests: retry after 5"),
        (502, "Bad Gateway"),
        (403, "Forbidden: bot was blocked by the user"),
        (400, "Bad Request: query is too old and response timeout expired or query ID is invalid"),
    ],
)
async def test_a_failed_answer_to_a_press_never_loses_the_press(
    harness: Harness, status: int, description: str
) -> None:
    """answerCallbackQuery is best effort: whatever it fails with, the press is handled and
    the next question sent."""
    [asked] = [
        c
        for c in await harness.send(message_update(1, f"/start {harness.token}"))
        if c.method == "sendMessage"
    ]
    harness.request.fail_next["answerCallbackQuery"] = (status, description)
    calls = await harness.send(button_update(2, "v1:join:lang:nn", asked))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert "Heiter du" in calls[-1].params["text"]
