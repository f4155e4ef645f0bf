"""A bare python-telegram-bot echo bot: the floor PTB itself costs, for the benchmark.

The same PTB, HTTP stack, parse mode and rate limiter settings as Møteklar, and PTB's own
getUpdates long polling; it answers every text with the text, and every button press with an
answer to the press and a message, each with one button to press next. Nothing else: no
storage, no templates. Run by ``python -m bench``, with the same environment as ``moteklar run``.
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="echo:ok")]])


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_text(message.text, reply_markup=KEYBOARD)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, "OK", reply_markup=KEYBOARD)


def main() -> None:
    per_second = int(os.environ.get("MOTEKLAR_MESSAGES_PER_SECOND", "30"))
    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["MOTEKLAR_TELEGRAM_API_URL"])
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(16)  # as Møteklar handles up to 16 people at once
    )
    if per_second:
        builder = builder.rate_limiter(  # type: ignore[assignment]
            AIORateLimiter(overall_max_rate=per_second, max_retries=0)
        )
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_press))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
