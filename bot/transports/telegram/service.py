"""The running Telegram bot: updates in through the inbox, handled in per-person lanes, messages
out through the outbox.

```mermaid
flowchart LR
    tg[Telegram] -- getUpdates --> intake[Intake] -- stored, committed --> inbox[(inbox)]
    intake -- next getUpdates confirms --> tg
    inbox --> lanes[lane per person] --> ptb[PTB handlers] --> engine[Engine]
    engine -- change + outbox + inbox mark, one commit --> db[(SQLite)]
    engine -- addresses --> sender[Sender: lane per person] -- Bot API --> tg
```
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import Application

from bot.transports import Runtime
from bot.transports.telegram.intake import ALLOWED_UPDATES, Intake, lane_of
from bot.transports.telegram.lanes import Lanes
from bot.transports.telegram.reminders import ReminderJobs
from bot.transports.telegram.sender import MESSAGES_PER_SECOND, Sender
from bot.transports.telegram.webhook import WebhookServer

logger = logging.getLogger(__name__)

AnyApplication: TypeAlias = "Application[Any, Any, Any, Any, Any, Any]"


@dataclass(frozen=True)
class Webhook:
    """Where Telegram sends updates (the public HTTPS URL) and where we listen for them."""

    url: str
    secret: str = field(repr=False)
    port: int
    listen: str = "127.0.0.1"


SERVICE = "service"
HOUSEKEEPING_EVERY = 600.0  # seconds: prune the inbox and outbox, purge the WAL
SWEEP_EVERY = 30.0  # seconds: start any delivery whose lane was not started


class TelegramService:
    def __init__(
        self,
        application: AnyApplication,
        runtime: Runtime,
        *,
        handlers: int = 16,
        messages_per_second: int = MESSAGES_PER_SECOND,
    ) -> None:
        self.application = application
        self.runtime = runtime
        self.sender = Sender(
            application.bot, runtime.deliveries, messages_per_second=messages_per_second
        )
        self._lanes = Lanes(handlers, "handle")
        self._handled: set[int] = set()
        self._tasks: list[asyncio.Task[None]] = []
        application.bot_data[SERVICE] = self

    async def start(self) -> None:
        """Connect (getMe), then resume what was left: deliveries, and updates not yet handled."""
        await self.application.initialize()
        self.sender.poke(await self.runtime.deliveries.resume())
        async with self.runtime.uow_factory() as uow:
            waiting = await uow.inbox.waiting()
        for update_id, lane in waiting:
            self._submit(lane, update_id, None)
        await self.application.start()
        job_queue = self.application.job_queue
        if job_queue is None:
            raise RuntimeError("python-telegram-bot's job-queue extra is needed for reminders")
        self.reminders = ReminderJobs(
            job_queue, self.runtime.reminders, self.runtime.clock, self.sender.poke
        )
        await self.reminders.start()
        await self._aftercare()  # retention and the team's counters: now, then now and then
        self._tasks.append(asyncio.create_task(self._maintain(), name="maintain"))

    async def poll(self, stop: asyncio.Event) -> None:
        """Long polling until ``stop`` is set."""
        # getUpdates is refused while a webhook is set; pending updates are kept.
        await self.application.bot.delete_webhook(drop_pending_updates=False)
        await Intake(self.application.bot, self.receive, lambda: self._lanes.backlog).run(stop)

    async def webhook(self, stop: asyncio.Event, hook: Webhook) -> None:
        """Webhook mode until ``stop`` is set: Telegram POSTs updates, each stored before it
        is answered. The webhook stays set when the bot stops, so Telegram keeps what comes
        meanwhile and sends it when the bot is back."""
        server = WebhookServer(
            self.receive,
            lambda: self._lanes.backlog,
            url=hook.url,
            secret=hook.secret,
            listen=hook.listen,
            port=hook.port,
        )
        server.start()
        try:
            await self.application.bot.set_webhook(
                hook.url,
                secret_token=hook.secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
            await stop.wait()
        finally:
            await server.stop()

    async def receive(self, updates: Sequence[dict[str, Any]]) -> None:
        """Store raw updates (committed before anyone is told they arrived), then handle them."""
        fresh: list[tuple[str, dict[str, Any]]] = []
        async with self.runtime.uow_factory() as uow:
            now = self.runtime.clock.now()
            for update in updates:
                lane = lane_of(update)
                body = json.dumps(update, ensure_ascii=False)
                if await uow.inbox.add(update["update_id"], lane, body, now):
                    fresh.append((lane, update))
            await uow.commit()
        for lane, update in fresh:
            self._submit(lane, update["update_id"], update)

    def handled(self, update_id: int) -> None:
        """A handler took the update (the engine settled it in the inbox)."""
        self._handled.add(update_id)

    async def idle(self) -> None:
        """Wait until every received update is handled and nothing is being sent."""
        while True:
            await self._lanes.idle()
            await self.sender.idle()
            if self._lanes.backlog == 0:
                return

    async def stop(self) -> None:
        """Finish what is under way (briefly); whatever is left is resumed at the next start."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._lanes.stop(grace=10)
        await self.sender.stop(grace=5)
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def _submit(self, lane: str, update_id: int, raw: dict[str, Any] | None) -> None:
        async def job() -> None:
            await self._handle(update_id, raw)

        self._lanes.submit(lane, job)

    async def _handle(self, update_id: int, raw: dict[str, Any] | None) -> None:
        if raw is None:
            async with self.runtime.uow_factory() as uow:
                body = await uow.inbox.body(update_id)
            if body is None:
                return  # handled meanwhile
            raw = json.loads(body)
        try:
            update = Update.de_json(raw, self.application.bot)
        except Exception as error:  # any malformed update: reported by its type only
            # Never the update itself: it holds the person's message.
            logger.error("update %d could not be read (%s)", update_id, type(error).__name__)
            await self._settle(update_id, "failed")
            return
        await self.application.process_update(update)
        if update_id in self._handled:
            self._handled.discard(update_id)
        else:
            await self._settle(update_id, "ignored")  # nothing here for Møteklar

    async def _settle(self, update_id: int, status: str) -> None:
        async with self.runtime.uow_factory() as uow:
            await uow.inbox.claim(update_id, self.runtime.clock.now(), status)
            await uow.commit()

    async def _maintain(self) -> None:
        """Start deliveries nobody started (a safety net), prune, and purge, now and then."""
        since = 0.0
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            try:
                self.sender.poke(await self.runtime.deliveries.pending())
                since += SWEEP_EVERY
                if since >= HOUSEKEEPING_EVERY:
                    since = 0.0
                    await self.runtime.deliveries.housekeeping()
                    await self._aftercare()
            except Exception:
                logger.exception("housekeeping failed; trying again later")

    async def _aftercare(self) -> None:
        """Count meetings that have ended, and delete what is past retention (withdrawing its
        copies through the sender)."""
        try:
            swept = await self.runtime.aftercare.run()
        except Exception:
            logger.exception("retention failed; trying again later")
            return
        self.sender.poke(swept.addresses)
