"""After the meeting, through the engine on in-memory fakes: the follow-up (and its kind answer to
"nei"), /snakke, what was agreed and who gets which part of it, task reminders that follow the
sharing, the carry-over into /forbered, team meetings, and buttons pressed by the wrong person.

The FakeClock starts on Tuesday 1 December 2026 at 09:00 UTC; the meeting is on Thursday
10 December at 10:00 in Oslo, an hour long.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.flows.base import Installation
from bot.core.reminders import Reminders
from bot.domain.agreements import Task
from bot.domain.consent import Recipient, agreed_proposal, agreed_proposed
from bot.domain.delivery import DeliveryStatus
from bot.domain.followup import Answers, Heard, changes
from bot.domain.people import Role
from bot.domain.preparation import Answers as PrepAnswers
from bot.domain.preparation import Preparation, PrepStatus, TopicAnswer
from bot.domain.reminders import Kind, Policy, task_due
from bot.domain.report import Month, shown
from tests.unit.conftest import RENDERER
from tests.unit.fakes import FakeClock, FakeUnitOfWork, Store
from tests.unit.test_circle_and_meetings import (
    KARI,
    NINA,
    OLA,
    PER,
    World,
    build_world,
    button_data,
    command,
    meeting_id,
    notification,
    notified,
    own,
    press,
    refused,
    schedule,
    templates,
    text,
)
from tests.unit.test_preparation import make_installation

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
AFTER = START + timedelta(hours=3)
TODAY = date(2026, 12, 10)


@pytest.fixture
def engine(uow_factory, clock) -> Engine:  # type: ignore[no-untyped-def]
    """With the question bank and the crisis phrases, as installed."""
    return Engine(uow_factory, clock, make_installation(), RENDERER)


async def held(world: World, store: Store) -> int:
    """The meeting booked and prepared for (money, housing, a purpose), and then held."""
    m = meeting_id(await schedule(world))
    answers = PrepAnswers(
        topics=[
            TopicAnswer("money", own_words="Penger AFTER"),
            TopicAnswer("housing", own_words="Bolig AFTER"),
        ],
        purpose="Vite mer",
        not_this_time="Familien",
    )
    store.preparations[1] = Preparation(1, world.id(OLA), m, PrepStatus.READY, answers, START)
    world.clock.current = AFTER
    return m


# -- the follow-up ----------------------------------------------------------------------------


async def test_a_no_gets_a_kind_answer_and_can_tell_kari_now(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)

    first = await engine.handle(press(f"v1:fq:heard:{m}-no", OLA))
    assert templates(first) == ["followup/item.html"]
    # "Not this time" was not meant to be talked about: not asked.
    assert first.replies[0].context["count"] == 3
    assert [i.key for i in [first.replies[0].context["item"]]] == ["purpose"]
    step = first
    for n, answer in enumerate(("yes", "no", "no")):
        step = await engine.handle(press(f"v1:fu:items:{answer}@{n}", OLA))
        assert step.replies[0].replace  # one message, question after question
    assert templates(step) == ["followup/words.html"]
    done = await engine.handle(press("v1:fu:words:skip", OLA))
    [reply] = done.replies
    assert reply.template == "followup/done.html" and reply.context["heard"] == "no"
    assert [i.key for i in reply.context["missed"]] == ["topic:money", "topic:housing"]
    assert button_data(reply) == ["v1:fu:after:tell", "v1:fu:after:no"]
    assert notified(done) == {}  # private: nothing has gone anywhere

    preview = await engine.handle(press("v1:fu:after:tell", OLA))
    assert templates(preview) == ["talk/preview.html"]
    assert len(preview.replies[0].context["missed"]) == 2
    # Ola unticks the points: only the wish to talk goes.
    unticked = await engine.handle(press("v1:talk:preview:missed", OLA))
    assert unticked.replies[0].context["missed"] == []
    sent = await engine.handle(press("v1:talk:preview:send", OLA))
    assert own(sent) == ["talk/sent.html"]
    told = notification(sent, KARI)
    assert told.template == "talk/request.html"
    assert told.context["missed"] == [] and told.context["words"] == ""

    # Counted for the team, with no one named: followed up, a no, 3 asked, 2 not talked about.
    counts = {name: v for (_, month, name), v in store.counters.items() if v}
    assert {month for _, month, _ in store.counters} == {"2026-12"}
    assert counts == {
        "followed_up": 1,
        "heard_no": 1,
        "items_asked": 3,
        "items_not_discussed": 2,
    }


async def test_own_words_after_the_meeting_go_to_kari_only_if_ticked(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await engine.handle(press(f"v1:fq:heard:{m}-no", OLA))
    for n in range(3):
        await engine.handle(press(f"v1:fu:items:no@{n}", OLA))
    await engine.handle(text("Jeg ble lei meg PRIVATEWORDS", OLA))
    preview = await engine.handle(press("v1:fu:after:tell", OLA))
    assert "PRIVATEWORDS" not in str(preview.replies[0].context)  # offered, not ticked
    assert "v1:talk:preview:followup" in button_data(preview.replies[0])
    await engine.handle(press("v1:talk:preview:write", OLA))
    await engine.handle(text("Kan vi snakke?", OLA))  # typed now: its own part
    sent = await engine.handle(press("v1:talk:preview:send", OLA))
    assert notification(sent, KARI).context["words"] == "Kan vi snakke?"

    await engine.handle(press(f"v1:fq:heard:{m}-no", OLA))
    for n in range(3):
        await engine.handle(press(f"v1:fu:items:no@{n}", OLA))
    await engine.handle(press("v1:fu:words:skip", OLA))
    await engine.handle(press("v1:fu:after:tell", OLA))
    ticked = await engine.handle(press("v1:talk:preview:followup", OLA))
    assert "PRIVATEWORDS" in str(ticked.replies[0].context["words"])
    sent = await engine.handle(press("v1:talk:preview:send", OLA))
    assert "PRIVATEWORDS" in str(notification(sent, KARI).context["words"])


async def test_changing_an_answer_moves_the_count_never_doubles_it(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await engine.handle(press(f"v1:fq:heard:{m}-yes", OLA))
    await engine.handle(press("v1:fu:items:no@0", OLA))
    await engine.handle(press(f"v1:fq:heard:{m}-partly", OLA))  # the reminder's button again
    await engine.handle(press("v1:fu:items:yes@0", OLA))
    counts = {name: v for (_, _, name), v in store.counters.items() if v}
    assert counts == {"followed_up": 1, "heard_partly": 1, "items_asked": 1}
    [followup] = store.followups.values()
    assert followup.answers.heard is Heard.PARTLY and followup.answers.talked == {"purpose": True}


async def test_no_follow_up_before_the_meeting_or_for_someone_else(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = meeting_id(await schedule(world))
    await refused(engine, press(f"v1:fq:heard:{m}-yes", OLA))  # not held yet
    clock.current = AFTER
    await refused(engine, press(f"v1:fq:heard:{m}-yes", PER))  # not his meeting
    await refused(engine, press(f"v1:fq:heard:{m}-maybe", OLA))
    await refused(engine, press(f"v1:fq:record:{m}", PER))  # only the jobbspesialist writes it
    assert store.followups == {}


# -- /snakke ------------------------------------------------------------------------------------


async def test_snakke_passes_on_only_what_is_ticked_and_never_crisis_words(
    engine, store, clock, uow_factory
):
    await build_world(engine, store, clock, uow_factory)
    started = await engine.handle(command("snakke", OLA))
    assert templates(started) == ["talk/start.html"]
    crisis = await engine.handle(text("Jeg orker ikke mer og vil ikke leve", OLA))
    assert templates(crisis) == ["safety_note.html"] and notified(crisis) == {}
    preview = await engine.handle(text("Sjefen har sagt opp meg", OLA))
    assert preview.replies[0].context["words"] == "Sjefen har sagt opp meg"
    assert "orker" not in str(preview.replies[0].context)
    without = await engine.handle(press("v1:talk:preview:words", OLA))
    assert without.replies[0].context["words"] == ""
    again = await engine.handle(press("v1:talk:preview:words", OLA))
    assert again.replies[0].context["words"] == "Sjefen har sagt opp meg"
    sent = await engine.handle(press("v1:talk:preview:send", OLA))
    told = notification(sent, KARI)
    assert told.context["words"] == "Sjefen har sagt opp meg" and told.context["name"] == "Ola"
    assert set(notified(sent)) == {KARI}  # only the jobbspesialist
    await refused(engine, press("v1:talk:preview:send", OLA))  # sent once; the flow is over


async def test_snakke_is_for_the_job_seeker_and_needs_a_jobbspesialist(
    engine, store, clock, uow_factory
):
    await build_world(engine, store, clock, uow_factory)
    assert templates(await engine.handle(command("snakke", PER))) == ["not_for_you.html"]
    store.memberships = {
        i: m for i, m in store.memberships.items() if m.role is not Role.JOBBSPESIALIST
    }
    assert templates(await engine.handle(command("snakke", OLA))) == ["talk/no_one.html"]


# -- what was agreed ----------------------------------------------------------------------------


async def write_down(world: World, m: int) -> None:
    """Kari: a task for Ola (no date), for Per (15 December), for Nina (today); sent to Ola."""
    engine = world.engine
    opened = await engine.handle(press(f"v1:fq:record:{m}", KARI))
    assert templates(opened) == ["agreed/draft.html"]
    for who, words, due in (
        (OLA, "Ringe sjefen", "none"),
        (PER, "Skrive uttalelse", "2026-12-15"),
        (NINA, "Sjekke vedtaket", TODAY.isoformat()),
    ):
        await engine.handle(press(f"v1:rec:draft:add-{world.id(who)}", KARI))
        await engine.handle(text(words, KARI))
        added = await engine.handle(press(f"v1:rec:due:{due}", KARI))
        assert templates(added) == ["agreed/added.html", "agreed/draft.html"]
    sent = await engine.handle(press("v1:rec:draft:send", KARI))
    assert own(sent) == ["agreed/sent.html"]
    assert notified(sent) == {OLA: ["agreed/for_jobseeker.html"]}  # Ola first, nobody else


def shared_tasks(store: Store, person: int) -> set[str]:
    return {
        t.text
        for s in store.agreement_shares.values()
        if s.recipient_id == person and s.active
        for t in store.agreements[s.version_id].tasks
        if t.key in s.keys
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(toggles=st.lists(st.integers(0, 2), max_size=4), journal=st.booleans())
async def test_a_recipient_gets_exactly_the_parts_approved_and_nobody_else_anything(
    toggles, journal
):
    store, clock = Store(), FakeClock()
    engine = Engine(lambda: FakeUnitOfWork(store), clock, make_installation(), RENDERER)
    world = await build_world(engine, store, clock, lambda: FakeUnitOfWork(store))
    m = await held(world, store)
    await write_down(world, m)
    [agreement] = store.agreements.values()
    picked = await engine.handle(press(f"v1:ao:pick:{agreement.id}-{world.id(PER)}", OLA))
    assert templates(picked) == ["agreed/preview.html"]
    ticked = set(agreed_proposal(agreement, Recipient(world.id(PER), Role.BEHANDLER)).keys)
    for index in toggles:
        await engine.handle(press(f"v1:agreed:preview:{index}", OLA))
        ticked ^= {agreement.items[index].key}
    if journal:
        await engine.handle(press("v1:agreed:preview:journal", OLA))
    preview = await engine.handle(press("v1:agreed:preview:back", OLA))
    again = await engine.handle(press(f"v1:agreed:overview:pick-{world.id(PER)}", OLA))
    assert preview.accepted and templates(again) == ["agreed/preview.html"]
    for index in toggles:  # the same choices again, from the fresh proposal
        await engine.handle(press(f"v1:agreed:preview:{index}", OLA))
    shared = await engine.handle(press("v1:agreed:preview:send", OLA))
    copies = [r for r in shared.replies if r.address == PER]
    assert copies and all(r.protect for r in copies if r.template == "agreed/copy.html")
    texts = {t["text"] for r in copies for t in r.context["tasks"]}  # type: ignore[union-attr]
    expected = {t.text for t in agreement.tasks if t.key in ticked}
    assert texts == expected
    assert shared_tasks(store, world.id(PER)) == expected
    assert NINA not in notified(shared)  # nobody else gets anything
    assert shared_tasks(store, world.id(NINA)) == set()


async def test_task_reminders_follow_what_is_shared(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await write_down(world, m)

    def task_reminders() -> dict[str, str]:
        names = {p.id: p.address for p in store.people.values()}
        return {
            names[r.person_id]: r.label
            for r in store.reminders.values()
            if r.kind is Kind.TASK and r.pending
        }

    # Sent to Ola, shared with nobody yet: Ola's task has no date; Per's and Nina's wait.
    assert task_reminders() == {}
    [agreement] = store.agreements.values()
    await engine.handle(press(f"v1:ao:pick:{agreement.id}-{world.id(PER)}", OLA))
    await engine.handle(press("v1:agreed:preview:send", OLA))
    assert task_reminders() == {PER: "task:2@2026-12-15"}  # on its date, Nina's never
    [reminder] = [r for r in store.reminders.values() if r.kind is Kind.TASK]
    assert reminder.due_at.astimezone(Policy().zone).date() == date(2026, 12, 15)

    # Withdrawn: the reminder goes too.
    await engine.handle(command("avtalt", OLA))
    await engine.handle(press(f"v1:agreed:overview:take-{world.id(PER)}", OLA))
    taken = await engine.handle(press("v1:agreed:take:yes", OLA))
    assert "agreed/withdrawn_notice.html" in notified(taken)[PER]
    assert task_reminders() == {}

    # Shared again, and due: it is sent on its day, and Nina's never is.
    await engine.handle(press(f"v1:agreed:overview:pick-{world.id(PER)}", OLA))
    await engine.handle(press("v1:agreed:preview:send", OLA))
    clock.current = datetime(2026, 12, 15, 7, 0, tzinfo=UTC)  # 08.00 in Oslo
    reminders = Reminders(
        uow_factory, clock, RENDERER, Installation(controller="Test HF", timezone="Europe/Oslo")
    )
    for reminder_id, _ in await reminders.due(clock.current + timedelta(seconds=1)):
        await reminders.fire(reminder_id)
    sent = [d for d in store.outbox.values() if d.ref and d.ref.startswith("reminder:")]
    task_texts = [d for d in sent if "Skrive uttalelse" in "".join(d.envelope.parts)]
    assert [d.address for d in task_texts] == [PER]
    assert not [d for d in sent if "Sjekke vedtaket" in "".join(d.envelope.parts)]


async def shared_with_per(engine, store, clock, uow_factory):  # type: ignore[no-untyped-def]
    """A held meeting, what was agreed written down, and Ola's yes to sharing it with Per."""
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await write_down(world, m)
    [agreement] = store.agreements.values()
    await engine.handle(press(f"v1:ao:pick:{agreement.id}-{world.id(PER)}", OLA))
    await engine.handle(press("v1:agreed:preview:send", OLA))
    return world


async def test_per_sees_his_own_tasks_and_nina_nothing(engine, store, clock, uow_factory):
    await shared_with_per(engine, store, clock, uow_factory)
    per = await engine.handle(command("avtalt", PER))
    assert templates(per) == ["agreed/received_header.html", "agreed/copy.html"]
    [mine] = [t for t in per.replies[1].context["tasks"] if t["mine"]]  # type: ignore[union-attr]
    assert mine["text"] == "Skrive uttalelse"
    assert templates(await engine.handle(command("avtalt", NINA))) == [
        "agreed/nothing_for_you.html"
    ]


async def test_wrong_people_and_forged_buttons_are_refused(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    assert templates(await engine.handle(command("avtalt", KARI))) == ["agreed/no_meeting.html"]
    m = await held(world, store)
    await write_down(world, m)
    [agreement] = store.agreements.values()
    await refused(engine, press(f"v1:ao:pick:{agreement.id}-{world.id(PER)}", NINA))
    await refused(engine, press(f"v1:ao:pick:{agreement.id}-{world.id(KARI)}", OLA))  # author
    await refused(engine, press(f"v1:ao:pick:{agreement.id}-999", OLA))
    await engine.handle(press(f"v1:ao:pick:{agreement.id}-{world.id(PER)}", OLA))
    await refused(engine, press("v1:agreed:preview:99", OLA))
    await refused(engine, press("v1:ar:read:1", PER))  # nothing shared with him yet
    await engine.handle(press("v1:agreed:preview:send", OLA))
    await refused(engine, press("v1:ar:read:1", NINA))
    read = await engine.handle(press("v1:ar:read:1", PER))
    assert notified(read) == {OLA: ["share/read_notice.html"]}
    # A task for someone not at the meeting cannot be forged onto the list.
    await engine.handle(press(f"v1:fq:record:{m}", KARI))
    await refused(engine, press("v1:rec:draft:add-999", KARI))


async def test_kari_changes_it_after_sending_and_ola_sees_the_change_first(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await write_down(world, m)
    await engine.handle(press(f"v1:fq:record:{m}", KARI))
    await engine.handle(press("v1:rec:draft:remove", KARI))
    removed = await engine.handle(press("v1:rec:remove:3", KARI))  # Nina's task
    assert templates(removed) == ["agreed/removed.html", "agreed/draft.html"]
    first, second = sorted(store.agreements.values(), key=lambda a: a.number)
    assert first.sent and not second.sent and [t.number for t in second.tasks] == [1, 2]
    sent = await engine.handle(press("v1:rec:draft:send", KARI))
    assert notification(sent, OLA).context["again"] is True
    # A new task never takes a removed one's number.
    await engine.handle(press(f"v1:fq:record:{m}", KARI))
    await engine.handle(press(f"v1:rec:draft:add-{world.id(OLA)}", KARI))
    await engine.handle(text("Noe nytt", KARI))
    await engine.handle(press("v1:rec:due:none", KARI))
    newest = max(store.agreements.values(), key=lambda a: a.number)
    assert [t.number for t in newest.tasks] == [1, 2, 4]


# -- the next /forbered ---------------------------------------------------------------------


async def test_forbered_opens_with_last_time_and_puts_the_missed_points_first(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    m = await held(world, store)
    await engine.handle(press(f"v1:fq:heard:{m}-partly", OLA))
    for n, answer in enumerate(("no", "yes", "no")):
        await engine.handle(press(f"v1:fu:items:{answer}@{n}", OLA))
    await write_down(world, m)
    opening = await engine.handle(command("forbered", OLA))
    assert templates(opening) == ["prep/last_time.html"]
    context = opening.replies[0].context
    assert [i.key for i in context["not_discussed"]] == ["purpose", "topic:housing"]  # type: ignore[union-attr]
    assert {t["text"] for t in context["tasks"]} == {  # type: ignore[union-attr]
        "Ringe sjefen",
        "Skrive uttalelse",
        "Sjekke vedtaket",
    }
    taken = await engine.handle(press("v1:prep:carry:yes", OLA))
    assert templates(taken) == ["prep/carried.html", "prep/intro.html", "prep/good.html"]
    newest = max(store.preparations.values(), key=lambda p: p.id)
    assert [t.topic for t in newest.answers.topics] == ["housing"]
    assert newest.answers.topics[0].own_words == "Bolig AFTER"
    assert newest.answers.purpose == "Vite mer"


async def test_forbered_without_last_time_opens_as_before(engine, store, clock, uow_factory):
    await build_world(engine, store, clock, uow_factory)
    opening = await engine.handle(command("forbered", OLA))
    assert templates(opening) == ["prep/intro.html", "prep/good.html"]


# -- meeting kinds ------------------------------------------------------------------------------


async def test_a_team_meeting_tells_the_job_seeker_who_does_not_attend(
    engine, store, clock, uow_factory
):
    world = await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))
    await engine.handle(press("v1:sched:day:2026-12-10", KARI))
    await engine.handle(press("v1:sched:time:1000", KARI))
    await engine.handle(press("v1:sched:duration:60", KARI))
    await engine.handle(text("Teamrommet", KARI))
    kinds = await engine.handle(press("v1:sched:attendees:kind", KARI))
    assert button_data(kinds.replies[0]) == [
        "v1:sched:kind:samarbeidsmote",
        "v1:sched:kind:trepartsmote",
        "v1:sched:kind:fellessamtale",
        "v1:sched:kind:teammote",
    ]
    picked = await engine.handle(press("v1:sched:kind:teammote", KARI))
    assert picked.replies[0].context["with_jobseeker"] is False
    # Ticked at first: the behandler (not the Nav-veileder); Ola is not on the list at all.
    assert f"v1:sched:attendees:{world.id(OLA)}" not in button_data(picked.replies[0])
    await engine.handle(press("v1:sched:attendees:done", KARI))
    saved = await engine.handle(press("v1:sched:confirm:yes", KARI))
    [meeting] = store.meetings.values()
    assert not meeting.attends(world.id(OLA)) and meeting.attends(world.id(PER))
    assert not meeting.attends(world.id(NINA))
    told = notification(saved, OLA)
    assert told.context["kind"] == "teammote" and told.buttons == ()
    # No reminders, pin or follow-up for Ola; the organiser may write down what was agreed.
    names = {p.id: p.address for p in store.people.values()}
    assert OLA not in {names[r.person_id] for r in store.reminders.values()}
    assert (KARI, Kind.FOLLOWUP) in {(names[r.person_id], r.kind) for r in store.reminders.values()}
    # Ola sees it, and may prepare points for it.
    listed = await engine.handle(command("moeter", OLA))
    assert listed.replies[0].context["count"] == 1


async def test_a_trepartsmote_has_no_nav(engine, store, clock, uow_factory):
    world = await build_world(engine, store, clock, uow_factory)
    await engine.handle(command("nytt_moete", KARI))
    await engine.handle(press("v1:sched:day:2026-12-10", KARI))
    await engine.handle(press("v1:sched:time:1000", KARI))
    await engine.handle(press("v1:sched:duration:60", KARI))
    await engine.handle(text("DPS", KARI))
    await engine.handle(press("v1:sched:attendees:kind", KARI))
    picked = await engine.handle(press("v1:sched:kind:trepartsmote", KARI))
    assert f"v1:sched:attendees:{world.id(NINA)}" not in button_data(picked.replies[0])
    await refused(engine, press(f"v1:sched:attendees:{world.id(NINA)}", KARI))


# -- the rules ------------------------------------------------------------------------------------


def test_a_figure_is_hidden_under_five_and_when_a_month_could_be_subtracted() -> None:
    assert shown([4]) is None and shown([5]) == 5 and shown([0, 0]) is None
    assert shown([3, 9]) is None  # the report from the second month shows 9: 3 given away
    assert shown([9, 3]) is None  # next month's report would add 3 to it
    assert shown([0, 12, 0]) == 12 and shown([5, 7]) == 12 and shown([7, 2, 8]) == 17
    assert shown([2, 8, 7]) is None


def test_months_are_whole() -> None:
    assert str(Month.parse("2026-01").previous()) == "2025-12"
    assert str(Month(2026, 12).next()) == "2027-01"
    for bad in ("2026-1", "2026-13", "2026-01-05", "januar", "2026-00"):
        try:
            Month.parse(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_a_changed_answer_moves_the_count() -> None:
    yes = Answers(Heard.YES, {"a": True, "b": False})
    no = Answers(Heard.NO, {"a": False, "b": False})
    assert changes(None, yes) == {
        "followed_up": 1,
        "heard_yes": 1,
        "items_asked": 2,
        "items_not_discussed": 1,
    }
    assert changes(yes, no) == {"heard_yes": -1, "heard_no": 1, "items_not_discussed": 1}
    assert changes(no, no) == {}


def test_a_task_reminder_comes_on_its_day_out_of_quiet_hours() -> None:
    policy = Policy()
    before = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    due = task_due(date(2026, 12, 15), policy, before)
    assert due is not None and due.astimezone(policy.zone).isoformat().startswith(
        "2026-12-15T08:00"
    )
    same_day = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
    assert task_due(date(2026, 12, 15), policy, same_day) == same_day  # at once, on the day
    assert task_due(date(2026, 12, 14), policy, same_day) is None  # its day is over


def test_a_task_is_proposed_to_its_owner_and_the_jobbspesialist_only() -> None:
    task = Task(1, 1, Role.JOBBSOKER, 10, "Ringe")
    per_task = Task(2, 2, Role.BEHANDLER, 20, "Skrive")
    per = Recipient(20, Role.BEHANDLER)
    nina = Recipient(30, Role.NAVVEILEDER)
    kari = Recipient(40, Role.JOBBSPESIALIST)
    assert agreed_proposed(per_task, per) and not agreed_proposed(task, per)
    assert not agreed_proposed(task, nina) and not agreed_proposed(per_task, nina)
    assert agreed_proposed(task, kari) and agreed_proposed(per_task, kari)


async def test_removing_someone_who_got_only_what_was_agreed_names_that(
    engine, store, clock, uow_factory
):
    """Ola takes Per out after sharing only what was agreed: Per is told Ola took back what
    they agreed, not "what was shared before the samarbeidsmøte"."""
    world = await shared_with_per(engine, store, clock, uow_factory)
    for delivery in list(store.outbox.values()):  # the sender delivered Per's copy
        if delivery.address == PER and not delivery.status.settled:
            store.outbox[delivery.id] = replace(
                delivery, status=DeliveryStatus.SENT, message_ids=(100,), settled_at=clock.now()
            )
    membership = world.membership(PER)

    await engine.handle(press(f"v1:cq:rm:{membership}", OLA))
    removed = await engine.handle(press(f"v1:cq:rmyes:{membership}", OLA))

    told = [r.template for r in removed.replies if r.address == PER and r.withdraws is None]
    assert told == ["agreed/withdrawn_notice.html", "circle/you_were_removed.html"]
