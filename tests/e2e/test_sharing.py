"""Sharing through `moteklar run` and the fake Bot API: each person in the meeting gets exactly
what the job seeker approved on the screen, nobody else gets anything, and a copy can be taken
back — deleted, or overwritten once Telegram no longer allows deleting."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import BotProcess
from tests.e2e.test_circle_and_meetings import Person, meeting_day
from tests.e2e.test_delivery import settled
from tests.fakebotapi import FakeBotApi, SentMessage

EMPLOYER_LABELS = {"nav": "Nav", "helse": "Helsetjenesten", "kommune": "Kommunen"}
TOPICS = ("money", "housing", "treatment", "other")
RAISERS = ("me", "jobbspesialist", "behandler", "together")
_people = itertools.count(1)


def with_button(api: FakeBotApi, prefix: str):  # type: ignore[no-untyped-def]
    """A message that has a button whose data starts with ``prefix``."""
    return lambda m: any(data.startswith(prefix) for _, data in api.buttons(m))


def press_data(person: Person, message: SentMessage, data: str) -> None:
    person.seen = len(person.api.messages_to(person.id))
    person.api.press_button(person.id, message.message_id, data)


def latest(person: Person, prefix: str) -> SentMessage:
    """The newest message (from the person's last action on) with such a button."""
    found = person.api.wait_for_message(
        person.id, with_button(person.api, prefix), after=person.seen
    )
    later = [
        m
        for m in person.api.messages_to(person.id)[person.seen :]
        if with_button(person.api, prefix)(m) and not m.deleted
    ]
    return later[-1] if later else found


def tick(person: Person, message: SentMessage, data: str) -> SentMessage:
    """Press a toggle and wait for the same message to change in place."""
    before = len(person.api.calls)
    person.api.press_button(person.id, message.message_id, data)
    person.api.wait_for_call(
        "editMessageText", lambda c: c.params.get("message_id") == message.message_id, after=before
    )
    return next(m for m in person.api.messages_to(person.id) if m.message_id == message.message_id)


@dataclass
class Agenda:
    """What Ola writes, with a marker of its own in every point."""

    tag: str
    good: bool
    hard: bool
    topics: list[str]
    raisers: list[str]
    purpose: bool
    not_now: bool
    markers: dict[str, list[str]] = field(default_factory=dict)  # item key -> its markers

    def __post_init__(self) -> None:
        if self.purpose:
            self.markers["purpose"] = [f"{self.tag}P"]
        for topic in self.topics:
            self.markers[f"topic:{topic}"] = [f"{self.tag}T{topic}"]
        situation = [f"{self.tag}{k}" for k, on in (("G", self.good), ("H", self.hard)) if on]
        if situation:
            self.markers["situation"] = situation
        if self.not_now:
            self.markers["not_this_time"] = [f"{self.tag}N"]

    @property
    def all_markers(self) -> set[str]:
        return {m for markers in self.markers.values() for m in markers}


def circle(api: FakeBotApi, bot: BotProcess, employer: str, approve_nina: bool) -> list[Person]:
    """Kari (employed as given), Ola, Per (approved) and Nina (approved or left waiting), and
    a meeting for them all."""
    base = 10_000 + next(_people) * 10
    kari, ola, per, nina = (Person(api, base + n) for n in range(1, 5))
    kari.join(bot.invite("--name", "Kari Nordmann").rsplit("start=", 1)[1])
    kari.press(kari.expect("Hvor er du ansatt?"), EMPLOYER_LABELS[employer])
    kari.send("/ny_jobbsoeker")
    kari.expect("Hva heter jobbsøkeren?")
    kari.send("Ola Hansen")
    ola.join(kari.token_in("Her er en personlig lenke"))
    ola.press(ola.expect("Vil du bruke Møteklar?"), "Ja, jeg vil bruke Møteklar")
    ola.send("/inviter")
    ola.press(  # the overview, not the welcome's command list (which may arrive late)
        ola.api.wait_for_message(
            ola.id,
            lambda m: "v1:inv:act:behandler" in dict(ola.api.buttons(m)).values(),
            after=ola.seen,
        ),
        "Inviter en behandler",
    )
    per.join(ola.token_in("Her er en lenke for en behandler"), "Per Berg", "DPS", name_ok=False)
    ola.press(ola.expect("Per Berg (behandler, DPS)"), "Ja, godta")
    per.expect("har sagt ja")
    kari.send("/inviter")
    kari.press(
        kari.api.wait_for_message(
            kari.id,
            lambda m: "v1:inv:act:navveileder" in dict(kari.api.buttons(m)).values(),
            after=kari.seen,
        ),
        "Inviter en Nav-veileder",
    )
    nina.join(
        kari.token_in("Her er en lenke for en Nav-veileder"), "Nina Lie", "Nav", name_ok=False
    )
    request = ola.expect("Nina Lie (Nav-veileder, Nav)")
    if approve_nina:
        ola.press(request, "Ja, godta")
        nina.expect("har sagt ja")
    kari.send("/nytt_moete")
    kari.expect("Hvilken dag?")
    kari.send(f"{meeting_day():%d.%m.%Y} 10:00")
    kari.press(kari.expect("Hvor lenge varer møtet?"), "60 minutter")
    kari.send("DPS Solvang, rom 2")
    kari.press(kari.expect("Hvem andre skal være med?"), "Ferdig")
    kari.press(kari.expect("Stemmer dette?"), "Ja, det stemmer")
    ola.expect("Nytt samarbeidsmøte")
    return [kari, ola, per, nina]


def prepare(ola: Person, agenda: Agenda) -> None:
    """Ola prepares, by the buttons' data (not their words) and his own words."""
    ola.send("/forbered")
    for step, on, marker in (("good", agenda.good, "G"), ("hard", agenda.hard, "H")):
        message = latest(ola, f"v1:prep:{step}:")
        if on:
            ola.send(f"Det er {agenda.tag}{marker} her.")
        else:
            press_data(ola, message, f"v1:prep:{step}:skip")
    topics = latest(ola, "v1:prep:topics:")
    for topic in agenda.topics:
        topics = tick(ola, topics, f"v1:prep:topics:{topic}")
    press_data(ola, topics, "v1:prep:topics:done")
    if "other" in agenda.topics:
        latest(ola, "v1:prep:other:")
        ola.send(f"Egne ord {agenda.tag}Tother.")
    for index, topic in enumerate(agenda.topics):
        if topic == "other":
            continue
        latest(ola, f"v1:prep:questions:done@{index}")
        ola.send(f"Mitt spørsmål {agenda.tag}T{topic}.")
        press_data(
            ola, latest(ola, f"v1:prep:questions:done@{index}"), f"v1:prep:questions:done@{index}"
        )
    for index, raiser in enumerate(agenda.raisers):
        press_data(
            ola, latest(ola, f"v1:prep:who:{raiser}@{index}"), f"v1:prep:who:{raiser}@{index}"
        )
    if len(agenda.topics) > 1:
        press_data(ola, latest(ola, "v1:prep:order:skip"), "v1:prep:order:skip")
    for step, on, marker in (("purpose", agenda.purpose, "P"), ("not_now", agenda.not_now, "N")):
        message = latest(ola, f"v1:prep:{step}:")
        if on:
            ola.send(f"Det er {agenda.tag}{marker} her.")
        else:
            press_data(ola, message, f"v1:prep:{step}:skip")
    press_data(ola, latest(ola, "v1:prep:review:done"), "v1:prep:review:done")
    ola.expect("Agendaen din er klar")


def open_deling(ola: Person, verb: str, name: str) -> None:
    """/deling, then the overview's button for ``name`` ("pick": see what they get, "take")."""
    ola.send("/deling")
    overview = latest(ola, "v1:share:overview:pick-")
    label = {"pick": f"Se hva {name} får", "take": f"Trekk tilbake fra {name}"}[verb]
    press_data(ola, overview, dict(ola.api.buttons(overview))[label])


def share(ola: Person, name: str, toggles: list[int]) -> set[int]:
    """Share with one person after ticking and unticking; the positions ticked on the screen."""
    open_deling(ola, "pick", name)
    preview = latest(ola, "v1:share:preview:send")
    points = [d for _, d in ola.api.buttons(preview) if d.split(":")[-1].isdigit()]
    for position in toggles:
        if position < len(points):
            preview = tick(ola, preview, points[position])
    labels = dict((data, label) for label, data in ola.api.buttons(preview))
    ticked = {n for n, data in enumerate(points) if labels[data].startswith("☑ ")}
    press_data(ola, preview, "v1:share:preview:send")
    ola.expect(f"Delt med {name}")
    return ticked


def withdraw(ola: Person, name: str) -> None:
    open_deling(ola, "take", name)
    press_data(ola, latest(ola, "v1:share:take:yes"), "v1:share:take:yes")
    ola.expect("Trukket tilbake")


def visible_text(api: FakeBotApi, person: Person) -> str:
    return "\n".join(m.text for m in api.messages_to(person.id) if not m.deleted)


def wait_until(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.05)


# -- the property ------------------------------------------------------------------------------

AGENDAS = st.builds(
    lambda good, hard, topics, raisers, purpose, not_now: (
        good,
        hard,
        topics,
        raisers,
        purpose,
        not_now,
    ),
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(TOPICS), min_size=0, max_size=3, unique=True),
    st.lists(st.sampled_from(RAISERS), min_size=3, max_size=3),
    st.booleans(),
    st.booleans(),
)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shape=AGENDAS,
    employer=st.sampled_from(sorted(EMPLOYER_LABELS)),
    approve_nina=st.booleans(),
    share_with=st.sets(st.sampled_from(["Kari Nordmann", "Per Berg", "Nina Lie"])),
    toggles=st.lists(st.integers(0, 6), max_size=3),
    remove_per=st.booleans(),
)
def test_each_recipient_gets_exactly_what_was_approved_and_nobody_else_anything(
    api: FakeBotApi,
    bot: BotProcess,
    shape: tuple[bool, bool, list[str], list[str], bool, bool],
    employer: str,
    approve_nina: bool,
    share_with: set[str],
    toggles: list[int],
    remove_per: bool,
) -> None:
    if not bot.running:
        bot.start()
    good, hard, topics, raisers, purpose, not_now = shape
    kari, ola, per, nina = circle(api, bot, employer, approve_nina)
    agenda = Agenda(f"Q{ola.id}x", good, hard, topics, raisers[: len(topics)], purpose, not_now)
    prepare(ola, agenda)
    keys = list(agenda.markers)  # the agenda's order: purpose, topics, situation, not this time
    people = {"Kari Nordmann": kari, "Per Berg": per, "Nina Lie": nina}
    expected: dict[str, set[str]] = {name: set() for name in people}
    if not keys:  # nothing written: nothing to share, and /deling says so
        ola.send("/deling")
        ola.expect("Du har ikke skrevet noe å dele ennå")
        share_with = set()
    for name in sorted(share_with):
        if name == "Nina Lie" and not approve_nina:
            continue  # she is not on the meeting: there is nobody to pick
        ticked = share(ola, name, toggles)
        expected[name] = {m for n in ticked for m in agenda.markers[keys[n]]}
        wait_until(
            lambda p=people[name], e=expected[name]: all(m in visible_text(api, p) for m in e)
        )
    if remove_per and "Per Berg" in share_with:
        ola.send("/inviter")
        ola.press(
            ola.api.wait_for_message(
                ola.id, lambda m: "Fjern Per Berg" in dict(ola.api.buttons(m)), after=ola.seen
            ),
            "Fjern Per Berg",
        )
        ola.press(ola.expect("Per Berg"), "Ja, fjern Per Berg")
        expected["Per Berg"] = set()
        per.expect("har trukket tilbake det som ble delt med deg")
        wait_until(lambda: not any(m in visible_text(api, per) for m in agenda.all_markers))

    settled(bot)  # nothing still on its way: a copy in flight would otherwise go unseen
    for name, person in people.items():
        seen = {m for m in agenda.all_markers if m in visible_text(api, person)}
        assert seen == expected[name], (name, sorted(seen), sorted(expected[name]))


# -- one journey, told in full ------------------------------------------------------------------

LONG = ("Jeg vil ikke miste støtten, og jeg er redd for det som skjer etterpå. " * 60)[:4000]


def test_share_read_withdraw_and_overwrite_after_two_days(api: FakeBotApi, bot: BotProcess) -> None:
    bot.start()
    _, ola, per, nina = circle(api, bot, "nav", approve_nina=True)
    agenda = Agenda("J", True, True, ["money"], ["behandler"], True, False)
    prepare(ola, agenda)
    # Long words make a long copy: it is split in parts, and every part is taken back.
    ola.send("/agenda")
    change = latest(ola, "v1:pa:edit:")  # "Endre agendaen"
    press_data(ola, change, next(d for _, d in ola.api.buttons(change) if d.startswith("v1:pa:")))
    press_data(ola, latest(ola, "v1:prep:review:edit-good"), "v1:prep:review:edit-good")
    latest(ola, "v1:prep:good:")
    ola.send(LONG)
    press_data(ola, latest(ola, "v1:prep:words:replace"), "v1:prep:words:replace")
    press_data(ola, latest(ola, "v1:prep:hard:keep"), "v1:prep:hard:keep")
    press_data(ola, latest(ola, "v1:prep:review:done"), "v1:prep:review:done")

    share(ola, "Per Berg", [])
    per.expect("Ola Hansen vil at du forklarer dette:")
    journal = per.expect("Tekst til din egen journal")
    parts = [m for m in api.messages_to(per.id) if m.protect_content]
    assert len(parts) >= 2  # over 4096 characters: split, every part protected
    assert LONG[:60] in " ".join(m.text for m in parts)
    assert not journal.protect_content  # copyable on purpose

    read = next(m for m in parts if "Lest" in dict(api.buttons(m)))
    press_data(per, read, dict(api.buttons(read))["Lest"])
    ola.expect("Per Berg har lest det du delte.")

    share(ola, "Nina Lie", [])
    nina_copy = nina.expect("Fra Ola Hansen før samarbeidsmøtet")
    assert agenda.markers["topic:money"][0] in nina_copy.text
    settled(bot)
    assert LONG[:60] not in visible_text(api, nina)  # free text: not proposed to Nav

    # Per: within two days every part of the copy, and the journal text, is deleted.
    withdraw(ola, "Per Berg")
    per.expect("har trukket tilbake det som ble delt med deg")
    taken = {m.message_id for m in parts} | {journal.message_id}
    wait_until(lambda: all(m.deleted for m in api.messages_to(per.id) if m.message_id in taken))

    # Nina: more than two days later Telegram no longer lets the bot delete it: overwritten.
    api.advance_clock(49 * 3600)
    withdraw(ola, "Nina Lie")
    nina.expect("har trukket tilbake det som ble delt med deg")

    def overwritten() -> SentMessage:
        return next(m for m in api.messages_to(nina.id) if m.message_id == nina_copy.message_id)

    wait_until(lambda: "har trukket tilbake det som var delt her" in overwritten().text)
    assert not overwritten().deleted and overwritten().reply_markup is None
    assert agenda.markers["topic:money"][0] not in visible_text(api, nina)
    refused = [c for c in api.calls_to("deleteMessage") if not c.ok]
    assert refused and all("can't be deleted" in c.response["description"] for c in refused)

    ola.send("/deling")
    log = ola.expect("Dette har du delt")
    assert log.text.count("trukket tilbake") >= 2 and ", lest" in log.text
    press_data(ola, latest(ola, "v1:share:overview:pdf"), "v1:share:overview:pdf")
    pdf = api.wait_for_message(ola.id, lambda m: m.document is not None, after=ola.seen)
    assert pdf.document is not None and pdf.document["file_name"].endswith(".pdf")
