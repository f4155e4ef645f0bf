"""What a message to a person is owed, and the rules for what becomes of it.

Every message a change causes is stored in the outbox with the change, then delivered in order,
per person. What a failed try means depends on what the message is:

- a reply to the person's own action is delivered **at least once**: if we cannot know whether
  it arrived, it is sent again (a repeated question is harmless);
- a notice to someone else (a share, a reminder, "Ola said yes") is delivered **at most once**:
  if the process died or the connection broke after the request left, it is marked ``unknown``
  and never resent blindly.

```mermaid
stateDiagram-v2
    [*] --> queued: stored with the change
    queued --> sending: at most once, just before the request leaves
    queued --> sent: delivered (message ids stored)
    sending --> sent: delivered
    queued --> queued: 429 (waits retry_after), connection failed before sending, 5xx
    sending --> queued: connection failed before the request left, 5xx
    queued --> queued: answer lost (at least once: sent again)
    sending --> unknown: answer lost, or the process died while sending
    queued --> unreachable: 403, the person blocked the bot
    sending --> unreachable: 403
    queued --> failed: 400, Telegram refused it (our bug; never retried)
    sending --> failed: 400
    queued --> expired: not_after passed
    queued --> cancelled: withdrawn before it was sent
```
"""

from __future__ import annotations

from enum import Enum

# The ref of what is left of someone who deleted their data (``/slett``): the withdrawals of
# their copies, the word to their circle, the goodbye. Such a delivery is deleted as soon as it
# is settled and no withdrawal still needs its message ids.
FORGET = "forget"


class Guarantee(Enum):
    AT_LEAST_ONCE = "at_least_once"  # replies to the person's own action
    AT_MOST_ONCE = "at_most_once"  # shares, withdrawals, reminders, notices to others


class DeliveryStatus(Enum):
    QUEUED = "queued"
    SENDING = "sending"  # at most once: the request may have left
    SENT = "sent"
    FAILED = "failed"  # refused (400): a bug of ours, logged, never retried
    UNREACHABLE = "unreachable"  # the person blocked the bot (403)
    UNKNOWN = "unknown"  # at most once, and we cannot know whether it arrived
    EXPIRED = "expired"  # not sent: past its not_after
    CANCELLED = "cancelled"  # not sent: withdrawn before it went out

    @property
    def settled(self) -> bool:
        return self not in {DeliveryStatus.QUEUED, DeliveryStatus.SENDING}


class Op(Enum):
    SEND = "send"  # a new message (split in parts when long; buttons on the last)
    EDIT = "edit"  # shown in place of the message whose button was pressed
    MENU = "menu"  # the person's command menu
    # Take back what another delivery (target_id) sent: its messages are deleted while Telegram
    # allows it (47 hours after they were sent, by the stored time), else overwritten with this
    # delivery's text and their buttons removed; overwritten too if deleting fails.
    WITHDRAW = "withdraw"
    PIN = "pin"  # pin the message sent with the same ref (the agenda on the meeting day)
    UNPIN = "unpin"  # and take it down again
    LEAVE = "leave"  # leave a group or channel chat (Møteklar works in private chats only)


class Attempt(Enum):
    """How one try to deliver ended, as the transport saw it."""

    DELIVERED = "delivered"
    NOT_SENT = "not_sent"  # the request never left, or the server answered 5xx: safe to retry
    ANSWER_LOST = "answer_lost"  # the request left, no answer came: it may have arrived
    RATE_LIMITED = "rate_limited"  # 429: wait retry_after, then try again
    BLOCKED = "blocked"  # 403
    REFUSED = "refused"  # 400


def after(guarantee: Guarantee, attempt: Attempt) -> DeliveryStatus:
    """The status a delivery moves to after a try; QUEUED means: try again later."""
    if attempt is Attempt.DELIVERED:
        return DeliveryStatus.SENT
    if attempt is Attempt.BLOCKED:
        return DeliveryStatus.UNREACHABLE
    if attempt is Attempt.REFUSED:
        return DeliveryStatus.FAILED
    if attempt is Attempt.ANSWER_LOST and guarantee is Guarantee.AT_MOST_ONCE:
        return DeliveryStatus.UNKNOWN
    return DeliveryStatus.QUEUED


def after_restart(guarantee: Guarantee, status: DeliveryStatus) -> DeliveryStatus:
    """What an unsettled delivery is when the process starts again: whoever was sending died."""
    if status is DeliveryStatus.SENDING and guarantee is Guarantee.AT_MOST_ONCE:
        return DeliveryStatus.UNKNOWN
    if status is DeliveryStatus.SENDING:
        return DeliveryStatus.QUEUED
    return status
