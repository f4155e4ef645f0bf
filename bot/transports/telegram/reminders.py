"""Reminders as PTB JobQueue (APScheduler) jobs named ``reminder:<id>``; the database owns them.

Only a rolling window is scheduled: the reminders due in the next ``WINDOW``, refilled every
``REFILL_EVERY`` and at start (so 100,000 pending reminders never become 100,000 jobs, and a
restart rebuilds exactly what is due soon — including what fell due while the bot was down).
Reminders planned meanwhile (a meeting scheduled a minute ago) are picked up within
``NEW_EVERY`` by their ids, which only grow. When a job runs, ``Reminders.fire`` decides in one
commit whether the reminder is still worth sending, and the sender is started for whoever it
went to. A job that runs twice, or for a reminder dropped since, does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import CallbackContext, Job, JobQueue

from bot.core.ports import Clock
from bot.core.reminders import Reminders

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
REFILL_EVERY = 600.0  # seconds
NEW_EVERY = 1.0  # seconds: how soon a newly planned reminder is seen
BATCH = 5000  # at most this many jobs are added at a time (the soonest first)

# APScheduler skips a run that starts later than misfire_grace_time after its time, silently;
# its default is one second, so a busy event loop (a burst of 500 reminders) or a job added for
# a reminder already overdue at start-up would be lost. The database decides whether a late
# reminder still makes sense (Reminders.fire), so the scheduler must always run it: no limit.
# coalesce: a repeating job that fell behind (the machine slept) runs once, not once per miss.
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}

AnyJobQueue = JobQueue[Any]
AnyContext = CallbackContext[Any, Any, Any, Any]


class ReminderJobs:
    def __init__(
        self,
        job_queue: AnyJobQueue,
        reminders: Reminders,
        clock: Clock,
        poke: Callable[[Iterable[str]], None],
    ) -> None:
        self._queue = job_queue
        self._reminders = reminders
        self._clock = clock
        self._poke = poke
        self._jobs: dict[int, Job[Any]] = {}
        self._seen = 0  # the highest reminder id looked at
        # Reminders fire one at a time. A burst due at once would otherwise queue every one of
        # its transactions on the database lock (first come, first served) ahead of the
        # sender's, and nothing would go out until all had fired (12 s for 3,000); one at a
        # time, the sender's turns come between them and sending starts with the first.
        self._firing = asyncio.Semaphore(1)

    @property
    def scheduled(self) -> int:
        return len(self._jobs)

    async def start(self) -> None:
        """Schedule what is due soon (and overdue), then keep the window filled."""
        started = time.perf_counter()
        self._seen = await self._reminders.last_id()
        await self.refill()
        logger.info(
            "reminder jobs rebuilt: %d due within %s, in %.3f s",
            len(self._jobs),
            WINDOW,
            time.perf_counter() - started,
        )
        self._queue.run_repeating(
            self._refill_job,
            REFILL_EVERY,
            first=REFILL_EVERY,
            name="reminders:refill",
            job_kwargs=JOB_KWARGS,
        )
        self._queue.run_repeating(
            self._new_job, NEW_EVERY, first=NEW_EVERY, name="reminders:new", job_kwargs=JOB_KWARGS
        )

    async def refill(self) -> None:
        """Every pending reminder due within the window gets its job (if it has none)."""
        until = self._clock.now() + WINDOW
        for reminder_id, due in await self._reminders.due(until, limit=BATCH):
            self._schedule(reminder_id, due)

    async def look_for_new(self) -> None:
        """Reminders planned since the last look, if due within the window."""
        until = self._clock.now() + WINDOW
        latest, found = await self._reminders.planned_since(self._seen, until, limit=BATCH)
        for reminder_id, due in found:
            self._schedule(reminder_id, due)
        # Ids only grow (AUTOINCREMENT); those due later are found by a refill.
        self._seen = latest if len(found) < BATCH else max(i for i, _ in found)

    def _schedule(self, reminder_id: int, due: datetime) -> None:
        if reminder_id in self._jobs:
            return
        name = f"reminder:{reminder_id}"
        # A time already past runs at once (misfire_grace_time None): overdue after a restart.
        self._jobs[reminder_id] = self._queue.run_once(
            self._fire_job,
            when=due,
            data=reminder_id,
            name=name,
            job_kwargs={**JOB_KWARGS, "id": name, "replace_existing": True},
        )

    async def _fire_job(self, context: AnyContext) -> None:
        job = context.job
        assert job is not None and isinstance(job.data, int)
        reminder_id = job.data
        self._jobs.pop(reminder_id, None)
        async with self._firing:
            fired = await self._reminders.fire(reminder_id)
        self._poke(fired.addresses)
        if fired.later is not None and fired.later - self._clock.now() < WINDOW:
            self._schedule(reminder_id, fired.later)

    async def _refill_job(self, context: AnyContext) -> None:
        await self.refill()

    async def _new_job(self, context: AnyContext) -> None:
        await self.look_for_new()
