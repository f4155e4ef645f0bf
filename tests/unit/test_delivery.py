"""What becomes of a message: the rules (bot.domain.delivery) and the outbox service a sender
uses (bot.core.delivery.Deliveries), on in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.core.delivery import Deliveries, enqueue
from bot.core.messages import Envelope, Menu, Reply
from bot.domain.delivery import Attempt, DeliveryStatus, Guarantee, Op, after, after_restart
from bot.domain.people import Locale, Role
from tests.unit.conftest import RENDERER
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store

LEAST, MOST = Guarantee.AT_LEAST_ONCE, Guarantee.AT_MOST_ONCE
S = DeliveryStatus


# -- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "reply", "notice"),
    [
        (Attempt.DELIVERED, S.SENT, S.SENT),
        (Attempt.NOT_SENT, S.QUEUED, S.QUEUED),  # never left: trying again cannot double it
        (Attempt.RATE_LIMITED, S.QUEUED, S.QUEUED),  # a 429 is never dropped
        (Attempt.ANSWER_LOST, S.QUEUED, S.UNKNOWN),  # may have arrived: only a reply is resent
        (Attempt.BLOCKED, S.UNREACHABLE, S.UNREACHABLE),
        (Attempt.REFUSED, S.FAILED, S.FAILED),  # our bug: never retried in a loop
    ],
)
def test_what_a_try_means_for_a_reply_and_for_a_notice(
    attempt: Attempt, reply: DeliveryStatus, notice: DeliveryStatus
) -> None:
    assert after(LEAST, attempt) is reply
    assert after(MOST, attempt) is notice


def test_every_attempt_has_a_rule() -> None:
    for guarantee in Guarantee:
        for attempt in Attempt:
            assert isinstance(after(guarantee, attempt), DeliveryStatus)


@pytest.mark.parametrize(
    ("guarantee", "status", "becomes"),
    [
        (MOST, S.SENDING, S.UNKNOWN),  # the process died while it was being sent
        (LEAST, S.SENDING, S.QUEUED),
        (MOST, S.QUEUED, S.QUEUED),
        (LEAST, S.QUEUED, S.QUEUED),
        (MOST, S.SENT, S.SENT),
    ],
)
def test_after_a_restart(
    guarantee: Guarantee, status: DeliveryStatus, becomes: DeliveryStatus
) -> None:
    assert after_restart(guarantee, status) is becomes


def test_only_queued_and_sending_are_unsettled() -> None:
    assert {s for s in DeliveryStatus if not s.settled} == {S.QUEUED, S.SENDING}


# -- the outbox service ------------------------------------------------------------------------

OLA, PER = "test:ola", "test:per"


@pytest.fixture
def deliveries(uow_factory: Callable[[], FakeUnitOfWork], clock: FakeClock) -> Deliveries:
    return Deliveries(uow_factory, clock, RENDERER)


async def queue(
    uow_factory: Callable[[], FakeUnitOfWork],
    clock: FakeClock,
    replies: list[Reply],
    *,
    actor: str | None = OLA,
    pressed: int | None = None,
) -> tuple[str, ...]:
    async with uow_factory() as uow:
        queued = await enqueue(uow, RENDERER, clock.now(), replies, actor=actor, pressed=pressed)
        await uow.commit()
    return queued.addresses


async def people(uow_factory: Callable[[], FakeUnitOfWork], clock: FakeClock) -> None:
    async with uow_factory() as uow:
        await uow.people.add(
            role=Role.JOBBSOKER, name="Ola", locale=Locale.NN, address=OLA, created_at=clock.now()
        )
        await uow.people.add(
            role=Role.BEHANDLER, name="Per", locale=Locale.NB, address=PER, created_at=clock.now()
        )
        await uow.commit()


def reply(template: str = "cancelled.html", address: str | None = None) -> Reply:
    return Reply(template, Locale.NB, {}, address=address)


async def test_own_replies_are_at_least_once_and_notices_at_most_once(
    uow_factory, clock, store: Store
):
    addresses = await queue(uow_factory, clock, [reply(), reply(address=PER)])

    assert addresses == (OLA, PER)
    [mine, theirs] = store.outbox.values()
    assert (mine.address, mine.guarantee, mine.origin) == (OLA, LEAST, None)
    assert (theirs.address, theirs.guarantee, theirs.origin) == (PER, MOST, OLA)
    assert mine.envelope.parts and mine.op is Op.SEND


async def test_an_answer_in_place_is_an_edit_of_the_pressed_message(uow_factory, clock, store):
    in_place = Reply("cancelled.html", Locale.NB, {}, replace=True)
    await queue(uow_factory, clock, [in_place, reply()], pressed=77)

    [edit, new] = store.outbox.values()
    assert (edit.op, edit.target_id) == (Op.EDIT, 77)
    assert (new.op, new.target_id) == (Op.SEND, None)


async def test_a_menu_is_queued_for_its_person(uow_factory, clock, store):
    from bot.core.commands import commands_for

    async with uow_factory() as uow:
        menu = Menu(PER, Locale.EN, commands_for(Role.BEHANDLER))
        await enqueue(uow, RENDERER, clock.now(), [], actor=OLA, menus=[menu])
        await uow.commit()
    [delivery] = store.outbox.values()
    assert delivery.op is Op.MENU and ("hjelp", "Help, and where to get support right now") in (
        delivery.envelope.commands
    )


async def test_deliveries_come_in_order_and_a_notice_is_marked_sending_first(
    deliveries, uow_factory, clock, store
):
    await queue(
        uow_factory, clock, [reply(address=PER), reply("nothing_to_cancel.html", address=PER)]
    )

    first = await deliveries.next(PER)
    assert first is not None and store.outbox[first.id].status is S.SENDING  # committed first
    assert await deliveries.next(PER) == store.outbox[first.id]  # the same until it is settled
    await deliveries.finish(first, Attempt.DELIVERED, [10])
    second = await deliveries.next(PER)
    assert second is not None and second.id > first.id
    assert store.outbox[first.id].message_ids == (10,)
    assert store.outbox[first.id].envelope == Envelope()  # its body is gone once settled


async def test_finishing_one_hands_out_the_next_in_the_same_commit(
    deliveries, uow_factory, clock, store
):
    await queue(
        uow_factory, clock, [reply(address=PER), reply("nothing_to_cancel.html", address=PER)]
    )
    first = await deliveries.next(PER, mark=False)
    assert first is not None
    marked = await deliveries.sending(first)
    assert marked is not None

    status, second = await deliveries.finish_and_next(marked, Attempt.DELIVERED, [10])
    assert status is S.SENT and store.outbox[first.id].message_ids == (10,)
    assert second is not None and second.id > first.id
    assert store.outbox[second.id].status is S.QUEUED  # unmarked: marked as it leaves
    status, third = await deliveries.finish_and_next(second, Attempt.DELIVERED, [11])
    assert status is S.SENT and third is None


async def test_a_try_that_must_wait_hands_out_nothing(deliveries, uow_factory, clock, store):
    await queue(uow_factory, clock, [reply(), reply("nothing_to_cancel.html")])
    first = await deliveries.next(OLA, mark=False)
    assert first is not None
    status, following = await deliveries.finish_and_next(first, Attempt.RATE_LIMITED)
    assert status is S.QUEUED and following is None  # the same one goes first, later


async def test_a_lost_answer_resends_a_reply_and_leaves_a_notice_unknown(
    deliveries, uow_factory, clock, store
):
    await queue(uow_factory, clock, [reply(), reply(address=PER)])
    mine, theirs = await deliveries.next(OLA), await deliveries.next(PER)
    assert mine is not None and theirs is not None

    assert await deliveries.finish(mine, Attempt.ANSWER_LOST) is S.QUEUED
    assert await deliveries.finish(theirs, Attempt.ANSWER_LOST) is S.UNKNOWN
    assert await deliveries.next(OLA) is not None
    assert await deliveries.next(PER) is None  # never resent blindly


async def test_a_notice_that_never_left_is_tried_again(deliveries, uow_factory, clock, store):
    await queue(uow_factory, clock, [reply(address=PER)])
    theirs = await deliveries.next(PER)
    assert theirs is not None

    assert await deliveries.finish(theirs, Attempt.NOT_SENT) is S.QUEUED
    assert store.outbox[theirs.id].status is S.QUEUED
    assert await deliveries.next(PER) is not None


async def test_long_messages_go_on_from_the_next_part(deliveries, uow_factory, clock, store):
    await queue(uow_factory, clock, [reply()])
    mine = await deliveries.next(OLA)
    assert mine is not None
    await deliveries.progress(mine, [5, 6])
    await deliveries.finish(mine, Attempt.NOT_SENT, [5, 6])

    again = await deliveries.next(OLA)
    assert again is not None and again.message_ids == (5, 6) and again.parts_done == 2


async def test_past_not_after_a_message_is_expired_not_sent(deliveries, uow_factory, clock, store):
    async with uow_factory() as uow:
        await uow.outbox.add(
            address=PER,
            op=Op.SEND,
            guarantee=MOST,
            envelope=Envelope(("Påminnelse",)),
            at=clock.now(),
            not_after=clock.now() + timedelta(hours=1),
        )
        await uow.commit()
    clock.advance(timedelta(hours=2))

    assert await deliveries.next(PER) is None
    [delivery] = store.outbox.values()
    assert delivery.status is S.EXPIRED


async def test_someone_who_blocked_the_bot_is_unreachable_and_the_sender_is_told_once(
    deliveries, uow_factory, clock, store
):
    await people(uow_factory, clock)
    told: list[str] = []
    deliveries.on_queued = told.extend
    await queue(
        uow_factory, clock, [reply(address=PER), reply("nothing_to_cancel.html", address=PER)]
    )
    first = await deliveries.next(PER)
    assert first is not None

    assert await deliveries.finish(first, Attempt.BLOCKED) is S.UNREACHABLE

    assert {d.status for d in store.outbox.values() if d.address == PER} == {S.UNREACHABLE}
    [notice] = [d for d in store.outbox.values() if d.address == OLA]
    assert "Per" in notice.envelope.parts[0] and "Telegram" in notice.envelope.parts[0]
    assert told == [OLA]
    # Until Per writes again, anything new for him is settled without a try.
    await queue(uow_factory, clock, [reply(address=PER)])
    assert await deliveries.next(PER) is None
    async with uow_factory() as uow:
        await uow.outbox.reachable(PER)
        await uow.commit()
    await queue(uow_factory, clock, [reply(address=PER)])
    assert await deliveries.next(PER) is not None


async def test_after_a_restart_a_notice_being_sent_is_unknown_and_a_reply_is_sent_again(
    deliveries, uow_factory, clock, store
):
    await queue(uow_factory, clock, [reply(), reply(address=PER)])
    assert await deliveries.next(PER) is not None  # marked sending ... and the process dies

    addresses = await Deliveries(uow_factory, clock, RENDERER).resume()

    assert addresses == [OLA]
    statuses = {d.address: d.status for d in store.outbox.values()}
    assert statuses == {OLA: S.QUEUED, PER: S.UNKNOWN}
