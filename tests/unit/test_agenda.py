"""Agenda items and versions (``bot.domain.agenda``), without the engine: stable keys, JSON,
and versions that never change."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime

import pytest

from bot.domain.agenda import (
    AgendaVersion,
    Item,
    agenda_items,
    items_from_json,
    items_to_json,
)
from bot.domain.preparation import Answers, TopicAnswer, TopicSpec

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BANK = {
    spec.id: spec
    for spec in (
        TopicSpec("money", False, ("work_more", "reapply")),
        TopicSpec("openness", True, ("must_tell",), ("calm", "written")),
        TopicSpec("other", False),
    )
}
ANSWERS = Answers(
    going_well="Lageret <b>går</b> bra & 🙂",
    hard="Søvnen: ŋ č đ æøå",
    topics=[
        TopicAnswer("openness", ["must_tell"], "Egne ord", "me", "undecided", ["written"]),
        TopicAnswer("money", ["work_more", "reapply"], raiser="behandler"),
        TopicAnswer("other", own_words="Tannlegen", raiser="together"),
    ],
    purpose="Vite om jeg kan jobbe mer",
    not_this_time="Familien",
)


def keys(items: list[Item] | tuple[Item, ...]) -> list[str]:
    return [item.key for item in items]


def test_every_item_has_a_key_naming_its_point() -> None:
    assert keys(agenda_items(ANSWERS, BANK)) == [
        "purpose",
        "topic:openness",
        "topic:money",
        "topic:other",
        "situation",
        "not_this_time",
    ]


def test_the_keys_stay_the_same_whatever_changes_in_the_answers() -> None:
    before = {item.key: item for item in agenda_items(ANSWERS, BANK)}
    changed = copy.deepcopy(ANSWERS)
    changed.topics.reverse()  # another order of importance
    changed.topics[0].own_words = "Nye ord"
    changed.topics[1].raiser = "jobbspesialist"
    changed.purpose = "Noe helt annet"
    changed.hard = ""  # the situation is still there: something goes well
    changed.topics = [t for t in changed.topics if t.topic != "money"]

    after = {item.key: item for item in agenda_items(changed, BANK)}

    assert set(after) == set(before) - {"topic:money"}
    assert after["topic:other"].own_words == "Nye ord"
    assert after["purpose"].own_words == "Noe helt annet"


def test_an_item_must_say_which_point_it_is() -> None:
    with pytest.raises(ValueError):
        Item("topic")  # a topic item without its topic would have no key
    with pytest.raises(ValueError):
        Item("purpose", topic="money")
    with pytest.raises(ValueError):
        Item("wish", own_words="?")


def test_items_round_trip_through_json_exactly() -> None:
    items = agenda_items(ANSWERS, BANK)
    stored = json.dumps(items_to_json(items), ensure_ascii=False)

    assert items_from_json(json.loads(stored)) == tuple(items)
    assert json.loads(stored)[1]["key"] == "topic:openness"


def test_a_version_names_each_point_once_and_is_numbered_from_one() -> None:
    items = tuple(agenda_items(ANSWERS, BANK))
    version = AgendaVersion(1, 7, 3, 1, items, NOW)
    assert version.keys == tuple(keys(items))
    assert version.item("topic:money") == items[2]
    assert version.item("topic:housing") is None
    with pytest.raises(ValueError):
        AgendaVersion(2, 7, 3, 2, (*items, items[0]), NOW)
    with pytest.raises(ValueError):
        AgendaVersion(2, 7, 3, 0, items, NOW)


def test_a_version_cannot_be_changed() -> None:
    items = tuple(agenda_items(ANSWERS, BANK))
    version = AgendaVersion(1, 7, 3, 1, items, NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        version.items = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        version.items[0].own_words = "endret"  # type: ignore[misc]
    assert isinstance(version.items, tuple) and isinstance(version.items[1].questions, tuple)


def test_words_that_brought_the_safety_note_are_marked_on_their_item() -> None:
    answers = Answers(
        hard="Jeg orker ikke mer",
        topics=[TopicAnswer("money", own_words="Penger")],
        crisis=["situation"],
    )
    items = {item.key: item for item in agenda_items(answers, {})}
    assert items["situation"].crisis and not items["topic:money"].crisis
    assert Answers.from_json(answers.to_json()).crisis == ["situation"]
    assert Item.from_json(items["situation"].to_json()).crisis
