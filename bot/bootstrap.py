"""The one place that wires storage, the engine, rendering and a transport together."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.aftercare import Aftercare
from bot.core.delivery import Deliveries
from bot.core.engine import Engine
from bot.core.flows.base import Installation
from bot.core.ports import Clock
from bot.core.reminders import Reminders
from bot.domain.reminders import Policy
from bot.rendering import content
from bot.rendering.renderer import Renderer
from bot.storage.crypto import Cipher
from bot.storage.database import open_database
from bot.storage.unit_of_work import unit_of_work_factory
from bot.transports import Runtime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def open_runtime(
    settings: Settings,
    *,
    db_path: Path | None = None,
    secret_key: str | None = None,
    controller: str | None = None,
    clock: Clock | None = None,
) -> Runtime:
    """Open the database (migrating it) and build the engine; the caller closes the runtime.

    ``clock`` is the system's unless given (the transcripts play on a fixed one)."""
    key = secret_key or settings.secret_key
    if key is None:
        raise ValueError("a secret key is required")
    # The current key encrypts; earlier ones (MOTEKLAR_OLD_SECRET_KEYS) only decrypt, until
    # `moteklar rotate-key` has re-encrypted everything with the current one.
    old = () if secret_key else settings.old_secret_keys
    database = await open_database(db_path or settings.db_path, Cipher([key, *old]))
    uow_factory = unit_of_work_factory(database)
    clock = clock or SystemClock()
    installation = Installation(
        controller=controller or settings.controller or "",
        timezone=settings.timezone,
        topics=content.topics(),
        crisis=content.crisis_words(),
        reminders=Policy(
            zone=ZoneInfo(settings.timezone),
            prep=settings.prep_reminder,
            meeting=settings.meeting_reminders,
            quiet=settings.quiet_hours,
            followup=settings.followup_after,
        ),
        retention_days=settings.retention_days,
    )
    renderer = Renderer(settings.timezone)
    engine = Engine(uow_factory, clock, installation, renderer)
    deliveries = Deliveries(uow_factory, clock, renderer)
    reminders = Reminders(uow_factory, clock, renderer, installation)
    aftercare = Aftercare(uow_factory, clock, renderer, installation)
    return Runtime(
        engine, renderer, uow_factory, clock, database.close, deliveries, reminders, aftercare
    )
