"""Telegram Update → Inbound. Nothing else here knows what an Update is."""

from __future__ import annotations

from telegram import ChatMemberUpdated, Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.core.messages import Inbound, Kind

PREFIX = "telegram:"
# The bot is in a chat (a group it was added to, or a private chat it may write to again).
_IN = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.RESTRICTED}


def address_of(user_id: int) -> str:
    return f"{PREFIX}{user_id}"


def chat_of(address: str) -> int:
    return int(address.removeprefix(PREFIX))


def to_inbound(update: Update) -> Inbound | None:
    """The Inbound an update stands for, or None for updates Møteklar does not handle."""
    if update.my_chat_member is not None:
        return _membership(update.my_chat_member, update.update_id)
    chat = update.effective_chat
    if update.channel_post is not None or update.edited_channel_post is not None:
        if chat is None:
            return None
        return Inbound(address_of(chat.id), Kind.GROUP, update_id=update.update_id, channel=True)
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
    if chat is not None and chat.type != ChatType.PRIVATE:
        if update.message is None:
            return None  # an edit in a group: it was told once already, and left
        return Inbound(
            address_of(chat.id),
            Kind.GROUP,
            update_id=update.update_id,
            language=user.language_code or "",
        )
    if update.edited_message is not None:
        edited = update.edited_message
        return Inbound(
            address, Kind.EDITED, update_id=update.update_id, message_id=edited.message_id
        )
    message = update.message
    if message is None:
        return None
    return _from_message(address, message, update.update_id)


def _membership(change: ChatMemberUpdated, update_id: int) -> Inbound | None:
    """The bot's own membership changed: added to a group or a channel, or a person blocked
    (or unblocked) it in their private chat."""
    chat, status = change.chat, change.new_chat_member.status
    if chat.type == ChatType.PRIVATE:
        kind = Kind.BLOCKED if status == ChatMemberStatus.BANNED else Kind.UNBLOCKED
        return Inbound(address_of(chat.id), kind, update_id=update_id)
    if status not in _IN:
        return None  # removed from a group or a channel: nothing to do
    return Inbound(
        address_of(chat.id),
        Kind.GROUP,
        update_id=update_id,
        language=change.from_user.language_code or "",
        channel=chat.type == ChatType.CHANNEL,
    )


def _from_message(address: str, message: Message, update_id: int) -> Inbound | None:
    text = message.text
    if text is None:
        if _service(message):
            return None  # the person pinned a message, or the like: nothing was said
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


def _service(message: Message) -> bool:
    """A service message in a private chat: no words, no file, nothing to answer."""
    return (
        message.pinned_message is not None
        or message.message_auto_delete_timer_changed is not None
        or message.write_access_allowed is not None
    )
