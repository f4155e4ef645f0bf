"""The person's own data through `moteklar run` and the fake Bot API, as issue 11's "done when"
asks: a unique marker Ola types is never in the bytes of the database file or its WAL (free text
is encrypted at rest); /mine_data gives it back, in words and as a JSON file; after /slett no row
anywhere refers to Ola, his copies are deleted where Telegram still allows it (under 48 hours)
and overwritten where it does not, his group is told, and nothing of his is left on disk."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage.crypto import Cipher
from tests import personal_walk as walk
from tests.e2e.conftest import BotProcess
from tests.e2e.test_delivery import settled
from tests.e2e.test_sharing import Agenda, circle, prepare, share, visible_text, wait_until
from tests.fakebotapi import FakeBotApi, SentMessage

TWO_DAYS_AND_MORE = 49 * 3600


@contextlib.contextmanager
def database(path: Path) -> Iterator[sqlite3.Connection]:
    """A short read of the running bot's database (closed at once, so checkpoints can run)."""
    db = sqlite3.connect(path, timeout=10)
    try:
        yield db
    finally:
        db.close()


def test_a_marker_never_rests_on_disk_and_slett_leaves_nothing_of_ola(
    api: FakeBotApi, bot: BotProcess
) -> None:
    bot.start()
    kari, ola, per, nina = circle(api, bot, "nav", approve_nina=True)
    tag = f"PRIVX{ola.id}"
    agenda = Agenda(tag, True, True, ["money", "other"], ["behandler", "me"], True, False)
    prepare(ola, agenda)
    markers = agenda.all_markers

    # Nina's copy is sent first; two days later, Per's.
    share(ola, "Nina Lie", [])
    nina_copy = nina.expect("Fra Ola Hansen før samarbeidsmøtet")
    api.advance_clock(TWO_DAYS_AND_MORE)
    share(ola, "Per Berg", [])
    per.expect("Ola Hansen vil at du forklarer dette:")
    per_copies = [m for m in api.messages_to(per.id) if tag in m.text]
    assert per_copies

    path = bot.workdir / "moteklar.db"
    assert not [m for m in markers if m.encode() in walk.file_bytes(path)]  # encrypted at rest

    # /mine_data: in words, and every row as a JSON file.
    ola.send("/mine_data")
    summary = ola.expect("Dette har Møteklar lagret om deg")
    document = api.wait_for_message(ola.id, lambda m: m.document is not None, after=ola.seen)
    assert document.file_data is not None
    assert document.document is not None and document.document["file_name"].endswith(".json")
    exported = json.loads(document.file_data)
    said = visible_text(api, ola)[visible_text(api, ola).index(summary.text[:40]) :]
    assert all(m in said for m in markers), "the message says what he wrote"
    assert all(m in json.dumps(exported, ensure_ascii=False) for m in markers)
    tables = exported["tables"]
    assert tables["people"][0]["name"] == "Ola Hansen"
    assert {s["recipient_role"] for s in tables["shares"]} == {"behandler", "navveileder"}
    assert tables["preparations"] and tables["agenda_versions"] and tables["reminders"]

    cipher = Cipher([bot.env["MOTEKLAR_SECRET_KEY"]])
    address = f"telegram:{ola.id}"
    with database(path) as db:
        [(ola_id,)] = db.execute("SELECT id FROM people WHERE address = ?", (address,))
        traced = walk.gather(db, ola_id, address, {"Ola Hansen", *markers})
        secrets = walk.stored_ciphertexts(db, cipher, traced.words)
    assert secrets and traced.owned.get("shares")

    # /slett, after a clear question.
    ola.send("/slett")
    question = ola.expect("Vil du slette alt om deg?")
    assert "kan ikke angres" in question.text and "116 123" in question.text
    ola.press(question, "Ja, slett alt")
    ola.expect("Alt om deg er slettet fra Møteklar.")
    for person in (per, nina, kari):
        person.expect("Ola Hansen har sluttet å bruke Møteklar")

    # Per's copy (younger than 48 hours) is deleted, every part of it; Nina's is overwritten.
    wait_until(lambda: all(_now(api, per.id, m).deleted for m in per_copies))

    def nina_now() -> SentMessage:
        return _now(api, nina.id, nina_copy)

    wait_until(lambda: "har trukket tilbake det som var delt her" in nina_now().text)
    assert not nina_now().deleted and nina_now().reply_markup is None
    assert not [m for m in markers if m in visible_text(api, nina) + visible_text(api, per)]
    menu = api.wait_for_call(
        "setMyCommands",
        lambda c: (
            (c.params.get("scope") or {}).get("chat_id") == ola.id
            and "slett" in [x["command"] for x in c.params["commands"]]
            and "forbered" not in [x["command"] for x in c.params["commands"]]
        ),
    )
    assert menu.ok

    # Once the withdrawals and the goodbye are out, nothing anywhere refers to Ola.
    def nothing_left() -> bool:
        with database(path) as db:
            return not db.execute("SELECT 1 FROM outbox WHERE ref = 'forget'").fetchall()

    wait_until(nothing_left, timeout=20)
    with database(path) as db:
        assert walk.references(db, cipher, traced) == []
    # The purge follows the commit that deleted the last of it (a moment later).
    wait_until(lambda: address.encode() not in walk.file_bytes(path))
    on_disk = walk.file_bytes(path)
    assert [s for s in secrets if s.encode() in on_disk] == []
    assert bot.stop() == 0
    assert [s for s in secrets if s.encode() in walk.file_bytes(path)] == []


def _now(api: FakeBotApi, chat: int, message: SentMessage) -> SentMessage:
    return next(m for m in api.messages_to(chat) if m.message_id == message.message_id)


def test_a_conversation_left_longer_than_retention_forgets_what_was_typed(
    api: FakeBotApi, bot: BotProcess
) -> None:
    """Ola begins /snakke, writes a few words and leaves it. Once the conversation has been
    idle for MOTEKLAR_RETENTION_DAYS, retention deletes what he typed: his old "Send til Kari"
    sends nothing, and he is told kindly what happened and what he can do. The idle time is
    moved in the database (two days back, with retention at one day)."""
    bot.env.update(MOTEKLAR_RETENTION_DAYS="1")
    bot.start()
    kari, ola, _, _ = circle(api, bot, "nav", approve_nina=False)
    tag = f"IDLE{ola.id}"
    ola.send("/snakke")
    ola.expect("Vil du skrive kort hva det gjelder?")
    ola.send(f"Det gjelder {tag}")
    preview = ola.expect("Dette er nøyaktig det Kari Nordmann får")
    assert tag in preview.text
    bot.stop()

    db = Path(bot.env["MOTEKLAR_DB"])
    back = datetime.now(UTC) - timedelta(days=2)
    with database(db) as connection, connection:
        connection.execute("UPDATE conversations SET updated_at = ?", (back.isoformat(),))
    bot.start()  # retention runs at start
    wait_until(lambda: "idle conversations let go" in bot.log)
    with database(db) as connection:
        [(flow, data)] = connection.execute(
            "SELECT flow, data_enc FROM conversations WHERE address = ?",
            (f"telegram:{ola.id}",),
        ).fetchall()
    assert flow == "" and tag not in Cipher([bot.env["MOTEKLAR_SECRET_KEY"]]).decrypt(data)

    ola.press(preview, "Send til Kari Nordmann")
    told = ola.expect("Det er en stund siden sist vi snakket sammen")
    assert "/snakke" in told.text  # what he can do now, starting afresh
    settled(bot)
    assert tag not in visible_text(api, kari)
