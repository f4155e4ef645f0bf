"""The outbox, delivered over the Bot API: in order per person, people side by side.

Each try's end is told to ``Deliveries`` as an ``Attempt``, judged by the error's type: a 429
waits ``retry_after`` for that chat only (never dropped); a connection that failed before the
request left, or a 5xx answer, is retried with backoff; a lost answer is retried for a reply and
left ``unknown`` for a notice; 403 means the person blocked the bot; 400 is our bug (logged with
its traceback, never retried in a loop).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.core.delivery import Deliveries
from bot.core.messages import Delivery, Envelope
from bot.domain.delivery import Attempt, DeliveryStatus, Op
from bot.transports.telegram.convert import PREFIX, chat_of
from bot.transports.telegram.errors import never_arrived, retry_seconds
from bot.transports.telegram.lanes import Lanes

logger = logging.getLogger(__name__)

# Telegram lets a bot delete its messages in a private chat for 48 hours; an hour's margin.
DELETE_WINDOW = timedelta(hours=47)
# Backoff after a failed connection or a lost answer: 1, 2, 4 … 60 seconds, per person.
_FIRST_BACKOFF = 1.0
_LAST_BACKOFF = 60.0
# Telegram: "no more than 30 messages per second" to different chats (a burst of reminders).
MESSAGES_PER_SECOND = 30


class Pacer:
    """At most ``per_second`` requests a second (3 % under it), counted over every tenth of a
    second: three may leave at once (a person's reply and the next question do not wait for
    each other), and a long burst goes at ``per_second`` with never more than three requests
    out at a time. A request waits for its slot before it is marked as leaving, so a notice
    waiting its turn (500 reminders due at once) is still ``queued`` if the process dies, and
    only the few out at that moment can be ``unknown``. PTB's rate limiter never holds one
    back."""

    TENTH = 0.1  # seconds
    # Telegram (and the fake server) count requests as they arrive, a few milliseconds after
    # they leave: exactly 30 a second here is sometimes 31 there, and a 429 costs a chat a
    # second or more. 3 % under the limit keeps a long burst clear of it (measured: bench/).
    MARGIN = 0.97

    def __init__(
        self,
        per_second: int = MESSAGES_PER_SECOND,
        *,
        now: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        # 0: no pacing (a benchmark against the fake server).
        self._limit = max(1, round(per_second * self.TENTH)) if per_second else 0
        self._window = self._limit / (per_second * self.MARGIN) if per_second else 0.0
        self._sent: deque[float] = deque()  # when the last ``_limit`` requests left
        self._now = now or (lambda: asyncio.get_running_loop().time())
        self._sleep = sleep

    async def slot(self) -> None:
        if not self._limit:
            return
        while len(self._sent) >= self._limit:
            wait = self._sent[0] + self._window - self._now()
            if wait <= 0:
                self._sent.popleft()
            else:
                await self._sleep(wait)
        self._sent.append(self._now())


def keyboard(buttons: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


class Sender:
    def __init__(
        self,
        bot: Bot,
        deliveries: Deliveries,
        *,
        limit: int = 32,
        messages_per_second: int = MESSAGES_PER_SECOND,
    ) -> None:
        self._bot = bot
        self._deliveries = deliveries
        self._pacer = Pacer(messages_per_second)
        self._lanes = Lanes(limit, "send")
        self._pending: set[str] = set()
        self._resume_at: dict[str, asyncio.TimerHandle] = {}
        self._backoff: dict[str, float] = {}
        deliveries.on_queued = self.poke

    def poke(self, addresses: Iterable[str]) -> None:
        """There may be something to send to these people: start (or continue) their lanes."""
        for address in addresses:
            if not address.startswith(PREFIX) or address in self._pending:
                continue
            if address in self._resume_at:
                continue  # it starts again by itself after the wait
            self._pending.add(address)
            self._lanes.submit(address, self._drainer(address))

    async def idle(self) -> None:
        """Wait until nothing is being sent (waits out a backoff only if one is under way)."""
        await self._lanes.idle()

    @property
    def waiting(self) -> int:
        """People whose deliveries wait out a 429 or a backoff."""
        return len(self._resume_at)

    async def stop(self, grace: float) -> None:
        for handle in self._resume_at.values():
            handle.cancel()
        self._resume_at.clear()
        await self._lanes.stop(grace)

    def _drainer(self, address: str) -> Callable[[], Awaitable[None]]:
        async def drain() -> None:
            await self._drain(address)

        return drain

    async def _drain(self, address: str) -> None:
        """Send everything due for one person, in order; stop at the first try that must wait."""
        self._pending.discard(address)
        delivery = await self._deliveries.next(address, mark=False)
        while delivery is not None:
            await self._pacer.slot()
            marked = await self._deliveries.sending(delivery)
            if marked is None:  # settled while it waited its turn
                delivery = await self._deliveries.next(address, mark=False)
                continue
            attempt, message_ids, wait = await self._try(marked)
            status, delivery = await self._deliveries.finish_and_next(marked, attempt, message_ids)
            if status is DeliveryStatus.QUEUED:
                self._wait(address, wait)
                return
            self._backoff.pop(address, None)

    def _wait(self, address: str, wait: float | None) -> None:
        """Try this person's lane again later: after retry_after, or after a growing backoff."""
        if wait is None:
            wait = self._backoff.get(address, _FIRST_BACKOFF / 2) * 2
            self._backoff[address] = wait = min(wait, _LAST_BACKOFF)
        loop = asyncio.get_running_loop()

        def resume() -> None:
            self._resume_at.pop(address, None)
            self.poke([address])

        self._resume_at[address] = loop.call_later(wait, resume)

    async def _try(self, delivery: Delivery) -> tuple[Attempt, list[int], float | None]:
        """One try: how it ended, the message ids so far, and how long to wait before the next."""
        message_ids = list(delivery.message_ids)
        try:
            await self._perform(delivery, message_ids)
        except RetryAfter as error:
            return Attempt.RATE_LIMITED, message_ids, retry_seconds(error) + 0.1
        except Forbidden:
            if chat_of(delivery.address) < 0:
                # A group that removed the bot, or where it may not write: nobody to tell,
                # and leaving (next in its lane) must not be given up with it.
                logger.info("delivery %d: a group chat refused it", delivery.id)
                return Attempt.REFUSED, message_ids, None
            logger.warning("delivery %d: the person has blocked the bot", delivery.id)
            return Attempt.BLOCKED, message_ids, None
        except BadRequest:
            if delivery.op in {Op.PIN, Op.UNPIN}:
                # The person may have deleted the message themselves: nothing left to pin.
                logger.warning("delivery %d: the message to (un)pin is gone", delivery.id)
            elif delivery.op is Op.LEAVE:
                logger.info("delivery %d: the bot was no longer in that chat", delivery.id)
            else:
                logger.exception("delivery %d: Telegram refused it", delivery.id)
            return Attempt.REFUSED, message_ids, None
        except (TimedOut, NetworkError) as error:
            attempt = Attempt.NOT_SENT if never_arrived(error) else Attempt.ANSWER_LOST
            logger.warning("delivery %d: %s (%s)", delivery.id, attempt.value, type(error).__name__)
            return attempt, message_ids, None
        except InvalidToken:
            logger.error("delivery %d: Telegram does not accept the bot token", delivery.id)
            return Attempt.NOT_SENT, message_ids, None
        except TelegramError:
            logger.exception("delivery %d: Telegram refused it", delivery.id)
            return Attempt.REFUSED, message_ids, None
        return Attempt.DELIVERED, message_ids, None

    async def _perform(self, delivery: Delivery, message_ids: list[int]) -> None:
        """Make the Bot API calls; ``message_ids`` grows as parts go out."""
        chat = chat_of(delivery.address)
        envelope = delivery.envelope
        if delivery.op is Op.MENU:
            commands = [BotCommand(name, text) for name, text in envelope.commands]
            await self._bot.set_my_commands(commands, scope=BotCommandScopeChat(chat))
            return
        if delivery.op is Op.WITHDRAW:
            await self._withdraw(delivery, chat, message_ids)
            return
        if delivery.op is Op.LEAVE:
            await self._bot.leave_chat(chat)
            return
        target = delivery.target_id
        if delivery.op in {Op.PIN, Op.UNPIN}:
            # ``Deliveries.next`` found the message it acts on (sent before, same ref).
            if target is None:
                return
            if delivery.op is Op.PIN:
                await self._bot.pin_chat_message(chat, target, disable_notification=True)
            else:
                await self._bot.unpin_chat_message(chat, message_id=target)
            message_ids.append(target)
            return
        editing = delivery.op is Op.EDIT and target is not None and not message_ids
        if editing and target is not None and await self._edit(chat, target, envelope):
            message_ids.append(target)
            return
        await self._send(delivery, chat, envelope, message_ids)

    async def _edit(self, chat: int, message_id: int, envelope: Envelope) -> bool:
        """Show the message in place of the pressed one; False if it must be sent anew."""
        try:
            await self._bot.edit_message_text(
                envelope.parts[0],
                chat_id=chat,
                message_id=message_id,
                reply_markup=keyboard(envelope.buttons),
            )
        except BadRequest as error:
            # Telegram has no distinct code for this one: the message already shows exactly
            # this (a page turned past its end), which is success, not a reason to send anew.
            if "message is not modified" in error.message.lower():
                return True
            logger.info("could not show a message in place; it is sent anew")
            return False
        return True

    async def _withdraw(self, delivery: Delivery, chat: int, done: list[int]) -> None:
        """Take back the messages another delivery sent: delete them while Telegram allows it
        (decided by their stored send time), else overwrite them with this delivery's text and
        remove their buttons; overwrite too when deleting fails. ``done`` grows as they go."""
        target = await self._deliveries.get(delivery.target_id or 0)
        if target is None:
            return
        sent = target.settled_at
        young = sent is not None and self._deliveries.now() - sent < DELETE_WINDOW
        notice = delivery.envelope.parts[0]
        for message_id in target.message_ids:
            if message_id in done:
                continue
            if not (young and await self._delete(chat, message_id)):
                await self._overwrite(chat, message_id, notice)
            done.append(message_id)
            await self._deliveries.progress(delivery, done)

    async def _delete(self, chat: int, message_id: int) -> bool:
        try:
            await self._bot.delete_message(chat, message_id)
        except BadRequest:
            logger.info("a message could not be deleted; it is overwritten instead")
            return False
        return True

    async def _overwrite(self, chat: int, message_id: int, notice: str) -> None:
        try:
            await self._bot.edit_message_text(notice, chat_id=chat, message_id=message_id)
        except BadRequest:
            # Gone already (the person deleted it), or it shows this notice already.
            logger.info("a withdrawn message could not be overwritten")

    async def _send(
        self, delivery: Delivery, chat: int, envelope: Envelope, message_ids: list[int]
    ) -> None:
        parts = envelope.parts
        for index in range(len(message_ids), len(parts)):
            last = index == len(parts) - 1 and envelope.document is None
            message = await self._bot.send_message(
                chat,
                parts[index],
                reply_markup=keyboard(envelope.buttons) if last else None,
                protect_content=envelope.protect or None,
                disable_notification=envelope.silent or None,
            )
            message_ids.append(message.message_id)
            if not last:
                # A long message goes out part by part: a retry goes on from the next one.
                await self._deliveries.progress(delivery, message_ids)
        document = envelope.document
        if document is not None and len(message_ids) == len(parts):
            sent = await self._bot.send_document(
                chat,
                document=InputFile(document.data, filename=document.filename),
                caption=envelope.caption,
                reply_markup=keyboard(envelope.buttons),
                protect_content=envelope.protect or None,
            )
            message_ids.append(sent.message_id)
