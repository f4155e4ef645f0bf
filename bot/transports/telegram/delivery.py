"""Sending rendered replies: split when long, buttons on the last part, errors by type."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.core.messages import Reply
from bot.rendering.renderer import Rendered, Renderer, split_message

logger = logging.getLogger(__name__)


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
    """Send every reply in order; a person who blocked the bot is logged, not retried."""
    for reply in replies:
        rendered = renderer.render(reply)
        parts = split_message(rendered.html)
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                await bot.send_message(
                    chat_id, part, reply_markup=keyboard(rendered) if last else None
                )
        except Forbidden:
            logger.warning("a person has blocked the bot; reply %s not delivered", reply.template)
            return
        except BadRequest:
            # A template that Telegram refuses is our bug: log it with the traceback, go on.
            logger.exception("Telegram refused template %s", reply.template)
