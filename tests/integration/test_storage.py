"""Real SQLite through aiosqlite: migrations, encryption at rest, units of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.core.engine import Engine
from bot.core.flows.base import Installation
from bot.core.invitations import create_invitation
from bot.core.messages import Inbound, Kind
from bot.core.state import ConversationState
from bot.domain.people import Employer, Locale, Role
from bot.rendering.renderer import Renderer
from bot.storage.crypto import Cipher, KeyError_, generate_key, key_id
from bot.storage.database import migrations, open_database, schema_version
from bot.storage.unit_of_work import SqliteUnitOfWork, unit_of_work_factory

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = "Jeg er redd for å miste AAP-en <b>&</b> æøå 🙂"


class Clock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
def key() -> str:
    return generate_key()


async def test_an_old_database_is_upgraded_and_keeps_its_data(tmp_path: Path, key: str) -> None:
    path = tmp_path / "old.db"
    cipher = Cipher([key])
    old = await open_database(path, cipher, up_to=1)
    assert await schema_version(old.connection) == 1
    await old.connection.execute(
        "INSERT INTO conversations (address, flow, step, data_enc, updated_at)"
        " VALUES ('t:1', 'join', 'name', ?, '2026-11-01T00:00:00+00:00')",
        (cipher.encrypt('{"name": "Kari"}'),),
    )
    await old.connection.close()

    database = await open_database(path, cipher)
    try:
        assert await schema_version(database.connection) == len(migrations()) >= 2
        async with SqliteUnitOfWork(database) as uow:
            state = await uow.conversations.get("t:1")
            assert (state.flow, state.step, state.data, state.locale) == (
                "join",
                "name",
                {"name": "Kari"},
                None,
            )
            await uow.meta.set("bot_username", "moteklar_bot")
            await uow.commit()
    finally:
        await database.close()


async def test_from_version_11_no_persons_id_is_given_twice(tmp_path: Path, key: str) -> None:
    path = tmp_path / "m.db"
    cipher = Cipher([key])
    old = await open_database(path, cipher, up_to=10)
    for number in (1, 2, 3):  # registered before the upgrade
        await old.connection.execute(
            "INSERT INTO people (role, name_enc, locale, address, created_at)"
            " VALUES ('jobbsoker', ?, 'nb', ?, ?)",
            (cipher.encrypt(f"Person {number}"), f"t:{number}", NOW.isoformat()),
        )
    await old.connection.close()

    database = await open_database(path, cipher)
    try:
        async with SqliteUnitOfWork(database) as uow:
            await uow.people.delete(3)  # the highest id goes
            fourth = await uow.people.add(
                role=Role.JOBBSOKER, name="Ny", locale=Locale.NB, address="t:4", created_at=NOW
            )
            await uow.people.delete(fourth.id)
            fifth = await uow.people.add(
                role=Role.JOBBSOKER, name="Ny", locale=Locale.NB, address="t:5", created_at=NOW
            )
            await uow.commit()
        assert (fourth.id, fifth.id) == (4, 5)
    finally:
        await database.close()


async def test_free_text_is_encrypted_at_rest(tmp_path: Path, key: str) -> None:
    path = tmp_path / "m.db"
    database = await open_database(path, Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        await uow.people.add(
            role=Role.JOBBSPESIALIST,
            name=SECRET,
            locale=Locale.NB,
            address="t:1",
            created_at=NOW,
            employer=Employer.NAV,
        )
        state = ConversationState("join", "name_input", {"draft": SECRET})
        await uow.conversations.save("t:1", state)
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        person = await uow.people.by_address("t:1")
        assert person is not None and person.name == SECRET and person.employer is Employer.NAV
        assert (await uow.conversations.get("t:1")).data == {"draft": SECRET}
    await database.close()

    raw = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("m.db*")))  # noqa: ASYNC240
    assert b"redd for" not in raw and b"AAP-en" not in raw
    async with (
        aiosqlite.connect(path) as connection,
        connection.execute("SELECT name_enc FROM people") as cursor,
    ):
        (stored,) = await cursor.fetchone()  # type: ignore[misc]
    assert stored.startswith(key_id(key) + ":")


async def test_a_wrong_key_is_a_clear_error_not_garbage(tmp_path: Path, key: str) -> None:
    path = tmp_path / "m.db"
    database = await open_database(path, Cipher([key]))
    await database.close()
    with pytest.raises(KeyError_, match="MOTEKLAR_SECRET_KEY does not open this database"):
        await open_database(path, Cipher([generate_key()]))


def test_a_rotated_key_still_reads_old_values(key: str) -> None:
    old = Cipher([key])
    stored = old.encrypt(SECRET)
    new_key = generate_key()
    rotated = Cipher([new_key, key])
    assert rotated.decrypt(stored) == SECRET
    assert rotated.encrypt("x").startswith(key_id(new_key) + ":")
    with pytest.raises(KeyError_, match="needs key id"):
        Cipher([new_key]).decrypt(stored)
    tampered = stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB")
    with pytest.raises(KeyError_, match="could not be decrypted"):
        old.decrypt(tampered)


async def test_nothing_is_kept_without_commit(tmp_path: Path, key: str) -> None:
    database = await open_database(tmp_path / "m.db", Cipher([key]))
    with pytest.raises(RuntimeError):
        async with SqliteUnitOfWork(database) as uow:
            await uow.meta.set("a", "1")
            raise RuntimeError("boom")
    async with SqliteUnitOfWork(database) as uow:
        await uow.meta.set("b", "2")  # forgotten commit
    async with SqliteUnitOfWork(database) as uow:
        assert (await uow.meta.get("a"), await uow.meta.get("b")) == (None, None)
    await database.close()


async def test_first_contact_survives_a_restart_on_real_sqlite(tmp_path: Path, key: str) -> None:
    path = tmp_path / "m.db"
    installation = Installation(controller="Test HF", timezone="Europe/Oslo")

    async def engine_on(database):  # type: ignore[no-untyped-def]
        return Engine(
            unit_of_work_factory(database), Clock(), installation, Renderer("Europe/Oslo")
        )

    database = await open_database(path, Cipher([key]))
    factory = unit_of_work_factory(database)
    async with factory() as uow:
        token = await create_invitation(uow, NOW, role=Role.JOBBSPESIALIST, name="Kari")
        await uow.commit()
    engine = await engine_on(database)
    await engine.handle(Inbound("t:1", Kind.START, text=token, update_id=1))
    await engine.handle(Inbound("t:1", Kind.BUTTON, data="v1:join:lang:nn", update_id=2))
    await database.close()

    database = await open_database(path, Cipher([key]))
    engine = await engine_on(database)
    outcome = await engine.handle(Inbound("t:1", Kind.BUTTON, data="v1:join:name:yes", update_id=3))
    assert [r.template for r in outcome.replies] == ["join/ask_employer.html"]
    assert outcome.locale is Locale.NN
    outcome = await engine.handle(
        Inbound("t:1", Kind.BUTTON, data="v1:join:employer:helse", update_id=4)
    )
    assert [r.template for r in outcome.replies] == ["join/welcome.html"]
    async with unit_of_work_factory(database)() as uow:
        kari = await uow.people.by_address("t:1")
        assert kari is not None and kari.employer is Employer.HELSE and kari.locale is Locale.NN
        assert await uow.people.count() == 1
    await database.close()


async def test_invitations_round_trip(tmp_path: Path, key: str) -> None:
    database = await open_database(tmp_path / "m.db", Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        added = await uow.invitations.add(
            token_hash="h",
            role=Role.JOBBSPESIALIST,
            name="Kari",
            created_at=NOW,
            expires_at=NOW + timedelta(days=7),
            employer=Employer.KOMMUNE,
            team="sor",
        )
        await uow.invitations.claim(added.id, "t:1")
        await uow.invitations.claim(added.id, "t:2")  # the first account keeps it
        await uow.invitations.mark_used(added.id, NOW)
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        loaded = await uow.invitations.by_token_hash("h")
        assert loaded is not None
        assert (loaded.name, loaded.claimed_by, loaded.used_at, loaded.employer, loaded.team) == (
            "Kari",
            "t:1",
            NOW,
            Employer.KOMMUNE,
            "sor",
        )
        assert await uow.invitations.by_token_hash("other") is None
    await database.close()


async def test_circles_and_meetings_round_trip_with_encrypted_places(
    tmp_path: Path, key: str
) -> None:
    from bot.domain.circle import Status

    database = await open_database(tmp_path / "m.db", Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        ola = await uow.people.add(
            role=Role.JOBBSOKER, name="Ola", locale=Locale.NB, address="t:1", created_at=NOW
        )
        per = await uow.people.add(
            role=Role.BEHANDLER,
            name="Per",
            locale=Locale.NN,
            address="t:2",
            created_at=NOW,
            workplace="DPS Solvang",
        )
        pending = await uow.memberships.add(
            jobseeker_id=ola.id,
            member_id=per.id,
            role=Role.BEHANDLER,
            status=Status.PENDING,
            at=NOW,
        )
        await uow.memberships.set_status(pending.id, Status.APPROVED, NOW)
        meeting = await uow.meetings.add(
            jobseeker_id=ola.id,
            organiser_id=per.id,
            starts_at=NOW + timedelta(days=3),
            ends_at=NOW + timedelta(days=3, hours=1),
            place=SECRET,
            attendee_ids=[ola.id, per.id, ola.id],
            at=NOW,
        )
        await uow.meetings.set_cannot_come(meeting.id, ola.id)
        await uow.meetings.reschedule(
            meeting.id, NOW + timedelta(days=4), NOW + timedelta(days=4, hours=1)
        )
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        [membership] = await uow.memberships.of_member(per.id)
        assert membership.status is Status.APPROVED
        loaded = await uow.meetings.get(meeting.id)
        assert loaded is not None and loaded.place == SECRET and loaded.sequence == 1
        assert [(a.person_id, a.cannot_come) for a in loaded.attendees] == [
            (ola.id, False),
            (per.id, False),
        ]
        assert loaded.starts_at == NOW + timedelta(days=4)
        assert (await uow.people.get(per.id)).workplace == "DPS Solvang"  # type: ignore[union-attr]
        await uow.meetings.cancel(meeting.id)
        await uow.people.delete(ola.id)  # a job seeker's meetings and circle go with them
        await uow.commit()
    async with SqliteUnitOfWork(database) as uow:
        assert await uow.meetings.of_attendee(per.id) == []
        assert await uow.memberships.of_member(per.id) == []
    await database.close()


# -- agenda versions, and the preparation status without 'shared' (migration 6) ---------------


async def _ola_with_a_preparation(uow: SqliteUnitOfWork) -> tuple[int, int]:
    from bot.domain.preparation import Answers, PrepStatus, TopicAnswer

    ola = await uow.people.add(
        role=Role.JOBBSOKER, name="Ola", locale=Locale.NB, address="t:1", created_at=NOW
    )
    preparation = await uow.preparations.add(jobseeker_id=ola.id, meeting_id=None, at=NOW)
    answers = Answers(hard=SECRET, topics=[TopicAnswer("money", ["reapply"], raiser="me")])
    await uow.preparations.save(preparation.id, answers, PrepStatus.READY, NOW)
    return ola.id, preparation.id


async def test_agenda_versions_round_trip_encrypted_and_never_change(
    tmp_path: Path, key: str
) -> None:
    from bot.domain.agenda import Item

    first_items = [
        Item("purpose", own_words=SECRET),
        Item("topic", "money", ("reapply",), "Egne ord", raiser="me"),
        Item("situation", going_well="Bra", hard=SECRET),
    ]
    second_items = [first_items[1], Item("not_this_time", own_words="Familien")]
    path = tmp_path / "m.db"
    database = await open_database(path, Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        ola_id, preparation_id = await _ola_with_a_preparation(uow)
        first = await uow.agendas.add(
            preparation_id=preparation_id,
            jobseeker_id=ola_id,
            items=first_items,
            at=NOW,
        )
        second = await uow.agendas.add(
            preparation_id=preparation_id,
            jobseeker_id=ola_id,
            items=second_items,
            at=NOW + timedelta(hours=1),
        )
        await uow.commit()
    assert (first.number, second.number) == (1, 2)

    async with SqliteUnitOfWork(database) as uow:
        assert await uow.agendas.get(first.id) == first
        assert first.items == tuple(first_items)
        assert await uow.agendas.latest(preparation_id) == second
        assert await uow.agendas.of_preparation(preparation_id) == [first, second]
        assert second.keys == ("topic:money", "not_this_time")
        assert second.created_at == NOW + timedelta(hours=1)
        assert await uow.agendas.latest(preparation_id + 1) is None
        assert await uow.agendas.get(second.id + 1) is None
    async with database.connection.execute("SELECT items_enc FROM agenda_versions") as cursor:
        for (items_enc,) in await cursor.fetchall():
            assert "Egne ord" not in items_enc and "money" not in items_enc
    # Two versions with one number: refused by the database itself.
    with pytest.raises(aiosqlite.IntegrityError):
        await database.connection.execute(
            "INSERT INTO agenda_versions"
            " (preparation_id, jobseeker_id, number, items_enc, created_at)"
            " VALUES (?, ?, 2, 'x', 'y')",
            (preparation_id, ola_id),
        )

    async with SqliteUnitOfWork(database) as uow:
        await uow.people.delete(ola_id)  # the job seeker's versions go with them
        await uow.commit()
    async with database.connection.execute("SELECT COUNT(*) FROM agenda_versions") as cursor:
        assert (await cursor.fetchone())[0] == 0  # type: ignore[index]
    await database.close()


async def test_a_shared_preparation_becomes_ready_in_version_6(tmp_path: Path, key: str) -> None:
    from bot.domain.preparation import PrepStatus

    path = tmp_path / "m.db"
    cipher = Cipher([key])
    old = await open_database(path, cipher, up_to=5)
    async with SqliteUnitOfWork(old) as uow:
        ola_id, shared_id = await _ola_with_a_preparation(uow)
        begun = await uow.preparations.add(jobseeker_id=ola_id, meeting_id=None, at=NOW)
        await uow.commit()
    await old.connection.execute(
        "UPDATE preparations SET status = 'shared' WHERE id = ?", (shared_id,)
    )
    await old.connection.close()

    database = await open_database(path, cipher)
    try:
        assert await schema_version(database.connection) >= 6
        async with SqliteUnitOfWork(database) as uow:
            shared = await uow.preparations.get(shared_id)
            assert shared is not None and shared.status is PrepStatus.READY
            assert shared.answers.hard == SECRET and shared.jobseeker_id == ola_id
            assert [p.id for p in await uow.preparations.of_jobseeker(ola_id)] == [
                begun.id,
                shared_id,
            ]
            still_begun = await uow.preparations.get(begun.id)
            assert still_begun is not None and still_begun.status is PrepStatus.IN_PROGRESS
        connection = database.connection
        async with connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'preparations'"
        ) as cursor:
            indexes = {row[0] for row in await cursor.fetchall()}
        assert {"preparations_by_jobseeker", "preparations_by_meeting"} <= indexes
        async with connection.execute("PRAGMA foreign_key_check") as cursor:
            assert list(await cursor.fetchall()) == []
        async with connection.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1  # type: ignore[index]
        with pytest.raises(aiosqlite.IntegrityError):  # 'shared' is no status any more
            await connection.execute(
                "UPDATE preparations SET status = 'shared' WHERE id = ?", (shared_id,)
            )
        async with SqliteUnitOfWork(database) as uow:  # versions can be made of it
            version = await uow.agendas.add(
                preparation_id=shared_id, jobseeker_id=ola_id, items=[], at=NOW
            )
            assert version.number == 1
            await uow.commit()
    finally:
        await database.close()
