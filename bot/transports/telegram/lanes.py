"""Work in order per person, people side by side.

Each key (a person) has a lane: its jobs run one after another in one task. Lanes run at the
same time, at most ``limit`` jobs at once. A lane takes one of those slots only while one of its
jobs runs, so one busy or slow person never fills every slot (PTB's own BaseUpdateProcessor takes
its slot before any per-person lock could, which lets one person block everyone).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class Lanes:
    def __init__(self, limit: int, name: str) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._name = name
        self._queues: dict[str, deque[Job]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, key: str, job: Job) -> None:
        """Run ``job`` after every job submitted for ``key`` before it."""
        self._queues.setdefault(key, deque()).append(job)
        if key not in self._tasks:
            self._idle.clear()
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"{self._name}:{key}")

    @property
    def backlog(self) -> int:
        """Jobs waiting or running, in every lane."""
        return sum(len(queue) for queue in self._queues.values())

    def busy(self, key: str) -> bool:
        return key in self._tasks

    async def idle(self) -> None:
        """Wait until no lane has work."""
        await self._idle.wait()

    async def stop(self, grace: float) -> None:
        """Let running jobs finish for up to ``grace`` seconds, then cancel what is left.

        Nothing is lost by cancelling: every job's work is stored (inbox, outbox) and resumed
        when the process starts again.
        """
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks.values()), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _run(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                async with self._slots:
                    try:
                        await queue[0]()
                    except Exception:
                        logger.exception("a job in lane %s failed", self._name)
                queue.popleft()
        finally:
            del self._tasks[key]
            if not queue:
                del self._queues[key]
            if not self._tasks:
                self._idle.set()
