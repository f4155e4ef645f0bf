"""After meetings on real SQLite and a clock the test moves: retention (what carries over, what is
deleted and purged, which copies are withdrawn), the carry-over read by the next /forbered and
the task reminders it still gives, its end after 180 days or at the next follow-up, and the team's
report as the operator runs it (hand-counted figures; a 4 hidden).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import open_runtime
from bot.config import Settings
from bot.core.delivery import enqueue
from bot.core.messages import Inbound, Kind, Reply
from bot.core.services import Change, agreements, followups, sharing
from bot.core.services.copies import recipient_of
from bot.core.services.meetings import cancel, schedule
from bot.core.services.preparation import finish, start
from bot.core.state import ConversationState
from bot.domain.circle import Status
from bot.domain.consent import agreed_proposal, proposal
from bot.domain.delivery import Attempt
from bot.domain.followup import Heard
from bot.domain.meetings import Meeting
from bot.domain.people import Employer, Locale, Person, Role
from bot.domain.preparation import Answers, TopicAnswer
from bot.domain.reminders import Policy
from bot.domain.report import Month
from bot.rendering import content
from bot.storage.crypto import Cipher, generate_key
from bot.transports import Runtime

OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 10.00 in Oslo
MEETING = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # Thursday 10.00 in Oslo, an hour long
END = MEETING + timedelta(hours=1)
BANK = {topic.id: topic for topic in content.topics()}
POLICY = Policy()  # the installation's settings are the defaults here


class MovableClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@dataclass
class World:
    runtime: Runtime
    clock: MovableClock
    db: Path
    key: str
    people: dict[str, Person]
    ids: itertools.count[int]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    clock = MovableClock(START)
    key = generate_key()
    db = tmp_path / "m.db"
    runtime = await open_runtime(
        Settings.from_env({"MOTEKLAR_QUIET_HOURS": "21-08"}, dotenv=None),
        db_path=db,
        secret_key=key,
        controller="Test HF",
        clock=clock,
    )
    people: dict[str, Person] = {}
    async with runtime.uow_factory() as uow:
        for name, role in (
            ("ola", Role.JOBBSOKER),
            ("kari", Role.JOBBSPESIALIST),
            ("per", Role.BEHANDLER),
            ("nina", Role.NAVVEILEDER),
        ):
            people[name] = await uow.people.add(
                role=role,
                name=f"{name.capitalize()} Test",
                locale=Locale.NB,
                address=f"test:{name}",
                created_at=START,
                employer=None if role is Role.JOBBSOKER else Employer.NAV,
                team="sor",
            )
        for name in ("kari", "per", "nina"):
            await uow.memberships.add(
                jobseeker_id=people["ola"].id,
                member_id=people[name].id,
                role=people[name].role,
                status=Status.APPROVED,
                at=START,
            )
        await uow.commit()
    yield World(runtime, clock, db, key, people, itertools.count(100))
    await runtime.close()


async def act(world: World, who: str, work) -> list[Reply]:  # type: ignore[no-untyped-def]
    """Run a service as ``who`` in one unit of work; its messages go to the outbox."""
    async with world.runtime.uow_factory() as uow:
        change = Change(uow, world.clock.now(), world.people[who], POLICY)
        replies = await work(change)
        await enqueue(uow, world.runtime.renderer, world.clock.now(), replies, actor=f"test:{who}")
        await uow.commit()
    return replies


async def deliver(world: World) -> None:
    """The transport's part: every queued message arrives, with a message id."""
    deliveries = world.runtime.deliveries
    for address in await deliveries.pending():
        while (delivery := await deliveries.next(address)) is not None:
            await deliveries.finish(delivery, Attempt.DELIVERED, [next(world.ids)])


async def share_agreed_with_per(world: World, meeting: Meeting) -> None:
    """Ola shares what was agreed with Per, as proposed, and it is delivered."""

    async def share_agreed(change: Change) -> list[Reply]:
        [agreement] = await change.gate.agreements(change.actor, meeting)
        per = world.people["per"]
        _, notices = await agreements.share(
            change, agreement, per, agreed_proposal(agreement, recipient_of(per))
        )
        return notices

    await act(world, "ola", share_agreed)
    await deliver(world)


async def held_meeting(world: World) -> Meeting:
    """Kari books a meeting for all four; Ola prepares (money, housing); Ola shares with Per and
    Nina as proposed; the meeting takes place; Ola's follow-up: partly, money yes, housing no;
    Kari writes down tasks for Ola and Per (Per's a month and a half on) and Ola shares with Per."""
    people = world.people

    async def book(change: Change) -> list[Reply]:
        meeting, notices = await schedule(
            change,
            people["ola"],
            MEETING,
            60,
            "DPS Solvang",
            [people["per"].id, people["nina"].id],
        )
        booked.append(meeting)
        return notices

    booked: list[Meeting] = []
    await act(world, "kari", book)
    meeting = booked[0]

    async def prepare(change: Change) -> list[Reply]:
        preparation = await start(change, meeting.id)
        answers = Answers(
            topics=[
                TopicAnswer("money", own_words="RETAINMONEY"),
                TopicAnswer("housing", own_words="RETAINHOUSING"),
            ],
            purpose="RETAINPURPOSE",
        )
        version = await finish(change, preparation, answers, BANK)
        replies: list[Reply] = []
        for name in ("per", "nina"):
            person = people[name]
            consent = proposal(version, recipient_of(person))
            _, notices = await sharing.share(change, meeting, version, person, consent)
            replies += notices
        return replies

    await act(world, "ola", prepare)
    await deliver(world)

    world.clock.moment = END + timedelta(hours=2)

    async def follow_up(change: Change) -> list[Reply]:
        await followups.answer_heard(change, meeting, Heard.PARTLY)
        await followups.answer_item(change, meeting, "purpose", True)
        await followups.answer_item(change, meeting, "topic:money", True)
        await followups.answer_item(change, meeting, "topic:housing", False)
        return []

    await act(world, "ola", follow_up)

    async def record(change: Change) -> list[Reply]:
        later = (END + timedelta(days=45)).astimezone(OSLO).date()
        await agreements.add_task(change, meeting, people["ola"].id, "Ringe RETAINTASKOLA", None)
        await agreements.add_task(change, meeting, people["per"].id, "Skrive RETAINTASKPER", later)
        _, notices = await agreements.send(change, meeting)
        return notices

    await act(world, "kari", record)

    await share_agreed_with_per(world, meeting)
    return meeting


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def file_bytes(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


PERSONAL = {
    "preparations": "data_enc",
    "agenda_versions": "items_enc",
    "shares": "keys_enc",
    "followups": "data_enc",
    "tasks": "text_enc",
    "agreement_shares": "keys_enc",
}


async def test_retention_carries_over_then_deletes_purges_and_withdraws(world: World) -> None:
    meeting = await held_meeting(world)
    db = world.db
    stored = [str(v) for t, c in PERSONAL.items() for (v,) in rows(db, f"SELECT {c} FROM {t}")]
    assert len(stored) == 8  # a preparation, a version, 2 shares, a follow-up, 2 tasks, a share
    copies = rows(db, "SELECT id, address, ref FROM outbox WHERE op = 'send' AND ref IS NOT NULL")
    per_copies = [c for c in copies if c[1] == "test:per"]
    assert {str(r).split(":")[0] for _, _, r in copies} == {"share", "agreed"}

    # A day before retention, nothing is touched.
    world.clock.moment = END + timedelta(days=29, hours=23)
    swept = await world.runtime.aftercare.run()
    assert (swept.meetings, swept.preparations, swept.withdrawn) == (0, 0, 0)
    assert rows(db, "SELECT COUNT(*) FROM preparations") == [(1,)]

    # MOTEKLAR_RETENTION_DAYS (30) after the meeting: carried over, then deleted.
    world.clock.moment = END + timedelta(days=30, minutes=1)
    swept = await world.runtime.aftercare.run()
    assert (swept.meetings, swept.preparations, swept.carried) == (1, 1, 1)
    for table in (*PERSONAL, "agreements"):
        assert rows(db, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    after = file_bytes(db)
    assert not [s for s in stored if s.encode() in after]  # not in the file, not in the WAL

    # Every copy still out there is withdrawn (deleted or overwritten by the sender).
    withdrawals = rows(db, "SELECT address, target_id, ref FROM outbox WHERE op = 'withdraw'")
    assert {t for _, t, _ in withdrawals} == {c[0] for c in copies}
    assert {a for a, _, _ in withdrawals} == {"test:per", "test:nina"}
    assert len(per_copies) == 4  # the agenda and what was agreed, each with a text for his records
    [(withdrawal_id,)] = rows(db, "SELECT MIN(id) FROM outbox WHERE op = 'withdraw'")
    async with world.runtime.uow_factory() as uow:
        withdrawal = await uow.outbox.get(int(str(withdrawal_id)))
    assert withdrawal is not None and "Slettet:" in withdrawal.envelope.parts[0]

    # The carry-over: what was agreed, and the point not talked about.
    async with world.runtime.uow_factory() as uow:
        carried = await uow.carryovers.get(world.people["ola"].id)
    assert carried is not None and carried.meeting_id == meeting.id
    assert [i.key for i in carried.last_time.not_discussed] == ["topic:housing"]
    assert carried.last_time.not_discussed[0].own_words == "RETAINHOUSING"
    by_text = {t.text: t for t in carried.last_time.tasks}
    assert by_text["Skrive RETAINTASKPER"].remind == (world.people["per"].id,)  # it was shared
    assert carried.expires_at == world.clock.now() + timedelta(days=180)

    # The next /forbered opens with it.
    outcome = await world.runtime.engine.handle(
        Inbound("test:ola", Kind.COMMAND, command="forbered")
    )
    [opening] = [r for r in outcome.replies if r.template == "prep/last_time.html"]
    assert [i.key for i in opening.context["not_discussed"]] == ["topic:housing"]  # type: ignore[union-attr]
    assert {t["text"] for t in opening.context["tasks"]} == {  # type: ignore[union-attr]
        "Ringe RETAINTASKOLA",
        "Skrive RETAINTASKPER",
    }

    # Per's task reminder comes on its date, from the carry-over.
    due = (END + timedelta(days=45)).astimezone(OSLO).date()
    world.clock.moment = datetime(due.year, due.month, due.day, 8, 0, tzinfo=OSLO)
    reminders = world.runtime.reminders
    soon = world.clock.now() + timedelta(seconds=1)
    fired = [await reminders.fire(i) for i, _ in await reminders.due(soon)]
    assert any("test:per" in f.addresses for f in fired)
    [(text,)] = rows(
        db,
        "SELECT r.status FROM reminders r JOIN people p ON p.id = r.person_id"
        " WHERE r.kind = 'task' AND p.address = 'test:per'",
    )
    assert text == "sent"

    # 180 days on, the carry-over goes.
    world.clock.moment = END + timedelta(days=30 + 181)
    swept = await world.runtime.aftercare.run()
    assert swept.expired == 1 and rows(db, "SELECT COUNT(*) FROM carryovers") == [(0,)]


async def test_what_was_agreed_at_a_meeting_cancelled_after_it_began_goes_too(
    world: World,
) -> None:
    """/avtalt opens once a meeting has begun, and a meeting can be cancelled until it ends:
    what was written down and shared goes MOTEKLAR_RETENTION_DAYS after the meeting's end, its
    copies withdrawn. It never carries over (the next preparation never showed it either)."""
    people = world.people
    booked: list[Meeting] = []

    async def book(change: Change) -> list[Reply]:
        meeting, notices = await schedule(
            change, people["ola"], MEETING, 60, "DPS Solvang", [people["per"].id]
        )
        booked.append(meeting)
        return notices

    await act(world, "kari", book)
    meeting = booked[0]
    world.clock.moment = MEETING + timedelta(minutes=30)  # it has begun

    async def record(change: Change) -> list[Reply]:
        later = (END + timedelta(days=45)).astimezone(OSLO).date()
        await agreements.add_task(change, meeting, people["per"].id, "Skrive CANCELTASK", later)
        _, notices = await agreements.send(change, meeting)
        return notices

    await act(world, "kari", record)

    await share_agreed_with_per(world, meeting)
    world.clock.moment = MEETING + timedelta(minutes=40)

    async def call_off(change: Change) -> list[Reply]:
        return await cancel(change, meeting)

    await act(world, "kari", call_off)
    await deliver(world)
    world.clock.moment = END + timedelta(days=20)

    async def prepare(change: Change) -> list[Reply]:  # for it still (it counts from now)
        preparation = await start(change, meeting.id)
        answers = Answers(topics=[TopicAnswer("money", own_words="CANCELPREP")])
        await change.uow.preparations.save(
            preparation.id, answers, preparation.status, world.clock.now()
        )
        return []

    await act(world, "ola", prepare)
    db = world.db
    [(words,)] = rows(db, "SELECT text_enc FROM tasks")
    copies = rows(db, "SELECT id, address FROM outbox WHERE op = 'send' AND ref LIKE 'agreed:%'")
    assert copies and {a for _, a in copies} == {"test:per"}

    world.clock.moment = END + timedelta(days=29, hours=23)
    assert (await world.runtime.aftercare.run()).meetings == 0
    assert rows(db, "SELECT COUNT(*) FROM agreements") == [(1,)]

    world.clock.moment = END + timedelta(days=30, minutes=1)
    swept = await world.runtime.aftercare.run()
    assert (swept.meetings, swept.carried, swept.withdrawn) == (1, 0, len(copies))
    for table in ("agreements", "tasks", "agreement_shares", "followups", "carryovers"):
        assert rows(db, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    withdrawn = rows(db, "SELECT target_id, address FROM outbox WHERE op = 'withdraw'")
    assert sorted(withdrawn) == sorted(copies)
    assert str(words).encode() not in file_bytes(db)
    assert rows(db, "SELECT status FROM meetings") == [("cancelled",)]  # the meeting stays
    assert (await world.runtime.aftercare.run()).meetings == 0  # and is not found again
    # Its preparation counts from its last change, as for any cancelled meeting.
    assert rows(db, "SELECT COUNT(*) FROM preparations") == [(1,)]
    world.clock.moment = END + timedelta(days=20 + 30, minutes=1)
    assert (await world.runtime.aftercare.run()).preparations == 1


def refs(db: Path, address: str | None = None) -> set[str]:
    """The refs of the outbox's rows (to one address, if given)."""
    where = "ref IS NOT NULL" + (f" AND address = '{address}'" if address else "")
    return {str(r) for (r,) in rows(db, f"SELECT DISTINCT ref FROM outbox WHERE {where}")}


async def test_the_messages_of_a_copy_taken_back_go_a_week_after_the_last_of_them_settled(
    world: World,
) -> None:
    """A copy's messages (with the recipient's address and their message ids) are kept while
    the copy is shared and while its withdrawal is on its way, then a week; a copy that
    retention deleted goes the same way."""
    await held_meeting(world)
    db, people, housekeeping = world.db, world.people, world.runtime.deliveries.housekeeping
    nina = people["nina"]
    to_nina: list[str] = []

    async def take_back(change: Change) -> list[Reply]:
        [share] = [
            s for s in await change.gate.own_shares(change.actor) if s.recipient_id == nina.id
        ]
        to_nina.append(sharing.ref_of(share.id))
        return await sharing.withdraw(change, share, nina)

    await act(world, "ola", take_back)  # the withdrawal waits (Telegram is slow today)
    per_refs = refs(db, "test:per")
    assert len(per_refs) == 2 and to_nina[0] in refs(db, "test:nina")
    world.clock.moment += timedelta(days=8)
    await housekeeping()
    queued = f"SELECT op FROM outbox WHERE ref = '{to_nina[0]}' AND status = 'queued'"
    assert rows(db, queued) == [("withdraw",)]  # on its way, with the copy it takes back
    assert to_nina[0] in refs(db, "test:nina")

    await deliver(world)
    settled = world.clock.now()
    world.clock.moment = settled + timedelta(days=6, hours=23)
    await housekeeping()
    assert to_nina[0] in refs(db)
    world.clock.moment = settled + timedelta(days=7, minutes=1)
    await housekeeping()
    assert to_nina[0] not in refs(db) and refs(db, "test:nina") == set()
    assert refs(db, "test:per") == per_refs  # still shared: kept

    world.clock.moment = END + timedelta(days=30, minutes=1)
    await world.runtime.aftercare.run()  # deleted, and withdrawn
    await deliver(world)
    world.clock.moment += timedelta(days=7, minutes=1)
    await housekeeping()
    assert refs(db) == set()
    assert rows(db, "SELECT COUNT(*) FROM outbox WHERE address = 'test:per'") == [(0,)]


async def test_a_pinned_agenda_keeps_its_message_until_it_is_taken_down_and_a_week_more(
    world: World,
) -> None:
    people = world.people

    async def book(change: Change) -> list[Reply]:
        _, notices = await schedule(change, people["ola"], MEETING, 60, "DPS Solvang", [])
        return notices

    await act(world, "kari", book)
    reminders, housekeeping = world.runtime.reminders, world.runtime.deliveries.housekeeping

    async def fire_due() -> None:
        for reminder_id, _ in await reminders.due(world.clock.now() + timedelta(seconds=1)):
            await reminders.fire(reminder_id)
        await deliver(world)

    world.clock.moment = MEETING - timedelta(minutes=5)  # the morning's pin, and the reminders
    await fire_due()
    [(pin_id,)] = rows(world.db, "SELECT id FROM reminders WHERE kind = 'pin'")
    pinned = f"reminder:{pin_id}"
    assert rows(world.db, f"SELECT op, status FROM outbox WHERE ref = '{pinned}'") == [
        ("send", "sent"),
        ("pin", "sent"),
    ]
    # Were the bot down from now until a week after the meeting, the pinned message is kept:
    # the unpin still to come takes it down by the pin's ref.
    world.clock.moment = END + timedelta(days=8)
    await housekeeping()
    assert pinned in refs(world.db)
    await fire_due()  # the unpin, late
    ops = rows(world.db, f"SELECT op, status FROM outbox WHERE ref = '{pinned}'")
    assert ops == [("send", "sent"), ("pin", "sent"), ("unpin", "sent")]
    world.clock.moment += timedelta(days=6, hours=23)
    await housekeeping()
    assert pinned in refs(world.db)
    world.clock.moment += timedelta(hours=1, minutes=1)
    await housekeeping()
    assert refs(world.db) == set()  # the meeting reminders' messages went too


async def test_the_next_follow_up_replaces_the_carry_over(world: World) -> None:
    await held_meeting(world)
    world.clock.moment = END + timedelta(days=31)
    await world.runtime.aftercare.run()
    assert rows(world.db, "SELECT COUNT(*) FROM carryovers") == [(1,)]

    people = world.people
    second: list[Meeting] = []

    async def book(change: Change) -> list[Reply]:
        meeting, notices = await schedule(
            change, people["ola"], world.clock.now() + timedelta(days=2), 60, "Nav", []
        )
        second.append(meeting)
        return notices

    await act(world, "kari", book)
    world.clock.moment += timedelta(days=3)

    async def answer(change: Change) -> list[Reply]:
        await followups.answer_heard(change, second[0], Heard.YES)
        return []

    await act(world, "ola", answer)
    assert rows(world.db, "SELECT COUNT(*) FROM carryovers") == [(0,)]


async def test_a_preparation_without_a_meeting_counts_from_its_last_change(world: World) -> None:
    engine = world.runtime.engine
    await engine.handle(Inbound("test:ola", Kind.COMMAND, command="forbered"))
    await engine.handle(Inbound("test:ola", Kind.TEXT, text="Det går greit"))
    assert rows(world.db, "SELECT COUNT(*) FROM preparations WHERE meeting_id IS NULL") == [(1,)]

    world.clock.moment = START + timedelta(days=29)
    await engine.handle(Inbound("test:ola", Kind.TEXT, text="Litt tungt"))  # changed: counts anew
    world.clock.moment = START + timedelta(days=31)
    assert (await world.runtime.aftercare.run()).preparations == 0

    world.clock.moment = START + timedelta(days=29 + 31)
    assert (await world.runtime.aftercare.run()).preparations == 1
    assert rows(world.db, "SELECT COUNT(*) FROM preparations") == [(0,)]
    # The conversation that pointed at it starts afresh, kindly.
    outcome = await engine.handle(Inbound("test:ola", Kind.TEXT, text="Hei igjen"))
    assert outcome.replies[0].template == "state_gone.html"


async def test_a_conversation_idle_longer_than_retention_is_let_go_of_with_its_words(
    world: World,
) -> None:
    """Ola begins /snakke and writes, then leaves it: what he typed is kept in the
    conversation's state only until it has been idle for the retention period. Then his old
    button sends nothing, and he is told kindly why and what he can do. Idle rows of someone
    who never registered, or with nothing going on, go altogether."""
    engine = world.runtime.engine
    await engine.handle(Inbound("test:ola", Kind.COMMAND, command="snakke"))
    await engine.handle(Inbound("test:ola", Kind.TEXT, text="IDLEWORDS om jobben"))
    await engine.handle(Inbound("test:kari", Kind.COMMAND, command="hjelp"))  # nothing going on
    async with world.runtime.uow_factory() as uow:
        await uow.conversations.save(
            "test:stranger", ConversationState("join", "name", {"name": "IDLESTRANGER"}), START
        )
        await uow.commit()

    def stored() -> dict[object, tuple[object, ...]]:
        found = rows(world.db, "SELECT address, flow, data_enc FROM conversations")
        return {row[0]: row[1:] for row in found}

    def words(address: str) -> str:
        data = stored()[address][1]
        return Cipher([world.key]).decrypt(str(data)) if data else ""

    assert "IDLEWORDS" in words("test:ola")
    world.clock.moment = START + timedelta(days=29)
    assert (await world.runtime.aftercare.run()).conversations == 0
    assert set(stored()) == {"test:ola", "test:kari", "test:stranger"}

    world.clock.moment = START + timedelta(days=31)
    assert (await world.runtime.aftercare.run()).conversations == 2  # Ola's and the stranger's
    assert set(stored()) == {"test:ola"} and stored()["test:ola"][0] == ""
    assert "IDLEWORDS" not in words("test:ola")

    told = "SELECT COUNT(*) FROM outbox WHERE address = 'test:kari'"
    before = rows(world.db, told)
    sent = await engine.handle(Inbound("test:ola", Kind.BUTTON, data="v1:talk:preview:send"))
    [gone] = sent.replies
    assert gone.template == "state_gone.html" and gone.context["idle"] is True
    assert not sent.accepted and sent.notice  # "That button is no longer in use."
    assert rows(world.db, told) == before  # Kari is told nothing
    # Said once: after that, Møteklar answers as it always does.
    again = await engine.handle(Inbound("test:ola", Kind.TEXT, text="Hvor ble det av?"))
    assert again.replies[0].template == "not_understood.html"


# -- the team's report, as the operator runs it ---------------------------------------------


def month_of(moment: datetime) -> Month:
    return Month.of(moment.astimezone(OSLO).date())


async def seed_report(db: Path, key: str, first: datetime, second: datetime) -> None:
    """Team "sor": in ``first``'s month 3 meetings held; in ``second``'s month 15 held, 9 of them
    with the agenda ready, 15 followed up: 6 yes, 5 partly, 4 no; 2 points asked in each, and
    the 4 who said no talked about neither. Team "nord": 2 held. Counted as the bot counts."""
    clock = MovableClock(first - timedelta(days=1))
    runtime = await open_runtime(
        Settings.from_env({}, dotenv=None), db_path=db, secret_key=key, controller="X", clock=clock
    )
    policy = POLICY
    try:
        answers = [Heard.YES] * 6 + [Heard.PARTLY] * 5 + [Heard.NO] * 4
        plan = [("nord", first, None, False)] * 2 + [("sor", first, None, False)] * 3
        plan += [("sor", second, heard, n < 9) for n, heard in enumerate(answers)]
        for n, (team, when, heard, ready) in enumerate(plan):
            clock.moment = when - timedelta(days=1)
            async with runtime.uow_factory() as uow:
                ola = await uow.people.add(
                    role=Role.JOBBSOKER,
                    name="Ola",
                    locale=Locale.NB,
                    address=f"test:ola{n}",
                    created_at=clock.moment,
                    team=team,
                )
                kari = await uow.people.add(
                    role=Role.JOBBSPESIALIST,
                    name="Kari",
                    locale=Locale.NB,
                    address=f"test:kari{n}",
                    created_at=clock.moment,
                    team=team,
                )
                await uow.memberships.add(
                    jobseeker_id=ola.id,
                    member_id=kari.id,
                    role=Role.JOBBSPESIALIST,
                    status=Status.APPROVED,
                    at=clock.moment,
                )
                meeting, _ = await schedule(
                    Change(uow, clock.moment, kari, policy), ola, when, 60, "Rom", []
                )
                as_ola = Change(uow, clock.moment, ola, policy)
                preparation = await start(as_ola, meeting.id)
                topics = [TopicAnswer("money"), TopicAnswer("housing")]
                if ready:
                    await finish(as_ola, preparation, Answers(topics=topics), BANK)
                else:
                    await uow.preparations.save(
                        preparation.id, Answers(topics=topics), preparation.status, clock.moment
                    )
                await uow.commit()
            clock.moment = when + timedelta(hours=2)
            await runtime.aftercare.tally()
            if heard is not None:
                async with runtime.uow_factory() as uow:
                    as_ola = Change(uow, clock.moment, ola, policy)
                    await followups.answer_heard(as_ola, meeting, heard)
                    talked = heard is not Heard.NO
                    for key_ in ("topic:money", "topic:housing"):
                        await followups.answer_item(as_ola, meeting, key_, talked)
                    await uow.commit()
    finally:
        await runtime.close()


def run_report(db: Path, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")}
    env.update(MOTEKLAR_DB=str(db), MOTEKLAR_SECRET_KEY=key)
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *args],
        cwd=db.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def report(db: Path, key: str, *args: str) -> str:
    result = run_report(db, key, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_report_matches_hand_counted_figures_and_hides_a_four(tmp_path: Path) -> None:
    this = Month.of(datetime.now(OSLO).date())
    second_month, first_month = this.previous(), this.previous().previous()
    second = datetime(second_month.year, second_month.month, 12, 9, 0, tzinfo=UTC)
    first = datetime(first_month.year, first_month.month, 12, 9, 0, tzinfo=UTC)
    db, key = tmp_path / "m.db", generate_key()
    await seed_report(db, key, first, second)

    out = report(db, key, "--team", "sor", "--since", str(second_month))
    lines = {
        line.strip().split("  ")[0]: line.rsplit("  ", 1)[1].strip()
        for line in out.splitlines()[1:]
        if "  " in line.strip()
    }
    assert f"for sor, {second_month} to {second_month}" in out
    assert lines["meetings held"] == "15"
    assert lines["prepared (agenda ready)"] == "9 (60 %)"
    assert lines["followed up"] == "15 (100 %)"
    assert lines["yes"] == "6 (40 %)"
    assert lines["partly"] == "5 (33 %)"
    assert lines["no"] == "under 5"  # four said no: hidden
    assert lines["agenda points asked about"] == "30"
    assert lines["points not talked about"] == "8 (27 %)"

    # From the month before, the total (18) would give away that month's 3 to anyone who ran
    # the report above as well: it is hidden too.
    out = report(db, key, "--team", "sor", "--since", str(first_month))
    assert "meetings held                          under 5" in out

    # Each team alone, never added up across teams; nord has 2 meetings: hidden.
    out = report(db, key, "--since", str(first_month))
    assert "for nord," in out and "for sor," in out
    assert out.count("meetings held                          under 5") == 2
    assert "Ola" not in out and "Kari" not in out

    # Whole months only.
    refused = run_report(db, key, "--since", f"{second_month}-05")
    assert refused.returncode == 2 and "whole month" in refused.stderr
