"""Adapters at the edge: Telegram and the terminal. Both drive the same engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.aftercare import Aftercare
from bot.core.delivery import Deliveries
from bot.core.engine import Engine
from bot.core.ports import Clock, UnitOfWorkFactory
from bot.core.reminders import Reminders
from bot.rendering.renderer import Renderer


@dataclass(frozen=True)
class Runtime:
    """What a transport needs, wired by ``bot.bootstrap``; ``close`` releases the database."""

    engine: Engine
    renderer: Renderer
    uow_factory: UnitOfWorkFactory
    clock: Clock
    close: Callable[[], Awaitable[None]]
    deliveries: Deliveries
    reminders: Reminders
    aftercare: Aftercare


RuntimeFactory = Callable[[], Awaitable[Runtime]]
