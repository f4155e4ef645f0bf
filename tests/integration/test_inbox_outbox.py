"""The inbox and the outbox on real SQLite: redeliveries recognised by id, deliveries in order,
bodies kept encrypted and dropped once settled, and what is kept how long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.messages import Document, Envelope
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.storage.crypto import Cipher, generate_key
from bot.storage.database import Database, open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RAW = '{"update_id": 7, "message": {"text": "Jeg er redd for å miste støtten"}}'


@pytest.fixture
async def database(tmp_path: Path):
    database = await open_database(tmp_path / "m.db", Cipher([generate_key()]))
    yield database
    await database.close()


async def test_an_update_is_stored_once_and_recognised_when_it_comes_again(
    database: Database, tmp_path: Path
) -> None:
    async with SqliteUnitOfWork(database) as uow:
        assert await uow.inbox.add(7, "telegram:1", RAW, NOW)
        assert not await uow.inbox.add(7, "telegram:1", RAW, NOW)  # a redelivery
        await uow.inbox.add(3, "telegram:2", RAW, NOW)  # ids need not grow
        await uow.commit()
    assert (
        b"miste" not in (tmp_path / "m.db").read_bytes() + (tmp_path / "m.db-wal").read_bytes()
    )  # kept encrypted
    async with SqliteUnitOfWork(database) as uow:
        assert await uow.inbox.waiting() == [(3, "telegram:2"), (7, "telegram:1")]
        assert await uow.inbox.body(7) == RAW
        assert await uow.inbox.claim(7, NOW)
        assert not await uow.inbox.claim(7, NOW)  # handled once
        assert await uow.inbox.body(7) is None  # the body goes with handling
        assert await uow.inbox.claim(99, NOW)  # never stored (no inbox in front): recorded
        assert not await uow.inbox.claim(99, NOW)
        assert await uow.inbox.claim(3, NOW, "failed")
        assert await uow.inbox.waiting() == []
        await uow.commit()


async def test_settled_updates_are_kept_two_days_then_pruned(database: Database) -> None:
    async with SqliteUnitOfWork(database) as uow:
        await uow.inbox.add(1, "telegram:1", RAW, NOW)
        await uow.inbox.add(2, "telegram:1", RAW, NOW)
        await uow.inbox.claim(1, NOW)
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        assert await uow.inbox.prune(NOW) == 0
        assert await uow.inbox.prune(NOW + timedelta(hours=49)) == 1
        assert await uow.inbox.waiting() == [(2, "telegram:1")]  # unhandled ones stay
        await uow.commit()


async def test_deliveries_round_trip_in_order_and_drop_their_body_when_settled(
    database: Database,
) -> None:
    envelope = Envelope(
        ("Del 1 <b>&amp;</b> æøå", "Del 2"),
        ((("Ja", "v1:x:y:1"), ("Nei", "v1:x:y:2")),),
        Document("samarbeidsmote.ics", b"BEGIN:VCALENDAR"),
        caption=None,
        protect=True,
    )
    async with SqliteUnitOfWork(database) as uow:
        first = await uow.outbox.add(
            address="telegram:1",
            op=Op.SEND,
            guarantee=Guarantee.AT_MOST_ONCE,
            envelope=envelope,
            at=NOW,
            origin="telegram:2",
            not_after=NOW + timedelta(days=1),
        )
        second = await uow.outbox.add(
            address="telegram:1",
            op=Op.EDIT,
            guarantee=Guarantee.AT_LEAST_ONCE,
            envelope=Envelope(("Ny tekst",)),
            at=NOW,
            target_id=41,
        )
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        delivery = await uow.outbox.next_for("telegram:1")
        assert delivery is not None and delivery.id == first
        assert delivery.envelope == envelope
        assert (delivery.origin, delivery.not_after, delivery.status) == (
            "telegram:2",
            NOW + timedelta(days=1),
            DeliveryStatus.QUEUED,
        )
        await uow.outbox.set_status(first, DeliveryStatus.SENDING)
        await uow.outbox.progress(first, 1, [100])
        assert await uow.outbox.unsettled_addresses() == ["telegram:1"]
        await uow.outbox.settle(first, DeliveryStatus.SENT, NOW, [100, 101, 102])
        after = await uow.outbox.get(first)
        assert after is not None and after.envelope == Envelope()
        assert (after.status, after.message_ids, after.parts_done) == (
            DeliveryStatus.SENT,
            (100, 101, 102),
            3,
        )
        edit = await uow.outbox.next_for("telegram:1")
        assert edit is not None and (edit.id, edit.op, edit.target_id) == (second, Op.EDIT, 41)
        await uow.commit()


async def test_settled_deliveries_are_pruned_after_a_week_unless_something_refers_to_them(
    database: Database,
) -> None:
    """(What a ref keeps, and for how long: tests/integration/test_after_meetings.py.)"""
    async with SqliteUnitOfWork(database) as uow:
        # Nothing, a share that is not there (any more), a ref of a kind nobody prunes.
        for ref in (None, "share:1", "other:1"):
            delivery = await uow.outbox.add(
                address="telegram:1",
                op=Op.SEND,
                guarantee=Guarantee.AT_MOST_ONCE,
                envelope=Envelope(("x",)),
                at=NOW,
                ref=ref,
            )
            await uow.outbox.settle(delivery, DeliveryStatus.SENT, NOW, [1])
        await uow.outbox.add(
            address="telegram:1",
            op=Op.SEND,
            guarantee=Guarantee.AT_LEAST_ONCE,
            envelope=Envelope(("y",)),
            at=NOW,
        )
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        assert await uow.outbox.prune(NOW + timedelta(days=8)) == 2
        kept = await uow.outbox.unsettled()
        assert [d.envelope.parts for d in kept] == [("y",)]
        assert [d.id for d in await uow.outbox.by_ref("other:1")]
        await uow.commit()


async def test_unreachable_until_they_write_again(database: Database) -> None:
    async with SqliteUnitOfWork(database) as uow:
        await uow.outbox.mark_unreachable("telegram:1", NOW)
        await uow.outbox.mark_unreachable("telegram:1", NOW)
        assert await uow.outbox.is_unreachable("telegram:1")
        await uow.outbox.reachable("telegram:1")
        assert not await uow.outbox.is_unreachable("telegram:1")
        await uow.commit()


@pytest.mark.parametrize("status", [s for s in DeliveryStatus if s.settled])
async def test_every_way_a_delivery_can_settle_is_stored(
    database: Database, status: DeliveryStatus
) -> None:
    """Each settled status of the domain is one the table accepts: a copy withdrawn while still
    in the queue ('cancelled') once failed the CHECK, and with it the whole change."""
    async with SqliteUnitOfWork(database) as uow:
        delivery = await uow.outbox.add(
            address="telegram:1",
            op=Op.SEND,
            guarantee=Guarantee.AT_MOST_ONCE,
            envelope=Envelope(("x",)),
            at=NOW,
            ref="share:1",
        )
        await uow.outbox.settle(delivery, status, NOW)
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        settled = await uow.outbox.get(delivery)
        assert settled is not None and settled.status is status
