"""Reminders on real SQLite: the table, the window the scheduler reads, ids that never come back,
/varsler, cascades, and the message a pin acts on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.messages import Envelope
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.domain.people import Locale, Role
from bot.domain.reminders import Kind, Planned, Reason, ReminderStatus
from bot.storage.crypto import Cipher, generate_key
from bot.storage.database import Database, open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=9)


async def world(path: Path) -> tuple[Database, int, int, int]:
    database = await open_database(path, Cipher([generate_key()]))
    async with SqliteUnitOfWork(database) as uow:
        ola = await uow.people.add(
            role=Role.JOBBSOKER, name="Ola", locale=Locale.NB, address="t:1", created_at=NOW
        )
        kari = await uow.people.add(
            role=Role.JOBBSPESIALIST, name="Kari", locale=Locale.NB, address="t:2", created_at=NOW
        )
        meeting = await uow.meetings.add(
            jobseeker_id=ola.id,
            organiser_id=kari.id,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            place="DPS",
            attendee_ids=[ola.id, kari.id],
            at=NOW,
        )
        await uow.commit()
    return database, ola.id, kari.id, meeting.id


async def test_reminders_round_trip_and_the_window(tmp_path: Path) -> None:
    database, ola, kari, meeting = await world(tmp_path / "r.db")
    try:
        async with SqliteUnitOfWork(database) as uow:
            late = await uow.reminders.add(
                meeting, Planned(kari, Kind.MEETING, "2h", START - timedelta(hours=2), START), NOW
            )
            early = await uow.reminders.add(
                meeting, Planned(ola, Kind.PREP, "3d", START - timedelta(days=3), START), NOW
            )
            pin = await uow.reminders.add(
                meeting, Planned(ola, Kind.PIN, "", START - timedelta(hours=2), START), NOW
            )
            unpin = await uow.reminders.add(
                meeting,
                Planned(ola, Kind.UNPIN, "", START + timedelta(hours=1), START),
                NOW,
                about=pin.id,
            )
            await uow.commit()
        async with SqliteUnitOfWork(database) as uow:
            loaded = await uow.reminders.get(unpin.id)
            assert loaded == unpin and loaded.about == pin.id and loaded.pending
            assert [r.id for r in await uow.reminders.of_meeting(meeting)] == [
                late.id,
                early.id,
                pin.id,
                unpin.id,
            ]
            # Soonest first; only before ``until``; only above ``after_id``.
            assert await uow.reminders.due(START) == [
                (early.id, early.due_at),
                (late.id, late.due_at),
                (pin.id, pin.due_at),
            ]
            assert await uow.reminders.due(START, after_id=early.id) == [(pin.id, pin.due_at)]
            assert await uow.reminders.due(START - timedelta(days=1)) == [(early.id, early.due_at)]
            await uow.reminders.settle(early.id, ReminderStatus.SKIPPED, Reason.PREPARED, NOW)
            await uow.reminders.move(late.id, START - timedelta(hours=1))
            await uow.reminders.drop(early.id)  # settled: kept as the record
            await uow.reminders.drop(pin.id)
            await uow.commit()
        async with SqliteUnitOfWork(database) as uow:
            settled = await uow.reminders.get(early.id)
            assert settled is not None
            assert (settled.status, settled.reason) == (ReminderStatus.SKIPPED, Reason.PREPARED)
            moved = await uow.reminders.get(late.id)
            assert moved is not None and moved.due_at == START - timedelta(hours=1)
            assert await uow.reminders.get(pin.id) is None
            # The newest row was dropped: its id is never used again (a job named after it
            # must never fire a newer reminder), and the scheduler finds new ones by id.
            await uow.reminders.drop(unpin.id)
            newer = await uow.reminders.add(
                meeting, Planned(ola, Kind.MEETING, "1d", START - timedelta(days=1), START), NOW
            )
            assert newer.id > unpin.id == await uow.reminders.last_id() - 1
            await uow.commit()
    finally:
        await database.close()


async def test_varsler_and_cascades(tmp_path: Path) -> None:
    database, ola, kari, meeting = await world(tmp_path / "v.db")
    try:
        async with SqliteUnitOfWork(database) as uow:
            await uow.reminders.turn(ola, Kind.PIN, False)
            await uow.reminders.turn(ola, Kind.PIN, False)  # twice: still once
            await uow.reminders.turn(ola, Kind.PREP, False)
            await uow.reminders.turn(ola, Kind.PREP, True)
            await uow.reminders.add(
                meeting, Planned(kari, Kind.MEETING, "2h", START - timedelta(hours=2), START), NOW
            )
            await uow.commit()
        async with SqliteUnitOfWork(database) as uow:
            assert await uow.reminders.turned_off(ola) == frozenset({Kind.PIN})
            assert await uow.reminders.turned_off(kari) == frozenset()
            await uow.people.delete(kari)
            await uow.people.delete(ola)  # the meeting goes with the job seeker
            await uow.commit()
        async with SqliteUnitOfWork(database) as uow:
            assert await uow.reminders.of_meeting(meeting) == []
            assert await uow.reminders.turned_off(ola) == frozenset()
    finally:
        await database.close()


async def test_the_message_a_pin_acts_on(tmp_path: Path) -> None:
    database, *_ = await world(tmp_path / "o.db")
    try:
        async with SqliteUnitOfWork(database) as uow:
            add = uow.outbox.add
            agenda = await add(
                address="t:1",
                op=Op.SEND,
                guarantee=Guarantee.AT_MOST_ONCE,
                envelope=Envelope(("Agenda",), silent=True),
                at=NOW,
                ref="reminder:3",
            )
            await add(
                address="t:1",
                op=Op.PIN,
                guarantee=Guarantee.AT_LEAST_ONCE,
                envelope=Envelope(),
                at=NOW,
                ref="reminder:3",
            )
            assert await uow.outbox.sent_message("t:1", "reminder:3") is None  # not sent yet
            await uow.outbox.settle(agenda, DeliveryStatus.SENT, NOW, [41, 42])
            assert await uow.outbox.sent_message("t:1", "reminder:3") == 41
            assert await uow.outbox.sent_message("t:2", "reminder:3") is None
            delivery = await uow.outbox.get(agenda)
            assert delivery is not None and delivery.envelope == Envelope()  # body dropped
            await uow.commit()
    finally:
        await database.close()
