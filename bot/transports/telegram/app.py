"""Building and running the python-telegram-bot Application."""

from __future__ import annotations

import logging

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

from bot.core.commands import commands_for
from bot.core.invitations import BOT_USERNAME
from bot.domain.people import DEFAULT_LOCALE, Locale
from bot.transports import Runtime, RuntimeFactory
from bot.transports.telegram.delivery import bot_commands
from bot.transports.telegram.handlers import RUNTIME, AnyApplication, register

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


def build_application(
    token: str,
    api_url: str,
    open_runtime: RuntimeFactory,
    *,
    request: BaseRequest | None = None,
) -> AnyApplication:
    """The bot, wired; ``request`` replaces PTB's HTTP client (tests record calls with it)."""

    async def post_init(application: AnyApplication) -> None:
        runtime = await open_runtime()
        application.bot_data[RUNTIME] = runtime
        await _remember_username(runtime, application.bot.username)
        await _set_default_menu(application, runtime)

    async def post_shutdown(application: AnyApplication) -> None:
        runtime = application.bot_data.pop(RUNTIME, None)
        if isinstance(runtime, Runtime):
            await runtime.close()

    builder = (
        Application.builder()
        .token(token)
        .base_url(api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    register(application)
    return application


def run_polling(application: AnyApplication) -> None:
    # Updates sent while the bot was down are people waiting for an answer: never drop them.
    application.run_polling(drop_pending_updates=False, allowed_updates=ALLOWED_UPDATES)


async def _remember_username(runtime: Runtime, username: str) -> None:
    async with runtime.uow_factory() as uow:
        await uow.meta.set(BOT_USERNAME, username)
        await uow.commit()
    logger.info("running as @%s", username)


async def _set_default_menu(application: AnyApplication, runtime: Runtime) -> None:
    """The command menu for people who are not yet registered, per language."""
    for locale in Locale:
        commands = bot_commands(runtime.renderer, locale, commands_for(None))
        language = None if locale is DEFAULT_LOCALE else locale.value
        try:
            await application.bot.set_my_commands(commands, language_code=language)
        except TelegramError as error:
            logger.warning(
                "could not set the command menu (%s): %s", language, type(error).__name__
            )
