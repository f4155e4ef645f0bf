"""The catalogue of bad input, sent through `moteklar run` and the fake Bot API as people (and
strangers, and Telegram itself) send it. Every kind gets a kind word in the person's language
(or, where nothing was said, nothing), no state is lost, and the bot goes on for everyone.

One bot process for the whole catalogue: each kind is a step, and the kinds tried are counted.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import BotProcess
from tests.e2e.test_circle_and_meetings import Person
from tests.e2e.test_delivery import circle, settled
from tests.fakebotapi import FakeBotApi, utf16_len

KARI, OLA, PER = 4001, 4002, 4003
STRANGER, GROUP, CHANNEL = 4099, -4100, -1004101
ONLY_TEXT = "Jeg kan bare lese tekst"
BLANK = "Jeg ser ingen ord i den meldingen"
STALE = "Den knappen er ikke i bruk lenger."
UNKNOWN_LINK = "Denne lenken kjenner jeg ikke igjen"
EMOJI = "👩" * 2048  # 4,096 UTF-16 units: the longest message Telegram takes
COMBINING = "q\u0301" * 2030  # 4,060 characters: each accent on its letter (no composed form)


def media(api: FakeBotApi, user: int, content: dict[str, Any]) -> int:
    """A private message from ``user`` with ``content`` instead of text."""
    return api.enqueue_raw(
        {
            "message": {
                "message_id": 900_000 + len(api.calls),
                "from": {"id": user, "is_bot": False, "first_name": "Ola"},
                "chat": {"id": user, "type": "private", "first_name": "Ola"},
                "date": int(api.now()),
                **content,
            }
        }
    )


FILE = {"file_id": "f", "file_unique_id": "u"}
MEDIA: dict[str, dict[str, Any]] = {
    "photo with a caption": {
        "photo": [{**FILE, "width": 90, "height": 90}],
        "caption": "mitt hemmelige bilde",
    },
    "voice": {"voice": {**FILE, "duration": 3}},
    "video note": {"video_note": {**FILE, "length": 240, "duration": 3}},
    "document": {"document": {**FILE, "file_name": "cv.pdf"}},
    "location": {"location": {"latitude": 58.1, "longitude": 8.0}},
    "contact": {"contact": {"phone_number": "+4712345678", "first_name": "Per"}},
    "dice": {"dice": {"emoji": "🎲", "value": 3}},
    "audio": {"audio": {**FILE, "duration": 60}},
}


def inbox(bot: BotProcess) -> dict[int, str]:
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return dict(db.execute("SELECT update_id, status FROM inbox").fetchall())


def unreachable(bot: BotProcess) -> set[str]:
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return {a for (a,) in db.execute("SELECT address FROM unreachable")}


def handled(bot: BotProcess, update_id: int, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while inbox(bot).get(update_id, "received") == "received":
        assert time.monotonic() < deadline, f"update {update_id} was never settled"
        time.sleep(0.05)
    return inbox(bot)[update_id]


def test_the_bad_input_catalogue(api: FakeBotApi, bot: BotProcess) -> None:
    kinds: list[str] = []
    bot.start()
    kari, ola, per = circle(api, bot)

    # -- what is not text ------------------------------------------------------------------
    ola.seen = len(api.messages_to(OLA))
    api.send_sticker(OLA)
    ola.expect(ONLY_TEXT)
    kinds.append("sticker")
    for kind, content in MEDIA.items():
        ola.seen = len(api.messages_to(OLA))
        media(api, OLA, content)
        ola.expect(ONLY_TEXT)
        kinds.append(kind)
    pinned = media(
        api,
        OLA,
        {"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": OLA, "type": "private"}}},
    )
    assert handled(bot, pinned) == "ignored"  # a service message: nothing was said
    kinds.append("service message (pinned)")

    # -- texts that show nothing, control characters, the longest texts --------------------
    ola.send("/forbered")
    ola.expect("Hva går bra?")
    for kind, blank in [
        ("zero-width only", "\u200b\u200b\u2060"),
        ("blank letters", "\u3164 \u2800"),
        ("control characters", "\u0007\u0008\u202e"),
        ("spaces and new lines", " \n\t \n"),
    ]:
        ola.send(blank)
        ola.expect(BLANK)
        ola.expect("Hva går bra?")  # the same question again, nothing saved
        kinds.append(kind)
    ola.send(EMOJI)
    ola.expect("Hva er vanskelig akkurat nå?")
    kinds.append("2,048 emoji (4,096 UTF-16 units)")
    # At once after a full message: Telegram's split of one long text (counted in UTF-16
    # units, so 2,048 emoji are a full part), joined into one answer.
    ola.send("\u202eJeg \u200bblir sliten\u0007 " + COMBINING)
    ola.expect("Teksten din kom i flere deler")
    kinds.append("combining marks, 4,076 characters, with control characters, joined")
    ola.send("/agenda")
    ola.expect("Agenda")
    settled(bot)
    parts = [m for m in api.messages_to(OLA)[ola.seen :] if not m.deleted]
    shown = "".join(m.text for m in parts)
    assert shown.count("👩") == 2048 and shown.count("q\u0301") == 2030  # nothing lost
    assert "👩Jeg blir sliten" in shown  # control and invisible characters gone
    assert all(utf16_len(m.text) <= 4096 for m in parts)
    assert not any(m.text.startswith("\u0301") for m in parts)  # no accent torn off its letter

    # -- markup in a name ------------------------------------------------------------------
    kari.send("/ny_jobbsoeker")
    kari.expect("Hva heter jobbsøkeren?")
    kari.send("Ida <b>Ås</b> & <script>x</script>")
    assert "Ida <b>Ås</b> & <script>x</script>" in kari.expect("Her er en personlig lenke").text
    kinds.append("markup in a name")

    # -- commands in the wrong role or state ------------------------------------------------
    ola.send("/nytt_moete")
    ola.expect("/nytt_moete er ikke noe du kan bruke her")
    per.send("/forbered")
    per.expect("/forbered er ikke noe du kan bruke her")
    ola.send("/finnes_ikke")
    ola.expect("Kommandoen /finnes_ikke kjenner jeg ikke")
    ola.send("/avbryt")
    ola.expect("Det er ingenting å avbryte")
    kinds += ["a command of another role", "an unknown command", "/avbryt with nothing going on"]

    # -- stale, double-tapped and forged buttons --------------------------------------------
    ola.send("/forbered")
    resume = ola.expect("Du har en forberedelse på gang")
    data = dict(api.buttons(resume))["Fortsett der jeg slapp"]
    ola.seen = len(api.messages_to(OLA))
    first = api.press_button(OLA, resume.message_id, data)
    second = api.press_button(OLA, resume.message_id, data)
    api.wait_for_callback_answer(first)
    answer = api.wait_for_callback_answer(second)
    assert answer.params.get("text") == "Jeg har allerede fått svaret ditt på dette."
    settled(bot)
    # The question where Ola stopped, once (in place of the resume question, or anew), and
    # not a second time for the second tap.
    asked = [m for m in api.messages_to(OLA)[ola.seen - 1 :] if "Steg 1 av 7" in m.text]
    assert len(asked) == 1, [m.text[:40] for m in api.messages_to(OLA)[ola.seen - 1 :]]
    kinds.append("double tap")
    forged = [
        "v1:cq:rm:4",  # Nobody in Ola's circle (Ida's invitation made no person)
        "v1:mt:ics:999999999999999999999999",
        "v1:mt:ics:²",
        "v1:mt:ics:٣",
        "v2:join:lang:nb",
        "garbage",
        "v1:::",
        "v1:" + "x" * 61,
    ]
    old = api.messages_to(OLA)[0]  # the first message Ola got: its buttons are long gone
    for data in forged:
        update = api.press_button(OLA, old.message_id, data, check_button=False)
        assert api.wait_for_callback_answer(update).params.get("text") == STALE, data
    kinds += [f"forged button {data!r}" for data in forged]
    for data in ["v1:cq:rm:3", f"v1:share:read:{10**30}"]:  # Per pressing Ola's buttons
        update = api.press_button(PER, api.messages_to(PER)[0].message_id, data, check_button=False)
        assert api.wait_for_callback_answer(update).params.get("text") == STALE
    kinds.append("another person's button")

    # -- edited messages ----------------------------------------------------------------------
    ola.send("Hei")
    message_id = api.sent_by(OLA)[-1]
    ola.seen = len(api.messages_to(OLA))
    api.edit_text(OLA, message_id, "Hei igjen")
    ola.expect("Jeg så at du endret en melding")
    again = api.edit_text(OLA, message_id, "Hei for tredje gang")
    assert handled(bot, again) == "handled"
    settled(bot)
    assert sum("endret en melding" in m.text for m in api.messages_to(OLA)[ola.seen :]) == 1
    kinds.append("edited message (told once)")

    # -- groups and channels -------------------------------------------------------------------
    api.send_text(OLA, "hei alle sammen", group_id=GROUP)
    told = api.wait_for_message(GROUP, lambda m: "privat chat" in m.text)
    api.wait_for_call("leaveChat", lambda c: c.params.get("chat_id") == GROUP)
    assert told.chat_id == GROUP and GROUP in api.left_chats()
    api.add_bot_to_chat(KARI, -4200)
    api.wait_for_message(-4200, lambda m: "privat chat" in m.text)
    api.add_bot_to_chat(KARI, CHANNEL, kind="channel")
    api.wait_for_call("leaveChat", lambda c: c.params.get("chat_id") == CHANNEL)
    assert api.messages_to(CHANNEL) == []  # never a word to a channel's readers
    kinds += ["message in a group", "added to a group", "added to a channel"]

    # -- blocked and unblocked -------------------------------------------------------------------
    api.block_user(PER, announce=True)
    deadline = time.monotonic() + 10
    while f"telegram:{PER}" not in unreachable(bot):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    api.unblock_user(PER)
    while f"telegram:{PER}" in unreachable(bot):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    kinds.append("blocked, then unblocked (reachable again)")

    # -- updates that cannot be read, garbage links, too many of them ------------------------------
    broken = api.enqueue_raw(
        {"message": {"message_id": "x", "from": {"id": OLA}, "text": "mitt hemmelige svar"}}
    )
    ola.send("/hjelp")
    ola.expect("116 123")  # nobody stalls behind it
    assert handled(bot, broken) == "failed"
    kinds.append("an update python-telegram-bot cannot read")
    stranger = Person(api, STRANGER)
    for payload in ["../../etc/passwd", "A" * 64, "%00", "😀"]:
        stranger.send(f"/start {payload}")
        stranger.expect(UNKNOWN_LINK)
    kinds.append("garbage deep links")
    stranger.send(f"/start {'B' * 40}")
    stranger.expect(UNKNOWN_LINK)
    stranger.send(f"/start {'C' * 40}")
    stranger.expect("venter litt før jeg ser på en ny")
    for n in range(20):  # a guessing loop: not looked up, not answered
        stranger.send(f"/start guess{n}")
    stranger.send("/hjelp")
    stranger.expect("")
    time.sleep(0.5)
    waits = [m for m in api.messages_to(STRANGER) if "venter litt" in m.text]
    assert len(waits) == 1
    assert bot.log.count("too many links") == 1  # one line, not one per guess
    kinds.append("invitation guessing (rate-limited)")

    assert bot.running
    assert "hemmelige" not in bot.log and api.token not in bot.log
    assert set(inbox(bot).values()) <= {"handled", "ignored", "failed"}
    print(f"\nbad-input kinds tried: {len(kinds)}")
