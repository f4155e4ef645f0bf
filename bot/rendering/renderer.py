"""Replies → message text (Telegram's HTML subset) and plain-text button labels.

One Jinja2 environment per language, autoescaped: whatever a person typed is shown exactly as
typed and can never become markup. Button labels are plain text and are not escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.messages import Reply
from bot.core.text import Text
from bot.domain.people import Locale
from bot.rendering.dates import DateFormatter
from bot.rendering.i18n import translate, translations
from bot.rendering.resources import templates_dir

# Telegram refuses longer messages; a longer text is split, never cut.
MESSAGE_LIMIT = 4096
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    """A message ready for a transport: HTML text and rows of (label, data) buttons."""

    html: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


class Renderer:
    def __init__(self, timezone: str) -> None:
        self.dates = DateFormatter(timezone)
        self._environments = {locale: self._environment(locale) for locale in Locale}

    def render(self, reply: Reply) -> Rendered:
        template = self._environments[reply.locale].get_template(reply.template)
        html = _tidy(template.render(**reply.context))
        buttons = tuple(
            tuple((self.text(reply.locale, b.label), b.data) for b in row) for row in reply.buttons
        )
        return Rendered(html, buttons)

    def text(self, locale: Locale, text: Text) -> str:
        """A translated text, plain (for button labels and notices)."""
        return translate(locale, text)

    def _environment(self, locale: Locale) -> Environment:
        environment = Environment(
            loader=FileSystemLoader(templates_dir()),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.i18n"],
        )
        environment.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
        environment.filters.update(
            t=partial(translate, locale),
            date=partial(_date, self.dates, locale),
            datetime=partial(_datetime, self.dates, locale),
        )
        environment.globals["locale"] = locale.value
        return environment


def _date(dates: DateFormatter, locale: Locale, moment: datetime) -> str:
    return dates.day(moment, locale)


def _datetime(dates: DateFormatter, locale: Locale, moment: datetime) -> str:
    return dates.when(moment, locale)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))


def split_message(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a long message at paragraph, then line, then word boundaries, never mid-tag."""
    parts: list[str] = []
    rest = html
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= 0:
            cut = limit
        cut = _outside_markup(rest, cut)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        parts.append(rest)
    return parts


def _outside_markup(text: str, cut: int) -> int:
    """Move ``cut`` back so it does not fall inside a tag or an entity."""
    opening = max(text.rfind("<", 0, cut), text.rfind("&", 0, cut))
    closing = max(text.rfind(">", 0, cut), text.rfind(";", 0, cut))
    return opening if opening > closing and opening > 0 else cut
