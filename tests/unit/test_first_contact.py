"""A jobbspesialist's first contact, through the engine alone (no Telegram, no SQLite)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from bot.core.commands import commands_for
from bot.core.engine import Engine
from bot.core.invitations import create_invitation
from bot.core.messages import Inbound, Kind, Outcome, Reply
from bot.domain.people import Employer, Locale, Role
from tests.unit.conftest import RENDERER
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store

COMPOSER = RENDERER

KARI = "test:kari"
OTHER = "test:someone-else"


async def invite(
    uow_factory: Callable[[], FakeUnitOfWork],
    clock: FakeClock,
    name: str | None = "Kari Nordmann",
    employer: Employer | None = Employer.NAV,
) -> str:
    uow = uow_factory()
    token = await create_invitation(
        uow, clock.now(), role=Role.JOBBSPESIALIST, name=name, employer=employer, team="sor"
    )
    await uow.commit()
    return token


def start(token: str, address: str = KARI) -> Inbound:
    return Inbound(address, Kind.START, text=token)


def press(data: str, address: str = KARI) -> Inbound:
    return Inbound(address, Kind.BUTTON, data=data)


def text(value: str, address: str = KARI) -> Inbound:
    return Inbound(address, Kind.TEXT, text=value)


def command(name: str, address: str = KARI) -> Inbound:
    return Inbound(address, Kind.COMMAND, command=name)


def templates(outcome: Outcome) -> list[str]:
    return [reply.template for reply in outcome.replies]


def button_data(reply: Reply) -> list[str]:
    return [button.data for row in reply.buttons for button in row]


async def test_whole_first_contact_registers_kari(engine, uow_factory, clock, store: Store):
    token = await invite(uow_factory, clock)

    asked = await engine.handle(start(token))
    assert templates(asked) == ["join/choose_language.html"]
    assert button_data(asked.replies[0]) == [
        "v1:join:lang:nb",
        "v1:join:lang:nn",
        "v1:join:lang:en",
    ]

    named = await engine.handle(press("v1:join:lang:nb"))
    assert templates(named) == ["join/confirm_name.html"]
    assert named.replies[0].context["name"] == "Kari Nordmann"

    employer = await engine.handle(press("v1:join:name:yes"))
    assert templates(employer) == ["join/ask_employer.html"]
    assert employer.replies[0].context["suggested"] == "nav"

    welcome = await engine.handle(press("v1:join:employer:helse"))
    assert templates(welcome) == ["join/welcome.html"]
    assert welcome.replies[0].context["role"] == "jobbspesialist"
    assert [c.name for c in welcome.replies[0].context["commands"]] == [  # type: ignore[attr-defined]
        "start",
        "moeter",
        "nytt_moete",
        "ny_jobbsoeker",
        "avtalt",
        "inviter",
        "varsler",
        "hjelp",
        "spraak",
        "avbryt",
        "mine_data",
        "slett",
    ]

    [kari] = store.people.values()
    assert (kari.role, kari.name, kari.employer, kari.locale, kari.address, kari.team) == (
        Role.JOBBSPESIALIST,
        "Kari Nordmann",
        Employer.HELSE,
        Locale.NB,
        KARI,
        "sor",
    )
    [invitation] = store.invitations.values()
    assert invitation.used_at == clock.now() and invitation.claimed_by == KARI
    assert not store.conversations[KARI].active


async def test_a_new_name_can_be_typed_and_nonsense_is_refused(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock, name=None)
    await engine.handle(start(token))
    asked = await engine.handle(press("v1:join:lang:nn"))
    assert templates(asked) == ["join/ask_name.html"]
    assert asked.replies[0].locale is Locale.NN

    # A name needs letters: an emoji or digits would be shown to others as if a name.
    for bad in ["   ", "\u200b\u200b\u200b", "\u3164", "\u2800 \u115f", "\u0007\u202e"]:
        # Nothing one can see: the same kind word as a blank answer anywhere.
        refused = await engine.handle(text(bad))
        assert templates(refused) == ["blank.html", "join/ask_name.html"], bad
    for bad in ["x" * 101, "🙂", "🙂🙂 👍", "123", "- . -", "\u200b1\u200d"]:
        refused = await engine.handle(text(bad))
        assert templates(refused) == ["join/name_invalid.html", "join/ask_name.html"], bad
    assert not store.people

    # The name is read back before anyone sees it; "no" asks again.
    read_back = await engine.handle(text("  Kari   Nordmann-Hansen "))
    assert templates(read_back) == ["join/confirm_name.html"]
    assert read_back.replies[0].context["name"] == "Kari Nordmann-Hansen"
    assert templates(await engine.handle(press("v1:join:name:no"))) == ["join/ask_name.html"]
    await engine.handle(text("Kari Nordmann-Hansen"))
    employer = await engine.handle(press("v1:join:name:yes"))
    assert templates(employer) == ["join/ask_employer.html"]
    await engine.handle(press("v1:join:employer:kommune"))
    [kari] = store.people.values()
    assert kari.name == "Kari Nordmann-Hansen" and kari.locale is Locale.NN


async def test_saying_no_to_the_name_asks_for_it(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    await engine.handle(press("v1:join:lang:en"))
    asked = await engine.handle(press("v1:join:name:no"))
    assert templates(asked) == ["join/ask_name.html"]
    await engine.handle(text("Kari N."))
    await engine.handle(press("v1:join:name:yes"))
    await engine.handle(press("v1:join:employer:nav"))
    assert [p.name for p in store.people.values()] == ["Kari N."]


async def test_unknown_used_expired_and_taken_links_are_refused(engine, uow_factory, clock, store):
    unknown = await engine.handle(start("no-such-token"))
    assert templates(unknown) == ["invitation_problem.html"]
    assert unknown.replies[0].context["problem"] == "unknown"
    not_a_payload = await engine.handle(start("<script>"))
    assert not_a_payload.replies[0].context["problem"] == "unknown"

    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    taken = await engine.handle(start(token, address=OTHER))
    assert taken.replies[0].context["problem"] == "taken"

    for data in ("v1:join:lang:nb", "v1:join:name:yes", "v1:join:employer:nav"):
        await engine.handle(press(data))
    used = await engine.handle(start(token, address=OTHER))
    assert used.replies[0].context["problem"] == "used"

    late = await invite(uow_factory, clock)
    clock.advance(timedelta(days=7))
    expired = await engine.handle(start(late, address=OTHER))
    assert expired.replies[0].context["problem"] == "expired"
    assert [p.address for p in store.people.values()] == [KARI]


async def test_an_invitation_that_expires_midway_does_not_register(
    engine, uow_factory, clock, store
):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    await engine.handle(press("v1:join:lang:nb"))
    await engine.handle(press("v1:join:name:yes"))
    clock.advance(timedelta(days=8))
    outcome = await engine.handle(press("v1:join:employer:nav"))
    assert templates(outcome) == ["invitation_problem.html"]
    assert outcome.replies[0].context["problem"] == "expired"
    assert store.people == {}


async def test_stale_and_forged_buttons_are_refused_and_the_question_asked_again(
    engine, uow_factory, clock, store
):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    await engine.handle(press("v1:join:lang:nb"))

    for data in (
        "v1:join:lang:en",
        "v1:join:name:maybe",
        "v1:join:employer:nav",
        "garbage",
        "v9:x:y:z",
    ):
        outcome = await engine.handle(press(data))
        assert not outcome.accepted, data
        assert outcome.notice is not None
        assert templates(outcome) == ["join/confirm_name.html"], data

    state = store.conversations[KARI]
    assert (state.flow, state.step, state.locale) == ("join", "name", Locale.NB)


async def test_text_stickers_and_overlong_text_lose_nothing(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    before = store.conversations[KARI]

    typed = await engine.handle(text("bokmål takk"))
    assert templates(typed) == ["notice.html", "join/choose_language.html"]
    sticker = await engine.handle(Inbound(KARI, Kind.UNSUPPORTED))
    assert templates(sticker) == ["only_text.html", "join/choose_language.html"]
    long = await engine.handle(text("å" * 4097))
    assert templates(long) == ["too_long.html", "join/choose_language.html"]
    assert long.replies[0].context == {"limit": 4096, "length": 4097}

    after = store.conversations[KARI]
    assert (after.flow, after.step, after.data) == (before.flow, before.step, before.data)


async def test_cancel_leaves_the_link_usable_again(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    await engine.handle(press("v1:join:lang:nb"))
    cancelled = await engine.handle(command("avbryt"))
    assert templates(cancelled) == ["join/cancelled.html"]
    assert templates(await engine.handle(command("avbryt"))) == ["nothing_to_cancel.html"]

    again = await engine.handle(start(token))
    assert templates(again) == ["join/choose_language.html"]


async def test_commands_out_of_context_get_a_kind_answer(engine, uow_factory, clock):
    assert templates(await engine.handle(start(""))) == ["by_invitation.html"]
    assert templates(await engine.handle(text("hei"))) == ["by_invitation.html"]
    # A real command, not yet usable: said so, not "unknown".
    for name in ("nytt_moete", "agenda", "moeter"):
        later = await engine.handle(command(name))
        assert templates(later) == ["after_joining.html"]
        assert later.replies[0].context["command"] == name
    assert templates(await engine.handle(command("foo"))) == ["unknown_command.html"]
    helped = await engine.handle(command("hjelp"))
    assert templates(helped) == ["help.html"] and helped.replies[0].context["role"] is None

    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    midway = await engine.handle(command("hjelp"))
    assert templates(midway) == ["help.html", "join/choose_language.html"]


async def test_language_can_change_midway_and_after(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    await engine.handle(start(token))
    await engine.handle(press("v1:join:lang:nb"))
    menu = await engine.handle(command("spraak"))
    assert button_data(menu.replies[0]) == ["v1:lang:set:nb", "v1:lang:set:nn", "v1:lang:set:en"]
    changed = await engine.handle(press("v1:lang:set:en"))
    assert templates(changed) == ["language_changed.html", "join/confirm_name.html"]
    assert {reply.locale for reply in changed.replies} == {Locale.EN}

    await engine.handle(press("v1:join:name:yes"))
    await engine.handle(press("v1:join:employer:nav"))
    [kari] = store.people.values()
    assert kari.locale is Locale.EN
    await engine.handle(command("spraak"))
    await engine.handle(press("v1:lang:set:nn"))
    assert store.people[kari.id].locale is Locale.NN
    refused = await engine.handle(press("v1:lang:set:de"))
    assert not refused.accepted


async def test_a_redelivered_update_is_handled_once(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    first = await engine.handle(Inbound(KARI, Kind.START, text=token, update_id=10))
    await engine.handle(Inbound(KARI, Kind.BUTTON, data="v1:join:lang:nb", update_id=11))
    again = await engine.handle(Inbound(KARI, Kind.BUTTON, data="v1:join:lang:nb", update_id=11))
    assert templates(first) == ["join/choose_language.html"]
    assert again.replies == () and not again.accepted
    assert store.conversations[KARI].step == "name"


async def test_one_persons_updates_are_handled_in_order(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    # Sent together, as a fast thumb or a redelivery burst would: each must see the one before.
    outcomes = await asyncio.gather(
        engine.handle(start(token)),
        engine.handle(press("v1:join:lang:nb")),
        engine.handle(press("v1:join:name:yes")),
        engine.handle(press("v1:join:employer:nav")),
    )
    assert all(outcome.accepted for outcome in outcomes)
    assert templates(outcomes[-1]) == ["join/welcome.html"]
    assert len(store.people) == 1


async def test_a_new_engine_continues_where_the_person_was(uow_factory, clock, store):
    from bot.core.flows.base import Installation

    installation = Installation(controller="Test HF", timezone="Europe/Oslo")
    token = await invite(uow_factory, clock)
    await Engine(uow_factory, clock, installation, COMPOSER).handle(start(token))
    await Engine(uow_factory, clock, installation, COMPOSER).handle(press("v1:join:lang:nb"))
    restarted = Engine(uow_factory, clock, installation, COMPOSER)
    outcome = await restarted.handle(press("v1:join:name:yes"))
    assert templates(outcome) == ["join/ask_employer.html"]


async def test_a_registered_person_opening_start_gets_home(engine, uow_factory, clock, store):
    token = await invite(uow_factory, clock)
    for inbound in (start(token), press("v1:join:lang:nb"), press("v1:join:name:yes")):
        await engine.handle(inbound)
    await engine.handle(press("v1:join:employer:nav"))
    home = await engine.handle(start(""))
    assert templates(home) == ["home.html"]
    assert home.replies[0].context["name"] == "Kari Nordmann"
    # Opening one's own link again: what one can do, not "send /start" (a loop in the demo).
    again = await engine.handle(start(token))
    assert templates(again) == ["join/already_registered.html"]
    assert again.replies[0].context["commands"] == commands_for(Role.JOBBSPESIALIST)
    shown = RENDERER.render(again.replies[0]).html
    assert "/nytt_moete" in shown and "Send /start" not in shown
    # A greeting gets a greeting, thanks a kind word; the rest the honest "I am a bot".
    for greeting in ("hei", "Hei!", "hallo 🙂", "God morgen", "hello"):
        assert templates(await engine.handle(text(greeting))) == ["home.html"], greeting
    for thanks in ("takk", "Tusen takk!", "thanks"):
        assert templates(await engine.handle(text(thanks))) == ["you_are_welcome.html"], thanks
    assert templates(await engine.handle(text("når er møtet?"))) == ["not_understood.html"]
