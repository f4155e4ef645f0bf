"""Sending rendered replies: to the right chat, split when long, buttons on the last part,
calendar files as documents, command menus per person. Telegram errors are caught by type."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.commands import Command
from bot.core.messages import Menu, Reply
from bot.domain.people import Locale
from bot.rendering.renderer import Rendered, Renderer, split_message
from bot.transports.telegram.convert import PREFIX, chat_of

logger = logging.getLogger(__name__)

CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption


def keyboard(rendered: Rendered) -> InlineKeyboardMarkup | None:
    if not rendered.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in rendered.buttons
        ]
    )


async def deliver(bot: Bot, renderer: Renderer, chat_id: int, replies: Sequence[Reply]) -> None:
    """Send every reply in order: to ``chat_id``, or to the person a reply names.

    Someone who blocked the bot is logged and skipped; the others still get theirs.
    """
    blocked: set[int] = set()
    for reply in replies:
        target = _chat(reply, chat_id)
        if target is None or target in blocked:
            continue
        try:
            await _send(bot, renderer, target, reply)
        except Forbidden:
            blocked.add(target)
            logger.warning("a person has blocked the bot; reply %s not delivered", reply.template)
        except BadRequest:
            # A template that Telegram refuses is our bug: log it with the traceback, go on.
            logger.exception("Telegram refused template %s", reply.template)


def bot_commands(
    renderer: Renderer, locale: Locale, commands: Sequence[Command]
) -> list[BotCommand]:
    """A command menu in one language."""
    return [BotCommand(c.name, renderer.text(locale, c.description)) for c in commands]


async def set_menus(bot: Bot, renderer: Renderer, menus: Sequence[Menu]) -> None:
    """Each person's own command menu (chat scope), in their language."""
    for menu in menus:
        if not menu.address.startswith(PREFIX):
            continue
        commands = bot_commands(renderer, menu.locale, menu.commands)
        try:
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_of(menu.address)))
        except TelegramError as error:
            logger.warning("could not set a person's command menu: %s", type(error).__name__)


async def _send(bot: Bot, renderer: Renderer, chat_id: int, reply: Reply) -> None:
    rendered = renderer.render(reply)
    if reply.attachment is not None:
        name, data = renderer.calendar_file(reply.locale, reply.attachment, datetime.now(UTC))
        caption = rendered.html if len(rendered.html) <= CAPTION_LIMIT else None
        if caption is None:
            await bot.send_message(chat_id, rendered.html)
        await bot.send_document(
            chat_id,
            document=data,
            filename=name,
            caption=caption,
            reply_markup=keyboard(rendered),
        )
        return
    parts = split_message(rendered.html)
    for index, part in enumerate(parts):
        markup = keyboard(rendered) if index == len(parts) - 1 else None
        await bot.send_message(chat_id, part, reply_markup=markup)


def _chat(reply: Reply, default: int) -> int | None:
    if reply.address is None:
        return default
    if not reply.address.startswith(PREFIX):
        logger.warning("a reply for another transport was dropped")
        return None
    return chat_of(reply.address)
