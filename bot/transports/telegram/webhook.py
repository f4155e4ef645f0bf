"""Webhook mode: Telegram POSTs each update to us; it is stored before Telegram hears "200".

The same rule as long polling (intake.py): an update is confirmed to Telegram only after it is
committed in the inbox. Telegram sends an update again until it gets a 2xx answer, so a crash
before the commit loses nothing, and an update sent twice is recognised by its stored id and
handled once. Every request must carry Telegram's ``X-Telegram-Bot-Api-Secret-Token`` with the
secret given to ``setWebhook`` (compared in constant time); anything else gets 403 and is never
stored or read. Meant to listen on 127.0.0.1 behind a TLS reverse proxy (see the README).

PTB's own webhook server answers Telegram before the update is stored (it only queues it in
memory), so this small tornado handler is used instead.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000  # bytes; an update is a few kilobytes
Receive = Callable[[Sequence[dict[str, Any]]], Awaitable[None]]


def webhook_path(url: str) -> str:
    """The path Telegram will POST to, from the public URL (the proxy passes it on as is)."""
    return urlsplit(url).path or "/"


class _UpdateHandler(RequestHandler):
    """One POST = one update: checked, stored and committed, then 200."""

    def initialize(self, receive: Receive, secret: str, backlog: Callable[[], int]) -> None:
        self._receive = receive
        self._secret = secret.encode()
        self._backlog = backlog

    def check_xsrf_cookie(self) -> None:
        """Not a browser form: the secret header is the check."""

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            logger.warning("a webhook request without the right secret was refused")
            self.set_status(403)
            return
        try:
            update = json.loads(self.request.body)
        except (ValueError, UnicodeDecodeError):
            update = None
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            logger.error("a webhook request was not an update")  # never its body
            self.set_status(400)
            return
        # Handling catches up first; Telegram waits (and sends again if it gives up). The
        # backlog is a count in the lanes, not an event to wait on.
        while self._backlog() >= BACKLOG_LIMIT:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await self._receive([update])  # committed before Telegram hears 200
        self.set_status(200)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # No traceback or request in the answer; Telegram sends the update again later.
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        logger.error("could not store an update from the webhook", exc_info=(typ, value, tb))


BACKLOG_LIMIT = 500  # stored updates waiting to be handled, as for polling


class WebhookServer:
    def __init__(
        self,
        receive: Receive,
        backlog: Callable[[], int],
        *,
        url: str,
        secret: str,
        listen: str,
        port: int,
    ) -> None:
        application = Application(
            [
                (
                    webhook_path(url),
                    _UpdateHandler,
                    {"receive": receive, "secret": secret, "backlog": backlog},
                )
            ],
            log_function=lambda handler: None,  # no access log: paths and addresses only noise
        )
        self._server = HTTPServer(application, max_body_size=MAX_BODY, xheaders=True)
        self._listen = listen
        self._port = port

    def start(self) -> None:
        self._server.listen(self._port, address=self._listen)
        logger.info("listening for Telegram's webhook on %s:%d", self._listen, self._port)

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
