"""Webhook mode through `moteklar run --webhook-url URL --port N` and the fake Bot API, which
POSTs each update as Telegram does (again and again until it is answered 2xx).

An update is answered 200 only after it is stored, so a crash loses none; one sent twice is
handled once; a request without Telegram's secret is refused and never stored.
"""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

from tests.e2e.conftest import BotProcess
from tests.e2e.test_circle_and_meetings import Person
from tests.fakebotapi import FakeBotApi

KARI, OLA = 6001, 6002
SECRET = "s3cret-webhook_token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stored(bot: BotProcess) -> int:
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return int(db.execute("SELECT count(*) FROM inbox").fetchone()[0])


def test_webhook_mode_checks_the_secret_and_loses_nothing_across_a_crash(
    api: FakeBotApi, bot: BotProcess
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    bot.env["MOTEKLAR_WEBHOOK_SECRET"] = SECRET
    bot.start("--webhook-url", url, "--port", str(port))
    hook = api.calls_to("setWebhook")[-1].params
    assert hook["url"] == url and hook["secret_token"] == SECRET
    assert "my_chat_member" in hook["allowed_updates"]
    assert not api.calls_to("getUpdates")  # no polling in webhook mode

    kari = Person(api, KARI)
    kari.join(bot.invite("--name", "Kari Nordmann").rsplit("start=", 1)[1])
    kari.press(kari.expect("Hvor er du ansatt?"), "Nav")
    kari.expect("Velkommen, Kari Nordmann!")

    # Without the secret, or with a wrong one: refused, never stored.
    before = stored(bot)
    forged = {
        "update_id": 77_000_001,
        "message": {
            "message_id": 1,
            "date": 0,
            "text": "/hjelp",
            "chat": {"id": KARI, "type": "private"},
            "from": {"id": KARI, "is_bot": False, "first_name": "K"},
        },
    }
    assert api.post_update(forged, url, None) == 403
    assert api.post_update(forged, url, "wrong") == 403
    assert api.post_update({"no": "update"}, url, SECRET) == 400
    assert stored(bot) == before
    assert "s3cret" not in bot.log

    # The same update twice (Telegram did not hear our first 200): handled once.
    kari.seen = len(api.messages_to(KARI))
    assert api.post_update(forged, url, SECRET) == 200
    assert api.post_update(forged, url, SECRET) == 200
    kari.expect("116 123")
    time.sleep(0.5)
    assert sum("116 123" in m.text for m in api.messages_to(KARI)[kari.seen :]) == 1

    # Down for a while: Telegram keeps trying; nothing sent meanwhile is lost.
    bot.kill()
    ola = Person(api, OLA)
    kari.send("/ny_jobbsoeker")
    deadline = time.monotonic() + 5
    while not any(status == 0 for _, status in api.webhook_posts[-3:]):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    bot.start("--webhook-url", url, "--port", str(port))
    kari.expect("Hva heter jobbsøkeren?")
    kari.send("Ola Hansen")
    ola.join(kari.token_in("Her er en personlig lenke"))
    ola.press(ola.expect("Vil du bruke Møteklar?"), "Ja, jeg vil bruke Møteklar")
    ola.expect("Velkommen, Ola Hansen!")
    assert bot.stop() == 0
    assert api.pending_update_count == 0
