"""After the meeting, through `moteklar run` and the fake Bot API, as the issue's "Done when"
tells it: a meeting ends → Ola's follow-up → Kari's /avtalt with tasks and the next meeting →
Ola shares it with Per but not Nina → Per gets it, Nina does not → Ola's next /forbered opens
with what was agreed and the point not talked about → a task reminder arrives on its date.

The held meeting is written to the database (through the same service as /nytt_moete) while the
bot runs, ending a few seconds from now, so nobody waits for a meeting to pass.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.conftest import BotProcess
from tests.e2e.seed import seed_held_meeting
from tests.e2e.test_circle_and_meetings import Person
from tests.e2e.test_delivery import settled
from tests.e2e.test_sharing import (
    Agenda,
    circle,
    latest,
    prepare,
    press_data,
    share,
    visible_text,
    wait_until,
)
from tests.fakebotapi import FakeBotApi, SentMessage

OSLO = ZoneInfo("Europe/Oslo")
HEARD = "Fikk du tatt opp det som var viktigst for deg?"


def pending_task_reminders(bot: BotProcess) -> list[tuple[str, str, str]]:
    """(address, label, due) of task reminders not sent yet."""
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return db.execute(
            "SELECT p.address, r.label, r.due_at FROM reminders r JOIN people p"
            " ON p.id = r.person_id WHERE r.kind = 'task' AND r.status = 'pending'"
        ).fetchall()


def task_reminders(bot: BotProcess) -> list[tuple[str, str]]:
    """(address, status) of every task reminder, sent or not."""
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db") as db:
        return db.execute(
            "SELECT p.address, r.status FROM reminders r JOIN people p"
            " ON p.id = r.person_id WHERE r.kind = 'task'"
        ).fetchall()


def button(person: Person, message: SentMessage, label: str) -> str:
    return dict(person.api.buttons(message))[label]


def same_message(api: FakeBotApi, chat: int, message: SentMessage, text: str) -> SentMessage:
    """The message shown in place of ``message`` once it says ``text``."""
    found: list[SentMessage] = []

    def edited() -> bool:
        now = next(m for m in api.messages_to(chat) if m.message_id == message.message_id)
        found[:] = [now]
        return text in now.text

    wait_until(edited)
    return found[0]


def test_after_the_meeting_from_follow_up_to_the_next_preparation(
    api: FakeBotApi, bot: BotProcess
) -> None:
    bot.env.update(MOTEKLAR_QUIET_HOURS="none")  # the test runs at any hour
    bot.start()
    kari, ola, per, nina = circle(api, bot, "nav", approve_nina=True)
    today = datetime.now(OSLO).date()
    later = today + timedelta(days=3)

    # -- a meeting ends --------------------------------------------------------------------
    seed_held_meeting(
        Path(bot.env["MOTEKLAR_DB"]),
        bot.env["MOTEKLAR_SECRET_KEY"],
        jobseeker=ola.id,
        specialist=kari.id,
        others=[per.id, nina.id],
        ends_in=6,
        followup_after="2s",
        topics={"money": "Mitt spørsmål AFTERMONEY", "housing": "Jeg trenger AFTERHOUSING"},
        purpose="Jeg vil vite AFTERPURPOSE",
    )

    # -- Ola's follow-up: heard partly; money yes, housing no ----------------------------------
    ola.seen = len(api.messages_to(ola.id))
    asked = api.wait_for_message(ola.id, lambda m: HEARD in m.text, timeout=40)
    assert "Svarene dine er bare for deg" in asked.text
    assert [label for label, _ in api.buttons(asked)] == ["Ja", "Delvis", "Nei"]
    ola.press(asked, "Delvis")
    item = ola.expect("Ble dette snakket om i møtet?")
    for number, answer in ((1, "yes"), (2, "yes"), (3, "no")):
        item = same_message(api, ola.id, item, f"{number} av 3")
        press_data(ola, item, f"v1:fu:items:{answer}@{number - 1}")
    words = same_message(api, ola.id, item, "med dine egne ord")
    press_data(ola, words, "v1:fu:words:skip")
    done = ola.expect("Takk for at du sier fra.")
    assert "Ble ikke snakket om denne gangen:\n• Bolig" in done.text
    assert "Neste gang du forbereder deg, spør jeg om du vil sette det først." in done.text
    ola.press(done, "Nei takk")
    ola.expect("bare for deg")

    # -- Kari writes down what was agreed, and books the next meeting -----------------------
    kari.seen = 0
    nudge = kari.expect("Møtet med Ola Hansen er over")
    kari.press(nudge, "Skriv ned hva dere ble enige om")
    draft = kari.expect("Det dere ble enige om i møtet med Ola Hansen")
    assert "Ingen oppgaver ennå" in draft.text
    for owner, text, due in (
        ("Ola Hansen", "Ringe sjefen om arbeidstid TASKOLA", later),
        ("Per Berg", "Skrive en uttalelse TASKPER", today),
        ("Nina Lie", "Sjekke vedtaket TASKNINA", today),
    ):
        kari.press(latest(kari, "v1:rec:draft:add-"), f"+ Oppgave for {owner}")
        kari.expect(f"Hva skal {owner} gjøre?")
        kari.send(text)
        kari.expect("Innen når?")
        kari.send(f"{due:%d.%m.%Y}")
        kari.expect("Lagt til.")
    kari.press(latest(kari, "v1:rec:draft:next"), "Sett opp neste møte")
    kari.expect("Hvilken dag?")
    next_day = today + timedelta(days=20)
    kari.send(f"{next_day:%d.%m.%Y} 10:00")
    kari.press(kari.expect("Hvor lenge varer møtet?"), "60 minutter")
    kari.send("Nav Kristiansand")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    kari.press(kari.expect("Stemmer dette?"), "Ja, det stemmer")
    booked = kari.expect("Neste møte er nå med i det du og Ola Hansen ble enige om.")
    kari.press(booked, "Tilbake til det dere ble enige om")
    draft = kari.expect("Det dere ble enige om i møtet med Ola Hansen")
    assert "Neste møte" in draft.text and "TASKPER" in draft.text
    kari.press(latest(kari, "v1:rec:draft:send"), "Send til Ola Hansen")
    kari.expect("Sendt til Ola Hansen.")

    # -- Ola sees it first, and shares it with Per, not with Nina -------------------------------
    agreed = ola.expect("Dette ble dere enige om i møtet")
    assert "Kari Nordmann har skrevet det ned" in agreed.text
    assert all(t in agreed.text for t in ("TASKOLA", "TASKPER", "TASKNINA", "Neste møte"))
    assert agreed.text.index("TASKOLA") < agreed.text.index("TASKPER")  # his own first
    ola.press(agreed, "Se hva Per Berg får")
    preview = ola.expect("Dette er nøyaktig det Per Berg (behandler) får.")
    ticked = {label for label, _ in api.buttons(preview) if label.startswith("☑")}
    assert ticked == {"☑ 2. Skrive en uttalelse TASKPER", "☑ Neste møte", "☑ Tekst til journalen"}
    assert "TASKOLA" not in preview.text.split("får.", 1)[1]  # not proposed to the behandler
    ola.press(preview, "Del med Per Berg")
    ola.expect("Delt med Per Berg: 2 deler.")

    copy = per.expect("Fra Ola Hansen: det dere ble enige om")
    assert copy.protect_content and "TASKPER" in copy.text and "Neste møte" in copy.text
    settled(bot)
    assert "TASKOLA" not in visible_text(api, per) and "TASKNINA" not in visible_text(api, per)
    assert "Dine oppgaver" in copy.text
    per.press(copy, "Lest")
    ola.expect("Per Berg har lest det du delte.")

    # -- a task reminder on its date: Per's now (shared), never Nina's (not shared) -----------
    # Per's is due at once: it may come before or after his "Lest", so his whole chat is read.
    reminder = api.wait_for_message(per.id, lambda m: "Påminnelse fra møtet med Ola" in m.text)
    assert "Skrive en uttalelse TASKPER (i dag)" in reminder.text
    # Task reminders are planned in the commit that shares: Nina has none, sent or not.
    assert f"telegram:{nina.id}" not in {address for address, _ in task_reminders(bot)}
    assert "TASKNINA" not in visible_text(api, nina)
    assert "det dere ble enige om" not in visible_text(api, nina)
    # Ola's own task, three days on, waits for its day.
    [(address, label, due)] = [r for r in pending_task_reminders(bot) if "TASK" not in r[1]]
    assert address == f"telegram:{ola.id}" and label.endswith(f"@{later.isoformat()}")
    assert datetime.fromisoformat(due).astimezone(OSLO).date() == later

    per.send("/avtalt")
    mine = per.expect("Fra Ola Hansen: det dere ble enige om")
    assert "TASKPER" in mine.text and "TASKOLA" not in mine.text

    # -- Ola's next /forbered opens with what was agreed, and what was not talked about -----
    ola.send("/forbered")
    opening = ola.expect("Sist ble dere enige om:")
    assert "TASKOLA" in opening.text and "TASKPER" in opening.text
    assert "Ble ikke snakket om sist:\n• Bolig" in opening.text
    assert "Penger og støtte" not in opening.text.split("sist:", 2)[-1]  # that was talked about
    ola.press(opening, "Ja, sett dem først")
    ola.expect("De står først på agendaen din.")
    ola.expect("Steg 1 av 7")
    ola.send("/agenda")
    agenda = ola.expect("Punktene til Ola Hansen")
    assert "1. <b>Bolig</b>" in agenda.html or "1. Bolig" in agenda.text
    assert "AFTERHOUSING" in agenda.text and "AFTERMONEY" not in agenda.text

    assert not [c for c in api.calls if not c.ok and c.method != "getUpdates"]
    for secret in ("TASKPER", "AFTERHOUSING", "Ola Hansen"):
        assert secret not in bot.log


def test_retention_deletes_young_copies_and_overwrites_old_ones(
    api: FakeBotApi, bot: BotProcess
) -> None:
    """MOTEKLAR_RETENTION_DAYS after a meeting its preparation, agenda and shares are deleted,
    and the copies withdrawn as sharing does it, by their stored send time: one sent less than
    47 hours ago is deleted, an older one overwritten. The clock is moved in the database: the
    meeting is put three days back, and Nina's copy is recorded as sent then."""
    bot.env.update(MOTEKLAR_QUIET_HOURS="none", MOTEKLAR_RETENTION_DAYS="1")
    bot.start()
    _, ola, per, nina = circle(api, bot, "nav", approve_nina=True)
    prepare(ola, Agenda("RET", True, False, ["money"], ["me"], True, False))
    share(ola, "Per Berg", [])
    share(ola, "Nina Lie", [])
    per_copy = per.expect("Fra Ola Hansen før samarbeidsmøtet")
    nina_copy = nina.expect("Fra Ola Hansen før samarbeidsmøtet")
    bot.stop()

    db = Path(bot.env["MOTEKLAR_DB"])
    back = datetime.now(UTC) - timedelta(days=3)
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE meetings SET starts_at = ?, ends_at = ?",
            (back.isoformat(), (back + timedelta(hours=1)).isoformat()),
        )
        connection.execute(
            "UPDATE outbox SET settled_at = ? WHERE address = ? AND ref LIKE 'share:%'",
            (back.isoformat(), f"telegram:{nina.id}"),
        )
    before = len(api.calls)
    bot.start()  # retention runs at start

    per_parts = {m.message_id for m in api.messages_to(per.id) if "RETG" in m.text}
    assert per_copy.message_id in per_parts and len(per_parts) == 2  # the copy and the journal
    wait_until(lambda: all(m.deleted for m in api.messages_to(per.id) if m.message_id in per_parts))

    def overwritten() -> SentMessage:
        return next(m for m in api.messages_to(nina.id) if m.message_id == nina_copy.message_id)

    wait_until(lambda: "Slettet: Det Ola Hansen delte her" in overwritten().text)
    assert not overwritten().deleted and overwritten().reply_markup is None
    assert "RET" not in visible_text(api, nina) and "RET" not in visible_text(api, per)
    deletes = [c for c in api.calls[before:] if c.method == "deleteMessage"]
    assert deletes and all(c.params["chat_id"] == per.id for c in deletes)  # Nina's: by its age
    with sqlite3.connect(db) as connection:
        for table in ("preparations", "agenda_versions", "shares"):
            assert connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
