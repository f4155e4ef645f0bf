"""Content kept as data in templates/: the question bank and the crisis phrases.

``templates/questions/topics.toml`` holds the structure (ids, which topics are about health);
``templates/questions/<locale>.toml`` the words; ``templates/safety/crisis.toml`` the phrases
that bring the help note. Tests check that every language has every word.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from bot.core.safety import CrisisWords
from bot.domain.people import Locale
from bot.domain.preparation import TopicSpec
from bot.rendering.resources import templates_dir


def _toml(*parts: str) -> dict[str, Any]:
    with open(templates_dir().joinpath(*parts), "rb") as file:
        return tomllib.load(file)


@cache
def topics() -> tuple[TopicSpec, ...]:
    return tuple(
        TopicSpec(
            id=t["id"],
            health=bool(t.get("health", False)),
            questions=tuple(t.get("questions", ())),
            phrasings=tuple(t.get("phrasings", ())),
        )
        for t in _toml("questions", "topics.toml")["topic"]
    )


@cache
def bank_words(locale: Locale) -> dict[str, str]:
    """Every text of the bank in one language, by dotted key: ``topics.money.label``."""
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(path, value)
            else:
                flat[path] = str(value)

    walk("", _toml("questions", f"{locale.value}.toml"))
    return flat


def crisis_words() -> CrisisWords:
    """Phrases in every language: a person may write in another language than they chose."""
    data = _toml("safety", "crisis.toml")
    phrases = [p for locale in Locale for p in data.get(locale.value, [])]
    harmless = [p for locale in Locale for p in data.get(f"{locale.value}_not", [])]
    return CrisisWords(phrases, harmless)
