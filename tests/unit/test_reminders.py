"""Reminders through the engine and ``Reminders.fire`` on in-memory fakes: planned with the
meeting, kept in step with every change to it and its circle, sent once through the outbox
when due and only while they make sense, /varsler, and the buttons on a reminder.

The FakeClock starts on Tuesday 1 December 2026 at 09:00 UTC (10:00 in Oslo); the meeting is on
Thursday 10 December at 10:00 in Oslo (09:00 UTC). Defaults: prep 3d, meetings 1d and 2h, quiet
hours 21-08.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.delivery import Deliveries
from bot.core.flows.base import Installation
from bot.core.messages import Delivery
from bot.core.reminders import Reminders
from bot.core.services import Change
from bot.core.services.reminders import replan
from bot.domain.circle import Status
from bot.domain.delivery import Attempt, DeliveryStatus, Guarantee, Op
from bot.domain.meetings import MeetingStatus
from bot.domain.preparation import Answers, Preparation, PrepStatus
from bot.domain.reminders import Kind, Policy, Reason, ReminderStatus
from tests.unit.conftest import RENDERER
from tests.unit.fakes import FakeClock, Store
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
    meeting_id,
    notification,
    notified,
    press,
    refused,
    register_specialist,
    schedule,
    templates,
)

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 10.00 in Oslo
PREP_DUE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # three days before
DAY_BEFORE = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
TWO_HOURS = datetime(2026, 12, 10, 7, 0, tzinfo=UTC)  # 08.00 in Oslo: quiet hours just ended
PIN_DUE = TWO_HOURS  # the meeting day, when quiet hours end
FOLLOWUP_DUE = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)  # two hours after the end (11.00)


def reminders_of(world: World, uow_factory) -> Reminders:
    return Reminders(
        uow_factory,
        world.clock,
        RENDERER,
        Installation(controller="Test HF", timezone="Europe/Oslo"),
    )


def pending(store: Store) -> dict[tuple[str, str, datetime], int]:
    """(address, kind, due) → id of every pending reminder."""
    by_id = {p.id: p.address for p in store.people.values()}
    return {
        (by_id[r.person_id], r.kind.value, r.due_at): r.id
        for r in store.reminders.values()
        if r.pending
    }


async def run_due(reminders: Reminders, clock: FakeClock) -> list[int]:
    """Fire everything due now, as the scheduler would; the ids fired."""
    due = [i for i, when in await reminders.due(clock.now() + timedelta(seconds=1))]
    for reminder_id in due:
        await reminders.fire(reminder_id)
    return due


def sent(store: Store, before: int = 0) -> list[Delivery]:
    """Reminder deliveries in the outbox (from delivery id ``before`` on)."""
    return [
        d
        for i, d in sorted(store.outbox.items())
        if i > before and (d.ref or "").startswith("reminder:")
    ]


def texts(store: Store, address: str, before: int = 0) -> list[str]:
    return ["\n".join(d.envelope.parts) for d in sent(store, before) if d.address == address]


async def test_a_meeting_plans_its_reminders(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)

    assert set(pending(store)) == {
        (OLA, "prep", PREP_DUE),
        (OLA, "pin", PIN_DUE),
        *(
            (who, "meeting", when)
            for who in (OLA, KARI, PER, NINA)
            for when in (DAY_BEFORE, TWO_HOURS)
        ),
        # After the meeting: Ola's follow-up, and Kari's offer to write down what was agreed.
        (OLA, "followup", FOLLOWUP_DUE),
        (KARI, "followup", FOLLOWUP_DUE),
    }


async def test_each_reminder_is_sent_once_when_due(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    reminders = reminders_of(world, uow_factory)

    assert await run_due(reminders, clock) == []  # nothing due yet
    clock.current = PREP_DUE
    [prep] = await run_due(reminders, clock)
    [delivery] = sent(store)
    assert (delivery.address, delivery.guarantee, delivery.ref) == (
        OLA,
        Guarantee.AT_MOST_ONCE,
        f"reminder:{prep}",
    )
    assert delivery.not_after == PREP_DUE + (START - PREP_DUE) / 2  # while it can still help
    text = delivery.envelope.parts[0]
    assert text.startswith("Hei, Ola! Samarbeidsmøtet ditt er om 3 dager.")
    assert "Det er helt frivillig." in text
    assert delivery.envelope.buttons == (
        (("Jeg vil forberede meg nå", f"v1:rm:prep:{m}"),),
        (("Minn meg på det i morgen", f"v1:rm:later:{prep}"),),
    )
    # However often its job runs, it is handed to the outbox once.
    assert (await reminders.fire(prep)).addresses == ()
    assert len(sent(store)) == 1

    clock.current = DAY_BEFORE
    await run_due(reminders, clock)
    tomorrow = sent(store)[1:]
    assert sorted(d.address for d in tomorrow) == sorted([OLA, KARI, PER, NINA])
    assert all(d.not_after == START for d in tomorrow)
    assert texts(store, PER)[0].startswith("<b>Påminnelse: samarbeidsmøte med Ola i morgen</b>")
    assert "torsdag 10. desember 2026 kl. 10.00–11.00" in texts(store, PER)[0]
    assert "📍 DPS Solvang, rom 2" in texts(store, PER)[0]
    per = next(d for d in tomorrow if d.address == PER)
    assert ("Jeg kan ikke komme", f"v1:mt:cant:{m}") in per.envelope.buttons[1]
    kari = next(d for d in tomorrow if d.address == KARI)
    assert "Forberedelse: ikke startet" in kari.envelope.parts[0]  # only she sees the status

    clock.current = TWO_HOURS
    await run_due(reminders, clock)
    assert len(sent(store)) == 1 + 4 + 4 + 2  # the pin: a message, and pinning it
    pin = [d for d in sent(store) if d.address == OLA and (d.envelope.silent or d.op is Op.PIN)]
    assert [(d.op, d.guarantee) for d in pin] == [
        (Op.SEND, Guarantee.AT_MOST_ONCE),
        (Op.PIN, Guarantee.AT_LEAST_ONCE),
    ]
    assert pin[0].envelope.silent and pin[0].ref == pin[1].ref
    assert pin[0].envelope.parts[0].startswith("📌 <b>Samarbeidsmøtet ditt i dag</b>")
    before = {Kind.UNPIN, Kind.FOLLOWUP}
    assert [r.status for r in store.reminders.values() if r.kind not in before] == [
        ReminderStatus.SENT
    ] * 10
    # Nothing is left but taking the agenda down when the meeting has ended, and the follow-up.
    assert set(pending(store)) == {
        (OLA, "unpin", START + timedelta(hours=1)),
        (OLA, "followup", FOLLOWUP_DUE),
        (KARI, "followup", FOLLOWUP_DUE),
    }


async def test_the_agenda_is_pinned_then_unpinned_after_the_meeting(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)
    deliveries = Deliveries(uow_factory, clock, RENDERER)
    clock.current = PIN_DUE
    await run_due(reminders, clock)
    # The sender sends the agenda (Telegram gives it id 55), then pins exactly that message.
    while (d := await deliveries.next(OLA)) is not None and d.op is not Op.PIN:
        await deliveries.finish(d, Attempt.DELIVERED, [55] if d.envelope.silent else [1])
    assert d is not None and d.target_id == 55
    await deliveries.finish(d, Attempt.DELIVERED, [55])

    clock.current = START + timedelta(hours=1)
    await run_due(reminders, clock)
    unpin = await deliveries.next(OLA)
    assert unpin is not None and (unpin.op, unpin.target_id) == (Op.UNPIN, 55)


async def test_a_pin_whose_message_never_arrived_pins_nothing(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)
    deliveries = Deliveries(uow_factory, clock, RENDERER)
    clock.current = PIN_DUE
    await run_due(reminders, clock)
    while (d := await deliveries.next(OLA)) is not None:
        assert d.op is not Op.PIN
        attempt = Attempt.ANSWER_LOST if d.envelope.silent else Attempt.DELIVERED
        await deliveries.finish(d, attempt, [])  # the agenda's outcome is unknown
    [pin] = [d for d in store.outbox.values() if d.op is Op.PIN]
    assert pin.status is DeliveryStatus.EXPIRED


async def test_moving_moves_the_reminders(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    before = pending(store)

    await engine.handle(press(f"v1:mt:move:{m}", KARI))
    await engine.handle(press("v1:sched:day:2026-12-11", KARI))
    await engine.handle(press("v1:sched:time:1300", KARI))
    moved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    assert notified(moved)[PER] == ["meeting/moved.html"]
    assert store.meetings[m].starts_at == datetime(2026, 12, 11, 12, 0, tzinfo=UTC)

    after = pending(store)
    assert set(after).isdisjoint(before)  # every old one dropped
    assert (PER, "meeting", datetime(2026, 12, 10, 12, 0, tzinfo=UTC)) in after  # 1d: 13.00
    assert (PER, "meeting", datetime(2026, 12, 11, 10, 0, tzinfo=UTC)) in after  # 2h: 11.00
    assert (OLA, "pin", datetime(2026, 12, 11, 7, 0, tzinfo=UTC)) in after
    reminders = reminders_of(world, uow_factory)
    clock.current = DAY_BEFORE  # the old time: nothing
    for reminder_id in before.values():
        assert (await reminders.fire(reminder_id)).addresses == ()
    assert sent(store) == []


async def test_cancelling_drops_them_and_takes_a_pinned_agenda_down(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    reminders = reminders_of(world, uow_factory)
    clock.current = PIN_DUE
    await run_due(reminders, clock)
    [pin] = [r for r in store.reminders.values() if r.kind is Kind.PIN]

    await engine.handle(press(f"v1:mt:cancel:{m}", KARI))
    await engine.handle(press("v1:sched:cancel:yes", KARI))

    assert store.meetings[m].status is MeetingStatus.CANCELLED
    [(key, unpin)] = pending(store).items()
    assert key == (OLA, "unpin", clock.now())  # at once, not after the meeting's end
    assert store.reminders[unpin].about == pin.id
    await run_due(reminders, clock)
    assert sent(store)[-1].op is Op.UNPIN and sent(store)[-1].ref == f"reminder:{pin.id}"


async def test_someone_who_leaves_the_circle_loses_their_reminders(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    await engine.handle(press(f"v1:cq:rm:{world.membership(PER)}", OLA))
    removed = await engine.handle(press(f"v1:cq:rmyes:{world.membership(PER)}", OLA))
    assert notified(removed) == {PER: ["circle/you_were_removed.html"]}

    assert {who for who, *_ in pending(store)} == {OLA, KARI, NINA}
    # Even a reminder the scheduler still held for Per sends nothing now (checked when due).
    clock.current = DAY_BEFORE
    await run_due(reminders_of(world, uow_factory), clock)
    assert {d.address for d in sent(store)} == {OLA, KARI, NINA}


async def test_when_due_the_gate_decides_who_may_still_be_told(engine, store, clock, uow_factory):
    """Checked again when due, whatever was planned: Per, taken out of the circle behind the
    services' back, gets nothing (and the others do)."""
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    [membership] = [m for m in store.memberships.values() if m.member_id == world.id(PER)]
    store.memberships[membership.id] = replace(membership, status=Status.REMOVED)

    clock.current = DAY_BEFORE
    await run_due(reminders_of(world, uow_factory), clock)

    assert {d.address for d in sent(store)} == {OLA, KARI, NINA}
    reasons = {r.reason for r in store.reminders.values() if r.person_id == world.id(PER)}
    assert reasons == {Reason.GONE, None}  # the 2h one is still ahead (and will be refused too)


async def test_cannot_come_stops_that_persons_reminders(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))

    said = await engine.handle(press(f"v1:mt:cant:{m}", NINA))

    assert notified(said) == {KARI: ["meeting/cant_come.html"]}
    assert {who for who, *_ in pending(store)} == {OLA, KARI, PER}


async def test_a_colleague_who_takes_over_gets_the_reminders(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await engine.handle(command("inviter", KARI))
    await engine.handle(press("v1:inv:act:handover", KARI))
    asked = await engine.handle(press(f"v1:inv:colleague:{world.id(KIM)}", KARI))
    world.requests[KIM] = notification(asked, OLA)
    assert KIM not in {who for who, *_ in pending(store)}  # not before Ola says yes

    await engine.handle(press(f"v1:cq:ok:{world.membership(KIM)}", OLA))

    people = {who for who, *_ in pending(store)}
    assert KIM in people and KARI not in people
    assert {(k, when) for who, k, when in pending(store) if who == KIM} == {
        ("meeting", DAY_BEFORE),
        ("meeting", TWO_HOURS),
        ("followup", FOLLOWUP_DUE),  # she organises it now
    }


async def test_a_team_meeting_without_the_jobseeker_gives_them_nothing(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    ola, kari, per = world.id(OLA), world.id(KARI), world.id(PER)
    uow = uow_factory()
    created = await uow.meetings.add(
        jobseeker_id=ola,
        organiser_id=kari,
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        place="Teamrommet",
        attendee_ids=[kari, per],
        at=clock.now(),
    )
    assert not created.attends(ola)
    await replan(Change(uow, clock.now(), store.people[kari], Policy()), created)
    await uow.commit()
    assert {who for who, *_ in pending(store)} == {KARI, PER}
    assert {kind for who, kind, _ in pending(store) if who == PER} == {"meeting"}
    # No follow-up for the job seeker; the organiser may write down what was agreed.
    assert {kind for who, kind, _ in pending(store) if who == KARI} == {"meeting", "followup"}


async def test_a_reminder_whose_meeting_has_started_is_not_sent(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)
    clock.current = START  # the bot was down from before the 1d reminder until now

    await run_due(reminders, clock)

    assert [d for d in sent(store) if d.op is Op.SEND and not d.envelope.silent] == []
    reasons = {(r.kind, r.reason) for r in store.reminders.values() if not r.pending}
    assert (Kind.MEETING, Reason.LATE) in reasons and (Kind.PREP, Reason.LATE) in reasons


async def test_after_downtime_only_the_latest_meeting_reminder_is_sent(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)
    clock.current = TWO_HOURS + timedelta(minutes=30)  # both 1d and 2h were missed

    await run_due(reminders, clock)

    assert len(texts(store, PER)) == 1
    assert texts(store, PER)[0].startswith("<b>Påminnelse: samarbeidsmøte med Ola i dag</b>")
    assert {r.reason for r in store.reminders.values() if r.person_id == world.id(PER)} == {
        Reason.SUPERSEDED,
        None,
    }


async def test_a_late_reminder_in_quiet_hours_waits_for_the_morning(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)
    clock.current = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # back after downtime at 03.00

    fired = {i: await reminders.fire(i) for i in await run_due_ids(reminders, clock)}

    # Only the prep invitation was due (and is past halfway to the meeting): dropped as late.
    # The 1d reminders wait until 08.00, two hours before; nobody is woken at night.
    morning = datetime(2026, 12, 10, 7, 0, tzinfo=UTC)
    assert {f.later for f in fired.values()} == {None, morning}
    assert sent(store) == []
    assert {when for who, kind, when in pending(store) if kind == "meeting"} == {morning}
    clock.current = morning
    await run_due(reminders, clock)
    # At 08.00 the 1d and 2h reminders are both due: one message each, not two.
    assert len(texts(store, PER)) == 1 and len(texts(store, KARI)) == 1


async def run_due_ids(reminders: Reminders, clock: FakeClock) -> list[int]:
    return [i for i, _ in await reminders.due(clock.now() + timedelta(seconds=1))]


async def test_varsler_turns_a_kind_off_and_on_again(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    reminders = reminders_of(world, uow_factory)

    shown = await engine.handle(command("varsler", PER))
    assert templates(shown) == ["reminders/settings.html"]
    # A behandler: meetings, and tasks shared with him.
    assert button_data(shown.replies[0]) == ["v1:vs:turn:meeting", "v1:vs:turn:task"]
    off = await engine.handle(press("v1:vs:turn:meeting", PER))
    assert off.replies[0].replace and off.replies[0].context["all_off"] is False
    await refused(engine, press("v1:vs:turn:prep", PER))  # not a kind a behandler has

    clock.current = DAY_BEFORE
    await run_due(reminders, clock)
    assert texts(store, PER) == []
    [skipped] = [
        r for r in store.reminders.values() if r.person_id == world.id(PER) and not r.pending
    ]
    assert skipped.reason is Reason.OFF

    await engine.handle(press("v1:vs:turn:meeting", PER))  # on again: what is ahead comes
    clock.current = TWO_HOURS
    await run_due(reminders, clock)
    assert len(texts(store, PER)) == 1

    ola = await engine.handle(command("varsler", OLA))
    assert button_data(ola.replies[0]) == [
        "v1:vs:turn:prep",
        "v1:vs:turn:meeting",
        "v1:vs:turn:pin",
        "v1:vs:turn:followup",
        "v1:vs:turn:task",
    ]


async def test_no_prep_invitation_for_someone_prepared(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    store.preparations[1] = Preparation(
        1, world.id(OLA), m, PrepStatus.READY, Answers(going_well="Bra"), clock.now()
    )
    clock.current = PREP_DUE
    await run_due(reminders_of(world, uow_factory), clock)
    assert sent(store) == []
    [prep] = [r for r in store.reminders.values() if r.kind is Kind.PREP]
    assert prep.reason is Reason.PREPARED


async def test_remind_me_tomorrow_and_prepare_now(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    reminders = reminders_of(world, uow_factory)
    clock.current = PREP_DUE
    [prep] = await run_due(reminders, clock)

    await refused(engine, press(f"v1:rm:later:{prep}", PER))  # not Per's
    later = await engine.handle(press(f"v1:rm:later:{prep}", OLA))
    assert templates(later) == ["reminders/snoozed.html"]
    assert later.replies[0].context["due"] == PREP_DUE + timedelta(days=1)
    assert (OLA, "prep", PREP_DUE + timedelta(days=1)) in pending(store)
    again = await engine.handle(press(f"v1:rm:later:{prep}", OLA))  # one "tomorrow" at a time
    assert again.accepted
    assert [k for who, k, _ in pending(store) if who == OLA].count("prep") == 1

    clock.current = PREP_DUE + timedelta(days=1)
    await run_due(reminders, clock)
    assert texts(store, OLA)[-1].startswith("Hei, Ola! Samarbeidsmøtet ditt er om 2 dager.")

    begun = await engine.handle(press(f"v1:rm:prep:{m}", OLA))
    assert "prep/intro.html" in templates(begun)
    await refused(engine, press(f"v1:rm:prep:{m}", PER))


async def test_a_reminder_waiting_its_turn_is_queued_not_unknown(engine, store, clock, uow_factory):
    """The sender takes a notice, waits for its slot (30 a second), and only then marks it as
    leaving: a crash while it waits leaves it queued (sent after the restart), not unknown."""
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    clock.current = DAY_BEFORE
    await run_due(reminders_of(world, uow_factory), clock)
    deliveries = Deliveries(uow_factory, clock, RENDERER)

    waiting = await reminder_next(deliveries, PER)
    assert waiting.status is DeliveryStatus.QUEUED
    await deliveries.resume()  # the process died while it waited for its slot
    assert store.outbox[waiting.id].status is DeliveryStatus.QUEUED

    leaving = await deliveries.sending(waiting)
    assert leaving is not None and leaving.status is DeliveryStatus.SENDING
    await deliveries.resume()  # died while the request was out: it may have arrived
    assert store.outbox[waiting.id].status is DeliveryStatus.UNKNOWN
    assert await deliveries.sending(waiting) is None  # settled: never sent again

    expiring = await reminder_next(deliveries, KARI)
    clock.current = START + timedelta(seconds=1)  # it waited past the meeting's start
    assert await deliveries.sending(expiring) is None
    assert store.outbox[expiring.id].status is DeliveryStatus.EXPIRED


async def reminder_next(deliveries: Deliveries, address: str) -> Delivery:
    """The person's first reminder delivery, unmarked (what came before it is delivered)."""
    while (delivery := await deliveries.next(address, mark=False)) is not None:
        if (delivery.ref or "").startswith("reminder:"):
            return delivery
        await deliveries.finish(delivery, Attempt.DELIVERED, [1])
    raise AssertionError(f"no reminder for {address}")
