"""Building and running the python-telegram-bot Application, with our own intake and sender."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

from bot.core.commands import Command, commands_for
from bot.core.invitations import BOT_USERNAME
from bot.domain.people import DEFAULT_LOCALE, Locale
from bot.rendering.renderer import Renderer
from bot.transports import Runtime, RuntimeFactory
from bot.transports.telegram.handlers import register
from bot.transports.telegram.sender import MESSAGES_PER_SECOND
from bot.transports.telegram.service import AnyApplication, TelegramService, Webhook

logger = logging.getLogger(__name__)


def build_application(
    token: str,
    api_url: str,
    *,
    request: BaseRequest | None = None,
    messages_per_second: int = MESSAGES_PER_SECOND,
) -> AnyApplication:
    """The bot, wired; ``request`` replaces PTB's HTTP client (tests record calls with it).

    No Updater: PTB's polling acknowledges updates before they are handled (see intake.py).
    The rate limiter only paces (30 messages a second); it never retries, because it would
    pause every chat after one chat's 429. The sender waits per chat instead. With
    ``messages_per_second`` 0 nothing is paced (a benchmark's "limiter off", never Telegram).
    """
    # Any: PTB's builder changes its type with its rate limiter, which is chosen at run time.
    builder: Any = (
        Application.builder()
        .token(token)
        .base_url(api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .updater(None)
    )
    if messages_per_second:
        builder = builder.rate_limiter(
            AIORateLimiter(overall_max_rate=messages_per_second, max_retries=0)
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: AnyApplication = builder.build()
    register(application)
    return application


async def start_service(
    application: AnyApplication, runtime: Runtime, *, messages_per_second: int = MESSAGES_PER_SECOND
) -> TelegramService:
    """Start the bot: connect, remember its username, set the default menus, resume work."""
    service = TelegramService(application, runtime, messages_per_second=messages_per_second)
    await service.start()
    await _remember_username(runtime, application.bot.username)
    await _set_default_menu(application, runtime.renderer)
    return service


def run(
    token: str,
    api_url: str,
    open_runtime: RuntimeFactory,
    webhook: Webhook | None = None,
    *,
    messages_per_second: int = MESSAGES_PER_SECOND,
) -> None:
    """Long polling (or, with ``webhook``, webhook mode) until SIGTERM or SIGINT; then a clean
    stop (what is left is resumed later)."""
    application = build_application(token, api_url, messages_per_second=messages_per_second)
    asyncio.run(_serve(application, open_runtime, webhook, messages_per_second))


async def _serve(
    application: AnyApplication,
    open_runtime: RuntimeFactory,
    webhook: Webhook | None,
    messages_per_second: int,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runtime = await open_runtime()
    try:
        service = await start_service(application, runtime, messages_per_second=messages_per_second)
        # Start-up leaves some 86,000 objects that live as long as the process (modules,
        # catalogs, the application). Frozen, a full collection no longer walks them: that took
        # 20-40 ms here, a pause in everyone's replies whenever one fell due.
        gc.collect()
        gc.freeze()
        try:
            if webhook is None:
                await service.poll(stop)
            else:
                await service.webhook(stop, webhook)
        finally:
            await service.stop()
    finally:
        await runtime.close()


def bot_commands(
    renderer: Renderer, locale: Locale, commands: Sequence[Command]
) -> list[BotCommand]:
    """A command menu in one language."""
    return [BotCommand(c.name, renderer.text(locale, c.description)) for c in commands]


async def _remember_username(runtime: Runtime, username: str) -> None:
    async with runtime.uow_factory() as uow:
        await uow.meta.set(BOT_USERNAME, username)
        await uow.commit()
    logger.info("running as @%s", username)


async def _set_default_menu(application: AnyApplication, renderer: Renderer) -> None:
    """The command menu for people who are not yet registered, per language."""
    for locale in Locale:
        commands = bot_commands(renderer, locale, commands_for(None))
        language = None if locale is DEFAULT_LOCALE else locale.value
        try:
            await application.bot.set_my_commands(commands, language_code=language)
        except TelegramError as error:
            logger.warning(
                "could not set the command menu (%s): %s", language, type(error).__name__
            )
