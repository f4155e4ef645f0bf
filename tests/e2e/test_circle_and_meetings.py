"""The whole path through `moteklar run` and the fake Bot API server: invite Kari, Kari invites
Ola, Ola lets Per and Nina in, Kari schedules, everyone sees it and gets the calendar file, and
a removed behandler sees nothing any more."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.e2e.conftest import BotProcess
from tests.fakebotapi import FakeBotApi, SentMessage

KARI, OLA, PER, NINA = 2001, 2002, 2003, 2004
LINK = re.compile(r"https://t\.me/moteklar_test_bot\?start=([A-Za-z0-9_-]+)")


class Person:
    def __init__(self, api: FakeBotApi, user_id: int) -> None:
        self.api, self.id = api, user_id
        self.seen = 0

    def send(self, text: str) -> None:
        self.seen = len(self.api.messages_to(self.id))
        self.api.send_text(self.id, text)

    def expect(self, text: str) -> SentMessage:
        """The next bot message to this person containing ``text`` (since they last acted)."""
        return self.api.wait_for_message(self.id, lambda m: text in m.text, after=self.seen)

    def press(self, message: SentMessage, label: str) -> None:
        data = dict(self.api.buttons(message))[label]
        self.seen = len(self.api.messages_to(self.id))
        self.api.press_button(self.id, message.message_id, data)

    def token_in(self, text: str) -> str:
        match = LINK.search(self.expect(text).text)
        assert match is not None
        return match.group(1)

    def join(self, token: str, *typed: str, name_ok: bool = True) -> None:
        """Open the link, choose bokmål; confirm the invited name, or type one (``typed[0]``,
        read back and confirmed), then type the rest (a workplace)."""
        self.send(f"/start {token}")
        self.press(self.expect("Hvilket språk"), "Bokmål")
        if not name_ok:
            name, *typed = typed  # type: ignore[assignment]
            self.expect("Hva heter du?")
            self.send(name)
        self.press(self.expect("Heter du"), "Ja, det er meg")
        for text in typed:
            self.send(text)


def meeting_day() -> date:
    day = date.today() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_invite_approve_schedule_and_remove(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    kari, ola, per, nina = (Person(api, i) for i in (KARI, OLA, PER, NINA))

    kari.join(bot.invite("--name", "Kari Nordmann").rsplit("start=", 1)[1])
    kari.press(kari.expect("Hvor er du ansatt?"), "Nav")
    kari.expect("Velkommen, Kari Nordmann!")
    menu = api.wait_for_call(
        "setMyCommands", lambda c: (c.params.get("scope") or {}).get("chat_id") == KARI
    )
    assert "nytt_moete" in [c["command"] for c in menu.params["commands"]]

    kari.send("/ny_jobbsoeker")
    kari.expect("Hva heter jobbsøkeren?")
    kari.send("Ola Hansen")
    ola_token = kari.token_in("Her er en personlig lenke for Ola Hansen.")

    ola.join(ola_token)
    ola.press(ola.expect("Vil du bruke Møteklar?"), "Ja, jeg vil bruke Møteklar")
    ola.expect("Velkommen, Ola Hansen!")
    kari.expect("Ola Hansen har sagt ja til å bruke Møteklar.")

    ola.send("/inviter")
    ola.press(ola.expect("Gruppen din"), "Inviter en behandler")
    per_token = ola.token_in("Her er en lenke for en behandler.")
    per.join(per_token, "Per Berg", "DPS Solvang", name_ok=False)
    per.expect("Ola Hansen har fått spørsmål om du kan bli med")
    request = ola.expect("Per Berg (behandler, DPS Solvang) vil gjerne bli med i gruppen din")
    ola.press(request, "Ja, godta")
    per.expect("Ola Hansen har sagt ja")

    kari.send("/inviter")
    kari.press(kari.expect("Gruppen til Ola Hansen"), "Inviter en Nav-veileder")
    nina_token = kari.token_in("Her er en lenke for en Nav-veileder.")
    nina.join(nina_token, "Nina Lie", "Nav Kristiansand", name_ok=False)
    ola.press(ola.expect("Nina Lie (Nav-veileder, Nav Kristiansand)"), "Ja, godta")
    nina.expect("Ola Hansen har sagt ja")

    day = meeting_day()
    kari.send("/nytt_moete")
    kari.expect("Hvilken dag?")
    kari.send(f"{day:%d.%m.%Y} 10:00")
    kari.press(kari.expect("Hvor lenge varer møtet?"), "60 minutter")
    kari.expect("Hvor er møtet?")
    kari.send("DPS Solvang, rom 2")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    read_back = kari.expect("Stemmer dette?")
    assert "kl. 10.00–11.00" in read_back.text and "Nina Lie (Nav-veileder)" in read_back.text
    kari.press(read_back, "Ja, det stemmer")
    kari.expect("Ferdig! Alle som skal være med, har fått beskjed.")

    for person in (ola, per, nina):
        news = person.expect("Nytt samarbeidsmøte")
        assert "kl. 10.00–11.00" in news.text and "📍 DPS Solvang, rom 2" in news.text
        person.send("/moeter")
        item = person.expect("Samarbeidsmøte")
        person.press(item, "Legg i kalenderen min")
        call = api.wait_for_call(
            "sendDocument", lambda c, p=person: c.params.get("chat_id") == p.id
        )
        ics = call.params["document"].data.decode()
        assert "BEGIN:VCALENDAR" in ics and "TZID=Europe/Oslo" in ics
        assert f"DTSTART;TZID=Europe/Oslo:{day:%Y%m%d}T100000" in ics

    ola.send("/inviter")
    ola.press(ola.expect("Gruppen din"), "Fjern Per Berg")
    ola.press(ola.expect("Vil du fjerne Per Berg fra gruppen din?"), "Ja, fjern Per Berg")
    ola.expect("Per Berg er fjernet fra gruppen din")
    per.expect("Ola Hansen har tatt deg ut av gruppen sin")
    per.send("/moeter")
    per.expect("Du har ingen møter som kommer.")

    assert bot.stop() == 0
    rejected = [c for c in api.calls if not c.ok and c.method != "getUpdates"]
    assert rejected == []
    for secret in ("Ola Hansen", "DPS Solvang", ola_token, per_token, api.token):
        assert secret not in bot.log
