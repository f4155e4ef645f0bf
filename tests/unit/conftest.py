from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.engine import Engine
from bot.core.flows.base import Installation
from bot.rendering.renderer import Renderer
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store

# One renderer for every test: building its Jinja2 environments and catalogs takes a while.
RENDERER = Renderer("Europe/Oslo")


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow_factory(store: Store) -> Callable[[], FakeUnitOfWork]:
    return lambda: FakeUnitOfWork(store)


@pytest.fixture
def engine(uow_factory: Callable[[], FakeUnitOfWork], clock: FakeClock) -> Engine:
    return Engine(
        uow_factory,
        clock,
        Installation(controller="Test HF", timezone="Europe/Oslo"),
        RENDERER,
    )
