"""The Telegram side of reminders: PTB's JobQueue (APScheduler) holds only the window due soon,
jobs are named reminder:<id>, new reminders are picked up by id, overdue ones run at once, and a
job that runs again (or for a dropped reminder) sends nothing. No network: a recording core."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from telegram.ext import Application

from bot.core.reminders import Fired
from bot.transports.telegram import reminders as jobs
from bot.transports.telegram.reminders import WINDOW, ReminderJobs


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeReminders:
    """The database's view: pending reminders by id; records what was fired."""

    def __init__(self, due: dict[int, datetime]) -> None:
        self.pending = dict(due)
        self.fired: list[int] = []
        self.queries = 0

    async def due(
        self, until: datetime, *, after_id: int = 0, limit: int = 1000
    ) -> list[tuple[int, datetime]]:
        self.queries += 1
        found = sorted((d, i) for i, d in self.pending.items() if d < until and i > after_id)
        return [(i, d) for d, i in found[:limit]]

    async def last_id(self) -> int:
        return max(self.pending, default=0)

    async def planned_since(
        self, after_id: int, until: datetime, *, limit: int = 1000
    ) -> tuple[int, list[tuple[int, datetime]]]:
        latest = await self.last_id()
        if latest <= after_id:
            return latest, []
        return latest, await self.due(until, after_id=after_id, limit=limit)

    async def fire(self, reminder_id: int, at: datetime | None = None) -> Fired:
        self.fired.append(reminder_id)
        if self.pending.pop(reminder_id, None) is None:
            return Fired()
        return Fired((f"telegram:{reminder_id}",))


async def started(fake: FakeReminders, poked: list[str]) -> tuple[ReminderJobs, Application]:  # type: ignore[type-arg]
    application = Application.builder().token("123:TEST").updater(None).build()
    assert application.job_queue is not None
    await application.job_queue.start()

    def poke(addresses: Iterable[str]) -> None:
        poked.extend(addresses)

    scheduler = ReminderJobs(application.job_queue, fake, Clock(), poke)  # type: ignore[arg-type]
    await scheduler.start()
    return scheduler, application


async def test_only_the_window_becomes_jobs_and_overdue_ones_run_at_once() -> None:
    now = datetime.now(UTC)
    fake = FakeReminders(
        {
            1: now - timedelta(hours=3),  # fell due while the bot was down
            2: now + timedelta(seconds=0.3),
            3: now + WINDOW + timedelta(hours=1),  # beyond the window: no job yet
            5: now + timedelta(hours=1),
        }
    )
    poked: list[str] = []
    scheduler, application = await started(fake, poked)
    try:
        queue = application.job_queue
        assert queue is not None
        names = {job.name for job in queue.jobs()}
        assert {"reminder:2", "reminder:5"} <= names and "reminder:3" not in names
        # APScheduler would silently skip a job started more than a second late by default.
        job = queue.get_jobs_by_name("reminder:5")[0].job
        assert job.misfire_grace_time is None and job.coalesce
        await asyncio.sleep(0.8)
        assert sorted(fake.fired) == [1, 2]
        assert sorted(poked) == ["telegram:1", "telegram:2"]
        assert scheduler.scheduled == 1  # reminder 5, in an hour

        # Planned meanwhile (a meeting booked a moment ago): seen by its id within a second.
        fake.pending[6] = datetime.now(UTC) + timedelta(seconds=0.2)  # ids only grow
        await asyncio.sleep(jobs.NEW_EVERY + 0.6)
        assert sorted(fake.fired) == [1, 2, 6]
        # A refill never makes a second job for a reminder that has one, and a job that runs
        # for a reminder already sent sends nothing.
        await scheduler.refill()
        await scheduler.refill()
        assert "reminder:3" not in {job.name for job in queue.jobs()}
    finally:
        await application.job_queue.stop()  # type: ignore[union-attr]


async def test_a_large_backlog_is_scheduled_a_batch_at_a_time(monkeypatch) -> None:
    monkeypatch.setattr(jobs, "BATCH", 50)
    now = datetime.now(UTC)
    fake = FakeReminders({i: now + timedelta(hours=1, seconds=i) for i in range(1, 1001)})
    scheduler, application = await started(fake, [])
    try:
        assert scheduler.scheduled == 50  # the soonest, not a thousand jobs at once
    finally:
        await application.job_queue.stop()  # type: ignore[union-attr]


class LockedReminders(FakeReminders):
    """Each fire is a transaction on the database's one lock (first come, first served)."""

    def __init__(self, due: dict[int, datetime], lock: asyncio.Lock) -> None:
        super().__init__(due)
        self.lock = lock

    async def fire(self, reminder_id: int, at: datetime | None = None) -> Fired:
        async with self.lock:
            await asyncio.sleep(0.002)
            return await super().fire(reminder_id, at)


async def test_sending_starts_while_a_burst_is_still_firing() -> None:
    # 200 reminders due at the same moment; the sender, poked by the first, needs the database
    # lock too. It must get it after a few fires, not after all of them.
    lock = asyncio.Lock()
    now = datetime.now(UTC)
    fake = LockedReminders({i: now + timedelta(seconds=0.3) for i in range(1, 201)}, lock)
    fired_when_sending: list[int] = []
    first_poke = asyncio.Event()

    async def sender() -> None:
        await first_poke.wait()
        async with lock:
            fired_when_sending.append(len(fake.fired))

    task = asyncio.create_task(sender())
    application = Application.builder().token("123:TEST").updater(None).build()
    assert application.job_queue is not None
    await application.job_queue.start()
    scheduler = ReminderJobs(
        application.job_queue,
        fake,  # type: ignore[arg-type]
        Clock(),
        lambda addresses: first_poke.set(),
    )
    try:
        await scheduler.start()
        await asyncio.wait_for(task, timeout=5)
        assert fired_when_sending[0] <= 3, fired_when_sending
    finally:
        await application.job_queue.stop()
