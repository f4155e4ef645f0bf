"""Reminders through `moteklar run` and the fake Bot API, with offsets of seconds: each arrives
exactly once when the bot runs through, when it was stopped before they were due and started
after, and when it is killed in the middle of a burst; one whose meeting has started is not sent;
500 due at once all arrive, within Telegram's 30 messages a second.

Meetings booked in chat start at a whole minute (the strict form has no seconds), so the
reminder offsets are chosen, before the bot starts, to fall due some seconds after booking.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import BotProcess
from tests.e2e.seed import seed, utc_in
from tests.e2e.test_circle_and_meetings import Person
from tests.e2e.test_delivery import KARI, OLA, PER, circle, copies, settled
from tests.fakebotapi import FakeBotApi

OSLO = ZoneInfo("Europe/Oslo")
PREP = "Hei, Ola! Samarbeidsmøtet ditt er i dag."
OLA_MEETING = "Hvis du ikke kan komme, er det helt greit."  # only in his meeting reminder
OTHERS_MEETING = "Påminnelse: samarbeidsmøte med Ola Hansen i dag"
PINNED = "Samarbeidsmøtet ditt i dag"
SEEDED_PREP = "Hei, Jobbsoker! Samarbeidsmøtet ditt er i dag."
SEEDED_MEETING = "Påminnelse: samarbeidsmøte med Jobbsoker 0 i dag"


def reminders(bot: BotProcess) -> list[tuple[int, str, str, str, str | None]]:
    """(id, person's address, kind, status, reason) of every reminder, from the database."""
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return db.execute(
            "SELECT r.id, p.address, r.kind, r.status, r.reason FROM reminders r"
            " JOIN people p ON p.id = r.person_id ORDER BY r.id"
        ).fetchall()


def deliveries(bot: BotProcess) -> list[tuple[str, str, str, str | None, list[int]]]:
    """(address, op, status, ref, message ids) of every delivery."""
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        rows = db.execute(
            "SELECT address, op, status, ref, message_ids FROM outbox ORDER BY id"
        ).fetchall()
    return [(a, o, s, r, json.loads(i)) for a, o, s, r, i in rows]


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def next_minute(at_least: float) -> float:
    """The first whole minute at least ``at_least`` seconds from now (unix time)."""
    return math.ceil((time.time() + at_least) / 60) * 60


def seconds_before(start: float, moment: float) -> str:
    return f"{round(start - moment)}s"


def book(kari: Person, start: float, minutes: int = 30) -> None:
    """Kari books a meeting with Ola and Per at ``start`` (a whole minute), typed."""
    local = datetime.fromtimestamp(start, OSLO)
    kari.send("/nytt_moete")
    kari.expect("Hvilken dag?")
    kari.send(f"{local:%d.%m.%Y %H:%M}")
    kari.press(kari.expect("Hvor lenge varer møtet?"), f"{minutes} minutter")
    kari.send("DPS Solvang, rom 2")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    kari.press(kari.expect("Stemmer dette?"), "Ja, det stemmer")
    kari.expect("Alle som skal være med, har fått beskjed")


def configure(bot: BotProcess, *, prep: str, meeting: str) -> None:
    bot.env.update(
        MOTEKLAR_PREP_REMINDER=prep,
        MOTEKLAR_MEETING_REMINDERS=meeting,
        MOTEKLAR_QUIET_HOURS="none",  # the tests run at any hour
    )


def test_each_reminder_arrives_once_while_the_bot_runs(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    kari, _, _ = circle(api, bot)
    bot.stop()
    start = next_minute(75)
    now = time.time()
    prep, first, second = now + 20, now + 25, now + 30
    configure(
        bot,
        prep=seconds_before(start, prep),
        meeting=f"{seconds_before(start, first)},{seconds_before(start, second)}",
    )
    bot.start()
    book(kari, start)

    # The meeting is today: Ola's agenda is pinned at once, silently.
    agenda = api.wait_for_message(OLA, lambda m: PINNED in m.text, timeout=10)
    assert agenda.silent
    api.wait_for_call("pinChatMessage", lambda c: c.params.get("chat_id") == OLA)
    assert api.pinned(OLA) == [agenda.message_id]

    invitation = api.wait_for_message(OLA, lambda m: PREP in m.text, timeout=40)
    assert ("Jeg vil forberede meg nå", "v1:rm:prep:1") in api.buttons(invitation)
    for who, text in ((OLA, OLA_MEETING), (KARI, OTHERS_MEETING), (PER, OTHERS_MEETING)):
        deadline = time.monotonic() + 40
        while copies(api, who, text) < 2:
            assert time.monotonic() < deadline, (who, api.texts_to(who))
            time.sleep(0.1)
    time.sleep(3)  # nothing more comes
    assert copies(api, OLA, PREP) == 1
    assert copies(api, OLA, PINNED) == 1
    for who, text in ((OLA, OLA_MEETING), (KARI, OTHERS_MEETING), (PER, OTHERS_MEETING)):
        assert copies(api, who, text) == 2, who
    per_reminder = next(m for m in api.messages_to(PER) if OTHERS_MEETING in m.text)
    assert "Jeg kan ikke komme" in dict(api.buttons(per_reminder))
    before = {"unpin", "followup"}  # what comes when the meeting is over
    assert {status for _, _, kind, status, _ in reminders(bot) if kind not in before} == {"sent"}
    # The scheduler's every run (each second) is not in the operator's log.
    assert "Running job" not in bot.log and "reminder jobs rebuilt" in bot.log

    # Cancelled: the pinned agenda comes down at once, and nothing more is sent.
    kari.send("/moeter")
    kari.press(kari.expect("Samarbeidsmøte med Ola Hansen"), "Avlys møtet")
    kari.press(kari.expect("Alle som skal være med, får beskjed"), "Ja, avlys møtet")
    api.wait_for_call("unpinChatMessage", lambda c: c.params.get("chat_id") == OLA)
    assert api.pinned(OLA) == []
    assert not [c for c in api.calls if not c.ok and c.method != "getUpdates"]


def test_stopped_before_reminders_are_due_and_started_after(
    api: FakeBotApi, bot: BotProcess
) -> None:
    """Two fall due while the bot is down: each comes once, late. The next comes on time. One
    still pending when the meeting starts (the bot is down again) is never sent.

    The meeting is seeded, to the second, through the services /nytt_moete uses: booked in chat
    it would start at a whole minute, and this test would wait for it."""
    start = time.time() + 34
    prep, first, second, last = start - 26, start - 24, start - 14, start - 4
    seeded = seed(
        Path(bot.workdir) / "moteklar.db",
        bot.env["MOTEKLAR_SECRET_KEY"],
        meetings=1,
        first_chat=700_000,
        starts_at=datetime.fromtimestamp(start, UTC),
        prep_reminder=seconds_before(start, prep),
        meeting_reminders=",".join(seconds_before(start, m) for m in (first, second, last)),
    )
    for chat in seeded.chats:
        api.add_user(chat)
    jobseeker, specialist, behandler, navveileder = seeded.chats
    others = (specialist, behandler, navveileder)
    configure(
        bot,
        prep=seconds_before(start, prep),
        meeting=",".join(seconds_before(start, m) for m in (first, second, last)),
    )
    bot.start()  # the reminders are planned in the database; the jobs are rebuilt from it
    bot.stop()  # before anything is due
    assert time.time() < prep - 1, "starting took too long for this test's timing"
    assert all(api.messages_to(chat) == [] for chat in seeded.chats)

    wait_until(first + 3)  # the prep invitation and the first reminder are due: the bot is down
    bot.start()
    api.wait_for_message(jobseeker, lambda m: SEEDED_PREP in m.text, timeout=10)
    api.wait_for_message(jobseeker, lambda m: OLA_MEETING in m.text, timeout=10)
    for who in others:
        api.wait_for_message(who, lambda m: SEEDED_MEETING in m.text, timeout=10)
    # The second comes on time: waited for (a loaded machine may take a moment), never past
    # the moment the last one is due.
    while copies(api, jobseeker, OLA_MEETING) < 2 or any(
        copies(api, who, SEEDED_MEETING) < 2 for who in others
    ):
        assert time.time() < last - 1, "the second reminder did not come"
        time.sleep(0.05)
    assert copies(api, jobseeker, OLA_MEETING) == 2, api.texts_to(jobseeker)
    for who in others:
        assert copies(api, who, SEEDED_MEETING) == 2, (who, api.texts_to(who))
    assert copies(api, jobseeker, SEEDED_PREP) == 1
    bot.stop()

    wait_until(start + 2)  # the last reminder fell due while down, and the meeting has begun
    seen = {who: len(api.messages_to(who)) for who in seeded.chats}
    bot.start()
    deadline = time.monotonic() + 15
    while len([r for r in reminders(bot) if r[2] == "meeting" and r[3] == "skipped"]) < 4:
        assert time.monotonic() < deadline, reminders(bot)
        time.sleep(0.05)
    settled(bot)
    for who in seeded.chats:
        assert api.messages_to(who)[seen[who] :] == [], api.texts_to(who)
    late = [r for r in reminders(bot) if r[2] == "meeting" and r[3] == "skipped"]
    assert {(address, reason) for _, address, _, _, reason in late} == {
        (f"telegram:{who}", "late") for who in seeded.chats
    }


def test_killed_in_the_middle_of_a_burst(api: FakeBotApi, bot: BotProcess) -> None:
    """SIGKILL while 200 reminders go out: after the restart every one has arrived exactly once,
    except any caught in the very moment of sending, which are recorded `unknown`, not resent."""
    api.flood_control(30)
    due_in = 12.0
    seeded = seed(
        Path(bot.workdir) / "moteklar.db",
        bot.env["MOTEKLAR_SECRET_KEY"],
        meetings=50,
        first_chat=900_000,
        starts_at=utc_in(due_in + 60),
        meeting_reminders="60s",
    )
    for chat in seeded.chats:
        api.add_user(chat)
    configure(bot, prep="30d", meeting="60s")
    bot.start()
    deadline = time.monotonic() + due_in + 30
    while sum(bool(api.messages_to(c)) for c in seeded.chats) < 40:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    bot.kill()
    arrived_before = sum(bool(api.messages_to(c)) for c in seeded.chats)
    assert arrived_before < len(seeded.chats), "the kill must come in the middle of the burst"
    bot.start()

    settled_by = time.monotonic() + 60
    while any(s in {"queued", "sending"} for _, _, s, _, _ in deliveries(bot)) or any(
        r[3] == "pending" for r in reminders(bot) if r[2] == "meeting"
    ):
        assert time.monotonic() < settled_by
        time.sleep(0.2)
    outcome = {address: status for address, op, status, ref, _ in deliveries(bot) if ref}
    unknown = [a for a, s in outcome.items() if s == "unknown"]
    for chat in seeded.chats:
        count = len(api.messages_to(chat))
        assert count <= 1, chat  # never twice
        if count == 0:
            assert f"telegram:{chat}" in unknown, chat  # lost only in the documented window
    assert set(outcome.values()) <= {"sent", "unknown"} and len(outcome) == 200
    # Unknown: only requests that were out at the kill — one leaves every 1/30 s and is answered
    # in milliseconds (measured: none). Marked as leaving while still waiting for the rate
    # limiter, all 32 lanes' notices were lost as unknown.
    assert len(unknown) <= 3
    print(f"\nkilled after {arrived_before} of 200 arrived; unknown afterwards: {len(unknown)}")


@pytest.mark.timeout(300)
def test_500_reminders_due_at_once_all_arrive_within_telegrams_limits(
    api: FakeBotApi, bot: BotProcess
) -> None:
    api.flood_control(30)  # 429 past 30 messages a second, as Telegram answers a burst
    due_in = 10.0
    seeded = seed(
        Path(bot.workdir) / "moteklar.db",
        bot.env["MOTEKLAR_SECRET_KEY"],
        meetings=125,
        first_chat=800_000,
        starts_at=utc_in(due_in + 120),
        meeting_reminders="120s",
    )
    assert len(seeded.chats) == 500
    for chat in seeded.chats:
        api.add_user(chat)
    configure(bot, prep="30d", meeting="120s")
    due_at = time.time() + due_in
    bot.start()

    deadline = time.monotonic() + due_in + 120
    while (arrived := sum(bool(api.messages_to(c)) for c in seeded.chats)) < 500:
        assert time.monotonic() < deadline, f"{arrived} of 500 arrived"
        time.sleep(0.05)
    took = time.time() - due_at
    settled(bot)
    assert all(len(api.messages_to(c)) == 1 for c in seeded.chats)  # each exactly once
    assert {s for _, _, s, ref, _ in deliveries(bot) if ref} == {"sent"}
    limited = sum(1 for c in api.calls if c.status == 429)
    print(
        f"\n500 reminders due at once: all arrived {took:.1f} s after they were due"
        f" (floor at 30 a second: {500 / 30:.1f} s); 429 answers waited out: {limited}"
    )
    assert datetime.now(UTC) < seeded.starts_at  # all before the meeting, as they must be
