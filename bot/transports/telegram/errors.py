"""Reading python-telegram-bot's errors by type: what they say about a request's fate."""

from __future__ import annotations

import warnings
from datetime import timedelta

import httpx
from telegram.error import RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

# httpx errors that mean the request never reached Telegram.
_NEVER_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def never_arrived(error: TelegramError) -> bool:
    """Whether a failed request surely did not take effect, so trying again cannot double it.

    PTB raises NetworkError (or TimedOut) with the httpx error as its cause when the connection
    failed, and NetworkError without a cause when the server answered with an error (5xx): in
    both cases the message was not sent. A read timeout or a dropped connection after the
    request left says nothing about whether Telegram acted on it.
    """
    cause = error.__cause__
    if cause is None:
        return not isinstance(error, TimedOut)
    return isinstance(cause, _NEVER_LEFT)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asks us to wait."""
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after becomes a timedelta; both forms are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
