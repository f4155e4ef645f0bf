"""The circle of trust and the samarbeidsmøte, through the engine alone (no Telegram, no SQLite).

Every world here is built the way real people would build it: an operator's invitation for the
jobbspesialist, then links made in chat and opened by the job seeker, the behandler and the
Nav-veileder, and the job seeker's own yes on a button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.engine import Engine
from bot.core.invitations import create_invitation
from bot.core.messages import CalendarFile, Inbound, Kind, Outcome, Reply
from bot.core.text import Plain, Text
from bot.domain.circle import Status
from bot.domain.meetings import MeetingStatus
from bot.domain.people import Employer, Person, Role
from bot.rendering.renderer import Renderer
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store

KARI = "test:kari"
OLA = "test:ola"
PER = "test:per"
NINA = "test:nina"
KIM = "test:kim"
EVA = "test:eva"
SIRI = "test:siri"
STRANGER = "test:stranger"

KARI_NAME = "Kari Nordmann"
KIM_NAME = "Kim Berg"
PER_NAME = "Per Hansen"
NINA_NAME = "Nina Lie"

# The FakeClock starts on Tuesday 1 December 2026 at 09:00 UTC (10:00 in Oslo).
NEXT_THURSDAY = "2026-12-10"


# -- talking to the engine ----------------------------------------------------------------------


def start(token: str, address: str) -> Inbound:
    return Inbound(address, Kind.START, text=token)


def press(data: str, address: str) -> Inbound:
    return Inbound(address, Kind.BUTTON, data=data)


def text(value: str, address: str) -> Inbound:
    return Inbound(address, Kind.TEXT, text=value)


def command(name: str, address: str) -> Inbound:
    return Inbound(address, Kind.COMMAND, command=name)


def templates(outcome: Outcome) -> list[str]:
    return [reply.template for reply in outcome.replies]


def own(outcome: Outcome) -> list[str]:
    """Templates of the replies to the person who acted."""
    return [reply.template for reply in outcome.replies if reply.address is None]


def notified(outcome: Outcome) -> dict[str, list[str]]:
    """Templates of the notifications, per address."""
    found: dict[str, list[str]] = {}
    for reply in outcome.replies:
        if reply.address is not None:
            found.setdefault(reply.address, []).append(reply.template)
    return found


def notification(outcome: Outcome, address: str) -> Reply:
    [reply] = [r for r in outcome.replies if r.address == address]
    return reply


def button_data(reply: Reply) -> list[str]:
    return [button.data for row in reply.buttons for button in row]


def token_of(reply: Reply) -> str:
    link = str(reply.context["link"])
    assert "start=" in link, link
    return link.split("start=", 1)[1]


def person(store: Store, address: str) -> Person:
    [found] = [p for p in store.people.values() if p.address == address]
    return found


def membership_status(store: Store, jobseeker: str, member: str) -> Status:
    js, mem = person(store, jobseeker).id, person(store, member).id
    [found] = [m for m in store.memberships.values() if (m.jobseeker_id, m.member_id) == (js, mem)]
    return found.status


async def refused(engine: Engine, inbound: Inbound) -> Outcome:
    outcome = await engine.handle(inbound)
    assert not outcome.accepted, inbound.data
    assert outcome.notice is not None, inbound.data
    assert all(reply.attachment is None for reply in outcome.replies)
    assert notified(outcome) == {}, inbound.data
    return outcome


# -- building the world, step by step as people would ------------------------------------------


async def register_specialist(
    engine: Engine,
    uow_factory: Callable[[], FakeUnitOfWork],
    clock: FakeClock,
    address: str,
    name: str,
    team: str = "sor",
) -> None:
    """The operator's `moteklar invite jobbspesialist`, then first contact in chat."""
    uow = uow_factory()
    token = await create_invitation(
        uow, clock.now(), role=Role.JOBBSPESIALIST, name=name, employer=Employer.NAV, team=team
    )
    await uow.commit()
    for inbound in (
        start(token, address),
        press("v1:join:lang:nb", address),
        press("v1:join:name:yes", address),
    ):
        assert (await engine.handle(inbound)).accepted
    welcome = await engine.handle(press("v1:join:employer:nav", address))
    assert templates(welcome) == ["join/welcome.html"]


async def new_jobseeker_link(engine: Engine, specialist: str, name: str) -> str:
    asked = await engine.handle(command("ny_jobbsoeker", specialist))
    assert templates(asked) == ["circle/ask_jobseeker_name.html"]
    made = await engine.handle(text(name, specialist))
    assert templates(made) == ["circle/jobseeker_link.html"]
    assert made.replies[0].context["name"] == name
    return token_of(made.replies[0])


async def jobseeker_opens(engine: Engine, token: str, address: str, name: str) -> None:
    """Open the link, choose bokmål, confirm the name: the privacy notice is next."""
    assert templates(await engine.handle(start(token, address))) == ["join/choose_language.html"]
    named = await engine.handle(press("v1:join:lang:nb", address))
    assert templates(named) == ["join/confirm_name.html"]
    assert named.replies[0].context["name"] == name
    privacy = await engine.handle(press("v1:join:name:yes", address))
    assert templates(privacy) == ["join/privacy.html"]
    assert button_data(privacy.replies[0]) == ["v1:join:privacy:yes", "v1:join:privacy:no"]


async def add_jobseeker(engine: Engine, specialist: str, address: str, name: str) -> Outcome:
    token = await new_jobseeker_link(engine, specialist, name)
    await jobseeker_opens(engine, token, address, name)
    joined = await engine.handle(press("v1:join:privacy:yes", address))
    assert own(joined) == ["join/welcome.html"]
    assert notified(joined) == {specialist: ["circle/jobseeker_joined.html"]}
    return joined


async def member_link(engine: Engine, inviter: str, role: Role) -> str:
    overview = await engine.handle(command("inviter", inviter))
    assert templates(overview) == ["circle/overview.html"]
    assert f"v1:inv:act:{role.value}" in button_data(overview.replies[0])
    made = await engine.handle(press(f"v1:inv:act:{role.value}", inviter))
    assert templates(made) == ["circle/member_link.html"]
    assert made.replies[0].context["role"] == role.value
    return token_of(made.replies[0])


async def member_joins(
    engine: Engine, token: str, address: str, name: str, workplace: str, jobseeker: str
) -> Reply:
    """A behandler or Nav-veileder registers; returns the approval request sent to the job seeker."""
    assert templates(await engine.handle(start(token, address))) == ["join/choose_language.html"]
    asked = await engine.handle(press("v1:join:lang:nb", address))
    assert templates(asked) == ["join/ask_name.html"]
    named = await engine.handle(text(name, address))
    assert templates(named) == ["join/confirm_name.html"]  # a typed name is read back
    assert named.replies[0].context["name"] == name
    where = await engine.handle(press("v1:join:name:yes", address))
    assert templates(where) == ["join/ask_workplace.html"]
    done = await engine.handle(text(workplace, address))
    assert own(done) == ["join/welcome.html", "circle/waiting.html"]
    assert notified(done) == {jobseeker: ["circle/approve.html"]}
    return notification(done, jobseeker)


@dataclass
class World:
    engine: Engine
    store: Store
    clock: FakeClock
    requests: dict[str, Reply] = field(default_factory=dict)  # approval requests, per member

    def id(self, address: str) -> int:
        return person(self.store, address).id

    def membership(self, address: str) -> int:
        """The id of the member's membership, read from the buttons Ola was sent."""
        yes, no = button_data(self.requests[address])
        assert yes.startswith("v1:cq:ok:") and no.startswith("v1:cq:no:")
        membership_id = int(yes.rsplit(":", 1)[1])
        assert no == f"v1:cq:no:{membership_id}"
        return membership_id

    async def approve(self, address: str) -> Outcome:
        outcome = await self.engine.handle(press(f"v1:cq:ok:{self.membership(address)}", OLA))
        assert own(outcome) == ["circle/approved.html"]
        assert notified(outcome) == {address: ["circle/you_were_approved.html"]}
        return outcome


async def build_world(
    engine: Engine,
    store: Store,
    clock: FakeClock,
    uow_factory: Callable[[], FakeUnitOfWork],
    approve: Iterable[str] = (PER, NINA),
) -> World:
    """Kari (jobbspesialist), Ola (her job seeker), Per (behandler) and Nina (Nav-veileder)."""
    world = World(engine, store, clock)
    await register_specialist(engine, uow_factory, clock, KARI, KARI_NAME)
    await add_jobseeker(engine, KARI, OLA, "Ola")

    per_token = await member_link(engine, KARI, Role.BEHANDLER)
    world.requests[PER] = await member_joins(engine, per_token, PER, PER_NAME, "DPS Solvang", OLA)
    nina_token = await member_link(engine, KARI, Role.NAVVEILEDER)
    world.requests[NINA] = await member_joins(
        engine, nina_token, NINA, NINA_NAME, "Nav Kristiansand", OLA
    )
    for address in approve:
        await world.approve(address)
    return world


async def schedule(
    world: World,
    *,
    by: str = KARI,
    day: str = NEXT_THURSDAY,
    time: str = "1000",
    minutes: int = 60,
    place: str = "DPS Solvang, rom 2",
    leave_out: Iterable[str] = (),
) -> Outcome:
    """/nytt_moete with buttons all the way (the organiser has one job seeker); the saved outcome."""
    engine = world.engine
    calendar = await engine.handle(command("nytt_moete", by))
    assert templates(calendar) == ["meeting/pick_day.html"]
    assert f"v1:sched:day:{day}" in button_data(calendar.replies[0])
    times = await engine.handle(press(f"v1:sched:day:{day}", by))
    assert templates(times) == ["meeting/pick_time.html"]
    assert f"v1:sched:time:{time}" in button_data(times.replies[0])
    durations = await engine.handle(press(f"v1:sched:time:{time}", by))
    assert templates(durations) == ["meeting/pick_duration.html"]
    asked = await engine.handle(press(f"v1:sched:duration:{minutes}", by))
    assert templates(asked) == ["meeting/ask_place.html"]
    attendees = await engine.handle(text(place, by))
    assert templates(attendees) == ["meeting/pick_attendees.html"]
    for address in leave_out:
        toggled = await engine.handle(press(f"v1:sched:attendees:{world.id(address)}", by))
        assert toggled.accepted and templates(toggled) == ["meeting/pick_attendees.html"]
    read_back = await engine.handle(press("v1:sched:attendees:done", by))
    assert templates(read_back) == ["meeting/read_back.html"]
    saved = await engine.handle(press("v1:sched:confirm:yes", by))
    assert own(saved) == ["meeting/saved.html"]
    return saved


def meeting_id(saved: Outcome) -> int:
    data = button_data(saved.replies[0])[0]
    assert data.startswith("v1:mt:ics:")
    return int(data.rsplit(":", 1)[1])


def attendee_ids(store: Store, meeting: int) -> list[int]:
    return [a.person_id for a in store.meetings[meeting].attendees]


async def meetings_listed(engine: Engine, address: str) -> list[Reply]:
    """/moeter: checks the header's count and returns the meeting items."""
    listed = await engine.handle(command("moeter", address))
    header, *items = listed.replies
    assert header.template == "meeting/list_header.html"
    assert header.context["count"] == len(items)
    assert {item.template for item in items} <= {"meeting/item.html"}
    return items


# -- 1. the job seeker says no --------------------------------------------------------------------


async def test_a_jobseeker_who_declines_leaves_only_a_used_invitation(
    engine, store, clock, uow_factory
):
    await register_specialist(engine, uow_factory, clock, KARI, KARI_NAME)
    token = await new_jobseeker_link(engine, KARI, "Ola")
    await jobseeker_opens(engine, token, OLA, "Ola")
    assert OLA in store.conversations  # the steps so far were kept, bound to this account
    [invitation] = [i for i in store.invitations.values() if i.role is Role.JOBBSOKER]
    assert store.invitations[invitation.id].claimed_by == OLA

    declined = await engine.handle(press("v1:join:privacy:no", OLA))

    assert templates(declined) == ["join/declined.html"]
    assert notified(declined) == {}
    assert [p.address for p in store.people.values()] == [KARI]
    assert store.memberships == {}
    after = store.invitations[invitation.id]
    assert after.used_at == clock.now()
    assert after.claimed_by is None
    assert OLA not in store.conversations
    again = await engine.handle(start(token, OLA))
    assert again.replies[0].context["problem"] == "used"
    assert [p.address for p in store.people.values()] == [KARI]


# -- 2. pending until the job seeker says yes -----------------------------------------------------


async def test_a_pending_behandler_is_outside_until_the_jobseeker_says_yes(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory, approve=[NINA])
    request = world.requests[PER]
    assert request.context == {"name": PER_NAME, "role": "behandler", "workplace": "DPS Solvang"}
    assert membership_status(store, OLA, PER) is Status.PENDING

    # Kari's group overview does not show him; Ola's does, with a button to approve.
    karis = await engine.handle(command("inviter", KARI))
    assert [p["name"] for p in karis.replies[0].context["people"]] == [KARI_NAME, NINA_NAME]
    olas = await engine.handle(command("inviter", OLA))
    assert {p["name"]: p["pending"] for p in olas.replies[0].context["people"]} == {
        KARI_NAME: False,
        PER_NAME: True,
        NINA_NAME: False,
    }
    assert f"v1:cq:ok:{world.membership(PER)}" in button_data(olas.replies[0])
    await engine.handle(command("avbryt", OLA))

    # Scheduling offers Nina, not Per, and a forged press for Per is refused.
    await engine.handle(command("nytt_moete", KARI))
    await engine.handle(press(f"v1:sched:day:{NEXT_THURSDAY}", KARI))
    await engine.handle(press("v1:sched:time:1000", KARI))
    await engine.handle(press("v1:sched:duration:60", KARI))
    offered = await engine.handle(text("DPS Solvang", KARI))
    assert button_data(offered.replies[0]) == [
        f"v1:sched:attendees:{world.id(NINA)}",
        "v1:sched:attendees:kind",
        "v1:sched:attendees:done",
    ]
    await refused(engine, press(f"v1:sched:attendees:{world.id(PER)}", KARI))
    await engine.handle(press("v1:sched:attendees:done", KARI))
    saved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    first = meeting_id(saved)
    assert notified(saved) == {OLA: ["meeting/new.html"], NINA: ["meeting/new.html"]}
    assert world.id(PER) not in attendee_ids(store, first)
    assert await meetings_listed(engine, PER) == []

    # Ola says yes: Per is told, and from now on he is part of it.
    approved = await world.approve(PER)
    assert approved.replies[0].context == {"name": PER_NAME}
    assert notification(approved, PER).context == {"name": "Ola"}
    assert membership_status(store, OLA, PER) is Status.APPROVED

    second = await schedule(world, day="2026-12-11")
    assert notified(second) == {
        OLA: ["meeting/new.html"],
        PER: ["meeting/new.html"],
        NINA: ["meeting/new.html"],
    }
    [item] = await meetings_listed(engine, PER)
    assert item.context["starts_at"] == datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    # A behandler attending can say they cannot come, as the job seeker can (not move it).
    assert button_data(item) == [
        f"v1:mt:ics:{meeting_id(second)}",
        f"v1:mt:cant:{meeting_id(second)}",
    ]


async def test_only_the_jobseeker_can_answer_a_request(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory, approve=[])
    per, nina = world.membership(PER), world.membership(NINA)
    before = dict(store.memberships)

    for address in (PER, KARI, NINA, STRANGER):
        for data in (f"v1:cq:ok:{per}", f"v1:cq:no:{per}", f"v1:cq:rm:{per}", f"v1:cq:rmyes:{per}"):
            await refused(engine, press(data, address))
    for data in ("v1:cq:ok:999", "v1:cq:ok:abc", "v1:cq:maybe:1", f"v1:cq:ok:{per}:x"):
        await refused(engine, press(data, OLA))
    assert store.memberships == before

    # Ola's no is final: Nina is told, stays outside, and the request cannot be answered again.
    declined = await engine.handle(press(f"v1:cq:no:{nina}", OLA))
    assert own(declined) == ["circle/declined.html"]
    assert notified(declined) == {NINA: ["circle/you_were_declined.html"]}
    assert membership_status(store, OLA, NINA) is Status.DECLINED
    await refused(engine, press(f"v1:cq:ok:{nina}", OLA))
    assert membership_status(store, OLA, NINA) is Status.DECLINED
    await world.approve(PER)
    await refused(engine, press(f"v1:cq:ok:{per}", OLA))  # already answered


# -- 3. removal ----------------------------------------------------------------------------------


async def test_a_removed_member_loses_access_at_once(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    saved = await schedule(world)
    meeting = meeting_id(saved)
    assert set(notified(saved)) == {OLA, PER, NINA}
    [per_item] = await meetings_listed(engine, PER)

    asked = await engine.handle(press(f"v1:cq:rm:{world.membership(PER)}", OLA))
    assert own(asked) == ["circle/confirm_remove.html"] and notified(asked) == {}
    assert membership_status(store, OLA, PER) is Status.APPROVED  # one tap removes nobody
    kept = await engine.handle(press(f"v1:cq:keep:{world.membership(PER)}", OLA))
    assert own(kept) == ["circle/kept.html"]
    assert membership_status(store, OLA, PER) is Status.APPROVED
    removed = await engine.handle(press(f"v1:cq:rmyes:{world.membership(PER)}", OLA))
    assert own(removed) == ["circle/removed.html"]
    assert notified(removed) == {PER: ["circle/you_were_removed.html"]}
    assert notification(removed, PER).context == {"name": "Ola"}
    assert membership_status(store, OLA, PER) is Status.REMOVED
    await refused(engine, press(f"v1:cq:rmyes:{world.membership(PER)}", OLA))  # told once only

    assert await meetings_listed(engine, PER) == []
    for data in button_data(per_item):
        await refused(engine, press(data, PER))
    for verb in ("ics", "cant", "move", "cancel"):
        await refused(engine, press(f"v1:mt:{verb}:{meeting}", PER))
    [olas_item] = await meetings_listed(engine, OLA)
    assert [p["name"] for p in olas_item.context["people"]] == ["Ola", KARI_NAME, NINA_NAME]

    # Kari moves, then cancels the meeting: Per hears nothing of either.
    await engine.handle(press(f"v1:mt:move:{meeting}", KARI))
    await engine.handle(press("v1:sched:day:2026-12-11", KARI))
    read_back = await engine.handle(press("v1:sched:time:1100", KARI))
    assert [p["name"] for p in read_back.replies[0].context["people"]] == [
        "Ola",
        KARI_NAME,
        NINA_NAME,
    ]
    moved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    assert notified(moved) == {OLA: ["meeting/moved.html"], NINA: ["meeting/moved.html"]}
    await engine.handle(press(f"v1:mt:cancel:{meeting}", KARI))
    cancelled = await engine.handle(press("v1:sched:cancel:yes", KARI))
    assert notified(cancelled) == {
        OLA: ["meeting/cancelled.html"],
        NINA: ["meeting/cancelled.html"],
    }

    # Nor is he offered for a new one.
    await engine.handle(command("nytt_moete", KARI))
    await engine.handle(press(f"v1:sched:day:{NEXT_THURSDAY}", KARI))
    await engine.handle(press("v1:sched:time:1000", KARI))
    await engine.handle(press("v1:sched:duration:60", KARI))
    offered = await engine.handle(text("DPS Solvang", KARI))
    assert f"v1:sched:attendees:{world.id(PER)}" not in button_data(offered.replies[0])


# -- 4. scheduling end to end --------------------------------------------------------------------


async def test_scheduling_with_buttons_tells_exactly_those_attending(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    kari, ola, per, nina = (world.id(a) for a in (KARI, OLA, PER, NINA))

    calendar = await engine.handle(command("nytt_moete", KARI))
    assert templates(calendar) == ["meeting/pick_day.html"]
    days = button_data(calendar.replies[0])
    # This week from today (Tuesday) on, the whole of next week, then "later".
    assert days == [
        *(f"v1:sched:day:2026-12-0{d}" for d in (1, 2, 3, 4)),
        *(f"v1:sched:day:2026-12-{d:02d}" for d in (7, 8, 9, 10, 11)),
        "v1:sched:day:next",
    ]

    # Today only offers times still ahead (it is 10:00 in Oslo); a forged earlier one is refused.
    today = await engine.handle(press("v1:sched:day:2026-12-01", KARI))
    offered = button_data(today.replies[0])
    assert "v1:sched:time:1000" not in offered and offered[0] == "v1:sched:time:1030"
    past = await engine.handle(press("v1:sched:time:1000", KARI))
    assert templates(past) == ["meeting/bad_time.html", "meeting/pick_time.html"]
    assert past.replies[0].context["problem"] == "past"
    await engine.handle(command("nytt_moete", KARI))

    times = await engine.handle(press(f"v1:sched:day:{NEXT_THURSDAY}", KARI))
    assert times.replies[0].context["day"] == date(2026, 12, 10)
    assert len(button_data(times.replies[0])) == 16  # 08.00 to 15.30
    durations = await engine.handle(press("v1:sched:time:1000", KARI))
    assert button_data(durations.replies[0]) == [f"v1:sched:duration:{m}" for m in (30, 45, 60, 90)]
    await refused(engine, press("v1:sched:duration:50", KARI))
    await engine.handle(press("v1:sched:duration:60", KARI))
    assert templates(await engine.handle(text("  ", KARI))) == [
        "blank.html",
        "meeting/ask_place.html",
    ]
    attendees = await engine.handle(text("DPS Solvang,  rom 2", KARI))
    choice = attendees.replies[0]
    assert button_data(choice) == [
        f"v1:sched:attendees:{per}",
        f"v1:sched:attendees:{nina}",
        "v1:sched:attendees:kind",
        "v1:sched:attendees:done",
    ]
    assert all(isinstance(row[0].label, Text) for row in choice.buttons)  # ticked by default

    toggled = await engine.handle(press(f"v1:sched:attendees:{nina}", KARI))
    labels = [row[0].label for row in toggled.replies[0].buttons]
    assert isinstance(labels[0], Text) and labels[1] == Plain(NINA_NAME)
    await refused(engine, press(f"v1:sched:attendees:{kari}", KARI))
    await refused(engine, press(f"v1:sched:attendees:{ola}", KARI))

    read_back = await engine.handle(press("v1:sched:attendees:done", KARI))
    context = read_back.replies[0].context
    assert context["starts_at"] == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert context["ends_at"] == datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    assert context["place"] == "DPS Solvang, rom 2"
    assert context["moving"] is False
    assert [p["name"] for p in context["people"]] == ["Ola", KARI_NAME, PER_NAME]
    assert button_data(read_back.replies[0]) == [
        "v1:sched:confirm:yes",
        "v1:sched:confirm:time",
    ]
    assert store.meetings == {}  # nothing is saved before the yes

    saved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    assert own(saved) == ["meeting/saved.html"]
    assert notified(saved) == {OLA: ["meeting/new.html"], PER: ["meeting/new.html"]}
    [meeting] = store.meetings.values()
    assert (meeting.jobseeker_id, meeting.organiser_id) == (ola, kari)
    assert attendee_ids(store, meeting.id) == [ola, kari, per]
    assert (meeting.starts_at, meeting.ends_at) == (
        datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 10, 10, 0, tzinfo=UTC),
    )
    assert (meeting.place, meeting.status, meeting.sequence) == (
        "DPS Solvang, rom 2",
        MeetingStatus.PLANNED,
        0,
    )
    assert not store.conversations[KARI].active
    m = meeting.id
    assert button_data(saved.replies[0]) == [
        f"v1:mt:ics:{m}",
        f"v1:mt:move:{m}",
        f"v1:mt:cancel:{m}",
    ]
    assert button_data(notification(saved, OLA)) == [f"v1:mt:ics:{m}", f"v1:mt:cant:{m}"]
    assert button_data(notification(saved, PER)) == [f"v1:mt:ics:{m}", f"v1:mt:cant:{m}"]
    assert notification(saved, OLA).context["jobseeker"] == "Ola"
    assert await meetings_listed(engine, NINA) == []


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("01.12.2026 08:00", "past"),  # 08:00 in Oslo is 07:00 UTC: two hours ago
        ("01.12.2026 10:00", "past"),  # exactly now
        ("31.02.2027 10:00", "impossible_date"),
        ("10.12.2026 24:00", "impossible_time"),
        ("28.03.2027 02:30", "no_such_time"),  # the clocks go forward at 02:00
        ("31.10.2027 02:30", "ambiguous_time"),  # the clocks go back at 03:00
        ("10.12.2027 10:00", "far"),  # a typo in the year, more than a year ahead
        ("i morgen kl 10", "format"),
        ("10.12.2026", "format"),
    ],
)
async def test_typed_times_that_cannot_be_are_refused_and_the_step_kept(
    engine, store, clock, uow_factory, typed, problem
):
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))
    before = store.conversations[KARI]

    answer = await engine.handle(text(typed, KARI))

    assert templates(answer) == ["meeting/bad_time.html", "meeting/pick_day.html"]
    assert answer.replies[0].context == {"problem": problem}
    after = store.conversations[KARI]
    assert (after.flow, after.step, after.data) == (before.flow, before.step, before.data)
    assert after.data.get("starts") is None
    accepted = await engine.handle(text("10.12.2026 kl. 10.00", KARI))
    assert templates(accepted) == ["meeting/pick_duration.html"]


# -- 5. across the change to summer time -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "utc_hour", "words"),
    [
        ("26.03.2027 10:00", 9, "fredag 26. mars 2027 kl. 10.00–11.00"),  # still winter time
        ("29.03.2027 10:00", 8, "mandag 29. mars 2027 kl. 10.00–11.00"),  # after the change
    ],
)
async def test_a_meeting_after_the_spring_change_keeps_its_local_time(
    engine, store, clock, uow_factory, typed, utc_hour, words
):
    world = await build_world(engine, store, clock, uow_factory)
    renderer = Renderer("Europe/Oslo")
    await engine.handle(command("nytt_moete", KARI))
    durations = await engine.handle(text(typed, KARI))
    assert templates(durations) == ["meeting/pick_duration.html"]
    await engine.handle(press("v1:sched:duration:60", KARI))
    await engine.handle(text("Nav Kristiansand", KARI))
    read_back = await engine.handle(press("v1:sched:attendees:done", KARI))

    html = renderer.render(read_back.replies[0]).html
    assert words in html
    assert "Nav Kristiansand" in html

    saved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    meeting = store.meetings[meeting_id(saved)]
    day = int(typed[:2])
    assert meeting.starts_at == datetime(2027, 3, day, utc_hour, 0, tzinfo=UTC)
    assert meeting.starts_at.astimezone(UTC).hour == utc_hour
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=1)
    assert words in renderer.render(notification(saved, OLA)).html
    assert world.id(PER) in attendee_ids(store, meeting.id)


# -- 6. moving and cancelling ----------------------------------------------------------------------


async def test_moving_and_cancelling_tell_everyone_attending(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    saved = await schedule(world, leave_out=[NINA])
    meeting = meeting_id(saved)
    await engine.handle(press(f"v1:mt:cant:{meeting}", OLA))
    assert store.meetings[meeting].attendees[0].cannot_come

    calendar = await engine.handle(press(f"v1:mt:move:{meeting}", KARI))
    assert templates(calendar) == ["meeting/pick_day.html"]
    later = await engine.handle(press("v1:sched:day:next", KARI))
    assert "v1:sched:day:2026-12-17" in button_data(later.replies[0])
    await engine.handle(press("v1:sched:day:2026-12-17", KARI))
    read_back = await engine.handle(press("v1:sched:time:1300", KARI))
    assert templates(read_back) == ["meeting/read_back.html"]  # length, place, people are kept
    context = read_back.replies[0].context
    assert context["moving"] is True
    assert (context["starts_at"], context["ends_at"]) == (
        datetime(2026, 12, 17, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 17, 13, 0, tzinfo=UTC),
    )
    assert store.meetings[meeting].sequence == 0  # not yet

    moved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    assert own(moved) == ["meeting/saved.html"]
    assert notified(moved) == {OLA: ["meeting/moved.html"], PER: ["meeting/moved.html"]}
    assert notification(moved, PER).context["starts_at"] == datetime(
        2026, 12, 17, 12, 0, tzinfo=UTC
    )
    # Everyone is told the old time too, and whose meeting it is.
    was = store.meetings[meeting].starts_at
    before_move = notification(moved, PER).context["was"]
    assert before_move != was and before_move.date().isoformat() == NEXT_THURSDAY
    told = Renderer("Europe/Oslo").render(notification(moved, PER)).html
    assert "Samarbeidsmøtet med Ola er flyttet" in told and "Før: torsdag 10. desember" in told
    after = store.meetings[meeting]
    assert (after.starts_at, after.ends_at, after.sequence) == (
        datetime(2026, 12, 17, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 17, 13, 0, tzinfo=UTC),
        1,
    )
    assert after.place == "DPS Solvang, rom 2"
    assert len(store.meetings) == 1
    assert not any(a.cannot_come for a in after.attendees)  # a new time, a new answer

    asked = await engine.handle(press(f"v1:mt:cancel:{meeting}", KARI))
    assert templates(asked) == ["meeting/confirm_cancel.html"]
    kept = await engine.handle(press("v1:sched:cancel:no", KARI))
    assert templates(kept) == ["meeting/kept.html"] and notified(kept) == {}
    assert store.meetings[meeting].status is MeetingStatus.PLANNED

    await engine.handle(press(f"v1:mt:cancel:{meeting}", KARI))
    cancelled = await engine.handle(press("v1:sched:cancel:yes", KARI))
    assert own(cancelled) == ["meeting/cancelled_by_you.html"]
    assert notified(cancelled) == {
        OLA: ["meeting/cancelled.html"],
        PER: ["meeting/cancelled.html"],
    }
    # Each is told whose meeting it was ("the samarbeidsmøte with Ola", or "your").
    assert notification(cancelled, OLA).context == {
        "starts_at": datetime(2026, 12, 17, 12, 0, tzinfo=UTC),
        "jobseeker": "Ola",
        "role": "jobbsoker",
        "kind": "samarbeidsmote",
    }
    assert notification(cancelled, PER).context["role"] == "behandler"
    gone = store.meetings[meeting]
    assert (gone.status, gone.sequence) == (MeetingStatus.CANCELLED, 2)
    assert await meetings_listed(engine, OLA) == []
    await refused(engine, press(f"v1:mt:move:{meeting}", KARI))
    await refused(engine, press(f"v1:mt:cancel:{meeting}", KARI))
    # The calendar file now says the event is cancelled, with the new sequence.
    ics = await engine.handle(press(f"v1:mt:ics:{meeting}", OLA))
    assert ics.replies[0].attachment is not None
    assert (ics.replies[0].attachment.cancelled, ics.replies[0].attachment.sequence) == (True, 2)


async def test_only_the_jobbspesialist_can_move_or_cancel(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world))
    before = store.meetings[meeting]

    for address in (OLA, PER, NINA, STRANGER):
        for verb in ("move", "cancel"):
            await refused(engine, press(f"v1:mt:{verb}:{meeting}", address))
        state = store.conversations.get(address)
        assert state is None or not state.active
    # Nor can anyone but Kari use the scheduling buttons the flow would show.
    for address in (OLA, PER):
        await refused(engine, press("v1:sched:cancel:yes", address))
        await refused(engine, press("v1:sched:day:2026-12-11", address))
    assert store.meetings[meeting] == before


# -- 7. "I can't come" ----------------------------------------------------------------------------


async def test_i_cant_come_tells_the_jobbspesialist(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world))

    said = await engine.handle(press(f"v1:mt:cant:{meeting}", OLA))

    assert own(said) == ["meeting/cant_come_sent.html"]
    assert said.replies[0].context == {"names": [KARI_NAME]}
    assert notified(said) == {KARI: ["meeting/cant_come.html"]}
    assert notification(said, KARI).context == {
        "name": "Ola",
        "role": "jobbsoker",
        "starts_at": datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
    }
    marks = {a.person_id: a.cannot_come for a in store.meetings[meeting].attendees}
    assert marks == {
        world.id(OLA): True,
        world.id(KARI): False,
        world.id(PER): False,
        world.id(NINA): False,
    }
    [item] = await meetings_listed(engine, KARI)
    assert {p["name"]: p["cannot_come"] for p in item.context["people"]}["Ola"] is True

    # Kari organises it: she moves or cancels it instead.
    await refused(engine, press(f"v1:mt:cant:{meeting}", KARI))
    # A professional attending can say so too; the jobbspesialist is told who and in what role.
    per_said = await engine.handle(press(f"v1:mt:cant:{meeting}", PER))
    assert per_said.replies[0].context == {"names": [KARI_NAME]}
    assert notified(per_said) == {KARI: ["meeting/cant_come.html"]}
    assert notification(per_said, KARI).context["role"] == "behandler"
    marks = {a.person_id: a.cannot_come for a in store.meetings[meeting].attendees}
    assert marks == {
        world.id(OLA): True,
        world.id(KARI): False,
        world.id(PER): True,
        world.id(NINA): False,
    }


# -- 8. the calendar file --------------------------------------------------------------------------


async def test_answering_on_a_meeting_ends_the_choice(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world))
    cant = await engine.handle(press(f"v1:mt:cant:{meeting}", OLA))
    assert cant.accepted and cant.ends_choice
    moving = await engine.handle(press(f"v1:mt:move:{meeting}", KARI))
    assert moving.accepted and moving.ends_choice


async def test_a_calendar_file_only_for_those_attending(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world, leave_out=[NINA]))
    # Another circle: Kim and his job seeker Eva, with a meeting of their own.
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await add_jobseeker(engine, KIM, EVA, "Eva")
    other = await schedule(world, by=KIM, day="2026-12-11", place="Nav Grimstad")
    evas = meeting_id(other)
    assert notified(other) == {EVA: ["meeting/new.html"]}

    for address in (OLA, PER, KARI):
        got = await engine.handle(press(f"v1:mt:ics:{meeting}", address))
        assert got.accepted
        # A file does not end a choice: "I can't come", "Move" … stay on the message.
        assert got.ends_choice is False
        [reply] = got.replies
        assert (reply.template, reply.address) == ("meeting/calendar_file.html", None)
        assert reply.attachment == CalendarFile(
            meeting,
            0,
            datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
            datetime(2026, 12, 10, 10, 0, tzinfo=UTC),
            "DPS Solvang, rom 2",
            cancelled=False,
        )

    await refused(engine, press(f"v1:mt:ics:{meeting}", NINA))  # in the circle, not attending
    for address in (OLA, PER, KARI, NINA):
        await refused(engine, press(f"v1:mt:ics:{evas}", address))
    await refused(engine, press(f"v1:mt:ics:{meeting}", KIM))
    await refused(engine, press(f"v1:mt:ics:{meeting}", EVA))
    for data in ("v1:mt:ics:999", "v1:mt:ics:abc", "v1:mt:ics:", "v1:mt:ics:-1"):
        await refused(engine, press(data, OLA))


# -- 9. hand-over ---------------------------------------------------------------------------------


async def test_hand_over_to_a_colleague(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world))
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)

    await engine.handle(command("inviter", KARI))
    colleagues = await engine.handle(press("v1:inv:act:handover", KARI))
    assert templates(colleagues) == ["circle/pick_colleague.html"]
    assert button_data(colleagues.replies[0]) == [f"v1:inv:colleague:{world.id(KIM)}"]
    await refused(engine, press(f"v1:inv:colleague:{world.id(PER)}", KARI))
    asked = await engine.handle(press(f"v1:inv:colleague:{world.id(KIM)}", KARI))

    assert own(asked) == ["circle/handover_asked.html"]
    assert asked.replies[0].context == {"name": "Ola", "colleague": KIM_NAME}
    assert notified(asked) == {OLA: ["circle/handover_request.html"]}
    request = notification(asked, OLA)
    assert request.context == {"name": KIM_NAME, "previous": KARI_NAME}
    world.requests[KIM] = request
    assert membership_status(store, OLA, KIM) is Status.PENDING
    assert membership_status(store, OLA, KARI) is Status.APPROVED
    # Until Ola says yes, Kim cannot act for Ola.
    assert templates(await engine.handle(command("nytt_moete", KIM))) == [
        "circle/no_jobseekers.html"
    ]
    await refused(engine, press(f"v1:cq:ok:{world.membership(KIM)}", KIM))
    await refused(engine, press(f"v1:cq:ok:{world.membership(KIM)}", KARI))

    answered = await engine.handle(press(f"v1:cq:ok:{world.membership(KIM)}", OLA))
    assert own(answered) == ["circle/approved.html"]
    assert notified(answered) == {
        KIM: ["circle/you_were_approved.html"],
        KARI: ["circle/handover_done.html"],
    }
    assert notification(answered, KARI).context == {
        "name": "Ola",
        "colleague": KIM_NAME,
        "withdrawn": False,  # nothing was shared with her
    }
    assert membership_status(store, OLA, KARI) is Status.ENDED
    assert membership_status(store, OLA, KIM) is Status.APPROVED
    assert membership_status(store, OLA, PER) is Status.APPROVED

    assert templates(await engine.handle(command("nytt_moete", KARI))) == [
        "circle/no_jobseekers.html"
    ]
    assert not store.conversations[KARI].active
    assert templates(await engine.handle(command("inviter", KARI))) == ["circle/no_jobseekers.html"]
    assert await meetings_listed(engine, KARI) == []
    for verb in ("ics", "move", "cancel"):
        await refused(engine, press(f"v1:mt:{verb}:{meeting}", KARI))
    assert templates(await engine.handle(command("nytt_moete", KIM))) == ["meeting/pick_day.html"]
    assert store.conversations[KIM].data["jobseeker"] == world.id(OLA)


async def test_i_cant_come_after_a_hand_over_reaches_the_new_jobbspesialist(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    meeting = meeting_id(await schedule(world))
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await engine.handle(command("inviter", KARI))
    await engine.handle(press("v1:inv:act:handover", KARI))
    asked = await engine.handle(press(f"v1:inv:colleague:{world.id(KIM)}", KARI))
    world.requests[KIM] = notification(asked, OLA)
    await engine.handle(press(f"v1:cq:ok:{world.membership(KIM)}", OLA))

    said = await engine.handle(press(f"v1:mt:cant:{meeting}", OLA))

    assert said.accepted
    assert notified(said) == {KIM: ["meeting/cant_come.html"]}


# -- 10. ending the participation ----------------------------------------------------------------


async def test_ending_the_participation(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    earlier = meeting_id(await schedule(world, day="2026-12-02", time="0800", minutes=30))
    upcoming = meeting_id(await schedule(world, leave_out=[PER]))
    clock.advance(timedelta(days=1, hours=1))  # the first meeting is over

    await engine.handle(command("inviter", OLA))
    await refused(engine, press("v1:inv:act:end", OLA))  # only the jobbspesialist can end it
    await engine.handle(command("inviter", KARI))
    confirm = await engine.handle(press("v1:inv:act:end", KARI))
    assert templates(confirm) == ["circle/confirm_end.html"]
    back = await engine.handle(press("v1:inv:end:no", KARI))
    assert templates(back) == ["circle/overview.html"]
    assert all(m.status is not Status.ENDED for m in store.memberships.values())
    await engine.handle(press("v1:inv:act:end", KARI))

    ended = await engine.handle(press("v1:inv:end:yes", KARI))

    assert own(ended) == ["circle/ended.html"]
    # Ola hears that only Møteklar ends; Per and Nina are told once each that they left the
    # group, with the meeting taken out of Møteklar (it may still take place), not "cancelled".
    assert notified(ended) == {
        OLA: ["circle/participation_ended.html"],
        PER: ["circle/member_ended.html"],
        NINA: ["circle/member_ended.html"],
    }
    assert notification(ended, OLA).context == {"name": KARI_NAME}
    assert notification(ended, PER).context == {"name": "Ola", "meetings": [], "withdrawn": False}
    nina = notification(ended, NINA).context
    assert nina["name"] == "Ola" and nina["meetings"] == [store.meetings[upcoming].starts_at]
    told = Renderer("Europe/Oslo").render(notification(ended, OLA)).html
    assert "Det er bare Møteklar som slutter" in told and "behandlingen din fortsetter" in told
    assert "Ingen andre kan se møtene dine her lenger" in told  # Ola's data stays his
    assert "/mine_data" in told and "/slett" in told
    assert {m.status for m in store.memberships.values()} == {Status.ENDED}
    assert store.meetings[upcoming].status is MeetingStatus.CANCELLED
    assert store.meetings[earlier].status is MeetingStatus.PLANNED  # the past is left alone
    for address in (OLA, PER, NINA, KARI):
        assert await meetings_listed(engine, address) == []
    assert templates(await engine.handle(command("nytt_moete", KARI))) == [
        "circle/no_jobseekers.html"
    ]
    await refused(engine, press(f"v1:mt:ics:{upcoming}", NINA))


# -- 11. forged and stale data -------------------------------------------------------------------


async def test_forged_job_seeker_ids_are_refused(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await add_jobseeker(engine, KARI, SIRI, "Siri")
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await add_jobseeker(engine, KIM, EVA, "Eva")
    ola, siri, eva = world.id(OLA), world.id(SIRI), world.id(EVA)

    who = await engine.handle(command("nytt_moete", KARI))
    assert templates(who) == ["circle/pick_jobseeker.html"]
    assert button_data(who.replies[0]) == [f"v1:sched:who:{ola}", f"v1:sched:who:{siri}"]
    for value in ("999", str(eva), str(world.id(PER)), str(world.id(KARI)), "abc", ""):
        stale = await refused(engine, press(f"v1:sched:who:{value}", KARI))
        assert templates(stale) == ["circle/pick_jobseeker.html"]
        assert store.conversations[KARI].step == "who"
    chosen = await engine.handle(press(f"v1:sched:who:{ola}", KARI))
    assert templates(chosen) == ["meeting/pick_day.html"]
    assert store.conversations[KARI].data["jobseeker"] == ola
    await refused(engine, press(f"v1:sched:who:{siri}", KARI))  # that step is over

    who = await engine.handle(command("inviter", KARI))
    assert button_data(who.replies[0]) == [f"v1:inv:who:{ola}", f"v1:inv:who:{siri}"]
    for value in (str(eva), "999", str(world.id(NINA))):
        await refused(engine, press(f"v1:inv:who:{value}", KARI))
        assert store.conversations[KARI].step == "who"
    overview = await engine.handle(press(f"v1:inv:who:{ola}", KARI))
    assert templates(overview) == ["circle/overview.html"]
    assert overview.replies[0].context["name"] == "Ola"

    # Kim cannot reach into Kari's job seekers either.
    assert templates(await engine.handle(command("nytt_moete", KIM))) == ["meeting/pick_day.html"]
    assert store.conversations[KIM].data["jobseeker"] == eva
    await refused(engine, press(f"v1:sched:who:{ola}", KIM))
    await engine.handle(press(f"v1:sched:day:{NEXT_THURSDAY}", KIM))
    await engine.handle(press("v1:sched:time:1000", KIM))
    await engine.handle(press("v1:sched:duration:60", KIM))
    await engine.handle(text("Nav Grimstad", KIM))
    await refused(engine, press(f"v1:sched:attendees:{world.id(PER)}", KIM))
    assert store.conversations[KIM].data["attendees"] == []


async def test_a_forged_hand_over_to_oneself_is_refused(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await engine.handle(command("inviter", KARI))
    await engine.handle(press("v1:inv:act:handover", KARI))

    outcome = await engine.handle(press(f"v1:inv:colleague:{world.id(KARI)}", KARI))

    assert not outcome.accepted
    assert notified(outcome) == {}
    assert membership_status(store, OLA, KARI) is Status.APPROVED


async def test_a_forged_calendar_day_beyond_a_year_is_refused(engine, store, clock, uow_factory):
    await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))

    day = await engine.handle(press("v1:sched:day:2062-12-07", KARI))
    time = await engine.handle(press("v1:sched:time:1000", KARI))

    assert not (day.accepted and templates(time) == ["meeting/pick_duration.html"])
    assert store.conversations[KARI].data.get("starts") is None


@pytest.mark.parametrize("value", ["²", "٣", "1²", "99999999999999999999999", " 1", "+1", "-1"])
async def test_button_ids_are_ascii_digits_that_fit_the_database(
    engine, store, clock, uow_factory, value
):
    world = await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))

    for data in (
        f"v1:mt:ics:{value}",
        f"v1:cq:rm:{value}",
        f"v1:sched:attendees:{value}",
        f"v1:sched:duration:{value}",
        f"v1:sched:time:{value}",
    ):
        await refused(engine, press(data, KARI if "sched" in data else OLA))
    assert membership_status(store, OLA, PER) is Status.APPROVED
    assert world.id(OLA)


# -- 12. only one's own team, a page at a time; each person's own copy ------------------------------


async def test_a_hand_over_is_offered_only_to_colleagues_on_the_same_team(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await register_specialist(engine, uow_factory, clock, KIM, KIM_NAME)
    await register_specialist(engine, uow_factory, clock, EVA, "Eva Nord", team="nord")
    await engine.handle(command("inviter", KARI))

    colleagues = await engine.handle(press("v1:inv:act:handover", KARI))

    assert button_data(colleagues.replies[0]) == [f"v1:inv:colleague:{world.id(KIM)}"]
    await refused(engine, press(f"v1:inv:colleague:{world.id(EVA)}", KARI))  # another team
    assert membership_status(store, OLA, KARI) is Status.APPROVED


async def test_many_colleagues_come_a_page_at_a_time(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    colleagues = [f"test:colleague{n}" for n in range(10)]
    for n, address in enumerate(colleagues):
        await register_specialist(engine, uow_factory, clock, address, f"Kollega {n}")
    await engine.handle(command("inviter", KARI))

    first = await engine.handle(press("v1:inv:act:handover", KARI))
    data = button_data(first.replies[0])
    assert data[:8] == [f"v1:inv:colleague:{world.id(a)}" for a in colleagues[:8]]
    assert data[8:] == ["v1:inv:colleague:next"]
    second = await engine.handle(press("v1:inv:colleague:next", KARI))
    data = button_data(second.replies[0])
    assert data == [
        *[f"v1:inv:colleague:{world.id(a)}" for a in colleagues[8:]],
        "v1:inv:colleague:previous",
    ]
    back = await engine.handle(press("v1:inv:colleague:previous", KARI))
    assert button_data(back.replies[0]) == button_data(first.replies[0])
    asked = await engine.handle(press(f"v1:inv:colleague:{world.id(colleagues[9])}", KARI))
    assert own(asked) == ["circle/handover_asked.html"]


async def test_each_person_told_of_a_meeting_gets_a_copy_made_for_them(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)

    saved = await schedule(world)

    prep = {reply.address or KARI: reply.context["prep"] for reply in saved.replies}
    # The job seeker and the jobbspesialist see how far the preparation has come; the
    # behandler and the Nav-veileder never do: their copies are built for them.
    assert prep == {KARI: "not_started", OLA: "not_started", PER: None, NINA: None}
