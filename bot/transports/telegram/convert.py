"""Telegram Update → Inbound. Nothing else here knows what an Update is."""

from __future__ import annotations

from telegram import Message, Update

from bot.core.messages import Inbound, Kind

PREFIX = "telegram:"


def address_of(user_id: int) -> str:
    return f"{PREFIX}{user_id}"


def chat_of(address: str) -> int:
    return int(address.removeprefix(PREFIX))


def to_inbound(update: Update) -> Inbound | None:
    """The Inbound an update stands for, or None for updates Møteklar does not handle."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    address = address_of(user.id)
    query = update.callback_query
    if query is not None:
        pressed = query.message.message_id if query.message is not None else None
        return Inbound(
            address,
            Kind.BUTTON,
            data=query.data or "",
            update_id=update.update_id,
            message_id=pressed,
        )
    message = update.message
    if message is None:
        return None
    return _from_message(address, message, update.update_id)


def _from_message(address: str, message: Message, update_id: int) -> Inbound:
    text = message.text
    if text is None:
        return Inbound(address, Kind.UNSUPPORTED, update_id=update_id)
    if text.startswith("/") and len(text) > 1:
        head, _, rest = text[1:].partition(" ")
        command = head.split("@", 1)[0].lower()
        if command == "start":
            return Inbound(address, Kind.START, text=rest.strip(), update_id=update_id)
        return Inbound(
            address, Kind.COMMAND, text=rest.strip(), command=command, update_id=update_id
        )
    return Inbound(address, Kind.TEXT, text=text, update_id=update_id)
