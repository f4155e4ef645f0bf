"""Thin handlers: Update → Inbound → engine (which commits the change and its messages) → the
sender starts delivering. The only calls made here are the ones tied to the pressed button:
answering it, and marking the choice on its message (both while the reply goes out)."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes, TypeHandler

from bot.core.messages import Outcome
from bot.transports.telegram.convert import address_of, to_inbound
from bot.transports.telegram.service import SERVICE, AnyApplication, TelegramService

logger = logging.getLogger(__name__)


def service_of(context: ContextTypes.DEFAULT_TYPE) -> TelegramService:
    service = context.bot_data.get(SERVICE)
    if not isinstance(service, TelegramService):
        raise RuntimeError("the service is made before the application handles any update")
    return service


def register(application: AnyApplication) -> None:
    application.add_handler(CallbackQueryHandler(on_button))
    # Everything else (messages, edits, groups, the bot's own membership): ``to_inbound``
    # decides what it means, and ignores what Møteklar does not handle.
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inbound = to_inbound(update)
    if inbound is None:
        return
    service = service_of(context)
    outcome = await service.runtime.engine.handle(inbound)
    service.handled(update.update_id)
    service.sender.poke(outcome.addresses)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    inbound = to_inbound(update)
    if query is None or inbound is None:
        return
    service = service_of(context)
    outcome = await service.runtime.engine.handle(inbound)
    service.handled(update.update_id)
    if outcome.redelivered:
        return
    # The reply goes out while the press is answered and its message marked: three requests
    # side by side, not one after another. A mark landing just after the next question is
    # harmless (an edit does not move a message); a reply shown in place of the pressed
    # message (``outcome.edited``) is never marked.
    service.sender.poke(outcome.addresses)
    renderer = service.runtime.renderer
    notice = renderer.text(outcome.locale, outcome.notice) if outcome.notice else None
    message = query.message if isinstance(query.message, Message) else None
    # A press that does not end a choice (a calendar file) leaves the others in place. A
    # double tap (``repeated``) closes nothing: the message may already show the next question
    # (an answer in place), whose buttons must stay.
    closes = (outcome.ends_choice or not outcome.accepted) and not outcome.repeated
    if message is not None and not outcome.edited and closes:
        await asyncio.gather(_answer(query, notice), _close_buttons(message, query.data, outcome))
    else:
        await _answer(query, notice)


async def _answer(query: CallbackQuery, notice: str | None) -> None:
    """Stop the spinner (with a short notice). Best effort: any failure, of any kind, is
    logged by its type and the press stays handled."""
    try:
        await query.answer(notice)
    except TelegramError as error:
        # Too late (Telegram waits ~15 s), rate-limited, or the network: the press is handled.
        logger.info("a button press could not be answered (%s)", type(error).__name__)


async def _close_buttons(message: Message, data: str | None, outcome: Outcome) -> None:
    """Take the buttons off the pressed message; when the press counted, show what was chosen.

    Best effort: if this is lost, the old buttons stay, and pressing one is refused kindly.
    """
    try:
        label = _label_of(message, data or "")
        if outcome.accepted and label and message.text is not None:
            await message.edit_text(f"{message.text_html}\n\n✓ {html.escape(label)}")
        elif message.reply_markup is not None:
            await message.edit_reply_markup(None)
    except TelegramError as error:
        logger.info("could not close the buttons of an old message (%s)", type(error).__name__)


def _label_of(message: Message, data: str) -> str | None:
    if message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One place for failures: logged with the traceback (never the message text), and the
    person gets a kind word and a fresh start, never silence or a spinning button."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("failed to handle update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    service = service_of(context)
    service.handled(update.update_id)
    address = address_of(update.effective_user.id)
    try:
        outcome = await service.runtime.engine.recover(address, update.update_id)
    except Exception:
        logger.exception("could not recover from the failure of update %s", update_id)
        return
    query = update.callback_query
    if query is not None and outcome.notice is not None:
        await _answer(query, service.runtime.renderer.text(outcome.locale, outcome.notice))
    service.sender.poke(outcome.addresses)
