"""Long polling that loses nothing: every update is stored before Telegram is told it arrived.

PTB's own polling acknowledges updates as soon as it fetches them, keeps them in memory and drops
what is queued at shutdown. Here each batch from ``getUpdates`` is stored (encrypted) in the
inbox and committed first; only the next ``getUpdates`` confirms it. Fetching pauses while too
many stored updates wait to be handled, so memory stays flat under load.

Updates are fetched as raw JSON: one that python-telegram-bot cannot parse would otherwise make
``get_updates`` itself raise (and log the update, message text included) for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBUserWarning

from bot.transports.telegram.convert import address_of
from bot.transports.telegram.errors import retry_seconds

logger = logging.getLogger(__name__)

# PTB wants get_updates() called instead of do_api_request("getUpdates"); we need the raw JSON.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)

# Edits are asked for so that a person who corrects an answer by editing it is told the edit is
# not read; my_chat_member tells when the bot is added to a group (it leaves) or blocked and
# unblocked in a private chat.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates open when there is nothing new
BATCH = 100  # Telegram's maximum per getUpdates

Receive = Callable[[Sequence[dict[str, Any]]], Awaitable[None]]


def lane_of(update: dict[str, Any]) -> str:
    """Whose update this is, from the raw JSON: the person who sent it, else the update itself."""
    for value in update.values():
        if isinstance(value, dict):
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return address_of(sender["id"])
    return f"update:{update.get('update_id')}"


class Intake:
    def __init__(
        self, bot: Bot, receive: Receive, backlog: Callable[[], int], *, ahead: int = 500
    ) -> None:
        self._bot = bot
        self._receive = receive
        self._backlog = backlog
        self._ahead = ahead
        self._offset = 0  # 0: whatever Telegram has not had confirmed yet

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set. A failure waits and polls again; a bad token ends it."""
        delay = 1.0
        while not stop.is_set():
            if self._backlog() >= self._ahead:
                await asyncio.sleep(0.05)  # handling catches up before more is fetched
                continue
            try:
                updates = await self._fetch_unless(stop)
                if updates is None:
                    return  # stopping: whatever that poll would have brought is not confirmed
            except RetryAfter as error:
                await _sleep(stop, retry_seconds(error))
                continue
            except Conflict:
                logger.error("another process is polling with this bot token")
                await _sleep(stop, 5)
                continue
            except InvalidToken:
                logger.error("Telegram does not accept the bot token; polling stops")
                raise
            except (TimedOut, NetworkError) as error:
                logger.warning("getUpdates failed (%s); trying again", type(error).__name__)
                await _sleep(stop, delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            valid = [u for u in updates if isinstance(u.get("update_id"), int)]
            if len(valid) != len(updates):
                logger.error("getUpdates gave %d entries without an id", len(updates) - len(valid))
            if valid:
                await self._receive(valid)  # stored and committed before the next fetch confirms
                self._offset = max(u["update_id"] for u in valid) + 1
            else:
                # All received so far is confirmed. Ask for "the earliest unconfirmed" again:
                # after a week without updates Telegram may pick a random, even lower, next id,
                # which an offset above it would confirm unseen.
                self._offset = 0

    async def _fetch_unless(self, stop: asyncio.Event) -> list[dict[str, Any]] | None:
        """One long poll, cut short when the bot stops (None then)."""
        fetch = asyncio.ensure_future(self._fetch())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)
            return None
        return fetch.result()

    async def _fetch(self) -> list[dict[str, Any]]:
        result = await self._bot.do_api_request(
            "getUpdates",
            api_kwargs={
                "offset": self._offset,
                "limit": BATCH,
                "timeout": POLL_TIMEOUT,
                "allowed_updates": ALLOWED_UPDATES,
            },
            read_timeout=POLL_TIMEOUT + 5,
        )
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake at once when the bot is stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
