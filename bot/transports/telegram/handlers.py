"""Thin handlers: Update → Inbound → engine → rendered replies. No logic of their own."""

from __future__ import annotations

import html
import logging
from typing import Any, TypeAlias

from telegram import Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.core.messages import Outcome, Reply
from bot.rendering.renderer import MESSAGE_LIMIT
from bot.transports import Runtime
from bot.transports.telegram.convert import to_inbound
from bot.transports.telegram.delivery import deliver, keyboard, set_menus

logger = logging.getLogger(__name__)

RUNTIME = "runtime"
AnyApplication: TypeAlias = "Application[Any, Any, Any, Any, Any, Any]"


def runtime_of(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    runtime = context.bot_data.get(RUNTIME)
    if not isinstance(runtime, Runtime):
        raise RuntimeError("the runtime is opened in post_init; no update can come before it")
    return runtime


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE, on_message))
    application.add_error_handler(on_error)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inbound = to_inbound(update)
    chat = update.effective_chat
    if inbound is None or chat is None:
        return
    runtime = runtime_of(context)
    outcome = await runtime.engine.handle(inbound)
    await deliver(context.bot, runtime.renderer, chat.id, outcome.replies)
    await set_menus(context.bot, runtime.renderer, outcome.menus)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    inbound = to_inbound(update)
    if query is None or inbound is None:
        return
    runtime = runtime_of(context)
    outcome = await runtime.engine.handle(inbound)
    notice = runtime.renderer.text(outcome.locale, outcome.notice) if outcome.notice else None
    try:
        await query.answer(notice)
    except BadRequest:
        logger.info("a button answer came too late for Telegram")  # the press is still handled
    message = query.message if isinstance(query.message, Message) else None
    replies = outcome.replies
    if (
        message is not None
        and replies
        and replies[0].replace
        and await _replace(message, runtime, replies[0])
    ):
        replies = replies[1:]
    elif message is not None:
        await _close_buttons(message, query.data or "", outcome)
    if replies and query.from_user is not None:
        await deliver(context.bot, runtime.renderer, query.from_user.id, replies)
    await set_menus(context.bot, runtime.renderer, outcome.menus)


async def _close_buttons(message: Message, data: str, outcome: Outcome) -> None:
    """Take the buttons off the pressed message; when the press counted, show what was chosen."""
    try:
        if outcome.accepted and (label := _label_of(message, data)) and message.text is not None:
            await message.edit_text(f"{message.text_html}\n\n✓ {html.escape(label)}")
        elif message.reply_markup is not None:
            await message.edit_reply_markup(None)
    except BadRequest:
        logger.info("could not close the buttons of an old message")


async def _replace(message: Message, runtime: Runtime, reply: Reply) -> bool:
    """Show ``reply`` in place of the pressed message; False if it cannot be (then it is sent)."""
    rendered = runtime.renderer.render(reply)
    if reply.address is not None or len(rendered.html) > MESSAGE_LIMIT:
        return False
    try:
        await message.edit_text(rendered.html, reply_markup=keyboard(rendered))
    except BadRequest:
        logger.info("could not update a message in place; sending it anew")
        return False
    return True


def _label_of(message: Message, data: str) -> str | None:
    if message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One place that logs failures, with the traceback and never the message text."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TelegramError):
        logger.error("Telegram error while handling update %s", update_id, exc_info=context.error)
    else:
        logger.error("failed to handle update %s", update_id, exc_info=context.error)
