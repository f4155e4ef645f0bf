"""Bad input through the engine alone: what is typed that shows nothing, edits, groups, double
taps, the bot blocked and unblocked, and invitation links guessed in a loop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.messages import Inbound, Kind
from bot.domain.delivery import Op
from bot.domain.people import Locale
from bot.domain.typed import clean, grapheme_safe, utf16_len, visible
from bot.rendering.renderer import split_message
from tests.unit.test_circle_and_meetings import (
    KARI,
    OLA,
    STRANGER,
    build_world,
    command,
    start,
    templates,
    text,
)

GROUP = "test:-100"


# -- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Per\u200b", "Per"),
        ("\u202eOla\u202c", "Ola"),
        ("a\u0000b\u0007c", "abc"),
        ("linje 1\r\nlinje 2\ttab", "linje 1\nlinje 2\ttab"),
        ("e\u0301", "é"),  # composed: typed two ways, one text
        ("👨‍👩‍👧", "👨‍👩‍👧"),  # the joiners of an emoji family stay
        ("\ufeffhei", "hei"),
    ],
)
def test_clean_takes_out_what_must_never_be_shown(typed: str, kept: str) -> None:
    assert clean(typed) == kept


@pytest.mark.parametrize("blank", ["", " ", "\u200b", "\u3164", "\u2800\u115f", "\u0301", "\n\t"])
def test_blank_texts_show_nothing(blank: str) -> None:
    assert not visible(blank)


def test_lengths_are_counted_as_telegram_counts_them() -> None:
    assert utf16_len("👩" * 2048) == 4096
    assert utf16_len("æøå") == 3


def test_a_long_message_is_split_in_utf16_units_never_inside_a_letter_and_its_accent() -> None:
    for body in ("👩" * 2048, "q\u0301" * 3000, "👍🏽" * 1500, "a" * 9000):
        html = "<b>Overskrift</b>\n" + body
        parts = split_message(html)
        assert len(parts) > 1
        assert all(utf16_len(part) <= 4096 for part in parts), body[:3]
        assert (
            "".join(p.removeprefix("<b>").removesuffix("</b>") for p in parts).count(body[:2])
            >= len(body) // len(body[:2]) - 1
        )
        assert not any(p[0] in "\u0301\U0001f3fd" for p in parts)
    assert grapheme_safe("ab\u0301", 2) == 1


# -- through the engine -----------------------------------------------------------------------------


async def test_a_blank_answer_is_never_saved_and_the_question_comes_again(
    engine, store, clock, uow_factory
) -> None:
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("forbered", OLA))
    for blank in ["\u200b\u200b", "\u3164", "\u0007\u202e", "  \n "]:
        outcome = await engine.handle(text(blank, OLA))
        assert templates(outcome) == ["blank.html", "prep/good.html"], repr(blank)
    assert all(p.answers.empty for p in store.preparations.values())


async def test_an_edit_is_explained_once_per_message(engine, store, clock, uow_factory) -> None:
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("forbered", OLA))
    edit = Inbound(OLA, Kind.EDITED, message_id=41)
    first = await engine.handle(edit)
    assert templates(first) == ["edited.html"] and first.replies[0].context["preparing"]
    assert (await engine.handle(edit)).replies == ()
    assert templates(await engine.handle(Inbound(OLA, Kind.EDITED, message_id=42))) == [
        "edited.html"
    ]
    assert store.conversations[OLA].flow == "prep"  # where Ola was, untouched


async def test_a_group_is_told_once_in_its_language_and_left_a_channel_only_left(
    engine, store
) -> None:
    outcome = await engine.handle(Inbound(GROUP, Kind.GROUP, language="en-GB"))
    assert templates(outcome) == ["group_only.html", ""]
    assert outcome.replies[0].locale is Locale.EN and outcome.replies[1].leave
    ops = [d.op for d in store.outbox.values() if d.address == GROUP]
    assert ops == [Op.SEND, Op.LEAVE]
    channel = await engine.handle(Inbound("test:-200", Kind.GROUP, channel=True))
    assert [r.leave for r in channel.replies] == [True]
    assert GROUP not in store.conversations  # nothing kept about a group


async def test_a_double_tap_gets_a_notice_not_the_question_again(
    engine, store, clock, uow_factory
) -> None:
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))
    day = Inbound(KARI, Kind.BUTTON, data="v1:sched:day:2026-12-10", message_id=7)
    first = await engine.handle(day)
    assert first.accepted and templates(first) == ["meeting/pick_time.html"]
    second = await engine.handle(day)
    assert second.repeated and not second.accepted and second.replies == ()
    assert second.notice is not None
    # A stale button on another message is refused as before: the question again.
    other = await engine.handle(
        Inbound(KARI, Kind.BUTTON, data="v1:sched:day:2026-12-11", message_id=6)
    )
    assert not other.repeated and templates(other) == ["meeting/pick_time.html"]


async def test_blocked_then_unblocked_is_reachable_again(engine, store, clock, uow_factory) -> None:
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(Inbound(OLA, Kind.BLOCKED))
    assert OLA in store.unreachable
    assert (await engine.handle(Inbound(OLA, Kind.UNBLOCKED))).replies == ()
    assert OLA not in store.unreachable


async def test_guessing_invitation_links_is_slowed_down_kindly(engine, store, clock) -> None:
    answers = []
    for n in range(12):
        outcome = await engine.handle(start(f"guess{n}", STRANGER))
        answers.append(templates(outcome))
    assert answers[:5] == [["invitation_problem.html"]] * 5
    assert answers[5] == ["join/wait.html"]
    assert answers[6:] == [[]] * 6  # not answered again within the minute
    clock.advance(timedelta(minutes=1, seconds=1))
    waiting = await engine.handle(start("guess-again", STRANGER))
    assert templates(waiting) == ["join/wait.html"]
    assert waiting.replies[0].context["minutes"] == 14
    clock.advance(timedelta(minutes=15))
    assert templates(await engine.handle(start("at-last", STRANGER))) == ["invitation_problem.html"]
    assert len([a for a in store.attempts if a[1] == "failed"]) == 6


async def test_a_person_with_a_real_link_is_not_held_back_by_a_few_mistakes(
    engine, store, clock, uow_factory
) -> None:
    from tests.unit.test_circle_and_meetings import register_specialist

    for n in range(4):
        await engine.handle(start(f"typo{n}", KARI))
    await register_specialist(engine, uow_factory, clock, KARI, "Kari Nordmann")
    assert any(p.address == KARI for p in store.people.values())


async def test_a_press_in_the_language_picker_twice_is_not_a_double_tap_of_a_flow(
    engine, store, clock, uow_factory
) -> None:
    """Buttons that work at any time (language, a calendar file) stay accepted each time."""
    await build_world(engine, store, clock, uow_factory)
    once = await engine.handle(Inbound(OLA, Kind.BUTTON, data="v1:lang:set:nn", message_id=9))
    twice = await engine.handle(Inbound(OLA, Kind.BUTTON, data="v1:lang:set:nn", message_id=9))
    assert once.accepted and twice.accepted


def test_a_name_never_keeps_invisible_or_control_characters() -> None:
    from bot.domain.people import clean_name

    assert clean_name("Pe\u200br\u202e Berg\u0007") == "Per Berg"
    assert clean_name("\u3164\u3164") is None and clean_name("\u200b\u200b") is None
