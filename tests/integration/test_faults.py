"""Telegram's faults at every kind of call the sender makes (send, edit, document, pin, delete,
leave), judged by exception type: a 429 waits, a 5xx or a connection that never left is tried
again, a lost answer is sent again for a reply and left unknown for a notice (but taking back,
pinning and leaving are repeated: they are harmless twice), a 403 marks the person unreachable.
Nothing is lost and nothing is doubled beyond that window.

The sender runs against a stand-in Bot whose methods fail the way python-telegram-bot raises.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core.delivery import Deliveries, enqueue
from bot.core.messages import CalendarFile, Reply
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.domain.people import Locale
from bot.transports.telegram import sender as sending
from bot.transports.telegram.sender import Sender
from tests.unit.conftest import RENDERER
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store

ME, OTHER = "telegram:11", "telegram:22"
GROUP = "telegram:-33"


def never_left() -> NetworkError:
    error = NetworkError("httpx.ConnectError: refused")
    error.__cause__ = httpx.ConnectError("refused")
    return error


def answer_lost() -> NetworkError:
    error = NetworkError("httpx.RemoteProtocolError: closed")
    error.__cause__ = httpx.RemoteProtocolError("closed")
    return error


FAULTS = {
    "429": lambda: RetryAfter(0),
    "5xx": lambda: NetworkError("Bad Gateway"),  # PTB: an error answer, no httpx cause
    "connection refused": never_left,
    "timeout": lambda: TimedOut("read timeout"),  # the request left; its answer did not come
    "answer lost": answer_lost,
    "403": lambda: Forbidden("Forbidden: bot was blocked by the user"),
}


@dataclass
class Message:
    message_id: int


@dataclass
class StandInBot:
    """Bot API calls as the sender makes them; ``fail`` maps a method to the errors its next
    calls raise. A lost answer (timeout, connection closed) is raised after the call took
    effect, as Telegram did act on it."""

    fail: dict[str, list[BaseException]] = field(default_factory=dict)
    done: list[tuple[str, Any]] = field(default_factory=list)
    _next: int = 100

    async def _call(self, method: str, what: Any) -> Message:
        error = self.fail.get(method, [])
        if error:
            raised = error.pop(0)
            took_effect = isinstance(raised, TimedOut) or (
                isinstance(raised, NetworkError)
                and isinstance(raised.__cause__, httpx.RemoteProtocolError)
            )
            if took_effect:
                self.done.append((method, what))
            raise raised
        self.done.append((method, what))
        self._next += 1
        return Message(self._next)

    async def send_message(self, chat: int, text: str, **_: Any) -> Message:
        return await self._call("sendMessage", text)

    async def send_document(self, chat: int, **kwargs: Any) -> Message:
        return await self._call("sendDocument", kwargs["caption"])

    async def edit_message_text(self, text: str, **kwargs: Any) -> Message:
        return await self._call("editMessageText", kwargs["message_id"])

    async def delete_message(self, chat: int, message_id: int) -> bool:
        await self._call("deleteMessage", message_id)
        return True

    async def pin_chat_message(self, chat: int, message_id: int, **_: Any) -> bool:
        await self._call("pinChatMessage", message_id)
        return True

    async def leave_chat(self, chat: int) -> bool:
        await self._call("leaveChat", chat)
        return True

    async def set_my_commands(self, commands: Any, **_: Any) -> bool:
        await self._call("setMyCommands", len(commands))
        return True


class World:
    def __init__(self) -> None:
        self.store = Store()
        self.clock = FakeClock()
        self.deliveries = Deliveries(lambda: FakeUnitOfWork(self.store), self.clock, RENDERER)
        self.bot = StandInBot()
        self.sender = Sender(self.bot, self.deliveries)  # type: ignore[arg-type]

    async def queue(self, reply: Reply, *, actor: str | None = ME) -> None:
        uow = FakeUnitOfWork(self.store)
        await enqueue(uow, RENDERER, self.clock.now(), [reply], actor=actor)
        await uow.commit()

    async def deliver(self, address: str) -> None:
        self.sender.poke([address])
        for _ in range(200):  # backoffs are shortened below; wait until nothing is due
            await self.sender.idle()
            if not self.sender.waiting:
                break
            await asyncio.sleep(0.01)
        await self.sender.idle()

    def status(self) -> list[tuple[Op, Guarantee, DeliveryStatus]]:
        return [(d.op, d.guarantee, d.status) for d in self.store.outbox.values()]


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sending, "_FIRST_BACKOFF", 0.01)
    monkeypatch.setattr(sending, "_LAST_BACKOFF", 0.02)


def text(address: str | None = None) -> Reply:
    return Reply(
        "help.html", Locale.NB, {"name": None, "role": None, "commands": ()}, address=address
    )


CALLS = [
    "sendMessage",
    "sendDocument",
    "editMessageText",
    "deleteMessage",
    "pinChatMessage",
    "leaveChat",
]


async def scenario(world: World, method: str, own: bool) -> str:
    """Queue what makes ``method`` the call under test; returns the address it goes to."""
    to = ME if own else OTHER
    if method == "sendMessage":
        await world.queue(text(None if own else OTHER))
    elif method == "sendDocument":
        file = CalendarFile(
            1,
            0,
            world.clock.now() + timedelta(days=3),
            world.clock.now() + timedelta(days=3, hours=1),
            "Rom 2",
        )
        await world.queue(
            Reply(
                "help.html",
                Locale.NB,
                {"name": None, "role": None, "commands": ()},
                address=None if own else OTHER,
                attachment=file,
            )
        )
    elif method == "editMessageText":
        await world.queue(text(None if own else OTHER))
        await world.deliver(to)
        sent = next(iter(world.store.outbox.values()))
        await world.queue(
            Reply(
                "help.html",
                Locale.NB,
                {"name": None, "role": None, "commands": ()},
                address=None if own else OTHER,
                edits=sent.message_ids[0],
            )
        )
    elif method == "deleteMessage":
        await world.queue(text(OTHER), actor=ME)  # a copy shared with OTHER, then taken back
        await world.deliver(OTHER)
        first = next(iter(world.store.outbox))
        await world.queue(
            Reply(
                "help.html",
                Locale.NB,
                {"name": None, "role": None, "commands": ()},
                address=OTHER,
                withdraws=first,
            ),
            actor=ME,
        )
        to = OTHER
    elif method == "pinChatMessage":
        await world.queue(
            Reply(
                "help.html",
                Locale.NB,
                {"name": None, "role": None, "commands": ()},
                address=None if own else OTHER,
                ref="reminder:1",
            )
        )
        await world.deliver(to)
        uow = FakeUnitOfWork(world.store)
        await uow.outbox.add(
            address=to,
            op=Op.PIN,
            guarantee=Guarantee.AT_LEAST_ONCE,
            envelope=RENDERER.compose(text(), world.clock.now()),
            at=world.clock.now(),
            ref="reminder:1",
        )
        await uow.commit()
    elif method == "leaveChat":
        await world.queue(Reply("", Locale.NB, leave=True), actor=GROUP)
        to = GROUP
    return to


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("method", CALLS)
async def test_a_fault_at_any_call_loses_nothing_and_doubles_nothing_beyond_the_window(
    method: str, fault: str
) -> None:
    for own in (True, False):
        if method == "leaveChat" and not own:
            continue
        world = World()
        to = await scenario(world, method, own)
        before = [d.id for d in world.store.outbox.values()]
        world.bot.done.clear()
        world.bot.fail[method] = [FAULTS[fault]()]
        await world.deliver(to)
        last = world.store.outbox[max(world.store.outbox)]
        calls = [m for m, _ in world.bot.done if m == method]
        lost_answer = fault in {"timeout", "answer lost"}
        if method in {"deleteMessage", "pinChatMessage", "leaveChat"}:
            # Harmless to repeat: always at least once, whoever caused it.
            assert last.guarantee is Guarantee.AT_LEAST_ONCE, method
        if fault == "403":
            expected = DeliveryStatus.FAILED if to == GROUP else DeliveryStatus.UNREACHABLE
            assert last.status is expected, (method, own)
            assert calls == []
        elif lost_answer and last.guarantee is Guarantee.AT_MOST_ONCE:
            # A notice whose answer was lost: recorded unknown, never resent blindly.
            assert last.status is DeliveryStatus.UNKNOWN, (method, own)
            assert len(calls) == 1
        else:
            assert last.status is DeliveryStatus.SENT, (method, own, fault, last.status)
            # Sent again only when Telegram took it and its answer was lost: once more.
            assert len(calls) == (2 if lost_answer else 1), (method, own, fault, calls)
        assert before  # (the scenario queued what it meant to)
