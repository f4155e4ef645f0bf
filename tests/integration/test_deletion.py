"""Deleting means gone: after a person is removed, neither the database file nor its WAL holds
anything of theirs — not the stored ciphertext of their words (free text is encrypted, so a
plaintext canary would prove nothing) and not their plaintext identifiers."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.messages import Envelope
from bot.core.state import ConversationState
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.domain.people import Locale, Role
from bot.storage.crypto import Cipher, generate_key
from bot.storage.database import Database, open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ADDRESS = "telegram:987654321"
OTHER = "telegram:123123123"


def file_bytes(path: Path) -> bytes:
    """The database file and its WAL, as they are on disk now."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def stored_values(database: Database) -> list[str]:
    """Every encrypted value and identifier stored for ADDRESS, as the bytes on disk hold them."""
    queries = (
        "SELECT name_enc FROM people WHERE address = ?",
        "SELECT data_enc FROM conversations WHERE address = ?",
        "SELECT body_enc FROM outbox WHERE address = ?",
        "SELECT body_enc FROM inbox WHERE lane = ?",
    )
    values = []
    for sql in queries:
        async with database.connection.execute(sql, (ADDRESS,)) as cursor:
            values += [str(row[0]) for row in await cursor.fetchall() if row[0]]
    return values


@pytest.fixture
async def database(tmp_path: Path):
    database = await open_database(tmp_path / "m.db", Cipher([generate_key()]))
    yield database
    await database.close()


async def test_a_removed_person_leaves_nothing_in_the_file_or_the_wal(
    tmp_path: Path, database: Database
) -> None:
    async with SqliteUnitOfWork(database) as uow:
        for address, name in ((ADDRESS, "Ola Hansen"), (OTHER, "Kari Nordmann")):
            await uow.people.add(
                role=Role.JOBBSOKER, name=name, locale=Locale.NB, address=address, created_at=NOW
            )
            state = ConversationState("prep", "good", {"draft": f"{name} sover dårlig"})
            await uow.conversations.save(address, state)
            await uow.inbox.add(len(address), address, '{"update_id": 1}', NOW)
            await uow.outbox.add(
                address=address,
                op=Op.SEND,
                guarantee=Guarantee.AT_LEAST_ONCE,
                envelope=Envelope((f"Hei, {name}",)),
                at=NOW,
            )
        await uow.commit()
    secrets = await stored_values(database)
    assert len(secrets) == 4
    before = file_bytes(tmp_path / "m.db")
    assert all(s.encode() in before for s in secrets) and ADDRESS.encode() in before

    async with SqliteUnitOfWork(database) as uow:
        person = await uow.people.by_address(ADDRESS)
        assert person is not None
        await uow.people.delete(person.id)
        await uow.commit()

    after = file_bytes(tmp_path / "m.db")
    assert [s for s in secrets if s.encode() in after] == []
    assert b"987654321" not in after
    async with SqliteUnitOfWork(database) as uow:  # the other person is untouched
        assert await uow.people.by_address(OTHER) is not None


@pytest.mark.parametrize("seed", range(6))
async def test_nothing_survives_in_the_unused_space_of_pages_sqlite_rebuilt(
    tmp_path: Path, database: Database, seed: int
) -> None:
    """secure_delete zeroes what SQLite frees, but a b-tree rebalance rebuilds pages and can
    leave bytes of a moved row in the gap between its cells (here, for some seeds, one copy of
    the address): erasure rewrites the database (VACUUM) before the WAL is emptied."""
    chance = random.Random(seed)
    async with SqliteUnitOfWork(database) as uow:
        for address, name in ((ADDRESS, "Ola Hansen"), (OTHER, "Kari Nordmann")):
            await uow.people.add(
                role=Role.JOBBSOKER, name=name, locale=Locale.NB, address=address, created_at=NOW
            )
        await uow.commit()
    waiting: list[int] = []
    for n in range(400):  # messages to both, of every size, sent (a smaller row) now and then
        async with SqliteUnitOfWork(database) as uow:
            waiting.append(
                await uow.outbox.add(
                    address=chance.choice((ADDRESS, OTHER)),
                    op=Op.SEND,
                    guarantee=Guarantee.AT_MOST_ONCE,
                    envelope=Envelope(("y" * chance.randint(10, 1500),)),
                    at=NOW,
                    origin=chance.choice((ADDRESS, OTHER)),
                    ref=chance.choice((None, "share:1")),
                )
            )
            await uow.commit()
        if chance.random() < 0.7:
            delivery = waiting.pop(chance.randrange(len(waiting)))
            for status in (DeliveryStatus.SENDING, DeliveryStatus.SENT):
                async with SqliteUnitOfWork(database) as uow:
                    if status is DeliveryStatus.SENDING:
                        await uow.outbox.set_status(delivery, status)
                    else:
                        await uow.outbox.settle(delivery, status, NOW, [n, n + 1])
                    await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        person = await uow.people.by_address(ADDRESS)
        assert person is not None
        await uow.people.delete(person.id)
        await uow.commit()
    assert b"987654321" not in file_bytes(tmp_path / "m.db")
