"""Translatable text as data: the core marks it, the renderer translates it per person.

``N_`` and ``NP_`` are the extraction keywords (see ``locales/babel.cfg`` and ``tools/i18n``).
Placeholders are %-style (``%(name)s``) so Babel can check them in every catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Text:
    """A message id (with plural form and count when it has one) and its placeholders."""

    msgid: str
    plural: str | None = None
    count: int | None = None
    params: tuple[tuple[str, object], ...] = ()

    @property
    def mapping(self) -> dict[str, object]:
        return dict(self.params)


def N_(msgid: str, /, **params: object) -> Text:
    return Text(msgid, params=tuple(sorted(params.items())))


def NP_(singular: str, plural: str, count: int, /, **params: object) -> Text:
    merged = {"num": count, **params}
    return Text(singular, plural, count, tuple(sorted(merged.items())))


@dataclass(frozen=True)
class Plain:
    """Someone's own words or a name, shown exactly as given (never translated)."""

    text: str


@dataclass(frozen=True)
class DayLabel:
    """A day on a calendar button, written the reader's way ("to. 10. des.")."""

    day: date


@dataclass(frozen=True)
class TimeLabel:
    """A time of day on a button ("10.30", or "10:30" in English)."""

    hour: int
    minute: int


@dataclass(frozen=True)
class BankText:
    """Words from the question bank (templates/questions/<locale>.toml), by key:
    ``topics.money.label``, ``topics.money.questions.more_hours``."""

    key: str


@dataclass(frozen=True)
class Checked:
    """A label marked as chosen ("✓ Bolig")."""

    inner: Text | Plain | BankText


@dataclass(frozen=True)
class Boxed:
    """A label with a tick box: "☑ Bolig" when chosen, "☐ Bolig" when left out."""

    inner: Text | Plain | BankText
    ticked: bool


Label = Text | Plain | DayLabel | TimeLabel | BankText | Checked | Boxed


def short(text: str, limit: int = 40) -> str:
    """Someone's words on a button: whole words, and "…" when they go on."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",.;:") + "…"
