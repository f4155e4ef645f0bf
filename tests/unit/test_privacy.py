"""/mine_data and /slett through the engine (no Telegram, no SQLite): one clear question, only
a press on it deletes, "no" and /avbryt keep everything, and someone not registered is
forgotten at once. Real SQLite and the walk over every table: tests/integration."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.messages import DataFile
from bot.domain.delivery import FORGET
from tests.unit.test_circle_and_meetings import (
    KARI,
    OLA,
    PER,
    STRANGER,
    World,
    build_world,
    button_data,
    command,
    press,
    refused,
    schedule,
    templates,
    text,
)


@pytest.fixture
async def world(engine: Engine, store, clock, uow_factory) -> World:  # type: ignore[no-untyped-def]
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    return world


async def test_slett_asks_once_and_a_word_typed_is_not_a_yes(world: World) -> None:
    asked = await world.engine.handle(command("slett", OLA))
    assert templates(asked) == ["privacy/confirm_delete.html"]
    assert button_data(asked.replies[0]) == ["v1:del:confirm:yes", "v1:del:confirm:no"]
    typed = await world.engine.handle(text("ja", OLA))
    assert templates(typed) == ["notice.html", "privacy/confirm_delete.html"]
    assert world.id(OLA) in world.store.people


@pytest.mark.parametrize("how", ["no", "avbryt"])
async def test_no_or_avbryt_keeps_everything(world: World, how: str) -> None:
    await world.engine.handle(command("slett", OLA))
    if how == "no":
        kept = await world.engine.handle(press("v1:del:confirm:no", OLA))
    else:
        kept = await world.engine.handle(command("avbryt", OLA))
    assert templates(kept) == ["privacy/kept.html"]
    await refused(world.engine, press("v1:del:confirm:yes", OLA))  # an old button: nothing
    assert world.id(OLA) in world.store.people


async def test_yes_deletes_tells_the_group_and_keeps_nothing_but_what_must_still_go(
    world: World,
) -> None:
    ola = world.id(OLA)
    await world.engine.handle(command("slett", OLA))
    done = await world.engine.handle(press("v1:del:confirm:yes", OLA))
    assert templates(done)[0] == "privacy/deleted.html"
    assert {r.address for r in done.replies[1:]} == {KARI, PER, "test:nina"}
    assert {r.template for r in done.replies[1:]} == {"privacy/jobseeker_left.html"}
    assert all(r.ref == FORGET for r in done.replies)
    assert [m.ref for m in done.menus] == [FORGET]  # the menu for everyone, not kept either
    store = world.store
    assert ola not in store.people and OLA not in store.conversations
    assert not [m for m in store.memberships.values() if m.jobseeker_id == ola]
    assert not [d for d in store.outbox.values() if d.address == OLA and d.ref != FORGET]
    again = await world.engine.handle(command("mine_data", OLA))
    assert again.replies[0].context["person"] is None


async def test_mine_data_sends_the_words_and_the_file(world: World) -> None:
    outcome = await world.engine.handle(command("mine_data", OLA))
    [reply] = outcome.replies
    assert isinstance(reply.attachment, DataFile)
    assert reply.attachment.data["person"] == {"id": world.id(OLA), "role": "jobbsoker"}
    assert [m["name"] for m in reply.context["members"]] == [  # type: ignore[index]
        "Kari Nordmann",
        "Per Hansen",
        "Nina Lie",
    ]


async def test_someone_not_registered_is_forgotten_at_once(world: World) -> None:
    outcome = await world.engine.handle(command("slett", STRANGER))
    assert templates(outcome) == ["privacy/visitor_forgotten.html"]
    assert STRANGER not in world.store.conversations
    data = await world.engine.handle(command("mine_data", STRANGER))
    assert data.replies[0].context["person"] is None


async def test_mine_data_in_the_middle_of_something_interrupts_nothing(world: World) -> None:
    await world.engine.handle(command("slett", OLA))
    shown = await world.engine.handle(command("mine_data", OLA))
    assert templates(shown) == ["privacy/my_data.html", "privacy/confirm_delete.html"]
    assert world.store.conversations[OLA].flow == "del"  # still asked, still waiting
