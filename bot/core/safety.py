"""A gentle help note when free text suggests a crisis. It never shares anything, never
blocks the answer, and never judges: it only says, at once, where help is."""

from __future__ import annotations

from collections.abc import Iterable


class CrisisWords:
    """Phrases (from templates/safety/crisis.toml), matched in lowercased, tidied text."""

    def __init__(self, phrases: Iterable[str] = (), harmless: Iterable[str] = ()) -> None:
        self._phrases = tuple(_tidy(p) for p in phrases if p.strip())
        self._harmless = tuple(_tidy(p) for p in harmless if p.strip())

    def suggest_crisis(self, text: str) -> bool:
        tidy = _tidy(text)
        for harmless in self._harmless:
            tidy = tidy.replace(harmless, " ")
        return any(phrase in tidy for phrase in self._phrases)


def _tidy(text: str) -> str:
    return " ".join(text.lower().split())
