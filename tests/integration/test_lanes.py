"""Lanes: one person's work in order, people side by side, a slot held only while working."""

from __future__ import annotations

import asyncio

from bot.transports.telegram.lanes import Lanes


async def test_one_keys_jobs_run_in_order_and_keys_run_side_by_side() -> None:
    lanes = Lanes(limit=4, name="test")
    done: list[str] = []
    ola_may_finish = asyncio.Event()

    def job(name: str, wait: asyncio.Event | None = None):
        async def run() -> None:
            if wait is not None:
                await wait.wait()
            done.append(name)

        return run

    lanes.submit("ola", job("ola-1", ola_may_finish))
    lanes.submit("ola", job("ola-2"))
    lanes.submit("kari", job("kari-1"))
    await asyncio.sleep(0.01)
    assert done == ["kari-1"]  # Kari is not held up by Ola's slow first job
    ola_may_finish.set()
    await lanes.idle()
    assert done == ["kari-1", "ola-1", "ola-2"]
    assert lanes.backlog == 0


async def test_at_most_limit_jobs_run_at_once() -> None:
    lanes = Lanes(limit=2, name="test")
    running = 0
    most = 0

    async def job() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    for key in range(6):
        lanes.submit(str(key), job)
    await lanes.idle()
    assert most == 2


async def test_a_failing_job_does_not_stop_its_lane() -> None:
    lanes = Lanes(limit=1, name="test")
    done: list[int] = []

    async def fails() -> None:
        raise RuntimeError("a bug")

    async def works() -> None:
        done.append(1)

    lanes.submit("ola", fails)
    lanes.submit("ola", works)
    await lanes.idle()
    assert done == [1]


async def test_stop_cancels_what_is_left_after_the_grace() -> None:
    lanes = Lanes(limit=1, name="test")
    never = asyncio.Event()

    async def hangs() -> None:
        await never.wait()

    lanes.submit("ola", hangs)
    await asyncio.sleep(0)
    await asyncio.wait_for(lanes.stop(grace=0.05), timeout=2)
