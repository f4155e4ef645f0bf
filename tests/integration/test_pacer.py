"""The sender's pacing: Telegram's 30 messages a second, without making one person wait."""

from __future__ import annotations

import asyncio

from bot.transports.telegram.sender import Pacer


class Clock:
    def __init__(self) -> None:
        self.time = 1000.0
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.time += seconds


def slots(pacer: Pacer, clock: Clock, count: int, *, gap: float = 0.0) -> list[float]:
    """When each of ``count`` requests, asked for ``gap`` seconds apart, may leave."""

    async def run() -> list[float]:
        left = []
        for _ in range(count):
            await pacer.slot()
            left.append(clock.time)
            clock.time += gap
        return left

    return asyncio.run(run())


def test_a_persons_few_messages_leave_at_once() -> None:
    clock = Clock()
    left = slots(Pacer(30, now=clock.now, sleep=clock.sleep), clock, 3)
    assert left == [1000.0] * 3 and clock.waits == []


def test_a_long_burst_goes_at_exactly_30_a_second_never_more_in_any_second() -> None:
    clock = Clock()
    left = slots(Pacer(30, now=clock.now, sleep=clock.sleep), clock, 600)
    assert left[-1] - left[0] < 20.6  # 600 at 30 a second (less 3 %): 20.5 s
    for i, moment in enumerate(left):
        in_a_second = [t for t in left[i:] if t < moment + 1.0]
        assert len(in_a_second) <= 30, moment
        in_a_tenth = [t for t in left[i:] if t < moment + 0.1]
        assert len(in_a_tenth) <= 3, moment  # never more than three out at once


def test_requests_spaced_out_never_wait() -> None:
    clock = Clock()
    slots(Pacer(30, now=clock.now, sleep=clock.sleep), clock, 100, gap=0.05)
    assert clock.waits == []


def test_zero_turns_pacing_off() -> None:
    clock = Clock()
    left = slots(Pacer(0, now=clock.now, sleep=clock.sleep), clock, 100)
    assert set(left) == {1000.0} and clock.waits == []
