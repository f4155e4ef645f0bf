"""The preparation's steps as data (``bot.domain.prep_steps``), without the engine: the table,
the route for every shape of answers, "next" and "back", editing from the review, where typed
answers go."""

from __future__ import annotations

from itertools import pairwise, permutations

import pytest

from bot.domain.prep_steps import (
    EDIT_TARGETS,
    FIRST,
    REVIEW,
    STEPS,
    TABLE,
    TEXT_STEPS,
    TOPIC_STEPS,
    VISIBLE_STEPS,
    Place,
    edit_start,
    forward,
    next_place,
    previous_place,
    read_text,
    route,
    settle,
    write_text,
)
from bot.domain.preparation import ANSWER_MAX, Answers, TopicAnswer, TopicSpec

# A small bank with every shape that matters: topics with questions, åpenhet with its own
# steps, "Noe annet" without questions, and an ordinary topic without questions.
BANK = {
    spec.id: spec
    for spec in (
        TopicSpec("money", False, ("work_more", "reapply")),
        TopicSpec("openness", True, ("must_tell",), ("calm", "written")),
        TopicSpec("treatment", True, ("keep_therapist",)),
        TopicSpec("other", False),
        TopicSpec("quiet", False),
    )
}


def chosen(*topics: str) -> Answers:
    return Answers(topics=[TopicAnswer(t) for t in topics])


def P(step: str, index: int = 0) -> Place:  # short: the tables below read like the route
    return Place(step, index)


START = [P("good"), P("hard"), P("topics")]
END = [P("purpose"), P("not_now"), P("review")]

# The route for each interesting shape of answers, spelled out.
ROUTES = {
    "no topics": (chosen(), [*START, *END]),
    "one topic": (chosen("money"), [*START, P("questions"), P("who"), *END]),
    "only Noe annet": (chosen("other"), [*START, P("other"), P("who"), *END]),
    "one topic without questions": (chosen("quiet"), [*START, P("who"), *END]),
    "åpenhet alone": (
        chosen("openness"),
        [*START, P("questions"), P("knows"), P("phrasing"), P("who"), *END],
    ),
    "topics without questions": (
        chosen("quiet", "other"),
        [*START, P("other"), P("who", 0), P("who", 1), P("order"), *END],
    ),
    "Noe annet first, then one with questions": (
        chosen("other", "money"),
        [*START, P("other"), P("questions", 1), P("who", 0), P("who", 1), P("order"), *END],
    ),
    "Ola's": (
        chosen("money", "openness", "treatment", "other"),
        [
            *START,
            P("other"),
            P("questions", 0),
            P("questions", 1),
            P("knows", 1),
            P("phrasing", 1),
            P("questions", 2),
            P("who", 0),
            P("who", 1),
            P("who", 2),
            P("who", 3),
            P("order"),
            *END,
        ],
    ),
}


# -- the table -----------------------------------------------------------------------------------


def test_the_table_numbers_the_seven_visible_steps_as_product_md_does() -> None:
    assert {step.name: step.number for step in TABLE} == {
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
    assert [step.number for step in TABLE] == sorted(step.number for step in TABLE)
    assert {step.number for step in TABLE} == set(range(1, VISIBLE_STEPS + 1))
    assert sorted(TEXT_STEPS) == sorted(
        ["good", "hard", "other", "questions", "phrasing", "purpose", "not_now"]
    )
    assert sorted(TOPIC_STEPS) == ["knows", "phrasing", "questions", "who"]
    assert P("good") == FIRST and P("review") == REVIEW
    assert set(EDIT_TARGETS) <= set(STEPS)


# -- the route -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ROUTES)
def test_the_route_for_each_shape_of_answers(shape: str) -> None:
    answers, expected = ROUTES[shape]
    assert route(answers, BANK) == expected


@pytest.mark.parametrize("shape", ROUTES)
def test_next_walks_the_route_from_the_first_question_to_the_review(shape: str) -> None:
    answers, expected = ROUTES[shape]
    walked, place = [FIRST], FIRST
    while place != REVIEW:
        place = next_place(place, answers, BANK)
        walked.append(place)
    assert walked == expected
    assert next_place(REVIEW, answers, BANK) == REVIEW


@pytest.mark.parametrize("shape", ROUTES)
def test_back_retraces_the_route(shape: str) -> None:
    answers, expected = ROUTES[shape]
    assert previous_place(FIRST, answers, BANK) == FIRST  # nowhere to go back to
    for before, place in pairwise(expected):
        assert previous_place(place, answers, BANK) == before, place
        assert previous_place(next_place(before, answers, BANK), answers, BANK) == before


def every_shape() -> list[Answers]:
    """Every choice of up to three topics from the bank, in every order."""
    return [chosen(*ids) for n in range(4) for ids in permutations(BANK, n)]


def test_for_every_choice_of_topics_back_undoes_next() -> None:
    for answers in every_shape():
        places = route(answers, BANK)
        assert places[0] == FIRST and places[-1] == REVIEW
        numbers = [STEPS[p.step].number for p in places]
        assert numbers == sorted(numbers)  # the visible number never goes down
        assert len(set(places)) == len(places)
        for place in places:
            if STEPS[place.step].per_topic:
                assert place.index < len(answers.topics)
            else:
                assert place.index == 0
        for place in places[:-1]:
            after = next_place(place, answers, BANK)
            back = previous_place(after, answers, BANK)
            assert back == place, (answers.topics, place)


def test_asked_per_topic_topic_by_topic_and_who_raises_it_after_all_of_them() -> None:
    places = route(chosen("openness", "money"), BANK)
    assert places[3:9] == [
        P("questions", 0),
        P("knows", 0),
        P("phrasing", 0),
        P("questions", 1),
        P("who", 0),
        P("who", 1),
    ]


def test_a_place_off_the_route_still_has_a_next_and_a_previous_place() -> None:
    # "What matters most" opened from the review with a single topic: no order on its route.
    one = chosen("money")
    assert next_place(P("order"), one, BANK) == P("purpose")
    assert previous_place(P("order"), one, BANK) == P("who")
    # The questions of a topic without any (a state stored before the bank changed).
    two = chosen("quiet", "money")
    assert next_place(P("questions", 0), two, BANK) == P("questions", 1)
    assert previous_place(P("questions", 0), two, BANK) == P("topics")


# -- two ways back that once skipped a step -----------------------------------------------------


def test_back_from_who_returns_to_noe_annet() -> None:
    """With only "Noe annet" (or topics without questions), back from the first "who raises
    it" returns to "Noe annet", where the person's own words are: it used to skip them."""
    assert previous_place(P("who"), chosen("other"), BANK) == P("other")
    assert previous_place(P("who"), chosen("quiet", "other"), BANK) == P("other")
    assert previous_place(P("who"), chosen("other", "money"), BANK) == P("questions", 1)


def test_back_from_order_with_no_topics_goes_to_the_topics() -> None:
    """The review's "Change: what matters most" with no topic chosen, then back: to the
    topics, not on to the purpose."""
    assert previous_place(P("order"), chosen(), BANK) == P("topics")


# -- editing from the review -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "topics", "start", "editing"),
    [
        ("good", (), P("good"), 1),
        ("topics", ("money",), P("topics"), None),  # new topics go on through their steps
        ("questions", ("quiet", "money"), P("questions", 1), 3),  # the first with questions
        ("questions", ("other",), P("topics"), None),  # none has questions: choose topics
        ("questions", (), P("topics"), None),
        ("who", ("money", "other"), P("who"), 4),
        ("order", ("money", "other"), P("order"), 5),
        ("not_now", (), P("not_now"), 6),
    ],
)
def test_each_change_button_of_the_review_starts_its_step(
    target: str, topics: tuple[str, ...], start: Place, editing: int | None
) -> None:
    assert edit_start(target, chosen(*topics), BANK) == (start, editing)


def test_an_unknown_change_target_is_refused() -> None:
    with pytest.raises(ValueError):
        edit_start("review", chosen(), BANK)


def test_editing_returns_to_the_review_once_its_visible_step_is_done() -> None:
    ola = ROUTES["Ola's"][0]
    assert forward(P("who", 0), ola, BANK, 4) == (P("who", 1), 4)
    assert forward(P("who", 3), ola, BANK, 4) == (REVIEW, None)  # not through the order
    assert forward(P("good"), ola, BANK, 1) == (P("hard"), 1)
    assert forward(P("hard"), ola, BANK, 1) == (REVIEW, None)
    assert forward(P("questions", 0), ola, BANK, 3) == (P("questions", 1), 3)
    assert forward(P("phrasing", 1), ola, BANK, 3) == (P("questions", 2), 3)
    assert forward(P("questions", 2), ola, BANK, 3) == (REVIEW, None)
    assert forward(P("order"), ola, BANK, 5) == (P("purpose"), 5)  # step 5 has two parts
    assert forward(P("purpose"), ola, BANK, 5) == (REVIEW, None)
    # Not editing: simply the next place.
    assert forward(P("hard"), ola, BANK, None) == (P("topics"), None)


def test_a_per_topic_step_without_topics_goes_on_to_the_purpose() -> None:
    assert settle(P("who"), chosen()) == P("purpose")
    assert settle(P("questions", 2), chosen()) == P("purpose")
    assert settle(P("who"), chosen("money")) == P("who")
    assert settle(P("order"), chosen()) == P("order")


# -- where typed answers go ----------------------------------------------------------------------


def test_each_text_step_keeps_its_answer_in_its_own_place() -> None:
    answers = chosen("money", "openness")
    for step, text in [
        ("good", "bra"),
        ("hard", "tungt"),
        ("purpose", "vite mer"),
        ("not_now", "ikke familien"),
        ("other", "tannlegen"),
    ]:
        write_text(answers, P(step), text)
    write_text(answers, P("questions", 0), "penger")
    write_text(answers, P("questions", 1), "spørsmål")
    write_text(answers, P("phrasing", 1), "ord")

    assert (answers.going_well, answers.hard, answers.purpose, answers.not_this_time) == (
        "bra",
        "tungt",
        "vite mer",
        "ikke familien",
    )
    assert [(t.topic, t.own_words, t.phrasing_words) for t in answers.topics] == [
        ("money", "penger", ""),
        # Own questions and own words to use with an employer are kept apart.
        ("openness", "spørsmål", "ord"),
        ("other", "tannlegen", ""),  # "Noe annet" written: the topic is added, last
    ]
    for step, index, text in [("questions", 1, "spørsmål"), ("phrasing", 1, "ord")]:
        assert read_text(answers, P(step, index)) == text


def test_a_second_part_is_appended_and_the_whole_is_bounded() -> None:
    answers = Answers()
    write_text(answers, P("good"), "Første del. ")
    write_text(answers, P("good"), "Andre del.", append=True)
    assert answers.going_well == "Første del. Andre del."
    write_text(answers, P("good"), "x" * ANSWER_MAX, append=True)
    assert len(answers.going_well) == ANSWER_MAX


def test_a_text_for_a_step_that_takes_none_changes_nothing() -> None:
    answers = chosen("money")
    before = Answers(topics=[TopicAnswer("money")])
    for step in ("topics", "knows", "who", "order", "review"):
        write_text(answers, P(step), "ord")
    assert answers == before
