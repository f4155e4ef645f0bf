"""Translatable text as data: the core marks it, the renderer translates it per person.

``N_`` and ``NP_`` are the extraction keywords (see ``locales/babel.cfg`` and ``tools/i18n``).
Placeholders are %-style (``%(name)s``) so Babel can check them in every catalog.
"""

from __future__ import annotations

from dataclasses import dataclass


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
