"""The question bank (templates/questions) and the crisis phrases (templates/safety/crisis.toml).

Same topic, question and phrasing ids in topics.toml and in every language; short, single-line,
plain texts; real nynorsk; "Nav", never "NAV"; crisis phrases that fire on crisis words and not
on ordinary job talk, with the tiny matcher crisis.toml describes (the bot's own matcher is bot/core/safety.py).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "templates" / "questions"
CRISIS = ROOT / "templates" / "safety" / "crisis.toml"
LOCALES = ("nb", "nn", "en")
TOPIC_IDS = [
    "job",
    "hours",
    "money",
    "housing",
    "openness",
    "treatment",
    "health",
    "education",
    "other",
]
HEALTH_TOPICS = {"openness", "treatment", "health"}
ID = re.compile(r"[a-z][a-z0-9_]*\Z")
MAX_LABEL = 32
MAX_TEXT = 120


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def structure() -> list[dict[str, Any]]:
    topics = load(QUESTIONS / "topics.toml")["topic"]
    assert isinstance(topics, list)
    return topics


def words(locale: str) -> dict[str, Any]:
    return load(QUESTIONS / f"{locale}.toml")


def texts(locale: str) -> dict[str, str]:
    """Every text of a language, keyed "topic.label", "topic.questions.id", "topic.phrasings.id"."""
    found: dict[str, str] = {}
    for topic_id, topic in words(locale)["topics"].items():
        found[f"{topic_id}.label"] = topic["label"]
        for kind in ("questions", "phrasings"):
            for item_id, text in topic.get(kind, {}).items():
                found[f"{topic_id}.{kind}.{item_id}"] = text
    return found


# ---------------------------------------------------------------- structure


def test_topics_come_in_the_agreed_order_with_health_flags() -> None:
    topics = structure()
    assert [t["id"] for t in topics] == TOPIC_IDS
    for topic in topics:
        assert set(topic) <= {"id", "health", "questions", "phrasings"}, topic["id"]
        assert isinstance(topic["health"], bool), topic["id"]
        assert topic["health"] == (topic["id"] in HEALTH_TOPICS), topic["id"]


def test_each_topic_has_a_short_list_of_suggested_questions() -> None:
    for topic in structure():
        questions = topic["questions"]
        assert all(isinstance(q, str) and ID.match(q) for q in questions), topic["id"]
        assert len(questions) == len(set(questions)), f"{topic['id']}: a question id twice"
        if topic["id"] == "other":
            assert questions == [], "'other' has no suggestions: the job seeker writes their own"
        else:
            assert 3 <= len(questions) <= 6, f"{topic['id']}: {len(questions)} questions"


def test_only_openness_has_phrasings_and_it_has_four_to_six() -> None:
    for topic in structure():
        if topic["id"] != "openness":
            assert "phrasings" not in topic, topic["id"]
            continue
        phrasings = topic["phrasings"]
        assert 4 <= len(phrasings) <= 6, f"openness: {len(phrasings)} phrasings"
        assert len(phrasings) == len(set(phrasings))
        assert all(isinstance(p, str) and ID.match(p) for p in phrasings)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_language_has_exactly_the_ids_of_topics_toml(locale: str) -> None:
    data = words(locale)
    assert set(data) == {"topics"}
    in_words = data["topics"]
    assert list(in_words) == TOPIC_IDS, "same topics, in the same order as topics.toml"
    for topic in structure():
        entry = in_words[topic["id"]]
        assert set(entry) <= {"label", "questions", "phrasings"}, (locale, topic["id"])
        assert set(entry.get("questions", {})) == set(topic["questions"]), (locale, topic["id"])
        assert set(entry.get("phrasings", {})) == set(topic.get("phrasings", [])), (
            locale,
            topic["id"],
        )


# ---------------------------------------------------------------- the words


@pytest.mark.parametrize("locale", LOCALES)
def test_labels_fit_on_a_button(locale: str) -> None:
    for topic_id, topic in words(locale)["topics"].items():
        label = topic["label"]
        assert isinstance(label, str) and label.strip(), (locale, topic_id)
        assert len(label) <= MAX_LABEL, f"{locale} {topic_id}: {label!r} is {len(label)} chars"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_text_is_one_short_line(locale: str) -> None:
    for key, text in texts(locale).items():
        assert isinstance(text, str), (locale, key)
        assert text.strip() == text and text, (locale, key)
        assert "\n" not in text and "\r" not in text, (locale, key)
        assert "  " not in text, (locale, key)
        assert len(text) <= MAX_TEXT, f"{locale} {key}: {len(text)} chars"


@pytest.mark.parametrize("locale", LOCALES)
def test_questions_are_questions_and_phrasings_are_sentences(locale: str) -> None:
    for key, text in texts(locale).items():
        if ".questions." in key:
            assert text.endswith("?"), (locale, key)
        if ".phrasings." in key:
            assert text.endswith("."), (locale, key)
            assert text[0].isupper(), (locale, key)


def test_nav_is_never_written_in_capitals() -> None:
    for path in [*QUESTIONS.glob("*.toml"), CRISIS]:
        raw = path.read_text("utf-8")
        assert not re.search(r"\bNAV\b", raw), f"{path.name}: write 'Nav', not 'NAV'"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_clinical_labels_and_official_words_are_explained(locale: str) -> None:
    for key, text in texts(locale).items():
        assert not re.search(r"pasient|patient|diagnos", text, re.IGNORECASE), (locale, key)
        if re.search(r"\bvedtak|\bAAP\b", text):
            assert "(" in text, f"{locale} {key}: explain the official word in the sentence"


def test_nynorsk_is_not_a_copy_of_bokmal() -> None:
    nb, nn = texts("nb"), texts("nn")
    same = sorted(key for key in nb if nb[key] == nn[key])
    assert len(same) <= len(nb) // 10, f"nn is the same as nb for {same}"


def test_nynorsk_and_bokmal_keep_to_their_own_words() -> None:
    bokmal_only = re.compile(r"\b(jeg|ikke|hva|hvordan|hvem|hvor|hvis|noe|mye|meg selv)\b")
    nynorsk_only = re.compile(r"\b(eg|ikkje|kva|korleis|kven|kor|viss|noko|mykje|sjølv)\b")
    for key, text in texts("nn").items():
        assert not bokmal_only.search(text.lower()), f"nn {key}: {text!r}"
    for key, text in texts("nb").items():
        assert not nynorsk_only.search(text.lower()), f"nb {key}: {text!r}"


# ---------------------------------------------------------------- crisis phrases


def crisis() -> dict[str, Any]:
    return load(CRISIS)


def suggests_crisis(text: str) -> bool:
    """The matcher crisis.toml describes: lowercase, collapse whitespace, cut out every harmless
    phrase (``*_not``), then look for any phrase of any language as a substring."""
    data = crisis()
    seen = " ".join(text.lower().split())
    for locale in LOCALES:
        for harmless in data.get(f"{locale}_not", []):
            seen = seen.replace(harmless, " ")
    return any(phrase in seen for locale in LOCALES for phrase in data[locale])


def test_crisis_lists_are_lowercase_and_not_empty() -> None:
    data = crisis()
    assert set(data) <= {*LOCALES, *(f"{locale}_not" for locale in LOCALES)}, set(data)
    for name, phrases in data.items():
        assert isinstance(phrases, list), name
        if name in LOCALES:
            assert phrases, f"{name}: no crisis phrases"
        assert len(phrases) == len(set(phrases)), f"{name}: a phrase twice"
        for phrase in phrases:
            assert isinstance(phrase, str) and phrase, name
            assert phrase == phrase.lower(), f"{name}: {phrase!r} is not lowercase"
            assert phrase == " ".join(phrase.split()), f"{name}: {phrase!r} whitespace"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_harmless_phrase_hides_a_crisis_phrase_on_its_own(locale: str) -> None:
    for phrase in crisis()[locale]:
        assert suggests_crisis(phrase), f"{locale}: {phrase!r} is cut out by a *_not phrase"


@pytest.mark.parametrize(
    "text",
    [
        "jeg orker ikke mer, jeg vil ta livet mitt",
        "Jeg har tenkt på   SELVMORD i det siste",
        "jeg vil ikke leve lenger",
        "noen ganger har jeg lyst til å skade meg selv",
        "jeg vil ikke leve av trygd, og noen ganger vil jeg ta livet mitt",
        "eg vil ikkje leve lenger",
        "Eg tenkjer på sjølvmord",
        "I want to kill myself",
        "I don’t want to live anymore",
        "I don't want to live with my parents, I want to end my life",
    ],
)
def test_crisis_words_are_noticed(text: str) -> None:
    assert suggests_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil jobbe mer",
        "Jeg vil ha mer penger",
        "Hva skjer med pengene mine hvis jeg jobber mer?",
        "jeg vil ikke leve av trygd resten av livet",
        "jeg er redd arbeidsgiveren vil dømme meg",
        "jeg vil ta livet mitt tilbake",
        "kan jeg ta livet med ro i ferien?",
        "jeg holdt på å dø av latter i lunsjen",
        "i går var jeg dødssliten etter jobb",
        "Nav kuttet meg ut av tiltaket",
        "eg vil jobbe meir og ikkje leve på trygd",
        "I want to work more hours",
        "I don't want to live with my parents any more",
        "I need to cut myself some slack",
        "this job is killing me",
    ],
)
def test_ordinary_job_talk_is_not_a_crisis(text: str) -> None:
    assert not suggests_crisis(text)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_suggested_questions_never_look_like_a_crisis(locale: str) -> None:
    for key, text in texts(locale).items():
        assert not suggests_crisis(text), f"{locale} {key}: {text!r}"
