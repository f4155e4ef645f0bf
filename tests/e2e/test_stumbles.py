"""Issue 10, as a person meets it in Telegram: `moteklar run` against the fake Bot API server.

Each part is one thing a new user stumbled on: the crisis moment, skipped steps, lost words, a
finished agenda that looked unfinished, buttons that vanished, robotic replies, names without
letters and words that spoke about Ola instead of to him.
"""

from __future__ import annotations

from tests.e2e.conftest import BotProcess
from tests.e2e.test_circle_and_meetings import Person, meeting_day
from tests.fakebotapi import FakeBotApi, SentMessage

KARI, OLA, EVA = 4001, 4002, 4003
CRISIS = "Det går dårlig, jeg orker ikke mer og vil ikke leve sånn."


def since(person: Person, mark: int) -> list[SentMessage]:
    """What the person received after their ``mark``-th message."""
    return person.api.messages_to(person.id)[mark:]


def edits_of(api: FakeBotApi, message: SentMessage) -> list[str]:
    """The texts the bot put in place of ``message`` (marking a pressed button)."""
    return [
        str(c.params.get("text", ""))
        for c in api.calls
        if c.method in {"editMessageText", "editMessageReplyMarkup"}
        and c.params.get("chat_id") == message.chat_id
        and c.params.get("message_id") == message.message_id
    ]


def test_what_a_new_job_seeker_stumbled_on(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    kari, ola, eva = Person(api, KARI), Person(api, OLA), Person(api, EVA)

    # 6. A real command from someone not (yet) registered exists; they just cannot use it yet.
    eva.send("/agenda")
    assert "kjenner jeg ikke" not in eva.expect("/agenda kan du bruke når du er med").text

    kari.join(bot.invite("--name", "Kari Nordmann").rsplit("start=", 1)[1])
    kari.press(kari.expect("Hvor er du ansatt?"), "Nav")
    kari.send("/ny_jobbsoeker")
    kari.expect("Hva heter jobbsøkeren?")
    # 7. A name needs letters: "🙂" would be read back to others as a name.
    kari.send("🙂")
    kari.expect("Et navn må ha bokstaver")
    kari.send("Ola Hansen")
    ola.join(kari.token_in("Her er en personlig lenke"))
    ola.expect("Vil du bruke Møteklar?")
    # 6. A wrong answer at the privacy notice: the question again, not all 15 lines.
    ola.send("Hva betyr det?")
    again = ola.expect("Trykk ja eller nei")
    assert "Før vi begynner" not in again.text and len(again.text.splitlines()) == 1
    ola.press(again, "Ja, jeg vil bruke Møteklar")
    ola.expect("Velkommen, Ola Hansen!")

    kari.send("/nytt_moete")
    kari.expect("Hvilken dag?")
    kari.send(f"{meeting_day():%d.%m.%Y} kl. 10.00")
    kari.press(kari.expect("Hvor lenge varer møtet?"), "60 minutter")
    kari.send("DPS Solvang, rom 2")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    kari.press(kari.expect("Stemmer dette?"), "Ja, det stemmer")

    # 5. The calendar file leaves "Jeg kan ikke komme" in place, and it still works.
    news = ola.expect("Nytt samarbeidsmøte")
    ola.press(news, "Legg i kalenderen min")
    api.wait_for_call("sendDocument", lambda c: c.params.get("chat_id") == OLA)
    ola.press(news, "Jeg kan ikke komme")
    kari.expect("Ola Hansen kan ikke komme")
    ola.expect("Takk for at du sier fra")
    # The mark goes out side by side with the replies: waited for, not assumed to be there.
    api.wait_for_message(
        OLA, lambda m: m.message_id == news.message_id and m.text.endswith("✓ Jeg kan ikke komme")
    )
    assert [t for t in edits_of(api, news) if "Legg i kalenderen" in t.split("\n")[-1]] == []

    # 6. A registered person's "hei" gets a greeting.
    ola.send("hei")
    assert "ikke sikker på hva du mener" not in ola.expect("Hei, Ola Hansen!").text

    # 1. Outside a flow: the note, and nothing more (no command list).
    ola.send(CRISIS)
    before = ola.seen
    ola.expect("116 123")
    ola.send("/forbered")
    ola.expect("Hva går bra?")
    between = [m.text for m in since(ola, before)][:-2]  # up to the intro and the question
    assert len(between) == 1 and "116 123" in between[0], between

    ola.send("Det går bra på lageret.")
    ola.expect("Hva er vanskelig akkurat nå?")
    # 1. In the preparation: not saved as "Vanskelig nå", no next step; one quiet question.
    ola.send(CRISIS)
    question = ola.expect("Vil du ha med det du nettopp skrev")
    received = [m.text for m in since(ola, ola.seen)]
    assert len(received) == 2 and "116 123" in received[0], received
    assert not any("Steg 2 av 7" in text for text in received)
    assert [label for label, _ in api.buttons(question)] == [
        "Nei, ikke ta det med",
        "Ja, ta det med, bare for meg",
    ]
    ola.press(question, "Nei, ikke ta det med")
    ola.press(ola.expect("Det er ikke lagret."), "Gå videre")
    assert "Du skrev" not in ola.expect("Hva er vanskelig akkurat nå?").text
    ola.send("Jeg sover dårlig.")
    topics = ola.expect("Hva vil du snakke om i møtet?")
    before = api.call_count
    ola.press(topics, "Penger og støtte fra Nav")
    api.wait_for_call(
        "editMessageText",
        lambda c: (
            c.params.get("chat_id") == OLA and c.params.get("message_id") == topics.message_id
        ),
        after=before,
    )
    [topics] = [m for m in api.messages_to(OLA) if m.message_id == topics.message_id]
    ola.press(topics, "Ferdig →")
    ola.expect("Steg 3 av 7")

    # 3. Two questions typed one after the other stay two.
    ola.send("Hva om jeg blir syk?")
    ola.expect("Takk, det er lagt til")
    ola.send("Kan jeg jobbe i helgene?")
    shown = ola.expect("Kan jeg jobbe i helgene?")
    assert "Hva om jeg blir syk?" in shown.text

    # 2. A look at what one has, then "continue": back at step 3, not at step 7.
    ola.send("/avbryt")
    ola.expect("vi tar en pause")
    ola.send("/forbered")
    ola.press(ola.expect("Du stoppet på steg 3 av 7"), "Se hva jeg har så langt")
    look = ola.expect("Dette er det du har så langt")
    ola.press(look, "Fortsett der jeg slapp")
    questions = ola.expect("Steg 3 av 7")
    ola.press(questions, "Ferdig →")
    ola.press(ola.expect("Steg 4 av 7"), "Jeg tar det opp selv")
    ola.press(ola.expect("Hva vil du få ut av møtet?"), "Hopp over →")
    ola.press(ola.expect("Er det noe du ikke vil snakke om"), "Hopp over →")
    review = ola.expect("Steg 7 av 7")
    ola.press(review, "Ferdig, agendaen er klar")
    ola.expect("Agendaen din er klar.")

    # 4. /agenda on a finished preparation shows the agenda, with a way to change it.
    ola.send("/agenda")
    actions = ola.expect("Agendaen din er klar. Ingenting er delt")
    agenda = [m.text for m in since(ola, ola.seen)]
    assert any("Kan jeg jobbe i helgene?" in text for text in agenda)
    assert not any("Steg 7 av 7" in text or "Vil du endre noe?" in text for text in agenda)
    assert [label for label, _ in api.buttons(actions)] == ["Endre agendaen"]
    ola.send("/hjelp")
    ola.expect("Hvis du trenger hjelp nå")
    assert not any("Agenda for samarbeidsmøtet" in m.text for m in since(ola, ola.seen))
    ola.press(actions, "Endre agendaen")
    ola.expect("Hva vil du endre?")
    # 1. At the review: the note, and not "choose a button" and the whole agenda again.
    ola.send(CRISIS)
    before = ola.seen
    ola.expect("116 123")
    ola.send("/inviter")
    overview = ola.expect("Gruppen din")
    answered = [m.text for m in since(ola, before)]
    assert len(answered) == 2 and "116 123" in answered[0], answered  # the note, the group

    # 8. In Ola's own /inviter he is spoken to, not about.
    ola.press(overview, "Inviter en behandler")
    link = ola.expect("Her er en lenke for en behandler")
    assert "blir du spurt om å si ja" in link.text and "jobbsøkeren" not in link.text

    assert bot.stop() == 0
    for secret in ("Ola Hansen", "vil ikke leve", "helgene"):
        assert secret not in bot.log
