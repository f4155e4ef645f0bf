"""Ola prepares his samarbeidsmøte through `moteklar run` and the fake Bot API server: every
step, a crash in the middle, special characters and a 4,000-character answer, the agenda split
to fit Telegram's limit and nothing lost."""

from __future__ import annotations

from tests.e2e.conftest import BotProcess
from tests.e2e.test_circle_and_meetings import Person, meeting_day
from tests.fakebotapi import FakeBotApi, SentMessage

KARI, OLA = 3001, 3002
SPECIAL = "Det går bra <b>&amp;</b> 🙂👩‍💻 – Čáhppes ŋ đ ž, æøå ÆØÅ"
LONG = ("Jeg vil ikke miste støtten & jeg er redd <for> det.\nOg så videre. " * 60)[:4000]


def tick(person: Person, message: SentMessage, label: str) -> SentMessage:
    """Press a toggle and wait for the same message to be updated in place."""
    before = len(person.api.calls)
    data = dict(person.api.buttons(message))[label]
    person.api.press_button(person.id, message.message_id, data)
    person.api.wait_for_call(
        "editMessageText", lambda c: c.params.get("message_id") == message.message_id, after=before
    )
    [updated] = [m for m in person.api.messages_to(person.id) if m.message_id == message.message_id]
    return updated


def test_ola_prepares_his_meeting_end_to_end(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    kari, ola = Person(api, KARI), Person(api, OLA)
    kari.join(bot.invite("--name", "Kari Nordmann").rsplit("start=", 1)[1])
    kari.press(kari.expect("Hvor er du ansatt?"), "Nav")
    kari.send("/ny_jobbsoeker")
    kari.expect("Hva heter jobbsøkeren?")
    kari.send("Ola Hansen")
    ola.join(kari.token_in("Her er en personlig lenke"))
    ola.press(ola.expect("Vil du bruke Møteklar?"), "Ja, jeg vil bruke Møteklar")
    kari.send("/nytt_moete")
    kari.expect("Hvilken dag?")
    kari.send(f"{meeting_day():%d.%m.%Y} 10:00")
    kari.press(kari.expect("Hvor lenge varer møtet?"), "60 minutter")
    kari.send("DPS Solvang, rom 2")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    kari.press(kari.expect("Stemmer dette?"), "Ja, det stemmer")
    ola.expect("Nytt samarbeidsmøte")

    ola.send("/forbered")
    assert "Steg 1 av 7" in ola.expect("Hva går bra?").text
    ola.send(SPECIAL)
    ola.expect("Hva er vanskelig akkurat nå?")
    ola.send(LONG)
    topics = ola.expect("Hva vil du snakke om i møtet?")
    topics = tick(ola, topics, "Penger og støtte fra Nav")
    topics = tick(ola, topics, "Videre behandling og oppfølging")
    assert ("✓ Penger og støtte fra Nav", "v1:prep:topics:money") in api.buttons(topics)

    bot.kill()  # a crash in the middle of step 2; the ticks are already saved
    bot.start()
    ola.press(topics, "Ferdig →")
    money = ola.expect("Steg 3 av 7")
    assert "Penger og støtte fra Nav" in money.text
    money = tick(ola, money, "☐ 1")
    ola.press(money, "Ferdig →")
    ola.press(ola.expect("Videre behandling og oppfølging"), "Ferdig →")
    ola.press(
        # No behandler comes to this meeting, so only those who do are offered (step 4).
        ola.expect("Hvem skal ta opp «Penger og støtte fra Nav»"),
        "Jobbspesialisten min",
    )
    ola.press(ola.expect("Hvem skal ta opp «Videre behandling"), "Jeg tar det opp selv")
    order = ola.expect("Hva er viktigst for deg?")
    ola.press(order, "Videre behandling og oppfølging")
    ola.expect("Hva vil du få ut av møtet?")
    ola.send("Vite at det er greit om det ikke går")
    ola.press(ola.expect("Er det noe du ikke vil snakke om denne gangen?"), "Hopp over →")
    review = ola.expect("Slik ser agendaen din ut.")

    parts = [m for m in api.messages_to(OLA)[ola.seen :] if m.message_id < review.message_id]
    assert len(parts) >= 2  # over 4096 characters: split, never cut
    assert all(len(m.text) <= 4096 for m in parts)
    whole = " ".join(m.text for m in parts)
    assert " ".join(LONG.split()) in " ".join(whole.split())  # every word, in order
    assert SPECIAL in whole
    treatment = whole.index("Videre behandling og oppfølging")
    assert whole.index("Vite at det er greit") < treatment < whole.index("Penger og støtte fra Nav")
    assert "Jeg tar det opp selv" in whole and "Jobbspesialisten min tar dette opp" in whole
    assert whole.rindex("Den faste delen av møtet") > whole.index("Penger og støtte fra Nav")

    # Back to step 1 from the review: the 4,000-character answer is shown again inside <i>,
    # which must be split without breaking the markup.
    ola.press(review, "Endre: hvordan det går")
    ola.press(ola.expect("Hva går bra?"), "Behold og gå videre →")
    hard_again = api.wait_for_message(
        OLA, lambda m: "Behold og gå videre →" in dict(api.buttons(m)), after=ola.seen
    )
    shown = " ".join(m.text for m in api.messages_to(OLA)[ola.seen :])
    assert " ".join(LONG.split()) in " ".join(shown.split())
    ola.press(hard_again, "Behold og gå videre →")
    review = ola.expect("Slik ser agendaen din ut.")
    ola.press(review, "Ferdig, agendaen er klar")
    ola.expect("Agendaen din er klar.")
    kari.send("/moeter")
    assert "Forberedelse: klar" in kari.expect("Samarbeidsmøte med Ola Hansen").text

    assert bot.stop() == 0
    rejected = [c for c in api.calls if not c.ok and c.method != "getUpdates"]
    # The kill may come after Telegram showed the second tick but before the bot stored that:
    # the edit is made again after the restart (at least once), and Telegram says it is not
    # modified. That is the documented window, and harmless; nothing else may be refused.
    assert all(
        c.method == "editMessageText" and "not modified" in c.response["description"]
        for c in rejected
    )
    assert len(rejected) <= 1
    for secret in ("Det går bra", "miste støtten", "Vite at det er greit", "Ola Hansen"):
        assert secret not in bot.log
