"""Sharing through the engine (no Telegram, no SQLite): /deling shows each person exactly what
they would get, nothing goes before the yes, each copy holds exactly the approved points, and
a copy can be taken back — also when someone leaves the circle or the meeting is cancelled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.delivery import Deliveries
from bot.core.engine import Engine
from bot.core.messages import Delivery, Outcome, Reply
from bot.domain.agenda import Item
from bot.domain.consent import ShareStatus
from bot.domain.delivery import Attempt, DeliveryStatus, Op
from bot.domain.people import Locale
from tests.template_samples import START
from tests.unit.conftest import RENDERER
from tests.unit.test_circle_and_meetings import (
    KARI,
    KIM,
    KIM_NAME,
    NINA,
    OLA,
    PER,
    World,
    build_world,
    button_data,
    command,
    notification,
    press,
    refused,
    register_specialist,
    schedule,
    templates,
)
from tests.unit.test_preparation import (
    GOOD,
    HARD,
    MONEY_WORDS,
    NOT_NOW,
    OTHER_WORDS,
    PURPOSE,
    Session,
    make_installation,
    olas_review,
)


@pytest.fixture
def engine(uow_factory, clock) -> Engine:
    """With the question bank and the crisis phrases, as in the preparation's tests."""
    return Engine(uow_factory, clock, make_installation(), RENDERER)


@pytest.fixture
async def world(engine, store, clock, uow_factory) -> World:
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    return world


@pytest.fixture
def ola(engine, store, clock, world) -> Session:
    return Session(engine, store, clock)


async def ready_agenda(ola: Session) -> None:
    await olas_review(ola)
    assert templates(await ola.tap("review", "done")) == ["prep/ready.html"]


async def deling(ola: Session) -> Outcome:
    outcome = await ola.command("deling")
    assert templates(outcome) == ["share/overview.html"]
    return outcome


def copies_to(ola: Session, address: str) -> list[Delivery]:
    return [d for d in ola.store.outbox.values() if d.address == address and d.ref]


def text_of(delivery: Delivery) -> str:
    return "".join(delivery.envelope.parts)


async def preview(ola: Session, world: World, address: str) -> Outcome:
    outcome = await ola.send(press(f"v1:share:overview:pick-{world.id(address)}", OLA))
    assert templates(outcome) == ["share/preview.html"]
    return outcome


async def share_with(ola: Session, world: World, address: str) -> Outcome:
    await preview(ola, world, address)
    shared = await ola.send(press("v1:share:preview:send", OLA))
    assert templates(shared)[0] == "share/shared.html"
    return shared


def sent(ola: Session, address: str) -> None:
    """The sender delivered everything queued for ``address`` (message ids 100, 101, ...)."""
    for delivery in list(ola.store.outbox.values()):
        if delivery.address == address and not delivery.status.settled:
            ids = tuple(100 + n for n in range(len(delivery.envelope.parts) or 1))
            ola.store.outbox[delivery.id] = replace(
                delivery, status=DeliveryStatus.SENT, message_ids=ids, settled_at=ola.clock.now()
            )


# -- 1. exactly what each person gets --------------------------------------------------------------


async def test_the_overview_lists_who_comes_and_that_nothing_is_shared(ola, world):
    await ready_agenda(ola)
    overview = (await deling(ola)).replies[0]
    names = [p["name"] for p in overview.context["people"]]
    assert names == ["Kari Nordmann", "Per Hansen", "Nina Lie"]
    assert {p["status"] for p in overview.context["people"]} == {"not_shared"}
    assert f"v1:share:overview:pick-{world.id(PER)}" in button_data(overview)
    assert not any(d.ref for d in ola.store.outbox.values())  # nothing sent by looking


@pytest.mark.parametrize(
    ("address", "shown", "left_out"),
    [
        # The behandler: what Ola asks of him first; his health topics; not "not this time".
        (PER, [PURPOSE, MONEY_WORDS, OTHER_WORDS, GOOD, HARD], [NOT_NOW]),
        # The Nav-veileder: no health, no free text, no "not this time" unless Ola adds them.
        (NINA, [PURPOSE, MONEY_WORDS], [OTHER_WORDS, GOOD, HARD, NOT_NOW]),
        # The jobbspesialist (employed by Nav): not the treatment topic Per is to explain.
        (KARI, [PURPOSE, MONEY_WORDS, OTHER_WORDS, GOOD, NOT_NOW], []),
    ],
    ids=["behandler", "navveileder", "jobbspesialist"],
)
async def test_each_copy_holds_exactly_what_is_proposed_and_is_sent_only_after_the_yes(
    ola, world, address, shown, left_out
):
    await ready_agenda(ola)
    await deling(ola)
    looked = await preview(ola, world, address)
    preview_text = RENDERER.render(looked.replies[0]).html
    assert copies_to(ola, address) == []  # a preview sends nothing

    await ola.send(press("v1:share:preview:send", OLA))

    [copy, *journal] = copies_to(ola, address)
    assert copy.envelope.protect and copy.op is Op.SEND and copy.ref == "share:1"
    words = text_of(copy)
    for text in shown:
        assert text in words and text in preview_text
    for text in left_out:
        assert text not in words and text not in preview_text
    assert [d.ref for d in journal] == (["share:1"] if address == PER else [])
    assert [s.status for s in ola.store.shares.values()] == [ShareStatus.SHARED]


async def test_what_is_asked_of_the_behandler_comes_first_in_his_copy(ola, world):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    words = text_of(copies_to(ola, PER)[0])
    asked = words.index("Ola vil at du forklarer dette:")
    assert asked < words.index("Videre behandling og oppfølging") < words.index(PURPOSE)
    assert "Ola tar opp dette selv:" in words  # money, raised by Ola himself


async def test_ticking_and_unticking_changes_exactly_what_goes(ola, world):
    await ready_agenda(ola)
    await deling(ola)
    looked = await preview(ola, world, NINA)
    version = list(ola.store.agendas.values())[-1]
    situation = next(n for n, i in enumerate(version.items) if i.key == "situation")
    money = next(n for n, i in enumerate(version.items) if i.key == "topic:money")

    ticked = await ola.send(press(f"v1:share:preview:{situation}", OLA))
    unticked = await ola.send(press(f"v1:share:preview:{money}", OLA))
    assert ticked.replies[0].replace and unticked.replies[0].replace  # the preview in place
    await ola.send(press("v1:share:preview:send", OLA))

    words = text_of(copies_to(ola, NINA)[0])
    assert GOOD in words and HARD in words and MONEY_WORDS not in words
    assert looked.replies[0].context["journal"] is False


async def test_words_that_brought_the_safety_note_are_never_proposed(ola, world):
    await ready_agenda(ola)
    # What the preparation keeps when Ola chooses to keep words that brought the safety note.
    list(ola.store.preparations.values())[-1].answers.crisis.append("situation")
    await deling(ola)
    await share_with(ola, world, PER)
    words = text_of(copies_to(ola, PER)[0])
    assert GOOD not in words and HARD not in words


# -- 2. taking it back ----------------------------------------------------------------------------


async def test_a_copy_not_yet_sent_is_cancelled_and_a_sent_one_taken_back(ola, world):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, NINA)
    await share_with(ola, world, PER)
    sent(ola, PER)  # Per's copy went out; Nina's is still waiting

    for address in (NINA, PER):
        await ola.send(press(f"v1:share:overview:take-{world.id(address)}", OLA))
        done = await ola.send(press("v1:share:take:yes", OLA))
        assert templates(done)[0] == "share/withdrawn.html"

    [nina_copy] = [d for d in copies_to(ola, NINA) if d.op is Op.SEND]
    assert nina_copy.status is DeliveryStatus.CANCELLED
    assert not any(d.op is Op.WITHDRAW for d in copies_to(ola, NINA))
    withdraws = [d for d in copies_to(ola, PER) if d.op is Op.WITHDRAW]
    per_sends = [d for d in copies_to(ola, PER) if d.op is Op.SEND]
    assert sorted(d.target_id for d in withdraws) == sorted(d.id for d in per_sends)
    told = [d for d in ola.store.outbox.values() if d.address == PER and not d.ref]
    assert "trukket tilbake" in text_of(told[-1])
    assert {s.status for s in ola.store.shares.values()} == {ShareStatus.WITHDRAWN}


async def test_removing_someone_withdraws_what_they_got_and_says_ola_took_it_back(ola, world):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    sent(ola, PER)
    membership = world.membership(PER)

    await ola.send(press(f"v1:cq:rm:{membership}", OLA))
    removed = await ola.send(press(f"v1:cq:rmyes:{membership}", OLA))

    assert [d.op for d in copies_to(ola, PER)][-1] is Op.WITHDRAW
    assert {s.status for s in ola.store.shares.values()} == {ShareStatus.WITHDRAWN}
    # Per is told that Ola took it back: he did.
    told = [r for r in removed.replies if r.address == PER and r.withdraws is None]
    assert [r.template for r in told] == [
        "share/withdrawn_notice.html",
        "circle/you_were_removed.html",
    ]
    assert "og vil ikke at det brukes" in RENDERER.render(told[0]).html
    taken = [r for r in removed.replies if r.withdraws is not None]
    assert taken and not any(r.context["outside"] for r in taken)  # Ola took it back: he did


async def test_a_hand_over_takes_back_karis_copy_without_blaming_ola(
    ola, world, engine, uow_factory, clock
):
    """Ola said yes to Kim; he took nothing back from Kari. Her copy goes, and the message
    saying she left the group says so — no "Ola has withdrawn"."""
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, KARI)
    sent(ola, KARI)
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await engine.handle(command("inviter", KARI))
    await engine.handle(press("v1:inv:act:handover", KARI))
    asked = await engine.handle(press(f"v1:inv:colleague:{world.id(KIM)}", KARI))
    world.requests[KIM] = notification(asked, OLA)

    done = await ola.send(press(f"v1:cq:ok:{world.membership(KIM)}", OLA))

    to_kari = [r for r in done.replies if r.address == KARI]
    taken = [r for r in to_kari if r.withdraws is not None]
    [told] = [r for r in to_kari if r.withdraws is None]
    assert told.template == "circle/handover_done.html" and told.context["withdrawn"]
    sends = {d.id for d in copies_to(ola, KARI) if d.op is Op.SEND}
    assert taken and {r.withdraws for r in taken} == sends
    texts = [RENDERER.render(r).html for r in to_kari]
    assert all("fordi du ikke lenger er med i gruppen" in RENDERER.render(r).html for r in taken)
    assert "Det Ola delte med deg her, er tatt bort." in RENDERER.render(told).html
    assert not any("trukket tilbake" in text for text in texts)


async def test_a_cancelled_meeting_asks_the_job_seeker_whether_to_take_it_back(ola, world, engine):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    sent(ola, PER)
    meeting = next(iter(ola.store.meetings))

    await engine.handle(press(f"v1:mt:cancel:{meeting}", KARI))
    cancelled = await engine.handle(press("v1:sched:cancel:yes", KARI))

    [asked] = [
        r for r in cancelled.replies if r.address == OLA and r.template == "share/cancelled.html"
    ]
    assert button_data(asked) == [f"v1:sw:all:{meeting}", f"v1:sw:keep:{meeting}"]
    await ola.send(press(f"v1:sw:all:{meeting}", OLA))
    assert {s.status for s in ola.store.shares.values()} == {ShareStatus.WITHDRAWN}


async def test_a_moved_meeting_shows_its_new_time_in_the_copies(ola, world, engine):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, NINA)
    sent(ola, NINA)
    meeting = next(iter(ola.store.meetings))

    await engine.handle(press(f"v1:mt:move:{meeting}", KARI))
    await engine.handle(press("v1:sched:day:2026-12-11", KARI))
    await engine.handle(press("v1:sched:time:1300", KARI))
    await engine.handle(press("v1:sched:confirm:yes", KARI))

    edit = [d for d in copies_to(ola, NINA) if d.op is Op.EDIT]
    assert len(edit) == 1 and edit[0].target_id == 100
    assert "fredag 11. desember" in text_of(edit[0]) and MONEY_WORDS in text_of(edit[0])


# -- 3. read receipts, versions, the log ----------------------------------------------------------


async def test_lest_tells_the_job_seeker_once(ola, world, engine):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    [read] = button_data(
        next(
            r for r in ola.seen[-1].replies if r.address == PER and r.template == "share/copy.html"
        )
    )

    first = await engine.handle(press(read, PER))
    again = await engine.handle(press(read, PER))

    assert [r.template for r in first.replies] == [
        "share/marked_read.html",
        "share/read_notice.html",
    ]
    assert [r.template for r in again.replies] == ["share/marked_read.html"]
    await refused(engine, press(read, NINA))  # not hers
    overview = (await deling(ola)).replies[0]
    assert [p["status"] for p in overview.context["people"] if p["name"] == "Per Hansen"] == [
        "read"
    ]


async def test_a_changed_agenda_is_a_new_version_and_a_new_yes(ola, world):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    sent(ola, PER)
    await ola.command("agenda")
    [change] = ola.offered()  # "Endre agendaen": to the review
    await ola.send(press(change, OLA))
    await ola.tap("review", "edit-not_now")
    await ola.say("Og ikke om skolen heller.")
    await ola.send(press("v1:prep:words:add", OLA))  # "Legg til": both kept
    while "v1:prep:review:done" not in ola.offered():
        await ola.send(press(next(d for d in ola.offered() if d.endswith(("keep", "skip"))), OLA))
    await ola.tap("review", "done")

    overview = (await deling(ola)).replies[0]
    per = next(p for p in overview.context["people"] if p["name"] == "Per Hansen")
    assert per["older"] and overview.context["version"] == 2
    await share_with(ola, world, PER)
    statuses = sorted(s.status.value for s in ola.store.shares.values())
    assert statuses == ["replaced", "shared"]
    assert any(d.op is Op.WITHDRAW for d in copies_to(ola, PER))  # the old copy taken back


async def test_only_the_job_seeker_shares_and_only_with_those_who_come(ola, world, engine):
    await ready_agenda(ola)
    for address in (KARI, PER, NINA):
        answer = await engine.handle(command("deling", address))
        assert templates(answer) == ["not_for_you.html"]
    await deling(ola)
    await refused(engine, press(f"v1:share:overview:pick-{world.id(KARI) + 99}", OLA))
    await refused(engine, press("v1:share:overview:pick-²", OLA))
    assert not any(d.ref for d in ola.store.outbox.values())


async def test_a_copy_that_cannot_be_delivered_is_explained_to_ola_and_kari(
    ola, world, uow_factory
):
    await ready_agenda(ola)
    await deling(ola)
    await share_with(ola, world, PER)
    deliveries = Deliveries(uow_factory, ola.clock, RENDERER)
    copy = await deliveries.next(PER)
    assert copy is not None

    await deliveries.finish(copy, Attempt.BLOCKED)

    told = {
        address: " ".join(text_of(d) for d in ola.store.outbox.values() if d.address == address)
        for address in (OLA, KARI)
    }
    assert "kom ikke fram" in told[OLA] and "PDF" in told[OLA]
    assert "prøvde å dele agendaen sin med Per Hansen" in told[KARI]
    overview = (await deling(ola)).replies[0]
    assert [p["status"] for p in overview.context["people"] if p["name"] == "Per Hansen"] == [
        "unreachable"
    ]


async def test_who_raises_it_offers_only_roles_who_come(engine, store, clock, uow_factory):
    """Step 4: the behandler is not on this meeting, so "my behandler explains it" is not
    offered (and a forged press for it is refused)."""
    meetingless = await build_world(engine, store, clock, uow_factory)
    await schedule(meetingless, leave_out=(PER,))
    ola = Session(engine, store, clock)
    await ola.command("forbered")
    await ola.tap("good", "skip")
    await ola.tap("hard", "skip")
    await ola.tap("topics", "housing")
    await ola.tap("topics", "done")
    await ola.tap("questions", "done")

    offered = ola.offered()
    assert [d.split(":")[3] for d in offered if ":who:" in d and "@" in d][:3] == [
        "me@0",
        "jobbspesialist@0",
        "together@0",
    ]
    assert not any("behandler@" in d for d in offered)
    await refused(engine, press("v1:prep:who:behandler@0", OLA))


def test_the_journal_text_keeps_what_is_good_and_what_is_hard_apart_one_line_per_point() -> None:
    """The text a professional copies into a health record says no less than the copy, and no
    point's own line breaks break the list apart."""
    items = (
        Item(
            "situation", going_well="Lageret går fint.\nSjefen er grei.", hard="Jeg sover dårlig."
        ),
        Item("topic", topic="money", own_words="Hva om jeg blir syk?\nKan jeg jobbe i helgene?"),
        Item("topic", topic="openness", phrasing_words="Jeg trenger mer tid på nye oppgaver."),
    )
    context = {"name": "Ola Hansen", "starts_at": START, "items": items}
    text = RENDERER.render(Reply("share/journal.html", Locale.NB, context)).html
    points = text.split("<pre>", 1)[1].split("</pre>", 1)[0].strip().split("\n")[1:]
    assert [p for p in points if p] == [
        "- Går bra: Lageret går fint. Sjefen er grei.",
        "- Vanskelig nå: Jeg sover dårlig.",
        "- Penger og støtte fra Nav: Hva om jeg blir syk? Kan jeg jobbe i helgene?",
        "- Åpenhet overfor arbeidsgiver: Jeg trenger mer tid på nye oppgaver.",
    ]
