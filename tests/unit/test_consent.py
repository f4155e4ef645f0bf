"""The consent rules, exhaustively: what is proposed to whom, and that a copy holds exactly the
approved items of exactly the approved version."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.agenda import AgendaVersion, Item
from bot.domain.consent import (
    Consent,
    ConsentMismatch,
    Recipient,
    approved_items,
    carried_over,
    proposal,
    proposed,
)
from bot.domain.people import Employer, Role

NOW = datetime(2026, 12, 1, tzinfo=UTC)
JOBBSPESIALIST_NAV = Recipient(1, Role.JOBBSPESIALIST, Employer.NAV)
JOBBSPESIALIST_HELSE = Recipient(2, Role.JOBBSPESIALIST, Employer.HELSE)
JOBBSPESIALIST_KOMMUNE = Recipient(3, Role.JOBBSPESIALIST, Employer.KOMMUNE)
BEHANDLER = Recipient(4, Role.BEHANDLER)
NAVVEILEDER = Recipient(5, Role.NAVVEILEDER, Employer.NAV)
EVERYONE = (
    JOBBSPESIALIST_NAV,
    JOBBSPESIALIST_HELSE,
    JOBBSPESIALIST_KOMMUNE,
    BEHANDLER,
    NAVVEILEDER,
)


def who(item: Item) -> set[int]:
    """The recipients the item is proposed to."""
    return {r.person_id for r in EVERYONE if proposed(item, r)}


ALL = {r.person_id for r in EVERYONE}
HEALTH_SERVICE = {2, 4}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (Item("purpose", own_words="x"), ALL),
        (Item("topic", topic="money"), ALL),
        (Item("topic", topic="housing", raiser="me"), ALL),
        (Item("topic", topic="treatment", health=True), HEALTH_SERVICE),
        (Item("topic", topic="openness", health=True, raiser="me"), HEALTH_SERVICE),
        # Whoever is to raise it gets it, health or not.
        (Item("topic", topic="treatment", health=True, raiser="jobbspesialist"), {1, 2, 3, 4}),
        (Item("topic", topic="treatment", health=True, raiser="together"), {1, 2, 3, 4}),
        (Item("topic", topic="money", raiser="behandler"), ALL),
        # Free text: shown to the Nav-veileder unticked.
        (Item("situation", going_well="x"), ALL - {5}),
        (Item("topic", topic="other", own_words="x"), ALL - {5}),
        (Item("topic", topic="other", own_words="x", raiser="jobbspesialist"), ALL - {5}),
        # "Not this time": only the jobbspesialist.
        (Item("not_this_time", own_words="x"), {1, 2, 3}),
        # Words that brought the safety note: never, whoever raises them.
        (Item("situation", hard="x", crisis=True), set()),
        (Item("topic", topic="treatment", health=True, raiser="behandler", crisis=True), set()),
    ],
    ids=lambda value: value.key if isinstance(value, Item) else "",
)
def test_what_is_proposed_to_whom(item: Item, expected: set[int]) -> None:
    assert who(item) == expected


@pytest.mark.parametrize(
    ("kind", "raiser", "health", "crisis"),
    list(
        product(
            ["purpose", "situation", "not_this_time", "money", "other", "treatment"],
            [None, "me", "jobbspesialist", "behandler", "together"],
            [False, True],
            [False, True],
        )
    ),
)
def test_the_rules_hold_for_every_kind_of_item(
    kind: str, raiser: str | None, health: bool, crisis: bool
) -> None:
    topic = kind if kind in {"money", "other", "treatment"} else None
    item = Item(
        "topic" if topic else kind, topic=topic, raiser=raiser, health=health, crisis=crisis
    )
    to = who(item)
    if crisis:
        assert to == set()
        return
    raised_by = {"jobbspesialist": {1, 2, 3}, "together": {1, 2, 3}, "behandler": {4}}.get(
        raiser or "", set()
    )
    assert raised_by <= to  # always to whoever raises it
    others = to - raised_by
    if kind == "not_this_time":
        assert others <= {1, 2, 3}
    elif health:
        assert others <= HEALTH_SERVICE
    if item.kind == "situation" or topic == "other":
        assert 5 not in others


def test_health_service_means_the_behandler_and_a_jobbspesialist_employed_by_helse() -> None:
    assert [r.health_service for r in EVERYONE] == [False, True, False, True, False]


def version(number: int, *items: Item, version_id: int | None = None) -> AgendaVersion:
    return AgendaVersion(version_id or number, 9, 7, number, items, NOW)


AGENDA = version(
    1,
    Item("purpose", own_words="Vite om jeg kan jobbe mer"),
    Item("topic", topic="money", raiser="me"),
    Item("topic", topic="treatment", health=True, raiser="behandler"),
    Item("situation", hard="Sover dårlig"),
    Item("not_this_time", own_words="Familien"),
)


def test_the_proposal_for_each_recipient() -> None:
    assert proposal(AGENDA, NAVVEILEDER) == Consent(5, 1, frozenset({"purpose", "topic:money"}))
    assert proposal(AGENDA, BEHANDLER).keys == {
        "purpose",
        "topic:money",
        "topic:treatment",
        "situation",
    }
    assert proposal(AGENDA, BEHANDLER).journal  # a journal text for the health service only
    assert not proposal(AGENDA, NAVVEILEDER).journal
    assert "not_this_time" in proposal(AGENDA, JOBBSPESIALIST_NAV).keys


def test_a_copy_holds_exactly_the_approved_items_in_the_agendas_order() -> None:
    consent = proposal(AGENDA, NAVVEILEDER).toggled("situation").toggled("purpose")
    assert [i.key for i in approved_items(AGENDA, consent, 5)] == ["topic:money", "situation"]


def test_consent_binds_one_recipient_to_one_version() -> None:
    consent = proposal(AGENDA, NAVVEILEDER)
    newer = version(2, *AGENDA.items)
    with pytest.raises(ConsentMismatch):
        approved_items(newer, consent, 5)
    with pytest.raises(ConsentMismatch):
        approved_items(AGENDA, consent, 4)  # another recipient


def test_a_new_version_keeps_earlier_choices_and_proposes_new_points() -> None:
    chosen = proposal(AGENDA, NAVVEILEDER).toggled("situation").toggled("purpose")
    newer = version(
        2,
        *AGENDA.items,
        Item("topic", topic="other", own_words="Tannlegen"),
        Item("topic", topic="housing"),
    )
    carried = carried_over(chosen, AGENDA, newer, NAVVEILEDER)
    assert carried.version_id == 2
    # Kept: money and situation ticked, purpose unticked; new: housing proposed, "other" not.
    assert carried.keys == {"topic:money", "situation", "topic:housing"}
    with pytest.raises(ConsentMismatch):
        carried_over(chosen, newer, newer, NAVVEILEDER)


ITEMS = st.lists(
    st.sampled_from(
        [
            Item("purpose", own_words="p"),
            Item("situation", hard="h"),
            Item("not_this_time", own_words="n"),
            *[Item("topic", topic=t) for t in ("money", "job", "housing", "treatment", "other")],
        ]
    ),
    unique_by=lambda item: item.key,
)


@given(items=ITEMS, chosen=st.sets(st.integers(0, 7)), recipient=st.sampled_from(EVERYONE))
def test_whatever_is_ticked_a_copy_holds_nothing_else(
    items: list[Item], chosen: set[int], recipient: Recipient
) -> None:
    agenda = version(3, *items)
    keys = frozenset(items[i].key for i in chosen if i < len(items)) | {"topic:not-in-agenda"}
    consent = Consent(recipient.person_id, agenda.id, keys)
    copy = approved_items(agenda, consent, recipient.person_id)
    assert {item.key for item in copy} == keys - {"topic:not-in-agenda"}
    assert list(copy) == [item for item in items if item.key in keys]
