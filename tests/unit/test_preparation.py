"""The job seeker's preparation (/forbered, /agenda) through the engine alone: the seven steps,
skipping, going back, stopping and resuming (also after a restart), own words kept exactly,
split texts joined, the crisis note, editing from the review, and forged buttons refused.

Ola talks to the bot the way a person would: he only taps buttons he was just shown (``tap``
checks that), and some time passes between his answers (``say``), as it does for a person.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape

from bot.core.engine import Engine
from bot.core.flows.base import Installation
from bot.core.flows.preparation.state import PrepData
from bot.core.messages import Inbound, Outcome, Reply
from bot.domain.agenda import AgendaVersion, Item, agenda_items
from bot.domain.people import Locale
from bot.domain.preparation import Answers, Preparation, PrepStatus, TopicAnswer
from bot.rendering import content
from bot.rendering.renderer import Renderer
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
    meetings_listed,
    notified,
    person,
    press,
    refused,
    schedule,
    templates,
    text,
)

RENDERER = Renderer("Europe/Oslo")
NB = content.bank_words(Locale.NB)

# The visible step of each internal step, as product.md numbers them ("steg 3 av 7").
VISIBLE_STEP = {
    "good": 1,
    "hard": 1,
    "topics": 2,
    "other": 2,
    "questions": 3,
    "knows": 3,
    "phrasing": 3,
    "who": 4,
    "order": 5,
    "purpose": 5,
    "not_now": 6,
    "review": 7,
}
PER_TOPIC = {"questions", "knows", "phrasing", "who"}
# How long a person takes to write the next answer: far longer than Telegram's split parts.
THINKING = timedelta(seconds=40)

GOOD = "Jeg har begynt på lageret to dager i uka, og det går bra."
HARD = "Jeg sover dårlig og er redd for å miste støtten fra Nav."
OTHER_WORDS = "Jeg vil snakke om at jeg trenger fri til tannlegen."
MONEY_WORDS = "Får jeg mindre penger hvis jeg jobber tre dager?"
PURPOSE = "Jeg vil vite om jeg kan jobbe mer uten å miste pengene."
NOT_NOW = "Jeg vil ikke snakke om familien min denne gangen."


def html(reply: Reply) -> str:
    return RENDERER.render(reply).html


def in_order(haystack: str, *needles: str) -> None:
    """Every needle is in the haystack, each after the one before."""
    at = -1
    for needle in needles:
        found = haystack.find(needle, at + 1)
        assert found > at, f"{needle!r} not found after position {at}"
        at = found


# -- the world: Kari, Ola, Per, Nina and their next meeting ---------------------------------------


def make_installation() -> Installation:
    return Installation(
        controller="Test HF",
        timezone="Europe/Oslo",
        topics=content.topics(),
        crisis=content.crisis_words(),
    )


@pytest.fixture
def engine(uow_factory: Callable[[], FakeUnitOfWork], clock: FakeClock) -> Engine:
    """Overrides conftest's engine: this installation has the question bank and crisis phrases."""
    return Engine(uow_factory, clock, make_installation(), RENDERER)


@pytest.fixture
async def world(engine, store, clock, uow_factory) -> World:
    world = await build_world(engine, store, clock, uow_factory)
    await schedule(world)
    return world


@dataclass
class Session:
    """Ola in chat. Remembers every outcome, so nothing sent elsewhere can go unnoticed."""

    engine: Engine
    store: Store
    clock: FakeClock
    address: str = OLA
    seen: list[Outcome] = field(default_factory=list)

    async def send(self, inbound: Inbound) -> Outcome:
        outcome = await self.engine.handle(inbound)
        self.seen.append(outcome)
        return outcome

    async def command(self, name: str) -> Outcome:
        return await self.send(command(name, self.address))

    async def say(self, value: str, *, after: timedelta = THINKING) -> Outcome:
        self.clock.advance(after)
        return await self.send(text(value, self.address))

    def offered(self) -> list[str]:
        """The button data of the message(s) the last outcome showed."""
        return [data for reply in self.seen[-1].replies for data in button_data(reply)]

    async def tap(self, step: str, value: str) -> Outcome:
        data = f"v1:prep:{step}:{value}"
        if step in PER_TOPIC:  # per-topic buttons carry their topic's index: "done@2"
            data = next((d for d in self.offered() if d.startswith(data + "@")), data)
        assert data in self.offered(), f"{data} is not among {self.offered()}"
        self.clock.advance(timedelta(seconds=3))
        outcome = await self.send(press(data, self.address))
        assert outcome.accepted, data
        return outcome

    async def change_agenda(self) -> Outcome:
        """/agenda, then "Change the agenda" under it: the review, to change a part."""
        shown = await self.command("agenda")
        assert templates(shown) == ["agenda.html", "prep/agenda_actions.html"]
        data = f"v1:pa:edit:{self.preparation.id}"
        assert self.offered() == [data]
        return await self.send(press(data, self.address))

    @property
    def preparation(self) -> Preparation:
        mine = person(self.store, self.address).id
        [found] = [p for p in self.store.preparations.values() if p.jobseeker_id == mine]
        return found

    @property
    def answers(self) -> Answers:
        return self.preparation.answers

    @property
    def place(self) -> tuple[str, str | None]:
        """Where Ola is: the internal step, and for a per-topic step the topic it is about."""
        state = self.store.conversations[self.address]
        assert state.flow == "prep", state
        step, i = state.step, int(state.data.get("i", 0))
        return step, self.answers.topics[i].topic if step in PER_TOPIC else None

    def sent_elsewhere(self) -> list[Reply]:
        return [r for outcome in self.seen for r in outcome.replies if r.address is not None]


@pytest.fixture
def ola(engine: Engine, store: Store, clock: FakeClock, world: World) -> Session:
    return Session(engine, store, clock)


def prompt(outcome: Outcome) -> Reply:
    """The question the person is looking at now: the last message of the outcome."""
    return outcome.replies[-1]


def assert_at(ola: Session, outcome: Outcome, place: tuple[str, str | None]) -> None:
    """Ola is at ``place``, and the last message is that step's question, rightly numbered."""
    step, topic = place
    assert ola.place == place
    shown = prompt(outcome)
    assert shown.template == f"prep/{step}.html", templates(outcome)
    assert (shown.context["step"], shown.context["steps"]) == (VISIBLE_STEP[step], 7)
    if step in {"questions", "who"}:
        assert shown.context["topic"] == topic
    rendered = html(shown)
    if shown.context.get("peek") or shown.context.get("ready"):
        # A look at the agenda so far, or changing a finished one: not "step 7 of 7".
        assert "av 7" not in rendered, rendered
    else:
        assert f"Steg {VISIBLE_STEP[step]} av 7" in rendered, rendered


# Ola's whole preparation: each action, and where it leaves him.
Action = tuple[str, ...]
OLAS_PREPARATION: list[tuple[Action, tuple[str, str | None]]] = [
    (("say", GOOD), ("hard", None)),
    (("say", HARD), ("topics", None)),
    (("tap", "topics", "money"), ("topics", None)),
    (("tap", "topics", "openness"), ("topics", None)),
    (("tap", "topics", "treatment"), ("topics", None)),
    (("tap", "topics", "other"), ("topics", None)),
    (("tap", "topics", "done"), ("other", None)),
    (("say", OTHER_WORDS), ("questions", "money")),
    (("tap", "questions", "reapply"), ("questions", "money")),
    (("tap", "questions", "work_more"), ("questions", "money")),
    (("say", MONEY_WORDS), ("questions", "money")),
    (("tap", "questions", "done"), ("questions", "openness")),
    (("tap", "questions", "done"), ("knows", "openness")),
    (("tap", "knows", "undecided"), ("phrasing", "openness")),
    (("tap", "phrasing", "calm"), ("phrasing", "openness")),
    (("tap", "phrasing", "written"), ("phrasing", "openness")),
    (("tap", "phrasing", "done"), ("questions", "treatment")),
    (("tap", "questions", "keep_therapist"), ("questions", "treatment")),
    (("tap", "questions", "done"), ("who", "money")),
    (("tap", "who", "me"), ("who", "openness")),
    (("tap", "who", "jobbspesialist"), ("who", "treatment")),
    (("tap", "who", "behandler"), ("who", "other")),
    (("tap", "who", "together"), ("order", None)),
    (("tap", "order", "treatment"), ("order", None)),
    (("tap", "order", "money"), ("order", None)),
    (("tap", "order", "skip"), ("purpose", None)),  # the rest follows in the order it has
    (("say", PURPOSE), ("not_now", None)),
    (("say", NOT_NOW), ("review", None)),
]

OLAS_ANSWERS = Answers(
    going_well=GOOD,
    hard=HARD,
    topics=[
        TopicAnswer("treatment", questions=["keep_therapist"], raiser="behandler"),
        TopicAnswer(
            "money", questions=["work_more", "reapply"], own_words=MONEY_WORDS, raiser="me"
        ),
        TopicAnswer(
            "openness",
            raiser="jobbspesialist",
            employer_knows="undecided",
            phrasings=["written", "calm"],  # in the bank's order, not the order tapped
        ),
        TopicAnswer("other", own_words=OTHER_WORDS, raiser="together"),
    ],
    purpose=PURPOSE,
    not_this_time=NOT_NOW,
)


async def act(ola: Session, action: Action) -> Outcome:
    if action[0] == "say":
        return await ola.say(action[1])
    return await ola.tap(action[1], action[2])


async def begin(ola: Session) -> Outcome:
    started = await ola.command("forbered")
    assert templates(started) == ["prep/intro.html", "prep/good.html"]
    assert_at(ola, started, ("good", None))
    return started


async def prepare_until(ola: Session, place: tuple[str, str | None]) -> None:
    """Ola prepares as above until he first stands at ``place``."""
    await begin(ola)
    if place == ("good", None):
        # With an answer already given: answer step 1's first question, then go back to it.
        await ola.say(GOOD)
        assert_at(ola, await ola.tap("hard", "back"), ("good", None))
        return
    for action, after in OLAS_PREPARATION:
        outcome = await act(ola, action)
        assert_at(ola, outcome, after)
        if after == place:
            return
    raise AssertionError(f"never reached {place}")


# -- 1. the whole conversation ---------------------------------------------------------------------


async def test_olas_whole_preparation_becomes_his_agenda(ola, store):
    await begin(ola)
    for action, place in OLAS_PREPARATION:
        outcome = await act(ola, action)
        assert_at(ola, outcome, place)
        ticks = {"topics", "questions", "phrasing", "order"}
        if action[0] == "tap" and action[1] == place[0] in ticks and action[2] != "done":
            assert prompt(outcome).replace  # a tick changes the message in place
        if action == ("say", MONEY_WORDS):
            assert templates(outcome) == ["prep/saved_words.html", "prep/questions.html"]
        if place == ("who", "other"):
            assert prompt(outcome).context["own"] == OTHER_WORDS
        if action == ("tap", "questions", "work_more"):  # 1 and 2 of money's six are ticked
            labels = [label for row in RENDERER.render(prompt(outcome)).buttons for label, _ in row]
            assert labels[:6] == ["☑ 1", "☑ 2", "☐ 3", "☐ 4", "☐ 5", "☐ 6"]

    assert ola.answers == OLAS_ANSWERS
    assert ola.preparation.status is PrepStatus.IN_PROGRESS
    bank = {t.id: t for t in content.topics()}
    assert agenda_items(ola.answers, bank) == [
        Item("purpose", own_words=PURPOSE),
        Item("topic", "treatment", ("keep_therapist",), raiser="behandler", health=True),
        Item("topic", "money", ("work_more", "reapply"), MONEY_WORDS, raiser="me"),
        Item(
            "topic",
            "openness",
            raiser="jobbspesialist",
            employer_knows="undecided",
            phrasings=("written", "calm"),
            health=True,
        ),
        Item("topic", "other", own_words=OTHER_WORDS, raiser="together"),
        Item("situation", going_well=GOOD, hard=HARD),
        Item("not_this_time", own_words=NOT_NOW),
    ]

    review = ola.seen[-1]
    assert templates(review) == ["agenda.html", "prep/review.html"]
    agenda = html(review.replies[0])
    in_order(
        agenda,
        "Agenda for samarbeidsmøtet",
        "Punktene til Ola",
        "Dette vil jeg få ut av møtet",
        PURPOSE,
        "1. <b>Videre behandling og oppfølging</b>",
        "Behandleren min forklarer dette for meg",
        "Kan jeg fortsette hos behandleren min selv om jeg begynner å jobbe?",
        "2. <b>Penger og støtte fra Nav</b>",
        "Jeg tar det opp selv",
        "Hva skjer med pengene mine hvis jeg jobber mer?",
        "Må jeg søke på nytt når vedtaket (beslutningen fra Nav) går ut?",
        MONEY_WORDS,
        "3. <b>Åpenhet overfor arbeidsgiver</b>",
        "Jobbspesialisten min tar dette opp",
        "Jeg har ikke bestemt hva arbeidsgiveren skal vite.",
        "Ord jeg kan bruke:",
        NB["topics.openness.phrasings.written"],
        NB["topics.openness.phrasings.calm"],
        "4. <b>Noe annet</b>",
        "Jeg tar det opp sammen med jobbspesialisten",
        OTHER_WORDS,
        "Hvordan det går",
        f"Går bra: {GOOD}",
        f"Vanskelig nå: {HARD}",
        "Ikke denne gangen",
        NOT_NOW,
        "Den faste delen av møtet",
        "1. Ola: hvordan det går med jobb eller jobbsøking",
        "2. Behandleren: hvordan jobb og behandling henger sammen – og annet",
        "3. Nav-veilederen: hva slags støtte fra Nav, og hvor lenge – og annet",
        "4. Når og hvor vi møtes neste gang",
    )
    assert agenda.endswith("4. Når og hvor vi møtes neste gang")
    # Nothing unticked sneaks in.
    for unticked in ("support_back", "how_long", "wage_and_support", "overview"):
        assert NB[f"topics.money.questions.{unticked}"] not in agenda
    assert NB["topics.openness.phrasings.concentration"] not in agenda

    ready = await ola.tap("review", "done")
    assert templates(ready) == ["prep/ready.html"]
    assert ola.preparation.status is PrepStatus.READY
    assert ola.answers == OLAS_ANSWERS
    assert ola.preparation.meeting_id == meeting_id_of(ola)
    assert not store.conversations[OLA].active
    assert ola.sent_elsewhere() == []
    assert all(notified(outcome) == {} for outcome in ola.seen)


def meeting_id_of(ola: Session) -> int:
    [meeting] = ola.store.meetings.values()
    return meeting.id


# -- 2. everything can be skipped ------------------------------------------------------------------


async def test_skipping_every_step_reaches_an_empty_review(ola):
    await begin(ola)
    assert_at(ola, await ola.tap("good", "skip"), ("hard", None))
    assert_at(ola, await ola.tap("hard", "skip"), ("topics", None))
    outcome = await ola.tap("topics", "done")
    assert_at(ola, outcome, ("purpose", None))
    assert_at(ola, await ola.tap("purpose", "skip"), ("not_now", None))
    review = await ola.tap("not_now", "skip")
    assert_at(ola, review, ("review", None))

    assert ola.answers == Answers()
    assert templates(review) == ["agenda.html", "prep/review.html"]
    assert "Ingen punkter ennå." in html(review.replies[0])


async def test_a_preparation_without_topics_has_an_agenda_too(ola):
    await begin(ola)
    await ola.say(GOOD)

    shown = await ola.command("agenda")

    assert templates(shown) == ["agenda.html", "prep/agenda_actions.html"]
    assert f"Går bra: {GOOD}" in html(shown.replies[0])
    assert ola.offered() == [f"v1:pa:go:{ola.preparation.id}"]  # not finished: go on


async def test_every_step_with_topics_can_be_skipped(ola):
    await begin(ola)
    # "Noe annet" is asked right after choosing topics; openness has questions, other has none.
    steps = [
        ("good", "skip", ("hard", None)),
        ("hard", "skip", ("topics", None)),
        ("topics", "openness", ("topics", None)),
        ("topics", "other", ("topics", None)),
        ("topics", "done", ("other", None)),
        ("other", "skip", ("questions", "openness")),
        ("questions", "done", ("knows", "openness")),
        ("knows", "skip", ("phrasing", "openness")),
        ("phrasing", "done", ("who", "openness")),
        ("who", "skip", ("who", "other")),
        ("who", "skip", ("order", None)),
        ("order", "skip", ("purpose", None)),
        ("purpose", "skip", ("not_now", None)),
        ("not_now", "skip", ("review", None)),
    ]
    for step, value, place in steps:
        assert_at(ola, await ola.tap(step, value), place)

    assert ola.answers == Answers(topics=[TopicAnswer("openness"), TopicAnswer("other")])
    agenda = html(ola.seen[-1].replies[0])
    in_order(agenda, "1. <b>Åpenhet overfor arbeidsgiver</b>", "2. <b>Noe annet</b>")
    for nothing_said in ("Hvordan det går", "Ikke denne gangen", "Dette vil jeg få ut av møtet"):
        assert nothing_said not in agenda


# -- 3. back ---------------------------------------------------------------------------------------


async def test_back_from_every_step_retraces_the_way_exactly(ola):
    await begin(ola)
    forward = [ola.place]
    # Up to the last step with a back button; the order is left as chosen (choosing one puts
    # the per-topic steps in the new order, so the way back would differ from the way here).
    walk = [(a, p) for a, p in OLAS_PREPARATION[:-1] if a[:2] != ("tap", "order") or a[2] == "skip"]
    for action, place in walk:
        outcome = await act(ola, action)
        assert_at(ola, outcome, place)
        if forward[-1] != place:
            forward.append(place)
    assert forward == [
        ("good", None),
        ("hard", None),
        ("topics", None),
        ("other", None),
        ("questions", "money"),
        ("questions", "openness"),
        ("knows", "openness"),
        ("phrasing", "openness"),
        ("questions", "treatment"),
        ("who", "money"),
        ("who", "openness"),
        ("who", "treatment"),
        ("who", "other"),
        ("order", None),
        ("purpose", None),
        ("not_now", None),
    ]
    answers = copy.deepcopy(ola.answers)

    backward = [ola.place]
    while ola.place != ("good", None):
        outcome = await ola.tap(ola.place[0], "back")
        assert_at(ola, outcome, ola.place)
        backward.append(ola.place)

    assert backward == forward[::-1]
    assert "v1:prep:good:back" not in ola.offered()  # the first question has nowhere to go back
    assert ola.answers == answers  # going back changes nothing
    # Every text question shows what was written when one comes back to it.
    shown = html(prompt(ola.seen[-1]))
    assert "Du skrev:" in shown and GOOD in shown


# -- 4. stop, and go on later ----------------------------------------------------------------------

RESUMABLE = [
    ("good", None),
    ("hard", None),
    ("topics", None),
    ("other", None),
    ("questions", "money"),
    ("questions", "openness"),
    ("knows", "openness"),
    ("phrasing", "openness"),
    ("questions", "treatment"),
    ("who", "money"),
    ("who", "treatment"),
    ("order", None),
    ("purpose", None),
    ("not_now", None),
    ("review", None),
]


@pytest.mark.parametrize("interruption", ["avbryt", "hjelp", "moeter"])
@pytest.mark.parametrize(
    "place",
    [pytest.param(p, id="-".join(filter(None, p))) for p in RESUMABLE],
)
async def test_stop_anywhere_and_go_on_where_one_stopped(
    ola, place, interruption, uow_factory, clock
):
    await prepare_until(ola, place)
    answers = copy.deepcopy(ola.answers)

    for restart in (False, True):
        stopped = await ola.command(interruption)
        expected = {
            "avbryt": ["prep/paused.html"],
            "hjelp": ["help.html", f"prep/{place[0]}.html"],
            "moeter": ["meeting/list_header.html", "meeting/item.html"],
        }[interruption]
        if interruption == "hjelp" and place[0] == "review":
            expected = ["help.html", "prep/review.html"]  # not the whole agenda once more
        assert templates(stopped) == expected
        if restart:
            ola.engine = Engine(uow_factory, clock, make_installation(), RENDERER)

        asked = await ola.command("forbered")
        assert templates(asked) == ["prep/resume.html"]
        assert ola.offered() == ["v1:prep:resume:continue", "v1:prep:resume:review"]
        resumed = await ola.tap("resume", "continue")

        assert_at(ola, resumed, place)
        assert ola.answers == answers
        assert ola.preparation.status is PrepStatus.IN_PROGRESS
    assert ola.sent_elsewhere() == []


async def test_after_stopping_one_can_look_at_what_one_has_so_far(ola, uow_factory, clock):
    await prepare_until(ola, ("who", "money"))
    await ola.command("avbryt")
    ola.engine = Engine(uow_factory, clock, make_installation(), RENDERER)  # a restart, too

    await ola.command("forbered")
    review = await ola.tap("resume", "review")

    assert_at(ola, review, ("review", None))
    agenda = html(review.replies[0])
    in_order(agenda, "Penger og støtte fra Nav", MONEY_WORDS, OTHER_WORDS, GOOD, HARD)
    assert templates(await ola.tap("review", "done")) == ["prep/ready.html"]


async def test_a_text_when_a_button_is_expected_keeps_the_step(ola):
    await prepare_until(ola, ("who", "money"))
    before = copy.deepcopy(ola.answers)

    outcome = await ola.say("Jeg tar det selv")

    assert templates(outcome) == ["notice.html", "prep/who.html"]
    assert_at(ola, outcome, ("who", "money"))
    assert ola.answers == before


async def test_a_look_at_what_one_has_so_far_does_not_move_where_one_stopped(ola):
    """Issue 10: "See what I have so far", then "Continue where I stopped", landed on step 7
    and steps 3-6 were never asked."""
    await prepare_until(ola, ("questions", "money"))
    await ola.command("avbryt")

    asked = await ola.command("forbered")
    assert "Du stoppet på steg 3 av 7" in html(asked.replies[0])
    looked = await ola.tap("resume", "review")
    assert_at(ola, looked, ("review", None))
    # From the look, the way back to where Ola was …
    assert "v1:prep:review:continue" in ola.offered()
    assert_at(ola, await ola.tap("review", "continue"), ("questions", "money"))

    # … and after stopping again, "continue" still goes there, not to the review.
    await ola.command("avbryt")
    await ola.command("forbered")
    await ola.tap("resume", "review")
    await ola.command("avbryt")
    await ola.command("forbered")
    assert_at(ola, await ola.tap("resume", "continue"), ("questions", "money"))

    # A part changed from the look is not where Ola stopped either.
    await ola.command("avbryt")
    await ola.command("forbered")
    await ola.tap("resume", "review")
    await ola.tap("review", "edit-good")
    await ola.tap("good", "keep")
    await ola.tap("hard", "keep")
    await ola.command("avbryt")
    await ola.command("forbered")
    assert_at(ola, await ola.tap("resume", "continue"), ("questions", "money"))


async def test_two_messages_on_a_step_where_one_ticks_and_writes_are_both_kept(ola):
    """Issue 10: a second message replaced the first, so two questions became one."""
    await prepare_until(ola, ("questions", "money"))
    await ola.say("Hva om jeg blir syk?")
    second = await ola.say("Kan jeg jobbe i helgene?")

    assert templates(second) == ["prep/saved_words.html", "prep/questions.html"]
    money = ola.answers.topic("money")
    assert money.own_words == "Hva om jeg blir syk?\nKan jeg jobbe i helgene?"
    shown = html(prompt(second))
    assert "Hva om jeg blir syk?" in shown and "Kan jeg jobbe i helgene?" in shown

    # Taking them away is a choice of its own.
    assert "v1:prep:questions:clear@0" in ola.offered()
    cleared = await ola.tap("questions", "clear")
    assert prompt(cleared).replace and ola.answers.topic("money").own_words == ""
    assert "v1:prep:questions:clear@0" not in ola.offered()


async def test_words_on_the_openness_screens_stay_under_their_own_headings(ola):
    """Issue 10: words typed on the phrasing screen overwrote the own question typed on the
    question screen, and showed under the wrong heading."""
    await begin(ola)
    await ola.tap("good", "skip")
    await ola.tap("hard", "skip")
    await ola.tap("topics", "openness")
    await ola.tap("topics", "done")
    await ola.say("Må jeg si noe til sjefen?")
    await ola.tap("questions", "done")
    await ola.tap("knows", "no")
    await ola.say("Jeg trenger litt mer tid på nye oppgaver.")
    await ola.tap("phrasing", "calm")
    await ola.tap("phrasing", "done")

    openness = ola.answers.topic("openness")
    assert openness.own_words == "Må jeg si noe til sjefen?"
    assert openness.phrasing_words == "Jeg trenger litt mer tid på nye oppgaver."
    await ola.tap("who", "me")
    await ola.tap("purpose", "skip")
    review = await ola.tap("not_now", "skip")
    agenda = html(review.replies[0])
    in_order(
        agenda,
        "Åpenhet overfor arbeidsgiver",
        "Må jeg si noe til sjefen?",
        "Ord jeg kan bruke:",
        NB["topics.openness.phrasings.calm"],
        "Jeg trenger litt mer tid på nye oppgaver.",
    )


async def test_writing_where_something_was_written_asks_add_or_replace(ola):
    """Issue 10: nobody loses what they wrote without choosing to."""
    await begin(ola)
    await ola.say(GOOD)
    await ola.tap("hard", "back")

    asked = await ola.say("Og sjefen er snill.")

    assert templates(asked) == ["prep/add_or_replace.html"]
    assert asked.replies[0].context == {"before": GOOD, "new": "Og sjefen er snill."}
    assert ola.offered() == ["v1:prep:words:add", "v1:prep:words:replace"]
    # Until Ola chooses, both are kept: stopping here loses nothing.
    assert ola.answers.going_well == f"{GOOD}\nOg sjefen er snill."
    assert_at(ola, await ola.tap("words", "add"), ("hard", None))
    assert ola.answers.going_well == f"{GOOD}\nOg sjefen er snill."

    await ola.tap("hard", "back")
    await ola.say("Alt er bra.")
    await ola.command("avbryt")  # no choice made: nothing lost
    assert ola.answers.going_well == f"{GOOD}\nOg sjefen er snill.\nAlt er bra."

    await ola.command("forbered")
    await ola.tap("resume", "continue")
    await ola.say("Bare dette.")
    await ola.tap("words", "replace")
    assert ola.answers.going_well == "Bare dette."


async def test_a_split_text_written_where_something_was_joins_the_new_words(ola):
    await begin(ola)
    await ola.say(GOOD)
    await ola.tap("hard", "back")
    await ola.say(PART_ONE)

    rest = await ola.say(PART_TWO, after=timedelta(seconds=1))

    assert rest.replies == ()  # the rest of the same message: the question stands
    await ola.send(press("v1:prep:words:replace", OLA))  # on the question shown before
    assert ola.answers.going_well == PART_ONE + PART_TWO


# -- 5. own words come back exactly ----------------------------------------------------------------

MARKUP = "Jeg skrev <b>fet</b> & &amp; <a href='x'>lenke</a> – stemmer det?"
EMOJI = "Jeg er 👩‍💻 og 👨‍👩‍👧‍👦 er familien min 🏳️‍🌈 👍🏽"
SAMI = "Mun háliidan bargat eanet: ŋ č đ š ŧ ž á Č Đ Ŋ Š Ŧ Ž Á"
NORWEGIAN = "Blåbærsyltetøy på skjæret\nAndre linje: ÆØÅ æøå\n\nEtter en tom linje"
# Long, but within one Telegram message (4,096 UTF-16 units) also with MARKUP after it.
LONG = (("Dette er et langt svar med æøå, ŋ, 👩‍💻 & <i>tegn</i>. " * 80)[:3849]) + "."
assert len((LONG + "\n" + MARKUP).encode("utf-16-le")) // 2 <= 4096


async def test_own_words_are_kept_exactly_and_shown_escaped_and_whole(ola):
    await begin(ola)
    await ola.say(MARKUP)
    await ola.say(LONG)
    for topic in ("money", "openness", "other"):
        await ola.tap("topics", topic)
    await ola.tap("topics", "done")
    await ola.say(SAMI)  # Noe annet
    assert_at(ola, await ola.say(NORWEGIAN), ("questions", "money"))
    await ola.tap("questions", "done")
    await ola.tap("questions", "done")
    await ola.tap("knows", "no")
    assert_at(ola, await ola.say(EMOJI), ("phrasing", "openness"))
    await ola.tap("phrasing", "done")
    for _ in range(3):
        await ola.tap("who", "me")
    await ola.tap("order", "skip")
    await ola.say("&amp; er ikke &, og <script>alert(1)</script> er ikke kode")
    review = await ola.say(LONG + "\n" + MARKUP)
    assert_at(ola, review, ("review", None))

    purpose = "&amp; er ikke &, og <script>alert(1)</script> er ikke kode"
    not_now = LONG + "\n" + MARKUP
    expected = {
        "going_well": MARKUP,
        "hard": LONG,
        "other": SAMI,
        "money": NORWEGIAN,
        "openness": EMOJI,
        "purpose": purpose,
        "not_this_time": not_now,
    }
    a = ola.answers
    assert {
        "going_well": a.going_well,
        "hard": a.hard,
        "other": a.topic("other").own_words,
        "money": a.topic("money").own_words,
        # Written on åpenhet's "words to use" screen: kept there, apart from own questions.
        "openness": a.topic("openness").phrasing_words,
        "purpose": a.purpose,
        "not_this_time": a.not_this_time,
    } == expected

    agenda = html(review.replies[0])
    for words in expected.values():
        assert str(escape(words)) in agenda
    assert "&lt;b&gt;fet&lt;/b&gt;" in agenda and "<b>fet</b>" not in agenda
    assert "&amp;amp;" in agenda
    assert "&lt;script&gt;" in agenda and "<script>" not in agenda
    assert "👩‍💻" in agenda and "👨‍👩‍👧‍👦" in agenda and "ŋ č đ š ŧ ž á" in agenda

    # Coming back to each question shows what was written, escaped and whole.
    assert_at(ola, await ola.tap("review", "edit-not_now"), ("not_now", None))
    shown_words = {
        ("not_now", None): not_now,
        ("purpose", None): purpose,
        ("phrasing", "openness"): EMOJI,
        ("questions", "money"): NORWEGIAN,
        ("other", None): SAMI,
        ("hard", None): LONG,
        ("good", None): MARKUP,
    }
    visited = []
    while True:
        shown = prompt(ola.seen[-1])
        if ola.place in shown_words:
            visited.append(ola.place)
            words = shown_words[ola.place]
            assert shown.context["current"] == words
            rendered = html(shown)
            assert "Du skrev:" in rendered
            assert f"<i>{escape(words)}</i>" in rendered
        if ola.place == ("good", None):
            break
        await ola.tap(ola.place[0], "back")
    assert visited == list(shown_words)
    assert ola.answers.going_well == MARKUP and ola.answers.not_this_time == not_now


# -- 6. a long text Telegram split ----------------------------------------------------------------

PART_ONE = (("Første del av et langt svar om jobben min, med æøå. " * 90)[:4095]) + "."
PART_TWO = "Og her er slutten på det samme svaret."
assert len(PART_ONE) == 4096


async def test_the_parts_of_a_split_text_become_one_answer(ola):
    await begin(ola)
    first = await ola.say(PART_ONE)
    assert_at(ola, first, ("hard", None))

    joined = await ola.say(PART_TWO, after=timedelta(seconds=1))

    assert templates(joined) == ["prep/joined.html", "prep/hard.html"]
    assert_at(ola, joined, ("hard", None))
    assert ola.answers.going_well == PART_ONE + PART_TWO
    assert ola.answers.hard == ""
    # The next answer, written later, is the next question's answer again.
    assert_at(ola, await ola.say(HARD), ("topics", None))
    assert (ola.answers.going_well, ola.answers.hard) == (PART_ONE + PART_TWO, HARD)


async def test_a_text_long_after_a_long_one_answers_the_next_question(ola):
    await begin(ola)
    await ola.say(PART_ONE)

    later = await ola.say(PART_TWO, after=timedelta(seconds=10))

    assert "prep/joined.html" not in templates(later)
    assert_at(ola, later, ("topics", None))
    assert (ola.answers.going_well, ola.answers.hard) == (PART_ONE, PART_TWO)


async def test_a_short_text_soon_after_a_short_one_is_not_joined(ola):
    await begin(ola)
    await ola.say(GOOD)

    soon = await ola.say(HARD, after=timedelta(seconds=1))

    assert "prep/joined.html" not in templates(soon)
    assert (ola.answers.going_well, ola.answers.hard) == (GOOD, HARD)


# -- 7. crisis -------------------------------------------------------------------------------------

CRISIS = "Det har vært så tungt at jeg tenker at jeg vil ta livet mitt."


def state_of(ola: Session) -> tuple[str, str]:
    state = ola.store.conversations[ola.address]
    return state.flow, state.step


async def test_words_that_bring_the_note_are_not_saved_and_the_preparation_pauses(ola):
    await begin(ola)
    await ola.say(GOOD)

    outcome = await ola.say(CRISIS)

    # The note, then one quiet question: not the next question, and nothing saved.
    assert templates(outcome) == ["safety_note.html", "prep/crisis_question.html"]
    note = html(outcome.replies[0])
    assert "113" in note and "116 117" in note and "116 123" in note
    assert "ikke lagt det du skrev, inn i forberedelsen din" in note
    assert ola.answers.hard == "" and ola.answers.crisis == []
    assert state_of(ola) == ("prep", "crisis")
    assert ola.offered() == ["v1:prep:crisis:drop", "v1:prep:crisis:keep"]  # "no" first
    assert notified(outcome) == {}

    # No: nothing kept; a pause, and the same question when Ola wants to go on.
    left_out = await ola.tap("crisis", "drop")
    assert templates(left_out) == ["prep/crisis_choice.html"]
    assert "Det er ikke lagret." in html(left_out.replies[0])
    assert ola.offered() == ["v1:prep:hard:show"]
    assert ola.answers.hard == "" and ola.answers.crisis == []
    assert_at(ola, await ola.tap("hard", "show"), ("hard", None))

    # Yes: kept where it was written, marked so it is never proposed for sharing.
    await ola.say(CRISIS)
    kept = await ola.tap("crisis", "keep")
    assert "bare for deg" in html(kept.replies[0])
    assert ola.answers.hard == CRISIS and ola.answers.crisis == ["situation"]
    bank = {t.id: t for t in content.topics()}
    [situation] = [i for i in agenda_items(ola.answers, bank) if i.kind == "situation"]
    assert situation.crisis
    shown = await ola.tap("hard", "show")
    assert_at(ola, shown, ("hard", None))
    assert prompt(shown).context["current"] == CRISIS
    assert ola.sent_elsewhere() == []


async def test_on_a_step_where_one_ticks_and_writes_the_words_are_held_too(ola):
    await begin(ola)
    await ola.tap("good", "skip")
    await ola.tap("hard", "skip")
    await ola.tap("topics", "health")
    await ola.tap("topics", "done")
    await ola.say("Jeg vil ha kortere dager")

    outcome = await ola.say("Jeg tenker på å dø noen ganger")

    assert templates(outcome) == ["safety_note.html", "prep/crisis_question.html"]
    assert ola.answers.topic("health").own_words == "Jeg vil ha kortere dager"
    await ola.tap("crisis", "keep")
    health = ola.answers.topic("health")
    assert health.own_words == "Jeg vil ha kortere dager\nJeg tenker på å dø noen ganger"
    assert ola.answers.crisis == ["topic:health"]
    assert_at(ola, await ola.tap("questions", "show"), ("questions", "health"))


async def test_outside_a_flow_and_at_the_review_nothing_follows_the_note(ola, engine):
    outside = await ola.say("Jeg orker ikke mer og vil ikke leve sånn.")
    assert templates(outside) == ["safety_note.html"]  # no "I am not sure what you mean"
    assert "er ikke lagret" in html(outside.replies[0])

    await olas_review(ola)
    before = copy.deepcopy(ola.answers)
    at_review = await ola.say("Det går dårlig, jeg orker ikke mer og vil ikke leve sånn.")
    assert templates(at_review) == ["safety_note.html"]  # not "choose a button" and the agenda
    assert ola.answers == before
    assert state_of(ola) == ("prep", "review")

    # On a step of buttons, too (the review's buttons are still there, above the note).
    await ola.send(press("v1:prep:review:edit-who", OLA))
    at_who = await ola.say("jeg vil dø")
    assert templates(at_who) == ["safety_note.html"]
    assert ola.answers == before


async def test_at_the_question_ja_and_nei_are_understood_and_more_words_are_held(ola):
    await begin(ola)
    await ola.say(CRISIS)
    more = await ola.say("Det er bare så mye nå.")
    assert templates(more) == ["prep/crisis_question.html"]  # held with the rest, asked again
    assert ola.answers.going_well == ""
    kept = await ola.say("ja")
    assert templates(kept) == ["prep/crisis_choice.html"]
    assert ola.answers.going_well == f"{CRISIS}\nDet er bare så mye nå."

    await ola.tap("good", "show")
    await ola.say("jeg vil bare dø")  # added to what was kept? No: held, and asked
    left_out = await ola.say("Nei")
    assert templates(left_out) == ["prep/crisis_choice.html"]
    assert ola.answers.going_well == f"{CRISIS}\nDet er bare så mye nå."


async def test_stopping_at_the_question_keeps_nothing_of_those_words(ola):
    await begin(ola)
    await ola.say(GOOD)
    await ola.say(CRISIS)

    paused = await ola.command("avbryt")

    assert templates(paused) == ["prep/paused.html"]
    assert "ikke lagret" in html(paused.replies[0])
    assert (ola.answers.going_well, ola.answers.hard) == (GOOD, "")
    resumed = await ola.command("forbered")
    await ola.tap("resume", "continue")
    assert_at(ola, ola.seen[-1], ("hard", None))
    assert templates(resumed) == ["prep/resume.html"]


async def test_words_kept_and_later_replaced_are_no_longer_marked(ola):
    await begin(ola)
    await ola.say(CRISIS)
    await ola.tap("crisis", "keep")
    await ola.tap("good", "show")
    assert ola.answers.crisis == ["situation"]

    await ola.say("Nå går det litt bedre.")
    await ola.tap("words", "replace")

    assert ola.answers.going_well == "Nå går det litt bedre."
    assert ola.answers.crisis == []


async def test_a_split_text_with_the_words_in_its_last_part_is_held_whole(ola):
    await begin(ola)
    await ola.say(GOOD)
    first = await ola.say(PART_ONE)
    assert_at(ola, first, ("topics", None))  # saved, and on: it looked like an answer
    assert ola.answers.hard == PART_ONE

    second = await ola.say(" Og jeg vil ikke leve sånn.", after=timedelta(seconds=1))

    assert templates(second) == ["safety_note.html", "prep/crisis_question.html"]
    assert ola.answers.hard == ""  # the first part is taken out again
    await ola.tap("crisis", "keep")
    assert ola.answers.hard == PART_ONE + " Og jeg vil ikke leve sånn."
    assert ola.answers.going_well == GOOD


async def test_an_ordinary_answer_brings_no_help_note(ola):
    await begin(ola)
    for words in ("jeg vil jobbe mer", "Jeg vil ta livet mitt tilbake og jobbe mer"):
        outcome = await ola.say(words)
        assert "safety_note.html" not in templates(outcome)
    assert (ola.answers.going_well, ola.answers.hard) == (
        "jeg vil jobbe mer",
        "Jeg vil ta livet mitt tilbake og jobbe mer",
    )


# -- 8. editing from the review --------------------------------------------------------------------


async def olas_review(ola: Session) -> None:
    await prepare_until(ola, ("review", None))


async def test_changing_who_raises_what_goes_back_to_the_review(ola):
    await olas_review(ola)

    first = await ola.tap("review", "edit-who")
    assert_at(ola, first, ("who", "treatment"))  # the first topic in the chosen order
    assert "v1:prep:who:behandler@0" in ola.offered()  # a per-topic button names its topic
    assert_at(ola, await ola.tap("who", "together"), ("who", "money"))
    assert_at(ola, await ola.tap("who", "jobbspesialist"), ("who", "openness"))
    assert_at(ola, await ola.tap("who", "me"), ("who", "other"))
    back = await ola.tap("who", "behandler")

    assert_at(ola, back, ("review", None))  # not through the order and the purpose again
    assert templates(back) == ["agenda.html", "prep/review.html"]
    assert [(t.topic, t.raiser) for t in ola.answers.topics] == [
        ("treatment", "together"),
        ("money", "jobbspesialist"),
        ("openness", "me"),
        ("other", "behandler"),
    ]
    assert ola.answers.purpose == PURPOSE
    in_order(
        html(back.replies[0]),
        "Jeg tar det opp sammen med jobbspesialisten",
        "Jobbspesialisten min tar dette opp",
    )


async def test_changing_step_one_goes_back_to_the_review(ola):
    await olas_review(ola)

    good = await ola.tap("review", "edit-good")
    assert_at(ola, good, ("good", None))
    assert good.replies[-1].context["current"] == GOOD
    asked = await ola.say("Nå går det enda bedre.")
    assert templates(asked) == ["prep/add_or_replace.html"]  # never replaced silently
    assert_at(ola, await ola.tap("words", "replace"), ("hard", None))
    back = await ola.tap("hard", "keep")

    assert_at(ola, back, ("review", None))
    assert (ola.answers.going_well, ola.answers.hard) == ("Nå går det enda bedre.", HARD)
    assert "Går bra: Nå går det enda bedre." in html(back.replies[0])


# -- 9. /agenda, and who may prepare ---------------------------------------------------------------


async def test_agenda_shows_a_finished_agenda_with_a_way_to_change_it(ola):
    nothing = await ola.command("agenda")
    assert templates(nothing) == ["prep/no_agenda.html"]
    assert not ola.store.conversations[OLA].active

    await begin(ola)  # started, but nothing answered yet
    assert templates(await ola.command("agenda")) == ["prep/no_agenda.html"]

    await olas_review(ola)
    await ola.tap("review", "done")
    for command_name in ("agenda", "forbered"):  # a finished preparation: the agenda itself
        shown = await ola.command(command_name)

        assert templates(shown) == ["agenda.html", "prep/agenda_actions.html"]
        assert shown.replies[1].context["ready"] is True
        in_order(html(shown.replies[0]), PURPOSE, "Videre behandling og oppfølging", NOT_NOW)
        rendered = " ".join(html(r) for r in shown.replies)
        assert "Steg 7 av 7" not in rendered and "Ferdig, agendaen er klar" not in rendered
        assert ola.offered() == [f"v1:pa:edit:{ola.preparation.id}"]
        assert not ola.store.conversations[OLA].active  # no step waiting for an answer
        # Help afterwards is help, not the agenda once more.
        assert templates(await ola.command("hjelp")) == ["help.html"]

    changing = await ola.change_agenda()
    assert templates(changing) == ["agenda.html", "prep/review.html"]
    question = html(changing.replies[-1])
    assert "Steg 7 av 7" not in question and "Hva vil du endre?" in question
    assert "v1:prep:review:done" in ola.offered()
    assert templates(await ola.command("hjelp")) == ["help.html", "prep/review.html"]
    saved = await ola.tap("review", "done")
    assert "Endringene er lagret" in html(saved.replies[0])
    assert ola.preparation.status is PrepStatus.READY


@pytest.mark.parametrize("name", ["forbered", "agenda"])
async def test_preparing_is_for_the_job_seeker_only(engine, store, world, name):
    for address in (KARI, PER, NINA):
        outcome = await engine.handle(command(name, address))
        assert templates(outcome) == ["not_for_you.html"]  # with what they can do
        assert outcome.replies[0].context["command"] == name
        assert not store.conversations.get(address) or not store.conversations[address].active
    assert store.preparations == {}


# -- 10. stale and forged buttons ------------------------------------------------------------------


async def test_stale_and_forged_buttons_change_nothing(ola, engine, store):
    def snapshot() -> tuple[object, ...]:
        state = copy.deepcopy(store.conversations[OLA])
        # A refused press changes nothing at all.
        state.data.pop("last_text", None)
        return copy.deepcopy(store.preparations), state

    async def refused_without_change(data: str) -> None:
        before = snapshot()
        outcome = await refused(engine, press(data, OLA))
        assert snapshot() == before, data
        assert outcome.replies and outcome.replies[-1].template.startswith("prep/")

    await begin(ola)
    await refused_without_change("v1:prep:topics:money")  # not yet at that step
    await ola.say(GOOD)
    await ola.say(HARD)
    for value in ("astrology", "", "money:openness", "back:x", "edit-good"):
        await refused_without_change(f"v1:prep:topics:{value}")
    await ola.tap("topics", "money")
    await ola.tap("topics", "openness")
    await ola.tap("topics", "done")
    assert ola.place == ("questions", "money")
    for value in ("keep_therapist", "must_tell", "calm", "nonsense", "money"):
        await refused_without_change(f"v1:prep:questions:{value}")  # another topic's
    await refused_without_change("v1:prep:topics:treatment")  # an earlier step's button
    await refused_without_change("v1:prep:good:skip")
    await refused_without_change("v1:prep:who:me")  # a later step's button
    await ola.tap("questions", "work_more")
    await ola.tap("questions", "done")
    assert ola.place == ("questions", "openness")
    await refused_without_change("v1:prep:questions:work_more")  # money's, now stale
    await ola.tap("questions", "done")
    for value in ("maybe", "me", "YES"):
        await refused_without_change(f"v1:prep:knows:{value}")
    await ola.tap("knows", "yes")
    for value in ("work_more", "diagnosis", "must_tell"):
        await refused_without_change(f"v1:prep:phrasing:{value}")
    await ola.tap("phrasing", "done")
    assert ola.place == ("who", "money")
    for value in ("boss", "nav", "ME", "undecided", ""):
        await refused_without_change(f"v1:prep:who:{value}")
    await refused_without_change("v1:prep:knows:no")
    await ola.tap("who", "me")
    await ola.tap("who", "together")
    assert ola.place == ("order", None)
    for value in ("housing", "astrology", "treatment"):  # not chosen, unknown
        await refused_without_change(f"v1:prep:order:{value}")
    await ola.tap("order", "skip")
    await ola.say(PURPOSE)
    await ola.say(NOT_NOW)
    for value in ("edit-nonsense", "edit-", "done-ish", "continue"):
        await refused_without_change(f"v1:prep:review:{value}")
    await refused_without_change("v1:prep:resume:continue")
    await refused_without_change("v1:prep:not_now:skip")
    # Someone else's press on Ola's buttons is no press on Ola's preparation.
    before = copy.deepcopy(store.preparations)
    await refused(engine, press("v1:prep:review:done", KARI))
    assert store.preparations == before

    assert ola.answers == Answers(
        going_well=GOOD,
        hard=HARD,
        topics=[
            TopicAnswer("money", questions=["work_more"], raiser="me"),
            TopicAnswer("openness", raiser="together", employer_knows="yes"),
        ],
        purpose=PURPOSE,
        not_this_time=NOT_NOW,
    )
    assert ola.preparation.status is PrepStatus.IN_PROGRESS


async def test_a_refused_button_leaves_the_state_exactly_as_it_was(ola, engine, store):
    await begin(ola)
    await ola.say(PART_ONE)
    before = copy.deepcopy(store.conversations[OLA])

    await refused(engine, press("v1:prep:hard:boss", OLA))  # a value "hard" never offers

    assert store.conversations[OLA] == before
    joined = await ola.say(PART_TWO, after=timedelta(seconds=1))
    assert templates(joined) == ["prep/joined.html", "prep/hard.html"]


async def test_a_who_button_of_an_earlier_topic_is_not_used_for_the_next_one(ola, engine):
    await prepare_until(ola, ("who", "money"))
    old_message = ola.offered()
    await ola.say("Jeg vet ikke")  # the question is sent anew; the old message keeps its buttons
    await ola.tap("who", "me")
    assert ola.place == ("who", "openness")
    [stale] = [data for data in old_message if data.startswith("v1:prep:who:behandler@")]
    before = copy.deepcopy(ola.answers)

    late = await engine.handle(press(stale, OLA))  # tapped on the old message

    assert not late.accepted
    assert ola.answers == before
    assert ola.place == ("who", "openness")


async def test_a_double_tap_on_the_order_step_places_a_topic_once(ola, engine):
    await prepare_until(ola, ("order", None))
    await ola.tap("order", "treatment")
    before = copy.deepcopy(ola.answers)

    again = await engine.handle(press("v1:prep:order:treatment", OLA))

    assert not again.accepted
    assert ola.place == ("order", None)
    assert ola.answers == before
    assert ola.store.conversations[OLA].data["placed"] == ["treatment"]


# -- 11. what Kari sees ----------------------------------------------------------------------------

OLAS_WORDS = (GOOD, HARD, OTHER_WORDS, MONEY_WORDS, PURPOSE, NOT_NOW, "lageret", "familien")


async def test_kari_sees_how_far_ola_has_come_never_what_he_wrote(ola, engine):
    async def karis_view() -> tuple[str | None, str]:
        [item] = await meetings_listed(engine, KARI)
        shown = html(item)
        for words in OLAS_WORDS:
            assert words not in shown and words not in repr(item.context)
        return item.context["prep"], shown

    assert await karis_view() == ("not_started", AnyWith("Forberedelse: ikke startet"))
    await begin(ola)
    assert await karis_view() == ("not_started", AnyWith("Forberedelse: ikke startet"))

    await ola.say(GOOD)
    assert await karis_view() == ("in_progress", AnyWith("Forberedelse: påbegynt"))
    for action, place in OLAS_PREPARATION[1:]:
        assert_at(ola, await act(ola, action), place)
    assert await karis_view() == ("in_progress", AnyWith("Forberedelse: påbegynt"))

    await ola.tap("review", "done")

    assert await karis_view() == ("ready", AnyWith("Forberedelse: klar"))
    assert ola.preparation.meeting_id == meeting_id_of(ola)
    [pers] = await meetings_listed(engine, PER)  # the behandler is not told even the status
    assert pers.context["prep"] is None
    assert "Forberedelse" not in html(pers)
    assert ola.sent_elsewhere() == []


@dataclass(frozen=True)
class AnyWith:
    """Equal to any text that contains ``part``."""

    part: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.part in other


# -- 11. nobody gets stuck ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inbound",
    [
        text("Noe mer jeg vil si", OLA),
        command("hjelp", OLA),
        command("avbryt", OLA),
        press("v1:prep:good:skip", OLA),
        press("v1:lang:set:nn", OLA),
    ],
    ids=["text", "help", "cancel", "button", "language-button"],
)
async def test_a_state_pointing_at_a_deleted_preparation_is_cleared_kindly(
    ola, engine, store, inbound
):
    """What /slett and retention will do: the preparation goes while Ola is in the middle."""
    await begin(ola)
    store.preparations.clear()

    outcome = await engine.handle(inbound)

    assert "state_gone.html" in templates(outcome) or inbound.command == "avbryt"
    assert not store.conversations[OLA].active
    after = await engine.handle(command("forbered", OLA))  # and he can begin again
    assert templates(after) == ["prep/intro.html", "prep/good.html"]


# -- 12. agenda versions -----------------------------------------------------------------------------


def versions(store: Store) -> list[AgendaVersion]:
    return sorted(store.agendas.values(), key=lambda v: v.number)


async def test_ferdig_makes_a_version_of_the_agenda_that_later_changes_leave_alone(ola, store):
    await olas_review(ola)
    assert versions(store) == []  # nothing is a version before the job seeker says so

    await ola.tap("review", "done")

    [first] = versions(store)
    bank = {t.id: t for t in content.topics()}
    assert (first.number, first.preparation_id, first.jobseeker_id) == (
        1,
        ola.preparation.id,
        person(store, OLA).id,
    )
    assert first.items == tuple(agenda_items(OLAS_ANSWERS, bank))
    assert first.created_at == ola.clock.now()
    kept = copy.deepcopy(first)

    # Changed afterwards from /agenda: the version made at "Ferdig" stays as it was.
    await ola.change_agenda()
    await ola.tap("review", "edit-who")
    for raiser in ("together", "jobbspesialist", "me", "behandler"):
        await ola.tap("who", raiser)
    await ola.tap("review", "edit-not_now")
    await ola.say("Ikke jobben til broren min.")
    await ola.tap("words", "replace")
    assert versions(store) == [kept]
    assert ola.preparation.status is PrepStatus.READY

    await ola.tap("review", "done")

    first_again, second = versions(store)
    assert first_again == kept
    assert second.number == 2 and second.preparation_id == first.preparation_id
    assert second.keys == first.keys  # the same points, under the same keys
    assert second.item("topic:treatment").raiser == "together"
    assert first.item("topic:treatment").raiser == "behandler"
    assert second.item("not_this_time").own_words == "Ikke jobben til broren min."
    assert first.item("not_this_time").own_words == NOT_NOW
    assert ola.sent_elsewhere() == []  # a version is not a share


async def test_item_keys_stay_the_same_from_version_to_version(ola, store):
    await olas_review(ola)
    await ola.tap("review", "done")
    await ola.change_agenda()
    # One topic fewer; every step after the topics walked through again, unchanged.
    await ola.tap("review", "edit-topics")
    await ola.tap("topics", "money")
    await ola.tap("topics", "done")
    while ola.place != ("review", None):
        step = ola.place[0]
        [onward] = [
            v
            for v in ("done", "keep", "skip")
            if f"v1:prep:{step}:{v}" in ola.offered()
            or any(d.startswith(f"v1:prep:{step}:{v}@") for d in ola.offered())
        ]
        await ola.tap(step, onward)
    await ola.tap("review", "done")

    first, second = versions(store)
    assert first.keys == (
        "purpose",
        "topic:treatment",
        "topic:money",
        "topic:openness",
        "topic:other",
        "situation",
        "not_this_time",
    )
    assert second.keys == tuple(k for k in first.keys if k != "topic:money")
    for key in second.keys:
        assert second.item(key) == first.item(key), key


async def test_no_version_before_the_review_is_finished(ola, store):
    await prepare_until(ola, ("review", None))
    await ola.command("avbryt")
    await ola.command("forbered")
    await ola.tap("resume", "review")
    assert versions(store) == []
    await ola.tap("review", "done")
    assert [v.number for v in versions(store)] == [1]


# -- 13. the flow's typed state -------------------------------------------------------------------

FLOW = Path(__file__).resolve().parents[2] / "bot" / "core" / "flows" / "preparation"


def test_the_stored_state_keeps_its_json_names_and_round_trips():
    stored = {
        "prep": 4,
        "i": 2,
        "placed": ["money"],
        "editing": 4,
        "last_text": {"step": "hard", "i": 0, "at": "2026-12-01T09:00:00+00:00", "length": 4096},
    }
    data = PrepData.from_json(stored)

    assert data.last_text is not None and data.last_text.at.tzinfo is not None
    # Names added later take their defaults, so a state stored before goes on unchanged.
    assert data.to_json() == {
        **stored,
        "last_text": {**stored["last_text"], "before": ""},
        "held": None,
        "peek": False,
    }
    assert PrepData.from_json(data.to_json()) == data
    assert PrepData.from_json({}).to_json() == {
        "prep": None,
        "i": 0,
        "placed": [],
        "editing": None,
        "last_text": None,
        "held": None,
        "peek": False,
    }
    held = {
        "step": "hard",
        "i": 0,
        "text": "ord",
        "at": "2026-12-01T09:00:00+00:00",
        "length": 3,
        "before": "",
    }
    assert PrepData.from_json({"held": held, "peek": True}).to_json()["held"] == held


def test_the_flow_keeps_its_data_typed_and_changes_through_services():
    for path in FLOW.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"data", "uow"}, f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "go":
                assert not node.keywords, f"{path.name}:{node.lineno}: untyped state"
